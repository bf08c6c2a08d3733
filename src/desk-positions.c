/*
 * desk-positions.c -- `positions`: each instrument's position, average
 * price, how it is protected, last price and P&L.  The protection is the
 * engine's own count (struct snap_inst): the stops that cover the
 * position, market exits closing it, and its targets; a position its
 * stops do not cover says NOT PROTECTED.
 *
 *	ES     +3 @ 5000.25 stops 3/3 targets 1+1+1, last 5001.00, ...
 */
#include "desk.h"

static void
desk_positions_exec(struct desk_cmd *c)
{
	const struct snapshot	*s;
	char			 unreal[48], real[48], day[48], week[48];

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	s = desk_snapshot(c);
	for (int i = 0; i < s->ninst; i++) {
		const struct snap_inst	*in = &s->inst[i];

		desk_money(in->realized, real, sizeof real);
		if (in->position == 0) {
			desk_print(c, "%-6s flat, last %s, realized %s",
			    in->symbol, in->last[0] != '\0' ? in->last : "-",
			    real);
			continue;
		}
		desk_print(c, "%-6s %+lld @ %s %s, last %s, unrealized %s, "
		    "realized %s", in->symbol, (long long)in->position,
		    in->avg, in->protect,
		    in->last[0] != '\0' ? in->last : "-",
		    desk_money(in->unrealized, unreal, sizeof unreal), real);
	}
	desk_print(c, "day P&L %s, week P&L %s",
	    desk_money(s->day_pnl, day, sizeof day),
	    desk_money(s->week_pnl, week, sizeof week));
}

const struct desk_entry desk_positions_entry = {
	.name = "positions",
	.usage = "",
	.summary = "positions, their stops and targets, prices and P&L",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_positions_exec,
};
