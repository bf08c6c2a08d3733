/*
 * test-venue-fix.c -- the FIX venue (core/venue-fix.h) against the test
 * counterparty (tests/fix/fixcp, QuickFIX) on 127.0.0.1: every order
 * type's round trip, partial fills, each reject path, OCO groups kept by
 * the venue, the link dropped with orders working and restored, gaps
 * both ways, orders that wait for the link, a restart that resumes the
 * session, and the questions of a restart.
 *
 * The test waits for what the venue reports (events, the connection),
 * never for time to pass: a wait has a generous guard and fails with what
 * it was waiting for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "errmsg.h"
#include "fixcp-ctl.h"
#include "instrument.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "rng.h"
#include "trades.h"
#include "venue-fix.h"

#include "fixture.h"
#include "tls-cert.h"

#include <openssl/ssl.h>
#include <sqlite3.h>

#define SEC		1000000000LL
#define GUARD		(30 * SEC)	/* a wait that long is a failure */
#define NEV		512


struct vt {
	struct fixcp	 cp;
	struct venue	*v;
	struct venue_fix_cfg cfg;
	struct instrument inst[2];
	char		 store[128];
	struct venue_event ev[NEV];	/* the last NEV events */
	int		 nev;		/* events so far */
	int		 nfills;	/* every fill event */
	char		 notes[64][200];
	int		 nnotes;
};

/* The wall clock, moved on by the test to cross the session hours. */
static td_ns	 vt_skew;

static td_ns
vt_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (td_ns)ts.tv_sec * SEC + ts.tv_nsec + vt_skew;
}

static td_ns
vt_venue_clock(void *arg)
{
	(void)arg;
	return vt_clock();
}

static void
vt_inst(struct instrument *in, const char *sym, td_cents point)
{
	memset(in, 0, sizeof *in);
	snprintf(in->symbol, sizeof in->symbol, "%s", sym);
	in->tick_size = 250000000;
	in->point_value = point;
	assert_int_equal(instrument_init(in, NULL), 0);
}

static void
vt_open(struct vt *t)
{
	struct errmsg	 err;

	t->v = venue_fix_create(&t->cfg, t->inst, 2, t->store, &err);
	if (t->v == NULL)
		fail_msg("%s", err.msg);
}

static int
setup(void **state)
{
	struct vt	*t;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return -1;
	if (fixcp_start(&t->cp, NULL) == -1)
		fail_msg("the counterparty did not start: %s", t->cp.reply);
	vt_inst(&t->inst[0], "ES", 5000);
	vt_inst(&t->inst[1], "MES", 500);
	venue_fix_defaults(&t->cfg);
	snprintf(t->cfg.host, sizeof t->cfg.host, "127.0.0.1");
	t->cfg.port = t->cp.port;
	snprintf(t->cfg.sender, sizeof t->cfg.sender, "TD");
	snprintf(t->cfg.target, sizeof t->cfg.target, "CP");
	vt_skew = 0;
	t->cfg.clock = vt_venue_clock;
	t->cfg.heartbeat = 5;
	t->cfg.backoff_min = SEC / 50;
	t->cfg.backoff_max = SEC / 5;
	snprintf(t->store, sizeof t->store, "%s/journal.db", t->cp.dir);
	snprintf(t->cfg.msglog, sizeof t->cfg.msglog, "%s/fix.log",
	    t->cp.dir);
	vt_open(t);
	*state = t;
	return 0;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
teardown(void **state)
{
	struct vt	*t = *state;

	venue_fix_free(t->v);
	fixcp_stop(&t->cp);
	nftw(t->cp.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

/* ------------------------------------------------------------ waiting */

/* One turn: run the venue, collect what it says, wait for its fd. */
static void
vt_turn(struct vt *t)
{
	const struct venue_ops	*ops = t->v->ops;
	struct pollfd		 p = { .fd = ops->fd(t->v->ctx),
				    .events = POLLIN };
	struct venue_event	 ev;
	td_ns			 now = vt_clock(), wake;
	int			 level, ms;

	ops->run(t->v->ctx, now);
	while (ops->poll(t->v->ctx, &ev) == 1) {
		t->nfills += ev.kind == VEV_FILL;
		t->ev[t->nev++ % NEV] = ev;
	}
	while (ops->notice(t->v->ctx, &level, t->notes[t->nnotes % 64],
	    sizeof t->notes[0]) == 1)
		t->nnotes++;
	wake = ops->wake(t->v->ctx);
	ms = wake <= now ? 0 : wake - now > 50000000 ? 50 :
	    (int)((wake - now) / 1000000);
	poll(p.fd >= 0 ? &p : NULL, p.fd >= 0 ? 1 : 0, ms);
}

/* Has the venue said text in one of its last notices? */
static bool
vt_noted(const struct vt *t, const char *text)
{
	for (int i = 0; i < t->nnotes && i < 64; i++) {
		if (strstr(t->notes[i], text) != NULL)
			return true;
	}
	return false;
}

static bool
vt_up(struct vt *t, const void *arg)
{
	(void)arg;
	return t->v->ops->conn(t->v->ctx) == VENUE_UP;
}

static bool
vt_lost(struct vt *t, const void *arg)
{
	(void)arg;
	return t->v->ops->conn(t->v->ctx) != VENUE_UP;
}

struct want {
	enum venue_ev_kind kind;
	uint64_t	 id;
	int		 nth;		/* 0: the first such event */
};

static const struct venue_event *
vt_find(const struct vt *t, enum venue_ev_kind kind, uint64_t id, int nth)
{
	for (int i = t->nev > NEV ? t->nev - NEV : 0; i < t->nev; i++) {
		const struct venue_event	*ev = &t->ev[i % NEV];

		if (ev->kind == kind && ev->id == id && nth-- == 0)
			return ev;
	}
	return NULL;
}

static bool
vt_has(struct vt *t, const void *arg)
{
	const struct want	*w = arg;

	return vt_find(t, w->kind, w->id, w->nth) != NULL;
}

static void
vt_until(struct vt *t, bool (*cond)(struct vt *, const void *),
    const void *arg, const char *what)
{
	td_ns	 start = vt_clock();

	while (!cond(t, arg)) {
		if (vt_clock() - start > GUARD)
			fail_msg("waited %lld s for %s; last notice: %s",
			    (long long)(GUARD / SEC), what, t->nnotes > 0 ?
			    t->notes[(t->nnotes - 1) % 64] : "none");
		vt_turn(t);
	}
}

/* The nth event of a kind for order id, once it came. */
static const struct venue_event *
vt_event_nth(struct vt *t, enum venue_ev_kind kind, uint64_t id, int nth)
{
	struct want	 w = { kind, id, nth };
	char		 what[64];

	snprintf(what, sizeof what, "event %d #%d of order %llu", (int)kind,
	    nth, (unsigned long long)id);
	vt_until(t, vt_has, &w, what);
	return vt_find(t, kind, id, nth);
}

static const struct venue_event *
vt_event(struct vt *t, enum venue_ev_kind kind, uint64_t id)
{
	return vt_event_nth(t, kind, id, 0);
}

static void
vt_cmd(struct vt *t, const char *fmt, ...)
{
	char	 line[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (fixcp_cmd(&t->cp, "%s", line) == -1)
		fail_msg("counterparty: %s: %s", line, t->cp.reply);
}

static void
vt_logon(struct vt *t)
{
	vt_until(t, vt_up, NULL, "the logon");
}

static void
vt_submit(struct vt *t, uint64_t id, int inst, enum td_side side,
    enum order_type type, int64_t qty, td_ticks price, td_ticks limit)
{
	struct venue_order	 o = { .id = id, .inst = inst, .side = side,
				    .type = type, .qty = qty, .price = price,
				    .limit = limit, .tif = TIF_GTC };

	assert_int_equal(t->v->ops->submit(t->v->ctx, &o, vt_clock()), 0);
}

/* ------------------------------------------------------------ tests */

static void
test_venue_fix_order_types(void **state)
{
	struct vt			*t = *state;
	const struct venue_event	*e;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_MARKET, 1, 0, 0);
	e = vt_event(t, VEV_FILL, 1);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->price, P(5000));
	assert_int_equal(e->leaves, 0);

	vt_submit(t, 2, 0, TD_BUY, ORD_LIMIT, 2, P(4999), 0);
	vt_event(t, VEV_ACK, 2);
	vt_submit(t, 3, 0, TD_SELL, ORD_STOP, 1, P(4998), 0);
	vt_event(t, VEV_ACK, 3);
	vt_submit(t, 4, 0, TD_SELL, ORD_STOP_LIMIT, 1, P(4997), P(4996.75));
	vt_event(t, VEV_ACK, 4);
	vt_cmd(t, "price ES 4999");
	e = vt_event(t, VEV_FILL, 2);
	assert_int_equal(e->qty, 2);
	assert_int_equal(e->price, P(4999));
	vt_cmd(t, "price ES 4998");
	e = vt_event(t, VEV_FILL, 3);
	assert_int_equal(e->price, P(4998));
	vt_cmd(t, "price ES 4997");		/* a limit at 4996.75 now */
	e = vt_event(t, VEV_FILL, 4);
	assert_int_equal(e->price, P(4996.75));

	/* Replace, then cancel. */
	vt_submit(t, 5, 1, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 5);
	assert_int_equal(t->v->ops->replace(t->v->ctx, 5, 3, P(4991),
	    vt_clock()), 0);
	e = vt_event(t, VEV_REPLACED, 5);
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->price, P(4991));
	assert_int_equal(t->v->ops->cancel(t->v->ctx, 5, vt_clock()), 0);
	e = vt_event(t, VEV_CANCELLED, 5);
	assert_string_equal(e->reason, "cancelled");
	vt_cmd(t, "fills");
	assert_non_null(strstr(t->cp.reply, "ES:"));
}

static void
test_venue_fix_partial_fills(void **state)
{
	struct vt			*t = *state;
	const struct venue_event	*e;

	vt_logon(t);
	vt_cmd(t, "fill partial 1");
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 3, P(4999), 0);
	vt_event(t, VEV_ACK, 1);
	for (int k = 0; k < 3; k++) {
		vt_cmd(t, "price ES 4999");
		e = vt_event_nth(t, VEV_FILL, 1, k);
		assert_int_equal(e->qty, 1);
		assert_int_equal(e->leaves, 2 - k);
	}
}

