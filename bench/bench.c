/*
 * bench.c -- how fast tickdesk is, against the machine it runs on: one
 * table, measured in one run (`make bench`; never part of `make check`).
 *
 * The data is the demo generator's, deterministic: five years of 1-minute
 * ES bars of the whole Globex day (18:00-17:00 New York, weekdays), a year
 * of the same, a day of trade ticks, and synthetic ticks for the latency
 * loops.  Everything is written to a temporary directory that is removed
 * at the end.  The rows are those of issue 6:
 *
 *   (a) backtest from CSV: SimpleORB of the configuration over the five
 *       years, reader -> feed -> engine, as `tickdesk backtest` does;
 *   (b) the same from the binary bar cache (`tickdesk data import`):
 *       open it, read and check each block as the replay reaches it and
 *       replay it through the engine, as `tickdesk backtest` does (its
 *       feed owns the cache and reads it into a buffer of its own);
 *   (b') the engine alone: (b) with the cache opened and every block
 *       checked in its mapping (barcache_bars, its pages read in) before
 *       the clock starts, the feed then handing out the mapped bars;
 *   (c) a plain loop over the same bars, already in memory (the cache
 *       opened and every block checked before the clock starts): the same
 *       opening-range breakout entries and bracket exits in a few lines of
 *       C with no engine around them -- the ceiling.  The three must find
 *       the same trades, which is checked and printed;
 *   opening the cache on its own: the header and block table; then the
 *       feed of (b) alone, reading and checking every block with no
 *       engine, which is what (b) pays besides the engine; and the check
 *       of every block in the mapping that (b'), (c) and the optimiser do
 *       before their clocks start (the first touch of each page of a new
 *       mapping included);
 *   ratios of the runs above, each taken within one run and then the
 *   median: what the load of the machine does to them it does to both
 *   sides.  (b')/(c) is the share of the plain loop's speed the engine
 *   keeps: the per-bar cost of the engine against that of the loop over
 *   the same bars in memory, the row with issue 12's target (10 %);
 *   (b)/(c) the whole backtest from the cache file against the same
 *   loop: the engine, and the open, read and check of the file that (c)
 *   has done before its clock starts -- a figure to watch, with no
 *   target of its own: the feed's read and check of the file alone (a
 *   row below) is about a third of (b) on a virtual machine, where
 *   mapping the file instead costs more still;
 *   tick replay through the whole engine (venue matching, portfolio,
 *       strategies, risk, order manager) with the journal off and on, as
 *       a replay session runs it (stage timings as configured);
 *   latency from a market event to the order reaching the venue (the
 *       trade ledger sized beforehand for every trade the loop closes, so
 *       its growth does not fault pages in while it is timed), and from
 *       a `kill!` command (the desk's parser and exec, on the engine
 *       thread) to every cancel and flatten order reaching it, timed with
 *       clock_gettime at the seams;
 *   CSV ingest: the reader alone over the CSV file;
 *   peak RSS of `tickdesk backtest` over a year of 1-minute bars and over
 *       a day of ticks, each in a fresh child process (getrusage);
 *   a fleet: 1,000 engines of the configuration side by side in this
 *       process over one market (market.h) and one bar cache of a month
 *       of bars, as an optimiser runs them -- the time to create them and
 *       to run each over the month in turn, the memory each takes (the
 *       heap, mallinfo2, and the growth of the resident set, /proc/self/
 *       statm), and the size of what they share.  It runs early, while
 *       the heap holds little that was freed, so that new engines take
 *       fresh pages; every engine must make the trades one engine alone
 *       makes, which is checked and printed;
 *   optimisation throughput (issue 12): SimpleORB over a 1,000-point grid
 *       (opening range x stop x target) on the year's bar cache, each
 *       point a whole backtest on an engine of its own (opt_run), points
 *       a second on 1 and on 2 threads, the scaling of 2 threads over 1
 *       (its ideal 100 %), and, built --with-mpi, the wall time of
 *       `mpirun -np 2 tickdesk optimize` over the same grid; the rows of
 *       1 and 2 threads must be the same bytes, which is printed.
 *
 * Throughputs are the median of --runs runs (3); latencies are over
 * --events events (a million) after a warm-up.
 *
 * The latency loops need a look at each call the engine makes to its
 * venue: the venue the bench hands in gets a table of functions that
 * timestamps each call and forwards it.  They also need a strategy that
 * trades on every tick, which no built-in does: the bench adds one of its
 * own, pulse, to the registry it hands every engine.  (engine-int.h is
 * here for the size of struct engine the fleet's line prints.)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "barcache.h"
#include "calendar.h"
#include "demo.h"
#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-file.h"
#include "feed.h"
#include "health-obs.h"
#include "instrument.h"
#include "journal.h"
#include "market.h"
#include "opt-run.h"
#include "reader.h"
#include "settings.h"
#include "trades.h"
#include "tz.h"

#include "engine-int.h"

#define BENCH_RUNS_MAX	15
#define FLEET		1000	/* engines side by side */
#define FLEET_DAYS	21	/* Globex days of their bar cache */

struct bench {
	const char	*config;
	char		 config_path[SETTINGS_SOURCE_MAX];	/* the user's */
	const char	*tickdesk;
	char		 dir[256];
	bool		 keep;
	int		 days;		/* trading days of the bar files */
	int		 runs;
	long		 events;	/* latency samples */
	long		 kills;
	int		 tick_days;	/* replay */

	struct settings	 st;
	struct strat_registry *strategies;	/* the built-ins and pulse */
	char		 bars[320];	/* five years, CSV */
	char		 year[320];	/* one year, CSV */
	char		 ticks[320];	/* one day of ticks, nt-tick */
	char		 month[320];	/* the fleet's, CSV */
	char		 journal[320];
};

/* What a backtest found, to check that (a), (b) and (c) agree. */
struct result {
	double		 secs;
	int64_t		 bars;
	int64_t		 trades;
	td_cents	 net;
};

static struct bench	*the_bench;	/* for cleanup() on the way out */

/* Remove the data files and their directory (unless -k). */
static void
cleanup(void)
{
	const struct bench	*b = the_bench;
	char			 p[600];

	if (b == NULL || b->keep || b->dir[0] == '\0')
		return;
	{
		const char *const files[] = { b->bars, b->year, b->ticks,
		    b->month, b->journal };

		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			if (files[i][0] == '\0')
				continue;
			unlink(files[i]);
			snprintf(p, sizeof p, "%s%s", files[i],
			    BARCACHE_SUFFIX);
			unlink(p);
			snprintf(p, sizeof p, "%s-wal", files[i]);
			unlink(p);
			snprintf(p, sizeof p, "%s-shm", files[i]);
			unlink(p);
		}
	}
	if (rmdir(b->dir) == -1)
		fprintf(stderr, "bench: %s: %s\n", b->dir, strerror(errno));
	the_bench = NULL;
}

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cleanup();
	exit(1);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static off_t
file_size(const char *path)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1)
		die("%s: %s", path, strerror(errno));
	return sb.st_size;
}

/* ------------------------------------------------------------ data */

static const struct instrument *
es(const struct bench *b)
{
	return &b->st.engine.inst[0];
}

