/*
 * test-trades.c -- fills grouped into round-trip trades.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "trades.h"

#define ES	td_inst_at(0)
#define NQ	td_inst_at(1)
#define MANUAL	td_owner_manual()
#define STRAT(i)	td_owner_strat(td_strat_at(i))
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
	struct trades	*tl;

	tl = trades_create(test_insts, 2, NULL);
	if (tl == NULL)
		return -1;
	*state = tl;
	return 0;
}

static int
teardown(void **state)
{
	trades_free(*state);
	return 0;
}

static void
test_trades_create_refuses_no_instruments(void **state)
{
	struct errmsg	 err = { "" };

	(void)state;
	assert_null(trades_create(test_insts, 0, &err));
	assert_string_equal(err.msg,
	    "trades ledger needs at least one instrument");
	trades_free(NULL);
}

static void
test_trades_round_trip_with_partial_exits(void **state)
{
	struct trades		*tl = *state;
	const struct trade	*t;

	assert_int_equal(trades_fill(tl, ES, STRAT(3), TD_BUY, 2, P4800, 100,
	    "entry", NULL), 0);
	t = trades_open(tl, ES);
	assert_non_null(t);
	assert_true(t->open);
	assert_int_equal(t->qty, 2);
	assert_int_equal(t->commission, 124);
	assert_int_equal(trades_count(tl), 0);

	assert_int_equal(trades_fill(tl, ES, STRAT(3), TD_SELL, 1, P4800 + 9,
	    200, "target", NULL), 0);
	assert_int_equal(trades_open(tl, ES)->qty, 1);
	assert_int_equal(trades_fill(tl, ES, STRAT(3), TD_SELL, 1, P4800 - 2,
	    300, "stop", NULL), 1);
	assert_null(trades_open(tl, ES));
	assert_int_equal(trades_count(tl), 1);

	t = trades_get(tl, 0);
	assert_int_equal(t->id, 1);
	assert_true(td_inst_eq(t->inst, ES));
	assert_true(td_owner_is(t->owner, td_strat_at(3)));
	assert_int_equal(t->side, TD_BUY);
	assert_int_equal(t->max_qty, 2);
	assert_int_equal(t->qty, 0);
	assert_false(t->open);
	assert_int_equal(t->entry_time, 100);
	assert_int_equal(t->exit_time, 300);
	assert_int_equal(t->entry_sum, 2 * P4800);
	assert_int_equal(t->entry_qty, 2);
	assert_int_equal(t->exit_sum, 2 * P4800 + 7);
	assert_int_equal(t->exit_qty, 2);
	assert_int_equal(t->gross, 8750);
	assert_int_equal(t->commission, 248);
	assert_int_equal(t->net, 8502);
	assert_int_equal(t->fills, 3);
	assert_string_equal(t->reason, "stop");
	assert_null(trades_get(tl, 1));
}

static void
test_trades_short_scaled_in(void **state)
{
	struct trades		*tl = *state;
	const struct trade	*t;

	trades_fill(tl, NQ, MANUAL, TD_SELL, 1, 80000, 10, NULL, NULL);
	trades_fill(tl, NQ, MANUAL, TD_SELL, 2, 80004, 20, NULL, NULL);
	trades_fill(tl, NQ, MANUAL, TD_BUY, 1, 79990, 30, NULL, NULL);
	trades_fill(tl, NQ, MANUAL, TD_SELL, 1, 80001, 40, NULL, NULL);
	assert_int_equal(trades_open(tl, NQ)->max_qty, 3);
	assert_int_equal(trades_fill(tl, NQ, MANUAL, TD_BUY, 3, 80000, 50,
	    "flatten", NULL), 1);
	t = trades_get(tl, 0);
	assert_int_equal(t->side, TD_SELL);
	assert_true(td_owner_is_manual(t->owner));
	assert_int_equal(t->max_qty, 3);
	/* Entries 80000 + 2 x 80004 + 80001, exits 79990 + 3 x 80000. */
	assert_int_equal(t->entry_sum, 320009);
	assert_int_equal(t->exit_sum, 319990);
	/* Short: (entries - exits) x 5.00 = 19 ticks x 500. */
	assert_int_equal(t->gross, 9500);
	assert_int_equal(t->commission, 8 * 62);
	assert_int_equal(t->net, 9500 - 8 * 62);
	assert_string_equal(t->reason, "flatten");
}

