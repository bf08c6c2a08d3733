/*
 * cmd-montecarlo.c -- `tickdesk montecarlo`: how the trades of a backtest
 * (its --trades file) could have gone, reshuffled and resampled
 * (core/opt-mc.h), as a table of percentiles in text, CSV or JSON, and
 * with --svg as histograms (core/chart-svg.h).
 *
 * The trade file is read whole and checked row by row: a row whose net is
 * no money with at most two decimals is refused as FILE:LINE.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart-svg.h"
#include "cmd.h"
#include "errmsg.h"
#include "fixed.h"
#include "opt-mc.h"
#include "portfolio.h"
#include "stats.h"

#define MCC_LINE	4096
#define MCC_CENT	10000000LL	/* fixed-point units of a cent */

enum mcc_format { MCC_TEXT, MCC_CSV, MCC_JSON };

struct mcc_opts {
	const char	*trades;
	int		 runs;
	uint64_t	 seed;
	int		 method;	/* -1: both */
	td_cents	 account;	/* 0: none */
	td_cents	 ruin_loss;	/* 0: the account */
	enum mcc_format	 format;
	const char	*out;
	const char	*svg;		/* directory of the charts, or NULL */
};

/* Money text with at most two decimals, as cents. */
static int
mcc_money(const char *s, size_t len, td_cents *out)
{
	td_px	 v;

	if (len == 0 || fixed_parse(s, len, &v) == -1 || v % MCC_CENT != 0)
		return -1;
	*out = v / MCC_CENT;
	return 0;
}

/* The index of column name in a CSV header line, -1 when absent. */
static int
mcc_column(const char *header, const char *name)
{
	size_t	 n = strlen(name);
	int	 col = 0;

	for (const char *p = header; ; col++) {
		size_t	 w = strcspn(p, ",\r\n");

		if (w == n && strncmp(p, name, n) == 0)
			return col;
		if (p[w] != ',')
			return -1;
		p += w + 1;
	}
}

/* Field col of a CSV line (no quoting: the trade file has none). */
static int
mcc_field(const char *line, int col, const char **f, size_t *len)
{
	for (int i = 0; i < col; i++) {
		if ((line = strchr(line, ',')) == NULL)
			return -1;
		line++;
	}
	*f = line;
	*len = strcspn(line, ",\r\n");
	return 0;
}

/* Every trade's net P&L of the file, in its order. */
static int
mcc_read(const char *path, td_cents **net, int64_t *n, struct errmsg *err)
{
	FILE		*f = fopen(path, "r");
	char		 line[MCC_LINE];
	const char	*v;
	size_t		 len, cap = 0;
	int64_t		 lineno = 1;
	int		 col;

	*net = NULL;
	*n = 0;
	if (f == NULL)
		return errmsg_set(err, "%s: %s", path, strerror(errno));
	if (fgets(line, sizeof line, f) == NULL ||
	    (col = mcc_column(line, "net")) == -1) {
		fclose(f);
		return errmsg_set(err, "%s:1: no header with a net column (a "
		    "file of backtest --trades)", path);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (*n == (int64_t)cap) {
			td_cents *m = realloc(*net, (cap = cap ? 2 * cap : 256) *
			    sizeof **net);

			if (m == NULL) {
				fclose(f);
				return errmsg_set(err, "out of memory");
			}
			*net = m;
		}
		if (mcc_field(line, col, &v, &len) == -1 ||
		    mcc_money(v, len, &(*net)[*n]) == -1) {
			fclose(f);
			return errmsg_set(err, "%s:%lld: net is no money with at "
			    "most two decimals", path, (long long)lineno);
		}
		++*n;
	}
	fclose(f);
	if (*n == 0)
		return errmsg_set(err, "%s: no trades", path);
	return 0;
}

/* ------------------------------------------------------------ output */

/* A figure's value: money in cents, or a count. */
static const char *
mcc_value(int64_t v, bool money, bool plain, char *buf, size_t len)
{
	if (!money)
		snprintf(buf, len, "%lld", (long long)v);
	else if (!plain)
		portfolio_format_money(v, buf, len);
	else
		stats_money_plain(v, buf, len);
	return buf;
}

struct mcc_figure {
	const char		*name;		/* text */
	const char		*key;		/* CSV and JSON */
	const struct mc_dist	*d;
	int64_t			 actual;
	bool			 money;
};

static void
mcc_figures(const struct mc_result *r, struct mcc_figure fig[3])
{
	fig[0] = (struct mcc_figure){ "max drawdown", "max_drawdown",
	    &r->drawdown, r->actual.max_drawdown, true };
	fig[1] = (struct mcc_figure){ "final P&L", "final_pnl", &r->final,
	    r->actual.final, true };
	fig[2] = (struct mcc_figure){ "longest losing streak", "losing_streak",
	    &r->streak, r->actual.losing_streak, false };
}

