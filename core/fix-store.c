/*
 * fix-store.c -- a FIX session's sequence numbers, sent messages,
 * executions, orders and the rejects it was sent, in SQLite (see
 * fix-store.h).
 *
 * Owns one connection to the file, the statements prepared on it at open
 * and the two sequence numbers as last committed.  Values go through
 * bound parameters only.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fix-store.h"
#include "venue.h"

enum {
	Q_SEQ,
	Q_NEW,
	Q_IN,
	Q_OUT,
	Q_PUT,
	Q_GET,
	Q_DROP,
	Q_EXEC,
	Q_EXECS,
	Q_OPUT,
	Q_OGET,
	Q_OALL,
	Q_REJECT,
	Q_COUNT
};

static const char *const fs_sql[Q_COUNT] = {
	[Q_SEQ] = "SELECT next_out, next_in FROM fix_seq WHERE key = ?1",
	[Q_NEW] = "INSERT INTO fix_seq (key, next_out, next_in) "
	    "VALUES (?1, 1, 1)",
	[Q_IN] = "UPDATE fix_seq SET next_in = ?2 WHERE key = ?1",
	[Q_OUT] = "UPDATE fix_seq SET next_out = ?2 WHERE key = ?1",
	[Q_PUT] = "INSERT OR REPLACE INTO fix_out (key, seq, msg) "
	    "VALUES (?1, ?2, ?3)",
	[Q_GET] = "SELECT seq, msg FROM fix_out WHERE key = ?1 AND seq >= ?2 "
	    "AND (?3 = 0 OR seq <= ?3) ORDER BY seq",
	[Q_DROP] = "DELETE FROM fix_out WHERE key = ?1",
	[Q_EXEC] = "INSERT OR IGNORE INTO fix_exec (key, exec_id, order_id, "
	    "inst, side, qty, price, time, order_filled) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[Q_EXECS] = "SELECT rowid, order_id, inst, side, qty, price, time, "
	    "order_filled FROM fix_exec WHERE key = ?1 AND time >= ?2 "
	    "ORDER BY rowid",
	[Q_OPUT] = "INSERT OR REPLACE INTO fix_order (key, id, clordid, "
	    "orderid, text) VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_OGET] = "SELECT clordid, orderid, text FROM fix_order "
	    "WHERE key = ?1 AND id = ?2",
	[Q_OALL] = "SELECT id, clordid, orderid, text FROM fix_order "
	    "WHERE key = ?1 ORDER BY id",
	[Q_REJECT] = "INSERT INTO fix_reject (key, time, seq, type, ref_seq, "
	    "ref_type, ref_tag, reason, ref_id, text) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};

static const char fs_schema[] =
    "CREATE TABLE IF NOT EXISTS fix_seq (key TEXT PRIMARY KEY,"
    " next_out INTEGER NOT NULL, next_in INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS fix_out (key TEXT NOT NULL,"
    " seq INTEGER NOT NULL, msg BLOB NOT NULL, PRIMARY KEY (key, seq));"
    "CREATE TABLE IF NOT EXISTS fix_exec (key TEXT NOT NULL,"
    " exec_id TEXT NOT NULL, order_id INTEGER NOT NULL,"
    " inst INTEGER NOT NULL, side INTEGER NOT NULL, qty INTEGER NOT NULL,"
    " price INTEGER NOT NULL, time INTEGER NOT NULL,"
    " order_filled INTEGER NOT NULL, UNIQUE (key, exec_id));"
    "CREATE TABLE IF NOT EXISTS fix_order (key TEXT NOT NULL,"
    " id INTEGER NOT NULL, clordid TEXT NOT NULL, orderid TEXT NOT NULL,"
    " text TEXT NOT NULL, PRIMARY KEY (key, id));"
    "CREATE TABLE IF NOT EXISTS fix_reject (key TEXT NOT NULL,"
    " time INTEGER NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,"
    " ref_seq INTEGER, ref_type TEXT, ref_tag INTEGER, reason INTEGER,"
    " ref_id TEXT, text TEXT);";

struct fix_store {
	sqlite3		*db;
	sqlite3_stmt	*q[Q_COUNT];
	char		*key;
	const char	*where;		/* the path, for messages */
	int64_t		 next_out, next_in;
};

