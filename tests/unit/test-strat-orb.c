/*
 * test-strat-orb.c -- SimpleORB, golden: four hand-built sessions of
 * 1-minute ES bars, each trade's entry, exit and P&L worked out by hand.
 *
 * Day 1 breaks out upwards and reaches the target; day 2 breaks down and
 * one bar touches both the stop and the target (the stop fills); day 3
 * enters long and is flattened 15 minutes before the close; day 4 closes
 * exactly at the range high, which is not a breakout.  And the flatten
 * without market data: a timer, fired by the engine's clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "engine.h"
#include "errmsg.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "trades.h"

#include "fixture.h"

static int
setup(void **state)
{
	*state = fixture_orb_engine(true, 0);
	return 0;
}

static int
teardown(void **state)
{
	engine_free(*state);
	return 0;
}

static void
check_trade(const struct trade *t, enum td_side side, td_ticks entry,
    td_ticks exit, td_cents gross, const char *reason)
{
	assert_false(t->open);
	assert_int_equal(t->side, side);
	assert_int_equal(t->max_qty, 1);
	assert_int_equal(t->entry_sum, entry);
	assert_int_equal(t->exit_sum, exit);
	assert_int_equal(t->gross, gross);
	assert_int_equal(t->commission, 2 * 62);
	assert_int_equal(t->net, gross - 2 * 62);
	assert_string_equal(t->reason, reason);
}

static void
test_strat_orb_golden(void **state)
{
	struct engine		*e = *state;
	struct stats_days	*k = fixture_days(e);
	const struct trades	*tl;
	const struct stats_day	*days;
	size_t			 ndays;
	const struct fixture_override day1[] = {
		{ 9, 30, P(5000), P(5005), P(4997.5), P(5000) },
		{ 10, 0, P(5000), P(5006), P(5000), P(5005.5) },
		{ 10, 1, P(5005.75), P(5006.25), P(5005.25), P(5006) },
		{ 10, 10, P(5006), P(5010), P(5006), P(5007.5) },
	};
	const struct fixture_override day2[] = {
		{ 9, 30, P(5000), P(5002.5), P(4998), P(5000) },
		{ 10, 0, P(4998.75), P(4998.75), P(4997.25), P(4997.5) },
		{ 10, 1, P(4997.5), P(4997.5), P(4997), P(4997.25) },
		{ 10, 2, P(4997.25), P(4999.75), P(4993.25), P(4995) },
	};
	const struct fixture_override day3[] = {
		{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
		{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
		{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
		{ 15, 45, P(5002.5), P(5002.5), P(5002.5), P(5002.5) },
	};
	const struct fixture_override day4[] = {
		{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
		{ 10, 0, P(5000), P(5001), P(5000), P(5001) },
	};

	fixture_day(e, 12, P(5000), day1, 4);
	fixture_day(e, 13, P(5000), day2, 4);
	fixture_day(e, 14, P(5000), day3, 4);
	fixture_day(e, 15, P(5000), day4, 2);
	engine_finish(e, engine_now(e));

	tl = engine_trades(e);
	assert_int_equal(trades_count(tl), 3);
	/* Long at the 10:01 open 5005.75; target 16 ticks up at 5009.75. */
	check_trade(trades_get(tl, 0), TD_BUY, P(5005.75), P(5009.75),
	    16 * 1250, "target");
	/* Short at 4997.50; the 10:02 bar touches both: stop at 4999.50. */
	check_trade(trades_get(tl, 1), TD_SELL, P(4997.5), P(4999.5),
	    -8 * 1250, "stop");
	/* Long at 5001.50, out at the 15:45 open 5002.50. */
	check_trade(trades_get(tl, 2), TD_BUY, P(5001.5), P(5002.5),
	    4 * 1250, "flatten before close");

	days = stats_days_rows(k, &ndays);
	assert_int_equal(ndays, 4);
	assert_int_equal(days[0].day, 20240312);
	assert_int_equal(days[0].net, 16 * 1250 - 124);
	assert_int_equal(days[0].trades, 1);
	assert_int_equal(days[1].net, -8 * 1250 - 124);
	assert_int_equal(days[2].net, 4 * 1250 - 124);
	assert_int_equal(days[3].day, 20240315);
	assert_int_equal(days[3].net, 0);
	assert_int_equal(days[3].trades, 0);
	stats_days_free(k);
}

