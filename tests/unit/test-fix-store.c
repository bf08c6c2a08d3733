/*
 * test-fix-store.c -- what a FIX session keeps (core/fix-store.h), in a
 * real SQLite file: sequence numbers and sent messages across a reopen,
 * a reset, executions counted once by ExecID, the venue's orders (one
 * by id, or all of them), the rejects on record, and sessions of one
 * file kept apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "fix-store.h"
#include "venue.h"

#define KEY		"FIX.4.4:TD->CP"
#define OTHER		"FIX.4.4:TDK->CP"

struct fst {
	char		 dir[64];
	char		 path[96];
};

static int
setup(void **state)
{
	struct fst	*t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/td-fix-store-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/journal.db", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct fst	*t = *state;
	char		 p[128];

	snprintf(p, sizeof p, "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", t->path);
	unlink(p);
	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static struct fix_store *
open_store(struct fst *t, const char *key)
{
	struct errmsg		 err;
	struct fix_store	*st = fix_store_open(t->path, key, &err);

	if (st == NULL)
		fail_msg("%s", err.msg);
	return st;
}

struct got {
	int64_t		 seq[8];
	char		 raw[8][32];
	int		 n;
};

static int
collect(void *arg, int64_t seq, const char *raw, size_t len)
{
	struct got	*g = arg;

	g->seq[g->n] = seq;
	snprintf(g->raw[g->n], sizeof g->raw[0], "%.*s", (int)len, raw);
	return ++g->n == 8;
}

/* Numbers and messages survive a reopen; a reset forgets both. */
static void
test_fix_store_seqs_and_messages(void **state)
{
	struct fst		*t = *state;
	struct fix_store	*st = open_store(t, KEY);
	struct errmsg		 err;
	struct got		 g = { .n = 0 };

	assert_int_equal(fix_store_next_out(st), 1);
	assert_int_equal(fix_store_next_in(st), 1);
	assert_int_equal(fix_store_put(st, 1, "one", 3, &err), 0);
	assert_int_equal(fix_store_put(st, 2, "two", 3, &err), 0);
	assert_int_equal(fix_store_put(st, 4, "four", 4, &err), 0);
	assert_int_equal(fix_store_set_next_in(st, 7, &err), 0);
	assert_int_equal(fix_store_next_out(st), 5);
	fix_store_close(st);

	st = open_store(t, KEY);
	assert_int_equal(fix_store_next_out(st), 5);
	assert_int_equal(fix_store_next_in(st), 7);
	assert_int_equal(fix_store_get(st, 2, 0, collect, &g, &err), 0);
	assert_int_equal(g.n, 2);		/* 3 is a gap: absent */
	assert_int_equal(g.seq[0], 2);
	assert_string_equal(g.raw[0], "two");
	assert_int_equal(g.seq[1], 4);
	assert_string_equal(g.raw[1], "four");
	g.n = 0;
	assert_int_equal(fix_store_get(st, 1, 1, collect, &g, &err), 0);
	assert_int_equal(g.n, 1);

	assert_int_equal(fix_store_reset(st, &err), 0);
	assert_int_equal(fix_store_next_out(st), 1);
	assert_int_equal(fix_store_next_in(st), 1);
	g.n = 0;
	assert_int_equal(fix_store_get(st, 1, 0, collect, &g, &err), 0);
	assert_int_equal(g.n, 0);
	fix_store_close(st);
}

static int
count_exec(void *arg, const struct venue_exec *x)
{
	int64_t	*sum = arg;

	*sum += x->qty;
	return 0;
}

/* An ExecID counts once; the executions list from a time on. */
static void
test_fix_store_execs_once(void **state)
{
	struct fst		*t = *state;
	struct fix_store	*st = open_store(t, KEY);
	struct venue_exec	 a = { .order_id = 7, .qty = 2, .price = 100,
				    .time = 1000, .order_filled = 2 };
	struct venue_exec	 b = { .order_id = 7, .qty = 1, .price = 101,
				    .time = 2000, .order_filled = 3 };
	struct errmsg		 err;
	int64_t			 sum = 0;

	assert_int_equal(fix_store_exec(st, "E1", &a, &err), 1);
	assert_int_equal(fix_store_exec(st, "E2", &b, &err), 1);
	assert_true(b.exec > a.exec);
	assert_int_equal(fix_store_exec(st, "E1", &a, &err), 0);
	fix_store_close(st);

	st = open_store(t, KEY);
	assert_int_equal(fix_store_exec(st, "E2", &b, &err), 0);
	assert_int_equal(fix_store_execs(st, 0, count_exec, &sum, &err), 0);
	assert_int_equal(sum, 3);
	sum = 0;
	assert_int_equal(fix_store_execs(st, 1500, count_exec, &sum, &err), 0);
	assert_int_equal(sum, 1);
	fix_store_close(st);
}

/* Orders by id; one session's rows are not another's. */
static void
test_fix_store_orders_and_keys(void **state)
{
	struct fst		*t = *state;
	struct fix_store	*st = open_store(t, KEY);
	struct fix_store	*other = open_store(t, OTHER);
	struct fix_store_order	 o = { .id = 42 }, got;
	struct venue_exec	 x = { .order_id = 42, .qty = 1, .time = 1 };
	struct errmsg		 err;
	int64_t			 sum = 0;

	snprintf(o.clordid, sizeof o.clordid, "42.1");
	snprintf(o.orderid, sizeof o.orderid, "CP-9");
	snprintf(o.text, sizeof o.text, "buy 1 ES");
	assert_int_equal(fix_store_order_put(st, &o, &err), 0);
	assert_int_equal(fix_store_order_get(st, 42, &got, &err), 1);
	assert_string_equal(got.clordid, "42.1");
	assert_string_equal(got.orderid, "CP-9");
	assert_string_equal(got.text, "buy 1 ES");
	assert_int_equal(fix_store_order_get(st, 43, &got, &err), 0);
	assert_int_equal(fix_store_order_get(other, 42, &got, &err), 0);

	assert_int_equal(fix_store_put(st, 1, "mine", 4, &err), 0);
	assert_int_equal(fix_store_next_out(other), 1);
	assert_int_equal(fix_store_exec(st, "E1", &x, &err), 1);
	assert_int_equal(fix_store_exec(other, "E1", &x, &err), 1);
	assert_int_equal(fix_store_execs(st, 0, count_exec, &sum, &err), 0);
	assert_int_equal(sum, 1);
	fix_store_close(other);
	fix_store_close(st);
}

