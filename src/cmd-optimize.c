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
#include "cmd.h"
#include "errmsg.h"
#include "fixed.h"
#include "opt-ga.h"
#include "opt-run.h"
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
	int		 objective;
	long long	 min_trades;
	td_cents	 max_drawdown;
	long long	 threads;
	long long	 top;
	const char	*csv;
	const char	*json;
	bool		 genetic;
	struct opt_ga_cfg ga;		/* 0: the default of the space */
	bool		 seed_given;
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
	O_GENERATIONS, O_SEED,
};

static int
oc_option(struct oc_opts *o, int ch, const char *arg)
{
	long long	 v;
	td_px		 px;

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
		o->genetic = strcmp(arg, "genetic") == 0;
		if (o->genetic || strcmp(arg, "grid") == 0)
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
		{ NULL, 0, NULL, 0 },
	};
	long	 cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int	 ch;

	*o = (struct oc_opts){ .objective = OPT_NET, .min_trades = 1,
	    .threads = cpus > 0 ? (cpus < OPT_THREADS_MAX ? cpus :
	    OPT_THREADS_MAX) : 1, .top = 10 };
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longs, NULL)) != -1)
		if (oc_option(o, ch, optarg) == -1)
			return -1;
	if (optind != argc) {
		fprintf(stderr, "tickdesk: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	if (o->ndata == 0 || o->nparams == 0) {
		fprintf(stderr, "tickdesk: optimize needs --data and at least "
		    "one --param\n");
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

static const char *
oc_num(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (isinf(v))
		snprintf(buf, len, "inf");
	else
		snprintf(buf, len, "%.2f", v);
	return buf;
}

static const char *
oc_money(td_cents c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%lld.%02lld", c < 0 ? "-" : "",
	    (long long)(c < 0 ? -c : c) / 100,
	    (long long)(c < 0 ? -c : c) % 100);
	return buf;
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
		return oc_num(v, buf, len);
	return plain ? oc_money((td_cents)v, buf, len) :
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
		    net, sizeof net), oc_num(r->st.profit_factor, pf,
		    sizeof pf), oc_num(r->st.sharpe, sh, sizeof sh),
		    portfolio_format_money(-r->st.max_drawdown, dd, sizeof dd),
		    oc_score(o->objective, r->score, false, sc, sizeof sc),
		    r->feasible ? "" : "  (fails a constraint)");
	}
}

