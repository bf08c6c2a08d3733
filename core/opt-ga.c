/*
 * opt-ga.c -- the genetic search (see opt-ga.h).
 *
 * Owns, during a run, the population (as point numbers and as genomes)
 * and the table of points evaluated, which becomes the result.  A genome
 * is the value index of each dimension; its point is their mixed-radix
 * number, as opt_space_point reads it.
 */
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "opt-ga.h"
#include "rng.h"

struct ga {
	const struct opt_job	*job;
	const struct opt_ga_cfg	*cfg;
	const struct opt_space	*s;
	struct rng		 rng;
	struct opt_ga_result	*r;
	int64_t			 cap;
	int64_t			*pop, *next;	/* point numbers */
};

void
opt_ga_defaults(struct opt_ga_cfg *cfg, const struct opt_space *s)
{
	*cfg = (struct opt_ga_cfg){ .population = 40, .generations = 50,
	    .tournament = 3, .elite = 2, .stagnation = 10, .crossover = 0.9,
	    .mutation = 1.0 / (s->ndim > 0 ? s->ndim : 1), .seed = 1 };
}

static int
ga_check(const struct opt_ga_cfg *c, struct errmsg *err)
{
	if (c->population < 2 || c->population > OPT_GA_POP_MAX)
		return errmsg_set(err, "population %d: 2 to %d", c->population,
		    OPT_GA_POP_MAX);
	if (c->generations < 1 || c->generations > OPT_GA_GEN_MAX)
		return errmsg_set(err, "generations %d: 1 to %d",
		    c->generations, OPT_GA_GEN_MAX);
	if (c->tournament < 1 || c->tournament > c->population)
		return errmsg_set(err, "tournament %d: 1 to the population",
		    c->tournament);
	if (c->elite < 0 || c->elite >= c->population)
		return errmsg_set(err, "elite %d: 0 to the population less "
		    "one", c->elite);
	if (c->stagnation < 0 || !(c->crossover >= 0 && c->crossover <= 1) ||
	    !(c->mutation >= 0 && c->mutation <= 1))
		return errmsg_set(err, "stagnation, crossover or mutation out "
		    "of range");
	return 0;
}

/* ------------------------------------------------------------ genomes */

static void
ga_genes(const struct opt_space *s, int64_t point, int *g)
{
	for (int i = s->ndim - 1; i >= 0; i--) {
		g[i] = (int)(point % s->dim[i].nvals);
		point /= s->dim[i].nvals;
	}
}

static int64_t
ga_point(const struct opt_space *s, const int *g)
{
	int64_t	 p = 0;

	for (int i = 0; i < s->ndim; i++)
		p = p * s->dim[i].nvals + g[i];
	return p;
}

/* The row of point p in the table, or NULL before it is evaluated. */
static const struct opt_row *
ga_row(const struct ga *ga, int64_t p)
{
	for (int64_t i = 0; i < ga->r->n; i++)
		if (ga->r->points[i] == p)
			return &ga->r->rows[i];
	return NULL;
}

static int
ga_better(const struct ga *ga, int64_t a, int64_t b)
{
	return opt_row_cmp(ga_row(ga, a), a, ga_row(ga, b), b) < 0;
}

/* The best of cfg->tournament members drawn at random. */
static int64_t
ga_tournament(struct ga *ga)
{
	int64_t	 best = ga->pop[rng_below(&ga->rng,
		    (uint64_t)ga->cfg->population)];

	for (int i = 1; i < ga->cfg->tournament; i++) {
		int64_t	 p = ga->pop[rng_below(&ga->rng,
			    (uint64_t)ga->cfg->population)];

		if (ga_better(ga, p, best))
			best = p;
	}
	return best;
}

/* A child of two tournaments' winners, crossed over and mutated. */
static int64_t
ga_child(struct ga *ga)
{
	const struct opt_space	*s = ga->s;
	int			 a[OPT_MAX_DIMS], b[OPT_MAX_DIMS];
	bool			 cross;

	ga_genes(s, ga_tournament(ga), a);
	ga_genes(s, ga_tournament(ga), b);
	cross = rng_uniform(&ga->rng) < ga->cfg->crossover;
	for (int i = 0; i < s->ndim; i++) {
		int	 n = s->dim[i].nvals;

		if (cross && rng_uniform(&ga->rng) < 0.5)
			a[i] = b[i];
		if (n > 1 && rng_uniform(&ga->rng) < ga->cfg->mutation)
			a[i] = (a[i] + 1 + (int)rng_below(&ga->rng,
			    (uint64_t)n - 1)) % n;
	}
	return ga_point(s, a);
}

/* ------------------------------------------------------------ a generation */

