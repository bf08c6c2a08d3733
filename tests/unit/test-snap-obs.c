/*
 * test-snap-obs.c -- the console's observer: blotter rows from order
 * updates and fills (prices formatted, names copied), the blotter ring of
 * the length it was made with wrapping newest first (and asking a
 * snapshot for that many rows), a sparkline ring per instrument wrapping
 * oldest first, and an engine's snapshot carrying both once it is added.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "order-mgr.h"
#include "snap-obs.h"

#include "fixture.h"

struct tso {
	struct instrument	 es;
	struct instrument	 nq;
	struct snap_obs		*so;
	struct snapshot		*s;
};

static int
setup(void **state)
{
	struct tso		*t = calloc(1, sizeof *t);
	struct snapshot_sizes	 sz = { .ninst = 2,
				    .blotter = SNAP_OBS_BLOTTER };
	struct errmsg		 err;

	if (t == NULL || (t->s = snapshot_create(&sz, &err)) == NULL)
		return -1;
	t->es = (struct instrument){ .symbol = "ES", .tick_size = 250000000,
	    .point_value = 5000, .commission = 62, .decimals = 2 };
	t->nq = (struct instrument){ .symbol = "NQ", .tick_size = 250000000,
	    .point_value = 2000, .commission = 62, .decimals = 2 };
	if (instrument_init(&t->es, &err) == -1 ||
	    instrument_init(&t->nq, &err) == -1 ||
	    (t->so = snap_obs_create(2, SNAP_OBS_BLOTTER, &err)) == NULL)
		return -1;
	t->s->ninst = 2;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tso	*t = *state;

	snap_obs_free(t->so);
	snapshot_free(t->s);
	free(t);
	return 0;
}

static struct order
an_order(uint64_t id, enum order_type type, enum order_state st)
{
	return (struct order){ .id = id, .inst = ES, .side = TD_BUY,
	    .type = type, .state = st, .role = ROLE_ENTRY, .qty = 2,
	    .price = 20000, .limit = 20004, .tif = TIF_DAY,
	    .owner = td_owner_strat(td_strat_at(0)),
	    .parent = 0, .oco = 7, .updated = 5 * TD_NS_PER_SEC };
}

static void
update(struct tso *t, const struct order *o, td_ns time)
{
	struct engine_ev	 ev = { .kind = EEV_UPDATE, .time = time,
				    .order = o, .from = ORD_SUBMITTED,
				    .inst = o->inst, .instrument = &t->es,
				    .owner = "orb" };

	assert_int_equal(snap_obs_observe(t->so, &ev, NULL), 0);
}

static void
bar(struct tso *t, int inst, td_ticks close)
{
	struct td_bar		 b = { .close = close };
	struct engine_ev	 ev = { .kind = EEV_BAR, .inst =
	    td_inst_at(inst),
				    .bar = &b };

	assert_int_equal(snap_obs_observe(t->so, &ev, NULL), 0);
}

/* An update is a row of the order as it is; a fill a row of the fill. */
static void
test_snap_obs_rows(void **state)
{
	struct tso		*t = *state;
	struct order		 sl = an_order(3, ORD_STOP_LIMIT, ORD_WORKING);
	struct order		 mkt = an_order(4, ORD_MARKET, ORD_FILLED);
	const struct snap_blot	*b;

	update(t, &sl, 9 * TD_NS_PER_SEC);
	mkt.updated = 11 * TD_NS_PER_SEC;
	mkt.owner = td_owner_manual();
	assert_int_equal(snap_obs_observe(t->so, &(struct engine_ev){
	    .kind = EEV_FILL, .time = 11 * TD_NS_PER_SEC, .order = &mkt,
	    .inst = ES, .instrument = &t->es, .owner = "manual",
	    .side = TD_BUY, .qty = 1, .price = 20001 }, NULL), 0);
	mkt.state = ORD_WORKING;
	update(t, &mkt, 12 * TD_NS_PER_SEC);
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->nblot, 3);

	/* Newest first: the market order, its fill, the stop-limit. */
	b = &t->s->blot[0];
	assert_int_equal(b->id, 4);
	assert_false(b->fill);
	assert_string_equal(b->price, "");	/* a market order has none */
	assert_string_equal(b->type, "mkt");
	assert_int_equal(b->time, 12 * TD_NS_PER_SEC);

	b = &t->s->blot[1];
	assert_int_equal(b->id, 4);
	assert_true(b->fill);
	assert_int_equal(b->qty, 1);
	assert_string_equal(b->price, "5000.25");
	assert_string_equal(b->limit, "");
	assert_string_equal(b->state, "fill");
	assert_string_equal(b->owner, "manual");
	assert_int_equal(b->time, 11 * TD_NS_PER_SEC);

	b = &t->s->blot[2];
	assert_int_equal(b->id, 3);
	assert_string_equal(b->symbol, "ES");
	assert_string_equal(b->side, "buy");
	assert_string_equal(b->type, "stplmt");
	assert_string_equal(b->role, "entry");
	assert_string_equal(b->tif, "DAY");
	assert_string_equal(b->state, "working");
	assert_string_equal(b->owner, "orb");
	assert_string_equal(b->price, "5000.00");
	assert_string_equal(b->limit, "5001.00");
	assert_int_equal(b->qty, 2);
	assert_int_equal(b->oco, 7);
	assert_int_equal(b->time, 9 * TD_NS_PER_SEC);
}

