/*
 * test-signal-feat.c -- unit tests for core/signal-feat: the features of
 * a bar worked out by hand, and no look-ahead (a bar's features are the
 * same whether or not later bars exist).
 *
 * The hand-made session is 2024-03-11, a Monday in New York daylight
 * time (UTC-4): 13:30 UTC is the 09:30 RTH open.  1710115200 is that day's
 * midnight UTC.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "errmsg.h"
#include "signal-feat.h"

#define S(x)		((td_ns)(x) * TD_NS_PER_SEC)
#define assert_near(a, b, eps)	near((a), (b), (eps), __LINE__)
#define MON_0900_UTC	(S(1710115200) + 13 * TD_NS_PER_HOUR)

static void
near(double a, double b, double eps, int line)
{
	if (fabs(a - b) > eps)
		fail_msg("line %d: %.12g is not %.12g", line, a, b);
}

static int
setup(void **state)
{
	struct calendar_cfg	 cfg = {
		.name = "cme-equity", .tz = "America/New_York",
		.rth_open = 570, .rth_close = 960,
		.eth_open = 1080, .eth_close = 1020,
		.roll_tz = "America/Chicago", .day_roll = 1020,
	};
	struct errmsg		 err = { .msg = "" };

	*state = calendar_create(&cfg, &err);
	assert_non_null(*state);
	return 0;
}

static int
teardown(void **state)
{
	calendar_free(*state);
	return 0;
}

/* Bar i of the hand-made series: close 1000 + i, high and low 2 away,
 * volume 10 but bar 70's 40, one a minute from 13:00 UTC. */
static struct td_bar
hand_bar(int i)
{
	td_ns	 t = MON_0900_UTC + i * TD_NS_PER_MIN;

	return (struct td_bar){ .start = t, .end = t + TD_NS_PER_MIN,
	    .open = 999 + i, .high = 1002 + i, .low = 998 + i,
	    .close = 1000 + i, .volume = i == 70 ? 40 : 10 };
}

static void
test_signal_feat_names(void **state)
{
	char	 list[512] = "";

	(void)state;
	for (int i = 0; i < SIGNAL_FEAT_N; i++) {
		if (i > 0)
			strcat(list, ",");
		strcat(list, signal_feat_name(i));
	}
	assert_string_equal(list, signal_feat_list());
	assert_null(signal_feat_name(SIGNAL_FEAT_N));
	assert_null(signal_feat_name(-1));
}

static void
test_signal_feat_hand_values(void **state)
{
	struct signal_feat	*f = signal_feat_create(*state, NULL);
	double			 x[SIGNAL_FEAT_N], r2 = 0;
	int			 rc = 0;

	for (int i = 0; i <= 70; i++) {
		struct td_bar	 b = hand_bar(i);

		rc = signal_feat_bar(f, &b, x);
		assert_int_equal(rc, i + 1 >= SIGNAL_FEAT_WARMUP);
	}
	assert_int_equal(rc, 1);
	assert_near(x[SF_RET_1], 1e4 * 1 / 1069, 1e-9);
	assert_near(x[SF_RET_5], 1e4 * 5 / 1065, 1e-9);
	assert_near(x[SF_RET_15], 1e4 * 15 / 1055, 1e-9);
	assert_near(x[SF_RET_60], 1e4 * 60 / 1010, 1e-9);
	/* 1-bar returns of bars 56..70: 1 / (999 + i) each. */
	for (int i = 56; i <= 70; i++)
		r2 += pow(1e4 / (999 + i), 2);
	assert_near(x[SF_RVOL_15], sqrt(r2 / 15), 1e-9);
	/* every true range is 4 (high 2 above, low 2 below the close, the
	 * previous close 1 below) */
	assert_near(x[SF_ATR_14], 1e4 * 4 / 1070, 1e-9);
	/* the opening range is bars 30..59 (13:30 to 14:00 UTC): low 1028,
	 * high 1061 */
	assert_near(x[SF_OR_WIDTH], 1e4 * 33 / 1070, 1e-9);
	assert_near(x[SF_OR_POS], (1070.0 - 1028) / 33, 1e-9);
	/* the day so far: 998 to 1072 */
	assert_near(x[SF_DAY_RANGE], 1e4 * 74 / 1070, 1e-9);
	assert_near(x[SF_DAY_POS], (1070.0 - 998) / 74, 1e-9);
	assert_near(x[SF_VOL_REL_15], 40 / ((14 * 10 + 40) / 15.0),
	    1e-9);
	assert_near(x[SF_VOL_REL_60], 40 / ((59 * 10 + 40) / 60.0),
	    1e-9);
	/* 14:10 UTC is 10:10 in New York (daylight time), a Monday */
	assert_near(x[SF_TOD], 10 + 10 / 60.0, 1e-9);
	assert_near(x[SF_DOW], 1, 0);
	/* typical price = close; VWAP = (10 x sum 1000..1069 + 40 x 1070)
	 * / 740 = 766950 / 740 */
	assert_near(x[SF_VWAP_DIST], 1e4 * (1070 - 766950.0 / 740) /
	    (766950.0 / 740), 1e-9);
	signal_feat_free(f);
}

