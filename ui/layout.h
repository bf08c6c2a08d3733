/*
 * layout.h -- where each pane of the console goes: pure arithmetic.
 *
 * Given the size of the terminal, layout_compute returns one rectangle per
 * pane.  It knows nothing of ncurses or of what a pane shows, so the unit
 * test checks every size without a terminal.  The status bar is always the
 * top line, the command line always the bottom line and the reply line
 * (the last answer to a command) the line above it; the panes between
 * them share the rest.  From 80x24 up every pane is visible at once:
 *
 *   80 to 159 columns (or fewer than 30 lines): one stack,
 *	status
 *	positions | risk
 *	strategies | price
 *	blotter
 *	log
 *	reply line
 *	command line
 *   160 columns and 30 lines or more: two columns, the figures on the left
 *   (positions, strategies, risk, price), the blotter above the log on the
 *   right.
 *
 * Below 80x24 the layout is "too small": only the status bar, a message
 * area, the reply lines (up to three) and the command line remain, so
 * `flatten` and `kill` can still be typed and their answers read.
 */
#ifndef TD_UI_LAYOUT_H
#define TD_UI_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS		80
#define LAYOUT_MIN_LINES	24

enum layout_pane {
	LAYOUT_STATUS,
	LAYOUT_POSITIONS,
	LAYOUT_STRATEGIES,
	LAYOUT_BLOTTER,
	LAYOUT_RISK,
	LAYOUT_LOG,
	LAYOUT_PRICE,
	LAYOUT_CMDLINE,
	LAYOUT_REPLY,		/* the last reply, above the command line */
	LAYOUT_NPANES,
};

/* A rectangle on the screen; h == 0 or w == 0 means not shown. */
struct layout_rect {
	int		 y;
	int		 x;
	int		 h;
	int		 w;
};

struct layout {
	int			 cols;
	int			 lines;
	bool			 too_small;
	/* In the too-small state: where the "terminal too small" text goes. */
	struct layout_rect	 message;
	struct layout_rect	 pane[LAYOUT_NPANES];
};

/*
 * Lay out a terminal of cols x lines (negative sizes count as 0).  Never
 * fails: every rectangle lies inside the screen and no two overlap.
 */
void		 layout_compute(struct layout *l, int cols, int lines);

/*
 * The chart (F3) in the price pane's slot, with room for candles: in two
 * columns it takes the blotter's rectangle and the blotter the price
 * line's; in one stack it takes the rows of the strategies, the price
 * line and the blotter, the full width, and those two are not shown
 * until the chart is toggled off.  Nothing changes when too small.
 */
void		 layout_chart(struct layout *l);

/* True when the rectangle is shown. */
bool		 layout_visible(const struct layout_rect *r);

#endif