/* The demo generator's bars or ticks, written as `tickdesk generate`. */
static int64_t
gen_file(const struct bench *b, const char *path, int days, bool ticks)
{
	struct demo_cfg	 dc = {
		.seed = 1,
		.year = 2020,
		.mon = 1,
		.mday = 2,
		.days = days,
		.globex = true,
		.output = ticks ? DEMO_TICKS : DEMO_BARS,
		.bar_minutes = 1,
		.instrument = es(b),
	};
	struct errmsg	 err;
	struct demo	*d;
	struct tz	*zone;
	struct tz_tm	 tm;
	struct td_md	 md;
	char		 p[4][32];
	int64_t		 n = 0;
	FILE		*f;

	if ((d = demo_create(&dc, &err)) == NULL ||
	    (zone = tz_load(ticks ? "UTC" : "America/New_York", &err)) == NULL)
		die("demo: %s", err.msg);
	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	while (demo_next(d, &md) == 1) {
		if (md.kind == TD_MD_BAR) {
			const struct td_bar	*bar = &md.bar;

			tz_to_local(zone, bar->start, &tm);
			fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d,%s,%s,%s,%s,"
			    "%lld\n", tm.year, tm.mon, tm.mday, tm.hour,
			    tm.min, tm.sec,
			    instrument_format(es(b), bar->open, p[0], 32),
			    instrument_format(es(b), bar->high, p[1], 32),
			    instrument_format(es(b), bar->low, p[2], 32),
			    instrument_format(es(b), bar->close, p[3], 32),
			    (long long)bar->volume);
		} else {
			tz_to_local(zone, md.tick.time, &tm);
			fprintf(f, "%04d%02d%02d %02d%02d%02d %07lld;%s;%lld\n",
			    tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec,
			    (long long)(tm.nsec / 100),
			    instrument_format(es(b), md.tick.price, p[0], 32),
			    (long long)md.tick.volume);
		}
		n++;
	}
	if (fclose(f) != 0)
		die("%s: write failed", path);
	tz_free(zone);
	demo_free(d);
	return n;
}

/* The demo's ticks of some days, in memory, for the replay. */
static struct td_md *
gen_ticks(const struct bench *b, int days, size_t *n)
{
	struct demo_cfg	 dc = {
		.seed = 1,
		.year = 2024,
		.mon = 1,
		.mday = 2,
		.days = days,
		.globex = true,
		.output = DEMO_TICKS,
		.instrument = es(b),
	};
	struct errmsg	 err;
	struct demo	*d;
	struct td_md	*md = NULL;
	size_t		 cap = 0;

	if ((d = demo_create(&dc, &err)) == NULL)
		die("demo: %s", err.msg);
	*n = 0;
	for (;;) {
		if (*n == cap) {
			struct td_md	*p;

			cap = cap == 0 ? 1 << 20 : cap * 2;
			if ((p = realloc(md, cap * sizeof *md)) == NULL)
				die("out of memory");
			md = p;
		}
		if (demo_next(d, &md[*n]) != 1)
			break;
		(*n)++;
	}
	demo_free(d);
	return md;
}

/* ------------------------------------------------------------ backtests */

struct probe;
static void	probe_install(struct venue *, struct probe *);

/*
 * An engine of ec over the venue of the bench's settings, as the commands
 * make it; the venue's calls timed by probe when it is not NULL.
 */
static struct engine *
bench_engine(const struct bench *b, const struct engine_config *ec,
    struct probe *probe, struct errmsg *err)
{
	struct engine_deps	 deps = { .venue = NULL,
	    .strategies = b->strategies };
	struct engine		*e;

	if ((deps.venue = settings_venue(&b->st, err)) == NULL)
		return NULL;
	if (probe != NULL)
		probe_install(deps.venue, probe);
	if ((e = engine_create(ec, &deps, err)) == NULL)
		venue_free(deps.venue);
	return e;
}

static void
engine_cfg(const struct bench *b, struct engine_config *ec)
{
	*ec = b->st.engine;
	ec->unattended = true;
	ec->log = NULL;
}

/* A backtest's engine, as `tickdesk backtest` makes it: no stage timings. */
static void
backtest_cfg(const struct bench *b, struct engine_config *ec)
{
	engine_cfg(b, ec);
	ec->health.latency = false;
}

static void
result_of(struct result *r, const struct engine *e, double t0)
{
	const struct trades	*tl = engine_trades(e);

	r->secs = now() - t0;
	r->trades = (int64_t)trades_count(tl);
	r->net = 0;
	for (size_t i = 0; i < trades_count(tl); i++)
		r->net += trades_get(tl, i)->net;
}

static void
run_engine(struct engine *e, struct feed *f, struct result *r)
{
	struct errmsg	 err;
	struct td_md	 md;
	int		 rc;

	r->bars = 0;
	while ((rc = feed_next(f, &md, &err)) == 1) {
		if (engine_on_market(e, &md, &err) == -1)
			die("engine: %s", err.msg);
		r->bars++;
	}
	if (rc == -1)
		die("feed: %s", err.msg);
	engine_finish(e, engine_now(e));
}

/* (a): `tickdesk backtest --data FILE`, text all the way. */
static void
bt_csv(const struct bench *b, struct result *r)
{
	struct engine_config	 ec;
	struct feed_file_src	 src = { .path = b->bars, .inst = 0 };
	struct reader_opts	 ro = b->st.data;
	struct errmsg		 err;
	struct engine		*e;
	struct feed		*f;
	double			 t0 = now();

	backtest_cfg(b, &ec);
	if ((f = feed_file_create(&src, 1, &ro, ec.inst, ec.ninst,
	    &err)) == NULL || (e = bench_engine(b, &ec, NULL, &err)) == NULL)
		die("%s", err.msg);
	run_engine(e, f, r);
	result_of(r, e, t0);
	engine_free(e);
	feed_free(f);
}

/*
 * (b): the same file, through the cache the backtest would pick; with
 * in_memory, (b'): the cache opened and every block checked (its pages
 * read in) before the clock starts, so that only the engine is timed.
 */
static void
bt_cache(const struct bench *b, struct result *r, bool in_memory)
{
	struct engine_config	 ec;
	struct barcache_src	 src;
	struct reader_opts	 ro = b->st.data;
	struct errmsg		 err;
	struct engine		*e;
	struct feed		*f;
	size_t			 n;
	double			 t0 = now();

	backtest_cfg(b, &ec);
	ro.instrument = &ec.inst[0];
	if ((src.cache = barcache_open_for(b->bars, &ro, &err)) == NULL)
		die("cache not usable: %s", err.msg);
	if (in_memory) {
		if (barcache_bars(src.cache, &n, &err) == NULL)
			die("%s", err.msg);
		t0 = now();
	}
	src.inst = 0;
	/* Over every instrument of the configuration, as the backtest. */
	if ((f = barcache_feed_create(&src, 1, ec.ninst, &err)) == NULL ||
	    (e = bench_engine(b, &ec, NULL, &err)) == NULL)
		die("%s", err.msg);
	run_engine(e, f, r);
	result_of(r, e, t0);
	engine_free(e);
	feed_free(f);
}

/*
 * (c): SimpleORB's rules as a plain loop (the rules of
 * tests/cli/orb-reference.awk, on UTC bars and the configuration's
 * calendar): the opening range is the bars that end by open + range; the
 * first later bar that ends before the flatten time and closes beyond it
 * signals; the entry fills at the next bar's open; the bracket is matched
 * from that open on (a gap fills at the open, a bar touching both legs
 * fills the stop); a position still open is closed at the open of the
 * first bar from the flatten time on.
 */
struct plain_orb {
	int64_t		 range, stop, target, flatten;
	td_cents	 tick_value, commission;
};

static int32_t
next_day(int32_t ymd)
{
	int	 y, m, d;

	tz_civil_from_days(tz_days_from_civil(ymd / 10000, ymd / 100 % 100,
	    ymd % 100) + 1, &y, &m, &d);
	return y * 10000 + m * 100 + d;
}

static void
plain_close(struct result *r, const struct plain_orb *p, int *pos,
    td_ticks entry, td_ticks exit)
{
	r->trades++;
	r->net += (exit - entry) * *pos * p->tick_value - 2 * p->commission;
	*pos = 0;
}

