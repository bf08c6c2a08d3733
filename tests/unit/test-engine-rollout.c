/*
 * test-engine-rollout.c -- the engine's side of the rollout ladder
 * (core/engine-rollout.c): demotion.  With rollout.demote_on listing it,
 * a daily-loss breach, and separately a tripped breaker, in the second
 * stage move the desk to the first: the first stage's limits then hold,
 * the move is in the journal (who "engine", why the cause) and an alert
 * of event `rollout` goes out.  Neither demotes when demote_on does not
 * list it, and the first stage stays the first.
 *
 * The engine runs attended over the simulated venue, its journal a real
 * SQLite file in a temporary directory, its alerts kept by a test sink.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "engine.h"
#include "errmsg.h"
#include "journal.h"
#include "rollout.h"

#include "alert-keep.h"
#include "fixture.h"

#define MICRO_LOSS	10000		/* $100 */
#define SMALL_LOSS	25000		/* $250 */

struct tro {
	char		 dir[64];
	char		 path[96];
	struct engine	*e;
	struct journal	*j;
	struct keep	 k;
	struct alert_hub *hub;
	int		 minute;	/* of the next bar, from 10:00 */
};

static int
setup(void **state)
{
	struct tro	*t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/td-engine-rollout-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/journal.db", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tro	*t = *state;

	engine_free(t->e);
	journal_close(t->j);
	alert_free(t->hub);
	fixture_rmtree(t->dir);
	free(t);
	return 0;
}

/*
 * A desk on the ladder micro (1 contract, $100 a day) -> small (2
 * contracts, $250 a day), no criteria to leave micro, demoting on
 * demote_on; the rejects breaker trips at the second order refused within
 * an hour.  It starts in stage `stage` (0 or 1), moved there by a person.
 */
