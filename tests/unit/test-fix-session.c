/*
 * test-fix-session.c -- the FIX session layer (core/fix-session.h)
 * against a counterparty played by the test: every byte the session
 * sends is parsed back and checked, every message it gets is built here,
 * and the clock is the test's.  The store is a real SQLite file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "fix-codec.h"
#include "fix-session.h"
#include "fix-store.h"
#include "rng.h"

#define SEC		1000000000LL
#define T0		(1733300000LL * SEC)
#define CP_MAX		2048	/* messages either side keeps */

struct cp {
	char		 path[64];
	struct fix_store *st;
	struct fix_session *s;
	struct fix_session_cfg cfg;
	td_ns		 now;

	/* What the session wrote, and how far the test has read it. */
	char		*wire;
	size_t		 wlen, wread;
	bool		 link_broken;
	struct fix_msg	 got;

	/* What it handed up. */
	int64_t		 app[CP_MAX];
	bool		 dup[CP_MAX];
	int		 napp;
	enum fix_sess_note note[64];
	char		 text[64][256];
	int		 nnote;

	/* The counterparty's own side. */
	int64_t		 next;		/* its next MsgSeqNum */
	char		*sent[CP_MAX];	/* its messages, by seq */
	size_t		 sentlen[CP_MAX];
	struct fix_out	 out;
};

static int
cb_send(void *arg, const char *buf, size_t len)
{
	struct cp	*c = arg;

	if (c->link_broken)
		return -1;
	c->wire = realloc(c->wire, c->wlen + len);
	assert_non_null(c->wire);
	memcpy(c->wire + c->wlen, buf, len);
	c->wlen += len;
	return 0;
}

static void
cb_app(void *arg, const struct fix_msg *m, bool possdup)
{
	struct cp	*c = arg;

	assert_true(c->napp < CP_MAX);
	c->dup[c->napp] = possdup;
	c->app[c->napp++] = m->seq;
}

static void
cb_note(void *arg, enum fix_sess_note n, const char *text)
{
	struct cp	*c = arg;

	if (c->nnote == 64)
		return;
	c->note[c->nnote] = n;
	snprintf(c->text[c->nnote++], sizeof c->text[0], "%s", text);
}

static const char *
noted(const struct cp *c, enum fix_sess_note n)
{
	for (int i = c->nnote - 1; i >= 0; i--) {
		if (c->note[i] == n)
			return c->text[i];
	}
	return NULL;
}

static void
cp_open(struct cp *c)
{
	struct fix_session_cb	 cb = {
		.arg = c, .send = cb_send, .app = cb_app, .note = cb_note,
	};
	struct errmsg		 err;

	if ((c->st = fix_store_open(c->path, "FIX.4.4:TD->CP", &err)) == NULL ||
	    (c->s = fix_session_create(&c->cfg, c->st, &cb, &err)) == NULL)
		fail_msg("%s", err.msg);
}

static int
setup(void **state)
{
	struct cp	*c = calloc(1, sizeof *c);
	int		 fd;

	if (c == NULL)
		return -1;
	snprintf(c->path, sizeof c->path, "/tmp/td-fixsess-XXXXXX");
	if ((fd = mkstemp(c->path)) == -1)
		return -1;
	close(fd);
	unlink(c->path);
	c->cfg = (struct fix_session_cfg){ .begin = "FIX.4.4",
	    .sender = "TD", .target = "CP", .heartbeat = 30 };
	c->now = T0;
	c->next = 1;
	cp_open(c);
	*state = c;
	return 0;
}

static void
cp_close(struct cp *c)
{
	fix_session_free(c->s);
	fix_store_close(c->st);
	c->s = NULL;
	c->st = NULL;
}