/* The rejects of type (3 or j) of a message of ref_type on record. */
static int
vt_rejects(const struct vt *t, const char *type, const char *ref_type)
{
	sqlite3		*db;
	sqlite3_stmt	*q;
	int		 n = -1;

	if (sqlite3_open(t->store, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM fix_reject WHERE "
	    "key = 'FIX.4.4:TD->CP' AND type = ?1 AND ref_type = ?2 AND "
	    "ref_seq > 0 AND text <> ''", -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", t->store, sqlite3_errmsg(db));
	sqlite3_bind_text(q, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, ref_type, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void
test_venue_fix_rejects(void **state)
{
	struct vt			*t = *state;
	const struct venue_event	*e;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_cmd(t, "reject next no margin left");
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	e = vt_event(t, VEV_REJECT, 1);
	assert_string_equal(e->reason, "no margin left");

	vt_submit(t, 2, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 2);
	vt_cmd(t, "reject cancel next");
	t->v->ops->cancel(t->v->ctx, 2, vt_clock());
	vt_event(t, VEV_CANCEL_REJECT, 2);
	/* The order still works: the next cancel goes. */
	t->v->ops->cancel(t->v->ctx, 2, vt_clock());
	vt_event(t, VEV_CANCELLED, 2);

	vt_cmd(t, "bmr next");
	vt_submit(t, 3, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	e = vt_event(t, VEV_REJECT, 3);
	assert_non_null(strstr(e->reason, "business reject"));

	/* A session-level Reject of a NewOrderSingle rejects the order. */
	vt_cmd(t, "session-reject next");
	vt_submit(t, 5, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	e = vt_event(t, VEV_REJECT, 5);
	assert_non_null(strstr(e->reason, "session reject"));

	/* An unsolicited cancel says who did it. */
	vt_submit(t, 4, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 4);
	vt_cmd(t, "cancel 4");
	e = vt_event(t, VEV_CANCELLED, 4);
	assert_non_null(strstr(e->reason, "cancelled by the venue"));

	/* Both rejects are on record in the journal's file. */
	assert_int_equal(vt_rejects(t, "3", "D"), 1);
	assert_int_equal(vt_rejects(t, "j", "D"), 1);
}

/* A stop and a target in one OCO group: a fill of one cuts the other. */
static void
test_venue_fix_oco(void **state)
{
	struct vt			*t = *state;
	struct venue_order		 stop = { .id = 2, .inst = 0,
					    .side = TD_SELL, .type = ORD_STOP,
					    .qty = 2, .price = P(4995),
					    .oco = 1, .reduce_only = true };
	struct venue_order		 target = stop;
	const struct venue_event	*e;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_MARKET, 2, 0, 0);
	vt_event(t, VEV_FILL, 1);
	target.id = 3;
	target.type = ORD_LIMIT;
	target.price = P(5005);
	assert_int_equal(t->v->ops->submit(t->v->ctx, &stop, vt_clock()), 0);
	assert_int_equal(t->v->ops->submit(t->v->ctx, &target, vt_clock()), 0);
	vt_event(t, VEV_ACK, 2);
	vt_event(t, VEV_ACK, 3);
	vt_cmd(t, "fill partial 1");
	vt_cmd(t, "price ES 5005");
	vt_event(t, VEV_FILL, 3);
	e = vt_event(t, VEV_REDUCED, 2);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->leaves, 1);
	vt_cmd(t, "price ES 5005");
	e = vt_event(t, VEV_CANCELLED, 2);
	assert_string_equal(e->reason, "oco");
	vt_cmd(t, "fills");
	assert_non_null(strstr(t->cp.reply, "ES:0"));
}

/*
 * The link drops with an order working; a fill comes while it is down;
 * the venue reconnects, the resend brings the fill once, and the order
 * status of what is still working is asked.
 */
static void
test_venue_fix_link_dropped(void **state)
{
	struct vt			*t = *state;
	const struct venue_event	*e;
	struct venue_order		 exit = { .id = 3, .inst = 0,
					    .side = TD_SELL,
					    .type = ORD_MARKET, .qty = 1,
					    .reduce_only = true };

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 1, P(4999), 0);
	vt_submit(t, 2, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 1);
	vt_event(t, VEV_ACK, 2);
	vt_cmd(t, "drop");
	vt_until(t, vt_lost, NULL, "the link to go");
	vt_cmd(t, "price ES 4999");		/* order 1 fills, unheard */
	/* While down: what opens is refused, an exit waits, a cancel too. */
	exit.id = 9;
	exit.reduce_only = false;
	assert_int_equal(t->v->ops->submit(t->v->ctx, &exit, vt_clock()), -1);
	exit.id = 3;
	exit.reduce_only = true;
	assert_int_equal(t->v->ops->submit(t->v->ctx, &exit, vt_clock()), 0);
	assert_int_equal(t->v->ops->cancel(t->v->ctx, 2, vt_clock()), 0);
	vt_logon(t);
	e = vt_event(t, VEV_FILL, 1);
	assert_int_equal(e->price, P(4999));
	vt_event(t, VEV_CANCELLED, 2);
	vt_event(t, VEV_FILL, 3);
	/* Once each. */
	assert_null(vt_find(t, VEV_FILL, 1, 1));
	vt_cmd(t, "fills");
	assert_non_null(strstr(t->cp.reply, "ES:0"));
}

/* Withheld messages come back through a resend, once. */
static void
test_venue_fix_withheld_messages(void **state)
{
	struct vt	*t = *state;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_cmd(t, "withhold 2");
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);	/* ack held */
	vt_submit(t, 2, 0, TD_BUY, ORD_MARKET, 1, 0, 0);	/* fill held */
	vt_submit(t, 3, 0, TD_BUY, ORD_LIMIT, 1, P(4980), 0);	/* gap seen */
	vt_event(t, VEV_ACK, 3);
	vt_event(t, VEV_ACK, 1);
	vt_event(t, VEV_FILL, 2);
	assert_null(vt_find(t, VEV_ACK, 1, 1));
	assert_null(vt_find(t, VEV_FILL, 2, 1));
}

/* The sequence number the counterparty expects from us next. */
static long
cp_next_in(struct vt *t)
{
	const char	*p;

	vt_cmd(t, "status");
	if ((p = strstr(t->cp.reply, "next-in ")) == NULL)
		fail_msg("status: %s", t->cp.reply);
	return strtol(p + 8, NULL, 10);
}

/* A restart resumes the session; the questions of a restart answer. */
static void
test_venue_fix_restart_resumes(void **state)
{
	struct vt		*t = *state;
	struct venue_status	 st;
	struct errmsg		 err;
	long			 before;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_MARKET, 1, 0, 0);
	vt_event(t, VEV_FILL, 1);
	vt_submit(t, 2, 0, TD_SELL, ORD_STOP, 1, P(4995), 0);
	vt_event(t, VEV_ACK, 2);
	before = cp_next_in(t);
	venue_fix_free(t->v);
	vt_cmd(t, "price ES 5001");
	vt_open(t);
	t->nev = 0;
	assert_int_equal(t->v->ops->order_status(t->v->ctx, 2, &st, &err), 0);
	assert_int_equal(st.state, VOS_WORKING);
	assert_int_equal(st.order.qty, 1);
	assert_int_equal(st.order.price, P(4995));
	assert_int_equal(t->v->ops->order_status(t->v->ctx, 1, &st, &err), 0);
	assert_int_equal(st.state, VOS_FILLED);
	assert_int_equal(t->v->ops->order_status(t->v->ctx, 77, &st, &err), 0);
	assert_int_equal(st.state, VOS_UNKNOWN);
	/* The session went on where it was: nothing started from 1. */
	vt_cmd(t, "status");
	assert_non_null(strstr(t->cp.reply, "logged-on 1"));
	assert_true(cp_next_in(t) > before);
}

/*
 * The counterparty goes quiet: a TestRequest, then the link is dropped
 * and made again once it speaks.
 */
static void
test_venue_fix_heartbeat_timeout(void **state)
{
	struct vt	*t = *state;

	venue_fix_free(t->v);
	t->cfg.heartbeat = 1;
	vt_open(t);
	vt_logon(t);
	vt_cmd(t, "silence on");
	vt_until(t, vt_lost, NULL, "the heartbeat timeout");
	vt_cmd(t, "silence off");
	vt_logon(t);
	if (!vt_noted(t, "heartbeat timeout"))
		fail_msg("no notice of the heartbeat timeout");
}

/*
 * Both directions of a gap: the counterparty misses ours (it asks, we
 * resend, it takes each order once) and we miss its (we ask, it fills
 * the gap).
 */
static void
test_venue_fix_gaps_both_ways(void **state)
{
	struct vt	*t = *state;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 1);
	vt_cmd(t, "expect-lower 1");
	vt_submit(t, 2, 0, TD_BUY, ORD_LIMIT, 1, P(4989), 0);
	vt_event(t, VEV_ACK, 2);
	vt_cmd(t, "orders");
	assert_non_null(strstr(t->cp.reply, "1:ES:buy:1:1:limit:4990.00"));
	assert_non_null(strstr(t->cp.reply, "2:ES:buy:1:1:limit:4989.00"));
	assert_null(strstr(strstr(t->cp.reply, "1:ES:buy") + 1, "1:ES:buy:1"));
	assert_null(vt_find(t, VEV_ACK, 1, 1));

	vt_cmd(t, "gap 3");
	vt_submit(t, 3, 0, TD_BUY, ORD_LIMIT, 1, P(4988), 0);
	vt_event(t, VEV_ACK, 3);
	assert_int_equal(t->v->ops->conn(t->v->ctx), VENUE_UP);
}

