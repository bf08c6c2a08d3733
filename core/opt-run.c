/*
 * opt-run.c -- the evaluations of an optimisation (see opt-run.h).
 *
 * Owns, during opt_run only, its worker threads and what they share: the
 * next point to take, the count done and the first error, under one
 * mutex and condition.  Each worker owns the engine, exchange, feed and
 * day figures of the point it evaluates and frees them before the next.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barcache.h"
#include "calendar.h"
#include "errmsg.h"
#include "feed.h"
#include "opt-run.h"

static const char *const opt_objectives[OPT_NOBJECTIVES] = {
	[OPT_NET] = "net",
	[OPT_SHARPE] = "sharpe",
	[OPT_PROFIT_FACTOR] = "profit_factor",
	[OPT_EXPECTANCY] = "expectancy",
	[OPT_ROMAD] = "romad",
};

int
opt_objective_parse(const char *name)
{
	for (int i = 0; i < OPT_NOBJECTIVES; i++)
		if (strcmp(name, opt_objectives[i]) == 0)
			return i;
	return -1;
}

const char *
opt_objective_name(enum opt_objective o)
{
	return (unsigned)o < OPT_NOBJECTIVES ? opt_objectives[o] : "?";
}

double
opt_score(enum opt_objective o, const struct stats *st)
{
	switch (o) {
	case OPT_NET:
		return (double)st->net;
	case OPT_SHARPE:
		return st->sharpe;
	case OPT_PROFIT_FACTOR:
		return st->profit_factor;
	case OPT_EXPECTANCY:
		return (double)st->expectancy;
	case OPT_ROMAD:
		return st->max_drawdown > 0 ? (double)st->net /
		    (double)st->max_drawdown : st->net > 0 ? INFINITY : NAN;
	}
	return NAN;
}

/* ------------------------------------------------------------ one point */

/*
 * The first moment of trading day day or later on cal, among the times
 * from lo to hi (trading days only grow with time, so a search finds
 * it): lo when it is already that day, INT64_MAX when hi is not yet.
 */
static td_ns
or_day_edge(const struct calendar *cal, int32_t day, td_ns lo, td_ns hi)
{
	if (calendar_trading_day(cal, lo) >= day)
		return lo;
	if (calendar_trading_day(cal, hi) < day)
		return INT64_MAX;
	while (hi - lo > 1) {
		td_ns	 mid = lo + (hi - lo) / 2;

		if (calendar_trading_day(cal, mid) >= day)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* The bars of the days asked for: those that start from from to before to. */
struct or_window {
	td_ns		 from, to;
};

/*
 * The days' edges in time on the first instrument's calendar, found once
 * for every point rather than a trading day worked out for every bar.
 */
static int
or_window(const struct opt_job *job, struct or_window *w, struct errmsg *err)
{
	struct calendar	*cal;
	td_ns		 lo = INT64_MAX, hi = INT64_MIN;

	w->from = INT64_MIN;
	w->to = INT64_MAX;
	if (job->from_day == 0 && job->to_day == 0)
		return 0;
	for (int i = 0; i < job->ndata; i++) {
		const struct barcache_info	*in;

		in = barcache_info(job->data[i].cache);
		if (in->bars == 0)
			continue;
		lo = in->first < lo ? in->first : lo;
		hi = in->last > hi ? in->last : hi;
	}
	if (lo > hi)
		return 0;
	if ((cal = calendar_create(&job->base->cal[0], err)) == NULL)
		return -1;
	if (job->from_day != 0)
		w->from = or_day_edge(cal, job->from_day, lo, hi);
	if (job->to_day != 0)
		w->to = or_day_edge(cal, job->to_day, lo, hi);
	calendar_free(cal);
	return 0;
}

static int
or_feed(const struct opt_job *job, const struct or_window *w, struct engine *e,
    struct errmsg *err)
{
	struct feed	*feed;
	struct td_md	 md;
	td_ns		 t;
	int		 rc;

	if ((feed = barcache_feed_borrow(job->data, job->ndata,
	    job->base->ninst, err)) == NULL)
		return -1;
	if (w->from != INT64_MIN)
		barcache_feed_from(feed, w->from);
	while ((rc = feed_next(feed, &md, err)) == 1) {
		t = td_md_start(&md);
		if (t >= w->to) {
			rc = 0;
			break;
		}
		if (t >= w->from && (rc = engine_on_market(e, &md, err)) == -1)
			break;
	}
	if (rc == 0)
		engine_finish(e, engine_now(e));
	feed_free(feed);
	return rc;
}

static void
or_judge(const struct opt_job *job, struct opt_row *row)
{
	row->score = opt_score(job->objective, &row->st);
	row->feasible = row->st.trades >= job->min_trades &&
	    (job->max_drawdown == 0 || row->st.max_drawdown <=
	    job->max_drawdown);
	row->done = true;
}

static int
or_eval(const struct opt_job *job, const struct or_window *w, int64_t idx,
    struct opt_row *row, struct errmsg *err)
{
	struct engine_config	*cfg = malloc(sizeof *cfg);
	struct engine_deps	 deps = { .strategies = job->reg };
	struct stats_days	*days = NULL;
	struct engine		*e = NULL;
	const struct stats_day	*rows;
	int64_t			 vals[OPT_MAX_DIMS];
	size_t			 nrows;
	int			 rc = -1;

	if (cfg == NULL)
		return errmsg_set(err, "out of memory");
	*cfg = *job->base;
	opt_space_point(job->space, idx, vals);
	opt_space_apply(job->space, vals, cfg);
	if ((days = stats_days_create(err)) == NULL ||
	    (deps.venue = venue_sim_create(job->venue, err)) == NULL ||
	    (e = engine_create(cfg, &deps, err)) == NULL)
		goto out;
	deps.venue = NULL;	/* the engine's */
	if (engine_observer_add(e, &STATS_DAYS_OBSERVER(days), err) == -1 ||
	    or_feed(job, w, e, err) == -1)
		goto out;
	if (stats_days_error(days)[0] != '\0') {
		errmsg_set(err, "%s", stats_days_error(days));
		goto out;
	}
	rows = stats_days_rows(days, &nrows);
	stats_compute(&row->st, engine_trades(e), rows, nrows);
	or_judge(job, row);
	rc = 0;
out:
	engine_free(e);
	venue_free(deps.venue);
	stats_days_free(days);
	free(cfg);
	return rc;
}

/* ------------------------------------------------------------ threads */

struct or_shared {
	const struct opt_job	*job;
	struct or_window	 window;
	struct opt_row		*rows;
	int64_t			 npoints;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	int64_t			 next, done;
	int			 running;
	bool			 failed;
	struct errmsg		 err;
};

static bool
or_stopped(const struct or_shared *sh)
{
	return sh->failed || (sh->job->stop != NULL && *sh->job->stop);
}

static void *
or_worker(void *arg)
{
	struct or_shared	*sh = arg;
	struct errmsg		 err;
	int64_t			 idx;
	int			 rc;

	pthread_mutex_lock(&sh->mu);
	while (!or_stopped(sh) && sh->next < sh->npoints) {
		idx = sh->next++;
		pthread_mutex_unlock(&sh->mu);
		rc = or_eval(sh->job, &sh->window, sh->job->points != NULL ?
		    sh->job->points[idx] : idx, &sh->rows[idx], &err);
		pthread_mutex_lock(&sh->mu);
		if (rc == -1 && !sh->failed) {
			sh->failed = true;
			sh->err = err;
		}
		sh->done += rc == 0;
	}
	sh->running--;
	pthread_cond_signal(&sh->cv);
	pthread_mutex_unlock(&sh->mu);
	return NULL;
}

/* Until every worker is out, telling progress about once a second. */
static void
or_wait(struct or_shared *sh)
{
	struct timespec	 until;

	pthread_mutex_lock(&sh->mu);
	while (sh->running > 0) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&sh->cv, &sh->mu, &until);
		if (sh->job->progress != NULL)
			sh->job->progress(sh->job->progress_arg, sh->done,
			    sh->npoints);
	}
	pthread_mutex_unlock(&sh->mu);
}

