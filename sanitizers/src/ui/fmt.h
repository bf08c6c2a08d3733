/*
 * fmt.h -- numbers as the console shows them.
 *
 * Money arrives in integer cents and is printed exactly, with its sign
 * always written when it is not zero ("+125.50", "-37.50", "0.00"): colour
 * is only ever an addition to the sign.  Every function writes a NUL
 * ended string that fits len bytes (cut when it does not) and returns buf.
 */
#ifndef TD_UI_FMT_H
#define TD_UI_FMT_H

#include <stddef.h>

#include "types.h"

struct tz;

/* Signed money: "+1234.50", "-0.25", "0.00". */
char		*fmt_pnl(char *buf, size_t len, td_cents c);
/* Money without a sign for amounts that are never negative: "1000.00". */
char		*fmt_money(char *buf, size_t len, td_cents c);
/* Whole dollars, rounded towards zero, for the gauges: "450", "-12". */
char		*fmt_dollars(char *buf, size_t len, td_cents c);
/* A position: "+2", "-1", "0". */
char		*fmt_qty(char *buf, size_t len, int64_t q);
/*
 * A duration, short: "0.4s", "12s", "3m05s", "2h10m", "4d"; negative
 * durations print as "0.0s".
 */
char		*fmt_age(char *buf, size_t len, td_ns d);
/* Replay speed: "max" for 0 or less, else "x1", "x60", "x2.5". */
char		*fmt_speed(char *buf, size_t len, double speed);
/*
 * Local time of an instant: "HH:MM:SS" (with_date false) or
 * "YYYY-MM-DD HH:MM:SS"; tz NULL means UTC.  "--:--:--" for time 0.
 */
char		*fmt_clock(char *buf, size_t len, const struct tz *tz,
		     td_ns t, int with_date);
/*
 * A price in ticks, formatted like a reference price of the same
 * instrument: ref is the formatted price of ref_ticks ("5012.25" for
 * 20049 ticks of 0.25), from which the tick size and the decimals are
 * worked out exactly.  -1 (and buf "") when the tick size cannot be
 * worked out exactly (ref empty or 0, or not a whole number of units per
 * tick).
 */
int		 fmt_ticks_like(char *buf, size_t len, td_ticks ticks,
		     const char *ref, td_ticks ref_ticks);

#endif