static int
vt_count_status(void *arg, const struct venue_status *st)
{
	int	*n = arg;

	n[0]++;
	n[1] += (int)st->leaves;
	return 0;
}

static int
vt_count_exec(void *arg, const struct venue_exec *x)
{
	int	*n = arg;

	n[0]++;
	n[1] += x->side == TD_BUY ? (int)x->qty : -(int)x->qty;
	return 0;
}

/* What a restart asks: every working order, every fill since. */
static void
test_venue_fix_mass_status_and_executions(void **state)
{
	struct vt	*t = *state;
	struct errmsg	 err;
	int		 st[2] = { 0 }, ex[2] = { 0 };

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_MARKET, 2, 0, 0);
	vt_submit(t, 2, 0, TD_SELL, ORD_LIMIT, 1, P(5010), 0);
	vt_submit(t, 3, 1, TD_BUY, ORD_LIMIT, 3, P(4990), 0);
	vt_event(t, VEV_FILL, 1);
	vt_event(t, VEV_ACK, 2);
	vt_event(t, VEV_ACK, 3);
	if (t->v->ops->mass_status(t->v->ctx, vt_count_status, st, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(st[0], 2);
	assert_int_equal(st[1], 4);
	if (t->v->ops->executions(t->v->ctx, 0, vt_count_exec, ex, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(ex[0], 1);
	assert_int_equal(ex[1], 2);
}

/* How many messages the venue sent with this field (its message log). */
static int
vt_sent(const struct vt *t, const char *field)
{
	FILE	*f = fopen(t->cfg.msglog, "r");
	char	 line[8192], pat[64];
	int	 n = 0;

	assert_non_null(f);
	snprintf(pat, sizeof pat, "|%s|", field);
	while (fgets(line, sizeof line, f) != NULL)
		n += strstr(line, " > ") != NULL && strstr(line, pat) != NULL;
	fclose(f);
	return n;
}

/*
 * Every working order cancelled in one step goes as one mass cancel; a
 * counterparty that refuses those gets one cancel per order.
 */
static void
test_venue_fix_mass_cancel(void **state)
{
	struct vt	*t = *state;

	for (int refuse = 0; refuse < 2; refuse++) {
		uint64_t	 base = 10 * (uint64_t)(refuse + 1);

		vt_logon(t);
		vt_cmd(t, "mass-cancel %s", refuse ? "off" : "on");
		vt_submit(t, base + 1, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
		vt_submit(t, base + 2, 1, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
		vt_event(t, VEV_ACK, base + 1);
		vt_event(t, VEV_ACK, base + 2);
		t->v->ops->cancel(t->v->ctx, base + 1, vt_clock());
		t->v->ops->cancel(t->v->ctx, base + 2, vt_clock());
		vt_event(t, VEV_CANCELLED, base + 1);
		vt_event(t, VEV_CANCELLED, base + 2);
		vt_cmd(t, "orders");
		assert_string_equal(t->cp.reply, "ok");
	}
	/* Two mass cancels went out; after the refused one, two cancels. */
	assert_int_equal(vt_sent(t, "35=q"), 2);
	assert_int_equal(vt_sent(t, "35=F"), 2);
}

/*
 * Sessions that reset at logon resend nothing: an order cancelled while
 * the link was down is found gone by the status asked after the
 * reconnect, ends here too, and counts as a discrepancy.
 */
static void
test_venue_fix_reconnect_finds_discrepancy(void **state)
{
	struct vt			*t = *state;
	const struct venue_event	*e;

	venue_fix_free(t->v);
	t->cfg.reset_on_logon = true;
	vt_open(t);
	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_submit(t, 2, 0, TD_BUY, ORD_LIMIT, 1, P(4980), 0);
	vt_event(t, VEV_ACK, 1);
	vt_event(t, VEV_ACK, 2);
	assert_int_equal(t->v->ops->discrepancies(t->v->ctx), 0);
	vt_cmd(t, "drop");
	vt_until(t, vt_lost, NULL, "the link to go");
	vt_cmd(t, "cancel 1");
	vt_logon(t);
	e = vt_event(t, VEV_CANCELLED, 1);
	assert_string_equal(e->reason, "not working at the venue after the "
	    "reconnect");
	assert_int_equal(t->v->ops->discrepancies(t->v->ctx), 1);
	assert_null(vt_find(t, VEV_CANCELLED, 2, 0));
}

/*
 * Wait until the venue is up and has heard everything the counterparty
 * said: an order placed last is acknowledged after all of it (a message
 * still held back shows as a gap, and the resend brings it first).
 */
static void
vt_settle(struct vt *t, uint64_t id)
{
	vt_logon(t);
	vt_cmd(t, "withhold 0");
	vt_submit(t, id, 1, TD_BUY, ORD_LIMIT, 1, P(1000), 0);
	vt_event(t, VEV_ACK, id);
	t->v->ops->cancel(t->v->ctx, id, vt_clock());
	vt_event(t, VEV_CANCELLED, id);
}

/*
 * A seeded run of orders, price moves and link faults (drops, withheld
 * messages, skipped sequence numbers, a counterparty that asks us to
 * resend): every fill the counterparty made reaches the venue once, the
 * venue's records and the counterparty's agree, and the figures are
 * printed.  TD_PROP_SEED replays one seed, TD_PROP_STEPS makes it longer.
 */
static void
test_venue_fix_faults_lose_nothing(void **state)
{
	struct vt	*t = *state;
	const char	*env = getenv("TD_PROP_SEED");
	const char	*steps = getenv("TD_PROP_STEPS");
	uint64_t	 seed = env != NULL ? strtoull(env, NULL, 0) : 0xf1c5;
	int		 n = steps != NULL ? atoi(steps) : 150;
	int		 drops = 0, holds = 0, gaps = 0, asks = 0, ex[2] = { 0 };
	int		 fills = 0, cp_fills, cp_net = 0, resent = 0;
	struct errmsg	 err;
	struct rng	 g;
	uint64_t	 id = 0;
	td_ticks	 px = P(5000);
	char		 line[64];
	const char	*p;

	rng_seed(&g, seed);
	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	for (int k = 0; k < n; k++) {
		uint64_t	 r = rng_below(&g, 100);

		if (r < 30) {
			struct venue_order	 o = { .id = ++id,
				.side = rng_below(&g, 2) ? TD_BUY : TD_SELL,
				.type = ORD_LIMIT,
				.qty = 1 + (int64_t)rng_below(&g, 3),
				.price = px + (td_ticks)rng_below(&g, 9) - 4 };

			/* Refused only while the link is down. */
			if (t->v->ops->submit(t->v->ctx, &o, vt_clock()) == -1)
				assert_int_not_equal(t->v->ops->conn(
				    t->v->ctx), VENUE_UP);
		} else if (r < 40 && id > 0) {
			t->v->ops->cancel(t->v->ctx, 1 + rng_below(&g, id),
			    vt_clock());
		} else if (r < 70) {
			px += (td_ticks)rng_below(&g, 5) - 2;
			snprintf(line, sizeof line, "price ES %lld.%02lld",
			    (long long)(px / 4), (long long)(px % 4 * 25));
			vt_cmd(t, "%s", line);
		} else if (r < 76) {
			vt_logon(t);		/* a drop needs a link */
			drops++;
			vt_cmd(t, "drop");
			vt_until(t, vt_lost, NULL, "the link to go");
		} else if (r < 82) {
			holds++;
			vt_cmd(t, "withhold %d", 1 + (int)rng_below(&g, 3));
		} else if (r < 86) {
			gaps++;
			vt_cmd(t, "gap %d", 1 + (int)rng_below(&g, 3));
		} else if (r < 90 && fixcp_cmd(&t->cp, "expect-lower 1") == 0)
			asks++;
		vt_turn(t);
	}
	vt_settle(t, id + 1);
	if (t->v->ops->executions(t->v->ctx, 0, vt_count_exec, ex, &err) == -1)
		fail_msg("%s", err.msg);
	fills = t->nfills;
	vt_cmd(t, "fills");
	cp_fills = atoi(t->cp.reply + 3);
	if ((p = strstr(t->cp.reply, "ES:")) != NULL)
		cp_net = atoi(p + 3);
	resent = vt_sent(t, "43=Y");
	print_message("seed %#llx, %d steps: %d link drops, %d withholds, %d "
	    "gaps, %d resend requests asked of us, %d messages resent by us; "
	    "fills: counterparty %d (net %+d), venue %d (net %+d), events "
	    "%d\n", (unsigned long long)seed, n, drops, holds, gaps, asks,
	    resent, cp_fills, cp_net, ex[0], ex[1], fills);
	if (cp_fills != ex[0] || cp_net != ex[1] || fills != ex[0])
		fail_msg("seed %#llx: fills lost or doubled", (unsigned long
		    long)seed);
	assert_true(drops > 0 && cp_fills > 0);
}

static bool
vt_closed(struct vt *t, const void *arg)
{
	(void)arg;
	return t->v->ops->conn(t->v->ctx) == VENUE_CLOSED;
}

/*
 * Session hours from an hour ago to an hour from now (UTC): logged on;
 * two hours later the venue logs out and says closed, and does not come
 * back before they open again.
 */
static void
test_venue_fix_session_hours(void **state)
{
	struct vt	*t = *state;
	int		 m = (int)(vt_clock() / SEC / 60 % 1440);

	venue_fix_free(t->v);
	t->cfg.session_open = (m + 1440 - 60) % 1440;
	t->cfg.session_close = (m + 60) % 1440;
	snprintf(t->cfg.session_tz, sizeof t->cfg.session_tz, "UTC");
	vt_open(t);
	vt_logon(t);
	vt_skew = 2 * 3600 * SEC;
	vt_until(t, vt_closed, NULL, "the end of the session hours");
	for (int k = 0; k < 5; k++)
		vt_turn(t);
	vt_cmd(t, "status");
	assert_non_null(strstr(t->cp.reply, "logged-on 0"));
	assert_int_equal(t->v->ops->conn(t->v->ctx), VENUE_CLOSED);
	/* A day later they are open again. */
	vt_skew = 24 * 3600 * SEC;
	vt_logon(t);
}

/*
 * A TLS front for the counterparty (which speaks plain TCP): TLS on a
 * loopback port of its own, each connection relayed to fixcp, on a
 * thread of the test's.
 */
struct front {
	int		 lfd;
	int		 port;
	int		 to;		/* fixcp's port */
	SSL_CTX		*ctx;
	pthread_t	 th;
	atomic_bool	 stop;
};

static int
front_dial(int port)
{
	struct sockaddr_in	 a = { .sin_family = AF_INET,
				    .sin_port = htons((uint16_t)port),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int			 fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd != -1 && connect(fd, (struct sockaddr *)&a, sizeof a) == -1) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Bytes both ways until either side closes. */
static void
front_relay(struct front *f, SSL *ssl, int c, int b)
{
	char	 buf[8192];
	int	 n;

	while (!atomic_load(&f->stop)) {
		struct pollfd	 p[2] = { { .fd = c, .events = POLLIN },
				    { .fd = b, .events = POLLIN } };

		if (SSL_pending(ssl) == 0 && poll(p, 2, 100) <= 0)
			continue;
		if (SSL_pending(ssl) > 0 || p[0].revents != 0) {
			if ((n = SSL_read(ssl, buf, sizeof buf)) <= 0 ||
			    write(b, buf, (size_t)n) != n)
				return;
		}
		if (p[1].revents != 0) {
			if ((n = (int)read(b, buf, sizeof buf)) <= 0 ||
			    SSL_write(ssl, buf, n) != n)
				return;
		}
	}
}

static void *
front_main(void *arg)
{
	struct front	*f = arg;

	while (!atomic_load(&f->stop)) {
		struct pollfd	 p = { .fd = f->lfd, .events = POLLIN };
		SSL		*ssl;
		int		 c, b;

		if (poll(&p, 1, 100) <= 0 || (c = accept(f->lfd, NULL,
		    NULL)) == -1)
			continue;
		ssl = SSL_new(f->ctx);
		SSL_set_fd(ssl, c);
		if (SSL_accept(ssl) == 1 && (b = front_dial(f->to)) != -1) {
			front_relay(f, ssl, c, b);
			close(b);
		}
		SSL_free(ssl);
		close(c);
	}
	return NULL;
}

static void
front_start(struct front *f, int to, EVP_PKEY *key, X509 *cert)
{
	struct sockaddr_in	 a = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t		 n = sizeof a;

	memset(f, 0, sizeof *f);
	f->to = to;
	assert_non_null(f->ctx = SSL_CTX_new(TLS_server_method()));
	assert_int_equal(SSL_CTX_use_certificate(f->ctx, cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(f->ctx, key), 1);
	assert_true((f->lfd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(f->lfd, 4), 0);
	assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&a, &n), 0);
	f->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&f->th, NULL, front_main, f), 0);
}

static void
front_stop(struct front *f)
{
	atomic_store(&f->stop, true);
	pthread_join(f->th, NULL);
	close(f->lfd);
	SSL_CTX_free(f->ctx);
}

/*
 * Over TLS: the certificate checked against the CA file and the host
 * name, then orders as over TCP; a certificate of another CA is refused
 * and nothing logs on.
 */
static void
test_venue_fix_tls(void **state)
{
	struct vt	*t = *state;
	struct front	 f;
	EVP_PKEY	*key = EVP_EC_gen("P-256"), *other = EVP_EC_gen("P-256");
	X509		*cert, *ocert;
	char		 ca[160], oca[160];

	assert_non_null(key);
	assert_non_null(other);
	assert_non_null(cert = tls_cert_make(key, "localhost",
	    "DNS:localhost", 1));
	assert_non_null(ocert = tls_cert_make(other, "another CA",
	    "DNS:localhost", 2));
	snprintf(ca, sizeof ca, "%s/ca.pem", t->cp.dir);
	snprintf(oca, sizeof oca, "%s/other.pem", t->cp.dir);
	assert_int_equal(tls_cert_write(cert, ca), 0);
	assert_int_equal(tls_cert_write(ocert, oca), 0);
	front_start(&f, t->cp.port, key, cert);

	venue_fix_free(t->v);
	snprintf(t->cfg.host, sizeof t->cfg.host, "localhost");
	t->cfg.port = f.port;
	t->cfg.tls = true;
	snprintf(t->cfg.tls_ca_file, sizeof t->cfg.tls_ca_file, "%s", oca);
	vt_open(t);
	for (int k = 0; k < 20; k++)
		vt_turn(t);
	assert_int_not_equal(t->v->ops->conn(t->v->ctx), VENUE_UP);
	assert_true(vt_noted(t, "certificate verify failed"));

	venue_fix_free(t->v);
	snprintf(t->cfg.tls_ca_file, sizeof t->cfg.tls_ca_file, "%s", ca);
	vt_open(t);
	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_MARKET, 1, 0, 0);
	assert_int_equal(vt_event(t, VEV_FILL, 1)->price, P(5000));
	venue_fix_free(t->v);
	t->v = NULL;
	front_stop(&f);
	X509_free(cert);
	X509_free(ocert);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}

/* ------------------------------------------------------- with an engine */

/*
 * The engine on the FIX venue (ES only), attended, ES at 5000 at the
 * counterparty and in the engine, logged on.
 */
static struct engine *
et_engine(struct vt *t)
{
	struct engine_config	 cfg;
	struct engine_deps	 deps = { 0 };
	struct engine		*e;
	struct errmsg		 err;
	struct td_md		 md;

	venue_fix_free(t->v);
	fixture_config(&cfg);
	cfg.unattended = false;
	if ((t->v = venue_fix_create(&t->cfg, cfg.inst, 1, t->store,
	    &err)) == NULL)
		fail_msg("%s", err.msg);
	deps.venue = t->v;
	assert_non_null(e = engine_create(&cfg, &deps, &err));
	vt_cmd(t, "price ES 5000");
	md = fixture_bar(fixture_ny(2024, 3, 14, 10, 0), P(5000), P(5000),
	    P(5000), P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	return e;
}

static void
et_turn(struct vt *t, struct engine *e)
{
	const struct venue_ops	*ops = t->v->ops;
	struct pollfd		 p = { .fd = ops->fd(t->v->ctx),
				    .events = POLLIN };
	td_ns			 now = vt_clock(), wake;
	int			 ms;

	engine_venue_run(e, now);
	wake = engine_venue_wake(e);
	ms = wake <= now ? 0 : wake - now > 50000000 ? 50 :
	    (int)((wake - now) / 1000000);
	poll(p.fd >= 0 ? &p : NULL, p.fd >= 0 ? 1 : 0, ms);
}

struct et_cond {
	struct engine	*e;
	int64_t		 pos;		/* the engine's ES position */
	const char	*cp;		/* and a counterparty answer with */
	const char	*cmd;		/* ... to this command */
	enum venue_conn	 conn;
	bool		 any_conn;
};

/* Until the engine and the counterparty say what c wants. */
static void
et_until(struct vt *t, const struct et_cond *c, const char *what)
{
	td_ns	 start = vt_clock();

	for (;;) {
		if (portfolio_position(engine_portfolio(c->e), ES) == c->pos &&
		    (c->any_conn || t->v->ops->conn(t->v->ctx) == c->conn) &&
		    (c->cmd == NULL || (fixcp_cmd(&t->cp, "%s", c->cmd) == 0 &&
		    strstr(t->cp.reply, c->cp) != NULL)))
			return;
		if (vt_clock() - start > GUARD)
			fail_msg("waited %lld s for %s; the counterparty said "
			    "'%s'", (long long)(GUARD / SEC), what,
			    t->cp.reply);
		et_turn(t, c->e);
	}
}

static uint64_t
et_buy(struct engine *e, enum order_type type, int64_t qty, td_ticks price)
{
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = type, .qty = qty, .price = price,
				    .br = { .stop_ticks = 8, .ntargets = 1,
				    .target_ticks = { 16 } } };
	struct errmsg		 err;
	uint64_t		 id;

	if (engine_manual_order(e, &m, &id, &err) == -1)
		fail_msg("%s", err.msg);
	return id;
}

/* The stop at the counterparty grows with every partial fill. */
static void
test_venue_fix_engine_partial_fills_grow_the_stop(void **state)
{
	struct vt	*t = *state;
	struct engine	*e = et_engine(t);
	char		 want[64];

	et_until(t, &(struct et_cond){ .e = e, .conn = VENUE_UP }, "logon");
	vt_cmd(t, "fill partial 1");
	et_buy(e, ORD_LIMIT, 3, P(4999));
	for (int k = 1; k <= 3; k++) {
		vt_cmd(t, "price ES 4999");
		/* sell stop at 4997.00, k of k left */
		snprintf(want, sizeof want, ":ES:sell:%d:%d:stop:4997.00", k, k);
		et_until(t, &(struct et_cond){ .e = e, .pos = k,
		    .conn = VENUE_UP, .cmd = "orders", .cp = want },
		    "the stop to cover the position");
	}
	assert_true(order_mgr_protected(engine_orders(e), ES, 3));
	engine_free(e);
	t->v = NULL;
}

/* The counterparty refuses the stop: the position is flattened. */
static void
test_venue_fix_engine_refused_stop(void **state)
{
	struct vt	*t = *state;
	struct engine	*e = et_engine(t);

	et_until(t, &(struct et_cond){ .e = e, .conn = VENUE_UP }, "logon");
	vt_cmd(t, "reject type stop stop too close to the market");
	et_buy(e, ORD_MARKET, 1, 0);
	/* Bought, and sold again at the market. */
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_UP,
	    .cmd = "fills", .cp = "ok 2 ES:0" }, "the flatten");
	assert_int_equal(trades_count(engine_trades(e)), 1);
	assert_string_equal(trades_get(engine_trades(e), 0)->reason,
	    "not protected");
	vt_cmd(t, "orders");
	assert_string_equal(t->cp.reply, "ok");
	engine_free(e);
	t->v = NULL;
}

/*
 * Kill while the link is down: nothing can go, and the kill waits; once
 * the link is back it goes first: flat, nothing working.
 */
static void
test_venue_fix_engine_kill_while_down(void **state)
{
	struct vt	*t = *state;
	struct engine	*e = et_engine(t);

	et_until(t, &(struct et_cond){ .e = e, .conn = VENUE_UP }, "logon");
	et_buy(e, ORD_MARKET, 1, 0);
	et_until(t, &(struct et_cond){ .e = e, .pos = 1, .conn = VENUE_UP,
	    .cmd = "orders", .cp = ":stop:" }, "the bracket");
	vt_cmd(t, "drop");
	et_until(t, &(struct et_cond){ .e = e, .pos = 1, .conn = VENUE_LOST },
	    "the link to go");
	engine_kill(e, "test");
	assert_int_equal(engine_state(e), TS_KILLED);
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_UP,
	    .cmd = "orders", .cp = "ok" }, "the kill to go out");
	vt_cmd(t, "orders");
	assert_string_equal(t->cp.reply, "ok");
	vt_cmd(t, "fills");
	if (strstr(t->cp.reply, "ok 2 ES:0") == NULL)
		fail_msg("the counterparty's fills: %s", t->cp.reply);
	engine_free(e);
	t->v = NULL;
}