static double
mcc_ruin_pct(const struct mc_result *r)
{
	return 100.0 * (double)r->ruined / r->cfg.runs;
}

static void
mcc_text(FILE *f, const struct mc_result *r, const struct mcc_opts *o)
{
	static const char *const what[] = {
		[MC_RESHUFFLE] = "the same trades in other orders",
		[MC_RESAMPLE] = "as many trades drawn with replacement",
	};
	struct mcc_figure	 fig[3];
	char			 b[32], c[32];

	mcc_figures(r, fig);
	fprintf(f, "\n%s: %s\n%-22s %12s", mc_method_name(r->cfg.method),
	    what[r->cfg.method], "", "as traded");
	for (int i = 0; i < MC_NPCT; i++) {
		snprintf(b, sizeof b, "p%d", mc_pct[i]);
		fprintf(f, " %11s", b);
	}
	fputc('\n', f);
	for (int k = 0; k < 3; k++) {
		fprintf(f, "%-22s %12s", fig[k].name, mcc_value(fig[k].actual,
		    fig[k].money, false, b, sizeof b));
		for (int i = 0; i < MC_NPCT; i++)
			fprintf(f, " %11s", mcc_value(fig[k].d->pct[i],
			    fig[k].money, false, b, sizeof b));
		fputc('\n', f);
	}
	if (o->account > 0)
		fprintf(f, "risk of ruin: %.2f%% of runs lost %s of a %s "
		    "account\n", mcc_ruin_pct(r), portfolio_format_money(
		    r->cfg.ruin_loss, b, sizeof b), portfolio_format_money(
		    o->account, c, sizeof c));
}

static void
mcc_csv(FILE *f, const struct mc_result *r, const struct mcc_opts *o)
{
	struct mcc_figure	 fig[3];
	char			 b[32];

	mcc_figures(r, fig);
	for (int k = 0; k < 3; k++) {
		fprintf(f, "%s,%s,%s", mc_method_name(r->cfg.method),
		    fig[k].key, mcc_value(fig[k].actual, fig[k].money, true,
		    b, sizeof b));
		fprintf(f, ",%s", mcc_value(fig[k].d->min, fig[k].money,
		    true, b, sizeof b));
		for (int i = 0; i < MC_NPCT; i++)
			fprintf(f, ",%s", mcc_value(fig[k].d->pct[i],
			    fig[k].money, true, b, sizeof b));
		fprintf(f, ",%s\n", mcc_value(fig[k].d->max, fig[k].money,
		    true, b, sizeof b));
	}
	if (o->account > 0)
		fprintf(f, "%s,risk_of_ruin_pct,%.4f,,,,,,,,,\n",
		    mc_method_name(r->cfg.method), mcc_ruin_pct(r));
}

static void
mcc_json(FILE *f, const struct mc_result *r, const struct mcc_opts *o,
    bool first)
{
	struct mcc_figure	 fig[3];
	char			 b[32];

	mcc_figures(r, fig);
	fprintf(f, "%s\n  \"%s\": {", first ? "" : ",",
	    mc_method_name(r->cfg.method));
	for (int k = 0; k < 3; k++) {
		fprintf(f, "%s\n    \"%s\": {\"as_traded\": %s", k ? "," : "",
		    fig[k].key, mcc_value(fig[k].actual, fig[k].money, true,
		    b, sizeof b));
		fprintf(f, ", \"min\": %s", mcc_value(fig[k].d->min,
		    fig[k].money, true, b, sizeof b));
		for (int i = 0; i < MC_NPCT; i++)
			fprintf(f, ", \"p%d\": %s", mc_pct[i], mcc_value(
			    fig[k].d->pct[i], fig[k].money, true, b,
			    sizeof b));
		fprintf(f, ", \"max\": %s}", mcc_value(fig[k].d->max,
		    fig[k].money, true, b, sizeof b));
	}
	if (o->account > 0)
		fprintf(f, ",\n    \"risk_of_ruin_pct\": %.4f", mcc_ruin_pct(r));
	fprintf(f, "\n  }");
}

/* ------------------------------------------------------------ charts */

/* The index of percentile p in mc_pct. */
static int
mcc_pct_index(int p)
{
	for (int i = 0; i < MC_NPCT; i++)
		if (mc_pct[i] == p)
			return i;
	return 0;
}

