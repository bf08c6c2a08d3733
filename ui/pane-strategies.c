/*
 * pane-strategies.c -- each strategy's state, position and P&L today.
 *
 * The P&L is that of its closed trades today, net of commissions, as the
 * title says ("closed net today", the column NET TODAY when there is a
 * row for the header); an open position's P&L is in the positions pane's
 * UNREAL and the account's "today net".
 *
 * The state is a word (running, waiting, disabled, errored) in its colour;
 * the column header is shown only when there is a row to spare, as at
 * 80x24 the pane has room for just the title and two strategies.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "pane.h"

static const char *
strategies_run_name(enum snap_strat_run run)
{
	switch (run) {
	case SNAP_RUNNING:
		return "running";
	case SNAP_WAITING:
		return "waiting";
	case SNAP_DISABLED:
		return "disabled";
	case SNAP_ERRORED:
		return "errored";
	}
	return "?";
}

static enum colour_role
strategies_run_role(enum snap_strat_run run)
{
	switch (run) {
	case SNAP_RUNNING:
		return COLOUR_STRAT_RUNNING;
	case SNAP_WAITING:
		return COLOUR_STRAT_WAITING;
	case SNAP_DISABLED:
		return COLOUR_STRAT_DISABLED;
	case SNAP_ERRORED:
		return COLOUR_STRAT_ERRORED;
	}
	return COLOUR_NORMAL;
}

static bool
strategies_changed(const struct snapshot *old, const struct snapshot *cur)
{
	return old->nstrat != cur->nstrat || memcmp(old->strat, cur->strat,
	    sizeof old->strat[0] * (size_t)cur->nstrat) != 0;
}

static void
strategies_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	char			 title[64], pos[24], pnl[24];
	int			 y = 1, rows, x, running = 0;

	for (int i = 0; i < s->nstrat; i++) {
		if (s->strat[i].run == SNAP_RUNNING)
			running++;
	}
	snprintf(title, sizeof title, "%d/%d running, closed net today",
	    running, s->nstrat);
	pane_title(p, ctx, title);
	rows = p->rect.h - 1;
	if (rows > s->nstrat) {
		pane_printf(p, ctx, y++, 0, 0, COLOUR_DIM,
		    "%-12s %-5s %-8s %4s %10s", "NAME", "SYM", "STATE", "POS",
		    "NET TODAY");
		rows--;
	}
	if (s->nstrat == 0 && y < p->rect.h)
		pane_put(p, ctx, y, 0, 0, COLOUR_DIM, "no strategies configured");
	pane_clamp(p, s->nstrat, rows);
	for (int i = p->scroll; i < s->nstrat && y < p->rect.h; i++) {
		const struct snap_strat	*st = &s->strat[i];

		x = pane_printf(p, ctx, y, 0, 0, COLOUR_NORMAL, "%-12.12s %-5s ",
		    st->name, st->symbol);
		x = pane_printf(p, ctx, y, x, 0, strategies_run_role(st->run),
		    "%-8s", strategies_run_name(st->run));
		x = pane_printf(p, ctx, y, x, 0, COLOUR_NORMAL, " %4s ",
		    fmt_qty(pos, sizeof pos, st->position));
		pane_printf(p, ctx, y, x, 0, pane_pnl_role(st->day_pnl),
		    "%10s", fmt_pnl(pnl, sizeof pnl, st->day_pnl));
		y++;
	}
}

const struct pane_ops pane_strategies_ops = {
	.title = "Strategies",
	.slot = LAYOUT_STRATEGIES,
	.changed = strategies_changed,
	.draw = strategies_draw,
	.scroll_by = pane_scroll_default,
};
