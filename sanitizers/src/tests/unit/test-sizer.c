/*
 * test-sizer.c -- contracts from a fixed count or a risk budget.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "instrument.h"
#include "sizer.h"

static const struct instrument es = {
	.symbol = "ES",
	.tick_size = 250000000,
	.point_value = 5000,
	.tick_value = 1250,
	.commission = 62,
	.decimals = 2,
};

static void
test_sizer_fixed(void **state)
{
	struct sizer_cfg	 cfg = {
		.method = SIZER_FIXED,
		.contracts = 3,
	};
	char			 why[128] = "x";
	int64_t			 qty = -1;

	(void)state;
	/* The stop does not matter, not even a missing one. */
	assert_int_equal(sizer_qty(&cfg, &es, 0, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 3);
	assert_string_equal(why, "");
	assert_int_equal(sizer_qty(&cfg, &es, 400, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 3);

	cfg.contracts = 0;
	assert_int_equal(sizer_qty(&cfg, &es, 8, &qty, why, sizeof why), -1);
	assert_int_equal(qty, 0);
	assert_string_equal(why, "fixed contracts 0 must be positive");
}

static void
test_sizer_risk_floor(void **state)
{
	struct sizer_cfg	 cfg = {
		.method = SIZER_RISK,
		.risk_per_trade = 50000,
	};
	char			 why[128];
	int64_t			 qty;

	(void)state;
	/* $500 / (8 ticks x $12.50 = $100) = 5. */
	assert_int_equal(sizer_qty(&cfg, &es, 8, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 5);
	/* $500 / $112.50 = 4.44 -> 4. */
	assert_int_equal(sizer_qty(&cfg, &es, 9, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 4);
	/* Exactly the budget: 40 ticks x $12.50 = $500 -> 1. */
	assert_int_equal(sizer_qty(&cfg, &es, 40, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 1);
}

static void
test_sizer_risk_zero_means_no_trade(void **state)
{
	struct sizer_cfg	 cfg = {
		.method = SIZER_RISK,
		.risk_per_trade = 25000,
		.min_contracts = 1,
		.max_contracts = 10,
	};
	char			 why[128];
	int64_t			 qty = 7;

	(void)state;
	assert_int_equal(sizer_qty(&cfg, &es, 40, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 0);
	assert_string_equal(why, "risk 1 contract x 40 ticks = $500.00 "
	    "exceeds $250.00 per trade");
}

static void
test_sizer_huge_stop(void **state)
{
	struct sizer_cfg	 cfg = {
		.method = SIZER_RISK,
		.risk_per_trade = 100000000,
	};
	char			 why[128];
	int64_t			 qty;

	(void)state;
	assert_int_equal(sizer_qty(&cfg, &es, 100000, &qty, why, sizeof why),
	    0);
	assert_int_equal(qty, 0);
	assert_string_equal(why, "risk 1 contract x 100000 ticks = "
	    "$1,250,000.00 exceeds $1,000,000.00 per trade");
	/* So wide that one contract overflows: still a plain no trade. */
	assert_int_equal(sizer_qty(&cfg, &es, INT64_MAX / 1000, &qty, why,
	    sizeof why), 0);
	assert_int_equal(qty, 0);
}

static void
test_sizer_tiny_stop_clamped_to_max(void **state)
{
	struct sizer_cfg	 cfg = {
		.method = SIZER_RISK,
		.risk_per_trade = 50000,
		.max_contracts = 10,
	};
	char			 why[128];
	int64_t			 qty;

	(void)state;
	/* 1 tick: $500 / $12.50 = 40, capped at 10. */
	assert_int_equal(sizer_qty(&cfg, &es, 1, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 10);
	/* No cap: all 40. */
	cfg.max_contracts = 0;
	assert_int_equal(sizer_qty(&cfg, &es, 1, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 40);
}

/* min_contracts never forces a trade that risks more than allowed. */
static void
test_sizer_min_does_not_force_risk(void **state)
{
	struct sizer_cfg	 cfg = {
		.method = SIZER_RISK,
		.risk_per_trade = 50000,
		.min_contracts = 3,
		.max_contracts = 10,
	};
	char			 why[160];
	int64_t			 qty = 9;

	(void)state;
	/* 20 ticks: $250 each, 2 fit, 3 would risk $750. */
	assert_int_equal(sizer_qty(&cfg, &es, 20, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 0);
	assert_string_equal(why, "risk allows 2 contracts x 20 ticks within "
	    "$500.00 per trade, below min contracts 3");
	/* 13 ticks: $162.50 each, 3 fit. */
	assert_int_equal(sizer_qty(&cfg, &es, 13, &qty, why, sizeof why), 0);
	assert_int_equal(qty, 3);
}

static void
test_sizer_risk_errors(void **state)
{
	struct sizer_cfg	 cfg = {
		.method = SIZER_RISK,
		.risk_per_trade = 50000,
	};
	char			 why[128];
	int64_t			 qty;

	(void)state;
	assert_int_equal(sizer_qty(&cfg, &es, 0, &qty, why, sizeof why), -1);
	assert_string_equal(why, "risk sizing needs a stop: stop 0 ticks");
	assert_int_equal(sizer_qty(&cfg, &es, -4, &qty, why, sizeof why), -1);
	assert_string_equal(why, "risk sizing needs a stop: stop -4 ticks");
	/* why may be NULL. */
	assert_int_equal(sizer_qty(&cfg, &es, -4, &qty, NULL, 0), -1);

	cfg.risk_per_trade = 0;
	assert_int_equal(sizer_qty(&cfg, &es, 8, &qty, why, sizeof why), -1);
	assert_string_equal(why, "risk per trade must be positive");

	cfg.risk_per_trade = 50000;
	cfg.min_contracts = 5;
	cfg.max_contracts = 2;
	assert_int_equal(sizer_qty(&cfg, &es, 8, &qty, why, sizeof why), -1);
	assert_string_equal(why, "min contracts 5 above max contracts 2");

	cfg = (struct sizer_cfg){ .method = (enum sizer_method)9 };
	assert_int_equal(sizer_qty(&cfg, &es, 8, &qty, why, sizeof why), -1);
	assert_string_equal(why, "unknown sizing method 9");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizer_fixed),
		cmocka_unit_test(test_sizer_risk_floor),
		cmocka_unit_test(test_sizer_risk_zero_means_no_trade),
		cmocka_unit_test(test_sizer_huge_stop),
		cmocka_unit_test(test_sizer_tiny_stop_clamped_to_max),
		cmocka_unit_test(test_sizer_min_does_not_force_risk),
		cmocka_unit_test(test_sizer_risk_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
