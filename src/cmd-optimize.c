/*
 * cmd-optimize.c -- `tickdesk optimize`: every point of a grid of strategy
 * parameters (core/opt-space.h) backtested on engines of their own, in
 * threads, over bar caches they share (core/opt-run.h), ranked by an
 * objective under constraints, the best printed and every point written
 * as CSV or JSON.
 *
 * The data are bar caches: a text file gets its cache made next to it
 * first, as `tickdesk data cache` would.  Ctrl-C stops: the points begun
 * finish, the rest are left undone, and what is done is reported.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "barcache.h"
#include "chart-svg.h"
#include "cmd.h"
#include "errmsg.h"
#include "fixed.h"
#include "opt-ga.h"
#include "opt-mpi.h"
#include "opt-run.h"
#include "opt-store.h"
#include "opt-wf.h"
#include "portfolio.h"
#include "settings.h"

#define OC_MAX_DATA	64
#define OC_MAX_PARAMS	OPT_MAX_DIMS

struct oc_opts {
	const char	*config;
	const char	*env;
	char		*data[OC_MAX_DATA];
	int		 ndata;
	const char	*params[OC_MAX_PARAMS];
	int		 nparams;
	int		 nconf;		/* of them from optimize.params */
	int		 objective;
	long long	 min_trades;
	td_cents	 max_drawdown;
	long long	 threads;
	long long	 top;
	const char	*csv;
	const char	*json;
	bool		 genetic;
	int		 method;		/* -1: optimize.method */
	struct opt_ga_cfg ga;		/* 0: the default of the space */
	char		 conf_params[SETTINGS_OPT_PARAMS_MAX];
	bool		 seed_given;
	int		 wf_is, wf_oos;		/* months; 0: no walk-forward */
	bool		 anchored;
	const char	*store;
	const char	*svg;			/* --svg DIR */
	struct opt_mpi	 mpi;			/* the processes of mpirun */
	long long	 resume;		/* 0: a new run */
	char		*argv_params;		/* the --param texts, joined */
};

static volatile sig_atomic_t	 oc_stop;

static void
oc_on_signal(int sig)
{
	(void)sig;
	oc_stop = 1;
}

enum {
	O_ENV = 256, O_DATA, O_PARAM, O_OBJECTIVE, O_MIN_TRADES, O_MAX_DD,
	O_THREADS, O_TOP, O_CSV, O_JSON, O_METHOD, O_POPULATION,
	O_GENERATIONS, O_SEED, O_WALK, O_ANCHORED, O_STORE, O_RESUME, O_SVG,
};

static int
oc_option(struct oc_opts *o, int ch, const char *arg)
{
	long long	 v;
	td_px		 px;
	int		 n = 0;

	switch (ch) {
	case 'c': o->config = arg; return 0;
	case O_ENV: o->env = arg; return 0;
	case O_CSV: o->csv = arg; return 0;
	case O_JSON: o->json = arg; return 0;
	case O_DATA:
		if (o->ndata == OC_MAX_DATA)
			break;
		o->data[o->ndata++] = (char *)arg;
		return 0;
	case O_PARAM:
		if (o->nparams == OC_MAX_PARAMS)
			break;
		o->params[o->nparams++] = arg;
		return 0;
	case O_OBJECTIVE:
		if ((o->objective = opt_objective_parse(arg)) != -1)
			return 0;
		fprintf(stderr, "tickdesk: --objective %s: net, sharpe, "
		    "profit_factor, expectancy or romad\n", arg);
		return -1;
	case O_MIN_TRADES:
		return cmd_number(arg, 0, INT64_MAX, &o->min_trades);
	case O_THREADS:
		return cmd_number(arg, 1, OPT_THREADS_MAX, &o->threads);
	case O_TOP:
		return cmd_number(arg, 1, 1000000, &o->top);
	case O_METHOD:
		o->method = strcmp(arg, "genetic") == 0 ? 1 :
		    strcmp(arg, "grid") == 0 ? 0 : -1;
		if (o->method != -1)
			return 0;
		fprintf(stderr, "tickdesk: --method %s: grid or genetic\n",
		    arg);
		return -1;
	case O_POPULATION:
	case O_GENERATIONS:
		if (cmd_number(arg, 2 - (ch == O_GENERATIONS), ch ==
		    O_POPULATION ? OPT_GA_POP_MAX : OPT_GA_GEN_MAX, &v) == -1)
			return -1;
		*(ch == O_POPULATION ? &o->ga.population :
		    &o->ga.generations) = (int)v;
		return 0;
	case O_WALK:
		if (sscanf(arg, "%d:%d%n", &o->wf_is, &o->wf_oos, &n) == 2 &&
		    arg[n] == '\0' && o->wf_is >= 1 && o->wf_oos >= 1 &&
		    o->wf_is <= OPT_WF_MONTHS_MAX &&
		    o->wf_oos <= OPT_WF_MONTHS_MAX)
			return 0;
		fprintf(stderr, "tickdesk: --walk-forward %s: IN:OUT, months "
		    "in and out of sample, 1 to %d each\n", arg,
		    OPT_WF_MONTHS_MAX);
		return -1;
	case O_ANCHORED:
		o->anchored = true;
		return 0;
	case O_STORE:
		o->store = arg;
		return 0;
	case O_SVG:
		o->svg = arg;
		return 0;
	case O_RESUME:
		return cmd_number(arg, 1, INT64_MAX, &o->resume);
	case O_SEED:
		if (cmd_number(arg, 0, INT64_MAX, &v) == -1)
			return -1;
		o->ga.seed = (uint64_t)v;
		o->seed_given = true;
		return 0;
	case O_MAX_DD:
		if (fixed_parse(arg, strlen(arg), &px) == 0 && px > 0 &&
		    px % 10000000 == 0) {
			o->max_drawdown = px / 10000000;
			return 0;
		}
		fprintf(stderr, "tickdesk: --max-drawdown %s: a positive "
		    "amount of money, at most two decimals\n", arg);
		return -1;
	default:
		return -1;
	}
	fprintf(stderr, "tickdesk: too many --%s\n", ch == O_DATA ? "data" :
	    "param");
	return -1;
}

