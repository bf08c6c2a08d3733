/*
 * vwap-revert.c -- reversion to the session's VWAP with limit entries, as
 * a tickdesk plug-in built only against the installed headers:
 *
 *	cc -shared -fPIC $(pkg-config --cflags tickdesk) -o vwap-revert.so \
 *	    vwap-revert.c
 *
 * The strategy keeps the volume-weighted average price of the regular
 * session from its 1-minute bars.  While flat, it works one limit entry
 * `band_ticks` away from the VWAP on the side the market stands -- a buy
 * below it when the last close is below the VWAP, a sell above it
 * otherwise, a tick from the market when the market is beyond that
 * already -- and a timer every `every_seconds` moves that entry to
 * where the VWAP has gone (strat_modify), or cancels it and works the
 * other side when the market crossed.  An entry carries a bracket: a stop
 * `stop_ticks` away and a target back at the VWAP as it was at entry
 * (`band_ticks` away).  A daily timer at `flatten_at` (HHMM, exchange
 * time) cancels the entry and closes the position; nothing is entered
 * after it until the next session, nor after an entry the risk manager
 * refused (a halt, a limit reached).
 *
 * What it shows of the API: both kinds of timers (every N seconds, and at
 * a time of day of an instrument's exchange), limit entries with a time
 * in force and a bracket of their own, and the handle of a working order
 * moved or cancelled from a timer.
 */
#include <stdlib.h>

#include <tickdesk/plugin.h>

enum { P_BAND, P_STOP, P_EVERY, P_FLATTEN, P_QTY };

static const struct strat_param vw_params[] = {
	[P_BAND] = { .name = "band_ticks", .type = STRAT_PARAM_INT,
	    .def = 8, .min = 1, .max = 1000, .unit = "ticks",
	    .text = "distance of the limit entry from the VWAP" },
	[P_STOP] = { .name = "stop_ticks", .type = STRAT_PARAM_INT,
	    .def = 12, .min = 1, .max = 1000, .unit = "ticks",
	    .text = "distance of the bracket stop from the entry fill" },
	[P_EVERY] = { .name = "every_seconds", .type = STRAT_PARAM_INT,
	    .def = 60, .min = 1, .max = 3600, .unit = "seconds",
	    .text = "how often the working entry follows the VWAP" },
	[P_FLATTEN] = { .name = "flatten_at", .type = STRAT_PARAM_INT,
	    .def = 1550, .min = 0, .max = 2359, .unit = "HHMM",
	    .text = "exchange time at which the day's trading ends" },
	[P_QTY] = { .name = "contracts", .type = STRAT_PARAM_INT,
	    .def = 1, .min = 1, .max = 100, .unit = "contracts",
	    .text = "quantity of each entry" },
	{ .name = NULL },
};

struct vw {
	int64_t			 p[P_QTY + 1];
	int			 inst;
	bool			 open;		/* entries allowed */
	int64_t			 pv;		/* sum of typical x volume */
	int64_t			 vol;
	td_ticks		 last;		/* last close */
	struct strat_timer	 every;
	struct strat_timer	 flatten;
	struct strat_order	 entry;		/* working entry, or 0 */
	enum td_side		 entry_side;
	td_ticks		 entry_px;
};

static void *
vw_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct vw	*v;

	if (strat_param(ctx, P_FLATTEN) % 100 > 59) {
		strat_error(err, "flatten_at %lld is not a time HHMM",
		    (long long)strat_param(ctx, P_FLATTEN));
		return NULL;
	}
	if ((v = calloc(1, sizeof *v)) == NULL) {
		strat_error(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i <= P_QTY; i++)
		v->p[i] = strat_param(ctx, i);
	v->inst = strat_inst(ctx, NULL);
	return v;
}

static void
vw_destroy(void *self)
{
	free(self);
}

static int
vw_start(void *self, struct strat_ctx *ctx, struct errmsg *err)
{
	struct vw	*v = self;

	if (strat_timer_every(ctx, (int)v->p[P_EVERY], &v->every, err) == -1)
		return -1;
	return strat_timer_at(ctx, v->inst, (int)(v->p[P_FLATTEN] / 100),
	    (int)(v->p[P_FLATTEN] % 100), 0, &v->flatten, err);
}

static int
vw_on_session_open(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	struct vw	*v = self;

	if (s->inst != v->inst)
		return 0;
	v->open = true;
	v->pv = v->vol = 0;
	return 0;
}

