/*
 * strat-ml.c -- ml: trades a signal model's probability.
 *
 * The strategy hears the p_up events of one model (tickdesk.conf(5)
 * models; source "model:NAME") for its instrument.  In the regular
 * session, flat, before its flatten time and with entries left for the
 * session, an event above p_long enters long at market and one below
 * p_short enters short, each with a bracket: stop_ticks and target_ticks,
 * or the strategy's atm template when it has one, as SimpleORB does.  An
 * open position is closed at market flatten_before_close minutes before
 * the session close, by a timer armed at each session open; a position
 * still open later (an entry that filled late) goes at the end of the
 * next bar, and whatever is left at the close.
 *
 * A model that did not load disables this strategy (the engine does so
 * for every strategy that hears it); a stale model gives no events, so
 * the strategy stays flat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

enum {
	P_MODEL,
	P_LONG,
	P_SHORT,
	P_STOP,
	P_TARGET,
	P_FLATTEN,
	P_ENTRIES,
	P_QTY,
};

static const struct strat_param ml_params[] = {
	[P_MODEL] = { .name = "model", .type = STRAT_PARAM_STRING,
	    .min = 1, .max = TD_NAME_MAX - 7, .def_text = "signal",
	    .unit = "name",
	    .text = "the models entry whose probability it trades" },
	[P_LONG] = { .name = "p_long", .type = STRAT_PARAM_DECIMAL,
	    .def = 60, .min = 50, .max = 100, .scale = 2,
	    .unit = "probability",
	    .text = "enter long when the probability of a rise is above this" },
	[P_SHORT] = { .name = "p_short", .type = STRAT_PARAM_DECIMAL,
	    .def = 40, .min = 0, .max = 50, .scale = 2,
	    .unit = "probability",
	    .text = "enter short when the probability of a rise is below "
	    "this" },
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
	[P_ENTRIES] = { .name = "entries_per_session", .type = STRAT_PARAM_INT,
	    .def = 1, .min = 1, .max = 100, .unit = "entries",
	    .text = "entries it may take in one session" },
	[P_QTY] = { .name = "contracts", .type = STRAT_PARAM_INT,
	    .def = 0, .min = 0, .max = 1000, .unit = "contracts",
	    .text = "quantity of each entry; 0 lets the sizer decide" },
	{ .name = NULL },
};

struct ml {
	int64_t		 p[P_QTY + 1];
	char		 source[TD_NAME_MAX];
	int		 inst;
	bool		 in_session;
	int		 entries;	/* this session */
	td_ns		 flatten_at;
	struct strat_timer flatten;
	int64_t		 p_long, p_short;	/* TD_DATA_SCALE */
};

static void *
ml_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct ml	*m;

	if ((m = calloc(1, sizeof *m)) == NULL) {
		strat_error(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i <= P_QTY; i++)
		m->p[i] = strat_param(ctx, i);
	snprintf(m->source, sizeof m->source, "model:%s",
	    strat_param_text(ctx, P_MODEL));
	m->inst = strat_inst(ctx, NULL);
	m->p_long = m->p[P_LONG] * (TD_DATA_SCALE / 100);
	m->p_short = m->p[P_SHORT] * (TD_DATA_SCALE / 100);
	return m;
}

static void
ml_destroy(void *self)
{
	free(self);
}

static int
ml_start(void *self, struct strat_ctx *ctx, struct errmsg *err)
{
	struct ml	*m = self;

	return strat_subscribe_data(ctx, m->source, err);
}

static int
ml_session_open(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	struct ml	*m = self;

	m->in_session = true;
	m->entries = 0;
	m->flatten_at = s->close - m->p[P_FLATTEN] * TD_NS_PER_MIN;
	return strat_timer_once(ctx, m->flatten_at, &m->flatten, err);
}

static void
ml_exit(struct strat_ctx *ctx, struct ml *m, const char *why)
{
	struct intent	 in = {
		.kind = INTENT_EXIT,
		.inst = m->inst,
		.why = why,
	};

	if (strat_position(ctx, m->inst) != 0)
		strat_intent(ctx, &in);
}

static void
ml_enter(struct strat_ctx *ctx, struct ml *m, enum td_side side,
    int64_t p)
{
	struct intent	 in = {
		.kind = INTENT_ENTER,
		.inst = m->inst,
		.side = side,
		.qty = m->p[P_QTY],
		.stop_ticks = (int32_t)m->p[P_STOP],
		.target_ticks = (int32_t)m->p[P_TARGET],
		.why = side == TD_BUY ? "model probability above p_long" :
		    "model probability below p_short",
	};

	m->entries++;
	strat_log(ctx, "%s: p_up %lld.%04lld", in.why,
	    (long long)(p / TD_DATA_SCALE),
	    (long long)(p % TD_DATA_SCALE / (TD_DATA_SCALE / 10000)));
	strat_intent(ctx, &in);
}

static int
ml_on_data(void *self, struct strat_ctx *ctx, const struct td_data *d,
    struct errmsg *err)
{
	struct ml	*m = self;

	if (d->inst != m->inst || strcmp(d->name, "p_up") != 0 ||
	    d->kind != TD_DATA_PROBABILITY || !m->in_session ||
	    d->time >= m->flatten_at || m->entries >= m->p[P_ENTRIES] ||
	    strat_position(ctx, m->inst) != 0)
		return 0;
	if (d->value > m->p_long)
		ml_enter(ctx, m, TD_BUY, d->value);
	else if (d->value < m->p_short)
		ml_enter(ctx, m, TD_SELL, d->value);
	return 0;
}

static int
ml_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct ml	*m = self;

	/* The timer has flattened at flatten_at; this is later. */
	if (m->in_session && bar->end > m->flatten_at)
		ml_exit(ctx, m, "flatten before close");
	return 0;
}

static int
ml_on_timer(void *self, struct strat_ctx *ctx, struct strat_timer t,
    td_ns when, struct errmsg *err)
{
	struct ml	*m = self;

	if (m->in_session && t.id == m->flatten.id)
		ml_exit(ctx, m, "flatten before close");
	return 0;
}

static int
ml_session_close(void *self, struct strat_ctx *ctx,
    const struct strat_session *s, struct errmsg *err)
{
	struct ml	*m = self;

	m->in_session = false;
	strat_timer_cancel(ctx, m->flatten);
	ml_exit(ctx, m, m->p[P_FLATTEN] == 0 ? "flatten before close" :
	    "session close");
	return 0;
}

const struct strategy_ops strat_ml_ops = {
	.abi = TD_STRATEGY_ABI,
	.name = "ml",
	.summary = "trades a signal model's probability with thresholds and "
	    "a bracket",
	.params = ml_params,
	.create = ml_create,
	.destroy = ml_destroy,
	.start = ml_start,
	.on_bar = ml_on_bar,
	.on_data = ml_on_data,
	.on_timer = ml_on_timer,
	.on_session_open = ml_session_open,
	.on_session_close = ml_session_close,
};
