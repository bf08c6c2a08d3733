/*
 * test-opt-wf.c -- walk-forward analysis (core/opt-wf.h) over the demo's
 * bar cache (opt-fixture.h, January and February 2024): the calendar
 * arithmetic, the windows rolling and anchored, each window's winner the
 * best of its in-sample span and its out-of-sample row a backtest of the
 * winner over the span after, the efficiency as documented, the genetic
 * search finding the same winner, and the refusals.
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

#include "fixture.h"
#include "opt-fixture.h"
#include "opt-wf.h"

static void
test_opt_wf_dates(void **state)
{
	(void)state;
	assert_int_equal(opt_wf_add_months(20240115, 1), 20240201);
	assert_int_equal(opt_wf_add_months(20241120, 3), 20250201);
	assert_int_equal(opt_wf_add_months(20240101, 24), 20260101);
	assert_int_equal(opt_wf_add_days(20240301, -1), 20240229);
	assert_int_equal(opt_wf_add_days(20231231, 1), 20240101);
	assert_int_equal(opt_wf_add_days(20240101, 366), 20250101);
	assert_int_equal(opt_wf_days(20240101, 20250101), 366);
	assert_int_equal(opt_wf_days(20230101, 20240101), 365);
	assert_int_equal(opt_wf_days(19700101, 20000301), 11017);
	for (int32_t d = 19991225, k = 0; k < 800; k++) {
		int32_t	 n = opt_wf_add_days(d, 1);

		assert_int_equal(opt_wf_days(d, n), 1);
		d = n;
	}
}

static void
wf(struct ort *t, const struct opt_wf_cfg *c, struct opt_wf_result *r)
{
	struct errmsg	 err;

	if (opt_wf_run(&t->job, c, 20240102, 20240229, r, &err) == -1)
		fail_msg("%s", err.msg);
}

/* January in sample, February out: the winner and its trading. */
static void
test_opt_wf_window_is_a_search_and_a_trade(void **state)
{
	struct ort		*t = *state;
	struct opt_wf_cfg	 c = { .is_months = 1, .oos_months = 1 };
	struct opt_wf_result	 r;
	struct opt_row		 is[6], oos;
	struct opt_job		 job = t->job;
	int64_t			 order[6];
	struct errmsg		 err;

	wf(t, &c, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.w[0].is_from, 20240101);
	assert_int_equal(r.w[0].is_to, 20240201);
	assert_int_equal(r.w[0].oos_from, 20240201);
	assert_int_equal(r.w[0].oos_to, 20240301);
	assert_int_equal(r.w[0].evaluated, 6);

	job.from_day = 20240101;
	job.to_day = 20240201;
	assert_int_equal(opt_run(&job, is, &err), 6);
	opt_rank(is, NULL, 6, order);
	assert_int_equal(r.w[0].point, order[0]);
	assert_int_equal(r.w[0].is.st.net, is[order[0]].st.net);
	/* In sample is January alone: fewer trades than the whole. */
	job.from_day = job.to_day = 0;
	assert_int_equal(opt_run(&job, is, &err), 6);
	assert_true(r.w[0].is.st.trades < is[order[0]].st.trades);

	job.from_day = 20240201;
	job.to_day = 20240301;
	job.points = &r.w[0].point;
	job.npoints = 1;
	assert_int_equal(opt_run(&job, &oos, &err), 1);
	assert_int_equal(r.w[0].oos.st.net, oos.st.net);
	assert_int_equal(r.w[0].oos.st.trades, oos.st.trades);
	assert_true(oos.st.trades > 0);

	assert_int_equal(r.oos_net, oos.st.net);
	assert_int_equal(r.is_days, 31);
	assert_int_equal(r.oos_days, 29);
	if (r.is_net > 0)
		assert_true(fabs(r.efficiency - ((double)r.oos_net / 29) /
		    ((double)r.is_net / 31)) < 1e-12);
	else
		assert_true(isnan(r.efficiency));
	opt_wf_free(&r);
}

/* The genetic search, as large as the space, finds the same winner. */
static void
test_opt_wf_genetic(void **state)
{
	struct ort		*t = *state;
	struct opt_wf_cfg	 c = { .is_months = 1, .oos_months = 1 };
	struct opt_wf_result	 a, b;

	wf(t, &c, &a);
	c.genetic = true;
	opt_ga_defaults(&c.ga, &t->space);
	c.ga.population = 6;
	c.ga.generations = 20;
	wf(t, &c, &b);
	assert_int_equal(a.w[0].point, b.w[0].point);
	assert_int_equal(a.oos_net, b.oos_net);
	opt_wf_free(&a);
	opt_wf_free(&b);
}

/* Windows by the calendar, rolling and anchored; the refusals. */
static void
test_opt_wf_windows(void **state)
{
	struct ort		*t = *state;
	struct opt_wf_cfg	 c = { .is_months = 2, .oos_months = 1 };
	struct opt_wf_result	 r;
	struct errmsg		 err;

	t->job.min_trades = 1000000;	/* nothing wins: no trading */
	assert_int_equal(opt_wf_run(&t->job, &c, 20240102, 20240615, &r,
	    &err), 0);
	assert_int_equal(r.n, 4);	/* out of sample Mar, Apr, May, Jun */
	assert_int_equal(r.w[3].is_from, 20240401);
	assert_int_equal(r.w[3].oos_from, 20240601);
	assert_int_equal(r.w[3].point, -1);
	assert_int_equal(r.oos_trades, 0);
	assert_true(isnan(r.efficiency));
	opt_wf_free(&r);
	c.anchored = true;
	assert_int_equal(opt_wf_run(&t->job, &c, 20240102, 20240615, &r,
	    &err), 0);
	assert_int_equal(r.w[3].is_from, 20240101);
	assert_int_equal(r.w[3].is_to, 20240601);
	opt_wf_free(&r);

	c.is_months = 3;
	assert_int_equal(opt_wf_run(&t->job, &c, 20240102, 20240229, &r,
	    &err), -1);
	assert_non_null(strstr(err.msg, "no in-sample span of 3 months"));
	c.is_months = 0;
	assert_int_equal(opt_wf_run(&t->job, &c, 20240102, 20240229, &r,
	    &err), -1);
	assert_non_null(strstr(err.msg, "1 to 240"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opt_wf_dates),
#define T(f)	cmocka_unit_test_setup_teardown(f, opt_fixture_setup, \
	    opt_fixture_teardown)
		T(test_opt_wf_window_is_a_search_and_a_trade),
		T(test_opt_wf_genetic),
		T(test_opt_wf_windows),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
