/*
 * test-engine.c -- the engine loop: bad events, the loss-limit latch, the
 * stop that covers every position, disabled strategies, determinism,
 * flatten that no halt can block, and degradation: a failing strategy
 * disabled alone, a sizer failure refusing one order, the alerts the
 * engine raises, the stage timings of health.latency, `move` held to the
 * price collar and to a stop's side of the market, the stale-feed guard
 * on an injected clock, and the protection invariants on the trader's
 * orders: exits never beyond the position (a bracket's OCO group counted
 * once), none left working when flat, a bracket only for what opens,
 * max_positions counting working entries, and a strategy's exit judged
 * on the account's position.  The venue is the caller's to hand in: the
 * engine takes it (and frees it) only when it can ask it what it needs,
 * and watches its connection (up, connecting, lost).  A thousand engines
 * share one market and one bar cache and trade as one engine alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "barcache.h"
#include "demo.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "market.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "snapshot.h"
#include "trades.h"

#include "alert-keep.h"
#include "fixture.h"
#include "venue-double.h"

/* Day 13: a short that is stopped out for -8 ticks (-$101.24 net). */
static const struct fixture_override losing_day[] = {
	{ 9, 30, P(5000), P(5002.5), P(4998), P(5000) },
	{ 10, 0, P(4998.75), P(4998.75), P(4997.25), P(4997.5) },
	{ 10, 1, P(4997.5), P(4997.5), P(4997), P(4997.25) },
	{ 10, 2, P(4997.25), P(4999.75), P(4997.25), P(4999) },
};

/* Day 14: a long breakout. */
static const struct fixture_override winning_day[] = {
	{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
	{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
	{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
	{ 10, 5, P(5002), P(5006), P(5002), P(5006) },
};

static void
test_engine_refuses_bad_events(void **state)
{
	struct engine	*e = fixture_orb_engine(true, 0);
	struct health_obs *hl = fixture_health(e);
	struct errmsg	 err;
	td_ns		 t = fixture_ny(2024, 3, 12, 9, 30);
	struct td_md	 md = fixture_bar(t, P(5000), P(5000), P(5000),
			    P(5000));

	md.inst = 3;
	assert_int_equal(engine_on_market(e, &md, &err), -1);
	assert_string_equal(err.msg, "market event for unknown instrument 3");
	md.inst = 0;
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	md = fixture_bar(t - TD_NS_PER_MIN * 5, P(5000), P(5000), P(5000),
	    P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), -1);
	assert_string_equal(err.msg, "market event goes back in time");
	assert_int_equal(health_obs_events(hl), 1);
	engine_free(e);
	health_obs_free(hl);
}

/* Attended: a daily-loss halt is a latch; the next day's entry is refused. */
static void
test_engine_daily_loss_latch(void **state)
{
	struct engine	*e = fixture_orb_engine(false, 5000);
	struct health_obs *hl = fixture_health(e);

	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	fixture_day(e, 14, P(5000), winning_day, 4);
	engine_finish(e, engine_now(e));
	assert_int_equal(trades_count(engine_trades(e)), 1);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_true(health_obs_refused(hl) >= 1);
	engine_free(e);
	health_obs_free(hl);
}

/* Unattended (a backtest): the halt lasts until the next trading day. */
static void
test_engine_daily_loss_unattended(void **state)
{
	struct engine	*e = fixture_orb_engine(true, 5000);

	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	fixture_day(e, 14, P(5000), winning_day, 4);
	engine_finish(e, engine_now(e));
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_int_equal(trades_count(engine_trades(e)), 2);
	assert_int_equal(trades_get(engine_trades(e), 1)->side, TD_BUY);
	engine_free(e);
}

static void
step(struct engine *e, int hour, int min, td_ticks o, td_ticks h, td_ticks l,
    td_ticks c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14, hour, min),
			    o, h, l, c);

	assert_int_equal(engine_on_market(e, &md, &err), 0);
}

/* An engine without strategies, ES at 5000.00, a 40-tick price collar. */
static struct engine *
collar_engine(void)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.risk.collar_ticks = 40;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	step(e, 10, 0, P(5000), P(5000), P(5000), P(5000));
	return e;
}

static uint64_t
manual(struct engine *e, enum td_side side, enum order_type type,
    td_ticks price, int32_t stop_ticks)
{
	struct manual_order	 m = { .inst = ES, .side = side, .type = type,
				     .qty = 1, .price = price,
				     .br = { .stop_ticks = stop_ticks } };
	struct errmsg		 err;
	uint64_t		 id = 0;

	if (engine_manual_order(e, &m, &id, &err) == -1)
		fail_msg("%s", err.msg);
	return id;
}

/* A live order by id, or (id 0) the live protective stop. */
static const struct order *
live_order(struct engine *e, uint64_t id)
{
	const struct order_mgr	*om = engine_orders(e);

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		if (id != 0 ? o->id == id : o->role == ROLE_STOP)
			return o;
	}
	fail_msg("no live order %llu", (unsigned long long)id);
	return NULL;
}

static td_ticks
price_of(struct engine *e, uint64_t id)
{
	return live_order(e, id)->price;
}

