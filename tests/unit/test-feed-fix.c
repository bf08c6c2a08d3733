/*
 * test-feed-fix.c -- market data over FIX (core/feed-fix.h) against a
 * counterparty the test plays itself over a real TCP connection on
 * 127.0.0.1: it listens, accepts the feed, parses every byte the feed
 * writes with the codec and answers with messages it builds.  The feed's
 * clock is the test's, so a reconnect's backoff or a heartbeat is a step
 * of that clock, never a wait.
 *
 * Everything runs on the test's thread: a turn polls the feed's
 * descriptor and the counterparty's sockets, then lets the feed run and
 * keeps what it handed out (ticks, messages of bad data, notices).
 * Waits carry a generous bound only to turn a hang into a failure.
 *
 * One test runs the feed against the QuickFIX counterparty
 * (tests/fix/fixcp) instead, on the wall clock; it is skipped when that
 * was not built.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "feed-fix.h"
#include "feed.h"
#include "fix-codec.h"
#include "fixcp-ctl.h"
#include "instrument.h"

#define SEC		TD_NS_PER_SEC
#define MS		1000000LL
/* 2024-12-04 08:13:20 UTC, the feed's clock at the start. */
#define T0		(1733300000LL * SEC)
#define DAY0		(T0 - T0 % TD_NS_PER_DAY)	/* its midnight */
#define WAIT_MS		20000	/* turns a hang into a failure */
#define KEEP		256

struct cp {
	/* The counterparty. */
	int		 lfd;
	int		 port;
	int		 c;		/* the feed's connection, -1: none */
	char		 in[1 << 16];
	size_t		 inlen;
	struct fix_msg	 got;
	int64_t		 next;		/* its next MsgSeqNum */
	struct fix_out	 out;
	int		 conns;

	/* The feed and what it handed out. */
	struct feed	*f;
	struct feed_fix_cfg cfg;
	struct instrument inst[2];
	td_ns		 now;
	char		 log[64];	/* message log */
	char		 db[64];	/* a store on disk, "" when unused */
	struct td_md	 md[KEEP];
	int		 nmd;
	char		 err[KEEP][ERRMSG_MAX];
	int		 nerr;
	char		 note[KEEP][256];
	int		 nnote;
};

static td_ns
cp_clock(void *arg)
{
	return ((struct cp *)arg)->now;
}

static int64_t
wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
inst_make(struct instrument *in, const char *sym, td_px tick, td_cents pv)
{
	memset(in, 0, sizeof *in);
	snprintf(in->symbol, sizeof in->symbol, "%s", sym);
	in->tick_size = tick;
	in->point_value = pv;
	assert_int_equal(instrument_init(in, NULL), 0);
}

