/*
 * cmd-backtest.c -- `tickdesk backtest`: the enabled strategies over market
 * data files (or the demo generator) through the engine, then a report.
 *
 * The backtest is the engine's ordinary path with the simulated exchange:
 * only the feed and the clock (the data's own time) differ from a live
 * session.  Nobody watches, so the engine runs unattended: a daily loss
 * halt lasts until the next trading day.
 *
 * With --fill-models the same configuration and data run once under each
 * fill model named (fill-model.h), and a table compares the results.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barcache.h"
#include "chart-svg.h"
#include "cmd.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed-file.h"
#include "feed.h"
#include "fill-model.h"
#include "health-obs.h"
#include "journal.h"
#include "models.h"
#include "portfolio.h"
#include "settings.h"
#include "signal-news.h"
#include "signal-sent.h"
#include "stats.h"
#include "trades.h"
#include "tz.h"

#define BT_MAX_DATA	1024

struct bt_opts {
	const char		*config;
	const char		*env;		/* --env, NULL: $TICKDESK_ENV */
	const char		*trades_path;
	const char		*cache_note;	/* data line: bar caches used */
	const char		*journal;
	struct feed_file_src	 data[BT_MAX_DATA];
	char			*data_sym[BT_MAX_DATA];
	int			 ndata;
	int32_t			 from;		/* yyyymmdd, 0 = open */
	int32_t			 to;
	int			 demo_days;
	uint64_t		 seed;
	int			 verbose;
	const char		*format;
	const char		*tz;
	const char		*stamp;
	bool			 skip_disorder;
	enum fill_model		 models[FILL_NMODELS];	/* --fill-models */
	int			 nmodels;
	const char		*svg;		/* --svg DIR, or NULL */
	const char		*news;		/* --news FILE, or NULL */
	td_ns			 half_life;	/* news.half_life */
};

static void
bt_log(void *arg, const struct log_line *line)
{
	struct tz_tm	 tm;
	const struct tz	*tz = arg;

	tz_to_local(tz, line->time, &tm);
	fprintf(stderr, "%04d-%02d-%02d %02d:%02d:%02d %-8s %-14s %s\n",
	    tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec,
	    log_level_name(line->level), line->component, line->msg);
}

/* --fill-models: "all", or a comma list of names, each once. */
static int
bt_parse_models(const char *arg, struct bt_opts *o)
{
	char		 buf[256], *name, *save = NULL;
	enum fill_model	 m;

	o->nmodels = 0;
	if (strcmp(arg, "all") == 0) {
		for (int i = 0; i < FILL_NMODELS; i++)
			o->models[o->nmodels++] = (enum fill_model)i;
		return 0;
	}
	snprintf(buf, sizeof buf, "%s", arg);
	for (name = strtok_r(buf, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		if (fill_model_parse(name, &m) == -1) {
			fprintf(stderr, "tickdesk: --fill-models: unknown fill "
			    "model '%s' (tickdesk, nt8-default, nt8-liberal, "
			    "backtrader or all)\n", name);
			return -1;
		}
		for (int i = 0; i < o->nmodels; i++) {
			if (o->models[i] == m) {
				fprintf(stderr, "tickdesk: --fill-models: '%s' "
				    "named twice\n", name);
				return -1;
			}
		}
		o->models[o->nmodels++] = m;
	}
	if (o->nmodels == 0) {
		fprintf(stderr, "tickdesk: --fill-models: no model named\n");
		return -1;
	}
	return 0;
}

static int
bt_parse(int argc, char **argv, struct bt_opts *o)
{
	enum { O_DATA = 256, O_FROM, O_TO, O_TRADES, O_DAYS, O_SEED,
	    O_FORMAT, O_TZ, O_STAMP, O_SKIP, O_JOURNAL, O_ENV, O_SVG,
	    O_MODELS, O_NEWS };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ "data", required_argument, NULL, O_DATA },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "trades", required_argument, NULL, O_TRADES },
		{ "journal", required_argument, NULL, O_JOURNAL },
		{ "demo-days", required_argument, NULL, O_DAYS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "tz", required_argument, NULL, O_TZ },
		{ "stamp", required_argument, NULL, O_STAMP },
		{ "skip-disorder", no_argument, NULL, O_SKIP },
		{ "svg", required_argument, NULL, O_SVG },
		{ "fill-models", required_argument, NULL, O_MODELS },
		{ "news", required_argument, NULL, O_NEWS },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	long long	 v;
	int		 ch;

	o->demo_days = 20;
	o->seed = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case O_ENV:
			o->env = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case O_DATA:
			if (o->ndata == BT_MAX_DATA) {
				fprintf(stderr, "tickdesk: more than %d data "
				    "files\n", BT_MAX_DATA);
				return -1;
			}
			o->data_sym[o->ndata] = optarg;
			o->data[o->ndata++].path = optarg;
			break;
		case O_FROM:
		case O_TO:
			if (cmd_date(optarg, ch == O_FROM ? &o->from :
			    &o->to) == -1)
				return -1;
			break;
		case O_TRADES:
			o->trades_path = optarg;
			break;
		case O_JOURNAL:
			o->journal = optarg;
			break;
		case O_DAYS:
			if (cmd_number(optarg, 1, 20000, &v) == -1)
				return -1;
			o->demo_days = (int)v;
			break;
		case O_SEED:
			if (cmd_number(optarg, 0, INT64_MAX, &v) == -1)
				return -1;
			o->seed = (uint64_t)v;
			break;
		case O_FORMAT:
			o->format = optarg;
			break;
		case O_TZ:
			o->tz = optarg;
			break;
		case O_STAMP:
			o->stamp = optarg;
			break;
		case O_SKIP:
			o->skip_disorder = true;
			break;
		case O_SVG:
			o->svg = optarg;
			break;
		case O_MODELS:
			if (bt_parse_models(optarg, o) == -1)
				return -1;
			break;
		case O_NEWS:
			o->news = optarg;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tickdesk: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	if (o->from != 0 && o->to != 0 && o->from > o->to) {
		fprintf(stderr, "tickdesk: --from is after --to\n");
		return -1;
	}
	if (o->nmodels > 0 && (o->trades_path != NULL || o->journal != NULL)) {
		fprintf(stderr, "tickdesk: --fill-models cannot be used with "
		    "--trades or --journal\n");
		return -1;
	}
	return 0;
}