static int
oc_parse(int argc, char **argv, struct oc_opts *o)
{
	static const struct option longs[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ "data", required_argument, NULL, O_DATA },
		{ "param", required_argument, NULL, O_PARAM },
		{ "objective", required_argument, NULL, O_OBJECTIVE },
		{ "min-trades", required_argument, NULL, O_MIN_TRADES },
		{ "max-drawdown", required_argument, NULL, O_MAX_DD },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "top", required_argument, NULL, O_TOP },
		{ "csv", required_argument, NULL, O_CSV },
		{ "json", required_argument, NULL, O_JSON },
		{ "method", required_argument, NULL, O_METHOD },
		{ "population", required_argument, NULL, O_POPULATION },
		{ "generations", required_argument, NULL, O_GENERATIONS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "walk-forward", required_argument, NULL, O_WALK },
		{ "anchored", no_argument, NULL, O_ANCHORED },
		{ "store", required_argument, NULL, O_STORE },
		{ "resume", required_argument, NULL, O_RESUME },
		{ "svg", required_argument, NULL, O_SVG },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	/* -1 (or 0): not given, the configuration's optimize group says. */
	*o = (struct oc_opts){ .objective = -1, .min_trades = -1,
	    .max_drawdown = -1, .method = -1, .top = 10 };
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longs, NULL)) != -1)
		if (oc_option(o, ch, optarg) == -1)
			return -1;
	if (optind != argc) {
		fprintf(stderr, "tickdesk: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	if (o->anchored && o->wf_is == 0) {
		fprintf(stderr, "tickdesk: --anchored needs --walk-forward\n");
		return -1;
	}
	if (o->ndata == 0) {
		fprintf(stderr, "tickdesk: optimize needs --data\n");
		return -1;
	}
	return 0;
}

/*
 * What the options left out, from the optimize group of the
 * configuration: its parameters when no --param was given, and so on.
 */