static int
setup(void **state)
{
	struct cp		*c = calloc(1, sizeof *c);
	struct sockaddr_in	 sa = { .sin_family = AF_INET };
	socklen_t		 len = sizeof sa;
	int			 fd;

	assert_non_null(c);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(c->lfd = socket(AF_INET, SOCK_STREAM, 0), -1);
	assert_int_equal(bind(c->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(c->lfd, 4), 0);
	assert_int_equal(getsockname(c->lfd, (struct sockaddr *)&sa, &len), 0);
	c->port = ntohs(sa.sin_port);
	c->c = -1;
	c->next = 1;
	c->now = T0;
	inst_make(&c->inst[0], "ES", 250000000, 5000);	/* 0.25, $50 */
	inst_make(&c->inst[1], "NQ", 250000000, 2000);	/* 0.25, $20 */
	snprintf(c->log, sizeof c->log, "/tmp/td-feedfix-log-XXXXXX");
	assert_int_not_equal(fd = mkstemp(c->log), -1);
	close(fd);

	feed_fix_defaults(&c->cfg);
	snprintf(c->cfg.host, sizeof c->cfg.host, "127.0.0.1");
	c->cfg.port = c->port;
	snprintf(c->cfg.sender, sizeof c->cfg.sender, "TDMD");
	snprintf(c->cfg.target, sizeof c->cfg.target, "CPMD");
	snprintf(c->cfg.username, sizeof c->cfg.username, "trader");
	snprintf(c->cfg.password, sizeof c->cfg.password, "s3cret");
	snprintf(c->cfg.msglog, sizeof c->cfg.msglog, "%s", c->log);
	c->cfg.backoff_min = 100 * MS;
	c->cfg.backoff_max = 400 * MS;
	c->cfg.clock = cp_clock;
	c->cfg.clock_arg = c;
	*state = c;
	return 0;
}

static void
db_unlink(const char *path)
{
	char	 side[96];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

static int
teardown(void **state)
{
	struct cp	*c = *state;

	feed_free(c->f);
	if (c->c != -1)
		close(c->c);
	close(c->lfd);
	unlink(c->log);
	if (c->db[0] != '\0')
		db_unlink(c->db);
	free(c);
	return 0;
}

static void
feed_open(struct cp *c)
{
	struct errmsg	 err;

	if ((c->f = feed_fix_create(&c->cfg, c->inst, 2, &err)) == NULL)
		fail_msg("%s", err.msg);
}

/* ------------------------------------------------------------ turns */

/* Let the feed run: keep every tick, error and notice it gives. */
static void
pump(struct cp *c)
{
	struct td_md	 md;
	struct errmsg	 err;
	int		 rc, level;

	if (c->f == NULL)
		return;
	while ((rc = feed_next(c->f, &md, &err)) != FEED_AGAIN) {
		if (rc == 1) {
			assert_true(c->nmd < KEEP);
			c->md[c->nmd++] = md;
		} else {
			assert_int_equal(rc, -1);
			assert_true(c->nerr < KEEP);
			snprintf(c->err[c->nerr++], sizeof c->err[0], "%s",
			    err.msg);
		}
	}
	while (c->nnote < KEEP && feed_notice(c->f, &level, c->note[c->nnote],
	    sizeof c->note[0]) == 1)
		c->nnote++;
}

/*
 * One turn: wait (at most 100 ms) for the feed's descriptor, the
 * connection or a new connection, take what the connection brought,
 * let the feed run.
 */
static void
turn(struct cp *c)
{
	struct pollfd	 p[3] = {
		{ .fd = c->f != NULL ? feed_fd(c->f) : -1, .events = POLLIN },
		{ .fd = c->lfd, .events = POLLIN },
		{ .fd = c->c, .events = POLLIN },
	};
	ssize_t		 n;

	assert_true(poll(p, 3, 100) >= 0 || errno == EINTR);
	if (c->c == -1 && (p[1].revents & POLLIN)) {
		assert_int_not_equal(c->c = accept(c->lfd, NULL, NULL), -1);
		c->conns++;
		c->inlen = 0;
	} else if (c->c != -1 && (p[2].revents & (POLLIN | POLLHUP))) {
		n = read(c->c, c->in + c->inlen, sizeof c->in - c->inlen);
		if (n > 0)
			c->inlen += (size_t)n;
		else if (n == 0) {
			close(c->c);
			c->c = -1;
		}
	}
	pump(c);
}

#define UNTIL(c, cond) do {						\
	int64_t	 until_ = wall_ms() + WAIT_MS;				\
									\
	while (!(cond)) {						\
		if (wall_ms() > until_)					\
			fail_msg("waited %d ms for: %s", WAIT_MS, #cond); \
		turn(c);						\
	}								\
} while (0)

/* The next message the feed wrote, once it is whole. */
static const struct fix_msg *
cp_recv(struct cp *c)
{
	struct fix_error	 fe;
	size_t			 used;
	enum fix_parse_rc	 rc;
	int64_t			 until = wall_ms() + WAIT_MS;

	for (;;) {
		rc = fix_parse(c->in, c->inlen, &c->got, &used, &fe);
		if (rc == FIX_OK) {
			memmove(c->in, c->in + used, c->inlen - used);
			c->inlen -= used;
			return &c->got;
		}
		if (rc != FIX_NEED_MORE)
			fail_msg("the feed wrote a bad message: %s", fe.text);
		if (c->c == -1)
			fail_msg("the feed's connection closed");
		if (wall_ms() > until)
			fail_msg("waited %d ms for a message", WAIT_MS);
		turn(c);
	}
}

static const char *
val(const struct fix_msg *m, int tag)
{
	const char	*v = fix_get(m, tag);

	return v != NULL ? v : "(none)";
}

static const struct fix_msg *
cp_expect(struct cp *c, const char *type)
{
	const struct fix_msg	*m = cp_recv(c);

	if (strcmp(m->type, type) != 0)
		fail_msg("expected type %s, got %s (seq %lld)", type, m->type,
		    (long long)m->seq);
	assert_string_equal(val(m, FIX_T_SENDER_COMP_ID), "TDMD");
	assert_string_equal(val(m, FIX_T_TARGET_COMP_ID), "CPMD");
	return m;
}

/*
 * The counterparty's message: header, then fields (a list or NULL), in
 * the FIX version the feed speaks.
 */
static void
cp_send_as(struct cp *c, const char *type, const struct fix_out *fields,
    bool possdup, td_ns orig)
{
	size_t	 off = 0;
	ssize_t	 n;

	fix_out_begin(&c->out, type);
	fix_out_str(&c->out, FIX_T_SENDER_COMP_ID, "CPMD");
	fix_out_str(&c->out, FIX_T_TARGET_COMP_ID, "TDMD");
	fix_out_int(&c->out, FIX_T_MSG_SEQ_NUM, c->next++);
	fix_out_time(&c->out, FIX_T_SENDING_TIME, c->now);
	if (possdup) {
		fix_out_str(&c->out, FIX_T_POSS_DUP, "Y");
		fix_out_time(&c->out, FIX_T_ORIG_SENDING_TIME, orig);
	}
	if (fields != NULL)
		fix_out_append(&c->out, fields);
	assert_int_equal(fix_out_finish(&c->out, c->cfg.begin), 0);
	assert_int_not_equal(c->c, -1);
	while (off < c->out.len) {
		n = write(c->c, c->out.buf + off, c->out.len - off);
		assert_true(n > 0);
		off += (size_t)n;
	}
}

static void
cp_send(struct cp *c, const char *type, const struct fix_out *fields)
{
	cp_send_as(c, type, fields, false, 0);
}

/* The feed's Logon, answered; returns its MsgSeqNum. */
static int64_t
cp_logon(struct cp *c)
{
	const struct fix_msg	*m;
	struct fix_out		 f;
	int64_t			 seq;

	UNTIL(c, c->c != -1);
	m = cp_expect(c, "A");
	seq = m->seq;
	assert_string_equal(val(m, FIX_T_ENCRYPT_METHOD), "0");
	assert_string_equal(val(m, FIX_T_HEART_BT_INT), "30");
	assert_string_equal(val(m, 553), "trader");
	assert_string_equal(val(m, FIX_T_PASSWORD), "s3cret");
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_ENCRYPT_METHOD, "0");
	fix_out_int(&f, FIX_T_HEART_BT_INT, 30);
	cp_send(c, "A", &f);
	return seq;
}

/* The MarketDataRequest for sym, checked field by field; its MDReqID. */
static void
cp_expect_request(struct cp *c, const char *sym, char *reqid, size_t len)
{
	static const int order[] = { 262, 263, 264, 265, 267, 269, 269, 269,
	    146, 55 };
	static const char *const want[] = { NULL, "1", "1", "1", "3", "0",
	    "1", "2", "1", NULL };
	const struct fix_msg	*m = cp_expect(c, "V");
	int			 at = -1;

	for (int i = 0; i < m->n; i++) {
		if (m->f[i].tag == 262) {
			at = i;
			break;
		}
	}
	assert_int_not_equal(at, -1);
	for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++) {
		assert_int_equal(m->f[at + i].tag, order[i]);
		if (want[i] != NULL)
			assert_string_equal(m->f[at + i].value, want[i]);
	}
	assert_string_equal(m->f[at + 9].value, sym);
	assert_int_equal(m->f[at + 10].tag, FIX_T_CHECKSUM);
	snprintf(reqid, len, "%s", m->f[at].value);
	assert_true(strlen(reqid) > 0);
}

