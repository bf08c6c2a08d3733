/*
 * report-results.c -- the runs an optimisation kept, as text (see
 * report-results.h): a line per run, or one run's best points as the
 * optimiser printed them.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "errmsg.h"
#include "opt-store.h"
#include "portfolio.h"
#include "report-results.h"
#include "stats.h"

struct rr {
	FILE		*out;
	int64_t		 rank;
	int		 ndim;
	int64_t		 run;		/* the one shown */
	bool		 money;		/* its score is money (net, expectancy) */
};

static int
rr_run(void *arg, const struct opt_store_summary *s)
{
	struct rr	*r = arg;
	time_t		 t = (time_t)s->started;
	struct tm	 tm;
	char		 when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	fprintf(r->out, "%4lld  %s  %-8s %-14s %7lld/%-7lld  %s\n",
	    (long long)s->id, when, s->method, s->objective,
	    (long long)s->done, (long long)s->points, s->params);
	return 0;
}

static int
rr_row(void *arg, int64_t point, const char *const *vals,
    const struct opt_row *row)
{
	struct rr	*r = arg;
	char		 net[32], pf[32], sh[32], dd[32], sc[32];

	fprintf(r->out, "%4lld %8lld", (long long)++r->rank, (long long)point);
	for (int d = 0; d < r->ndim; d++)
		fprintf(r->out, " %14s", vals[d]);
	fprintf(r->out, " %7lld %12s %6s %6s %12s %12s%s\n",
	    (long long)row->st.trades, portfolio_format_money(row->st.net, net,
	    sizeof net), stats_ratio(row->st.profit_factor, 2, pf, sizeof pf),
	    stats_ratio(row->st.sharpe, 2, sh, sizeof sh), portfolio_format_money(
	    -row->st.max_drawdown, dd, sizeof dd), r->money &&
	    isfinite(row->score) ? portfolio_format_money((td_cents)row->score,
	    sc, sizeof sc) : stats_ratio(row->score, 2, sc, sizeof sc), row->feasible ?
	    "" : "  (fails a constraint)");
	return 0;
}

/* The run shown: is its objective money? */
static int
rr_objective(void *arg, const struct opt_store_summary *s)
{
	struct rr	*r = arg;

	if (s->id != r->run)
		return 0;
	r->money = strcmp(s->objective, "net") == 0 ||
	    strcmp(s->objective, "expectancy") == 0;
	return 1;
}

static int
rr_best(struct opt_store *st, int64_t run, int64_t top, struct rr *r)
{
	char		 names[OPT_MAX_DIMS][64];
	struct errmsg	 err;

	r->run = run;
	if (opt_store_runs(st, rr_objective, r, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	/* The parameters' names first (no row), then the rows. */
	if (opt_store_rows(st, run, 0, names, &r->ndim, rr_row, r, &err) ==
	    -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_USAGE;
	}
	fprintf(r->out, "run %lld, best first\n%4s %8s", (long long)run,
	    "rank", "point");
	for (int d = 0; d < r->ndim; d++)
		fprintf(r->out, " %14s", strchr(names[d], '.') != NULL ?
		    strchr(names[d], '.') + 1 : names[d]);
	fprintf(r->out, " %7s %12s %6s %6s %12s %12s\n", "trades", "net", "pf",
	    "sharpe", "max dd", "score");
	if (opt_store_rows(st, run, top, names, &r->ndim, rr_row, r, &err) ==
	    -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

int
report_results(const char *path, int64_t run, int64_t top, FILE *out)
{
	struct opt_store	*st;
	struct errmsg		 err;
	struct rr		 r = { .out = out };
	int			 rc = EXIT_OK;

	if (access(path, R_OK) == -1) {
		fprintf(stderr, "tickdesk: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	if ((st = opt_store_open(path, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	if (run != 0)
		rc = rr_best(st, run, top, &r);
	else {
		fprintf(out, "%4s  %-16s  %-8s %-14s %15s  %s\n", "run",
		    "started (UTC)", "method", "objective", "points done",
		    "parameters");
		if (opt_store_runs(st, rr_run, &r, &err) == -1) {
			fprintf(stderr, "tickdesk: %s\n", err.msg);
			rc = EXIT_RUNTIME;
		}
	}
	opt_store_close(st);
	return rc;
}
