/*
 * fix-session.c -- the session layer of a FIX initiator (see
 * fix-session.h).
 *
 * Owns the configuration's strings, the input buffer, one parsed message
 * and one being built, the timers of the heartbeat, test request, logon
 * and logout, and the queue of messages that came after a gap and wait
 * for the resend to fill it.  Sequence numbers live in the store: the
 * next one to send is taken from it and committed before the message is
 * written; the next one expected is committed after the message was
 * handled, so a crash in between asks for the message again rather than
 * losing it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fix-codec.h"
#include "fix-session.h"
#include "fix-store.h"

#define FS_SEC		1000000000LL
#define FS_QUEUE_MAX	1024		/* messages waiting behind a gap */
#define FS_IN_MAX	(4 * FIX_MSG_MAX)

struct fs_waiting {
	int64_t		 seq;
	char		*raw;
	size_t		 len;
};

struct fix_session {
	char		 begin[16];
	char		 sender[64];
	char		 target[64];
	char		 username[64];
	char		 password[128];
	bool		 has_user, has_password;
	int		 heartbeat;
	bool		 reset_on_logon;
	struct fix_out	 logon_fields;
	bool		 has_logon_fields;
	td_ns		 logon_timeout, logout_timeout;

	struct fix_store *st;
	struct fix_session_cb cb;

	enum fix_sess_state state;
	td_ns		 sent_at;	/* our last message */
	td_ns		 heard_at;	/* theirs, or the logon sent */
	td_ns		 spoke;		/* theirs, truly (0: never) */
	td_ns		 since;		/* logon or logout sent at */
	td_ns		 test_at;	/* TestRequest out since, 0: none */
	int		 tests;		/* TestReqIDs given */
	int64_t		 gap_to;	/* a resend is filling up to this */

	char		 in[FS_IN_MAX];
	size_t		 inlen;
	struct fs_waiting wait[FS_QUEUE_MAX];
	int		 nwait;

	struct fix_msg	 msg;		/* the message being handled */
	struct fix_msg	 old;		/* one being resent */
	struct fix_out	 out;
	struct fix_out	 fields;
};

const char *
fix_session_state_name(enum fix_sess_state st)
{
	static const char *const names[] = {
		[FIX_SS_DOWN] = "down",
		[FIX_SS_LOGON_SENT] = "logging on",
		[FIX_SS_UP] = "up",
		[FIX_SS_LOGOUT_SENT] = "logging out",
	};

	return (unsigned)st < sizeof names / sizeof names[0] ? names[st] :
	    "?";
}