static bool
noted(const struct cp *c, const char *text)
{
	for (int i = 0; i < c->nnote; i++) {
		if (strstr(c->note[i], text) != NULL)
			return true;
	}
	return false;
}

/* Connected, logged on, both instruments asked for. */
static void
cp_up(struct cp *c, char req[2][32])
{
	feed_open(c);
	assert_int_equal(feed_conn(c->f), FEED_CONNECTING);
	cp_logon(c);
	cp_expect_request(c, "ES", req[0], sizeof req[0]);
	cp_expect_request(c, "NQ", req[1], sizeof req[1]);
	assert_int_equal(feed_conn(c->f), FEED_UP);
}

/* An entry of a W or an X. */
struct ent {
	const char	*action;	/* 279, X only; NULL: none */
	const char	*type;		/* 269 */
	const char	*sym;		/* 55, X only; NULL: none */
	const char	*px;		/* 270 */
	const char	*size;		/* 271; NULL: none */
	const char	*date;		/* 272; NULL: none */
	const char	*time;		/* 273; NULL: none */
};

static void
entries(struct fix_out *f, const struct ent *e, int n)
{
	fix_out_int(f, 268, n);
	for (int i = 0; i < n; i++) {
		if (e[i].action != NULL)
			fix_out_str(f, 279, e[i].action);
		fix_out_str(f, 269, e[i].type);
		if (e[i].sym != NULL)
			fix_out_str(f, 55, e[i].sym);
		if (e[i].px != NULL)
			fix_out_str(f, 270, e[i].px);
		if (e[i].size != NULL)
			fix_out_str(f, 271, e[i].size);
		if (e[i].date != NULL)
			fix_out_str(f, 272, e[i].date);
		if (e[i].time != NULL)
			fix_out_str(f, 273, e[i].time);
	}
}

static void
cp_snapshot(struct cp *c, const char *req, const char *sym,
    const struct ent *e, int n)
{
	struct fix_out	 f;

	fix_out_begin(&f, NULL);
	fix_out_str(&f, 262, req);
	fix_out_str(&f, 55, sym);
	entries(&f, e, n);
	cp_send(c, "W", &f);
}

static void
cp_incremental(struct cp *c, const char *req, const struct ent *e, int n)
{
	struct fix_out	 f;

	fix_out_begin(&f, NULL);
	fix_out_str(&f, 262, req);
	entries(&f, e, n);
	cp_send(c, "X", &f);
}

/* Tick i: instrument, price and book in ticks, volume, time. */
static void
tick_is(const struct cp *c, int i, int inst, td_ticks px, int64_t vol,
    td_ticks bid, td_ticks ask, td_ns t)
{
	const struct td_md	*md = &c->md[i];

	assert_true(i < c->nmd);
	assert_int_equal(md->kind, TD_MD_TICK);
	assert_int_equal(md->inst, inst);
	assert_int_equal(md->tick.price, px);
	assert_int_equal(md->tick.volume, vol);
	assert_int_equal(md->tick.bid, bid);
	assert_int_equal(md->tick.ask, ask);
	assert_int_equal(md->tick.time, t);
}

/* 4800.25 is tick 19201 of a 0.25 grid. */
#define TK(points, quarters)	((points) * 4 + (quarters))
#define AT(h, m, s, ms)	(DAY0 + (h) * TD_NS_PER_HOUR + (m) * TD_NS_PER_MIN + \
			(s) * SEC + (ms) * MS)

/* ------------------------------------------------------------ tests */

static void
test_feed_fix_logon_and_request(void **state)
{
	struct cp	*c = *state;
	char		 req[2][32], line[512];
	struct feed_sub	 subs[4];
	FILE		*f;
	bool		 masked = false;

	cp_up(c, req);
	assert_string_not_equal(req[0], req[1]);
	assert_true(feed_live(c->f));
	assert_int_equal(feed_subs(c->f, subs, 4), 2);
	assert_int_equal(subs[0].inst, 0);
	assert_int_equal(subs[1].inst, 1);
	assert_int_equal(subs[0].data, FEED_TICKS);
	assert_int_equal(feed_heard(c->f), T0);
	assert_true(noted(c, "logged on"));
	assert_true(noted(c, "market data asked for ES, NQ"));
	assert_true(noted(c, "no journal"));
	assert_int_equal(c->nmd, 0);
	assert_int_equal(c->nerr, 0);

	/* The message log has every message, the password masked. */
	assert_non_null(f = fopen(c->log, "r"));
	while (fgets(line, sizeof line, f) != NULL) {
		assert_null(strstr(line, "s3cret"));
		if (strstr(line, "|554=****|") != NULL)
			masked = true;
	}
	fclose(f);
	assert_true(masked);
}

