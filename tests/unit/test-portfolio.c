/*
 * test-portfolio.c -- positions, FIFO lots and P&L in cents.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"

#define ES	td_inst_at(0)
#define NQ	td_inst_at(1)

/* 4800.00 in ES ticks of 0.25. */
#define P4800	19200

static const struct instrument test_insts[] = {
	{
		.symbol = "ES",
		.tick_size = 250000000,
		.point_value = 5000,
		.tick_value = 1250,
		.commission = 62,
		.decimals = 2,
	},
	{
		.symbol = "NQ",
		.tick_size = 250000000,
		.point_value = 2000,
		.tick_value = 500,
		.commission = 62,
		.decimals = 2,
	},
};

static int
setup(void **state)
{
	struct errmsg		 err;
	struct portfolio	*pf;

	pf = portfolio_create(test_insts, 2, &err);
	if (pf == NULL)
		return -1;
	*state = pf;
	return 0;
}

static int
teardown(void **state)
{
	portfolio_free(*state);
	return 0;
}

static void
test_portfolio_create_refuses_no_instruments(void **state)
{
	struct errmsg	 err = { "" };

	(void)state;
	assert_null(portfolio_create(test_insts, 0, &err));
	assert_string_equal(err.msg,
	    "portfolio needs at least one instrument");
	portfolio_free(NULL);
}

/* The example worked by hand in the design brief. */
static void
test_portfolio_worked_example(void **state)
{
	struct portfolio		*pf = *state;
	struct portfolio_fill_result	 res;
	struct portfolio_account	 acct;
	struct portfolio_pos		 pos;

	assert_int_equal(portfolio_fill(pf, ES, TD_BUY, 2, P4800, 1, &res,
	    NULL), 0);
	assert_int_equal(res.opened, 2);
	assert_int_equal(res.commission, 124);
	/* Sell 1 at 4802.25: +9 ticks. */
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 1, P4800 + 9, 2,
	    &res, NULL), 11250);
	assert_int_equal(res.closed, 1);
	assert_int_equal(res.position, 1);
	/* Sell 1 at 4799.50: -2 ticks. */
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 1, P4800 - 2, 3,
	    &res, NULL), -2500);
	assert_int_equal(res.before, 1);
	assert_int_equal(res.position, 0);

	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.position, 0);
	assert_int_equal(pos.realized, 8750);
	assert_int_equal(pos.commissions, 248);
	assert_int_equal(pos.fills, 3);
	assert_int_equal(pos.lots, 0);
	assert_int_equal(pos.unrealized, 0);
	assert_int_equal(pos.last_fill, 3);

	portfolio_get_account(pf, &acct);
	assert_int_equal(acct.realized, 8750);
	assert_int_equal(acct.commissions, 248);
	assert_int_equal(acct.net, 8502);
	assert_int_equal(acct.day_pnl, 8502);
	assert_int_equal(acct.open_positions, 0);
	assert_int_equal(portfolio_net(pf), 8502);
}

static void
test_portfolio_short_round_trip(void **state)
{
	struct portfolio	*pf = *state;

	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 3, P4800, 1, NULL,
	    NULL), 0);
	assert_int_equal(portfolio_position(pf, ES), -3);
	/* A mark says the position it revalued. */
	assert_int_equal(portfolio_mark(pf, ES, P4800 - 4), -3);
	/* Short 3 and 4 ticks lower: +4 x 3 x 12.50. */
	assert_int_equal(portfolio_unrealized(pf, ES), 15000);
	portfolio_mark(pf, ES, P4800 + 2);
	assert_int_equal(portfolio_unrealized(pf, ES), -7500);
	assert_int_equal(portfolio_fill(pf, ES, TD_BUY, 3, P4800 - 10, 2, NULL,
	    NULL), 37500);
	assert_int_equal(portfolio_position(pf, ES), 0);
	assert_int_equal(portfolio_unrealized(pf, ES), 0);
	assert_int_equal(portfolio_net(pf), 37500 - 6 * 62);
}

