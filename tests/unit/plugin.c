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

static void *
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
		{ .name = "every", .type = STRAT_PARAM_INT, .def = 0,
		    .min = 1, .max = 100, .unit = "bars",
		    .text = "default below its range" },
		{ .name = NULL },
	},
#else
	.params = echo_params,
#endif
	.create = echo_create,
#ifndef PLUGIN_KIND_nocb
	.destroy = echo_destroy,
#endif
};
