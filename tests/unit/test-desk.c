/*
 * test-desk.c -- the trader's command language: every command, good and
 * bad, through desk_exec on a real engine (SimpleORB on ES, fixture.h),
 * the replay commands through a real runner, the table's flags, and
 * completion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "runner.h"

#include "fixture.h"

struct fx {
	struct engine		*e;
	struct snap_obs		*view;		/* as a runner adds them */
	struct health_obs	*health;
	struct desk		*d;
	int			 minute;	/* bars given so far */
	struct runner_reply	 rep;
	char			 log[8192];	/* "component: msg" lines */
};

static void
fx_log(void *arg, const struct log_line *line)
{
	struct fx	*fx = arg;
	size_t		 n = strlen(fx->log);

	snprintf(fx->log + n, sizeof fx->log - n, "%s: %s\n", line->component,
	    line->msg);
}

static struct fx *
fx_new(td_cents daily_loss)
{
	struct fx	*fx = calloc(1, sizeof *fx);

	assert_non_null(fx);
	fx->e = fixture_orb_engine(false, daily_loss);
	fx->view = fixture_view(fx->e);
	fx->health = fixture_health(fx->e);
	fx->d = desk_create("tester", SNAP_PAPER, NULL);
	assert_non_null(fx->d);
	engine_set_log(fx->e, fx_log, fx, LOG_INFO);
	return fx;
}

static int
setup(void **state)
{
	*state = fx_new(0);
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	desk_free(fx->d);
	engine_free(fx->e);
	snap_obs_free(fx->view);
	health_obs_free(fx->health);
	free(fx);
	return 0;
}

/* One more flat 1-minute bar of Monday 2024-03-04 from 09:30 at price. */
static void
bar(struct fx *fx, td_ticks price)
{
	int		 m = 9 * 60 + 30 + fx->minute++;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 4, m / 60,
			     m % 60), price, price, price, price);
	struct errmsg	 err;

	if (engine_on_market(fx->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

/* The same with open, high, low and close of its own. */
static void
bar_ohlc(struct fx *fx, td_ticks o, td_ticks h, td_ticks l,
    td_ticks c)
{
	int		 m = 9 * 60 + 30 + fx->minute++;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 4, m / 60,
			     m % 60), o, h, l, c);
	struct errmsg	 err;

	if (engine_on_market(fx->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

/* Run a line; return the reply's text. */
static const char *
run(struct fx *fx, const char *line)
{
	memset(&fx->rep, 0, sizeof fx->rep);
	fx->rep.id = 42;
	desk_exec(fx->d, NULL, fx->e, line, &fx->rep);
	return fx->rep.text;
}

/* The line must succeed; its text contains want. */
static void
ok(struct fx *fx, const char *line, const char *want)
{
	run(fx, line);
	if (fx->rep.status != 0 || fx->rep.confirm)
		fail_msg("'%s': status %d: %s", line, fx->rep.status,
		    fx->rep.text);
	if (strstr(fx->rep.text, want) == NULL)
		fail_msg("'%s': '%s' lacks '%s'", line, fx->rep.text, want);
	assert_int_equal(fx->rep.id, 42);
}

/* The line must fail with status and exactly this message. */
static void
bad(struct fx *fx, const char *line, int status, const char *want)
{
	run(fx, line);
	if (fx->rep.status != status || strcmp(fx->rep.text, want) != 0)
		fail_msg("'%s': status %d '%s', expected %d '%s'", line,
		    fx->rep.status, fx->rep.text, status, want);
	assert_false(fx->rep.quit);
	assert_false(fx->rep.confirm);
}

static int
live(struct fx *fx)
{
	return order_mgr_live_count(engine_orders(fx->e));
}

static int64_t
position(struct fx *fx)
{
	return portfolio_position(engine_portfolio(fx->e), ES);
}

/* The id of the newest live order. */
static uint64_t
newest(struct fx *fx)
{
	const struct order_mgr	*om = engine_orders(fx->e);

	assert_true(order_mgr_live_count(om) > 0);
	return order_mgr_live_at(om, order_mgr_live_count(om) - 1)->id;
}

/* ---------------------------------------------------------------- table */

static void
test_desk_table_flags(void **state)
{
	const struct desk_entry *const *t = desk_table();
	static const char *const order[] = { "status", "positions", "orders",
	    "buy", "sell", "cancel", "move", "reverse", "oco", "flatten",
	    "halt", "resume", "kill", "kill!", "strategy", "risk", "breaker",
	    "rollout", "replay", "log", "reload", "help", "quit", NULL };
	static const char *const exact[] = { "buy", "sell", "cancel", "move",
	    "reverse", "oco", "flatten", "halt", "resume", "kill", "kill!",
	    "strategy", "risk", "breaker", "rollout", "reload", "quit", NULL };
	size_t	 i;

	(void)state;
	for (i = 0; order[i] != NULL; i++) {
		assert_non_null(t[i]);
		assert_string_equal(t[i]->name, order[i]);
		assert_non_null(t[i]->usage);
		assert_non_null(t[i]->summary);
		assert_non_null(t[i]->exec);
		/* Only these can open a position: refused halted. */
		assert_int_equal(!(t[i]->flags & DESK_WHILE_HALTED),
		    strcmp(order[i], "buy") == 0 ||
		    strcmp(order[i], "sell") == 0 ||
		    strcmp(order[i], "reverse") == 0 ||
		    strcmp(order[i], "oco") == 0);
	}
	assert_null(t[i]);
	for (i = 0; exact[i] != NULL; i++) {
		const struct desk_entry	*d;
		char			 cause[128];

		assert_non_null(d = desk_find(exact[i], cause, sizeof cause));
		assert_true(d->flags & DESK_EXACT);
		assert_true(d->flags & DESK_AUDIT);
	}
	assert_true(desk_find("kill", NULL, 0)->flags & DESK_CONFIRM);
	assert_false(desk_find("kill!", NULL, 0)->flags & DESK_CONFIRM);
	assert_true(desk_find("resume", NULL, 0)->flags & DESK_CONFIRM);
	assert_true(desk_find("risk", NULL, 0)->flags & DESK_CONFIRM);
	assert_true(desk_find("cancel", NULL, 0)->flags & DESK_CONFIRM);
}

static void
test_desk_find_prefixes(void **state)
{
	char	 cause[256];

	(void)state;
	assert_ptr_equal(desk_find("pos", cause, sizeof cause),
	    &desk_positions_entry);
	assert_ptr_equal(desk_find("st", cause, sizeof cause),
	    &desk_status_entry);
	assert_ptr_equal(desk_find("kill!", cause, sizeof cause),
	    &desk_kill_now_entry);
	assert_null(desk_find("flat", cause, sizeof cause));
	assert_string_equal(cause, "'flat' is short for flatten: commands "
	    "that trade are typed in full");
	assert_null(desk_find("b", cause, sizeof cause));
	assert_string_equal(cause, "'b' is short for buy: commands that "
	    "trade are typed in full");
	assert_null(desk_find("xyz", cause, sizeof cause));
	assert_string_equal(cause, "unknown command 'xyz' (help lists the "
	    "commands)");
}

/* ---------------------------------------------------------------- parsing */

static void
test_desk_bad_lines(void **state)
{
	struct fx	*fx = *state;

	bad(fx, "frobnicate", 2, "unknown command 'frobnicate' (help lists "
	    "the commands)");
	bad(fx, "", 2, "empty command");
	bad(fx, "   ", 2, "empty command");
	bad(fx, "--confirmed", 2, "unknown command '--confirmed' (help lists "
	    "the commands)");
	bad(fx, "fla all", 2, "'fla' is short for flatten: commands that "
	    "trade are typed in full");
	bad(fx, "status\x1b[2J", 2, "bad character in command");
	bad(fx, "help a b c d e f g h i j k l m n o p q r s t u v w x y z A B "
	    "C D E F", 2, "too many words (at most 32)");
	bad(fx, "flaten all", 2, "unknown command 'flaten'; did you mean "
	    "'flatten'?");
	bad(fx, "zzz", 2, "unknown command 'zzz' (help lists the commands)");
	assert_int_equal(engine_state(fx->e), TS_ACTIVE);
}

static void
test_desk_buy_refuses_bad_input(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	bad(fx, "buy 1.5 ES", 2, "buy: bad quantity '1.5': a whole number of "
	    "contracts from 1 to 100000");
	bad(fx, "buy -1 ES", 2, "buy: bad quantity '-1': a whole number of "
	    "contracts from 1 to 100000");
	bad(fx, "sell 0 ES", 2, "sell: bad quantity '0': a whole number of "
	    "contracts from 1 to 100000");
	bad(fx, "buy +1 ES", 2, "buy: bad quantity '+1': a whole number of "
	    "contracts from 1 to 100000");
	bad(fx, "buy 99999999999999999999 ES", 2, "buy: bad quantity "
	    "'99999999999999999999': a whole number of contracts from 1 to "
	    "100000");
	bad(fx, "buy 1 ES lmt abc", 2, "buy: bad price 'abc' for ES");
	bad(fx, "buy 1 ES lmt 4800.10", 2, "buy: price 4800.10 is not on "
	    "the 0.25 tick grid of ES");
	bad(fx, "buy 1 ES lmt -5", 2, "buy: bad price '-5' for ES: it must "
	    "be above 0");
	bad(fx, "buy 1 ES stp 0", 2, "buy: bad price '0' for ES: it must be "
	    "above 0");
	bad(fx, "buy 1 ES lmt", 2, "buy: lmt needs a price");
	bad(fx, "buy 1 ES mkt now", 2, "buy: unexpected word 'now'");
	bad(fx, "buy 1 ES lmt 4800.25 mkt", 2, "buy: unexpected word 'mkt'");
	bad(fx, "buy 1 ES mkt stop 8 extra", 2,
	    "buy: unexpected word 'extra'");
	bad(fx, "buy 1 NQ", 2, "buy: unknown symbol 'NQ' (ES)");
	bad(fx, "buy 1", 2, "usage: buy QTY SYMBOL [mkt | lmt PRICE | stp "
	    "PRICE | stplmt STOP LIMIT] [day | gtc | ioc] [stop TICKS] "
	    "[target TICKS] [atm NAME]");
	bad(fx, "buy", 2, "usage: buy QTY SYMBOL [mkt | lmt PRICE | stp "
	    "PRICE | stplmt STOP LIMIT] [day | gtc | ioc] [stop TICKS] "
	    "[target TICKS] [atm NAME]");
	bad(fx, "buy 1 ES stop 0", 2, "buy: bad stop ticks '0': a whole "
	    "number from 1 to 10000");
	bad(fx, "buy 1 ES stop x", 2, "buy: bad stop ticks 'x': a whole "
	    "number from 1 to 10000");
	bad(fx, "buy 1 ES target", 2, "buy: target needs a number of ticks");
	bad(fx, "buy 1 ES stop 8 stop 9", 2, "buy: stop given twice");
	bad(fx, "buy 1 ES --confirmed extra", 2,
	    "buy: unexpected word '--confirmed'");
	/* Nothing a person mistyped became an order. */
	assert_int_equal(live(fx), 0);
	assert_int_equal(position(fx), 0);
}

/* Command words and keywords in any case; a refusal is said once. */
static void
test_desk_case_blind_and_refused_once(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "BUY 1 ES MKT", ": buy 1 ES mkt");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 1);
	ok(fx, "POS", "ES");
	ok(fx, "Sell 1 ES Lmt 5010.25 Day", ": sell 1 ES lmt 5010.25 DAY");
	assert_int_equal(live(fx), 1);
	bad(fx, "BUY 1 ES STPLMT 5010 5009", 1, "buy: refused: buy "
	    "stop-limit's limit 5009.00 is below its stop 5010.00");
	/* The answer says why; the log has the command, not the refusal. */
	assert_non_null(strstr(fx->log, "BUY 1 ES STPLMT 5010 5009"));
	assert_null(strstr(fx->log, "is below its stop"));
	ok(fx, "FLATTEN ALL", "flatten");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 0);
	assert_int_equal(live(fx), 0);
}