/* Partial closes come off the oldest lot first, not the average. */
static void
test_portfolio_fifo_partial_close(void **state)
{
	struct portfolio	*pf = *state;
	struct portfolio_pos	 pos;
	char			 buf[PORTFOLIO_FMT_MAX];

	portfolio_fill(pf, ES, TD_BUY, 1, 100, 1, NULL, NULL);
	portfolio_fill(pf, ES, TD_BUY, 2, 104, 2, NULL, NULL);
	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.lots, 2);
	assert_int_equal(pos.cost, 100 + 2 * 104);
	assert_int_equal(pos.qty, 3);

	/* FIFO: 10 ticks on the lot at 100 (the average would say 7.33). */
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 1, 110, 3, NULL,
	    NULL), 10 * 1250);
	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.position, 2);
	assert_int_equal(pos.lots, 1);
	assert_int_equal(pos.cost, 208);
	assert_string_equal(portfolio_avg_format(pf, ES, buf, sizeof buf),
	    "26.00");
	/* Last is the mark; the fill did not move it once set. */
	assert_int_equal(pos.last, 100);
	portfolio_mark(pf, ES, 110);
	assert_int_equal(portfolio_unrealized(pf, ES), 2 * 6 * 1250);

	/* Half of the remaining lot, then the rest. */
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 1, 103, 4, NULL,
	    NULL), -1250);
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 1, 105, 5, NULL,
	    NULL), 1250);
	assert_int_equal(portfolio_realized(pf, ES), 12500);
	assert_int_equal(portfolio_position(pf, ES), 0);
}

static void
test_portfolio_reversal(void **state)
{
	struct portfolio		*pf = *state;
	struct portfolio_fill_result	 res;
	struct portfolio_pos		 pos;

	portfolio_fill(pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_fill(pf, ES, TD_BUY, 1, P4800 + 2, 2, NULL, NULL);
	/* Sell 5 at +10: closes 2 (10 + 8 ticks), opens 3 short. */
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 5, P4800 + 10, 3,
	    &res, NULL), 18 * 1250);
	assert_int_equal(res.before, 2);
	assert_int_equal(res.position, -3);
	assert_int_equal(res.closed, 2);
	assert_int_equal(res.opened, 3);
	assert_int_equal(res.commission, 5 * 62);
	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.lots, 1);
	assert_int_equal(pos.cost, 3 * (P4800 + 10));
	assert_int_equal(portfolio_open_positions(pf), 1);
	assert_int_equal(pos.commissions, 7 * 62);
	portfolio_mark(pf, ES, P4800 + 8);
	assert_int_equal(portfolio_unrealized(pf, ES), 3 * 2 * 1250);
}

static void
test_portfolio_commissions_in_cents(void **state)
{
	struct portfolio		*pf = *state;
	struct portfolio_account	 acct;

	portfolio_fill(pf, NQ, TD_BUY, 7, 80000, 1, NULL, NULL);
	portfolio_fill(pf, ES, TD_SELL, 3, P4800, 1, NULL, NULL);
	portfolio_fill(pf, NQ, TD_SELL, 7, 80000, 2, NULL, NULL);
	portfolio_get_account(pf, &acct);
	assert_int_equal(acct.commissions, 17 * 62);
	assert_int_equal(acct.fills, 3);
	assert_int_equal(acct.open_positions, 1);
	/* NQ scratched: only the commission is lost. */
	portfolio_mark(pf, ES, P4800);
	assert_int_equal(portfolio_net(pf), -17 * 62);
	assert_int_equal(portfolio_day_pnl(pf), -17 * 62);
}

static void
test_portfolio_merges_lots_at_same_price(void **state)
{
	struct portfolio	*pf = *state;
	struct portfolio_pos	 pos;
	int			 i;

	for (i = 0; i < 1000; i++)
		assert_int_equal(portfolio_fill(pf, ES, TD_BUY, 1, P4800, i,
		    NULL, NULL), 0);
	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.lots, 1);
	assert_int_equal(pos.position, 1000);
}

