/*
 * test-journal.c -- the SQLite journal: round trips of every event type,
 * a journal written by a real engine, schema migration from versions 1,
 * 3 and 6, a session's clean end (restarts ACTIVE as journaled) against
 * one left open (restarts HALTED), refusal of a newer schema, of
 * corrupt, truncated and foreign files and of an index that disagrees
 * with its table, the writer's lock, hostile text through bound
 * parameters, and the engine halting when the journal cannot write a
 * fill; an entry it cannot write is never sent, and a resume it cannot
 * write does not happen.  Orders keep their whole
 * bracket, limit and time in force (the bracket's text form, rows edited
 * by hand refused) and fills their order's owner, role and type, across
 * a restart too.  A session begins on books given as plain data, its
 * positions counted on from theirs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine.h"
#include "errmsg.h"
#include "journal.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "trades.h"

#include "fixture.h"

struct tj {
	char		 dir[64];
	char		 path[128];	/* dir/data/journal.db */
};

static int
setup(void **state)
{
	struct tj	*t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/td-journal-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/data/journal.db", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tj	*t = *state;

	fixture_rmtree(t->dir);
	free(t);
	return 0;
}

static struct journal *
open_ok(const char *path, int flags)
{
	struct errmsg	 err;
	struct journal	*j = journal_open(path, flags, &err);

	if (j == NULL)
		fail_msg("%s", err.msg);
	return j;
}

/* An engine (the fixture's ES, one ORB strategy) for names and days. */
static struct engine *
orb_engine(void)
{
	return fixture_orb_engine(false, 0);
}

static const struct journal_session_info test_info = {
	.mode = "test",
	.config = "tests/conf/none.cfg",
};

/* A session on the (flat) books of e, given as plain data. */
static int64_t
begin(struct journal *j, struct engine *e)
{
	struct journal_strategy	 st[ENGINE_MAX_STRAT];
	struct journal_books	 b = {
		.cal = engine_calendar(e, 0),
		.now = engine_now(e),
		.ninst = engine_ninst(e),
		.inst = engine_instrument(e, ES),
		.nstrat = engine_nstrat(e),
		.strat = st,
	};
	struct errmsg		 err;
	int64_t			 id;

	for (int i = 0; i < engine_nstrat(e); i++) {
		const struct strategy_cfg	*sc;
		struct td_inst			 inst;

		sc = engine_strategy_cfg(e, td_strat_at(i));
		assert_int_equal(engine_inst_find(e, sc->symbol, &inst), 0);
		st[i] = (struct journal_strategy){ .name = sc->name,
		    .type = sc->type, .symbol = sc->symbol, .inst = inst.i };
	}
	if ((id = journal_begin(j, &test_info, &b, &err)) <= 0)
		fail_msg("%s", err.msg);
	return id;
}

/* A session on e's books, the journal its recorder (engine_journal). */
static int64_t
attach(struct journal *j, struct engine *e)
{
	struct errmsg	 err;
	int64_t		 id = engine_journal(e, j, &test_info, &err);

	if (id <= 0)
		fail_msg("%s", err.msg);
	return id;
}

/* ------------------------------------------------------------ collectors */

#define MAXROWS	64

struct rows {
	int			 n;
	struct journal_order	 o[MAXROWS];
	struct journal_fill	 f[MAXROWS];
	struct journal_position	 p[MAXROWS];
	struct journal_state	 s[MAXROWS];
	struct journal_command	 c[MAXROWS];
	struct journal_day	 d[MAXROWS];
	struct journal_session	 ss[MAXROWS];
	struct journal_instrument in[MAXROWS];
};

#define COLLECT(kind, field)						\
static int								\
collect_##kind(void *arg, const struct journal_##kind *r)		\
{									\
	struct rows	*rs = arg;					\
									\
	if (rs->n < MAXROWS)						\
		rs->field[rs->n] = *r;					\
	rs->n++;							\
	return 0;							\
}
COLLECT(order, o)
COLLECT(fill, f)
COLLECT(position, p)
COLLECT(state, s)
COLLECT(command, c)
COLLECT(day, d)
COLLECT(session, ss)
COLLECT(instrument, in)

static struct rows *
rows_new(void)
{
	struct rows	*rs = calloc(1, sizeof *rs);

	assert_non_null(rs);
	return rs;
}

static int
count_fills(struct journal *j)
{
	struct rows	*rs = rows_new();
	int		 n;

	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	n = rs->n;
	free(rs);
	return n;
}

/* ------------------------------------------------------------ events */

static td_ns
t_at(int mday, int h, int m)
{
	return fixture_ny(2024, 3, mday, h, m);
}

static struct order
an_order(uint64_t id, enum order_state st)
{
	return (struct order){
		.id = id,
		.inst = ES,
		.side = TD_BUY,
		.type = ORD_LIMIT,
		.state = st,
		.role = ROLE_ENTRY,
		.qty = 3,
		.price = P(5000.25),
		.owner = td_owner_strat(td_strat_at(0)),
		.corr = 41,
		.br = { .stop_ticks = 8, .ntargets = 1,
		    .target_ticks = { 16 } },
		.created = t_at(12, 10, 0),
		.updated = t_at(12, 10, 0),
	};
}

static void
order_ev(struct journal *j, const struct order *o, int from, td_ns t)
{
	struct engine_ev	 ev = {
		.kind = EEV_ORDER,
		.time = t,
		.corr = o->corr,
		.order = o,
		.from = from,
		.inst = o->inst,
		.side = o->side,
		.qty = o->qty,
		.price = o->price,
		.text = o->reason,
	};

	assert_int_equal(journal_observe(j, &ev, NULL), 0);
}

static void
fill_ev(struct journal *j, const struct order *o, int64_t qty, td_ticks px,
    td_ns t)
{
	struct engine_ev	 ev = {
		.kind = EEV_FILL,
		.time = t,
		.corr = o->corr,
		.order = o,
		.inst = o->inst,
		.side = o->side,
		.qty = qty,
		.price = px,
	};

	assert_int_equal(journal_observe(j, &ev, NULL), 0);
}

/* ------------------------------------------------------------ tests */

static void
test_journal_create_and_reopen(void **state)
{
	struct tj	*t = *state;
	struct journal	*j;
	struct errmsg	 err;
	struct stat	 sb;

	assert_null(journal_open(t->path, 0, &err));
	assert_non_null(strstr(err.msg, "no such journal"));
	j = open_ok(t->path, JOURNAL_CREATE);
	assert_int_equal(journal_schema_version(j), JOURNAL_SCHEMA_VERSION);
	assert_string_equal(journal_path(j), t->path);
	journal_close(j);
	/* Built under another name and renamed: nothing else is left. */
	assert_int_equal(stat(t->path, &sb), 0);
	{
		char	 tmp[160];

		snprintf(tmp, sizeof tmp, "%s.new", t->path);
		assert_int_equal(stat(tmp, &sb), -1);
	}
	j = open_ok(t->path, 0);
	assert_int_equal(journal_schema_version(j), JOURNAL_SCHEMA_VERSION);
	journal_close(j);
}

/* Every order event, in the order the engine reports them. */
static void
test_journal_order_events(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();
	struct order	 o = an_order(7, ORD_SUBMITTED), r = an_order(8,
			    ORD_REJECTED), x = an_order(9, ORD_SUBMITTED);
	static const char *const want[] = {
		"created", "submitted", "acknowledged", "replaced",
		"partially-filled", "filled", "created", "rejected",
		"created", "submitted", "acknowledged", "cancelled",
		"expired",
	};

	begin(j, e);
	order_ev(j, &o, -1, t_at(12, 10, 0));		/* created, submitted */
	o.state = ORD_WORKING;
	order_ev(j, &o, ORD_SUBMITTED, t_at(12, 10, 0));
	o.price = P(5001);
	order_ev(j, &o, ORD_WORKING, t_at(12, 10, 1));	/* replaced */
	o.state = ORD_PARTIAL;
	o.filled = 1;
	fill_ev(j, &o, 1, P(5001), t_at(12, 10, 2));
	o.state = ORD_FILLED;
	o.filled = 3;
	o.pair[0].stop_id = 10;
	o.pair[0].target_id = 11;
	fill_ev(j, &o, 2, P(5001), t_at(12, 10, 3));
	snprintf(r.reason, sizeof r.reason, "qty 500 exceeds max 10");
	order_ev(j, &r, -1, t_at(12, 10, 4));		/* created, rejected */
	order_ev(j, &x, -1, t_at(12, 10, 5));
	x.state = ORD_WORKING;
	order_ev(j, &x, ORD_SUBMITTED, t_at(12, 10, 5));
	x.state = ORD_CANCELLED;
	order_ev(j, &x, ORD_WORKING, t_at(12, 10, 6));
	/* Not legal for one order, but every event name must round trip. */
	x.state = ORD_EXPIRED;
	order_ev(j, &x, ORD_WORKING, t_at(12, 10, 7));

	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 13);
	for (int i = 0; i < 13; i++) {
		assert_string_equal(journal_event_name(rs->o[i].event),
		    want[i]);
		if (i > 0)
			assert_true(rs->o[i].seq > rs->o[i - 1].seq);
		assert_int_equal(rs->o[i].day, 20240312);
		assert_string_equal(rs->o[i].symbol, "ES");
		assert_string_equal(rs->o[i].owner_name, "orb");
	}
	assert_int_equal(rs->o[0].order.state, ORD_NEW);
	assert_int_equal(rs->o[0].from, -1);
	assert_int_equal(rs->o[1].from, ORD_NEW);
	assert_int_equal(rs->o[2].from, ORD_SUBMITTED);
	assert_int_equal(rs->o[3].order.price, P(5001));
	assert_int_equal(rs->o[3].from, ORD_WORKING);
	assert_int_equal(rs->o[4].order.filled, 1);
	assert_int_equal(rs->o[5].order.state, ORD_FILLED);
	assert_int_equal(rs->o[5].order.pair[0].stop_id, 10);
	assert_int_equal(rs->o[5].order.pair[0].target_id, 11);
	/* Every field of the order comes back. */
	{
		const struct order	*b = &rs->o[1].order;
		struct order		 a = an_order(7, ORD_SUBMITTED);

		assert_int_equal(b->id, a.id);
		assert_true(td_inst_eq(b->inst, a.inst));
		assert_int_equal(b->side, a.side);
		assert_int_equal(b->type, a.type);
		assert_int_equal(b->role, a.role);
		assert_int_equal(b->qty, a.qty);
		assert_int_equal(b->price, a.price);
		assert_true(td_owner_eq(b->owner, a.owner));
		assert_int_equal(b->corr, a.corr);
		assert_int_equal(b->br.stop_ticks, a.br.stop_ticks);
		assert_int_equal(b->br.target_ticks[0], a.br.target_ticks[0]);
		assert_int_equal(b->created, a.created);
		assert_int_equal(rs->o[1].time, t_at(12, 10, 0));
	}
	assert_string_equal(rs->o[7].order.reason, "qty 500 exceeds max 10");
	assert_int_equal(rs->o[12].order.state, ORD_EXPIRED);
	free(rs);
	journal_close(j);
	engine_free(e);
}

