/*
 * pane-blotter.c -- the working orders as they are now, then the fills
 * and the orders that are done, newest first.
 *
 * The working orders come from the snapshot's order table, so a `move`
 * shows its new price and the title's count is the rows marked working.
 * Below them the blotter's events (the engine's recent ones): each fill,
 * and each order that ended (filled, cancelled, rejected, expired); the
 * steps an order went through on its way (accepted, working, replaced)
 * are in the log.  A row from another day than the exchange's today
 * comes under a line with its date ("-- 2024-01-04 --"), so days never
 * run together.  Each row: time (exchange zone), order id, side,
 * quantity, symbol, type, price (a stop-limit's stop and limit,
 * "5010.00/5011.00"), state, then what the order is for: its role
 * (entry, stop, target, exit), the entry a bracket leg protects, its OCO
 * group (the stop and the target of one pair share it), its time in
 * force, and last its owner (a strategy or `manual`).  The columns are as
 * wide as the rows need, so at 80 columns everything but a long owner
 * fits; the owner is cut at the pane's edge.  PgUp/PgDn scroll; F2 shows
 * the fills only.
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
	if (old->nblot != cur->nblot || old->nworking != cur->nworking ||
	    old->norders != cur->norders)
		return true;
	/* A new minute may be a new day: the date lines move. */
	if (old->now / TD_NS_PER_MIN != cur->now / TD_NS_PER_MIN)
		return true;
	if (cur->norders > 0 && memcmp(old->orders, cur->orders,
	    sizeof cur->orders[0] * (size_t)cur->norders) != 0)
		return true;
	return cur->nblot > 0 && memcmp(&old->blot[0], &cur->blot[0],
	    sizeof cur->blot[0]) != 0;
}

/* An event worth a row below the working orders. */
static bool
blotter_shown(const struct pane *p, const struct snap_blot *b)
{
	if (b->fill)
		return true;
	if (p->mode == BLOTTER_FILLS)
		return false;
	return strcmp(b->state, "filled") == 0 ||
	    strcmp(b->state, "cancelled") == 0 ||
	    strcmp(b->state, "rejected") == 0 ||
	    strcmp(b->state, "expired") == 0;
}

