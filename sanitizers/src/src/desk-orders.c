/*
 * desk-orders.c -- `orders`: the working orders, oldest first.
 */
#include <stdio.h>

#include "desk.h"

static void
desk_orders_exec(struct desk_cmd *c)
{
	const struct snapshot	*s;

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	s = desk_snapshot(c);
	if (s->norders == 0) {
		desk_print(c, "no working orders");
		return;
	}
	for (int i = 0; i < s->norders; i++) {
		const struct snap_order	*o = &s->orders[i];
		char			 filled[48] = "";

		if (o->filled > 0)
			snprintf(filled, sizeof filled, " (%lld filled)",
			    (long long)o->filled);
		desk_print(c, "%llu %s %lld %s %s%s%s %s %s %s%s",
		    (unsigned long long)o->id, o->side, (long long)o->qty,
		    o->symbol, o->type, o->price[0] != '\0' ? " " : "",
		    o->price, o->state, o->role, o->owner, filled);
	}
}

const struct desk_entry desk_orders_entry = {
	.name = "orders",
	.usage = "",
	.summary = "the working orders",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_orders_exec,
};