/*
 * A fill keeps the price range its instrument's open trade saw before it
 * (the trade's excursions for a report); 0 on a flat instrument.
 */
static void
test_journal_fill_trade_range(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();
	struct order	 o = an_order(3, ORD_FILLED), x = an_order(4,
			    ORD_FILLED);
	struct engine_ev ev;

	begin(j, e);
	o.filled = 1;
	o.qty = 1;
	fill_ev(j, &o, 1, P(5000), t_at(12, 10, 0));
	x.side = TD_SELL;
	x.role = ROLE_EXIT;
	x.qty = x.filled = 1;
	ev = (struct engine_ev){ .kind = EEV_FILL, .time = t_at(12, 11, 0),
	    .order = &x, .inst = x.inst, .side = TD_SELL, .qty = 1,
	    .price = P(5002), .trade_high = P(5004.25),
	    .trade_low = P(4998.5) };
	assert_int_equal(journal_observe(j, &ev, NULL), 0);
	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->f[0].trade_high, 0);
	assert_int_equal(rs->f[0].trade_low, 0);
	assert_int_equal(rs->f[1].trade_high, P(5004.25));
	assert_int_equal(rs->f[1].trade_low, P(4998.5));
	free(rs);
	journal_close(j);
	engine_free(e);
}

/*
 * A leg's fill that changed its entry's bracket: the entry's row is
 * written with the fill, in its transaction, after the leg's row and the
 * position's.
 */
static void
test_journal_leg_fill_keeps_bracket(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();
	struct order	 en = an_order(3, ORD_FILLED), tg = an_order(5,
			    ORD_FILLED);
	struct engine_ev ev;

	begin(j, e);
	en.type = ORD_MARKET;
	en.filled = en.opened = 3;
	en.legs_filled = 1;
	tg.side = TD_SELL;
	tg.role = ROLE_TARGET;
	tg.parent = tg.oco = 3;
	tg.qty = tg.filled = 1;
	ev = (struct engine_ev){ .kind = EEV_FILL, .time = t_at(12, 11, 0),
	    .order = &tg, .inst = tg.inst, .side = TD_SELL, .qty = 1,
	    .price = P(5004.25), .bracket = &en };
	assert_int_equal(journal_observe(j, &ev, NULL), 0);
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->o[0].order.id, 5);
	assert_int_equal(rs->o[0].event, JEV_FILLED);
	assert_int_equal(rs->o[1].order.id, 3);
	assert_int_equal(rs->o[1].event, JEV_REPLACED);
	assert_int_equal(rs->o[1].seq, rs->o[0].seq + 2);	/* position */
	assert_int_equal(rs->o[1].order.legs_filled, 1);
	free(rs);
	journal_close(j);
	engine_free(e);
}

