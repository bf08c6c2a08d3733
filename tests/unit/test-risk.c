/*
 * test-risk.c -- pre-trade checks, loss limits and the trading state.
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

#define ES	0
#define NQ	1
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
entry(int inst, enum td_side side, int64_t qty, int32_t stop)
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

	if (o->inst >= 0 && o->inst < portfolio_count(fx->pf)) {
		x.position = portfolio_position(fx->pf, o->inst);
		x.inst_exposed = x.position != 0 || working > 0;
		x.exposed = portfolio_open_positions(fx->pf) -
		    (x.position != 0);
	}
	x.working_same_side = working;
	return risk_check(fx->r, fx->pf, &test_insts[o->inst], &x, fx->why,
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
	o.inst = 5;
	assert_int_equal(risk_check(fx->r, fx->pf, &test_insts[ES], &o,
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
	assert_int_equal(risk_check(fx->r, fx->pf, &test_insts[NQ], &o,
	    fx->why, sizeof fx->why), RISK_MAX_POSITIONS);
	/* A second entry on NQ, whose first is still working, is not. */
	o.exposed = 0;
	o.inst_exposed = true;
	assert_int_equal(risk_check(fx->r, fx->pf, &test_insts[NQ], &o,
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
collar(struct fixture *fx, int inst, enum order_type type, td_ticks price)
{
	return risk_check_collar(fx->r, fx->pf, &test_insts[inst], inst, type,
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
