/*
 * test-rng.c -- the deterministic generator (core/rng.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "rng.h"

static void
test_rng_reference_sequence(void **state)
{
	struct rng	 r;

	(void)state;
	/* Computed independently from the reference algorithms. */
	rng_seed(&r, 42);
	assert_true(rng_next(&r) == 0x15780b2e0c2ec716ULL);
	assert_true(rng_next(&r) == 0x6104d9866d113a7eULL);
	assert_true(rng_next(&r) == 0xae17533239e499a1ULL);
}

static void
test_rng_same_seed_same_stream(void **state)
{
	struct rng	 a, b, c;
	int		 i, differ = 0;

	(void)state;
	rng_seed(&a, 7);
	rng_seed(&b, 7);
	rng_seed(&c, 8);
	for (i = 0; i < 1000; i++) {
		double	 x = rng_normal(&a), y = rng_normal(&b);

		assert_memory_equal(&x, &y, sizeof x);
		assert_true(rng_below(&a, 97) == rng_below(&b, 97));
		differ += rng_next(&a) != rng_next(&c);
		(void)rng_next(&b);
	}
	assert_true(differ > 990);
	/* A zero seed still gives a working state. */
	rng_seed(&a, 0);
	assert_true(a.s[0] | a.s[1] | a.s[2] | a.s[3]);
	assert_true(rng_next(&a) != rng_next(&a));
}

static void
test_rng_uniform_range_and_mean(void **state)
{
	struct rng	 r;
	double		 sum = 0, lo = 1, hi = 0;
	int		 i, n = 200000;

	(void)state;
	rng_seed(&r, 1);
	for (i = 0; i < n; i++) {
		double	 u = rng_uniform(&r);

		assert_true(u >= 0.0 && u < 1.0);
		sum += u;
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	assert_true(fabs(sum / n - 0.5) < 0.005);
	assert_true(lo < 0.001 && hi > 0.999);
}

static void
test_rng_normal_moments(void **state)
{
	struct rng	 r;
	double		 sum = 0, sq = 0, mean, var;
	int		 i, n = 200000, tail = 0;

	(void)state;
	rng_seed(&r, 2);
	for (i = 0; i < n; i++) {
		double	 z = rng_normal(&r);

		sum += z;
		sq += z * z;
		tail += fabs(z) > 1.96;
	}
	mean = sum / n;
	var = sq / n - mean * mean;
	assert_true(fabs(mean) < 0.01);
	assert_true(fabs(var - 1.0) < 0.02);
	/* About 5% beyond 1.96 deviations. */
	assert_true(tail > n * 45 / 1000 && tail < n * 55 / 1000);
}

static void
test_rng_below_bounds_and_spread(void **state)
{
	struct rng	 r;
	int		 count[6] = { 0 }, i;

	(void)state;
	rng_seed(&r, 3);
	assert_true(rng_below(&r, 0) == 0);
	assert_true(rng_below(&r, 1) == 0);
	for (i = 0; i < 60000; i++) {
		uint64_t v = rng_below(&r, 6);

		assert_true(v < 6);
		count[v]++;
	}
	for (i = 0; i < 6; i++)
		assert_true(count[i] > 9500 && count[i] < 10500);
	for (i = 0; i < 1000; i++)
		assert_true(rng_below(&r, UINT64_MAX) < UINT64_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_reference_sequence),
		cmocka_unit_test(test_rng_same_seed_same_stream),
		cmocka_unit_test(test_rng_uniform_range_and_mean),
		cmocka_unit_test(test_rng_normal_moments),
		cmocka_unit_test(test_rng_below_bounds_and_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
