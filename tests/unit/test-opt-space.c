/*
 * test-opt-space.c -- the parameter space of an optimisation
 * (core/opt-space.h): ranges, log ranges and lists of every parameter
 * type, read as the configuration reads them; the grid's numbering; the
 * refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "opt-space.h"
#include "strat-param.h"
#include "strat-registry.h"

/* SimpleORB as "orb", and the minimal strategy as "min", both on ES. */
static void
two_strategies(struct engine_config *cfg, bool both_enabled)
{
	const struct strategy_ops *m = strat_registry_find(
	    strat_registry_builtin(), "minimal");
	struct strategy_cfg	*sc = &cfg->strat[1];

	fixture_orb_config(cfg, true, 0);
	cfg->nstrat = 2;
	memset(sc, 0, sizeof *sc);
	strcpy(sc->name, "min");
	strcpy(sc->type, "minimal");
	strcpy(sc->symbol, "ES");
	sc->enabled = both_enabled;
	strat_param_defaults(m, sc->params, sc->param_text);
}

static struct opt_space *
space(void **state)
{
	return *state;
}

static int
setup(void **state)
{
	struct opt_space	*s = malloc(sizeof *s);

	if (s == NULL)
		return -1;
	opt_space_init(s);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	opt_space_free(*state);
	free(*state);
	return 0;
}

static void
add_ok(struct opt_space *s, const struct engine_config *cfg,
    const char *spec)
{
	struct errmsg	 err;

	if (opt_space_add(s, cfg, strat_registry_builtin(), spec, &err) == -1)
		fail_msg("%s: %s", spec, err.msg);
}

static void
values_are(const struct opt_space *s, int d, const char *want)
{
	char	 got[512] = "", v[32];

	for (int i = 0; i < s->dim[d].nvals; i++) {
		strcat(got, i ? " " : "");
		strcat(got, opt_space_format(s, d, s->dim[d].vals[i], v,
		    sizeof v));
	}
	assert_string_equal(got, want);
}

static void
test_opt_space_ranges_and_lists(void **state)
{
	struct opt_space	*s = space(state);
	struct engine_config	 cfg;

	two_strategies(&cfg, true);
	add_ok(s, &cfg, "orb.stop_ticks=4:16:4");
	add_ok(s, &cfg, "orb.target_ticks=24,8,16,8");
	add_ok(s, &cfg, "orb.opening_range_minutes=5:60*2");
	add_ok(s, &cfg, "min.min_move=0.5:1.5:0.25");
	add_ok(s, &cfg, "min.field=close,high");
	add_ok(s, &cfg, "min.volume=true,false");
	values_are(s, 0, "4 8 12 16");
	values_are(s, 1, "24 8 16");		/* once each, in order */
	values_are(s, 2, "5 10 20 40");
	values_are(s, 3, "0.50 0.75 1.00 1.25 1.50");
	values_are(s, 4, "close high");
	values_are(s, 5, "true false");
	assert_string_equal(s->dim[0].name, "orb.stop_ticks");
	assert_int_equal(s->npoints, 4 * 3 * 4 * 5 * 2 * 2);
}

/* Points in mixed radix, the last dimension fastest; apply sets them. */
static void
test_opt_space_points(void **state)
{
	struct opt_space	*s = space(state);
	struct engine_config	 cfg;
	int64_t			 v[OPT_MAX_DIMS];
	int			 stop, target;

	two_strategies(&cfg, false);
	add_ok(s, &cfg, "stop_ticks=4:12:4");	/* the one enabled */
	add_ok(s, &cfg, "target_ticks=10,20");
	assert_int_equal(s->npoints, 6);
	stop = strat_param_index(strat_registry_find(
	    strat_registry_builtin(), "orb"), "stop_ticks");
	target = strat_param_index(strat_registry_find(
	    strat_registry_builtin(), "orb"), "target_ticks");
	for (int64_t p = 0; p < 6; p++) {
		opt_space_point(s, p, v);
		assert_int_equal(v[0], 4 + 4 * (p / 2));
		assert_int_equal(v[1], p % 2 ? 20 : 10);
		opt_space_apply(s, v, &cfg);
		assert_int_equal(cfg.strat[0].params[stop], v[0]);
		assert_int_equal(cfg.strat[0].params[target], v[1]);
	}
}