static void
test_desk_buy_and_sell_make_orders(void **state)
{
	struct fx		*fx = *state;
	const struct order	*o;

	bar(fx, P(5000));
	ok(fx, "buy 1 ES mkt", ": buy 1 ES mkt");
	assert_int_equal(live(fx), 1);
	o = order_mgr_live_at(engine_orders(fx->e), 0);
	assert_int_equal(o->side, TD_BUY);
	assert_int_equal(o->type, ORD_MARKET);
	assert_int_equal(o->qty, 1);
	assert_true(td_owner_is_manual(o->owner));
	bar(fx, P(5000));
	assert_int_equal(position(fx), 1);

	/* Through the long: 1 closes it, 1 opens a short with the bracket. */
	ok(fx, "sell 2 es lmt 5010.25 stop 8 target 16",
	    ": sell 2 ES lmt 5010.25 DAY, bracket stop 8 target 16 ticks: 1 "
	    "closes the position, 1 opens with the bracket");
	o = order_mgr_live_at(engine_orders(fx->e), 0);
	assert_int_equal(o->role, ROLE_EXIT);
	assert_int_equal(o->qty, 1);
	assert_int_equal(o->br.stop_ticks, 0);
	o = order_mgr_live_at(engine_orders(fx->e), 1);
	assert_int_equal(o->role, ROLE_ENTRY);
	assert_int_equal(o->side, TD_SELL);
	assert_int_equal(o->type, ORD_LIMIT);
	assert_int_equal(o->qty, 1);
	assert_int_equal(o->price, P(5010.25));
	assert_int_equal(o->br.stop_ticks, 8);
	assert_int_equal(o->br.target_ticks[0], 16);
	ok(fx, "buy 1 ES stp 5020", ": buy 1 ES stp 5020.00");
	ok(fx, "orders", "sell 1 ES lmt 5010.25");
	ok(fx, "orders", "buy 1 ES stp 5020.00");
	ok(fx, "positions", "ES     +1 @ 5000.00 stops cover 0 of 1 NOT "
	    "PROTECTED, last 5000.00");
	ok(fx, "buy 1 ES", ": buy 1 ES mkt");
	bad(fx, "orders now", 2, "orders: unexpected word 'now'");
	bad(fx, "positions ES", 2, "positions: unexpected word 'ES'");
}

/* A template by name, then the position turned around with it. */
static void
test_desk_atm_and_reverse(void **state)
{
	struct fx		*fx = *state;
	const struct order_mgr	*om = engine_orders(fx->e);
	int			 stops = 0, targets = 0;

	bar(fx, P(5000));
	bad(fx, "buy 2 ES mkt atm nope", 2, "buy: no bracket template 'nope' "
	    "(atm in the configuration)");
	bad(fx, "buy 2 ES mkt atm scalp stop 8", 2, "buy: atm or stop and "
	    "target, not both");
	bad(fx, "reverse ES", 1, "reverse: refused: ES is flat: nothing to "
	    "reverse");
	ok(fx, "buy 2 ES mkt atm scalp", ": buy 2 ES mkt, atm scalp");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 2);
	for (int i = 0; i < live(fx); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		stops += o->role == ROLE_STOP && o->qty == 1;
		targets += o->role == ROLE_TARGET && o->qty == 1;
	}
	assert_int_equal(stops, 2);
	assert_int_equal(targets, 2);
	assert_true(order_mgr_protected(om, ES, 2));
	/* Turned around with the old side's template. */
	ok(fx, "reverse ES", "reverse ES +2: sell 4 mkt, the old side's "
	    "bracket");
	bar(fx, P(5000));
	assert_int_equal(position(fx), -2);
	stops = targets = 0;
	for (int i = 0; i < live(fx); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		assert_int_equal(o->side, TD_BUY);
		stops += o->role == ROLE_STOP;
		targets += o->role == ROLE_TARGET;
	}
	assert_int_equal(stops, 2);
	assert_int_equal(targets, 2);
	assert_true(order_mgr_protected(om, ES, -2));
	/* Halted: reverse opens a position, so it is refused. */
	ok(fx, "halt", "HALTED");
	bad(fx, "reverse ES", 1, "reverse: refused: trading is HALTED (flatten, "
	    "cancel and move still work; resume to trade)");
}

/* Two entries as one pair: the first to fill takes the other away. */
static void
test_desk_oco_pair(void **state)
{
	struct fx		*fx = *state;
	const struct order_mgr	*om = engine_orders(fx->e);
	const struct order	*o;

	bar(fx, P(5000));
	bad(fx, "oco buy 1 ES stp 5002", 2, "usage: oco buy|sell QTY SYMBOL "
	    "... / buy|sell QTY SYMBOL ...");
	bad(fx, "oco hold 1 ES / sell 1 ES", 2, "oco: 'hold' is neither buy "
	    "nor sell");
	bad(fx, "oco buy 1 ES stp 5002 / sell 1 ES stp", 2, "oco: stp needs "
	    "a price");
	assert_int_equal(live(fx), 0);
	ok(fx, "oco buy 1 ES stp 5002 stop 8 / sell 1 ES stp 4998 stop 8",
	    "one cancels the other: buy 1 ES stp 5002.00 DAY, bracket stop 8 "
	    "target 0 ticks / sell 1 ES stp 4998.00 DAY, bracket stop 8 "
	    "target 0 ticks");
	assert_int_equal(live(fx), 2);
	assert_int_equal(order_mgr_live_at(om, 0)->oco,
	    order_mgr_live_at(om, 1)->oco);
	/* Up through the buy stop: long 1, the sell stop gone. */
	bar(fx, P(5003));
	assert_int_equal(position(fx), 1);
	assert_int_equal(live(fx), 1);
	o = order_mgr_live_at(om, 0);
	assert_int_equal(o->role, ROLE_STOP);
	assert_int_equal(o->side, TD_SELL);
	/* A pair is two entries: one that would close is refused. */
	bad(fx, "oco sell 1 ES lmt 5010 / buy 1 ES lmt 4990", 1, "oco: "
	    "refused: the sell would close the ES position: an OCO pair is "
	    "two entries");
	assert_int_equal(live(fx), 1);
}