/* A move is held to the collar and a stop to its side of the market. */
static void
test_engine_move_collar_and_stop_side(void **state)
{
	struct engine	*e = collar_engine();
	struct errmsg	 err;
	uint64_t	 lmt, bstp, sstp;

	lmt = manual(e, TD_BUY, ORD_LIMIT, P(4990), 0);
	assert_int_equal(engine_move(e, lmt, P(4000), &err), -1);
	assert_string_equal(err.msg, "refused: limit 4000.00 is 4000 ticks "
	    "from last 5000.00, collar 40 ticks");
	assert_int_equal(price_of(e, lmt), P(4990));
	assert_int_equal(engine_move(e, lmt, P(4995), &err), 0);
	assert_int_equal(price_of(e, lmt), P(4995));

	bstp = manual(e, TD_BUY, ORD_STOP, P(5005), 0);
	assert_int_equal(engine_move(e, bstp, P(4995), &err), -1);
	assert_string_equal(err.msg, "refused: buy stop 4995.00 is not above "
	    "the market 5000.00");
	assert_int_equal(engine_move(e, bstp, P(5000), &err), -1);
	assert_int_equal(price_of(e, bstp), P(5005));
	sstp = manual(e, TD_SELL, ORD_STOP, P(4995), 0);
	assert_int_equal(engine_move(e, sstp, P(5000), &err), -1);
	assert_string_equal(err.msg, "refused: sell stop 5000.00 is not below "
	    "the market 5000.00");
	assert_int_equal(engine_move(e, sstp, P(4999), &err), 0);
	assert_int_equal(price_of(e, sstp), P(4999));
	/* Nothing refused reached the venue: the next bar fills none. */
	step(e, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(order_mgr_working_count(engine_orders(e),
	    td_inst_only(ES)), 3);
	engine_free(e);
}

/*
 * A protective stop outside the collar (its bracket put it there) may be
 * tightened, but not moved further out, nor through the market.
 */
static void
test_engine_move_tightens_stop_outside_collar(void **state)
{
	struct engine	*e = collar_engine();
	struct errmsg	 err;
	uint64_t	 sid;

	manual(e, TD_BUY, ORD_MARKET, 0, 80);
	step(e, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	sid = live_order(e, 0)->id;
	assert_int_equal(price_of(e, sid), P(4980));
	assert_int_equal(engine_move(e, sid, P(4985), &err), 0);
	assert_int_equal(price_of(e, sid), P(4985));
	assert_int_equal(engine_move(e, sid, P(4982), &err), -1);
	assert_string_equal(err.msg, "refused: stop 4982.00 is 72 ticks from "
	    "last 5000.00, collar 40 ticks");
	assert_int_equal(engine_move(e, sid, P(4000), &err), -1);
	assert_int_equal(engine_move(e, sid, P(5001), &err), -1);
	assert_string_equal(err.msg, "refused: sell stop 5001.00 is not below "
	    "the market 5000.00");
	assert_int_equal(price_of(e, sid), P(4985));
	assert_int_equal(engine_move(e, sid, P(4995), &err), 0);
	assert_int_equal(price_of(e, sid), P(4995));
	assert_true(order_mgr_protected(engine_orders(e), ES, 1));
	engine_free(e);
}

/*
 * From the entry fill on, a working stop covers the whole position, and
 * flatten closes it and cancels the bracket even while HALTED.
 */
static void
test_engine_stop_cover_and_flatten(void **state)
{
	struct engine	*e = fixture_orb_engine(true, 0);

	for (int m = 9 * 60 + 30; m < 10 * 60; m++)
		step(e, m / 60, m % 60, P(5000), P(5000), P(5000), P(5000));
	step(e, 10, 0, P(5000), P(5001.5), P(5000), P(5001.5));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	step(e, 10, 1, P(5001.5), P(5002), P(5001.5), P(5002));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	assert_true(order_mgr_protected(engine_orders(e), ES, 1));
	assert_int_equal(order_mgr_cover(engine_orders(e), ES, TD_BUY), 1);

	assert_int_equal(engine_set_state(e, TS_HALTED, "trader", "test",
	    NULL), 0);
	engine_flatten(e, td_inst_all(), "test");
	step(e, 10, 2, P(5003), P(5003), P(5003), P(5003));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	assert_int_equal(order_mgr_working_count(engine_orders(e),
	    td_inst_only(ES)), 0);
	assert_string_equal(trades_get(engine_trades(e), 0)->reason, "test");
	assert_int_equal(engine_state(e), TS_HALTED);
	engine_free(e);
}

struct demo_summary {
	size_t		 n;
	td_cents	 net;
	td_ns		 last_exit;
};

static void
run_demo(struct demo_summary *out)
{
	struct engine	*e = fixture_orb_engine(true, 0);
	struct demo_cfg	 dc = { .seed = 7, .days = 5 };
	struct errmsg	 err;
	struct feed	*f = feed_demo_create(&dc, &err);
	const struct trades *tl;

	assert_non_null(f);
	assert_int_equal(engine_run(e, f, &err), 0);
	tl = engine_trades(e);
	out->n = trades_count(tl);
	out->net = 0;
	for (size_t i = 0; i < out->n; i++)
		out->net += trades_get(tl, i)->net;
	out->last_exit = out->n > 0 ? trades_get(tl, out->n - 1)->exit_time :
	    0;
	feed_free(f);
	engine_free(e);
}

/* The same data and configuration give the same trades. */
static void
test_engine_deterministic(void **state)
{
	struct demo_summary	 a, b;

	run_demo(&a);
	run_demo(&b);
	assert_true(a.n > 0);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.net, b.net);
	assert_int_equal(a.last_exit, b.last_exit);
}

/* ------------------------------------------------ many engines, one cache */

#define FLEET		1000	/* engines side by side */
#define FLEET_THREADS	4	/* running them */
#define FLEET_DAYS	4	/* regular sessions of the demo */

struct fleet_data {
	char		 dir[64];
	char		 csv[96];
	char		 cache[112];
	struct barcache	*bc;
};

/*
 * The demo's 1-minute bars of FLEET_DAYS regular sessions, written as
 * `tickdesk generate` writes them (CSV, New York bar-start stamps) and
 * imported into a bar cache, which is opened.
 */
static void
fleet_data(struct fleet_data *d, const struct instrument *es)
{
	struct demo_cfg		 dc = { .seed = 7, .days = FLEET_DAYS,
	    .output = DEMO_BARS, .bar_minutes = 1, .instrument = es };
	struct reader_opts	 ro = { .format = READER_CSV,
	    .instrument = es };
	const char		*src[1] = { d->csv };
	struct errmsg		 err;
	struct demo		*g;
	struct tz		*ny;
	struct tz_tm		 tm;
	struct td_md		 md;
	char			 p[4][32];
	FILE			*f;

	snprintf(d->dir, sizeof d->dir, "/tmp/test-engine.XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->csv, sizeof d->csv, "%s/ES_1min.csv", d->dir);
	snprintf(d->cache, sizeof d->cache, "%s%s", d->csv, BARCACHE_SUFFIX);
	assert_non_null(g = demo_create(&dc, &err));
	assert_non_null(ny = tz_load("America/New_York", &err));
	assert_non_null(f = fopen(d->csv, "w"));
	while (demo_next(g, &md) == 1) {
		tz_to_local(ny, md.bar.start, &tm);
		fprintf(f, "%04d-%02d-%02d %02d:%02d:00,%s,%s,%s,%s,%lld\n",
		    tm.year, tm.mon, tm.mday, tm.hour, tm.min,
		    instrument_format(es, md.bar.open, p[0], 32),
		    instrument_format(es, md.bar.high, p[1], 32),
		    instrument_format(es, md.bar.low, p[2], 32),
		    instrument_format(es, md.bar.close, p[3], 32),
		    (long long)md.bar.volume);
	}
	assert_int_equal(fclose(f), 0);
	tz_free(ny);
	demo_free(g);
	if (barcache_import(d->cache, src, 1, &ro, NULL, &err) == -1 ||
	    (d->bc = barcache_open(d->cache, &err)) == NULL)
		fail_msg("%s", err.msg);
}

static void
fleet_data_free(struct fleet_data *d)
{
	barcache_close(d->bc);
	unlink(d->cache);
	unlink(d->csv);
	rmdir(d->dir);
}

/* Some engines fed the cache's bars, each bar to all of them in turn. */
struct fleet_part {
	struct engine		**e;
	int			 n;
	const struct td_bar	*bars;
	size_t			 nbars;
	int			 rc;
	struct errmsg		 err;
};

static void *
fleet_run(void *arg)
{
	struct fleet_part	*p = arg;
	struct td_md		 md = { .kind = TD_MD_BAR, .inst = 0 };

	for (size_t k = 0; k < p->nbars; k++) {
		md.bar = p->bars[k];
		for (int i = 0; i < p->n; i++) {
			if ((p->rc = engine_on_market(p->e[i], &md,
			    &p->err)) == -1)
				return NULL;
		}
	}
	for (int i = 0; i < p->n; i++)
		engine_finish(p->e[i], engine_now(p->e[i]));
	return NULL;
}

/* Did e make exactly the trades of the ledger one? */
static void
fleet_same_trades(const struct engine *e, const struct trades *one)
{
	const struct trades	*tl = engine_trades(e);

	assert_int_equal(trades_count(tl), trades_count(one));
	for (size_t i = 0; i < trades_count(one); i++) {
		const struct trade	*a = trades_get(tl, i);
		const struct trade	*b = trades_get(one, i);

		assert_int_equal(a->side, b->side);
		assert_int_equal(a->max_qty, b->max_qty);
		assert_true(a->entry_time == b->entry_time);
		assert_true(a->exit_time == b->exit_time);
		assert_int_equal(a->entry_sum, b->entry_sum);
		assert_int_equal(a->exit_sum, b->exit_sum);
		assert_int_equal(a->net, b->net);
		assert_string_equal(a->reason, b->reason);
	}
}

/*
 * A thousand engines side by side in one process, over one market and
 * one bar cache, run by several threads, each thread feeding every bar
 * to each of its engines in turn: each makes the trades one engine alone
 * makes over the same days.  Shared state that an engine changed would
 * show here as another engine's different trades.
 */
static void
test_engine_thousand_share_one_market(void **state)
{
	struct engine_config	 cfg;
	struct venue_sim_cfg	 vc;
	struct engine_deps	 deps = { .venue = NULL };
	struct fleet_part	 part[FLEET_THREADS], lone;
	pthread_t		 th[FLEET_THREADS];
	struct fleet_data	 d = { .bc = NULL };
	struct engine		**e, *one;
	struct market		*m;
	struct errmsg		 err;

	(void)state;
	fixture_orb_config(&cfg, true, 0);
	fixture_venue_config(&vc);
	/* Room for the few orders of one strategy, as an optimiser sizes. */
	cfg.order_capacity = 64;
	vc.max_orders = 64;
	fleet_data(&d, &cfg.inst[0]);
	assert_non_null(m = market_create(cfg.inst, cfg.ninst, cfg.cal,
	    cfg.ncal, &err));
	assert_non_null(e = calloc(FLEET, sizeof *e));
	deps.market = m;
	for (int i = 0; i < FLEET; i++) {
		assert_non_null(deps.venue = venue_sim_create(&vc, &err));
		if ((e[i] = engine_create(&cfg, &deps, &err)) == NULL)
			fail_msg("engine %d: %s", i, err.msg);
		assert_ptr_equal(engine_instrument(e[i], ES),
		    market_instruments(m));
	}
	/* One engine alone, with a market of its own. */
	if ((one = fixture_engine(&cfg, &vc, &err)) == NULL)
		fail_msg("%s", err.msg);
	lone = (struct fleet_part){ .e = &one, .n = 1 };
	lone.bars = barcache_bars(d.bc, &lone.nbars, &err);
	assert_non_null(lone.bars);
	assert_int_equal(lone.nbars, FLEET_DAYS * 390);
	fleet_run(&lone);
	assert_int_equal(lone.rc, 0);
	assert_true(trades_count(engine_trades(one)) > 0);

	for (int t = 0; t < FLEET_THREADS; t++) {
		part[t] = lone;
		part[t].e = e + t * (FLEET / FLEET_THREADS);
		part[t].n = FLEET / FLEET_THREADS;
		assert_int_equal(pthread_create(&th[t], NULL, fleet_run,
		    &part[t]), 0);
	}
	for (int t = 0; t < FLEET_THREADS; t++) {
		assert_int_equal(pthread_join(th[t], NULL), 0);
		if (part[t].rc == -1)
			fail_msg("%s", part[t].err.msg);
	}
	for (int i = 0; i < FLEET; i++) {
		fleet_same_trades(e[i], engine_trades(one));
		engine_free(e[i]);
	}
	free(e);
	engine_free(one);
	market_free(m);
	fleet_data_free(&d);
}

/* ------------------------------------------------ degradation and alerts */

static struct engine *
two_strategies(int64_t fail_after, enum sizer_method method,
    td_cents risk_per_trade)
{
	struct engine_config	 cfg;
	const struct strategy_ops *orb =
	    strat_registry_find(strat_registry_builtin(), "orb");
	const struct strategy_ops *min =
	    strat_registry_find(strat_registry_builtin(), "minimal");
	struct engine		*e;
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.sizing.method = method;
	cfg.sizing.risk_per_trade = risk_per_trade;
	cfg.sizing.max_contracts = 1;
	cfg.nstrat = 2;
	memset(cfg.strat, 0, 2 * sizeof cfg.strat[0]);
	strcpy(cfg.strat[0].name, "orb");
	strcpy(cfg.strat[0].type, "orb");
	strcpy(cfg.strat[1].name, "diag");
	strcpy(cfg.strat[1].type, "minimal");
	for (int s = 0; s < 2; s++) {
		const struct strategy_ops *ops = s == 0 ? orb : min;

		strcpy(cfg.strat[s].symbol, "ES");
		cfg.strat[s].enabled = true;
		for (int i = 0; ops->params[i].name != NULL; i++)
			cfg.strat[s].params[i] = ops->params[i].def;
	}
	cfg.strat[1].params[strat_param_index(min, "fail_after")] =
	    fail_after;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

/*
 * A strategy whose callback fails is disabled alone: the other trades on,
 * every event is processed, and a strategy-error alert goes out.
 */
static void
test_engine_strategy_failure_isolated(void **state)
{
	struct engine		*e = two_strategies(5, SIZER_FIXED, 0);
	struct health_obs	*hl = fixture_health(e);
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct keep		 k;
	struct alert_hub	*h = keep_hub(&k);
	const struct alert	*a;

	(void)state;
	engine_set_alerts(e, h);
	fixture_day(e, 14, P(5000), winning_day, 4);
	fixture_snapshot(e, s);
	assert_int_equal(s->strat[1].run, SNAP_ERRORED);
	assert_int_not_equal(s->strat[0].run, SNAP_ERRORED);
	assert_int_equal(s->events, 390);
	engine_finish(e, engine_now(e));
	assert_int_equal(trades_count(engine_trades(e)), 1);
	assert_non_null(a = keep_find(h, &k, ALERT_EV_STRATEGY_ERROR));
	assert_int_equal(a->severity, ALERT_ERROR);
	assert_string_equal(a->text, "strategy diag: on_bar failed, strategy "
	    "disabled (the others go on): fail_after 5: failing on purpose at "
	    "bar 5 (a diagnostic)");
	engine_free(e);
	health_obs_free(hl);
	alert_free(h);
	snapshot_free(s);
}

/*
 * A failure inside the sizer (risk sizing without money to risk) refuses
 * that order only: the strategy is not disabled and the engine goes on.
 */
static void
test_engine_sizer_failure_refuses(void **state)
{
	struct engine	*e = two_strategies(0, SIZER_RISK, 0);
	struct health_obs *hl = fixture_health(e);
	struct snapshot	*s = snapshot_create(NULL, NULL);

	(void)state;
	fixture_day(e, 14, P(5000), winning_day, 4);
	assert_int_equal(health_obs_refused(hl), 1);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	fixture_snapshot(e, s);
	assert_int_not_equal(s->strat[0].run, SNAP_ERRORED);
	assert_int_equal(s->events, 390);
	assert_int_equal(s->rejects, 1);
	engine_free(e);
	health_obs_free(hl);
	snapshot_free(s);
}

/* Kill switch, risk breach and the loss warning raise their alerts. */
static void
test_engine_alert_events(void **state)
{
	struct engine_config	 cfg;
	const struct strategy_ops *ops =
	    strat_registry_find(strat_registry_builtin(), "orb");
	struct engine		*e;
	struct keep		 k;
	struct alert_hub	*h = keep_hub(&k);
	const struct alert	*a;
	struct errmsg		 err;

	(void)state;
	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.risk.daily_loss = 12000;
	cfg.risk.flatten_on_breach = true;
	cfg.alerts.loss_warning_pct = 80;
	cfg.nstrat = 1;
	memset(cfg.strat, 0, sizeof cfg.strat[0]);
	strcpy(cfg.strat[0].name, "orb");
	strcpy(cfg.strat[0].type, "orb");
	strcpy(cfg.strat[0].symbol, "ES");
	cfg.strat[0].enabled = true;
	for (int i = 0; ops->params[i].name != NULL; i++)
		cfg.strat[0].params[i] = ops->params[i].def;
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	engine_set_alerts(e, h);
	/* Day 13 loses $101.24: 84% of $120, a warning, no breach. */
	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_non_null(a = keep_find(h, &k, ALERT_EV_LOSS_WARNING));
	assert_int_equal(a->severity, ALERT_WARNING);
	assert_string_equal(a->text, "day P&L -101.24: the loss is 80% or "
	    "more of the daily limit 120.00");
	assert_null(keep_find(h, &k, ALERT_EV_RISK_BREACH));
	engine_kill(e, "alice");
	assert_non_null(a = keep_find(h, &k, ALERT_EV_KILL));
	assert_int_equal(a->severity, ALERT_CRITICAL);
	assert_string_equal(a->text, "kill switch by alice: every order "
	    "cancelled, every position flattened, strategies stopped");
	engine_free(e);
	alert_free(h);
}

/* A daily-loss breach raises a critical risk-breach alert. */
static void
test_engine_alert_breach(void **state)
{
	struct engine		*e = fixture_orb_engine(false, 5000);
	struct keep		 k;
	struct alert_hub	*h = keep_hub(&k);
	const struct alert	*a;

	(void)state;
	engine_set_alerts(e, h);
	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_non_null(a = keep_find(h, &k, ALERT_EV_RISK_BREACH));
	assert_int_equal(a->severity, ALERT_CRITICAL);
	assert_non_null(strstr(a->text, "daily-loss limit breached at day "
	    "P&L -"));
	assert_non_null(strstr(a->text, "trading HALTED, flattening"));
	engine_free(e);
	alert_free(h);
}

/*
 * The engine marks the open trade with each bar it lives through: the
 * short of day 13 (in at 4997.50 on the 10:01 bar, whose low is 4997.00;
 * stopped at 4999.50 on the 10:02 bar) went 2 ticks its way and 8
 * against.
 */
static void
test_engine_trade_excursions(void **state)
{
	struct engine		*e = fixture_orb_engine(false, 0);
	const struct trade	*t;
	td_cents		 mae, mfe;

	(void)state;
	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(trades_count(engine_trades(e)), 1);
	t = trades_get(engine_trades(e), 0);
	assert_int_equal(t->side, TD_SELL);
	assert_int_equal(t->low, P(4997));
	assert_int_equal(t->high, P(4999.5));
	trades_excursion(engine_trades(e), t, &mae, &mfe);
	assert_int_equal(mfe, 2 * 1250);
	assert_int_equal(mae, -8 * 1250);
	engine_free(e);
}

/*
 * A session day without market data (a gap in the file) is told to the
 * observers as such: the day table leaves it out, the days around it
 * stay.  Tuesday and Thursday have bars, Wednesday none.
 */
static void
test_engine_day_without_data(void **state)
{
	struct engine		*e = fixture_orb_engine(false, 0);
	struct stats_days	*d = fixture_days(e);
	const struct stats_day	*r;
	const struct stats_gap	*g;
	size_t			 n;
	int			 ng;

	(void)state;
	fixture_day(e, 12, P(5000), NULL, 0);
	fixture_day(e, 14, P(5000), NULL, 0);
	fixture_day(e, 15, P(5000), NULL, 0);
	r = stats_days_rows(d, &n);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].day, 20240312);
	assert_int_equal(r[1].day, 20240314);
	assert_int_equal(stats_days_without_data(d, &g, &ng), 1);
	assert_int_equal(ng, 1);
	assert_int_equal(g[0].first, 20240313);
	engine_free(e);
	stats_days_free(d);
}

/*
 * A weekly-loss breach names the figure it judged, the week's P&L: two
 * losing days of $101.24 (Wednesday and Thursday) breach a $150 weekly
 * limit on Thursday, when the day has lost only $101.24.
 */
static void
test_engine_weekly_breach_week_pnl(void **state)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct keep		 k;
	struct alert_hub	*h = keep_hub(&k);
	const struct alert	*a;
	struct errmsg		 err;

	(void)state;
	fixture_orb_config(&cfg, false, 0);
	cfg.risk.daily_loss = 0;
	cfg.risk.weekly_loss = 15000;
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	engine_set_alerts(e, h);
	fixture_day(e, 13, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	fixture_day(e, 14, P(5000), losing_day, 4);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_non_null(a = keep_find(h, &k, ALERT_EV_RISK_BREACH));
	assert_non_null(strstr(a->text, "weekly-loss limit breached at week "
	    "P&L -202.48: trading HALTED"));
	engine_free(e);
	alert_free(h);
}

/*
 * health.latency: every event and stage is timed, quantiles in order;
 * off, nothing is.  A threshold of 1 ns makes one latency alert (at most
 * one a minute).
 */
static void
test_engine_latency(void **state)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct health_obs	*hl;
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct keep		 k;
	struct alert_hub	*h = keep_hub(&k);
	struct errmsg		 err;
	struct alert_stats	 st;

	(void)state;
	for (int on = 0; on < 2; on++) {
		fixture_config(&cfg);
		cfg.health.latency = on;
		cfg.alerts.latency = 1;
		cfg.nstrat = 1;
		memset(cfg.strat, 0, sizeof cfg.strat[0]);
		strcpy(cfg.strat[0].name, "orb");
		strcpy(cfg.strat[0].type, "orb");
		strcpy(cfg.strat[0].symbol, "ES");
		cfg.strat[0].enabled = true;
		strat_param_defaults(strat_registry_find(
		    strat_registry_builtin(), "orb"), cfg.strat[0].params,
		    NULL);
		assert_non_null(e = fixture_engine(&cfg, NULL, &err));
		hl = fixture_health(e);
		engine_set_alerts(e, h);
		fixture_day(e, 14, P(5000), winning_day, 4);
		snapshot_clear(s);
		fixture_snapshot(e, s);
		assert_int_equal(s->latency_on, on);
		if (!on) {
			for (int i = 0; i < SNAP_STAGES; i++)
				assert_int_equal(s->latency[i].count, 0);
			engine_free(e);
			health_obs_free(hl);
			continue;
		}
		assert_int_equal(s->latency[SNAP_STAGE_EVENT].count, 390);
		assert_int_equal(s->latency[SNAP_STAGE_ON_BAR].count, 390);
		assert_int_equal(s->latency[SNAP_STAGE_SIZING].count, 1);
		assert_int_equal(s->latency[SNAP_STAGE_RISK].count, 1);
		assert_true(s->latency[SNAP_STAGE_SUBMIT].count >= 1);
		for (int i = 0; i < SNAP_STAGES; i++) {
			assert_true(s->latency[i].p50 <= s->latency[i].p99);
			assert_true(s->latency[i].p99 <= s->latency[i].max);
			assert_true(s->latency[i].max > 0);
		}
		assert_string_equal(engine_stage_name(SNAP_STAGE_SUBMIT),
		    "submit");
		engine_free(e);
		health_obs_free(hl);
	}
	assert_int_equal(alert_idle(h, 2 * TD_NS_PER_SEC), 0);
	alert_stats(h, &st);
	assert_int_equal(st.raised, 1);
	assert_int_equal(k.got[0].event, ALERT_EV_LATENCY);
	alert_free(h);
	snapshot_free(s);
}

