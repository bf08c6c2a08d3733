/*
 * test-alloc.c -- no heap allocation in the engine's steady state.
 *
 * DESIGN.md: "No allocation in the steady-state hot path (tick -> strategy
 * -> risk -> order)".  This program is linked with -Wl,--wrap=malloc (and
 * calloc, realloc, free, strdup, strndup, posix_memalign, aligned_alloc),
 * so every call the engine library makes to the allocator goes through the
 * counters below first.  (libc's own internal allocations are not seen;
 * nothing in the hot path calls into libc for anything that allocates --
 * no stdio streams, no qsort of more than a few orders.)
 *
 * The engine runs SimpleORB over the demo session, ticks and then bars:
 * sessions open and close, entries go through the sizer, risk and the
 * order manager to the simulated venue, fill, get their bracket, exit by
 * stop, target or flatten, and the day rolls, with every circuit breaker
 * watching, every stage timed (health.latency), alerts raised on a hub
 * that is not started (its queue fills and drops), and the observers a
 * session and a backtest add hearing every event (the blotter and
 * sparklines, the health counters and timings, the day table), and, in
 * one run, a snapshot published after every event as the runner does
 * (filled, then copied into the reader's).  From the first event on the
 * counters must not move, while trades keep happening: every table is
 * taken in engine_create, the observers' create and snapshot_create.  (Two
 * records of the results grow by doubling when they fill, the trade
 * ledger and the table of days, each first at 256 entries: a reallocation
 * per 256 trades or trading days, not per event.)
 *
 * Built by the Makefile with the wrap flags; by hand:
 *   gcc -std=c11 -D_GNU_SOURCE -Icore -o /tmp/t-alloc tests/unit/test-alloc.c
 *       libtdcore.a -lcmocka -llzma -lm -Wl,--wrap=malloc,--wrap=calloc,
 *       --wrap=realloc,--wrap=free,--wrap=strdup,--wrap=strndup,
 *       --wrap=posix_memalign,--wrap=aligned_alloc
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "demo.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "fixture.h"
#include "trades.h"

#define DAYS		12	/* of the demo session */
#define WARM_DAYS	0	/* before counting: none */

/* ------------------------------------------------ the counting allocator */

static bool	 counting;
static long	 allocs;	/* calls that allocate or resize */
static long	 frees;

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	 __real_free(void *);
char	*__real_strdup(const char *);
char	*__real_strndup(const char *, size_t);
int	 __real_posix_memalign(void **, size_t, size_t);
void	*__real_aligned_alloc(size_t, size_t);

void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	 __wrap_free(void *);
char	*__wrap_strdup(const char *);
char	*__wrap_strndup(const char *, size_t);
int	 __wrap_posix_memalign(void **, size_t, size_t);
void	*__wrap_aligned_alloc(size_t, size_t);

void *
__wrap_malloc(size_t n)
{
	allocs += counting;
	return __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	allocs += counting;
	return __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	allocs += counting;
	return __real_realloc(p, n);
}

void
__wrap_free(void *p)
{
	frees += counting && p != NULL;
	__real_free(p);
}

char *
__wrap_strdup(const char *s)
{
	allocs += counting;
	return __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	allocs += counting;
	return __real_strndup(s, n);
}

int
__wrap_posix_memalign(void **p, size_t align, size_t n)
{
	allocs += counting;
	return __real_posix_memalign(p, align, n);
}

void *
__wrap_aligned_alloc(size_t align, size_t n)
{
	allocs += counting;
	return __real_aligned_alloc(align, n);
}

/* ------------------------------------------------ the engine */

struct fixture {
	struct engine_config	 cfg;
	struct engine		*e;
	struct feed		*feed;
	struct alert_hub	*hub;		/* not started: fills, drops */
	struct snap_obs		*view;		/* the observers */
	struct health_obs	*health;
	struct stats_days	*days;
	bool			 publish;	/* a snapshot after each event */
	struct snapshot		*work;		/* ... filled */
	struct snapshot		*pub;		/* ... and copied here */
	long			 lines;		/* log lines formatted */
};

/*
 * The observers of a session and a backtest, on a new engine; and the
 * snapshots a runner publishes, sized for it, when asked.
 */
static void
watch(struct fixture *fx)
{
	struct snapshot_sizes	 sz;

	fx->view = fixture_view(fx->e);
	fx->health = fixture_health(fx->e);
	fx->days = fixture_days(fx->e);
	if (!fx->publish)
		return;
	engine_snapshot_sizes(fx->e, &sz);
	fx->work = snapshot_create(&sz, NULL);
	fx->pub = snapshot_create(&sz, NULL);
	assert_non_null(fx->work);
	assert_non_null(fx->pub);
}

