/*
 * test-chart.c -- the chart pane's arithmetic (ui/chart.h): one-minute
 * bars grouped into N-minute candles on whole N minutes, the newest kept
 * when there are more than columns; a time's column; prices to rows; the
 * opening range from the bars inside it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "chart.h"

/* 09:30 UTC on 2024-01-02, a whole hour. */
#define T0	((td_ns)1704187800 * TD_NS_PER_SEC)

/* n one-minute bars from T0 + m0 minutes: open i, high i+2, low i-1. */
static int
bars(struct snap_candle *b, int m0, int n)
{
	for (int i = 0; i < n; i++) {
		td_ns	 s = T0 + (td_ns)(m0 + i) * TD_NS_PER_MIN;

		b[i] = (struct snap_candle){ .start = s,
		    .end = s + TD_NS_PER_MIN, .open = 100 + i,
		    .high = 102 + i, .low = 99 + i, .close = 101 + i };
	}
	return n;
}

static void
test_chart_bucket_five_minutes(void **state)
{
	struct snap_candle	 b[12];
	struct chart_candle	 c[8];
	int			 n;

	(void)state;
	/* 09:32 .. 09:43: candles 09:30 (3 bars), 09:35 (5), 09:40 (4). */
	bars(b, 2, 12);
	n = chart_bucket(b, 12, 5, c, 8);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].start, T0);
	assert_int_equal(c[0].open, 100);
	assert_int_equal(c[0].close, 103);
	assert_int_equal(c[0].high, 104);
	assert_int_equal(c[0].low, 99);
	assert_int_equal(c[1].start, T0 + 5 * TD_NS_PER_MIN);
	assert_int_equal(c[1].open, 103);
	assert_int_equal(c[1].close, 108);
	assert_int_equal(c[2].open, 108);
	assert_int_equal(c[2].close, 112);
	assert_int_equal(c[2].high, 113);
}

static void
test_chart_bucket_keeps_the_newest(void **state)
{
	struct snap_candle	 b[30];
	struct chart_candle	 c[4];
	int			 n;

	(void)state;
	bars(b, 0, 30);
	n = chart_bucket(b, 30, 1, c, 4);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].start, T0 + 26 * TD_NS_PER_MIN);
	assert_int_equal(c[3].close, 130);
	/* Ten-minute candles: three of them, each whole. */
	n = chart_bucket(b, 30, 10, c, 2);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].start, T0 + 10 * TD_NS_PER_MIN);
	assert_int_equal(c[0].open, 110);
	assert_int_equal(c[0].close, 120);
	assert_int_equal(chart_bucket(b, 0, 5, c, 4), 0);
	assert_int_equal(chart_bucket(b, 30, 5, c, 0), 0);
}

static void
test_chart_column(void **state)
{
	struct snap_candle	 b[12];
	struct chart_candle	 c[8];
	int			 n;

	(void)state;
	bars(b, 2, 12);
	n = chart_bucket(b, 12, 5, c, 8);
	assert_int_equal(chart_column(c, n, 5, T0 + 7 * TD_NS_PER_MIN), 1);
	assert_int_equal(chart_column(c, n, 5, T0 + TD_NS_PER_MIN / 2), 0);
	assert_int_equal(chart_column(c, n, 5, T0 - TD_NS_PER_MIN), -1);
	assert_int_equal(chart_column(c, n, 5, T0 + 60 * TD_NS_PER_MIN), -1);
}

static void
test_chart_rows(void **state)
{
	int64_t	 lo = 1, hi = 0;

	(void)state;
	assert_int_equal(chart_row(120, 100, 120, 11), 0);
	assert_int_equal(chart_row(100, 100, 120, 11), 10);
	assert_int_equal(chart_row(110, 100, 120, 11), 5);
	assert_int_equal(chart_row(112, 100, 120, 11), 4);
	assert_int_equal(chart_row(111, 100, 120, 11), 5);	/* 4.5: down */
	assert_int_equal(chart_row(500, 100, 120, 11), 0);
	assert_int_equal(chart_row(-5, 100, 120, 11), 10);
	assert_int_equal(chart_row(7, 7, 7, 9), 4);		/* flat */
	assert_int_equal(chart_row(7, 0, 10, 1), 0);
	chart_widen(&lo, &hi, 5);
	assert_int_equal(lo, 5);
	assert_int_equal(hi, 5);
	chart_widen(&lo, &hi, -3);
	chart_widen(&lo, &hi, 9);
	assert_int_equal(lo, -3);
	assert_int_equal(hi, 9);
}

static void
test_chart_range(void **state)
{
	struct snap_candle	 b[6];
	struct chart_candle	 c[6];
	int64_t			 lo, hi;
	int			 n;

	(void)state;
	bars(b, 0, 6);
	n = chart_bucket(b, 6, 1, c, 6);
	chart_range(c, n, &lo, &hi);
	assert_int_equal(lo, 99);
	assert_int_equal(hi, 107);
	chart_range(c, 0, &lo, &hi);
	assert_true(lo > hi);
}

static void
test_chart_opening_range(void **state)
{
	struct snap_candle	 b[40];
	td_ticks		 lo = 0, hi = 0;
	int			 n;

	(void)state;
	/* Bars from 09:20: the first 15 minutes from 09:30 count. */
	n = bars(b, -10, 40);
	assert_int_equal(chart_orb(b, n, T0, 15, &lo, &hi), 1);
	assert_int_equal(lo, 99 + 10);
	assert_int_equal(hi, 102 + 24);
	assert_int_equal(chart_orb(b, n, 0, 15, &lo, &hi), 0);
	assert_int_equal(chart_orb(b, n, T0, 0, &lo, &hi), 0);
	assert_int_equal(chart_orb(b, n, T0 + 100 * TD_NS_PER_MIN, 15, &lo,
	    &hi), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chart_bucket_five_minutes),
		cmocka_unit_test(test_chart_bucket_keeps_the_newest),
		cmocka_unit_test(test_chart_column),
		cmocka_unit_test(test_chart_rows),
		cmocka_unit_test(test_chart_range),
		cmocka_unit_test(test_chart_opening_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
