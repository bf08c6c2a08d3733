/*
 * ma-cross.c -- a moving-average crossover with a trailing stop, as a
 * tickdesk plug-in built only against the installed headers:
 *
 *	cc -shared -fPIC $(pkg-config --cflags tickdesk) -o ma-cross.so \
 *	    ma-cross.c
 *
 * On each 1-minute bar of the regular session the strategy compares the
 * simple averages of the last `fast` and `slow` closes.  When the fast one
 * crosses above the slow one it goes long at market (turning a short
 * around in the same order), and short on the cross below.  Each entry
 * carries a bracket stop `trail_ticks` away; from then on the strategy
 * trails that stop itself: after each bar it moves the stop (strat_modify)
 * to `trail_ticks` behind the bar's close whenever that is better than
 * where the stop stands.  The position is closed at market
 * `flatten_before_close` minutes before the session close, and no entry
 * is taken after that, nor after an entry the risk manager refused (a
 * halt, a limit reached) until the next session.
 *
 * What it shows of the API: parameters, a subscription with a history of
 * bars (the averages are read from it, nothing is kept by hand), order
 * handles and their events (the bracket's stop is found in on_order), the
 * modify call, a once timer, and errors as values: a callback returns -1
 * only for a bug of its own, never because the risk manager refused an
 * order (that is logged and the strategy carries on).
 */
#include <stdlib.h>

#include <tickdesk/plugin.h>

enum { P_FAST, P_SLOW, P_TRAIL, P_FLATTEN, P_QTY };

static const struct strat_param ma_params[] = {
	[P_FAST] = { .name = "fast", .type = STRAT_PARAM_INT,
	    .def = 10, .min = 1, .max = 500, .unit = "bars",
	    .text = "length of the fast average of 1-minute closes" },
	[P_SLOW] = { .name = "slow", .type = STRAT_PARAM_INT,
	    .def = 30, .min = 2, .max = 1000, .unit = "bars",
	    .text = "length of the slow average; longer than fast" },
	[P_TRAIL] = { .name = "trail_ticks", .type = STRAT_PARAM_INT,
	    .def = 12, .min = 1, .max = 1000, .unit = "ticks",
	    .text = "distance of the stop behind the last close" },
	[P_FLATTEN] = { .name = "flatten_before_close", .type = STRAT_PARAM_INT,
	    .def = 10, .min = 0, .max = 390, .unit = "minutes",
	    .text = "close the position this long before the session close" },
	[P_QTY] = { .name = "contracts", .type = STRAT_PARAM_INT,
	    .def = 1, .min = 1, .max = 100, .unit = "contracts",
	    .text = "quantity of each entry" },
	{ .name = NULL },
};

struct ma {
	int64_t			 p[P_QTY + 1];
	int			 inst;
	struct strat_sub	 bars;		/* 1-minute, slow + 1 kept */
	bool			 open;		/* in the regular session */
	struct strat_timer	 flatten;
	struct strat_order	 stop;		/* the trailing stop, or 0 */
	td_ticks		 stop_px;
};

static void *
ma_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct ma	*m;

	if (strat_param(ctx, P_FAST) >= strat_param(ctx, P_SLOW)) {
		strat_error(err, "fast (%lld) must be shorter than slow (%lld)",
		    (long long)strat_param(ctx, P_FAST),
		    (long long)strat_param(ctx, P_SLOW));
		return NULL;
	}
	if ((m = calloc(1, sizeof *m)) == NULL) {
		strat_error(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i <= P_QTY; i++)
		m->p[i] = strat_param(ctx, i);
	m->inst = strat_inst(ctx, NULL);
	return m;
}

static void
ma_destroy(void *self)
{
	free(self);
}

static int
ma_start(void *self, struct strat_ctx *ctx, struct errmsg *err)
{
	struct ma		*m = self;
	struct strat_bar_type	 minute = { STRAT_MINUTES, 1 };

	return strat_subscribe(ctx, NULL, minute, (int)m->p[P_SLOW] + 1,
	    &m->bars, err);
}

/* The average close of n bars, the newest `ago` bars back, in ticks. */
static td_ticks
ma_average(const struct strat_ctx *ctx, struct strat_sub sub, int ago,
    int64_t n)
{
	td_ticks	 sum = 0;

	for (int k = 0; k < n; k++)
		sum += strat_bar(ctx, sub, ago + k)->close;
	return sum / n;
}

/* +1 when fast crossed above slow on this bar, -1 below, 0 neither. */
static int
ma_cross(const struct ma *m, const struct strat_ctx *ctx)
{
	td_ticks	 f0, s0, f1, s1;

	if (strat_bars(ctx, m->bars) < m->p[P_SLOW] + 1)
		return 0;
	f0 = ma_average(ctx, m->bars, 0, m->p[P_FAST]);
	s0 = ma_average(ctx, m->bars, 0, m->p[P_SLOW]);
	f1 = ma_average(ctx, m->bars, 1, m->p[P_FAST]);
	s1 = ma_average(ctx, m->bars, 1, m->p[P_SLOW]);
	if (f1 <= s1 && f0 > s0)
		return 1;
	if (f1 >= s1 && f0 < s0)
		return -1;
	return 0;
}