/* As the runner publishes: fill the work snapshot, copy it out. */
static void
publish(struct fixture *fx)
{
	snapshot_clear(fx->work);
	assert_int_equal(engine_snapshot(fx->e, fx->work), 0);
	assert_int_equal(snapshot_copy(fx->pub, fx->work), 0);
}

/* A log sink that formats nothing more and keeps nothing. */
static void
count_line(void *arg, const struct log_line *line)
{
	struct fixture	*fx = arg;

	fx->lines += line->msg[0] != '\0';
}

static int
setup(void **state)
{
	struct fixture		*fx = calloc(1, sizeof *fx);
	struct strategy_cfg	*sc;

	if (fx == NULL)
		return -1;
	fixture_config(&fx->cfg);
	sc = &fx->cfg.strat[0];
	fx->cfg.nstrat = 1;
	strcpy(sc->name, "orb");
	strcpy(sc->type, "orb");
	strcpy(sc->symbol, "ES");
	sc->enabled = true;
	sc->params[0] = 30;		/* opening_range_minutes */
	sc->params[1] = 8;		/* stop_ticks */
	sc->params[2] = 16;		/* target_ticks */
	sc->params[3] = 15;		/* flatten_before_close */
	sc->params[4] = 1;		/* contracts */
	fx->cfg.risk.daily_loss = 100000;	/* every check runs */
	fx->cfg.risk.weekly_loss = 250000;
	fx->cfg.risk.max_trade_risk = 50000;
	fx->cfg.risk.max_contracts = 4;
	fx->cfg.risk.max_positions = 2;
	fx->cfg.risk.throttle_orders = 20;
	fx->cfg.risk.throttle_window = 60 * TD_NS_PER_SEC;
	fx->cfg.log = count_line;
	fx->cfg.log_arg = fx;
	fx->cfg.log_level = LOG_DEBUG;		/* every line formatted */
	/* Every breaker watching, every stage timed, alerts raised. */
	fx->cfg.breakers = (struct breaker_cfg){
		.rejects = 1000, .rejects_window = 3600 * TD_NS_PER_SEC,
		.errors = 100, .errors_window = 3600 * TD_NS_PER_SEC,
		.pnl_swing = 10000000, .pnl_window = 3600 * TD_NS_PER_SEC,
		.venue = 1000, .venue_window = 600 * TD_NS_PER_SEC,
	};
	fx->cfg.health.latency = true;
	fx->cfg.alerts = (struct alert_cfg){ .queue = 16,
	    .loss_warning_pct = 1, .reject_streak = 1, .latency = 1 };
	if ((fx->hub = alert_create(&fx->cfg.alerts, NULL)) == NULL)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	counting = false;
	engine_free(fx->e);
	snap_obs_free(fx->view);
	health_obs_free(fx->health);
	stats_days_free(fx->days);
	snapshot_free(fx->work);
	snapshot_free(fx->pub);
	feed_free(fx->feed);
	alert_free(fx->hub);
	free(fx);
	return 0;
}

/*
 * Run the demo session of `output` through the engine; count from the
 * first event of day WARM_DAYS + 1.  Returns the trades closed while
 * counting.
 */
static size_t
run_counted(struct fixture *fx, enum demo_output output)
{
	struct demo_cfg	 dc = {
		.seed = 5,
		.days = DAYS,
		.output = output,
		.bar_minutes = 1,
		.instrument = &fx->cfg.inst[0],
	};
	struct errmsg	 err;
	struct td_md	 md;
	int32_t		 first = 0, day;
	int		 days = 0, rc;
	size_t		 before = 0;

	fx->feed = feed_demo_create(&dc, &err);
	assert_non_null(fx->feed);
	fx->e = fixture_engine(&fx->cfg, NULL, &err);
	assert_non_null(fx->e);
	watch(fx);
	engine_set_alerts(fx->e, fx->hub);
	allocs = frees = 0;
	while ((rc = feed_next(fx->feed, &md, &err)) == 1) {
		day = calendar_trading_day(engine_calendar(fx->e, 0),
		    td_md_start(&md));
		if (day != first) {
			first = day;
			if (++days == WARM_DAYS + 1) {
				before = trades_count(engine_trades(fx->e));
				counting = true;
			}
		}
		assert_int_equal(engine_on_market(fx->e, &md, &err), 0);
		if (fx->publish)
			publish(fx);
	}
	counting = false;
	assert_int_equal(rc, 0);
	assert_int_equal(days, DAYS);
	return trades_count(engine_trades(fx->e)) - before;
}