/*
 * The order manager refusing a strategy's entry (its pool is full) refuses
 * that order only: no crash, the strategy runs on, every event processed.
 */
static void
test_engine_submit_failure_refuses(void **state)
{
	struct engine_config	 cfg;
	const struct strategy_ops *ops =
	    strat_registry_find(strat_registry_builtin(), "orb");
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_LIMIT, .qty = 1,
				    .price = P(4000) };
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct engine		*e;
	struct health_obs	*hl;
	struct errmsg		 err;
	struct td_md		 md;

	(void)state;
	fixture_config(&cfg);
	cfg.order_capacity = 4;
	cfg.nstrat = 1;
	memset(cfg.strat, 0, sizeof cfg.strat[0]);
	strcpy(cfg.strat[0].name, "orb");
	strcpy(cfg.strat[0].type, "orb");
	strcpy(cfg.strat[0].symbol, "ES");
	cfg.strat[0].enabled = true;
	for (int i = 0; ops->params[i].name != NULL; i++)
		cfg.strat[0].params[i] = ops->params[i].def;
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	hl = fixture_health(e);
	md = fixture_bar(fixture_ny(2024, 3, 14, 9, 29), P(5000), P(5000),
	    P(5000), P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	/* Every slot of the pool: limits far below the market. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(engine_manual_order(e, &m, NULL, &err), 0);
	assert_int_equal(engine_manual_order(e, &m, NULL, &err), -1);
	fixture_day(e, 14, P(5000), winning_day, 4);
	assert_int_equal(health_obs_events(hl), 391);
	/* The fifth manual order, and the strategy's breakout entry. */
	assert_int_equal(health_obs_refused(hl), 2);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	fixture_snapshot(e, s);
	assert_int_not_equal(s->strat[0].run, SNAP_ERRORED);
	engine_free(e);
	health_obs_free(hl);
	snapshot_free(s);
}

