/*
 * gauge.h -- a risk limit as a bar: how full, and how worried to be.
 *
 * A gauge is used against limit (struct snap_gauge).  It turns to the
 * warning level at 80% of the limit and to the breach level at 100%; a
 * limit of 0 means the limit is off and the gauge shows no bar.  The
 * arithmetic is integer only and lives here so that the thresholds are
 * tested without a screen; pane-risk.c draws the result.
 */
#ifndef TD_UI_GAUGE_H
#define TD_UI_GAUGE_H

#include <stdint.h>

#define GAUGE_WARN_PERCENT	80
#define GAUGE_BREACH_PERCENT	100

enum gauge_level {
	GAUGE_OFF,		/* no limit */
	GAUGE_OK,		/* below 80% */
	GAUGE_WARN,		/* 80% up to 100% */
	GAUGE_BREACH,		/* at or over the limit */
};

/* The level of used against limit; used below 0 counts as 0. */
enum gauge_level gauge_level(int64_t used, int64_t limit);

/*
 * Whole percent of the limit used, rounded down and capped at 999; 0 when
 * the limit is off.
 */
int		 gauge_percent(int64_t used, int64_t limit);

/*
 * How many of width cells the bar fills, rounded down, except that any use
 * above zero shows at least one cell and only a breach fills them all.
 * 0 when the limit is off or width is not positive.
 */
int		 gauge_fill(int64_t used, int64_t limit, int width);

#endif