/* A reversing fill closes one trade and opens the next. */
static void
test_trades_reversal_splits(void **state)
{
	struct trades		*tl = *state;
	const struct trade	*t;

	trades_fill(tl, ES, STRAT(0), TD_BUY, 2, P4800, 1, NULL, NULL);
	assert_int_equal(trades_fill(tl, ES, STRAT(1), TD_SELL, 5, P4800 + 4, 2,
	    "reverse", NULL), 1);
	t = trades_get(tl, 0);
	assert_int_equal(t->gross, 2 * 4 * 1250);
	assert_int_equal(t->commission, 4 * 62);
	assert_int_equal(t->exit_qty, 2);
	assert_string_equal(t->reason, "reverse");

	t = trades_open(tl, ES);
	assert_non_null(t);
	assert_int_equal(t->id, 2);
	assert_true(td_owner_is(t->owner, td_strat_at(1)));
	assert_int_equal(t->side, TD_SELL);
	assert_int_equal(t->qty, 3);
	assert_int_equal(t->entry_qty, 3);
	assert_int_equal(t->entry_sum, 3 * (P4800 + 4));
	assert_int_equal(t->commission, 3 * 62);
	assert_int_equal(t->entry_time, 2);
	assert_string_equal(t->reason, "");

	assert_int_equal(trades_fill(tl, ES, STRAT(1), TD_BUY, 3, P4800, 3,
	    "target", NULL), 1);
	assert_int_equal(trades_count(tl), 2);
	assert_int_equal(trades_get(tl, 1)->gross, 3 * 4 * 1250);
}

static void
test_trades_owner_is_first_fill(void **state)
{
	struct trades	*tl = *state;

	trades_fill(tl, ES, STRAT(4), TD_BUY, 1, P4800, 1, NULL, NULL);
	/* The trader flattens a strategy's trade by hand. */
	trades_fill(tl, ES, MANUAL, TD_SELL, 1, P4800, 2, "flatten", NULL);
	assert_true(td_owner_is(trades_get(tl, 0)->owner, td_strat_at(4)));
	assert_int_equal(trades_get(tl, 0)->net, -124);
}

static void
test_trades_instruments_apart(void **state)
{
	struct trades	*tl = *state;

	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, 1, NULL, NULL);
	trades_fill(tl, NQ, STRAT(1), TD_SELL, 1, 80000, 2, NULL, NULL);
	trades_fill(tl, NQ, STRAT(1), TD_BUY, 1, 80002, 3, "stop", NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 + 1, 4, "target", NULL);
	/* Closing order: NQ first. */
	assert_true(td_inst_eq(trades_get(tl, 0)->inst, NQ));
	assert_int_equal(trades_get(tl, 0)->gross, -1000);
	assert_int_equal(trades_get(tl, 0)->id, 2);
	assert_true(td_inst_eq(trades_get(tl, 1)->inst, ES));
	assert_int_equal(trades_get(tl, 1)->gross, 1250);
	assert_int_equal(trades_ninst(tl), 2);
	assert_string_equal(trades_instrument(tl, NQ)->symbol, "NQ");
	assert_null(trades_instrument(tl, td_inst_at(2)));
}

static void
test_trades_refuses_bad_fills(void **state)
{
	struct trades	*tl = *state;
	struct errmsg	 err = { "" };

	assert_int_equal(trades_fill(tl, td_inst_at(2), STRAT(0), TD_BUY, 1,
	    P4800, 1, NULL, &err), -1);
	assert_string_equal(err.msg, "fill for unknown instrument 2");
	assert_int_equal(trades_fill(tl, ES, STRAT(0), TD_BUY, -1, P4800, 1,
	    NULL, &err), -1);
	assert_string_equal(err.msg, "ES: fill qty -1 must be positive");
	assert_int_equal(trades_fill(tl, ES, STRAT(0), (enum td_side)2, 1,
	    P4800, 1, NULL, &err), -1);
	assert_string_equal(err.msg, "ES: fill with a bad side");
	assert_null(trades_open(tl, ES));
}