static void
test_portfolio_refuses_when_lots_full(void **state)
{
	struct portfolio		*pf = *state;
	struct portfolio_fill_result	 res = { .realized = 77 };
	struct portfolio_pos		 pos;
	struct errmsg			 err = { "" };
	int				 i;

	for (i = 0; i < PORTFOLIO_LOTS; i++)
		assert_int_not_equal(portfolio_fill(pf, ES, TD_BUY, 1,
		    P4800 + (i % 2), i, NULL, &err), PORTFOLIO_REFUSED);
	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.lots, PORTFOLIO_LOTS);

	/* A new price needs a lot: refused, nothing changes. */
	assert_true(portfolio_fill(pf, ES, TD_BUY, 1, P4800 + 5, 999, &res,
	    &err) == PORTFOLIO_REFUSED);
	assert_string_equal(err.msg, "ES: all 256 lots in use, fill refused");
	assert_int_equal(res.realized, 77);
	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.position, PORTFOLIO_LOTS);
	assert_int_equal(pos.fills, PORTFOLIO_LOTS);

	/* The tail lot's price merges, and closing always fits. */
	assert_int_equal(portfolio_fill(pf, ES, TD_BUY, 1, P4800 + 1, 1000,
	    NULL, &err), 0);
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, 1, P4800 + 5, 1001,
	    NULL, &err), 5 * 1250);
	/* One lot freed at the head: a new price fits again. */
	assert_int_equal(portfolio_fill(pf, ES, TD_BUY, 1, P4800 + 5, 1002,
	    NULL, &err), 0);
	/* A reversal through the whole ring leaves one lot. */
	portfolio_get(pf, ES, &pos);
	assert_int_equal(portfolio_fill(pf, ES, TD_SELL, pos.position + 2,
	    P4800, 1003, NULL, &err) != PORTFOLIO_REFUSED, 1);
	portfolio_get(pf, ES, &pos);
	assert_int_equal(pos.position, -2);
	assert_int_equal(pos.lots, 1);
}

static void
test_portfolio_refuses_bad_fills(void **state)
{
	struct portfolio	*pf = *state;
	struct errmsg		 err = { "" };

	assert_true(portfolio_fill(pf, ES, TD_BUY, 0, P4800, 1, NULL, &err) ==
	    PORTFOLIO_REFUSED);
	assert_string_equal(err.msg, "ES: fill qty 0 must be positive");
	assert_true(portfolio_fill(pf, td_inst_at(2), TD_BUY, 1, P4800, 1, NULL,
	    &err) == PORTFOLIO_REFUSED);
	assert_string_equal(err.msg, "fill for unknown instrument 2");
	assert_true(portfolio_fill(pf, ES, (enum td_side)0, 1, P4800, 1, NULL,
	    &err) == PORTFOLIO_REFUSED);
	assert_string_equal(err.msg, "ES: fill with a bad side");
	assert_int_equal(portfolio_position(pf, ES), 0);
	assert_false(portfolio_last(pf, ES, NULL));
}