/* A figure's distribution over the runs, as traded and p5/p95 marked. */
static int
mcc_svg_figure(const char *dir, const struct mc_result *r,
    const struct mcc_figure *fig, const int64_t *runs, struct errmsg *err)
{
	const int		 pct[] = { 5, 95 };
	char			 path[PATH_MAX], title[128], lab[3][64], b[32];
	struct chart_marker	 m[3];
	struct chart_hist	 c = { .title = title, .xlabel = fig->name,
				    .ylabel = "runs", .unit = fig->money ?
				    CHART_MONEY : CHART_COUNT, .v = runs,
				    .n = (size_t)r->cfg.runs, .marker = m,
				    .nmarker = 3 };

	snprintf(lab[0], sizeof lab[0], "as traded %s", mcc_value(fig->actual,
	    fig->money, false, b, sizeof b));
	m[0] = (struct chart_marker){ lab[0], fig->actual };
	for (int i = 0; i < 2; i++) {
		int64_t	 v = fig->d->pct[mcc_pct_index(pct[i])];

		snprintf(lab[i + 1], sizeof lab[i + 1], "p%d %s", pct[i],
		    mcc_value(v, fig->money, false, b, sizeof b));
		m[i + 1] = (struct chart_marker){ lab[i + 1], v };
	}
	snprintf(title, sizeof title, "%s of %d %s runs",
	    fig->name, r->cfg.runs, mc_method_name(r->cfg.method));
	if ((size_t)snprintf(path, sizeof path, "%s/montecarlo-%s-%s.svg",
	    dir, mc_method_name(r->cfg.method), fig->key) >= sizeof path)
		return errmsg_set(err, "--svg %s: name too long", dir);
	return chart_hist_save(path, &c, err);
}

/* One histogram per figure of a run: DIR/montecarlo-METHOD-FIGURE.svg. */
static int
mcc_svg(const char *dir, const struct mc_result *r, struct errmsg *err)
{
	const int64_t		*runs[3] = { r->drawdowns, r->finals,
				    r->streaks };
	struct mcc_figure	 fig[3];

	mcc_figures(r, fig);
	for (int k = 0; k < 3; k++)
		if (mcc_svg_figure(dir, r, &fig[k], runs[k], err) == -1)
			return -1;
	return 0;
}

/* ------------------------------------------------------------ command */

static int
mcc_parse(int argc, char **argv, struct mcc_opts *o, struct errmsg *err)
{
	static const struct option longs[] = {
		{ "trades", required_argument, NULL, 't' },
		{ "runs", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "method", required_argument, NULL, 'm' },
		{ "account", required_argument, NULL, 'a' },
		{ "ruin-loss", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "svg", required_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	char	*end;
	long	 v;
	int	 ch;

	*o = (struct mcc_opts){ .runs = 10000, .seed = 1, .method = -1 };
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", longs, NULL)) != -1) {
		switch (ch) {
		case 't': o->trades = optarg; break;
		case 'o': o->out = optarg; break;
		case 'g': o->svg = optarg; break;
		case 'r':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || errno != 0 || v < 1 ||
			    v > MC_RUNS_MAX)
				return errmsg_set(err, "--runs %s: 1 to %d",
				    optarg, MC_RUNS_MAX);
			o->runs = (int)v;
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (*end != '\0' || errno != 0 || *optarg == '-')
				return errmsg_set(err, "--seed %s: not a "
				    "number", optarg);
			break;
		case 'm':
			if ((o->method = mc_method_parse(optarg)) == -1)
				return errmsg_set(err, "--method %s: reshuffle "
				    "or resample", optarg);
			break;
		case 'a':
		case 'l':
			if (mcc_money(optarg, strlen(optarg), ch == 'a' ?
			    &o->account : &o->ruin_loss) == -1 ||
			    (ch == 'a' ? o->account : o->ruin_loss) <= 0)
				return errmsg_set(err, "--%s %s: a positive "
				    "amount of money, at most two decimals",
				    ch == 'a' ? "account" : "ruin-loss",
				    optarg);
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o->format = MCC_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				o->format = MCC_CSV;
			else if (strcmp(optarg, "json") == 0)
				o->format = MCC_JSON;
			else
				return errmsg_set(err, "--format %s: text, csv "
				    "or json", optarg);
			break;
		default:
			return errmsg_set(err, "%s", "");
		}
	}
	if (optind != argc || o->trades == NULL)
		return errmsg_set(err, "%s", "");
	if (o->ruin_loss > 0 && o->account == 0)
		return errmsg_set(err, "--ruin-loss needs --account");
	if (o->ruin_loss > o->account)
		return errmsg_set(err, "--ruin-loss is more than --account");
	return 0;
}

static void
mcc_header(FILE *f, const struct mcc_opts *o, int64_t n)
{
	if (o->format == MCC_TEXT)
		fprintf(f, "Monte Carlo of %lld trades from %s: %d runs each, "
		    "seed %llu\n", (long long)n, o->trades, o->runs,
		    (unsigned long long)o->seed);
	else if (o->format == MCC_CSV) {
		fputs("method,figure,as_traded,min", f);
		for (int i = 0; i < MC_NPCT; i++)
			fprintf(f, ",p%d", mc_pct[i]);
		fputs(",max\n", f);
	} else
		fprintf(f, "{\"trades\": %lld, \"runs\": %d, \"seed\": %llu,",
		    (long long)n, o->runs, (unsigned long long)o->seed);
}

