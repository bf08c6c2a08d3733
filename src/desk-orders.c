/*
 * desk-orders.c -- `orders`: the working orders, oldest first, with what
 * each one is for: its role (entry, stop, target, exit), for a bracket
 * leg the entry it protects ("stop of 5") and the OCO group that ties a
 * stop to its target ("oco 5"), and its time in force.  A stop-limit
 * gives its stop and its limit price.
 *
 *	6 sell 1 ES stp 4992.00 GTC working stop of 5 oco 5 manual
 *
 * When the reply cannot hold them all, or the snapshot holds only the
 * oldest (SNAPSHOT_ORDERS_MAX), the last line says how many are not
 * shown: "... and 76 more working orders".
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"

/* Room kept for the last line, "... and 2147483647 more working orders". */
#define DESK_ORDERS_TAIL	48

static void
desk_orders_line(const struct snap_order *o, char *buf, size_t len)
{
	char	 px[2 * SNAP_PX + 16] = "";
	char	 link[64] = "", filled[48] = "";
	size_t	 n;

	if (o->price[0] != '\0')
		snprintf(px, sizeof px, " %s", o->price);
	if (o->limit[0] != '\0')
		snprintf(px + strlen(px), sizeof px - strlen(px), " limit %s",
		    o->limit);
	if (o->parent != 0)
		snprintf(link, sizeof link, " of %llu",
		    (unsigned long long)o->parent);
	n = strlen(link);
	if (o->oco != 0)
		snprintf(link + n, sizeof link - n, " oco %llu",
		    (unsigned long long)o->oco);
	if (o->filled > 0)
		snprintf(filled, sizeof filled, " (%lld filled)",
		    (long long)o->filled);
	snprintf(buf, len, "%llu %s %lld %s %s%s %s %s %s%s %s%s",
	    (unsigned long long)o->id, o->side, (long long)o->qty, o->symbol,
	    o->type, px, o->tif, o->state, o->role, link, o->owner, filled);
}

static void
desk_orders_exec(struct desk_cmd *c)
{
	const struct snapshot	*s;
	char			 line[512];
	int			 shown = 0;

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	s = desk_snapshot(c);
	if (s->nworking == 0) {
		desk_print(c, "no working orders");
		return;
	}
	for (; shown < s->norders; shown++) {
		desk_orders_line(&s->orders[shown], line, sizeof line);
		if (!desk_room(c, strlen(line) + 1 + DESK_ORDERS_TAIL))
			break;
		desk_print(c, "%s", line);
	}
	if (shown < s->nworking)
		desk_print(c, "... and %d more working order%s",
		    s->nworking - shown, s->nworking - shown == 1 ? "" : "s");
}

const struct desk_entry desk_orders_entry = {
	.name = "orders",
	.usage = "",
	.summary = "the working orders, what each protects",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_orders_exec,
};
