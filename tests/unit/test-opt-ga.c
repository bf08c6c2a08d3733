/*
 * test-opt-ga.c -- the genetic search (core/opt-ga.h) over the demo's
 * bar cache (opt-fixture.h): it finds the grid's best point of a small
 * space, the same points and rows on 1 and 2 threads and from the same
 * seed, other points from another seed, stops early on stagnation and at
 * once when asked, refuses settings out of range, and hands each
 * generation's new points to the caller's evaluator when given one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "opt-fixture.h"
#include "opt-ga.h"

static void
ga(struct ort *t, const struct opt_ga_cfg *c, struct opt_ga_result *r)
{
	struct errmsg	 err;

	if (opt_ga_run(&t->job, c, r, &err) == -1)
		fail_msg("%s", err.msg);
}

static int64_t
best_point(const struct opt_row *rows, const int64_t *points, int64_t n)
{
	int64_t	 order[64];

	assert_true(n <= 64);
	opt_rank(rows, points, n, order);
	return points != NULL ? points[order[0]] : order[0];
}

/* A population as large as the space finds the grid's best. */
static void
test_opt_ga_finds_the_best(void **state)
{
	struct ort		*t = *state;
	struct opt_row		 grid[6];
	struct opt_ga_cfg	 c;
	struct opt_ga_result	 r;
	struct errmsg		 err;

	assert_int_equal(opt_run(&t->job, grid, &err), 6);
	opt_ga_defaults(&c, &t->space);
	c.population = 6;
	c.generations = 20;
	ga(t, &c, &r);
	assert_true(r.n <= 6);
	assert_int_equal(best_point(r.rows, r.points, r.n),
	    best_point(grid, NULL, 6));
	/* A point's row is the grid's. */
	for (int64_t i = 0; i < r.n; i++)
		assert_int_equal(r.rows[i].st.net, grid[r.points[i]].st.net);
	opt_ga_free(&r);
}

static void
test_opt_ga_reproducible(void **state)
{
	struct ort		*t = *state;
	struct opt_ga_cfg	 c;
	struct opt_ga_result	 a, b;

	opt_ga_defaults(&c, &t->space);
	c.population = 4;
	c.generations = 5;
	c.stagnation = 0;
	c.seed = 99;
	ga(t, &c, &a);
	t->job.threads = 2;
	ga(t, &c, &b);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.generations, 5);
	assert_memory_equal(a.points, b.points, (size_t)a.n * sizeof *a.points);
	assert_memory_equal(a.rows, b.rows, (size_t)a.n * sizeof *a.rows);
	opt_ga_free(&b);
	/* Another seed starts elsewhere. */
	c.generations = 1;
	c.seed = 98;
	ga(t, &c, &b);
	assert_true(b.n != a.n || memcmp(a.points, b.points, (size_t)b.n *
	    sizeof *b.points) != 0);
	opt_ga_free(&a);
	opt_ga_free(&b);
}

static void
test_opt_ga_stops(void **state)
{
	struct ort		*t = *state;
	struct opt_ga_cfg	 c;
	struct opt_ga_result	 r;
	volatile sig_atomic_t	 stop = 1;
	struct errmsg		 err;

	opt_ga_defaults(&c, &t->space);
	c.population = 6;
	c.generations = 1000;
	c.stagnation = 3;
	ga(t, &c, &r);
	assert_true(r.stagnated);
	assert_true(r.generations < 1000);
	assert_false(r.stopped);
	opt_ga_free(&r);

	t->job.stop = &stop;
	ga(t, &c, &r);
	assert_true(r.stopped);
	assert_int_equal(r.generations, 0);
	opt_ga_free(&r);

	c.population = 1;
	assert_int_equal(opt_ga_run(&t->job, &c, &r, &err), -1);
	assert_non_null(strstr(err.msg, "population 1"));
	c.population = 4;
	c.elite = 4;
	assert_int_equal(opt_ga_run(&t->job, &c, &r, &err), -1);
	assert_non_null(strstr(err.msg, "elite 4"));
}

/* What an evaluator was given: every point once, a generation at a time. */
struct evals {
	int64_t		 points[64];
	int64_t		 n;
	int		 calls;
};

static int64_t
count_eval(void *arg, const struct opt_job *job, struct opt_row *rows,
    struct errmsg *err)
{
	struct evals	*e = arg;

	e->calls++;
	for (int64_t i = 0; i < job->npoints && e->n < 64; i++)
		e->points[e->n++] = job->points[i];
	return opt_run(job, rows, err);
}

/* The caller's evaluator sees each new point once; the search is the same. */
static void
test_opt_ga_evaluator(void **state)
{
	struct ort		*t = *state;
	struct opt_ga_cfg	 c;
	struct opt_ga_result	 a, b;
	struct evals		 e = { .n = 0 };

	opt_ga_defaults(&c, &t->space);
	c.population = 4;
	c.generations = 5;
	c.stagnation = 0;
	ga(t, &c, &a);
	c.eval = count_eval;
	c.eval_arg = &e;
	ga(t, &c, &b);
	/* A generation of points all met before is not handed over. */
	assert_true(e.calls >= 1 && e.calls <= 5);
	assert_int_equal(e.n, b.n);
	assert_memory_equal(e.points, b.points, (size_t)b.n * sizeof *b.points);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.points, b.points, (size_t)a.n * sizeof *a.points);
	assert_memory_equal(a.rows, b.rows, (size_t)a.n * sizeof *a.rows);
	opt_ga_free(&a);
	opt_ga_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, opt_fixture_setup, \
	    opt_fixture_teardown)
		T(test_opt_ga_finds_the_best),
		T(test_opt_ga_reproducible),
		T(test_opt_ga_stops),
		T(test_opt_ga_evaluator),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