/* ------------------------------------------- order types, time in force */

/* A manual order of qty with every field given. */
static uint64_t
order_of(struct engine *e, enum td_side side, enum order_type type,
    int64_t qty, td_ticks price, td_ticks limit, enum order_tif tif,
    int32_t stop_ticks, struct errmsg *err)
{
	struct manual_order	 m = { .inst = ES, .side = side, .type = type,
				     .qty = qty, .price = price,
				     .limit = limit, .tif = tif,
				     .br = { .stop_ticks = stop_ticks,
				     .ntargets = stop_ticks > 0 ? 1 : 0,
				     .target_ticks = { 2 * stop_ticks } } };
	uint64_t		 id = 0;

	if (engine_manual_order(e, &m, &id, err) == -1)
		return 0;
	return id;
}

/* The last word of the engine on each order: a copy, by id. */
struct seen {
	struct order	 o[64];
};

static int
seen_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct seen	*sn = arg;

	(void)err;
	if (ev->order != NULL && ev->order->id < 64)
		sn->o[ev->order->id] = *ev->order;
	return 0;
}

/*
 * At the regular session's close a DAY entry expires, one partly filled
 * takes only its rest away, and a GTC entry and the bracket legs (GTC)
 * of the filled part stay.
 */
static void
test_engine_day_orders_expire_at_close(void **state)
{
	struct engine_config	 cfg;
	struct venue_sim_cfg	 vc;
	struct engine		*e;
	struct errmsg		 err;
	struct seen		*sn = calloc(1, sizeof *sn);
	struct td_md		 md;
	uint64_t		 day, gtc, part;
	int			 legs = 0;

	(void)state;
	fixture_config(&cfg);
	fixture_venue_config(&vc);
	vc.participation_pct = 1;		/* 1 contract a bar */
	assert_non_null(e = fixture_engine(&cfg, &vc, &err));
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = seen_observe, .arg = sn }, &err), 0);
	step(e, 15, 0, P(5000), P(5000), P(5000), P(5000));
	day = order_of(e, TD_BUY, ORD_LIMIT, 1, P(4990), 0, TIF_DAY, 0, &err);
	gtc = order_of(e, TD_BUY, ORD_LIMIT, 1, P(4980), 0, TIF_GTC, 0, &err);
	part = order_of(e, TD_BUY, ORD_LIMIT, 3, P(5000), 0, TIF_DAY, 8,
	    &err);
	assert_true(day != 0 && gtc != 0 && part != 0);
	step(e, 15, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	assert_int_equal(sn->o[part].state, ORD_PARTIAL);
	assert_int_equal(order_mgr_working_count(engine_orders(e),
	    td_inst_only(ES)), 5);

	/* The close fires before the bar that starts at 16:00. */
	step(e, 16, 0, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(sn->o[day].state, ORD_EXPIRED);
	assert_string_equal(sn->o[day].reason, "expired: end of day");
	assert_int_equal(sn->o[day].updated, fixture_ny(2024, 3, 14, 16, 0));
	assert_int_equal(sn->o[part].state, ORD_EXPIRED);
	assert_int_equal(sn->o[part].filled, 1);
	assert_int_equal(sn->o[gtc].state, ORD_WORKING);
	assert_int_equal(live_order(e, gtc)->tif, TIF_GTC);
	for (int i = 0; i < order_mgr_live_count(engine_orders(e)); i++) {
		const struct order	*o;

		o = order_mgr_live_at(engine_orders(e), i);

		if (o->parent != part)
			continue;
		assert_int_equal(o->tif, TIF_GTC);
		assert_int_equal(o->qty, 1);
		legs++;
	}
	assert_int_equal(legs, 2);
	assert_true(order_mgr_protected(engine_orders(e), ES, 1));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);

	/* The next day's close: nothing more expires. */
	fixture_day(e, 15, P(5000), NULL, 0);
	md = fixture_bar(fixture_ny(2024, 3, 15, 16, 0), P(5000), P(5000),
	    P(5000), P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	assert_int_equal(order_mgr_working_count(engine_orders(e),
	    td_inst_only(ES)), 3);
	engine_free(e);
	free(sn);
}

/*
 * Time moves on without market data: the close fires at its time all the
 * same (a DAY order expires at 16:00 with no bar after 15:00), and the
 * next timer is the next boundary after it.
 */
static void
test_engine_advance_fires_timers_without_data(void **state)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct errmsg		 err;
	struct seen		*sn = calloc(1, sizeof *sn);
	td_ns			 close = fixture_ny(2024, 3, 14, 16, 0);
	uint64_t		 day;

	(void)state;
	fixture_config(&cfg);
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	assert_int_equal(engine_next_timer(e), 0);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = seen_observe, .arg = sn }, &err), 0);
	step(e, 15, 0, P(5000), P(5000), P(5000), P(5000));
	day = order_of(e, TD_BUY, ORD_LIMIT, 1, P(4990), 0, TIF_DAY, 0, &err);
	assert_true(day != 0);
	assert_int_equal(engine_next_timer(e), close);

	engine_advance(e, close - 1);
	assert_int_equal(sn->o[day].state, ORD_WORKING);
	engine_advance(e, close);
	assert_int_equal(sn->o[day].state, ORD_EXPIRED);
	assert_int_equal(sn->o[day].updated, close);
	assert_int_equal(engine_now(e), close);
	assert_true(engine_next_timer(e) > close);
	/* Earlier times change nothing. */
	engine_advance(e, close - TD_NS_PER_MIN);
	assert_int_equal(engine_now(e), close);
	engine_free(e);
	free(sn);
}

/*
 * A stop-limit: its limit on its side of the stop and within the collar,
 * its stop a stop; modify moves both, and it fills at its stop.
 */
static void
test_engine_stop_limit_orders(void **state)
{
	struct engine	*e = collar_engine();
	struct snapshot	*s = snapshot_create(NULL, NULL);
	struct errmsg	 err;
	uint64_t	 id, lmt;

	(void)state;
	assert_int_equal(order_of(e, TD_BUY, ORD_STOP_LIMIT, 1, P(5005),
	    P(5004), TIF_DAY, 0, &err), 0);
	assert_string_equal(err.msg, "buy stop-limit's limit 5004.00 is below "
	    "its stop 5005.00");
	assert_int_equal(order_of(e, TD_SELL, ORD_STOP_LIMIT, 1, P(4995),
	    P(4996), TIF_DAY, 0, &err), 0);
	assert_string_equal(err.msg, "sell stop-limit's limit 4996.00 is "
	    "above its stop 4995.00");
	assert_int_equal(order_of(e, TD_BUY, ORD_STOP_LIMIT, 1, P(5005),
	    P(5020), TIF_DAY, 0, &err), 0);
	assert_string_equal(err.msg, "order refused: limit 5020.00 is 80 ticks "
	    "from last 5000.00, collar 40 ticks");
	assert_int_equal(order_of(e, TD_BUY, ORD_STOP_LIMIT, 1, P(5020),
	    P(5021), TIF_DAY, 0, &err), 0);
	assert_string_equal(err.msg, "order refused: stop 5020.00 is 80 ticks "
	    "from last 5000.00, collar 40 ticks");
	assert_int_equal(order_mgr_live_count(engine_orders(e)), 0);

	id = order_of(e, TD_BUY, ORD_STOP_LIMIT, 1, P(5005), P(5006),
	    TIF_DAY, 0, &err);
	assert_true(id != 0);
	assert_int_equal(live_order(e, id)->limit, P(5006));
	assert_int_equal(live_order(e, id)->tif, TIF_DAY);
	assert_int_equal(engine_modify(e, id, 0, P(5007), P(5008), &err), 0);
	assert_int_equal(price_of(e, id), P(5007));
	assert_int_equal(live_order(e, id)->limit, P(5008));
	assert_int_equal(engine_modify(e, id, 0, 0, P(5006), &err), -1);
	assert_string_equal(err.msg, "buy stop-limit's limit 5006.00 is below "
	    "its stop 5007.00");
	assert_int_equal(engine_modify(e, id, 0, P(4995), 0, &err), -1);
	assert_string_equal(err.msg, "refused: buy stop 4995.00 is not above "
	    "the market 5000.00");
	assert_int_equal(engine_modify(e, id, 0, 0, P(5020), &err), -1);
	assert_string_equal(err.msg, "refused: limit 5020.00 is 80 ticks from "
	    "last 5000.00, collar 40 ticks");
	assert_int_equal(live_order(e, id)->limit, P(5008));
	lmt = manual(e, TD_BUY, ORD_LIMIT, P(4990), 0);
	assert_int_equal(engine_modify(e, lmt, 0, 0, P(4991), &err), -1);
	assert_string_equal(err.msg, "order 2 is a lmt order: only a "
	    "stop-limit has a limit price");
	assert_int_equal(engine_modify(e, lmt, 0, 0, 0, &err), -1);
	assert_string_equal(err.msg, "nothing to change");

	/* Through its stop 5007.00, within its limit: filled at the stop. */
	step(e, 10, 1, P(5000), P(5009), P(5000), P(5009));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	fixture_snapshot(e, s);
	assert_string_equal(s->inst[0].avg, "5007.00");
	engine_free(e);
	snapshot_free(s);
}

