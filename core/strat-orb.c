/*
 * strat-orb.c -- SimpleORB, the opening-range breakout.
 *
 * At each regular session open the strategy watches the first
 * opening_range_minutes of 1-minute bars and records their high and low.
 * After the range, the first bar that closes above the range high enters
 * long at market (filled at the next bar's open); the first that closes
 * below the low enters short.  One entry per session.  The entry carries a
 * bracket: a stop stop_ticks away and a target target_ticks away.  An open
 * position is closed at market flatten_before_close minutes before the
 * session close (the early close on short days), and no entry is taken
 * after that time.  The daily loss limit is the risk manager's: an entry it
 * refuses is logged and the session's one entry is spent.
 *
 * The flatten is a timer armed at each session open for that session's
 * flatten time: it fires at that time whether or not market data comes,
 * and with 1-minute bars it fires just before the bar that starts then,
 * as the bar ending then is the last one seen -- the same engine time and
 * the same fill as an exit decided at the end of that bar.  A position
 * still open later in the session (an entry that filled late) is closed
 * at the end of the next bar.
 */
#include <stdlib.h>

#include "strategy.h"

enum {
	P_RANGE,
	P_STOP,
	P_TARGET,
	P_FLATTEN,
	P_QTY,
};

static const struct strat_param orb_params[] = {
	[P_RANGE] = { .name = "opening_range_minutes", .type = STRAT_PARAM_INT,
	    .def = 30, .min = 1, .max = 390, .unit = "minutes",
	    .text = "length of the opening range from the session open" },
	[P_STOP] = { .name = "stop_ticks", .type = STRAT_PARAM_INT,
	    .def = 8, .min = 1, .max = 10000, .unit = "ticks",
	    .text = "distance of the bracket stop from the entry fill" },
	[P_TARGET] = { .name = "target_ticks", .type = STRAT_PARAM_INT,
	    .def = 16, .min = 1, .max = 10000, .unit = "ticks",
	    .text = "distance of the bracket target from the entry fill" },
	[P_FLATTEN] = { .name = "flatten_before_close",
	    .type = STRAT_PARAM_INT, .def = 15, .min = 0, .max = 390,
	    .unit = "minutes",
	    .text = "close the position this long before the session close" },
	[P_QTY] = { .name = "contracts", .type = STRAT_PARAM_INT,
	    .def = 0, .min = 0, .max = 1000, .unit = "contracts",
	    .text = "quantity of each entry; 0 lets the sizer decide" },
	{ .name = NULL },
};

struct orb {
	int64_t		 p[P_QTY + 1];
	int		 inst;
	bool		 in_session;
	bool		 spent;		/* the session's entry was tried */
	bool		 have_range;
	td_ns		 range_end;
	td_ns		 flatten_at;
	struct strat_timer flatten;	/* armed for flatten_at */
	td_ticks	 high;
	td_ticks	 low;
};

static void *
orb_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct orb	*o;

	if ((o = calloc(1, sizeof *o)) == NULL) {
		strat_error(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i <= P_QTY; i++)
		o->p[i] = strat_param(ctx, i);
	o->inst = strat_inst(ctx, NULL);
	return o;
}

static void
orb_destroy(void *self)
{
	free(self);
}

static int
orb_session_open(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	struct orb	*o = self;

	o->in_session = true;
	o->spent = false;
	o->have_range = false;
	o->range_end = s->open + o->p[P_RANGE] * TD_NS_PER_MIN;
	o->flatten_at = s->close - o->p[P_FLATTEN] * TD_NS_PER_MIN;
	return strat_timer_once(ctx, o->flatten_at, &o->flatten, err);
}

static void
orb_exit(struct strat_ctx *ctx, struct orb *o, const char *why)
{
	struct intent	 in = {
		.kind = INTENT_EXIT,
		.inst = o->inst,
		.why = why,
	};

	if (strat_position(ctx, o->inst) != 0)
		strat_intent(ctx, &in);
}

static void
orb_enter(struct strat_ctx *ctx, struct orb *o, enum td_side side,
    const struct td_bar *bar)
{
	struct intent	 in = {
		.kind = INTENT_ENTER,
		.inst = o->inst,
		.side = side,
		.qty = o->p[P_QTY],
		.stop_ticks = (int32_t)o->p[P_STOP],
		.target_ticks = (int32_t)o->p[P_TARGET],
		.why = side == TD_BUY ? "breakout above the opening range" :
		    "breakdown below the opening range",
	};
	char		 c[32], h[32], l[32];

	o->spent = true;
	strat_log(ctx, "%s: close %s, range %s-%s", in.why,
	    strat_format(ctx, o->inst, bar->close, c, sizeof c),
	    strat_format(ctx, o->inst, o->low, l, sizeof l),
	    strat_format(ctx, o->inst, o->high, h, sizeof h));
	strat_intent(ctx, &in);
}

static int
orb_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct orb	*o = self;

	if (!o->in_session)
		return 0;
	if (bar->end >= o->flatten_at) {
		/* The timer has flattened at flatten_at; this is later. */
		if (bar->end > o->flatten_at)
			orb_exit(ctx, o, "flatten before close");
		return 0;
	}
	if (bar->end <= o->range_end) {
		if (!o->have_range || bar->high > o->high)
			o->high = bar->high;
		if (!o->have_range || bar->low < o->low)
			o->low = bar->low;
		o->have_range = true;
		return 0;
	}
	if (o->spent || !o->have_range || strat_position(ctx, o->inst) != 0)
		return 0;
	if (bar->close > o->high)
		orb_enter(ctx, o, TD_BUY, bar);
	else if (bar->close < o->low)
		orb_enter(ctx, o, TD_SELL, bar);
	return 0;
}

static int
orb_on_timer(void *self, struct strat_ctx *ctx, struct strat_timer t,
    td_ns when, struct errmsg *err)
{
	struct orb	*o = self;

	if (o->in_session && t.id == o->flatten.id)
		orb_exit(ctx, o, "flatten before close");
	return 0;
}

/*
 * The close: whatever is still open goes.  With no time before the close
 * to flatten in (flatten_before_close 0), the close is the flatten.
 */
static int
orb_session_close(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	struct orb	*o = self;

	o->in_session = false;
	strat_timer_cancel(ctx, o->flatten);
	orb_exit(ctx, o, o->p[P_FLATTEN] == 0 ? "flatten before close" :
	    "session close");
	return 0;
}

const struct strategy_ops strat_orb_ops = {
	.abi = TD_STRATEGY_ABI,
	.name = "orb",
	.summary = "SimpleORB: opening-range breakout with a bracket",
	.params = orb_params,
	.create = orb_create,
	.destroy = orb_destroy,
	.on_bar = orb_on_bar,
	.on_timer = orb_on_timer,
	.on_session_open = orb_session_open,
	.on_session_close = orb_session_close,
};
