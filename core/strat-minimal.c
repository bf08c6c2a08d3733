/*
 * strat-minimal.c -- the smallest strategy: it logs every Nth bar and never
 * trades.  It is the skeleton to copy for a new strategy: a parameter table,
 * a state struct owned by create/destroy, and the callbacks it needs (the
 * engine skips the ones left NULL).
 *
 * It is also the desk's diagnostic strategy: with fail_after N its on_bar
 * fails on the Nth bar, as a strategy with a bug would, so that a person
 * can see the engine disable that strategy alone, log the error and raise
 * the strategy-error alert while everything else trades on.
 */
#include <stdlib.h>

#include "errmsg.h"
#include "strategy.h"

enum { P_EVERY, P_FAIL_AFTER };

static const struct strat_param minimal_params[] = {
	[P_EVERY] = { "every", 60, 1, 1000000, "bars",
	    "log one line every this many bars" },
	[P_FAIL_AFTER] = { "fail_after", 0, 0, 100000000, "bars",
	    "diagnostic: fail on this bar, as a broken strategy would; "
	    "0 never" },
	{ NULL, 0, 0, 0, NULL, NULL },
};

struct minimal {
	int64_t		 every;
	int64_t		 fail_after;
	int64_t		 bars;
};

static void *
minimal_create(const int64_t *params, int inst, struct errmsg *err)
{
	struct minimal	*m;

	if ((m = calloc(1, sizeof *m)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	m->every = params[P_EVERY];
	m->fail_after = params[P_FAIL_AFTER];
	return m;
}

static void
minimal_destroy(void *self)
{
	free(self);
}

static int
minimal_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct minimal	*m = self;

	char		 px[32];

	if (++m->bars == m->fail_after)
		return errmsg_set(err, "fail_after %lld: failing on purpose at "
		    "bar %lld (a diagnostic)", (long long)m->fail_after,
		    (long long)m->bars);
	if (m->bars % m->every == 0)
		strat_log(ctx, "bar %lld close %s volume %lld",
		    (long long)m->bars, strat_format(ctx, strat_sub_inst(ctx,
		    sub), bar->close, px, sizeof px), (long long)bar->volume);
	return 0;
}

const struct strategy_ops strat_minimal_ops = {
	.abi = TD_STRATEGY_ABI,
	.name = "minimal",
	.summary = "logs every Nth bar, never trades",
	.params = minimal_params,
	.create = minimal_create,
	.destroy = minimal_destroy,
	.on_bar = minimal_on_bar,
};