static int
teardown(void **state)
{
	struct cp	*c = *state;
	char		 side[96];

	cp_close(c);
	for (int i = 0; i < CP_MAX; i++)
		free(c->sent[i]);
	free(c->wire);
	unlink(c->path);
	snprintf(side, sizeof side, "%s-wal", c->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", c->path);
	unlink(side);
	free(c);
	return 0;
}

/* The next message the session wrote, or NULL. */
static const struct fix_msg *
cp_read(struct cp *c)
{
	struct fix_error	 err;
	size_t			 used;
	enum fix_parse_rc	 rc;

	if (c->wread == c->wlen)
		return NULL;
	rc = fix_parse(c->wire + c->wread, c->wlen - c->wread, &c->got,
	    &used, &err);
	if (rc != FIX_OK)
		fail_msg("the session wrote a bad message: %s", err.text);
	c->wread += used;
	return &c->got;
}

/* The next message must be of type; returned for more checks. */
static const struct fix_msg *
cp_expect(struct cp *c, const char *type)
{
	const struct fix_msg	*m = cp_read(c);

	if (m == NULL)
		fail_msg("expected a message of type %s, got none", type);
	if (strcmp(m->type, type) != 0)
		fail_msg("expected type %s, got %s (seq %lld)", type, m->type,
		    (long long)m->seq);
	assert_string_equal(fix_get(m, FIX_T_SENDER_COMP_ID), "TD");
	assert_string_equal(fix_get(m, FIX_T_TARGET_COMP_ID), "CP");
	assert_non_null(fix_get(m, FIX_T_SENDING_TIME));
	return m;
}

static void
cp_nothing(struct cp *c)
{
	const struct fix_msg	*m = cp_read(c);

	if (m != NULL)
		fail_msg("expected nothing, got type %s seq %lld", m->type,
		    (long long)m->seq);
}

static const char *
val(const struct fix_msg *m, int tag)
{
	const char	*v = fix_get(m, tag);

	return v != NULL ? v : "(none)";
}

/* Build the counterparty's message seq of type with extra fields. */
static void
cp_build(struct cp *c, const char *type, int64_t seq, bool possdup,
    const struct fix_out *fields)
{
	fix_out_begin(&c->out, type);
	fix_out_str(&c->out, FIX_T_SENDER_COMP_ID, "CP");
	fix_out_str(&c->out, FIX_T_TARGET_COMP_ID, "TD");
	fix_out_int(&c->out, FIX_T_MSG_SEQ_NUM, seq);
	fix_out_time(&c->out, FIX_T_SENDING_TIME, c->now);
	if (possdup) {
		fix_out_str(&c->out, FIX_T_POSS_DUP, "Y");
		fix_out_time(&c->out, FIX_T_ORIG_SENDING_TIME, c->now);
	}
	if (fields != NULL)
		fix_out_append(&c->out, fields);
	assert_int_equal(fix_out_finish(&c->out, "FIX.4.4"), 0);
}

/* Make the next message; keep it; deliver it unless withheld. */
static int64_t
cp_make(struct cp *c, const char *type, const struct fix_out *fields,
    bool deliver)
{
	int64_t	 seq = c->next++;

	assert_true(seq < CP_MAX);
	cp_build(c, type, seq, false, fields);
	free(c->sent[seq]);		/* a number sent again replaces it */
	c->sent[seq] = malloc(c->out.len);
	assert_non_null(c->sent[seq]);
	memcpy(c->sent[seq], c->out.buf, c->out.len);
	c->sentlen[seq] = c->out.len;
	if (deliver)
		fix_session_input(c->s, c->out.buf, c->out.len, c->now);
	return seq;
}

static int64_t
cp_send(struct cp *c, const char *type, const struct fix_out *fields)
{
	return cp_make(c, type, fields, true);
}

/* An execution report of ours (the content does not matter here). */
static int64_t
cp_app(struct cp *c, bool deliver)
{
	struct fix_out	 f;

	fix_out_begin(&f, NULL);
	fix_out_str(&f, 11, "42");
	fix_out_str(&f, 150, "0");
	return cp_make(c, "8", &f, deliver);
}

/* Answer a ResendRequest from..to as a counterparty would. */
static void
cp_resend(struct cp *c, int64_t from, int64_t to)
{
	struct fix_error	 err;
	struct fix_msg		*m = malloc(sizeof *m);
	struct fix_out		*f = malloc(sizeof *f);
	size_t			 used;

	assert_non_null(m);
	assert_non_null(f);
	if (to == 0)
		to = c->next - 1;
	for (int64_t q = from; q <= to; q++) {
		assert_int_equal(fix_parse(c->sent[q], c->sentlen[q], m, &used,
		    &err), FIX_OK);
		fix_out_begin(f, NULL);
		if (strcmp(m->type, "8") != 0) {
			/* Admin messages are gap-filled. */
			fix_out_str(f, FIX_T_GAP_FILL, "Y");
			fix_out_int(f, FIX_T_NEW_SEQ_NO, q + 1);
			cp_build(c, "4", q, true, f);
		} else {
			fix_out_str(f, 11, "42");
			fix_out_str(f, 150, "0");
			cp_build(c, "8", q, true, f);
		}
		fix_session_input(c->s, c->out.buf, c->out.len, c->now);
	}
	free(m);
	free(f);
}

static void
cp_logon(struct cp *c)
{
	struct errmsg		 err;
	struct fix_out		 f;
	const struct fix_msg	*m;

	assert_int_equal(fix_session_start(c->s, c->now, &err), 0);
	m = cp_expect(c, "A");
	assert_string_equal(val(m, FIX_T_HEART_BT_INT), "30");
	assert_string_equal(val(m, FIX_T_ENCRYPT_METHOD), "0");
	fix_out_begin(&f, NULL);
	fix_out_int(&f, FIX_T_ENCRYPT_METHOD, 0);
	fix_out_int(&f, FIX_T_HEART_BT_INT, 30);
	cp_send(c, "A", &f);
	assert_int_equal(fix_session_state(c->s), FIX_SS_UP);
}

/* An order from the session, as the venue would send it. */
static int64_t
td_order(struct cp *c, const char *clordid)
{
	struct fix_out	 f;
	struct errmsg	 err;
	int64_t		 seq = fix_store_next_out(c->st);

	fix_out_begin(&f, NULL);
	fix_out_str(&f, 11, clordid);
	fix_out_str(&f, 55, "ES");
	assert_int_equal(fix_session_send(c->s, "D", &f, c->now, &err), 0);
	return seq;
}

/* ------------------------------------------------------------ tests */

static void
test_fix_session_logon_and_logout(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	struct errmsg		 err;

	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_int_equal(fix_session_send(c->s, "D", &c->out, c->now, &err),
	    -1);
	assert_non_null(strstr(err.msg, "not logged on"));
	cp_logon(c);
	assert_string_equal(val(&c->got, FIX_T_MSG_SEQ_NUM), "1");
	assert_non_null(noted(c, FIX_SN_UP));
	assert_int_equal(fix_store_next_in(c->st), 2);
	assert_int_equal(fix_store_next_out(c->st), 2);

	fix_session_logout(c->s, "end of day", c->now);
	m = cp_expect(c, "5");
	assert_string_equal(val(m, FIX_T_TEXT), "end of day");
	assert_int_equal(fix_session_state(c->s), FIX_SS_LOGOUT_SENT);
	cp_send(c, "5", NULL);
	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_non_null(noted(c, FIX_SN_DOWN));
	cp_nothing(c);
}

static void
test_fix_session_counterparty_logs_out(void **state)
{
	struct cp	*c = *state;
	struct fix_out	 f;

	cp_logon(c);
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_TEXT, "maintenance");
	cp_send(c, "5", &f);
	cp_expect(c, "5");
	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_non_null(strstr(noted(c, FIX_SN_DOWN), "maintenance"));
}