/* A finite number, or null (JSON has no n/a nor inf). */
static const char *
oc_json_num(double v, char *buf, size_t len)
{
	return isfinite(v) ? oc_num(v, buf, len) : "null";
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
	    "\"feasible\": %s}", (long long)r->st.trades, oc_money(r->st.net,
	    b, sizeof b), oc_json_num(r->st.profit_factor, c, sizeof c),
	    oc_json_num(r->st.sharpe, d, sizeof d), oc_money(
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
	    oc_money(r->st.net, b, sizeof b), oc_num(r->st.profit_factor, c,
	    sizeof c), oc_num(r->st.sharpe, d, sizeof d), oc_money(
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
		printf(", drawdown at most %s", oc_money(o->max_drawdown, dd,
		    sizeof dd));
	printf("\n");
	oc_table(sp, res, o);
	if ((o->csv != NULL && oc_write(o->csv, false, o->objective, sp,
	    res) == -1) || (o->json != NULL && oc_write(o->json, true,
	    o->objective, sp, res) == -1))
		rc = EXIT_RUNTIME;
	free(res->order);
	return rc;
}

/* Every point of the space. */
static int
oc_grid(const struct oc_opts *o, const struct opt_job *job)
{
	const struct opt_space	*sp = job->space;
	struct opt_row		*rows = calloc((size_t)sp->npoints,
				    sizeof *rows);
	struct oc_result	 res = { .rows = rows, .n = sp->npoints };
	struct errmsg		 err;
	char			 how[96];
	int64_t			 done;
	int			 rc;

	if (rows == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		return EXIT_RUNTIME;
	}
	if ((done = opt_run(job, rows, &err)) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		free(rows);
		return EXIT_RUNTIME;
	}
	snprintf(how, sizeof how, "grid, %lld of %lld points", (long long)done,
	    (long long)sp->npoints);
	rc = oc_report(o, sp, &res, how);
	if (done < sp->npoints) {
		fprintf(stderr, "tickdesk: stopped: %lld of %lld points done\n",
		    (long long)done, (long long)sp->npoints);
		rc = EXIT_RUNTIME;
	}
	free(rows);
	return rc;
}

/* The genetic search. */
static int
oc_genetic(const struct oc_opts *o, const struct opt_job *job)
{
	struct opt_ga_result	 r;
	struct oc_result	 res;
	struct errmsg		 err;
	char			 how[160];
	int			 rc;

	if (opt_ga_run(job, &o->ga, &r, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	res = (struct oc_result){ .rows = r.rows, .points = r.points,
	    .n = r.n };
	snprintf(how, sizeof how, "genetic, %d generation%s%s, %lld of %lld "
	    "points", r.generations, r.generations == 1 ? "" : "s",
	    r.stagnated ? " (no better point in the last ones)" : "",
	    (long long)r.n, (long long)job->space->npoints);
	rc = oc_report(o, job->space, &res, how);
	if (r.stopped) {
		fprintf(stderr, "tickdesk: stopped after %d generations\n",
		    r.generations);
		rc = EXIT_RUNTIME;
	}
	opt_ga_free(&r);
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
		.progress = isatty(STDERR_FILENO) ? oc_progress : NULL,
		.progress_arg = &t0,
	};
	struct sigaction	 sa = { .sa_handler = oc_on_signal }, old;
	int			 rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigaction(SIGINT, &sa, &old);
	rc = o->genetic ? oc_genetic(o, &job) : oc_grid(o, &job);
	sigaction(SIGINT, &old, NULL);
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
	struct errmsg		 err;
	char			 errors[8192];
	int			 rc = EXIT_USAGE;

	opt_space_init(&sp);
	if (st == NULL || oc_parse(argc, argv, &o) == -1) {
		free(st);
		return cmd_usage(&cmd_optimize_entry);
	}
	if (settings_load_env(settings_path(o.config), settings_env(o.env),
	    st, errors, sizeof errors) == -1) {
		fputs(errors, stderr);
		goto out;
	}
	st->engine.unattended = true;
	st->engine.health.latency = false;
	st->engine.log = NULL;
	if ((reg = settings_strategies(st, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	for (int i = 0; i < o.nparams; i++) {
		if (opt_space_add(&sp, &st->engine, reg, o.params[i],
		    &err) == -1) {
			fprintf(stderr, "tickdesk: --param %s\n", err.msg);
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
	return rc;
}

const struct cmd_entry cmd_optimize_entry = {
	.name = "optimize",
	.usage = "[-c CONFIG] [--env NAME] --data [SYMBOL=]FILE... "
	    "--param [STRATEGY.]PARAM=VALUES... [--objective NAME] "
	    "[--min-trades N] [--max-drawdown MONEY] [--threads N] [--top N] "
	    "[--csv FILE] [--json FILE] [--method grid|genetic] "
	    "[--population N] [--generations N] [--seed N]",
	.summary = "backtest every point of a grid of strategy parameters",
	.help = "Backtest the configuration once for every combination of the "
	    "--param values\n(A:B:STEP, A:B*FACTOR or A,B,C), on as many "
	    "threads, over the data's bar caches,\nand rank the points by "
	    "--objective (net, sharpe, profit_factor, expectancy,\nromad) "
	    "among those with --min-trades trades (1) and no deeper "
	    "--max-drawdown.\nThe best --top (10) are printed; --csv and "
	    "--json write every point.  --method\ngenetic searches a large "
	    "space by a seeded genetic algorithm instead.\nSee tickdesk(1).",
	.exec = cmd_optimize_exec,
};