/* The ring keeps the newest SNAP_OBS_BLOTTER rows, newest first. */
static void
test_snap_obs_blotter_wraps(void **state)
{
	struct tso	*t = *state;
	int		 n = SNAP_OBS_BLOTTER + 37;

	for (int i = 1; i <= n; i++) {
		struct order	 o = an_order((uint64_t)i, ORD_LIMIT,
				    ORD_WORKING);

		update(t, &o, i);
	}
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->nblot, SNAP_OBS_BLOTTER);
	for (int i = 0; i < SNAP_OBS_BLOTTER; i++)
		assert_int_equal(t->s->blot[i].id, (uint64_t)(n - i));
	/* Kinds it does not keep change nothing. */
	assert_int_equal(snap_obs_observe(t->so, &(struct engine_ev){
	    .kind = EEV_MARKET }, NULL), 0);
	assert_int_equal(snap_obs_observe(t->so, &(struct engine_ev){
	    .kind = EEV_UPDATE }, NULL), 0);	/* no order */
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->blot[0].id, (uint64_t)n);
}

/*
 * Each instrument's closes, oldest first, the last SNAP_SPARK of them;
 * an instrument the observer was not made for is left out.
 */
static void
test_snap_obs_sparkline(void **state)
{
	struct tso	*t = *state;
	int		 n = SNAP_SPARK + 15;

	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->inst[0].nspark, 0);
	for (int i = 0; i < 3; i++)
		bar(t, 1, 100 + i);
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->inst[0].nspark, 0);
	assert_int_equal(t->s->inst[1].nspark, 3);
	assert_int_equal(t->s->inst[1].spark[0], 100);
	assert_int_equal(t->s->inst[1].spark[2], 102);
	for (int i = 0; i < n; i++)
		bar(t, 0, 20000 + i);
	bar(t, 2, 1);
	bar(t, -1, 1);
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->inst[0].nspark, SNAP_SPARK);
	for (int k = 0; k < SNAP_SPARK; k++)
		assert_int_equal(t->s->inst[0].spark[k], 20000 + n -
		    SNAP_SPARK + k);
	assert_int_equal(t->s->inst[1].nspark, 3);
	/* A snapshot of one instrument gets one sparkline. */
	snapshot_clear(t->s);
	t->s->ninst = 1;
	t->s->inst[1].nspark = 42;
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->inst[0].nspark, SNAP_SPARK);
	assert_int_equal(t->s->inst[1].nspark, 42);
}

/*
 * The blotter's length is the observer's: a ring of 5 keeps 5 rows and
 * asks a snapshot for 5 (raising a smaller ask, never lowering a larger
 * one); a snapshot with room for 3 gets the newest 3.
 */
static void
test_snap_obs_blotter_length(void **state)
{
	struct snapshot_sizes	 sz = { .ninst = 1 };
	struct snapshot		*s;
	struct tso		*t = *state;
	struct errmsg		 err;

	snap_obs_free(t->so);
	assert_non_null(t->so = snap_obs_create(1, 5, &err));
	snap_obs_sizes(t->so, &sz);
	assert_int_equal(sz.blotter, 5);
	sz.blotter = 9;
	snap_obs_sizes(t->so, &sz);
	assert_int_equal(sz.blotter, 9);
	for (int i = 1; i <= 12; i++) {
		struct order	 o = an_order((uint64_t)i, ORD_LIMIT,
				    ORD_WORKING);

		update(t, &o, i);
	}
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->nblot, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(t->s->blot[i].id, (uint64_t)(12 - i));
	sz.blotter = 3;
	assert_non_null(s = snapshot_create(&sz, &err));
	s->ninst = 1;
	snap_obs_fill(t->so, s);
	assert_int_equal(s->nblot, 3);
	assert_int_equal(s->blot[0].id, 12);
	assert_int_equal(s->blot[2].id, 10);
	snapshot_free(s);
}

static void
test_snap_obs_refuses_bad_size(void **state)
{
	struct errmsg	 err;

	(void)state;
	assert_null(snap_obs_create(0, SNAP_OBS_BLOTTER, &err));
	assert_string_equal(err.msg, "snapshot observer: 0 instruments");
	assert_null(snap_obs_create(1, 0, &err));
	assert_string_equal(err.msg, "snapshot observer: 0 blotter rows");
	snap_obs_free(NULL);
}

/*
 * Added to an engine, it makes the blotter and the sparklines of the
 * engine's snapshots; without it they are empty.
 */