static void
test_desk_cancel_and_move(void **state)
{
	struct fx	*fx = *state;
	char		 line[64], want[96];
	uint64_t	 id;

	bar(fx, P(5000));
	ok(fx, "cancel all", "no working orders");
	ok(fx, "buy 1 ES lmt 4990.00", "buy 1 ES lmt 4990.00");
	id = newest(fx);
	snprintf(line, sizeof line, "move %llu 4991.50", (unsigned long long)id);
	snprintf(want, sizeof want, "moving order %llu to 4991.50",
	    (unsigned long long)id);
	ok(fx, line, want);
	bar(fx, P(5000));
	assert_int_equal(order_mgr_live_at(engine_orders(fx->e), 0)->price,
	    P(4991.5));
	snprintf(line, sizeof line, "move %llu 4991.10", (unsigned long long)id);
	bad(fx, line, 2, "move: price 4991.10 is not on the 0.25 tick grid "
	    "of ES");
	bad(fx, "move 999 4990", 2, "move: unknown order id 999");
	bad(fx, "move abc 4990", 2, "move: bad order id 'abc'");
	bad(fx, "move -3 4990", 2, "move: bad order id '-3'");
	bad(fx, "move 1", 2, "usage: move ORDER_ID [PRICE] [limit PRICE] "
	    "[qty QTY]");
	bad(fx, "move 1 2 3", 2, "move: unexpected word '3'");
	bad(fx, "cancel", 2, "usage: cancel ORDER_ID | all");
	bad(fx, "cancel 999", 2, "cancel: unknown order id 999");
	bad(fx, "cancel 1 2", 2, "cancel: unexpected word '2'");

	snprintf(line, sizeof line, "cancel %llu", (unsigned long long)id);
	snprintf(want, sizeof want, "cancelling order %llu",
	    (unsigned long long)id);
	ok(fx, line, want);
	bar(fx, P(5000));
	assert_int_equal(live(fx), 0);
	snprintf(want, sizeof want, "cancel: order %llu is cancelled, no "
	    "longer working", (unsigned long long)id);
	run(fx, line);
	assert_int_equal(fx->rep.status, 1);
	assert_string_equal(fx->rep.text, want);

	/* A market order cannot move. */
	ok(fx, "buy 1 ES", "buy 1 ES mkt");
	snprintf(line, sizeof line, "move %llu 5000",
	    (unsigned long long)newest(fx));
	snprintf(want, sizeof want, "move: order %llu is a market order: "
	    "only limit, stop and stop-limit orders move",
	    (unsigned long long)newest(fx));
	run(fx, line);
	assert_int_equal(fx->rep.status, 1);
	assert_string_equal(fx->rep.text, want);
}

/*
 * Order types and times in force: the exact reply and `orders` lines,
 * DAY by default for everything but market orders, which take none.
 */
static void
test_desk_order_types_and_tif(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	run(fx, "buy 1 ES lmt 4990");
	assert_string_equal(fx->rep.text, "order 1: buy 1 ES lmt 4990.00 DAY");
	run(fx, "buy 1 ES stp 5010 gtc");
	assert_string_equal(fx->rep.text, "order 2: buy 1 ES stp 5010.00 GTC");
	run(fx, "sell 1 ES stplmt 4995 4994.75 ioc stop 8");
	assert_string_equal(fx->rep.text, "order 3: sell 1 ES stplmt 4995.00 "
	    "limit 4994.75 IOC, bracket stop 8 target 0 ticks");
	run(fx, "buy 2 ES stplmt 5005 5006");
	assert_string_equal(fx->rep.text, "order 4: buy 2 ES stplmt 5005.00 "
	    "limit 5006.00 DAY");
	run(fx, "orders");
	assert_string_equal(fx->rep.text,
	    "1 buy 1 ES lmt 4990.00 DAY working entry manual\n"
	    "2 buy 1 ES stp 5010.00 GTC working entry manual\n"
	    "3 sell 1 ES stplmt 4995.00 limit 4994.75 IOC working entry "
	    "manual\n"
	    "4 buy 2 ES stplmt 5005.00 limit 5006.00 DAY working entry "
	    "manual");
	/* The IOC stop-limit met one bar short of its stop: expired. */
	bar(fx, P(5000));
	assert_int_equal(live(fx), 3);
	run(fx, "cancel 3");
	assert_int_equal(fx->rep.status, 1);
	assert_string_equal(fx->rep.text, "cancel: order 3 is expired, no "
	    "longer working");
	/* A market order has no time in force; gtc is what it is. */
	run(fx, "buy 1 ES mkt gtc");
	assert_string_equal(fx->rep.text, "order 5: buy 1 ES mkt");
	bad(fx, "buy 1 ES day", 2, "buy: a market order fills at the next "
	    "price: day is for lmt, stp and stplmt orders");
	bad(fx, "sell 1 ES mkt ioc", 2, "sell: a market order fills at the "
	    "next price: ioc is for lmt, stp and stplmt orders");
	bad(fx, "buy 1 ES stplmt", 2, "buy: stplmt needs a stop and a limit "
	    "price");
	bad(fx, "buy 1 ES stplmt 5010", 2, "buy: stplmt needs a stop and a "
	    "limit price");
	bad(fx, "buy 1 ES stplmt 5010 x", 2, "buy: bad price 'x' for ES");
	bad(fx, "buy 1 ES lmt 4990 day gtc", 2, "buy: unexpected word 'gtc'");
	bad(fx, "buy 1 ES lmt 4990 stop 8 day", 2,
	    "buy: unexpected word 'day'");
	bad(fx, "buy 1 ES stplmt 5010 5009", 1, "buy: refused: buy "
	    "stop-limit's limit 5009.00 is below its stop 5010.00");
	bad(fx, "sell 1 ES stplmt 4990 4991", 1, "sell: refused: sell "
	    "stop-limit's limit 4991.00 is above its stop 4990.00");
	assert_int_equal(live(fx), 4);

	/* Through the stop and the limit: it waits at its limit, then fills. */
	bar(fx, P(5007));
	assert_int_equal(position(fx), 1);	/* the market order */
	ok(fx, "orders", "4 buy 2 ES stplmt 5005.00 limit 5006.00 DAY "
	    "working entry manual");
	bar(fx, P(5006));
	assert_int_equal(position(fx), 3);
}

/* move: a price, a stop-limit's limit, a quantity, alone or together. */
static void
test_desk_move_qty_and_limit(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "buy 2 ES lmt 4990", "order 1:");
	run(fx, "move 1 qty 3");
	assert_string_equal(fx->rep.text, "changing order 1 to qty 3");
	assert_int_equal(order_mgr_live_at(engine_orders(fx->e), 0)->qty, 3);
	run(fx, "move 1 4991 qty 1");
	assert_string_equal(fx->rep.text, "moving order 1 to 4991.00 qty 1");
	assert_int_equal(order_mgr_live_at(engine_orders(fx->e), 0)->qty, 1);
	assert_int_equal(order_mgr_live_at(engine_orders(fx->e), 0)->price,
	    P(4991));
	bad(fx, "move 1 limit 4995", 1, "move: order 1 is a lmt order: only a "
	    "stop-limit has a limit price");
	bad(fx, "move 1 qty", 2, "move: qty needs a quantity");
	bad(fx, "move 1 limit", 2, "move: limit needs a price");
	bad(fx, "move 1 qty 0", 2, "move: bad quantity '0': a whole number of "
	    "contracts from 1 to 100000");
	bad(fx, "move 1 qty 2 qty 3", 2, "move: qty given twice");
	bad(fx, "move 1 4990 4991", 2, "move: unexpected word '4991'");
	bad(fx, "move 1 size 2", 2, "move: bad price 'size' for ES");

	ok(fx, "buy 1 ES stplmt 5005 5006 gtc", "order 2:");
	run(fx, "move 2 5007 limit 5008");
	assert_string_equal(fx->rep.text, "moving order 2 to 5007.00 limit "
	    "5008.00");
	run(fx, "move 2 limit 5009");
	assert_string_equal(fx->rep.text, "moving order 2 to limit 5009.00");
	bad(fx, "move 2 limit 5006", 1, "move: buy stop-limit's limit 5006.00 "
	    "is below its stop 5007.00");
	bad(fx, "move 2 4999", 1, "move: refused: buy stop 4999.00 is not "
	    "above the market 5000.00");
	ok(fx, "orders", "2 buy 1 ES stplmt 5007.00 limit 5009.00 GTC working "
	    "entry manual");

	/* A bracket leg's quantity follows its entry. */
	ok(fx, "buy 1 ES stop 8", "order 3:");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 1);
	ok(fx, "orders", "4 sell 1 ES stp 4998.00 GTC working stop of 3 oco "
	    "3 manual");
	bad(fx, "move 4 qty 2", 1, "move: order 4: a bracket leg's quantity "
	    "follows its entry");
	bad(fx, "move 4 limit 4997", 1, "move: order 4 is a stp order: only a "
	    "stop-limit has a limit price");
	run(fx, "move 4 4998.50");
	assert_string_equal(fx->rep.text, "moving order 4 to 4998.50");
}

static void
test_desk_cancel_warns_about_naked_position(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "buy 1 ES stop 8 target 16", "bracket stop 8 target 16");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 1);
	assert_int_equal(live(fx), 2);		/* stop and target */
	ok(fx, "cancel all --confirmed", "cancelling 2 orders");
	assert_non_null(strstr(fx->rep.text, "warning: ES position +1 has "
	    "no stop covering it"));
}

/* A manual entry of qty ES at market with a stop and two targets. */
static void
scale_out(struct fx *fx, int64_t qty)
{
	struct manual_order	 m = {
		.inst = ES,
		.side = TD_BUY,
		.type = ORD_MARKET,
		.qty = qty,
		.br = { .stop_ticks = 8, .ntargets = 2,
		    .target_ticks = { 8, 16 }, .target_qty = { 1, 1 } },
	};
	struct errmsg		 err;
	uint64_t		 id;

	if (engine_manual_order(fx->e, &m, &id, &err) == -1)
		fail_msg("%s", err.msg);
}

/*
 * orders says what each order is for: the legs name their entry and
 * their OCO group, every order its time in force; positions says how
 * the position is covered.
 */