/*
 * modify changes a quantity: a bigger entry is judged by the risk
 * manager, a bracket leg's follows its entry, an exit stays within the
 * position.
 */
static void
test_engine_modify_quantity(void **state)
{
	struct engine	*e = collar_engine();
	struct errmsg	 err;
	uint64_t	 ent, leg, ex;

	(void)state;
	assert_int_equal(engine_risk_set(e, "max_contracts", 4, false, &err),
	    0);
	ent = manual(e, TD_BUY, ORD_LIMIT, P(4990), 0);
	assert_int_equal(engine_modify(e, ent, 3, 0, 0, &err), 0);
	assert_int_equal(live_order(e, ent)->qty, 3);
	assert_int_equal(engine_modify(e, ent, 5, 0, 0, &err), -1);
	/* What it adds on top of what works already. */
	assert_string_equal(err.msg, "order refused: qty 2 with position 0 "
	    "and working entries 3 makes 5, exceeds max contracts 4");
	assert_int_equal(live_order(e, ent)->qty, 3);
	assert_int_equal(engine_modify(e, ent, 1, P(4991), 0, &err), 0);
	assert_int_equal(live_order(e, ent)->qty, 1);
	assert_int_equal(price_of(e, ent), P(4991));

	manual(e, TD_BUY, ORD_MARKET, 0, 8);
	manual(e, TD_BUY, ORD_MARKET, 0, 0);
	step(e, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 2);
	leg = live_order(e, 0)->id;
	assert_int_equal(engine_modify(e, leg, 2, 0, 0, &err), -1);
	assert_string_equal(err.msg, "order 4: a bracket leg's quantity "
	    "follows its entry");
	ex = manual(e, TD_SELL, ORD_LIMIT, P(5010), 0);
	assert_int_equal(live_order(e, ex)->role, ROLE_EXIT);
	assert_int_equal(engine_modify(e, ex, 2, 0, 0, &err), -1);
	assert_string_equal(err.msg, "order 5: exit refused: 3 would be "
	    "working to close a position of 2");
	assert_int_equal(live_order(e, ex)->qty, 1);
	engine_free(e);
}

/* ------------------------------------------------ protection invariants */

/*
 * An engine without strategies for the trader's own orders: ES (and MES
 * with two instruments) on the fixture's session, no risk limit but
 * max_contracts and max_positions (0: off), the venue's latency in ms.
 */
static struct engine *
desk_engine(int ninst, int64_t max_contracts, int max_positions,
    int latency_ms)
{
	struct engine_config	 cfg;
	struct venue_sim_cfg	 vc;
	struct engine		*e;
	struct errmsg		 err;

	fixture_config(&cfg);
	if (ninst == 2) {
		cfg.inst[1] = cfg.inst[0];
		strcpy(cfg.inst[1].symbol, "MES");
		cfg.inst[1].point_value = 500;
		cfg.inst[1].commission = 35;
		instrument_init(&cfg.inst[1], NULL);
		cfg.ninst = 2;
	}
	cfg.risk.max_contracts = max_contracts;
	cfg.risk.max_positions = max_positions;
	fixture_venue_config(&vc);
	vc.latency = (td_ns)latency_ms * 1000000;
	if ((e = fixture_engine(&cfg, &vc, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

/* A bar of instrument inst on 2024-03-14 (New York). */
static void
bar_of(struct engine *e, int inst, int hour, int min, td_ticks o, td_ticks h,
    td_ticks l, td_ticks c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14, hour, min),
			    o, h, l, c);

	md.inst = inst;
	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

/*
 * A manual order of qty with a bracket of stop and target ticks (0: none):
 * the engine's answer, the order's id in *id (may be NULL), the reason
 * in err.
 */
static int
order_on(struct engine *e, int inst, enum td_side side, enum order_type type,
    int64_t qty, td_ticks price, int32_t stop, int32_t target, uint64_t *id,
    struct errmsg *err)
{
	struct manual_order	 m = {
		.inst = td_inst_at(inst),
		.side = side,
		.type = type,
		.qty = qty,
		.price = price,
		.br = { .stop_ticks = stop, .ntargets = target > 0,
		    .target_ticks = { target } },
	};

	return engine_manual_order(e, &m, id, err);
}

static int64_t
es_position(struct engine *e)
{
	return portfolio_position(engine_portfolio(e), ES);
}

static int
es_working(struct engine *e)
{
	return order_mgr_working_count(engine_orders(e), td_inst_only(ES));
}

/*
 * A long 1 with a bracket: a limit exit of 1 more is refused, because the
 * bracket's OCO group already closes the position (counted once: a stop
 * and its target cannot both fill) -- with a stop and a target, and with
 * a stop alone.  When the stop has closed the position no exit is left
 * working, and the market running through the refused limit's price
 * opens nothing.
 */
static void
test_engine_exit_refused_beyond_bracket(void **state)
{
	static const char *const why[2] = {
		"ES: exit refused: 1 more would make 2 working to close a "
		    "position of 1 (order 2): move or cancel it first",
		"ES: exit refused: 1 more would make 2 working to close a "
		    "position of 1 (orders 2, 3): move or cancel them first",
	};
	struct errmsg	 err;

	(void)state;
	for (int target = 0; target < 2; target++) {
		struct engine	*e = desk_engine(1, 0, 0, 0);

		step(e, 10, 0, P(5000), P(5000), P(5000), P(5000));
		assert_int_equal(order_on(e, 0, TD_BUY, ORD_MARKET, 1, 0, 8,
		    target ? 16 : 0, NULL, &err), 0);
		step(e, 10, 1, P(5000), P(5000), P(5000), P(5000));
		assert_int_equal(es_position(e), 1);
		assert_int_equal(es_working(e), 1 + target);
		assert_int_equal(order_on(e, 0, TD_SELL, ORD_LIMIT, 1, P(5003),
		    0, 0, NULL, &err), -1);
		assert_string_equal(err.msg, why[target]);
		assert_int_equal(es_working(e), 1 + target);
		assert_int_equal(order_mgr_exit_qty(engine_orders(e), ES), 1);

		/* The stop (at 4998.00) closes the position. */
		step(e, 10, 2, P(5000), P(5000), P(4997), P(4997));
		assert_int_equal(es_position(e), 0);
		assert_int_equal(es_working(e), 0);
		assert_int_equal(trades_count(engine_trades(e)), 1);
		assert_string_equal(trades_get(engine_trades(e), 0)->reason,
		    "stop");
		/* Up through 5003.00 and down again: nothing opens. */
		step(e, 10, 3, P(4997), P(5006), P(4997), P(5006));
		step(e, 10, 4, P(5006), P(5006), P(4990), P(4990));
		assert_int_equal(es_position(e), 0);
		assert_int_equal(trades_count(engine_trades(e)), 1);
		engine_free(e);
	}
}

/*
 * Flat means no exit stays working: a sell limit entered while flat fills
 * after a buy and closes the position; the sell stop protecting the long
 * goes with it, so it cannot open a short when the market falls.
 */
static void
test_engine_flat_cancels_every_exit(void **state)
{
	struct engine	*e = desk_engine(1, 0, 0, 0);
	struct errmsg	 err;
	uint64_t	 sid;

	(void)state;
	step(e, 10, 0, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(order_on(e, 0, TD_SELL, ORD_LIMIT, 1, P(5004), 0, 0,
	    NULL, &err), 0);
	assert_int_equal(order_on(e, 0, TD_BUY, ORD_MARKET, 1, 0, 0, 0, NULL,
	    &err), 0);
	step(e, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_position(e), 1);
	assert_int_equal(order_on(e, 0, TD_SELL, ORD_STOP, 1, P(4998), 0, 0,
	    &sid, &err), 0);
	assert_int_equal(live_order(e, sid)->role, ROLE_EXIT);
	assert_int_equal(es_working(e), 2);
	/* The limit fills at 5004.00: flat, and the stop is cancelled. */
	step(e, 10, 2, P(5000), P(5005), P(5000), P(5005));
	assert_int_equal(es_position(e), 0);
	assert_int_equal(es_working(e), 0);
	step(e, 10, 3, P(5005), P(5005), P(4990), P(4990));
	assert_int_equal(es_position(e), 0);
	engine_free(e);
}

/*
 * A buy with a bracket against a short of the same size only closes it:
 * it goes as an exit without a bracket, and once it fills ES is flat with
 * no order working -- no stop or target left to open a position.
 */
static void
test_engine_order_against_short_only_closes(void **state)
{
	struct engine		*e = desk_engine(1, 0, 0, 0);
	const struct order	*o;
	struct errmsg		 err;
	uint64_t		 id;

	(void)state;
	step(e, 10, 0, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(order_on(e, 0, TD_SELL, ORD_MARKET, 1, 0, 8, 0, NULL,
	    &err), 0);
	step(e, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_position(e), -1);
	assert_int_equal(es_working(e), 1);		/* its buy stop */
	assert_int_equal(order_on(e, 0, TD_BUY, ORD_MARKET, 1, 0, 8, 16, &id,
	    &err), 0);
	o = live_order(e, id);
	assert_int_equal(o->role, ROLE_EXIT);
	assert_int_equal(o->qty, 1);
	assert_int_equal(o->br.stop_ticks, 0);
	assert_int_equal(o->br.ntargets, 0);
	step(e, 10, 2, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_position(e), 0);
	assert_int_equal(order_mgr_position(engine_orders(e), ES), 0);
	assert_int_equal(es_working(e), 0);
	/* Where a bracket's legs would have been, both ways: still flat. */
	step(e, 10, 3, P(5000), P(5010), P(4990), P(5000));
	assert_int_equal(es_position(e), 0);
	assert_int_equal(trades_count(engine_trades(e)), 1);
	engine_free(e);
}

/*
 * Market exits never take a position beyond flat: long 3, five market
 * sells of 3 -- the first goes, the others are refused while it works --
 * and ES ends flat, never short; with the venue's latency (50 ms, so the
 * orders wait a bar) as without.
 */
static void
test_engine_market_exits_never_pass_flat(void **state)
{
	struct errmsg	 err;

	(void)state;
	for (int latency = 0; latency <= 50; latency += 50) {
		struct engine	*e = desk_engine(1, 3, 0, latency);
		int		 m = 0;

		step(e, 10, m++, P(5000), P(5000), P(5000), P(5000));
		assert_int_equal(order_on(e, 0, TD_BUY, ORD_MARKET, 3, 0, 0, 0,
		    NULL, &err), 0);
		while (es_position(e) == 0 && m < 5)
			step(e, 10, m++, P(5000), P(5000), P(5000), P(5000));
		assert_int_equal(es_position(e), 3);
		assert_int_equal(order_on(e, 0, TD_SELL, ORD_MARKET, 3, 0, 0,
		    0, NULL, &err), 0);
		for (int i = 0; i < 4; i++) {
			assert_int_equal(order_on(e, 0, TD_SELL, ORD_MARKET, 3,
			    0, 0, 0, NULL, &err), -1);
			assert_string_equal(err.msg, "ES: exit refused: 3 more "
			    "would make 6 working to close a position of 3 "
			    "(order 2): move or cancel it first");
		}
		assert_int_equal(es_working(e), 1);
		for (int i = 0; i < 4; i++) {
			step(e, 10, m++, P(5000), P(5000), P(5000), P(5000));
			assert_true(es_position(e) >= 0);
		}
		assert_int_equal(es_position(e), 0);
		assert_int_equal(es_working(e), 0);
		assert_int_equal(trades_count(engine_trades(e)), 1);
		engine_free(e);
	}
}

/*
 * max_positions counts working entries: with a buy limit working on ES
 * (nothing filled), a new position in MES would make two.  Once the ES
 * entry is cancelled, MES may go.
 */
static void
test_engine_max_positions_counts_working_entries(void **state)
{
	struct engine	*e = desk_engine(2, 0, 1, 0);
	struct errmsg	 err;
	uint64_t	 id;

	(void)state;
	bar_of(e, 0, 10, 0, P(5000), P(5000), P(5000), P(5000));
	bar_of(e, 1, 10, 0, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(order_on(e, 0, TD_BUY, ORD_LIMIT, 1, P(4990), 0, 0,
	    &id, &err), 0);
	assert_int_equal(order_on(e, 1, TD_BUY, ORD_MARKET, 1, 0, 0, 0, NULL,
	    &err), -1);
	assert_string_equal(err.msg, "order refused: a new position in MES "
	    "would make 2 with positions or working entries, max positions 1");
	bar_of(e, 1, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), td_inst_at(1)),
	    0);
	assert_int_equal(es_position(e), 0);
	assert_int_equal(es_working(e), 1);
	/* More on ES is still one instrument. */
	assert_int_equal(order_on(e, 0, TD_BUY, ORD_LIMIT, 1, P(4989), 0, 0,
	    NULL, &err), 0);
	assert_int_equal(engine_cancel(e, 0, &err), 0);
	bar_of(e, 0, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_working(e), 0);
	assert_int_equal(order_on(e, 1, TD_BUY, ORD_MARKET, 1, 0, 0, 0, NULL,
	    &err), 0);
	bar_of(e, 1, 10, 2, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), td_inst_at(1)),
	    1);
	engine_free(e);
}

/*
 * Flatten takes the instruments it is given: MES alone closes MES and
 * cancels its bracket while ES keeps its position and protection; then
 * every instrument.
 */
static void
test_engine_flatten_selected_instruments(void **state)
{
	struct engine		*e = desk_engine(2, 0, 0, 0);
	const struct order_mgr	*om = engine_orders(e);
	const struct td_inst	 mes = td_inst_at(1);
	struct errmsg		 err;

	(void)state;
	for (int i = 0; i < 2; i++) {
		bar_of(e, i, 10, 0, P(5000), P(5000), P(5000), P(5000));
		assert_int_equal(order_on(e, i, TD_BUY, ORD_MARKET, 1, 0, 8,
		    16, NULL, &err), 0);
	}
	for (int i = 0; i < 2; i++)
		bar_of(e, i, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_position(e), 1);
	assert_int_equal(portfolio_position(engine_portfolio(e), mes), 1);
	assert_int_equal(order_mgr_working_count(om, td_inst_all()), 4);

	assert_int_equal(engine_flatten(e, td_inst_only(mes), "test"), 0);
	for (int i = 0; i < 2; i++)
		bar_of(e, i, 10, 2, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), mes), 0);
	assert_int_equal(order_mgr_working_count(om, td_inst_only(mes)), 0);
	assert_int_equal(es_position(e), 1);
	assert_int_equal(es_working(e), 2);
	assert_true(order_mgr_protected(om, ES, 1));

	assert_int_equal(engine_flatten(e, td_inst_all(), "test"), 0);
	for (int i = 0; i < 2; i++)
		bar_of(e, i, 10, 3, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_position(e), 0);
	assert_int_equal(order_mgr_working_count(om, td_inst_all()), 0);
	engine_free(e);
}

