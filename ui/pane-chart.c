/*
 * pane-chart.c -- a candlestick chart of the focused instrument and the
 * session's equity curve, in the price pane's place (F3 toggles them).
 *
 * The candles are the engine's bars (snapshot candle, oldest first)
 * grouped into N-minute candles (chart.h; F2 cycles N through 1, 2, 3,
 * 5, 10, 15, 30 and 60), one a column, newest at the right, scaled
 * between the lowest low and the highest high shown, the working stops
 * and targets and the opening range included.  A candle is its body
 * (open to close) in block characters and its wick (high to low) as a
 * line, in the P&L up colour when it closed at or above its open, else
 * down.  On top: the fills as marks at their price in their candle ('^'
 * or a triangle up for a buy entry, 'v' or a triangle down for a sell
 * entry, 'x' for an exit; a fill in the bar still forming in the
 * column after the last candle); the working stops ('-') and targets ('=') of
 * the instrument as lines across the empty cells, labelled at the right
 * with S or T and their price; the opening range of a strategy with an
 * opening_range_minutes parameter (SimpleORB), from the regular session's
 * open, shaded from its first candle on.  The price axis is at the right,
 * exchange times under the candles.  Below, the equity curve: the
 * account's net P&L over the session (snapshot equity), scaled between
 * its low and high.  Block and shade characters on a UTF-8 terminal,
 * ASCII elsewhere.
 *
 * It redraws only when the instrument's bar count, its fills, its
 * working orders or the equity curve's last point move (or the size,
 * the focus or N).
 */
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "fixed.h"
#include "fmt.h"
#include "pane.h"
#include "tz.h"

#define CHART_AXIS	11	/* the price labels at the right */
#define CHART_MAXCOLS	512

struct chart_glyphs {
	const char	*body, *wick, *shade, *buy, *sell, *exit, *stop;
	const char	*target;
	const char	*blocks[9];
};

static const struct chart_glyphs chart_utf8 = {
	"\u2588", "\u2502", "\u2591", "\u25b2", "\u25bc", "\u00d7", "\u2504",
	"=", { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585",
	    "\u2586", "\u2587", "\u2588" },
};
static const struct chart_glyphs chart_ascii = {
	"#", "|", ":", "^", "v", "x", "-", "=",
	{ " ", ".", ".", "_", "_", "=", "=", "#", "#" },
};

/* Whether anything the chart shows of inst moved. */
static bool
chart_changed(const struct snapshot *old, const struct snapshot *cur)
{
	if (old->ninst != cur->ninst || old->norders != cur->norders ||
	    old->nequity != cur->nequity || (cur->nequity > 0 &&
	    old->equity[cur->nequity - 1].net !=
	    cur->equity[cur->nequity - 1].net))
		return true;
	for (int i = 0; i < cur->ninst; i++) {
		if (old->inst[i].bars != cur->inst[i].bars ||
		    old->inst[i].fills != cur->inst[i].fills ||
		    old->inst[i].rth_open != cur->inst[i].rth_open)
			return true;
	}
	for (int i = 0; i < cur->norders; i++) {
		if (old->orders[i].id != cur->orders[i].id ||
		    old->orders[i].px != cur->orders[i].px)
			return true;
	}
	return false;
}

static int
chart_n(const struct pane *p)
{
	return chart_minutes[(p->mode % CHART_NMINUTES + CHART_NMINUTES) %
	    CHART_NMINUTES];
}

/* F2: the next candle length. */
static bool
chart_key(struct pane *p, int key, struct pane_ctx *ctx)
{
	(void)key;
	(void)ctx;
	p->mode = (p->mode + 1) % CHART_NMINUTES;
	return true;
}

static void
chart_price(const struct snap_inst *in, int64_t ticks, char *buf,
    size_t len)
{
	if (in->tick_size > 0)
		fixed_format(ticks * in->tick_size, fixed_decimals(
		    in->tick_size), buf, len);
	else
		snprintf(buf, len, "%lld", (long long)ticks);
}

static void
chart_cell(struct pane *p, const struct pane_ctx *ctx, int y, int x,
    enum colour_role role, const char *g)
{
	wattrset(p->win, colour_attr(ctx->colour, role));
	mvwaddstr(p->win, y, x, g);
	wattrset(p->win, A_NORMAL);
}