static int
fs_copy(char *dst, size_t len, const char *src, const char *what,
    struct errmsg *err)
{
	if (src == NULL || src[0] == '\0')
		return errmsg_set(err, "fix session: %s missing", what);
	if (strlen(src) >= len)
		return errmsg_set(err, "fix session: %s '%s' too long", what,
		    src);
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

static int
fs_configure(struct fix_session *s, const struct fix_session_cfg *c,
    struct errmsg *err)
{
	if (fs_copy(s->begin, sizeof s->begin, c->begin, "BeginString",
	    err) == -1 ||
	    fs_copy(s->sender, sizeof s->sender, c->sender, "SenderCompID",
	    err) == -1 ||
	    fs_copy(s->target, sizeof s->target, c->target, "TargetCompID",
	    err) == -1)
		return -1;
	if (strcmp(s->begin, "FIX.4.4") != 0 &&
	    strcmp(s->begin, "FIX.4.2") != 0)
		return errmsg_set(err, "fix session: BeginString '%s': "
		    "FIX.4.4 or FIX.4.2", s->begin);
	if (c->heartbeat < 1 || c->heartbeat > 3600)
		return errmsg_set(err, "fix session: heartbeat %d s not in "
		    "1..3600", c->heartbeat);
	if ((s->has_user = c->username != NULL) && fs_copy(s->username,
	    sizeof s->username, c->username, "username", err) == -1)
		return -1;
	if ((s->has_password = c->password != NULL) && fs_copy(s->password,
	    sizeof s->password, c->password, "password", err) == -1)
		return -1;
	if ((s->has_logon_fields = c->logon_fields != NULL))
		s->logon_fields = *c->logon_fields;
	s->heartbeat = c->heartbeat;
	s->reset_on_logon = c->reset_on_logon;
	s->logon_timeout = c->logon_timeout > 0 ? c->logon_timeout :
	    10 * FS_SEC;
	s->logout_timeout = c->logout_timeout > 0 ? c->logout_timeout :
	    5 * FS_SEC;
	return 0;
}

struct fix_session *
fix_session_create(const struct fix_session_cfg *cfg, struct fix_store *st,
    const struct fix_session_cb *cb, struct errmsg *err)
{
	struct fix_session	*s;

	if ((s = calloc(1, sizeof *s)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	if (fs_configure(s, cfg, err) == -1) {
		free(s);
		return NULL;
	}
	s->st = st;
	s->cb = *cb;
	return s;
}

static void
fs_forget_waiting(struct fix_session *s)
{
	for (int i = 0; i < s->nwait; i++)
		free(s->wait[i].raw);
	s->nwait = 0;
}

void
fix_session_free(struct fix_session *s)
{
	if (s == NULL)
		return;
	fs_forget_waiting(s);
	free(s);
}

/* ------------------------------------------------------------ output */

static void
fs_down(struct fix_session *s, const char *why)
{
	if (s->state == FIX_SS_DOWN)
		return;
	s->state = FIX_SS_DOWN;
	s->inlen = 0;
	s->gap_to = 0;
	s->test_at = 0;
	fs_forget_waiting(s);
	s->cb.note(s->cb.arg, FIX_SN_DOWN, why);
}

static void
fs_header(struct fix_session *s, const char *type, int64_t seq, td_ns now)
{
	fix_out_begin(&s->out, type);
	fix_out_str(&s->out, FIX_T_SENDER_COMP_ID, s->sender);
	fix_out_str(&s->out, FIX_T_TARGET_COMP_ID, s->target);
	fix_out_int(&s->out, FIX_T_MSG_SEQ_NUM, seq);
	fix_out_time(&s->out, FIX_T_SENDING_TIME, now);
}

/* s->out, finished, to the link. */
static int
fs_transmit(struct fix_session *s, td_ns now, struct errmsg *err)
{
	if (fix_out_finish(&s->out, s->begin) == -1)
		return errmsg_set(err, "fix session: a message could not be "
		    "built");
	if (s->cb.wire != NULL)
		s->cb.wire(s->cb.arg, false, s->out.buf, s->out.len);
	if (s->cb.send(s->cb.arg, s->out.buf, s->out.len) == -1) {
		fs_down(s, "the link cannot take a message");
		return errmsg_set(err, "fix session: link down");
	}
	s->sent_at = now;
	return 0;
}

/* An admin message (fields may be NULL) with the next sequence number. */
static int
fs_admin(struct fix_session *s, const char *type, const struct fix_out *fields,
    td_ns now)
{
	struct errmsg	 err;
	int64_t		 seq = fix_store_next_out(s->st);

	fs_header(s, type, seq, now);
	if (fields != NULL)
		fix_out_append(&s->out, fields);
	if (fix_store_set_next_out(s->st, seq + 1, &err) == -1) {
		fs_down(s, err.msg);
		return -1;
	}
	if (fs_transmit(s, now, &err) == -1)
		return -1;
	return 0;
}

int
fix_session_send(struct fix_session *s, const char *type,
    const struct fix_out *fields, td_ns now, struct errmsg *err)
{
	int64_t	 seq = fix_store_next_out(s->st);

	if (s->state != FIX_SS_UP)
		return errmsg_set(err, "fix session %s: not logged on (%s)",
		    s->target, fix_session_state_name(s->state));
	fs_header(s, type, seq, now);
	fix_out_append(&s->out, fields);
	if (fix_out_finish(&s->out, s->begin) == -1)
		return errmsg_set(err, "fix session: message %s could not be "
		    "built", type);
	if (fix_store_put(s->st, seq, s->out.buf, s->out.len, err) == -1) {
		fs_down(s, err->msg);
		return -1;
	}
	if (s->cb.wire != NULL)
		s->cb.wire(s->cb.arg, false, s->out.buf, s->out.len);
	if (s->cb.send(s->cb.arg, s->out.buf, s->out.len) == -1) {
		/* On record: the resend after the reconnect sends it. */
		fs_down(s, "the link cannot take a message");
		return 0;
	}
	s->sent_at = now;
	return 0;
}

static void
fs_reject(struct fix_session *s, const struct fix_msg *m, int reason, int tag,
    const char *text, td_ns now)
{
	fix_out_begin(&s->fields, NULL);
	fix_out_int(&s->fields, FIX_T_REF_SEQ_NUM, m->seq);
	if (tag > 0)
		fix_out_int(&s->fields, FIX_T_REF_TAG_ID, tag);
	if (m->type != NULL)
		fix_out_str(&s->fields, FIX_T_REF_MSG_TYPE, m->type);
	fix_out_int(&s->fields, FIX_T_SESSION_REJECT_REASON, reason);
	fix_out_str(&s->fields, FIX_T_TEXT, text);
	s->cb.note(s->cb.arg, FIX_SN_REJECT, text);
	fs_admin(s, "3", &s->fields, now);
}

static void
fs_logout(struct fix_session *s, const char *text, td_ns now)
{
	fix_out_begin(&s->fields, NULL);
	if (text != NULL)
		fix_out_str(&s->fields, FIX_T_TEXT, text);
	if (fs_admin(s, "5", &s->fields, now) == 0) {
		s->state = FIX_SS_LOGOUT_SENT;
		s->since = now;
	}
}

/* A fault the standard answers with Logout and a disconnect. */
static void
fs_fatal(struct fix_session *s, const char *text, td_ns now)
{
	fs_logout(s, text, now);
	fs_down(s, text);
}

/* ------------------------------------------------------------ logon */

int
fix_session_start(struct fix_session *s, td_ns now, struct errmsg *err)
{
	if (s->reset_on_logon && fix_store_reset(s->st, err) == -1)
		return -1;
	s->state = FIX_SS_LOGON_SENT;
	s->since = s->heard_at = now;
	s->test_at = 0;
	s->gap_to = 0;
	s->inlen = 0;
	fix_out_begin(&s->fields, NULL);
	fix_out_int(&s->fields, FIX_T_ENCRYPT_METHOD, 0);
	fix_out_int(&s->fields, FIX_T_HEART_BT_INT, s->heartbeat);
	if (s->reset_on_logon)
		fix_out_str(&s->fields, FIX_T_RESET_SEQ_NUM, "Y");
	if (s->has_user)
		fix_out_str(&s->fields, 553, s->username);
	if (s->has_password)
		fix_out_str(&s->fields, FIX_T_PASSWORD, s->password);
	if (s->has_logon_fields)
		fix_out_append(&s->fields, &s->logon_fields);
	if (fs_admin(s, "A", &s->fields, now) == -1)
		return errmsg_set(err, "fix session %s: logon not sent",
		    s->target);
	return 0;
}

void
fix_session_logout(struct fix_session *s, const char *text, td_ns now)
{
	if (s->state == FIX_SS_UP || s->state == FIX_SS_LOGON_SENT)
		fs_logout(s, text, now);
}

void
fix_session_lost(struct fix_session *s)
{
	s->state = FIX_SS_DOWN;
	s->inlen = 0;
	s->gap_to = 0;
	s->test_at = 0;
	fs_forget_waiting(s);
}

/* ------------------------------------------------------------ resend */

struct fs_resend {
	struct fix_session *s;
	int64_t		 next;		/* the first seq not yet resent */
	td_ns		 now;
	int		 sent;
};

static int
fs_gap_fill(struct fix_session *s, int64_t from, int64_t to, td_ns now)
{
	struct errmsg	 err;

	fs_header(s, "4", from, now);
	fix_out_str(&s->out, FIX_T_POSS_DUP, "Y");
	fix_out_str(&s->out, FIX_T_GAP_FILL, "Y");
	fix_out_int(&s->out, FIX_T_NEW_SEQ_NO, to);
	return fs_transmit(s, now, &err);
}

static bool
fs_header_tag(int tag)
{
	switch (tag) {
	case FIX_T_BEGIN_STRING: case FIX_T_BODY_LENGTH:
	case FIX_T_MSG_TYPE: case FIX_T_SENDER_COMP_ID:
	case FIX_T_TARGET_COMP_ID: case FIX_T_MSG_SEQ_NUM:
	case FIX_T_SENDING_TIME: case FIX_T_POSS_DUP:
	case FIX_T_POSS_RESEND: case FIX_T_ORIG_SENDING_TIME:
	case FIX_T_CHECKSUM:
		return true;
	default:
		return false;
	}
}

/* One stored message again: same number, PossDupFlag, first time kept. */
static int
fs_resend_one(void *arg, int64_t seq, const char *raw, size_t len)
{
	struct fs_resend	*r = arg;
	struct fix_session	*s = r->s;
	struct fix_error	 ferr;
	struct errmsg		 err;
	const char		*orig;
	size_t			 used;

	if (seq > r->next && fs_gap_fill(s, r->next, seq, r->now) == -1)
		return 1;
	r->next = seq + 1;
	if (fix_parse(raw, len, &s->old, &used, &ferr) != FIX_OK)
		return fs_gap_fill(s, seq, seq + 1, r->now) == -1;
	fs_header(s, s->old.type, seq, r->now);
	fix_out_str(&s->out, FIX_T_POSS_DUP, "Y");
	if ((orig = fix_get(&s->old, FIX_T_SENDING_TIME)) != NULL)
		fix_out_str(&s->out, FIX_T_ORIG_SENDING_TIME, orig);
	for (int i = 0; i < s->old.n; i++) {
		if (!fs_header_tag(s->old.f[i].tag))
			fix_out_str(&s->out, s->old.f[i].tag,
			    s->old.f[i].value);
	}
	if (fs_transmit(s, r->now, &err) == -1)
		return 1;
	r->sent++;
	return 0;
}

static void
fs_on_resend_request(struct fix_session *s, const struct fix_msg *m,
    td_ns now)
{
	struct fs_resend	 r = { .s = s, .now = now };
	struct errmsg		 err;
	int64_t			 from, to, last = fix_store_next_out(s->st) - 1;
	bool			 p1, p2;
	char			 text[128];

	if (fix_get_int(m, FIX_T_BEGIN_SEQ_NO, &from, &p1) == -1 ||
	    fix_get_int(m, FIX_T_END_SEQ_NO, &to, &p2) == -1 || from < 1 ||
	    to < 0) {
		fs_reject(s, m, p1 && p2 ? FIX_RJ_BAD_VALUE :
		    FIX_RJ_REQUIRED_MISSING, p1 ? FIX_T_END_SEQ_NO :
		    FIX_T_BEGIN_SEQ_NO, "ResendRequest needs BeginSeqNo and "
		    "EndSeqNo", now);
		return;
	}
	/* 0, or 999999 in the older versions, means "to the last". */
	if (to == 0 || to == 999999 || to > last)
		to = last;
	r.next = from;
	if (from <= to && fix_store_get(s->st, from, to, fs_resend_one, &r,
	    &err) == -1) {
		fs_down(s, err.msg);
		return;
	}
	if (s->state != FIX_SS_DOWN && r.next <= to)
		fs_gap_fill(s, r.next, to + 1, now);
	snprintf(text, sizeof text, "resend %lld..%lld asked: %d resent, "
	    "the rest gap-filled", (long long)from, (long long)to, r.sent);
	s->cb.note(s->cb.arg, FIX_SN_RESEND, text);
}

/* ------------------------------------------------------------ input */

static void
fs_expect(struct fix_session *s, int64_t next)
{
	struct errmsg	 err;

	if (fix_store_set_next_in(s->st, next, &err) == -1)
		fs_down(s, err.msg);
}

static void
fs_ask_resend(struct fix_session *s, int64_t upto, td_ns now)
{
	char	 text[128];

	if (s->gap_to != 0) {
		if (upto > s->gap_to)
			s->gap_to = upto;
		return;
	}
	s->gap_to = upto;
	fix_out_begin(&s->fields, NULL);
	fix_out_int(&s->fields, FIX_T_BEGIN_SEQ_NO, fix_store_next_in(s->st));
	fix_out_int(&s->fields, FIX_T_END_SEQ_NO, 0);
	snprintf(text, sizeof text, "expected %lld, received %lld: resend "
	    "asked", (long long)fix_store_next_in(s->st), (long long)upto);
	s->cb.note(s->cb.arg, FIX_SN_GAP, text);
	fs_admin(s, "2", &s->fields, now);
}

/* Keep a message that came after a gap until the gap is filled. */
static void
fs_wait(struct fix_session *s, const struct fix_msg *m)
{
	char	*copy;
	int	 i;

	for (i = 0; i < s->nwait && s->wait[i].seq < m->seq; i++)
		;
	if ((i < s->nwait && s->wait[i].seq == m->seq) ||
	    s->nwait == FS_QUEUE_MAX || (copy = malloc(m->rawlen)) == NULL)
		return;		/* the resend brings it (again) */
	memcpy(copy, m->raw, m->rawlen);
	memmove(&s->wait[i + 1], &s->wait[i],
	    (size_t)(s->nwait - i) * sizeof s->wait[0]);
	s->wait[i] = (struct fs_waiting){ m->seq, copy, m->rawlen };
	s->nwait++;
}

static bool
fs_flag(const struct fix_msg *m, int tag)
{
	const char	*v = fix_get(m, tag);

	return v != NULL && strcmp(v, "Y") == 0;
}

static void
fs_recovered(struct fix_session *s)
{
	if (s->gap_to != 0 && fix_store_next_in(s->st) > s->gap_to)
		s->gap_to = 0;
}

/* SequenceReset: a gap fill in its place, or a reset at any time. */
static void
fs_on_sequence_reset(struct fix_session *s, const struct fix_msg *m, bool gap,
    td_ns now)
{
	int64_t	 to, expect = fix_store_next_in(s->st);
	bool	 present;
	char	 text[128];

	if (fix_get_int(m, FIX_T_NEW_SEQ_NO, &to, &present) == -1) {
		fs_reject(s, m, present ? FIX_RJ_BAD_FORMAT :
		    FIX_RJ_REQUIRED_MISSING, FIX_T_NEW_SEQ_NO,
		    "SequenceReset needs NewSeqNo", now);
		if (gap)
			fs_expect(s, m->seq + 1);
		return;
	}
	if (to < expect || (gap && to <= m->seq)) {
		snprintf(text, sizeof text, "NewSeqNo %lld would go back from "
		    "%lld", (long long)to, (long long)expect);
		fs_reject(s, m, FIX_RJ_BAD_VALUE, FIX_T_NEW_SEQ_NO, text, now);
		if (gap)
			fs_expect(s, m->seq + 1);
		return;
	}
	fs_expect(s, to);
}

static void
fs_on_reject(struct fix_session *s, const struct fix_msg *m)
{
	const char	*text = fix_get(m, FIX_T_TEXT);
	const char	*rtype = fix_get(m, FIX_T_REF_MSG_TYPE);
	const char	*rtag = fix_get(m, FIX_T_REF_TAG_ID);
	const char	*reason = fix_get(m, FIX_T_SESSION_REJECT_REASON);
	const char	*ref = fix_get(m, FIX_T_REF_SEQ_NUM);
	char		 line[256];

	snprintf(line, sizeof line, "message %s%s%s rejected%s%s%s%s: %s",
	    ref != NULL ? ref : "?", rtype != NULL ? " type " : "",
	    rtype != NULL ? rtype : "", rtag != NULL ? ", tag " : "",
	    rtag != NULL ? rtag : "", reason != NULL ? ", reason " : "",
	    reason != NULL ? reason : "", text != NULL ? text : "no text");
	s->cb.note(s->cb.arg, FIX_SN_REJECTED, line);
}

static void
fs_on_logout(struct fix_session *s, const struct fix_msg *m, td_ns now)
{
	const char	*text = fix_get(m, FIX_T_TEXT);
	char		 why[256];

	if (s->state == FIX_SS_LOGOUT_SENT) {
		fs_down(s, text != NULL ? text : "logged out");
		return;
	}
	if (s->state == FIX_SS_LOGON_SENT) {
		snprintf(why, sizeof why, "logon refused: %s",
		    text != NULL ? text : "no reason given");
		fs_down(s, why);
		return;
	}
	snprintf(why, sizeof why, "the counterparty logged out: %s",
	    text != NULL ? text : "no reason given");
	fs_logout(s, NULL, now);
	fs_down(s, why);
}

static void
fs_on_logon(struct fix_session *s, const struct fix_msg *m, td_ns now)
{
	char	 text[192];

	if (s->state != FIX_SS_LOGON_SENT) {
		fs_reject(s, m, FIX_RJ_OTHER, 0, "Logon while logged on", now);
		return;
	}
	s->state = FIX_SS_UP;
	snprintf(text, sizeof text, "logged on to %s as %s, heartbeat %d s",
	    s->target, s->sender, s->heartbeat);
	s->cb.note(s->cb.arg, FIX_SN_UP, text);
}

static void
fs_on_test_request(struct fix_session *s, const struct fix_msg *m, td_ns now)
{
	const char	*id = fix_get(m, FIX_T_TEST_REQ_ID);

	if (id == NULL) {
		fs_reject(s, m, FIX_RJ_REQUIRED_MISSING, FIX_T_TEST_REQ_ID,
		    "TestRequest needs TestReqID", now);
		return;
	}
	fix_out_begin(&s->fields, NULL);
	fix_out_str(&s->fields, FIX_T_TEST_REQ_ID, id);
	fs_admin(s, "0", &s->fields, now);
}

/* A message in its place in the sequence. */
static void
fs_process(struct fix_session *s, const struct fix_msg *m, bool possdup,
    td_ns now)
{
	const char	*t = m->type;

	if (strcmp(t, "4") == 0) {
		fs_on_sequence_reset(s, m, true, now);
		return;
	}
	if (strcmp(t, "A") == 0)
		fs_on_logon(s, m, now);
	else if (strcmp(t, "0") == 0)
		;
	else if (strcmp(t, "1") == 0)
		fs_on_test_request(s, m, now);
	else if (strcmp(t, "2") == 0)
		fs_on_resend_request(s, m, now);
	else if (strcmp(t, "3") == 0) {
		fs_on_reject(s, m);
		if (s->state == FIX_SS_UP)
			s->cb.app(s->cb.arg, m, possdup);
	}
	else if (strcmp(t, "5") == 0) {
		fs_on_logout(s, m, now);
		fs_expect(s, m->seq + 1);
		return;
	} else if (s->state == FIX_SS_UP)
		s->cb.app(s->cb.arg, m, possdup);
	if (s->state != FIX_SS_DOWN)
		fs_expect(s, m->seq + 1);
}

/* The header names us and them, and numbers the message. */
static int
fs_check_header(struct fix_session *s, const struct fix_msg *m, td_ns now)
{
	const char	*from = fix_get(m, FIX_T_SENDER_COMP_ID);
	const char	*to = fix_get(m, FIX_T_TARGET_COMP_ID);
	char		 text[192];

	if (m->seq < 1) {
		fs_fatal(s, "MsgSeqNum missing or not a number", now);
		return -1;
	}
	if (from == NULL || to == NULL || strcmp(from, s->target) != 0 ||
	    strcmp(to, s->sender) != 0) {
		snprintf(text, sizeof text, "CompID problem: from '%s' to '%s', "
		    "expected from '%s' to '%s'", from != NULL ? from : "",
		    to != NULL ? to : "", s->target, s->sender);
		fs_reject(s, m, 9, from == NULL ? FIX_T_SENDER_COMP_ID :
		    FIX_T_TARGET_COMP_ID, text, now);
		fs_fatal(s, text, now);
		return -1;
	}
	if (s->state == FIX_SS_LOGON_SENT && strcmp(m->type, "A") != 0 &&
	    strcmp(m->type, "5") != 0) {
		snprintf(text, sizeof text, "first message is type %s, not a "
		    "Logon", m->type);
		fs_fatal(s, text, now);
		return -1;
	}
	return 0;
}

/* A message numbered past the one expected. */
static void
fs_ahead(struct fix_session *s, const struct fix_msg *m, td_ns now)
{
	if (strcmp(m->type, "A") == 0)
		fs_on_logon(s, m, now);
	else if (strcmp(m->type, "5") == 0) {
		fs_on_logout(s, m, now);
		return;
	} else if (strcmp(m->type, "2") == 0)
		fs_on_resend_request(s, m, now);
	else
		fs_wait(s, m);
	if (s->state != FIX_SS_DOWN)
		fs_ask_resend(s, m->seq, now);
}

static void
fs_handle(struct fix_session *s, td_ns now)
{
	const struct fix_msg	*m = &s->msg;
	int64_t			 expect = fix_store_next_in(s->st);
	bool			 possdup = fs_flag(m, FIX_T_POSS_DUP);
	char			 text[128];

	if (fs_check_header(s, m, now) == -1)
		return;
	if (strcmp(m->type, "4") == 0 && !fs_flag(m, FIX_T_GAP_FILL)) {
		fs_on_sequence_reset(s, m, false, now);
		return;
	}
	/* A Logon that resets (asked for, or not) starts again from it. */
	if (strcmp(m->type, "A") == 0 && fs_flag(m, FIX_T_RESET_SEQ_NUM))
		expect = m->seq;
	if (m->seq < expect) {
		if (possdup)
			return;		/* had it already */
		snprintf(text, sizeof text, "MsgSeqNum too low, expecting "
		    "%lld but received %lld", (long long)expect,
		    (long long)m->seq);
		fs_fatal(s, text, now);
		return;
	}
	if (m->seq > expect)
		fs_ahead(s, m, now);
	else
		fs_process(s, m, possdup, now);
	fs_recovered(s);
}

/* The messages that waited behind a gap, now in their place. */
static void
fs_drain(struct fix_session *s, td_ns now)
{
	struct fix_error	 err;
	size_t			 used;

	while (s->nwait > 0 && s->state != FIX_SS_DOWN &&
	    s->wait[0].seq <= fix_store_next_in(s->st)) {
		struct fs_waiting	 w = s->wait[0];

		memmove(&s->wait[0], &s->wait[1],
		    (size_t)--s->nwait * sizeof s->wait[0]);
		if (w.seq == fix_store_next_in(s->st) &&
		    fix_parse(w.raw, w.len, &s->msg, &used, &err) == FIX_OK)
			fs_handle(s, now);
		free(w.raw);
	}
}

/* One message read whole: garbled, invalid or good. */
static void
fs_one(struct fix_session *s, enum fix_parse_rc rc, const struct fix_error *e,
    td_ns now)
{
	const struct fix_msg	*m = &s->msg;

	if (rc == FIX_GARBLED || (rc == FIX_INVALID && m->seq < 1)) {
		s->cb.note(s->cb.arg, FIX_SN_GARBLED, e->text);
		return;
	}
	if (s->cb.wire != NULL)
		s->cb.wire(s->cb.arg, true, m->raw, m->rawlen);
	s->heard_at = s->spoke = now;
	s->test_at = 0;
	if (rc == FIX_INVALID) {
		/* Its number is used up, unless it is ahead of a gap. */
		fs_reject(s, m, e->reason, e->tag, e->text, now);
		if (m->seq == fix_store_next_in(s->st))
			fs_expect(s, m->seq + 1);
		return;
	}
	fs_handle(s, now);
	fs_drain(s, now);
}

void
fix_session_input(struct fix_session *s, const char *buf, size_t len,
    td_ns now)
{
	struct fix_error	 err;
	enum fix_parse_rc	 rc;
	size_t			 used, off = 0;

	while (len > 0 && s->state != FIX_SS_DOWN) {
		size_t	 n = sizeof s->in - s->inlen;

		if (n > len)
			n = len;
		memcpy(s->in + s->inlen, buf, n);
		s->inlen += n;
		buf += n;
		len -= n;
		off = 0;
		while (s->state != FIX_SS_DOWN && off < s->inlen &&
		    (rc = fix_parse(s->in + off, s->inlen - off, &s->msg, &used,
		    &err)) != FIX_NEED_MORE) {
			off += used;
			fs_one(s, rc, &err, now);
		}
		if (s->state == FIX_SS_DOWN)
			return;
		memmove(s->in, s->in + off, s->inlen - off);
		s->inlen -= off;
	}
}

/* ------------------------------------------------------------ timers */

void
fix_session_tick(struct fix_session *s, td_ns now)
{
	td_ns	 hb = (td_ns)s->heartbeat * FS_SEC;
	char	 text[192];

	switch (s->state) {
	case FIX_SS_DOWN:
		return;
	case FIX_SS_LOGON_SENT:
		if (now - s->since >= s->logon_timeout)
			fs_down(s, "no answer to the logon");
		return;
	case FIX_SS_LOGOUT_SENT:
		if (now - s->since >= s->logout_timeout)
			fs_down(s, "no answer to the logout");
		return;
	case FIX_SS_UP:
		break;
	}
	if (s->test_at != 0 && now - s->test_at >= hb) {
		snprintf(text, sizeof text, "heartbeat timeout: nothing from "
		    "%s for %lld s", s->target,
		    (long long)((now - s->heard_at) / FS_SEC));
		fs_down(s, text);
		return;
	}
	if (s->test_at == 0 && now - s->heard_at >= hb + hb / 5) {
		fix_out_begin(&s->fields, NULL);
		snprintf(text, sizeof text, "TEST-%d", ++s->tests);
		fix_out_str(&s->fields, FIX_T_TEST_REQ_ID, text);
		s->test_at = now;
		s->cb.note(s->cb.arg, FIX_SN_TEST, text);
		if (fs_admin(s, "1", &s->fields, now) == -1)
			return;
	}
	if (now - s->sent_at >= hb)
		fs_admin(s, "0", NULL, now);
}

td_ns
fix_session_next(const struct fix_session *s)
{
	td_ns	 hb = (td_ns)s->heartbeat * FS_SEC, t;

	switch (s->state) {
	case FIX_SS_DOWN:
		return INT64_MAX;
	case FIX_SS_LOGON_SENT:
		return s->since + s->logon_timeout;
	case FIX_SS_LOGOUT_SENT:
		return s->since + s->logout_timeout;
	case FIX_SS_UP:
		break;
	}
	t = s->sent_at + hb;
	if (s->test_at != 0 && s->test_at + hb < t)
		t = s->test_at + hb;
	if (s->test_at == 0 && s->heard_at + hb + hb / 5 < t)
		t = s->heard_at + hb + hb / 5;
	return t;
}

enum fix_sess_state
fix_session_state(const struct fix_session *s)
{
	return s->state;
}

td_ns
fix_session_heard(const struct fix_session *s)
{
	return s->spoke;
}

bool
fix_session_recovering(const struct fix_session *s)
{
	return s->gap_to != 0;
}
