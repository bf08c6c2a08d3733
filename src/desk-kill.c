/*
 * desk-kill.c -- `kill` and `kill!`: the kill switch.  Cancel every
 * order, flatten every position at market, stop every strategy, state
 * KILLED.  `kill` asks "[y/N]" as every question of the desk does (see
 * tickdesk(1): one style, Enter declines); `kill!` (for scripts and the
 * control socket) does not ask.  The engine never refuses it.
 */
#include "desk.h"
#include "engine.h"
#include "order-mgr.h"
#include "portfolio.h"

static void
desk_kill_run(struct desk_cmd *c)
{
	int	 orders = order_mgr_live_count(engine_orders(c->engine));
	int	 open = portfolio_open_positions(engine_portfolio(c->engine));

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	if (c->entry == &desk_kill_entry && !c->confirmed) {
		desk_ask(c, "kill: cancel every order, flatten every position "
		    "and stop every strategy? [y/N]");
		return;
	}
	engine_kill(c->engine, desk_who(c));
	desk_print(c, "KILLED: %d order%s cancelled, %d position%s closing at "
	    "market, strategies stopped", orders, orders == 1 ? "" : "s",
	    open, open == 1 ? "" : "s");
}

const struct desk_entry desk_kill_entry = {
	.name = "kill",
	.usage = "",
	.summary = "kill switch: cancel all, flatten all, stop strategies "
	    "(asks)",
	.flags = DESK_CONFIRM | DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_kill_run,
};

const struct desk_entry desk_kill_now_entry = {
	.name = "kill!",
	.usage = "",
	.summary = "the kill switch without the question",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_kill_run,
};