/* The bracket against one bar; at_open: its open was the entry fill. */
static void
plain_bracket(struct result *r, const struct plain_orb *p, int *pos,
    const struct td_bar *bar, td_ticks entry, td_ticks stop, td_ticks target,
    bool at_open)
{
	if (*pos > 0) {
		if (!at_open && bar->open <= stop)
			plain_close(r, p, pos, entry, bar->open);
		else if (!at_open && bar->open >= target)
			plain_close(r, p, pos, entry, bar->open);
		else if (bar->low <= stop)
			plain_close(r, p, pos, entry, stop);
		else if (bar->high >= target)
			plain_close(r, p, pos, entry, target);
	} else {
		if (!at_open && bar->open >= stop)
			plain_close(r, p, pos, entry, bar->open);
		else if (!at_open && bar->open <= target)
			plain_close(r, p, pos, entry, bar->open);
		else if (bar->high >= stop)
			plain_close(r, p, pos, entry, stop);
		else if (bar->low <= target)
			plain_close(r, p, pos, entry, target);
	}
}

static void
plain_loop(const struct td_bar *bars, size_t n, const struct calendar *cal,
    const struct plain_orb *p, struct result *r)
{
	td_ns		 open = 0, close = INT64_MIN, range_end = 0, flat = 0;
	td_ns		 pos_flat = 0;
	td_ticks	 hi = 0, lo = 0, entry = 0, stop = 0, target = 0;
	int32_t		 day;
	int		 pos = 0, pending = 0;
	bool		 have_range = false, spent = false;

	if (n == 0)
		return;
	/* The day before the first bar's: the loop below moves to it. */
	day = calendar_trading_day(cal, bars[0].start - TD_NS_PER_DAY);
	for (size_t i = 0; i < n; i++) {
		const struct td_bar	*bar = &bars[i];

		while (bar->start >= close) {
			day = next_day(day);
			if (calendar_rth(cal, day, &open, &close) == -1)
				continue;
			range_end = open + p->range * TD_NS_PER_MIN;
			flat = close - p->flatten * TD_NS_PER_MIN;
			have_range = spent = false;
		}
		if (pending != 0) {
			pos = pending;
			pending = 0;
			entry = bar->open;
			stop = entry - pos * p->stop;
			target = entry + pos * p->target;
			plain_bracket(r, p, &pos, bar, entry, stop, target,
			    true);
		} else if (pos != 0) {
			if (bar->start >= pos_flat)
				plain_close(r, p, &pos, entry, bar->open);
			else
				plain_bracket(r, p, &pos, bar, entry, stop,
				    target, false);
		}
		if (bar->start < open)
			continue;
		if (bar->end <= range_end) {
			if (!have_range || bar->high > hi)
				hi = bar->high;
			if (!have_range || bar->low < lo)
				lo = bar->low;
			have_range = true;
			continue;
		}
		if (spent || !have_range || pos != 0 || bar->end >= flat)
			continue;
		if (bar->close > hi)
			pending = 1;
		else if (bar->close < lo)
			pending = -1;
		if (pending != 0) {
			spent = true;
			pos_flat = flat;
		}
	}
}

static void
bt_plain(const struct bench *b, struct result *r)
{
	const struct strategy_cfg	*sc = &b->st.engine.strat[0];
	const struct instrument		*in = es(b);
	struct plain_orb		 p = {
		.range = sc->params[0],
		.stop = sc->params[1],
		.target = sc->params[2],
		.flatten = sc->params[3],
		.tick_value = in->tick_value,
		.commission = in->commission,
	};
	char				 name[512];
	struct errmsg			 err;
	struct barcache			*c;
	struct calendar			*cal;
	const struct td_bar		*bars;
	size_t				 n;
	double				 t0;

	barcache_name(b->bars, name, sizeof name);
	if ((c = barcache_open(name, &err)) == NULL ||
	    (bars = barcache_bars(c, &n, &err)) == NULL ||
	    (cal = calendar_create(&b->st.engine.cal[in->calendar],
	    &err)) == NULL)
		die("%s", err.msg);
	memset(r, 0, sizeof *r);
	t0 = now();
	plain_loop(bars, n, cal, &p, r);
	r->secs = now() - t0;
	r->bars = (int64_t)n;
	calendar_free(cal);
	barcache_close(c);
}

/*
 * The cache's open on its own, as (b) does it (header, block table), in
 * *open; (b)'s feed alone over it, every block read and checked and
 * every bar handed out with no engine, in *feed; and, on the cache opened
 * again, the check of every block in the mapping (barcache_bars), in
 * *check.  Seconds.
 */
static void
cache_open(const struct bench *b, double *open, double *feed, double *check)
{
	struct reader_opts	 ro = b->st.data;
	struct errmsg		 err;
	struct barcache_src	 src = { .inst = 0 };
	struct feed		*f;
	struct td_md		 md;
	const struct td_bar	*bars;
	size_t			 n;
	double			 t0 = now(), t1;
	int			 rc;

	ro.instrument = es(b);
	if ((src.cache = barcache_open_for(b->bars, &ro, &err)) == NULL)
		die("cache not usable: %s", err.msg);
	t1 = now();
	*open = t1 - t0;
	if ((f = barcache_feed_create(&src, 1, 1, &err)) == NULL)
		die("%s", err.msg);
	while ((rc = feed_next(f, &md, &err)) == 1)
		;
	if (rc == -1)
		die("feed: %s", err.msg);
	*feed = now() - t1;
	feed_free(f);
	if ((src.cache = barcache_open_for(b->bars, &ro, &err)) == NULL)
		die("cache not usable: %s", err.msg);
	t1 = now();
	if ((bars = barcache_bars(src.cache, &n, &err)) == NULL)
		die("%s", err.msg);
	*check = now() - t1;
	barcache_close(src.cache);
}

/* The reader alone over the CSV: MB/s of text in. */
static double
ingest(const struct bench *b)
{
	struct reader_opts	 ro = b->st.data;
	struct errmsg		 err;
	struct reader		*rd;
	struct td_md		 md;
	double			 t0 = now();
	int			 rc;

	ro.instrument = es(b);
	if ((rd = reader_open(b->bars, &ro, &err)) == NULL)
		die("%s", err.msg);
	while ((rc = reader_next(rd, &md, &err)) == 1)
		;
	if (rc == -1)
		die("%s", err.msg);
	reader_close(rd);
	return (double)file_size(b->bars) / (now() - t0) / 1e6;
}

/* ------------------------------------------------------------ replay */

static double
replay(const struct bench *b, const struct td_md *md, size_t n, bool journal,
    int64_t *journaled)
{
	struct engine_config		 ec;
	struct journal_session_info	 info = { .mode = "replay" };
	struct errmsg			 err;
	struct engine			*e;
	struct journal			*j = NULL;
	double				 t0, secs;

	engine_cfg(b, &ec);
	if ((e = bench_engine(b, &ec, NULL, &err)) == NULL)
		die("%s", err.msg);
	if (journal) {
		unlink(b->journal);
		if ((j = journal_open(b->journal, JOURNAL_CREATE,
		    &err)) == NULL || engine_journal(e, j, &info, &err) == -1)
			die("journal: %s", err.msg);
	}
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		if (engine_on_market(e, &md[i], &err) == -1)
			die("engine: %s", err.msg);
	}
	engine_finish(e, engine_now(e));
	secs = now() - t0;
	if (j != NULL) {
		*journaled = journal_events(j);
		if (journal_error(j)[0] != '\0')
			die("journal: %s", journal_error(j));
		journal_close(j);
	}
	engine_free(e);
	return (double)n / secs;
}

/* ------------------------------------------------------------ latency */

/* The venue seam: each call timestamped, then passed to the real venue. */
struct probe {
	const struct venue_ops	*real;
	struct venue_ops	 ops;
	int64_t			 first;		/* first call since reset */
	int64_t			 last;		/* last call since reset */
	int			 calls;
};

