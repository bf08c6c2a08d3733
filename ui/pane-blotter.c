/*
 * pane-blotter.c -- orders and fills, newest first.
 *
 * Each row is one order changing state or one fill: time (exchange zone),
 * order id, side, quantity, symbol, type, price (a stop-limit's stop and
 * limit, "5010.00/5011.00"), new state, then what the order is for: its
 * role (entry, stop, target, exit), the entry a bracket leg protects, its
 * OCO group (the stop and the target of one pair share it), its time in
 * force, and last its owner (a strategy or `manual`).  The columns are
 * as wide as the rows in the ring need, so at 80 columns everything but
 * a long owner fits; the owner is cut at the pane's edge.  PgUp/PgDn
 * scroll through the engine's recent events; F2 shows fills only.
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
	if (old->nblot != cur->nblot || old->nworking != cur->nworking)
		return true;
	return cur->nblot > 0 && memcmp(&old->blot[0], &cur->blot[0],
	    sizeof cur->blot[0]) != 0;
}

static bool
blotter_shown(const struct pane *p, const struct snap_blot *b)
{
	return p->mode == BLOTTER_ALL || b->fill;
}

/* The widths of the columns that vary, from the rows there are. */
struct blot_cols {
	int		 id;
	int		 qty;
	int		 sym;
	int		 type;
	int		 price;
	int		 parent;
	int		 oco;
};

/* The price column: "-" for a market order, stop/limit for a stop-limit. */
static const char *
blotter_price(const struct snap_blot *b, char *buf, size_t len)
{
	if (b->price[0] == '\0')
		snprintf(buf, len, "-");
	else if (b->limit[0] != '\0')
		snprintf(buf, len, "%s/%s", b->price, b->limit);
	else
		snprintf(buf, len, "%s", b->price);
	return buf;
}

/* An id, "-" for none. */
static const char *
blotter_id(uint64_t id, char *buf, size_t len)
{
	if (id == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu", (unsigned long long)id);
	return buf;
}

static int
blotter_max(int w, const char *text)
{
	return (int)strlen(text) > w ? (int)strlen(text) : w;
}

static void
blotter_widths(const struct pane *p, const struct snapshot *s,
    struct blot_cols *w)
{
	char	 buf[2 * SNAP_PX + 2];

	*w = (struct blot_cols){ .id = 2, .qty = 3, .sym = 3, .type = 3,
	    .price = 5, .parent = 5, .oco = 3 };
	for (int i = 0; i < s->nblot; i++) {
		const struct snap_blot	*b = &s->blot[i];

		if (!blotter_shown(p, b))
			continue;
		w->id = blotter_max(w->id, blotter_id(b->id, buf, sizeof buf));
		snprintf(buf, sizeof buf, "%lld", (long long)b->qty);
		w->qty = blotter_max(w->qty, buf);
		w->sym = blotter_max(w->sym, b->symbol);
		w->type = blotter_max(w->type, b->type);
		w->price = blotter_max(w->price, blotter_price(b, buf,
		    sizeof buf));
		w->parent = blotter_max(w->parent, blotter_id(b->parent, buf,
		    sizeof buf));
		w->oco = blotter_max(w->oco, blotter_id(b->oco, buf,
		    sizeof buf));
	}
}

static void
blotter_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	struct blot_cols	 w;
	char			 title[64], clock[16], px[2 * SNAP_PX + 2];
	char			 id[24], parent[24], oco[24];
	int			 y = 2, n = 0, skip, x;

	for (int i = 0; i < s->nblot; i++) {
		if (blotter_shown(p, &s->blot[i]))
			n++;
	}
	blotter_widths(p, s, &w);
	snprintf(title, sizeof title, "%d working order%s%s", s->nworking,
	    s->nworking == 1 ? "" : "s",
	    p->mode == BLOTTER_FILLS ? ", fills only" : "");
	pane_title(p, ctx, title);
	if (p->rect.h < 2)
		return;
	pane_printf(p, ctx, 1, 0, 0, COLOUR_DIM,
	    "%-8s %*s %-4s %*s %-*s %-*s %*s %-9s %-6s %*s %*s %-3s %s",
	    "TIME", w.id, "ID", "SIDE", w.qty, "QTY", w.sym, "SYM", w.type,
	    "TYP", w.price, "PRICE", "STATE", "ROLE", w.parent, "ENTRY",
	    w.oco, "OCO", "TIF", "OWNER");
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
		    "%-8s %*s %-4s %*lld %-*s %-*s %*s ", clock, w.id,
		    blotter_id(b->id, id, sizeof id), b->side, w.qty,
		    (long long)b->qty, w.sym, b->symbol, w.type, b->type,
		    w.price, blotter_price(b, px, sizeof px));
		x = pane_printf(p, ctx, y, x, 0, pane_order_role(b->state),
		    "%-9s", b->state);
		pane_printf(p, ctx, y, x, 0, COLOUR_NORMAL,
		    " %-6s %*s %*s %-3s %s", b->role, w.parent,
		    blotter_id(b->parent, parent, sizeof parent), w.oco,
		    blotter_id(b->oco, oco, sizeof oco), b->tif, b->owner);
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
