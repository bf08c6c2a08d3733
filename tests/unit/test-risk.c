/*
 * test-risk.c -- pre-trade checks, loss limits and the trading state, and
 * the table of the limits: its walkers, and tickdesk.conf(5) and
 * tickdesk(1) against it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"
#include "risk.h"

#define ES	td_inst_at(0)
#define NQ	td_inst_at(1)
#define P4800	19200
#define SEC	TD_NS_PER_SEC

/* No commissions here, so that P&L lands exactly on the limits. */
static const struct instrument test_insts[] = {
	{
		.symbol = "ES",
		.tick_size = 250000000,
		.point_value = 5000,
		.tick_value = 1250,
		.commission = 0,
		.decimals = 2,
	},
	{
		.symbol = "NQ",
		.tick_size = 250000000,
		.point_value = 2000,
		.tick_value = 500,
		.commission = 0,
		.decimals = 2,
	},
};

struct fixture {
	struct portfolio	*pf;
	struct risk		*r;
	char			 why[160];
};

static int
setup(void **state)
{
	struct fixture	*fx;

	fx = calloc(1, sizeof *fx);
	if (fx == NULL)
		return -1;
	fx->pf = portfolio_create(test_insts, 2, NULL);
	if (fx->pf == NULL) {
		free(fx);
		return -1;
	}
	portfolio_day_start(fx->pf);
	portfolio_week_start(fx->pf);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	risk_free(fx->r);
	portfolio_free(fx->pf);
	free(fx);
	return 0;
}

/* Replace the fixture's risk manager with one for cfg. */
static struct risk *
fx_risk(struct fixture *fx, const struct risk_cfg *cfg)
{
	struct errmsg	 err = { "" };

	risk_free(fx->r);
	fx->r = risk_create(cfg, &err);
	if (fx->r == NULL)
		fail_msg("risk_create: %s", err.msg);
	return fx->r;
}

/* A market entry of qty on side, with a stop of stop ticks, at 10:00. */
static struct risk_order
entry(struct td_inst inst, enum td_side side, int64_t qty, int32_t stop)
{
	return (struct risk_order){
		.inst = inst,
		.side = side,
		.type = ORD_MARKET,
		.qty = qty,
		.stop_ticks = stop,
		.tod = 600,
		.now = 1000 * SEC,
	};
}

/* The exposure from the portfolio and working entries on o's side. */
static enum risk_reason
check(struct fixture *fx, int64_t working, const struct risk_order *o)
{
	struct risk_order	 x = *o;

	if (td_inst_in(o->inst, portfolio_count(fx->pf))) {
		x.position = portfolio_position(fx->pf, o->inst);
		x.inst_exposed = x.position != 0 || working > 0;
		x.exposed = portfolio_open_positions(fx->pf) -
		    (x.position != 0);
	}
	x.working_same_side = working;
	return risk_check(fx->r, fx->pf, &test_insts[o->inst.i], &x, fx->why,
	    sizeof fx->why);
}

static void
test_risk_names(void **state)
{
	(void)state;
	assert_string_equal(trading_state_name(TS_ACTIVE), "ACTIVE");
	assert_string_equal(trading_state_name(TS_REDUCING), "REDUCING");
	assert_string_equal(trading_state_name(TS_HALTED), "HALTED");
	assert_string_equal(trading_state_name(TS_KILLED), "KILLED");
	assert_string_equal(trading_state_name((enum trading_state)9), "?");
	assert_string_equal(risk_reason_name(RISK_OK), "ok");
	assert_string_equal(risk_reason_name(RISK_DAILY_LOSS), "daily-loss");
	assert_string_equal(risk_reason_name(RISK_TRAILING_LOSS),
	    "trailing-loss");
	assert_string_equal(risk_reason_name(RISK_MAX_CONTRACTS),
	    "max-contracts");
	assert_string_equal(risk_reason_name(RISK_BAD_ORDER), "bad-order");
	assert_string_equal(risk_reason_name(RISK_STALE_FEED), "stale-feed");
	assert_string_equal(risk_reason_name((enum risk_reason)99), "?");
}

static void
test_risk_create_refuses_bad_config(void **state)
{
	struct errmsg	 err = { "" };
	struct risk_cfg	 cfg = { .daily_loss = -1 };

	(void)state;
	assert_null(risk_create(&cfg, &err));
	assert_string_equal(err.msg, "risk: daily_loss: -0.01 is out of range "
	    "0.00..1000000000.00");
	cfg = (struct risk_cfg){ .throttle_orders = 5 };
	assert_null(risk_create(&cfg, &err));
	assert_string_equal(err.msg, "risk: throttle needs a positive window");
	cfg = (struct risk_cfg){ .hours_end = 1441 };
	assert_null(risk_create(&cfg, &err));
	assert_string_equal(err.msg, "risk: trading_hours: 00:00-24:01 is out "
	    "of range 00:00..24:00");
	risk_free(NULL);
}

static void
test_risk_bad_order_even_when_reducing(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { 0 };
	struct risk_order	 o = entry(ES, TD_SELL, 0, 0);

	fx_risk(fx, &cfg);
	o.reduces = true;
	assert_int_equal(check(fx, 0, &o), RISK_BAD_ORDER);
	assert_string_equal(fx->why, "qty 0 must be positive");
	o.qty = 1;
	o.inst = td_inst_at(5);
	assert_int_equal(risk_check(fx->r, fx->pf, &test_insts[ES.i], &o,
	    fx->why, sizeof fx->why), RISK_BAD_ORDER);
	assert_string_equal(fx->why, "unknown instrument 5");
	o = entry(ES, (enum td_side)0, 1, 0);
	assert_int_equal(check(fx, 0, &o), RISK_BAD_ORDER);
	assert_string_equal(fx->why, "bad side 0");
	/* A plain entry with no limits set passes. */
	o = entry(ES, TD_BUY, 1, 0);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	assert_string_equal(fx->why, "");
}

static void
test_risk_states_allow_only_reducing(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { 0 };
	struct risk_order	 o = entry(ES, TD_BUY, 1, 8);
	struct risk_order	 out = entry(ES, TD_SELL, 1, 0);
	static const struct {
		enum trading_state	 s;
		enum risk_reason	 r;
		const char		*why;
	} cases[] = {
		{ TS_REDUCING, RISK_REDUCING, "trading is REDUCING: only "
		    "orders that reduce a position" },
		{ TS_HALTED, RISK_HALTED, "trading is HALTED: only orders "
		    "that reduce a position" },
		{ TS_KILLED, RISK_KILLED, "trading is KILLED: only orders "
		    "that reduce a position" },
	};
	size_t			 i;

	fx_risk(fx, &cfg);
	out.reduces = true;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(risk_set_state(fx->r, cases[i].s, "engine",
		    "test", 1, NULL), 0);
		assert_int_equal(check(fx, 0, &o), cases[i].r);
		assert_string_equal(fx->why, cases[i].why);
		assert_int_equal(check(fx, 0, &out), RISK_OK);
	}
}

static void
test_risk_daily_loss(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .daily_loss = 100000 };
	struct risk_order	 o = entry(NQ, TD_BUY, 1, 8);

	fx_risk(fx, &cfg);
	portfolio_fill(fx->pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_mark(fx->pf, ES, P4800 - 79);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	portfolio_mark(fx->pf, ES, P4800 - 80);
	assert_int_equal(check(fx, 0, &o), RISK_DAILY_LOSS);
	assert_string_equal(fx->why, "day p&l -1,000.00 reached the daily "
	    "loss limit of 1,000.00");
}