/* A fill: the fill row, the order row and the positions it moved. */
static void
test_journal_fills_and_positions(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();
	struct order	 o = an_order(3, ORD_PARTIAL), m = an_order(4,
			    ORD_FILLED);

	begin(j, e);
	o.filled = 2;
	fill_ev(j, &o, 2, P(5000.25), t_at(12, 10, 0));
	m.owner = td_owner_manual();
	m.side = TD_SELL;
	m.role = ROLE_EXIT;
	m.qty = m.filled = 1;
	snprintf(m.reason, sizeof m.reason, "flatten");
	fill_ev(j, &m, 1, P(5003), t_at(13, 11, 0));

	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->f[0].order_id, 3);
	assert_int_equal(rs->f[0].qty, 2);
	assert_int_equal(rs->f[0].price, P(5000.25));
	assert_int_equal(rs->f[0].side, TD_BUY);
	assert_int_equal(rs->f[0].commission, 2 * 62);
	assert_int_equal(rs->f[0].order_filled, 2);
	assert_int_equal(rs->f[0].corr, 41);
	assert_int_equal(rs->f[0].role, ROLE_ENTRY);
	assert_string_equal(rs->f[0].reason, "entry");
	assert_string_equal(rs->f[0].owner_name, "orb");
	assert_int_equal(rs->f[0].day, 20240312);
	assert_true(td_owner_is_manual(rs->f[1].owner));
	assert_string_equal(rs->f[1].owner_name, "manual");
	assert_string_equal(rs->f[1].reason, "flatten");
	assert_int_equal(rs->f[1].day, 20240313);

	/* The day filter. */
	rs->n = 0;
	assert_int_equal(journal_read_fills(j, 20240313, 20240313,
	    collect_fill, rs, NULL), 0);
	assert_int_equal(rs->n, 1);
	assert_int_equal(rs->f[0].order_id, 4);

	rs->n = 0;
	assert_int_equal(journal_read_positions(j, 0, 0, collect_position, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->p[0].change, 2);
	assert_int_equal(rs->p[0].position, 2);
	assert_int_equal(rs->p[0].owner_position, 2);
	assert_int_equal(rs->p[1].change, -1);
	assert_int_equal(rs->p[1].position, 1);
	assert_int_equal(rs->p[1].owner_position, -1);	/* manual's own */
	assert_string_equal(rs->p[1].owner_name, "manual");

	/* The engine's (untouched) day figures were kept per day. */
	rs->n = 0;
	assert_int_equal(journal_read_days(j, 0, 0, collect_day, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->d[0].day, 20240312);
	assert_int_equal(rs->d[0].week, 20240311);
	assert_int_equal(rs->d[1].day, 20240313);
	free(rs);
	journal_close(j);
	engine_free(e);
}

static void
test_journal_states_and_commands(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct rows	*rs = rows_new();
	static const char hostile[] = "buy 1 ES \"now\" '); DROP TABLE fills;"
	    " -- it's\n\tl\xc3\xa0";
	struct engine_ev	 ev = {
		.kind = EEV_STATE,
		.time = t_at(12, 11, 0),
		.state_from = TS_ACTIVE,
		.state_to = TS_HALTED,
		.who = "ann",
		.text = "daily loss 1000.00 reached",
	};
	struct order		 o = an_order(1, ORD_FILLED);

	/* No engine attached: rows carry no day, nothing else is lost. */
	o.filled = 3;
	fill_ev(j, &o, 3, P(5000), t_at(12, 10, 0));
	assert_int_equal(journal_observe(j, &ev, NULL), 0);
	ev.state_from = TS_HALTED;
	ev.state_to = TS_KILLED;
	ev.who = "bob";
	ev.text = "kill switch";
	assert_int_equal(journal_observe(j, &ev, NULL), 0);
	ev = (struct engine_ev){ .kind = EEV_COMMAND, .time = t_at(12, 11, 1),
	    .corr = 77, .text = hostile };
	assert_int_equal(journal_observe(j, &ev, NULL), 0);

	assert_int_equal(journal_read_states(j, 0, 0, collect_state, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->s[0].from, TS_ACTIVE);
	assert_int_equal(rs->s[0].to, TS_HALTED);
	assert_string_equal(rs->s[0].who, "ann");
	assert_string_equal(rs->s[0].why, "daily loss 1000.00 reached");
	assert_int_equal(rs->s[0].time, t_at(12, 11, 0));
	assert_int_equal(rs->s[1].to, TS_KILLED);
	assert_string_equal(rs->s[1].who, "bob");

	rs->n = 0;
	assert_int_equal(journal_read_commands(j, 0, 0, collect_command, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 1);
	assert_string_equal(rs->c[0].line, hostile);
	assert_int_equal(rs->c[0].corr, 77);
	/* The fills table is still there, with its row. */
	assert_int_equal(count_fills(j), 1);
	assert_int_equal(journal_events(j), 4);
	free(rs);
	journal_close(j);
}

/* Sessions, instruments and strategies as journal_begin recorded them. */
static void
test_journal_sessions(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();

	assert_int_equal(begin(j, e), 1);
	assert_int_equal(begin(j, e), 2);
	assert_int_equal(journal_session(j), 2);
	assert_int_equal(journal_read_sessions(j, collect_session, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_string_equal(rs->ss[0].mode, "test");
	assert_string_equal(rs->ss[0].config, "tests/conf/none.cfg");
	assert_string_equal(rs->ss[0].tz, "America/New_York");
	assert_int_equal(rs->ss[1].ended, 0);
	rs->n = 0;
	assert_int_equal(journal_read_instruments(j, collect_instrument, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 2);
	assert_string_equal(rs->in[1].inst.symbol, "ES");
	assert_int_equal(rs->in[1].session, 2);
	assert_int_equal(rs->in[1].inst.tick_value, 1250);
	assert_int_equal(rs->in[1].inst.commission, 62);
	free(rs);
	journal_close(j);
	engine_free(e);
}

/*
 * A session's books are plain data: positions per instrument and per
 * owner count on from them; books without a calendar are refused.
 */
static void
test_journal_begin_books(void **state)
{
	struct tj		*t = *state;
	struct journal		*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine		*e = orb_engine();
	struct rows		*rs = rows_new();
	int64_t			 orb = -2, acct = 1; /* the trader's: 3 */
	struct journal_strategy	 st = { .name = "orb", .type = "orb",
				    .symbol = "ES", .inst = 0,
				    .position = &orb };
	struct journal_books	 b = { .now = t_at(12, 9, 0), .ninst = 1,
				    .inst = engine_instrument(e, ES),
				    .position = &acct, .nstrat = 1,
				    .strat = &st };
	struct order		 o = an_order(3, ORD_FILLED);
	struct errmsg		 err;

	assert_int_equal(journal_begin(j, &test_info, &b, &err), -1);
	assert_string_equal(err.msg, "journal.db: a session needs its "
	    "calendar, instruments and strategies");
	b.cal = engine_calendar(e, 0);
	assert_int_equal(journal_begin(j, &test_info, &b, &err), 1);
	o.owner = td_owner_strat(td_strat_at(0));
	o.side = TD_BUY;
	o.filled = 1;
	fill_ev(j, &o, 1, P(5000), t_at(12, 10, 0));
	o.owner = td_owner_manual();
	o.side = TD_SELL;
	fill_ev(j, &o, 1, P(5001), t_at(12, 10, 1));
	assert_int_equal(journal_read_positions(j, 0, 0, collect_position, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->p[0].position, 2);
	assert_int_equal(rs->p[0].owner_position, -1);	/* orb's */
	assert_int_equal(rs->p[1].position, 1);
	assert_int_equal(rs->p[1].owner_position, 2);	/* the trader's */
	rs->n = 0;
	assert_int_equal(journal_read_sessions(j, collect_session, rs, NULL),
	    0);
	assert_int_equal(rs->ss[0].started, t_at(12, 9, 0));
	free(rs);
	journal_close(j);
	engine_free(e);
}

/* Day 14 of the engine tests: a long breakout that reaches its target. */
static const struct fixture_override winning_day[] = {
	{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
	{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
	{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
	{ 10, 5, P(5002), P(5006), P(5002), P(5006) },
};

/* A real engine's events: the journal agrees with its books. */
static void
test_journal_engine_session(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();
	const struct trades *tl;
	int64_t		 pos = 0;
	uint64_t	 corr;

	attach(j, e);
	fixture_day(e, 14, P(5000), winning_day, 4);
	corr = engine_note_command(e, "halt because I said so");
	assert_int_equal(engine_set_state(e, TS_HALTED, "ann", "lunch", NULL),
	    0);
	engine_finish(e, engine_now(e));
	tl = engine_trades(e);
	assert_int_equal(trades_count(tl), 1);

	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);			/* entry and target */
	for (int i = 0; i < rs->n; i++)
		pos += rs->f[i].side == TD_BUY ? rs->f[i].qty : -rs->f[i].qty;
	assert_int_equal(pos, portfolio_position(engine_portfolio(e), ES));
	assert_int_equal(rs->f[0].price, trades_get(tl, 0)->entry_sum);
	assert_int_equal(rs->f[1].price, trades_get(tl, 0)->exit_sum);
	assert_int_equal(rs->f[1].role, ROLE_TARGET);
	assert_int_equal(rs->f[0].corr, rs->f[1].corr);
	/* Each fill says whose order it was, and what kind. */
	assert_string_equal(rs->f[0].owner_name, "orb");
	assert_string_equal(rs->f[1].owner_name, "orb");
	assert_int_equal(rs->f[0].role, ROLE_ENTRY);
	assert_int_equal(rs->f[0].type, ORD_MARKET);
	assert_int_equal(rs->f[1].type, ORD_LIMIT);

	/* Entry, stop and target: created ... acknowledged ... final. */
	rs->n = 0;
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs,
	    NULL), 0);
	assert_true(rs->n >= 6);
	assert_string_equal(journal_event_name(rs->o[0].event), "created");
	assert_string_equal(journal_event_name(rs->o[rs->n - 1].event),
	    "cancelled");			/* the stop, by OCO */

	rs->n = 0;
	assert_int_equal(journal_read_states(j, 0, 0, collect_state, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 1);
	assert_string_equal(rs->s[0].who, "ann");
	assert_string_equal(rs->s[0].why, "lunch");
	rs->n = 0;
	assert_int_equal(journal_read_commands(j, 0, 0, collect_command, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 1);
	assert_int_equal(rs->c[0].corr, corr);
	rs->n = 0;
	assert_int_equal(journal_read_days(j, 0, 0, collect_day, rs, NULL),
	    0);
	assert_int_equal(rs->n, 1);
	assert_int_equal(rs->d[0].day, 20240314);
	free(rs);
	journal_close(j);
	engine_free(e);
}

/* When the journal cannot write a fill, the engine stops trading. */
static void
test_journal_failure_halts_engine(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	sqlite3		*db;

	attach(j, e);
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE fills", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	fixture_day(e, 14, P(5000), winning_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_non_null(strstr(journal_error(j), "fills"));
	/* Nothing of the failed event was kept. */
	engine_free(e);
	journal_close(j);
}

/* The engine's log lines, "component: message", for a test to read. */
struct logs {
	int		 n;
	char		 line[64][600];
};

static void
keep_log(void *arg, const struct log_line *l)
{
	struct logs	*lg = arg;

	if (lg->n < 64)
		snprintf(lg->line[lg->n++], sizeof lg->line[0], "%s: %s",
		    l->component, l->msg);
}

static bool
logged(const struct logs *lg, const char *text)
{
	for (int i = 0; i < lg->n; i++) {
		if (strstr(lg->line[i], text) != NULL)
			return true;
	}
	return false;
}

/*
 * Journal before venue: with the orders table gone, SimpleORB's breakout
 * entry cannot be journaled, so it is never sent -- no fill all day, no
 * trade -- the engine halts, and the log names SQLite's reason.
 */
static void
test_journal_unrecorded_entry_not_sent(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct health_obs *hl = fixture_health(e);
	struct logs	*lg = calloc(1, sizeof *lg);
	sqlite3		*db;

	assert_non_null(lg);
	attach(j, e);
	engine_set_log(e, keep_log, lg, LOG_INFO);
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE orders", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	fixture_day(e, 14, P(5000), winning_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	assert_int_equal(trades_count(engine_trades(e)), 0);
	assert_int_equal(order_mgr_live_count(engine_orders(e)), 0);
	assert_int_equal(health_obs_refused(hl), 1);
	assert_int_equal(count_fills(j), 0);
	assert_non_null(strstr(journal_error(j), "no such table: orders"));
	assert_true(logged(lg, "journal: the journal could not record an "
	    "event ("));
	assert_true(logged(lg, "no such table: orders"));
	engine_free(e);
	health_obs_free(hl);
	journal_close(j);
	free(lg);
}

/*
 * A journal that can record nothing (opened read only): a manual entry is
 * refused and never reaches the venue, the engine halts with the
 * journal's reason in the log, and a person's resume is refused while the
 * journal cannot record it: the state stays HALTED.  With a journal that
 * can, the same resume goes.
 */
static void
test_journal_unrecorded_resume_refused(void **state)
{
	struct tj		*t = *state;
	struct engine_config	 cfg;
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_MARKET, .qty = 1 };
	struct logs		*lg = calloc(1, sizeof *lg);
	struct journal		*r, *w;
	struct engine		*e;
	struct errmsg		 err;
	struct td_md		 md;

	assert_non_null(lg);
	journal_close(open_ok(t->path, JOURNAL_CREATE));
	r = open_ok(t->path, JOURNAL_READONLY);
	fixture_config(&cfg);
	cfg.unattended = false;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = journal_observe, .arg = r, .mask = EEV_BOOKS,
	    .record = true }, &err), 0);
	engine_set_log(e, keep_log, lg, LOG_INFO);
	md = fixture_bar(t_at(14, 10, 0), P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	assert_int_equal(engine_state(e), TS_ACTIVE);

	assert_int_equal(engine_manual_order(e, &m, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "journal.db: opened read only"));
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_true(logged(lg, "journal: the journal could not record an "
	    "event (journal.db: opened read only): trading halted"));
	for (int i = 1; i <= 3; i++) {
		md = fixture_bar(t_at(14, 10, i), P(5000), P(5001), P(4999),
		    P(5000));
		assert_int_equal(engine_on_market(e, &md, &err), 0);
	}
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	assert_int_equal(order_mgr_live_count(engine_orders(e)), 0);

	assert_int_equal(engine_set_state(e, TS_ACTIVE, "ann", "back", &err),
	    -1);
	assert_string_equal(err.msg, "state stays HALTED: the journal could "
	    "not record the change: journal.db: opened read only");
	assert_int_equal(engine_state(e), TS_HALTED);

	w = open_ok(t->path, 0);
	assert_int_equal(engine_observer_remove(e, journal_observe, r), 0);
	attach(w, e);
	assert_int_equal(engine_set_state(e, TS_ACTIVE, "ann", "back", &err),
	    0);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	engine_free(e);
	journal_close(r);
	journal_close(w);
	free(lg);
}

/* A restart's marks: fills taken from the venue, fills voided. */
static void
test_journal_fill_source_and_void(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct rows	*rs = rows_new();
	struct order	 o = an_order(1, ORD_PARTIAL);
	struct errmsg	 err;

	o.filled = 1;
	fill_ev(j, &o, 1, P(5000), t_at(12, 10, 0));
	journal_set_fill_source(j, "venue");
	o.filled = 2;
	fill_ev(j, &o, 1, P(5001), t_at(12, 10, 1));
	journal_set_fill_source(j, NULL);
	o.filled = 3;
	o.state = ORD_FILLED;
	fill_ev(j, &o, 1, P(5002), t_at(12, 10, 2));
	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 3);
	assert_string_equal(rs->f[0].source, "engine");
	assert_string_equal(rs->f[1].source, "venue");
	assert_string_equal(rs->f[2].source, "engine");
	assert_int_equal(journal_void_fill(j, rs->f[1].seq, &err), 0);
	assert_int_equal(journal_void_fill(j, 999999, &err), -1);
	rs->n = 0;
	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->f[1].price, P(5002));
	free(rs);
	journal_close(j);
}

/* sqlite3 on a file, for making old, foreign and newer journals. */
static void
sql(const char *path, const char *text)
{
	sqlite3	*db;
	char	*msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	sqlite3_close(db);
}

/* A journal of version 1 with rows in it is migrated and still read. */
static int
count_rollout(void *arg, const struct journal_rollout *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void
test_journal_migrates_v1(void **state)
{
	struct tj	*t = *state;
	struct journal	*j;
	struct engine	*e;
	struct rows	*rs = rows_new();
	struct errmsg	 err;
	struct order	 o = an_order(5, ORD_FILLED);
	int		 nro = 0;

	assert_int_equal(journal_create_version(t->path, 1, &err), 0);
	assert_int_equal(journal_create_version(t->path, 1, &err), -1);
	sql(t->path, "INSERT INTO sessions VALUES (1, 5, 'paper', 'a.cfg', "
	    "'America/New_York');"
	    "INSERT INTO orders VALUES (1, 1, 100, 20240102, 9, 'created', "
	    "12, 'ES', 0, 'buy', 'mkt', 'entry', 'new', NULL, 2, 0, 0, -1, "
	    "'manual', 0, 0, 0, 0, '', 100);"
	    "INSERT INTO fills VALUES (2, 1, 101, 20240102, 9, 12, 'ES', 0, "
	    "'buy', 2, 19200, -1, 'manual', 'entry', 124, 2, 'entry');"
	    "PRAGMA user_version;");
	/* A reader does not migrate. */
	assert_null(journal_open(t->path, JOURNAL_READONLY, &err));
	assert_non_null(strstr(err.msg, "schema version 1 is older"));

	j = open_ok(t->path, 0);
	assert_int_equal(journal_schema_version(j), JOURNAL_SCHEMA_VERSION);
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs, NULL),
	    0);
	assert_int_equal(rs->n, 1);
	assert_int_equal(rs->o[0].order.id, 12);
	assert_int_equal(rs->o[0].order.qty, 2);
	assert_int_equal(rs->o[0].order.pair[0].stop_id, 0);	/* new column */
	assert_int_equal(rs->o[0].from, -1);
	/* Schema 6: the rollout table, empty. */
	assert_int_equal(journal_read_rollout(j, 0, 0, count_rollout, &nro,
	    NULL), 0);
	assert_int_equal(nro, 0);
	rs->n = 0;
	assert_int_equal(journal_read_sessions(j, collect_session, rs, NULL),
	    0);
	assert_int_equal(rs->n, 1);
	assert_int_equal(rs->ss[0].resumes, 0);
	assert_int_equal(rs->ss[0].ended, JOURNAL_ENDED_UNRECORDED);
	assert_string_equal(rs->ss[0].mode, "paper");
	/*
	 * New rows go after the old ones, in the new tables too (positions
	 * are counted in a session).
	 */
	e = orb_engine();
	begin(j, e);
	o.filled = 3;
	fill_ev(j, &o, 3, P(4800), t_at(12, 10, 0));
	rs->n = 0;
	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->f[0].commission, 124);
	assert_true(rs->f[1].seq > 2);
	rs->n = 0;
	assert_int_equal(journal_read_positions(j, 0, 0, collect_position, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 1);
	journal_close(j);
	engine_free(e);

	/* Reopened, it is the current version: nothing more to do. */
	j = open_ok(t->path, JOURNAL_READONLY);
	assert_int_equal(journal_schema_version(j), JOURNAL_SCHEMA_VERSION);
	journal_close(j);
	free(rs);
}

static void
test_journal_refuses_newer(void **state)
{
	struct tj	*t = *state;
	struct errmsg	 err;

	journal_close(open_ok(t->path, JOURNAL_CREATE));
	sql(t->path, "PRAGMA user_version = 9");
	assert_null(journal_open(t->path, 0, &err));
	assert_string_equal(err.msg, "journal.db: schema version 9 is newer "
	    "than this tickdesk (7): upgrade tickdesk");
	assert_null(journal_open(t->path, JOURNAL_READONLY, &err));
	assert_non_null(strstr(err.msg, "upgrade tickdesk"));
	/* The very next version too. */
	sql(t->path, "PRAGMA user_version = 8");
	assert_null(journal_open(t->path, 0, &err));
	assert_string_equal(err.msg, "journal.db: schema version 8 is newer "
	    "than this tickdesk (7): upgrade tickdesk");
}

/* A journal with some thousands of rows, closed (checkpointed). */
static void
fill_journal(const char *path, int n)
{
	struct journal	*j = open_ok(path, JOURNAL_CREATE);
	struct order	 o = an_order(1, ORD_WORKING);
	char		 line[64];

	for (int i = 0; i < n; i++) {
		struct engine_ev	 ev = { .kind = EEV_COMMAND,
			.time = t_at(12, 10, 0) + i, .corr = (uint64_t)i,
			.text = line };

		snprintf(line, sizeof line, "command number %d", i);
		assert_int_equal(journal_observe(j, &ev, NULL), 0);
		o.id = (uint64_t)i + 1;
		order_ev(j, &o, ORD_SUBMITTED, t_at(12, 10, 0) + i);
	}
	journal_close(j);
}

static void
copy_file(const char *from, const char *to)
{
	char	 buf[65536];
	FILE	*a = fopen(from, "rb"), *b = fopen(to, "wb");
	size_t	 n;

	assert_non_null(a);
	assert_non_null(b);
	while ((n = fread(buf, 1, sizeof buf, a)) > 0)
		assert_int_equal(fwrite(buf, 1, n, b), n);
	fclose(a);
	assert_int_equal(fclose(b), 0);
}

static off_t
file_size(const char *path)
{
	struct stat	 sb;

	assert_int_equal(stat(path, &sb), 0);
	return sb.st_size;
}

/* Garbage in the middle of a copy: refused, with how to recover. */
static void
test_journal_refuses_corrupt(void **state)
{
	struct tj	*t = *state;
	struct journal	*j;
	struct errmsg	 err;
	char		 bad[160], junk[4096];
	off_t		 size, at;
	int		 fd;

	fill_journal(t->path, 2000);
	snprintf(bad, sizeof bad, "%s/bad.db", t->dir);
	copy_file(t->path, bad);
	size = file_size(bad);
	assert_true(size > 64 * 4096);
	at = size / 2 / 4096 * 4096;
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	assert_true((fd = open(bad, O_WRONLY)) != -1);
	assert_int_equal(pwrite(fd, junk, sizeof junk, at), sizeof junk);
	close(fd);

	assert_null(journal_open(bad, 0, &err));
	assert_non_null(strstr(err.msg, "bad.db: integrity check"));
	assert_non_null(strstr(err.msg, "move it aside"));
	assert_null(journal_open(bad, JOURNAL_READONLY | JOURNAL_CREATE,
	    &err));
	assert_non_null(strstr(err.msg, "damaged"));
	/* The original is fine and keeps every row. */
	j = open_ok(t->path, 0);
	{
		struct rows	*rs = rows_new();

		assert_int_equal(journal_read_commands(j, 0, 0,
		    collect_command, rs, NULL), 0);
		assert_int_equal(rs->n, 2000);
		free(rs);
	}
	journal_close(j);
}

/* One value of a query on the file, as text (buf) and as a number. */
static int64_t
sql_value(const char *path, const char *text, char *buf, size_t len)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, text, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", text, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	if (buf != NULL)
		snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/*
 * The owner columns hold what they always held: -1 for the trader, the
 * strategy's index for a strategy, in the orders, fills and positions
 * tables; and they read back as the same owners.
 */
static void
test_journal_owner_columns(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();
	struct order	 o = an_order(3, ORD_FILLED), m = an_order(4,
			    ORD_FILLED);
	const char	*table[] = { "orders", "fills", "positions" };
	char		 q[128];

	begin(j, e);
	o.filled = 1;
	fill_ev(j, &o, 1, P(5000.25), t_at(12, 10, 0));
	m.owner = td_owner_manual();
	m.filled = 1;
	fill_ev(j, &m, 1, P(5001), t_at(12, 10, 1));
	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_true(td_owner_is(rs->f[0].owner, td_strat_at(0)));
	assert_true(td_owner_is_manual(rs->f[1].owner));
	journal_close(j);
	for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
		snprintf(q, sizeof q, "SELECT owner FROM %s WHERE owner_name "
		    "= 'orb' LIMIT 1", table[k]);
		assert_int_equal(sql_value(t->path, q, NULL, 0), 0);
		snprintf(q, sizeof q, "SELECT owner FROM %s WHERE owner_name "
		    "= 'manual' LIMIT 1", table[k]);
		assert_int_equal(sql_value(t->path, q, NULL, 0), -1);
	}
	free(rs);
	engine_free(e);
}

/*
 * An index that disagrees with its table: a fill the table holds and
 * fills_day does not.  Made the way a bug or a torn write would leave it,
 * with the pages themselves well formed: the index's row is taken out of
 * sqlite_master (writable_schema), so the next connection does not know
 * the index and inserts a fill into the table alone; then the row is put
 * back with the same root page.  quick_check finds nothing wrong (it does
 * not compare an index with its table); the journal's reads go through
 * fills_day and would not see the fill.  The journal must refuse it.
 */
static void
test_journal_refuses_broken_index(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct order	 o = an_order(3, ORD_PARTIAL);
	struct errmsg	 err;
	char		 text[512];
	int64_t		 root;

	begin(j, e);
	for (int i = 0; i < 20; i++) {
		o.filled = i + 1;
		fill_ev(j, &o, 1, P(5000) + i, t_at(11 + i % 3, 10, i));
	}
	journal_close(j);
	engine_free(e);

	root = sql_value(t->path, "SELECT rootpage FROM sqlite_master "
	    "WHERE name = 'fills_day'", NULL, 0);
	assert_true(root > 1);
	sql(t->path, "PRAGMA writable_schema = ON;"
	    "DELETE FROM sqlite_master WHERE name = 'fills_day'");
	sql(t->path, "INSERT INTO fills (seq, session, time, day, corr, "
	    "order_id, symbol, inst, side, qty, price, owner, owner_name, "
	    "role, commission, order_filled, reason) SELECT seq + 1000, "
	    "session, time + 1, day, corr, order_id, symbol, inst, side, qty, "
	    "price, owner, owner_name, role, commission, order_filled, reason "
	    "FROM fills ORDER BY seq DESC LIMIT 1");
	snprintf(text, sizeof text, "PRAGMA writable_schema = ON;"
	    "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) "
	    "VALUES ('index', 'fills_day', 'fills', %lld, "
	    "'CREATE INDEX fills_day ON fills (day)')", (long long)root);
	sql(t->path, text);
	/* What was made: 21 fills in the table, 20 in the index. */
	assert_int_equal(sql_value(t->path, "SELECT count(*) FROM fills "
	    "NOT INDEXED", NULL, 0), 21);
	assert_int_equal(sql_value(t->path, "SELECT count(*) FROM fills "
	    "INDEXED BY fills_day WHERE day >= 20240311", NULL, 0), 20);
	sql_value(t->path, "PRAGMA quick_check", text, sizeof text);
	assert_string_equal(text, "ok");

	assert_null(journal_open(t->path, 0, &err));
	assert_non_null(strstr(err.msg, "journal.db: integrity check: row "));
	assert_non_null(strstr(err.msg, " missing from index fills_day: "));
	assert_non_null(strstr(err.msg, "will not trade on it; move it aside "
	    "(mv "));
	assert_null(journal_open(t->path, JOURNAL_READONLY, &err));
	assert_non_null(strstr(err.msg, "missing from index fills_day"));
	/* Refused as it was: nothing written, every fill still there. */
	assert_int_equal(sql_value(t->path, "SELECT count(*) FROM fills "
	    "NOT INDEXED", NULL, 0), 21);
	/* REINDEX (the man page's advice) makes it whole again. */
	sql(t->path, "REINDEX");
	j = open_ok(t->path, JOURNAL_READONLY);
	assert_int_equal(count_fills(j), 21);
	journal_close(j);
}

/* A truncated or empty file is never taken for a new journal. */
static void
test_journal_refuses_truncated(void **state)
{
	struct tj	*t = *state;
	struct errmsg	 err;
	char		 bad[160];

	fill_journal(t->path, 500);
	snprintf(bad, sizeof bad, "%s/cut.db", t->dir);
	copy_file(t->path, bad);
	assert_int_equal(truncate(bad, file_size(bad) / 2), 0);
	assert_null(journal_open(bad, JOURNAL_CREATE, &err));
	assert_non_null(strstr(err.msg, "cut.db: truncated"));
	assert_non_null(strstr(err.msg, "move it aside"));

	assert_int_equal(truncate(bad, 0), 0);
	assert_null(journal_open(bad, JOURNAL_CREATE, &err));
	assert_non_null(strstr(err.msg, "truncated to 0 bytes"));
	assert_int_equal(file_size(bad), 0);		/* left as it was */
}

static void
test_journal_refuses_foreign(void **state)
{
	struct tj	*t = *state;
	struct errmsg	 err;
	char		 other[160];
	FILE		*f;

	snprintf(other, sizeof other, "%s/other.db", t->dir);
	sql(other, "CREATE TABLE t (x)");
	assert_null(journal_open(other, 0, &err));
	assert_non_null(strstr(err.msg, "other.db: not a tickdesk journal"));

	snprintf(other, sizeof other, "%s/notes.txt", t->dir);
	assert_non_null(f = fopen(other, "w"));
	for (int i = 0; i < 100; i++)
		fputs("these are not the trades you are looking for\n", f);
	fclose(f);
	assert_null(journal_open(other, 0, &err));
	assert_non_null(strstr(err.msg, "notes.txt: not an SQLite file"));
}

/*
 * A reader (a report) is told the file is no journal it can read, never
 * to move it aside and start a new journal: it starts nothing.
 */
static void
test_journal_readonly_refusal_advice(void **state)
{
	struct tj	*t = *state;
	struct errmsg	 err;
	char		 other[160];
	FILE		*f;

	snprintf(other, sizeof other, "%s/notes.txt", t->dir);
	assert_non_null(f = fopen(other, "w"));
	for (int i = 0; i < 100; i++)
		fputs("date,open,high,low,close\n", f);
	fclose(f);
	assert_null(journal_open(other, JOURNAL_READONLY, &err));
	assert_string_equal(err.msg, "notes.txt: not an SQLite file: not a "
	    "journal tickdesk can read (damaged, or no journal at all); give "
	    "the journal of a session or of `backtest --journal`");
	snprintf(other, sizeof other, "%s/empty.db", t->dir);
	assert_non_null(f = fopen(other, "w"));
	fclose(f);
	assert_null(journal_open(other, JOURNAL_READONLY, &err));
	assert_non_null(strstr(err.msg, "empty.db: truncated to 0 bytes: "
	    "not a journal tickdesk can read"));
	assert_null(strstr(err.msg, "move it aside"));
	assert_null(strstr(err.msg, "new journal"));
	/* A session is still told how to start again. */
	assert_null(journal_open(other, 0, &err));
	assert_non_null(strstr(err.msg, "move it aside"));
}

/* One writer at a time; readers any time. */
static void
test_journal_one_writer(void **state)
{
	struct tj	*t = *state;
	struct journal	*w = open_ok(t->path, JOURNAL_CREATE), *r;
	struct order	 o = an_order(2, ORD_FILLED);
	struct errmsg	 err;

	assert_null(journal_open(t->path, 0, &err));
	assert_string_equal(err.msg, "journal.db: another tickdesk is "
	    "writing this journal");
	o.filled = 3;
	fill_ev(w, &o, 3, P(5000), t_at(12, 10, 0));
	r = open_ok(t->path, JOURNAL_READONLY);
	assert_int_equal(count_fills(r), 1);
	fill_ev(w, &o, 3, P(5000), t_at(12, 10, 1));
	assert_int_equal(count_fills(r), 2);
	assert_int_equal(journal_observe(r, &(struct engine_ev){
	    .kind = EEV_COMMAND, .text = "x" }, NULL), -1);
	journal_close(r);
	journal_close(w);
	journal_close(open_ok(t->path, 0));
}

static void
test_journal_default_path(void **state)
{
	char		 buf[256];
	struct errmsg	 err;

	(void)state;
	setenv("XDG_DATA_HOME", "/srv/xdg", 1);
	setenv("HOME", "/home/ann", 1);
	assert_int_equal(journal_default_path(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/srv/xdg/tickdesk/journal.db");
	setenv("XDG_DATA_HOME", "relative/ignored", 1);
	assert_int_equal(journal_default_path(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/home/ann/.local/share/tickdesk/journal.db");
	unsetenv("XDG_DATA_HOME");
	assert_int_equal(journal_default_path(buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "/home/ann/.local/share/tickdesk/journal.db");
	assert_int_equal(journal_default_path(buf, 10, &err), -1);
	unsetenv("HOME");
	assert_int_equal(journal_default_path(buf, sizeof buf, &err), -1);
	assert_non_null(strstr(err.msg, "--journal"));
}

/* ------------------------------------------------------------ brackets */

/* The bracket shapes an order carries, and their text in the journal. */
static const struct {
	struct bracket	 br;
	const char	*text;
} shapes[] = {
	{ { .stop_ticks = 0 }, "none" },
	{ { .stop_ticks = 8 }, "stop 8" },
	{ { .stop_ticks = 8, .ntargets = 1, .target_ticks = { 16 } },
	    "stop 8; targets 16" },
	{ { .stop_ticks = 8, .ntargets = 3, .target_ticks = { 8, 16, 24 },
	    .target_qty = { 2, 1, 1 } }, "stop 8; targets 8x2 16x1 24x1" },
	{ { .stop_ticks = 8, .ntargets = 1, .target_ticks = { 16 },
	    .be_trigger = 6, .be_offset = 1 },
	    "stop 8; targets 16; breakeven 6+1" },
	{ { .stop_ticks = 12, .be_trigger = 6, .be_offset = -2 },
	    "stop 12; breakeven 6-2" },
	{ { .stop_ticks = 8, .ntargets = 2, .target_ticks = { 8, 24 },
	    .target_qty = { 1, 2 }, .trail_trigger = 10, .trail_step = 2,
	    .trail_dist = 6 }, "stop 8; targets 8x1 24x2; trail 10/2/6" },
	{ { .stop_ticks = 8, .trail_step = 1, .trail_dist = 4 },
	    "stop 8; trail 0/1/4" },
	{ { .ntargets = 1, .target_ticks = { 16 }, .target_qty = { 3 } },
	    "targets 16x3" },
	{ { .stop_ticks = 8, .ntargets = 3, .target_ticks = { 8, 16, 24 },
	    .target_qty = { 1, 1, 1 }, .be_trigger = 6, .be_offset = 1,
	    .trail_trigger = 10, .trail_step = 2, .trail_dist = 6 },
	    "stop 8; targets 8x1 16x1 24x1; breakeven 6+1; trail 10/2/6" },
};

#define NSHAPES	(sizeof shapes / sizeof shapes[0])

static void
assert_bracket_equal(const struct bracket *a, const struct bracket *b)
{
	assert_int_equal(a->stop_ticks, b->stop_ticks);
	assert_int_equal(a->ntargets, b->ntargets);
	for (int k = 0; k < OM_MAX_TARGETS; k++) {
		assert_int_equal(a->target_ticks[k], b->target_ticks[k]);
		assert_int_equal(a->target_qty[k], b->target_qty[k]);
	}
	assert_int_equal(a->be_trigger, b->be_trigger);
	assert_int_equal(a->be_offset, b->be_offset);
	assert_int_equal(a->trail_trigger, b->trail_trigger);
	assert_int_equal(a->trail_step, b->trail_step);
	assert_int_equal(a->trail_dist, b->trail_dist);
}

/* The text form: written as documented, read back exactly. */
static void
test_journal_bracket_text(void **state)
{
	char		 buf[JOURNAL_BRACKET_MAX];
	struct bracket	 br;
	struct errmsg	 err;

	(void)state;
	for (size_t i = 0; i < NSHAPES; i++) {
		assert_int_equal(journal_bracket_format(&shapes[i].br, buf,
		    sizeof buf, &err), 0);
		assert_string_equal(buf, shapes[i].text);
		memset(&br, 0x5a, sizeof br);
		if (journal_bracket_parse(buf, &br, &err) == -1)
			fail_msg("%s", err.msg);
		assert_bracket_equal(&br, &shapes[i].br);
	}
	/* The largest numbers fit. */
	br = (struct bracket){ .stop_ticks = INT32_MAX, .ntargets = 3,
	    .target_ticks = { INT32_MAX, INT32_MAX, INT32_MAX },
	    .target_qty = { INT64_MAX, INT64_MAX, INT64_MAX },
	    .be_trigger = INT32_MAX, .be_offset = INT32_MIN,
	    .trail_trigger = INT32_MAX, .trail_step = INT32_MAX,
	    .trail_dist = INT32_MAX };
	assert_int_equal(journal_bracket_format(&br, buf, sizeof buf, &err),
	    0);
	{
		struct bracket	 back;

		assert_int_equal(journal_bracket_parse(buf, &back, &err), 0);
		assert_bracket_equal(&back, &br);
	}
	assert_int_equal(journal_bracket_format(&shapes[3].br, buf, 12, &err),
	    -1);
	assert_string_equal(err.msg, "bracket longer than 11 characters");
}

/* What the order manager would refuse is neither written nor read. */
static void
test_journal_bracket_refused(void **state)
{
	static const struct {
		struct bracket	 br;
		const char	*msg;
	} bad[] = {
		{ { .ntargets = 4, .target_ticks = { 8, 16, 24 } },
		    "bad bracket: stop 0, 4 targets" },
		{ { .stop_ticks = -1 }, "bad bracket: stop -1, 0 targets" },
		{ { .stop_ticks = 8, .ntargets = 2, .target_ticks = { 8 } },
		    "bad bracket: target 2 at 0 ticks for 0" },
		{ { .ntargets = 1, .target_ticks = { 8 },
		    .target_qty = { -1 } },
		    "bad bracket: target 1 at 8 ticks for -1" },
		{ { .stop_ticks = 8, .be_trigger = 6, .be_offset = 6 },
		    "bad bracket: breakeven 6+6, trail 0/0/0" },
		{ { .stop_ticks = 8, .trail_dist = -6 },
		    "bad bracket: breakeven 0+0, trail 0/0/-6" },
	};
	char		 buf[JOURNAL_BRACKET_MAX];
	struct errmsg	 err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(journal_bracket_format(&bad[i].br, buf,
		    sizeof buf, &err), -1);
		assert_string_equal(err.msg, bad[i].msg);
	}
}

/* Anything not in the form is refused, and says what is wrong. */
static void
test_journal_bracket_malformed(void **state)
{
	static const struct {
		const char	*text;
		const char	*msg;
	} bad[] = {
		{ "", "an empty part: not a part of a bracket" },
		{ "stop 8; ", "an empty part: not a part of a bracket" },
		{ "Stop 8", "\"Stop 8\": not a part of a bracket (stop, "
		    "targets, breakeven, trail; \"none\" for none)" },
		{ "none; stop 8", "\"none\": not a part of a bracket" },
		{ "stop", "stop without its numbers" },
		{ "stop 8;targets 16", "stop: \"8;targets 16\" is not a "
		    "number of ticks" },
		{ "stop  8", "stop: \" 8\" is not a number of ticks" },
		{ "stop 08", "stop: \"08\" is not a number of ticks" },
		{ "stop -8", "stop: \"-8\" is not a number of ticks" },
		{ "stop 8.5", "stop: \"8.5\" is not a number of ticks" },
		{ "stop 2147483648", "stop: \"2147483648\" is not a number" },
		{ "stop 0", "stop: 0 is written by leaving the part out" },
		{ "stop 8; stop 9", "two stop parts" },
		{ "targets 16; stop 8", "stop after targets: the parts go "
		    "stop, targets, breakeven, trail" },
		{ "stop 8; trail 10/2/6; breakeven 6+1", "breakeven after "
		    "trail" },
		{ "targets 8x1 16x1 24x1 32x1", "more than 3 targets" },
		{ "targets 16x0", "target 1: quantity 0 is written by leaving "
		    "x0 out" },
		{ "targets 8 16y1", "target 2: \"16y1\" is not ticks or "
		    "ticksxquantity (16, 16x2)" },
		{ "targets 8 ", "target 2: \"\" is not ticks" },
		{ "targets 8x", "target 1: \"8x\" is not ticks" },
		{ "targets 0", "bad bracket: target 1 at 0 ticks for 0" },
		{ "breakeven 6", "breakeven: \"6\" is not trigger+offset or "
		    "trigger-offset" },
		{ "breakeven 6+-1", "breakeven: \"6+-1\" is not" },
		{ "breakeven 6+1 ", "breakeven: \"6+1 \" is not" },
		{ "breakeven 6-0", "breakeven: \"6-0\" is not" },
		{ "breakeven 6+6", "bad bracket: breakeven 6+6, trail 0/0/0" },
		{ "breakeven 0+0", "breakeven: 0+0 is written by leaving the "
		    "part out" },
		{ "trail 10/2", "trail: \"10/2\" is not "
		    "trigger/step/distance" },
		{ "trail 10/2/6/1", "trail: \"10/2/6/1\" is not" },
		{ "trail 0/0/0", "trail: 0/0/0 is written by leaving the part "
		    "out" },
	};
	struct bracket	 br;
	struct errmsg	 err;
	char		 text[400];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&br, 0x5a, sizeof br);
		if (journal_bracket_parse(bad[i].text, &br, &err) != -1)
			fail_msg("'%s' was taken", bad[i].text);
		if (strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("'%s': %s", bad[i].text, err.msg);
		/* Nothing half read is left. */
		assert_int_equal(br.stop_ticks, 0);
		assert_int_equal(br.ntargets, 0);
	}
	assert_int_equal(journal_bracket_parse("stop 8;targets 16", &br,
	    &err), -1);
	assert_string_equal(err.msg, "bracket \"stop 8;targets 16\": stop: "
	    "\"8;targets 16\" is not a number of ticks");
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	assert_int_equal(journal_bracket_parse(text, &br, &err), -1);
	assert_non_null(strstr(err.msg, "...\": longer than 255 characters"));
}

/*
 * Orders with every bracket shape, every time in force and a stop-limit
 * come back from the journal as they went in, and the file says what
 * they are to someone reading it with sqlite3.
 */
static void
test_journal_order_round_trip(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct engine	*e = orb_engine();
	struct rows	*rs = rows_new();
	static const enum order_tif tifs[] = { TIF_GTC, TIF_DAY, TIF_IOC };
	char		 text[256], q[160];

	begin(j, e);
	for (size_t i = 0; i < NSHAPES; i++) {
		struct order	 o = an_order(100 + i, ORD_SUBMITTED);

		o.br = shapes[i].br;
		o.tif = tifs[i % 3];
		if (i == 2) {
			o.type = ORD_STOP_LIMIT;
			o.price = P(5001);
			o.limit = P(5001.5);
		} else if (i == 1)
			o.type = ORD_STOP;
		order_ev(j, &o, -1, t_at(12, 10, (int)i));
	}
	journal_close(j);

	/* Read by another process, as `tickdesk report` does. */
	j = open_ok(t->path, JOURNAL_READONLY);
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 2 * (int)NSHAPES);	/* created, submitted */
	for (int r = 0; r < rs->n; r++) {
		const struct order	*o = &rs->o[r].order;
		size_t			 i = (size_t)r / 2;

		assert_int_equal(o->id, 100 + i);
		assert_bracket_equal(&o->br, &shapes[i].br);
		assert_int_equal(o->tif, tifs[i % 3]);
		assert_int_equal(o->type, i == 2 ? ORD_STOP_LIMIT :
		    i == 1 ? ORD_STOP : ORD_LIMIT);
		assert_int_equal(o->limit, i == 2 ? P(5001.5) : 0);
		assert_int_equal(o->price, i == 2 ? P(5001) : P(5000.25));
	}
	journal_close(j);

	for (size_t i = 0; i < NSHAPES; i++) {
		snprintf(q, sizeof q, "SELECT bracket FROM orders WHERE "
		    "order_id = %zu AND event = 'submitted'", 100 + i);
		sql_value(t->path, q, text, sizeof text);
		assert_string_equal(text, shapes[i].text);
	}
	sql_value(t->path, "SELECT type || ' ' || price || ' ' || limit_price "
	    "|| ' ' || tif FROM orders WHERE order_id = 102 AND event = "
	    "'submitted'", text, sizeof text);
	assert_string_equal(text, "stplmt 20004 20006 ioc");
	/* The columns of older readers still say the stop and first target. */
	assert_int_equal(sql_value(t->path, "SELECT target_ticks FROM orders "
	    "WHERE order_id = 103 LIMIT 1", NULL, 0), 8);
	assert_int_equal(sql_value(t->path, "SELECT stop_ticks FROM orders "
	    "WHERE order_id = 103 LIMIT 1", NULL, 0), 8);
	free(rs);
	engine_free(e);
}

/* An order whose record could not be read back is not written. */
static void
test_journal_refuses_unwritable_order(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct rows	*rs = rows_new();
	struct order	 o = an_order(3, ORD_SUBMITTED);
	struct engine_ev ev = { .kind = EEV_ORDER, .time = t_at(12, 10, 0),
			    .order = &o, .from = -1 };
	struct errmsg	 err;

	o.br.ntargets = 4;
	assert_int_equal(journal_observe(j, &ev, &err), -1);
	assert_string_equal(err.msg, "journal.db: order 3: bad bracket: stop "
	    "8, 4 targets");
	assert_string_equal(journal_error(j), err.msg);
	o.br = shapes[3].br;
	o.tif = (enum order_tif)7;
	assert_int_equal(journal_observe(j, &ev, &err), -1);
	assert_string_equal(err.msg, "journal.db: order 3: unknown time in "
	    "force 7");
	o.tif = TIF_DAY;
	o.type = (enum order_type)9;
	assert_int_equal(journal_observe(j, &ev, &err), -1);
	assert_string_equal(err.msg, "journal.db: order 3: unknown order "
	    "type 9");
	ev.kind = EEV_FILL;
	ev.qty = 1;
	assert_int_equal(journal_observe(j, &ev, &err), -1);
	assert_string_equal(err.msg, "journal.db: order 3: unknown order "
	    "type 9");
	/* Nothing of them was kept; the next event goes on. */
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 0);
	assert_int_equal(count_fills(j), 0);
	o.type = ORD_STOP_LIMIT;
	order_ev(j, &o, -1, t_at(12, 10, 1));
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs,
	    NULL), 0);
	assert_int_equal(rs->n, 2);
	free(rs);
	journal_close(j);
}

/* A read that stops at a bad row says which and why. */
static int
read_orders_fails(const char *path, const char *msg)
{
	struct journal	*j = open_ok(path, JOURNAL_READONLY);
	struct rows	*rs = rows_new();
	struct errmsg	 err;
	int		 n;

	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs,
	    &err), -1);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("%s", err.msg);
	n = rs->n;
	free(rs);
	journal_close(j);
	return n;
}

