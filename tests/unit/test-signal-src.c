/*
 * test-signal-src.c -- unit tests for core/signal-src and its place in
 * the engine: after each 1-minute bar a model's probability reaches the
 * strategies that hear "model:NAME" (once the features are complete),
 * at the bar's time; a model that did not load disables the strategies
 * that hear it and no other; a stale model says so once and goes quiet.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "fixture.h"
#include "signal-model.h"
#include "signal-src.h"
#include "strat-param.h"
#include "strat-registry.h"

/* ------------------------------------------------ a listening strategy */

#define MAX_HEARD	256

struct heard {
	int		 n;
	struct td_data	 d[MAX_HEARD];
};

/* What each instance heard, by the order of the strategies. */
static struct heard	 heard[3];

static const struct strat_param ear_params[] = {
	{ .name = "source", .type = STRAT_PARAM_STRING, .min = 1,
	  .max = 40, .def_text = "model:up", .unit = "name",
	  .text = "the source to hear" },
	{ .name = "slot", .type = STRAT_PARAM_INT, .min = 0, .max = 2,
	  .unit = "index", .text = "where it writes what it heard" },
	{ .name = NULL },
};

static void *
ear_create(struct strat_ctx *ctx, struct errmsg *err)
{
	(void)err;
	return &heard[strat_param(ctx, 1)];
}

static void
ear_destroy(void *self)
{
	(void)self;
}

static int
ear_start(void *self, struct strat_ctx *ctx, struct errmsg *err)
{
	(void)self;
	return strat_subscribe_data(ctx, strat_param_text(ctx, 0), err);
}

static int
ear_on_data(void *self, struct strat_ctx *ctx, const struct td_data *d,
    struct errmsg *err)
{
	struct heard	*h = self;

	(void)ctx;
	(void)err;
	if (h->n < MAX_HEARD)
		h->d[h->n++] = *d;
	return 0;
}

static const struct strategy_ops ear_ops = {
	.abi = TD_STRATEGY_ABI,
	.name = "ear",
	.summary = "hears one data source",
	.params = ear_params,
	.create = ear_create,
	.destroy = ear_destroy,
	.start = ear_start,
	.on_data = ear_on_data,
};

/* ------------------------------------------------------------ fixture */

#define LOG_MAX	64

struct logs {
	int	 n;
	char	 line[LOG_MAX][512];
};

static void
keep_log(void *arg, const struct log_line *l)
{
	struct logs	*lg = arg;

	if (lg->n < LOG_MAX)
		snprintf(lg->line[lg->n++], sizeof lg->line[0], "%s: %s",
		    l->component, l->msg);
}

static bool
logged(const struct logs *lg, const char *text)
{
	for (int i = 0; i < lg->n; i++) {
		if (strstr(lg->line[i], text) != NULL)
			return true;
	}
	return false;
}

/* A small logistic model: up when ret_1 is positive. */
static struct signal_model *
small_model(td_ns last)
{
	struct signal_model_info info = { .kind = SM_LOGISTIC, .horizon = 1,
	    .last = last };
	double			 x[200][SIGNAL_FEAT_N];
	int			 y[200];

	for (int i = 0; i < 200; i++) {
		for (int j = 0; j < SIGNAL_FEAT_N; j++)
			x[i][j] = (double)((i * 7 + j * 13) % 17) - 8;
		y[i] = x[i][SF_RET_1] > 0;
	}
	return signal_model_train(&x[0][0], y, 200, &info, NULL);
}

struct fx {
	struct engine_config	 cfg;
	struct strat_registry	*reg;
	struct engine		*e;
	struct logs		 logs;
};

static void
add_ear(struct engine_config *cfg, const char *name, const char *src,
    int slot)
{
	struct strategy_cfg	*s = &cfg->strat[cfg->nstrat++];

	memset(s, 0, sizeof *s);
	strcpy(s->name, name);
	strcpy(s->type, "ear");
	strcpy(s->symbol, "ES");
	s->enabled = true;
	strat_param_defaults(&ear_ops, s->params, s->param_text);
	strcpy(s->param_text[0], src);
	s->params[1] = slot;
}

/* An engine with model "up" (max_age days; 0 none) and broken "down". */
static struct fx *
fx_make(td_ns model_last, int max_age_days)
{
	struct fx		*fx = calloc(1, sizeof *fx);
	struct venue_sim_cfg	 vc;
	struct engine_deps	 deps = { 0 };
	struct errmsg		 err = { .msg = "" };

	memset(heard, 0, sizeof heard);
	fixture_config(&fx->cfg);
	fx->cfg.log = keep_log;
	fx->cfg.log_arg = &fx->logs;
	fx->reg = strat_registry_create(&err);
	assert_int_equal(strat_registry_add(fx->reg, &ear_ops, &err), 0);
	add_ear(&fx->cfg, "a", "model:up", 0);
	add_ear(&fx->cfg, "b", "model:down", 1);
	add_ear(&fx->cfg, "c", "model:up", 2);
	deps.strategies = fx->reg;
	deps.nsignals = 2;
	deps.signals = calloc(2, sizeof *deps.signals);
	deps.signals[0] = signal_src_create("up", 0, &fx->cfg.cal[0],
	    small_model(model_last), NULL,
	    (td_ns)max_age_days * TD_NS_PER_DAY, &err);
	deps.signals[1] = signal_src_create("down", 0, &fx->cfg.cal[0], NULL,
	    "down.model: no such file or directory", 0, &err);
	assert_non_null(deps.signals[0]);
	assert_non_null(deps.signals[1]);
	fixture_venue_config(&vc);
	deps.venue = venue_sim_create(&vc, &err);
	if ((fx->e = engine_create(&fx->cfg, &deps, &err)) == NULL)
		fail_msg("%s", err.msg);
	return fx;
}