/* A working order as a row (its latest change, its price now). */
static void
blotter_order(const struct snap_order *o, struct snap_blot *b)
{
	memset(b, 0, sizeof *b);
	b->time = o->time;
	b->id = o->id;
	memcpy(b->symbol, o->symbol, sizeof b->symbol);
	memcpy(b->side, o->side, sizeof b->side);
	memcpy(b->type, o->type, sizeof b->type);
	memcpy(b->role, o->role, sizeof b->role);
	memcpy(b->tif, o->tif, sizeof b->tif);
	b->parent = o->parent;
	b->oco = o->oco;
	b->qty = o->qty - o->filled;
	memcpy(b->price, o->price, sizeof b->price);
	memcpy(b->limit, o->limit, sizeof b->limit);
	memcpy(b->state, o->state, sizeof b->state);
	memcpy(b->owner, o->owner, sizeof b->owner);
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
blotter_width(struct blot_cols *w, const struct snap_blot *b)
{
	char	 buf[2 * SNAP_PX + 2];

	w->id = blotter_max(w->id, blotter_id(b->id, buf, sizeof buf));
	snprintf(buf, sizeof buf, "%lld", (long long)b->qty);
	w->qty = blotter_max(w->qty, buf);
	w->sym = blotter_max(w->sym, b->symbol);
	w->type = blotter_max(w->type, b->type);
	w->price = blotter_max(w->price, blotter_price(b, buf, sizeof buf));
	w->parent = blotter_max(w->parent, blotter_id(b->parent, buf,
	    sizeof buf));
	w->oco = blotter_max(w->oco, blotter_id(b->oco, buf, sizeof buf));
}

/* The rows are drawn in two passes: one counts, one draws. */
struct blot_draw {
	struct pane		*p;
	const struct pane_ctx	*ctx;
	struct blot_cols	 w;
	bool			 draw;
	int			 row;		/* rows so far */
	int			 y;		/* the next screen row */
	char			 day[16];	/* of the last row */
};

static void
blotter_line(struct blot_draw *d, const struct snap_blot *b)
{
	const struct blot_cols	*w = &d->w;
	struct pane		*p = d->p;
	const struct pane_ctx	*ctx = d->ctx;
	char			 clock[16], px[2 * SNAP_PX + 2];
	char			 id[24], parent[24], oco[24];
	int			 x;

	fmt_clock(clock, sizeof clock, ctx->tz, b->time, 0);
	x = pane_printf(p, ctx, d->y, 0, 0, COLOUR_NORMAL,
	    "%-8s %*s %-4s %*lld %-*s %-*s %*s ", clock, w->id,
	    blotter_id(b->id, id, sizeof id), b->side, w->qty,
	    (long long)b->qty, w->sym, b->symbol, w->type, b->type,
	    w->price, blotter_price(b, px, sizeof px));
	x = pane_printf(p, ctx, d->y, x, 0, pane_order_role(b->fill ? "fill" :
	    b->state), "%-9s", b->fill ? "fill" : b->state);
	pane_printf(p, ctx, d->y, x, 0, COLOUR_NORMAL,
	    " %-6s %*s %*s %-3s %s", b->role, w->parent,
	    blotter_id(b->parent, parent, sizeof parent), w->oco,
	    blotter_id(b->oco, oco, sizeof oco), b->tif, b->owner);
}

/* One row (after the line with its date when the day changes). */
static void
blotter_emit(struct blot_draw *d, const struct snap_blot *b)
{
	char	 when[32];

	fmt_clock(when, sizeof when, d->ctx->tz, b->time, 1);
	when[10] = '\0';
	if (strcmp(when, d->day) != 0) {
		snprintf(d->day, sizeof d->day, "%.10s", when);
		if (d->draw && d->row >= d->p->scroll &&
		    d->y < d->p->rect.h) {
			pane_printf(d->p, d->ctx, d->y++, 0, 0, COLOUR_DIM,
			    "-- %s --", when);
		}
		d->row++;
	}
	if (d->draw && d->row >= d->p->scroll && d->y < d->p->rect.h) {
		blotter_line(d, b);
		d->y++;
	}
	d->row++;
}

/* The working orders, newest first, then the events: rows counted. */
static int
blotter_rows(struct blot_draw *d)
{
	const struct snapshot	*s = d->ctx->snap;
	struct snap_blot	 b;
	char			 today[32];

	fmt_clock(today, sizeof today, d->ctx->tz, s->now, 1);
	today[10] = '\0';
	snprintf(d->day, sizeof d->day, "%.10s", today);
	d->row = 0;
	d->y = 2;
	if (d->p->mode == BLOTTER_ALL) {
		for (int i = s->norders - 1; i >= 0; i--) {
			blotter_order(&s->orders[i], &b);
			if (!d->draw)
				blotter_width(&d->w, &b);
			blotter_emit(d, &b);
		}
	}
	for (int i = 0; i < s->nblot; i++) {
		if (!blotter_shown(d->p, &s->blot[i]))
			continue;
		if (!d->draw)
			blotter_width(&d->w, &s->blot[i]);
		blotter_emit(d, &s->blot[i]);
	}
	return d->row;
}

static void
blotter_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	struct blot_draw	 d = { .p = p, .ctx = ctx, .w = { .id = 2,
				    .qty = 3, .sym = 3, .type = 3, .price = 5,
				    .parent = 5, .oco = 3 } };
	char			 title[96];
	int			 n;

	n = blotter_rows(&d);
	snprintf(title, sizeof title, p->mode == BLOTTER_FILLS ?
	    "fills only" : "%d working, then fills and done orders",
	    s->nworking);
	pane_title(p, ctx, title);
	if (p->rect.h < 2)
		return;
	pane_printf(p, ctx, 1, 0, 0, COLOUR_DIM,
	    "%-8s %*s %-4s %*s %-*s %-*s %*s %-9s %-6s %*s %*s %-3s %s",
	    "TIME", d.w.id, "ID", "SIDE", d.w.qty, "QTY", d.w.sym, "SYM",
	    d.w.type, "TYP", d.w.price, "PRICE", "STATE", "ROLE", d.w.parent,
	    "ENTRY", d.w.oco, "OCO", "TIF", "OWNER");
	pane_clamp(p, n, p->rect.h - 2);
	if (n == 0 && p->rect.h > 2)
		pane_put(p, ctx, 2, 0, 0, COLOUR_DIM, "no orders yet");
	d.draw = true;
	blotter_rows(&d);
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
