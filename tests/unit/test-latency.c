/*
 * test-latency.c -- the stage histograms: bucket edges, quantiles within
 * 25% and never above the exact maximum, the empty histogram.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "latency.h"

static void
test_latency_buckets(void **state)
{
	(void)state;
	assert_int_equal(latency_bucket(-5), 0);
	assert_int_equal(latency_bucket(3), 3);
	assert_int_equal(latency_bucket(4), 4);
	assert_int_equal(latency_bucket(7), 7);
	assert_int_equal(latency_bucket(8), 8);
	assert_int_equal(latency_bucket(9), 8);
	assert_int_equal(latency_bucket(10), 9);
	assert_int_equal(latency_bucket_top(8), 10);
	assert_int_equal(latency_bucket((int64_t)1 << 50),
	    LATENCY_BUCKETS - 1);
	/* Every duration lies below the top of its bucket, within 25%. */
	for (td_ns ns = 1; ns < 100000000; ns = ns * 3 + 1) {
		td_ns	 top = latency_bucket_top(latency_bucket(ns));

		assert_true(top > ns);
		assert_true(top <= ns + ns / 4 + 1);
	}
}

static void
test_latency_quantiles(void **state)
{
	struct latency	 l;

	(void)state;
	latency_reset(&l);
	assert_int_equal(latency_quantile(&l, 0.5), 0);
	/* 1 us x 98, 50 us, 1 ms. */
	for (int i = 0; i < 98; i++)
		latency_add(&l, 1000);
	latency_add(&l, 50000);
	latency_add(&l, 1000000);
	assert_int_equal(l.count, 100);
	assert_int_equal(l.sum, 98000 + 50000 + 1000000);
	assert_int_equal(l.max, 1000000);
	assert_true(latency_quantile(&l, 0.5) >= 1000);
	assert_true(latency_quantile(&l, 0.5) <= 1250);
	assert_true(latency_quantile(&l, 0.99) >= 50000);
	assert_true(latency_quantile(&l, 0.99) <= 62500);
	assert_int_equal(latency_quantile(&l, 1.0), 1000000);
	/* A single value: every quantile is capped by the exact maximum. */
	latency_reset(&l);
	latency_add(&l, 1001);
	assert_int_equal(latency_quantile(&l, 0.5), 1001);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latency_buckets),
		cmocka_unit_test(test_latency_quantiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