/* Rows edited or damaged by hand are refused, never guessed at. */
static void
test_journal_refuses_bad_rows(void **state)
{
	struct tj	*t = *state;
	struct journal	*j = open_ok(t->path, JOURNAL_CREATE);
	struct order	 a = an_order(1, ORD_SUBMITTED), b = an_order(2,
			    ORD_SUBMITTED);
	struct errmsg	 err;

	b.br = shapes[9].br;
	order_ev(j, &a, -1, t_at(12, 10, 0));		/* rows 1 and 2 */
	order_ev(j, &b, -1, t_at(12, 10, 1));		/* rows 3 and 4 */
	b.state = ORD_FILLED;
	b.filled = b.qty;
	fill_ev(j, &b, b.qty, P(5000), t_at(12, 10, 2));	/* 5, 6, 7 */
	journal_close(j);

	sql(t->path, "UPDATE orders SET bracket = 'stop 8;targets 8x1' "
	    "WHERE seq = 3");
	/* The rows before it were read. */
	assert_int_equal(read_orders_fails(t->path, "journal.db: orders row "
	    "3: bracket \"stop 8;targets 8x1\": stop: \"8;targets 8x1\" is not "
	    "a number of ticks"), 2);
	sql(t->path, "UPDATE orders SET bracket = 'stop 8; targets 12x1' "
	    "WHERE seq = 3");
	read_orders_fails(t->path, "journal.db: orders row 3: bracket \"stop "
	    "8; targets 12x1\" disagrees with stop_ticks 8 and target_ticks 8");
	sql(t->path, "UPDATE orders SET bracket = 'stop 8; targets 8x1 16x1 "
	    "24x1; breakeven 6+1; trail 10/2/6', stop_ticks = 9 WHERE seq = 3");
	read_orders_fails(t->path, "disagrees with stop_ticks 9");
	sql(t->path, "UPDATE orders SET stop_ticks = 8, bracket = '' "
	    "WHERE seq = 3");
	read_orders_fails(t->path, "orders row 3: bracket \"\": an empty part");
	sql(t->path, "UPDATE orders SET bracket = 'none', stop_ticks = 0, "
	    "target_ticks = 0, tif = 'gtd' WHERE seq = 3");
	read_orders_fails(t->path, "journal.db: orders row 3: unknown time in "
	    "force \"gtd\" (gtc, day, ioc)");
	sql(t->path, "UPDATE orders SET tif = 'day', type = 'stoplimit' "
	    "WHERE seq = 3");
	read_orders_fails(t->path, "journal.db: orders row 3: unknown order "
	    "type \"stoplimit\" (mkt, lmt, stp, stplmt)");
	sql(t->path, "UPDATE orders SET type = 'stplmt' WHERE seq = 3");
	j = open_ok(t->path, JOURNAL_READONLY);
	{
		struct rows	*rs = rows_new();

		assert_int_equal(journal_read_orders(j, 0, 0, collect_order,
		    rs, NULL), 0);
		assert_int_equal(rs->n, 5);
		assert_int_equal(rs->o[2].order.type, ORD_STOP_LIMIT);
		assert_int_equal(rs->o[2].order.tif, TIF_DAY);
		assert_int_equal(rs->o[2].order.br.ntargets, 0);
		free(rs);
	}
	journal_close(j);

	sql(t->path, "UPDATE fills SET type = 'market' WHERE seq = 5");
	j = open_ok(t->path, JOURNAL_READONLY);
	{
		struct rows	*rs = rows_new();

		assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs,
		    &err), -1);
		assert_int_equal(rs->n, 0);
		free(rs);
	}
	assert_string_equal(err.msg, "journal.db: fills row 5: unknown order "
	    "type \"market\" (mkt, lmt, stp, stplmt)");
	journal_close(j);
}