static void
test_desk_orders_and_positions_show_protection(void **state)
{
	struct fx		*fx = *state;
	struct manual_order	 day = {
		.inst = ES,
		.side = TD_BUY,
		.type = ORD_LIMIT,
		.qty = 1,
		.price = P(4989),
		.tif = TIF_DAY,
	};
	struct errmsg		 err;
	uint64_t		 id;

	bar(fx, P(5000));
	scale_out(fx, 2);
	bar(fx, P(5000));
	assert_int_equal(position(fx), 2);
	ok(fx, "orders", "");
	assert_string_equal(fx->rep.text,
	    "2 sell 1 ES stp 4998.00 GTC working stop of 1 oco 1 manual\n"
	    "3 sell 1 ES lmt 5002.00 GTC working target of 1 oco 1 manual\n"
	    "4 sell 1 ES stp 4998.00 GTC working stop of 1 oco 4 manual\n"
	    "5 sell 1 ES lmt 5004.00 GTC working target of 1 oco 4 manual");
	ok(fx, "positions", "");
	assert_string_equal(fx->rep.text,
	    "ES     +2 @ 5000.00 stops 2/2 targets 1+1, last 5000.00, "
	    "unrealized 0.00, realized 0.00\n"
	    "day P&L -1.24, week P&L -1.24");

	ok(fx, "buy 1 ES lmt 4990", ": buy 1 ES lmt 4990.00");
	assert_int_equal(engine_manual_order(fx->e, &day, &id, &err), 0);
	assert_int_equal(id, 7);
	ok(fx, "orders", "");
	assert_non_null(strstr(fx->rep.text, "\n"
	    "6 buy 1 ES lmt 4990.00 DAY working entry manual\n"
	    "7 buy 1 ES lmt 4989.00 DAY working entry manual"));

	/* The first target fills: its stop goes with it (OCO). */
	bar_ohlc(fx, P(5000), P(5002.25), P(5000), P(5002));
	assert_int_equal(position(fx), 1);
	ok(fx, "positions", "");
	assert_string_equal(fx->rep.text,
	    "ES     +1 @ 5000.00 stops 1/1 targets 1, last 5002.00, "
	    "unrealized 100.00, realized 100.00\n"
	    "day P&L 198.14, week P&L 198.14");
}

/*
 * More working orders than a reply holds (100, more than the old 64 a
 * snapshot held): `orders` lists the oldest that fit and says how many
 * more there are, so that together they make all of them; status counts
 * them all.
 */
static void
test_desk_orders_says_how_many_more(void **state)
{
	struct fx		*fx = *state;
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_LIMIT, .qty = 1,
				    .price = P(4000) };
	struct errmsg		 err;
	const char		*tail;
	int			 lines = 0, more = 0;

	bar(fx, P(5000));
	for (int i = 0; i < 100; i++)
		assert_int_equal(engine_manual_order(fx->e, &m, NULL, &err),
		    0);
	ok(fx, "orders", "1 buy 1 ES lmt 4000.00 GTC working entry manual\n"
	    "2 buy 1 ES lmt 4000.00 GTC working entry manual\n");
	for (const char *p = fx->rep.text; *p != '\0'; p++)
		lines += *p == '\n';
	assert_non_null(tail = strrchr(fx->rep.text, '\n'));
	assert_int_equal(sscanf(tail, "\n... and %d more working orders",
	    &more), 1);
	assert_true(lines > 40);
	assert_int_equal(lines + more, 100);
	assert_true(strlen(fx->rep.text) < sizeof fx->rep.text);
	ok(fx, "status", "positions 0, working orders 100,");
	ok(fx, "cancel all", "");
	ok(fx, "orders", "no working orders");
}

/* The newest blotter row of order id, a fill or not, or NULL. */
static const struct snap_blot *
blot_of(const struct snapshot *s, uint64_t id, bool fill)
{
	for (int i = 0; i < s->nblot; i++) {
		if (s->blot[i].id == id && s->blot[i].fill == fill)
			return &s->blot[i];
	}
	return NULL;
}

/*
 * The snapshot carries what the panes show of protection: each order's
 * role, entry, OCO group, time in force and a stop-limit's limit, in the
 * working orders and in the blotter; each position's stops, market exits
 * and targets as the order manager counts them, and as text.
 */
static void
test_desk_snapshot_protection(void **state)
{
	struct fx		*fx = *state;
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct manual_order	 sl = {
		.inst = ES,
		.side = TD_BUY,
		.type = ORD_STOP_LIMIT,
		.qty = 1,
		.price = P(5010),
		.limit = P(5011),
		.tif = TIF_DAY,
	};
	const struct snap_blot	*b;
	struct errmsg		 err;
	uint64_t		 id;

	assert_non_null(s);
	bar(fx, P(5000));
	fixture_snapshot(fx->e, s);
	assert_int_equal(s->inst[0].stop_cover, 0);
	assert_string_equal(s->inst[0].protect, "");
	scale_out(fx, 3);
	bar(fx, P(5000));
	fixture_snapshot(fx->e, s);
	assert_int_equal(s->norders, 4);
	assert_int_equal(s->orders[0].id, 2);
	assert_string_equal(s->orders[0].role, "stop");
	assert_string_equal(s->orders[0].type, "stp");
	assert_string_equal(s->orders[0].tif, "GTC");
	assert_int_equal(s->orders[0].parent, 1);
	assert_int_equal(s->orders[0].oco, 1);
	assert_int_equal(s->orders[0].qty, 2);	/* the rest goes first */
	assert_string_equal(s->orders[0].limit, "");
	assert_string_equal(s->orders[1].role, "target");
	assert_int_equal(s->orders[1].oco, 1);
	assert_string_equal(s->orders[2].role, "stop");
	assert_int_equal(s->orders[2].parent, 1);
	assert_int_equal(s->orders[2].oco, 4);
	assert_int_equal(s->orders[3].oco, 4);
	assert_int_equal(s->inst[0].position, 3);
	assert_int_equal(s->inst[0].stop_cover, 3);
	assert_int_equal(s->inst[0].stop_qty, 3);
	assert_int_equal(s->inst[0].exit_qty, 0);
	assert_int_equal(s->inst[0].ntargets, 2);
	assert_int_equal(s->inst[0].target[0], 2);
	assert_int_equal(s->inst[0].target[1], 1);
	assert_false(s->inst[0].naked);
	assert_string_equal(s->inst[0].protect, "stops 3/3 targets 2+1");

	/* The blotter rows say the same, the entry's fill included. */
	assert_non_null(b = blot_of(s, 1, true));
	assert_string_equal(b->role, "entry");
	assert_int_equal(b->parent, 0);
	assert_int_equal(b->oco, 0);
	assert_string_equal(b->price, "5000.00");
	assert_non_null(b = blot_of(s, 5, false));
	assert_string_equal(b->role, "target");
	assert_string_equal(b->type, "lmt");
	assert_string_equal(b->tif, "GTC");
	assert_int_equal(b->parent, 1);
	assert_int_equal(b->oco, 4);
	assert_string_equal(b->price, "5004.00");

	/* A stop-limit gives both prices, and its time in force. */
	assert_int_equal(engine_manual_order(fx->e, &sl, &id, &err), 0);
	fixture_snapshot(fx->e, s);
	assert_non_null(b = blot_of(s, id, false));
	assert_string_equal(b->type, "stplmt");
	assert_string_equal(b->role, "entry");
	assert_string_equal(b->tif, "DAY");
	assert_string_equal(b->price, "5010.00");
	assert_string_equal(b->limit, "5011.00");

	/* One stop cancelled: 2 of 3 covered, the targets still listed. */
	assert_int_equal(engine_cancel(fx->e, 4, &err), 0);
	fixture_snapshot(fx->e, s);
	assert_int_equal(s->inst[0].stop_cover, 2);
	assert_int_equal(s->inst[0].stop_qty, 2);
	assert_true(s->inst[0].naked);
	assert_string_equal(s->inst[0].protect, "stops cover 2 of 3 targets "
	    "2+1 NOT PROTECTED");

	/* Flatten: the market exit covers it until it fills. */
	engine_flatten(fx->e, td_inst_only(ES), "test");
	fixture_snapshot(fx->e, s);
	assert_int_equal(s->inst[0].position, 3);
	assert_int_equal(s->inst[0].exit_qty, 3);
	assert_int_equal(s->inst[0].stop_qty, 0);
	assert_int_equal(s->inst[0].stop_cover, 3);
	assert_false(s->inst[0].naked);
	assert_string_equal(s->inst[0].protect, "stops 0/3 closing 3");
	bar(fx, P(5000));
	fixture_snapshot(fx->e, s);
	assert_int_equal(s->inst[0].position, 0);
	assert_int_equal(s->inst[0].stop_cover, 0);
	assert_int_equal(s->inst[0].ntargets, 0);
	assert_false(s->inst[0].naked);
	assert_string_equal(s->inst[0].protect, "");
	snapshot_free(s);
}

/*
 * Cancelling the stop of an open position asks first; confirmed, it
 * goes and the position shows NOT PROTECTED.  A target, an entry and a
 * stop order that is an entry go without a question.
 */
static void
test_desk_cancel_protective_stop_asks(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "buy 1 ES stp 5020", ": buy 1 ES stp 5020.00");
	/* A stop order that opens protects nothing. */
	ok(fx, "cancel 1", "");
	assert_string_equal(fx->rep.text, "cancelling order 1");
	bar(fx, P(5000));
	ok(fx, "buy 2 ES stop 8 target 16", "bracket stop 8 target 16");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 2);
	assert_int_equal(live(fx), 2);		/* stop 3, target 4 */

	run(fx, "cancel 3");
	assert_int_equal(fx->rep.status, 2);
	assert_true(fx->rep.confirm);
	assert_string_equal(fx->rep.text, "order 3 is the stop protecting ES "
	    "+2: cancel it? [y/N]");
	bar(fx, P(5000));
	assert_int_equal(live(fx), 2);
	assert_true(order_mgr_protected(engine_orders(fx->e), ES, 2));
	bad(fx, "cancel 3 now", 2, "cancel: unexpected word 'now'");

	ok(fx, "cancel 3 --confirmed", "");
	assert_string_equal(fx->rep.text, "cancelling order 3, the stop "
	    "protecting ES +2\n"
	    "warning: ES position +2 has no stop covering it (flatten "
	    "closes it)");
	bar(fx, P(5000));
	assert_int_equal(live(fx), 1);
	ok(fx, "positions", "");
	assert_string_equal(fx->rep.text,
	    "ES     +2 @ 5000.00 stops cover 0 of 2 targets 2 NOT PROTECTED, "
	    "last 5000.00, unrealized 0.00, realized 0.00\n"
	    "day P&L -1.24, week P&L -1.24");
	ok(fx, "orders", "");
	assert_string_equal(fx->rep.text,
	    "4 sell 2 ES lmt 5004.00 GTC working target of 2 oco 2 manual");

	/* A target protects nothing: no question. */
	ok(fx, "cancel 4", "");
	assert_string_equal(fx->rep.text, "cancelling order 4\n"
	    "warning: ES position +2 has no stop covering it (flatten "
	    "closes it)");
}

