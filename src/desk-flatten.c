/*
 * desk-flatten.c -- `flatten [SYMBOL | all]`: cancel the working orders
 * of an instrument (all of them by default) and close its position at
 * market.  Never blocked by risk, a halt or a kill.  The command does not
 * wait for the fills: they come with the next market events, and
 * `positions` shows them.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

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
	struct td_inst_sel	 insts = td_inst_all();
	struct td_inst		 one;
	int			 orders = 0;

	if (c->argc > 2) {
		desk_unexpected(c, c->argv[2]);
		return;
	}
	if (c->argc == 2 && strcasecmp(c->argv[1], "all") != 0) {
		if (desk_arg_inst(c, c->argv[1], &one) == -1)
			return;
		insts = td_inst_only(one);
	}
	what[0] = '\0';
	for (int i = 0; i < engine_ninst(c->engine); i++) {
		struct td_inst	 inst = td_inst_at(i);
		int64_t		 pos = portfolio_position(pf, inst);

		if (!td_inst_sel_has(insts, inst))
			continue;
		orders += order_mgr_working_count(om, td_inst_only(inst));
		if (pos != 0 && used < sizeof what)
			used += (size_t)snprintf(what + used,
			    sizeof what - used, "%s %s %+lld", used > 0 ?
			    "," : "", engine_instrument(c->engine,
			    inst)->symbol, (long long)pos);
	}
	if (orders == 0 && used == 0) {
		desk_print(c, "%s: flat, no working orders", insts.all ?
		    "all" : engine_instrument(c->engine, insts.inst)->symbol);
		return;
	}
	if (engine_flatten(c->engine, insts, "flatten command") == -1) {
		desk_fail(c, 1, "flatten: not every closing order could be "
		    "sent (see the log); flatten again or kill!");
		return;
	}
	desk_print(c, "flattening %s: %d order%s cancelled%s%s", insts.all ?
	    "all" : engine_instrument(c->engine, insts.inst)->symbol, orders,
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