static void
test_fix_session_logon_refused_or_unanswered(void **state)
{
	struct cp	*c = *state;
	struct errmsg	 err;
	struct fix_out	 f;

	assert_int_equal(fix_session_start(c->s, c->now, &err), 0);
	cp_expect(c, "A");
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_TEXT, "bad password");
	cp_send(c, "5", &f);
	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_non_null(strstr(noted(c, FIX_SN_DOWN), "bad password"));

	/* Again, and nobody answers: down after the logon timeout. */
	assert_int_equal(fix_session_start(c->s, c->now, &err), 0);
	cp_expect(c, "A");
	assert_int_equal(fix_session_next(c->s), c->now + 10 * SEC);
	fix_session_tick(c->s, c->now + 10 * SEC - 1);
	assert_int_equal(fix_session_state(c->s), FIX_SS_LOGON_SENT);
	fix_session_tick(c->s, c->now + 10 * SEC);
	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_string_equal(noted(c, FIX_SN_DOWN), "no answer to the logon");
}

static void
test_fix_session_heartbeat_and_test_request(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	struct fix_out		 f;
	char			 id[32];

	cp_logon(c);
	/* Quiet on our side for 30 s: a Heartbeat. */
	assert_int_equal(fix_session_next(c->s), c->now + 30 * SEC);
	c->now += 30 * SEC;
	fix_session_tick(c->s, c->now);
	cp_expect(c, "0");
	/* Their TestRequest is answered with its id. */
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_TEST_REQ_ID, "ping-1");
	cp_send(c, "1", &f);
	m = cp_expect(c, "0");
	assert_string_equal(val(m, FIX_T_TEST_REQ_ID), "ping-1");
	/* Quiet on theirs for 36 s: our TestRequest. */
	c->now += 36 * SEC;
	fix_session_tick(c->s, c->now);
	m = cp_expect(c, "1");
	snprintf(id, sizeof id, "%s", val(m, FIX_T_TEST_REQ_ID));
	assert_non_null(noted(c, FIX_SN_TEST));
	/* Answered: the link lives on. */
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_TEST_REQ_ID, id);
	cp_send(c, "0", &f);
	c->now += 30 * SEC;
	fix_session_tick(c->s, c->now);
	assert_int_equal(fix_session_state(c->s), FIX_SS_UP);
	/* Unanswered: down one heartbeat after the TestRequest. */
	c->now += 6 * SEC;
	fix_session_tick(c->s, c->now);
	while ((m = cp_read(c)) != NULL && strcmp(m->type, "1") != 0)
		;
	assert_non_null(m);
	fix_session_tick(c->s, c->now + 30 * SEC - 1);
	assert_int_equal(fix_session_state(c->s), FIX_SS_UP);
	fix_session_tick(c->s, c->now + 30 * SEC);
	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_non_null(strstr(noted(c, FIX_SN_DOWN), "heartbeat timeout"));
}