static void
test_feed_fix_snapshot_then_incremental(void **state)
{
	struct cp	*c = *state;
	char		 req[2][32];
	const struct ent snap[] = {
		{ .type = "0", .px = "4800.00", .size = "12",
		  .date = "20241204", .time = "08:13:19.500" },
		{ .type = "1", .px = "4800.25", .size = "7",
		  .date = "20241204", .time = "08:13:19.500" },
		{ .type = "2", .px = "4800.25", .size = "3",
		  .date = "20241204", .time = "08:13:19.250" },
	};
	/* A trade and the book it left; a second trade; NQ between. */
	const struct ent x1[] = {
		{ "0", "2", "ES", "4800.50", "2", "20241204", "08:13:21.001" },
		{ "1", "0", "ES", "4800.25", "5", "20241204", "08:13:21.001" },
		{ "1", "1", "ES", "4800.50", "9", "20241204", "08:13:21.001" },
		{ "0", "2", "NQ", "17000.75", "1", "20241204", "08:13:21.002" },
		{ "0", "2", "ES", "4800.50", "4", "20241204", "08:13:21.003" },
	};
	const struct ent x2[] = {
		{ "2", "0", "ES", NULL, NULL, NULL, NULL },	/* bid gone */
		{ "0", "2", "ES", "4799.75", "1", "20241204",
		  "08:13:22.123456789" },
	};
	const struct ent x3[] = {
		{ "1", "1", "ES", "0", "0", NULL, NULL },	/* no offer */
		{ "1", "0", "ES", "4799.50", "2", NULL, NULL },
		{ "0", "2", "ES", "4799.75", "1", "20241204", "08:13:23" },
	};

	cp_up(c, req);
	cp_snapshot(c, req[0], "ES", snap, 3);
	UNTIL(c, c->nmd == 1);
	tick_is(c, 0, 0, TK(4800, 1), 3, TK(4800, 0), TK(4800, 1),
	    AT(8, 13, 19, 250));

	cp_incremental(c, req[0], x1, 5);
	UNTIL(c, c->nmd == 4);
	tick_is(c, 1, 0, TK(4800, 2), 2, TK(4800, 1), TK(4800, 2),
	    AT(8, 13, 21, 1));
	tick_is(c, 2, 1, TK(17000, 3), 1, 0, 0, AT(8, 13, 21, 2));
	tick_is(c, 3, 0, TK(4800, 2), 4, TK(4800, 1), TK(4800, 2),
	    AT(8, 13, 21, 3));

	cp_incremental(c, req[0], x2, 2);
	UNTIL(c, c->nmd == 5);
	tick_is(c, 4, 0, TK(4799, 3), 1, 0, TK(4800, 2),
	    AT(8, 13, 22, 123) + 456789);
	cp_incremental(c, req[0], x3, 3);
	UNTIL(c, c->nmd == 6);
	tick_is(c, 5, 0, TK(4799, 3), 1, TK(4799, 2), 0, AT(8, 13, 23, 0));
	assert_int_equal(c->nerr, 0);
}

static void
test_feed_fix_tick_times(void **state)
{
	struct cp	*c = *state;
	char		 req[2][32];
	/* A time alone takes the date of SendingTime. */
	const struct ent t1[] = {
		{ "0", "2", "ES", "4800.00", "1", NULL, "08:13:25.5" },
	};
	/* No time: SendingTime. */
	const struct ent t2[] = {
		{ "0", "2", "ES", "4800.25", "1", NULL, NULL },
	};
	/* Sent at 00:00:01 of the 5th, stamped 23:59:59.900 of the 4th. */
	const struct ent t3[] = {
		{ "0", "2", "NQ", "17000.00", "6", NULL, "23:59:59.900" },
	};
	/* Sent again: the time it was first sent. */
	const struct ent t4[] = {
		{ "0", "2", "NQ", "17000.25", "2", NULL, NULL },
	};
	/* Stamped before the tick before it: no step back. */
	const struct ent t5[] = {
		{ "0", "2", "ES", "4800.50", "1", "20241204", "12:00:00" },
	};
	struct fix_out	 f;

	cp_up(c, req);
	cp_incremental(c, req[0], t1, 1);
	UNTIL(c, c->nmd == 1);
	tick_is(c, 0, 0, TK(4800, 0), 1, 0, 0, AT(8, 13, 25, 500));
	c->now = T0 + 7 * SEC + 250 * MS;
	cp_incremental(c, req[0], t2, 1);
	UNTIL(c, c->nmd == 2);
	tick_is(c, 1, 0, TK(4800, 1), 1, 0, 0, c->now);
	c->now = DAY0 + TD_NS_PER_DAY + SEC;
	cp_incremental(c, req[1], t3, 1);
	UNTIL(c, c->nmd == 3);
	tick_is(c, 2, 1, TK(17000, 0), 6, 0, 0, AT(23, 59, 59, 900));
	c->now += 10 * SEC;
	fix_out_begin(&f, NULL);
	fix_out_str(&f, 262, req[1]);
	entries(&f, t4, 1);
	cp_send_as(c, "X", &f, true, c->now - 5 * SEC);
	UNTIL(c, c->nmd == 4);
	tick_is(c, 3, 1, TK(17000, 1), 2, 0, 0, c->now - 5 * SEC);
	cp_incremental(c, req[0], t5, 1);
	UNTIL(c, c->nmd == 5);
	tick_is(c, 4, 0, TK(4800, 2), 1, 0, 0, c->now - 5 * SEC);
	assert_int_equal(c->nerr, 0);
}

