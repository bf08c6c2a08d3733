/*
 * test-opt-store.c -- an optimisation's results in SQLite
 * (core/opt-store.h): a run's rows come back as they went, undefined
 * figures included, whole or a row at a time; a run is resumed only as
 * the same search, with the same settings; runs are numbered and kept
 * apart; a store from before runs kept their settings still opens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "opt-store.h"
#include "strat-registry.h"

struct ost {
	char			 dir[64];
	char			 path[96];
	struct engine_config	 cfg;
	struct opt_space	 space;
	struct opt_store_run	 info;
};

static int
setup(void **state)
{
	struct ost	*t = calloc(1, sizeof *t);
	struct errmsg	 err;

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/td-opt-store-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/results.db", t->dir);
	fixture_orb_config(&t->cfg, true, 0);
	opt_space_init(&t->space);
	if (opt_space_add(&t->space, &t->cfg, strat_registry_builtin(),
	    "stop_ticks=4:12:4", &err) == -1 || opt_space_add(&t->space,
	    &t->cfg, strat_registry_builtin(), "target_ticks=8,16", &err) == -1)
		fail_msg("%s", err.msg);
	t->info = (struct opt_store_run){ .method = "grid", .objective = "net",
	    .min_trades = 1, .params = "stop_ticks=4:12:4 target_ticks=8,16",
	    .data = "ES=es.tdc bars 100", .config = "risk = {};" };
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct ost	*t = *state;

	opt_space_free(&t->space);
	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static struct opt_store *
store(struct ost *t)
{
	struct errmsg		 err;
	struct opt_store	*st = opt_store_open(t->path, &err);

	if (st == NULL)
		fail_msg("%s", err.msg);
	return st;
}

/* Points 1 and 4 done, 4 with undefined figures. */
static void
two_rows(struct opt_row *rows)
{
	memset(rows, 0, 6 * sizeof *rows);
	rows[1] = (struct opt_row){ .done = true, .feasible = true,
	    .score = 1234, .st = { .trades = 12, .net = 1234,
	    .profit_factor = 1.5, .sharpe = 0.75, .max_drawdown = 400,
	    .expectancy = 103 } };
	rows[4] = (struct opt_row){ .done = true, .feasible = false,
	    .score = NAN, .st = { .trades = 0, .profit_factor = NAN,
	    .sharpe = NAN } };
}

static void
test_opt_store_round_trip(void **state)
{
	struct ost		*t = *state;
	struct opt_store	*st = store(t);
	struct opt_row		 rows[6], back[6];
	struct errmsg		 err;
	int64_t			 run, run2;

	assert_int_equal(opt_store_begin(st, &t->info, &t->space, &run,
	    &err), 0);
	assert_int_equal(run, 1);
	two_rows(rows);
	assert_int_equal(opt_store_put(st, run, &t->space, rows, NULL, 6,
	    &err), 0);
	assert_int_equal(opt_store_begin(st, &t->info, &t->space, &run2,
	    &err), 0);
	assert_int_equal(run2, 2);
	opt_store_close(st);

	st = store(t);
	memset(back, 0, sizeof back);
	assert_int_equal(opt_store_load(st, run, &t->info, &t->space, back,
	    &err), 2);
	assert_true(back[1].done && back[1].feasible);
	assert_int_equal(back[1].st.trades, 12);
	assert_int_equal(back[1].st.net, 1234);
	assert_int_equal(back[1].st.max_drawdown, 400);
	assert_int_equal(back[1].st.expectancy, 103);
	assert_true(back[1].st.profit_factor == 1.5);
	assert_true(back[1].st.sharpe == 0.75);
	assert_true(back[1].score == 1234);
	assert_true(back[4].done && !back[4].feasible);
	assert_true(isnan(back[4].score) && isnan(back[4].st.sharpe));
	for (int i = 0; i < 6; i++)
		assert_int_equal(back[i].done, i == 1 || i == 4);
	/* The second run has nothing yet. */
	memset(back, 0, sizeof back);
	assert_int_equal(opt_store_load(st, run2, &t->info, &t->space, back,
	    &err), 0);
	opt_store_close(st);
}

static void
refused(struct ost *t, struct opt_store *st, int64_t run,
    const struct opt_store_run *info, const char *why)
{
	struct opt_row	 rows[6];
	struct errmsg	 err;

	assert_int_equal(opt_store_load(st, run, info, &t->space, rows, &err),
	    -1);
	if (strstr(err.msg, why) == NULL)
		fail_msg("'%s' lacks '%s'", err.msg, why);
}

