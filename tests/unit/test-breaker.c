/*
 * test-breaker.c -- the circuit breakers: each one's trip and reset on its
 * own (exact windows, the latch, what reset forgets), and in an engine:
 * a trip halts (journaled through the observer), alerts, flattens when
 * configured, refuses resume until a person resets it, and an unattended
 * engine lifts it at the next trading day.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "breaker.h"
#include "engine.h"
#include "errmsg.h"
#include "portfolio.h"
#include "snapshot.h"

#include "fixture.h"

#define SEC	TD_NS_PER_SEC
#define T0	(1700000000LL * SEC)

static struct breaker *
mk(const struct breaker_cfg *c)
{
	struct errmsg	 err;
	struct breaker	*b = breaker_create(c, &err);

	if (b == NULL)
		fail_msg("%s", err.msg);
	return b;
}

static void
test_breaker_names(void **state)
{
	enum breaker_kind	 k;

	(void)state;
	assert_string_equal(breaker_name(BREAKER_PNL_SWING), "pnl_swing");
	assert_int_equal(breaker_parse("venue", &k), 0);
	assert_int_equal(k, BREAKER_VENUE);
	assert_int_equal(breaker_parse("nope", &k), -1);
}

static void
test_breaker_bad_config(void **state)
{
	struct breaker_cfg	 c = { .rejects = 1001,
				    .rejects_window = 60 * SEC };
	struct errmsg		 err;

	(void)state;
	assert_null(breaker_create(&c, &err));
	assert_string_equal(err.msg, "breakers: rejects must be 0 to 1000");
	c = (struct breaker_cfg){ .errors = 5, .errors_window = 0 };
	assert_null(breaker_create(&c, &err));
	assert_string_equal(err.msg, "breakers: errors window must be 1 s to "
	    "7 days");
	c = (struct breaker_cfg){ .pnl_swing = -1 };
	assert_null(breaker_create(&c, &err));
}

/* 3 within 60 s: exact, a latch, and reset forgets. */
static void
test_breaker_rejects(void **state)
{
	struct breaker_cfg	 c = { .rejects = 3,
				    .rejects_window = 60 * SEC };
	struct breaker		*b = mk(&c);
	struct breaker_state	 bs;

	(void)state;
	assert_false(breaker_on_reject(b, T0));
	assert_false(breaker_on_reject(b, T0 + 30 * SEC));
	/* The first is 60 s old: not within the window. */
	assert_false(breaker_on_reject(b, T0 + 60 * SEC));
	breaker_get(b, BREAKER_REJECTS, T0 + 60 * SEC, &bs);
	assert_int_equal(bs.level, 2);
	assert_int_equal(bs.limit, 3);
	assert_false(bs.tripped);
	assert_true(breaker_on_reject(b, T0 + 61 * SEC));
	assert_true(breaker_tripped(b, BREAKER_REJECTS));
	assert_int_equal(breaker_tripped_mask(b), 1u << BREAKER_REJECTS);
	/* A latch: trips once, stays tripped, however long. */
	assert_false(breaker_on_reject(b, T0 + 62 * SEC));
	breaker_get(b, BREAKER_REJECTS, T0 + 86400 * SEC, &bs);
	assert_true(bs.tripped);
	assert_int_equal(bs.when, T0 + 61 * SEC);
	assert_string_equal(bs.why, "3 orders refused within 1 min");
	assert_int_equal(bs.trips, 1);
	assert_int_equal(breaker_reset(b, BREAKER_REJECTS), 0);
	assert_int_equal(breaker_reset(b, BREAKER_REJECTS), 1);
	assert_false(breaker_tripped(b, BREAKER_REJECTS));
	/* The history went with the reset: two more do not trip. */
	assert_false(breaker_on_reject(b, T0 + 63 * SEC));
	assert_false(breaker_on_reject(b, T0 + 64 * SEC));
	assert_true(breaker_on_reject(b, T0 + 65 * SEC));
	breaker_free(b);
}