/* How many lines of the file at path hold text. */
static int
vt_lines_with(const char *path, const char *text)
{
	FILE	*f = fopen(path, "r");
	char	 line[4096];
	int	 n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

/*
 * Kill while the main session cannot come back (its gateway refuses
 * connections): the emergency session carries it, a mass cancel of the
 * account and then the exit, and logs out once the main session is back.
 */
static void
test_venue_fix_engine_kill_on_emergency_session(void **state)
{
	struct vt		*t = *state;
	const char *const	 em[] = { "--emergency-port", "0", NULL };
	char			 log[sizeof t->cfg.em.msglog];
	struct engine		*e;

	venue_fix_free(t->v);
	t->v = NULL;
	fixcp_stop(&t->cp);
	assert_int_equal(fixcp_start(&t->cp, em), 0);
	assert_true(t->cp.em_port > 0);
	t->cfg.port = t->cp.port;
	t->cfg.em.port = t->cp.em_port;
	snprintf(t->cfg.em.sender, sizeof t->cfg.em.sender, "TDK");
	snprintf(t->cfg.em.target, sizeof t->cfg.em.target, "CP");
	snprintf(log, sizeof log, "%s/fix-emergency.log", t->cp.dir);
	snprintf(t->cfg.em.msglog, sizeof t->cfg.em.msglog, "%s", log);
	e = et_engine(t);

	et_until(t, &(struct et_cond){ .e = e, .conn = VENUE_UP }, "logon");
	et_buy(e, ORD_MARKET, 1, 0);
	et_until(t, &(struct et_cond){ .e = e, .pos = 1, .conn = VENUE_UP,
	    .cmd = "orders", .cp = ":stop:" }, "the bracket");
	vt_cmd(t, "emergency");
	assert_string_equal(t->cp.reply, "ok logged-on 0 requests 0");
	vt_cmd(t, "refuse on");
	vt_cmd(t, "drop");
	et_until(t, &(struct et_cond){ .e = e, .pos = 1, .conn = VENUE_LOST },
	    "the link to go");

	engine_kill(e, "test");
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_LOST,
	    .cmd = "emergency", .cp = "logged-on 1" }, "the kill on the "
	    "emergency session");
	vt_cmd(t, "orders");
	assert_string_equal(t->cp.reply, "ok");
	vt_cmd(t, "fills");
	if (strstr(t->cp.reply, "ok 2 ES:0") == NULL)
		fail_msg("the counterparty's fills: %s", t->cp.reply);
	/* One mass cancel, one exit: nothing else went on it. */
	vt_cmd(t, "emergency");
	assert_string_equal(t->cp.reply, "ok logged-on 1 requests 2");
	assert_int_equal(vt_lines_with(log, "|35=q|"), 1);
	assert_int_equal(vt_lines_with(log, "|35=D|"), 1);

	/* The main session back: asked, nothing amiss; the other leaves. */
	vt_cmd(t, "refuse off");
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_UP,
	    .cmd = "emergency", .cp = "logged-on 0" }, "the emergency "
	    "session to log out");
	assert_int_equal(t->v->ops->discrepancies(t->v->ctx), 0);
	assert_int_equal(engine_state(e), TS_KILLED);
	assert_int_equal(trades_count(engine_trades(e)), 1);
	engine_free(e);
	t->v = NULL;
}