/*
 * Messages 3 and 4 are lost: 5 waits, a ResendRequest asks from 3, the
 * resend brings 3 (PossDup) and fills 4, and then 5 is handed up.
 */
static void
test_fix_session_gap_is_filled_in_order(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;

	cp_logon(c);
	cp_app(c, true);			/* 2 */
	cp_app(c, false);			/* 3, lost */
	cp_make(c, "0", NULL, false);		/* 4, lost */
	cp_app(c, true);			/* 5 */
	assert_int_equal(c->napp, 1);
	m = cp_expect(c, "2");
	assert_string_equal(val(m, FIX_T_BEGIN_SEQ_NO), "3");
	assert_string_equal(val(m, FIX_T_END_SEQ_NO), "0");
	assert_true(fix_session_recovering(c->s));
	assert_non_null(noted(c, FIX_SN_GAP));
	cp_app(c, true);			/* 6 waits too */
	cp_nothing(c);				/* one request is enough */
	cp_resend(c, 3, 4);
	assert_int_equal(c->napp, 4);
	assert_int_equal(c->app[0], 2);
	assert_int_equal(c->app[1], 3);
	assert_true(c->dup[1]);
	assert_int_equal(c->app[2], 5);
	assert_false(c->dup[2]);
	assert_int_equal(c->app[3], 6);
	assert_false(fix_session_recovering(c->s));
	assert_int_equal(fix_store_next_in(c->st), 7);
	/* A duplicate of an old one is dropped without a word. */
	cp_resend(c, 5, 5);
	assert_int_equal(c->napp, 4);
	assert_int_equal(fix_session_state(c->s), FIX_SS_UP);
}

/*
 * The counterparty asks for 2..0: the orders are resent with their own
 * numbers, PossDupFlag and OrigSendingTime; the heartbeat between them is
 * gap-filled.
 */