/* Split each "SYMBOL=FILE" and find the instrument; the first by default. */
static int
bt_resolve_data(struct bt_opts *o, const struct engine_config *ec)
{
	for (int i = 0; i < o->ndata; i++) {
		if (cmd_data_arg(o->data_sym[i], ec, &o->data[i].path,
		    &o->data[i].inst) == -1)
			return -1;
	}
	return 0;
}

static int
bt_reader_opts(const struct bt_opts *o, const struct settings *st,
    struct reader_opts *ro)
{
	return settings_reader_opts(st, o->format, o->tz, o->stamp,
	    o->skip_disorder, ro);
}

/* A data file named *.tdc is a bar cache itself. */
static bool
bt_is_cache(const char *path)
{
	size_t	 n = strlen(path), k = strlen(BARCACHE_SUFFIX);

	return n > k && strcmp(path + n - k, BARCACHE_SUFFIX) == 0;
}

/*
 * The bar caches (barcache.h) standing in for the data files: FILE.tdc when
 * it is valid for these options and FILE's instrument, or FILE itself when
 * it is a cache.  All or nothing: when one file has no usable cache, the
 * text files are read (and a stale cache is mentioned), unless a cache was
 * named, which cannot be mixed with text.  Returns the number of caches
 * in *feed, 0 to read the files instead, -1 with a message.
 */
