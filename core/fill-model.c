/*
 * fill-model.c -- the rules of the named fill models (see fill-model.h).
 *
 * A table row per model says which of the venue's matching rules apply;
 * the price rules that differ are small pure functions of one order and
 * one bar.  The simulated exchange calls them while it matches; tests
 * call them on hand-made bars.
 */
#include <string.h>

#include "fill-model.h"

static const struct fill_rules fill_table[FILL_NMODELS] = {
	[FILL_TICKDESK] = {
		.same_bar = true,
		.gap = FILL_GAP_POINT,
	},
	[FILL_NT8_DEFAULT] = {
		.path = true,
		.through = true,
		.same_bar = true,
		.slip_in_bar = true,
		.gap = FILL_GAP_LIMIT,
	},
	[FILL_NT8_LIBERAL] = {
		.path = true,
		.same_bar = true,
		.slip_in_bar = true,
		.gap = FILL_GAP_EXTREME,
	},
	[FILL_BACKTRADER] = {
		.arrival = true,
		.signal_base = true,
		.slip_in_bar = true,
		.gap = FILL_GAP_POINT,
	},
};

static const char *const fill_names[FILL_NMODELS] = {
	[FILL_TICKDESK] = "tickdesk",
	[FILL_NT8_DEFAULT] = "nt8-default",
	[FILL_NT8_LIBERAL] = "nt8-liberal",
	[FILL_BACKTRADER] = "backtrader",
};

const struct fill_rules *
fill_model_rules(enum fill_model m)
{
	if ((unsigned)m >= FILL_NMODELS)
		m = FILL_TICKDESK;
	return &fill_table[m];
}

const char *
fill_model_name(enum fill_model m)
{
	return (unsigned)m < FILL_NMODELS ? fill_names[m] : "?";
}

int
fill_model_parse(const char *name, enum fill_model *m)
{
	for (int i = 0; i < FILL_NMODELS; i++) {
		if (strcmp(name, fill_names[i]) == 0) {
			*m = (enum fill_model)i;
			return 0;
		}
	}
	return -1;
}

td_ticks
fill_model_limit_at(enum fill_model m, enum td_side side, td_ticks lvl,
    td_ticks px, td_ticks far)
{
	const struct fill_rules	*r = fill_model_rules(m);
	bool			 buy = side == TD_BUY;
	bool			 back;

	if (buy ? px > lvl : px < lvl)
		return 0;		/* not there yet */
	if (px == lvl)
		return r->through ? 0 : lvl;	/* a touch */
	switch (r->gap) {
	case FILL_GAP_LIMIT:
		return lvl;
	case FILL_GAP_EXTREME:
		/* Does the rest of the bar come back to the limit? */
		back = buy ? far >= lvl : far <= lvl;
		return back ? lvl : far;
	default:
		return px;
	}
}

bool
fill_model_limit_reached(enum fill_model m, enum td_side side, td_ticks lvl,
    td_ticks a, td_ticks b)
{
	bool	 up = b > a;

	if (a == b || up == (side == TD_BUY))
		return false;	/* rising prices reach sell limits only */
	if (fill_model_rules(m)->through)
		return up ? a <= lvl && lvl < b : b < lvl && lvl <= a;
	return up ? a < lvl && lvl <= b : b <= lvl && lvl < a;
}

td_ticks
fill_model_bar_fill(enum fill_kind kind, enum td_side side, td_ticks lvl,
    td_ticks open, td_ticks high, td_ticks low)
{
	bool	 buy = side == TD_BUY;

	if (kind == FILL_KIND_STOP) {
		if (buy ? open >= lvl : open <= lvl)
			return open;
		return (buy ? high >= lvl : low <= lvl) ? lvl : 0;
	}
	if (buy ? open <= lvl : open >= lvl)
		return open;
	return (buy ? low <= lvl : high >= lvl) ? lvl : 0;
}

td_ticks
fill_model_slip(enum fill_model m, enum td_side side, td_ticks px, int slip,
    td_ticks high, td_ticks low)
{
	td_ticks	 p = px + (td_ticks)side * slip;

	if (!fill_model_rules(m)->slip_in_bar || (high == 0 && low == 0))
		return p;
	if (side == TD_BUY && p > high)
		p = high > px ? high : px;
	if (side == TD_SELL && p < low)
		p = low < px ? low : px;
	return p;
}
