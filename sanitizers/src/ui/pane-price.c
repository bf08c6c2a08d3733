/*
 * pane-price.c -- a price line for the focused instrument.
 *
 * A sparkline of the last 1-minute closes (snapshot spark, oldest first)
 * and the last price as the newest point, scaled between the low and the
 * high of what is shown; with more rows it becomes a small area chart.
 * Below it, when there is a row to spare, the fills of that instrument:
 * '^' a buy, 'v' a sell, under the minute they happened in.  The title
 * gives the last price and the range shown.  Block characters are used on
 * a UTF-8 terminal, an ASCII ramp elsewhere.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "pane.h"

#define PRICE_POINTS	(SNAP_SPARK + 1)

static const char *const price_blocks[9] = {
	" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
	"\u2587", "\u2588",
};
static const char price_ramp[] = " ._-=+*#@";

static bool
price_changed(const struct snapshot *old, const struct snapshot *cur)
{
	return old->ninst != cur->ninst || memcmp(old->inst, cur->inst,
	    sizeof old->inst[0] * (size_t)cur->ninst) != 0 ||
	    old->nblot != cur->nblot || (cur->nblot > 0 &&
	    memcmp(&old->blot[0], &cur->blot[0], sizeof cur->blot[0]) != 0);
}

/* The points to show, oldest first: the closes, then the last price. */
static int
price_points(const struct snap_inst *in, td_ticks *pt, bool *live)
{
	int	 n = 0;

	for (int i = 0; i < in->nspark && i < SNAP_SPARK; i++)
		pt[n++] = in->spark[i];
	*live = in->last[0] != '\0';
	if (*live)
		pt[n++] = in->last_ticks;
	return n;
}

static void
price_cell(struct pane *p, const struct pane_ctx *ctx, int level)
{
	if (level < 0)
		level = 0;
	if (level > 8)
		level = 8;
	if (ctx->utf8)
		waddstr(p->win, price_blocks[level]);
	else
		waddch(p->win, (chtype)(unsigned char)price_ramp[level]);
}

/* The fills of the instrument as marks under their minute. */
static void
price_marks(struct pane *p, const struct pane_ctx *ctx,
    const struct snap_inst *in, int y, int x0, int cols, int npts, bool live)
{
	const struct snapshot	*s = ctx->snap;
	td_ns			 now_min = s->now / TD_NS_PER_MIN;

	for (int i = s->nblot - 1; i >= 0; i--) {
		const struct snap_blot	*b = &s->blot[i];
		int64_t			 back;
		int			 k;

		if (!b->fill || strcmp(b->symbol, in->symbol) != 0)
			continue;
		/* Minutes back from now; the closes end a minute ago. */
		back = now_min - b->time / TD_NS_PER_MIN;
		if (back < 0 || back >= npts)
			continue;
		k = live ? npts - 1 - (int)back : npts - (int)back;
		if (k < 0 || k >= npts || k < npts - cols)
			continue;
		pane_put(p, ctx, y, x0 + k - (npts - cols), 1,
		    b->side[0] == 'b' ? COLOUR_MARK_BUY : COLOUR_MARK_SELL,
		    b->side[0] == 'b' ? "^" : "v");
	}
}

static void
price_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	const struct snap_inst	*in;
	td_ticks		 pt[PRICE_POINTS], lo, hi;
	char			 title[96], los[SNAP_PX], his[SNAP_PX];
	int			 npts, rows, cols, first;
	bool			 live, marks;

	if (s->ninst == 0 || ctx->inst >= s->ninst) {
		pane_title(p, ctx, "no instrument");
		return;
	}
	in = &s->inst[ctx->inst];
	npts = price_points(in, pt, &live);
	cols = npts < p->rect.w ? npts : p->rect.w;
	first = npts - cols;
	lo = hi = npts > 0 ? pt[first] : 0;
	for (int i = first; i < npts; i++) {
		if (pt[i] < lo)
			lo = pt[i];
		if (pt[i] > hi)
			hi = pt[i];
	}
	if (npts == 0)
		snprintf(title, sizeof title, "%s, no prices yet", in->symbol);
	else if (fmt_ticks_like(los, sizeof los, lo, in->last,
	    in->last_ticks) == 0 && fmt_ticks_like(his, sizeof his, hi,
	    in->last, in->last_ticks) == 0)
		snprintf(title, sizeof title, "%s %s %s-%s", in->symbol,
		    in->last, los, his);
	else
		snprintf(title, sizeof title, "%s %s range %lld ticks",
		    in->symbol, in->last, (long long)(hi - lo));
	pane_title(p, ctx, title);

	marks = p->rect.h >= 3;
	rows = p->rect.h - 1 - (marks ? 1 : 0);
	if (rows <= 0 || cols == 0)
		return;
	for (int r = 0; r < rows; r++) {
		wmove(p->win, 1 + r, 0);
		wattrset(p->win, colour_attr(ctx->colour, COLOUR_SPARK));
		for (int c = 0; c < cols; c++) {
			int64_t	 eighths = (int64_t)rows * 8, h;

			/* 1 .. rows*8 eighths of a cell; mid-height if flat. */
			if (hi == lo)
				h = eighths / 2;
			else
				h = 1 + (pt[first + c] - lo) * (eighths - 1) /
				    (hi - lo);
			price_cell(p, ctx, (int)(h - (int64_t)(rows - 1 - r) *
			    8));
		}
		wattrset(p->win, A_NORMAL);
	}
	if (marks)
		price_marks(p, ctx, in, 1 + rows, 0, cols, npts, live);
}

const struct pane_ops pane_price_ops = {
	.title = "Price",
	.slot = LAYOUT_PRICE,
	.changed = price_changed,
	.draw = price_draw,
};