/* The books' order events, in the order the journal would write them. */
struct order_events {
	int		 n;
	uint64_t	 id[64];
	int		 from[64];
	enum order_role	 role[64];
};

static int
order_events_observe(void *arg, const struct engine_ev *ev,
    struct errmsg *err)
{
	struct order_events	*oe = arg;

	(void)err;
	if (ev->kind == EEV_ORDER && oe->n < 64) {
		oe->id[oe->n] = ev->order->id;
		oe->from[oe->n] = ev->from;
		oe->role[oe->n] = ev->order->role;
		oe->n++;
	}
	return 0;
}

/*
 * Flatten with a market exit already on its way for part of the
 * position: the rest's exit is recorded before anything of the bracket
 * goes, so a crash between the two never leaves contracts with neither.
 */
static void
test_engine_flatten_exit_before_bracket_goes(void **state)
{
	struct engine		*e = desk_engine(1, 0, 0, 0);
	struct order_events	*oe = calloc(1, sizeof *oe);
	struct errmsg		 err;
	int			 exit_at = -1, bracket_at = -1;
	uint64_t		 entry;

	(void)state;
	assert_non_null(oe);
	bar_of(e, 0, 10, 0, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(order_on(e, 0, TD_BUY, ORD_MARKET, 2, 0, 8, 16,
	    &entry, &err), 0);
	bar_of(e, 0, 10, 1, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_position(e), 2);
	/* A market exit of 1, not filled before the flatten. */
	assert_int_equal(order_on(e, 0, TD_SELL, ORD_MARKET, 1, 0, 0, 0, NULL,
	    &err), 0);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = order_events_observe, .arg = oe }, &err), 0);
	assert_int_equal(engine_flatten(e, td_inst_all(), "test"), 0);
	for (int i = 0; i < oe->n; i++) {
		if (exit_at == -1 && oe->from[i] == -1 &&
		    oe->role[i] == ROLE_EXIT)
			exit_at = i;
		if (bracket_at == -1 && oe->from[i] != -1 &&
		    (oe->id[i] == entry || oe->role[i] == ROLE_STOP))
			bracket_at = i;
	}
	assert_true(exit_at != -1);
	assert_true(bracket_at != -1);
	assert_true(exit_at < bracket_at);
	bar_of(e, 0, 10, 2, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(es_position(e), 0);
	assert_int_equal(es_working(e), 0);
	engine_free(e);
	free(oe);
}

/*
 * Instruments and strategies found by name, and owners named: a strategy
 * by its name, the trader and a strategy the engine does not have as
 * "manual".
 */
static void
test_engine_identities_by_name(void **state)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct errmsg		 err;
	struct td_strat		 s;
	struct td_inst		 inst;

	(void)state;
	fixture_orb_config(&cfg, false, 0);
	cfg.strat[1] = cfg.strat[0];
	strcpy(cfg.strat[1].name, "orb-late");
	cfg.nstrat = 2;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(engine_inst_find(e, "ES", &inst), 0);
	assert_true(td_inst_eq(inst, ES));
	assert_int_equal(engine_inst_find(e, "NQ", &inst), -1);
	assert_int_equal(engine_strategy_find(e, "orb-late", &s), 0);
	assert_true(td_strat_eq(s, td_strat_at(1)));
	assert_string_equal(engine_strategy_cfg(e, s)->name, "orb-late");
	assert_int_equal(engine_strategy_find(e, "orb-early", &s), -1);
	assert_string_equal(engine_owner_name(e,
	    td_owner_strat(td_strat_at(0))), "orb");
	assert_string_equal(engine_owner_name(e,
	    td_owner_strat(td_strat_at(1))), "orb-late");
	assert_string_equal(engine_owner_name(e, td_owner_manual()),
	    "manual");
	assert_string_equal(engine_owner_name(e,
	    td_owner_strat(td_strat_at(2))), "manual");
	engine_free(e);
}

/*
 * Reduce-only is judged on the account, not on a strategy's books: two
 * SimpleORBs on ES, ranges of 30 and 31 minutes.  The first buys the
 * breakout; the second sells the breakdown a bar later, which closes the
 * account's long (an exit of its own).  The account is flat while the
 * first strategy's books say long 1 and the second's short 1: neither
 * flatten nor their exits before the close send anything.
 */