static void
test_risk_trailing_loss(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .trailing_loss = 20000 };
	struct risk_order	 o = entry(NQ, TD_BUY, 1, 8);

	fx_risk(fx, &cfg);
	portfolio_fill(fx->pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_mark(fx->pf, ES, P4800 + 40);
	portfolio_mark(fx->pf, ES, P4800 + 25);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	portfolio_mark(fx->pf, ES, P4800 + 24);
	assert_int_equal(check(fx, 0, &o), RISK_TRAILING_LOSS);
	assert_string_equal(fx->why, "day p&l 300.00 is 200.00 below the "
	    "day's peak 500.00, trailing loss limit 200.00");
}

static void
test_risk_weekly_loss(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .weekly_loss = 50000 };
	struct risk_order	 o = entry(NQ, TD_BUY, 1, 8);

	fx_risk(fx, &cfg);
	portfolio_fill(fx->pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_mark(fx->pf, ES, P4800 - 30);
	/* A new day: the day is flat, the week is not. */
	portfolio_day_start(fx->pf);
	portfolio_mark(fx->pf, ES, P4800 - 39);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	portfolio_mark(fx->pf, ES, P4800 - 40);
	assert_int_equal(portfolio_day_pnl(fx->pf), -12500);
	assert_int_equal(check(fx, 0, &o), RISK_WEEKLY_LOSS);
	assert_string_equal(fx->why, "week p&l -500.00 reached the weekly "
	    "loss limit of 500.00");
}

static void
test_risk_trade_risk(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .max_trade_risk = 50000 };
	struct risk_order	 o = entry(ES, TD_BUY, 2, 20);

	fx_risk(fx, &cfg);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	o.qty = 3;
	assert_int_equal(check(fx, 0, &o), RISK_TRADE_RISK);
	assert_string_equal(fx->why, "risk 20 ticks x 3 contracts = 750.00 "
	    "exceeds max trade risk 500.00");
	o = entry(ES, TD_BUY, 1, 41);
	assert_int_equal(check(fx, 0, &o), RISK_TRADE_RISK);
	assert_string_equal(fx->why, "risk 41 ticks x 1 contract = 512.50 "
	    "exceeds max trade risk 500.00");
	o = entry(ES, TD_BUY, 1, 0);
	assert_int_equal(check(fx, 0, &o), RISK_TRADE_RISK);
	assert_string_equal(fx->why, "entry without a stop refused: max trade "
	    "risk 500.00 is set");
	/* Without the limit a stop is not required. */
	cfg.max_trade_risk = 0;
	fx_risk(fx, &cfg);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
}

static void
test_risk_max_positions(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .max_positions = 1 };
	struct risk_order	 o = entry(NQ, TD_BUY, 1, 8);

	fx_risk(fx, &cfg);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	portfolio_fill(fx->pf, ES, TD_SELL, 1, P4800, 1, NULL, NULL);
	assert_int_equal(check(fx, 0, &o), RISK_MAX_POSITIONS);
	assert_string_equal(fx->why, "a new position in NQ would make 2 with "
	    "positions or working entries, max positions 1");
	/* Adding to the open one is not a new position. */
	o = entry(ES, TD_SELL, 1, 8);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
}

/* A working entry on another instrument counts as a position. */
static void
test_risk_max_positions_counts_working_entries(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .max_positions = 1 };
	struct risk_order	 o = entry(NQ, TD_BUY, 1, 8);

	fx_risk(fx, &cfg);
	o.exposed = 1;		/* ES: flat, with a working entry */
	assert_int_equal(risk_check(fx->r, fx->pf, &test_insts[NQ.i], &o,
	    fx->why, sizeof fx->why), RISK_MAX_POSITIONS);
	/* A second entry on NQ, whose first is still working, is not. */
	o.exposed = 0;
	o.inst_exposed = true;
	assert_int_equal(risk_check(fx->r, fx->pf, &test_insts[NQ.i], &o,
	    fx->why, sizeof fx->why), RISK_OK);
}

static void
test_risk_max_contracts(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .max_contracts = 10 };
	struct risk_order	 o = entry(ES, TD_BUY, 500, 8);

	fx_risk(fx, &cfg);
	assert_int_equal(check(fx, 0, &o), RISK_MAX_CONTRACTS);
	assert_string_equal(fx->why, "qty 500 exceeds max contracts 10");
	o.qty = 10;
	assert_int_equal(check(fx, 0, &o), RISK_OK);

	portfolio_fill(fx->pf, ES, TD_BUY, 2, P4800, 1, NULL, NULL);
	o.qty = 5;
	assert_int_equal(check(fx, 3, &o), RISK_OK);
	o.qty = 6;
	assert_int_equal(check(fx, 3, &o), RISK_MAX_CONTRACTS);
	assert_string_equal(fx->why, "qty 6 with position 2 and working "
	    "entries 3 makes 11, exceeds max contracts 10");
	/* Selling through a long: 2 - 12 = -10 fits, 2 - 13 does not. */
	o = entry(ES, TD_SELL, 12, 8);
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	o.qty = 13;
	assert_int_equal(check(fx, 0, &o), RISK_MAX_CONTRACTS);
	assert_string_equal(fx->why, "qty 13 with position 2 and working "
	    "entries 0 "
	    "makes 11, exceeds max contracts 10");
}

static void
test_risk_hours(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .hours_start = 570, .hours_end = 945 };
	struct risk_order	 o = entry(ES, TD_BUY, 1, 8);

	fx_risk(fx, &cfg);
	o.tod = 569;
	assert_int_equal(check(fx, 0, &o), RISK_HOURS);
	assert_string_equal(fx->why, "entries allowed 09:30-15:45 only, now "
	    "09:29");
	o.tod = 570;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	o.tod = 944;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	o.tod = 945;
	assert_int_equal(check(fx, 0, &o), RISK_HOURS);

	/* Over midnight: 18:00 to 16:00 the next day. */
	cfg = (struct risk_cfg){ .hours_start = 1080, .hours_end = 960 };
	fx_risk(fx, &cfg);
	o.tod = 1000;
	assert_int_equal(check(fx, 0, &o), RISK_HOURS);
	assert_string_equal(fx->why, "entries allowed 18:00-16:00 only, now "
	    "16:40");
	o.tod = 1100;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	o.tod = 100;
	assert_int_equal(check(fx, 0, &o), RISK_OK);

	/* start == end: always. */
	cfg = (struct risk_cfg){ .hours_start = 600, .hours_end = 600 };
	fx_risk(fx, &cfg);
	o.tod = 0;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
}

