/*
 * types.h -- the plain value types every core module shares.
 *
 * Time is int64 nanoseconds since the Unix epoch, UTC.  Prices travel through
 * the engine as integer ticks of their instrument; where a price must exist
 * before an instrument is known (parsing, configuration) it is fixed point
 * with TD_PX_SCALE units per point.  Money is integer cents.  Nothing in the
 * engine uses floating point for a price or an amount of money.
 */
#ifndef TD_TYPES_H
#define TD_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t td_ns;		/* nanoseconds since 1970-01-01 UTC */
typedef int64_t td_px;		/* fixed point price, TD_PX_SCALE per point */
typedef int64_t td_ticks;	/* price in ticks of one instrument */
typedef int64_t td_cents;	/* money */

#define TD_NS_PER_SEC	1000000000LL
#define TD_NS_PER_MIN	(60 * TD_NS_PER_SEC)
#define TD_NS_PER_HOUR	(60 * TD_NS_PER_MIN)
#define TD_NS_PER_DAY	(24 * TD_NS_PER_HOUR)
#define TD_PX_SCALE	1000000000LL

#define TD_SYMBOL_MAX	16
#define TD_NAME_MAX	32

enum td_side {
	TD_SELL = -1,
	TD_BUY = 1,
};

/* A bar covers [start, end); it is known to the engine at end. */
struct td_bar {
	td_ns		 start;
	td_ns		 end;
	td_ticks	 open;
	td_ticks	 high;
	td_ticks	 low;
	td_ticks	 close;
	int64_t		 volume;
};

/* One trade print.  bid and ask are 0 when the source has none. */
struct td_tick {
	td_ns		 time;
	td_ticks	 price;
	td_ticks	 bid;
	td_ticks	 ask;
	int64_t		 volume;
};

enum td_md_kind {
	TD_MD_BAR,
	TD_MD_TICK,
};

/* A market data event for one instrument (index into the engine's list). */
struct td_md {
	enum td_md_kind	 kind;
	int		 inst;
	union {
		struct td_bar	 bar;
		struct td_tick	 tick;
	};
};

/*
 * A typed signal from outside the market: a model's probability, a
 * sentiment score, any number a strategy may act on.  source says who
 * sends it ("model:orb-filter", "news"), name what it is ("p_up"); inst
 * is the instrument it is about (an index into the engine's list), -1
 * for none.  value is fixed point, TD_DATA_SCALE units per 1: a
 * probability lies in 0..1, a score in -1..1.  time is when it became
 * known.
 */
#define TD_DATA_SCALE	1000000000LL

enum td_data_kind {
	TD_DATA_VALUE,		/* any number */
	TD_DATA_PROBABILITY,	/* 0 to 1 */
	TD_DATA_SCORE,		/* -1 to 1 */
};

struct td_data {
	char		 source[TD_NAME_MAX];
	char		 name[TD_NAME_MAX];
	int		 inst;
	enum td_data_kind kind;
	int64_t		 value;
	td_ns		 time;
};

/* The time at which a market event becomes known. */
static inline td_ns
td_md_time(const struct td_md *md)
{
	return md->kind == TD_MD_BAR ? md->bar.end : md->tick.time;
}

/* The first instant the event covers (a bar's start, a tick's time). */
static inline td_ns
td_md_start(const struct td_md *md)
{
	return md->kind == TD_MD_BAR ? md->bar.start : md->tick.time;
}

#endif
