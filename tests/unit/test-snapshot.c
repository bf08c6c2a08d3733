/*
 * test-snapshot.c -- a snapshot's tables: made for the sizes asked
 * (refusing a negative one), copied row for row with the rows in use
 * only and never into tables too small, emptied and resized keeping the
 * fixed part; and an engine's snapshot sized from the engine and its
 * observers: every instrument and strategy, every working order beyond
 * the old 64 up to SNAPSHOT_ORDERS_MAX, and beyond that the oldest with
 * the count of all, so that none goes missing unsaid.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "errmsg.h"
#include "snap-obs.h"
#include "snapshot.h"

#include "fixture.h"

/* ------------------------------------------------ the tables */

static void
test_snapshot_create_sizes(void **state)
{
	struct snapshot_sizes	 sz = { .ninst = 3, .nstrat = 20,
				    .orders = 100, .blotter = 7 };
	struct snapshot		*s;
	struct errmsg		 err;

	(void)state;
	assert_non_null(s = snapshot_create(&sz, &err));
	assert_memory_equal(&s->cap, &sz, sizeof sz);
	assert_int_equal(s->ninst + s->nstrat + s->norders + s->nworking +
	    s->nblot, 0);
	assert_int_equal(s->seq, 0);
	/* Every row is there to write. */
	s->inst[2].position = 1;
	s->strat[19].position = 2;
	s->orders[99].id = 3;
	s->blot[6].id = 4;
	assert_true(snapshot_holds(s, &sz));
	sz.orders++;
	assert_false(snapshot_holds(s, &sz));
	snapshot_free(s);

	/* None: no tables, filled by a first copy. */
	assert_non_null(s = snapshot_create(NULL, &err));
	assert_int_equal(s->cap.ninst + s->cap.nstrat + s->cap.orders +
	    s->cap.blotter, 0);
	assert_null(s->inst);
	assert_null(s->orders);
	snapshot_free(s);
	snapshot_free(NULL);

	sz.nstrat = -1;
	assert_null(snapshot_create(&sz, &err));
	assert_string_equal(err.msg, "snapshot: negative size (3 instruments, "
	    "-1 strategies, 101 orders, 7 blotter rows)");
}

/* A snapshot with n rows in use in each table, marked by their index. */
static struct snapshot *
marked(int n, int cap)
{
	struct snapshot_sizes	 sz = { cap, cap, cap, cap };
	struct snapshot		*s = snapshot_create(&sz, NULL);

	assert_non_null(s);
	s->seq = 9;
	s->day_pnl = -1234;
	strcpy(s->state, "HALTED");
	s->ninst = s->nstrat = s->norders = s->nblot = n;
	s->nworking = n + 50;
	for (int i = 0; i < n; i++) {
		s->inst[i].position = i + 1;
		snprintf(s->strat[i].name, sizeof s->strat[i].name, "s%d", i);
		s->orders[i].id = (uint64_t)i + 100;
		s->blot[i].id = (uint64_t)i + 200;
	}
	return s;
}

/*
 * A copy: the fixed part and the rows in use, into dst's own tables
 * (their size kept); tables too small refuse and leave dst as it was.
 */
static void
test_snapshot_copy(void **state)
{
	struct snapshot_sizes	 small = { 4, 4, 4, 4 };
	struct snapshot		*src = marked(70, 80);
	struct snapshot		*dst = snapshot_create(&small, NULL);
	struct snap_order	*orders;

	(void)state;
	assert_non_null(dst);
	orders = dst->orders;
	assert_int_equal(snapshot_copy(dst, src), -1);
	assert_int_equal(dst->seq, 0);
	assert_int_equal(dst->norders, 0);
	assert_ptr_equal(dst->orders, orders);

	assert_int_equal(snapshot_resize(dst, &src->cap, NULL), 0);
	assert_int_equal(dst->cap.orders, 80);
	orders = dst->orders;
	assert_int_equal(snapshot_copy(dst, src), 0);
	assert_ptr_equal(dst->orders, orders);		/* its own tables */
	assert_ptr_not_equal(dst->orders, src->orders);
	assert_int_equal(dst->cap.orders, 80);
	assert_int_equal(dst->seq, 9);
	assert_int_equal(dst->day_pnl, -1234);
	assert_string_equal(dst->state, "HALTED");
	assert_int_equal(dst->ninst, 70);
	assert_int_equal(dst->norders, 70);
	assert_int_equal(dst->nworking, 120);
	assert_int_equal(dst->inst[69].position, 70);
	assert_string_equal(dst->strat[69].name, "s69");
	assert_int_equal(dst->orders[69].id, 169);
	assert_int_equal(dst->blot[69].id, 269);
	/* A row beyond those in use is not copied. */
	src->orders[75].id = 7;
	dst->orders[75].id = 0;
	assert_int_equal(snapshot_copy(dst, src), 0);
	assert_int_equal(dst->orders[75].id, 0);

	/* Rows in use, not the size of the tables, decide what fits. */
	src->ninst = src->nstrat = src->norders = src->nblot = 4;
	snapshot_free(dst);
	assert_non_null(dst = snapshot_create(&small, NULL));
	assert_int_equal(snapshot_copy(dst, src), 0);
	assert_int_equal(dst->norders, 4);
	assert_int_equal(dst->nworking, 120);
	assert_int_equal(snapshot_copy(dst, dst), 0);
	snapshot_free(src);
	snapshot_free(dst);
}