/* The same component and text N times; other texts do not add up. */
static void
test_breaker_errors(void **state)
{
	struct breaker_cfg	 c = { .errors = 3,
				    .errors_window = 3600 * SEC };
	struct breaker		*b = mk(&c);
	struct breaker_state	 bs;

	(void)state;
	assert_false(breaker_on_error(b, T0, "sizer", "risk per trade must "
	    "be positive"));
	assert_false(breaker_on_error(b, T0 + 1, "orders", "risk per trade "
	    "must be positive"));
	for (int i = 0; i < 30; i++) {
		char	 text[32];

		snprintf(text, sizeof text, "order %d rejected", i);
		assert_false(breaker_on_error(b, T0 + 2 + i, "orders", text));
	}
	/* The first text was pushed out by 31 others: it starts again. */
	assert_false(breaker_on_error(b, T0 + 40, "sizer", "risk per trade "
	    "must be positive"));
	assert_false(breaker_on_error(b, T0 + 41, "sizer", "risk per trade "
	    "must be positive"));
	breaker_get(b, BREAKER_ERRORS, T0 + 41, &bs);
	assert_int_equal(bs.level, 2);
	assert_true(breaker_on_error(b, T0 + 42, "sizer", "risk per trade "
	    "must be positive"));
	breaker_get(b, BREAKER_ERRORS, T0 + 42, &bs);
	assert_string_equal(bs.why, "the same error 3 times within 60 min: "
	    "sizer: risk per trade must be positive");
	assert_int_equal(breaker_reset(b, BREAKER_ERRORS), 0);
	assert_false(breaker_on_error(b, T0 + 43, "sizer", "risk per trade "
	    "must be positive"));
	breaker_free(b);
}

/* A move of $2000 within the hour, either way; a slow drift never. */
static void
test_breaker_pnl_swing(void **state)
{
	struct breaker_cfg	 c = { .pnl_swing = 200000,
				    .pnl_window = 3600 * SEC };
	struct breaker		*b = mk(&c);
	struct breaker_state	 bs;
	td_ns			 t = T0;

	(void)state;
	/* Down $1,000 an hour for five hours: never $2,000 in one hour. */
	for (int m = 0; m <= 300; m++)
		assert_false(breaker_on_pnl(b, t + m * 60 * SEC,
		    -(td_cents)m * 100000 / 60));
	t += 300 * 60 * SEC;
	breaker_get(b, BREAKER_PNL_SWING, t, &bs);
	assert_true(bs.level >= 98000 && bs.level <= 100000);
	/* Then up $1,999.99 in ten minutes: not yet. */
	assert_false(breaker_on_pnl(b, t + 600 * SEC, -500000 + 199999));
	assert_true(breaker_on_pnl(b, t + 601 * SEC, -500000 + 200000));
	breaker_get(b, BREAKER_PNL_SWING, t + 601 * SEC, &bs);
	assert_true(bs.tripped);
	assert_string_equal(bs.why, "account P&L moved 2,000.00 within 60 "
	    "min (-5,000.00 to -3,000.00)");
	/* Reset: the window starts again from the next mark. */
	assert_int_equal(breaker_reset(b, BREAKER_PNL_SWING), 0);
	assert_false(breaker_on_pnl(b, t + 602 * SEC, -300000));
	assert_true(breaker_on_pnl(b, t + 900 * SEC, -500000));
	breaker_get(b, BREAKER_PNL_SWING, t + 900 * SEC, &bs);
	assert_string_equal(bs.why, "account P&L moved -2,000.00 within 60 "
	    "min (-3,000.00 to -5,000.00)");
	breaker_free(b);
}

static void
test_breaker_venue(void **state)
{
	struct breaker_cfg	 c = { .venue = 2, .venue_window = 600 * SEC };
	struct breaker		*b = mk(&c);
	struct breaker_state	 bs;

	(void)state;
	assert_false(breaker_on_venue_error(b, T0));
	assert_false(breaker_on_venue_error(b, T0 + 601 * SEC));
	assert_true(breaker_on_venue_error(b, T0 + 700 * SEC));
	breaker_get(b, BREAKER_VENUE, T0 + 700 * SEC, &bs);
	assert_string_equal(bs.why, "2 venue errors within 10 min");
	assert_int_equal(breaker_reset(b, BREAKER_VENUE), 0);
	assert_false(breaker_tripped(b, BREAKER_VENUE));
	breaker_free(b);
}

