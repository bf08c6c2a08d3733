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
	O_THREADS, O_TOP, O_CSV, O_JSON,
};

static int
oc_option(struct oc_opts *o, int ch, const char *arg)
{
	td_px	 px;

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


/* The best points, best first. */
static void
oc_table(const struct opt_space *sp, const struct opt_row *rows,
    const int64_t *order, int64_t n, const struct oc_opts *o)
{
	int64_t	 vals[OPT_MAX_DIMS];
	char	 v[32], net[32], pf[32], sh[32], dd[32], sc[32];

	printf("\n%4s", "rank");
	for (int d = 0; d < sp->ndim; d++)
		printf(" %14s", strchr(sp->dim[d].name, '.') + 1);
	printf(" %7s %12s %6s %6s %12s %10s\n", "trades", "net", "pf",
	    "sharpe", "max dd", opt_objective_name(o->objective));
	for (int64_t i = 0; i < n && i < o->top && rows[order[i]].done; i++) {
		const struct opt_row	*r = &rows[order[i]];

		opt_space_point(sp, order[i], vals);
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
		    r->feasible ? "" :
		    "  (fails a constraint)");
	}
}

static int
oc_write(const char *path, bool json, enum opt_objective obj,
    const struct opt_space *sp, const struct opt_row *rows,
    const int64_t *order, int64_t n)
{
	FILE	*f = fopen(path, "w");
	int64_t	 vals[OPT_MAX_DIMS];
	char	 a[32], b[32], c[32], d[32], e[32];

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
	for (int64_t i = 0; i < n && rows[order[i]].done; i++) {
		const struct opt_row	*r = &rows[order[i]];

		opt_space_point(sp, order[i], vals);
		if (json) {
			fprintf(f, "%s\n {\"rank\": %lld, \"point\": %lld, "
			    "\"params\": {", i ? "," : "", (long long)i + 1,
			    (long long)order[i]);
			for (int k = 0; k < sp->ndim; k++)
				fprintf(f, "%s\"%s\": %s", k ? ", " : "",
				    sp->dim[k].name, opt_space_format(sp, k,
				    vals[k], a, sizeof a));
			fprintf(f, "}, \"trades\": %lld, \"net\": %s, "
			    "\"profit_factor\": %s, \"sharpe\": %s, "
			    "\"max_drawdown\": %s, \"score\": %s, "
			    "\"feasible\": %s}", (long long)r->st.trades,
			    oc_money(r->st.net, b, sizeof b),
			    isfinite(r->st.profit_factor) ? oc_num(
			    r->st.profit_factor, c, sizeof c) : "null",
			    isfinite(r->st.sharpe) ? oc_num(r->st.sharpe, d,
			    sizeof d) : "null", oc_money(r->st.max_drawdown,
			    e, sizeof e), isfinite(r->score) ? oc_score(obj,
			    r->score, true, a, sizeof a) : "null",
			    r->feasible ? "true" :
			    "false");
			continue;
		}
		fprintf(f, "%lld,%lld", (long long)i + 1, (long long)order[i]);
		for (int k = 0; k < sp->ndim; k++)
			fprintf(f, ",%s", opt_space_format(sp, k, vals[k], a,
			    sizeof a));
		fprintf(f, ",%lld,%s,%s,%s,%s,%s,%d\n", (long long)r->st.trades,
		    oc_money(r->st.net, b, sizeof b), oc_num(
		    r->st.profit_factor, c, sizeof c), oc_num(r->st.sharpe, d,
		    sizeof d), oc_money(r->st.max_drawdown, e, sizeof e),
		    oc_score(obj, r->score, true, a, sizeof a), r->feasible);
	}
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
    const struct opt_row *rows, int64_t done)
{
	int64_t	*order = malloc((size_t)sp->npoints * sizeof *order);
	char	 dd[32];
	int	 rc = EXIT_OK;

	if (order == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		return EXIT_RUNTIME;
	}
	opt_rank(rows, sp->npoints, order);
	printf("tickdesk optimize: %lld of %lld points, objective %s, at "
	    "least %lld trades", (long long)done, (long long)sp->npoints,
	    opt_objective_name(o->objective), o->min_trades);
	if (o->max_drawdown > 0)
		printf(", drawdown at most %s", oc_money(o->max_drawdown, dd,
		    sizeof dd));
	printf("\n");
	oc_table(sp, rows, order, sp->npoints, o);
	if ((o->csv != NULL && oc_write(o->csv, false, o->objective, sp, rows,
	    order, sp->npoints) == -1) || (o->json != NULL && oc_write(o->json,
	    true, o->objective, sp, rows, order, sp->npoints) == -1))
		rc = EXIT_RUNTIME;
	free(order);
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
	struct opt_row		*rows = calloc((size_t)sp->npoints,
				    sizeof *rows);
	struct sigaction	 sa = { .sa_handler = oc_on_signal }, old;
	struct errmsg		 err;
	int64_t			 done;
	int			 rc;

	if (rows == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		return EXIT_RUNTIME;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigaction(SIGINT, &sa, &old);
	done = opt_run(&job, rows, &err);
	sigaction(SIGINT, &old, NULL);
	if (job.progress != NULL)
		fputc('\n', stderr);
	if (done == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		free(rows);
		return EXIT_RUNTIME;
	}
	rc = oc_report(o, sp, rows, done);
	if (done < sp->npoints) {
		fprintf(stderr, "tickdesk: stopped: %lld of %lld points done\n",
		    (long long)done, (long long)sp->npoints);
		rc = EXIT_RUNTIME;
	}
	free(rows);
	return rc;
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
	    "[--csv FILE] [--json FILE]",
	.summary = "backtest every point of a grid of strategy parameters",
	.help = "Backtest the configuration once for every combination of the "
	    "--param values\n(A:B:STEP, A:B*FACTOR or A,B,C), on as many "
	    "threads, over the data's bar caches,\nand rank the points by "
	    "--objective (net, sharpe, profit_factor, expectancy,\nromad) "
	    "among those with --min-trades trades (1) and no deeper "
	    "--max-drawdown.\nThe best --top (10) are printed; --csv and "
	    "--json write every point.\nSee tickdesk(1).",
	.exec = cmd_optimize_exec,
};
