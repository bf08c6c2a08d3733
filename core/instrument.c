/*
 * instrument.c -- checking an instrument and converting its prices.
 *
 * Configuration fills a struct instrument; instrument_init checks it once
 * and derives what the hot path needs (tick value in cents, the decimals
 * to print).  After that every price in the engine is an integer number of
 * ticks, and these conversions are the only place where ticks meet fixed
 * point text.  instrument_price_ok is the rule for prices at or below
 * zero, which only an instrument with negative_prices may have.
 */
#include <stdio.h>

#include "errmsg.h"
#include "fixed.h"
#include "instrument.h"

static const char *
instrument_name(const struct instrument *inst)
{
	return inst->symbol[0] != '\0' ? inst->symbol : "instrument";
}

int
instrument_init(struct instrument *inst, struct errmsg *err)
{
	const char	*name = instrument_name(inst);
	__int128	 cents;		/* tick value, cents x 1e9 */
	char		 buf[FIXED_FMT_MAX];
	int		 need;

	if (inst->tick_size <= 0)
		return errmsg_set(err, "%s: tick size must be positive", name);
	if (inst->point_value <= 0)
		return errmsg_set(err, "%s: point value must be positive",
		    name);
	if (inst->commission < 0)
		return errmsg_set(err, "%s: commission must not be negative",
		    name);
	if (inst->decimals < 0 || inst->decimals > FIXED_DECIMALS)
		return errmsg_set(err, "%s: decimals must be 0 to %d", name,
		    FIXED_DECIMALS);

	/*
	 * point_value is cents per point and tick_size is points x 1e9, so
	 * their product is the tick value in cents x 1e9.  It must be whole
	 * or P&L in cents would not be exact.
	 */
	cents = (__int128)inst->point_value * inst->tick_size;
	if (cents % TD_PX_SCALE != 0) {
		if (cents > INT64_MAX)
			return errmsg_set(err, "%s: tick value is too large",
			    name);
		fixed_format((td_px)cents, fixed_decimals((td_px)cents), buf,
		    sizeof buf);
		return errmsg_set(err, "%s: tick value %s cents is not a whole "
		    "number of cents", name, buf);
	}
	if (cents / TD_PX_SCALE > INT64_MAX)
		return errmsg_set(err, "%s: tick value is too large", name);
	inst->tick_value = (td_cents)(cents / TD_PX_SCALE);

	/* Keep more decimals if configuration asked; never fewer. */
	need = fixed_decimals(inst->tick_size);
	if (inst->decimals < need)
		inst->decimals = need;
	return 0;
}

int
instrument_ticks(const struct instrument *inst, td_px px, td_ticks *out,
    struct errmsg *err)
{
	char	 pbuf[FIXED_FMT_MAX], tbuf[FIXED_FMT_MAX];
	int	 d;

	if (px % inst->tick_size != 0) {
		d = fixed_decimals(px);
		if (d < inst->decimals)
			d = inst->decimals;
		fixed_format(px, d, pbuf, sizeof pbuf);
		fixed_format(inst->tick_size, inst->decimals, tbuf,
		    sizeof tbuf);
		return errmsg_set(err, "price %s is not on the %s tick grid",
		    pbuf, tbuf);
	}
	*out = px / inst->tick_size;
	return 0;
}

int
instrument_price_ok(const struct instrument *inst, td_px px, const char *what,
    struct errmsg *err)
{
	char	 buf[FIXED_FMT_MAX];
	int	 d;

	if (px > 0 || (inst != NULL && inst->negative_prices))
		return 0;
	d = inst != NULL ? inst->decimals : 2;
	if (fixed_decimals(px) > d)
		d = fixed_decimals(px);
	fixed_format(px, d, buf, sizeof buf);
	return errmsg_set(err, "%s %s is not above zero", what, buf);
}

td_px
instrument_px(const struct instrument *inst, td_ticks ticks)
{
	return ticks * inst->tick_size;
}

char *
instrument_format(const struct instrument *inst, td_ticks ticks, char *buf,
    size_t len)
{
	return fixed_format(ticks * inst->tick_size, inst->decimals, buf, len);
}