int64_t
opt_run(const struct opt_job *job, struct opt_row *rows, struct errmsg *err)
{
	struct or_shared	 sh = { .job = job, .rows = rows,
				    .npoints = job->points != NULL ?
				    job->npoints : job->space->npoints };
	pthread_t		 t[OPT_THREADS_MAX];
	int			 n = 0;

	if (job->threads < 1 || job->threads > OPT_THREADS_MAX)
		return errmsg_set(err, "threads %d: 1 to %d", job->threads,
		    OPT_THREADS_MAX);
	if (or_window(job, &sh.window, err) == -1)
		return -1;
	memset(rows, 0, (size_t)sh.npoints * sizeof *rows);
	pthread_mutex_init(&sh.mu, NULL);
	pthread_cond_init(&sh.cv, NULL);
	pthread_mutex_lock(&sh.mu);
	for (; n < job->threads; n++) {
		if (pthread_create(&t[n], NULL, or_worker, &sh) != 0)
			break;
		sh.running++;
	}
	pthread_mutex_unlock(&sh.mu);
	if (n == 0)
		errmsg_set(&sh.err, "no thread could be started");
	else
		or_wait(&sh);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_cond_destroy(&sh.cv);
	pthread_mutex_destroy(&sh.mu);
	if (sh.failed || n == 0) {
		*err = sh.err;
		return -1;
	}
	return sh.done;
}

/* ------------------------------------------------------------ ranking */

static int
or_class(const struct opt_row *r)
{
	if (!r->done)
		return 3;
	if (isnan(r->score))
		return 2;
	return r->feasible ? 0 : 1;
}

int
opt_row_cmp(const struct opt_row *a, int64_t pa, const struct opt_row *b,
    int64_t pb)
{
	int	 ca = or_class(a), cb = or_class(b);

	if (ca != cb)
		return ca - cb;
	if (ca <= 1 && a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return (pa > pb) - (pa < pb);
}

struct or_rank {
	const struct opt_row	*rows;
	const int64_t		*points;
};

static int
or_cmp(const void *a, const void *b, void *arg)
{
	const struct or_rank	*k = arg;
	int64_t			 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return opt_row_cmp(&k->rows[x], k->points ? k->points[x] : x,
	    &k->rows[y], k->points ? k->points[y] : y);
}

void
opt_rank(const struct opt_row *rows, const int64_t *points, int64_t n,
    int64_t *order)
{
	struct or_rank	 k = { rows, points };

	for (int64_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, (size_t)n, sizeof *order, or_cmp, &k);
}
