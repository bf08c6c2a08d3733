/*
 * barbuild.h -- N-minute and N-second bars from ticks or shorter bars.
 *
 * Bins are aligned to midnight UTC: a bin starts at a whole multiple of N
 * minutes (or seconds) after 00:00 UTC of its day.  When N divides the
 * day this is the plain epoch grid (5-minute bars at :00, :05, ...);
 * otherwise the last bin of each UTC day is cut short at midnight so that
 * bins never overlap (for N = 7 minutes the day ends with 23:55-24:00).  Because New York and Chicago are
 * whole hours from UTC, bins of 1 to 60 minutes that divide 60 fall on the
 * same wall-clock grid there; day bars for a session need the calendar,
 * not this module.
 *
 * Bars are stamped with their start; a bar covers [start, end) and is
 * complete when time reaches end.  The usual loop, for each input:
 *
 *	if (barbuild_due(b, time_of_input, &bar) == 1)
 *		use(bar);		(the input lies in a later bin)
 *	barbuild_tick(b, &tick);	(or barbuild_bar)
 *	...
 *	while (barbuild_flush(b, &bar) == 1)	(at the end of the data)
 *		use(bar);
 *
 * Bins without input produce no bar.  Nothing is allocated after create.
 */
#ifndef TD_BARBUILD_H
#define TD_BARBUILD_H

#include "types.h"

struct errmsg;
struct barbuild;

/*
 * A builder of bars of minutes (1..1440) minutes, or of seconds (1..
 * 86400) seconds.  Fails with NULL and a message for other lengths or
 * without memory.  Free with barbuild_free.
 */
struct barbuild	*barbuild_create(int minutes, struct errmsg *err);
struct barbuild	*barbuild_create_seconds(int seconds, struct errmsg *err);

/* Free a builder; NULL is allowed. */
void		 barbuild_free(struct barbuild *b);

/*
 * 1 and the finished bar in *out when the bar being built ends at or
 * before now (or a finished bar is waiting, see barbuild_tick); 0 when
 * nothing is finished.  One bar per call.
 */
int		 barbuild_due(struct barbuild *b, td_ns now,
		     struct td_bar *out);

/*
 * Add a trade.  0 when added; 1 when it fell into a later bin, so the bar
 * being built was finished and now waits for barbuild_due or _flush; -1
 * (nothing changed) when the trade is older than an earlier input, or a
 * finished bar is already waiting.
 */
int		 barbuild_tick(struct barbuild *b, const struct td_tick *t);

/*
 * Add a shorter bar (e.g. 1 minute into 5).  Returns like barbuild_tick;
 * -1 with a message also when the bar does not fit inside one bin.
 */
int		 barbuild_bar(struct barbuild *b, const struct td_bar *in,
		     struct errmsg *err);

/*
 * At the end of data: 1 and a bar (a waiting one first, then the one being
 * built), 0 when none is left.  Call until it returns 0.
 */
int		 barbuild_flush(struct barbuild *b, struct td_bar *out);

/* The bin that contains t: its start and (if end is not NULL) its end. */
td_ns		 barbuild_bin(const struct barbuild *b, td_ns t, td_ns *end);

#endif