static void
test_fix_session_resends_what_it_sent(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	struct fix_out		 f;
	char			 orig[32];

	cp_logon(c);
	assert_int_equal(td_order(c, "A1"), 2);
	snprintf(orig, sizeof orig, "%s", val(cp_expect(c, "D"),
	    FIX_T_SENDING_TIME));
	assert_int_equal(td_order(c, "A2"), 3);
	cp_expect(c, "D");
	c->now += 30 * SEC;
	fix_session_tick(c->s, c->now);		/* 4: a heartbeat */
	cp_expect(c, "0");
	assert_int_equal(td_order(c, "A3"), 5);
	cp_expect(c, "D");
	c->now += SEC;

	fix_out_begin(&f, NULL);
	fix_out_int(&f, FIX_T_BEGIN_SEQ_NO, 2);
	fix_out_int(&f, FIX_T_END_SEQ_NO, 0);
	cp_send(c, "2", &f);
	m = cp_expect(c, "D");
	assert_string_equal(val(m, FIX_T_MSG_SEQ_NUM), "2");
	assert_string_equal(val(m, 11), "A1");
	assert_string_equal(val(m, FIX_T_POSS_DUP), "Y");
	assert_string_equal(val(m, FIX_T_ORIG_SENDING_TIME), orig);
	assert_string_not_equal(val(m, FIX_T_SENDING_TIME), orig);
	m = cp_expect(c, "D");
	assert_string_equal(val(m, FIX_T_MSG_SEQ_NUM), "3");
	m = cp_expect(c, "4");
	assert_string_equal(val(m, FIX_T_MSG_SEQ_NUM), "4");
	assert_string_equal(val(m, FIX_T_GAP_FILL), "Y");
	assert_string_equal(val(m, FIX_T_NEW_SEQ_NO), "5");
	m = cp_expect(c, "D");
	assert_string_equal(val(m, 11), "A3");
	cp_nothing(c);
	assert_int_equal(fix_store_next_out(c->st), 6);
	assert_non_null(noted(c, FIX_SN_RESEND));
}

static void
test_fix_session_sequence_too_low_logs_out(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;

	cp_logon(c);
	cp_app(c, true);			/* 2 */
	c->next = 2;
	cp_app(c, true);			/* 2 again, no PossDup */
	m = cp_expect(c, "5");
	assert_non_null(strstr(val(m, FIX_T_TEXT), "MsgSeqNum too low, "
	    "expecting 3 but received 2"));
	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_int_equal(c->napp, 1);
}

static void
test_fix_session_wrong_comp_id(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	struct fix_out		 f;

	cp_logon(c);
	fix_out_begin(&c->out, "8");
	fix_out_str(&c->out, FIX_T_SENDER_COMP_ID, "SOMEONE");
	fix_out_str(&c->out, FIX_T_TARGET_COMP_ID, "TD");
	fix_out_int(&c->out, FIX_T_MSG_SEQ_NUM, 2);
	fix_out_time(&c->out, FIX_T_SENDING_TIME, c->now);
	fix_out_begin(&f, NULL);
	fix_out_str(&f, 11, "1");
	fix_out_append(&c->out, &f);
	assert_int_equal(fix_out_finish(&c->out, "FIX.4.4"), 0);
	fix_session_input(c->s, c->out.buf, c->out.len, c->now);
	m = cp_expect(c, "3");
	assert_string_equal(val(m, FIX_T_SESSION_REJECT_REASON), "9");
	assert_string_equal(val(m, FIX_T_REF_SEQ_NUM), "2");
	cp_expect(c, "5");
	assert_int_equal(fix_session_state(c->s), FIX_SS_DOWN);
	assert_int_equal(c->napp, 0);
}