static struct probe	*the_probe;	/* one per process: the bench's own */

static void
probe_mark(void)
{
	int64_t	 t = now_ns();

	if (the_probe->calls++ == 0)
		the_probe->first = t;
	the_probe->last = t;
}

static int
probe_submit(void *ctx, const struct venue_order *o, td_ns now)
{
	probe_mark();
	return the_probe->real->submit(ctx, o, now);
}

static int
probe_cancel(void *ctx, uint64_t id, td_ns now)
{
	probe_mark();
	return the_probe->real->cancel(ctx, id, now);
}

static int
probe_replace(void *ctx, uint64_t id, int64_t qty, td_ticks price, td_ns now)
{
	probe_mark();
	return the_probe->real->replace(ctx, id, qty, price, now);
}

/* Wrap venue v in probe p, before the engine takes it. */
static void
probe_install(struct venue *v, struct probe *p)
{
	p->real = v->ops;
	p->ops = *p->real;
	p->ops.submit = probe_submit;
	p->ops.cancel = probe_cancel;
	p->ops.replace = probe_replace;
	v->ops = &p->ops;
	the_probe = p;
}

static void
probe_reset(struct probe *p)
{
	p->calls = 0;
}

/*
 * The strategy of the latency loop: flat, it enters (one contract, no
 * bracket, alternately long and short); in a position, it exits.  Every
 * tick therefore fills the order of the tick before and sends a new one.
 */
struct pulse {
	enum td_side	 side;
};

static void *
pulse_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct pulse	*p;

	(void)ctx;
	if ((p = calloc(1, sizeof *p)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	p->side = TD_SELL;
	return p;
}

static int
pulse_tick(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_tick *t, struct errmsg *err)
{
	struct pulse	*p = self;
	struct intent	 in = {
		.kind = INTENT_ENTER,
		.inst = 0,
		.qty = 1,
		.why = "pulse",
	};

	if (strat_position(ctx, 0) != 0) {
		in.kind = INTENT_EXIT;
		strat_intent(ctx, &in);
		return 0;
	}
	p->side = p->side == TD_BUY ? TD_SELL : TD_BUY;
	in.side = p->side;
	strat_intent(ctx, &in);
	return 0;
}

static void
pulse_destroy(void *self)
{
	free(self);
}

static const struct strat_param pulse_params[] = {
	{ .name = NULL },
};

static const struct strategy_ops pulse_ops = {
	.abi = TD_STRATEGY_ABI,
	.name = "pulse",
	.summary = "bench: an order on every tick",
	.params = pulse_params,
	.create = pulse_create,
	.destroy = pulse_destroy,
	.on_tick = pulse_tick,
};

/*
 * The configuration of the latency loops: the configured instruments,
 * sessions, sizing and venue; the risk checks all run, but the limits a
 * strategy trading every tick would trip (loss limits, trade risk without
 * a stop, trading hours, the order throttle, the P&L swing breaker) are
 * off.
 */
static void
latency_cfg(const struct bench *b, struct engine_config *ec)
{
	engine_cfg(b, ec);
	ec->risk.daily_loss = 0;
	ec->risk.trailing_loss = 0;
	ec->risk.weekly_loss = 0;
	ec->risk.max_trade_risk = 0;
	ec->risk.hours_start = ec->risk.hours_end = 0;
	ec->risk.throttle_orders = 0;
	ec->risk.throttle_window = 0;
	ec->risk.stale_after = 0;
	ec->breakers.pnl_swing = 0;
	ec->nstrat = 1;
	ec->strat[0] = (struct strategy_cfg){
		.name = "pulse",
		.type = "pulse",
		.enabled = true,
	};
	snprintf(ec->strat[0].symbol, sizeof ec->strat[0].symbol, "%s",
	    ec->inst[0].symbol);
}

/* A tick of a random walk on instrument inst, at t. */
static void
walk_tick(struct td_md *md, int inst, td_ns t, td_ticks *px, uint64_t *rng)
{
	*rng = *rng * 6364136223846793005ULL + 1442695040888963407ULL;
	*px += (td_ticks)((*rng >> 33) % 3) - 1;
	*md = (struct td_md){
		.kind = TD_MD_TICK,
		.inst = inst,
		.tick = { .time = t, .price = *px, .volume = 1 },
	};
}

struct lat {
	double		 p50, p99, p999, max;
	long		 n;
};

static void
lat_of(int64_t *v, long n, struct lat *l)
{
	qsort(v, (size_t)n, sizeof *v, cmp_i64);
	l->n = n;
	l->p50 = (double)v[n / 2] / 1e3;
	l->p99 = (double)v[(long)((double)n * 0.99)] / 1e3;
	l->p999 = (double)v[(long)((double)n * 0.999)] / 1e3;
	l->max = (double)v[n - 1] / 1e3;
}

/* The RTH open of the first session day of the configuration's calendar. */
static td_ns
rth_open(const struct bench *b)
{
	struct errmsg	 err;
	struct calendar	*cal;
	td_ns		 open, close;
	int32_t		 day = 20240102;

	if ((cal = calendar_create(&b->st.engine.cal[0], &err)) == NULL)
		die("%s", err.msg);
	while (calendar_rth(cal, day, &open, &close) == -1)
		day = next_day(day);
	calendar_free(cal);
	return open;
}

/* Market event -> the order it causes at the venue. */
static void
latency_order(const struct bench *b, struct lat *out)
{
	struct engine_config	 ec;
	struct probe		 probe;
	struct errmsg		 err;
	struct engine		*e;
	struct health_obs	*refused;
	struct td_md		 md;
	int64_t			*v, t0;
	long			 warm = 20000, n = 0;
	uint64_t		 rng = 1;
	td_ticks		 px = 20000;
	td_ns			 t = rth_open(b) + TD_NS_PER_SEC;

	latency_cfg(b, &ec);
	if ((v = calloc((size_t)b->events, sizeof *v)) == NULL ||
	    (e = bench_engine(b, &ec, &probe, &err)) == NULL ||
	    (refused = health_obs_create(&err)) == NULL)
		die("%s", v == NULL ? "out of memory" : err.msg);
	/* A trade closes every other tick: room for them all, faulted in. */
	if (trades_presize(e->trades, (size_t)(warm + b->events) / 2 + 1,
	    &err) == -1)
		die("%s", err.msg);
	/* It hears refusals only: nothing more happens per tick. */
	if (engine_observer_add(e, &(struct engine_observer){
	    .fn = health_obs_observe, .arg = refused,
	    .mask = EEV_BIT(EEV_REFUSED) }, &err) == -1)
		die("%s", err.msg);
	/* 4 ms apart: a million events stay inside one regular session. */
	for (long i = 0; n < b->events; i++) {
		walk_tick(&md, 0, t, &px, &rng);
		t += 4 * TD_NS_PER_SEC / 1000;
		probe_reset(&probe);
		t0 = now_ns();
		if (engine_on_market(e, &md, &err) == -1)
			die("engine: %s", err.msg);
		if (probe.calls == 0)
			die("latency: tick %ld sent no order", i);
		if (i >= warm)
			v[n++] = probe.first - t0;
	}
	if (health_obs_refused(refused) != 0)
		die("latency: %lld orders refused",
		    (long long)health_obs_refused(refused));
	lat_of(v, n, out);
	engine_free(e);
	health_obs_free(refused);
	free(v);
}

/*
 * `kill!` -> every cancel and flatten order at the venue.  Each round
 * opens a bracketed position in every instrument (two working legs each),
 * then times the command; the next ticks fill the flatten orders and a
 * person's resume makes the desk ACTIVE again.
 */
static void
latency_kill(const struct bench *b, struct lat *out)
{
	struct engine_config	 ec;
	struct probe		 probe;
	struct runner_reply	 reply;
	struct errmsg		 err;
	struct engine		*e;
	struct desk		*desk;
	struct td_md		 md;
	int64_t			*v, t0;
	long			 warm = 2000, n = 0;
	uint64_t		 rng = 7;
	td_ticks		 px[ENGINE_MAX_INST];
	td_ns			 t = rth_open(b) + TD_NS_PER_SEC;
	int			 ninst;

	latency_cfg(b, &ec);
	ec.nstrat = 0;
	/* Each kill is logged as critical: a million trip the errors breaker. */
	ec.breakers.errors = 0;
	ninst = ec.ninst;
	for (int i = 0; i < ninst; i++)
		px[i] = 20000;
	if ((v = calloc((size_t)b->kills, sizeof *v)) == NULL ||
	    (e = bench_engine(b, &ec, &probe, &err)) == NULL ||
	    (desk = desk_create("bench", SNAP_BACKTEST, &err)) == NULL)
		die("%s", v == NULL ? "out of memory" : err.msg);
	for (long i = 0; n < b->kills; i++) {
		/* Open: a bracketed market entry per instrument, filled. */
		if (engine_state(e) != TS_ACTIVE &&
		    engine_set_state(e, TS_ACTIVE, "bench", "next round",
		    &err) == -1)
			die("resume: %s", err.msg);
		for (int k = 0; k < ninst; k++) {
			struct manual_order	 m = {
				.inst = td_inst_at(k),
				.side = i % 2 ? TD_SELL : TD_BUY,
				.type = ORD_MARKET,
				.qty = 1,
				.br = { .stop_ticks = 40, .ntargets = 1,
				    .target_ticks = { 40 } },
			};

			if (engine_manual_order(e, &m, NULL, &err) == -1)
				die("entry: %s", err.msg);
		}
		for (int k = 0; k < ninst; k++) {
			walk_tick(&md, k, t, &px[k], &rng);
			if (engine_on_market(e, &md, &err) == -1)
				die("engine: %s", err.msg);
		}
		t += TD_NS_PER_SEC / 1000;
		if (order_mgr_live_count(engine_orders(e)) != 2 * ninst)
			die("kill: round %ld has %d working orders", i,
			    order_mgr_live_count(engine_orders(e)));
		/* The command. */
		probe_reset(&probe);
		t0 = now_ns();
		desk_exec(desk, NULL, e, "kill!", &reply);
		if (reply.status != 0)
			die("kill!: %s", reply.text);
		if (probe.calls != 3 * ninst)
			die("kill: %d venue calls, expected %d", probe.calls,
			    3 * ninst);
		if (i >= warm)
			v[n++] = probe.last - t0;
		/* Let the flatten orders fill. */
		for (int k = 0; k < ninst; k++) {
			walk_tick(&md, k, t, &px[k], &rng);
			if (engine_on_market(e, &md, &err) == -1)
				die("engine: %s", err.msg);
		}
		t += TD_NS_PER_SEC / 1000;
	}
	lat_of(v, n, out);
	desk_free(desk);
	engine_free(e);
	free(v);
}

/* ------------------------------------------------------------ memory */

/* Peak RSS (MB) of `tickdesk backtest` over a file, in a fresh process. */
static double
rss_of(const struct bench *b, const char *data)
{
	struct rusage	 ru;
	char		 arg[400];
	pid_t		 pid;
	int		 status, fd;

	snprintf(arg, sizeof arg, "ES=%s", data);
	if ((pid = fork()) == -1)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1) {
			dup2(fd, 1);
			close(fd);
		}
		execl(b->tickdesk, b->tickdesk, "backtest", "-c", b->config,
		    "--data", arg, (char *)NULL);
		fprintf(stderr, "bench: %s: %s\n", b->tickdesk,
		    strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) == -1)
		die("wait4: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("tickdesk backtest --data %s failed", arg);
	return (double)ru.ru_maxrss / 1024.0;
}