static void
test_risk_throttle_window_slides(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = {
		.throttle_orders = 3,
		.throttle_window = SEC,
	};
	struct risk_order	 o = entry(ES, TD_BUY, 1, 8);
	struct risk		*r = fx_risk(fx, &cfg);

	risk_note_order(r, 0);
	risk_note_order(r, SEC / 5);
	o.now = SEC / 2;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	risk_note_order(r, 2 * SEC / 5);
	assert_int_equal(check(fx, 0, &o), RISK_THROTTLE);
	assert_string_equal(fx->why, "3 orders in the last 1s, limit 3");
	/* At 1.0s the order sent at 0 leaves the window. */
	o.now = SEC;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	risk_note_order(r, SEC);
	/* Now 0.2, 0.4 and 1.0 are in (0.1, 1.1]. */
	o.now = SEC + SEC / 10;
	assert_int_equal(check(fx, 0, &o), RISK_THROTTLE);
	o.now = SEC + SEC / 5;
	assert_int_equal(check(fx, 0, &o), RISK_OK);

	/* Sub-second windows are named in milliseconds. */
	cfg.throttle_window = SEC / 4;
	r = fx_risk(fx, &cfg);
	risk_note_order(r, 0);
	risk_note_order(r, 1);
	risk_note_order(r, 2);
	o.now = 3;
	assert_int_equal(check(fx, 0, &o), RISK_THROTTLE);
	assert_string_equal(fx->why, "3 orders in the last 250ms, limit 3");
}

static void
test_risk_collar(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .collar_ticks = 20 };
	struct risk_order	 o = entry(ES, TD_BUY, 1, 8);

	fx_risk(fx, &cfg);
	o.type = ORD_LIMIT;
	o.price = P4800;
	assert_int_equal(check(fx, 0, &o), RISK_COLLAR);
	assert_string_equal(fx->why, "ES: no last price yet, cannot check the "
	    "20-tick collar");
	portfolio_mark(fx->pf, ES, P4800);
	o.price = P4800 + 20;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
	o.price = P4800 + 21;
	assert_int_equal(check(fx, 0, &o), RISK_COLLAR);
	assert_string_equal(fx->why, "limit 4805.25 is 21 ticks from last "
	    "4800.00, collar 20 ticks");
	o.type = ORD_STOP;
	o.price = P4800 - 30;
	assert_int_equal(check(fx, 0, &o), RISK_COLLAR);
	assert_string_equal(fx->why, "stop 4792.50 is 30 ticks from last "
	    "4800.00, collar 20 ticks");
	/* A market order has no price to collar. */
	o.type = ORD_MARKET;
	assert_int_equal(check(fx, 0, &o), RISK_OK);
}

static enum risk_reason
collar(struct fixture *fx, struct td_inst inst, enum order_type type,
    td_ticks price)
{
	return risk_check_collar(fx->r, fx->pf, &test_insts[inst.i], inst, type,
	    price, fx->why, sizeof fx->why);
}

/* The collar alone, as a move is judged: the same rule and words. */
static void
test_risk_check_collar_alone(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .collar_ticks = 20 };
	struct risk_order	 o = entry(ES, TD_SELL, 1, 8);
	char			 whole[sizeof fx->why];

	fx_risk(fx, &cfg);
	assert_int_equal(collar(fx, ES, ORD_STOP, P4800), RISK_COLLAR);
	assert_string_equal(fx->why, "ES: no last price yet, cannot check the "
	    "20-tick collar");
	portfolio_mark(fx->pf, ES, P4800);
	assert_int_equal(collar(fx, ES, ORD_STOP, P4800 - 20), RISK_OK);
	assert_string_equal(fx->why, "");
	assert_int_equal(collar(fx, ES, ORD_LIMIT, P4800 + 20), RISK_OK);
	assert_int_equal(collar(fx, ES, ORD_STOP, P4800 - 3982), RISK_COLLAR);
	assert_string_equal(fx->why, "stop 3804.50 is 3982 ticks from last "
	    "4800.00, collar 20 ticks");
	/* risk_check says the same of the same order. */
	o.type = ORD_STOP;
	o.price = P4800 - 3982;
	assert_int_equal(check(fx, 0, &o), RISK_COLLAR);
	snprintf(whole, sizeof whole, "%s", fx->why);
	collar(fx, ES, ORD_STOP, P4800 - 3982);
	assert_string_equal(whole, fx->why);
	/* It judges the price only: the state does not enter into it. */
	risk_set_state(fx->r, TS_HALTED, "trader", "test", 1, NULL);
	assert_int_equal(collar(fx, ES, ORD_LIMIT, P4800 + 21), RISK_COLLAR);
	assert_string_equal(fx->why, "limit 4805.25 is 21 ticks from last "
	    "4800.00, collar 20 ticks");
	/* No price to collar; no collar set; another instrument's last. */
	assert_int_equal(collar(fx, ES, ORD_MARKET, 0), RISK_OK);
	assert_int_equal(collar(fx, NQ, ORD_LIMIT, 80000), RISK_COLLAR);
	cfg.collar_ticks = 0;
	fx_risk(fx, &cfg);
	assert_int_equal(collar(fx, ES, ORD_STOP, P4800 - 3982), RISK_OK);
}

/* Every rule at once, and the reducing order still goes through. */
static void
test_risk_reducing_passes_everything(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = {
		.daily_loss = 100,
		.trailing_loss = 100,
		.weekly_loss = 100,
		.max_trade_risk = 100,
		.max_positions = 1,
		.max_contracts = 1,
		.hours_start = 570,
		.hours_end = 571,
		.throttle_orders = 1,
		.throttle_window = 60 * SEC,
		.collar_ticks = 1,
	};
	struct risk_order	 o = {
		.inst = NQ,
		.side = TD_SELL,
		.type = ORD_STOP,
		.qty = 50,
		.price = 70000,		/* far from anything */
		.stop_ticks = 0,	/* no stop */
		.reduces = true,
		.tod = 1200,		/* outside hours */
		.now = 5 * SEC,
	};
	enum trading_state	 s;
	struct risk		*r = fx_risk(fx, &cfg);

	portfolio_fill(fx->pf, ES, TD_BUY, 5, P4800, 1, NULL, NULL);
	portfolio_fill(fx->pf, NQ, TD_BUY, 50, 80000, 1, NULL, NULL);
	portfolio_mark(fx->pf, ES, P4800 - 100);
	risk_note_order(r, 4 * SEC);
	for (s = TS_ACTIVE; s <= TS_KILLED; s++) {
		risk_set_state(r, s, "engine", "test", 1, NULL);
		assert_int_equal(check(fx, 7, &o), RISK_OK);
		/* The same order as an entry is refused. */
		o.reduces = false;
		assert_int_not_equal(check(fx, 7, &o), RISK_OK);
		o.reduces = true;
	}
	/* ES: last 4775.00, the stop 70000 ticks is far outside the collar. */
	o.inst = ES;
	assert_int_equal(check(fx, 7, &o), RISK_OK);
}