/* Emptied: the fixed part zero, the tables kept; resized: the reverse. */
static void
test_snapshot_clear_and_resize(void **state)
{
	struct snapshot		*s = marked(10, 12);
	struct snapshot_sizes	 sz = { 1, 2, 3, 0 };
	struct snap_inst	*inst = s->inst;
	struct errmsg		 err;

	(void)state;
	snapshot_clear(s);
	assert_int_equal(s->seq, 0);
	assert_string_equal(s->state, "");
	assert_int_equal(s->ninst + s->norders + s->nworking, 0);
	assert_ptr_equal(s->inst, inst);
	assert_int_equal(s->cap.ninst, 12);

	s->seq = 5;
	s->norders = 3;
	assert_int_equal(snapshot_resize(s, &sz, &err), 0);
	assert_int_equal(s->seq, 5);
	assert_int_equal(s->norders, 0);
	assert_memory_equal(&s->cap, &sz, sizeof sz);
	assert_null(s->blot);
	s->orders[2].id = 1;
	sz.orders = -3;
	assert_int_equal(snapshot_resize(s, &sz, &err), -1);
	assert_int_equal(s->cap.orders, 3);		/* as it was */
	assert_int_equal(s->orders[2].id, 1);
	snapshot_free(s);
}

/* ------------------------------------------------ an engine's snapshot */

/* An engine with room for capacity orders (venue and order manager). */
static struct engine *
engine_for(int capacity)
{
	struct engine_config	 cfg;
	struct venue_sim_cfg	 vc;
	struct engine		*e;
	struct errmsg		 err;
	struct td_md		 md;

	fixture_config(&cfg);
	cfg.order_capacity = capacity;
	fixture_venue_config(&vc);
	vc.max_orders = capacity;
	if ((e = fixture_engine(&cfg, &vc, &err)) == NULL)
		fail_msg("%s", err.msg);
	md = fixture_bar(fixture_ny(2024, 3, 14, 10, 0), P(5000), P(5000),
	    P(5000), P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	return e;
}

/* n buy limits, far below the market: n working orders. */
static void
place(struct engine *e, int n)
{
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_LIMIT, .qty = 1,
				    .price = P(4000) };
	struct errmsg		 err;

	for (int i = 0; i < n; i++)
		if (engine_manual_order(e, &m, NULL, &err) == -1)
			fail_msg("order %d: %s", i + 1, err.msg);
}

/*
 * The sizes an engine asks for: its instruments and strategies, its
 * order capacity up to SNAPSHOT_ORDERS_MAX, and its observers' rows.
 */
static void
test_snapshot_sizes_of_an_engine(void **state)
{
	struct snapshot_sizes	 sz;
	struct engine		*e;
	struct snap_obs		*v;

	(void)state;
	e = fixture_orb_engine(true, 0);
	engine_snapshot_sizes(e, &sz);
	assert_int_equal(sz.ninst, 1);
	assert_int_equal(sz.nstrat, 1);
	assert_int_equal(sz.orders, 1024);	/* the shipped capacity */
	assert_int_equal(sz.blotter, 0);	/* nobody keeps one */
	v = fixture_view(e);
	engine_snapshot_sizes(e, &sz);
	assert_int_equal(sz.blotter, SNAP_OBS_BLOTTER);
	engine_free(e);
	snap_obs_free(v);

	e = engine_for(4);
	engine_snapshot_sizes(e, &sz);
	assert_int_equal(sz.orders, 4);
	engine_free(e);
	e = engine_for(5000);
	engine_snapshot_sizes(e, &sz);
	assert_int_equal(sz.orders, SNAPSHOT_ORDERS_MAX);
	engine_free(e);
}

