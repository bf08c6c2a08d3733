/*
 * test-health-obs.c -- the health observer: market events and refused
 * orders counted, each stage's durations in its histogram, all written
 * into a snapshot; and on an engine, the counts the engine no longer
 * keeps itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "health-obs.h"

#include "fixture.h"

static void
hear(struct health_obs *h, struct engine_ev ev)
{
	assert_int_equal(health_obs_observe(h, &ev, NULL), 0);
}

static void
test_health_obs_counts(void **state)
{
	struct health_obs	*h;
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct errmsg		 err;

	(void)state;
	assert_non_null(s);
	assert_non_null(h = health_obs_create(&err));
	health_obs_fill(h, s);
	assert_int_equal(s->events, 0);
	assert_int_equal(s->rejects, 0);
	for (int i = 0; i < 1000; i++)
		hear(h, (struct engine_ev){ .kind = EEV_MARKET });
	for (int i = 0; i < 3; i++)
		hear(h, (struct engine_ev){ .kind = EEV_REFUSED,
		    .text = "no" });
	/* The books' events count for nothing here. */
	hear(h, (struct engine_ev){ .kind = EEV_FILL });
	hear(h, (struct engine_ev){ .kind = EEV_ORDER });
	hear(h, (struct engine_ev){ .kind = EEV_DAY });
	assert_int_equal(health_obs_events(h), 1000);
	assert_int_equal(health_obs_refused(h), 3);
	health_obs_fill(h, s);
	assert_int_equal(s->events, 1000);
	assert_int_equal(s->rejects, 3);
	health_obs_free(h);
	health_obs_free(NULL);
	snapshot_free(s);
}

/* Each stage's durations: count, sum, exact maximum, quantiles. */
static void
test_health_obs_stages(void **state)
{
	struct health_obs	*h;
	struct snapshot		*s = snapshot_create(NULL, NULL);
	const struct snap_latency *l;
	struct errmsg		 err;

	(void)state;
	assert_non_null(s);
	assert_non_null(h = health_obs_create(&err));
	for (int i = 1; i <= 100; i++)
		hear(h, (struct engine_ev){ .kind = EEV_STAGE,
		    .stage = SNAP_STAGE_RISK, .took = i * 1000 });
	hear(h, (struct engine_ev){ .kind = EEV_STAGE,
	    .stage = SNAP_STAGE_EVENT, .took = 7 });
	hear(h, (struct engine_ev){ .kind = EEV_STAGE, .stage = SNAP_STAGES,
	    .took = 1 });
	hear(h, (struct engine_ev){ .kind = EEV_STAGE, .stage = -1,
	    .took = 1 });
	health_obs_fill(h, s);
	l = &s->latency[SNAP_STAGE_RISK];
	assert_int_equal(l->count, 100);
	assert_int_equal(l->sum, 5050 * 1000);
	assert_int_equal(l->max, 100000);
	assert_true(l->p50 >= 50000 && l->p50 <= 50000 * 5 / 4);
	assert_true(l->p50 <= l->p99 && l->p99 <= l->max);
	assert_int_equal(s->latency[SNAP_STAGE_EVENT].count, 1);
	assert_int_equal(s->latency[SNAP_STAGE_EVENT].max, 7);
	assert_int_equal(s->latency[SNAP_STAGE_ON_BAR].count, 0);
	assert_int_equal(s->latency[SNAP_STAGE_SUBMIT].count, 0);
	health_obs_free(h);
	snapshot_free(s);
}

/*
 * On an engine: every market event and every refusal (a manual order
 * above the contract limit) is counted, and the engine's snapshots carry
 * the counts; with the latency timings on, the stages are timed.
 */
static void
test_health_obs_on_an_engine(void **state)
{
	struct engine_config	 cfg;
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_MARKET, .qty = 5 };
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct health_obs	*h;
	struct engine		*e;
	struct errmsg		 err;

	(void)state;
	assert_non_null(s);
	fixture_config(&cfg);
	cfg.risk.max_contracts = 2;
	cfg.health.latency = true;
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	h = fixture_health(e);
	fixture_day(e, 14, P(5000), NULL, 0);
	assert_int_equal(engine_manual_order(e, &m, NULL, &err), -1);
	assert_int_equal(engine_manual_order(e, &m, NULL, &err), -1);
	assert_int_equal(health_obs_events(h), 390);
	assert_int_equal(health_obs_refused(h), 2);
	fixture_snapshot(e, s);
	assert_int_equal(s->events, 390);
	assert_int_equal(s->rejects, 2);
	assert_true(s->latency_on);
	assert_int_equal(s->latency[SNAP_STAGE_EVENT].count, 390);
	assert_int_equal(s->latency[SNAP_STAGE_RISK].count, 2);
	engine_free(e);
	health_obs_free(h);
	snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_obs_counts),
		cmocka_unit_test(test_health_obs_stages),
		cmocka_unit_test(test_health_obs_on_an_engine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
