/*
 * layout.c -- pane rectangles for a terminal size.
 *
 * The console calls layout_compute at start and on every KEY_RESIZE, then
 * moves each pane's window to its rectangle.  The sizes below come from
 * what each pane needs at 80x24 (the smallest supported terminal) and grow
 * in proportion when there is more room: the risk pane needs a title and
 * six lines of gauges, the positions pane a title, a header, a row per
 * instrument and the account line, and the blotter and the log take what
 * is left, half each.
 */
#include <string.h>

#include "layout.h"

/* Below these the right-hand column is as narrow as it gets. */
#define LAYOUT_RIGHT_MIN	34
#define LAYOUT_WIDE_COLS	160
#define LAYOUT_WIDE_LINES	30
#define LAYOUT_WIDE_LEFT	80
#define LAYOUT_REPLY_SMALL	3	/* reply lines when too small */

static int
layout_min(int a, int b)
{
	return a < b ? a : b;
}

static int
layout_max(int a, int b)
{
	return a > b ? a : b;
}

static void
layout_set(struct layout *l, enum layout_pane p, int y, int x, int h, int w)
{
	l->pane[p] = (struct layout_rect){ .y = y, .x = x, .h = h, .w = w };
}

/*
 * Smaller than 80x24: the status bar, the command line and its replies,
 * and a message saying so in what is left.
 */
static void
layout_small(struct layout *l)
{
	int	 cols = l->cols, lines = l->lines, reply;

	l->too_small = true;
	if (cols == 0 || lines == 0)
		return;
	/* With one line left the command line wins: it can still flatten. */
	layout_set(l, LAYOUT_CMDLINE, lines - 1, 0, 1, cols);
	if (lines >= 2)
		layout_set(l, LAYOUT_STATUS, 0, 0, 1, cols);
	if (lines < 3)
		return;
	/* Then the answers to what is typed, then the message. */
	reply = layout_max(1, layout_min(LAYOUT_REPLY_SMALL, (lines - 2) / 2));
	layout_set(l, LAYOUT_REPLY, lines - 1 - reply, 0, reply, cols);
	if (lines - 2 - reply > 0)
		l->message = (struct layout_rect){
			.y = 1, .x = 0, .h = lines - 2 - reply, .w = cols,
		};
}

/* One stack, figures in two columns above the blotter and the log. */
static void
layout_stack(struct layout *l)
{
	int	 cols = l->cols, avail = l->lines - 3;
	int	 extra = avail - (LAYOUT_MIN_LINES - 3);
	int	 rw, lw, top, mid, rest, blot, y;

	rw = layout_max(LAYOUT_RIGHT_MIN, cols * LAYOUT_RIGHT_MIN /
	    LAYOUT_MIN_COLS);
	lw = cols - rw;
	top = 7 + layout_min(extra / 4, 3);
	mid = 3 + layout_min(extra / 4, 4);
	rest = avail - top - mid;
	blot = rest / 2;

	y = 1;
	layout_set(l, LAYOUT_POSITIONS, y, 0, top, lw);
	layout_set(l, LAYOUT_RISK, y, lw, top, rw);
	y += top;
	layout_set(l, LAYOUT_STRATEGIES, y, 0, mid, lw);
	layout_set(l, LAYOUT_PRICE, y, lw, mid, rw);
	y += mid;
	layout_set(l, LAYOUT_BLOTTER, y, 0, blot, cols);
	y += blot;
	layout_set(l, LAYOUT_LOG, y, 0, rest - blot, cols);
}

/* Two columns: the figures on the left, blotter over log on the right. */
static void
layout_wide(struct layout *l)
{
	int	 cols = l->cols, avail = l->lines - 3;
	int	 lw, rw, pos, strat, risk, blot, y;

	lw = layout_max(LAYOUT_WIDE_LEFT, cols * 2 / 5);
	rw = cols - lw;
	pos = layout_min(12, layout_max(7, avail / 4));
	strat = layout_min(18, layout_max(4, avail / 5));
	risk = 9;

	y = 1;
	layout_set(l, LAYOUT_POSITIONS, y, 0, pos, lw);
	y += pos;
	layout_set(l, LAYOUT_STRATEGIES, y, 0, strat, lw);
	y += strat;
	layout_set(l, LAYOUT_RISK, y, 0, risk, lw);
	y += risk;
	layout_set(l, LAYOUT_PRICE, y, 0, avail + 1 - y, lw);

	blot = avail / 2;
	layout_set(l, LAYOUT_BLOTTER, 1, lw, blot, rw);
	layout_set(l, LAYOUT_LOG, 1 + blot, lw, avail - blot, rw);
}

void
layout_compute(struct layout *l, int cols, int lines)
{
	memset(l, 0, sizeof *l);
	l->cols = layout_max(cols, 0);
	l->lines = layout_max(lines, 0);
	if (l->cols < LAYOUT_MIN_COLS || l->lines < LAYOUT_MIN_LINES) {
		layout_small(l);
		return;
	}
	layout_set(l, LAYOUT_STATUS, 0, 0, 1, l->cols);
	layout_set(l, LAYOUT_REPLY, l->lines - 2, 0, 1, l->cols);
	layout_set(l, LAYOUT_CMDLINE, l->lines - 1, 0, 1, l->cols);
	if (l->cols >= LAYOUT_WIDE_COLS && l->lines >= LAYOUT_WIDE_LINES)
		layout_wide(l);
	else
		layout_stack(l);
}

void
layout_chart(struct layout *l)
{
	struct layout_rect	*price = &l->pane[LAYOUT_PRICE];
	struct layout_rect	*blot = &l->pane[LAYOUT_BLOTTER];
	struct layout_rect	*strat = &l->pane[LAYOUT_STRATEGIES];
	struct layout_rect	 t;

	if (l->too_small)
		return;
	if (l->cols >= LAYOUT_WIDE_COLS && l->lines >= LAYOUT_WIDE_LINES) {
		t = *price;
		*price = *blot;
		*blot = t;
		return;
	}
	*price = (struct layout_rect){ .y = strat->y, .x = 0,
	    .h = strat->h + blot->h, .w = l->cols };
	*strat = (struct layout_rect){ 0 };
	*blot = (struct layout_rect){ 0 };
}

bool
layout_visible(const struct layout_rect *r)
{
	return r->h > 0 && r->w > 0;
}