static int
ga_sort_cmp(const void *x, const void *y, void *arg)
{
	const struct ga	*ga = arg;
	int64_t		 a = *(const int64_t *)x, b = *(const int64_t *)y;

	return opt_row_cmp(ga_row(ga, a), a, ga_row(ga, b), b);
}

static int
ga_table_add(struct ga *ga, int64_t n, struct errmsg *err)
{
	int64_t		*p;
	struct opt_row	*r;

	if (ga->r->n + n <= ga->cap)
		return 0;
	ga->cap = (ga->r->n + n) * 2;
	if ((p = realloc(ga->r->points, (size_t)ga->cap * sizeof *p)) == NULL)
		return errmsg_set(err, "out of memory");
	ga->r->points = p;
	if ((r = realloc(ga->r->rows, (size_t)ga->cap * sizeof *r)) == NULL)
		return errmsg_set(err, "out of memory");
	ga->r->rows = r;
	return 0;
}

/* Backtest the population's points not met before; 1 when stopped. */
static int
ga_evaluate(struct ga *ga, struct errmsg *err)
{
	struct opt_job	 job = *ga->job;
	int64_t		 n = 0, first = ga->r->n, done;

	if (ga_table_add(ga, ga->cfg->population, err) == -1)
		return -1;
	for (int i = 0; i < ga->cfg->population; i++) {
		bool	 seen = ga_row(ga, ga->pop[i]) != NULL;

		for (int64_t k = first; k < first + n && !seen; k++)
			seen = ga->r->points[k] == ga->pop[i];
		if (!seen)
			ga->r->points[first + n++] = ga->pop[i];
	}
	job.points = ga->r->points + first;
	job.npoints = n;
	if (n > 0 && (done = ga->cfg->eval != NULL ?
	    ga->cfg->eval(ga->cfg->eval_arg, &job, ga->r->rows + first, err) :
	    opt_run(&job, ga->r->rows + first, err)) == -1)
		return -1;
	ga->r->n += n;
	return n > 0 && done < n;
}

static void
ga_breed(struct ga *ga)
{
	int64_t	*t;
	int	 i;

	qsort_r(ga->pop, (size_t)ga->cfg->population, sizeof *ga->pop,
	    ga_sort_cmp, ga);
	for (i = 0; i < ga->cfg->elite; i++)
		ga->next[i] = ga->pop[i];
	for (; i < ga->cfg->population; i++)
		ga->next[i] = ga_child(ga);
	t = ga->pop;
	ga->pop = ga->next;
	ga->next = t;
}

/* The best point evaluated so far. */
static int64_t
ga_best(const struct ga *ga)
{
	int64_t	 best = 0;

	for (int64_t i = 1; i < ga->r->n; i++)
		if (opt_row_cmp(&ga->r->rows[i], ga->r->points[i],
		    &ga->r->rows[best], ga->r->points[best]) < 0)
			best = i;
	return ga->r->points[best];
}

static int
ga_loop(struct ga *ga, struct errmsg *err)
{
	int64_t	 best = -1, b;
	int	 stale = 0, rc;

	for (int i = 0; i < ga->cfg->population; i++)
		ga->pop[i] = (int64_t)rng_below(&ga->rng,
		    (uint64_t)ga->s->npoints);
	for (int g = 0; g < ga->cfg->generations; g++) {
		if ((rc = ga_evaluate(ga, err)) != 0) {
			ga->r->stopped = rc == 1;
			return rc == 1 ? 0 : -1;
		}
		ga->r->generations = g + 1;
		b = ga_best(ga);
		stale = b == best ? stale + 1 : 0;
		best = b;
		if (ga->cfg->stagnation > 0 && stale >= ga->cfg->stagnation) {
			ga->r->stagnated = true;
			return 0;
		}
		ga_breed(ga);
	}
	return 0;
}

int
opt_ga_run(const struct opt_job *job, const struct opt_ga_cfg *cfg,
    struct opt_ga_result *r, struct errmsg *err)
{
	struct ga	 ga = { .job = job, .cfg = cfg, .s = job->space, .r = r };
	int		 rc = -1;

	memset(r, 0, sizeof *r);
	if (ga_check(cfg, err) == -1)
		return -1;
	ga.pop = calloc((size_t)cfg->population, sizeof *ga.pop);
	ga.next = calloc((size_t)cfg->population, sizeof *ga.next);
	if (ga.pop == NULL || ga.next == NULL)
		errmsg_set(err, "out of memory");
	else {
		rng_seed(&ga.rng, cfg->seed);
		rc = ga_loop(&ga, err);
	}
	free(ga.pop);
	free(ga.next);
	if (rc == -1)
		opt_ga_free(r);
	return rc;
}

void
opt_ga_free(struct opt_ga_result *r)
{
	free(r->points);
	free(r->rows);
	memset(r, 0, sizeof *r);
}
