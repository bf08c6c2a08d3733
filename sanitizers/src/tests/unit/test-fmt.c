/*
 * test-fmt.c -- unit tests for ui/fmt: money with its sign, quantities,
 * ages, speeds, exchange clocks and prices worked out from a reference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "errmsg.h"
#include "fmt.h"
#include "tz.h"

static void
test_fmt_pnl_sign(void **state)
{
	char	 b[32];

	(void)state;
	assert_string_equal(fmt_pnl(b, sizeof b, 12550), "+125.50");
	assert_string_equal(fmt_pnl(b, sizeof b, -3750), "-37.50");
	assert_string_equal(fmt_pnl(b, sizeof b, -5), "-0.05");
	assert_string_equal(fmt_pnl(b, sizeof b, 0), "0.00");
	assert_string_equal(fmt_pnl(b, sizeof b, INT64_MIN),
	    "-92233720368547758.08");
	assert_string_equal(fmt_money(b, sizeof b, 100000), "1000.00");
	/* Cut to fit, never overrun. */
	assert_string_equal(fmt_pnl(b, 5, 12550), "+125");
}

static void
test_fmt_dollars_qty(void **state)
{
	char	 b[32];

	(void)state;
	assert_string_equal(fmt_dollars(b, sizeof b, 45099), "450");
	assert_string_equal(fmt_dollars(b, sizeof b, -1250), "-12");
	assert_string_equal(fmt_dollars(b, sizeof b, -50), "0");
	assert_string_equal(fmt_qty(b, sizeof b, 2), "+2");
	assert_string_equal(fmt_qty(b, sizeof b, -1), "-1");
	assert_string_equal(fmt_qty(b, sizeof b, 0), "0");
}

static void
test_fmt_age_speed(void **state)
{
	char	 b[32];

	(void)state;
	assert_string_equal(fmt_age(b, sizeof b, 400000000), "0.4s");
	assert_string_equal(fmt_age(b, sizeof b, -5), "0.0s");
	assert_string_equal(fmt_age(b, sizeof b, 12 * TD_NS_PER_SEC), "12s");
	assert_string_equal(fmt_age(b, sizeof b, 185 * TD_NS_PER_SEC),
	    "3m05s");
	assert_string_equal(fmt_age(b, sizeof b, 130 * TD_NS_PER_MIN),
	    "2h10m");
	assert_string_equal(fmt_age(b, sizeof b, 4 * TD_NS_PER_DAY + 5),
	    "4d");
	assert_string_equal(fmt_speed(b, sizeof b, 0), "max");
	assert_string_equal(fmt_speed(b, sizeof b, 1), "x1");
	assert_string_equal(fmt_speed(b, sizeof b, 60), "x60");
	assert_string_equal(fmt_speed(b, sizeof b, 2.5), "x2.5");
}

static void
test_fmt_clock_zone(void **state)
{
	struct errmsg	 err;
	struct tz	*ny = tz_load("America/New_York", &err);
	char		 b[32];
	/* 2024-01-02 14:30:05 UTC = 09:30:05 EST. */
	td_ns		 t = (td_ns)1704205805 * TD_NS_PER_SEC;

	(void)state;
	assert_non_null(ny);
	assert_string_equal(fmt_clock(b, sizeof b, ny, t, 0), "09:30:05");
	assert_string_equal(fmt_clock(b, sizeof b, ny, t, 1),
	    "2024-01-02 09:30:05");
	assert_string_equal(fmt_clock(b, sizeof b, NULL, t, 1),
	    "2024-01-02 14:30:05");
	assert_string_equal(fmt_clock(b, sizeof b, ny, 0, 0), "--:--:--");
	tz_free(ny);
}

static void
test_fmt_ticks_like(void **state)
{
	char	 b[32];

	(void)state;
	/* ES: 0.25 a tick, 5012.25 is 20049 ticks. */
	assert_int_equal(fmt_ticks_like(b, sizeof b, 20000, "5012.25", 20049),
	    0);
	assert_string_equal(b, "5000.00");
	assert_int_equal(fmt_ticks_like(b, sizeof b, 20051, "5012.25", 20049),
	    0);
	assert_string_equal(b, "5012.75");
	/* Whole-point ticks. */
	assert_int_equal(fmt_ticks_like(b, sizeof b, 42, "40", 40), 0);
	assert_string_equal(b, "42");
	/* A tick of 1/32 cannot be worked out from a decimal price. */
	assert_int_equal(fmt_ticks_like(b, sizeof b, 10, "1.03", 33), -1);
	assert_string_equal(b, "");
	assert_int_equal(fmt_ticks_like(b, sizeof b, 10, "", 0), -1);
	assert_int_equal(fmt_ticks_like(b, sizeof b, 10, "5x", 20), -1);
	assert_int_equal(fmt_ticks_like(b, sizeof b, 10, "100", 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_pnl_sign),
		cmocka_unit_test(test_fmt_dollars_qty),
		cmocka_unit_test(test_fmt_age_speed),
		cmocka_unit_test(test_fmt_clock_zone),
		cmocka_unit_test(test_fmt_ticks_like),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
