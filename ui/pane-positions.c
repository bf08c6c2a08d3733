/*
 * pane-positions.c -- positions and P&L per instrument, and the account.
 *
 * One row per instrument: position, average price, last price, UNREAL
 * (the open position marked at the last price, before the commission to
 * close it) and NET SESS (realized P&L less commissions, for the whole
 * session of the journal), and for an open position its protection as the engine
 * counts it ("stops 3/3 targets 1+1+1", "stops cover 2 of 3 NOT
 * PROTECTED"): in a PROTECTION column when every open position's fits on
 * its row, else on a line of its own under the row (at 80x24 the pane is
 * 46 columns wide and two open positions still fit).  A position that
 * its stops and market exits do not cover is naked: its rows are in the
 * warning colour and its symbol carries a '!', so it shows without colour
 * too.  The title gives the session's net P&L (NET SESS and UNREAL of all
 * rows), the last row the account's net P&L today and this week, as the
 * risk limits count them.  Every figure is net of commissions but
 * UNREAL, and says for when.  F2 moves the
 * focused instrument, which the price line follows.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "pane.h"

#define POS_ROW		45	/* a row without its protection */

static bool
positions_changed(const struct snapshot *old, const struct snapshot *cur)
{
	return old->ninst != cur->ninst || old->day_pnl != cur->day_pnl ||
	    old->week_pnl != cur->week_pnl ||
	    old->commissions != cur->commissions ||
	    memcmp(old->inst, cur->inst, sizeof old->inst[0] *
	    (size_t)cur->ninst) != 0;
}

/*
 * Does every open position's protection fit on its row?  (Then the
 * PROTECTION column is shown.)
 */
static bool
positions_inline(const struct pane *p, const struct snapshot *s)
{
	int	 need = (int)strlen("PROTECTION");

	for (int i = 0; i < s->ninst; i++) {
		if (s->inst[i].position != 0 &&
		    (int)strlen(s->inst[i].protect) > need)
			need = (int)strlen(s->inst[i].protect);
	}
	return p->rect.w >= POS_ROW + 1 + need;
}

/* Draw an instrument from line y on; returns the line after it. */
static int
positions_row(struct pane *p, const struct pane_ctx *ctx, int y,
    const struct snap_inst *in, bool wide)
{
	char		 sym[TD_SYMBOL_MAX + 2], pos[24], unr[24], real[24];
	enum colour_role base = in->naked ? COLOUR_WARN : COLOUR_NORMAL;
	int		 x;

	snprintf(sym, sizeof sym, "%s%s", in->symbol, in->naked ? "!" : "");
	fmt_qty(pos, sizeof pos, in->position);
	fmt_pnl(unr, sizeof unr, in->unrealized);
	fmt_pnl(real, sizeof real, in->realized - in->commissions);
	x = pane_printf(p, ctx, y, 0, 0, base, "%-4s%4s %8s %8s ", sym, pos,
	    in->avg[0] != '\0' ? in->avg : "-",
	    in->last[0] != '\0' ? in->last : "-");
	x = pane_printf(p, ctx, y, x, 0, in->position != 0 ?
	    pane_pnl_role(in->unrealized) : COLOUR_NORMAL, "%8s ", unr);
	x = pane_printf(p, ctx, y, x, 0, pane_pnl_role(in->realized -
	    in->commissions), "%9s", real);
	if (wide) {
		pane_printf(p, ctx, y, x, 0, base, " %s", in->position != 0 ?
		    in->protect : "-");
		return y + 1;
	}
	if (in->position == 0 || y + 1 >= p->rect.h - 1)
		return y + 1;
	pane_printf(p, ctx, y + 1, 0, 0, base, "  %s", in->protect);
	return y + 2;
}

static void
positions_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	bool			 wide = positions_inline(p, s), naked = false;
	char			 day[24], week[24], title[64], net[24];
	int			 rows = p->rect.h - 3, y = 2, x;

	/* The session's net: what the rows' NET SESS and UNREAL add to. */
	snprintf(title, sizeof title, "session net %s", fmt_pnl(net,
	    sizeof net, s->realized - s->commissions + s->unrealized));
	pane_title(p, ctx, title);
	if (p->rect.h < 3)
		return;
	pane_printf(p, ctx, 1, 0, 0, COLOUR_DIM, "%-4s%4s %8s %8s %8s %9s%s",
	    "SYM", "POS", "AVG", "LAST", "UNREAL", "NET SESS",
	    wide ? " PROTECTION" : "");
	pane_clamp(p, s->ninst, rows);
	for (int i = 0; i < s->ninst; i++) {
		if (s->inst[i].naked)
			naked = true;
		if (i < p->scroll || y >= p->rect.h - 1)
			continue;
		y = positions_row(p, ctx, y, &s->inst[i], wide);
	}
	if (naked && y < p->rect.h - 1)
		pane_put(p, ctx, y, 0, 0, COLOUR_WARN,
		    "! position larger than its working stops");
	fmt_pnl(day, sizeof day, s->day_pnl);
	fmt_pnl(week, sizeof week, s->week_pnl);
	x = pane_put(p, ctx, p->rect.h - 1, 0, 0, COLOUR_DIM, "today net ");
	x = pane_put(p, ctx, p->rect.h - 1, x, 0, pane_pnl_role(s->day_pnl),
	    day);
	x = pane_put(p, ctx, p->rect.h - 1, x, 0, COLOUR_DIM, "  week net ");
	pane_put(p, ctx, p->rect.h - 1, x, 0, pane_pnl_role(s->week_pnl), week);
}

/* F2: the next instrument for the price line. */
static bool
positions_key(struct pane *p, int key, struct pane_ctx *ctx)
{
	if (key != PANE_ACTION_KEY || ctx->snap->ninst == 0)
		return false;
	ctx->inst = (ctx->inst + 1) % ctx->snap->ninst;
	return true;
}

const struct pane_ops pane_positions_ops = {
	.title = "Positions",
	.slot = LAYOUT_POSITIONS,
	.action = "next symbol",
	.changed = positions_changed,
	.draw = positions_draw,
	.scroll_by = pane_scroll_default,
	.key = positions_key,
};