/*
 * A journal of version 3, with the rows that version wrote: migrated, its
 * orders read as before (the stop and the first target, GTC), its fills
 * given the type of their order's row, and new rows keep everything.
 */
static void
test_journal_migrates_v3(void **state)
{
	struct tj	*t = *state;
	struct journal	*j;
	struct rows	*rs = rows_new();
	struct errmsg	 err;
	struct order	 o = an_order(20, ORD_SUBMITTED);

	assert_int_equal(journal_create_version(t->path, 3, &err), 0);
	sql(t->path,
	    "INSERT INTO sessions (id, started, mode, config, timezone, "
	    "resumes) VALUES (1, 5, 'paper', 'a.cfg', 'America/New_York', 0),"
	    " (2, 6, 'paper', 'a.cfg', 'America/New_York', 0);"
	    /* Session 1: a stop-limit entry with a bracket, and its stop. */
	    "INSERT INTO orders (seq, session, time, day, corr, event, "
	    "order_id, symbol, inst, side, type, role, state, prev_state, qty, "
	    "filled, price, owner, owner_name, parent, oco, stop_ticks, "
	    "target_ticks, reason, created, fill_cost, updated, stop_id, "
	    "target_id, legs_filled, replace_pending, cancel_pending, "
	    "bracket_off) VALUES "
	    "(1, 1, 100, 20240102, 9, 'created', 12, 'ES', 0, 'buy', "
	    "'stplmt', 'entry', 'new', NULL, 2, 0, 20004, 0, 'orb', 0, 0, 8, "
	    "16, '', 100, 0, 100, 0, 0, 0, 0, 0, 0),"
	    "(2, 1, 100, 20240102, 9, 'submitted', 12, 'ES', 0, 'buy', "
	    "'stplmt', 'entry', 'submitted', 'new', 2, 0, 20004, 0, 'orb', 0, "
	    "0, 8, 16, '', 100, 0, 100, 0, 0, 0, 0, 0, 0),"
	    "(4, 1, 101, 20240102, 9, 'filled', 12, 'ES', 0, 'buy', "
	    "'stplmt', 'entry', 'filled', NULL, 2, 2, 20004, 0, 'orb', 0, 0, "
	    "8, 16, '', 100, 40010, 101, 13, 14, 0, 0, 0, 0),"
	    "(5, 1, 101, 20240102, 9, 'created', 13, 'ES', 0, 'sell', "
	    "'stp', 'stop', 'new', NULL, 2, 0, 19997, 0, 'orb', 12, 12, 0, "
	    "0, '', 101, 0, 101, 0, 0, 0, 0, 0, 0),"
	    /* Session 2 (not resumed) starts its ids again at 12. */
	    "(7, 2, 200, 20240103, 1, 'filled', 12, 'ES', 0, 'sell', "
	    "'lmt', 'exit', 'filled', NULL, 1, 1, 20010, -1, 'manual', 0, 0, "
	    "0, 0, 'flatten', 200, 20010, 200, 0, 0, 0, 0, 0, 0);"
	    "INSERT INTO fills (seq, session, time, day, corr, order_id, "
	    "symbol, inst, side, qty, price, owner, owner_name, role, "
	    "commission, order_filled, reason, source) VALUES "
	    "(3, 1, 101, 20240102, 9, 12, 'ES', 0, 'buy', 2, 20005, 0, 'orb', "
	    "'entry', 124, 2, 'entry', 'engine'),"
	    "(6, 2, 200, 20240103, 1, 12, 'ES', 0, 'sell', 1, 20010, -1, "
	    "'manual', 'exit', 62, 1, 'flatten', 'venue'),"
	    /* A fill without a row of its order (made by hand). */
	    "(8, 2, 201, 20240103, 1, 99, 'ES', 0, 'sell', 1, 20010, -1, "
	    "'manual', 'exit', 62, 1, 'flatten', 'engine');");
	assert_null(journal_open(t->path, JOURNAL_READONLY, &err));
	assert_non_null(strstr(err.msg, "schema version 3 is older"));

	j = open_ok(t->path, 0);
	assert_int_equal(journal_schema_version(j), JOURNAL_SCHEMA_VERSION);
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs, NULL),
	    0);
	assert_int_equal(rs->n, 5);
	for (int i = 0; i < 3; i++) {
		const struct order	*b = &rs->o[i].order;

		assert_int_equal(b->id, 12);
		assert_int_equal(b->type, ORD_STOP_LIMIT);
		assert_int_equal(b->br.stop_ticks, 8);
		assert_int_equal(b->br.ntargets, 1);
		assert_int_equal(b->br.target_ticks[0], 16);
		assert_int_equal(b->br.target_qty[0], 0);
		assert_int_equal(b->br.be_trigger, 0);
		assert_int_equal(b->br.trail_dist, 0);
		assert_int_equal(b->limit, 0);		/* never recorded */
		assert_int_equal(b->tif, TIF_GTC);
		assert_string_equal(rs->o[i].owner_name, "orb");
	}
	assert_int_equal(rs->o[2].order.pair[0].stop_id, 13);
	assert_int_equal(rs->o[3].order.br.ntargets, 0);	/* the stop */
	assert_int_equal(rs->o[3].order.br.stop_ticks, 0);
	assert_int_equal(rs->o[3].order.role, ROLE_STOP);
	assert_int_equal(rs->o[4].order.type, ORD_LIMIT);

	/* Each fill has its own order's type, owner and role. */
	rs->n = 0;
	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 3);
	assert_int_equal(rs->f[0].type, ORD_STOP_LIMIT);
	assert_string_equal(rs->f[0].owner_name, "orb");
	assert_true(td_owner_is(rs->f[0].owner, td_strat_at(0)));
	assert_int_equal(rs->f[0].role, ROLE_ENTRY);
	assert_int_equal(rs->f[1].type, ORD_LIMIT);	/* session 2's 12 */
	assert_string_equal(rs->f[1].owner_name, "manual");
	assert_int_equal(rs->f[1].role, ROLE_EXIT);
	assert_string_equal(rs->f[1].source, "venue");
	assert_int_equal(rs->f[2].type, ORD_MARKET);	/* no order row */
	assert_int_equal(rs->f[0].trade_high, 0);	/* not recorded */
	assert_int_equal(rs->f[0].trade_low, 0);

	/* A trader reading the file sees which rows predate the bracket. */
	assert_int_equal(sql_value(t->path, "SELECT count(*) FROM orders "
	    "WHERE bracket IS NULL AND tif IS NULL AND limit_price IS NULL",
	    NULL, 0), 5);
	assert_int_equal(sql_value(t->path, "SELECT count(*) FROM fills "
	    "WHERE type IS NULL", NULL, 0), 1);

	/* New rows go after the old ones and keep everything. */
	o.type = ORD_STOP_LIMIT;
	o.limit = P(5001.5);
	o.tif = TIF_DAY;
	o.br = shapes[9].br;
	order_ev(j, &o, -1, t_at(12, 10, 0));
	o.state = ORD_FILLED;
	o.filled = o.qty;
	fill_ev(j, &o, o.qty, P(5001.25), t_at(12, 10, 1));
	journal_close(j);

	j = open_ok(t->path, JOURNAL_READONLY);
	rs->n = 0;
	assert_int_equal(journal_read_orders(j, 0, 0, collect_order, rs, NULL),
	    0);
	assert_int_equal(rs->n, 8);
	assert_true(rs->o[5].seq > 8);
	assert_bracket_equal(&rs->o[7].order.br, &shapes[9].br);
	assert_int_equal(rs->o[7].order.limit, P(5001.5));
	assert_int_equal(rs->o[7].order.tif, TIF_DAY);
	assert_int_equal(rs->o[0].order.br.stop_ticks, 8);	/* still */
	rs->n = 0;
	assert_int_equal(journal_read_fills(j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 4);
	assert_int_equal(rs->f[3].type, ORD_STOP_LIMIT);
	journal_close(j);
	free(rs);
}