static void
test_snap_obs_on_an_engine(void **state)
{
	struct tso		*t = *state;
	struct engine		*e = fixture_orb_engine(true, 0);
	static const struct fixture_override day[] = {
		{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
		{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
		{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
		{ 10, 5, P(5002), P(5006), P(5002), P(5006) },
	};
	struct snap_obs		*v;

	fixture_day(e, 14, P(5000), day, 1);
	fixture_snapshot(e, t->s);
	assert_int_equal(t->s->nblot, 0);
	assert_int_equal(t->s->inst[0].nspark, 0);
	engine_free(e);

	e = fixture_orb_engine(true, 0);
	v = fixture_view(e);
	fixture_day(e, 14, P(5000), day, 4);
	fixture_snapshot(e, t->s);
	/* The breakout's entry, its fill, its bracket, the target's fill. */
	assert_true(t->s->nblot >= 4);
	assert_string_equal(t->s->blot[t->s->nblot - 1].role, "entry");
	assert_int_equal(t->s->inst[0].nspark, SNAP_SPARK);
	assert_int_equal(t->s->inst[0].spark[SNAP_SPARK - 1],
	    t->s->inst[0].last_ticks);
	assert_int_equal(engine_observer_remove(e, snap_obs_observe, v), 0);
	assert_int_equal(engine_observer_remove(e, snap_obs_observe, v), -1);
	fixture_snapshot(e, t->s);
	assert_int_equal(t->s->nblot, 0);
	engine_free(e);
	snap_obs_free(v);
}

/*
 * The chart's rings: each instrument's bars as candles and its fills as
 * marks (entry or exit), oldest first, the last SNAP_CANDLES and
 * SNAP_MARKS; the equity curve gets a point a minute of the snapshot's
 * time, the last one moving within a minute, halved when full.
 */
static void
test_snap_obs_chart(void **state)
{
	struct tso	*t = *state;
	struct order	 o = an_order(1, ORD_MARKET, ORD_FILLED);
	struct engine_ev ev = { .kind = EEV_FILL, .time = 9, .order = &o,
			    .inst = ES, .instrument = &t->es, .side = TD_BUY,
			    .qty = 1, .price = 20010, .owner = "orb" };
	int		 n = SNAP_CANDLES + 5;

	for (int i = 0; i < n; i++) {
		struct td_bar		 b = { .start = i * TD_NS_PER_MIN,
					    .end = (i + 1) * TD_NS_PER_MIN,
					    .open = i, .high = i + 2,
					    .low = i - 1, .close = i + 1 };
		struct engine_ev	 be = { .kind = EEV_BAR,
					    .inst = td_inst_at(0), .bar = &b };

		assert_int_equal(snap_obs_observe(t->so, &be, NULL), 0);
	}
	assert_int_equal(snap_obs_observe(t->so, &ev, NULL), 0);
	o.role = ROLE_STOP;
	ev.side = TD_SELL;
	ev.price = 20000;
	assert_int_equal(snap_obs_observe(t->so, &ev, NULL), 0);
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->inst[0].bars, n);
	assert_int_equal(t->s->inst[0].ncandle, SNAP_CANDLES);
	assert_int_equal(t->s->inst[0].candle[0].open, 5);
	assert_int_equal(t->s->inst[0].candle[SNAP_CANDLES - 1].close, n);
	assert_int_equal(t->s->inst[0].nmark, 2);
	assert_true(t->s->inst[0].mark[0].buy);
	assert_false(t->s->inst[0].mark[0].exit);
	assert_false(t->s->inst[0].mark[1].buy);
	assert_true(t->s->inst[0].mark[1].exit);
	assert_int_equal(t->s->inst[0].mark[1].price, 20000);
	assert_int_equal(t->s->inst[1].ncandle, 0);

	/* The equity: one point a minute, the last one moving. */
	snapshot_clear(t->s);
	t->s->ninst = 2;
	for (int m = 1; m <= SNAP_EQUITY; m++) {
		t->s->now = m * TD_NS_PER_MIN;
		t->s->net = m;
		snap_obs_fill(t->so, t->s);
		t->s->now += TD_NS_PER_SEC;
		t->s->net = -m;
		snap_obs_fill(t->so, t->s);
	}
	assert_int_equal(t->s->nequity, SNAP_EQUITY);
	assert_int_equal(t->s->equity[0].net, -1);
	assert_int_equal(t->s->equity[SNAP_EQUITY - 1].net, -SNAP_EQUITY);
	/* Full: every other point goes, the newest comes. */
	t->s->now = (SNAP_EQUITY + 1) * TD_NS_PER_MIN;
	t->s->net = 7;
	snap_obs_fill(t->so, t->s);
	assert_int_equal(t->s->nequity, SNAP_EQUITY / 2 + 1);
	assert_int_equal(t->s->equity[0].net, -2);
	assert_int_equal(t->s->equity[SNAP_EQUITY / 2 - 1].net, -SNAP_EQUITY);
	assert_int_equal(t->s->equity[SNAP_EQUITY / 2].net, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_snap_obs_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_snap_obs_blotter_wraps,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_snap_obs_sparkline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_snap_obs_blotter_length,
		    setup, teardown),
		cmocka_unit_test(test_snap_obs_refuses_bad_size),
		cmocka_unit_test_setup_teardown(test_snap_obs_chart, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_snap_obs_on_an_engine,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