/* ------------------------------------------------------------ FIX 4.2 */

/* The venue on FIX 4.2 against the counterparty's FIX 4.2. */
static int
setup42(void **state)
{
	static const char *const v42[] = { "--fix-version", "4.2", NULL };
	struct vt	*t;

	if (setup(state) == -1)
		return -1;
	t = *state;
	venue_fix_free(t->v);
	fixcp_stop(&t->cp);
	if (fixcp_start(&t->cp, v42) == -1)
		fail_msg("the FIX 4.2 counterparty did not start: %s",
		    t->cp.reply);
	t->cfg.port = t->cp.port;
	snprintf(t->cfg.begin, sizeof t->cfg.begin, "FIX.4.2");
	vt_open(t);
	return 0;
}

/*
 * Lines of the venue's message log with each of the texts (NULL-ended);
 * "> " begins what it sent, "< " what it received.
 */
static int
vt_log(const struct vt *t, const char *text, ...)
{
	FILE	*f = fopen(t->cfg.msglog, "r");
	char	 line[8192];
	int	 n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		const char	*s = text;
		va_list		 ap;
		bool		 all = true;

		va_start(ap, text);
		for (; s != NULL && all; s = va_arg(ap, const char *))
			all = strstr(line, s) != NULL;
		va_end(ap);
		n += all;
	}
	fclose(f);
	return n;
}

