/*
 * test-gauge.c -- unit tests for ui/gauge: the warning level from 80% of
 * a limit, the breach level from 100%, a limit of 0 as off, and how much
 * of a bar is filled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "gauge.h"

static void
test_gauge_thresholds(void **state)
{
	(void)state;
	/* A daily loss limit of $1000.00 in cents. */
	assert_int_equal(gauge_level(0, 100000), GAUGE_OK);
	assert_int_equal(gauge_level(79000, 100000), GAUGE_OK);
	assert_int_equal(gauge_level(79999, 100000), GAUGE_OK);
	assert_int_equal(gauge_level(80000, 100000), GAUGE_WARN);
	assert_int_equal(gauge_level(99999, 100000), GAUGE_WARN);
	assert_int_equal(gauge_level(100000, 100000), GAUGE_BREACH);
	assert_int_equal(gauge_level(250000, 100000), GAUGE_BREACH);
}

static void
test_gauge_small_limits(void **state)
{
	(void)state;
	/* 4 contracts: 3 is 75%, 4 is the limit. */
	assert_int_equal(gauge_level(3, 4), GAUGE_OK);
	assert_int_equal(gauge_level(4, 4), GAUGE_BREACH);
	/* 5 orders: 4 is exactly 80%. */
	assert_int_equal(gauge_level(4, 5), GAUGE_WARN);
	/* 2 positions: 1 is 50%, 2 the limit. */
	assert_int_equal(gauge_level(1, 2), GAUGE_OK);
	assert_int_equal(gauge_level(2, 2), GAUGE_BREACH);
	/* 1 of 1 is a breach: the limit is reached. */
	assert_int_equal(gauge_level(1, 1), GAUGE_BREACH);
}

static void
test_gauge_off(void **state)
{
	(void)state;
	assert_int_equal(gauge_level(0, 0), GAUGE_OFF);
	assert_int_equal(gauge_level(500, 0), GAUGE_OFF);
	assert_int_equal(gauge_level(500, -1), GAUGE_OFF);
	assert_int_equal(gauge_percent(500, 0), 0);
	assert_int_equal(gauge_fill(500, 0, 20), 0);
}

static void
test_gauge_negative_used(void **state)
{
	(void)state;
	/* A profit is no loss used. */
	assert_int_equal(gauge_level(-5000, 100000), GAUGE_OK);
	assert_int_equal(gauge_percent(-5000, 100000), 0);
	assert_int_equal(gauge_fill(-5000, 100000, 10), 0);
}

static void
test_gauge_no_overflow(void **state)
{
	(void)state;
	/* used * 100 does not fit in 64 bits. */
	assert_int_equal(gauge_level(INT64_MAX, INT64_MAX), GAUGE_BREACH);
	assert_int_equal(gauge_level(INT64_MAX / 10 * 9, INT64_MAX),
	    GAUGE_WARN);
	assert_int_equal(gauge_level(INT64_MAX / 2, INT64_MAX), GAUGE_OK);
	assert_int_equal(gauge_percent(INT64_MAX, 1), 999);
	assert_int_equal(gauge_fill(INT64_MAX, INT64_MAX / 2, 10), 10);
}

static void
test_gauge_percent(void **state)
{
	(void)state;
	assert_int_equal(gauge_percent(0, 100000), 0);
	assert_int_equal(gauge_percent(45000, 100000), 45);
	assert_int_equal(gauge_percent(79999, 100000), 79);
	assert_int_equal(gauge_percent(80000, 100000), 80);
	assert_int_equal(gauge_percent(100000, 100000), 100);
	assert_int_equal(gauge_percent(3, 4), 75);
}

static void
test_gauge_fill(void **state)
{
	(void)state;
	assert_int_equal(gauge_fill(0, 100, 10), 0);
	assert_int_equal(gauge_fill(50, 100, 10), 5);
	assert_int_equal(gauge_fill(79, 100, 10), 7);
	assert_int_equal(gauge_fill(80, 100, 10), 8);
	/* Any use shows; only the limit fills the bar. */
	assert_int_equal(gauge_fill(1, 1000, 10), 1);
	assert_int_equal(gauge_fill(999, 1000, 10), 9);
	assert_int_equal(gauge_fill(1000, 1000, 10), 10);
	assert_int_equal(gauge_fill(5000, 1000, 10), 10);
	/* No room, no bar. */
	assert_int_equal(gauge_fill(50, 100, 0), 0);
	assert_int_equal(gauge_fill(50, 100, -3), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gauge_thresholds),
		cmocka_unit_test(test_gauge_small_limits),
		cmocka_unit_test(test_gauge_off),
		cmocka_unit_test(test_gauge_negative_used),
		cmocka_unit_test(test_gauge_no_overflow),
		cmocka_unit_test(test_gauge_percent),
		cmocka_unit_test(test_gauge_fill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