static void
test_feed_fix_bad_entries(void **state)
{
	struct cp	*c = *state;
	char		 req[2][32];
	const struct ent x[] = {
		{ "0", "2", "ES", "4800.30", "1", "20241204", "08:13:21" },
		{ "0", "2", "ES", "48x0", "1", "20241204", "08:13:21" },
		{ "0", "2", "ES", "0", "1", "20241204", "08:13:21" },
		{ "0", "2", "ES", "4800.75", "1.5", "20241204", "08:13:21" },
		{ "0", "2", "ES", "4800.75", "1", "20241304", "08:13:21" },
		{ "0", "2", "CL", "70.00", "1", "20241204", "08:13:21" },
		{ "0", "1", "ES", "4801.10", "1", "20241204", "08:13:21" },
		{ "0", "2", "ES", "4800.50", "2", "20241204", "08:13:22" },
	};
	struct fix_out	 f;
	char		 want[256];

	cp_up(c, req);
	cp_incremental(c, req[0], x, 8);
	UNTIL(c, c->nmd == 1);
	assert_int_equal(c->nerr, 7);
	snprintf(want, sizeof want, "127.0.0.1:%d: ES trade 4800.30 is off "
	    "the tick grid of 0.25: dropped", c->port);
	assert_string_equal(c->err[0], want);
	assert_non_null(strstr(c->err[1], "ES trade price \"48x0\" is not a "
	    "price: dropped"));
	assert_non_null(strstr(c->err[2], "ES trade 0.00 is not above zero: "
	    "dropped"));
	assert_non_null(strstr(c->err[3], "ES trade size \"1.5\" is not a "
	    "whole number of contracts: dropped"));
	assert_non_null(strstr(c->err[4], "ES trade time \"20241304 "
	    "08:13:21\" is not a UTC date and time: dropped"));
	assert_non_null(strstr(c->err[5], "market data for CL, which was not "
	    "asked for: dropped"));
	assert_non_null(strstr(c->err[6], "ES offer 4801.10 is off the tick "
	    "grid of 0.25: dropped"));
	/* The good entry after them all still counts. */
	tick_is(c, 0, 0, TK(4800, 2), 2, 0, 0, AT(8, 13, 22, 0));

	/* A group that does not add up: the message goes, the feed stays. */
	fix_out_begin(&f, NULL);
	fix_out_str(&f, 262, req[0]);
	fix_out_int(&f, 268, 2);
	fix_out_str(&f, 279, "0");
	fix_out_str(&f, 269, "2");
	fix_out_str(&f, 55, "ES");
	fix_out_str(&f, 270, "4800.00");
	cp_send(c, "X", &f);
	UNTIL(c, c->nerr == 8);
	assert_non_null(strstr(c->err[7], "incremental refresh"));
	assert_non_null(strstr(c->err[7], "dropped"));
	assert_int_equal(feed_conn(c->f), FEED_UP);
}

static void
test_feed_fix_request_reject(void **state)
{
	struct cp		*c = *state;
	char			 req[2][32];
	const struct ent	 nq[] = {
		{ "0", "2", "NQ", "17000.50", "1", "20241204", "08:13:30" },
	};
	const struct fix_msg	*m;
	struct fix_out		 f;

	cp_up(c, req);
	fix_out_begin(&f, NULL);
	fix_out_str(&f, 262, req[0]);
	fix_out_str(&f, 281, "0");
	fix_out_str(&f, FIX_T_TEXT, "no such contract");
	cp_send(c, "Y", &f);
	UNTIL(c, c->nerr == 1);
	assert_non_null(strstr(c->err[0], "market data for ES refused: "
	    "unknown symbol (MDReqRejReason 0): no such contract; not asked "
	    "again until the next logon"));
	/*
	 * Nothing goes out for it: the next message after a TestRequest
	 * is its Heartbeat.
	 */
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_TEST_REQ_ID, "after-reject");
	cp_send(c, "1", &f);
	m = cp_expect(c, "0");
	assert_string_equal(val(m, FIX_T_TEST_REQ_ID), "after-reject");
	/* NQ goes on. */
	cp_incremental(c, req[1], nq, 1);
	UNTIL(c, c->nmd == 1);
	tick_is(c, 0, 1, TK(17000, 2), 1, 0, 0, AT(8, 13, 30, 0));
	/* A reject of a request that is not ours is said as such. */
	fix_out_begin(&f, NULL);
	fix_out_str(&f, 262, "nobody");
	cp_send(c, "Y", &f);
	UNTIL(c, c->nerr == 2);
	assert_non_null(strstr(c->err[1], "request nobody that is not ours "
	    "was refused: no reason given"));
}

static void
test_feed_fix_reconnect(void **state)
{
	struct cp	*c = *state;
	char		 req[2][32], again[2][32];
	const struct ent snap[] = {
		{ .type = "0", .px = "4800.00", .size = "1" },
		{ .type = "1", .px = "4800.25", .size = "1" },
		{ .type = "2", .px = "4800.25", .size = "3",
		  .date = "20241204", .time = "08:13:19" },
	};
	/* After the reconnect: only a bid, and the same last trade. */
	const struct ent snap2[] = {
		{ .type = "0", .px = "4801.00", .size = "1" },
		{ .type = "2", .px = "4800.25", .size = "3",
		  .date = "20241204", .time = "08:13:19" },
	};
	const struct ent x[] = {
		{ "0", "2", "ES", "4801.25", "2", "20241204", "08:14:00" },
	};
	int64_t		 seq;

	cp_up(c, req);
	cp_snapshot(c, req[0], "ES", snap, 3);
	UNTIL(c, c->nmd == 1);
	tick_is(c, 0, 0, TK(4800, 1), 3, TK(4800, 0), TK(4800, 1),
	    AT(8, 13, 19, 0));

	/* The counterparty drops the link. */
	close(c->c);
	c->c = -1;
	UNTIL(c, feed_conn(c->f) == FEED_LOST);
	assert_true(noted(c, "prices are stale; again in"));
	/* The backoff runs on the feed's clock: no connect before it. */
	turn(c);
	assert_int_equal(c->conns, 1);
	c->now += 400 * MS;
	seq = cp_logon(c);
	assert_int_equal(c->conns, 2);
	assert_true(seq > 3);		/* the session goes on */
	cp_expect_request(c, "ES", again[0], sizeof again[0]);
	cp_expect_request(c, "NQ", again[1], sizeof again[1]);
	assert_string_not_equal(again[0], req[0]);
	assert_int_equal(feed_conn(c->f), FEED_UP);

	/* The snapshot resets the book; its old trade is no news. */
	cp_snapshot(c, again[0], "ES", snap2, 2);
	cp_incremental(c, again[0], x, 1);
	UNTIL(c, c->nmd == 2);
	tick_is(c, 1, 0, TK(4801, 1), 2, TK(4801, 0), 0, AT(8, 14, 0, 0));
	assert_int_equal(c->nerr, 0);
}