/* Logged on as FIX.4.2 both ways, nothing of FIX.4.4 on the wire. */
static void
test_venue_fix42_logon(void **state)
{
	struct vt	*t = *state;

	vt_logon(t);
	vt_cmd(t, "status");
	assert_non_null(strstr(t->cp.reply, "logged-on 1"));
	assert_int_equal(vt_log(t, "> 8=FIX.4.2|", "|35=A|", NULL), 1);
	assert_int_equal(vt_log(t, "< 8=FIX.4.2|", "|35=A|", NULL), 1);
	assert_int_equal(vt_log(t, "8=FIX.4.4|", NULL), 0);
}

/* Two contracts of type, filled one at a time: each fill's price. */
static void
vt_fill42(struct vt *t, uint64_t id, enum td_side side, enum order_type type,
    td_ticks price, td_ticks limit, const char *trade1, td_ticks px1,
    const char *trade2, td_ticks px2)
{
	const struct venue_event	*e;

	vt_submit(t, id, 0, side, type, 2, price, limit);
	vt_event(t, VEV_ACK, id);
	if (trade1 != NULL)
		vt_cmd(t, "price ES %s", trade1);
	e = vt_event(t, VEV_FILL, id);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->price, px1);
	assert_int_equal(e->leaves, 1);
	vt_cmd(t, "price ES %s", trade2);
	e = vt_event_nth(t, VEV_FILL, id, 1);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->price, px2);
	assert_int_equal(e->leaves, 0);
}