/* The rejects are on record, in the journal's file, as they came. */
static void
test_fix_store_rejects(void **state)
{
	struct fst		*t = *state;
	struct fix_store	*st = open_store(t, KEY);
	struct fix_store_reject	 r = { .time = 5, .seq = 9, .type = "3",
				    .ref_seq = 4, .ref_type = "D",
				    .ref_tag = 40, .reason = 5,
				    .text = "bad OrdType" };
	struct fix_store_reject	 j = { .time = 6, .seq = 10, .type = "j",
				    .ref_seq = -1, .ref_tag = -1,
				    .reason = 4, .ref_id = "77" };
	struct errmsg		 err;
	sqlite3			*db;
	sqlite3_stmt		*q;
	int			 n = 0;

	assert_int_equal(fix_store_reject(st, &r, &err), 0);
	assert_int_equal(fix_store_reject(st, &j, &err), 0);
	fix_store_close(st);

	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT key, seq, type, "
	    "ref_seq, ref_type, ref_tag, reason, ref_id, text FROM fix_reject "
	    "ORDER BY seq", -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		assert_string_equal(sqlite3_column_text(q, 0), KEY);
		if (n++ == 0) {
			assert_int_equal(sqlite3_column_int64(q, 1), 9);
			assert_string_equal(sqlite3_column_text(q, 2), "3");
			assert_int_equal(sqlite3_column_int64(q, 3), 4);
			assert_string_equal(sqlite3_column_text(q, 4), "D");
			assert_int_equal(sqlite3_column_int64(q, 5), 40);
			assert_int_equal(sqlite3_column_int64(q, 6), 5);
			assert_int_equal(sqlite3_column_type(q, 7), SQLITE_NULL);
			assert_string_equal(sqlite3_column_text(q, 8),
			    "bad OrdType");
		} else {
			assert_string_equal(sqlite3_column_text(q, 2), "j");
			assert_int_equal(sqlite3_column_type(q, 3), SQLITE_NULL);
			assert_int_equal(sqlite3_column_type(q, 4), SQLITE_NULL);
			assert_int_equal(sqlite3_column_int64(q, 6), 4);
			assert_string_equal(sqlite3_column_text(q, 7), "77");
			assert_int_equal(sqlite3_column_type(q, 8), SQLITE_NULL);
		}
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_int_equal(n, 2);
}

/* A file that cannot be opened is refused with its path. */
static void
test_fix_store_bad_path(void **state)
{
	struct errmsg	 err;

	(void)state;
	assert_null(fix_store_open("/nonexistent/dir/journal.db", KEY, &err));
	assert_non_null(strstr(err.msg, "/nonexistent/dir/journal.db"));
}

/* The orders a session kept, all of them by id, another's left out. */
struct olist {
	uint64_t	 id[8];
	char		 clordid[8][32];
	int		 n;
	int		 stop_at;	/* stop after this many (0: never) */
};

static int
list_order(void *arg, const struct fix_store_order *o)
{
	struct olist	*l = arg;

	assert_true(l->n < 8);
	l->id[l->n] = o->id;
	snprintf(l->clordid[l->n], sizeof l->clordid[0], "%s", o->clordid);
	return ++l->n == l->stop_at;
}

static void
test_fix_store_orders_listed(void **state)
{
	struct fst		*t = *state;
	struct fix_store	*st = open_store(t, KEY);
	struct fix_store	*other = open_store(t, OTHER);
	struct fix_store_order	 o = { .id = 0 };
	struct olist		 l = { .n = 0 };
	struct errmsg		 err;
	const uint64_t		 ids[] = { 7, 3, 12 };

	assert_int_equal(fix_store_orders(st, list_order, &l, &err), 0);
	assert_int_equal(l.n, 0);
	for (int i = 0; i < 3; i++) {
		o.id = ids[i];
		snprintf(o.clordid, sizeof o.clordid, "%llu.1",
		    (unsigned long long)ids[i]);
		assert_int_equal(fix_store_order_put(st, &o, &err), 0);
	}
	o.id = 5;
	assert_int_equal(fix_store_order_put(other, &o, &err), 0);
	o.id = 3;				/* again: still one row */
	snprintf(o.clordid, sizeof o.clordid, "3.2");
	assert_int_equal(fix_store_order_put(st, &o, &err), 0);
	assert_int_equal(fix_store_orders(st, list_order, &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.id[0], 3);
	assert_string_equal(l.clordid[0], "3.2");
	assert_int_equal(l.id[1], 7);
	assert_int_equal(l.id[2], 12);
	l = (struct olist){ .stop_at = 2 };
	assert_int_equal(fix_store_orders(st, list_order, &l, &err), 0);
	assert_int_equal(l.n, 2);
	fix_store_close(other);
	fix_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_fix_store_seqs_and_messages),
		T(test_fix_store_execs_once),
		T(test_fix_store_orders_and_keys),
		T(test_fix_store_rejects),
		T(test_fix_store_bad_path),
		T(test_fix_store_orders_listed),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
