/*
 * plugin.c -- the plug-ins the tests load, one source built as each kind
 * (Makefile.am: tests/unit/plugin-KIND.so, -DPLUGIN_KIND_...):
 *
 *   good	a strategy "echo" whose create refuses every = 42 (through
 *		errmsg_set, which tickdesk exports to its plug-ins)
 *   abi	the same table built for a strategy ABI one ahead of ours
 *   nosym	the table under another name than tickdesk_strategy
 *   nocb	a table without destroy
 *   params	a parameter whose default is out of its range
 *   builtin	a strategy that takes the name of a built-in one (orb)
 *   fail	a strategy "failing" that breaks its contract on a bar:
 *		how = 0 returns an error, 1 submits a limit order
 *		without a price and carries on as if it had gone
 */
#include <stdlib.h>

#include <tickdesk/errmsg.h>
#include <tickdesk/plugin.h>

enum { P_EVERY, P_AT, P_HOW };

static const struct strat_param echo_params[] = {
	[P_EVERY] = { "every", 1, 1, 100, "bars", "count every this many" },
	[P_AT] = { "at", 3, 1, 1000000, "bars", "(fail) misbehave on this "
	    "bar" },
	[P_HOW] = { "how", 0, 0, 1, "kind", "(fail) how to misbehave" },
	{ NULL, 0, 0, 0, NULL, NULL },
};

struct echo {
	int64_t		 every;
	int64_t		 at;
	int64_t		 how;
	int64_t		 bars;
};

static void *
echo_create(const int64_t *params, int inst, struct errmsg *err)
{
	struct echo	*m;

	if (params[P_EVERY] == 42) {
		errmsg_set(err, "every = 42 is refused on purpose");
		return NULL;
	}
	if ((m = calloc(1, sizeof *m)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	m->every = params[P_EVERY];
	m->at = params[P_AT];
	m->how = params[P_HOW];
	return m;
}

static void
echo_destroy(void *self)
{
	free(self);
}

#ifdef PLUGIN_KIND_fail
static int
fail_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct echo		*m = self;
	struct strat_order_req	 req = { 0 };
	struct strat_order	 h;
	struct errmsg		 ignored;

	if (++m->bars != m->at)
		return 0;
	switch (m->how) {
	case 0:
		return errmsg_set(err, "bar %lld: failing on purpose",
		    (long long)m->bars);
	case 1:
		req.inst = strat_inst(ctx, NULL);
		req.side = TD_BUY;
		req.type = STRAT_LIMIT;
		req.qty = 1;
		req.why = "a limit order without a price";
		(void)strat_submit(ctx, &req, &h, &ignored);
		return 0;
	}
	return 0;
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
#else
	.name = "echo",
#endif
	.summary = "a plug-in of the tests",
#ifdef PLUGIN_KIND_params
	.params = (const struct strat_param[]){
		{ "every", 0, 1, 100, "bars", "default below its range" },
		{ NULL, 0, 0, 0, NULL, NULL },
	},
#else
	.params = echo_params,
#endif
	.create = echo_create,
#ifndef PLUGIN_KIND_nocb
	.destroy = echo_destroy,
#endif
};
