/*
 * test-rollout.c -- the rollout ladder (core/rollout.h): the tighter limit
 * wins, the criteria judged on their evidence, moves that start the
 * evidence afresh, and a ladder rebuilt from its events (a restart)
 * equal to the one that made them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "rollout.h"

#define DAY1	20240102
#define DAY2	20240103

static void
ladder_cfg(struct rollout_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->nstages = 2;
	rollout_stage_defaults(&cfg->stage[0]);
	snprintf(cfg->stage[0].name, sizeof cfg->stage[0].name, "micro");
	cfg->stage[0].nsymbols = 1;
	snprintf(cfg->stage[0].symbols[0], TD_SYMBOL_MAX, "MES");
	cfg->stage[0].risk.max_contracts = 1;
	cfg->stage[0].risk.daily_loss = 10000;
	cfg->stage[0].sessions = 2;
	cfg->stage[0].no_critical = true;
	cfg->stage[0].paths = 1u << ROLLOUT_PATH_STOP |
	    1u << ROLLOUT_PATH_TARGET;
	cfg->stage[0].max_slippage_ticks = 2;
	rollout_stage_defaults(&cfg->stage[1]);
	snprintf(cfg->stage[1].name, sizeof cfg->stage[1].name, "small");
	cfg->demote_on = 1u << ROLLOUT_DEMOTE_LOSS_LIMIT;
}

static struct rollout *
ladder(void)
{
	struct rollout_cfg	 cfg;
	struct errmsg		 err;
	struct rollout		*r;

	ladder_cfg(&cfg);
	r = rollout_create(&cfg, &err);
	assert_non_null(r);
	return r;
}

static void
ev(struct rollout *r, enum rollout_ev_kind kind, int32_t day,
    const char *stage)
{
	struct errmsg	 err;

	assert_int_equal(rollout_apply(r, &(struct rollout_event){
	    .kind = kind, .day = day, .stage = stage }, &err), 0);
}

static void
fill(struct rollout *r, int32_t day, uint64_t id, int64_t ticks)
{
	struct errmsg	 err;

	assert_int_equal(rollout_apply(r, &(struct rollout_event){
	    .kind = ROLLOUT_EV_FILL, .day = day, .stage = "micro",
	    .order_id = id, .symbol = "MES", .expected = 100,
	    .price = 100 + ticks, .ticks = ticks }, &err), 0);
}

static void
path(struct rollout *r, enum rollout_path p, int32_t day)
{
	struct errmsg	 err;

	assert_int_equal(rollout_apply(r, &(struct rollout_event){
	    .kind = ROLLOUT_EV_PATH, .day = day, .stage = "micro",
	    .path = p }, &err), 0);
}

static void
test_rollout_tighter_wins(void **state)
{
	struct rollout_cfg	 cfg;
	struct risk_cfg		 base, out;

	(void)state;
	ladder_cfg(&cfg);
	memset(&base, 0, sizeof base);
	base.daily_loss = 50000;	/* looser than the stage's 100.00 */
	base.max_contracts = 4;
	base.weekly_loss = 250000;	/* the stage sets none */
	base.collar_ticks = 40;
	base.hours_start = 570;
	base.hours_end = 955;
	cfg.stage[0].risk.collar_ticks = 80;	/* looser: ignored */
	rollout_stage_limits(&cfg.stage[0], &base, &out);
	assert_int_equal(out.daily_loss, 10000);
	assert_int_equal(out.max_contracts, 1);
	assert_int_equal(out.weekly_loss, 250000);
	assert_int_equal(out.collar_ticks, 40);
	assert_int_equal(out.hours_start, 570);
	assert_int_equal(out.hours_end, 955);
	/* A configured limit that is off is turned on by the stage. */
	base.daily_loss = 0;
	rollout_stage_limits(&cfg.stage[0], &base, &out);
	assert_int_equal(out.daily_loss, 10000);
	/* A tighter configured limit stays. */
	base.daily_loss = 5000;
	rollout_stage_limits(&cfg.stage[0], &base, &out);
	assert_int_equal(out.daily_loss, 5000);
}