static void
desk(struct tro *t, unsigned demote_on, int stage)
{
	struct engine_config		 cfg;
	struct journal_session_info	 info = { .mode = "paper" };
	struct rollout_stage		*st;
	struct errmsg			 err;

	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.risk.flatten_on_breach = true;
	cfg.breakers.rejects = 2;
	cfg.breakers.rejects_window = 3600 * TD_NS_PER_SEC;
	cfg.rollout.nstages = 2;
	cfg.rollout.demote_on = demote_on;
	st = &cfg.rollout.stage[0];
	rollout_stage_defaults(st);
	snprintf(st->name, sizeof st->name, "micro");
	st->risk.max_contracts = 1;
	st->risk.daily_loss = MICRO_LOSS;
	st = &cfg.rollout.stage[1];
	rollout_stage_defaults(st);
	snprintf(st->name, sizeof st->name, "small");
	st->risk.max_contracts = 2;
	st->risk.daily_loss = SMALL_LOSS;
	t->hub = keep_hub(&t->k);
	if ((t->e = fixture_engine(&cfg, NULL, &err)) == NULL ||
	    (t->j = journal_open(t->path, JOURNAL_CREATE, &err)) == NULL ||
	    engine_journal(t->e, t->j, &info, &err) == -1)
		fail_msg("%s", err.msg);
	engine_set_alerts(t->e, t->hub);
	if (stage > 0 && engine_rollout_move(t->e, stage, "trader",
	    "rollout next", &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(rollout_index(engine_rollout(t->e)), stage);
}

/* The next 1-minute bar of 2024-03-12 from 10:00, in points. */
static void
bar(struct tro *t, double o, double h, double l, double c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 12, 10,
			    t->minute++), P(o), P(h), P(l), P(c));

	if (engine_on_market(t->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static int
buy(struct tro *t, int64_t qty)
{
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_MARKET, .qty = qty };
	struct errmsg		 err;
	uint64_t		 id;

	return engine_manual_order(t->e, &m, &id, &err);
}

/* Long 2 at 5000, then down 3 points: -$300 and commissions, > $250. */
static void
lose(struct tro *t)
{
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(buy(t, 2), 0);
	bar(t, 5000, 5000, 5000, 5000);
	bar(t, 5000, 5000, 4997, 4997);
	assert_int_equal(engine_state(t->e), TS_HALTED);
}

/* Two orders the stage refuses (5 contracts): the breaker trips. */
static void
trip(struct tro *t)
{
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(buy(t, 5), -1);
	assert_int_equal(buy(t, 5), -1);
	assert_int_equal(engine_state(t->e), TS_HALTED);
}

/* The journal's moves of the ladder, as "from>to by who: why" lines. */
static int
keep_move(void *arg, const struct journal_rollout *r)
{
	char	*buf = arg;
	size_t	 n = strlen(buf);

	if (strcmp(r->event, "move") == 0)
		snprintf(buf + n, 512 - n, "%s>%s by %s: %s\n", r->stage, r->to,
		    r->who, r->what);
	return 0;
}

static void
moves(struct tro *t, char *buf)
{
	buf[0] = '\0';
	assert_int_equal(journal_read_rollout(t->j, 0, 0, keep_move, buf,
	    NULL), 0);
}

/* Demoted to micro: its limits hold, the move is journaled and alerted. */
static void
assert_demoted(struct tro *t, const char *why)
{
	const struct alert	*a;
	char			 buf[512], line[256];

	assert_int_equal(rollout_index(engine_rollout(t->e)), 0);
	assert_int_equal(engine_risk_cfg(t->e)->daily_loss, MICRO_LOSS);
	assert_int_equal(engine_risk_cfg(t->e)->max_contracts, 1);
	moves(t, buf);
	snprintf(line, sizeof line, "small>micro by engine: %s\n", why);
	assert_non_null(strstr(buf, line));
	assert_non_null(a = keep_find(t->hub, &t->k, ALERT_EV_ROLLOUT));
	assert_string_equal(alert_event_name(a->event), "rollout");
	assert_int_equal(a->severity, ALERT_WARNING);
	snprintf(line, sizeof line, "rollout stage small -> micro: %s", why);
	assert_string_equal(a->text, line);
}

/* Nothing moved since the person's move to stage; no rollout alert. */
static void
assert_stays(struct tro *t, int stage, td_cents loss, int64_t contracts)
{
	char	 buf[512];

	assert_int_equal(rollout_index(engine_rollout(t->e)), stage);
	assert_int_equal(engine_risk_cfg(t->e)->daily_loss, loss);
	assert_int_equal(engine_risk_cfg(t->e)->max_contracts, contracts);
	moves(t, buf);
	assert_null(strstr(buf, "by engine"));
	assert_null(keep_find(t->hub, &t->k, ALERT_EV_ROLLOUT));
}

static void
test_engine_rollout_loss_demotes(void **state)
{
	struct tro	*t = *state;

	desk(t, 1u << ROLLOUT_DEMOTE_LOSS_LIMIT, 1);
	assert_int_equal(engine_risk_cfg(t->e)->daily_loss, SMALL_LOSS);
	lose(t);
	assert_demoted(t, "daily-loss limit halted trading");
	/* micro's single contract now holds for new entries. */
	assert_int_equal(buy(t, 2), -1);
}

static void
test_engine_rollout_breaker_demotes(void **state)
{
	struct tro	*t = *state;

	desk(t, 1u << ROLLOUT_DEMOTE_BREAKER, 1);
	trip(t);
	assert_demoted(t, "breaker rejects: 2 orders refused within 60 min");
}

static void
test_engine_rollout_not_listed_stays(void **state)
{
	struct tro	*t = *state;

	/* A loss with only breakers listed. */
	desk(t, 1u << ROLLOUT_DEMOTE_BREAKER, 1);
	lose(t);
	assert_stays(t, 1, SMALL_LOSS, 2);
}

static void
test_engine_rollout_breaker_not_listed_stays(void **state)
{
	struct tro	*t = *state;

	/* A trip with only loss limits listed. */
	desk(t, 1u << ROLLOUT_DEMOTE_LOSS_LIMIT, 1);
	trip(t);
	assert_stays(t, 1, SMALL_LOSS, 2);
}

static void
test_engine_rollout_first_stage_stays(void **state)
{
	struct tro	*t = *state;

	desk(t, 1u << ROLLOUT_DEMOTE_LOSS_LIMIT | 1u << ROLLOUT_DEMOTE_BREAKER,
	    0);
	bar(t, 5000, 5000, 5000, 5000);
	assert_int_equal(buy(t, 1), 0);
	bar(t, 5000, 5000, 5000, 5000);
	bar(t, 5000, 5000, 4997.5, 4997.5);	/* -$125 and commissions */
	assert_int_equal(engine_state(t->e), TS_HALTED);
	assert_stays(t, 0, MICRO_LOSS, 1);
	/* And a tripped breaker there changes nothing either. */
	assert_int_equal(buy(t, 5), -1);
	assert_int_equal(buy(t, 5), -1);
	assert_stays(t, 0, MICRO_LOSS, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_engine_rollout_loss_demotes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_rollout_breaker_demotes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_rollout_not_listed_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_rollout_breaker_not_listed_stays, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_rollout_first_stage_stays, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