static void
test_risk_breach_halts_and_flattens(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = {
		.daily_loss = 100000,
		.flatten_on_breach = true,
	};
	struct risk		*r = fx_risk(fx, &cfg);
	bool			 flatten = true;

	portfolio_fill(fx->pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_mark(fx->pf, ES, P4800 - 79);
	assert_int_equal(risk_on_pnl(r, fx->pf, 10, &flatten), RISK_OK);
	assert_false(flatten);
	assert_int_equal(risk_state(r), TS_ACTIVE);

	portfolio_mark(fx->pf, ES, P4800 - 80);
	assert_int_equal(risk_on_pnl(r, fx->pf, 20, &flatten),
	    RISK_DAILY_LOSS);
	assert_true(flatten);
	assert_int_equal(risk_state(r), TS_HALTED);
	assert_string_equal(risk_state_who(r), "engine");
	assert_string_equal(risk_state_why(r), "day p&l -1,000.00 reached "
	    "the daily loss limit of 1,000.00");
	assert_int_equal(risk_state_when(r), 20);
	assert_int_equal(risk_state_cause(r), RISK_DAILY_LOSS);

	/* Still beyond: reported, but flatten only once. */
	portfolio_mark(fx->pf, ES, P4800 - 90);
	assert_int_equal(risk_on_pnl(r, fx->pf, 30, &flatten),
	    RISK_DAILY_LOSS);
	assert_false(flatten);
	/* Back inside the limit: the halt is a latch. */
	portfolio_mark(fx->pf, ES, P4800 - 10);
	assert_int_equal(risk_on_pnl(r, fx->pf, 40, &flatten), RISK_OK);
	assert_int_equal(risk_state(r), TS_HALTED);

	/* A person resumes while still beyond: halted and flattened again. */
	portfolio_mark(fx->pf, ES, P4800 - 85);
	assert_int_equal(risk_set_state(r, TS_ACTIVE, "alice", "resume", 50,
	    NULL), 0);
	assert_int_equal(risk_on_pnl(r, fx->pf, 60, &flatten),
	    RISK_DAILY_LOSS);
	assert_true(flatten);
	assert_int_equal(risk_state(r), TS_HALTED);

	/* Without flatten_on_breach: halt only. */
	cfg.flatten_on_breach = false;
	r = fx_risk(fx, &cfg);
	assert_int_equal(risk_on_pnl(r, fx->pf, 70, &flatten),
	    RISK_DAILY_LOSS);
	assert_false(flatten);
	assert_int_equal(risk_state(r), TS_HALTED);
	/* A NULL flatten pointer is fine. */
	assert_int_equal(risk_on_pnl(r, fx->pf, 80, NULL), RISK_DAILY_LOSS);
}

static void
test_risk_breach_does_not_lift_killed(void **state)
{
	struct fixture	*fx = *state;
	struct risk_cfg	 cfg = { .weekly_loss = 1000 };
	struct risk	*r = fx_risk(fx, &cfg);
	bool		 flatten;

	risk_set_state(r, TS_KILLED, "bob", "kill", 1, NULL);
	portfolio_fill(fx->pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_mark(fx->pf, ES, P4800 - 1);
	assert_int_equal(risk_on_pnl(r, fx->pf, 2, &flatten),
	    RISK_WEEKLY_LOSS);
	assert_int_equal(risk_state(r), TS_KILLED);
	assert_string_equal(risk_state_who(r), "bob");
}

static void
test_risk_unattended_day_reset(void **state)
{
	struct fixture	*fx = *state;
	struct risk_cfg	 cfg = { .daily_loss = 150000, .weekly_loss = 200000 };
	struct risk	*r = fx_risk(fx, &cfg);
	bool		 flatten;

	portfolio_fill(fx->pf, ES, TD_BUY, 1, P4800, 1, NULL, NULL);
	portfolio_mark(fx->pf, ES, P4800 - 120);
	assert_int_equal(risk_on_pnl(r, fx->pf, 1, &flatten),
	    RISK_DAILY_LOSS);
	assert_int_equal(risk_state(r), TS_HALTED);

	/* Attended: the halt stays over the day boundary. */
	risk_day_start(r, 2, false);
	assert_int_equal(risk_state(r), TS_HALTED);
	/* Unattended: back to ACTIVE at the next day. */
	risk_day_start(r, 3, true);
	assert_int_equal(risk_state(r), TS_ACTIVE);
	assert_string_equal(risk_state_who(r), "unattended");
	assert_string_equal(risk_state_why(r), "new trading day");
	assert_int_equal(risk_state_when(r), 3);

	/* A weekly halt waits for the week (the day is only -500.00). */
	portfolio_day_start(fx->pf);
	portfolio_mark(fx->pf, ES, P4800 - 160);
	assert_int_equal(portfolio_day_pnl(fx->pf), -50000);
	assert_int_equal(risk_on_pnl(r, fx->pf, 4, &flatten),
	    RISK_WEEKLY_LOSS);
	assert_int_equal(risk_state_cause(r), RISK_WEEKLY_LOSS);
	risk_day_start(r, 5, true);
	assert_int_equal(risk_state(r), TS_HALTED);
	risk_week_start(r, 6, false);
	assert_int_equal(risk_state(r), TS_HALTED);
	risk_week_start(r, 7, true);
	assert_int_equal(risk_state(r), TS_ACTIVE);
	assert_string_equal(risk_state_why(r), "new trading week");

	/* A halt typed by a person is never lifted by the clock. */
	risk_set_state(r, TS_HALTED, "alice", "lunch", 8, NULL);
	risk_day_start(r, 9, true);
	risk_week_start(r, 9, true);
	assert_int_equal(risk_state(r), TS_HALTED);
	assert_string_equal(risk_state_who(r), "alice");
}

static void
test_risk_state_latch(void **state)
{
	struct fixture	*fx = *state;
	struct risk_cfg	 cfg = { 0 };
	struct risk	*r = fx_risk(fx, &cfg);
	struct errmsg	 err = { "" };

	assert_int_equal(risk_state(r), TS_ACTIVE);
	/* Any skip downwards by the engine. */
	assert_int_equal(risk_set_state(r, TS_HALTED, "engine", "breaker", 1,
	    &err), 0);
	assert_int_equal(risk_set_state(r, TS_ACTIVE, "engine", "oops", 2,
	    &err), -1);
	assert_string_equal(err.msg, "engine cannot move the state up from "
	    "HALTED to ACTIVE");
	assert_int_equal(risk_set_state(r, TS_REDUCING, "engine", "oops", 2,
	    &err), -1);
	assert_int_equal(risk_state(r), TS_HALTED);
	assert_string_equal(risk_state_why(r), "breaker");
	/* Same state: nothing to do. */
	assert_int_equal(risk_set_state(r, TS_HALTED, "engine", "again", 3,
	    &err), 0);
	assert_int_equal(risk_state_when(r), 1);

	assert_int_equal(risk_set_state(r, TS_KILLED, "engine", "kill", 4,
	    &err), 0);
	assert_int_equal(risk_set_state(r, TS_REDUCING, "alice", "resume", 5,
	    &err), -1);
	assert_string_equal(err.msg, "from KILLED only HALTED or ACTIVE");
	assert_int_equal(risk_set_state(r, TS_HALTED, "alice", "look", 6,
	    &err), 0);
	assert_int_equal(risk_set_state(r, TS_ACTIVE, "alice", "resume", 7,
	    &err), 0);
	assert_int_equal(risk_state(r), TS_ACTIVE);
	assert_string_equal(risk_state_who(r), "alice");
	assert_int_equal(risk_state_cause(r), RISK_OK);

	assert_int_equal(risk_set_state(r, TS_HALTED, NULL, "x", 8, &err), -1);
	assert_string_equal(err.msg, "a change of trading state needs who");
	assert_int_equal(risk_set_state(r, TS_HALTED, "", "x", 8, &err), -1);
	assert_int_equal(risk_set_state(r, (enum trading_state)7, "alice",
	    "x", 8, &err), -1);
	assert_string_equal(err.msg, "unknown trading state 7");
	assert_int_equal(risk_state(r), TS_ACTIVE);
	/* Straight from ACTIVE to KILLED. */
	assert_int_equal(risk_set_state(r, TS_KILLED, "engine", "kill", 9,
	    &err), 0);
}

/* When the next event of a feed is due: its cadence, and the open. */
static void
test_risk_feed_due(void **state)
{
	struct risk_feed	 f = { .symbol = "ES", .last = 1000 * SEC,
	    .every = 60 * SEC, .open = 500 * SEC };

	(void)state;
	/* Bars: the end of the bar after the last one. */
	assert_true(risk_feed_due(&f) == 1060 * SEC);
	assert_true(risk_feed_late(&f, 1012 * SEC) == -48 * SEC);
	assert_true(risk_feed_late(&f, 1062 * SEC) == 2 * SEC);
	/* Data from before the open: the end of the session's first bar. */
	f.last = 100 * SEC;
	assert_true(risk_feed_due(&f) == 560 * SEC);
	f.last = 440 * SEC;		/* the next bar would end at the open */
	assert_true(risk_feed_due(&f) == 560 * SEC);
	f.last = 470 * SEC;		/* a bar across the open */
	assert_true(risk_feed_due(&f) == 530 * SEC);
	/* Ticks: at the last tick, or at the open. */
	f.every = 0;
	f.last = 700 * SEC;
	assert_true(risk_feed_due(&f) == 700 * SEC);
	assert_true(risk_feed_late(&f, 702 * SEC) == 2 * SEC);
	f.last = 100 * SEC;
	assert_true(risk_feed_due(&f) == 500 * SEC);
}

static void
test_risk_stale_feed(void **state)
{
	struct fixture		*fx = *state;
	struct risk_cfg		 cfg = { .stale_after = 30 * SEC };
	struct risk_order	 o = entry(ES, TD_BUY, 1, 8);
	struct risk		*r = fx_risk(fx, &cfg);
	struct risk_feed	 f = { .symbol = "ES", .last = 100 * SEC,
	    .every = 60 * SEC, .open = 0 };

	/* A bar due at 160 s may be up to 30 s late, not more. */
	assert_int_equal(risk_on_clock(r, 159 * SEC, &f), RISK_OK);
	assert_int_equal(risk_on_clock(r, 190 * SEC, &f), RISK_OK);
	assert_int_equal(risk_state(r), TS_ACTIVE);
	assert_int_equal(risk_on_clock(r, 191 * SEC, &f), RISK_STALE_FEED);
	assert_int_equal(risk_state(r), TS_REDUCING);
	assert_string_equal(risk_state_why(r), "ES: bar 31s late");
	assert_string_equal(risk_state_who(r), "engine");
	assert_int_equal(risk_state_cause(r), RISK_STALE_FEED);
	assert_int_equal(check(fx, 0, &o), RISK_REDUCING);

	/* Data is back: no more stale, but the state waits for a person. */
	f.last = 220 * SEC;
	assert_int_equal(risk_on_clock(r, 221 * SEC, &f), RISK_OK);
	assert_int_equal(risk_state(r), TS_REDUCING);
	/* Later lateness does not rewrite the first reason. */
	assert_int_equal(risk_on_clock(r, 600 * SEC, &f), RISK_STALE_FEED);
	assert_string_equal(risk_state_why(r), "ES: bar 31s late");
	risk_day_start(r, 700 * SEC, false);
	assert_int_equal(risk_state(r), TS_REDUCING);
	risk_day_start(r, 700 * SEC, true);
	assert_int_equal(risk_state(r), TS_ACTIVE);

	/* Ticks: due at the last one. */
	f.every = 0;
	f.last = 1000 * SEC;
	assert_int_equal(risk_on_clock(r, 1030 * SEC, &f), RISK_OK);
	assert_int_equal(risk_on_clock(r, 1045 * SEC, &f), RISK_STALE_FEED);
	assert_string_equal(risk_state_why(r), "ES: no tick for 45s");
	assert_int_equal(risk_state(r), TS_REDUCING);

	/* Off when stale_after is 0. */
	cfg.stale_after = 0;
	r = fx_risk(fx, &cfg);
	assert_int_equal(risk_on_clock(r, 100000 * SEC, &f), RISK_OK);
	assert_int_equal(risk_state(r), TS_ACTIVE);
}

/* ------------------------------------------------------------- the table */

/* Every entry is complete, found by its name, and its default is valid. */
static void
test_risk_limits_table(void **state)
{
	const struct risk_limit	*l = risk_limits();
	struct errmsg		 err = { "" };
	int64_t			 v;

	(void)state;
	for (int i = 0; i < RISK_NLIMITS; i++) {
		assert_non_null(l[i].name);
		assert_ptr_equal(risk_limit_find(l[i].name), &l[i]);
		assert_non_null(l[i].text);
		assert_true(strlen(l[i].text) > 0);
		assert_string_not_equal(risk_unit_name(l[i].unit), "?");
		assert_true(l[i].min <= l[i].max);
		assert_true(l[i].scale >= 1);
		assert_true(l[i].off + l[i].size <= sizeof(struct risk_cfg));
		if (risk_limit_parse(&l[i], l[i].def, &v, &err) == -1)
			fail_msg("%s: default: %s", l[i].name, err.msg);
	}
	assert_null(risk_limit_find("dialy_loss"));
	assert_null(risk_limit_find(""));
	assert_string_equal(l[RISK_LIM_DAILY_LOSS].name, "daily_loss");
	assert_string_equal(l[RISK_LIM_STALE_FEED].name, "stale_feed_seconds");
	assert_string_equal(risk_unit_name((enum risk_unit)99), "?");
}

/* The field each limit is stored in, read back in struct risk_cfg. */
static int64_t
field_of(int id, const struct risk_cfg *c)
{
	switch (id) {
	case RISK_LIM_DAILY_LOSS:
		return c->daily_loss;
	case RISK_LIM_TRAILING_LOSS:
		return c->trailing_loss;
	case RISK_LIM_WEEKLY_LOSS:
		return c->weekly_loss;
	case RISK_LIM_MAX_TRADE_RISK:
		return c->max_trade_risk;
	case RISK_LIM_MAX_POSITIONS:
		return c->max_positions;
	case RISK_LIM_MAX_CONTRACTS:
		return c->max_contracts;
	case RISK_LIM_TRADING_HOURS:
		return RISK_HOURS(c->hours_start, c->hours_end);
	case RISK_LIM_THROTTLE_ORDERS:
		return c->throttle_orders;
	case RISK_LIM_THROTTLE_SECONDS:
		return c->throttle_window / SEC;
	case RISK_LIM_PRICE_COLLAR:
		return c->collar_ticks;
	case RISK_LIM_FLATTEN_ON_BREACH:
		return c->flatten_on_breach;
	case RISK_LIM_STALE_FEED:
		return c->stale_after / SEC;
	}
	fail_msg("no field for limit %d", id);
	return -1;
}

/* A value within the range of l that is not its minimum. */
static int64_t
some_value(const struct risk_limit *l)
{
	if (l->unit == RISK_UNIT_HOURS)
		return RISK_HOURS(570, 955);
	return l->max - (l->max - l->min) / 3;
}

/* Each limit set through the table lands in its own field, and only there. */
static void
test_risk_limits_get_set(void **state)
{
	const struct risk_limit	*l = risk_limits();
	struct errmsg		 err = { "" };
	struct risk_cfg		 c;
	struct risk		*r;
	int64_t			 v;

	(void)state;
	for (int i = 0; i < RISK_NLIMITS; i++) {
		memset(&c, 0, sizeof c);
		v = some_value(&l[i]);
		if (risk_limit_set(&l[i], &c, v, &err) == -1)
			fail_msg("%s: %s", l[i].name, err.msg);
		assert_int_equal(risk_limit_get(&l[i], &c), v);
		assert_int_equal(field_of(i, &c), v);
		for (int j = 0; j < RISK_NLIMITS; j++) {
			if (j != i)
				assert_int_equal(risk_limit_get(&l[j], &c), 0);
		}
		/* Its maximum and minimum are taken too. */
		assert_int_equal(risk_limit_set(&l[i], &c, l[i].unit ==
		    RISK_UNIT_HOURS ? RISK_HOURS(l[i].max, l[i].max) :
		    l[i].max, &err), 0);
		assert_int_equal(risk_limit_set(&l[i], &c, l[i].unit ==
		    RISK_UNIT_HOURS ? RISK_HOURS(l[i].min, l[i].min) :
		    l[i].min, &err), 0);
	}
	/* Seconds are stored as nanoseconds, money as cents. */
	memset(&c, 0, sizeof c);
	assert_int_equal(risk_limit_set(&l[RISK_LIM_THROTTLE_SECONDS], &c, 60,
	    &err), 0);
	assert_int_equal(c.throttle_window, 60 * SEC);
	assert_int_equal(risk_limit_set(&l[RISK_LIM_WEEKLY_LOSS], &c, 250000,
	    &err), 0);
	assert_int_equal(c.weekly_loss, 250000);
	/* A risk manager takes every limit at its maximum. */
	memset(&c, 0, sizeof c);
	for (int i = 0; i < RISK_NLIMITS; i++) {
		if (l[i].unit != RISK_UNIT_HOURS)
			assert_int_equal(risk_limit_set(&l[i], &c, l[i].max,
			    &err), 0);
	}
	r = risk_create(&c, &err);
	if (r == NULL)
		fail_msg("risk_create: %s", err.msg);
	risk_free(r);
}

/* Out of range is refused by name, and changes nothing. */
static void
test_risk_limits_out_of_range(void **state)
{
	const struct risk_limit	*l = risk_limits();
	struct errmsg		 err = { "" };
	struct risk_cfg		 c = { 0 }, was;
	char			 head[64];
	int64_t			 bad[2];

	(void)state;
	for (int i = 0; i < RISK_NLIMITS; i++) {
		if (l[i].unit == RISK_UNIT_HOURS) {
			bad[0] = RISK_HOURS(l[i].max + 1, 0);
			bad[1] = RISK_HOURS(0, l[i].max + 1);
		} else {
			bad[0] = l[i].min - 1;
			bad[1] = l[i].max + 1;
		}
		snprintf(head, sizeof head, "%s: ", l[i].name);
		for (int k = 0; k < 2; k++) {
			was = c;
			err.msg[0] = '\0';
			assert_int_equal(risk_limit_set(&l[i], &c, bad[k],
			    &err), -1);
			assert_memory_equal(&c, &was, sizeof c);
			assert_int_equal(strncmp(err.msg, head, strlen(head)),
			    0);
			assert_non_null(strstr(err.msg, " is out of range "));
		}
	}
	assert_int_equal(risk_limit_check(&l[RISK_LIM_MAX_CONTRACTS], 100001,
	    &err), -1);
	assert_string_equal(err.msg, "max_contracts: 100001 is out of range "
	    "0..100000");
	assert_int_equal(risk_limit_check(&l[RISK_LIM_DAILY_LOSS],
	    100000000001, &err), -1);
	assert_string_equal(err.msg, "daily_loss: 1000000000.01 is out of "
	    "range 0.00..1000000000.00");
	assert_int_equal(risk_limit_check(&l[RISK_LIM_TRADING_HOURS], -1,
	    &err), -1);
	assert_string_equal(err.msg, "trading_hours: a negative time is out "
	    "of range 00:00..24:00");

	/* The risk manager walks the same table, stored values and all. */
	c = (struct risk_cfg){ .stale_after = -1 };
	assert_null(risk_create(&c, &err));
	assert_string_equal(err.msg, "risk: stale_feed_seconds: -1ns is out "
	    "of range 0..86400");
	c = (struct risk_cfg){ .throttle_window = 86401 * SEC };
	assert_null(risk_create(&c, &err));
	assert_string_equal(err.msg, "risk: throttle_seconds: 86401 is out "
	    "of range 0..86400");
	c = (struct risk_cfg){ .max_positions = 100001 };
	assert_null(risk_create(&c, &err));
	assert_string_equal(err.msg, "risk: max_positions: 100001 is out of "
	    "range 0..100000");
	c = (struct risk_cfg){ .hours_start = -5 };
	assert_null(risk_create(&c, &err));
	assert_string_equal(err.msg, "risk: trading_hours: -5-00:00 is out "
	    "of range 00:00..24:00");
}

/*
 * Which way loosens each limit, as the trader sees it, written out here
 * apart from the table: a bigger loss, count, collar or delay lets more
 * through; a longer throttle window counts more orders, so a shorter one
 * loosens; flatten_on_breach turned off loosens.
 */
static const struct {
	int	 id;
	bool	 higher_loosens;
} loosen_want[] = {
	{ RISK_LIM_DAILY_LOSS, true },
	{ RISK_LIM_TRAILING_LOSS, true },
	{ RISK_LIM_WEEKLY_LOSS, true },
	{ RISK_LIM_MAX_TRADE_RISK, true },
	{ RISK_LIM_MAX_POSITIONS, true },
	{ RISK_LIM_MAX_CONTRACTS, true },
	{ RISK_LIM_THROTTLE_ORDERS, true },
	{ RISK_LIM_THROTTLE_SECONDS, false },
	{ RISK_LIM_PRICE_COLLAR, true },
	{ RISK_LIM_FLATTEN_ON_BREACH, false },
	{ RISK_LIM_STALE_FEED, true },
};

static void
test_risk_limits_loosen(void **state)
{
	const struct risk_limit	*l = risk_limits(), *h;
	size_t			 n = sizeof loosen_want / sizeof loosen_want[0];

	(void)state;
	/* Every limit but the hours is in the list above. */
	assert_int_equal(n, RISK_NLIMITS - 1);
	for (size_t k = 0; k < n; k++) {
		const struct risk_limit	*x = &l[loosen_want[k].id];
		int64_t			 lo = 2, hi = 3;

		if (x->unit == RISK_UNIT_SWITCH) {
			/* Off is 0: only the way down loosens. */
			assert_true(risk_limit_loosens(x, 1, 0));
			assert_false(risk_limit_loosens(x, 0, 1));
			continue;
		}
		assert_int_equal(risk_limit_loosens(x, lo, hi),
		    loosen_want[k].higher_loosens);
		assert_int_equal(risk_limit_loosens(x, hi, lo),
		    !loosen_want[k].higher_loosens);
		assert_false(risk_limit_loosens(x, lo, lo));
		/* Every one of these is off at 0: off loosens, on tightens. */
		assert_true((x->flags & RISK_LIMIT_OFF) != 0);
		assert_true(risk_limit_loosens(x, lo, 0));
		assert_true(risk_limit_loosens(x, hi, 0));
		assert_false(risk_limit_loosens(x, 0, lo));
		assert_false(risk_limit_loosens(x, 0, hi));
	}
	/* The hours loosen when they admit a minute they did not. */
	h = &l[RISK_LIM_TRADING_HOURS];
	assert_true(risk_limit_loosens(h, RISK_HOURS(570, 955),
	    RISK_HOURS(540, 955)));
	assert_false(risk_limit_loosens(h, RISK_HOURS(570, 955),
	    RISK_HOURS(600, 900)));
	assert_true(risk_limit_loosens(h, RISK_HOURS(570, 955),
	    RISK_HOURS(600, 600)));	/* equal ends: any time */
	assert_false(risk_limit_loosens(h, RISK_HOURS(0, 0),
	    RISK_HOURS(570, 955)));
	assert_true(risk_limit_loosens(h, RISK_HOURS(570, 955),
	    RISK_HOURS(1080, 960)));	/* over midnight */
	assert_false(risk_limit_loosens(h, RISK_HOURS(1080, 960),
	    RISK_HOURS(1200, 900)));
	/* Only the limits that change while trading are live. */
	for (int i = 0; i < RISK_NLIMITS; i++)
		assert_int_equal((l[i].flags & RISK_LIMIT_LIVE) != 0,
		    i != RISK_LIM_TRADING_HOURS &&
		    i != RISK_LIM_FLATTEN_ON_BREACH);
}

/* Dollars to cents exactly, whatever a double would make of them. */
static void
test_risk_limits_money(void **state)
{
	const struct risk_limit	*l = &risk_limits()[RISK_LIM_DAILY_LOSS];
	static const struct {
		const char	*text;
		int64_t		 cents;
	} good[] = {
		{ "0.62", 62 }, { "0.29", 29 }, { "19.99", 1999 },
		{ "1000", 100000 }, { "1000.5", 100050 }, { "0.1", 10 },
		{ "4.35", 435 }, { "999999999.99", 99999999999 },
		{ "1000000000", 100000000000 }, { "off", 0 }, { "0", 0 },
	};
	static const char *const bad[] = {
		"1.005", "0.001", "1e3", "", "+5", "5.", "$5", "1,000", "x",
	};
	struct errmsg		 err = { "" };
	char			 buf[RISK_LIMIT_FMT_MAX];
	int64_t			 v;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		v = -1;
		if (risk_limit_parse(l, good[i].text, &v, &err) == -1)
			fail_msg("'%s': %s", good[i].text, err.msg);
		assert_int_equal(v, good[i].cents);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 7;
		assert_int_equal(risk_limit_parse(l, bad[i], &v, &err), -1);
		assert_int_equal(v, 7);
		assert_non_null(strstr(err.msg, "daily_loss: '"));
	}
	assert_string_equal(err.msg, "daily_loss: 'x' is not an amount in "
	    "dollars with at most 2 decimals (500.00), or off");
	assert_int_equal(risk_limit_parse(l, "-0.01", &v, &err), -1);
	assert_string_equal(err.msg, "daily_loss: -0.01 is out of range "
	    "0.00..1000000000.00");
	assert_int_equal(risk_limit_parse(l, "1000000000.01", &v, &err), -1);

	/* Every cent up to 10,000 dollars reads back as itself. */
	for (v = 0; v <= 1000000; v++) {
		int64_t	 back = -1;

		risk_limit_format(l, v, RISK_FMT_INPUT, buf, sizeof buf);
		assert_int_equal(risk_limit_parse(l, buf, &back, &err), 0);
		assert_int_equal(back, v);
	}
	assert_string_equal(risk_limit_format(l, 62, RISK_FMT_INPUT, buf,
	    sizeof buf), "0.62");
	assert_string_equal(risk_limit_format(l, 100000, RISK_FMT_SHOW, buf,
	    sizeof buf), "1,000.00");
	assert_string_equal(risk_limit_format(l, 0, RISK_FMT_SHOW, buf,
	    sizeof buf), "off");
}

/* The other units, typed and shown. */
static void
test_risk_limits_units(void **state)
{
	const struct risk_limit	*l = risk_limits();
	struct errmsg		 err = { "" };
	char			 buf[RISK_LIMIT_FMT_MAX];
	int64_t			 v;

	(void)state;
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_MAX_CONTRACTS], "4", &v,
	    &err), 0);
	assert_int_equal(v, 4);
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_MAX_CONTRACTS], "1.5",
	    &v, &err), -1);
	assert_string_equal(err.msg, "max_contracts: '1.5' is not a whole "
	    "number of contracts, or off");
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_MAX_CONTRACTS], "+4",
	    &v, &err), -1);
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_THROTTLE_SECONDS], "off",
	    &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_TRADING_HOURS],
	    "09:30-24:00", &v, &err), 0);
	assert_int_equal(v, RISK_HOURS(570, 1440));
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_TRADING_HOURS],
	    "9:30-16:00", &v, &err), -1);
	assert_string_equal(err.msg, "trading_hours: '9:30-16:00' is not a "
	    "time range HH:MM-HH:MM");
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_TRADING_HOURS],
	    "24:00-10:00", &v, &err), -1);
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_TRADING_HOURS], "off",
	    &v, &err), -1);
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_FLATTEN_ON_BREACH], "no",
	    &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(risk_limit_parse(&l[RISK_LIM_FLATTEN_ON_BREACH],
	    "maybe", &v, &err), -1);
	assert_string_equal(err.msg, "flatten_on_breach: 'maybe' is not true "
	    "or false");

	assert_string_equal(risk_limit_format(&l[RISK_LIM_THROTTLE_SECONDS],
	    60, RISK_FMT_SHOW, buf, sizeof buf), "60 s");
	assert_string_equal(risk_limit_format(&l[RISK_LIM_PRICE_COLLAR], 40,
	    RISK_FMT_SHOW, buf, sizeof buf), "40 ticks");
	assert_string_equal(risk_limit_format(&l[RISK_LIM_PRICE_COLLAR], 40,
	    RISK_FMT_INPUT, buf, sizeof buf), "40");
	assert_string_equal(risk_limit_format(&l[RISK_LIM_MAX_POSITIONS], 0,
	    RISK_FMT_INPUT, buf, sizeof buf), "off");
	assert_string_equal(risk_limit_format(&l[RISK_LIM_TRADING_HOURS],
	    RISK_HOURS(570, 955), RISK_FMT_SHOW, buf, sizeof buf),
	    "09:30-15:55");
	assert_string_equal(risk_limit_format(&l[RISK_LIM_FLATTEN_ON_BREACH],
	    1, RISK_FMT_SHOW, buf, sizeof buf), "yes");
	assert_string_equal(risk_limit_format(&l[RISK_LIM_FLATTEN_ON_BREACH],
	    0, RISK_FMT_INPUT, buf, sizeof buf), "false");
}