static int
fs_err(struct fix_store *st, struct errmsg *err, const char *what)
{
	return errmsg_set(err, "%s: fix store: %s: %s", st->where, what,
	    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
}

/* Run q (bound already) to its end; reset it either way. */
static int
fs_step(struct fix_store *st, int q, struct errmsg *err, const char *what)
{
	int	 rc = sqlite3_step(st->q[q]);

	sqlite3_reset(st->q[q]);
	sqlite3_clear_bindings(st->q[q]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fs_err(st, err, what);
	return 0;
}

static int
fs_load(struct fix_store *st, struct errmsg *err)
{
	sqlite3_stmt	*q = st->q[Q_SEQ];
	int		 rc;

	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		st->next_out = sqlite3_column_int64(q, 0);
		st->next_in = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return fs_err(st, err, "read");
	st->next_out = st->next_in = 1;
	sqlite3_bind_text(st->q[Q_NEW], 1, st->key, -1, SQLITE_STATIC);
	return fs_step(st, Q_NEW, err, "create");
}

struct fix_store *
fix_store_open(const char *path, const char *key, struct errmsg *err)
{
	struct fix_store	*st;

	if ((st = calloc(1, sizeof *st)) == NULL ||
	    (st->key = strdup(key)) == NULL) {
		free(st);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	st->where = path != NULL ? path : "memory";
	if (sqlite3_open_v2(path != NULL ? path : ":memory:", &st->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fs_err(st, err, "open");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (sqlite3_exec(st->db, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(st->db, fs_schema, NULL, NULL, NULL) != SQLITE_OK) {
		fs_err(st, err, "schema");
		goto fail;
	}
	for (int i = 0; i < Q_COUNT; i++) {
		if (sqlite3_prepare_v3(st->db, fs_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->q[i], NULL) != SQLITE_OK) {
			fs_err(st, err, "prepare");
			goto fail;
		}
	}
	if (fs_load(st, err) == 0)
		return st;
fail:
	fix_store_close(st);
	return NULL;
}

void
fix_store_close(struct fix_store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(st->q[i]);
	sqlite3_close(st->db);
	free(st->key);
	free(st);
}

int64_t
fix_store_next_out(const struct fix_store *st)
{
	return st->next_out;
}

int64_t
fix_store_next_in(const struct fix_store *st)
{
	return st->next_in;
}

static int
fs_set(struct fix_store *st, int q, int64_t seq, struct errmsg *err)
{
	if (seq < 1)
		return errmsg_set(err, "%s: fix store: sequence number %lld",
		    st->where, (long long)seq);
	sqlite3_bind_text(st->q[q], 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st->q[q], 2, seq);
	return fs_step(st, q, err, "update");
}

int
fix_store_set_next_in(struct fix_store *st, int64_t seq, struct errmsg *err)
{
	if (fs_set(st, Q_IN, seq, err) == -1)
		return -1;
	st->next_in = seq;
	return 0;
}

int
fix_store_set_next_out(struct fix_store *st, int64_t seq, struct errmsg *err)
{
	if (fs_set(st, Q_OUT, seq, err) == -1)
		return -1;
	st->next_out = seq;
	return 0;
}

int
fix_store_put(struct fix_store *st, int64_t seq, const char *raw, size_t len,
    struct errmsg *err)
{
	sqlite3_stmt	*q = st->q[Q_PUT];

	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return fs_err(st, err, "begin");
	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, seq);
	sqlite3_bind_blob(q, 3, raw, (int)len, SQLITE_STATIC);
	if (fs_step(st, Q_PUT, err, "write") == -1 ||
	    fs_set(st, Q_OUT, seq + 1, err) == -1)
		goto undo;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fs_err(st, err, "commit");
		goto undo;
	}
	st->next_out = seq + 1;
	return 0;
undo:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
fix_store_get(struct fix_store *st, int64_t from, int64_t to, fix_store_fn fn,
    void *arg, struct errmsg *err)
{
	sqlite3_stmt	*q = st->q[Q_GET];
	int		 rc;

	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, from);
	sqlite3_bind_int64(q, 3, to);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (fn(arg, sqlite3_column_int64(q, 0),
		    sqlite3_column_blob(q, 1),
		    (size_t)sqlite3_column_bytes(q, 1)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return fs_err(st, err, "read");
	return 0;
}

int
fix_store_reset(struct fix_store *st, struct errmsg *err)
{
	sqlite3_bind_text(st->q[Q_DROP], 1, st->key, -1, SQLITE_STATIC);
	if (fs_step(st, Q_DROP, err, "reset") == -1 ||
	    fix_store_set_next_in(st, 1, err) == -1 ||
	    fix_store_set_next_out(st, 1, err) == -1)
		return -1;
	return 0;
}

int
fix_store_exec(struct fix_store *st, const char *exec_id, struct venue_exec *x,
    struct errmsg *err)
{
	sqlite3_stmt	*q = st->q[Q_EXEC];

	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, exec_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (int64_t)x->order_id);
	sqlite3_bind_int(q, 4, x->inst);
	sqlite3_bind_int(q, 5, x->side);
	sqlite3_bind_int64(q, 6, x->qty);
	sqlite3_bind_int64(q, 7, x->price);
	sqlite3_bind_int64(q, 8, x->time);
	sqlite3_bind_int64(q, 9, x->order_filled);
	if (fs_step(st, Q_EXEC, err, "execution") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return 0;
	x->exec = (uint64_t)sqlite3_last_insert_rowid(st->db);
	return 1;
}

int
fix_store_execs(struct fix_store *st, td_ns since, fix_store_exec_fn fn,
    void *arg, struct errmsg *err)
{
	sqlite3_stmt		*q = st->q[Q_EXECS];
	struct venue_exec	 x;
	int			 rc;

	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, since);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		x = (struct venue_exec){
			.exec = (uint64_t)sqlite3_column_int64(q, 0),
			.order_id = (uint64_t)sqlite3_column_int64(q, 1),
			.inst = sqlite3_column_int(q, 2),
			.side = sqlite3_column_int(q, 3) == TD_BUY ? TD_BUY :
			    TD_SELL,
			.qty = sqlite3_column_int64(q, 4),
			.price = sqlite3_column_int64(q, 5),
			.time = sqlite3_column_int64(q, 6),
			.order_filled = sqlite3_column_int64(q, 7),
		};
		if (fn(arg, &x) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return fs_err(st, err, "executions");
	return 0;
}

int
fix_store_order_put(struct fix_store *st, const struct fix_store_order *o,
    struct errmsg *err)
{
	sqlite3_stmt	*q = st->q[Q_OPUT];

	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)o->id);
	sqlite3_bind_text(q, 3, o->clordid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, o->orderid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, o->text, -1, SQLITE_STATIC);
	return fs_step(st, Q_OPUT, err, "order");
}

/* A text, or NULL when empty; a number, or NULL when below 0. */
static void
fs_bind_opt(sqlite3_stmt *q, int col, const char *text, int64_t num)
{
	if (text != NULL && text[0] != '\0')
		sqlite3_bind_text(q, col, text, -1, SQLITE_STATIC);
	else if (text == NULL && num >= 0)
		sqlite3_bind_int64(q, col, num);
	else
		sqlite3_bind_null(q, col);
}

int
fix_store_reject(struct fix_store *st, const struct fix_store_reject *r,
    struct errmsg *err)
{
	sqlite3_stmt	*q = st->q[Q_REJECT];

	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, r->time);
	sqlite3_bind_int64(q, 3, r->seq);
	sqlite3_bind_text(q, 4, r->type, -1, SQLITE_STATIC);
	fs_bind_opt(q, 5, NULL, r->ref_seq);
	fs_bind_opt(q, 6, r->ref_type, 0);
	fs_bind_opt(q, 7, NULL, r->ref_tag);
	fs_bind_opt(q, 8, NULL, r->reason);
	fs_bind_opt(q, 9, r->ref_id, 0);
	fs_bind_opt(q, 10, r->text, 0);
	return fs_step(st, Q_REJECT, err, "reject");
}

static void
fs_column(sqlite3_stmt *q, int col, char *buf, size_t len)
{
	const unsigned char	*v = sqlite3_column_text(q, col);

	snprintf(buf, len, "%s", v != NULL ? (const char *)v : "");
}

int
fix_store_order_get(struct fix_store *st, uint64_t id,
    struct fix_store_order *o, struct errmsg *err)
{
	sqlite3_stmt	*q = st->q[Q_OGET];
	int		 rc;

	memset(o, 0, sizeof *o);
	o->id = id;
	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		fs_column(q, 0, o->clordid, sizeof o->clordid);
		fs_column(q, 1, o->orderid, sizeof o->orderid);
		fs_column(q, 2, o->text, sizeof o->text);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fs_err(st, err, "order");
	return rc == SQLITE_ROW;
}

int
fix_store_orders(struct fix_store *st, fix_store_order_fn fn, void *arg,
    struct errmsg *err)
{
	sqlite3_stmt		*q = st->q[Q_OALL];
	struct fix_store_order	 o;
	int			 rc;

	sqlite3_bind_text(q, 1, st->key, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&o, 0, sizeof o);
		o.id = (uint64_t)sqlite3_column_int64(q, 0);
		fs_column(q, 1, o.clordid, sizeof o.clordid);
		fs_column(q, 2, o.orderid, sizeof o.orderid);
		fs_column(q, 3, o.text, sizeof o.text);
		if (fn(arg, &o) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return fs_err(st, err, "orders");
	return 0;
}
