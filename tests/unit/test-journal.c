/*
 * test-journal.c -- the SQLite journal: round trips of every event type,
 * a journal written by a real engine, schema migration from version 1,
 * refusal of a newer schema, of corrupt, truncated and foreign files and
 * of an index that disagrees with its table, the writer's lock, hostile
 * text through bound parameters, and the engine halting when the journal
 * cannot write a fill.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <ftw.h>
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
	struct tj	*t = *state;

	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
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

static int64_t
begin(struct journal *j, struct engine *e)
{
	struct journal_session_info	 info = {
		.mode = "test",
		.config = "tests/conf/none.cfg",
	};
	struct errmsg			 err;
	int64_t				 id = journal_begin(j, e, &info, &err);

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
		.inst = 0,
		.side = TD_BUY,
		.type = ORD_LIMIT,
		.state = st,
		.role = ROLE_ENTRY,
		.qty = 3,
		.price = P(5000.25),
		.owner = 0,
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
		assert_int_equal(b->inst, a.inst);
		assert_int_equal(b->side, a.side);
		assert_int_equal(b->type, a.type);
		assert_int_equal(b->role, a.role);
		assert_int_equal(b->qty, a.qty);
		assert_int_equal(b->price, a.price);
		assert_int_equal(b->owner, a.owner);
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
	m.owner = -1;
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
	assert_int_equal(rs->f[1].owner, -1);
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

	begin(j, e);
	engine_set_observer(e, journal_observe, j);
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
	assert_int_equal(pos, portfolio_position(engine_portfolio(e), 0));
	assert_int_equal(rs->f[0].price, trades_get(tl, 0)->entry_sum);
	assert_int_equal(rs->f[1].price, trades_get(tl, 0)->exit_sum);
	assert_int_equal(rs->f[1].role, ROLE_TARGET);
	assert_int_equal(rs->f[0].corr, rs->f[1].corr);

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

	begin(j, e);
	engine_set_observer(e, journal_observe, j);
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
static void
test_journal_migrates_v1(void **state)
{
	struct tj	*t = *state;
	struct journal	*j;
	struct rows	*rs = rows_new();
	struct errmsg	 err;
	struct order	 o = an_order(5, ORD_FILLED);

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
	rs->n = 0;
	assert_int_equal(journal_read_sessions(j, collect_session, rs, NULL),
	    0);
	assert_int_equal(rs->n, 1);
	assert_int_equal(rs->ss[0].resumes, 0);
	assert_string_equal(rs->ss[0].mode, "paper");
	/* New rows go after the old ones, in the new tables too. */
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
	sql(t->path, "PRAGMA user_version = 7");
	assert_null(journal_open(t->path, 0, &err));
	assert_string_equal(err.msg, "journal.db: schema version 7 is newer "
	    "than this tickdesk (3): upgrade tickdesk");
	assert_null(journal_open(t->path, JOURNAL_READONLY, &err));
	assert_non_null(strstr(err.msg, "upgrade tickdesk"));
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
		    test_journal_states_and_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_sessions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_journal_engine_session,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_failure_halts_engine, setup, teardown),
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
		cmocka_unit_test_setup_teardown(test_journal_refuses_foreign,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_one_writer, setup,
		    teardown),
		cmocka_unit_test(test_journal_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