/* ------------------------------------------------------- the manual check */

/* A whole file into a NUL-ended buffer the caller frees; NULL if none. */
static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	long	 n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) ==
	    NULL) {
		fclose(f);
		return NULL;
	}
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return buf;
}

static char *
man_page(const char *name)
{
	const char	*srcdir = getenv("srcdir");
	char		 path[512], *text;

	snprintf(path, sizeof path, "%s/man/%s", srcdir != NULL ? srcdir : ".",
	    name);
	if ((text = slurp(path)) == NULL)
		fail_msg("cannot read %s", path);
	return text;
}

/* The text from the line at start up to the next line beginning with end. */
static size_t
man_part(const char *start, const char *end)
{
	const char	*p = strchr(start, '\n');

	while (p != NULL && strncmp(p + 1, end, strlen(end)) != 0)
		p = strchr(p + 1, '\n');
	return p == NULL ? strlen(start) : (size_t)(p + 1 - start);
}

/* Does part (n bytes) hold word, as a whole number or word? */
static bool
man_says(const char *part, size_t n, const char *word)
{
	size_t	 w = strlen(word);

	for (const char *p = part; p + w <= part + n; p++) {
		if (strncmp(p, word, w) != 0)
			continue;
		if (p + w == part + n || !((p[w] >= '0' && p[w] <= '9') ||
		    p[w] == '_' || (p[w] >= 'a' && p[w] <= 'z') ||
		    (p[w] == '.' && p[w + 1] >= '0' && p[w + 1] <= '9')))
			return true;
	}
	return false;
}

