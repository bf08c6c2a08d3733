/*
 * sizer.h -- how many contracts an entry gets.
 *
 * A strategy intent without a quantity goes through the sizer before the
 * risk manager.  SIZER_FIXED trades a fixed number of contracts.
 * SIZER_RISK trades as many contracts as fit in risk_per_trade given the
 * stop distance: floor(risk_per_trade / (stop_ticks x tick_value)),
 * clamped to [min_contracts, max_contracts].
 *
 * The risk budget wins over min_contracts: when fewer than min_contracts
 * contracts fit, the answer is no trade (qty 0 with the reason), never
 * min_contracts, because trading them would risk more than the trader
 * allowed.  min_contracts is therefore "not worth trading below this".
 * max_contracts <= 0 means no cap; min_contracts <= 0 counts as 1.
 */
#ifndef TD_SIZER_H
#define TD_SIZER_H

#include "types.h"

struct instrument;

struct sizer_cfg {
	enum sizer_method {
		SIZER_FIXED,
		SIZER_RISK,
	}		 method;
	int64_t		 contracts;	/* SIZER_FIXED */
	td_cents	 risk_per_trade;	/* SIZER_RISK */
	int64_t		 min_contracts;
	int64_t		 max_contracts;
};

/*
 * The quantity for an entry whose stop is stop_ticks away.  Returns 0
 * with *qty > 0 to trade; 0 with *qty == 0 for no trade, the reason in why
 * ("risk 1 contract x 40 ticks = $500.00 exceeds $250.00 per trade");
 * -1 with the reason in why for a bad configuration or a stop_ticks <= 0
 * with SIZER_RISK.  why (n bytes) may be NULL.
 */
int		 sizer_qty(const struct sizer_cfg *cfg,
		     const struct instrument *inst, int64_t stop_ticks,
		     int64_t *qty, char *why, size_t n);

#endif