/* The geometry of one draw. */
struct chart_box {
	int		 top;		/* first candle row */
	int		 rows;		/* candle rows */
	int		 cols;		/* candle columns */
	int64_t		 lo, hi;	/* the price scale */
	int		 n;		/* candles */
	int		 minutes;
	struct chart_candle c[CHART_MAXCOLS];
	/* Cells taken by a candle or a mark: lines and shading go around. */
	unsigned char	 used[128][CHART_MAXCOLS];
	unsigned char	 label[128];	/* a row's axis label is taken */
};

static void
chart_candles(struct pane *p, const struct pane_ctx *ctx,
    const struct chart_glyphs *g, struct chart_box *b)
{
	for (int i = 0; i < b->n; i++) {
		const struct chart_candle	*c = &b->c[i];
		int	 hr = chart_row(c->high, b->lo, b->hi, b->rows);
		int	 lr = chart_row(c->low, b->lo, b->hi, b->rows);
		int	 orow = chart_row(c->open, b->lo, b->hi, b->rows);
		int	 crow = chart_row(c->close, b->lo, b->hi, b->rows);
		int	 b0 = orow < crow ? orow : crow;
		int	 b1 = orow < crow ? crow : orow;
		enum colour_role role = c->close >= c->open ? COLOUR_PNL_UP :
			    COLOUR_PNL_DOWN;

		for (int r = hr; r <= lr; r++) {
			chart_cell(p, ctx, b->top + r, i, role, r >= b0 &&
			    r <= b1 ? g->body : g->wick);
			b->used[r][i] = 1;
		}
	}
}

/* Working stops and targets of the symbol: lines and axis labels. */
static void
chart_levels(struct pane *p, const struct pane_ctx *ctx,
    const struct chart_glyphs *g, const struct snap_inst *in,
    struct chart_box *b)
{
	const struct snapshot	*s = ctx->snap;
	char			 px[SNAP_PX], label[SNAP_PX + 4];

	for (int k = 0; k < s->norders; k++) {
		const struct snap_order	*o = &s->orders[k];
		bool			 stop = strcmp(o->role, "stop") == 0;
		int			 r;

		if (strcmp(o->symbol, in->symbol) != 0 || o->px == 0 ||
		    (!stop && strcmp(o->role, "target") != 0))
			continue;
		r = chart_row(o->px, b->lo, b->hi, b->rows);
		for (int x = 0; x < b->cols; x++) {
			if (!b->used[r][x])
				chart_cell(p, ctx, b->top + r, x, stop ?
				    COLOUR_MARK_SELL : COLOUR_MARK_BUY, stop ?
				    g->stop : g->target);
		}
		chart_price(in, o->px, px, sizeof px);
		snprintf(label, sizeof label, "%s %s", stop ? "S" : "T", px);
		pane_put(p, ctx, b->top + r, b->cols + 1, CHART_AXIS - 1,
		    stop ? COLOUR_MARK_SELL : COLOUR_MARK_BUY, label);
		b->label[r] = 1;
	}
}

/* The opening range, shaded from its first candle on. */
static void
chart_shade(struct pane *p, const struct pane_ctx *ctx,
    const struct chart_glyphs *g, const struct snap_inst *in,
    struct chart_box *b, td_ticks lo, td_ticks hi)
{
	int	 r0 = chart_row(hi, b->lo, b->hi, b->rows);
	int	 r1 = chart_row(lo, b->lo, b->hi, b->rows);
	int	 x0 = chart_column(b->c, b->n, b->minutes, in->rth_open);

	if (x0 < 0)
		x0 = 0;
	for (int r = r0; r <= r1; r++) {
		for (int x = x0; x < b->n; x++) {
			if (!b->used[r][x])
				chart_cell(p, ctx, b->top + r, x, COLOUR_DIM,
				    g->shade);
		}
	}
}

static void
chart_marks(struct pane *p, const struct pane_ctx *ctx,
    const struct chart_glyphs *g, const struct snap_inst *in,
    struct chart_box *b)
{
	td_ns	 len = (td_ns)b->minutes * TD_NS_PER_MIN;

