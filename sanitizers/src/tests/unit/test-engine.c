/*
 * test-engine.c -- the engine loop: bad events, the loss-limit latch, the
 * stop that covers every position, disabled strategies, determinism, and
 * flatten that no halt can block.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "trades.h"

#include "fixture.h"

/* Day 13: a short that is stopped out for -8 ticks (-$101.24 net). */
static const struct fixture_override losing_day[] = {
	{ 9, 30, P(5000), P(5002.5), P(4998), P(5000) },
	{ 10, 0, P(4998.75), P(4998.75), P(4997.25), P(4997.5) },
	{ 10, 1, P(4997.5), P(4997.5), P(4997), P(4997.25) },
	{ 10, 2, P(4997.25), P(4999.75), P(4997.25), P(4999) },
};

/* Day 14: a long breakout. */
static const struct fixture_override winning_day[] = {
	{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
	{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
	{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
	{ 10, 5, P(5002), P(5006), P(5002), P(5006) },
};

static void
test_engine_refuses_bad_events(void **state)
{
	struct engine	*e = fixture_orb_engine(true, 0);
	struct errmsg	 err;
	td_ns		 t = fixture_ny(2024, 3, 12, 9, 30);
	struct td_md	 md = fixture_bar(t, P(5000), P(5000), P(5000),
			    P(5000));

	md.inst = 3;
	assert_int_equal(engine_on_market(e, &md, &err), -1);
	assert_string_equal(err.msg, "market event for unknown instrument 3");
	md.inst = 0;
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	md = fixture_bar(t - TD_NS_PER_MIN * 5, P(5000), P(5000), P(5000),
	    P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), -1);
	assert_string_equal(err.msg, "market event goes back in time");
	assert_int_equal(engine_events(e), 1);
	engine_free(e);
}

/* Attended: a daily-loss halt is a latch; the next day's entry is refused. */
static void
test_engine_daily_loss_latch(void **state)
{
	struct engine	*e = fixture_orb_engine(false, 5000);

	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(portfolio_position(engine_portfolio(e), 0), 0);
	fixture_day(e, 14, P(5000), winning_day, 4);
	engine_finish(e, engine_now(e));
	assert_int_equal(trades_count(engine_trades(e)), 1);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_true(engine_rejects(e) >= 1);
	engine_free(e);
}

/* Unattended (a backtest): the halt lasts until the next trading day. */
static void
test_engine_daily_loss_unattended(void **state)
{
	struct engine	*e = fixture_orb_engine(true, 5000);

	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	fixture_day(e, 14, P(5000), winning_day, 4);
	engine_finish(e, engine_now(e));
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_int_equal(trades_count(engine_trades(e)), 2);
	assert_int_equal(trades_get(engine_trades(e), 1)->side, TD_BUY);
	engine_free(e);
}

static void
step(struct engine *e, int hour, int min, td_ticks o, td_ticks h, td_ticks l,
    td_ticks c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14, hour, min),
			    o, h, l, c);

	assert_int_equal(engine_on_market(e, &md, &err), 0);
}

/*
 * From the entry fill on, a working stop covers the whole position, and
 * flatten closes it and cancels the bracket even while HALTED.
 */
static void
test_engine_stop_cover_and_flatten(void **state)
{
	struct engine	*e = fixture_orb_engine(true, 0);

	for (int m = 9 * 60 + 30; m < 10 * 60; m++)
		step(e, m / 60, m % 60, P(5000), P(5000), P(5000), P(5000));
	step(e, 10, 0, P(5000), P(5001.5), P(5000), P(5001.5));
	assert_int_equal(portfolio_position(engine_portfolio(e), 0), 0);
	step(e, 10, 1, P(5001.5), P(5002), P(5001.5), P(5002));
	assert_int_equal(portfolio_position(engine_portfolio(e), 0), 1);
	assert_true(order_mgr_protected(engine_orders(e), 0, 1));
	assert_int_equal(order_mgr_stop_cover(engine_orders(e), 0, TD_BUY), 1);

	assert_int_equal(engine_set_state(e, TS_HALTED, "trader", "test",
	    NULL), 0);
	engine_flatten(e, -1, "test");
	step(e, 10, 2, P(5003), P(5003), P(5003), P(5003));
	assert_int_equal(portfolio_position(engine_portfolio(e), 0), 0);
	assert_int_equal(order_mgr_working_count(engine_orders(e), 0), 0);
	assert_string_equal(trades_get(engine_trades(e), 0)->reason, "test");
	assert_int_equal(engine_state(e), TS_HALTED);
	engine_free(e);
}

struct demo_summary {
	size_t		 n;
	td_cents	 net;
	td_ns		 last_exit;
};

static void
run_demo(struct demo_summary *out)
{
	struct engine	*e = fixture_orb_engine(true, 0);
	struct demo_cfg	 dc = { .seed = 7, .days = 5 };
	struct errmsg	 err;
	struct feed	*f = feed_demo_create(&dc, &err);
	const struct trades *tl;

	assert_non_null(f);
	assert_int_equal(engine_run(e, f, &err), 0);
	tl = engine_trades(e);
	out->n = trades_count(tl);
	out->net = 0;
	for (size_t i = 0; i < out->n; i++)
		out->net += trades_get(tl, i)->net;
	out->last_exit = out->n > 0 ? trades_get(tl, out->n - 1)->exit_time :
	    0;
	feed_free(f);
	engine_free(e);
}

/* The same data and configuration give the same trades. */
static void
test_engine_deterministic(void **state)
{
	struct demo_summary	 a, b;

	run_demo(&a);
	run_demo(&b);
	assert_true(a.n > 0);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.net, b.net);
	assert_int_equal(a.last_exit, b.last_exit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_refuses_bad_events),
		cmocka_unit_test(test_engine_daily_loss_latch),
		cmocka_unit_test(test_engine_daily_loss_unattended),
		cmocka_unit_test(test_engine_stop_cover_and_flatten),
		cmocka_unit_test(test_engine_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
