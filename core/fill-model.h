/*
 * fill-model.h -- the named fill models of the simulated exchange: which
 * rules a bar is matched by, so that a trader can compare the results
 * of the same strategy under the fills of the platforms they know.
 *
 * The simulated exchange (venue-sim.h) owns the orders and the matching;
 * this module owns the rules that differ between models, as a table of
 * switches (struct fill_rules) the venue consults and a few price rules
 * written as pure functions of one order and one bar, so that each can
 * be checked alone.  Nothing here allocates or keeps state.
 *
 *   FILL_TICKDESK     tickdesk's own rules, as venue-sim.h describes them
 *                     (venue.bar_path chooses stop-first or the OHLC path).
 *   FILL_NT8_DEFAULT  NinjaTrader 8's historical fills, fill type
 *                     "Default", order fill resolution "Standard": the bar
 *                     is replayed open -> nearer extreme -> farther
 *                     extreme -> close; a limit fills only when the price
 *                     trades through it, always at the limit price (a bar
 *                     that opens through it too); slippage never goes
 *                     beyond the bar's high or low.
 *   FILL_NT8_LIBERAL  the same with fill type "Liberal": a touch fills a
 *                     limit, at the limit price; when the bar (the rest of
 *                     it, for an order sent while it is processed) never
 *                     comes back to a limit it opened beyond (a gap bar),
 *                     the limit fills at the bar's extreme nearest to it:
 *                     a buy at the high, a sell at the low.
 *   FILL_BACKTRADER   backtrader's default broker (BackBroker): every
 *                     working order, in the order it arrived, is matched
 *                     against the whole bar (fill_model_bar_fill), so a
 *                     bracket's stop, sent before its target, is checked
 *                     first; orders sent while a bar is processed (the
 *                     bracket legs of an entry that filled at its open)
 *                     work from the next bar; an entry's bracket is priced
 *                     from the signal (the last price when the entry was
 *                     sent), not from its fill; slippage never goes beyond
 *                     the bar's high or low.
 *
 * Market orders fill at the next bar's open and stops at their price, or
 * at the open when the bar opens beyond them, under every model.  A trade
 * tick is matched as a bar whose four prices are its price: over ticks,
 * with the strategies on bars built from them, the NT8 models give
 * NinjaTrader's "High" order fill resolution.
 */
#ifndef TD_FILL_MODEL_H
#define TD_FILL_MODEL_H

#include <stdbool.h>

#include "types.h"

enum fill_model {
	FILL_TICKDESK,
	FILL_NT8_DEFAULT,
	FILL_NT8_LIBERAL,
	FILL_BACKTRADER,
};
#define FILL_NMODELS	(FILL_BACKTRADER + 1)

/* How a limit filled at a point the price is already beyond fills. */
enum fill_gap {
	FILL_GAP_POINT,		/* at that point's price (the open) */
	FILL_GAP_LIMIT,		/* at the limit price, never better */
	FILL_GAP_EXTREME,	/* at the limit, or the bar's nearest extreme
				   when it never comes back to the limit */
};

struct fill_rules {
	bool		 path;		/* always open, near, far, close */
	bool		 arrival;	/* each order against the whole bar,
					   in arrival order */
	bool		 through;	/* a touch does not fill a limit */
	bool		 same_bar;	/* legs sent during a bar match its
					   rest */
	bool		 signal_base;	/* brackets priced from the signal */
	bool		 slip_in_bar;	/* slippage stays inside the bar */
	enum fill_gap	 gap;
};

/* The model's rules; m must be one of enum fill_model. */
const struct fill_rules *fill_model_rules(enum fill_model m);

/* "tickdesk", "nt8-default", "nt8-liberal", "backtrader"; "?" else. */
const char	*fill_model_name(enum fill_model m);

/* The model called name: 0, or -1 when there is none. */
int		 fill_model_parse(const char *name, enum fill_model *m);

/*
 * A limit on side at lvl meets the price px, the start of what is left
 * of a bar (its open), and far, the best price for the limit that the
 * rest reaches (a buy's: the rest's high; a sell's: its low).  The price
 * it fills at there, or 0 when it does not fill at px: it is not at or
 * beyond px, or only touches it under m's through rule.
 */
td_ticks	 fill_model_limit_at(enum fill_model m, enum td_side side,
		     td_ticks lvl, td_ticks px, td_ticks far);

/*
 * Does a move of the price from a to b (a != b) reach a limit on side at
 * lvl under m?  Rising prices reach sell limits, falling ones buy limits;
 * under a through rule the move must pass beyond lvl, and a move that
 * starts at lvl (a touch not filled there) counts.
 */
bool		 fill_model_limit_reached(enum fill_model m, enum td_side side,
		     td_ticks lvl, td_ticks a, td_ticks b);

/* Whether an order works as a stop or a limit (fill_model_bar_fill). */
enum fill_kind {
	FILL_KIND_STOP,
	FILL_KIND_LIMIT,
};

/*
 * Backtrader's whole-bar rule: where a stop or limit on side at lvl fills
 * in a bar: at its open when the bar opens at or beyond lvl, else at lvl
 * when the high or low reaches it (a buy stop: high >= lvl; a buy limit:
 * low <= lvl); 0 when the bar does not reach it.
 */
td_ticks	 fill_model_bar_fill(enum fill_kind kind, enum td_side side,
		     td_ticks lvl, td_ticks open, td_ticks high, td_ticks low);

/*
 * A market or stop fill at px moved slip ticks against the trader; under
 * a model that keeps slippage inside the bar, never beyond high (a buy)
 * or low (a sell).  A bar of 0 high and low (a tick) is not clipped.
 */
td_ticks	 fill_model_slip(enum fill_model m, enum td_side side,
		     td_ticks px, int slip, td_ticks high, td_ticks low);

#endif