/* ------------------------------------------------------------ a fleet */

struct fleet {
	double		 create_secs;	/* the engines, their venues made */
	double		 run_secs;
	int64_t		 bars;		/* each engine's */
	double		 heap_engine;	/* bytes per engine */
	double		 heap_venue;	/* bytes per engine's venue */
	double		 rss;		/* resident bytes per engine */
	double		 market;	/* bytes of the shared market */
	double		 cache;		/* bytes of the cache, mapped */
	int64_t		 trades;	/* one engine's alone */
	bool		 same;		/* every engine made them */
};

/* Bytes the heap holds in use: the arenas' and the mmapped blocks. */
static size_t
heap_used(void)
{
	struct mallinfo2	 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* The resident set of this process, in bytes. */
static double
rss_now(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 size, resident;

	if (f == NULL || fscanf(f, "%ld %ld", &size, &resident) != 2)
		die("/proc/self/statm: cannot read");
	fclose(f);
	return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

/* Every bar of the cache through e, then the end of the data. */
static void
fleet_run(struct engine *e, const struct td_bar *bars, size_t n)
{
	struct td_md	 md = { .kind = TD_MD_BAR, .inst = 0 };
	struct errmsg	 err;

	for (size_t k = 0; k < n; k++) {
		md.bar = bars[k];
		if (engine_on_market(e, &md, &err) == -1)
			die("engine: %s", err.msg);
	}
	engine_finish(e, engine_now(e));
}

static bool
same_trades(const struct trades *a, const struct trades *b)
{
	if (trades_count(a) != trades_count(b))
		return false;
	for (size_t i = 0; i < trades_count(a); i++) {
		const struct trade	*x = trades_get(a, i);
		const struct trade	*y = trades_get(b, i);

		if (x->entry_time != y->entry_time ||
		    x->exit_time != y->exit_time || x->side != y->side ||
		    x->max_qty != y->max_qty || x->net != y->net)
			return false;
	}
	return true;
}

/* FLEET venues of the settings, and the heap they took. */
static struct venue **
fleet_venues(const struct bench *b, size_t *heap)
{
	struct venue	**v;
	struct errmsg	 err;
	size_t		 h0;

	if ((v = calloc(FLEET, sizeof *v)) == NULL)
		die("out of memory");
	h0 = heap_used();
	for (int i = 0; i < FLEET; i++) {
		if ((v[i] = settings_venue(&b->st, &err)) == NULL)
			die("%s", err.msg);
	}
	*heap = heap_used() - h0;
	return v;
}

/*
 * FLEET engines side by side over one market and the month's cache, each
 * run over all of it in turn, against one engine alone with a market of
 * its own (made and run first: its run also maps the cache in, so that
 * the resident set grows by the engines alone).
 */
static void
fleet(const struct bench *b, struct fleet *out)
{
	struct engine_config	 ec;
	struct reader_opts	 ro = b->st.data;
	struct engine_deps	 deps = { .venue = NULL };
	struct engine		**e, *one;
	struct venue		**v;
	struct barcache		*c;
	struct market		*m;
	const struct td_bar	*bars;
	struct errmsg		 err;
	size_t			 n, h0, vheap;
	double			 rss0, t0;

	backtest_cfg(b, &ec);
	ro.instrument = &ec.inst[0];
	if ((c = barcache_open_for(b->month, &ro, &err)) == NULL)
		die("fleet: cache not usable: %s", err.msg);
	if ((bars = barcache_bars(c, &n, &err)) == NULL)
		die("fleet: %s", err.msg);
	out->cache = (double)file_size(barcache_path(c));
	if ((one = bench_engine(b, &ec, NULL, &err)) == NULL ||
	    (e = calloc(FLEET, sizeof *e)) == NULL)
		die("%s", one == NULL ? err.msg : "out of memory");
	fleet_run(one, bars, n);
	h0 = heap_used();
	if ((m = market_create(ec.inst, ec.ninst, ec.cal, ec.ncal,
	    &err)) == NULL)
		die("%s", err.msg);
	out->market = (double)(heap_used() - h0);

	rss0 = rss_now();
	v = fleet_venues(b, &vheap);
	deps.market = m;
	h0 = heap_used();
	t0 = now();
	for (int i = 0; i < FLEET; i++) {
		deps.venue = v[i];
		if ((e[i] = engine_create(&ec, &deps, &err)) == NULL)
			die("%s", err.msg);
	}
	out->create_secs = now() - t0;
	out->heap_engine = (double)(heap_used() - h0) / FLEET;
	out->heap_venue = (double)vheap / FLEET;
	t0 = now();
	for (int i = 0; i < FLEET; i++)
		fleet_run(e[i], bars, n);
	out->run_secs = now() - t0;
	out->rss = (rss_now() - rss0) / FLEET;

	out->bars = (int64_t)n;
	out->trades = (int64_t)trades_count(engine_trades(one));
	out->same = true;
	for (int i = 0; i < FLEET; i++) {
		out->same = out->same && same_trades(engine_trades(e[i]),
		    engine_trades(one));
		engine_free(e[i]);
	}
	free(e);
	free(v);
	engine_free(one);
	market_free(m);
	barcache_close(c);
}

/* ------------------------------------------------------------ main */

/* Write SOURCE.tdc as `tickdesk data import` does. */
static void
import(const struct bench *b, const char *path)
{
	struct reader_opts	 ro = b->st.data;
	struct errmsg		 err;
	const char		*src[1] = { path };
	char			 name[512];

	ro.instrument = es(b);
	barcache_name(path, name, sizeof name);
	if (barcache_import(name, src, 1, &ro, NULL, &err) == -1)
		die("import: %s", err.msg);
}

/* ------------------------------------------------------------ optimize */

#define OPT_POINTS	1000

/* The 1,000-point ORB grid: range x stop x target, on strategy 0. */
static void
opt_grid(const struct bench *b, struct opt_space *sp)
{
	const char	*name = b->st.engine.strat[0].name;
	const char	*dims[] = { "opening_range_minutes=15,30,45,60",
			    "stop_ticks=2:50:2", "target_ticks=10:100:10" };
	char		 spec[128];
	struct errmsg	 err;

	opt_space_init(sp);
	for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
		snprintf(spec, sizeof spec, "%s.%s", name, dims[i]);
		if (opt_space_add(sp, &b->st.engine, b->strategies, spec,
		    &err) == -1)
			die("optimize: %s", err.msg);
	}
	if (sp->npoints != OPT_POINTS)
		die("optimize: %lld points", (long long)sp->npoints);
}

/*
 * Optimisation throughput: every point of the grid a whole backtest over
 * the year's bar cache (checked whole before the clock starts), on
 * threads threads; points a second.  rows gets the results.
 */
static double
opt_rate(const struct bench *b, int threads, struct opt_row *rows)
{
	struct engine_config	 ec;
	struct opt_space	 sp;
	struct barcache_src	 src = { .inst = 0 };
	struct errmsg		 err;
	char			 cache[512];
	size_t			 n;
	double			 t0, t;
	struct opt_job		 job;

	backtest_cfg(b, &ec);
	opt_grid(b, &sp);
	barcache_name(b->year, cache, sizeof cache);
	if ((src.cache = barcache_open(cache, &err)) == NULL ||
	    barcache_bars(src.cache, &n, &err) == NULL)
		die("optimize: %s", err.msg);
	job = (struct opt_job){ .base = &ec, .venue = &b->st.venue,
	    .reg = b->strategies, .space = &sp, .data = &src, .ndata = 1,
	    .objective = OPT_NET, .min_trades = 1, .threads = threads };
	t0 = now();
	if (opt_run(&job, rows, &err) != OPT_POINTS)
		die("optimize: %s", err.msg);
	t = now() - t0;
	barcache_close(src.cache);
	opt_space_free(&sp);
	return OPT_POINTS / t;
}

/*
 * The same grid by `mpirun -np 2 tickdesk optimize --threads 1`, process
 * start and MPI included; points a second, 0 when not built with MPI.
 */
static double
opt_mpi_rate(const struct bench *b)
{
#ifdef TD_MPI
	const char	*name = b->st.engine.strat[0].name;
	char		 cmd[4096];
	double		 t0;

	snprintf(cmd, sizeof cmd, "OMPI_ALLOW_RUN_AS_ROOT=1 "
	    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
	    "OMPI_MCA_rmaps_base_oversubscribe=1 mpirun -np 2 %s optimize "
	    "-c %s --data ES=%s --threads 1 "
	    "--param %s.opening_range_minutes=15,30,45,60 "
	    "--param %s.stop_ticks=2:50:2 --param %s.target_ticks=10:100:10 "
	    ">/dev/null 2>&1", b->tickdesk, b->config, b->year, name, name,
	    name);
	t0 = now();
	if (system(cmd) != 0)
		die("optimize: mpirun -np 2 failed: %s", cmd);
	return OPT_POINTS / (now() - t0);
#else
	(void)b;
	return 0;
#endif
}

/* Others running at the same time make every figure worse: say so. */
static void
loadavg(char *buf, size_t len)
{
	FILE	*f = fopen("/proc/loadavg", "r");
	double	 l1, l5, l15;

	snprintf(buf, len, "unknown");
	if (f == NULL)
		return;
	if (fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3)
		snprintf(buf, len, "%.2f %.2f %.2f", l1, l5, l15);
	fclose(f);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench [-k] [-c CONFIG] [-t TICKDESK] "
	    "[-d DIR] [--days N] [--runs N] [--events N] [--kills N] "
	    "[--tick-days N]\n");
	exit(2);
}