static void
test_portfolio_average_price_text(void **state)
{
	struct portfolio	*pf = *state;
	char			 buf[PORTFOLIO_FMT_MAX];
	td_ticks		 last;

	assert_string_equal(portfolio_avg_format(pf, ES, buf, sizeof buf), "");
	portfolio_fill(pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	assert_true(portfolio_last(pf, ES, &last));
	assert_int_equal(last, P4800);
	assert_string_equal(portfolio_avg_format(pf, ES, buf, sizeof buf),
	    "4800.00");
	portfolio_fill(pf, ES, TD_BUY, 1, P4800 + 1, 2, NULL, NULL);
	assert_string_equal(portfolio_avg_format(pf, ES, buf, sizeof buf),
	    "4800.1250");
	portfolio_fill(pf, ES, TD_BUY, 1, P4800 + 1, 3, NULL, NULL);
	/* 4800.1666... rounds up. */
	assert_string_equal(portfolio_avg_format(pf, ES, buf, sizeof buf),
	    "4800.1667");
	assert_string_equal(portfolio_format_avg(&test_insts[ES.i], -3, 2, buf,
	    sizeof buf), "-0.3750");
	assert_string_equal(portfolio_format_avg(&test_insts[ES.i], 1, 3, buf,
	    sizeof buf), "0.0833");
}

static void
test_portfolio_money_text(void **state)
{
	char	 buf[PORTFOLIO_FMT_MAX];

	(void)state;
	assert_string_equal(portfolio_format_money(0, buf, sizeof buf), "0.00");
	assert_string_equal(portfolio_format_money(5, buf, sizeof buf), "0.05");
	assert_string_equal(portfolio_format_money(-5, buf, sizeof buf),
	    "-0.05");
	assert_string_equal(portfolio_format_money(-123450, buf, sizeof buf),
	    "-1,234.50");
	assert_string_equal(portfolio_format_money(100000000, buf, sizeof buf),
	    "1,000,000.00");
	assert_string_equal(portfolio_format_money(INT64_MIN, buf, sizeof buf),
	    "-92,233,720,368,547,758.08");
}

/* A position carried over the day boundary counts only today's move. */
static void
test_portfolio_day_boundary_carried_position(void **state)
{
	struct portfolio		*pf = *state;
	struct portfolio_account	 acct;

	portfolio_day_start(pf);
	portfolio_week_start(pf);
	portfolio_fill(pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_mark(pf, ES, P4800 + 40);
	assert_int_equal(portfolio_day_pnl(pf), 50000 - 62);

	/* Next day: opens at the same price, then moves up 8 ticks. */
	portfolio_day_start(pf);
	assert_int_equal(portfolio_day_pnl(pf), 0);
	assert_int_equal(portfolio_day_peak(pf), 0);
	portfolio_mark(pf, ES, P4800 + 48);
	assert_int_equal(portfolio_day_pnl(pf), 10000);
	portfolio_fill(pf, ES, TD_SELL, 1, P4800 + 48, 2, NULL, NULL);
	/* Realized 48 ticks since entry, but only 8 of them today. */
	portfolio_get_account(pf, &acct);
	assert_int_equal(acct.day_realized, 60000);
	assert_int_equal(acct.day_commissions, 62);
	assert_int_equal(acct.day_pnl, 10000 - 62);
	assert_int_equal(acct.week_pnl, 60000 - 124);
	assert_int_equal(acct.net, 60000 - 124);

	/* A new week with a carried short. */
	portfolio_fill(pf, ES, TD_SELL, 2, P4800, 3, NULL, NULL);
	portfolio_mark(pf, ES, P4800 - 4);
	portfolio_week_start(pf);
	portfolio_day_start(pf);
	assert_int_equal(portfolio_week_pnl(pf), 0);
	portfolio_mark(pf, ES, P4800 - 2);
	assert_int_equal(portfolio_week_pnl(pf), -2 * 2 * 1250);
	assert_int_equal(portfolio_day_pnl(pf), -5000);
}

static void
test_portfolio_day_peak(void **state)
{
	struct portfolio	*pf = *state;

	portfolio_day_start(pf);
	portfolio_fill(pf, NQ, TD_BUY, 1, 80000, 1, NULL, NULL);
	assert_int_equal(portfolio_day_peak(pf), 0);
	portfolio_mark(pf, NQ, 80010);
	assert_int_equal(portfolio_day_peak(pf), 5000 - 62);
	portfolio_mark(pf, NQ, 80004);
	assert_int_equal(portfolio_day_peak(pf), 5000 - 62);
	assert_int_equal(portfolio_day_pnl(pf), 2000 - 62);
	portfolio_mark(pf, NQ, 80020);
	assert_int_equal(portfolio_day_peak(pf), 10000 - 62);
	portfolio_day_start(pf);
	assert_int_equal(portfolio_day_peak(pf), 0);
}

static void
test_portfolio_getters_on_bad_index(void **state)
{
	struct portfolio	*pf = *state;
	struct portfolio_pos	 pos;
	char			 buf[8];

	assert_int_equal(portfolio_mark(pf, td_inst_at(-1), 5), 0);
	portfolio_get(pf, td_inst_at(9), &pos);
	assert_int_equal(pos.position, 0);
	assert_int_equal(portfolio_position(pf, td_inst_at(9)), 0);
	assert_null(portfolio_instrument(pf, td_inst_at(2)));
	assert_string_equal(portfolio_instrument(pf, NQ)->symbol, "NQ");
	assert_int_equal(portfolio_count(pf), 2);
	assert_string_equal(portfolio_avg_format(pf, td_inst_at(7), buf,
	    sizeof buf), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portfolio_create_refuses_no_instruments),
		cmocka_unit_test_setup_teardown(test_portfolio_worked_example,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_portfolio_short_round_trip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_fifo_partial_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_portfolio_reversal,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_commissions_in_cents, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_merges_lots_at_same_price, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_refuses_when_lots_full, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_refuses_bad_fills, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_average_price_text, setup, teardown),
		cmocka_unit_test(test_portfolio_money_text),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_day_boundary_carried_position, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_portfolio_day_peak,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_portfolio_getters_on_bad_index, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