static void
man_problem(char *out, size_t len, int *n, const char *fmt, const char *a)
{
	size_t	 used = strlen(out);

	snprintf(out + used, len - used, fmt, a);
	used = strlen(out);
	snprintf(out + used, len - used, "\n");
	(*n)++;
}

/*
 * The risk limits of a table (n entries) against the risk section of
 * tickdesk.conf(5) in man: each has its item (.It Cm risk.NAME) giving its
 * default and, for a number, its largest value; each item there is a
 * limit of the table.  The problems, one a line, go to out; their number
 * is returned.
 */
static int
man_check(const char *man, const struct risk_limit *tab, int n, char *out,
    size_t len)
{
	const char	*sec = strstr(man, "\n.Ss risk\n"), *p;
	char		 item[96], want[96];
	size_t		 seclen, elen;
	int		 bad = 0;

	out[0] = '\0';
	if (sec == NULL) {
		man_problem(out, len, &bad, "%s: no risk section", "man");
		return bad;
	}
	sec++;
	seclen = man_part(sec, ".Ss ");
	for (int i = 0; i < n; i++) {
		snprintf(item, sizeof item, "\n.It Cm risk.%s\n", tab[i].name);
		p = strstr(sec, item);
		if (p == NULL || p >= sec + seclen) {
			man_problem(out, len, &bad, "%s: not in "
			    "tickdesk.conf(5)", tab[i].name);
			continue;
		}
		p++;
		elen = man_part(p, ".It");
		if (!man_says(p, elen, "The default is") ||
		    !man_says(p, elen, tab[i].def))
			man_problem(out, len, &bad, "%s: no default, or not "
			    "the table's", tab[i].name);
		if (tab[i].unit == RISK_UNIT_HOURS ||
		    tab[i].unit == RISK_UNIT_SWITCH)
			continue;
		snprintf(want, sizeof want, "to ");
		risk_limit_format(&tab[i], tab[i].max, RISK_FMT_INPUT,
		    want + 3, sizeof want - 3);
		if (!man_says(p, elen, want))
			man_problem(out, len, &bad, "%s: its range is not the "
			    "table's", tab[i].name);
	}
	for (p = sec; (p = strstr(p, "\n.It Cm risk.")) != NULL &&
	    p < sec + seclen; p++) {
		const char	*name = p + strlen("\n.It Cm risk.");
		size_t		 k = strcspn(name, " \n");
		int		 i;

		snprintf(item, sizeof item, "%.*s", (int)k, name);
		for (i = 0; i < n && strcmp(tab[i].name, item) != 0; i++)
			continue;
		if (i == n)
			man_problem(out, len, &bad, "risk.%s: documented but "
			    "not a limit", item);
	}
	return bad;
}

