/*
 * strat-minimal.c -- the smallest strategy: it logs every Nth bar and never
 * trades.  It is the skeleton to copy for a new strategy: written against
 * strategy.h alone, a parameter table with one parameter of each type, a
 * state struct owned by create/destroy, and the callbacks it needs (the
 * engine skips the ones left NULL).
 *
 * It is also the desk's diagnostic strategy: with fail_after N its on_bar
 * fails on the Nth bar, as a strategy with a bug would, so that a person
 * can see the engine disable that strategy alone, log the error and raise
 * the strategy-error alert while everything else trades on.
 */
#include <stdio.h>
#include <stdlib.h>

#include "strategy.h"

enum {
	P_EVERY,
	P_FAIL_AFTER,
	P_FIELD,
	P_VOLUME,
	P_LABEL,
	P_MIN_MOVE,
};

enum { F_CLOSE, F_OPEN, F_HIGH, F_LOW };

static const char *const minimal_fields[] = {
	[F_CLOSE] = "close",
	[F_OPEN] = "open",
	[F_HIGH] = "high",
	[F_LOW] = "low",
	NULL,
};

static const struct strat_param minimal_params[] = {
	[P_EVERY] = { .name = "every", .type = STRAT_PARAM_INT, .def = 60,
	    .min = 1, .max = 1000000, .unit = "bars",
	    .text = "log one line every this many bars" },
	[P_FAIL_AFTER] = { .name = "fail_after", .type = STRAT_PARAM_INT,
	    .def = 0, .min = 0, .max = 100000000, .unit = "bars",
	    .text = "diagnostic: fail on this bar, as a broken strategy "
	    "would; 0 never" },
	[P_FIELD] = { .name = "field", .type = STRAT_PARAM_ENUM,
	    .def = F_CLOSE, .names = minimal_fields, .unit = "name",
	    .text = "the price of the bar a line shows" },
	[P_VOLUME] = { .name = "volume", .type = STRAT_PARAM_BOOL, .def = 1,
	    .unit = "boolean", .text = "show the bar's volume too" },
	[P_LABEL] = { .name = "label", .type = STRAT_PARAM_STRING, .min = 0,
	    .max = 24, .def_text = "", .unit = "characters",
	    .text = "a word each line starts with; empty for none" },
	[P_MIN_MOVE] = { .name = "min_move", .type = STRAT_PARAM_DECIMAL,
	    .scale = 2, .def = 0, .min = 0, .max = 10000, .unit = "percent",
	    .text = "log a bar too whose close moved this much from the "
	    "last line's; 0.00 never" },
	{ .name = NULL },
};

struct minimal {
	int64_t		 every;
	int64_t		 fail_after;
	int64_t		 field;
	bool		 volume;
	const char	*label;
	int64_t		 min_move;	/* hundredths of a percent */
	int64_t		 bars;
	td_ticks	 last;		/* the last line's close, 0: none */
};

static void *
minimal_create(struct strat_ctx *ctx, struct errmsg *err)
{
	struct minimal	*m;

	if ((m = calloc(1, sizeof *m)) == NULL) {
		strat_error(err, "out of memory");
		return NULL;
	}
	m->every = strat_param(ctx, P_EVERY);
	m->fail_after = strat_param(ctx, P_FAIL_AFTER);
	m->field = strat_param(ctx, P_FIELD);
	m->volume = strat_param(ctx, P_VOLUME) != 0;
	m->label = strat_param_text(ctx, P_LABEL);
	m->min_move = strat_param(ctx, P_MIN_MOVE);
	return m;
}

static void
minimal_destroy(void *self)
{
	free(self);
}

/* Has the close moved min_move percent from the last line's? */
static bool
minimal_moved(const struct minimal *m, td_ticks close)
{
	td_ticks	 d = close > m->last ? close - m->last :
			    m->last - close;

	return m->min_move > 0 && m->last > 0 &&
	    d * 10000 >= m->min_move * m->last;
}

static int
minimal_on_bar(void *self, struct strat_ctx *ctx, struct strat_sub sub,
    const struct td_bar *bar, struct errmsg *err)
{
	struct minimal	*m = self;
	const td_ticks	 px[] = {
		[F_CLOSE] = bar->close,
		[F_OPEN] = bar->open,
		[F_HIGH] = bar->high,
		[F_LOW] = bar->low,
	};
	char		 p[32], vol[48] = "";

	if (++m->bars == m->fail_after)
		return strat_error(err, "fail_after %lld: failing on purpose "
		    "at bar %lld (a diagnostic)", (long long)m->fail_after,
		    (long long)m->bars);
	if (m->bars % m->every != 0 && !minimal_moved(m, bar->close))
		return 0;
	if (m->volume)
		snprintf(vol, sizeof vol, " volume %lld",
		    (long long)bar->volume);
	strat_log(ctx, "%s%sbar %lld %s %s%s", m->label, m->label[0] != '\0' ?
	    " " : "", (long long)m->bars, minimal_fields[m->field],
	    strat_format(ctx, strat_sub_inst(ctx, sub), px[m->field], p,
	    sizeof p), vol);
	m->last = bar->close;
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