static void
test_signal_feat_or_incomplete(void **state)
{
	struct signal_feat	*f = signal_feat_create(*state, NULL);
	double			 x[SIGNAL_FEAT_N];

	/* bar 45 (13:45 UTC) is inside the opening range: not yet known */
	for (int i = 0; i <= 45; i++) {
		struct td_bar	 b = hand_bar(i);

		assert_int_equal(signal_feat_bar(f, &b, x), 0);
	}
	assert_near(x[SF_OR_WIDTH], 0, 0);
	assert_near(x[SF_OR_POS], 0, 0);
	signal_feat_free(f);
}

static void
test_signal_feat_refuses_past_bar(void **state)
{
	struct signal_feat	*f = signal_feat_create(*state, NULL);
	double			 x[SIGNAL_FEAT_N], y[SIGNAL_FEAT_N];
	struct td_bar		 b5 = hand_bar(5), b3 = hand_bar(3);
	struct td_bar		 b6 = hand_bar(6);

	for (int i = 0; i <= 5; i++) {
		struct td_bar	 b = hand_bar(i);

		signal_feat_bar(f, &b, x);
	}
	assert_int_equal(signal_feat_bar(f, &b3, y), -1);
	signal_feat_bar(f, &b6, y);
	assert_near(y[SF_RET_1], 1e4 / 1005, 1e-9);
	(void)b5;
	signal_feat_free(f);
}

/* A random walk over three trading days, gaps between sessions. */
#define WALK	900

static void
walk(struct td_bar *bars, int n)
{
	uint64_t	 s = 12345;
	td_ticks	 c = 16000;
	td_ns		 t = MON_0900_UTC - 3 * TD_NS_PER_HOUR;

	for (int i = 0; i < n; i++) {
		td_ticks	 o = c;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		c += (int64_t)(s >> 60) - 7;
		if (i % 300 == 299)
			t += 17 * TD_NS_PER_HOUR;	/* the next day */
		bars[i] = (struct td_bar){ .start = t,
		    .end = t + TD_NS_PER_MIN, .open = o,
		    .high = (o > c ? o : c) + (int64_t)(s >> 62),
		    .low = (o < c ? o : c) - (int64_t)((s >> 58) & 3),
		    .close = c, .volume = 1 + (int64_t)((s >> 40) & 255) };
		t += TD_NS_PER_MIN;
	}
}

static void
test_signal_feat_no_look_ahead(void **state)
{
	struct td_bar		*bars = calloc(WALK, sizeof *bars);
	double			(*whole)[SIGNAL_FEAT_N];
	struct signal_feat	*f = signal_feat_create(*state, NULL);
	int			 days = 0;

	whole = calloc(WALK, sizeof *whole);
	walk(bars, WALK);
	for (int t = 0; t < WALK; t++)
		signal_feat_bar(f, &bars[t], whole[t]);
	for (int t = 0; t < WALK; t++) {
		double	 x[SIGNAL_FEAT_N];

		signal_feat_reset(f);
		for (int i = 0; i <= t; i++)
			signal_feat_bar(f, &bars[i], x);
		assert_memory_equal(x, whole[t], sizeof x);
		days += t > 0 && x[SF_DAY_RANGE] < whole[t - 1][SF_DAY_RANGE];
	}
	/* the walk crossed into new trading days (their range restarted) */
	assert_true(days >= 2);
	signal_feat_free(f);
	free(whole);
	free(bars);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_feat_names),
		cmocka_unit_test_setup_teardown(test_signal_feat_hand_values,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_signal_feat_or_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_signal_feat_refuses_past_bar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_feat_no_look_ahead,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