/* Bars inside the opening range widen it and never trigger an entry. */
static void
test_strat_orb_no_entry_before_range_ends(void **state)
{
	struct engine		*e = *state;
	const struct fixture_override day[] = {
		{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
		/* Closes far above the high while the range is still open. */
		{ 9, 45, P(5000), P(5010), P(5000), P(5010) },
		{ 10, 0, P(5010), P(5010), P(5009), P(5009.75) },
	};

	fixture_day(e, 12, P(5000), day, 3);
	engine_finish(e, engine_now(e));
	/* The range high became 5010, and 5009.75 is no breakout. */
	assert_int_equal(trades_count(engine_trades(e)), 0);
}

/*
 * Flatten before close with no market data after 15:49: the engine's clock
 * alone (engine_advance) sends the exit at the flatten time, 15:50 here,
 * and the next price fills it, stamped after that time.
 */
static void
test_strat_orb_flatten_without_data(void **state)
{
	struct engine		*e = *state;
	const struct order_mgr	*om = engine_orders(e);
	const struct order	*o;
	const struct trade	*t;
	const td_ns		 flat = fixture_ny(2024, 3, 14, 15, 50);
	struct td_md		 md;
	struct errmsg		 err;

	assert_int_equal(engine_strategy_enable(e, "orb", false, &err), 0);
	assert_int_equal(engine_strategy_set(e, "orb", "flatten_before_close",
	    "10", &err), 0);
	assert_int_equal(engine_strategy_enable(e, "orb", true, &err), 0);
	/* Long at 10:01 (the day 3 of the golden test), flat till 15:48. */
	for (int m = 9 * 60 + 30; m <= 15 * 60 + 48; m++) {
		td_ticks	 px = m < 10 * 60 ? P(5000) : m == 10 * 60 ?
				    P(5001.5) : P(5002);

		md = fixture_bar(fixture_ny(2024, 3, 14, m / 60, m % 60),
		    m == 9 * 60 + 30 ? P(5000) : px, m == 9 * 60 + 30 ?
		    P(5001) : px, m == 9 * 60 + 30 ? P(4999) : px, px);
		if (engine_on_market(e, &md, &err) == -1)
			fail_msg("%s", err.msg);
	}
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	assert_int_equal(engine_next_timer(e), flat);
	/* Nothing yet at 15:49:59; the exit at 15:50 sharp. */
	engine_advance(e, flat - 1);
	assert_int_equal(order_mgr_market_exit_qty(om, ES), 0);
	engine_advance(e, flat + 5 * TD_NS_PER_MIN);
	assert_int_equal(engine_now(e), flat);
	assert_int_equal(order_mgr_market_exit_qty(om, ES), 1);
	for (int i = 0; i < order_mgr_live_count(om); i++) {
		o = order_mgr_live_at(om, i);
		if (o->role == ROLE_EXIT) {
			assert_int_equal(o->created, flat);
			assert_string_equal(o->reason, "flatten before close");
		}
	}
	/* The next price, at 15:56, fills it. */
	md = fixture_bar(fixture_ny(2024, 3, 14, 15, 56), P(5003), P(5003),
	    P(5003), P(5003));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	assert_int_equal(trades_count(engine_trades(e)), 1);
	t = trades_get(engine_trades(e), 0);
	assert_false(t->open);
	assert_int_equal(t->exit_time, fixture_ny(2024, 3, 14, 15, 56));
	assert_true(t->exit_time > flat);
	assert_int_equal(t->exit_sum, P(5003));
	assert_string_equal(t->reason, "flatten before close");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_strat_orb_golden, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_strat_orb_no_entry_before_range_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strat_orb_flatten_without_data, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
