/*
 * plugin.c -- the plug-ins the tests load, one source built as each kind
 * (Makefile.am: tests/unit/plugin-KIND.so, -DPLUGIN_KIND_...):
 *
 *   good	a strategy "echo" whose create refuses every = 42 (through
 *		strat_error and strat_param, which tickdesk provides)
 *   abi	the same table built for a strategy ABI one ahead of ours
 *   nosym	the table under another name than tickdesk_strategy
 *   nocb	a table without destroy
 *   params	a parameter whose default is out of its range
 *   builtin	a strategy that takes the name of a built-in one (orb)
 *   fail	a strategy "failing" whose on_bar fails on bar `at`, as
 *		one with a bug would
 *   rogue	a strategy "rogue" that buys on its second bar (with a
 *		stop of `stop` ticks) and on bar `at` breaks its contract
 *		as `breach` says: a call from a thread of its own, invalid
 *		orders, an instrument it does not trade, a subscription
 *		after start, a failing callback, an answer other than 0 or
 *		-1 -- or, with breach none, buys again as a good one would;
 *		it logs what the refused calls told it (strat_errmsg)
 */
#include <stdlib.h>

#include <tickdesk/plugin.h>

enum { P_EVERY, P_AT };

/* Not every kind uses all of what follows. */
__attribute__((unused)) static const struct strat_param echo_params[] = {
	[P_EVERY] = { .name = "every", .type = STRAT_PARAM_INT, .def = 1,
	    .min = 1, .max = 100, .unit = "bars",
	    .text = "count every this many" },
	[P_AT] = { .name = "at", .type = STRAT_PARAM_INT, .def = 3, .min = 1,
	    .max = 1000000, .unit = "bars",
	    .text = "(fail) fail on this bar" },
	{ .name = NULL },
};

struct echo {
	int64_t		 every;
	int64_t		 at;
	int64_t		 bars;
};

__attribute__((unused)) static void *
echo_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct echo	*m;

	if (strat_param(ctx, P_EVERY) == 42) {
		strat_error(err, "every = 42 is refused on purpose");
		return NULL;
	}
	if ((m = calloc(1, sizeof *m)) == NULL) {
		strat_error(err, "out of memory");
		return NULL;
	}
	m->every = strat_param(ctx, P_EVERY);
	m->at = strat_param(ctx, P_AT);
	return m;
}

__attribute__((unused)) static void
echo_destroy(void *self)
{
	free(self);
}

#ifdef PLUGIN_KIND_fail
static int
fail_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct echo	*m = self;

	if (++m->bars == m->at)
		return strat_error(err, "bar %lld: failing on purpose",
		    (long long)m->bars);
	return 0;
}
#endif

#ifdef PLUGIN_KIND_rogue
#include <pthread.h>

enum { R_AT, R_BREACH, R_STOP };
enum { B_NONE, B_THREAD, B_INVALID, B_INSTRUMENT, B_SUBSCRIBE, B_ERROR,
    B_ANSWER };

static const char *const rogue_breaches[] = {
	"none", "thread", "invalid", "instrument", "subscribe", "error",
	"answer", NULL,
};

static const struct strat_param rogue_params[] = {
	[R_AT] = { .name = "at", .type = STRAT_PARAM_INT, .def = 5, .min = 3,
	    .max = 1000000, .unit = "bars", .text = "misbehave from this bar" },
	[R_BREACH] = { .name = "breach", .type = STRAT_PARAM_ENUM,
	    .def = B_NONE, .names = rogue_breaches, .unit = "name",
	    .text = "how it breaks its contract" },
	[R_STOP] = { .name = "stop", .type = STRAT_PARAM_INT, .def = 8,
	    .min = 0, .max = 1000, .unit = "ticks",
	    .text = "its entries' stop; 0 none" },
	{ .name = NULL },
};

struct rogue {
	int64_t		 p[3];
	int64_t		 bars;
	struct strat_ctx *ctx;		/* kept: what a rogue does */
	struct errmsg	*err;		/* for its thread */
	int		 rc;
};

static void *
rogue_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct rogue	*r;

	if ((r = calloc(1, sizeof *r)) == NULL) {
		strat_error(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < 3; i++)
		r->p[i] = strat_param(ctx, i);
	r->ctx = ctx;
	return r;
}