	for (int k = 0; k < in->nmark; k++) {
		const struct snap_mark	*m = &in->mark[k];
		int			 x, r;

		/*
		 * A fill at a bar's end is that bar's; one in the bar still
		 * forming goes in the column after the last candle.
		 */
		x = chart_column(b->c, b->n, b->minutes, m->time - 1);
		if (x < 0 && b->n < b->cols && b->n > 0 &&
		    m->time > b->c[b->n - 1].start + len &&
		    m->time <= b->c[b->n - 1].start + 2 * len)
			x = b->n;
		if (x < 0)
			continue;
		r = chart_row(m->price, b->lo, b->hi, b->rows);
		chart_cell(p, ctx, b->top + r, x, m->buy ? COLOUR_MARK_BUY :
		    COLOUR_MARK_SELL, m->exit ? g->exit : m->buy ? g->buy :
		    g->sell);
		b->used[r][x] = 1;
	}
}

/* Prices at the right: the high, the low and the middle. */
static void
chart_axis(struct pane *p, const struct pane_ctx *ctx,
    const struct snap_inst *in, const struct chart_box *b)
{
	char	 px[SNAP_PX];
	int	 rows[3] = { 0, b->rows / 2, b->rows - 1 };

	for (int i = 0; i < 3; i++) {
		int64_t	 v = b->hi - (b->hi - b->lo) * rows[i] /
			    (b->rows > 1 ? b->rows - 1 : 1);

		if ((i > 0 && rows[i] == rows[i - 1]) || b->label[rows[i]])
			continue;
		chart_price(in, v, px, sizeof px);
		pane_put(p, ctx, b->top + rows[i], b->cols + 1, CHART_AXIS - 1,
		    COLOUR_DIM, px);
	}
}

/* Exchange times under the candles, one label every 12 columns. */
static void
chart_times(struct pane *p, const struct pane_ctx *ctx,
    const struct chart_box *b, int y)
{
	char	 clock[32];

	for (int x = 0; x + 5 <= b->cols && x < b->n; x += 12) {
		fmt_clock(clock, sizeof clock, ctx->tz, b->c[x].start, 0);
		pane_put(p, ctx, y, x, 5, COLOUR_DIM, clock + strlen(clock) -
		    (strlen(clock) >= 8 ? 8 : strlen(clock)));
	}
}

/* The equity curve in rows y .. y + rows - 1, a label on its first. */
static void
chart_equity(struct pane *p, const struct pane_ctx *ctx,
    const struct chart_glyphs *g, int y, int rows, int cols)
{
	const struct snapshot	*s = ctx->snap;
	int			 n = s->nequity < cols ? s->nequity : cols;
	int			 first = s->nequity - n;
	int64_t			 lo = 1, hi = 0;
	char			 pnl[32], los[32], his[32], label[192];

	for (int i = first; i < s->nequity; i++)
		chart_widen(&lo, &hi, s->equity[i].net);
	fmt_pnl(pnl, sizeof pnl, s->net);
	if (n > 0) {
		fmt_pnl(los, sizeof los, lo);
		fmt_pnl(his, sizeof his, hi);
		snprintf(label, sizeof label, "equity, net P&L of the session "
		    "%s (low %s, high %s)", pnl, los, his);
	} else
		snprintf(label, sizeof label, "equity, net P&L of the session "
		    "%s", pnl);
	pane_put(p, ctx, y, 0, 0, pane_pnl_role(s->net), label);
	rows--;
	for (int r = 0; r < rows; r++) {
		wmove(p->win, y + 1 + r, 0);
		wattrset(p->win, colour_attr(ctx->colour, COLOUR_SPARK));
		for (int c = 0; c < n; c++) {
			int64_t	 eighths = (int64_t)rows * 8, h, lvl;

			h = hi == lo ? eighths / 2 : 1 + (s->equity[first +
			    c].net - lo) * (eighths - 1) / (hi - lo);
			lvl = h - (int64_t)(rows - 1 - r) * 8;
			waddstr(p->win, g->blocks[lvl < 0 ? 0 : lvl > 8 ? 8 :
			    lvl]);
		}
		wattrset(p->win, A_NORMAL);
	}
}