/*
 * The counters see what the engine library allocates and frees (so that
 * a zero below means zero): an engine, created and freed while counting.
 */
static void
test_alloc_counter_counts(void **state)
{
	struct fixture	*fx = *state;
	struct errmsg	 err;

	allocs = frees = 0;
	counting = true;
	fx->e = fixture_engine(&fx->cfg, NULL, &err);
	engine_free(fx->e);
	fx->e = NULL;
	counting = false;
	assert_true(allocs >= 8);
	assert_true(frees >= 8);
}

static void
test_alloc_none_per_tick(void **state)
{
	struct fixture	*fx = *state;
	size_t		 trades = run_counted(fx, DEMO_TICKS);

	/* The hot path really ran: entries, fills, brackets, exits. */
	assert_true(trades >= DAYS - WARM_DAYS - 4);
	assert_true(fx->lines > 0);
	if (allocs != 0 || frees != 0)
		fail_msg("%ld allocations and %ld frees over %zu trades",
		    allocs, frees, trades);
}

static void
test_alloc_none_per_bar(void **state)
{
	struct fixture	*fx = *state;
	size_t		 trades = run_counted(fx, DEMO_BARS);

	assert_true(trades >= DAYS - WARM_DAYS - 4);
	if (allocs != 0 || frees != 0)
		fail_msg("%ld allocations and %ld frees over %zu trades",
		    allocs, frees, trades);
}

/* Publishing a snapshot after every event, as the runner does. */
static void
test_alloc_none_per_snapshot(void **state)
{
	struct fixture	*fx = *state;
	size_t		 trades;

	fx->publish = true;
	trades = run_counted(fx, DEMO_BARS);
	assert_true(trades >= DAYS - WARM_DAYS - 4);
	/* What the console would draw was there. */
	assert_int_equal(fx->pub->ninst, 1);
	assert_true(fx->pub->nblot > 0);
	assert_int_equal(fx->pub->inst[0].nspark, SNAP_SPARK);
	if (allocs != 0 || frees != 0)
		fail_msg("%ld allocations and %ld frees over %zu trades",
		    allocs, frees, trades);
}

/* The trader's commands on a working engine take the same road. */
static void
test_alloc_none_for_commands(void **state)
{
	struct fixture		*fx = *state;
	struct manual_order	 m = {
		.inst = ES,
		.side = TD_BUY,
		.type = ORD_MARKET,
		.qty = 1,
		.br = { .stop_ticks = 8, .ntargets = 1,
		    .target_ticks = { 16 } },
	};
	struct errmsg		 err;
	struct td_md		 md;
	td_ns			 t = fixture_ny(2024, 1, 3, 10, 0);
	uint64_t		 id;

	fx->cfg.nstrat = 0;
	fx->cfg.risk.throttle_orders = 0;
	fx->cfg.risk.throttle_window = 0;
	fx->e = fixture_engine(&fx->cfg, NULL, &err);
	assert_non_null(fx->e);
	watch(fx);
	for (int round = 0; round < 50; round++) {
		if (round == 10)
			allocs = frees = 0, counting = true;
		assert_int_equal(engine_manual_order(fx->e, &m, &id, &err), 0);
		md = fixture_bar(t, P(4800), P(4801), P(4799), P(4800.5));
		t += TD_NS_PER_MIN;
		assert_int_equal(engine_on_market(fx->e, &md, &err), 0);
		if (round % 2)
			engine_kill(fx->e, "test");
		else
			assert_int_equal(engine_flatten(fx->e, td_inst_all(),
			    "test"), 0);
		md = fixture_bar(t, P(4800), P(4801), P(4799), P(4800.5));
		t += TD_NS_PER_MIN;
		assert_int_equal(engine_on_market(fx->e, &md, &err), 0);
		if (engine_state(fx->e) != TS_ACTIVE)
			assert_int_equal(engine_set_state(fx->e, TS_ACTIVE,
			    "tester", "again", &err), 0);
	}
	counting = false;
	assert_true(trades_count(engine_trades(fx->e)) >= 40);
	if (allocs != 0 || frees != 0)
		fail_msg("%ld allocations and %ld frees", allocs, frees);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_counter_counts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_none_per_tick,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_none_per_bar,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_none_per_snapshot,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_none_for_commands,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