static void
test_rollout_instruments(void **state)
{
	struct rollout	*r = ladder();
	struct errmsg	 err;

	(void)state;
	assert_true(rollout_allows(r, "MES"));
	assert_false(rollout_allows(r, "ES"));
	assert_int_equal(rollout_apply(r, &(struct rollout_event){
	    .kind = ROLLOUT_EV_MOVE, .stage = "micro", .to = "small",
	    .who = "trader", .why = "rollout next" }, &err), 0);
	assert_true(rollout_allows(r, "ES"));
	rollout_free(r);
}

static void
test_rollout_criteria(void **state)
{
	struct rollout		*r = ladder();
	struct rollout_check	 c[ROLLOUT_NCRITS];
	char			 unmet[512];

	(void)state;
	assert_int_equal(rollout_evaluate(r, c), 3);
	assert_false(c[ROLLOUT_CRIT_SESSIONS].met);
	assert_true(c[ROLLOUT_CRIT_NO_CRITICAL].met);
	assert_false(c[ROLLOUT_CRIT_DAILY_HALT].judged);
	assert_string_equal(c[ROLLOUT_CRIT_STOP].evidence, "not seen");

	ev(r, ROLLOUT_EV_SESSION, DAY1, "micro");
	ev(r, ROLLOUT_EV_SESSION, DAY1, "micro");	/* counted once */
	ev(r, ROLLOUT_EV_SESSION, DAY2, "small");	/* another stage's */
	path(r, ROLLOUT_PATH_STOP, DAY1);
	fill(r, DAY1, 7, 1);
	fill(r, DAY2, 9, 3);
	fill(r, DAY2, 10, -2);
	assert_int_equal(rollout_evaluate(r, c), 3);
	assert_string_equal(c[ROLLOUT_CRIT_SESSIONS].evidence,
	    "1 of 2: 2024-01-02");
	assert_string_equal(c[ROLLOUT_CRIT_STOP].evidence,
	    "seen 1 time, first on 2024-01-02");
	assert_false(c[ROLLOUT_CRIT_SLIPPAGE].met);
	assert_string_equal(c[ROLLOUT_CRIT_SLIPPAGE].evidence,
	    "worst 3 ticks of 3 fills (at most 2), order 9 MES on 2024-01-03");
	rollout_unmet(r, unmet, sizeof unmet);
	assert_non_null(strstr(unmet, "sessions: 1 of 2"));
	assert_non_null(strstr(unmet, "target: not seen"));
	assert_null(strstr(unmet, "stop"));

	ev(r, ROLLOUT_EV_SESSION, DAY2, "micro");
	path(r, ROLLOUT_PATH_TARGET, DAY2);
	assert_int_equal(rollout_evaluate(r, c), 1);	/* the slippage */
	ev(r, ROLLOUT_EV_INCIDENT, DAY2, "micro");
	assert_int_equal(rollout_evaluate(r, c), 2);
	assert_false(c[ROLLOUT_CRIT_NO_CRITICAL].met);
	rollout_free(r);
}

