/*
 * desk-move.c -- `move ORDER_ID PRICE`: a working limit or stop order to
 * a new price (a replace at the venue).
 */
#include <stdio.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "instrument.h"
#include "order-mgr.h"

static void
desk_move_exec(struct desk_cmd *c)
{
	const struct order	*o;
	struct errmsg		 err;
	char			 px[32];
	td_ticks		 price;
	uint64_t		 id;
	int			 inst;

	if (c->argc != 3) {
		if (c->argc > 3)
			desk_unexpected(c, c->argv[3]);
		else
			desk_usage(c);
		return;
	}
	if (desk_arg_order(c, c->argv[1], &o) == -1)
		return;
	id = o->id;
	inst = o->inst;
	if (o->type == ORD_MARKET) {
		desk_fail(c, 1, "move: order %llu is a market order: only "
		    "limit and stop orders move", (unsigned long long)id);
		return;
	}
	if (desk_arg_price(c, inst, c->argv[2], &price) == -1)
		return;
	if (engine_move(c->engine, id, price, &err) == -1) {
		desk_fail(c, 1, "move: %s", err.msg);
		return;
	}
	desk_print(c, "moving order %llu to %s", (unsigned long long)id,
	    instrument_format(engine_instrument(c->engine, inst), price, px,
	    sizeof px));
}

static void
desk_move_complete(const struct snapshot *snap, int argc, char **argv,
    const char *prefix, struct desk_words *out)
{
	(void)argv;
	if (argc == 1)
		desk_words_orders(out, snap, prefix);
}

const struct desk_entry desk_move_entry = {
	.name = "move",
	.usage = "ORDER_ID PRICE",
	.summary = "move a working limit or stop order to a new price",
	.flags = DESK_WHILE_HALTED | DESK_AUDIT | DESK_EXACT,
	.exec = desk_move_exec,
	.complete = desk_move_complete,
};
