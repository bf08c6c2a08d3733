/*
 * test-opt-run.c -- the evaluations of an optimisation (core/opt-run.h)
 * over a bar cache of the demo generator's bars: every point equals a
 * backtest of its own, the rows are the same bytes on 1, 2 and 3
 * threads, a stop leaves points undone, the constraints and objectives
 * judge as documented, and the ranking orders best first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"
#include "fixture.h"
#include "opt-fixture.h"

static void
run(struct ort *t, struct opt_row *rows, int threads)
{
	struct errmsg	 err;

	t->job.threads = threads;
	if (opt_run(&t->job, rows, &err) != t->space.npoints)
		fail_msg("%d threads: %s", threads, err.msg);
}

/* The net and trades of one point, by a backtest of its own. */
static void
direct(struct ort *t, int64_t point, struct stats *st)
{
	struct engine_config	 cfg = t->cfg;
	struct errmsg		 err;
	struct engine		*e;
	struct feed		*f;
	struct td_md		 md;
	int64_t			 v[OPT_MAX_DIMS];

	opt_space_point(&t->space, point, v);
	opt_space_apply(&t->space, v, &cfg);
	assert_non_null(e = fixture_engine(&cfg, &t->vc, &err));
	assert_non_null(f = barcache_feed_borrow(&t->src, 1, 1, &err));
	while (feed_next(f, &md, &err) == 1)
		assert_int_equal(engine_on_market(e, &md, &err), 0);
	engine_finish(e, engine_now(e));
	stats_compute(st, engine_trades(e), NULL, 0);
	feed_free(f);
	engine_free(e);
}

static void
test_opt_run_points_are_backtests(void **state)
{
	struct ort	*t = *state;
	struct opt_row	 rows[6];
	struct stats	 st;
	bool		 differ = false;

	run(t, rows, 1);
	for (int64_t p = 0; p < t->space.npoints; p++) {
		direct(t, p, &st);
		assert_true(rows[p].done);
		assert_int_equal(rows[p].st.trades, st.trades);
		assert_int_equal(rows[p].st.net, st.net);
		assert_int_equal(rows[p].st.max_drawdown, st.max_drawdown);
		assert_true(rows[p].score == (double)st.net);
		differ |= rows[p].st.net != rows[0].st.net;
	}
	assert_true(rows[0].st.trades > 10);
	assert_true(differ);		/* the parameters did something */
}

static void
test_opt_run_threads_same_bytes(void **state)
{
	struct ort	*t = *state;
	struct opt_row	 one[6], two[6], three[6];

	run(t, one, 1);
	run(t, two, 2);
	run(t, three, 3);
	assert_memory_equal(one, two, sizeof one);
	assert_memory_equal(one, three, sizeof one);
}

static void
test_opt_run_stop(void **state)
{
	struct ort		*t = *state;
	struct opt_row		 rows[6];
	volatile sig_atomic_t	 stop = 1;
	struct errmsg		 err;

	t->job.stop = &stop;
	t->job.threads = 2;
	assert_int_equal(opt_run(&t->job, rows, &err), 0);
	for (int i = 0; i < 6; i++)
		assert_false(rows[i].done);
	t->job.threads = 0;
	assert_int_equal(opt_run(&t->job, rows, &err), -1);
	assert_non_null(strstr(err.msg, "threads 0"));
}

static void
test_opt_run_constraints(void **state)
{
	struct ort	*t = *state;
	struct opt_row	 rows[6];
	int64_t		 order[6];

	t->job.min_trades = 1000000;
	run(t, rows, 2);
	for (int i = 0; i < 6; i++)
		assert_false(rows[i].feasible);
	t->job.min_trades = 1;
	t->job.max_drawdown = 1;	/* one cent: every point deeper */
	run(t, rows, 2);
	for (int i = 0; i < 6; i++)
		assert_false(rows[i].feasible);
	t->job.max_drawdown = 0;
	t->job.objective = OPT_ROMAD;
	run(t, rows, 2);
	opt_rank(rows, NULL, 6, order);
	for (int i = 0; i < 6; i++)
		assert_true(rows[i].feasible);
	for (int i = 1; i < 6; i++)
		assert_true(rows[order[i - 1]].score >= rows[order[i]].score);
}

static void
test_opt_score_and_rank(void **state)
{
	struct stats	 st = { .net = 500, .max_drawdown = 250, .sharpe = 1.5,
			    .profit_factor = 2.0, .expectancy = 50 };
	struct opt_row	 rows[5] = {
		{ .done = true, .feasible = false, .score = 100 },
		{ .done = true, .feasible = true, .score = 5 },
		{ .done = true, .feasible = true, .score = NAN },
		{ .done = false },
		{ .done = true, .feasible = true, .score = 5 },
	};
	int64_t		 order[5];
	const int64_t	 want[5] = { 1, 4, 0, 2, 3 };

	(void)state;
	assert_true(opt_score(OPT_NET, &st) == 500);
	assert_true(opt_score(OPT_ROMAD, &st) == 2.0);
	assert_true(opt_score(OPT_SHARPE, &st) == 1.5);
	assert_true(opt_score(OPT_PROFIT_FACTOR, &st) == 2.0);
	assert_true(opt_score(OPT_EXPECTANCY, &st) == 50);
	st.max_drawdown = 0;
	assert_true(isinf(opt_score(OPT_ROMAD, &st)));
	st.net = 0;
	assert_true(isnan(opt_score(OPT_ROMAD, &st)));
	opt_rank(rows, NULL, 5, order);
	assert_memory_equal(order, want, sizeof want);
	assert_int_equal(opt_objective_parse("romad"), OPT_ROMAD);
	assert_int_equal(opt_objective_parse("profit"), -1);
	assert_string_equal(opt_objective_name(OPT_SHARPE), "sharpe");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, opt_fixture_setup, \
	    opt_fixture_teardown)
		T(test_opt_run_points_are_backtests),
		T(test_opt_run_threads_same_bytes),
		T(test_opt_run_stop),
		T(test_opt_run_constraints),
#undef T
		cmocka_unit_test(test_opt_score_and_rank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
