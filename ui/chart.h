/*
 * chart.h -- the chart pane's arithmetic: pure functions, no curses.
 *
 * The engine's bars (struct snap_candle, oldest first) are grouped into
 * N-minute candles aligned on N minutes of UTC (N divides 60, so every
 * candle starts on a whole N minutes of any zone with a whole-hour
 * offset); prices and P&L map to rows of the pane, top row highest; the
 * opening range of an ORB strategy is the high and low of the bars inside
 * its first minutes after the regular session's open.  The unit test
 * checks each without a terminal.
 */
#ifndef TD_UI_CHART_H
#define TD_UI_CHART_H

#include <stdint.h>

#include "snapshot.h"

/* The candle lengths the pane offers, in minutes (F2 cycles them). */
#define CHART_NMINUTES	8
extern const int chart_minutes[CHART_NMINUTES];

/* One N-minute candle. */
struct chart_candle {
	td_ns		 start;		/* a multiple of N minutes */
	td_ticks	 open;
	td_ticks	 high;
	td_ticks	 low;
	td_ticks	 close;
};

/*
 * Group n bars (oldest first) into candles of `minutes` (1 and up) and
 * keep the newest `max` of them in out, oldest first; returns how many.
 * A bar goes to the candle its start falls in.
 */
int		 chart_bucket(const struct snap_candle *in, int n, int minutes,
		     struct chart_candle *out, int max);
/* The candle (index into c, n of them) that holds time t, or -1. */
int		 chart_column(const struct chart_candle *c, int n, int minutes,
		     td_ns t);
/* Widen [*lo, *hi] to hold v (*lo > *hi: empty, v alone). */
void		 chart_widen(int64_t *lo, int64_t *hi, int64_t v);
/* The lowest low and highest high of n candles into *lo, *hi. */
void		 chart_range(const struct chart_candle *c, int n, int64_t *lo,
		     int64_t *hi);
/*
 * The row of v among rows (0 the top, for hi; rows - 1 the bottom, for
 * lo), rounded to the nearest; the middle row when lo == hi; clamped.
 */
int		 chart_row(int64_t v, int64_t lo, int64_t hi, int rows);
/*
 * The opening range: the high and low of the bars that start at or
 * after `open` and end by open + minutes.  1 with *lo and *hi, 0 when no
 * bar is there (or open or minutes is 0).
 */
int		 chart_orb(const struct snap_candle *in, int n, td_ns open,
		     int64_t minutes, td_ticks *lo, td_ticks *hi);

#endif