/* A threshold of 0: off, whatever comes. */
static void
test_breaker_off(void **state)
{
	struct breaker_cfg	 c = { 0 };
	struct breaker		*b = mk(&c);
	struct breaker_state	 bs;

	(void)state;
	for (int i = 0; i < 100; i++) {
		assert_false(breaker_on_reject(b, T0 + i));
		assert_false(breaker_on_error(b, T0 + i, "x", "y"));
		assert_false(breaker_on_pnl(b, T0 + i, i * 1000000));
		assert_false(breaker_on_venue_error(b, T0 + i));
	}
	breaker_get(b, BREAKER_PNL_SWING, T0 + 100, &bs);
	assert_false(bs.on);
	assert_int_equal(breaker_tripped_mask(b), 0);
	breaker_free(b);
}

/* ---------------------------------------------------------- in an engine */

struct seen {
	int		 states;
	int		 last_to;
	char		 why[160];
};

static int
observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct seen	*s = arg;

	(void)err;
	if (ev->kind == EEV_STATE) {
		s->states++;
		s->last_to = ev->state_to;
		snprintf(s->why, sizeof s->why, "%s", ev->text);
	}
	return 0;
}

static struct engine *
mk_engine(const struct breaker_cfg *bc, bool unattended)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.unattended = unattended;
	cfg.risk.max_contracts = 2;
	cfg.breakers = *bc;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

static void
bar_at(struct engine *e, int mday, int h, int mi, td_ticks px)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, mday, h, mi), px,
			    px, px, px);

	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static int
buy(struct engine *e, int64_t qty, struct errmsg *err)
{
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_MARKET, .qty = qty };

	return engine_manual_order(e, &m, NULL, err);
}

/*
 * Three orders refused within the hour: HALTED by the engine, the change
 * journaled, a critical alert; resume refused until breaker reset, and
 * reset alone does not resume.
 */
static void
test_breaker_engine_trip_and_reset(void **state)
{
	struct breaker_cfg	 bc = { .rejects = 3,
				    .rejects_window = 3600 * SEC };
	struct engine		*e = mk_engine(&bc, false);
	struct alert_cfg	 ac = { .queue = 16 };
	struct alert_hub	*hub;
	struct alert_stats	 st;
	struct seen		 seen = { 0 };
	struct snapshot		*snap = snapshot_create(NULL, NULL);
	struct errmsg		 err;

	(void)state;
	assert_non_null(hub = alert_create(&ac, &err));
	engine_set_alerts(e, hub);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = observe, .arg = &seen, .mask = EEV_BIT(EEV_STATE) }, &err),
	    0);
	bar_at(e, 12, 10, 0, P(5000));
	for (int i = 0; i < 2; i++)
		assert_int_equal(buy(e, 5, &err), -1);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_int_equal(buy(e, 5, &err), -1);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(seen.states, 1);
	assert_int_equal(seen.last_to, TS_HALTED);
	assert_string_equal(seen.why, "breaker rejects: 3 orders refused "
	    "within 60 min");
	alert_stats(hub, &st);
	assert_int_equal(st.raised, 1);
	fixture_snapshot(e, snap);
	assert_string_equal(snap->breakers[BREAKER_REJECTS].name, "rejects");
	assert_true(snap->breakers[BREAKER_REJECTS].tripped);
	assert_false(snap->breakers[BREAKER_ERRORS].tripped);
	assert_string_equal(snap->state_who, "engine");

	/* Halted: a new entry is refused, flatten and resume are people's. */
	assert_int_equal(buy(e, 1, &err), -1);
	assert_int_equal(engine_set_state(e, TS_ACTIVE, "alice", "resume",
	    &err), -1);
	assert_string_equal(err.msg, "breaker rejects is tripped: breaker "
	    "reset rejects first");
	assert_int_equal(engine_breaker_reset(e, "nosuch", "alice", &err),
	    -1);
	assert_int_equal(engine_breaker_reset(e, "rejects", "alice", &err),
	    0);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(engine_breaker_reset(e, "rejects", "alice", &err),
	    1);
	assert_int_equal(engine_set_state(e, TS_ACTIVE, "alice", "resume",
	    &err), 0);
	assert_int_equal(buy(e, 1, &err), 0);
	bar_at(e, 12, 10, 1, P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	engine_free(e);
	alert_free(hub);
	snapshot_free(snap);
}