static int
mcc_write(FILE *f, const struct mcc_opts *o, const td_cents *net, int64_t n,
    struct errmsg *err)
{
	struct mc_cfg		 cfg = { .runs = o->runs, .seed = o->seed,
				    .ruin_loss = o->ruin_loss > 0 ?
				    o->ruin_loss : o->account };
	struct mc_result	 r;

	mcc_header(f, o, n);
	for (int m = MC_RESHUFFLE; m <= MC_RESAMPLE; m++) {
		if (o->method != -1 && o->method != m)
			continue;
		cfg.method = (enum mc_method)m;
		if (mc_run(&cfg, net, n, &r, err) == -1)
			return -1;
		if (o->svg != NULL && mcc_svg(o->svg, &r, err) == -1) {
			mc_free(&r);
			return -1;
		}
		if (o->format == MCC_TEXT)
			mcc_text(f, &r, o);
		else if (o->format == MCC_CSV)
			mcc_csv(f, &r, o);
		else
			mcc_json(f, &r, o, o->method != -1 || m == 0);
		mc_free(&r);
	}
	if (o->format == MCC_JSON)
		fputs("\n}\n", f);
	return 0;
}

static int
cmd_montecarlo_exec(int argc, char **argv)
{
	struct mcc_opts	 o;
	struct errmsg	 err;
	td_cents	*net = NULL;
	int64_t		 n;
	FILE		*f = stdout;
	int		 rc = EXIT_USAGE;

	if (mcc_parse(argc, argv, &o, &err) == -1) {
		if (err.msg[0] == '\0')
			return cmd_usage(&cmd_montecarlo_entry);
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_USAGE;
	}
	if (mcc_read(o.trades, &net, &n, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	if (o.svg != NULL && cmd_svg_dir(o.svg) == -1) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (o.out != NULL && (f = fopen(o.out, "w")) == NULL) {
		fprintf(stderr, "tickdesk: %s: %s\n", o.out, strerror(errno));
		rc = EXIT_RUNTIME;
		goto out;
	}
	rc = EXIT_RUNTIME;
	if (mcc_write(f, &o, net, n, &err) == -1)
		fprintf(stderr, "tickdesk: %s\n", err.msg);
	else if (fflush(f) != 0 || ferror(f))
		fprintf(stderr, "tickdesk: %s: %s\n", o.out ? o.out :
		    "standard output", strerror(errno));
	else
		rc = 0;
	if (f != stdout && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "tickdesk: %s: %s\n", o.out, strerror(errno));
		rc = EXIT_RUNTIME;
	}

out:
	free(net);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_montecarlo_options[] = {
	{ "--trades FILE",
	    "the trades: a CSV file with a net column, as backtest "
	    "--trades writes it" },
	{ "--runs N",
	    "how many runs of each method, at most 1000000 (10000)" },
	{ "--seed N",
	    "the seed of the random draws (1)" },
	{ "--method reshuffle|resample",
	    "one method only: the trades in another order, or drawn "
	    "again with replacement" },
	{ "--account MONEY",
	    "the account, for the risk of ruin" },
	{ "--ruin-loss MONEY",
	    "the loss that ruins a run (the whole --account)" },
	{ "--format text|csv|json",
	    "the form of the report (text)" },
	{ "-o, --output FILE",
	    "write the report to FILE instead of standard output" },
	{ "--svg DIR",
	    "also draw each figure's histogram as an SVG file in DIR" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_montecarlo_entry = {
	.name = "montecarlo",
	.usage = "--trades FILE [--runs N] [--seed N] "
	    "[--method reshuffle|resample] [--account MONEY] "
	    "[--ruin-loss MONEY] [--format text|csv|json] [-o FILE] "
	    "[--svg DIR]",
	.summary = "how a backtest's trades could have gone, by Monte Carlo",
	.help = "Reshuffle the trades of a `backtest --trades` file into other "
	    "orders, and draw them\nagain with replacement, --runs times each "
	    "(10000), and print the percentiles of\nthe maximum drawdown, the "
	    "final P&L and the longest losing streak beside the\nfigures as "
	    "traded.  With --account, the share of runs that lost --ruin-loss "
	    "(the\nwhole account by default): the risk of ruin.  With --svg, "
	    "a histogram of each\nfigure in DIR.  See tickdesk(1).",
	.options = cmd_montecarlo_options,
	.exec = cmd_montecarlo_exec,
};