static int
oc_defaults(struct oc_opts *o, const struct settings_optimize *c)
{
	long	 cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char	*p;

	if (o->objective == -1)
		o->objective = c->objective;
	if (o->min_trades == -1)
		o->min_trades = c->min_trades;
	if (o->max_drawdown == -1)
		o->max_drawdown = c->max_drawdown;
	if (o->threads == 0)
		o->threads = c->threads != 0 ? c->threads : cpus < 1 ? 1 :
		    cpus < OPT_THREADS_MAX ? cpus : OPT_THREADS_MAX;
	o->genetic = (o->method == -1 ? c->genetic : o->method) == 1;
	if (o->ga.population == 0)
		o->ga.population = (int)c->population;
	if (o->ga.generations == 0)
		o->ga.generations = (int)c->generations;
	if (!o->seed_given) {
		o->ga.seed = (uint64_t)c->seed;
		o->seed_given = true;
	}
	snprintf(o->conf_params, sizeof o->conf_params, "%s", c->params);
	for (p = strtok(o->conf_params, " \t"); p != NULL && o->nparams == 0;
	    p = strtok(NULL, " \t")) {
		if (o->nconf == OC_MAX_PARAMS) {
			fprintf(stderr, "tickdesk: optimize.params: at most %d "
			    "parameters\n", OC_MAX_PARAMS);
			return -1;
		}
		o->params[o->nconf++] = p;
	}
	if (o->nparams == 0)
		o->nparams = o->nconf;
	if (o->nparams == 0) {
		fprintf(stderr, "tickdesk: optimize needs parameters: --param, "
		    "or optimize.params in the configuration\n");
		return -1;
	}
	if ((o->resume != 0 && o->store == NULL) ||
	    (o->store != NULL && o->wf_is != 0)) {
		fprintf(stderr, "tickdesk: --store keeps a grid or genetic run, "
		    "and --resume goes on with one\n");
		return -1;
	}
	if (o->mpi.size > 1 && (o->wf_is != 0 || o->resume != 0)) {
		fprintf(stderr, "tickdesk: under mpirun, optimize shares a grid "
		    "or a genetic search (no walk-forward or --resume)\n");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ data */

/* The cache of one data file: the file itself, its valid cache, or new. */
static struct barcache *
oc_cache(const char *path, const struct reader_opts *ro, struct errmsg *err)
{
	struct barcache	*c;
	struct errmsg	 why;
	char		 name[4096];
	size_t		 n = strlen(path), k = strlen(BARCACHE_SUFFIX);

	if (n > k && strcmp(path + n - k, BARCACHE_SUFFIX) == 0)
		return barcache_open(path, err);
	if ((c = barcache_open_for(path, ro, &why)) != NULL)
		return c;
	if (barcache_name(path, name, sizeof name) == NULL) {
		errmsg_set(err, "%s: name too long", path);
		return NULL;
	}
	fprintf(stderr, "tickdesk: %s: making its bar cache %s%s%s\n", path,
	    name, why.msg[0] != '\0' ? ": " : "", why.msg);
	if (barcache_import(name, &path, 1, ro, NULL, err) == -1)
		return NULL;
	return barcache_open(name, err);
}

static int
oc_open_data(struct oc_opts *o, const struct settings *st,
    struct barcache_src *src, struct errmsg *err)
{
	struct reader_opts	 ro;
	const char		*path;
	size_t			 nbars;

	if (settings_reader_opts(st, NULL, NULL, NULL, false, &ro) == -1)
		return errmsg_set(err, "the data group of the configuration");
	for (int i = 0; i < o->ndata; i++) {
		if (cmd_data_arg(o->data[i], &st->engine, &path,
		    &src[i].inst) == -1)
			return errmsg_set(err, "%s", "");
		ro.instrument = &st->engine.inst[src[i].inst];
		if ((src[i].cache = oc_cache(path, &ro, err)) == NULL)
			return -1;
		if (barcache_info(src[i].cache)->tick_size !=
		    st->engine.inst[src[i].inst].tick_size)
			return errmsg_set(err, "%s: made for another tick size "
			    "than %s has", path,
			    st->engine.inst[src[i].inst].symbol);
		/* Checked whole once, so that no backtest checks it again. */
		if (barcache_bars(src[i].cache, &nbars, err) == NULL)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ output */

static void
oc_progress(void *arg, int64_t done, int64_t total)
{
	const struct timespec	*t0 = arg;
	struct timespec		 now;
	double			 secs, rate;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
	rate = secs > 0 ? (double)done / secs : 0;
	fprintf(stderr, "\roptimize: %lld/%lld points, %.1f a second, %s "
	    "%.0f s   ", (long long)done, (long long)total, rate,
	    oc_stop ? "stopping," : "about",
	    rate > 0 ? (double)(total - done) / rate : 0.0);
}



/*
 * A score as the objective counts it: money for net and expectancy (plain
 * for files: "-1234.50"), else a number.
 */
static const char *
oc_score(enum opt_objective obj, double v, bool plain, char *buf,
    size_t len)
{
	if ((obj != OPT_NET && obj != OPT_EXPECTANCY) || !isfinite(v))
		return stats_ratio(v, 2, buf, len);
	return plain ? stats_money_plain((td_cents)v, buf, len) :
	    portfolio_format_money((td_cents)v, buf, len);
}


/* What a search found: rows[i] is of point points[i] (NULL: point i). */
struct oc_result {
	const struct opt_row	*rows;
	const int64_t		*points;
	int64_t			 n;
	int64_t			*order;		/* best first */
};

static int64_t
oc_point(const struct oc_result *res, int64_t rank)
{
	int64_t	 i = res->order[rank];

	return res->points != NULL ? res->points[i] : i;
}

/* The best points, best first. */
static void
oc_table(const struct opt_space *sp, const struct oc_result *res,
    const struct oc_opts *o)
{
	int64_t	 vals[OPT_MAX_DIMS];
	char	 v[32], net[32], pf[32], sh[32], dd[32], sc[32];

	printf("\n%4s", "rank");
	for (int d = 0; d < sp->ndim; d++)
		printf(" %14s", strchr(sp->dim[d].name, '.') + 1);
	printf(" %7s %12s %6s %6s %12s %10s\n", "trades", "net", "pf",
	    "sharpe", "max dd", opt_objective_name(o->objective));
	for (int64_t i = 0; i < res->n && i < o->top; i++) {
		const struct opt_row	*r = &res->rows[res->order[i]];

		if (!r->done)
			break;
		opt_space_point(sp, oc_point(res, i), vals);
		printf("%4lld", (long long)i + 1);
		for (int d = 0; d < sp->ndim; d++)
			printf(" %14s", opt_space_format(sp, d, vals[d], v,
			    sizeof v));
		printf(" %7lld %12s %6s %6s %12s %10s%s\n",
		    (long long)r->st.trades, portfolio_format_money(r->st.net,
		    net, sizeof net), stats_ratio(r->st.profit_factor, 2, pf,
		    sizeof pf), stats_ratio(r->st.sharpe, 2, sh, sizeof sh),
		    portfolio_format_money(-r->st.max_drawdown, dd, sizeof dd),
		    oc_score(o->objective, r->score, false, sc, sizeof sc),
		    r->feasible ? "" : "  (fails a constraint)");
	}
}

/* A finite number, or null (JSON has no n/a nor inf). */
static const char *
oc_json_num(double v, char *buf, size_t len)
{
	return isfinite(v) ? stats_ratio(v, 2, buf, len) : "null";
}

static void
oc_json_row(FILE *f, const struct opt_space *sp, enum opt_objective obj,
    const struct opt_row *r, int64_t rank, int64_t point)
{
	int64_t	 vals[OPT_MAX_DIMS];
	char	 a[32], b[32], c[32], d[32], e[32];

	opt_space_point(sp, point, vals);
	fprintf(f, "%s\n {\"rank\": %lld, \"point\": %lld, \"params\": {",
	    rank > 1 ? "," : "", (long long)rank, (long long)point);
	for (int k = 0; k < sp->ndim; k++)
		fprintf(f, "%s\"%s\": %s", k ? ", " : "", sp->dim[k].name,
		    opt_space_format(sp, k, vals[k], a, sizeof a));
	fprintf(f, "}, \"trades\": %lld, \"net\": %s, \"profit_factor\": %s, "
	    "\"sharpe\": %s, \"max_drawdown\": %s, \"score\": %s, "
	    "\"feasible\": %s}", (long long)r->st.trades, stats_money_plain(r->st.net,
	    b, sizeof b), oc_json_num(r->st.profit_factor, c, sizeof c),
	    oc_json_num(r->st.sharpe, d, sizeof d), stats_money_plain(
	    r->st.max_drawdown, e, sizeof e), isfinite(r->score) ? oc_score(
	    obj, r->score, true, a, sizeof a) : "null", r->feasible ? "true" :
	    "false");
}

static void
oc_csv_row(FILE *f, const struct opt_space *sp, enum opt_objective obj,
    const struct opt_row *r, int64_t rank, int64_t point)
{
	int64_t	 vals[OPT_MAX_DIMS];
	char	 a[32], b[32], c[32], d[32], e[32];

	opt_space_point(sp, point, vals);
	fprintf(f, "%lld,%lld", (long long)rank, (long long)point);
	for (int k = 0; k < sp->ndim; k++)
		fprintf(f, ",%s", opt_space_format(sp, k, vals[k], a,
		    sizeof a));
	fprintf(f, ",%lld,%s,%s,%s,%s,%s,%d\n", (long long)r->st.trades,
	    stats_money_plain(r->st.net, b, sizeof b), stats_ratio(r->st.profit_factor, 2, c,
	    sizeof c), stats_ratio(r->st.sharpe, 2, d, sizeof d), stats_money_plain(
	    r->st.max_drawdown, e, sizeof e), oc_score(obj, r->score, true,
	    a, sizeof a), r->feasible);
}

/* Every point done, best first, as CSV or JSON. */
static int
oc_write(const char *path, bool json, enum opt_objective obj,
    const struct opt_space *sp, const struct oc_result *res)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "tickdesk: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (json)
		fputs("[", f);
	else {
		fputs("rank,point", f);
		for (int k = 0; k < sp->ndim; k++)
			fprintf(f, ",%s", sp->dim[k].name);
		fputs(",trades,net,profit_factor,sharpe,max_drawdown,score,"
		    "feasible\n", f);
	}
	for (int64_t i = 0; i < res->n && res->rows[res->order[i]].done; i++)
		(json ? oc_json_row : oc_csv_row)(f, sp, obj,
		    &res->rows[res->order[i]], i + 1, oc_point(res, i));
	if (json)
		fputs("\n]\n", f);
	if (fclose(f) != 0) {
		fprintf(stderr, "tickdesk: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ charts */

/* yyyymmdd as "YYYY-MM-DD". */
static const char *
oc_day(int32_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d / 10000, d / 100 % 100,
	    d % 100);
	return buf;
}

/* Midnight UTC of yyyymmdd, as td_ns. */
static td_ns
oc_day_ns(int32_t d)
{
	return opt_wf_days(19700101, d) * 86400 * 1000000000LL;
}

/* The UTC date of t, yyyymmdd. */
static int32_t
oc_utc_day(td_ns t)
{
	time_t		 s = (time_t)(t / 1000000000LL);
	struct tm	 tm;

	gmtime_r(&s, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday;
}


static int
oc_svg_path(const char *dir, const char *name, char *path, size_t len)
{
	if (cmd_svg_dir(dir) == -1)
		return -1;
	if ((size_t)snprintf(path, len, "%s/%s.svg", dir, name) >= len) {
		fprintf(stderr, "tickdesk: --svg %s: name too long\n", dir);
		return -1;
	}
	return 0;
}

/* The value labels of dimension d, for the heat map's axis. */
static char **
oc_ticks(const struct opt_space *sp, int d)
{
	char	**t = calloc((size_t)sp->dim[d].nvals, sizeof *t);

	for (int i = 0; t != NULL && i < sp->dim[d].nvals; i++) {
		if ((t[i] = malloc(32)) == NULL)
			return t;	/* the caller frees what is there */
		opt_space_format(sp, d, sp->dim[d].vals[i], t[i], 32);
	}
	return t;
}

/*
 * The first two parameters' grid, each cell the best score of the points
 * with those two values (over the other parameters): feasible points only.
 */
static void
oc_heat_cells(const struct opt_space *sp, const struct oc_result *res,
    double *v)
{
	int	 nx = sp->dim[0].nvals, ny = sp->dim[1].nvals;
	int64_t	 rest = sp->npoints / nx / ny;

	for (int i = 0; i < nx * ny; i++)
		v[i] = NAN;
	for (int64_t i = 0; i < res->n; i++) {
		const struct opt_row	*r = &res->rows[i];
		int64_t			 p = res->points ? res->points[i] : i;
		int			 x = (int)(p / rest / ny), y;
		double			*c;

		if (!r->done || !r->feasible || !isfinite(r->score))
			continue;
		y = (int)(p / rest % ny);
		c = &v[(ny - 1 - y) * nx + x];
		if (isnan(*c) || r->score > *c)
			*c = r->score;
	}
}

/* DIR/optimize-heat.svg, for a space of two parameters or more. */
static int
oc_heat(const struct oc_opts *o, const struct opt_space *sp,
    const struct oc_result *res)
{
	int		 nx = sp->dim[0].nvals, ny = sp->dim[1].nvals, rc = -1;
	double		*v = calloc((size_t)nx * (size_t)ny, sizeof *v);
	char		**xt = oc_ticks(sp, 0), **yt = oc_ticks(sp, 1);
	char		**ytr = calloc((size_t)ny, sizeof *ytr);
	char		 path[4096], title[256];
	struct errmsg	 err;
	bool		 money = o->objective == OPT_NET ||
			    o->objective == OPT_EXPECTANCY;

	if (v == NULL || xt == NULL || yt == NULL || ytr == NULL)
		fprintf(stderr, "tickdesk: out of memory\n");
	else if (nx > CHART_GRID_MAX || ny > CHART_GRID_MAX)
		fprintf(stderr, "tickdesk: --svg: a heat map takes at most %d "
		    "values a side\n", CHART_GRID_MAX);
	else if (oc_svg_path(o->svg, "optimize-heat", path, sizeof path) == 0) {
		oc_heat_cells(sp, res, v);
		for (int i = 0; i < nx * ny && money; i++)
			v[i] /= 100;
		for (int y = 0; y < ny; y++)
			ytr[y] = yt[ny - 1 - y];
		snprintf(title, sizeof title, "%s by %s and %s%s",
		    opt_objective_name(o->objective), sp->dim[0].name,
		    sp->dim[1].name, sp->ndim > 2 ? ", the best of the others" :
		    "");
		rc = chart_heat_save(path, &(struct chart_heat){ .title = title,
		    .xlabel = sp->dim[0].name, .ylabel = sp->dim[1].name,
		    .vlabel = opt_objective_name(o->objective), .nx = nx,
		    .ny = ny, .xtick = (const char *const *)xt,
		    .ytick = (const char *const *)ytr, .v = v, .decimals = 2 },
		    &err);
		if (rc == -1)
			fprintf(stderr, "tickdesk: %s\n", err.msg);
	}
	for (int i = 0; i < nx && xt != NULL; i++)
		free(xt[i]);
	for (int i = 0; i < ny && yt != NULL; i++)
		free(yt[i]);
	free(xt);
	free(yt);
	free(ytr);
	free(v);
	return rc;
}

/* DIR/walk-forward.svg: the out-of-sample net, window after window. */
static int
oc_wf_chart(const char *dir, const struct opt_wf_result *r)
{
	int64_t		*x = calloc((size_t)r->n + 1, sizeof *x);
	int64_t		*y = calloc((size_t)r->n + 1, sizeof *y);
	char		 path[4096];
	struct errmsg	 err;
	int		 rc = -1;

	if (x == NULL || y == NULL)
		fprintf(stderr, "tickdesk: out of memory\n");
	else if (oc_svg_path(dir, "walk-forward", path, sizeof path) == 0) {
		x[0] = oc_day_ns(r->w[0].oos_from);
		for (int i = 0; i < r->n; i++) {
			x[i + 1] = oc_day_ns(r->w[i].oos_to);
			y[i + 1] = y[i] + (r->w[i].point != -1 &&
			    r->w[i].oos.done ? r->w[i].oos.st.net : 0);
		}
		rc = chart_line_save(path, &(struct chart_line){
		    .title = "walk-forward: out-of-sample net, window after "
		    "window", .xlabel = "end of each window (UTC)",
		    .ylabel = "net P&L", .xunit = CHART_TIME,
		    .series = &(struct chart_series){ .x = x, .y = y,
		    .n = (size_t)r->n + 1 }, .nseries = 1 }, &err);
		if (rc == -1)
			fprintf(stderr, "tickdesk: %s\n", err.msg);
	}
	free(x);
	free(y);
	return rc;
}

/* ------------------------------------------------------------ command */

static int
oc_report(const struct oc_opts *o, const struct opt_space *sp,
    struct oc_result *res, const char *how)
{
	char	 dd[32];
	int	 rc = EXIT_OK;

	if ((res->order = malloc((size_t)(res->n > 0 ? res->n : 1) *
	    sizeof *res->order)) == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		return EXIT_RUNTIME;
	}
	opt_rank(res->rows, res->points, res->n, res->order);
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);	/* after the progress line */
	printf("tickdesk optimize: %s, objective %s, at least %lld trades", how,
	    opt_objective_name(o->objective), o->min_trades);
	if (o->max_drawdown > 0)
		printf(", drawdown at most %s", stats_money_plain(o->max_drawdown, dd,
		    sizeof dd));
	printf("\n");
	oc_table(sp, res, o);
	if ((o->csv != NULL && oc_write(o->csv, false, o->objective, sp,
	    res) == -1) || (o->json != NULL && oc_write(o->json, true,
	    o->objective, sp, res) == -1) || (o->svg != NULL &&
	    sp->ndim >= 2 && oc_heat(o, sp, res) == -1))
		rc = EXIT_RUNTIME;
	free(res->order);
	return rc;
}

/* The genetic search's settings, as a stored run keeps them. */
static void
oc_ga_search(const struct opt_ga_cfg *c, char *buf, size_t len)
{
	snprintf(buf, len, "population %d, generations %d, tournament %d, "
	    "elite %d, crossover %g, mutation %g, stagnation %d, seed %llu",
	    c->population, c->generations, c->tournament, c->elite,
	    c->crossover, c->mutation, c->stagnation,
	    (unsigned long long)c->seed);
}

/* --store: the file, the run the results go to, and what the run is. */
struct oc_keep {
	struct opt_store	*st;
	int64_t			 run;
	struct opt_store_run	 info;
	char			*config;
	size_t			 config_len;
	char			 data[2048];
	char			 params[2048];
	char			 search[200];
};

/* What the run is: its method, parameters, data and configuration. */
static int
oc_keep_info(const struct oc_opts *o, const struct settings *st,
    const struct opt_job *job, struct oc_keep *k)
{
	FILE	*f = open_memstream(&k->config, &k->config_len);
	size_t	 at = 0;

	if (f == NULL || settings_print(f, st) == -1 || fclose(f) != 0) {
		fprintf(stderr, "tickdesk: the configuration as text: %s\n",
		    strerror(errno));
		return -1;
	}
	for (int i = 0; i < o->nparams; i++)
		at += (size_t)snprintf(k->params + at, sizeof k->params - at,
		    "%s%s", i ? " " : "", o->params[i]);
	at = 0;
	for (int i = 0; i < job->ndata; i++) {
		const struct barcache_info *in = barcache_info(
		    job->data[i].cache);

		at += (size_t)snprintf(k->data + at, sizeof k->data - at,
		    "%s%s=%s bars %lld from %lld to %lld, source size %lld "
		    "mtime %lld", i ? "; " : "",
		    st->engine.inst[job->data[i].inst].symbol,
		    barcache_path(job->data[i].cache), (long long)in->bars,
		    (long long)in->first, (long long)in->last,
		    (long long)in->src_size, (long long)in->src_mtime);
	}
	if (o->genetic)
		oc_ga_search(&o->ga, k->search, sizeof k->search);
	k->info = (struct opt_store_run){ .method = o->genetic ? "genetic" :
	    "grid", .search = k->search,
	    .objective = opt_objective_name(o->objective),
	    .min_trades = o->min_trades, .max_drawdown = o->max_drawdown,
	    .params = k->params, .data = k->data, .config = k->config };
	return 0;
}

static int
oc_keep_open(const struct oc_opts *o, const struct settings *st,
    const struct opt_job *job, struct oc_keep *k)
{
	struct errmsg	 err;

	if (oc_keep_info(o, st, job, k) == -1)
		return -1;
	if ((k->st = opt_store_open(o->store, &err)) == NULL ||
	    (o->resume == 0 && opt_store_begin(k->st, &k->info, job->space,
	    &k->run, &err) == -1)) {
		fprintf(stderr, "tickdesk: --store: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static void
oc_keep_close(struct oc_keep *k)
{
	opt_store_close(k->st);
	free(k->config);
}

/* The rows of a resumed run's points done; -1 after saying why. */
static int64_t
oc_resume(const struct oc_opts *o, struct oc_keep *k,
    const struct opt_space *sp, struct opt_row *rows)
{
	struct errmsg	 err;
	int64_t		 n;

	if (k == NULL || o->resume == 0)
		return 0;
	k->run = o->resume;
	if ((n = opt_store_load(k->st, k->run, &k->info, sp, rows,
	    &err)) == -1)
		fprintf(stderr, "tickdesk: --resume %lld: %s\n", o->resume,
		    err.msg);
	return n;
}

/* Every point of the space. */
static int
oc_grid(const struct oc_opts *o, const struct opt_job *job,
    struct oc_keep *k)
{
	const struct opt_space	*sp = job->space;
	struct opt_row		*rows = calloc((size_t)sp->npoints,
				    sizeof *rows);
	struct oc_result	 res = { .rows = rows, .n = sp->npoints };
	struct errmsg		 err;
	char			 how[128];
	int64_t			 done, kept;
	int			 rc = EXIT_RUNTIME;

	if (rows == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		return EXIT_RUNTIME;
	}
	if ((kept = oc_resume(o, k, sp, rows)) == -1)
		goto out;
	if ((done = opt_mpi_grid(&o->mpi, job, rows, &err)) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	if (o->mpi.rank != 0) {
		rc = EXIT_OK;		/* rank 0 reports */
		goto out;
	}
	if ((k != NULL &&
	    opt_store_put(k->st, k->run, sp, rows, NULL, sp->npoints,
	    &err) == -1)) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	done += kept;
	snprintf(how, sizeof how, "grid, %lld of %lld points", (long long)done,
	    (long long)sp->npoints);
	if (k != NULL)
		snprintf(how + strlen(how), sizeof how - strlen(how), ", run "
		    "%lld%s", (long long)k->run, kept > 0 ? " resumed" : "");
	rc = oc_report(o, sp, &res, how);
	if (done < sp->npoints) {
		fprintf(stderr, "tickdesk: stopped: %lld of %lld points done"
		    "%s\n", (long long)done, (long long)sp->npoints, k != NULL ?
		    " (--resume goes on)" : "");
		rc = EXIT_RUNTIME;
	}
out:
	free(rows);
	return rc;
}

/*
 * A genetic search's evaluations: the rows a resumed run has stored, the
 * others shared among the processes of an mpirun; each generation's new
 * rows stored as they come, so that a stopped search keeps them.
 */
struct oc_ga_eval {
	const struct oc_opts	*o;
	struct oc_keep		*k;		/* NULL: not stored */
	int64_t			*known;		/* stored points, ascending */
	struct opt_row		*rows;		/* and their rows */
	int64_t			 nknown, cap;
	bool			 nomem;
	int64_t			 resumed;	/* rows taken from the store */
};

static void
oc_ga_known_add(void *arg, int64_t point, const struct opt_row *r)
{
	struct oc_ga_eval	*g = arg;
	int64_t			*p;
	struct opt_row		*rw;

	if (g->nomem)
		return;
	if (g->nknown == g->cap) {
		g->cap = g->cap == 0 ? 256 : g->cap * 2;
		if ((p = realloc(g->known, (size_t)g->cap * sizeof *p)) ==
		    NULL || (g->known = p, (rw = realloc(g->rows,
		    (size_t)g->cap * sizeof *rw)) == NULL)) {
			g->nomem = true;
			return;
		}
		g->rows = rw;
	}
	g->known[g->nknown] = point;
	g->rows[g->nknown++] = *r;
}

static const struct opt_row *
oc_ga_known(const struct oc_ga_eval *g, int64_t point)
{
	int64_t	 lo = 0, hi = g->nknown;

	while (lo < hi) {
		int64_t	 mid = lo + (hi - lo) / 2;

		if (g->known[mid] < point)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->nknown && g->known[lo] == point ? &g->rows[lo] : NULL;
}

static int64_t
oc_ga_eval(void *arg, const struct opt_job *job, struct opt_row *rows,
    struct errmsg *err)
{
	struct oc_ga_eval	*g = arg;
	struct opt_job		 sub = *job;
	const struct opt_row	*r;
	int64_t			*pts = malloc((size_t)job->npoints *
				    sizeof *pts);
	struct opt_row		*part = calloc((size_t)job->npoints,
				    sizeof *part);
	int64_t			 n = 0, done = -1;

	if (pts == NULL || part == NULL) {
		errmsg_set(err, "out of memory");
		goto out;
	}
	for (int64_t i = 0; i < job->npoints; i++)
		if (oc_ga_known(g, job->points[i]) == NULL)
			pts[n++] = job->points[i];
	sub.points = pts;
	sub.npoints = n;
	if ((done = n > 0 ? opt_mpi_points(&g->o->mpi, &sub, part, err) :
	    0) == -1 || (g->k != NULL && opt_store_put(g->k->st, g->k->run,
	    job->space, part, pts, n, err) == -1)) {
		done = -1;
		goto out;
	}
	for (int64_t i = 0, k = 0; i < job->npoints; i++) {
		if ((r = oc_ga_known(g, job->points[i])) == NULL)
			rows[i] = part[k++];
		else {
			rows[i] = *r;
			g->resumed++;
		}
	}
	done += job->npoints - n;
out:
	free(pts);
	free(part);
	return done;
}

/* The genetic search. */
static int
oc_genetic(const struct oc_opts *o, const struct opt_job *job,
    struct oc_keep *k)
{
	struct oc_ga_eval	 g = { .o = o, .k = k };
	struct opt_ga_cfg	 c = o->ga;
	struct opt_ga_result	 r;
	struct oc_result	 res;
	struct errmsg		 err;
	char			 how[200];
	int			 rc;

	c.eval = oc_ga_eval;
	c.eval_arg = &g;
	if (k != NULL && o->resume != 0 && (k->run = o->resume,
	    opt_store_each(k->st, k->run, &k->info, job->space,
	    oc_ga_known_add, &g, &err) == -1)) {
		fprintf(stderr, "tickdesk: --resume %lld: %s\n", o->resume,
		    err.msg);
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (g.nomem) {
		fprintf(stderr, "tickdesk: out of memory\n");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (opt_ga_run(job, &c, &r, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		rc = EXIT_RUNTIME;
		goto out;
	}
	res = (struct oc_result){ .rows = r.rows, .points = r.points,
	    .n = r.n };
	snprintf(how, sizeof how, "genetic, %d generation%s%s, %lld of %lld "
	    "points", r.generations, r.generations == 1 ? "" : "s",
	    r.stagnated ? " (no better point in the last ones)" : "",
	    (long long)r.n, (long long)job->space->npoints);
	if (k != NULL)
		snprintf(how + strlen(how), sizeof how - strlen(how), ", run "
		    "%lld%s", (long long)k->run, g.resumed > 0 ? " resumed" :
		    "");
	rc = o->mpi.rank == 0 ? oc_report(o, job->space, &res, how) : EXIT_OK;
	if (r.stopped && o->mpi.rank == 0) {
		fprintf(stderr, "tickdesk: stopped after %d generations%s\n",
		    r.generations, k != NULL ? " (--resume goes on)" : "");
		rc = EXIT_RUNTIME;
	}
	opt_ga_free(&r);
out:
	free(g.known);
	free(g.rows);
	return rc;
}

static void
oc_wf_window(const struct opt_space *sp, const struct opt_wf_window *w,
    int i, FILE *csv)
{
	int64_t	 vals[OPT_MAX_DIMS];
	char	 a[16], b[16], c[16], d[16], v[32], is[32], oos[32];

	printf("%6d  %s..%s  %s..%s", i + 1, oc_day(w->is_from, a, sizeof a),
	    oc_day(opt_wf_add_days(w->is_to, -1), b, sizeof b),
	    oc_day(w->oos_from, c, sizeof c),
	    oc_day(opt_wf_add_days(w->oos_to, -1), d, sizeof d));
	if (csv != NULL)
		fprintf(csv, "%d,%s,%s,%s,%s", i + 1, a, b, c, d);
	if (w->point == -1) {
		printf("  no point meets the constraints\n");
		if (csv != NULL)
			fputs(",,,,,\n", csv);
		return;
	}
	opt_space_point(sp, w->point, vals);
	for (int k = 0; k < sp->ndim; k++) {
		opt_space_format(sp, k, vals[k], v, sizeof v);
		printf(" %12s", v);
		if (csv != NULL)
			fprintf(csv, ",%s", v);
	}
	printf(" %12s %7lld %12s\n", portfolio_format_money(w->is.st.net, is,
	    sizeof is), (long long)w->oos.st.trades, portfolio_format_money(
	    w->oos.st.net, oos, sizeof oos));
	if (csv != NULL)
		fprintf(csv, ",%s,%lld,%s\n", stats_money_plain(w->is.st.net, is,
		    sizeof is), (long long)w->oos.st.trades, stats_money_plain(
		    w->oos.st.net, oos, sizeof oos));
}

/* Each parameter's most chosen value, in how many windows, of how many. */
static void
oc_wf_stability(const struct opt_space *sp, const struct opt_wf_result *r)
{
	int64_t	 vals[OPT_MAX_DIMS];
	char	 v[32];

	printf("parameter stability:");
	for (int k = 0; k < sp->ndim; k++) {
		const struct opt_dim	*d = &sp->dim[k];
		int			*n = calloc((size_t)d->nvals, sizeof *n);
		int			 best = 0, distinct = 0;

		if (n == NULL)
			return;
		for (int i = 0; i < r->n; i++) {
			if (r->w[i].point == -1)
				continue;
			opt_space_point(sp, r->w[i].point, vals);
			for (int j = 0; j < d->nvals; j++)
				n[j] += d->vals[j] == vals[k];
		}
		for (int j = 0; j < d->nvals; j++) {
			distinct += n[j] > 0;
			if (n[j] > n[best])
				best = j;
		}
		printf("%s %s %s in %d window%s, %d value%s", k ? ";" : "",
		    strchr(d->name, '.') + 1, opt_space_format(sp, k,
		    d->vals[best], v, sizeof v), n[best], n[best] == 1 ? "" :
		    "s", distinct, distinct == 1 ? "" : "s");
		free(n);
	}
	printf("\n");
}

static int
oc_wf_report(const struct oc_opts *o, const struct opt_space *sp,
    const struct opt_wf_result *r)
{
	FILE	*csv = NULL;
	char	 a[32], b[32];

	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);	/* after the progress line */
	printf("tickdesk optimize: walk-forward, %s, %d months in sample, %d "
	    "out, %d windows, %s of %lld points, objective %s, at least %lld "
	    "trades\n\n%6s  %-22s  %-22s", o->anchored ? "anchored" :
	    "rolling", o->wf_is, o->wf_oos, r->n, o->genetic ? "genetic" :
	    "grid", (long long)sp->npoints, opt_objective_name(o->objective),
	    o->min_trades, "window", "in sample", "out of sample");
	for (int k = 0; k < sp->ndim; k++)
		printf(" %12.12s", strchr(sp->dim[k].name, '.') + 1);
	printf(" %12s %7s %12s\n", "IS net", "trades", "OOS net");
	if (o->csv != NULL && (csv = fopen(o->csv, "w")) == NULL) {
		fprintf(stderr, "tickdesk: %s: %s\n", o->csv, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (csv != NULL) {
		fputs("window,is_from,is_to,oos_from,oos_to", csv);
		for (int k = 0; k < sp->ndim; k++)
			fprintf(csv, ",%s", sp->dim[k].name);
		fputs(",is_net,oos_trades,oos_net\n", csv);
	}
	for (int i = 0; i < r->n; i++)
		oc_wf_window(sp, &r->w[i], i, csv);
	printf("\nout of sample: %lld trades, net %s (in sample %s); "
	    "walk-forward efficiency %s\n", (long long)r->oos_trades,
	    portfolio_format_money(r->oos_net, a, sizeof a),
	    portfolio_format_money(r->is_net, b, sizeof b),
	    stats_ratio(r->efficiency, 2, a + 16, 16));
	oc_wf_stability(sp, r);
	if (o->svg != NULL && oc_wf_chart(o->svg, r) == -1)
		return EXIT_RUNTIME;
	if (csv != NULL && fclose(csv) != 0) {
		fprintf(stderr, "tickdesk: %s: %s\n", o->csv, strerror(errno));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static int
oc_walk(const struct oc_opts *o, const struct opt_job *job)
{
	struct opt_wf_cfg	 c = { .is_months = o->wf_is,
				    .oos_months = o->wf_oos,
				    .anchored = o->anchored,
				    .genetic = o->genetic, .ga = o->ga };
	struct opt_wf_result	 r;
	struct errmsg		 err;
	td_ns			 first = INT64_MAX, last = 0;
	int			 rc;

	for (int i = 0; i < job->ndata; i++) {
		const struct barcache_info *in = barcache_info(job->data[i].cache);

		first = in->first < first ? in->first : first;
		last = in->last > last ? in->last : last;
	}
	if (opt_wf_run(job, &c, oc_utc_day(first), oc_utc_day(last), &r,
	    &err) == -1) {
		fprintf(stderr, "tickdesk: --walk-forward: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	rc = oc_wf_report(o, job->space, &r);
	if (r.stopped) {
		fprintf(stderr, "tickdesk: stopped: the windows after the "
		    "last shown were not run\n");
		rc = EXIT_RUNTIME;
	}
	opt_wf_free(&r);
	return rc;
}

static int
oc_run(struct oc_opts *o, struct settings *st, struct opt_space *sp,
    struct barcache_src *src)
{
	struct timespec		 t0;
	struct opt_job		 job = {
		.base = &st->engine, .venue = &st->venue,
		.reg = st->strategies, .space = sp, .data = src,
		.ndata = o->ndata, .objective = o->objective,
		.min_trades = o->min_trades, .max_drawdown = o->max_drawdown,
		.threads = (int)o->threads, .stop = &oc_stop,
		.progress = isatty(STDERR_FILENO) && o->mpi.rank == 0 ?
		    oc_progress : NULL,
		.progress_arg = &t0,
	};
	struct sigaction	 sa = { .sa_handler = oc_on_signal }, old;
	struct oc_keep		 keep = { 0 }, *k = NULL;
	int			 rc = EXIT_RUNTIME;

	if (o->store != NULL && o->mpi.rank == 0) {
		k = &keep;
		if (oc_keep_open(o, st, &job, k) == -1)
			goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigaction(SIGINT, &sa, &old);
	if (o->wf_is > 0)
		rc = oc_walk(o, &job);
	else if (o->genetic)
		rc = oc_genetic(o, &job, k);
	else
		rc = oc_grid(o, &job, k);
	sigaction(SIGINT, &old, NULL);
out:
	oc_keep_close(&keep);
	return rc;
}

/* The genetic search's settings: the space's defaults, and the options. */
static void
oc_ga_settings(struct oc_opts *o, const struct opt_space *sp)
{
	struct opt_ga_cfg	 c;

	opt_ga_defaults(&c, sp);
	if (o->ga.population != 0)
		c.population = o->ga.population;
	if (o->ga.generations != 0)
		c.generations = o->ga.generations;
	if (o->seed_given)
		c.seed = o->ga.seed;
	if (c.tournament > c.population)
		c.tournament = c.population;
	if (c.elite >= c.population)
		c.elite = c.population - 1;
	o->ga = c;
}

static int
cmd_optimize_exec(int argc, char **argv)
{
	struct oc_opts		 o;
	struct settings		*st = calloc(1, sizeof *st);
	struct strat_registry	*reg = NULL;
	struct barcache_src	 src[OC_MAX_DATA] = { { 0 } };
	struct opt_space	 sp;
	struct opt_mpi		 mpi;
	struct errmsg		 err;
	char			 errors[8192], cfg[SETTINGS_SOURCE_MAX];
	int			 rc = EXIT_USAGE;

	opt_space_init(&sp);
	if (opt_mpi_init(&mpi, &argc, &argv, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		free(st);
		return EXIT_RUNTIME;
	}
	if (st == NULL || oc_parse(argc, argv, &o) == -1) {
		opt_mpi_finish(&mpi);
		free(st);
		return cmd_usage(&cmd_optimize_entry);
	}
	o.mpi = mpi;
	if (settings_load_env(settings_path(o.config, cfg, sizeof cfg),
	    settings_env(o.env), st, errors, sizeof errors) == -1) {
		fputs(errors, stderr);
		goto out;
	}
	st->engine.unattended = true;
	st->engine.health.latency = false;
	st->engine.log = NULL;
	if (oc_defaults(&o, &st->optimize) == -1)
		goto out;
	if ((reg = settings_strategies(st, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	for (int i = 0; i < o.nparams; i++) {
		if (opt_space_add(&sp, &st->engine, reg, o.params[i],
		    &err) == -1) {
			fprintf(stderr, "tickdesk: %s %s\n", o.nconf > 0 ?
			    "optimize.params:" : "--param", err.msg);
			goto out;
		}
	}
	oc_ga_settings(&o, &sp);
	if (oc_open_data(&o, st, src, &err) == -1) {
		if (err.msg[0] != '\0')
			fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	rc = oc_run(&o, st, &sp, src);
out:
	for (int i = 0; i < o.ndata; i++)
		barcache_close(src[i].cache);
	opt_space_free(&sp);
	strat_registry_free(reg);
	free(st);
	opt_mpi_finish(&o.mpi);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_optimize_options[] = {
	{ "-c, --config CONFIG",
	    "the configuration file (else $TICKDESK_CONFIG, else "
	    "conf/tickdesk.cfg)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ "--data [SYMBOL=]FILE",
	    "a data file (or bar cache) for SYMBOL (the first "
	    "instrument); again for more" },
	{ "--param [STRATEGY.]PARAM=VALUES",
	    "a parameter to search and its values: A:B:STEP, A:B*FACTOR "
	    "or A,B,C; again for more (at most 8)" },
	{ "--objective NAME",
	    "rank by net (the default), sharpe, profit_factor, "
	    "expectancy or romad" },
	{ "--min-trades N",
	    "a point needs N trades to meet the constraints (1)" },
	{ "--max-drawdown MONEY",
	    "a point with a deeper drawdown fails the constraints" },
	{ "--threads N",
	    "how many threads backtest points (the machine's "
	    "processors)" },
	{ "--top N",
	    "how many of the best points to print (10)" },
	{ "--csv FILE",
	    "write every point, in rank order, as CSV to FILE" },
	{ "--json FILE",
	    "write every point, in rank order, as JSON to FILE" },
	{ "--method grid|genetic",
	    "backtest every point (grid, the default) or search by a "
	    "genetic algorithm" },
	{ "--population N",
	    "the genetic search's points per generation (40)" },
	{ "--generations N",
	    "the genetic search's generations at most (50)" },
	{ "--seed N",
	    "the genetic search's seed (1)" },
	{ "--walk-forward IN:OUT",
	    "search IN months and trade the best point the OUT months "
	    "after, window after window" },
	{ "--anchored",
	    "walk forward from the first start, growing the in-sample "
	    "span" },
	{ "--store FILE",
	    "keep the run and every point done in the SQLite file FILE" },
	{ "--resume RUN",
	    "go on with the stopped run RUN of the --store file" },
	{ "--svg DIR",
	    "also draw a heat map of the objective (and the "
	    "walk-forward equity) as SVG in DIR" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_optimize_entry = {
	.name = "optimize",
	.usage = "[-c CONFIG] [--env NAME] --data [SYMBOL=]FILE... "
	    "--param [STRATEGY.]PARAM=VALUES... [--objective NAME] "
	    "[--min-trades N] [--max-drawdown MONEY] [--threads N] [--top N] "
	    "[--csv FILE] [--json FILE] [--method grid|genetic] "
	    "[--population N] [--generations N] [--seed N] "
	    "[--walk-forward IN:OUT [--anchored]] [--store FILE "
	    "[--resume RUN]] [--svg DIR]",
	.summary = "backtest every point of a grid of strategy parameters",
	.help = "Backtest the configuration once for every combination of the "
	    "--param values\n(A:B:STEP, A:B*FACTOR or A,B,C), on as many "
	    "threads, over the data's bar caches,\nand rank the points by "
	    "--objective (net, sharpe, profit_factor, expectancy,\nromad) "
	    "among those with --min-trades trades (1) and no deeper "
	    "--max-drawdown.\nThe best --top (10) are printed; --csv and "
	    "--json write every point.  --method\ngenetic searches a large "
	    "space by a seeded genetic algorithm instead.\nSee tickdesk(1).",
	.options = cmd_optimize_options,
	.exec = cmd_optimize_exec,
};