static void
test_feed_fix_quiet_market(void **state)
{
	struct cp		*c = *state;
	char			 req[2][32];
	const struct fix_msg	*m;

	cp_up(c, req);
	/* Nothing from either side for a heartbeat interval. */
	c->now += 30 * SEC;
	pump(c);
	cp_expect(c, "0");
	/* The counterparty stays quiet: a TestRequest, then the end. */
	c->now += 7 * SEC;
	pump(c);
	m = cp_expect(c, "1");
	assert_non_null(fix_get(m, FIX_T_TEST_REQ_ID));
	assert_int_equal(feed_conn(c->f), FEED_UP);
	c->now += 31 * SEC;
	UNTIL(c, feed_conn(c->f) == FEED_LOST);
	assert_true(noted(c, "heartbeat timeout"));
}

/* Has the feed connected again (a connection waits to be accepted)? */
static bool
pending(const struct cp *c)
{
	struct pollfd	 p = { .fd = c->lfd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* The feed's descriptor alone must wake its reader. */
static void
readable(struct cp *c)
{
	struct pollfd	 p = { .fd = feed_fd(c->f), .events = POLLIN };
	int		 n;

	while ((n = poll(&p, 1, WAIT_MS)) == -1 && errno == EINTR)
		continue;
	if (n != 1)
		fail_msg("the feed's descriptor stayed quiet for %d ms",
		    WAIT_MS);
	pump(c);
}

static void
test_feed_fix_descriptor_wakes(void **state)
{
	struct cp		*c = *state;
	const struct fix_msg	*m;
	struct fix_out		 f;
	char			 req[32];
	const struct ent	 snap[] = {
		{ .type = "2", .px = "4800.00", .size = "1",
		  .date = "20241204", .time = "08:13:00" },
	};

	feed_open(c);
	pump(c);			/* connecting */
	readable(c);			/* connected: the Logon goes */
	assert_int_not_equal(c->c = accept(c->lfd, NULL, NULL), -1);
	m = cp_expect(c, "A");
	assert_int_equal(m->seq, 1);
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_ENCRYPT_METHOD, "0");
	fix_out_int(&f, FIX_T_HEART_BT_INT, 30);
	cp_send(c, "A", &f);
	readable(c);			/* the Logon came: the requests go */
	cp_expect_request(c, "ES", req, sizeof req);
	cp_snapshot(c, req, "ES", snap, 1);
	while (c->nmd == 0)
		readable(c);
	tick_is(c, 0, 0, TK(4800, 0), 1, 0, 0, AT(8, 13, 0, 0));
	close(c->c);
	c->c = -1;
	while (feed_conn(c->f) != FEED_LOST)
		readable(c);		/* the end of the stream */
	/* The reconnect is due: the feed's timer wakes its reader. */
	c->now += 400 * MS;
	while (!pending(c))
		readable(c);
	assert_int_not_equal(c->c = accept(c->lfd, NULL, NULL), -1);
	c->inlen = 0;
	assert_int_equal(cp_expect(c, "A")->seq, 4);
}

static void
test_feed_fix_store(void **state)
{
	struct cp	*c = *state;
	char		 req[2][32];
	struct errmsg	 err;
	int		 fd;
	int64_t		 seq;

	snprintf(c->db, sizeof c->db, "/tmp/td-feedfix-db-XXXXXX");
	assert_int_not_equal(fd = mkstemp(c->db), -1);
	close(fd);
	unlink(c->db);
	feed_open(c);
	assert_int_equal(feed_fix_open_store(c->f, c->db, &err), 0);
	assert_int_equal(feed_fix_open_store(c->f, c->db, &err), -1);
	assert_non_null(strstr(err.msg, "open already"));
	assert_int_equal(cp_logon(c), 1);
	cp_expect_request(c, "ES", req[0], sizeof req[0]);
	cp_expect_request(c, "NQ", req[1], sizeof req[1]);
	/* A restart: the session resumes from the store. */
	feed_free(c->f);
	c->f = NULL;
	cp_expect(c, "5");
	close(c->c);
	c->c = -1;
	feed_open(c);
	assert_int_equal(feed_fix_open_store(c->f, c->db, &err), 0);
	seq = cp_logon(c);
	assert_int_equal(seq, 5);
	assert_false(noted(c, "no journal"));
}

static void
test_feed_fix_refusals(void **state)
{
	struct cp		*c = *state;
	struct feed_fix_cfg	 cfg = c->cfg;
	struct errmsg		 err;
	uint32_t		 mask;

	snprintf(cfg.symbols, sizeof cfg.symbols, "ES, CL");
	assert_null(feed_fix_create(&cfg, c->inst, 2, &err));
	assert_string_equal(err.msg, "fix feed: symbol \"CL\" is no "
	    "instrument of trading.instruments");
	snprintf(cfg.symbols, sizeof cfg.symbols, "ES NQ,ES");
	assert_null(feed_fix_create(&cfg, c->inst, 2, &err));
	assert_string_equal(err.msg, "fix feed: symbol \"ES\" given twice");
	cfg = c->cfg;
	cfg.port = 0;
	assert_null(feed_fix_create(&cfg, c->inst, 2, &err));
	assert_string_equal(err.msg, "fix feed: host and port 1..65535 "
	    "needed");
	cfg = c->cfg;
	snprintf(cfg.msglog, sizeof cfg.msglog, "/nonexistent/md.log");
	assert_null(feed_fix_create(&cfg, c->inst, 2, &err));
	assert_non_null(strstr(err.msg, "/nonexistent/md.log: message log"));
	assert_int_equal(feed_fix_symbols(" NQ ", c->inst, 2, &mask, &err), 0);
	assert_int_equal(mask, 2);
	assert_int_equal(feed_fix_symbols("", c->inst, 2, &mask, &err), 0);
	assert_int_equal(mask, 3);
}

static void
test_feed_fix_one_symbol(void **state)
{
	struct cp	*c = *state;
	char		 req[32];
	struct feed_sub	 subs[4];
	const struct ent snap[] = {
		{ .type = "2", .px = "17001.00", .size = "2",
		  .date = "20241204", .time = "08:13:00" },
	};
	const struct fix_msg *m;
	struct fix_out	 f;

	snprintf(c->cfg.symbols, sizeof c->cfg.symbols, "NQ");
	feed_open(c);
	assert_int_equal(feed_subs(c->f, subs, 4), 1);
	assert_int_equal(subs[0].inst, 1);
	cp_logon(c);
	cp_expect_request(c, "NQ", req, sizeof req);
	/* Nothing for ES: a TestRequest's Heartbeat comes next. */
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_TEST_REQ_ID, "only-nq");
	cp_send(c, "1", &f);
	m = cp_expect(c, "0");
	assert_string_equal(val(m, FIX_T_TEST_REQ_ID), "only-nq");
	cp_snapshot(c, req, "NQ", snap, 1);
	UNTIL(c, c->nmd == 1);
	tick_is(c, 0, 1, TK(17001, 0), 2, 0, 0, AT(8, 13, 0, 0));
	/* A snapshot of what was not asked for is refused. */
	cp_snapshot(c, "ES-99", "ES", snap, 1);
	UNTIL(c, c->nerr == 1);
	assert_non_null(strstr(c->err[0], "snapshot 4 for ES, which was not "
	    "asked for: dropped"));
}