/* Garbage is skipped; a framed message with a bad field is rejected. */
static void
test_fix_session_garbled_and_invalid(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	static const char	 junk[] = "8=FIX.4.4\0019=5\00135=0\00110=000\001";
	char			 bad[256], whole[320];
	int			 n, w, sum = 0;

	cp_logon(c);
	fix_session_input(c->s, junk, sizeof junk - 1, c->now);
	assert_non_null(noted(c, FIX_SN_GARBLED));
	cp_nothing(c);
	assert_int_equal(fix_store_next_in(c->st), 2);
	/* Message 2 with a tag that is not a number. */
	n = snprintf(bad, sizeof bad, "35=8\00149=CP\00156=TD\00134=2\001"
	    "52=20241204-08:00:00.000\001x1=3\001");
	w = snprintf(whole, sizeof whole, "8=FIX.4.4\0019=%d\001%s", n, bad);
	for (int i = 0; i < w; i++)
		sum += (unsigned char)whole[i];
	w += snprintf(whole + w, sizeof whole - w, "10=%03d\001", sum % 256);
	fix_session_input(c->s, whole, (size_t)w, c->now);
	m = cp_expect(c, "3");
	assert_string_equal(val(m, FIX_T_REF_SEQ_NUM), "2");
	assert_string_equal(val(m, FIX_T_SESSION_REJECT_REASON), "0");
	assert_int_equal(fix_store_next_in(c->st), 3);
	assert_int_equal(fix_session_state(c->s), FIX_SS_UP);
	c->next = 3;			/* 2 was used up: 3 is next */
	cp_app(c, true);
	assert_int_equal(c->napp, 1);
	assert_int_equal(c->app[0], 3);
}

static void
test_fix_session_sequence_reset(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	struct fix_out		 f;

	cp_logon(c);
	fix_out_begin(&f, NULL);
	fix_out_int(&f, FIX_T_NEW_SEQ_NO, 10);
	cp_build(c, "4", 99, false, &f);	/* reset: its number is moot */
	fix_session_input(c->s, c->out.buf, c->out.len, c->now);
	assert_int_equal(fix_store_next_in(c->st), 10);
	fix_out_begin(&f, NULL);
	fix_out_int(&f, FIX_T_NEW_SEQ_NO, 5);
	cp_build(c, "4", 10, false, &f);	/* backwards: refused */
	fix_session_input(c->s, c->out.buf, c->out.len, c->now);
	m = cp_expect(c, "3");
	assert_string_equal(val(m, FIX_T_SESSION_REJECT_REASON), "5");
	assert_int_equal(fix_store_next_in(c->st), 10);
}

/* A restart resumes both numbers from the store; a reset starts at 1. */
static void
test_fix_session_restart_resumes_sequence(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;

	cp_logon(c);
	td_order(c, "A1");
	cp_expect(c, "D");
	cp_app(c, true);
	cp_close(c);

	cp_open(c);
	assert_int_equal(fix_store_next_out(c->st), 3);
	assert_int_equal(fix_store_next_in(c->st), 3);
	cp_logon(c);
	assert_string_equal(val(&c->got, FIX_T_MSG_SEQ_NUM), "3");
	assert_int_equal(fix_store_next_in(c->st), 4);
	cp_close(c);

	c->cfg.reset_on_logon = true;
	cp_open(c);
	assert_int_equal(fix_session_start(c->s, c->now, NULL), 0);
	m = cp_expect(c, "A");
	assert_string_equal(val(m, FIX_T_MSG_SEQ_NUM), "1");
	assert_string_equal(val(m, FIX_T_RESET_SEQ_NUM), "Y");
}

static void
test_fix_session_logon_fields(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	struct fix_out		 extra;

	cp_close(c);
	fix_out_begin(&extra, NULL);
	fix_out_str(&extra, 8013, "Y");
	c->cfg.password = "s3cret";
	c->cfg.logon_fields = &extra;
	cp_open(c);
	assert_int_equal(fix_session_start(c->s, c->now, NULL), 0);
	m = cp_expect(c, "A");
	assert_string_equal(val(m, FIX_T_PASSWORD), "s3cret");
	assert_string_equal(val(m, 8013), "Y");
}

static void
test_fix_session_bad_config(void **state)
{
	struct cp		*c = *state;
	struct fix_session_cfg	 cfg = c->cfg;
	struct fix_session_cb	 cb = { .send = cb_send, .app = cb_app,
				    .note = cb_note };
	struct errmsg		 err;

	cfg.heartbeat = 0;
	assert_null(fix_session_create(&cfg, c->st, &cb, &err));
	assert_string_equal(err.msg, "fix session: heartbeat 0 s not in "
	    "1..3600");
	cfg = c->cfg;
	cfg.begin = "FIX.5.0";
	assert_null(fix_session_create(&cfg, c->st, &cb, &err));
	assert_non_null(strstr(err.msg, "FIX.4.4 or FIX.4.2"));
	cfg = c->cfg;
	cfg.sender = "";
	assert_null(fix_session_create(&cfg, c->st, &cb, &err));
	assert_string_equal(err.msg, "fix session: SenderCompID missing");
}