/* The ledger grows past its first allocation and keeps every trade. */
static void
test_trades_grows(void **state)
{
	struct trades	*tl = *state;
	int64_t		 i, sum = 0;

	for (i = 0; i < 5000; i++) {
		trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, 2 * i, NULL,
		    NULL);
		assert_int_equal(trades_fill(tl, ES, STRAT(0), TD_SELL, 1,
		    P4800 + i % 7, 2 * i + 1, "exit", NULL), 1);
	}
	assert_int_equal(trades_count(tl), 5000);
	for (i = 0; i < 5000; i++) {
		assert_int_equal(trades_get(tl, (size_t)i)->id, i + 1);
		sum += trades_get(tl, (size_t)i)->gross;
	}
	/* i % 7 over 5000 trades: 714 cycles of 0..6 and 0, 1. */
	assert_int_equal(sum, (714 * 21 + 1) * 1250);
}

/* Presized, the ledger takes its trades without moving, and keeps them. */
static void
test_trades_presize(void **state)
{
	struct trades		*tl = *state;
	const struct trade	*first;
	struct errmsg		 err;
	int64_t			 i;

	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, 0, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 + 3, 1, "exit", NULL);
	assert_int_equal(trades_presize(tl, 4999, &err), 0);
	first = trades_get(tl, 0);
	assert_int_equal(first->gross, 3 * 1250);
	for (i = 1; i < 5000; i++) {
		trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, 2 * i, NULL,
		    NULL);
		trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800, 2 * i + 1,
		    "exit", NULL);
	}
	assert_int_equal(trades_count(tl), 5000);
	assert_ptr_equal(trades_get(tl, 0), first);
	assert_int_equal(trades_get(tl, 4999)->id, 5000);
	assert_int_equal(trades_presize(tl, SIZE_MAX, &err), -1);
	assert_non_null(strstr(err.msg, "too many"));
	assert_int_equal(trades_count(tl), 5000);
}

/*
 * Excursions: a long from 4800.00 that saw 4803.00 and 4798.50 before it
 * left at 4801.00 went 12 ticks for it and 6 against: MFE 150.00 and MAE
 * -75.00 for one ES contract; marks on a flat instrument change nothing;
 * a short's adverse end is the high; two contracts count twice.
 */
static void
test_trades_excursions(void **state)
{
	struct trades		*tl = *state;
	const struct trade	*t;
	td_cents		 mae, mfe;

	trades_mark(tl, ES, P4800 + 40, P4800 - 40);	/* flat */
	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, 1, NULL, NULL);
	trades_mark(tl, ES, P4800 + 12, P4800 - 2);
	trades_mark(tl, ES, P4800 + 3, P4800 - 6);
	trades_mark(tl, NQ, P4800 + 99, P4800 - 99);	/* another */
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 + 4, 2, "exit", NULL);
	trades_mark(tl, ES, P4800 + 40, P4800 - 40);	/* flat again */
	t = trades_get(tl, 0);
	assert_int_equal(t->high, P4800 + 12);
	assert_int_equal(t->low, P4800 - 6);
	trades_excursion(tl, t, &mae, &mfe);
	assert_int_equal(mfe, 15000);
	assert_int_equal(mae, -7500);

	/* A short of 2: the high is adverse. */
	trades_fill(tl, ES, STRAT(0), TD_SELL, 2, P4800, 3, NULL, NULL);
	trades_mark(tl, ES, P4800 + 2, P4800 - 10);
	trades_fill(tl, ES, STRAT(0), TD_BUY, 2, P4800 - 8, 4, "target",
	    NULL);
	trades_excursion(tl, trades_get(tl, 1), &mae, &mfe);
	assert_int_equal(mfe, 2 * 10 * 1250);
	assert_int_equal(mae, -2 * 2 * 1250);

	/* Never beyond what it traded: at least its own fills. */
	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, 5, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 - 3, 6, "stop", NULL);
	trades_excursion(tl, trades_get(tl, 2), &mae, &mfe);
	assert_int_equal(mfe, 0);
	assert_int_equal(mae, -3 * 1250);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trades_create_refuses_no_instruments),
		cmocka_unit_test_setup_teardown(
		    test_trades_round_trip_with_partial_exits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trades_short_scaled_in,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trades_reversal_splits,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trades_owner_is_first_fill,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trades_instruments_apart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trades_refuses_bad_fills,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trades_grows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_trades_excursions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_trades_presize, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