/*
 * cancel all asks once while a position is open (naming the stops it
 * would take), and goes at once when everything is flat.
 */
static void
test_desk_cancel_all_asks_with_position_open(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "cancel all", "no working orders");
	ok(fx, "buy 1 ES lmt 4990", "lmt 4990.00");
	ok(fx, "buy 1 ES stp 5020", "stp 5020.00");
	ok(fx, "cancel all", "");
	assert_string_equal(fx->rep.text, "cancelling 2 orders");
	bar(fx, P(5000));
	assert_int_equal(live(fx), 0);

	ok(fx, "buy 1 ES stop 8 target 16", "bracket stop 8 target 16");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 1);
	ok(fx, "buy 1 ES lmt 4990", "lmt 4990.00");
	assert_int_equal(live(fx), 3);
	run(fx, "cancel all");
	assert_int_equal(fx->rep.status, 2);
	assert_true(fx->rep.confirm);
	assert_string_equal(fx->rep.text, "cancel all 3 working orders, the "
	    "stops protecting ES +1 among them? [y/N]");
	bar(fx, P(5000));
	assert_int_equal(live(fx), 3);
	ok(fx, "cancel all --confirmed", "");
	assert_string_equal(fx->rep.text, "cancelling 3 orders\n"
	    "warning: ES position +1 has no stop covering it (flatten "
	    "closes it)");
	bar(fx, P(5000));
	assert_int_equal(live(fx), 0);

	/* Open but with no stop left: it still asks, once. */
	ok(fx, "buy 1 ES lmt 4990", "lmt 4990.00");
	run(fx, "cancel all");
	assert_true(fx->rep.confirm);
	assert_string_equal(fx->rep.text, "cancel all 1 working order with ES "
	    "+1 open? [y/N]");
	assert_int_equal(live(fx), 1);
}

static void
test_desk_flatten_leaves_flat(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "flatten", "all: flat, no working orders");
	ok(fx, "buy 2 ES stop 8", "buy 2 ES mkt");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 2);
	bad(fx, "flatten NQ", 2, "flatten: unknown symbol 'NQ' (ES)");
	bad(fx, "flatten ES now", 2, "flatten: unexpected word 'now'");
	ok(fx, "flatten ES", "flattening ES: 1 order cancelled, closing at "
	    "market ES +2");
	bar(fx, P(5001));
	assert_int_equal(position(fx), 0);
	assert_int_equal(live(fx), 0);
	ok(fx, "flatten all", "all: flat, no working orders");
	ok(fx, "positions", "ES     flat");
}

/* Before any market data the state has no time, but who and why. */
static void
test_desk_status_halted_before_data(void **state)
{
	struct fx	*fx = *state;

	ok(fx, "halt", "HALTED: no new entries");
	ok(fx, "status", "state HALTED by tester: halt command\n");
}

static void
test_desk_halt_refuses_buy_not_flatten(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "buy 1 ES", "buy 1 ES mkt");
	bar(fx, P(5000));
	ok(fx, "halt", "HALTED: no new entries");
	assert_int_equal(engine_state(fx->e), TS_HALTED);
	ok(fx, "halt", "already HALTED");
	bad(fx, "halt now", 2, "halt: unexpected word 'now'");
	run(fx, "buy 1 ES mkt");
	assert_int_equal(fx->rep.status, 1);
	assert_string_equal(fx->rep.text, "buy: refused: trading is HALTED "
	    "(flatten, cancel and move still work; resume to trade)");
	run(fx, "sell 1 ES mkt");
	assert_int_equal(fx->rep.status, 1);
	assert_int_equal(live(fx), 0);
	ok(fx, "status", "state HALTED since 2024-03-04 09:32:00 by tester: "
	    "halt command");
	ok(fx, "flatten", "closing at market ES +1");
	bar(fx, P(5000));
	assert_int_equal(position(fx), 0);
	/* A halt by hand resumes without a question. */
	ok(fx, "resume", "ACTIVE: trading resumed (was HALTED)");
	assert_int_equal(engine_state(fx->e), TS_ACTIVE);
	ok(fx, "resume", "already ACTIVE");
	ok(fx, "buy 1 ES", "buy 1 ES mkt");
}

static void
test_desk_kill_asks_and_kill_bang_does_not(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "buy 1 ES stop 8", "buy 1 ES mkt");
	bar(fx, P(5000));
	ok(fx, "buy 1 ES lmt 4990", "lmt 4990.00");
	run(fx, "kill");
	assert_true(fx->rep.confirm);
	assert_int_equal(fx->rep.status, 2);
	assert_string_equal(fx->rep.text, "kill: cancel every order, flatten "
	    "every position and stop every strategy? [y/N]");
	assert_int_equal(engine_state(fx->e), TS_ACTIVE);
	assert_int_equal(live(fx), 2);
	bad(fx, "kill now", 2, "kill: unexpected word 'now'");

	ok(fx, "kill!", "KILLED: 2 orders cancelled, 1 position closing at "
	    "market, strategies stopped");
	assert_int_equal(engine_state(fx->e), TS_KILLED);
	bar(fx, P(5000));
	assert_int_equal(live(fx), 0);
	assert_int_equal(position(fx), 0);
	ok(fx, "halt", "already KILLED");
	bad(fx, "buy 1 ES", 1, "buy: refused: trading is KILLED (flatten, "
	    "cancel and move still work; resume to trade)");

	/* resume after a kill asks; the confirmed line resumes. */
	run(fx, "resume");
	assert_true(fx->rep.confirm);
	assert_int_equal(fx->rep.status, 2);
	assert_string_equal(fx->rep.text, "resume trading after KILLED by "
	    "tester (kill switch)? [y/N]");
	assert_int_equal(engine_state(fx->e), TS_KILLED);
	ok(fx, "resume --confirmed", "ACTIVE: trading resumed (was KILLED)");
	assert_non_null(strstr(fx->rep.text, "strategy enable NAME"));
	assert_int_equal(engine_state(fx->e), TS_ACTIVE);
}

static void
test_desk_kill_confirmed(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "kill --confirmed", "KILLED: 0 orders cancelled");
	assert_int_equal(engine_state(fx->e), TS_KILLED);
}

static void
test_desk_resume_after_breach_asks(void **state)
{
	struct fx	*fx = fx_new(100);	/* halt at a $1.00 loss */

	bar(fx, P(5000));
	ok(fx, "buy 1 ES", "buy 1 ES mkt");
	bar(fx, P(5000));
	bar(fx, P(4999));
	assert_int_equal(engine_state(fx->e), TS_HALTED);
	run(fx, "resume");
	assert_true(fx->rep.confirm);
	assert_non_null(strstr(fx->rep.text, "resume trading after HALTED by "
	    "engine ("));
	assert_int_equal(engine_state(fx->e), TS_HALTED);
	ok(fx, "resume --confirmed", "ACTIVE");
	assert_int_equal(engine_state(fx->e), TS_ACTIVE);
	*state = fx;
	teardown(state);
}

static void
test_desk_strategy(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "strategy list", "orb (orb on ES) running, position +0, day "
	    "P&L 0.00; opening_range_minutes=30");
	bad(fx, "strategy", 2, "usage: strategy list | enable NAME | disable "
	    "NAME | set NAME PARAM VALUE");
	bad(fx, "strategy frob", 2, "usage: strategy list | enable NAME | "
	    "disable NAME | set NAME PARAM VALUE");
	bad(fx, "strategy list all", 2, "strategy: unexpected word 'all'");
	bad(fx, "strategy enable", 2, "usage: strategy list | enable NAME | "
	    "disable NAME | set NAME PARAM VALUE");
	bad(fx, "strategy enable foo", 2, "strategy: unknown strategy 'foo' "
	    "(orb)");
	bad(fx, "strategy disable orb now", 2,
	    "strategy: unexpected word 'now'");
	bad(fx, "strategy set orb frob 1", 2, "strategy: orb has no "
	    "parameter 'frob' (opening_range_minutes, stop_ticks, "
	    "target_ticks, flatten_before_close, contracts)");
	bad(fx, "strategy set orb stop_ticks abc", 2, "strategy: bad value of "
	    "stop_ticks 'abc': a whole number from 1 to 10000");
	bad(fx, "strategy set orb stop_ticks 1 2", 2,
	    "strategy: unexpected word '2'");
	run(fx, "strategy set orb stop_ticks 10");
	assert_int_equal(fx->rep.status, 1);
	assert_string_equal(fx->rep.text, "strategy: strategy orb is running: "
	    "disable it first");
	ok(fx, "strategy disable orb", "strategy orb disabled");
	ok(fx, "strategy list", "orb (orb on ES) disabled");
	ok(fx, "strategy set orb stop_ticks 10", "strategy orb: stop_ticks = "
	    "10");
	assert_int_equal(engine_strategy_cfg(fx->e, td_strat_at(0))->params[1],
	    10);
	ok(fx, "strategy enable orb", "strategy orb enabled");
	ok(fx, "strategy list", "stop_ticks=10");
}

