/*
 * pane-blotter.c -- orders and fills, newest first.
 *
 * Each row is one order changing state or one fill: time (exchange zone),
 * order id, side, quantity, symbol, type, price, new state and owner (a
 * strategy or `manual`).  PgUp/PgDn scroll through the engine's recent
 * events; F2 shows fills only.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "pane.h"

enum {
	BLOTTER_ALL,
	BLOTTER_FILLS,
};

static bool
blotter_changed(const struct snapshot *old, const struct snapshot *cur)
{
	if (old->nblot != cur->nblot || old->norders != cur->norders)
		return true;
	return cur->nblot > 0 && memcmp(&old->blot[0], &cur->blot[0],
	    sizeof cur->blot[0]) != 0;
}

static bool
blotter_shown(const struct pane *p, const struct snap_blot *b)
{
	return p->mode == BLOTTER_ALL || b->fill;
}

static void
blotter_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	char			 title[64], clock[16];
	int			 y = 2, n = 0, skip, x;

	for (int i = 0; i < s->nblot; i++) {
		if (blotter_shown(p, &s->blot[i]))
			n++;
	}
	snprintf(title, sizeof title, "%d working order%s%s", s->norders,
	    s->norders == 1 ? "" : "s",
	    p->mode == BLOTTER_FILLS ? ", fills only" : "");
	pane_title(p, ctx, title);
	if (p->rect.h < 2)
		return;
	pane_printf(p, ctx, 1, 0, 0, COLOUR_DIM,
	    "%-8s %5s %-4s %3s %-5s %-3s %9s %-9s %s", "TIME", "ID", "SIDE",
	    "QTY", "SYM", "TYP", "PRICE", "STATE", "OWNER");
	pane_clamp(p, n, p->rect.h - 2);
	if (n == 0 && p->rect.h > 2)
		pane_put(p, ctx, 2, 0, 0, COLOUR_DIM, "no orders yet");
	skip = p->scroll;
	for (int i = 0; i < s->nblot && y < p->rect.h; i++) {
		const struct snap_blot	*b = &s->blot[i];

		if (!blotter_shown(p, b) || skip-- > 0)
			continue;
		fmt_clock(clock, sizeof clock, ctx->tz, b->time, 0);
		x = pane_printf(p, ctx, y, 0, 0, COLOUR_NORMAL,
		    "%-8s %5llu %-4s %3lld %-5s %-3s %9s ", clock,
		    (unsigned long long)b->id, b->side, (long long)b->qty,
		    b->symbol, b->type, b->price[0] != '\0' ? b->price : "-");
		x = pane_printf(p, ctx, y, x, 0, pane_order_role(b->state),
		    "%-9s", b->state);
		pane_printf(p, ctx, y, x, 0, COLOUR_NORMAL, " %s", b->owner);
		y++;
	}
	if (p->scroll > 0 && p->rect.h > 2) {
		snprintf(title, sizeof title, " ^ %d newer", p->scroll);
		pane_put(p, ctx, 1, p->rect.w - (int)strlen(title), 0,
		    COLOUR_WARN, title);
	}
}

static bool
blotter_key(struct pane *p, int key, struct pane_ctx *ctx)
{
	if (key != PANE_ACTION_KEY)
		return false;
	p->mode = p->mode == BLOTTER_ALL ? BLOTTER_FILLS : BLOTTER_ALL;
	p->scroll = 0;
	return true;
}

const struct pane_ops pane_blotter_ops = {
	.title = "Blotter",
	.slot = LAYOUT_BLOTTER,
	.action = "fills only",
	.changed = blotter_changed,
	.draw = blotter_draw,
	.scroll_by = pane_scroll_default,
	.key = blotter_key,
};