static long
number(const char *s, long lo, long hi)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return v;
}

static void
parse(int argc, char **argv, struct bench *b)
{
	enum { O_DAYS = 256, O_RUNS, O_EVENTS, O_KILLS, O_TICKDAYS };
	static const struct option longopts[] = {
		{ "days", required_argument, NULL, O_DAYS },
		{ "runs", required_argument, NULL, O_RUNS },
		{ "events", required_argument, NULL, O_EVENTS },
		{ "kills", required_argument, NULL, O_KILLS },
		{ "tick-days", required_argument, NULL, O_TICKDAYS },
		{ NULL, 0, NULL, 0 },
	};
	const char	*dir = NULL;
	int		 ch;

	b->tickdesk = "./tickdesk";
	b->days = 5 * 261;
	b->runs = 3;
	b->events = 1000000;
	b->kills = 1000000;
	b->tick_days = 10;
	while ((ch = getopt_long(argc, argv, "c:d:kt:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			b->config = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'k':
			b->keep = true;
			break;
		case 't':
			b->tickdesk = optarg;
			break;
		case O_DAYS:
			b->days = (int)number(optarg, 261, 20000);
			break;
		case O_RUNS:
			b->runs = (int)number(optarg, 1, BENCH_RUNS_MAX);
			break;
		case O_EVENTS:
			b->events = number(optarg, 1000, 100000000);
			break;
		case O_KILLS:
			b->kills = number(optarg, 1000, 100000000);
			break;
		case O_TICKDAYS:
			b->tick_days = (int)number(optarg, 1, 1000);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (dir != NULL)
		snprintf(b->dir, sizeof b->dir, "%s", dir);
	else {
		snprintf(b->dir, sizeof b->dir, "%s/tickdesk-bench.XXXXXX",
		    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(b->dir) == NULL)
			die("mkdtemp: %s", strerror(errno));
	}
}

static const char *
cpu_model(char *buf, size_t len)
{
	FILE	*f = fopen("/proc/cpuinfo", "r");
	char	 line[256], *p;

	snprintf(buf, len, "unknown cpu");
	if (f == NULL)
		return buf;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "model name", 10) == 0 &&
		    (p = strchr(line, ':')) != NULL) {
			snprintf(buf, len, "%s", p + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
	return buf;
}

static const char *
verdict(bool ok)
{
	return ok ? "met" : "MISSED";
}

int
main(int argc, char **argv)
{
	static struct bench	 b;
	struct result		 ra, rb, rc, rm;
	struct lat		 lo, lk;
	struct fleet		 fl;
	struct errmsg		 err;
	struct utsname		 un;
	struct rusage		 self;
	struct td_md		*ticks;
	char			 errors[8192], cpu[128];
	char			 load0[64], load1[64];
	double			 va[BENCH_RUNS_MAX], vb[BENCH_RUNS_MAX];
	double			 vc[BENCH_RUNS_MAX], vi[BENCH_RUNS_MAX];
	double			 voff[BENCH_RUNS_MAX], von[BENCH_RUNS_MAX];
	double			 vo[BENCH_RUNS_MAX], vk[BENCH_RUNS_MAX];
	double			 vf[BENCH_RUNS_MAX];
	double			 vbc[BENCH_RUNS_MAX], vac[BENCH_RUNS_MAX];
	double			 vob[BENCH_RUNS_MAX], vm[BENCH_RUNS_MAX];
	double			 vmc[BENCH_RUNS_MAX];
	double			 vo1[BENCH_RUNS_MAX], vo2[BENCH_RUNS_MAX];
	double			 voe[BENCH_RUNS_MAX], vom[BENCH_RUNS_MAX];
	double			 o1, o2, oe, omp;
	static struct opt_row	 orow1[OPT_POINTS], orow2[OPT_POINTS];
	bool			 osame = true;
	double			 a, bb, c, in, off, on, rss_csv, rss_tdc;
	double			 op, fd, ck, bc, ac, ob, m, mc;
	double			 rss_ticks, t0;
	int64_t			 nbars, nyear, nticks, journaled = 0;
	size_t			 nreplay;

	parse(argc, argv, &b);
	the_bench = &b;
	b.config = settings_path(b.config, b.config_path,
	    sizeof b.config_path);
	if (settings_load(b.config, &b.st, errors, sizeof errors) == -1) {
		fputs(errors, stderr);
		cleanup();
		return 1;
	}
	if ((b.strategies = strat_registry_create(&err)) == NULL ||
	    strat_registry_add(b.strategies, &pulse_ops, &err) == -1)
		die("%s", err.msg);
	if (b.st.engine.nstrat < 1 ||
	    strcmp(b.st.engine.strat[0].type, "orb") != 0 ||
	    b.st.engine.inst[b.st.engine.ninst > 0 ? 0 : 0].calendar != 0)
		die("%s: the first strategy must be orb on the first "
		    "instrument", b.config);
	snprintf(b.bars, sizeof b.bars, "%s/ES_1min_5y.csv", b.dir);
	snprintf(b.year, sizeof b.year, "%s/ES_1min_1y.csv", b.dir);
	snprintf(b.ticks, sizeof b.ticks, "%s/ES.Last.txt", b.dir);
	snprintf(b.month, sizeof b.month, "%s/ES_1min_month.csv", b.dir);
	snprintf(b.journal, sizeof b.journal, "%s/journal.db", b.dir);

	fprintf(stderr, "bench: generating data in %s\n", b.dir);
	loadavg(load0, sizeof load0);
	t0 = now();
	/*
	 * Peak RSS first, while this process is small: a child's peak counts
	 * the image it was forked from until its exec.
	 */
	nyear = gen_file(&b, b.year, 261, false);
	nticks = gen_file(&b, b.ticks, 1, true);
	getrusage(RUSAGE_SELF, &self);
	rss_csv = rss_of(&b, b.year);
	import(&b, b.year);
	rss_tdc = rss_of(&b, b.year);
	rss_ticks = rss_of(&b, b.ticks);
	gen_file(&b, b.month, FLEET_DAYS, false);
	import(&b, b.month);
	fprintf(stderr, "bench: %d engines over one bar cache\n", FLEET);
	fleet(&b, &fl);

	nbars = gen_file(&b, b.bars, b.days, false);
	import(&b, b.bars);
	ticks = gen_ticks(&b, b.tick_days, &nreplay);
	fprintf(stderr, "bench: data ready in %.1f s; measuring\n",
	    now() - t0);

	for (int i = 0; i < b.runs; i++) {
		bt_csv(&b, &ra);
		va[i] = (double)ra.bars / ra.secs;
		bt_cache(&b, &rb, false);
		vb[i] = (double)rb.bars / rb.secs;
		bt_cache(&b, &rm, true);
		vm[i] = (double)rm.bars / rm.secs;
		bt_plain(&b, &rc);
		vc[i] = (double)rc.bars / rc.secs;
		cache_open(&b, &vo[i], &vf[i], &vk[i]);
		vbc[i] = vb[i] / vc[i];
		vmc[i] = vm[i] / vc[i];
		vac[i] = va[i] / vc[i];
		vob[i] = (vo[i] + vf[i]) / rb.secs;
		vi[i] = ingest(&b);
		voff[i] = replay(&b, ticks, nreplay, false, NULL);
		von[i] = replay(&b, ticks, nreplay, true, &journaled);
	}
	a = median(va, b.runs);
	bb = median(vb, b.runs);
	c = median(vc, b.runs);
	op = median(vo, b.runs);
	fd = median(vf, b.runs);
	ck = median(vk, b.runs);
	bc = median(vbc, b.runs);
	ac = median(vac, b.runs);
	ob = median(vob, b.runs);
	m = median(vm, b.runs);
	mc = median(vmc, b.runs);
	in = median(vi, b.runs);
	off = median(voff, b.runs);
	on = median(von, b.runs);
	fprintf(stderr, "bench: optimize, a %d-point grid on a year\n",
	    OPT_POINTS);
	for (int i = 0; i < b.runs; i++) {
		vo1[i] = opt_rate(&b, 1, orow1);
		vo2[i] = opt_rate(&b, 2, orow2);
		voe[i] = vo2[i] / vo1[i] / 2;
		vom[i] = opt_mpi_rate(&b);
		osame &= memcmp(orow1, orow2, sizeof orow1) == 0;
	}
	o1 = median(vo1, b.runs);
	o2 = median(vo2, b.runs);
	oe = median(voe, b.runs);
	omp = median(vom, b.runs);
	fprintf(stderr, "bench: latency, %ld events and %ld kills\n",
	    b.events, b.kills);
	latency_order(&b, &lo);
	latency_kill(&b, &lk);
	free(ticks);
	loadavg(load1, sizeof load1);

	uname(&un);
	printf("tickdesk bench: %s, %ld cores, %s %s\n", cpu_model(cpu,
	    sizeof cpu), sysconf(_SC_NPROCESSORS_ONLN), un.sysname,
	    un.release);
	printf("data: demo seed 1, %d Globex days of 1-minute ES bars from "
	    "2020-01-02 (%lld bars, %.0f MB of CSV); median of %d runs\n\n",
	    b.days, (long long)nbars, (double)file_size(b.bars) / 1e6, b.runs);
	printf("%-44s %28s  %-14s %s\n", "measure", "result", "target", "");
	printf("%-44s %22.1f M/s  %-14s %s\n",
	    "backtest, bars/s: (a) CSV read + engine", a / 1e6, ">= 4 M/s",
	    verdict(a >= 4e6));
	printf("%-44s %22.1f M/s  %-14s %s\n",
	    "backtest, bars/s: (b) cache open+read+engine", bb / 1e6,
	    ">= 20 M/s", verdict(bb >= 20e6));
	printf("%-44s %22.1f M/s  %-14s %s\n",
	    "backtest, bars/s: (b') engine, bars in RAM", m / 1e6, "", "");
	printf("%-44s %22.1f M/s  %-14s %s\n",
	    "backtest, bars/s: (c) plain loop, bars in RAM", c / 1e6,
	    "(ceiling)", "");
	printf("%-44s %25.2f ms  %-14s %s\n",
	    "bar cache: open (header, block table)", op * 1e3, "", "");
	printf("%-44s %25.2f ms  %-14s %s\n",
	    "bar cache: (b)'s feed alone, read + check", fd * 1e3, "", "");
	printf("%-44s %25.2f ms  %-14s %s\n",
	    "bar cache: check of every block, mapped", ck * 1e3, "", "");
	printf("%-44s %24.1f %%  %-14s %s\n",
	    "ratio: (b') engine / (c) plain loop, in RAM", 100 * mc,
	    ">= 10 %", verdict(mc >= 0.10));
	printf("%-44s %24.1f %%  %-14s %s\n",
	    "ratio: (b) open+read+engine / (c) plain loop", 100 * bc,
	    "", "");
	printf("%-44s %24.1f %%  %-14s %s\n",
	    "ratio: (a) CSV backtest / (c) plain loop", 100 * ac, "", "");
	printf("%-44s %24.1f %%  %-14s %s\n",
	    "ratio: cache open + feed alone / (b)'s time", 100 * ob, "",
	    "");
	printf("%-44s %22.2f M/s  %-14s %s\n",
	    "tick replay, ticks/s, journal off", off / 1e6, "", "");
	printf("%-44s %22.2f M/s  %-14s %s\n",
	    "tick replay, ticks/s, journal on", on / 1e6, "", "");
	printf("%-44s %5.2f %5.2f %5.2f %8.1f us  %-14s %s\n",
	    "event -> order, ledger presized, p50..max", lo.p50, lo.p99,
	    lo.p999, lo.max, "p99 < 5 us", verdict(lo.p99 < 5));
	printf("%-44s %5.2f %5.2f %5.2f %8.1f us  %-14s %s\n",
	    "kill -> all orders sent, p50 p99 p99.9 max", lk.p50, lk.p99,
	    lk.p999, lk.max, "< 1000 us", lk.max < 1000 ? "met" :
	    lk.p999 < 1000 ? "met to p99.9" : "MISSED");
	printf("%-44s %14.1f points/s  %-14s %s\n",
	    "optimize: 1,000-point ORB grid, year, 1 thread", o1, "", "");
	printf("%-44s %14.1f points/s  %-14s %s\n",
	    "optimize: the same, 2 threads", o2, "", "");
	printf("%-44s %24.1f %%  %-14s %s\n",
	    "optimize: scaling, 2 threads / 1 thread / 2", 100 * oe,
	    ">= 85 %", verdict(oe >= 0.85));
	if (omp > 0)
		printf("%-44s %14.1f points/s  %-14s %s\n",
		    "optimize: mpirun -np 2, a thread each", omp, "", "");
	printf("%-44s %21.0f MB/s  %-14s %s\n", "CSV ingest", in,
	    ">= 300 MB/s", verdict(in >= 300));
	printf("%-44s %14.1f / %5.1f MB  %-14s %s\n",
	    "peak RSS, year of 1-min bars (CSV / cache)", rss_csv,
	    rss_tdc, "< 64 MB", verdict(rss_csv < 64 && rss_tdc < 64));
	printf("%-44s %25.1f MB  %-14s %s\n", "peak RSS, a day of ticks",
	    rss_ticks, "", "");
	printf("%-44s %25.1f ms  %-14s %s\n",
	    "fleet: create 1,000 engines on one market", fl.create_secs * 1e3,
	    "", "");
	printf("%-44s %24.1f M/s  %-14s %s\n",
	    "fleet: run each over the month, bars/s", (double)FLEET *
	    (double)fl.bars / fl.run_secs / 1e6, "", "");
	printf("%-44s %14.1f + %6.1f KB  %-14s %s\n",
	    "fleet: heap per engine + per its venue", fl.heap_engine / 1024,
	    fl.heap_venue / 1024, "", "");
	printf("%-44s %25.1f KB  %-14s %s\n",
	    "fleet: resident set growth per engine", fl.rss / 1024, "", "");
	printf("%-44s %13.2f MB / %5.1f KB  %-14s %s\n",
	    "fleet: shared, bar cache mapped / market", fl.cache / 1e6,
	    fl.market / 1024, "", "");
	printf("\nchecks: trades (a) %lld, (b) %lld, (b') %lld, (c) %lld; "
	    "net P&L (a) %lld, (b) %lld, (b') %lld, (c) %lld cents: %s\n",
	    (long long)ra.trades, (long long)rb.trades, (long long)rm.trades,
	    (long long)rc.trades, (long long)ra.net, (long long)rb.net,
	    (long long)rm.net, (long long)rc.net,
	    ra.trades == rb.trades && rb.trades == rc.trades &&
	    rm.trades == rb.trades && rm.net == rb.net &&
	    ra.net == rb.net && rb.net == rc.net ? "the same" : "DIFFERENT");
	printf("optimize: ORB's opening range 15, 30, 45, 60 min x stop 2..50 "
	    "ticks by 2 x target 10..100 by 10, each point a whole backtest "
	    "over the year's bar cache (checked before the clock starts), "
	    "points/s the median of %d runs, the scaling the median of the "
	    "ratios within each run; mpirun: the wall time of `mpirun -np 2 "
	    "tickdesk optimize --threads 1` over the same grid, start of the "
	    "processes and the cache's check included; the rows on 1 and 2 "
	    "threads: %s\n", b.runs, osame ? "the same bytes" : "DIFFERENT");
	printf("(a), (b), (c): median bars/s of %d runs; the ratios: medians "
	    "of the ratios taken within each run; (b) times what a backtest "
	    "from the cache does (open, header and block table, each block "
	    "read from the file into the feed's buffer and checked as the "
	    "replay reaches it, the engine); (b') and (c) time the engine "
	    "and the plain loop alone over the mapped bars, the cache opened "
	    "and every block checked in its mapping (its pages read in) "
	    "before the clock starts; the bar cache rows time (b)'s open "
	    "alone, then (b)'s feed alone (every block read and checked, "
	    "every bar handed out, no engine), then the check of every block "
	    "in a new mapping as (b'), (c) and optimize do before their "
	    "clocks, the first touch of each of its pages included\n",
	    b.runs);
	printf("load average (1, 5, 15 min) before %s, after %s; the bench "
	    "itself had %.1f MB when it started the RSS children\n", load0,
	    load1, (double)self.ru_maxrss / 1024.0);
	printf("replay: %zu demo ticks (%d Globex days), %lld journal "
	    "events; latency: %ld events, %ld kills (%d instruments, 2 legs "
	    "and a flatten each); year: %lld bars; day of ticks: %lld\n",
	    nreplay, b.tick_days, (long long)journaled, lo.n, lk.n,
	    b.st.engine.ninst, (long long)nyear, (long long)nticks);
	printf("fleet: %d engines of the configuration, each with a simulated "
	    "venue of its own, over one market and one bar cache of %d Globex "
	    "days (%lld bars), each run over it in turn; heap: mallinfo2's "
	    "bytes in use (arenas and mmapped blocks) taken by creating the "
	    "engines, and before them their venues, / %d; resident set: "
	    "/proc/self/statm's growth over making the venues and engines "
	    "and running them, / %d; struct engine is %zu bytes; trades: %lld "
	    "for one engine alone, %s\n", FLEET, FLEET_DAYS,
	    (long long)fl.bars, FLEET, FLEET, sizeof(struct engine),
	    (long long)fl.trades, fl.same ? "the same for every engine" :
	    "DIFFERENT");

	strat_registry_free(b.strategies);
	cleanup();
	return 0;
}
