/*
 * test-strat-ml.c -- the ml strategy: hand-made sessions of flat 1-minute
 * ES bars at 5000 with p_up events given to the engine between them.
 *
 * Day 1 (2024-03-11): an event before the session and one of another
 * name are ignored; p_up 0.70 after the 09:40 bar enters long at the next
 * bar's open, which a drop to 4997.50 stops out 8 ticks lower; a later
 * 0.20 is not traded (one entry a session).  Day 2: 0.55 is between the
 * thresholds; 0.30 enters short and is flattened 15 minutes before the
 * close.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "engine.h"
#include "errmsg.h"
#include "strat-param.h"
#include "strat-registry.h"
#include "trades.h"

#include "fixture.h"

struct ev {
	int		 hour, min;	/* after the bar starting then */
	const char	*name;
	int		 pct;		/* p_up in hundredths */
};

static struct engine *
ml_engine(void)
{
	struct engine_config	 cfg;
	struct strategy_cfg	*sc = &cfg.strat[0];
	const struct strategy_ops *ops =
	    strat_registry_find(strat_registry_builtin(), "ml");
	struct engine		*e;
	struct errmsg		 err;

	assert_non_null(ops);
	fixture_config(&cfg);
	cfg.nstrat = 1;
	memset(sc, 0, sizeof *sc);
	strcpy(sc->name, "ml");
	strcpy(sc->type, "ml");
	strcpy(sc->symbol, "ES");
	sc->enabled = true;
	strat_param_defaults(ops, sc->params, sc->param_text);
	sc->params[strat_param_index(ops, "contracts")] = 1;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

/*
 * A day of flat bars from 09:00 to 16:00 New York, the bar at 10:00
 * (drop) low at 4997.50 when drop; the events after their bars.
 */
static void
ml_day(struct engine *e, int mday, bool drop, const struct ev *ev,
    size_t nev)
{
	struct errmsg	 err;

	for (int m = 9 * 60; m < 16 * 60; m++) {
		td_ns		 t = fixture_ny(2024, 3, mday, m / 60, m % 60);
		struct td_md	 md = fixture_bar(t, P(5000), P(5000),
		    drop && m == 10 * 60 ? P(4997.5) : P(5000), P(5000));

		if (engine_on_market(e, &md, &err) == -1)
			fail_msg("%s", err.msg);
		for (size_t i = 0; i < nev; i++) {
			struct td_data	 d = { .source = "model:signal",
			    .inst = 0, .kind = TD_DATA_PROBABILITY,
			    .value = ev[i].pct * (TD_DATA_SCALE / 100),
			    .time = md.bar.end };

			if (ev[i].hour * 60 + ev[i].min != m)
				continue;
			strcpy(d.name, ev[i].name);
			if (engine_on_data(e, &d, &err) == -1)
				fail_msg("%s", err.msg);
		}
	}
}

static void
test_strat_ml_trades_thresholds(void **state)
{
	struct engine		*e = ml_engine();
	const struct trades	*tl = engine_trades(e);
	const struct trade	*t;
	const struct ev		 day1[] = {
		{ 9, 10, "p_up", 90 },		/* before the session */
		{ 9, 35, "p_down", 90 },	/* not p_up */
		{ 9, 40, "p_up", 70 },		/* long */
		{ 11, 0, "p_up", 20 },		/* the entry is spent */
	};
	const struct ev		 day2[] = {
		{ 9, 45, "p_up", 55 },		/* between */
		{ 10, 30, "p_up", 30 },		/* short */
	};

	(void)state;
	ml_day(e, 11, true, day1, 4);
	assert_int_equal(trades_count(tl), 1);
	t = trades_get(tl, 0);
	assert_false(t->open);
	assert_int_equal(t->side, TD_BUY);
	assert_int_equal(t->entry_sum, P(5000));
	assert_int_equal(t->exit_sum, P(4998));
	assert_int_equal(t->entry_time, fixture_ny(2024, 3, 11, 9, 41));
	ml_day(e, 12, false, day2, 2);
	assert_int_equal(trades_count(tl), 2);
	t = trades_get(tl, 1);
	assert_false(t->open);
	assert_int_equal(t->side, TD_SELL);
	assert_int_equal(t->entry_time, fixture_ny(2024, 3, 12, 10, 31));
	assert_string_equal(t->reason, "flatten before close");
	engine_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strat_ml_trades_thresholds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
