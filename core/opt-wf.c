/*
 * opt-wf.c -- walk-forward analysis (see opt-wf.h).
 *
 * Owns the result's windows.  Each window runs the search of its
 * in-sample span as the optimiser would (opt_run over the grid, or
 * opt_ga_run), takes its best feasible point, and backtests that point
 * alone over the out-of-sample span.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "opt-wf.h"

int32_t
opt_wf_add_months(int32_t day, int months)
{
	int	 m = day / 100 % 100 - 1 + months, y = day / 10000 + m / 12;

	return y * 10000 + (m % 12 + 1) * 100 + 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
wf_civil(int32_t day)
{
	int64_t	 y = day / 10000, m = day / 100 % 100, d = day % 100;
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
opt_wf_days(int32_t from, int32_t to)
{
	return wf_civil(to) - wf_civil(from);
}

int32_t
opt_wf_add_days(int32_t day, int days)
{
	int64_t	 z = wf_civil(day) + days + 719468;
	int64_t	 era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t	 doe = z - era * 146097;
	int64_t	 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t	 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t	 mp = (5 * doy + 2) / 153;
	int64_t	 d = doy - (153 * mp + 2) / 5 + 1;
	int64_t	 m = mp < 10 ? mp + 3 : mp - 9;
	int64_t	 y = yoe + era * 400 + (m <= 2);

	return (int32_t)(y * 10000 + m * 100 + d);
}

static int
wf_check(const struct opt_wf_cfg *c, struct errmsg *err)
{
	if (c->is_months < 1 || c->is_months > OPT_WF_MONTHS_MAX ||
	    c->oos_months < 1 || c->oos_months > OPT_WF_MONTHS_MAX)
		return errmsg_set(err, "in-sample %d and out-of-sample %d "
		    "months: 1 to %d each", c->is_months, c->oos_months,
		    OPT_WF_MONTHS_MAX);
	return 0;
}

/* The windows' spans, before anything runs. */
static int
wf_windows(const struct opt_wf_cfg *c, int32_t first, int32_t last,
    struct opt_wf_result *r, struct errmsg *err)
{
	int32_t	 start = first / 100 * 100 + 1;

	for (int k = 0; ; k++) {
		struct opt_wf_window	 w = { .point = -1 };
		struct opt_wf_window	*n;

		w.is_from = c->anchored ? start : opt_wf_add_months(start,
		    k * c->oos_months);
		w.is_to = opt_wf_add_months(start, c->is_months +
		    k * c->oos_months);
		w.oos_from = w.is_to;
		w.oos_to = opt_wf_add_months(w.oos_from, c->oos_months);
		if (w.oos_from > last)
			break;
		if (r->n == OPT_WF_WINDOWS_MAX)
			return errmsg_set(err, "more than %d windows",
			    OPT_WF_WINDOWS_MAX);
		if ((n = realloc(r->w, (size_t)(r->n + 1) * sizeof *n)) ==
		    NULL)
			return errmsg_set(err, "out of memory");
		r->w = n;
		r->w[r->n++] = w;
	}
	if (r->n == 0)
		return errmsg_set(err, "the data (%d to %d) hold no in-sample "
		    "span of %d months with any day after it", first, last,
		    c->is_months);
	return 0;
}

/*
 * The in-sample search: the winner's point and row in w; 1 when the
 * search was stopped, -1 on error.
 */
static int
wf_search(const struct opt_job *base, const struct opt_wf_cfg *c,
    struct opt_wf_window *w, struct errmsg *err)
{
	struct opt_job		 job = *base;
	struct opt_ga_result	 g = { 0 };
	struct opt_row		*rows = NULL;
	const int64_t		*points = NULL;
	int64_t			 n, best;
	int			 stopped = 0;

	job.from_day = w->is_from;
	job.to_day = w->is_to;
	job.points = NULL;
	if (c->genetic) {
		if (opt_ga_run(&job, &c->ga, &g, err) == -1)
			return -1;
		rows = g.rows;
		points = g.points;
		n = g.n;
		stopped = g.stopped;
	} else {
		n = job.space->npoints;
		if ((rows = calloc((size_t)n, sizeof *rows)) == NULL)
			return errmsg_set(err, "out of memory");
		if ((best = opt_run(&job, rows, err)) == -1) {
			free(rows);
			return -1;
		}
		stopped = best < n;
	}
	w->evaluated = n;
	best = -1;
	for (int64_t i = 0; i < n; i++) {
		int64_t	 p = points != NULL ? points[i] : i;

		if (rows[i].done && rows[i].feasible && !isnan(rows[i].score) &&
		    (best == -1 || opt_row_cmp(&rows[i], p, &w->is,
		    w->point) < 0)) {
			best = i;
			w->is = rows[i];
			w->point = p;
		}
	}
	if (c->genetic)
		opt_ga_free(&g);
	else
		free(rows);
	return stopped;
}

/* The winner alone over the out-of-sample span. */
static int
wf_trade(const struct opt_job *base, struct opt_wf_window *w,
    struct errmsg *err)
{
	struct opt_job	 job = *base;

	job.from_day = w->oos_from;
	job.to_day = w->oos_to;
	job.points = &w->point;
	job.npoints = 1;
	job.threads = 1;
	switch (opt_run(&job, &w->oos, err)) {
	case -1:
		return -1;
	case 1:
		return 0;
	default:
		return 1;	/* stopped before it began */
	}
}

static void
wf_sum(struct opt_wf_result *r)
{
	for (int i = 0; i < r->n; i++) {
		const struct opt_wf_window	*w = &r->w[i];

		if (w->point == -1 || !w->oos.done)
			continue;
		r->is_net += w->is.st.net;
		r->oos_net += w->oos.st.net;
		r->oos_trades += w->oos.st.trades;
		r->is_days += opt_wf_days(w->is_from, w->is_to);
		r->oos_days += opt_wf_days(w->oos_from, w->oos_to);
	}
	r->efficiency = r->is_net > 0 && r->is_days > 0 && r->oos_days > 0 ?
	    ((double)r->oos_net / (double)r->oos_days) /
	    ((double)r->is_net / (double)r->is_days) : NAN;
}

int
opt_wf_run(const struct opt_job *job, const struct opt_wf_cfg *cfg,
    int32_t first_day, int32_t last_day, struct opt_wf_result *r,
    struct errmsg *err)
{
	int	 rc = 0;

	memset(r, 0, sizeof *r);
	if (wf_check(cfg, err) == -1 ||
	    wf_windows(cfg, first_day, last_day, r, err) == -1) {
		opt_wf_free(r);
		return -1;
	}
	for (int i = 0; i < r->n && rc == 0; i++) {
		if ((rc = wf_search(job, cfg, &r->w[i], err)) == 0 &&
		    r->w[i].point != -1)
			rc = wf_trade(job, &r->w[i], err);
	}
	if (rc == -1) {
		opt_wf_free(r);
		return -1;
	}
	r->stopped = rc == 1;
	wf_sum(r);
	return 0;
}

void
opt_wf_free(struct opt_wf_result *r)
{
	free(r->w);
	memset(r, 0, sizeof *r);
}