/*
 * The QuickFIX counterparty as a market data gateway: the trades of a
 * tick file as it replays them, with the top of book they left, their
 * times the file's; a trade off the grid refused; the link dropped, the
 * feed back and subscribed again.
 */
static void
test_feed_fix_quickfix(void **state)
{
	static const char *const ticks =
	    "20241204 143000 0000000;4800.25;4800.00;4800.25;3\n"
	    "20241204 143001 2500000;4800.50;4800.25;4800.50;1\n"
	    "20241204 143002 0000000;4800.00;4799.75;4800.00;7\n"
	    "20241204 143002 5000000;4800.10;4800.00;4800.25;1\n"
	    "20241204 143003 0000000;4801.00;4800.75;4801.00;2\n"
	    "20241204 143004 0000000;4801.25;4801.00;4801.25;5\n";
	struct cp	*c = *state;
	struct fixcp	 cp = { .pid = 0 };
	char		 path[128];
	const char	*extra[] = { "--sender-comp-id", "CPMD",
			    "--target-comp-id", "TDMD", "--data", path,
			    "--symbol", "ES", NULL };
	FILE		*f;

	if (fixcp_path() == NULL)
		skip();
	snprintf(cp.dir, sizeof cp.dir, "/tmp/td-feedfix-cp-XXXXXX");
	assert_non_null(mkdtemp(cp.dir));
	snprintf(path, sizeof path, "%s/ticks.txt", cp.dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(ticks, f);
	assert_int_equal(fclose(f), 0);
	if (fixcp_start(&cp, extra) == -1)
		fail_msg("the counterparty did not start: %s", cp.reply);
	/* Its first trade before we come: the snapshot has it. */
	if (fixcp_cmd(&cp, "tick 1") == -1)
		fail_msg("tick 1: %s", cp.reply);

	c->cfg.port = cp.port;
	c->cfg.clock = NULL;		/* its heartbeats are the wall's */
	c->cfg.password[0] = '\0';
	snprintf(c->cfg.symbols, sizeof c->cfg.symbols, "ES");
	feed_open(c);
	UNTIL(c, c->nmd == 1);
	assert_int_equal(feed_conn(c->f), FEED_UP);
	tick_is(c, 0, 0, TK(4800, 1), 3, TK(4800, 0), TK(4800, 1),
	    AT(14, 30, 0, 0));
	if (fixcp_cmd(&cp, "tick 2") == -1)
		fail_msg("tick 2: %s", cp.reply);
	UNTIL(c, c->nmd == 3);
	tick_is(c, 1, 0, TK(4800, 2), 1, TK(4800, 1), TK(4800, 2),
	    AT(14, 30, 1, 250));
	tick_is(c, 2, 0, TK(4800, 0), 7, TK(4799, 3), TK(4800, 0),
	    AT(14, 30, 2, 0));
	/* Its next trade is off the grid: refused, the feed goes on. */
	if (fixcp_cmd(&cp, "tick 1") == -1)
		fail_msg("tick 1: %s", cp.reply);
	UNTIL(c, c->nerr >= 1);
	assert_non_null(strstr(c->err[0], "ES trade 4800.10 is off the tick "
	    "grid of 0.25: dropped"));

	/* Dropped: back after the backoff, subscribed again. */
	if (fixcp_cmd(&cp, "drop") == -1)
		fail_msg("drop: %s", cp.reply);
	UNTIL(c, feed_conn(c->f) == FEED_LOST);
	UNTIL(c, feed_conn(c->f) == FEED_UP);
	if (fixcp_cmd(&cp, "tick 2") == -1)
		fail_msg("tick 2: %s", cp.reply);
	UNTIL(c, c->nmd >= 5);
	tick_is(c, 3, 0, TK(4801, 0), 2, TK(4800, 3), TK(4801, 0),
	    AT(14, 30, 3, 0));
	tick_is(c, 4, 0, TK(4801, 1), 5, TK(4801, 0), TK(4801, 1),
	    AT(14, 30, 4, 0));
	feed_free(c->f);
	c->f = NULL;
	fixcp_stop(&cp);
	unlink(path);
	{
		char	 cmd[128];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", cp.dir);
		assert_int_equal(system(cmd), 0);
	}
}

/*
 * FIX 4.2 market data: the feed asks as FIX.4.2, and takes the entries
 * of an incremental refresh as 4.2 writes them for a future (its
 * instrument with SecurityType, MaturityMonthYear and MaturityDay, the
 * trade with TotalVolumeTraded).
 */
static void
test_feed_fix42_entries(void **state)
{
	struct cp		*c = *state;
	char			 req[2][32];
	const struct fix_msg	*m;
	struct fix_out		 f;
	const struct ent	 snap[] = {
		{ .type = "2", .px = "4800.25", .size = "3",
		  .date = "20241204", .time = "08:13:19.250" },
	};
	const struct {
		const char	*action, *type, *px, *size;
	} x[] = {
		{ "0", "2", "4800.50", "2" },
		{ "1", "0", "4800.25", "5" },
		{ "1", "1", "4800.50", "9" },
	};

	snprintf(c->cfg.begin, sizeof c->cfg.begin, "FIX.4.2");
	feed_open(c);
	UNTIL(c, c->c != -1);
	m = cp_expect(c, "A");
	assert_string_equal(val(m, FIX_T_BEGIN_STRING), "FIX.4.2");
	fix_out_begin(&f, NULL);
	fix_out_str(&f, FIX_T_ENCRYPT_METHOD, "0");
	fix_out_int(&f, FIX_T_HEART_BT_INT, 30);
	cp_send(c, "A", &f);
	cp_expect_request(c, "ES", req[0], sizeof req[0]);
	cp_expect_request(c, "NQ", req[1], sizeof req[1]);
	assert_string_equal(val(&c->got, FIX_T_BEGIN_STRING), "FIX.4.2");
	cp_snapshot(c, req[0], "ES", snap, 1);
	UNTIL(c, c->nmd == 1);

	fix_out_begin(&f, NULL);
	fix_out_str(&f, 262, req[0]);
	fix_out_int(&f, 268, 3);
	for (int i = 0; i < 3; i++) {
		fix_out_str(&f, 279, x[i].action);
		fix_out_str(&f, 269, x[i].type);
		fix_out_str(&f, 55, "ES");
		fix_out_str(&f, 167, "FUT");
		fix_out_str(&f, 200, "202412");
		fix_out_str(&f, 205, "20");
		fix_out_str(&f, 270, x[i].px);
		fix_out_str(&f, 271, x[i].size);
		fix_out_str(&f, 272, "20241204");
		fix_out_str(&f, 273, "08:13:21.001");
		if (i == 0)
			fix_out_str(&f, 387, "1250");
	}
	cp_send(c, "X", &f);
	UNTIL(c, c->nmd == 2 || c->nerr > 0);
	assert_int_equal(c->nerr, 0);
	tick_is(c, 1, 0, TK(4800, 2), 2, TK(4800, 1), TK(4800, 2),
	    AT(8, 13, 21, 1));
}

/*
 * The QuickFIX counterparty on FIX 4.2 (fixcp --fix-version 4.2) as the
 * market data gateway: the snapshot, then its trades with the top of
 * book they left, in 4.2's groups.
 */
static void
test_feed_fix42_quickfix(void **state)
{
	static const char *const ticks =
	    "20241204 143000 0000000;4800.25;4800.00;4800.25;3\n"
	    "20241204 143001 2500000;4800.50;4800.25;4800.50;1\n"
	    "20241204 143002 0000000;4800.00;4799.75;4800.00;7\n";
	struct cp	*c = *state;
	struct fixcp	 cp = { .pid = 0 };
	char		 path[128], cmd[128];
	const char	*extra[] = { "--sender-comp-id", "CPMD",
			    "--target-comp-id", "TDMD", "--data", path,
			    "--symbol", "ES", "--fix-version", "4.2", NULL };
	FILE		*f;

	if (fixcp_path() == NULL)
		skip();
	snprintf(cp.dir, sizeof cp.dir, "/tmp/td-feedfix-cp-XXXXXX");
	assert_non_null(mkdtemp(cp.dir));
	snprintf(path, sizeof path, "%s/ticks.txt", cp.dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(ticks, f);
	assert_int_equal(fclose(f), 0);
	if (fixcp_start(&cp, extra) == -1)
		fail_msg("the counterparty did not start: %s", cp.reply);
	if (fixcp_cmd(&cp, "tick 1") == -1)
		fail_msg("tick 1: %s", cp.reply);

	c->cfg.port = cp.port;
	c->cfg.clock = NULL;
	c->cfg.password[0] = '\0';
	snprintf(c->cfg.begin, sizeof c->cfg.begin, "FIX.4.2");
	snprintf(c->cfg.symbols, sizeof c->cfg.symbols, "ES");
	feed_open(c);
	UNTIL(c, c->nmd == 1);
	assert_int_equal(feed_conn(c->f), FEED_UP);
	tick_is(c, 0, 0, TK(4800, 1), 3, TK(4800, 0), TK(4800, 1),
	    AT(14, 30, 0, 0));
	if (fixcp_cmd(&cp, "tick 2") == -1)
		fail_msg("tick 2: %s", cp.reply);
	UNTIL(c, c->nmd == 3);
	tick_is(c, 1, 0, TK(4800, 2), 1, TK(4800, 1), TK(4800, 2),
	    AT(14, 30, 1, 250));
	tick_is(c, 2, 0, TK(4800, 0), 7, TK(4799, 3), TK(4800, 0),
	    AT(14, 30, 2, 0));
	assert_int_equal(c->nerr, 0);
	if (fixcp_cmd(&cp, "status") == -1 ||
	    strncmp(cp.reply, "ok logged-on 1 ", 15) != 0)
		fail_msg("status: %s", cp.reply);
	feed_free(c->f);
	c->f = NULL;
	fixcp_stop(&cp);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", cp.dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_feed_fix_logon_and_request, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_fix_snapshot_then_incremental, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_tick_times,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_bad_entries,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_request_reject,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_reconnect,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_quiet_market,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_descriptor_wakes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_store, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_one_symbol,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_quickfix,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix42_entries,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix42_quickfix,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