/* Resumed only as the same search. */
static void
test_opt_store_same_search(void **state)
{
	struct ost		*t = *state;
	struct opt_store	*st = store(t);
	struct opt_store_run	 other = t->info;
	struct errmsg		 err;
	int64_t			 run;

	assert_int_equal(opt_store_begin(st, &t->info, &t->space, &run,
	    &err), 0);
	refused(t, st, 7, &t->info, "run 7 is no run of this file");
	other.objective = "sharpe";
	refused(t, st, run, &other, "another objective or constraints");
	other = t->info;
	other.min_trades = 2;
	refused(t, st, run, &other, "another objective or constraints");
	other = t->info;
	other.data = "ES=es.tdc bars 101";
	refused(t, st, run, &other, "other data");
	other = t->info;
	other.config = "risk = { daily_loss = 1.00; };";
	refused(t, st, run, &other, "another configuration");
	other = t->info;
	other.method = "genetic";
	refused(t, st, run, &other, "another method");
	other = t->info;
	other.search = "population 8, seed 2";
	refused(t, st, run, &other, "searched with other settings");
	opt_space_free(&t->space);
	opt_space_init(&t->space);
	assert_int_equal(opt_space_add(&t->space, &t->cfg,
	    strat_registry_builtin(), "stop_ticks=4:16:4", &err), 0);
	refused(t, st, run, &t->info, "searched other parameters");
	opt_store_close(st);
}

static void
test_opt_store_bad_file(void **state)
{
	struct errmsg	 err;

	(void)state;
	assert_null(opt_store_open("/nonexistent/dir/r.db", &err));
	assert_non_null(strstr(err.msg, "/nonexistent/dir/r.db"));
}

static void
each_row(void *arg, int64_t point, const struct opt_row *r)
{
	int64_t	*got = arg;

	assert_true(r->done);
	got[got[0]++ + 1] = point * 100000 + r->st.net;
}

/* Row by row in the order of the points; the search's settings kept. */
static void
test_opt_store_each(void **state)
{
	struct ost		*t = *state;
	struct opt_store	*st = store(t);
	struct opt_store_run	 ga = t->info;
	struct opt_row		 rows[6];
	int64_t			 pts[2] = { 4, 1 }, run, got[8] = { 0 };
	struct errmsg		 err;

	ga.method = "genetic";
	ga.search = "population 4, seed 7";
	assert_int_equal(opt_store_begin(st, &ga, &t->space, &run, &err), 0);
	two_rows(rows);
	rows[0] = rows[4];
	rows[0].st.net = 77;
	/* Rows of two points, given newest first: they come back in order. */
	assert_int_equal(opt_store_put(st, run, &t->space, rows, pts, 2,
	    &err), 0);
	assert_int_equal(opt_store_each(st, run, &ga, &t->space, each_row, got,
	    &err), 2);
	assert_int_equal(got[0], 2);
	assert_int_equal(got[1], 1 * 100000 + 1234);
	assert_int_equal(got[2], 4 * 100000 + 77);
	ga.search = "population 4, seed 8";
	assert_int_equal(opt_store_each(st, run, &ga, &t->space, each_row, got,
	    &err), -1);
	assert_non_null(strstr(err.msg, "searched with other settings"));
	opt_store_close(st);
}

/* A store made before runs kept a search's settings: its grids go on. */
static void
test_opt_store_older_file(void **state)
{
	struct ost		*t = *state;
	struct opt_store	*st;
	struct opt_row		 back[6];
	struct errmsg		 err;
	sqlite3			*db;

	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE runs (id INTEGER "
	    "PRIMARY KEY, started INTEGER NOT NULL, method TEXT NOT NULL, "
	    "objective TEXT NOT NULL, min_trades INTEGER NOT NULL, "
	    "max_drawdown INTEGER NOT NULL, params TEXT NOT NULL, space TEXT "
	    "NOT NULL, points INTEGER NOT NULL, data TEXT NOT NULL, config "
	    "TEXT NOT NULL); INSERT INTO runs VALUES (1, 0, 'grid', 'net', 1, "
	    "0, 'stop_ticks=4:12:4 target_ticks=8,16', "
	    "'orb.stop_ticks=4,8,12 orb.target_ticks=8,16', 6, "
	    "'ES=es.tdc bars 100', "
	    "'risk = {};'); CREATE TABLE run_1 (point INTEGER PRIMARY KEY, "
	    "stop_ticks TEXT NOT NULL, target_ticks TEXT NOT NULL, trades "
	    "INTEGER NOT NULL, net INTEGER NOT NULL, profit_factor REAL, "
	    "sharpe REAL, max_drawdown INTEGER NOT NULL, expectancy INTEGER "
	    "NOT NULL, score REAL, feasible INTEGER NOT NULL); INSERT INTO "
	    "run_1 VALUES (3, '4', '16', 5, 900, 2.0, NULL, 10, 180, 900, 1)",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = store(t);
	memset(back, 0, sizeof back);
	if (opt_store_load(st, 1, &t->info, &t->space, back, &err) != 1)
		fail_msg("%s", err.msg);
	assert_int_equal(back[3].st.net, 900);
	opt_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_opt_store_round_trip),
		T(test_opt_store_same_search),
		T(test_opt_store_each),
		T(test_opt_store_older_file),
		T(test_opt_store_bad_file),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
