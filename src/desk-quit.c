/*
 * desk-quit.c -- `quit [--flatten | --leave]`: end the session.
 *
 * With no position and no working order, quit ends the session at once.
 * Otherwise it refuses, unless:
 *   --leave	ends the session and leaves the positions and orders as
 *		they are (with a broker they stay at the exchange; in a
 *		paper session they end with it);
 *   --flatten	halts trading, resumes a paused replay so that the closing
 *		orders can fill, flattens everything, and asks the session
 *		to end as soon as it is flat (desk_take_quit_when_flat; the
 *		session gives up, and keeps running, when that takes too
 *		long).
 */
#include <string.h>
#include <strings.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"

static void
desk_quit_exec(struct desk_cmd *c)
{
	int		 orders = order_mgr_live_count(engine_orders(c->engine));
	int		 open = portfolio_open_positions(
			     engine_portfolio(c->engine));
	const char	*flag = c->argc > 1 ? c->argv[1] : "";
	struct errmsg	 err;

	if (c->argc > 2) {
		desk_unexpected(c, c->argv[2]);
		return;
	}
	if (c->argc == 2 && strcasecmp(flag, "--flatten") != 0 &&
	    strcasecmp(flag, "--leave") != 0) {
		desk_usage(c);
		return;
	}
	if (orders == 0 && open == 0) {
		desk_print(c, "quitting: flat, no working orders");
		c->reply->quit = true;
		return;
	}
	if (c->argc == 1) {
		desk_fail(c, 1, "quit: refused: %d position%s and %d working "
		    "order%s open; quit --flatten closes them first, quit "
		    "--leave leaves them", open, open == 1 ? "" : "s", orders,
		    orders == 1 ? "" : "s");
		return;
	}
	if (strcasecmp(flag, "--leave") == 0) {
		desk_print(c, "quitting: leaving %d position%s and %d working "
		    "order%s", open, open == 1 ? "" : "s", orders,
		    orders == 1 ? "" : "s");
		c->reply->quit = true;
		return;
	}
	if (engine_state(c->engine) == TS_ACTIVE ||
	    engine_state(c->engine) == TS_REDUCING)
		(void)engine_set_state(c->engine, TS_HALTED, desk_who(c),
		    "quit --flatten", &err);
	if (c->runner != NULL)
		runner_pause(c->runner, false);
	if (engine_flatten(c->engine, td_inst_all(), "quit --flatten") == -1) {
		desk_fail(c, 1, "quit: not every closing order could be sent "
		    "(see the log); not quitting");
		return;
	}
	desk_quit_when_flat(c);
	desk_print(c, "quitting once flat: HALTED, %d order%s cancelled, %d "
	    "position%s closing at market", orders, orders == 1 ? "" : "s",
	    open, open == 1 ? "" : "s");
}

static void
desk_quit_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)snap;
	(void)argv;
	if (argc != 1)
		return;
	desk_words_add(out, prefix, "--flatten");
	desk_words_add(out, prefix, "--leave");
}

const struct desk_entry desk_quit_entry = {
	.name = "quit",
	.usage = "[--flatten | --leave]",
	.summary = "end the session (refused with positions or orders open)",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_quit_exec,
	.complete = desk_quit_complete,
};