/*
 * Enter on side at market, turning the position around if need be.  err
 * is the callback's, lent to strat_submit for its reason; a refusal is
 * not the strategy's error (the engine logs why), so the callback still
 * returns 0.
 */
static void
ma_enter(struct ma *m, struct strat_ctx *ctx, enum td_side side,
    struct errmsg *err)
{
	int64_t			 pos = strat_position(ctx, m->inst);
	struct strat_bracket	 br = { .stop_ticks = (int32_t)m->p[P_TRAIL] };
	struct strat_order_req	 req = {
		.inst = m->inst,
		.side = side,
		.type = STRAT_MARKET,
		.qty = m->p[P_QTY] + (pos * side < 0 ? pos * -side : 0),
		.tif = STRAT_DAY,
		.bracket = &br,
		.why = side == TD_BUY ? "fast average crossed above slow" :
		    "fast average crossed below slow",
	};
	struct strat_order	 h;

	if (pos * side > 0)
		return;		/* that way already */
	if (strat_submit(ctx, &req, &h, err) == -1) {
		/* The next cross would only be refused again. */
		m->open = false;
		strat_log(ctx, "entry refused: done for the day");
	}
}

/* Move the stop behind the close when that is better than it stands. */
static void
ma_trail(struct ma *m, struct strat_ctx *ctx, const struct td_bar *bar,
    struct errmsg *err)
{
	int64_t		 pos = strat_position(ctx, m->inst);
	td_ticks	 want;

	if (m->stop.id == 0 || pos == 0)
		return;
	want = pos > 0 ? bar->close - m->p[P_TRAIL] :
	    bar->close + m->p[P_TRAIL];
	if (pos > 0 ? want <= m->stop_px : want >= m->stop_px)
		return;
	/* Refused (the stop filled meanwhile): the next bar tries again. */
	if (strat_modify(ctx, m->stop, 0, want, 0, err) == -1)
		strat_log(ctx, "stop not moved to %lld", (long long)want);
}

static int
ma_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct ma	*m = self;
	int		 cross;

	if (sub.id != m->bars.id || !m->open)
		return 0;
	ma_trail(m, ctx, bar, err);
	if ((cross = ma_cross(m, ctx)) != 0)
		ma_enter(m, ctx, cross > 0 ? TD_BUY : TD_SELL, err);
	return 0;
}

/* The bracket's stop is the strategy's to trail; follow its price. */
static int
ma_on_order(void *self, struct strat_ctx *ctx, const struct strat_order_ev *ev,
    struct errmsg *err)
{
	struct ma	*m = self;

	if (ev->role != STRAT_ROLE_STOP)
		return 0;
	switch (ev->kind) {
	case STRAT_ORDER_ACCEPTED:
	case STRAT_ORDER_MODIFIED:
		m->stop = ev->order;
		m->stop_px = ev->price;
		break;
	case STRAT_ORDER_FILLED:
	case STRAT_ORDER_CANCELLED:
	case STRAT_ORDER_REJECTED:
		if (ev->order.id == m->stop.id)
			m->stop.id = 0;
		break;
	default:
		break;
	}
	return 0;
}

static int
ma_on_session_open(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	struct ma	*m = self;
	td_ns		 at = s->close - m->p[P_FLATTEN] * TD_NS_PER_MIN;

	if (s->inst != m->inst)
		return 0;
	m->open = true;
	return strat_timer_once(ctx, at, &m->flatten, err);
}

static int
ma_on_timer(void *self, struct strat_ctx *ctx, struct strat_timer t,
    td_ns when, struct errmsg *err)
{
	struct ma	*m = self;
	struct intent	 out = {
		.kind = INTENT_EXIT,
		.inst = m->inst,
		.why = "flat before the close",
	};

	if (t.id != m->flatten.id)
		return 0;
	m->open = false;
	if (strat_position(ctx, m->inst) != 0)
		(void)strat_intent(ctx, &out);	/* a refusal is logged */
	return 0;
}

const struct strategy_ops tickdesk_strategy = {
	.abi = TD_STRATEGY_ABI,
	.name = "ma-cross",
	.summary = "moving-average crossover with a trailing stop",
	.params = ma_params,
	.create = ma_create,
	.destroy = ma_destroy,
	.start = ma_start,
	.on_bar = ma_on_bar,
	.on_order = ma_on_order,
	.on_session_open = ma_on_session_open,
	.on_timer = ma_on_timer,
};
