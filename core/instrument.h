/*
 * instrument.h -- what the engine knows about one tradable contract.
 *
 * An instrument is plain data filled from configuration.  Its tick size
 * turns fixed point prices into ticks; its tick value (point value x tick
 * size) must be a whole number of cents so that every P&L figure is exact.
 * Its prices are above zero unless negative_prices says that its market
 * can trade at zero or below (crude oil did in April 2020); the readers of
 * market data refuse other prices (instrument_price_ok).
 */
#ifndef TD_INSTRUMENT_H
#define TD_INSTRUMENT_H

#include "types.h"

struct errmsg;

struct instrument {
	char		 symbol[TD_SYMBOL_MAX];
	td_px		 tick_size;	/* fixed point, e.g. 0.25 */
	td_cents	 point_value;	/* cents per whole point, e.g. 5000 */
	td_cents	 tick_value;	/* cents per tick, derived */
	td_cents	 commission;	/* cents per contract per side */
	int		 decimals;	/* digits after the point to print */
	int		 calendar;	/* index of its session template */
	bool		 negative_prices;	/* may trade at 0 or below */
};

/*
 * Check an instrument and derive tick_value and decimals from tick_size
 * and point_value.  Fails when the tick value is not whole cents.
 */
int	 instrument_init(struct instrument *inst, struct errmsg *err);

/* A fixed point price in ticks; -1 with a message when off the grid. */
int	 instrument_ticks(const struct instrument *inst, td_px px,
	     td_ticks *out, struct errmsg *err);

/*
 * May the market of inst (NULL: no instrument) print the fixed point price
 * px?  0 when px is above zero, or when inst has negative_prices; else -1
 * and "what 0.00 is not above zero" (what names the price: "price",
 * "low price").
 */
int	 instrument_price_ok(const struct instrument *inst, td_px px,
	     const char *what, struct errmsg *err);

/* Ticks back to fixed point. */
td_px	 instrument_px(const struct instrument *inst, td_ticks ticks);

/* Print a price in ticks as a decimal ("4801.25") into buf. */
char	*instrument_format(const struct instrument *inst, td_ticks ticks,
	     char *buf, size_t len);

#endif