/* Subscription 0: the instrument's 1-minute bars. */
static int
vw_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct vw	*v = self;

	if (!v->open || bar->volume <= 0)
		return 0;
	v->pv += (bar->high + bar->low + bar->close) * bar->volume;
	v->vol += 3 * bar->volume;
	v->last = bar->close;
	return 0;
}

/*
 * Send a limit entry on side at px, with its bracket.  err is the
 * timer's, lent to the calls for their reasons: a refusal is an answer,
 * not the strategy's error (the engine logs why), so the timer returns 0.
 */
static void
vw_enter(struct vw *v, struct strat_ctx *ctx, enum td_side side,
    td_ticks px, struct errmsg *err)
{
	struct strat_bracket	 br = {
		.stop_ticks = (int32_t)v->p[P_STOP],
		.ntargets = 1,
		.target_ticks = { (int32_t)v->p[P_BAND] },
		.target_qty = { v->p[P_QTY] },
	};
	struct strat_order_req	 req = {
		.inst = v->inst,
		.side = side,
		.type = STRAT_LIMIT,
		.qty = v->p[P_QTY],
		.price = px,
		.tif = STRAT_DAY,
		.bracket = &br,
		.why = side == TD_BUY ? "below the VWAP" : "above the VWAP",
	};

	if (strat_submit(ctx, &req, &v->entry, err) == -1) {
		/* Asking again each minute would only be refused again. */
		v->entry.id = 0;
		v->open = false;
		strat_log(ctx, "entry refused: done for the day");
		return;
	}
	v->entry_side = side;
	v->entry_px = px;
}

/* Every N seconds: work the entry where the VWAP says. */
static void
vw_follow(struct vw *v, struct strat_ctx *ctx, struct errmsg *err)
{
	td_ticks	 vwap, px;
	enum td_side	 side;

	if (!v->open || v->vol == 0 || strat_position(ctx, v->inst) != 0)
		return;
	vwap = v->pv / v->vol;
	side = v->last < vwap ? TD_BUY : TD_SELL;
	/* Beyond the band already: a tick from the market, not through it. */
	px = vwap - side * v->p[P_BAND];
	if (side == TD_BUY && px >= v->last)
		px = v->last - 1;
	else if (side == TD_SELL && px <= v->last)
		px = v->last + 1;
	if (v->entry.id != 0 && v->entry_side != side) {
		/* Refused: it filled or ended meanwhile, on_order says. */
		(void)strat_cancel(ctx, v->entry, err);
		return;		/* the other side once it is gone */
	}
	if (v->entry.id == 0)
		vw_enter(v, ctx, side, px, err);
	else if (px != v->entry_px)
		(void)strat_modify(ctx, v->entry, 0, px, 0, err);
}

/* The day's end: no entry working, no position. */
static void
vw_flatten(struct vw *v, struct strat_ctx *ctx, struct errmsg *err)
{
	struct intent	 out = {
		.kind = INTENT_EXIT,
		.inst = v->inst,
		.why = "end of the day's trading",
	};

	v->open = false;
	if (v->entry.id != 0)
		(void)strat_cancel(ctx, v->entry, err);
	if (strat_position(ctx, v->inst) != 0)
		(void)strat_intent(ctx, &out);	/* a refusal is logged */
}

static int
vw_on_timer(void *self, struct strat_ctx *ctx, struct strat_timer t,
    td_ns when, struct errmsg *err)
{
	struct vw	*v = self;

	if (t.id == v->flatten.id)
		vw_flatten(v, ctx, err);
	else if (t.id == v->every.id)
		vw_follow(v, ctx, err);
	return 0;
}

static int
vw_on_order(void *self, struct strat_ctx *ctx, const struct strat_order_ev *ev,
    struct errmsg *err)
{
	struct vw	*v = self;

	if (ev->order.id != v->entry.id)
		return 0;
	switch (ev->kind) {
	case STRAT_ORDER_MODIFIED:
		v->entry_px = ev->price;
		break;
	case STRAT_ORDER_FILLED:
	case STRAT_ORDER_CANCELLED:
	case STRAT_ORDER_REJECTED:
		v->entry.id = 0;
		break;
	default:
		break;
	}
	return 0;
}

const struct strategy_ops tickdesk_strategy = {
	.abi = TD_STRATEGY_ABI,
	.name = "vwap-revert",
	.summary = "limit entries back towards the session VWAP",
	.params = vw_params,
	.create = vw_create,
	.destroy = vw_destroy,
	.start = vw_start,
	.on_bar = vw_on_bar,
	.on_order = vw_on_order,
	.on_session_open = vw_on_session_open,
	.on_timer = vw_on_timer,
};