/* Parameters of every type, set by their type (minimal has one of each). */
static void
test_desk_strategy_typed(void **state)
{
	struct fx		*fx = *state;
	struct engine_config	 cfg;
	struct strategy_cfg	*sc = &cfg.strat[0];
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.nstrat = 1;
	memset(sc, 0, sizeof *sc);
	strcpy(sc->name, "hb");
	strcpy(sc->type, "minimal");
	strcpy(sc->symbol, "ES");
	strat_param_defaults(strat_registry_find(strat_registry_builtin(),
	    "minimal"), sc->params, sc->param_text);
	engine_free(fx->e);
	if ((fx->e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	bar(fx, P(5000));
	bad(fx, "strategy set hb volume maybe", 2, "strategy: bad value of "
	    "volume 'maybe': true or false");
	bad(fx, "strategy set hb field middle", 2, "strategy: bad value of "
	    "field 'middle': one of close|open|high|low");
	bad(fx, "strategy set hb min_move 0.125", 2, "strategy: bad value of "
	    "min_move '0.125': a number from 0.00 to 100.00 with at most 2 "
	    "decimals");
	bad(fx, "strategy set hb label a-label-longer-than-allowed", 2,
	    "strategy: bad value of label 'a-label-longer-than-allowed': 0 to "
	    "24 characters");
	ok(fx, "strategy set hb min_move 0.5", "strategy hb: min_move = 0.50 "
	    "percent");
	ok(fx, "strategy set hb field high", "strategy hb: field = high");
	ok(fx, "strategy set hb volume false", "strategy hb: volume = false");
	ok(fx, "strategy set hb label beat", "strategy hb: label = beat");
	ok(fx, "strategy list", "every=60 fail_after=0 field=high "
	    "volume=false label=\"beat\" min_move=0.50");
	assert_string_equal(engine_strategy_cfg(fx->e,
	    td_strat_at(0))->param_text[0], "beat");
	assert_int_equal(engine_strategy_cfg(fx->e, td_strat_at(0))->params[5],
	    50);
}

/*
 * A strategy the engine disabled is listed with the reason; enabled, it
 * is a new instance.
 */
static void
test_desk_strategy_errored(void **state)
{
	struct fx		*fx = *state;
	struct engine_config	 cfg;
	struct strategy_cfg	*sc = &cfg.strat[0];
	const struct strategy_ops *min = strat_registry_find(
				    strat_registry_builtin(), "minimal");
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.nstrat = 1;
	memset(sc, 0, sizeof *sc);
	strcpy(sc->name, "hb");
	strcpy(sc->type, "minimal");
	strcpy(sc->symbol, "ES");
	sc->enabled = true;
	strat_param_defaults(min, sc->params, sc->param_text);
	sc->params[strat_param_index(min, "fail_after")] = 2;
	engine_free(fx->e);
	if ((fx->e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	bar(fx, P(5000));
	bar(fx, P(5000));
	ok(fx, "strategy list", "hb (minimal on ES) errored, position +0");
	ok(fx, "strategy list", "\n  disabled by the engine: on_bar failed: "
	    "fail_after 2: failing on purpose at bar 2 (a diagnostic) "
	    "(strategy enable hb starts a new instance)");
	ok(fx, "strategy disable hb", "strategy hb disabled");
	ok(fx, "strategy list", "hb (minimal on ES) errored");
	ok(fx, "strategy enable hb", "strategy hb enabled: a new instance, "
	    "started afresh");
	ok(fx, "strategy list", "hb (minimal on ES) running");
}

static void
test_desk_risk(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	ok(fx, "risk show", "daily_loss          off, used 0.00");
	assert_non_null(strstr(fx->rep.text, "max_contracts       off, used 0"));
	assert_non_null(strstr(fx->rep.text, "flatten_on_breach   yes"));
	bad(fx, "risk", 2, "usage: risk show | set LIMIT VALUE");
	bad(fx, "risk show all", 2, "risk: unexpected word 'all'");
	bad(fx, "risk set daily_loss", 2, "usage: risk show | set LIMIT VALUE");
	bad(fx, "risk set frob 1", 2, "risk: unknown limit 'frob' (daily_loss, "
	    "trailing_loss, weekly_loss, max_trade_risk, max_positions, "
	    "max_contracts, throttle_orders, throttle_seconds, "
	    "price_collar_ticks, stale_feed_seconds)");
	bad(fx, "risk set daily_loss 5.001", 2, "risk: daily_loss: '5.001' is "
	    "not an amount in dollars with at most 2 decimals (500.00), or "
	    "off");
	bad(fx, "risk set daily_loss -5", 2, "risk: daily_loss: -5.00 is out "
	    "of range 0.00..1000000000.00");
	bad(fx, "risk set max_contracts 1.5", 2, "risk: max_contracts: '1.5' "
	    "is not a whole number of contracts, or off");
	bad(fx, "risk set max_contracts 100001", 2, "risk: max_contracts: "
	    "100001 is out of range 0..100000");
	bad(fx, "risk set trading_hours 08:00-16:00", 1, "risk: trading_hours "
	    "cannot change while the session runs (restart to apply)");

	/* Tightening applies at once. */
	ok(fx, "risk set daily_loss 500", "daily_loss 500.00 (was off)");
	assert_int_equal(engine_risk_cfg(fx->e)->daily_loss, 50000);
	ok(fx, "risk set max_contracts 3", "max_contracts 3 (was off)");
	assert_int_equal(engine_risk_cfg(fx->e)->max_contracts, 3);

	/* Loosening with a position open asks, and changes nothing. */
	ok(fx, "buy 1 ES", "buy 1 ES mkt");
	bar(fx, P(5000));
	run(fx, "risk set daily_loss 1000.00");
	assert_true(fx->rep.confirm);
	assert_int_equal(fx->rep.status, 2);
	assert_string_equal(fx->rep.text, "loosen daily_loss from 500.00 to "
	    "1,000.00 with positions open? [y/N]");
	assert_int_equal(engine_risk_cfg(fx->e)->daily_loss, 50000);
	ok(fx, "risk set daily_loss 1000.00 --confirmed",
	    "daily_loss 1,000.00 (was 500.00)");
	assert_int_equal(engine_risk_cfg(fx->e)->daily_loss, 100000);
	run(fx, "risk set daily_loss off");
	assert_true(fx->rep.confirm);
	ok(fx, "risk set max_contracts 2", "max_contracts 2 (was 3)");
	/* A longer throttle window counts more orders: it tightens. */
	ok(fx, "risk set throttle_seconds 120", "throttle_seconds 120 s (was "
	    "off)");
	ok(fx, "risk set throttle_seconds 300", "throttle_seconds 300 s (was "
	    "120 s)");
	run(fx, "risk set throttle_seconds 60");
	assert_true(fx->rep.confirm);
	assert_string_equal(fx->rep.text, "loosen throttle_seconds from 300 s "
	    "to 60 s with positions open? [y/N]");
	assert_int_equal(engine_risk_cfg(fx->e)->throttle_window,
	    300 * TD_NS_PER_SEC);
}

#define REPLAY_USAGE	"pause | resume | speed X | step [bar | N] | goto " \
			"DATE [TIME]"

static void
test_desk_replay_and_log_without_runner(void **state)
{
	struct fx	*fx = *state;

	bad(fx, "replay pause", 1, "replay: no replay in this session");
	bad(fx, "replay step", 1, "replay: no replay in this session");
	bad(fx, "replay", 2, "usage: replay " REPLAY_USAGE);
	bad(fx, "replay fast", 2, "usage: replay " REPLAY_USAGE);
	bad(fx, "replay speed", 2, "usage: replay " REPLAY_USAGE);
	bad(fx, "replay goto", 2, "usage: replay " REPLAY_USAGE);
	bad(fx, "replay pause now", 2, "replay: unexpected word 'now'");
	bad(fx, "replay step 2 bars", 2, "replay: unexpected word 'bars'");
	bad(fx, "replay goto 2024-01-02 10:00 x", 2, "replay: unexpected word "
	    "'x'");
	bad(fx, "replay goto 2024-01-02", 1, "replay: no replay in this "
	    "session");
	bad(fx, "log level debug", 1, "log: no log stream in this session");
	bad(fx, "log level loud", 2, "log: unknown level 'loud' (debug, info, "
	    "warning, error, critical)");
	bad(fx, "log", 2, "usage: log level LEVEL");
	bad(fx, "log level info more", 2, "log: unexpected word 'more'");
}

static void
test_desk_quit(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	bad(fx, "quit now", 2, "usage: quit [--flatten | --leave]");
	bad(fx, "quit --flatten --leave", 2, "quit: unexpected word '--leave'");
	run(fx, "quit");
	assert_int_equal(fx->rep.status, 0);
	assert_true(fx->rep.quit);
	assert_false(desk_take_quit_when_flat(fx->d));

	ok(fx, "buy 1 ES", "buy 1 ES mkt");
	bar(fx, P(5000));
	bad(fx, "quit", 1, "quit: refused: 1 position and 0 working orders "
	    "open; quit --flatten closes them first, quit --leave leaves "
	    "them");
	run(fx, "quit --leave");
	assert_int_equal(fx->rep.status, 0);
	assert_true(fx->rep.quit);
	assert_string_equal(fx->rep.text, "quitting: leaving 1 position and 0 "
	    "working orders");

	run(fx, "quit --flatten");
	assert_int_equal(fx->rep.status, 0);
	assert_false(fx->rep.quit);
	assert_string_equal(fx->rep.text, "quitting once flat: HALTED, 0 "
	    "orders cancelled, 1 position closing at market");
	assert_int_equal(engine_state(fx->e), TS_HALTED);
	assert_true(desk_take_quit_when_flat(fx->d));
	assert_false(desk_take_quit_when_flat(fx->d));
	bar(fx, P(5000));
	assert_int_equal(position(fx), 0);
	run(fx, "quit");
	assert_true(fx->rep.quit);
}

static void
test_desk_help_status(void **state)
{
	struct fx	*fx = *state;

	ok(fx, "help", "status    trading state, mode, exchange time and P&L");
	for (const struct desk_entry *const *t = desk_table(); *t != NULL;
	    t++)
		assert_non_null(strstr(fx->rep.text, (*t)->name));
	ok(fx, "help buy", "usage: buy QTY SYMBOL [mkt | lmt PRICE | stp "
	    "PRICE | stplmt STOP LIMIT] [day | gtc | ioc] [stop TICKS] "
	    "[target TICKS] [atm NAME]");
	assert_non_null(strstr(fx->rep.text, "refused while halted or "
	    "killed; written to the journal; typed in full"));
	ok(fx, "help kill!", "usage: kill!");
	ok(fx, "help pos", "usage: positions");
	bad(fx, "help nothing", 2, "help: unknown command 'nothing' (help "
	    "lists the commands)");
	bad(fx, "help a b", 2, "help: unexpected word 'b'");
	ok(fx, "status", "state ACTIVE");
	assert_non_null(strstr(fx->rep.text, "mode paper, venue sim up"));
	assert_non_null(strstr(fx->rep.text, "no data yet"));
	bad(fx, "status now", 2, "status: unexpected word 'now'");
	bar(fx, P(5000));
	ok(fx, "st", "2024-03-04 09:31:00 America/New_York");
	ok(fx, "status --confirmed", "state ACTIVE");
	ok(fx, "orders", "no working orders");
	ok(fx, "pos", "ES     flat, last 5000.00, realized 0.00");
}

/* Trading commands are journalled before they run; reads are not. */
static void
test_desk_audit(void **state)
{
	struct fx	*fx = *state;

	bar(fx, P(5000));
	fx->log[0] = '\0';
	ok(fx, "status", "state");
	ok(fx, "help", "buy");
	assert_null(strstr(fx->log, "command: "));
	ok(fx, "buy 1 ES mkt", "buy 1 ES mkt");
	assert_non_null(strstr(fx->log, "command: buy 1 ES mkt\n"));
	ok(fx, "halt", "HALTED");
	assert_non_null(strstr(fx->log, "command: halt\n"));
}

/* ---------------------------------------------------------------- runner */

static void
wait_reply(struct runner *r, uint64_t id, struct runner_reply *rep)
{
	struct pollfd	 pfd = { .fd = runner_fd(r), .events = POLLIN };

	for (int i = 0; i < 1000; i++) {
		runner_ack(r);
		while (runner_reply(r, rep) == 1) {
			if (rep->id == id)
				return;
		}
		poll(&pfd, 1, 10);
	}
	fail_msg("no reply to command %llu", (unsigned long long)id);
}

static const char *
submit(struct runner *r, uint64_t id, const char *line,
    struct runner_reply *rep)
{
	assert_int_equal(runner_submit(r, id, line), 0);
	wait_reply(r, id, rep);
	return rep->text;
}

static void
test_desk_replay_with_runner(void **state)
{
	struct demo_cfg		 dc = { .seed = 3, .days = 1 };
	struct runner_cfg	 rc = {
		.speed = 1,
		.paused = true,
		.mode = SNAP_PAPER,
		.exec = desk_exec,
		.log_level = LOG_INFO,
	};
	struct desk		*d = desk_create("tester", SNAP_PAPER, NULL);
	struct feed		*f = feed_demo_create(&dc, NULL);
	struct runner_reply	 rep;
	struct snapshot		*snap = snapshot_create(NULL, NULL);
	struct runner		*r;

	(void)state;
	assert_non_null(f);
	assert_non_null(snap);
	rc.exec_arg = d;
	r = runner_create(&rc, fixture_orb_engine(false, 0), f, NULL);
	assert_non_null(r);
	assert_int_equal(runner_start(r, NULL), 0);

	assert_string_equal(submit(r, 1, "replay speed 60", &rep),
	    "replay speed 60x (paused)");
	assert_true(runner_speed(r) == 60);
	assert_string_equal(submit(r, 2, "replay speed max", &rep),
	    "replay speed max (paused)");
	assert_true(runner_speed(r) == 0);
	assert_string_equal(submit(r, 3, "replay speed 0.5", &rep),
	    "replay speed 0.5x (paused)");
	submit(r, 4, "replay speed 0", &rep);
	assert_int_equal(rep.status, 2);
	assert_string_equal(rep.text, "replay: bad speed '0': a number above "
	    "0 up to 100000 (1 is real time), or max");
	submit(r, 5, "replay speed fast", &rep);
	assert_int_equal(rep.status, 2);
	assert_string_equal(submit(r, 6, "replay step", &rep),
	    "replay: one more event");
	/* The step comes after the reply: wait for it. */
	for (int i = 0; i < 200 && snap->events != 1; i++) {
		poll(NULL, 0, 5);
		runner_snapshot(r, snap);
	}
	assert_int_equal(snap->events, 1);
	submit(r, 7, "status", &rep);
	assert_int_equal(rep.status, 0);
	assert_non_null(strstr(rep.text, "speed 0.5x (paused)"));
	assert_non_null(strstr(rep.text, "events 1,"));
	assert_string_equal(submit(r, 8, "log level warning", &rep),
	    "log level warning");
	assert_string_equal(submit(r, 9, "replay resume", &rep),
	    "replay running at 0.5x");
	assert_false(runner_paused(r));
	submit(r, 10, "replay step", &rep);
	assert_int_equal(rep.status, 1);
	assert_string_equal(rep.text, "replay: step needs a paused replay "
	    "(replay pause)");
	assert_string_equal(submit(r, 11, "replay pause", &rep),
	    "replay paused");
	assert_true(runner_paused(r));
	/* Bars: one, or N; anything else is refused. */
	assert_string_equal(submit(r, 12, "replay step bar", &rep),
	    "replay: stepping 1 one-minute bar");
	assert_string_equal(submit(r, 13, "replay step 5", &rep),
	    "replay: stepping 5 one-minute bars");
	submit(r, 14, "replay step 0", &rep);
	assert_int_equal(rep.status, 2);
	assert_string_equal(rep.text, "replay: bad step (bar or a number of "
	    "bars) '0': a whole number from 1 to 100000");
	/* Bad dates and times, then a session that cannot seek. */
	submit(r, 15, "replay goto 2024-02-30", &rep);
	assert_int_equal(rep.status, 2);
	assert_string_equal(rep.text, "replay goto: bad date '2024-02-30': "
	    "YYYY-MM-DD, a day that exists");
	submit(r, 16, "replay goto 2024-1-2", &rep);
	assert_int_equal(rep.status, 2);
	submit(r, 17, "replay goto 2024-01-02 24:00", &rep);
	assert_int_equal(rep.status, 2);
	assert_string_equal(rep.text, "replay goto: bad time '24:00': HH:MM "
	    "or HH:MM:SS, 00:00 to 23:59:59");
	submit(r, 18, "replay goto 2024-01-02 10:00", &rep);
	assert_int_equal(rep.status, 1);
	assert_non_null(strstr(rep.text, "only a replay on the simulated "
	    "venue can seek"));
	runner_free(r);
	desk_free(d);
	snapshot_free(snap);
}

/* Wait until the runner's snapshot satisfies done(snap). */
static void
wait_snap(struct runner *r, struct snapshot *snap,
    bool (*done)(const struct snapshot *))
{
	for (int i = 0; i < 1000; i++) {
		runner_snapshot(r, snap);
		if (done(snap))
			return;
		poll(NULL, 0, 5);
	}
	fail_msg("the snapshot never came");
}

static bool
snap_long(const struct snapshot *s)
{
	return s->ninst > 0 && s->inst[0].position == 1 &&
	    s->inst[0].stop_qty == 1;
}

static bool
snap_priced(const struct snapshot *s)
{
	return s->events >= 1;
}

/*
 * A protective stop cancelled by hand is logged as a warning, in the
 * session's log (pane and file); a question leaves no log line.
 */
static void
test_desk_cancel_stop_logs_warning(void **state)
{
	struct demo_cfg		 dc = { .seed = 3, .days = 1 };
	struct runner_cfg	 rc = {
		.speed = 1,
		.paused = true,
		.mode = SNAP_PAPER,
		.exec = desk_exec,
		.log_level = LOG_INFO,
	};
	struct desk		*d = desk_create("tester", SNAP_PAPER, NULL);
	struct feed		*f = feed_demo_create(&dc, NULL);
	struct runner_reply	 rep;
	struct runner_log	 lg;
	struct snapshot		*snap = snapshot_create(NULL, NULL);
	struct runner		*r;
	char			 line[64], want[160];
	uint64_t		 stop = 0;
	int			 warnings = 0;

	(void)state;
	assert_non_null(f);
	assert_non_null(snap);
	rc.exec_arg = d;
	r = runner_create(&rc, fixture_orb_engine(false, 0), f, NULL);
	assert_non_null(r);
	assert_int_equal(runner_start(r, NULL), 0);
	submit(r, 1, "replay step", &rep);
	wait_snap(r, snap, snap_priced);
	submit(r, 2, "buy 1 ES mkt stop 8", &rep);
	assert_int_equal(rep.status, 0);
	submit(r, 3, "replay step", &rep);
	wait_snap(r, snap, snap_long);
	for (int i = 0; i < snap->norders; i++) {
		if (strcmp(snap->orders[i].role, "stop") == 0)
			stop = snap->orders[i].id;
	}
	assert_true(stop != 0);

	snprintf(line, sizeof line, "cancel %llu", (unsigned long long)stop);
	submit(r, 4, line, &rep);
	assert_true(rep.confirm);
	snprintf(line, sizeof line, "cancel %llu --confirmed",
	    (unsigned long long)stop);
	submit(r, 5, line, &rep);
	assert_int_equal(rep.status, 0);
	snprintf(want, sizeof want, "protective stop %llu of ES +1 cancelled "
	    "by hand: the position is not protected",
	    (unsigned long long)stop);
	/* The line is queued before the reply it belongs to. */
	while (runner_log(r, &lg) == 1) {
		if (strstr(lg.msg, "protective stop") == NULL)
			continue;
		assert_int_equal(lg.level, LOG_WARNING);
		assert_string_equal(lg.component, "orders");
		assert_string_equal(lg.msg, want);
		warnings++;
	}
	assert_int_equal(warnings, 1);
	runner_free(r);
	desk_free(d);
	snapshot_free(snap);
}

/* ------------------------------------------------------------ completion */

static int
has(const struct desk_words *w, const char *word)
{
	for (int i = 0; i < w->n; i++) {
		if (strcmp(w->word[i], word) == 0)
			return 1;
	}
	return 0;
}

static void
complete(const struct snapshot *s, const char *line, struct desk_words *w)
{
	desk_complete(s, line, strlen(line), w);
}

static void
test_desk_complete(void **state)
{
	struct fx		*fx = *state;
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct desk_words	 w;
	char			 id[32];
	int			 ncmd;

	bar(fx, P(5000));
	ok(fx, "buy 1 ES lmt 4990", "lmt");
	fixture_snapshot(fx->e, s);

	complete(s, "", &w);
	for (ncmd = 0; desk_table()[ncmd] != NULL; ncmd++)
		continue;
	assert_int_equal(w.n, ncmd);
	assert_string_equal(w.word[0], "status");
	complete(s, "b", &w);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.word[0], "buy");
	assert_string_equal(w.word[1], "breaker");
	complete(s, "breaker reset p", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "pnl_swing");
	complete(s, "kil", &w);
	assert_int_equal(w.n, 2);
	assert_true(has(&w, "kill") && has(&w, "kill!"));
	complete(s, "buy 1 ", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "ES");
	complete(s, "buy 1 ES ", &w);
	assert_int_equal(w.n, 7);
	assert_true(has(&w, "mkt") && has(&w, "lmt") && has(&w, "stp") &&
	    has(&w, "stplmt") && has(&w, "stop") && has(&w, "target") &&
	    has(&w, "atm"));
	complete(s, "buy 1 ES lmt ", &w);
	assert_int_equal(w.n, 0);
	complete(s, "buy 1 ES lmt 4990 ", &w);
	assert_int_equal(w.n, 6);
	assert_true(has(&w, "day") && has(&w, "gtc") && has(&w, "ioc") &&
	    has(&w, "stop") && has(&w, "target") && has(&w, "atm"));
	complete(s, "buy 1 ES stplmt 4990 ", &w);
	assert_int_equal(w.n, 0);
	complete(s, "buy 1 ES stplmt 4990 4991 ", &w);
	assert_int_equal(w.n, 6);
	complete(s, "buy 1 ES mkt ", &w);
	assert_int_equal(w.n, 3);
	complete(s, "buy 1 ES lmt 4990 gtc ", &w);
	assert_int_equal(w.n, 3);
	complete(s, "move 1 ", &w);
	assert_true(w.n == 2 && has(&w, "limit") && has(&w, "qty"));
	complete(s, "move 1 q", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "qty");
	complete(s, "move 1 qty ", &w);
	assert_int_equal(w.n, 0);
	complete(s, "buy 1 ES lmt 4990 s", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "stop");
	complete(s, "cancel ", &w);
	snprintf(id, sizeof id, "%llu", (unsigned long long)newest(fx));
	assert_int_equal(w.n, 2);
	assert_true(has(&w, "all") && has(&w, id));
	complete(s, "flatten ", &w);
	assert_true(has(&w, "all") && has(&w, "ES"));
	complete(s, "strategy ", &w);
	assert_int_equal(w.n, 4);
	complete(s, "strategy enable ", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "orb");
	complete(s, "strategy set orb st", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "stop_ticks");
	complete(s, "risk set daily", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "daily_loss");
	complete(s, "log level w", &w);
	assert_string_equal(w.word[0], "warning");
	complete(s, "quit --", &w);
	assert_int_equal(w.n, 2);
	complete(s, "help fl", &w);
	assert_string_equal(w.word[0], "flatten");
	complete(s, "pos ", &w);
	assert_int_equal(w.n, 0);
	complete(s, "frob ", &w);
	assert_int_equal(w.n, 0);
	/* Without a snapshot, only the table's own words. */
	complete(NULL, "buy 1 ", &w);
	assert_int_equal(w.n, 0);
	complete(NULL, "replay ", &w);
	assert_int_equal(w.n, 5);
	complete(NULL, "replay step ", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.word[0], "bar");
	snapshot_free(s);
}

/*
 * breaker: list with each breaker's count; a trip halts and refuses
 * resume until breaker reset, which does not resume by itself.
 */
static void
test_desk_breaker(void **state)
{
	struct fx		*fx = *state;
	struct engine_config	 cfg;
	struct errmsg		 err;

	engine_free(fx->e);
	snap_obs_free(fx->view);
	health_obs_free(fx->health);
	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.risk.max_contracts = 2;
	cfg.breakers.rejects = 2;
	cfg.breakers.rejects_window = 3600 * TD_NS_PER_SEC;
	cfg.breakers.pnl_swing = 200000;
	cfg.breakers.pnl_window = 3600 * TD_NS_PER_SEC;
	assert_non_null(fx->e = fixture_engine(&cfg, NULL, &err));
	fx->view = fixture_view(fx->e);
	fx->health = fixture_health(fx->e);
	engine_set_log(fx->e, fx_log, fx, LOG_INFO);
	bar(fx, P(5000));
	ok(fx, "breaker", "rejects    ok, 0 of 2 orders refused within 60 "
	    "min\nerrors     off\npnl_swing  ok, P&L swing 0.00 of 2,000.00 "
	    "within 60 min\nvenue      off");
	run(fx, "buy 5 ES");
	assert_int_equal(fx->rep.status, 1);
	ok(fx, "breaker list", "rejects    ok, 1 of 2 orders refused");
	run(fx, "buy 5 ES");
	assert_int_equal(engine_state(fx->e), TS_HALTED);
	ok(fx, "breaker list", "rejects    TRIPPED at 2024-03-04 09:31:00: 2 "
	    "orders refused within 60 min (breaker reset rejects)");
	ok(fx, "status", "state HALTED since 2024-03-04 09:31:00 by engine: "
	    "breaker rejects: 2 orders refused within 60 min");
	bad(fx, "resume --confirmed", 1, "resume: breaker rejects is tripped: "
	    "breaker reset rejects first");
	bad(fx, "breaker reset nope", 2, "breaker: no breaker 'nope' "
	    "(rejects, errors, pnl_swing, venue)");
	bad(fx, "breaker reset", 2, "usage: breaker [list | reset NAME]");
	bad(fx, "breaker reset rejects now", 2, "breaker: unexpected word "
	    "'now'");
	bad(fx, "breaker list all", 2, "breaker: unexpected word 'all'");
	bad(fx, "br list", 2, "'br' is short for breaker: commands that trade "
	    "are typed in full");
	ok(fx, "breaker reset rejects", "breaker rejects reset\ntrading is "
	    "still HALTED: resume to trade");
	assert_int_equal(engine_state(fx->e), TS_HALTED);
	ok(fx, "resume --confirmed", "ACTIVE");
	ok(fx, "breaker reset rejects", "breaker rejects was not tripped (its "
	    "count starts again)");
	assert_non_null(strstr(fx->log, "breaker: breaker rejects tripped: 2 "
	    "orders refused within 60 min; trading HALTED (breaker reset "
	    "rejects, then resume)"));
	assert_non_null(strstr(fx->log, "breaker: breaker rejects reset by "
	    "tester\n"));
	assert_non_null(strstr(fx->log, "command: breaker reset rejects"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desk_table_flags),
		cmocka_unit_test(test_desk_find_prefixes),
		cmocka_unit_test_setup_teardown(test_desk_bad_lines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_buy_refuses_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_buy_and_sell_make_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_case_blind_and_refused_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_atm_and_reverse,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_oco_pair, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desk_cancel_and_move,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_order_types_and_tif,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_move_qty_and_limit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_cancel_warns_about_naked_position, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_orders_and_positions_show_protection, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_orders_says_how_many_more, setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_snapshot_protection,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_cancel_protective_stop_asks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_cancel_all_asks_with_position_open, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desk_flatten_leaves_flat,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_status_halted_before_data, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_halt_refuses_buy_not_flatten, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_kill_asks_and_kill_bang_does_not, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desk_kill_confirmed,
		    setup, teardown),
		cmocka_unit_test(test_desk_resume_after_breach_asks),
		cmocka_unit_test_setup_teardown(test_desk_strategy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desk_strategy_typed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_strategy_errored,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_risk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_desk_replay_and_log_without_runner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_desk_quit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desk_help_status, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desk_audit, setup,
		    teardown),
		cmocka_unit_test(test_desk_replay_with_runner),
		cmocka_unit_test(test_desk_cancel_stop_logs_warning),
		cmocka_unit_test_setup_teardown(test_desk_breaker, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desk_complete, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