/* ------------------------------------------------------------ restarts */

/*
 * A paper session on the journal and the venue's book beside it, as the
 * console starts one: a new engine recovered from both.  strategy: the
 * fixture's ORB, else none (manual orders).
 */
struct session {
	struct engine		*e;
	struct journal		*j;
	struct engine_recovery	 rec;
};

static void
session_start(struct tj *t, struct session *s, bool strategy)
{
	struct journal_session_info	 info = { .mode = "paper" };
	struct engine_config		 cfg;
	struct errmsg			 err;
	char				 book[160];

	snprintf(book, sizeof book, "%s.venue", t->path);
	if (strategy)
		fixture_orb_config(&cfg, false, 0);
	else {
		fixture_config(&cfg);
		cfg.unattended = false;
	}
	/* The journal first: it makes the directory the book goes in. */
	s->j = open_ok(t->path, JOURNAL_CREATE);
	if ((s->e = fixture_engine_book(&cfg, NULL, book, &err)) == NULL)
		fail_msg("%s", err.msg);
	if (engine_recover(s->e, s->j, &info, &s->rec, &err) == -1)
		fail_msg("%s", err.msg);
}

/* A crash: nothing but what was committed is left. */
static void
session_stop(struct session *s)
{
	engine_free(s->e);
	journal_close(s->j);
	memset(s, 0, sizeof *s);
}

