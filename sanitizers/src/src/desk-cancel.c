/*
 * desk-cancel.c -- `cancel ORDER_ID | all`: ask the venue to cancel one
 * working order or all of them.  The order changes when the venue
 * answers.  Cancelling a protective stop can leave a position without
 * one: the answer says so.
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "order-mgr.h"
#include "portfolio.h"

/* Warn about each position (of inst, -1 = all) its stops no longer cover. */
static void
desk_cancel_warn(struct desk_cmd *c, int inst)
{
	const struct order_mgr	*om = engine_orders(c->engine);
	const struct portfolio	*pf = engine_portfolio(c->engine);

	for (int i = 0; i < engine_ninst(c->engine); i++) {
		int64_t	 pos = portfolio_position(pf, i);

		if ((inst != -1 && i != inst) || order_mgr_protected(om, i, pos))
			continue;
		desk_print(c, "warning: %s position %+lld has no stop covering "
		    "it (flatten closes it)", engine_instrument(c->engine,
		    i)->symbol, (long long)pos);
	}
}

static void
desk_cancel_exec(struct desk_cmd *c)
{
	const struct order	*o;
	struct errmsg		 err;
	uint64_t		 id;
	int			 n, inst;

	if (c->argc != 2) {
		if (c->argc > 2)
			desk_unexpected(c, c->argv[2]);
		else
			desk_usage(c);
		return;
	}
	if (strcmp(c->argv[1], "all") == 0) {
		n = order_mgr_live_count(engine_orders(c->engine));
		if (n == 0) {
			desk_print(c, "no working orders");
			return;
		}
		if (engine_cancel(c->engine, 0, &err) == -1) {
			desk_fail(c, 1, "cancel: %s", err.msg);
			return;
		}
		desk_print(c, "cancelling %d order%s", n, n == 1 ? "" : "s");
		desk_cancel_warn(c, -1);
		return;
	}
	if (desk_arg_order(c, c->argv[1], &o) == -1)
		return;
	id = o->id;
	inst = o->inst;
	if (engine_cancel(c->engine, id, &err) == -1) {
		desk_fail(c, 1, "cancel: %s", err.msg);
		return;
	}
	desk_print(c, "cancelling order %llu", (unsigned long long)id);
	desk_cancel_warn(c, inst);
}

static void
desk_cancel_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)argv;
	if (argc != 1)
		return;
	desk_words_add(out, prefix, "all");
	desk_words_orders(out, snap, prefix);
}

const struct desk_entry desk_cancel_entry = {
	.name = "cancel",
	.usage = "ORDER_ID | all",
	.summary = "cancel a working order, or all of them",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_cancel_exec,
	.complete = desk_cancel_complete,
};
