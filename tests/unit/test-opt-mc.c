/*
 * test-opt-mc.c -- Monte Carlo on a trade list (core/opt-mc.h): the
 * figures of one path by hand, what a reshuffle keeps and changes, what a
 * resample draws, nearest-rank percentiles, risk of ruin, the same result
 * from the same seed, and refusals.  Random lists are drawn from a
 * printed seed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "opt-mc.h"
#include "rng.h"

/* One path: drawdown, final, streak and ruin, worked out by hand. */
static void
test_mc_walk(void **state)
{
	/* equity: 100 300 250 50 -150 -100 200; peak 300, trough -150 */
	const td_cents	 net[] = { 100, 200, -50, -200, -200, 50, 300 };
	struct mc_path	 p;

	(void)state;
	mc_walk(net, 7, 0, &p);
	assert_int_equal(p.max_drawdown, 450);
	assert_int_equal(p.final, 200);
	assert_int_equal(p.losing_streak, 3);
	assert_false(p.ruined);
	mc_walk(net, 7, 150, &p);
	assert_true(p.ruined);		/* -150 reaches the loss of 150 */
	mc_walk(net, 7, 151, &p);
	assert_false(p.ruined);
	/* Losing from the first trade: the peak is the start, 0. */
	mc_walk((const td_cents[]){ -10, -20 }, 2, 0, &p);
	assert_int_equal(p.max_drawdown, 30);
	assert_int_equal(p.losing_streak, 2);
}

/*
 * A reshuffle keeps the final P&L of every run, and no drawdown is below
 * the largest single loss nor above the sum of the losses; a resample of
 * one trade repeated is that trade n times.  Over random lists.
 */
static void
test_mc_reshuffle_keeps_the_sum(void **state)
{
	uint64_t	 seed = getenv("TD_PROP_SEED") != NULL ?
			    strtoull(getenv("TD_PROP_SEED"), NULL, 0) :
			    (uint64_t)time(NULL);
	struct rng	 g;

	(void)state;
	rng_seed(&g, seed);
	for (int k = 0; k < 50; k++) {
		int64_t		 n = 1 + (int64_t)rng_below(&g, 60);
		td_cents	 net[60], sum = 0, losses = 0, worst = 0;
		struct mc_cfg	 cfg = { .method = MC_RESHUFFLE, .runs = 200,
				    .seed = rng_next(&g) };
		struct mc_result r;
		struct errmsg	 err;

		for (int64_t i = 0; i < n; i++) {
			net[i] = (td_cents)rng_below(&g, 20001) - 10000;
			sum += net[i];
			losses += net[i] < 0 ? -net[i] : 0;
			worst = net[i] < -worst ? -net[i] : worst;
		}
		if (mc_run(&cfg, net, n, &r, &err) == -1)
			fail_msg("%s", err.msg);
		if (r.final.min != sum || r.final.max != sum ||
		    r.drawdown.min < worst || r.drawdown.max > losses)
			fail_msg("seed %#llx list %d: final %lld..%lld (sum "
			    "%lld), drawdown %lld..%lld (worst %lld, losses "
			    "%lld)", (unsigned long long)seed, k,
			    (long long)r.final.min, (long long)r.final.max,
			    (long long)sum, (long long)r.drawdown.min,
			    (long long)r.drawdown.max, (long long)worst,
			    (long long)losses);
		assert_int_equal(r.actual.final, sum);
		mc_free(&r);
	}
}

/* A resample draws with replacement: its finals spread, a sum of draws. */
static void
test_mc_resample(void **state)
{
	const td_cents	 one[] = { -25 };
	const td_cents	 two[] = { 100, -100 };
	struct mc_cfg	 cfg = { .method = MC_RESAMPLE, .runs = 1000,
			    .seed = 7 };
	struct mc_result r;
	struct errmsg	 err;

	(void)state;
	assert_int_equal(mc_run(&cfg, one, 1, &r, &err), 0);
	assert_int_equal(r.final.min, -25);
	assert_int_equal(r.final.max, -25);
	mc_free(&r);
	/* Two trades drawn twice: -200, 0 or 200, each run one of them. */
	assert_int_equal(mc_run(&cfg, two, 2, &r, &err), 0);
	assert_int_equal(r.final.min, -200);
	assert_int_equal(r.final.max, 200);
	for (int i = 0; i < cfg.runs; i++)
		assert_true(r.finals[i] == -200 || r.finals[i] == 0 ||
		    r.finals[i] == 200);
	/* About a quarter each way: far from it is a broken draw. */
	assert_true(r.final.pct[1] == -200 && r.final.pct[5] == 200);
	assert_int_equal(r.final.pct[3], 0);
	mc_free(&r);
}