static void
refused(struct opt_space *s, const struct engine_config *cfg,
    const char *spec, const char *why)
{
	struct errmsg	 err;
	int		 ndim = s->ndim;

	assert_int_equal(opt_space_add(s, cfg, strat_registry_builtin(), spec,
	    &err), -1);
	if (strstr(err.msg, why) == NULL)
		fail_msg("%s: '%s' lacks '%s'", spec, err.msg, why);
	assert_int_equal(s->ndim, ndim);
}

static void
test_opt_space_refusals(void **state)
{
	struct opt_space	*s = space(state);
	struct engine_config	 cfg;

	two_strategies(&cfg, true);
	refused(s, &cfg, "stop_ticks=4:8:2", "name the strategy");
	refused(s, &cfg, "nope.stop_ticks=4", "no strategy of that name");
	refused(s, &cfg, "orb.nope=4", "has no parameter 'nope'");
	refused(s, &cfg, "orb.stop_ticks=0:8:2", "0: must be >= 1");
	refused(s, &cfg, "orb.stop_ticks=8:4:2", "ends below its start");
	refused(s, &cfg, "orb.stop_ticks=4:8:0", "");
	refused(s, &cfg, "orb.stop_ticks=4:8", "A:B:STEP or A:B*FACTOR");
	refused(s, &cfg, "orb.stop_ticks=4:8*1", "a factor above 1");
	refused(s, &cfg, "orb.stop_ticks", "not NAME=VALUES");
	refused(s, &cfg, "orb.stop_ticks=4,,8", "no value");
	refused(s, &cfg, "min.label=a,b", "a text parameter");
	refused(s, &cfg, "min.field=close:high:1", "no number");
	refused(s, &cfg, "min.min_move=0.125", "decimals");
	add_ok(s, &cfg, "orb.stop_ticks=4");
	refused(s, &cfg, "orb.stop_ticks=8", "given twice");
	two_strategies(&cfg, false);
	cfg.strat[0].enabled = false;
	refused(s, &cfg, "target_ticks=8", "no strategy is enabled");
}

/* The engine's settings: risk, sizing and a template's distances. */
static void
test_opt_space_settings(void **state)
{
	struct opt_space	*s = space(state);
	struct engine_config	 cfg;
	int64_t			 v[OPT_MAX_DIMS];

	fixture_orb_config(&cfg, true, 0);
	add_ok(s, &cfg, "risk.daily_loss=500:1500:500");
	add_ok(s, &cfg, "sizing.contracts=1,2");
	add_ok(s, &cfg, "atm.scalp.stop_ticks=4:8:4");
	add_ok(s, &cfg, "atm.scalp.target2_ticks=12,20");
	values_are(s, 0, "500.00 1000.00 1500.00");
	values_are(s, 1, "1 2");
	values_are(s, 2, "4 8");
	assert_int_equal(s->npoints, 3 * 2 * 2 * 2);
	opt_space_point(s, s->npoints - 1, v);
	opt_space_apply(s, v, &cfg);
	assert_int_equal(cfg.risk.daily_loss, 150000);
	assert_int_equal(cfg.sizing.contracts, 2);
	assert_int_equal(cfg.atm[0].br.stop_ticks, 8);
	assert_int_equal(cfg.atm[0].br.target_ticks[1], 20);
	assert_int_equal(cfg.atm[0].br.target_ticks[0], 8);	/* untouched */

	refused(s, &cfg, "risk.weekly_loss=1.005", "at most 2 decimals");
	refused(s, &cfg, "risk.nope=1", "no setting a search can change");
	refused(s, &cfg, "sizing.max_contracts=0", "out of its range");
	refused(s, &cfg, "atm.none.stop_ticks=4", "no atm template");
	refused(s, &cfg, "atm.scalp.target3_ticks=4", "has no target 3");
	refused(s, &cfg, "atm.scalp=4", "atm.TEMPLATE.KEY");
	refused(s, &cfg, "risk.daily_loss=100", "given twice");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_opt_space_ranges_and_lists),
		T(test_opt_space_points),
		T(test_opt_space_refusals),
		T(test_opt_space_settings),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