/*
 * A clean end (quit, SIGTERM's flatten-halt-exit, the console's end): the
 * engine stops, then its end is on the journal, as session_free does it.
 */
static void
session_close(struct session *s, td_ns ended)
{
	struct errmsg	 err;

	engine_free(s->e);
	s->e = NULL;
	if (journal_end(s->j, ended, &err) == -1)
		fail_msg("%s", err.msg);
	session_stop(s);
}

/* A 1-minute bar of 2024-03-12, New York time, in points. */
static void
session_bar(struct session *s, int h, int m, double o, double hi, double lo,
    double c)
{
	struct td_md	 md = fixture_bar(t_at(12, h, m), P(o), P(hi), P(lo),
			    P(c));
	struct errmsg	 err;

	if (engine_on_market(s->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static uint64_t
session_buy(struct session *s, enum order_type type, int64_t qty,
    double price, enum order_tif tif, const struct bracket *br)
{
	struct manual_order	 m = {
		.inst = ES,
		.side = TD_BUY,
		.type = type,
		.qty = qty,
		.price = type == ORD_MARKET ? 0 : P(price),
		.tif = tif,
		.br = *br,
	};
	struct errmsg		 err;
	uint64_t		 id;

	if (engine_manual_order(s->e, &m, &id, &err) == -1)
		fail_msg("%s", err.msg);
	return id;
}

static const struct order *
session_live(const struct session *s, uint64_t id)
{
	const struct order_mgr	*om = engine_orders(s->e);

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		if (order_mgr_live_at(om, i)->id == id)
			return order_mgr_live_at(om, i);
	}
	return NULL;
}

/* The prices of the working stops, lowest first; how many. */
static int
session_stops(const struct session *s, td_ticks *px, int max)
{
	const struct order_mgr	*om = engine_orders(s->e);
	int			 n = 0;

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		if (o->role == ROLE_STOP && n < max)
			px[n++] = o->price;
	}
	return n;
}

/*
 * The whole bracket survives a restart: a scale-out with breakeven and a
 * trailing stop still moves its stops afterwards, and a working DAY entry
 * is still a DAY order with its own bracket.
 */
static void
test_journal_restart_keeps_bracket(void **state)
{
	struct tj		*t = *state;
	struct session		 s;
	const struct bracket	 atm = { .stop_ticks = 8, .ntargets = 3,
				    .target_ticks = { 40, 60, 80 },
				    .target_qty = { 1, 1, 1 },
				    .be_trigger = 6, .be_offset = 1,
				    .trail_trigger = 10, .trail_step = 2,
				    .trail_dist = 6 };
	const struct bracket	 small = { .stop_ticks = 4, .ntargets = 1,
				    .target_ticks = { 8 } };
	const struct order	*w;
	td_ticks		 px[8];
	uint64_t		 entry, day;

	session_start(t, &s, false);
	session_bar(&s, 10, 0, 5000, 5000, 5000, 5000);
	entry = session_buy(&s, ORD_MARKET, 3, 0, TIF_GTC, &atm);
	day = session_buy(&s, ORD_STOP, 1, 5010, TIF_DAY, &small);
	session_bar(&s, 10, 1, 5000, 5001, 4999.75, 5000.5);
	assert_int_equal(portfolio_position(engine_portfolio(s.e), ES), 3);
	assert_int_equal(session_stops(&s, px, 8), 3);
	assert_int_equal(px[0], P(5000) - 8);
	session_stop(&s);

	session_start(t, &s, false);
	assert_int_equal(s.rec.discrepancies, 0);
	assert_int_equal(s.rec.orders, 7);	/* 3 stops, 3 targets, day */
	assert_non_null(w = session_live(&s, day));
	assert_int_equal(w->type, ORD_STOP);
	assert_int_equal(w->tif, TIF_DAY);
	assert_bracket_equal(&w->br, &small);
	assert_true(session_live(&s, entry) == NULL);	/* filled */

	/*
	 * 12 ticks in profit: breakeven takes the stops to the entry + 1,
	 * then the trail (6 behind 5003) moves them on 2 ticks at a time.
	 * Without the bracket they would stay 8 ticks under the entry.
	 */
	session_bar(&s, 10, 2, 5000.5, 5003, 5000.5, 5003);
	assert_int_equal(session_stops(&s, px, 8), 3);
	for (int k = 0; k < 3; k++)
		assert_int_equal(px[k], P(5000) + 1 + 4);
	assert_int_equal(portfolio_position(engine_portfolio(s.e), ES), 3);
	session_stop(&s);
}

/* Day 12: ORB's long breakout at 10:00 and its target at 10:05. */
static const struct fixture_override breakout[] = {
	{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
	{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
	{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
	{ 10, 5, P(5002), P(5006), P(5002), P(5006) },
};

/* Bars of day 12 from h0:m0 up to (not with) h1:m1, flat between. */
static void
session_bars(struct session *s, int from, int to, td_ticks *flat)
{
	struct errmsg	 err;

	for (int m = from; m < to; m++) {
		struct td_md	 md = fixture_bar(t_at(12, m / 60, m % 60),
				    *flat, *flat, *flat, *flat);

		for (size_t i = 0; i < sizeof breakout / sizeof breakout[0];
		    i++) {
			const struct fixture_override	*ov = &breakout[i];

			if (ov->hour * 60 + ov->min != m)
				continue;
			md = fixture_bar(md.bar.start, ov->o, ov->h, ov->l,
			    ov->c);
			*flat = ov->c;
		}
		if (engine_on_market(s->e, &md, &err) == -1)
			fail_msg("%s", err.msg);
	}
}

/*
 * A fill the venue made while the journal was away (the process died in
 * between) is journaled at the restart with its order's owner, role and
 * type, as every fill is.
 */
static void
test_journal_recovered_fill_keeps_order(void **state)
{
	struct tj	*t = *state;
	struct session	 s;
	struct rows	*rs = rows_new();
	td_ticks	 flat = P(5000);

	session_start(t, &s, true);
	session_bars(&s, 9 * 60 + 30, 10 * 60 + 3, &flat);
	assert_int_equal(portfolio_position(engine_portfolio(s.e), ES), 1);
	/* The journal is gone. */
	engine_observer_remove(s.e, journal_observe, s.j);
	session_bars(&s, 10 * 60 + 3, 10 * 60 + 6, &flat);
	assert_int_equal(portfolio_position(engine_portfolio(s.e), ES), 0);
	session_stop(&s);

	session_start(t, &s, true);
	assert_int_equal(s.rec.missing_fills, 1);
	assert_int_equal(journal_read_fills(s.j, 0, 0, collect_fill, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_string_equal(rs->f[0].source, "engine");
	assert_string_equal(rs->f[0].owner_name, "orb");
	assert_int_equal(rs->f[0].role, ROLE_ENTRY);
	assert_int_equal(rs->f[0].type, ORD_MARKET);
	assert_string_equal(rs->f[1].source, "venue");
	assert_true(td_owner_is(rs->f[1].owner, td_strat_at(0)));
	assert_string_equal(rs->f[1].owner_name, "orb");
	assert_int_equal(rs->f[1].role, ROLE_TARGET);
	assert_int_equal(rs->f[1].type, ORD_LIMIT);
	assert_int_equal(rs->f[1].price, P(5005.5));
	assert_int_equal(portfolio_position(engine_portfolio(s.e), ES), 0);
	free(rs);
	session_stop(&s);
}

/*
 * A session closed cleanly restarts as it was journaled (ACTIVE, with its
 * position and its bracket); one left open (it died) restarts HALTED by
 * "restart", whatever the venue says.  The end is recorded once, synced,
 * only on a session of a journal open for writing.
 */
static void
test_journal_clean_end(void **state)
{
	struct tj		*t = *state;
	struct session		 s;
	struct rows		*rs = rows_new();
	struct journal		*j;
	struct errmsg		 err;
	const struct bracket	 br = { .stop_ticks = 8, .ntargets = 1,
				    .target_ticks = { 16 } };

	session_start(t, &s, false);
	assert_int_equal(s.rec.unclean, 0);	/* nothing to continue */
	session_bar(&s, 10, 0, 5000, 5000, 5000, 5000);
	session_buy(&s, ORD_MARKET, 1, 0, TIF_GTC, &br);
	session_bar(&s, 10, 1, 5000, 5001, 4999.75, 5000.5);
	session_close(&s, t_at(12, 16, 30));

	session_start(t, &s, false);
	assert_int_equal(s.rec.resumed, 1);
	assert_int_equal(s.rec.unclean, 0);
	assert_int_equal(s.rec.discrepancies, 0);
	assert_int_equal(s.rec.state, TS_ACTIVE);
	assert_int_equal(engine_state(s.e), TS_ACTIVE);
	assert_int_equal(portfolio_position(engine_portfolio(s.e), ES), 1);
	assert_int_equal(s.rec.orders, 2);
	session_stop(&s);				/* it dies */

	session_start(t, &s, false);
	assert_int_equal(s.rec.resumed, 2);
	assert_int_equal(s.rec.unclean, 1);
	assert_int_equal(s.rec.discrepancies, 0);
	assert_int_equal(s.rec.state, TS_HALTED);
	fixture_assert_state(s.e, "HALTED", "restart", "restart after an "
	    "unclean end of session 2");
	assert_int_equal(portfolio_position(engine_portfolio(s.e), ES), 1);
	assert_int_equal(s.rec.orders, 2);
	assert_int_equal(journal_read_sessions(s.j, collect_session, rs, NULL),
	    0);
	assert_int_equal(rs->n, 3);
	assert_int_equal(rs->ss[0].ended, t_at(12, 16, 30));
	assert_int_equal(rs->ss[1].ended, 0);
	assert_int_equal(rs->ss[2].ended, 0);
	assert_int_equal(journal_end(s.j, 0, &err), -1);
	assert_string_equal(err.msg, "journal.db: the end of session 3 needs "
	    "its time");
	session_stop(&s);

	/* No session begun, or a reader: nothing to end. */
	j = open_ok(t->path, 0);
	assert_int_equal(journal_end(j, t_at(12, 17, 0), &err), -1);
	assert_string_equal(err.msg, "journal.db: no session to end");
	journal_close(j);
	j = open_ok(t->path, JOURNAL_READONLY);
	assert_int_equal(journal_end(j, t_at(12, 17, 0), &err), -1);
	journal_close(j);
	free(rs);
}

/*
 * A journal of version 6 (before sessions had an end): migrated, its
 * sessions are taken as ended, as they predate the record, so the first
 * restart after the upgrade keeps the journaled state; new sessions
 * start without an end.
 */
static void
test_journal_migrates_v6(void **state)
{
	struct tj	*t = *state;
	struct session	 s;
	struct rows	*rs = rows_new();
	struct errmsg	 err;
	struct journal	*j;

	assert_int_equal(journal_create_version(t->path, 6, &err), 0);
	sql(t->path, "INSERT INTO sessions (id, started, mode, config, "
	    "timezone, resumes) VALUES "
	    "(1, 5, 'paper', 'a.cfg', 'America/New_York', 0),"
	    "(2, 6, 'paper', 'a.cfg', 'America/New_York', 1);"
	    "INSERT INTO instruments VALUES (2, 0, 'ES', 250000000, 5000, 62, "
	    "2);");
	assert_null(journal_open(t->path, JOURNAL_READONLY, &err));
	assert_non_null(strstr(err.msg, "schema version 6 is older"));
	j = open_ok(t->path, 0);
	assert_int_equal(journal_schema_version(j), JOURNAL_SCHEMA_VERSION);
	assert_int_equal(journal_read_sessions(j, collect_session, rs, NULL),
	    0);
	assert_int_equal(rs->n, 2);
	assert_int_equal(rs->ss[0].ended, JOURNAL_ENDED_UNRECORDED);
	assert_int_equal(rs->ss[1].ended, JOURNAL_ENDED_UNRECORDED);
	assert_int_equal(rs->ss[1].resumes, 1);
	journal_close(j);

	session_start(t, &s, false);
	assert_int_equal(s.rec.resumed, 2);
	assert_int_equal(s.rec.unclean, 0);
	assert_int_equal(engine_state(s.e), TS_ACTIVE);
	rs->n = 0;
	assert_int_equal(journal_read_sessions(s.j, collect_session, rs, NULL),
	    0);
	assert_int_equal(rs->n, 3);
	assert_int_equal(rs->ss[2].ended, 0);
	session_stop(&s);
	free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_journal_create_and_reopen,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_order_events,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_fills_and_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_leg_fill_keeps_bracket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_fill_trade_range,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_owner_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_states_and_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_sessions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_journal_begin_books, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_journal_engine_session,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_failure_halts_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_unrecorded_entry_not_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_unrecorded_resume_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_fill_source_and_void, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_migrates_v1,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_refuses_newer,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_refuses_corrupt,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_refuses_broken_index, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_refuses_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_readonly_refusal_advice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_refuses_foreign,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_one_writer, setup,
		    teardown),
		cmocka_unit_test(test_journal_default_path),
		cmocka_unit_test(test_journal_bracket_text),
		cmocka_unit_test(test_journal_bracket_refused),
		cmocka_unit_test(test_journal_bracket_malformed),
		cmocka_unit_test_setup_teardown(test_journal_order_round_trip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_refuses_unwritable_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_refuses_bad_rows,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_clean_end, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_journal_migrates_v6,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_migrates_v3,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_restart_keeps_bracket, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_recovered_fill_keeps_order, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