static void
test_engine_strategy_exit_judged_on_account(void **state)
{
	struct engine_config	 cfg;
	const struct strategy_ops *orb =
	    strat_registry_find(strat_registry_builtin(), "orb");
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct engine		*e;
	struct errmsg		 err;
	uint64_t		 next;

	(void)state;
	assert_non_null(s);
	fixture_config(&cfg);
	cfg.nstrat = 2;
	memset(cfg.strat, 0, 2 * sizeof cfg.strat[0]);
	for (int k = 0; k < 2; k++) {
		snprintf(cfg.strat[k].name, sizeof cfg.strat[k].name, "orb%d",
		    k + 1);
		strcpy(cfg.strat[k].type, "orb");
		strcpy(cfg.strat[k].symbol, "ES");
		cfg.strat[k].enabled = true;
		for (int i = 0; orb->params[i].name != NULL; i++)
			cfg.strat[k].params[i] = orb->params[i].def;
		cfg.strat[k].params[strat_param_index(orb,
		    "opening_range_minutes")] = 30 + k;
	}
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	for (int m = 9 * 60 + 30; m < 10 * 60; m++)
		step(e, m / 60, m % 60, P(5000), P(5000), P(5000), P(5000));
	/* orb1 buys the breakout; orb2's range takes the bar in. */
	step(e, 10, 0, P(5000), P(5001), P(5000), P(5001));
	/* orb1 long at 5001.00 (stop 4999.00); orb2 sells the breakdown. */
	step(e, 10, 1, P(5001), P(5001), P(4999.75), P(4999.75));
	assert_int_equal(es_position(e), 1);
	step(e, 10, 2, P(4999.75), P(4999.75), P(4999.75), P(4999.75));
	assert_int_equal(es_position(e), 0);
	assert_int_equal(order_mgr_position(engine_orders(e), ES), 0);
	assert_int_equal(engine_strat_position(e, ES), 0);
	assert_int_equal(es_working(e), 0);
	fixture_snapshot(e, s);
	assert_int_equal(s->strat[0].position, 1);
	assert_int_equal(s->strat[1].position, -1);

	next = order_mgr_next_id(engine_orders(e));
	assert_int_equal(engine_flatten(e, td_inst_only(ES), "test"), 0);
	assert_int_equal(order_mgr_next_id(engine_orders(e)), next);
	for (int m = 10 * 60 + 3; m < 16 * 60; m++)
		step(e, m / 60, m % 60, P(4999.75), P(4999.75), P(4999.75),
		    P(4999.75));
	engine_finish(e, engine_now(e));
	assert_int_equal(order_mgr_next_id(engine_orders(e)), next);
	assert_int_equal(es_position(e), 0);
	engine_free(e);
	snapshot_free(s);
}

/* ------------------------------------------------ the stale-feed guard */

#define SEC	TD_NS_PER_SEC
#define MIN	TD_NS_PER_MIN

/* An attended engine with the stale-feed guard at 30 s, no strategy. */
static struct engine *
guard_engine(void)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.risk.stale_after = 30 * SEC;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

/* The 1-minute bar of March 2024, New York time, at its end. */
static void
guard_bar(struct engine *e, int mday, int minute)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, mday,
			    minute / 60, minute % 60), P(5000), P(5000),
			    P(5000), P(5000));

	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
guard_tick(struct engine *e, td_ns t)
{
	struct errmsg	 err;
	struct td_md	 md;

	memset(&md, 0, sizeof md);
	md.kind = TD_MD_TICK;
	md.tick.time = t;
	md.tick.price = P(5000);
	md.tick.volume = 1;
	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

/*
 * The clock moves to t without data (a replay's simulated time); the
 * snapshot then gives the guard's figure, -1 when it does not watch.
 */
static td_ns
guard_clock(struct engine *e, struct snapshot *s, td_ns t)
{
	engine_advance(e, t);
	snapshot_clear(s);
	fixture_snapshot(e, s);
	if (!s->inst[0].md_watched)
		return -1;
	return s->inst[0].md_late;
}

/*
 * A replay of 1-minute bars that come on time never trips the guard: the
 * clock runs second by second between bars up to the next bar's end, as
 * the runner's does.  The session opens inside the data (bars from 08:00,
 * the open at 09:30), and again after a night without data (the first bar
 * of the session ends at 09:31).  The figure in the snapshot is how long
 * until the next bar ends, which the guard judges.
 */
static void
test_engine_stale_feed_bars_on_time(void **state)
{
	struct engine	*e = guard_engine();
	struct snapshot	*s = snapshot_create(NULL, NULL);
	td_ns		 t, end, open = fixture_ny(2024, 3, 14, 9, 30);

	(void)state;
	assert_non_null(s);
	for (int m = 15 * 60 + 30; m < 16 * 60; m++)
		guard_bar(e, 13, m);
	/* A night without data: the clock runs, nothing is watched. */
	for (t = fixture_ny(2024, 3, 13, 16, 0); t < fixture_ny(2024, 3, 14,
	    8, 0); t += 10 * MIN)
		assert_true(guard_clock(e, s, t) == -1);
	for (int m = 8 * 60; m < 10 * 60 + 30; m++) {
		end = fixture_ny(2024, 3, 14, m / 60, m % 60) + MIN;
		for (t = end - MIN; t < end; t += SEC) {
			td_ns	 late = guard_clock(e, s, t);

			if (t < open) {
				assert_true(late == -1);
				continue;
			}
			if (late != t - end)
				fail_msg("%02d:%02d:%02d: figure %lld, "
				    "expected %lld", m / 60, m % 60,
				    (int)((t - end + MIN) / SEC),
				    (long long)late, (long long)(t - end));
		}
		guard_bar(e, 14, m);
		if (engine_state(e) != TS_ACTIVE)
			fail_msg("%02d:%02d: %s", m / 60, m % 60,
			    s->state_why);
	}

	/* Regular hours only: the next day's first bar ends at 09:31. */
	for (int m = 10 * 60 + 30; m < 16 * 60; m++)
		guard_bar(e, 14, m);
	open = fixture_ny(2024, 3, 15, 9, 30);
	for (t = open - 5 * MIN; t < open + MIN; t += SEC) {
		td_ns	 late = guard_clock(e, s, t);

		assert_true(t < open ? late == -1 : late == t - open - MIN);
	}
	guard_bar(e, 15, 9 * 60 + 30);
	for (t = open + MIN; t < open + 2 * MIN; t += SEC)
		assert_true(guard_clock(e, s, t) == t - open - 2 * MIN);
	guard_bar(e, 15, 9 * 60 + 31);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_true(s->inst[0].md_bars);
	snapshot_free(s);
	engine_free(e);
}

/* A bar more than stale_feed_seconds late trips it, the snapshot says so. */
static void
test_engine_stale_feed_bar_overdue(void **state)
{
	struct engine	*e = guard_engine();
	struct snapshot	*s = snapshot_create(NULL, NULL);
	td_ns		 due = fixture_ny(2024, 3, 14, 10, 1);

	(void)state;
	assert_non_null(s);
	for (int m = 9 * 60 + 30; m < 10 * 60; m++)
		guard_bar(e, 14, m);
	assert_true(guard_clock(e, s, due + 30 * SEC) == 30 * SEC);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_true(guard_clock(e, s, due + 31 * SEC) == 31 * SEC);
	assert_int_equal(engine_state(e), TS_REDUCING);
	assert_string_equal(s->state, "REDUCING");
	assert_string_equal(s->state_why, "ES: bar 31s late");
	/* An earlier time (a replay that went back to pacing) is ignored. */
	assert_true(guard_clock(e, s, due) == 31 * SEC);
	/* The bar comes: the figure is the next one's, the state stays. */
	guard_bar(e, 14, 10 * 60);
	assert_true(guard_clock(e, s, due + 40 * SEC) == -20 * SEC);
	assert_int_equal(engine_state(e), TS_REDUCING);
	engine_free(e);

	/* At the open after a night without data: due at 09:31. */
	e = guard_engine();
	for (int m = 15 * 60 + 50; m < 16 * 60; m++)
		guard_bar(e, 13, m);
	due = fixture_ny(2024, 3, 14, 9, 31);
	assert_true(guard_clock(e, s, due + 30 * SEC) == 30 * SEC);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_true(guard_clock(e, s, due + 31 * SEC) == 31 * SEC);
	assert_string_equal(s->state_why, "ES: bar 31s late");
	snapshot_free(s);
	engine_free(e);
}

/* Ticks: due at the last tick (at the open after the night), likewise. */
static void
test_engine_stale_feed_ticks(void **state)
{
	struct engine	*e = guard_engine();
	struct snapshot	*s = snapshot_create(NULL, NULL);
	td_ns		 t, open = fixture_ny(2024, 3, 14, 9, 30);

	(void)state;
	assert_non_null(s);
	guard_tick(e, fixture_ny(2024, 3, 13, 15, 59));
	assert_true(guard_clock(e, s, open - SEC) == -1);
	assert_true(guard_clock(e, s, open + 30 * SEC) == 30 * SEC);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	/* A tick every 2 s, the clock every 500 ms in between. */
	for (t = open + 30 * SEC; t < open + 30 * MIN; t += 2 * SEC) {
		guard_tick(e, t);
		for (td_ns c = t; c < t + 2 * SEC; c += SEC / 2)
			assert_true(guard_clock(e, s, c) == c - t);
	}
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_false(s->inst[0].md_bars);
	t -= 2 * SEC;			/* the last tick */
	assert_true(guard_clock(e, s, t + 30 * SEC) == 30 * SEC);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_true(guard_clock(e, s, t + 31 * SEC) == 31 * SEC);
	assert_string_equal(s->state_why, "ES: no tick for 31s");
	assert_int_equal(engine_state(e), TS_REDUCING);
	engine_free(e);

	/* No tick 31 s after the open trips it too. */
	e = guard_engine();
	guard_tick(e, fixture_ny(2024, 3, 13, 15, 59));
	assert_true(guard_clock(e, s, open + 31 * SEC) == 31 * SEC);
	assert_string_equal(s->state_why, "ES: no tick for 31s");
	snapshot_free(s);
	engine_free(e);
}

/* The engine takes the venue it is handed, and only one it can ask. */
static void
test_engine_takes_the_venue(void **state)
{
	struct engine_config	 cfg;
	struct engine_deps	 deps = { .venue = NULL };
	struct venue_ops	 mute;
	struct vdouble		*vd;
	struct engine		*e;
	struct errmsg		 err;
	bool			 destroyed;

	(void)state;
	fixture_config(&cfg);
	assert_null(engine_create(&cfg, NULL, &err));
	assert_string_equal(err.msg, "no venue");
	assert_null(engine_create(&cfg, &deps, &err));
	assert_string_equal(err.msg, "no venue");
	/* One that cannot tell its fills is refused and stays its maker's. */
	assert_non_null(vd = vdouble_create(&destroyed));
	mute = vdouble_ops;
	mute.executions = NULL;
	vd->v.ops = &mute;
	deps.venue = &vd->v;
	assert_null(engine_create(&cfg, &deps, &err));
	assert_string_equal(err.msg, "venue double: cannot submit, cancel, "
	    "replace, poll, tell its orders and fills, or be freed");
	assert_false(destroyed);
	/* So does one handed with a bad configuration. */
	vd->v.ops = &vdouble_ops;
	cfg.ncal = 0;
	assert_null(engine_create(&cfg, &deps, &err));
	assert_false(destroyed);
	fixture_config(&cfg);
	assert_non_null(e = engine_create(&cfg, &deps, &err));
	assert_false(destroyed);
	engine_free(e);
	assert_true(destroyed);
}

struct venue_lines {
	int		 n;
	enum log_level	 level[8];
	char		 msg[8][96];
};

static void
venue_line(void *arg, const struct log_line *l)
{
	struct venue_lines	*v = arg;

	if (strcmp(l->component, "venue") != 0 || v->n == 8)
		return;
	v->level[v->n] = l->level;
	snprintf(v->msg[v->n++], sizeof v->msg[0], "%s", l->msg);
}

/* The venue's connection moves: the snapshot shows it, the log says so. */
static void
test_engine_venue_connection(void **state)
{
	static const struct {
		enum venue_conn	 to;
		enum log_level	 level;
		const char	*msg;
	} steps[] = {
		{ VENUE_UP, LOG_INFO, "venue double connected" },
		{ VENUE_LOST, LOG_CRITICAL, "venue double disconnected" },
		{ VENUE_CONNECTING, LOG_WARNING, "venue double connecting" },
		{ VENUE_UP, LOG_WARNING, "venue double connected again" },
		{ VENUE_CONNECTING, LOG_CRITICAL, "venue double disconnected, "
		    "connecting again" },
		{ VENUE_LOST, LOG_WARNING, "venue double lost" },
	};
	struct engine_config	 cfg;
	struct engine_deps	 deps = { .venue = NULL };
	struct venue_lines	 lines = { .n = 0 };
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct vdouble		*vd;
	struct engine		*e;
	struct errmsg		 err;

	(void)state;
	assert_non_null(s);
	fixture_config(&cfg);
	cfg.log = venue_line;
	cfg.log_arg = &lines;
	cfg.log_level = LOG_DEBUG;
	assert_non_null(vd = vdouble_create(NULL));
	vd->vd_conn = VENUE_CONNECTING;
	deps.venue = &vd->v;
	assert_non_null(e = engine_create(&cfg, &deps, &err));
	fixture_snapshot(e, s);
	assert_string_equal(s->venue, "double");
	assert_int_equal(s->venue_conn, VENUE_CONNECTING);
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		vd->vd_conn = steps[i].to;
		engine_on_venue(e);
		engine_on_venue(e);		/* said once */
		assert_int_equal(lines.n, (int)i + 1);
		assert_int_equal(lines.level[i], steps[i].level);
		assert_string_equal(lines.msg[i], steps[i].msg);
		fixture_snapshot(e, s);
		assert_int_equal(s->venue_conn, steps[i].to);
	}
	assert_string_equal(venue_conn_name(VENUE_CONNECTING), "connecting");
	snapshot_free(s);
	engine_free(e);
}