/* P&L swing with flatten_on_trip: halted and flat at the next bar. */
static void
test_breaker_engine_flatten(void **state)
{
	struct breaker_cfg	 bc = { .pnl_swing = 10000,
				    .pnl_window = 3600 * SEC,
				    .flatten_on_trip = true };
	struct engine		*e = mk_engine(&bc, false);
	struct errmsg		 err;

	(void)state;
	bar_at(e, 12, 10, 0, P(5000));
	assert_int_equal(buy(e, 1, &err), 0);
	bar_at(e, 12, 10, 1, P(5000));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 1);
	bar_at(e, 12, 10, 2, P(5001));		/* +$50 */
	assert_int_equal(engine_state(e), TS_ACTIVE);
	bar_at(e, 12, 10, 3, P(5002.25));	/* +$112.50, less commission */
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_true(breaker_tripped(engine_breaker(e), BREAKER_PNL_SWING));
	bar_at(e, 12, 10, 4, P(5002));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES), 0);
	engine_free(e);
}

/* Unattended (a backtest): the trip and its halt end with the day. */
static void
test_breaker_engine_unattended(void **state)
{
	struct breaker_cfg	 bc = { .rejects = 1,
				    .rejects_window = 3600 * SEC };
	struct engine		*e = mk_engine(&bc, true);
	struct errmsg		 err;

	(void)state;
	bar_at(e, 12, 10, 0, P(5000));
	assert_int_equal(buy(e, 3, &err), -1);
	assert_int_equal(engine_state(e), TS_HALTED);
	bar_at(e, 12, 15, 0, P(5000));
	assert_int_equal(engine_state(e), TS_HALTED);
	bar_at(e, 13, 10, 0, P(5000));
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_int_equal(breaker_tripped_mask(engine_breaker(e)), 0);
	engine_free(e);
}

/* The same error three days running trips the errors breaker. */
static void
test_breaker_engine_errors(void **state)
{
	struct engine_config	 cfg;
	struct strategy_cfg	*sc = &cfg.strat[0];
	const struct strategy_ops *ops =
	    strat_registry_find(strat_registry_builtin(), "orb");
	static const struct fixture_override up[] = {
		{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
		{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
	};
	struct engine		*e;
	struct health_obs	*hl;
	struct errmsg		 err;

	(void)state;
	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.sizing.method = SIZER_RISK;
	cfg.sizing.risk_per_trade = 0;	/* every sizing fails */
	cfg.breakers.errors = 3;
	cfg.breakers.errors_window = 7 * 86400 * SEC;
	cfg.nstrat = 1;
	memset(sc, 0, sizeof *sc);
	strcpy(sc->name, "orb");
	strcpy(sc->type, "orb");
	strcpy(sc->symbol, "ES");
	sc->enabled = true;
	for (int i = 0; ops->params[i].name != NULL; i++)
		sc->params[i] = ops->params[i].def;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	hl = fixture_health(e);
	fixture_day(e, 12, P(5000), up, 2);
	fixture_day(e, 13, P(5000), up, 2);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_int_equal(health_obs_refused(hl), 2);
	fixture_day(e, 14, P(5000), up, 2);
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_true(breaker_tripped(engine_breaker(e), BREAKER_ERRORS));
	engine_free(e);
	health_obs_free(hl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_breaker_names),
		cmocka_unit_test(test_breaker_bad_config),
		cmocka_unit_test(test_breaker_rejects),
		cmocka_unit_test(test_breaker_errors),
		cmocka_unit_test(test_breaker_pnl_swing),
		cmocka_unit_test(test_breaker_venue),
		cmocka_unit_test(test_breaker_off),
		cmocka_unit_test(test_breaker_engine_trip_and_reset),
		cmocka_unit_test(test_breaker_engine_flatten),
		cmocka_unit_test(test_breaker_engine_unattended),
		cmocka_unit_test(test_breaker_engine_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
