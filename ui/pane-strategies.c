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
 *
 * SENT is the sentiment the strategy trades on (snapshot.h), "-" when
 * none has been heard, and AGE how long ago that value was heard, by the
 * engine's clock (a fading sentiment is heard again every minute).  AGE needs a pane of STRAT_AGE_MIN columns: at 80
 * columns (a 46-column pane) it gives way, and the name is cut to what
 * is left (STRAT_NAME_MIN at least).
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "pane.h"
#include "signal-sent.h"

#define STRAT_NAME_MAX	12
#define STRAT_NAME_MIN	8
#define STRAT_FIXED	31	/* " SYM   STATE    POS  NET TODAY" */
#define STRAT_SENT	6	/* " +0.67" */
#define STRAT_AGE	7	/* " 3m05s" */
#define STRAT_AGE_MIN	(STRAT_NAME_MIN + STRAT_FIXED + STRAT_SENT + \
			    STRAT_AGE + 1)

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

/* A sentiment's age moves with the engine's clock. */
static bool
strategies_changed(const struct snapshot *old, const struct snapshot *cur)
{
	bool	 aged = false;

	for (int i = 0; i < cur->nstrat && !aged; i++)
		aged = cur->strat[i].sentiment_at != 0 && old->now != cur->now;
	return aged || old->nstrat != cur->nstrat || memcmp(old->strat,
	    cur->strat, sizeof old->strat[0] * (size_t)cur->nstrat) != 0;
}

/* SENT and, when there is room, AGE from x on row y. */
static void
strategies_sentiment(struct pane *p, const struct pane_ctx *ctx, int y,
    int x, const struct snap_strat *st, bool age)
{
	char	 v[16], a[16];

	if (st->sentiment_at == 0) {
		pane_printf(p, ctx, y, x, 0, COLOUR_DIM, " %5s%s", "-",
		    age ? "       " : "");
		return;
	}
	x = pane_printf(p, ctx, y, x, 0, pane_pnl_role(st->sentiment), " %5s",
	    sent_format(st->sentiment, 2, v, sizeof v));
	if (age)
		pane_printf(p, ctx, y, x, 0, COLOUR_DIM, " %6s", fmt_age(a,
		    sizeof a, ctx->snap->now - st->sentiment_at));
}

static void
strategies_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	char			 title[64], pos[24], pnl[24];
	int			 y = 1, rows, x, running = 0, nw;
	bool			 age = p->rect.w >= STRAT_AGE_MIN;

	for (int i = 0; i < s->nstrat; i++) {
		if (s->strat[i].run == SNAP_RUNNING)
			running++;
	}
	snprintf(title, sizeof title, "%d/%d running, closed net today",
	    running, s->nstrat);
	pane_title(p, ctx, title);
	rows = p->rect.h - 1;
	/* One column to spare before the pane beside it. */
	nw = p->rect.w - STRAT_FIXED - STRAT_SENT - (age ? STRAT_AGE : 0) - 1;
	nw = nw < STRAT_NAME_MIN ? STRAT_NAME_MIN : nw > STRAT_NAME_MAX ?
	    STRAT_NAME_MAX : nw;
	if (rows > s->nstrat) {
		pane_printf(p, ctx, y++, 0, 0, COLOUR_DIM,
		    "%-*s %-5s %-8s %4s %10s %5s%s", nw, "NAME", "SYM", "STATE",
		    "POS", "NET TODAY", "SENT", age ? "    AGE" : "");
		rows--;
	}
	if (s->nstrat == 0 && y < p->rect.h)
		pane_put(p, ctx, y, 0, 0, COLOUR_DIM, "no strategies configured");
	pane_clamp(p, s->nstrat, rows);
	for (int i = p->scroll; i < s->nstrat && y < p->rect.h; i++) {
		const struct snap_strat	*st = &s->strat[i];

		x = pane_printf(p, ctx, y, 0, 0, COLOUR_NORMAL, "%-*.*s %-5s ",
		    nw, nw, st->name, st->symbol);
		x = pane_printf(p, ctx, y, x, 0, strategies_run_role(st->run),
		    "%-8s", strategies_run_name(st->run));
		x = pane_printf(p, ctx, y, x, 0, COLOUR_NORMAL, " %4s ",
		    fmt_qty(pos, sizeof pos, st->position));
		x = pane_printf(p, ctx, y, x, 0, pane_pnl_role(st->day_pnl),
		    "%10s", fmt_pnl(pnl, sizeof pnl, st->day_pnl));
		strategies_sentiment(p, ctx, y, x, st, age);
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
