/*
 * desk-positions.c -- `positions`: each instrument's position, average
 * price, last price, P&L and how much of it working stops cover.
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
		int64_t			 size = in->position < 0 ?
					     -in->position : in->position;

		desk_money(in->realized, real, sizeof real);
		if (in->position == 0) {
			desk_print(c, "%-6s flat, last %s, realized %s",
			    in->symbol, in->last[0] != '\0' ? in->last : "-",
			    real);
			continue;
		}
		desk_print(c, "%-6s %+lld @ %s, last %s, unrealized %s, "
		    "realized %s, stops cover %lld of %lld%s", in->symbol,
		    (long long)in->position, in->avg,
		    in->last[0] != '\0' ? in->last : "-",
		    desk_money(in->unrealized, unreal, sizeof unreal), real,
		    (long long)in->stop_cover, (long long)size,
		    in->naked ? " NOT PROTECTED" : "");
	}
	desk_print(c, "day P&L %s, week P&L %s",
	    desk_money(s->day_pnl, day, sizeof day),
	    desk_money(s->week_pnl, week, sizeof week));
}

const struct desk_entry desk_positions_entry = {
	.name = "positions",
	.usage = "",
	.summary = "positions, average and last price, P&L, stop cover",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_positions_exec,
};