static int
rogue_buy(struct rogue *r, struct strat_ctx *ctx, int inst, td_ticks price,
    struct errmsg *err)
{
	struct strat_bracket	 br = { .stop_ticks = (int32_t)r->p[R_STOP] };
	struct strat_order_req	 req = {
		.inst = inst,
		.side = TD_BUY,
		.type = price != 0 ? STRAT_LIMIT : STRAT_MARKET,
		.qty = 1,
		.price = price,
		.bracket = r->p[R_STOP] > 0 ? &br : NULL,
		.why = "rogue",
	};
	struct strat_order	 h;

	return strat_submit(ctx, &req, &h, err);
}

/* Its own thread, with the context it kept. */
static void *
rogue_thread(void *arg)
{
	struct rogue	*r = arg;

	r->rc = rogue_buy(r, r->ctx, 0, 0, r->err);
	return NULL;
}

static int
rogue_breach(struct rogue *r, struct strat_ctx *ctx, struct errmsg *err)
{
	struct strat_sub	 sub;
	pthread_t		 th;

	switch (r->p[R_BREACH]) {
	case B_THREAD:
		r->err = err;
		if (pthread_create(&th, NULL, rogue_thread, r) != 0)
			return strat_error(err, "no thread");
		pthread_join(th, NULL);
		strat_log(ctx, "from its thread: %d, %s", r->rc,
		    strat_errmsg(err));
		return 0;
	case B_INVALID:
		/* A limit order without its price. */
		r->p[R_STOP] = 0;
		if (rogue_buy(r, ctx, 0, -1, err) == -1)
			strat_log(ctx, "refused: %s", strat_errmsg(err));
		return 0;
	case B_INSTRUMENT:
		if (rogue_buy(r, ctx, 1, 0, err) == -1)
			strat_log(ctx, "refused: %s", strat_errmsg(err));
		return 0;
	case B_SUBSCRIBE:
		if (strat_subscribe(ctx, NULL, (struct strat_bar_type){
		    STRAT_MINUTES, 5 }, 0, &sub, err) == -1)
			strat_log(ctx, "refused: %s", strat_errmsg(err));
		return 0;
	case B_ERROR:
		return strat_error(err, "bar %lld: failing on purpose",
		    (long long)r->bars);
	case B_ANSWER:
		return 2;
	default:
		return r->bars == r->p[R_AT] ? rogue_buy(r, ctx, 0, 0, err) : 0;
	}
}

static int
rogue_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct rogue	*r = self;

	if (++r->bars == 2)
		return rogue_buy(r, ctx, 0, 0, err);
	return r->bars >= r->p[R_AT] ? rogue_breach(r, ctx, err) : 0;
}
#endif

#if defined(PLUGIN_KIND_nosym)
const struct strategy_ops tickdesk_strategies = {
#else
const struct strategy_ops tickdesk_strategy = {
#endif
#ifdef PLUGIN_KIND_abi
	.abi = TD_STRATEGY_ABI + 1,
#else
	.abi = TD_STRATEGY_ABI,
#endif
#if defined(PLUGIN_KIND_builtin)
	.name = "orb",
#elif defined(PLUGIN_KIND_fail)
	.name = "failing",
	.on_bar = fail_on_bar,
#elif defined(PLUGIN_KIND_rogue)
	.name = "rogue",
	.on_bar = rogue_on_bar,
#else
	.name = "echo",
#endif
	.summary = "a plug-in of the tests",
#if defined(PLUGIN_KIND_params)
	.params = (const struct strat_param[]){
		{ .name = "every", .type = STRAT_PARAM_INT, .def = 0,
		    .min = 1, .max = 100, .unit = "bars",
		    .text = "default below its range" },
		{ .name = NULL },
	},
#elif defined(PLUGIN_KIND_rogue)
	.params = rogue_params,
#else
	.params = echo_params,
#endif
#ifdef PLUGIN_KIND_rogue
	.create = rogue_create,
#else
	.create = echo_create,
#endif
#ifndef PLUGIN_KIND_nocb
	.destroy = echo_destroy,
#endif
};