/* tickdesk.conf(5) documents the table, no more and no less. */
static void
test_risk_limits_man(void **state)
{
	struct risk_limit	 tab[RISK_NLIMITS + 1];
	char			*man = man_page("tickdesk.conf.5");
	char			 out[2048];

	(void)state;
	if (man_check(man, risk_limits(), RISK_NLIMITS, out, sizeof out) != 0)
		fail_msg("tickdesk.conf.5 and the risk table differ:\n%s", out);

	/* An entry the manual lacks fails the check ... */
	memcpy(tab, risk_limits(), RISK_NLIMITS * sizeof tab[0]);
	tab[RISK_NLIMITS] = tab[RISK_LIM_DAILY_LOSS];
	tab[RISK_NLIMITS].name = "nightly_loss";
	assert_int_equal(man_check(man, tab, RISK_NLIMITS + 1, out,
	    sizeof out), 1);
	assert_string_equal(out, "nightly_loss: not in tickdesk.conf(5)\n");
	/* ... so does an item of the manual the table lacks ... */
	assert_int_equal(man_check(man, tab, RISK_NLIMITS - 1, out,
	    sizeof out), 1);
	assert_string_equal(out, "risk.stale_feed_seconds: documented but "
	    "not a limit\n");
	/* ... and a range or a default the manual does not give. */
	tab[RISK_LIM_MAX_CONTRACTS].max = 1000;
	tab[RISK_LIM_WEEKLY_LOSS].def = "2000.00";
	assert_int_equal(man_check(man, tab, RISK_NLIMITS, out, sizeof out),
	    2);
	assert_string_equal(out, "weekly_loss: no default, or not the "
	    "table's\nmax_contracts: its range is not the table's\n");
	free(man);
}