/*
 * Each order type's round trip on FIX 4.2, a partial fill and a fill
 * (ExecType 1, then 2), a replace and a cancel; the fields 4.2 requires
 * on each request are there.
 */
static void
test_venue_fix42_order_types(void **state)
{
	struct vt			*t = *state;
	const struct venue_event	*e;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_cmd(t, "fill partial 1");
	/* A market order takes one at once, one at the next trade. */
	vt_fill42(t, 1, TD_BUY, ORD_MARKET, 0, 0, NULL, P(5000), "5000",
	    P(5000));
	vt_fill42(t, 2, TD_SELL, ORD_LIMIT, P(5001), 0, "5001", P(5001),
	    "5001", P(5001));
	vt_fill42(t, 3, TD_SELL, ORD_STOP, P(4999), 0, "4999", P(4999),
	    "4998", P(4998));
	vt_fill42(t, 4, TD_BUY, ORD_STOP_LIMIT, P(5002), P(5002.25), "5002",
	    P(5002.25), "5002", P(5002.25));
	assert_int_equal(t->nfills, 8);
	assert_int_equal(vt_log(t, "< 8=FIX.4.2|", "|20=0|", "|150=1|", NULL),
	    4);
	assert_int_equal(vt_log(t, "< 8=FIX.4.2|", "|20=0|", "|150=2|", NULL),
	    4);
	assert_int_equal(vt_log(t, "|150=F|", NULL), 0);

	/* Replace, then cancel. */
	vt_submit(t, 5, 1, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 5);
	assert_int_equal(t->v->ops->replace(t->v->ctx, 5, 3, P(4991),
	    vt_clock()), 0);
	e = vt_event(t, VEV_REPLACED, 5);
	assert_int_equal(e->qty, 3);
	assert_int_equal(e->price, P(4991));
	assert_int_equal(t->v->ops->cancel(t->v->ctx, 5, vt_clock()), 0);
	e = vt_event(t, VEV_CANCELLED, 5);
	assert_string_equal(e->reason, "cancelled");
	vt_cmd(t, "orders");
	assert_string_equal(t->cp.reply, "ok");
	vt_cmd(t, "fills");
	assert_string_equal(t->cp.reply, "ok 8 ES:0");

	/* HandlInst and TransactTime on each order, TransactTime and
	 * OrderQty on each cancel (FIX 4.2 requires them). */
	assert_int_equal(vt_log(t, "> ", "|35=D|", "|21=1|", "|60=", NULL), 5);
	assert_int_equal(vt_log(t, "> ", "|35=G|", "|21=1|", "|60=", "|40=",
	    NULL), 1);
	assert_int_equal(vt_log(t, "> ", "|35=F|", "|60=", "|38=", NULL), 1);
}

/*
 * FIX 4.2 has no OrderMassCancelRequest: cancels asked in one step, and
 * a mass cancel, go as one cancel per order, even with mass_cancel on.
 */
static void
test_venue_fix42_mass_cancel_per_order(void **state)
{
	struct vt	*t = *state;

	venue_fix_free(t->v);
	t->cfg.mass_cancel = VFIX_MASS_ON;
	vt_open(t);
	vt_logon(t);
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_submit(t, 2, 1, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 1);
	vt_event(t, VEV_ACK, 2);
	/* Every working order in one step: a mass cancel in FIX 4.4. */
	t->v->ops->cancel(t->v->ctx, 1, vt_clock());
	t->v->ops->cancel(t->v->ctx, 2, vt_clock());
	vt_event(t, VEV_CANCELLED, 1);
	vt_event(t, VEV_CANCELLED, 2);
	vt_submit(t, 3, 0, TD_SELL, ORD_LIMIT, 1, P(5010), 0);
	vt_submit(t, 4, 1, TD_SELL, ORD_LIMIT, 1, P(5010), 0);
	vt_event(t, VEV_ACK, 3);
	vt_event(t, VEV_ACK, 4);
	assert_int_equal(t->v->ops->mass_cancel(t->v->ctx, -1, vt_clock()), 2);
	vt_event(t, VEV_CANCELLED, 3);
	assert_string_equal(vt_event(t, VEV_CANCELLED, 4)->reason,
	    "cancelled");
	vt_cmd(t, "orders");
	assert_string_equal(t->cp.reply, "ok");
	assert_int_equal(vt_log(t, "> ", "|35=q|", NULL), 0);
	assert_int_equal(vt_log(t, "> ", "|35=F|", NULL), 4);
	assert_int_equal(vt_log(t, "< ", "|35=j|", NULL), 0);
}

/*
 * Flatten, then kill, through the engine on FIX 4.2: every working order
 * (the bracket's stop and target; then two entries, all there is, which
 * FIX 4.4 would cancel with one mass cancel) is cancelled on its own,
 * and no mass cancel goes on the wire.
 */
static void
test_venue_fix42_engine_flatten_and_kill(void **state)
{
	struct vt	*t = *state;
	struct engine	*e = et_engine(t);

	et_until(t, &(struct et_cond){ .e = e, .conn = VENUE_UP }, "logon");
	et_buy(e, ORD_MARKET, 1, 0);
	et_until(t, &(struct et_cond){ .e = e, .pos = 1, .conn = VENUE_UP,
	    .cmd = "orders", .cp = ":limit:" }, "the bracket");
	assert_int_equal(engine_flatten(e, td_inst_all(), "test"), 0);
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_UP,
	    .cmd = "fills", .cp = "ok 2 ES:0" }, "the flatten");
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_UP,
	    .cmd = "status", .cp = " orders 0" }, "the bracket cancelled");

	/* Flat with two entries working: the kill cancels just those. */
	et_buy(e, ORD_LIMIT, 1, P(4990));
	et_buy(e, ORD_LIMIT, 1, P(4985));
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_UP,
	    .cmd = "orders", .cp = ":limit:4985.00" }, "the entries");
	engine_kill(e, "test");
	assert_int_equal(engine_state(e), TS_KILLED);
	et_until(t, &(struct et_cond){ .e = e, .pos = 0, .conn = VENUE_UP,
	    .cmd = "status", .cp = " orders 0" }, "the kill");
	vt_cmd(t, "fills");
	assert_string_equal(t->cp.reply, "ok 2 ES:0");
	assert_int_equal(vt_log(t, "> ", "|35=q|", NULL), 0);
	assert_int_equal(vt_log(t, "> ", "|35=F|", NULL), 4);
	engine_free(e);
	t->v = NULL;
}