static int
bt_cache_feed(struct bt_opts *o, const struct reader_opts *ro,
    const struct engine_config *ec, struct feed **feed, struct errmsg *err)
{
	struct barcache_src	*src;
	struct reader_opts	 opts;
	struct errmsg		 why;
	bool			 named = false;
	int			 n, rc = -1;

	for (int i = 0; i < o->ndata; i++)
		named |= bt_is_cache(o->data[i].path);
	if ((src = calloc((size_t)o->ndata, sizeof *src)) == NULL)
		return errmsg_set(err, "out of memory");
	for (n = 0; n < o->ndata; n++) {
		const char		*path = o->data[n].path;
		const struct instrument	*in = &ec->inst[o->data[n].inst];

		opts = *ro;
		opts.instrument = in;
		src[n].inst = o->data[n].inst;
		if (bt_is_cache(path)) {
			if ((src[n].cache = barcache_open(path, err)) == NULL)
				goto out;
			if (barcache_info(src[n].cache)->tick_size !=
			    in->tick_size) {
				errmsg_set(err, "%s: made for another tick "
				    "size than %s has", path, in->symbol);
				n++;
				goto out;
			}
			continue;
		}
		if ((src[n].cache = barcache_open_for(path, &opts,
		    &why)) != NULL)
			continue;
		if (why.msg[0] != '\0')
			fprintf(stderr, "tickdesk: %s: reading the text\n",
			    why.msg);
		if (named) {
			errmsg_set(err, "%s: no usable bar cache, and a named "
			    "cache cannot be mixed with text files", path);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if ((*feed = barcache_feed_create(src, n, ec->ninst, err)) != NULL) {
		rc = n;
		o->cache_note = n == 1 ? ", read from the bar cache" :
		    ", read from bar caches";
	}
	n = 0;		/* the feed has taken the caches over */

out:
	for (int i = 0; i < n; i++)
		barcache_close(src[i].cache);
	free(src);
	return rc;
}

/*
 * Day bars (one bar a day, as NinjaTrader's day exports) under intraday
 * strategies: every strategy trades within the session on minute bars or
 * ticks, so none can trade.  Said once per instrument, at its first bar.
 */
static void
bt_day_bars(const struct engine *e, const struct td_md *md, uint64_t *seen)
{
	int	 n = 0;

	if (md->inst < 0 || md->inst >= 64 || (*seen >> md->inst & 1) != 0)
		return;
	*seen |= (uint64_t)1 << md->inst;
	if (md->kind != TD_MD_BAR ||
	    md->bar.end - md->bar.start < 20 * TD_NS_PER_HOUR)
		return;
	for (int i = 0; i < engine_nstrat(e); i++)
		n += engine_strategy_cfg(e, td_strat_at(i))->enabled;
	if (n > 0)
		fprintf(stderr, "tickdesk: warning: %s: the data are day bars "
		    "(one bar a day) and the strategies are intraday (they "
		    "trade within the session on minute bars or ticks): no "
		    "trade can happen\n", engine_instrument(e,
		    td_inst_at(md->inst))->symbol);
}

/*
 * --news: the headlines, the sentiment they make, and what became of
 * them (engine.h, struct engine_news): sent to the engine, before its
 * first market event (folded into the sentiment, sent with the first),
 * or naming no instrument it trades; sent counts the sentiment events,
 * a headline's and the fading series' (signal-sent.h).
 */
struct bt_news {
	struct news_file	*nf;
	struct news_item	 it;
	bool			 waiting;	/* it is not due yet */
	struct sent_book	 book;
	long			 count;
	struct engine_news	 c;
};

/*
 * The headlines of time t or before: a headline reaches the engine before
 * the first market event that starts at or after it, never during one
 * (no strategy acts on news inside the bar it came in).
 */
static int
bt_news_until(struct bt_news *n, struct engine *e, td_ns t,
    struct errmsg *err)
{
	int	 rc = 1;

	while (n->nf != NULL && (n->waiting || (rc = news_next(n->nf, &n->it,
	    err)) == 1)) {
		n->waiting = n->it.time > t;
		if (n->waiting)
			return 0;
		n->count++;
		if (engine_on_headline(e, &n->book, &n->it, n->it.time, &n->c,
		    err) == -1)
			return -1;
	}
	return rc == -1 ? -1 : 0;
}

/* The sentiment series due again at the engine's time (signal-sent.h). */
static int
bt_news_due(struct bt_news *n, struct engine *e, struct errmsg *err)
{
	return n->nf == NULL ? 0 : engine_news_due(e, &n->book, &n->c, err);
}

/* Feed the engine, keeping only the trading days asked for. */
static int
bt_loop(struct engine *e, struct feed *feed, const struct bt_opts *o,
    const struct calendar *cal, struct bt_news *news, struct errmsg *err)
{
	struct td_md	 md;
	uint64_t	 seen = 0;
	int		 rc;

	while ((rc = feed_next(feed, &md, err)) == 1) {
		bt_day_bars(e, &md, &seen);
		if (o->from != 0 || o->to != 0) {
			int32_t	 day = calendar_trading_day(cal,
			    td_md_start(&md));

			if (o->from != 0 && day < o->from)
				continue;
			if (o->to != 0 && day > o->to)
				break;
		}
		if (bt_news_until(news, e, td_md_start(&md), err) == -1 ||
		    engine_on_market(e, &md, err) == -1 ||
		    bt_news_due(news, e, err) == -1)
			return -1;
	}
	if (rc != -1 && bt_news_until(news, e, engine_now(e), err) == -1)
		return -1;
	engine_finish(e, engine_now(e));
	return rc;
}

static int
bt_write_trades(const char *path, const struct engine *e)
{
	const char	*names[ENGINE_MAX_STRAT];
	struct errmsg	 err;
	FILE		*f;
	int		 rc, n = engine_nstrat(e);

	/* The owner column names the strategy, as the report does. */
	for (int i = 0; i < n; i++)
		names[i] = engine_strategy_cfg(e, td_strat_at(i))->name;
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		return -1;
	}
	rc = stats_write_csv(f, engine_trades(e), names, (size_t)n, &err);
	if (fclose(f) != 0 || rc == -1) {
		fprintf(stderr, "tickdesk: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ charts */

/*
 * The closed-trade equity and its drawdown from the running peak, from 0
 * at the first trade's entry, then one point at each trade's exit (the
 * ledger is in closing order), as stats.c counts them.
 */
struct bt_curve {
	int64_t		*t, *equity, *drawdown;
	size_t		 n;
};

static void
bt_curve_free(struct bt_curve *c)
{
	free(c->t);
	free(c->equity);
	free(c->drawdown);
}

static int
bt_curve_make(const struct trades *tl, struct bt_curve *c)
{
	td_cents	 equity = 0, peak = 0;

	c->n = trades_count(tl) + 1;
	c->t = malloc(c->n * sizeof *c->t);
	c->equity = malloc(c->n * sizeof *c->equity);
	c->drawdown = malloc(c->n * sizeof *c->drawdown);
	if (c->t == NULL || c->equity == NULL || c->drawdown == NULL)
		return -1;
	c->t[0] = trades_get(tl, 0)->entry_time;
	c->equity[0] = c->drawdown[0] = 0;
	for (size_t i = 1; i < c->n; i++) {
		const struct trade	*t = trades_get(tl, i - 1);

		equity += t->net;
		peak = equity > peak ? equity : peak;
		c->t[i] = t->exit_time;
		c->equity[i] = equity;
		c->drawdown[i] = equity - peak;
	}
	return 0;
}

/* The line chart c as DIR/NAME.svg; -1 once the problem is printed. */
static int
bt_svg_save(const char *dir, const char *name, const struct chart_line *c)
{
	struct errmsg	 err;
	char		 path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof path, "%s/%s.svg", dir, name) >=
	    sizeof path) {
		fprintf(stderr, "tickdesk: --svg %s: name too long\n", dir);
		return -1;
	}
	if (chart_line_save(path, c, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* DIR/NAME.svg: one series of the curve over time. */
static int
bt_svg_chart(const char *dir, const char *name, const char *title,
    const struct bt_curve *cv, const int64_t *y, bool fill)
{
	struct chart_series	 s = { .x = cv->t, .y = y, .n = cv->n,
				    .fill = fill };
	struct chart_line	 c = { .title = title, .xlabel = "exit (UTC)",
				    .ylabel = "net P&L", .xunit = CHART_TIME,
				    .series = &s, .nseries = 1 };

	return bt_svg_save(dir, name, &c);
}

/* equity.svg and drawdown.svg in dir; none without a closed trade. */
static int
bt_svg(const char *dir, const struct trades *tl)
{
	struct bt_curve	 cv = { NULL, NULL, NULL, 0 };
	char		 title[96];
	int		 rc = -1;

	if (trades_count(tl) == 0) {
		fprintf(stderr, "tickdesk: --svg %s: no closed trade to "
		    "chart\n", dir);
		return 0;
	}
	if (bt_curve_make(tl, &cv) == -1)
		fprintf(stderr, "tickdesk: out of memory\n");
	else {
		snprintf(title, sizeof title, "closed-trade equity, %zu "
		    "trades", cv.n - 1);
		if (bt_svg_chart(dir, "equity", title, &cv, cv.equity,
		    false) == 0 && bt_svg_chart(dir, "drawdown", "drawdown "
		    "from the equity peak", &cv, cv.drawdown, true) == 0)
			rc = 0;
	}
	bt_curve_free(&cv);
	return rc;
}

/* What watches the backtest's engine for its report. */
struct bt_watch {
	struct health_obs	*health;	/* events, orders refused */
	struct stats_days	*days;
};

static int
bt_watch(struct bt_watch *w, struct engine *e, struct errmsg *err)
{
	if ((w->health = health_obs_create(err)) == NULL ||
	    (w->days = stats_days_create(err)) == NULL ||
	    engine_observer_add(e, &HEALTH_OBS_OBSERVER(w->health),
	    err) == -1 ||
	    engine_observer_add(e, &STATS_DAYS_OBSERVER(w->days), err) == -1)
		return -1;
	return 0;
}

/*
 * Session days without market data (a file with gaps of days) are left
 * out of the day table and the Sharpe ratio: say which.
 */
static void
bt_gaps(const struct stats_days *d)
{
	const struct stats_gap	*g;
	char			 a[16], b[16];
	int64_t			 n;
	int			 ng;

	if ((n = stats_days_without_data(d, &g, &ng)) == 0)
		return;
	fprintf(stderr, "tickdesk: warning: no market data on %lld session "
	    "day%s, left out of the day table and the Sharpe ratio:",
	    (long long)n, n == 1 ? "" : "s");
	for (int i = 0; i < ng; i++) {
		stats_iso_day(g[i].first, a, sizeof a);
		stats_iso_day(g[i].last, b, sizeof b);
		if (g[i].days == 1)
			fprintf(stderr, "%s %s", i > 0 ? "," : "", a);
		else
			fprintf(stderr, "%s %s to %s (%d days)", i > 0 ? "," :
			    "", a, b, g[i].days);
	}
	fprintf(stderr, "%s\n", ng == STATS_GAPS_MAX ? ", ..." : "");
}

/* With filters: the entries they skipped, each strategy's that has one. */
static void
bt_filtered(const struct engine *e)
{
	int64_t	 sum = 0;

	if (engine_nfilter(e) == 0)
		return;
	for (int i = 0; i < engine_nstrat(e); i++)
		sum += engine_strategy_filtered(e, td_strat_at(i));
	printf("filters: %lld entr%s skipped", (long long)sum, sum == 1 ?
	    "y" : "ies");
	for (int i = 0, n = 0; i < engine_nstrat(e); i++) {
		int64_t	 k = engine_strategy_filtered(e, td_strat_at(i));

		if (k > 0)
			printf("%s%s %lld", n++ == 0 ? " (" : ", ",
			    engine_strategy_cfg(e, td_strat_at(i))->name,
			    (long long)k);
		if (i == engine_nstrat(e) - 1 && n > 0)
			printf(")");
	}
	printf("\n");
}

static int
bt_report(const struct bt_opts *o, const struct engine *e,
    const struct bt_watch *w, const struct bt_news *news,
    const struct reader_stats *rs, const char *source)
{
	struct stats		 s;
	struct errmsg		 err;
	const struct stats_day	*days;
	size_t			 ndays;

	if (stats_days_error(w->days)[0] != '\0') {
		fprintf(stderr, "tickdesk: %s\n", stats_days_error(w->days));
		return EXIT_RUNTIME;
	}
	days = stats_days_rows(w->days, &ndays);
	bt_gaps(w->days);
	stats_compute(&s, engine_trades(e), days, ndays);
	printf("tickdesk backtest: %s\n", source);
	if (rs != NULL)
		printf("data: %lld rows, %lld events, %lld skipped out of "
		    "order%s\n", (long long)rs->rows, (long long)rs->events,
		    (long long)rs->skipped_disorder,
		    o->cache_note != NULL ? o->cache_note : "");
	printf("engine: %lld events, %lld orders refused, final state %s\n",
	    (long long)health_obs_events(w->health),
	    (long long)health_obs_refused(w->health),
	    trading_state_name(engine_state(e)));
	bt_filtered(e);
	if (o->news != NULL)
		printf("news: %ld headlines (%ld before the data, %ld about "
		    "instruments not traded), %ld sentiment events\n",
		    news->count, news->c.early, news->c.other, news->c.sent);
	printf("\n");
	if (stats_report(stdout, &s, days, ndays, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return EXIT_RUNTIME;
	}
	if (o->trades_path != NULL && bt_write_trades(o->trades_path, e) == -1)
		return EXIT_RUNTIME;
	if (o->svg != NULL && bt_svg(o->svg, engine_trades(e)) == -1)
		return EXIT_RUNTIME;
	return EXIT_OK;
}

/* Record the backtest in a journal, as a session would be. */
static struct journal *
bt_journal(const struct bt_opts *o, const struct settings *st,
    struct engine *e)
{
	struct journal_session_info	 info = {
		.mode = "backtest",
		.config = st->source,
	};
	struct journal			*j;
	struct errmsg			 err;

	if ((j = journal_open(o->journal, JOURNAL_CREATE, &err)) == NULL ||
	    engine_journal(e, j, &info, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		journal_close(j);
		return NULL;
	}
	journal_sync_all(j, st->journal_sync == SETTINGS_SYNC_ALL);
	return j;
}

/* One backtest's parts: made by bt_start, freed by bt_stop. */
struct bt_run {
	struct engine		*e;
	struct strat_registry	*reg;
	struct feed		*feed;
	struct bt_news		 news;
	struct bt_watch		 w;
	struct reader_stats	 rs;
	int			 ncache;
	char			 source[256];
};

/*
 * The feed (the data files, their bar caches, or the demo), the
 * strategies, the simulated exchange and the engine of one backtest.
 * -1 once the problem is printed.
 */
static int
bt_start(struct bt_opts *o, struct settings *st,
    const struct reader_opts *ro, struct bt_run *r)
{
	struct engine_deps	 deps = { .venue = NULL };
	struct errmsg		 err;

	if (o->ndata > 0) {
		if ((r->ncache = bt_cache_feed(o, ro, &st->engine, &r->feed,
		    &err)) == 0)
			r->feed = feed_file_create(o->data, o->ndata, ro,
			    st->engine.inst, st->engine.ninst, &err);
		snprintf(r->source, sizeof r->source, "%d data file%s",
		    o->ndata, o->ndata == 1 ? "" : "s");
	} else {
		struct demo_cfg	 dc = {
			.seed = o->seed,
			.days = o->demo_days,
			.instrument = &st->engine.inst[0],
		};

		r->feed = feed_demo_create(&dc, &err);
		snprintf(r->source, sizeof r->source, "demo, %d days, seed %llu",
		    o->demo_days, (unsigned long long)o->seed);
	}
	/* A backtest matches on the simulated exchange, whatever venue.type. */
	if (r->feed == NULL || (r->reg = settings_strategies(st,
	    &err)) == NULL || (deps.venue = venue_sim_create(&st->venue,
	    &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	deps.strategies = r->reg;
	if (models_load(st, &deps.signals, &deps.nsignals, &err) == -1 ||
	    (r->e = engine_create(&st->engine, &deps, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		models_free(deps.signals, deps.nsignals);
		venue_free(deps.venue);
		return -1;
	}
	if (bt_watch(&r->w, r->e, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Feed the whole run through the engine; -1 once the problem is printed. */
static int
bt_go(const struct bt_opts *o, struct bt_run *r)
{
	struct errmsg	 err;
	int		 rc;

	memset(&r->news, 0, sizeof r->news);
	sent_book_init(&r->news.book, engine_ninst(r->e), o->half_life);
	if (o->news != NULL && (r->news.nf = news_open(o->news,
	    &err)) == NULL) {
		fprintf(stderr, "tickdesk: --news %s\n", err.msg);
		return -1;
	}
	rc = bt_loop(r->e, r->feed, o, engine_calendar(r->e, 0), &r->news,
	    &err);
	news_close(r->news.nf);
	r->news.nf = NULL;
	if (rc == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	if (r->ncache > 0)
		barcache_feed_stats(r->feed, &r->rs);
	else if (o->ndata > 0)
		feed_file_stats(r->feed, &r->rs);
	return 0;
}

static void
bt_stop(struct bt_run *r)
{
	engine_free(r->e);
	health_obs_free(r->w.health);
	stats_days_free(r->w.days);
	strat_registry_free(r->reg);	/* closes the plug-ins the engine ran */
	feed_free(r->feed);
}

/* One row of the --fill-models table. */
static void
bt_model_row(enum fill_model m, const struct stats *s)
{
	char	 net[PORTFOLIO_FMT_MAX], dd[PORTFOLIO_FMT_MAX], pf[32];
	char	 wr[32];

	if (s->trades > 0)
		snprintf(wr, sizeof wr, "%.2f%%", s->win_rate * 100.0);
	else
		snprintf(wr, sizeof wr, "n/a");
	printf("%-12s %8lld %9s %14s %14s %14s\n", fill_model_name(m),
	    (long long)s->trades, wr, stats_ratio(s->profit_factor, 2, pf,
	    sizeof pf), portfolio_format_money(s->net, net, sizeof net),
	    portfolio_format_money(s->max_drawdown, dd, sizeof dd));
}

/*
 * --fill-models --svg DIR: DIR/fill-models.svg, the closed-trade equity
 * of each model that closed a trade, one line each.
 */
static int
bt_models_svg(const char *dir, const struct bt_opts *o,
    const struct bt_curve *cv)
{
	struct chart_series	 s[FILL_NMODELS];
	struct chart_line	 c = { .title = "closed-trade equity by fill "
				    "model", .xlabel = "exit (UTC)",
				    .ylabel = "net P&L", .xunit = CHART_TIME,
				    .series = s };

	for (int k = 0; k < o->nmodels; k++) {
		if (cv[k].n > 0)
			s[c.nseries++] = (struct chart_series){
				.name = fill_model_name(o->models[k]),
				.x = cv[k].t, .y = cv[k].equity, .n = cv[k].n,
			};
	}
	if (c.nseries == 0) {
		fprintf(stderr, "tickdesk: --svg %s: no closed trade to "
		    "chart\n", dir);
		return 0;
	}
	return bt_svg_save(dir, "fill-models", &c);
}

/* The --fill-models table and the spread of the net P&L. */
static void
bt_models_table(const struct bt_opts *o, const struct stats *res)
{
	td_cents	 lo = 0, hi = 0;
	char		 buf[PORTFOLIO_FMT_MAX];

	printf("\n%-12s %8s %9s %14s %14s %14s\n", "fill model", "trades",
	    "win rate", "profit factor", "net p&l", "max drawdown");
	for (int k = 0; k < o->nmodels; k++) {
		bt_model_row(o->models[k], &res[k]);
		if (k == 0 || res[k].net < lo)
			lo = res[k].net;
		if (k == 0 || res[k].net > hi)
			hi = res[k].net;
	}
	printf("\nspread of net p&l (max - min): %s\n",
	    portfolio_format_money(hi - lo, buf, sizeof buf));
}

/*
 * --fill-models: the same configuration and data once per model, then
 * the results side by side and the spread of the net P&L (with --svg,
 * their equity curves on one chart).
 */
static int
bt_compare(struct bt_opts *o, struct settings *st,
    const struct reader_opts *ro)
{
	struct stats		 res[FILL_NMODELS];
	struct bt_curve		 cv[FILL_NMODELS];
	const struct stats_day	*days;
	size_t			 ndays;
	int			 rc = EXIT_OK;

	memset(cv, 0, sizeof cv);
	for (int k = 0; k < o->nmodels && rc == EXIT_OK; k++) {
		struct bt_run	 r = { .e = NULL };

		rc = EXIT_USAGE;
		st->venue.fill_model = o->models[k];
		if (bt_start(o, st, ro, &r) == 0 && bt_go(o, &r) == 0) {
			rc = EXIT_OK;
			if (stats_days_error(r.w.days)[0] != '\0') {
				fprintf(stderr, "tickdesk: %s\n",
				    stats_days_error(r.w.days));
				rc = EXIT_RUNTIME;
			}
			days = stats_days_rows(r.w.days, &ndays);
			stats_compute(&res[k], engine_trades(r.e), days, ndays);
			if (rc == EXIT_OK && o->svg != NULL &&
			    trades_count(engine_trades(r.e)) > 0 &&
			    bt_curve_make(engine_trades(r.e), &cv[k]) == -1) {
				fprintf(stderr, "tickdesk: out of memory\n");
				rc = EXIT_RUNTIME;
			}
		}
		if (rc == EXIT_OK && k == 0) {
			printf("tickdesk backtest: %s, %d fill models\n",
			    r.source, o->nmodels);
			if (o->ndata > 0)
				printf("data: %lld rows, %lld events, %lld "
				    "skipped out of order%s\n",
				    (long long)r.rs.rows, (long long)r.rs.events,
				    (long long)r.rs.skipped_disorder,
				    o->cache_note != NULL ? o->cache_note : "");
		}
		bt_stop(&r);
	}
	if (rc == EXIT_OK)
		bt_models_table(o, res);
	if (rc == EXIT_OK && o->svg != NULL && bt_models_svg(o->svg, o,
	    cv) == -1)
		rc = EXIT_RUNTIME;
	for (int k = 0; k < o->nmodels; k++)
		bt_curve_free(&cv[k]);
	return rc;
}

static int
cmd_backtest_exec(int argc, char **argv)
{
	struct bt_opts		*o;
	struct settings		*st = NULL;
	struct bt_run		 r = { .e = NULL };
	struct tz		*logtz = NULL;
	struct journal		*j = NULL;
	struct reader_opts	 ro;
	struct errmsg		 err;
	char			 errors[8192], cfg[SETTINGS_SOURCE_MAX];
	int			 rc = EXIT_USAGE;

	if ((o = calloc(1, sizeof *o)) == NULL ||
	    (st = calloc(1, sizeof *st)) == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		goto out;
	}
	if (bt_parse(argc, argv, o) == -1) {
		rc = cmd_usage(&cmd_backtest_entry);
		goto out;
	}
	if (settings_load_env(settings_path(o->config, cfg, sizeof cfg),
	    settings_env(o->env), st, errors, sizeof errors) == -1) {
		fputs(errors, stderr);
		goto out;
	}
	if (bt_resolve_data(o, &st->engine) == -1 ||
	    bt_reader_opts(o, st, &ro) == -1)
		goto out;
	st->engine.unattended = true;
	/*
	 * Stage timings are for status and /metrics, which a backtest has
	 * not; they would cost two clock reads per event for nothing.
	 */
	st->engine.health.latency = false;
	st->engine.log_level = o->verbose >= 2 ? LOG_DEBUG :
	    o->verbose == 1 ? LOG_INFO : LOG_WARNING;
	if ((logtz = tz_load(st->engine.cal[0].tz, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	st->engine.log = bt_log;
	st->engine.log_arg = logtz;
	o->half_life = st->news_half_life;
	/* A directory that cannot take the charts is refused before the run. */
	if (o->svg != NULL && cmd_svg_dir(o->svg) == -1) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (o->nmodels > 0) {
		rc = bt_compare(o, st, &ro);
		goto out;
	}
	if (bt_start(o, st, &ro, &r) == -1)
		goto out;
	if (o->journal != NULL && (j = bt_journal(o, st, r.e)) == NULL) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (bt_go(o, &r) == -1)
		goto out;
	rc = bt_report(o, r.e, &r.w, &r.news, o->ndata > 0 ? &r.rs : NULL,
	    r.source);
	if (j != NULL && journal_error(j)[0] != '\0') {
		fprintf(stderr, "tickdesk: %s\n", journal_error(j));
		rc = EXIT_RUNTIME;
	} else if (j != NULL) {
		const struct stats_day	*days;
		size_t			 ndays;

		/* Every day noted, the session ends cleanly. */
		days = stats_days_rows(r.w.days, &ndays);
		if (journal_note_days(j, days, ndays, &err) == -1 ||
		    journal_end(j, (td_ns)time(NULL) * TD_NS_PER_SEC,
		    &err) == -1) {
			fprintf(stderr, "tickdesk: %s\n", err.msg);
			rc = EXIT_RUNTIME;
		}
	}

out:
	journal_close(j);
	bt_stop(&r);
	tz_free(logtz);
	free(st);
	free(o);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_backtest_options[] = {
	{ "-c, --config CONFIG",
	    "the configuration file (else $TICKDESK_CONFIG, else "
	    "conf/tickdesk.cfg)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ "--data [SYMBOL=]FILE",
	    "a data file of bars or ticks for SYMBOL (the first "
	    "instrument); again for more files, which continue each "
	    "other; without it, the demo session" },
	{ "--format FMT",
	    "the data format instead of detecting it: csv, nt-minute, "
	    "nt-day, nt-tick, lean-minute, tick-csv or lean-tick" },
	{ "--tz ZONE",
	    "the time zone of the data's stamps instead of the format's" },
	{ "--stamp start|end",
	    "whether a bar's stamp is its start or its end, instead of "
	    "the format's" },
	{ "--skip-disorder",
	    "skip and count rows whose time goes backwards instead of "
	    "refusing the file" },
	{ "--from DATE",
	    "the first trading day to trade (YYYY-MM-DD)" },
	{ "--to DATE",
	    "the last trading day to trade (YYYY-MM-DD)" },
	{ "--trades FILE",
	    "also write every trade as CSV to FILE" },
	{ "--journal FILE",
	    "also write every order, fill and state change to the "
	    "journal FILE" },
	{ "--demo-days N",
	    "the length of the demo session in days (20)" },
	{ "--seed N",
	    "the demo session's seed (1)" },
	{ "--svg DIR",
	    "also draw the equity and drawdown curves as SVG files in "
	    "DIR" },
	{ "--fill-models all|NAME,...",
	    "run once under each fill model named and compare them "
	    "instead of the report" },
	{ "--news FILE",
	    "replay timestamped headlines (JSON lines) with the data, "
	    "scored into a sentiment series the strategies hear" },
	{ "-v, --verbose",
	    "print the engine's log at level info to standard error; "
	    "twice for debug" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_backtest_entry = {
	.name = "backtest",
	.usage = "[-v] [-c CONFIG] [--env NAME] [--data [SYMBOL=]FILE]... "
	    "[--format FMT] "
	    "[--tz ZONE] [--stamp start|end] [--skip-disorder] "
	    "[--from DATE] [--to DATE] [--trades FILE] [--journal FILE] "
	    "[--demo-days N] [--seed N] [--svg DIR] "
	    "[--fill-models all|NAME,...] [--news FILE]",
	.summary = "run the strategies over market data and report",
	.help = "Run the enabled strategies of the configuration over the data "
	    "files (or the built-in\ndemo session when none is given) through "
	    "the simulated exchange, and print a\nreport: trades, win rate, "
	    "profit factor, expectancy, P&L, commissions, drawdown,\nSharpe "
	    "ratio of daily P&L, average duration and a table per day.  With "
	    "--journal,\nevery order, fill and state change is also written to "
	    "a journal that\n`tickdesk report` reads.  With --svg, the equity "
	    "and drawdown curves as\nSVG files in DIR.  With --fill-models, the "
	    "same run under each fill\nmodel named (or all), compared side by "
	    "side (with --svg, their\nequity curves on one chart).  See tickdesk(1).",
	.options = cmd_backtest_options,
	.exec = cmd_backtest_exec,
};