static void
fx_free(struct fx *fx)
{
	engine_free(fx->e);
	strat_registry_free(fx->reg);
	free(fx);
}

/* n bars from 2024-03-11 09:00 New York, a zig-zag around 5000. */
static void
run_bars(struct fx *fx, int n, td_ns *ends)
{
	td_ns		 t0 = fixture_ny(2024, 3, 11, 9, 0);
	struct errmsg	 err;

	for (int i = 0; i < n; i++) {
		td_ticks	 c = P(5000) + (i % 3 == 0 ? 2 : -1) * (i % 5);
		struct td_md	 md = fixture_bar(t0 + i * TD_NS_PER_MIN,
		    c, c + 2, c - 2, c);

		if (engine_on_market(fx->e, &md, &err) == -1)
			fail_msg("%s", err.msg);
		if (ends != NULL)
			ends[i] = md.bar.end;
	}
}

static void
test_signal_src_events_reach_strategies(void **state)
{
	struct fx	*fx = fx_make(fixture_ny(2024, 3, 8, 16, 0), 0);
	td_ns		 ends[100];
	int		 want = 100 - SIGNAL_FEAT_WARMUP + 1;

	(void)state;
	run_bars(fx, 100, ends);
	assert_int_equal(heard[0].n, want);
	assert_int_equal(heard[2].n, want);
	for (int k = 0; k < want; k++) {
		const struct td_data	*d = &heard[0].d[k];

		assert_string_equal(d->source, "model:up");
		assert_string_equal(d->name, "p_up");
		assert_int_equal(d->kind, TD_DATA_PROBABILITY);
		assert_int_equal(d->inst, 0);
		assert_true(d->value > 0 && d->value < TD_DATA_SCALE);
		/* at the end of the bar it was computed from */
		assert_true(d->time == ends[SIGNAL_FEAT_WARMUP - 1 + k]);
		assert_memory_equal(d, &heard[2].d[k], sizeof *d);
	}
	fx_free(fx);
}

static void
test_signal_src_broken_model_disables_its_strategies(void **state)
{
	struct fx	*fx = fx_make(fixture_ny(2024, 3, 8, 16, 0), 0);
	struct td_strat	 b, a;

	(void)state;
	run_bars(fx, 70, NULL);
	assert_int_equal(engine_strategy_find(fx->e, "b", &b), 0);
	assert_int_equal(engine_strategy_find(fx->e, "a", &a), 0);
	assert_string_equal(engine_strategy_why(fx->e, b), "model failed: "
	    "model:down did not load: down.model: no such file or "
	    "directory");
	assert_string_equal(engine_strategy_why(fx->e, a), "");
	assert_true(logged(&fx->logs, "model:down: model not loaded, it "
	    "gives nothing: down.model: no such file or directory"));
	assert_int_equal(heard[1].n, 0);
	assert_int_equal(heard[0].n, 70 - SIGNAL_FEAT_WARMUP + 1);
	fx_free(fx);
}

static void
test_signal_src_stale_model_goes_quiet(void **state)
{
	/* trained to 2024-03-01; 7 days of age allowed: stale by the 11th */
	struct fx	*fx = fx_make(fixture_ny(2024, 3, 1, 16, 0), 7);
	int		 stale = 0;

	(void)state;
	run_bars(fx, 100, NULL);
	assert_int_equal(heard[0].n, 0);
	for (int i = 0; i < fx->logs.n; i++)
		stale += strstr(fx->logs.line[i], "model:up: model trained "
		    "on data up to 2024-03-01 is 9 days old, above its "
		    "max_age of 7 days: model disabled") != NULL;
	assert_int_equal(stale, 1);
	fx_free(fx);
}

static void
test_signal_src_refuses_bad_name(void **state)
{
	struct errmsg	 err = { .msg = "" };

	(void)state;
	assert_null(signal_src_create("", 0, NULL, NULL, "x", 0, &err));
	assert_string_equal(err.msg, "model name '': 1 to 25 characters");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_src_events_reach_strategies),
		cmocka_unit_test(
		    test_signal_src_broken_model_disables_its_strategies),
		cmocka_unit_test(test_signal_src_stale_model_goes_quiet),
		cmocka_unit_test(test_signal_src_refuses_bad_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
