/*
 * demo.h -- a deterministic generator of ES-like market data.
 *
 * The demo session of the console and every test that must run without
 * real data read this feed.  It makes trade ticks (or N-minute bars built
 * from them) for a run of trading days: Monday to Friday (holidays are not
 * modelled), the regular session 09:30-16:00 America/New_York, or with
 * globex the whole 18:00-17:00 day that starts the evening before.  Prices
 * follow a random walk on the instrument's tick grid around 5000 points,
 * weakly pulled back towards the start price so that long runs stay in a
 * familiar range.  Activity is U-shaped: many trades and large moves at
 * the open and the close, a quiet lunch, a thin night.  Each day draws its
 * own volatility, so typical regular-session ranges run from 20 to 100
 * points.  The same configuration gives the same events, byte for byte.
 */
#ifndef TD_DEMO_H
#define TD_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

struct errmsg;
struct instrument;
struct demo;

enum demo_output {
	DEMO_TICKS = 0,		/* one event per trade */
	DEMO_BARS,		/* bar_minutes bars built from the trades */
};

/* All zeros is a valid configuration: one day of ES ticks from seed 0. */
struct demo_cfg {
	uint64_t		 seed;
	int			 year;		/* first day; 0: 2024-01-02 */
	int			 mon;
	int			 mday;
	int			 days;		/* trading days; 0: 1 */
	bool			 globex;	/* 18:00-17:00 day */
	enum demo_output	 output;
	int			 bar_minutes;	/* DEMO_BARS; 0: 1 */
	td_px			 start_price;	/* 0: 5000.00 */
	double			 ticks_per_sec;	/* regular session mean; 0: 4 */
	int			 inst;		/* index put in each event */
	const struct instrument	*instrument;	/* tick grid; NULL: 0.25 */
	const char		*tz;		/* NULL: America/New_York */
};

/*
 * A generator positioned before its first event.  Fails with NULL and a
 * message for a negative day count, a bad date, bar length, rate or price,
 * or an unknown time zone.  Free with demo_free.
 */
struct demo	*demo_create(const struct demo_cfg *cfg, struct errmsg *err);

/* The next event into md: 1, or 0 after the last day.  Never fails. */
int		 demo_next(struct demo *d, struct td_md *md);

/* Free a generator; NULL is allowed. */
void		 demo_free(struct demo *d);

#endif