/*
 * The link drops with an order partly filled and one working, and the
 * counterparty fills the first once more while it is down.  Back, the
 * resend brings that fill once; the status asked of each working order
 * (no OrdStatusReqID in 4.2) is answered with ExecTransType 3, which
 * says the order's status in ExecType (1: partly filled) and is no fill.
 */
static void
test_venue_fix42_status_after_drop(void **state)
{
	struct vt			*t = *state;
	const struct venue_event	*e;
	struct venue_status		 st;
	struct errmsg			 err;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_cmd(t, "fill partial 1");
	vt_submit(t, 1, 0, TD_BUY, ORD_LIMIT, 3, P(4999), 0);
	vt_submit(t, 2, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0);
	vt_event(t, VEV_ACK, 1);
	vt_event(t, VEV_ACK, 2);
	vt_cmd(t, "price ES 4999");
	assert_int_equal(vt_event(t, VEV_FILL, 1)->leaves, 2);
	vt_cmd(t, "drop");
	vt_until(t, vt_lost, NULL, "the link to go");
	vt_cmd(t, "price ES 4999");		/* one more of order 1, unheard */
	vt_logon(t);
	e = vt_event_nth(t, VEV_FILL, 1, 1);
	assert_int_equal(e->qty, 1);
	assert_int_equal(e->leaves, 1);
	/* Asked once more now: after the reconnect's answers, in order. */
	if (t->v->ops->order_status(t->v->ctx, 1, &st, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(st.state, VOS_WORKING);
	assert_int_equal(st.filled, 2);
	assert_int_equal(st.leaves, 1);
	for (int k = 0; k < 5; k++)
		vt_turn(t);
	assert_int_equal(t->nfills, 2);
	assert_null(vt_find(t, VEV_FILL, 1, 2));
	assert_null(vt_find(t, VEV_CANCELLED, 1, 0));
	assert_null(vt_find(t, VEV_CANCELLED, 2, 0));
	assert_int_equal(t->v->ops->discrepancies(t->v->ctx), 0);
	assert_false(vt_noted(t, "a fill without"));
	/* Three questions (two after the reconnect, one here), no 790. */
	assert_int_equal(vt_log(t, "> ", "|35=H|", NULL), 3);
	assert_int_equal(vt_log(t, "> ", "|790=", NULL), 0);
	assert_int_equal(vt_log(t, "< ", "|20=3|", "|11=1|", "|150=1|", NULL),
	    2);
	assert_int_equal(vt_log(t, "< ", "|20=3|", "|11=2|", "|150=0|", NULL),
	    1);
	/* The order goes on. */
	vt_cmd(t, "price ES 4999");
	assert_int_equal(vt_event_nth(t, VEV_FILL, 1, 2)->leaves, 0);
	vt_cmd(t, "fills");
	assert_string_equal(t->cp.reply, "ok 3 ES:+3");
}

/*
 * A restart on FIX 4.2 resumes the session; its questions answer, the
 * mass status by asking each order the store knows as working (4.2 has
 * no OrderMassStatusRequest).
 */
static void
test_venue_fix42_restart_resumes(void **state)
{
	struct vt		*t = *state;
	struct venue_status	 st;
	struct errmsg		 err;
	int			 n[2] = { 0 }, ex[2] = { 0 };
	long			 before;

	vt_logon(t);
	vt_cmd(t, "price ES 5000");
	vt_submit(t, 1, 0, TD_BUY, ORD_MARKET, 1, 0, 0);
	vt_event(t, VEV_FILL, 1);
	vt_submit(t, 2, 0, TD_SELL, ORD_STOP, 1, P(4995), 0);
	vt_submit(t, 3, 1, TD_BUY, ORD_LIMIT, 2, P(4990), 0);
	vt_submit(t, 4, 1, TD_BUY, ORD_LIMIT, 1, P(4980), 0);
	vt_event(t, VEV_ACK, 2);
	vt_event(t, VEV_ACK, 3);
	vt_event(t, VEV_ACK, 4);
	t->v->ops->cancel(t->v->ctx, 4, vt_clock());
	vt_event(t, VEV_CANCELLED, 4);
	before = cp_next_in(t);
	venue_fix_free(t->v);
	vt_cmd(t, "price ES 5001");
	vt_open(t);
	t->nev = 0;
	if (t->v->ops->mass_status(t->v->ctx, vt_count_status, n, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(n[0], 2);		/* orders 2 and 3 */
	assert_int_equal(n[1], 3);
	assert_int_equal(vt_log(t, "> ", "|35=AF|", NULL), 0);
	assert_int_equal(t->v->ops->order_status(t->v->ctx, 2, &st, &err), 0);
	assert_int_equal(st.state, VOS_WORKING);
	assert_int_equal(st.order.qty, 1);
	assert_int_equal(st.order.price, P(4995));
	assert_int_equal(t->v->ops->order_status(t->v->ctx, 1, &st, &err), 0);
	assert_int_equal(st.state, VOS_FILLED);
	assert_int_equal(t->v->ops->order_status(t->v->ctx, 77, &st, &err), 0);
	assert_int_equal(st.state, VOS_UNKNOWN);
	if (t->v->ops->executions(t->v->ctx, 0, vt_count_exec, ex, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(ex[0], 1);
	assert_int_equal(ex[1], 1);
	/* The session went on where it was: nothing started from 1. */
	vt_cmd(t, "status");
	assert_non_null(strstr(t->cp.reply, "logged-on 1"));
	assert_true(cp_next_in(t) > before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_venue_fix_order_types),
		T(test_venue_fix_partial_fills),
		T(test_venue_fix_rejects),
		T(test_venue_fix_oco),
		T(test_venue_fix_link_dropped),
		T(test_venue_fix_withheld_messages),
		T(test_venue_fix_restart_resumes),
		T(test_venue_fix_heartbeat_timeout),
		T(test_venue_fix_gaps_both_ways),
		T(test_venue_fix_mass_status_and_executions),
		T(test_venue_fix_mass_cancel),
		T(test_venue_fix_reconnect_finds_discrepancy),
		T(test_venue_fix_faults_lose_nothing),
		T(test_venue_fix_session_hours),
		T(test_venue_fix_tls),
		T(test_venue_fix_engine_partial_fills_grow_the_stop),
		T(test_venue_fix_engine_refused_stop),
		T(test_venue_fix_engine_kill_while_down),
		T(test_venue_fix_engine_kill_on_emergency_session),
#define T42(f)	cmocka_unit_test_setup_teardown(f, setup42, teardown)
		T42(test_venue_fix42_logon),
		T42(test_venue_fix42_order_types),
		T42(test_venue_fix42_mass_cancel_per_order),
		T42(test_venue_fix42_engine_flatten_and_kill),
		T42(test_venue_fix42_status_after_drop),
		T42(test_venue_fix42_restart_resumes),
#undef T42
#undef T
	};

	if (fixcp_path() == NULL) {
		printf("SKIP: the FIX counterparty tests/fix/fixcp was not "
		    "built (QuickFIX missing)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
