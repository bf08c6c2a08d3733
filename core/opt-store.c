/*
 * opt-store.c -- an optimisation's results in SQLite (see opt-store.h).
 *
 * Owns one connection.  Values go through bound parameters; the only
 * text built into SQL is a run's table name (run_N) and its parameter
 * columns, quoted as identifiers.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "opt-store.h"

#define OS_SQL_MAX	4096

struct opt_store {
	sqlite3		*db;
	char		*path;
};

static const char os_schema[] =
    "CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY,"
    " started INTEGER NOT NULL, method TEXT NOT NULL,"
    " objective TEXT NOT NULL, min_trades INTEGER NOT NULL,"
    " max_drawdown INTEGER NOT NULL, params TEXT NOT NULL,"
    " space TEXT NOT NULL, points INTEGER NOT NULL, data TEXT NOT NULL,"
    " config TEXT NOT NULL, search TEXT NOT NULL DEFAULT '')";

/* A store made before runs had a search column gets it (grid runs: ''). */
static const char os_migrate[] =
    "ALTER TABLE runs ADD COLUMN search TEXT NOT NULL DEFAULT ''";

static void	os_row(sqlite3_stmt *q, int c, struct opt_row *r);

static int
os_err(struct opt_store *st, struct errmsg *err, const char *what)
{
	return errmsg_set(err, "%s: %s: %s", st->path, what,
	    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
}

/* runs has its search column, added when missing; -1 on an error. */
static int
os_has_search(struct opt_store *st)
{
	sqlite3_stmt	*q;
	bool		 has = false;

	if (sqlite3_prepare_v2(st->db, "SELECT name FROM pragma_table_info("
	    "'runs')", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(q) == SQLITE_ROW)
		has = has || strcmp((const char *)sqlite3_column_text(q, 0),
		    "search") == 0;
	sqlite3_finalize(q);
	if (!has && sqlite3_exec(st->db, os_migrate, NULL, NULL, NULL) !=
	    SQLITE_OK)
		return -1;
	return 0;
}

struct opt_store *
opt_store_open(const char *path, struct errmsg *err)
{
	struct opt_store	*st = calloc(1, sizeof *st);

	if (st == NULL || (st->path = strdup(path)) == NULL) {
		free(st);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(st->db, os_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    os_has_search(st) == -1) {
		os_err(st, err, "open");
		opt_store_close(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, 5000);
	return st;
}

void
opt_store_close(struct opt_store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/* The space as text: each dimension's name and values, for a match. */
static char *
os_space(const struct opt_space *s, char *buf, size_t len)
{
	size_t	 at = 0;
	char	 v[64];

	buf[0] = '\0';
	for (int d = 0; d < s->ndim && at < len; d++) {
		at += (size_t)snprintf(buf + at, len - at, "%s%s=", d ? " " : "",
		    s->dim[d].name);
		for (int i = 0; i < s->dim[d].nvals && at < len; i++)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
			    i ? "," : "", opt_space_format(s, d,
			    s->dim[d].vals[i], v, sizeof v));
	}
	return buf;
}

/* "name" as an SQL identifier, quotes doubled. */
static void
os_ident(char *buf, size_t len, const char *name)
{
	size_t	 at = 0;

	buf[at++] = '"';
	for (; *name != '\0' && at + 3 < len; name++) {
		if (*name == '"')
			buf[at++] = '"';
		buf[at++] = *name;
	}
	buf[at++] = '"';
	buf[at] = '\0';
}

static int
os_table(struct opt_store *st, int64_t run, const struct opt_space *s,
    struct errmsg *err)
{
	char	 sql[OS_SQL_MAX], id[160];
	int	 at;

	at = snprintf(sql, sizeof sql, "CREATE TABLE run_%lld (point INTEGER "
	    "PRIMARY KEY", (long long)run);
	for (int d = 0; d < s->ndim; d++) {
		os_ident(id, sizeof id, s->dim[d].name);
		at += snprintf(sql + at, sizeof sql - (size_t)at, ", %s TEXT "
		    "NOT NULL", id);
	}
	snprintf(sql + at, sizeof sql - (size_t)at, ", trades INTEGER NOT "
	    "NULL, net INTEGER NOT NULL, profit_factor REAL, sharpe REAL, "
	    "max_drawdown INTEGER NOT NULL, expectancy INTEGER NOT NULL, "
	    "score REAL, feasible INTEGER NOT NULL)");
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return os_err(st, err, "a run's table");
	return 0;
}

int
opt_store_begin(struct opt_store *st, const struct opt_store_run *info,
    const struct opt_space *space, int64_t *run, struct errmsg *err)
{
	sqlite3_stmt	*q;
	char		 sp[OS_SQL_MAX];
	int		 rc;

	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return os_err(st, err, "begin");
	if (sqlite3_prepare_v2(st->db, "INSERT INTO runs (started, method, "
	    "objective, min_trades, max_drawdown, params, space, points, "
	    "data, config, search) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11)", -1, &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, (int64_t)time(NULL));
	sqlite3_bind_text(q, 2, info->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, info->objective, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, info->min_trades);
	sqlite3_bind_int64(q, 5, info->max_drawdown);
	sqlite3_bind_text(q, 6, info->params, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, os_space(space, sp, sizeof sp), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, space->npoints);
	sqlite3_bind_text(q, 9, info->data, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, info->config, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, info->search != NULL ? info->search : "", -1,
	    SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		goto fail;
	*run = sqlite3_last_insert_rowid(st->db);
	if (os_table(st, *run, space, err) == -1) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	os_err(st, err, "a new run");
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Is run the same search as info over space? */
static int
os_same(struct opt_store *st, int64_t run, const struct opt_store_run *info,
    const struct opt_space *space, struct errmsg *err)
{
	sqlite3_stmt	*q;
	char		 sp[OS_SQL_MAX];
	const char	*why = NULL;

	if (sqlite3_prepare_v2(st->db, "SELECT method, objective, min_trades, "
	    "max_drawdown, space, data, config, search FROM runs WHERE id = "
	    "?1", -1, &q, NULL) != SQLITE_OK)
		return os_err(st, err, "runs");
	sqlite3_bind_int64(q, 1, run);
	if (sqlite3_step(q) != SQLITE_ROW)
		why = "is no run of this file";
	else if (strcmp((const char *)sqlite3_column_text(q, 0),
	    info->method) != 0)
		why = "was another method";
	else if (strcmp((const char *)sqlite3_column_text(q, 1),
	    info->objective) != 0 || sqlite3_column_int64(q, 2) !=
	    info->min_trades || sqlite3_column_int64(q, 3) !=
	    info->max_drawdown)
		why = "had another objective or constraints";
	else if (strcmp((const char *)sqlite3_column_text(q, 4),
	    os_space(space, sp, sizeof sp)) != 0)
		why = "searched other parameters";
	else if (strcmp((const char *)sqlite3_column_text(q, 5),
	    info->data) != 0)
		why = "ran on other data";
	else if (strcmp((const char *)sqlite3_column_text(q, 6),
	    info->config) != 0)
		why = "ran another configuration";
	else if (strcmp((const char *)sqlite3_column_text(q, 7),
	    info->search != NULL ? info->search : "") != 0)
		why = "searched with other settings";
	sqlite3_finalize(q);
	if (why != NULL)
		return errmsg_set(err, "%s: run %lld %s", st->path,
		    (long long)run, why);
	return 0;
}

int64_t
opt_store_each(struct opt_store *st, int64_t run,
    const struct opt_store_run *info, const struct opt_space *space,
    opt_store_point_fn fn, void *arg, struct errmsg *err)
{
	sqlite3_stmt	*q;
	struct opt_row	 r;
	char		 sql[256];
	int64_t		 n = 0, p;

	if (os_same(st, run, info, space, err) == -1)
		return -1;
	snprintf(sql, sizeof sql, "SELECT point, trades, net, profit_factor, "
	    "sharpe, max_drawdown, expectancy, score, feasible FROM run_%lld "
	    "ORDER BY point", (long long)run);
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return os_err(st, err, "a run's table");
	while (sqlite3_step(q) == SQLITE_ROW) {
		if ((p = sqlite3_column_int64(q, 0)) < 0 ||
		    p >= space->npoints)
			continue;
		os_row(q, 1, &r);
		fn(arg, p, &r);
		n++;
	}
	sqlite3_finalize(q);
	return n;
}

static void
os_load_one(void *arg, int64_t point, const struct opt_row *r)
{
	((struct opt_row *)arg)[point] = *r;
}

int64_t
opt_store_load(struct opt_store *st, int64_t run,
    const struct opt_store_run *info, const struct opt_space *space,
    struct opt_row *rows, struct errmsg *err)
{
	return opt_store_each(st, run, info, space, os_load_one, rows, err);
}

static void
os_bind_real(sqlite3_stmt *q, int col, double v)
{
	if (isnan(v))
		sqlite3_bind_null(q, col);
	else
		sqlite3_bind_double(q, col, v);
}

static int
os_put_one(sqlite3_stmt *q, const struct opt_space *s, int64_t point,
    const struct opt_row *r)
{
	int64_t	 vals[OPT_MAX_DIMS];
	char	 v[OPT_MAX_DIMS][64];
	int	 c = 2, rc;

	opt_space_point(s, point, vals);
	sqlite3_bind_int64(q, 1, point);
	for (int d = 0; d < s->ndim; d++)
		sqlite3_bind_text(q, c++, opt_space_format(s, d, vals[d], v[d],
		    sizeof v[d]), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, c++, r->st.trades);
	sqlite3_bind_int64(q, c++, r->st.net);
	os_bind_real(q, c++, r->st.profit_factor);
	os_bind_real(q, c++, r->st.sharpe);
	sqlite3_bind_int64(q, c++, r->st.max_drawdown);
	sqlite3_bind_int64(q, c++, r->st.expectancy);
	os_bind_real(q, c++, r->score);
	sqlite3_bind_int(q, c, r->feasible);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
opt_store_put(struct opt_store *st, int64_t run, const struct opt_space *space,
    const struct opt_row *rows, const int64_t *points, int64_t n,
    struct errmsg *err)
{
	sqlite3_stmt	*q;
	char		 sql[256];
	int		 at;

	at = snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO run_%lld "
	    "VALUES (?", (long long)run);
	for (int i = 0; i < space->ndim + 8; i++)
		at += snprintf(sql + at, sizeof sql - (size_t)at, ", ?");
	snprintf(sql + at, sizeof sql - (size_t)at, ")");
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
		os_err(st, err, "a run's results");
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	for (int64_t i = 0; i < n; i++) {
		if (rows[i].done && os_put_one(q, space, points != NULL ?
		    points[i] : i, &rows[i]) == -1) {
			sqlite3_finalize(q);
			os_err(st, err, "a run's results");
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	sqlite3_finalize(q);
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return os_err(st, err, "a run's results");
	return 0;
}

/* ------------------------------------------------------------ reading */

static void
os_text(sqlite3_stmt *q, int col, char *buf, size_t len)
{
	const unsigned char	*v = sqlite3_column_text(q, col);

	snprintf(buf, len, "%s", v != NULL ? (const char *)v : "");
}

int
opt_store_runs(struct opt_store *st, opt_store_run_fn fn, void *arg,
    struct errmsg *err)
{
	sqlite3_stmt			*q, *c;
	struct opt_store_summary	 s;
	char				 sql[128];

	if (sqlite3_prepare_v2(st->db, "SELECT id, started, method, "
	    "objective, points, params, data FROM runs ORDER BY id", -1, &q,
	    NULL) != SQLITE_OK)
		return os_err(st, err, "runs");
	while (sqlite3_step(q) == SQLITE_ROW) {
		memset(&s, 0, sizeof s);
		s.id = sqlite3_column_int64(q, 0);
		s.started = sqlite3_column_int64(q, 1);
		os_text(q, 2, s.method, sizeof s.method);
		os_text(q, 3, s.objective, sizeof s.objective);
		s.points = sqlite3_column_int64(q, 4);
		os_text(q, 5, s.params, sizeof s.params);
		os_text(q, 6, s.data, sizeof s.data);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM run_%lld",
		    (long long)s.id);
		if (sqlite3_prepare_v2(st->db, sql, -1, &c, NULL) == SQLITE_OK &&
		    sqlite3_step(c) == SQLITE_ROW)
			s.done = sqlite3_column_int64(c, 0);
		sqlite3_finalize(c);
		if (fn(arg, &s) != 0)
			break;
	}
	sqlite3_finalize(q);
	return 0;
}

/* A stored row's figures, in the columns after the values. */
static void
os_row(sqlite3_stmt *q, int c, struct opt_row *r)
{
	memset(r, 0, sizeof *r);
	r->st.trades = sqlite3_column_int64(q, c);
	r->st.net = sqlite3_column_int64(q, c + 1);
	r->st.profit_factor = sqlite3_column_type(q, c + 2) == SQLITE_NULL ?
	    NAN : sqlite3_column_double(q, c + 2);
	r->st.sharpe = sqlite3_column_type(q, c + 3) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(q, c + 3);
	r->st.max_drawdown = sqlite3_column_int64(q, c + 4);
	r->st.expectancy = sqlite3_column_int64(q, c + 5);
	r->score = sqlite3_column_type(q, c + 6) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(q, c + 6);
	r->feasible = sqlite3_column_int(q, c + 7) != 0;
	r->done = true;
}

int
opt_store_rows(struct opt_store *st, int64_t run, int64_t limit,
    char (*names)[64], int *ndim, opt_store_row_fn fn, void *arg,
    struct errmsg *err)
{
	sqlite3_stmt	*q;
	char		 sql[256];
	const char	*vals[OPT_MAX_DIMS];
	struct opt_row	 r;
	int		 ncol;

	snprintf(sql, sizeof sql, "SELECT * FROM run_%lld ORDER BY "
	    "score IS NULL, feasible DESC, score DESC, point LIMIT ?1",
	    (long long)run);
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return errmsg_set(err, "%s: no run %lld", st->path,
		    (long long)run);
	ncol = sqlite3_column_count(q);
	*ndim = ncol - 9;
	if (*ndim < 0 || *ndim > OPT_MAX_DIMS) {
		sqlite3_finalize(q);
		return errmsg_set(err, "%s: run %lld: not a run's table",
		    st->path, (long long)run);
	}
	for (int d = 0; d < *ndim; d++)
		snprintf(names[d], 64, "%s", sqlite3_column_name(q, d + 1));
	sqlite3_bind_int64(q, 1, limit);
	while (sqlite3_step(q) == SQLITE_ROW) {
		for (int d = 0; d < *ndim; d++)
			vals[d] = (const char *)sqlite3_column_text(q, d + 1);
		os_row(q, *ndim + 1, &r);
		if (fn(arg, sqlite3_column_int64(q, 0), vals, &r) != 0)
			break;
	}
	sqlite3_finalize(q);
	return 0;
}