/* More working orders than the old 64: every one of them, oldest first. */
static void
test_snapshot_orders_beyond_64(void **state)
{
	struct engine	*e = engine_for(1024);
	struct snapshot	*s = snapshot_create(NULL, NULL);

	(void)state;
	assert_non_null(s);
	place(e, 100);
	fixture_snapshot(e, s);
	assert_int_equal(s->nworking, 100);
	assert_int_equal(s->norders, 100);
	for (int i = 1; i < 100; i++)
		assert_true(s->orders[i].id > s->orders[i - 1].id);
	assert_string_equal(s->orders[99].price, "4000.00");
	assert_string_equal(s->orders[99].owner, "manual");
	engine_free(e);
	snapshot_free(s);
}

/*
 * Beyond SNAPSHOT_ORDERS_MAX the snapshot holds the oldest and says how
 * many there are; one made too small holds what fits, says so (-1) and,
 * resized, holds what the engine asks.
 */
static void
test_snapshot_orders_beyond_the_window(void **state)
{
	struct engine		*e = engine_for(1200);
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct snapshot_sizes	 sz;
	uint64_t		 oldest;

	(void)state;
	assert_non_null(s);
	place(e, 1100);
	fixture_snapshot(e, s);
	assert_int_equal(s->nworking, 1100);
	assert_int_equal(s->norders, SNAPSHOT_ORDERS_MAX);
	assert_int_equal(s->nworking - s->norders, 76);
	oldest = s->orders[0].id;
	assert_int_equal(s->orders[SNAPSHOT_ORDERS_MAX - 1].id, oldest +
	    SNAPSHOT_ORDERS_MAX - 1);

	engine_snapshot_sizes(e, &sz);
	sz.orders = 70;
	assert_int_equal(snapshot_resize(s, &sz, NULL), 0);
	assert_int_equal(engine_snapshot(e, s), -1);
	assert_int_equal(s->norders, 70);
	assert_int_equal(s->nworking, 1100);
	assert_int_equal(s->orders[69].id, oldest + 69);
	sz.orders = 0;
	sz.ninst = 0;
	assert_int_equal(snapshot_resize(s, &sz, NULL), 0);
	assert_int_equal(engine_snapshot(e, s), -1);
	assert_int_equal(s->ninst, 0);
	assert_int_equal(s->norders, 0);
	assert_int_equal(s->nworking, 1100);
	engine_snapshot_sizes(e, &sz);
	assert_int_equal(snapshot_resize(s, &sz, NULL), 0);
	assert_int_equal(engine_snapshot(e, s), 0);
	assert_int_equal(s->ninst, 1);
	assert_int_equal(s->norders, SNAPSHOT_ORDERS_MAX);
	engine_free(e);
	snapshot_free(s);
}

/*
 * Each strategy of the engine: sixteen, the most the configuration takes
 * (strategies, tickdesk.conf(5)), the old table's size.
 */
static void
test_snapshot_every_strategy(void **state)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct errmsg		 err;

	(void)state;
	assert_non_null(s);
	fixture_orb_config(&cfg, true, 0);
	cfg.nstrat = 16;
	for (int i = 1; i < cfg.nstrat; i++) {
		cfg.strat[i] = cfg.strat[0];
		snprintf(cfg.strat[i].name, sizeof cfg.strat[i].name,
		    "orb%d", i);
	}
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	fixture_snapshot(e, s);
	assert_int_equal(s->cap.nstrat, 16);
	assert_int_equal(s->nstrat, 16);
	assert_string_equal(s->strat[15].name, "orb15");
	engine_free(e);
	snapshot_free(s);
}

/* Names are cut to their field, never past it; a TIF in capitals. */
static void
test_snapshot_names(void **state)
{
	char	 f[4];

	(void)state;
	memset(f, 'x', sizeof f);
	snapshot_name(f, sizeof f, "working");
	assert_string_equal(f, "wor");
	snapshot_name(f, sizeof f, NULL);
	assert_string_equal(f, "");
	snapshot_name_upper(f, sizeof f, "gtc");
	assert_string_equal(f, "GTC");
	snapshot_name_upper(f, sizeof f, "d1y");
	assert_string_equal(f, "D1Y");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_create_sizes),
		cmocka_unit_test(test_snapshot_names),
		cmocka_unit_test(test_snapshot_copy),
		cmocka_unit_test(test_snapshot_clear_and_resize),
		cmocka_unit_test(test_snapshot_sizes_of_an_engine),
		cmocka_unit_test(test_snapshot_orders_beyond_64),
		cmocka_unit_test(test_snapshot_orders_beyond_the_window),
		cmocka_unit_test(test_snapshot_every_strategy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
