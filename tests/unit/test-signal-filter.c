/*
 * test-signal-filter.c -- entries let through or skipped on the latest
 * typed data (core/signal-filter.h): the thresholds on each side, the
 * value for the instrument before the one for none, missing and stale
 * values, the table's limit, and the reason given.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "signal-filter.h"

#define SEC	1000000000LL
#define P(x)	((int64_t)((x) * 10000) * (TD_DATA_SCALE / 10000))

static struct td_data
datum(const char *source, const char *name, int inst, int64_t value,
    td_ns t)
{
	struct td_data	 d = { .inst = inst, .kind = TD_DATA_PROBABILITY,
			    .value = value, .time = t };

	snprintf(d.source, sizeof d.source, "%s", source);
	snprintf(d.name, sizeof d.name, "%s", name);
	return d;
}

static void
put(struct signal_last *t, struct td_data d)
{
	struct errmsg	 err;

	if (signal_last_put(t, &d, &err) == -1)
		fail_msg("%s", err.msg);
}

static const struct signal_filter model = {
	.strategy = "orb-es", .source = "model:es", .name = "p_up",
	.long_min = P(0.55), .short_max = P(0.45), .max_age = 600 * SEC,
};

static void
test_signal_filter_thresholds(void **state)
{
	struct signal_last	*t;
	struct errmsg		 err;
	char			 why[128];

	(void)state;
	assert_non_null(t = signal_last_create(&err));
	put(t, datum("model:es", "p_up", 0, P(0.55), 100 * SEC));
	assert_true(signal_filter_pass(&model, t, 0, TD_BUY, 100 * SEC, why,
	    sizeof why));
	assert_false(signal_filter_pass(&model, t, 0, TD_SELL, 100 * SEC, why,
	    sizeof why));
	assert_string_equal(why, "model:es p_up 0.5500 above 0.4500 for a "
	    "short entry");
	/* A newer value replaces it. */
	put(t, datum("model:es", "p_up", 0, P(0.4812), 160 * SEC));
	assert_false(signal_filter_pass(&model, t, 0, TD_BUY, 160 * SEC, why,
	    sizeof why));
	assert_string_equal(why, "model:es p_up 0.4812 below 0.5500 for a "
	    "long entry");
	/* Between the two thresholds neither side enters. */
	assert_false(signal_filter_pass(&model, t, 0, TD_SELL, 160 * SEC, why,
	    sizeof why));
	assert_string_equal(why, "model:es p_up 0.4812 above 0.4500 for a "
	    "short entry");
	put(t, datum("model:es", "p_up", 0, P(0.45), 170 * SEC));
	assert_true(signal_filter_pass(&model, t, 0, TD_SELL, 170 * SEC, why,
	    sizeof why));
	signal_last_free(t);
}

static void
test_signal_filter_instrument(void **state)
{
	struct signal_filter	 news = { .source = "news", .name =
				    "sentiment", .long_min = P(-0.2),
				    .short_max = P(0.2) };
	struct signal_last	*t;
	struct errmsg		 err;
	char			 why[128];

	(void)state;
	assert_non_null(t = signal_last_create(&err));
	/* For no instrument: it stands for every instrument without one. */
	put(t, datum("news", "sentiment", -1, -P(0.5), 10 * SEC));
	assert_false(signal_filter_pass(&news, t, 1, TD_BUY, 10 * SEC, why,
	    sizeof why));
	assert_string_equal(why, "news sentiment -0.5000 below -0.2000 for a "
	    "long entry");
	put(t, datum("news", "sentiment", 1, P(0.1), 11 * SEC));
	assert_true(signal_filter_pass(&news, t, 1, TD_BUY, 11 * SEC, why,
	    sizeof why));
	assert_false(signal_filter_pass(&news, t, 0, TD_BUY, 11 * SEC, why,
	    sizeof why));
	assert_int_equal(signal_last_get(t, "news", "sentiment", 1)->value,
	    P(0.1));
	assert_null(signal_last_get(t, "news", "other", 1));
	signal_last_free(t);
}

static void
test_signal_filter_missing_and_stale(void **state)
{
	struct signal_filter	 lax = model;
	struct signal_last	*t;
	struct errmsg		 err;
	char			 why[128];

	(void)state;
	assert_non_null(t = signal_last_create(&err));
	assert_false(signal_filter_pass(&model, t, 0, TD_BUY, 0, why,
	    sizeof why));
	assert_string_equal(why, "model:es p_up not heard yet for a long "
	    "entry");
	assert_false(signal_filter_pass(&model, NULL, 0, TD_BUY, 0, why,
	    sizeof why));
	lax.missing = SIGNAL_MISSING_TRADE;
	assert_true(signal_filter_pass(&lax, t, 0, TD_BUY, 0, why,
	    sizeof why));
	put(t, datum("model:es", "p_up", 0, P(0.9), 1000 * SEC));
	assert_true(signal_filter_pass(&model, t, 0, TD_BUY, 1600 * SEC, why,
	    sizeof why));
	assert_false(signal_filter_pass(&model, t, 0, TD_BUY, 1601 * SEC, why,
	    sizeof why));
	assert_string_equal(why, "model:es p_up too old for a long entry");
	assert_true(signal_filter_pass(&lax, t, 0, TD_BUY, 1601 * SEC, why,
	    sizeof why));
	signal_last_free(t);
}

static void
test_signal_filter_table_full(void **state)
{
	struct signal_last	*t;
	struct td_data		 d;
	struct errmsg		 err;
	char			 name[16];

	(void)state;
	assert_non_null(t = signal_last_create(&err));
	for (int i = 0; i < SIGNAL_LAST_MAX; i++) {
		snprintf(name, sizeof name, "v%d", i);
		put(t, datum("src", name, 0, i, i));
	}
	/* A known series still moves on; a new one is refused. */
	put(t, datum("src", "v3", 0, 42, 100));
	assert_int_equal(signal_last_get(t, "src", "v3", 0)->value, 42);
	d = datum("src", "one-more", 0, 1, 101);
	assert_int_equal(signal_last_put(t, &d, &err), -1);
	assert_string_equal(err.msg, "src one-more: more than 64 data series");
	signal_last_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_filter_thresholds),
		cmocka_unit_test(test_signal_filter_instrument),
		cmocka_unit_test(test_signal_filter_missing_and_stale),
		cmocka_unit_test(test_signal_filter_table_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