/* The ORB strategies' range on in: 1 with lo and hi. */
static int
chart_orb_range(const struct snapshot *s, const struct snap_inst *in,
    td_ticks *lo, td_ticks *hi)
{
	for (int k = 0; k < s->nstrat; k++) {
		if (s->strat[k].range_minutes > 0 &&
		    strcmp(s->strat[k].symbol, in->symbol) == 0)
			return chart_orb(in->candle, in->ncandle, in->rth_open,
			    s->strat[k].range_minutes, lo, hi);
	}
	return 0;
}

static void
chart_draw(struct pane *p, const struct pane_ctx *ctx)
{
	struct chart_box	 box;	/* about 90 KB, on the console's
					   stack */
	const struct chart_glyphs *g = ctx->utf8 ? &chart_utf8 : &chart_ascii;
	const struct snapshot	*s = ctx->snap;
	const struct snap_inst	*in;
	struct chart_box	*b = &box;
	char			 title[256], range[64] = "", ol[SNAP_PX];
	char			 oh[SNAP_PX];
	td_ticks		 olo = 0, ohi = 0;
	int			 eq, orb;

	if (s->ninst == 0 || ctx->inst >= s->ninst) {
		pane_title(p, ctx, "no instrument");
		return;
	}
	in = &s->inst[ctx->inst];
	b->minutes = chart_n(p);
	orb = chart_orb_range(s, in, &olo, &ohi);
	if (orb) {
		chart_price(in, olo, ol, sizeof ol);
		chart_price(in, ohi, oh, sizeof oh);
		snprintf(range, sizeof range, ", opening range %s-%s", ol, oh);
	}
	snprintf(title, sizeof title, "%s %d-min candles%s%s%s (F2 minutes, "
	    "F3 price line)", in->symbol, b->minutes, in->last[0] != '\0' ?
	    ", last " : "", in->last, range);
	pane_title(p, ctx, title);
	eq = p->rect.h >= 8 ? (p->rect.h - 2) / 4 : 0;
	if (eq == 1)
		eq = 2;
	b->top = 1;
	b->rows = p->rect.h - 1 - 1 - eq;
	b->cols = p->rect.w - CHART_AXIS;
	if (b->cols > CHART_MAXCOLS)
		b->cols = CHART_MAXCOLS;
	if (b->rows > 128)
		b->rows = 128;
	if (b->rows < 1 || b->cols < 1)
		return;
	b->n = chart_bucket(in->candle, in->ncandle, b->minutes, b->c,
	    b->cols);
	if (b->n == 0)
		pane_put(p, ctx, 1, 0, 0, COLOUR_DIM, "no bars yet");
	chart_range(b->c, b->n, &b->lo, &b->hi);
	for (int k = 0; k < s->norders; k++) {
		if (strcmp(s->orders[k].symbol, in->symbol) == 0 &&
		    s->orders[k].px != 0 &&
		    (strcmp(s->orders[k].role, "stop") == 0 ||
		    strcmp(s->orders[k].role, "target") == 0))
			chart_widen(&b->lo, &b->hi, s->orders[k].px);
	}
	if (orb) {
		chart_widen(&b->lo, &b->hi, olo);
		chart_widen(&b->lo, &b->hi, ohi);
	}
	memset(b->used, 0, sizeof b->used);
	memset(b->label, 0, sizeof b->label);
	if (b->n > 0) {
		chart_candles(p, ctx, g, b);
		chart_marks(p, ctx, g, in, b);
		if (orb)
			chart_shade(p, ctx, g, in, b, olo, ohi);
		chart_levels(p, ctx, g, in, b);
		chart_axis(p, ctx, in, b);
		chart_times(p, ctx, b, b->top + b->rows);
	}
	if (eq > 0)
		chart_equity(p, ctx, g, b->top + b->rows + 1, eq, p->rect.w);
}

const struct pane_ops pane_chart_ops = {
	.title = "Chart",
	.slot = LAYOUT_PRICE,
	.action = "minutes",
	.changed = chart_changed,
	.draw = chart_draw,
	.key = chart_key,
};
