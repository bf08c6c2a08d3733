/*
 * desk-flatten.c -- `flatten [SYMBOL | all]`: cancel the working orders
 * of an instrument (all of them by default) and close its position at
 * market.  Never blocked by risk, a halt or a kill.  The command does not
 * wait for the fills: they come with the next market events, and
 * `positions` shows them.
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "order-mgr.h"
#include "portfolio.h"

static void
desk_flatten_exec(struct desk_cmd *c)
{
	const struct order_mgr	*om = engine_orders(c->engine);
	const struct portfolio	*pf = engine_portfolio(c->engine);
	char			 what[256];
	size_t			 used = 0;
	int			 inst = -1, orders = 0;

	if (c->argc > 2) {
		desk_unexpected(c, c->argv[2]);
		return;
	}
	if (c->argc == 2 && strcmp(c->argv[1], "all") != 0 &&
	    desk_arg_inst(c, c->argv[1], &inst) == -1)
		return;
	what[0] = '\0';
	for (int i = 0; i < engine_ninst(c->engine); i++) {
		int64_t	 pos = portfolio_position(pf, i);

		if (inst != -1 && i != inst)
			continue;
		orders += order_mgr_working_count(om, i);
		if (pos != 0 && used < sizeof what)
			used += (size_t)snprintf(what + used,
			    sizeof what - used, "%s %s %+lld", used > 0 ?
			    "," : "", engine_instrument(c->engine, i)->symbol,
			    (long long)pos);
	}
	if (orders == 0 && used == 0) {
		desk_print(c, "%s: flat, no working orders", inst == -1 ?
		    "all" : engine_instrument(c->engine, inst)->symbol);
		return;
	}
	if (engine_flatten(c->engine, inst, "flatten command") == -1) {
		desk_fail(c, 1, "flatten: not every closing order could be "
		    "sent (see the log); flatten again or kill!");
		return;
	}
	desk_print(c, "flattening %s: %d order%s cancelled%s%s", inst == -1 ?
	    "all" : engine_instrument(c->engine, inst)->symbol, orders,
	    orders == 1 ? "" : "s", used > 0 ? ", closing at market" : "",
	    what);
}

static void
desk_flatten_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)argv;
	if (argc != 1)
		return;
	desk_words_add(out, prefix, "all");
	desk_words_symbols(out, snap, prefix);
}

const struct desk_entry desk_flatten_entry = {
	.name = "flatten",
	.usage = "[SYMBOL | all]",
	.summary = "cancel working orders and close positions at market",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_flatten_exec,
	.complete = desk_flatten_complete,
};