/*
 * An attended engine on a venue double, long 1 ES with a stop (none when
 * the double refuses stops: *stop stays 0).
 */
static struct engine *
double_engine(struct vdouble **vd, enum engine_on_unprotected unprot,
    enum engine_on_link_loss loss, bool refuse, uint64_t *stop)
{
	struct engine_config	 cfg;
	struct engine_deps	 deps = { 0 };
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_MARKET, .qty = 1,
				    .br = { .stop_ticks = 8, .ntargets = 1,
				    .target_ticks = { 16 } } };
	struct venue_event	*ev;
	struct engine		*e;
	struct errmsg		 err;
	uint64_t		 id;

	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.on_unprotected = unprot;
	cfg.on_link_loss = loss;
	assert_non_null(*vd = vdouble_create(NULL));
	deps.venue = &(*vd)->v;
	assert_non_null(e = engine_create(&cfg, &deps, &err));
	step(e, 10, 0, P(5000), P(5000), P(5000), P(5000));
	assert_int_equal(engine_manual_order(e, &m, &id, &err), 0);
	engine_on_venue(e);
	(*vd)->reject_stops = refuse;
	assert_non_null(ev = vd_push(*vd, VEV_FILL, id, 0));
	ev->qty = 1;
	ev->price = P(5000);
	engine_on_venue(e);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	for (int i = 0; i < order_mgr_live_count(engine_orders(e)); i++) {
		const struct order *o = order_mgr_live_at(engine_orders(e), i);

		if (o->role == ROLE_STOP)
			*stop = o->id;
	}
	return e;
}

/* A live market exit of ES: what a flatten sends. */
static bool
flattening(struct engine *e)
{
	for (int i = 0; i < order_mgr_live_count(engine_orders(e)); i++) {
		const struct order *o = order_mgr_live_at(engine_orders(e), i);

		if (o->type == ORD_MARKET && o->side == TD_SELL &&
		    o->qty == 1)
			return true;
	}
	return false;
}

/*
 * The venue refuses the stop of a position: flattened by default, or
 * trading halts and the position waits for a person.
 */
static void
test_engine_refused_stop(void **state)
{
	for (int halt = 0; halt < 2; halt++) {
		struct vdouble		*vd;
		uint64_t		 stop = 0;
		struct engine		*e = double_engine(&vd, halt ?
					    ENGINE_UNPROT_HALT :
					    ENGINE_UNPROT_FLATTEN,
					    ENGINE_LINK_KEEP, true, &stop);

		assert_int_equal(stop, 0);
		assert_int_equal(flattening(e), !halt);
		assert_int_equal(engine_state(e), halt ? TS_HALTED : TS_ACTIVE);
		engine_free(e);
	}
}

/*
 * The venue's link is lost: keep waits, halt halts, flatten halts and
 * flattens when the link is back (not before: nothing would go).
 */
static void
test_engine_link_loss(void **state)
{
	for (int p = ENGINE_LINK_KEEP; p <= ENGINE_LINK_FLATTEN; p++) {
		struct vdouble	*vd;
		uint64_t	 stop = 0;
		struct engine	*e = double_engine(&vd, ENGINE_UNPROT_FLATTEN,
				    (enum engine_on_link_loss)p, false, &stop);

		assert_true(stop != 0);
		vd->vd_conn = VENUE_LOST;
		engine_on_venue(e);
		assert_int_equal(engine_state(e), p == ENGINE_LINK_KEEP ?
		    TS_ACTIVE : TS_HALTED);
		assert_false(flattening(e));
		vd->vd_conn = VENUE_UP;
		engine_on_venue(e);
		assert_int_equal(flattening(e), p == ENGINE_LINK_FLATTEN);
		engine_free(e);
	}
}

/* The venue found orders not as it had said: trading halts, once. */
static void
test_engine_venue_discrepancy_halts(void **state)
{
	struct vdouble	*vd;
	uint64_t	 stop = 0;
	struct engine	*e = double_engine(&vd, ENGINE_UNPROT_FLATTEN,
			    ENGINE_LINK_KEEP, false, &stop);

	engine_on_venue(e);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	vd->vd_disc = 1;
	engine_on_venue(e);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(engine_set_state(e, TS_ACTIVE, "trader", "resume",
	    NULL), 0);
	engine_on_venue(e);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	engine_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_refuses_bad_events),
		cmocka_unit_test(test_engine_refused_stop),
		cmocka_unit_test(test_engine_link_loss),
		cmocka_unit_test(test_engine_venue_discrepancy_halts),
		cmocka_unit_test(test_engine_daily_loss_latch),
		cmocka_unit_test(test_engine_daily_loss_unattended),
		cmocka_unit_test(test_engine_stop_cover_and_flatten),
		cmocka_unit_test(test_engine_move_collar_and_stop_side),
		cmocka_unit_test(test_engine_move_tightens_stop_outside_collar),
		cmocka_unit_test(test_engine_day_orders_expire_at_close),
		cmocka_unit_test(test_engine_advance_fires_timers_without_data),
		cmocka_unit_test(test_engine_stop_limit_orders),
		cmocka_unit_test(test_engine_modify_quantity),
		cmocka_unit_test(test_engine_deterministic),
		cmocka_unit_test(test_engine_thousand_share_one_market),
		cmocka_unit_test(test_engine_strategy_failure_isolated),
		cmocka_unit_test(test_engine_sizer_failure_refuses),
		cmocka_unit_test(test_engine_submit_failure_refuses),
		cmocka_unit_test(test_engine_alert_events),
		cmocka_unit_test(test_engine_alert_breach),
		cmocka_unit_test(test_engine_weekly_breach_week_pnl),
		cmocka_unit_test(test_engine_day_without_data),
		cmocka_unit_test(test_engine_trade_excursions),
		cmocka_unit_test(test_engine_latency),
		cmocka_unit_test(test_engine_exit_refused_beyond_bracket),
		cmocka_unit_test(test_engine_flat_cancels_every_exit),
		cmocka_unit_test(test_engine_order_against_short_only_closes),
		cmocka_unit_test(test_engine_market_exits_never_pass_flat),
		cmocka_unit_test(
		    test_engine_max_positions_counts_working_entries),
		cmocka_unit_test(test_engine_flatten_selected_instruments),
		cmocka_unit_test(test_engine_flatten_exit_before_bracket_goes),
		cmocka_unit_test(test_engine_identities_by_name),
		cmocka_unit_test(test_engine_strategy_exit_judged_on_account),
		cmocka_unit_test(test_engine_stale_feed_bars_on_time),
		cmocka_unit_test(test_engine_stale_feed_bar_overdue),
		cmocka_unit_test(test_engine_stale_feed_ticks),
		cmocka_unit_test(test_engine_takes_the_venue),
		cmocka_unit_test(test_engine_venue_connection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