/* tickdesk(1)'s `risk` command names every limit, and only limits. */
static void
test_risk_limits_man_command(void **state)
{
	char		*man = man_page("tickdesk.1");
	const char	*entry = strstr(man, "\n.It Ic risk Cm show");
	size_t		 n;

	(void)state;
	assert_non_null(entry);
	entry++;
	n = man_part(entry, ".It Ic");
	for (int i = 0; i < RISK_NLIMITS; i++) {
		if (!man_says(entry, n, risk_limits()[i].name))
			fail_msg("tickdesk.1: risk: %s not named",
			    risk_limits()[i].name);
	}
	/* A word with an underscore there is a limit's name. */
	for (const char *p = entry; p < entry + n; p++) {
		const char	*w = p;
		char		 word[64];

		while (p < entry + n && (*p == '_' || (*p >= 'a' &&
		    *p <= 'z')))
			p++;
		if (p - w < 2 || memchr(w, '_', (size_t)(p - w)) == NULL)
			continue;
		snprintf(word, sizeof word, "%.*s", (int)(p - w), w);
		if (risk_limit_find(word) == NULL)
			fail_msg("tickdesk.1: risk: '%s' is not a limit", word);
	}
	free(man);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_risk_names),
		cmocka_unit_test(test_risk_create_refuses_bad_config),
		cmocka_unit_test_setup_teardown(
		    test_risk_bad_order_even_when_reducing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_risk_states_allow_only_reducing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk_daily_loss, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_risk_trailing_loss, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_risk_weekly_loss, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_risk_trade_risk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_risk_max_positions_counts_working_entries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_risk_max_positions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_risk_max_contracts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_risk_hours, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_risk_throttle_window_slides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk_check_collar_alone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk_collar, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_risk_reducing_passes_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_risk_breach_halts_and_flattens, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_risk_breach_does_not_lift_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_risk_unattended_day_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_risk_state_latch, setup,
		    teardown),
		cmocka_unit_test(test_risk_feed_due),
		cmocka_unit_test_setup_teardown(test_risk_stale_feed, setup,
		    teardown),
		cmocka_unit_test(test_risk_limits_table),
		cmocka_unit_test(test_risk_limits_get_set),
		cmocka_unit_test(test_risk_limits_out_of_range),
		cmocka_unit_test(test_risk_limits_loosen),
		cmocka_unit_test(test_risk_limits_money),
		cmocka_unit_test(test_risk_limits_units),
		cmocka_unit_test(test_risk_limits_man),
		cmocka_unit_test(test_risk_limits_man_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