static void
test_rollout_move_starts_afresh(void **state)
{
	struct rollout		*r = ladder();
	struct rollout_check	 c[ROLLOUT_NCRITS];
	struct errmsg		 err;

	(void)state;
	ev(r, ROLLOUT_EV_SESSION, DAY1, "micro");
	assert_int_equal(rollout_apply(r, &(struct rollout_event){
	    .kind = ROLLOUT_EV_MOVE, .stage = "micro", .to = "small",
	    .who = "trader", .why = "rollout next" }, &err), 0);
	assert_int_equal(rollout_index(r), 1);
	/* Demoted: back in micro with nothing counted. */
	assert_int_equal(rollout_apply(r, &(struct rollout_event){
	    .kind = ROLLOUT_EV_MOVE, .time = 5, .stage = "small",
	    .to = "micro", .who = "engine", .why = "daily-loss" }, &err), 0);
	assert_int_equal(rollout_index(r), 0);
	rollout_evaluate(r, c);
	assert_string_equal(c[ROLLOUT_CRIT_SESSIONS].evidence, "0 of 2");
	assert_string_equal(rollout_evidence(r)->who, "engine");
	assert_int_equal(rollout_evidence(r)->since, 5);
	/* A stage the ladder does not have is refused: nothing moves. */
	assert_int_equal(rollout_apply(r, &(struct rollout_event){
	    .kind = ROLLOUT_EV_MOVE, .stage = "micro", .to = "tiny",
	    .who = "trader", .why = "" }, &err), -1);
	assert_string_equal(err.msg, "rollout: no stage 'tiny'");
	assert_int_equal(rollout_index(r), 0);
	rollout_free(r);
}

/* The same events, taken again by a new ladder: the same ladder. */
static void
test_rollout_restore(void **state)
{
	struct rollout_event	 evs[] = {
		{ .kind = ROLLOUT_EV_MOVE, .stage = "", .to = "micro",
		  .who = "config", .why = "the rollout begins" },
		{ .kind = ROLLOUT_EV_SESSION, .day = DAY1, .stage = "micro" },
		{ .kind = ROLLOUT_EV_PATH, .day = DAY1, .stage = "micro",
		  .path = ROLLOUT_PATH_STOP },
		{ .kind = ROLLOUT_EV_MOVE, .time = 9, .stage = "micro",
		  .to = "small", .who = "trader", .why = "rollout next" },
		{ .kind = ROLLOUT_EV_SESSION, .day = DAY2, .stage = "small" },
	};
	struct rollout		*a = ladder(), *b = ladder();
	struct errmsg		 err;

	(void)state;
	assert_false(rollout_begun(a));
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		assert_int_equal(rollout_apply(a, &evs[i], &err), 0);
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		assert_int_equal(rollout_apply(b, &evs[i], &err), 0);
	assert_true(rollout_begun(b));
	assert_int_equal(rollout_index(b), 1);
	assert_string_equal(rollout_current(b)->name, "small");
	assert_memory_equal(rollout_evidence(a), rollout_evidence(b),
	    sizeof *rollout_evidence(a));
	assert_int_equal(rollout_evidence(b)->nsessions, 1);
	assert_int_equal(rollout_evidence(b)->days[0], DAY2);
	rollout_free(a);
	rollout_free(b);
}

static void
test_rollout_bad_config(void **state)
{
	struct rollout_cfg	 cfg;
	struct errmsg		 err;

	(void)state;
	ladder_cfg(&cfg);
	snprintf(cfg.stage[1].name, sizeof cfg.stage[1].name, "micro");
	assert_null(rollout_create(&cfg, &err));
	assert_string_equal(err.msg, "rollout: stage 2: name 'micro' is used "
	    "twice");
	cfg.nstages = 0;
	assert_null(rollout_create(&cfg, &err));
}

static void
test_rollout_slippage(void **state)
{
	(void)state;
	assert_int_equal(rollout_slippage(TD_BUY, 100, 102), 2);
	assert_int_equal(rollout_slippage(TD_SELL, 100, 102), -2);
	assert_int_equal(rollout_slippage(TD_SELL, 100, 97), 3);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_rollout_tighter_wins),
		cmocka_unit_test(test_rollout_instruments),
		cmocka_unit_test(test_rollout_criteria),
		cmocka_unit_test(test_rollout_move_starts_afresh),
		cmocka_unit_test(test_rollout_restore),
		cmocka_unit_test(test_rollout_bad_config),
		cmocka_unit_test(test_rollout_slippage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