/* Nearest rank: the ceil(p% x runs)-th smallest value, exactly. */
static void
test_mc_percentiles(void **state)
{
	/* Every reshuffle of all-equal trades: the same path. */
	const td_cents	 net[] = { -5, -5, -5, -5 };
	struct mc_cfg	 cfg = { .method = MC_RESHUFFLE, .runs = 100,
			    .seed = 1 };
	struct mc_result r;
	struct errmsg	 err;
	int		 below;

	(void)state;
	assert_int_equal(mc_run(&cfg, net, 4, &r, &err), 0);
	for (int i = 0; i < MC_NPCT; i++) {
		assert_int_equal(r.drawdown.pct[i], 20);
		assert_int_equal(r.streak.pct[i], 4);
	}
	assert_true(r.drawdown.mean == 20.0);
	mc_free(&r);

	/* Five trades, 1000 runs: each percentile has its share below. */
	cfg.runs = 1000;
	assert_int_equal(mc_run(&cfg, (const td_cents[]){ 300, -100, -200,
	    50, -300 }, 5, &r, &err), 0);
	for (int i = 0; i < MC_NPCT; i++) {
		below = 0;
		for (int k = 0; k < cfg.runs; k++)
			below += r.drawdowns[k] < r.drawdown.pct[i];
		assert_true(below + 1 <= (mc_pct[i] * cfg.runs + 99) / 100);
	}
	for (int k = 1; k < cfg.runs; k++)
		assert_true(r.drawdowns[k - 1] <= r.drawdowns[k]);
	mc_free(&r);
}

/* Risk of ruin counts the runs that ever lost the sum. */
static void
test_mc_ruin(void **state)
{
	const td_cents	 net[] = { 500, -300, -300, 200 };
	struct mc_cfg	 cfg = { .method = MC_RESHUFFLE, .runs = 2000,
			    .seed = 3, .ruin_loss = 600 };
	struct mc_result r;
	struct errmsg	 err;
	int64_t		 ruined = 0;

	(void)state;
	assert_int_equal(mc_run(&cfg, net, 4, &r, &err), 0);
	/* -600 is reached exactly when both losses come before any win. */
	assert_true(r.ruined > 0 && r.ruined < cfg.runs);
	ruined = r.ruined;
	mc_free(&r);
	/* 4!/(2!2!) = 6 orders of the signs, one ruins: about 1/6. */
	assert_true(ruined > cfg.runs / 6 - cfg.runs / 20 &&
	    ruined < cfg.runs / 6 + cfg.runs / 20);
	cfg.ruin_loss = 601;
	assert_int_equal(mc_run(&cfg, net, 4, &r, &err), 0);
	assert_int_equal(r.ruined, 0);
	mc_free(&r);
}

/* The same seed, the same result; another seed, other draws. */
static void
test_mc_reproducible(void **state)
{
	td_cents	 net[40];
	struct mc_cfg	 cfg = { .method = MC_RESAMPLE, .runs = 500,
			    .seed = 42 };
	struct mc_result a, b;
	struct errmsg	 err;

	(void)state;
	for (int i = 0; i < 40; i++)
		net[i] = (i * 7919) % 1000 - 450;
	assert_int_equal(mc_run(&cfg, net, 40, &a, &err), 0);
	assert_int_equal(mc_run(&cfg, net, 40, &b, &err), 0);
	assert_memory_equal(a.finals, b.finals, 500 * sizeof *a.finals);
	assert_memory_equal(&a.drawdown, &b.drawdown, sizeof a.drawdown);
	mc_free(&b);
	cfg.seed = 43;
	assert_int_equal(mc_run(&cfg, net, 40, &b, &err), 0);
	assert_memory_not_equal(a.finals, b.finals, 500 * sizeof *a.finals);
	mc_free(&a);
	mc_free(&b);
}

static void
test_mc_refusals(void **state)
{
	const td_cents	 net[] = { 1 };
	struct mc_cfg	 cfg = { .method = MC_RESHUFFLE, .runs = 10 };
	struct mc_result r;
	struct errmsg	 err;

	(void)state;
	assert_int_equal(mc_run(&cfg, net, 0, &r, &err), -1);
	assert_string_equal(err.msg, "no trades to draw from");
	cfg.runs = 0;
	assert_int_equal(mc_run(&cfg, net, 1, &r, &err), -1);
	assert_non_null(strstr(err.msg, "runs 0"));
	cfg.runs = 10;
	cfg.ruin_loss = -1;
	assert_int_equal(mc_run(&cfg, net, 1, &r, &err), -1);
	assert_int_equal(mc_method_parse("resample"), MC_RESAMPLE);
	assert_int_equal(mc_method_parse("bootstrap"), -1);
	assert_string_equal(mc_method_name(MC_RESHUFFLE), "reshuffle");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mc_walk),
		cmocka_unit_test(test_mc_reshuffle_keeps_the_sum),
		cmocka_unit_test(test_mc_resample),
		cmocka_unit_test(test_mc_percentiles),
		cmocka_unit_test(test_mc_ruin),
		cmocka_unit_test(test_mc_reproducible),
		cmocka_unit_test(test_mc_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