/*
 * Property: whatever the link loses and however the counterparty
 * duplicates, every application message it sent reaches the owner once,
 * in order, once the resends are answered.  Seeded; the seed is printed
 * on failure (TD_PROP_SEED replays one).
 */
static void
test_fix_session_property_exactly_once(void **state)
{
	struct cp	*c = *state;
	const char	*env = getenv("TD_PROP_SEED");
	uint64_t	 seed0 = env != NULL ? strtoull(env, NULL, 0) : 0x5e55;
	int		 runs = env != NULL ? 1 : 40;

	for (int r = 0; r < runs; r++) {
		uint64_t		 seed = seed0 + (uint64_t)r;
		struct rng		 g;
		const struct fix_msg	*m;
		int64_t			 apps[CP_MAX];
		int			 napps = 0;

		rng_seed(&g, seed);
		cp_close(c);
		unlink(c->path);
		for (int i = 0; i < CP_MAX; i++) {
			free(c->sent[i]);
			c->sent[i] = NULL;
		}
		c->next = 1;
		c->napp = 0;
		c->wread = c->wlen;
		cp_open(c);
		cp_logon(c);
		for (int k = 0; k < 300; k++) {
			uint64_t	 what = rng_below(&g, 10);
			bool		 lose = rng_below(&g, 6) == 0;
			int64_t		 seq;

			if (what < 6) {
				seq = cp_app(c, !lose);
				apps[napps++] = seq;
			} else if (what < 8)
				cp_make(c, "0", NULL, !lose);
			else if (c->next > 2) {
				/* An old one again, as a resend would. */
				seq = 1 + (int64_t)rng_below(&g,
				    (uint64_t)(c->next - 1));
				if (c->sent[seq] != NULL && seq > 1)
					cp_resend(c, seq, seq);
			}
			/* Answer whatever resend the session asked. */
			while ((m = cp_read(c)) != NULL) {
				if (strcmp(m->type, "2") == 0)
					cp_resend(c, strtoll(val(m,
					    FIX_T_BEGIN_SEQ_NO), NULL, 10), 0);
			}
			if (fix_session_state(c->s) != FIX_SS_UP)
				fail_msg("seed %#llx step %d: session %s: %s",
				    (unsigned long long)seed, k,
				    fix_session_state_name(fix_session_state(
				    c->s)), noted(c, FIX_SN_DOWN));
		}
		/* The last one lost is found by the next that comes. */
		cp_make(c, "0", NULL, true);
		while ((m = cp_read(c)) != NULL) {
			if (strcmp(m->type, "2") == 0)
				cp_resend(c, strtoll(val(m, FIX_T_BEGIN_SEQ_NO),
				    NULL, 10), 0);
		}
		if (c->napp != napps)
			fail_msg("seed %#llx: %d application messages sent, %d "
			    "handed up", (unsigned long long)seed, napps,
			    c->napp);
		for (int i = 0; i < napps; i++) {
			if (c->app[i] != apps[i])
				fail_msg("seed %#llx: message %d is seq %lld, "
				    "expected %lld", (unsigned long long)seed,
				    i, (long long)c->app[i],
				    (long long)apps[i]);
		}
		assert_false(fix_session_recovering(c->s));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_fix_session_logon_and_logout),
		T(test_fix_session_counterparty_logs_out),
		T(test_fix_session_logon_refused_or_unanswered),
		T(test_fix_session_heartbeat_and_test_request),
		T(test_fix_session_gap_is_filled_in_order),
		T(test_fix_session_resends_what_it_sent),
		T(test_fix_session_sequence_too_low_logs_out),
		T(test_fix_session_wrong_comp_id),
		T(test_fix_session_garbled_and_invalid),
		T(test_fix_session_sequence_reset),
		T(test_fix_session_restart_resumes_sequence),
		T(test_fix_session_logon_fields),
		T(test_fix_session_bad_config),
		T(test_fix_session_property_exactly_once),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
