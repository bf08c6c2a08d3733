/*
 * journal.c -- the trading journal in SQLite (see journal.h).
 *
 * The journal owns one SQLite connection, the statements prepared on it at
 * open, an advisory lock that keeps a second writer out, the session's
 * books as journal_begin gave them (instruments, strategy names, the
 * calendar that stamps days) and the running counts it needs to write
 * position rows (positions per instrument and owner since journal_begin).
 * It is the engine's recorder: the engine calls journal_observe first for
 * each order event, fill, state change and command, and the journal
 * commits it before returning, so what the engine does next is already
 * on record.  It never calls back into the engine.
 *
 * Durability.  The connection runs in WAL mode with synchronous=NORMAL:
 * every commit is in the write-ahead log, which survives the process being
 * killed at any instant.  For a fill or a state change the journal then
 * syncs the log itself, which is exactly what synchronous=FULL does on
 * each commit, so those survive a power cut too.  (SQLite applies
 * PRAGMA synchronous when the pragma is prepared, not when it runs, so a
 * per-transaction switch would mean preparing SQL for every event; an
 * explicit sync keeps every statement prepared once.)  journal_sync_all
 * syncs every event instead.
 *
 * Safety of the file.  A new journal is built under a temporary name and
 * renamed into place, so an existing file is complete or damaged, never
 * half made; an empty, short, truncated, foreign or corrupt file is
 * refused with a message that says how to recover.  Nothing read from a
 * person or from data is pasted into SQL: values go through bound
 * parameters of statements prepared once.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "calendar.h"
#include "errmsg.h"
#include "instrument.h"
#include "journal.h"
#include "xdg.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "risk.h"
#include "rollout.h"
#include "stats.h"

/* ------------------------------------------------------------ schema */

/*
 * One step per schema version: the SQL that takes a journal from the
 * version before to this one.  Steps are never edited once released; a
 * change is a new step.  The text is ours alone: no value is ever pasted
 * into it.
 */
struct journal_step {
	int		 version;
	const char	*sql;
};

static const struct journal_step journal_steps[] = {
	{ 1,
	  "CREATE TABLE sessions ("
	  " id INTEGER PRIMARY KEY, started INTEGER NOT NULL,"
	  " mode TEXT NOT NULL, config TEXT NOT NULL,"
	  " timezone TEXT NOT NULL);"
	  "CREATE TABLE instruments ("
	  " session INTEGER NOT NULL, idx INTEGER NOT NULL,"
	  " symbol TEXT NOT NULL, tick_size INTEGER NOT NULL,"
	  " point_value INTEGER NOT NULL, commission INTEGER NOT NULL,"
	  " decimals INTEGER NOT NULL, PRIMARY KEY (session, idx));"
	  "CREATE TABLE strategies ("
	  " session INTEGER NOT NULL, idx INTEGER NOT NULL,"
	  " name TEXT NOT NULL, type TEXT NOT NULL, symbol TEXT NOT NULL,"
	  " PRIMARY KEY (session, idx));"
	  "CREATE TABLE orders ("
	  " seq INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	  " time INTEGER NOT NULL, day INTEGER NOT NULL,"
	  " corr INTEGER NOT NULL, event TEXT NOT NULL,"
	  " order_id INTEGER NOT NULL, symbol TEXT NOT NULL,"
	  " inst INTEGER NOT NULL, side TEXT NOT NULL, type TEXT NOT NULL,"
	  " role TEXT NOT NULL, state TEXT NOT NULL, prev_state TEXT,"
	  " qty INTEGER NOT NULL, filled INTEGER NOT NULL,"
	  " price INTEGER NOT NULL, owner INTEGER NOT NULL,"
	  " owner_name TEXT NOT NULL, parent INTEGER NOT NULL,"
	  " oco INTEGER NOT NULL, stop_ticks INTEGER NOT NULL,"
	  " target_ticks INTEGER NOT NULL, reason TEXT NOT NULL,"
	  " created INTEGER NOT NULL);"
	  "CREATE TABLE fills ("
	  " seq INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	  " time INTEGER NOT NULL, day INTEGER NOT NULL,"
	  " corr INTEGER NOT NULL, order_id INTEGER NOT NULL,"
	  " symbol TEXT NOT NULL, inst INTEGER NOT NULL,"
	  " side TEXT NOT NULL, qty INTEGER NOT NULL,"
	  " price INTEGER NOT NULL, owner INTEGER NOT NULL,"
	  " owner_name TEXT NOT NULL, role TEXT NOT NULL,"
	  " commission INTEGER NOT NULL, order_filled INTEGER NOT NULL,"
	  " reason TEXT NOT NULL);"
	  "CREATE TABLE states ("
	  " seq INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	  " time INTEGER NOT NULL, day INTEGER NOT NULL,"
	  " corr INTEGER NOT NULL, from_state TEXT NOT NULL,"
	  " to_state TEXT NOT NULL, who TEXT NOT NULL, why TEXT NOT NULL);"
	  "CREATE TABLE commands ("
	  " seq INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	  " time INTEGER NOT NULL, day INTEGER NOT NULL,"
	  " corr INTEGER NOT NULL, line TEXT NOT NULL);" },
	/* 2: position changes and the day figures a restart needs. */
	{ 2,
	  "CREATE TABLE positions ("
	  " seq INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	  " time INTEGER NOT NULL, day INTEGER NOT NULL,"
	  " corr INTEGER NOT NULL, symbol TEXT NOT NULL,"
	  " inst INTEGER NOT NULL, owner INTEGER NOT NULL,"
	  " owner_name TEXT NOT NULL, change INTEGER NOT NULL,"
	  " position INTEGER NOT NULL, owner_position INTEGER NOT NULL,"
	  " price INTEGER NOT NULL);"
	  "CREATE TABLE days ("
	  " session INTEGER NOT NULL, day INTEGER NOT NULL,"
	  " week INTEGER NOT NULL, updated INTEGER NOT NULL,"
	  " net INTEGER NOT NULL, day_pnl INTEGER NOT NULL,"
	  " day_peak INTEGER NOT NULL, week_pnl INTEGER NOT NULL,"
	  " realized INTEGER NOT NULL, commissions INTEGER NOT NULL,"
	  " PRIMARY KEY (session, day));" },
	/* 3: what restoring working orders needs; resumed sessions. */
	{ 3,
	  "ALTER TABLE sessions ADD COLUMN resumes INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN fill_cost INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN updated INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN stop_id INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN target_id INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN legs_filled INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN replace_pending INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN cancel_pending INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE orders ADD COLUMN bracket_off INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE fills ADD COLUMN source TEXT NOT NULL"
	  " DEFAULT 'engine';"
	  "ALTER TABLE fills ADD COLUMN voided INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "CREATE INDEX orders_day ON orders (day);"
	  "CREATE INDEX orders_id ON orders (order_id);"
	  "CREATE INDEX fills_day ON fills (day);"
	  "CREATE INDEX states_day ON states (day);"
	  "CREATE INDEX commands_day ON commands (day);"
	  "CREATE INDEX positions_day ON positions (day);" },
	/*
	 * 4: the whole bracket, a stop-limit's limit and the time in force
	 * of every order; the order's type with every fill.  Older order
	 * rows keep NULL in the new columns: what they never recorded stays
	 * unknown.  Older fills take the type of their order's row, which
	 * the same transaction wrote just after the fill.
	 */
	{ 4,
	  "ALTER TABLE orders ADD COLUMN bracket TEXT;"
	  "ALTER TABLE orders ADD COLUMN limit_price INTEGER;"
	  "ALTER TABLE orders ADD COLUMN tif TEXT;"
	  "ALTER TABLE fills ADD COLUMN type TEXT;"
	  "UPDATE fills SET type = (SELECT o.type FROM orders AS o"
	  " WHERE o.order_id = fills.order_id AND o.seq <= fills.seq + 1"
	  " ORDER BY o.seq DESC LIMIT 1);" },
	/*
	 * 5: the price range the instrument's open trade saw before each
	 * fill, so that a report has each trade's excursions (MAE, MFE);
	 * 0 for a fill on a flat instrument and for older fills.
	 */
	{ 5,
	  "ALTER TABLE fills ADD COLUMN trade_high INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "ALTER TABLE fills ADD COLUMN trade_low INTEGER NOT NULL"
	  " DEFAULT 0;" },
	/*
	 * 6: the rollout ladder (rollout.h): stages entered, the evidence
	 * of each (sessions, protective paths, fills with their expected
	 * price and slippage) and its critical incidents.
	 */
	{ 6,
	  "CREATE TABLE rollout ("
	  " seq INTEGER PRIMARY KEY, session INTEGER NOT NULL,"
	  " time INTEGER NOT NULL, day INTEGER NOT NULL,"
	  " corr INTEGER NOT NULL, event TEXT NOT NULL,"
	  " stage TEXT NOT NULL, to_stage TEXT NOT NULL,"
	  " who TEXT NOT NULL, what TEXT NOT NULL,"
	  " order_id INTEGER NOT NULL, symbol TEXT NOT NULL,"
	  " expected INTEGER NOT NULL, price INTEGER NOT NULL,"
	  " ticks INTEGER NOT NULL);"
	  "CREATE INDEX rollout_day ON rollout (day);" },
	/*
	 * 7: the clean end of each session (journal_end), so that a restart
	 * tells a session that was closed from one that died.  Sessions
	 * from before have no record of their end: they are taken as ended
	 * (JOURNAL_ENDED_UNRECORDED), as every restart took them until now.
	 */
	{ 7,
	  "ALTER TABLE sessions ADD COLUMN ended INTEGER NOT NULL"
	  " DEFAULT 0;"
	  "UPDATE sessions SET ended = -1;" },
};

#define JOURNAL_NSTEPS	(sizeof journal_steps / sizeof journal_steps[0])

/* ------------------------------------------------------------ statements */

enum {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_MAXSEQ,
	S_INS_SESSION,
	S_INS_INSTRUMENT,
	S_INS_STRATEGY,
	S_INS_ORDER,
	S_INS_FILL,
	S_INS_POSITION,
	S_INS_STATE,
	S_INS_COMMAND,
	S_INS_ROLLOUT,
	S_PUT_DAY,
	S_ADD_DAY,
	S_VOID_FILL,
	S_END_SESSION,
	S_SEL_SESSIONS,
	S_SEL_INSTRUMENTS,
	S_SEL_ORDERS,
	S_SEL_FILLS,
	S_SEL_POSITIONS,
	S_SEL_STATES,
	S_SEL_COMMANDS,
	S_SEL_ROLLOUT,
	S_SEL_DAYS,
	S_COUNT,
};

#define ORDER_COLS							\
	"seq, session, time, day, event, prev_state, symbol, owner_name,"\
	" order_id, inst, side, type, state, role, qty, filled, price,"	\
	" fill_cost, owner, corr, parent, oco, stop_ticks, target_ticks,"\
	" created, updated, reason, stop_id, target_id, legs_filled,"	\
	" replace_pending, cancel_pending, bracket_off, bracket,"	\
	" limit_price, tif"
#define DAY_RANGE	" WHERE day >= ?1 AND day <= ?2 ORDER BY seq"

static const char *const journal_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_MAXSEQ] = "SELECT MAX(m) FROM ("
	    "SELECT MAX(seq) AS m FROM orders UNION ALL "
	    "SELECT MAX(seq) FROM fills UNION ALL "
	    "SELECT MAX(seq) FROM positions UNION ALL "
	    "SELECT MAX(seq) FROM states UNION ALL "
	    "SELECT MAX(seq) FROM commands UNION ALL "
	    "SELECT MAX(seq) FROM rollout)",
	[S_INS_SESSION] = "INSERT INTO sessions (started, mode, config, "
	    "timezone, resumes) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_INS_INSTRUMENT] = "INSERT INTO instruments (session, idx, symbol, "
	    "tick_size, point_value, commission, decimals) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_INS_STRATEGY] = "INSERT INTO strategies (session, idx, name, "
	    "type, symbol) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_INS_ORDER] = "INSERT INTO orders (" ORDER_COLS ") VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
	    "?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, "
	    "?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36)",
	[S_INS_FILL] = "INSERT INTO fills (seq, session, time, day, corr, "
	    "order_id, symbol, inst, side, qty, price, owner, owner_name, "
	    "role, commission, order_filled, reason, source, type, "
	    "trade_high, trade_low) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	    "?15, ?16, ?17, ?18, ?19, ?20, ?21)",
	[S_INS_POSITION] = "INSERT INTO positions (seq, session, time, day, "
	    "corr, symbol, inst, owner, owner_name, change, position, "
	    "owner_position, price) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13)",
	[S_INS_STATE] = "INSERT INTO states (seq, session, time, day, corr, "
	    "from_state, to_state, who, why) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9)",
	[S_INS_COMMAND] = "INSERT INTO commands (seq, session, time, day, "
	    "corr, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_INS_ROLLOUT] = "INSERT INTO rollout (seq, session, time, day, "
	    "corr, event, stage, to_stage, who, what, order_id, symbol, "
	    "expected, price, ticks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	[S_PUT_DAY] = "INSERT OR REPLACE INTO days (session, day, week, "
	    "updated, net, day_pnl, day_peak, week_pnl, realized, "
	    "commissions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_ADD_DAY] = "INSERT OR IGNORE INTO days (session, day, week, "
	    "updated, net, day_pnl, day_peak, week_pnl, realized, "
	    "commissions) VALUES (?1, ?2, ?3, ?4, 0, ?5, 0, 0, 0, 0)",
	[S_VOID_FILL] = "UPDATE fills SET voided = 1 WHERE seq = ?1",
	[S_END_SESSION] = "UPDATE sessions SET ended = ?2 WHERE id = ?1",
	[S_SEL_SESSIONS] = "SELECT id, started, mode, config, timezone, "
	    "resumes, ended FROM sessions ORDER BY id",
	[S_SEL_INSTRUMENTS] = "SELECT session, idx, symbol, tick_size, "
	    "point_value, commission, decimals FROM instruments "
	    "ORDER BY session, idx",
	[S_SEL_ORDERS] = "SELECT " ORDER_COLS " FROM orders" DAY_RANGE,
	[S_SEL_FILLS] = "SELECT seq, session, time, day, corr, order_id, "
	    "symbol, inst, side, qty, price, owner, owner_name, role, "
	    "commission, order_filled, reason, source, type, trade_high, "
	    "trade_low FROM fills "
	    "WHERE day >= ?1 AND day <= ?2 AND voided = 0 ORDER BY seq",
	[S_SEL_POSITIONS] = "SELECT seq, session, time, day, corr, symbol, "
	    "inst, owner, owner_name, change, position, owner_position, "
	    "price FROM positions" DAY_RANGE,
	[S_SEL_STATES] = "SELECT seq, session, time, day, corr, from_state, "
	    "to_state, who, why FROM states" DAY_RANGE,
	[S_SEL_COMMANDS] = "SELECT seq, session, time, day, corr, line "
	    "FROM commands" DAY_RANGE,
	[S_SEL_ROLLOUT] = "SELECT seq, session, time, day, corr, event, "
	    "stage, to_stage, who, what, order_id, symbol, expected, price, "
	    "ticks FROM rollout" DAY_RANGE,
	[S_SEL_DAYS] = "SELECT session, day, week, updated, net, day_pnl, "
	    "day_peak, week_pnl, realized, commissions FROM days "
	    "WHERE day >= ?1 AND day <= ?2 ORDER BY session, day",
};

struct journal {
	sqlite3			*db;
	sqlite3_stmt		*st[S_COUNT];
	char			 path[JOURNAL_PATH_MAX];
	int			 fd;		/* the writer's lock, -1 */
	bool			 readonly;
	bool			 sync_all;
	int			 version;
	int64_t			 seq;		/* last seq written */
	int64_t			 session;
	int64_t			 events;
	const char		*source;	/* of fills; NULL: "engine" */
	/* The session's books (journal_begin); cal NULL before. */
	const struct calendar	*cal;		/* not owned */
	int			 ninst;
	struct instrument	*inst;
	int			 nstrat;
	char			(*strat)[TD_NAME_MAX];	/* names */
	/*
	 * Positions per instrument, and per owner and instrument at
	 * opos[owner * ninst + inst]: owner 0 is manual, 1 + i strategy i.
	 */
	int64_t			*pos;
	int64_t			*opos;
	struct errmsg		 err;		/* the last write failure */
};

static const char *const journal_event_names[] = {
	[JEV_CREATED] = "created",
	[JEV_SUBMITTED] = "submitted",
	[JEV_ACKNOWLEDGED] = "acknowledged",
	[JEV_PARTIAL] = "partially-filled",
	[JEV_FILLED] = "filled",
	[JEV_CANCELLED] = "cancelled",
	[JEV_REJECTED] = "rejected",
	[JEV_REPLACED] = "replaced",
	[JEV_EXPIRED] = "expired",
};

#define JEV_COUNT	(JEV_EXPIRED + 1)

const char *
journal_event_name(enum journal_order_event ev)
{
	if ((unsigned)ev >= JEV_COUNT)
		return "?";
	return journal_event_names[ev];
}

/* ------------------------------------------------------------ helpers */

/* The base name of a path, for messages: "journal.db". */
static const char *
journal_base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

static int
journal_sqlerr(sqlite3 *db, struct errmsg *err, const char *path,
    const char *what)
{
	return errmsg_set(err, "%s: %s: %s", journal_base(path), what,
	    db != NULL ? sqlite3_errmsg(db) : "out of memory");
}

/* Copy a text column, cut to fit (NULL reads as ""). */
static void
journal_col_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", s != NULL ? (const char *)s : "");
}

static int
journal_name_index(const char *(*name)(int), int n, const char *s)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(name(i), s) == 0)
			return i;
	}
	return -1;
}

/* Times in force as the journal writes them. */
static const char *const journal_tif_names[] = {
	[TIF_GTC] = "gtc",
	[TIF_DAY] = "day",
	[TIF_IOC] = "ioc",
};

#define JOURNAL_NTIFS	\
	(int)(sizeof journal_tif_names / sizeof journal_tif_names[0])

/* "gtc", "day", "ioc"; NULL when out of range. */
static const char *
journal_tif_name(enum order_tif tif)
{
	if ((unsigned)tif >= (unsigned)JOURNAL_NTIFS)
		return NULL;
	return journal_tif_names[tif];
}

/* Adapters: the name functions take their enums. */
static const char *
jn_state(int i)
{
	return order_state_name((enum order_state)i);
}

static const char *
jn_role(int i)
{
	return order_role_name((enum order_role)i);
}

static const char *
jn_type(int i)
{
	return order_type_name((enum order_type)i);
}

static const char *
jn_tif(int i)
{
	return journal_tif_name((enum order_tif)i);
}

static const char *
jn_trading(int i)
{
	return trading_state_name((enum trading_state)i);
}

static const char *
jn_event(int i)
{
	return journal_event_name((enum journal_order_event)i);
}

static int
journal_col_enum(sqlite3_stmt *st, int col, const char *(*name)(int), int n)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	return s == NULL ? -1 : journal_name_index(name, n, (const char *)s);
}

static const char *
journal_side_name(enum td_side side)
{
	return side == TD_BUY ? "buy" : "sell";
}

static enum td_side
journal_col_side(sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	return s != NULL && strcmp((const char *)s, "buy") == 0 ? TD_BUY :
	    TD_SELL;
}

/* ------------------------------------------------------------ brackets */

/*
 * The bracket column (journal.h).  One text for the whole bracket rather
 * than a column per number: a trader reading the journal with sqlite3
 * sees the bracket the way it was set, in one place, and the number of
 * targets is not fixed in the schema.  The text is ours: it is read back
 * strictly, so that a row someone edited or damaged is refused with the
 * reason instead of bringing back a bracket that was never set.  What is
 * a bracket at all is the order manager's to say (order_mgr_check_bracket),
 * both ways.
 */

enum {
	JBR_STOP,
	JBR_TARGETS,
	JBR_BREAKEVEN,
	JBR_TRAIL,
	JBR_NPARTS,
};

static const char *const journal_bracket_parts[JBR_NPARTS] = {
	[JBR_STOP] = "stop",
	[JBR_TARGETS] = "targets",
	[JBR_BREAKEVEN] = "breakeven",
	[JBR_TRAIL] = "trail",
};

/* Append to buf like snprintf; *n counts what the whole text needs. */
static void __attribute__((format(printf, 4, 5)))
journal_bracket_put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list	 ap;
	int	 w;

	va_start(ap, fmt);
	w = vsnprintf(buf + (*n < len ? *n : len - 1), *n < len ? len - *n :
	    1, fmt, ap);
	va_end(ap);
	*n += w > 0 ? (size_t)w : 0;
}

int
journal_bracket_format(const struct bracket *br, char *buf, size_t len,
    struct errmsg *err)
{
	size_t	 n = 0;

	if (order_mgr_check_bracket(br, err) == -1)
		return -1;
	if (len == 0)
		return errmsg_set(err, "no room for a bracket");
	buf[0] = '\0';
	if (br->stop_ticks != 0)
		journal_bracket_put(buf, len, &n, "stop %d",
		    (int)br->stop_ticks);
	if (br->ntargets > 0) {
		journal_bracket_put(buf, len, &n, "%stargets",
		    n > 0 ? "; " : "");
		for (int k = 0; k < br->ntargets; k++) {
			journal_bracket_put(buf, len, &n, " %d",
			    (int)br->target_ticks[k]);
			if (br->target_qty[k] != 0)
				journal_bracket_put(buf, len, &n, "x%lld",
				    (long long)br->target_qty[k]);
		}
	}
	if (br->be_trigger != 0 || br->be_offset != 0)
		journal_bracket_put(buf, len, &n, "%sbreakeven %d%+d",
		    n > 0 ? "; " : "", (int)br->be_trigger,
		    (int)br->be_offset);
	if (br->trail_trigger != 0 || br->trail_step != 0 ||
	    br->trail_dist != 0)
		journal_bracket_put(buf, len, &n, "%strail %d/%d/%d",
		    n > 0 ? "; " : "", (int)br->trail_trigger,
		    (int)br->trail_step, (int)br->trail_dist);
	if (n == 0)
		journal_bracket_put(buf, len, &n, "none");
	if (n >= len)
		return errmsg_set(err, "bracket longer than %zu characters",
		    len - 1);
	return 0;
}

/*
 * A decimal number at *p: digits, no sign, no leading zero, at most max.
 * *p moves past it.  -1 when there is none or it is too large.
 */
static int
journal_bracket_number(const char **p, int64_t max, int64_t *v)
{
	const char	*s = *p;
	int64_t		 n = 0;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' &&
	    s[1] <= '9'))
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (max - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	*p = s;
	*v = n;
	return 0;
}

/* Target k at *p: "16" or "16x2", up to a space or the end. */
static int
journal_bracket_target(const char **p, int k, struct bracket *br,
    struct errmsg *err)
{
	const char	*t = *p;
	int64_t		 ticks, qty = 0;
	bool		 x = false;

	if (journal_bracket_number(p, INT32_MAX, &ticks) == -1)
		goto bad;
	if (**p == 'x') {
		(*p)++;
		x = true;
		if (journal_bracket_number(p, INT64_MAX, &qty) == -1)
			goto bad;
	}
	if (**p != ' ' && **p != '\0')
		goto bad;
	if (x && qty == 0)
		return errmsg_set(err, "target %d: quantity 0 is written by "
		    "leaving x0 out", k + 1);
	br->target_ticks[k] = (int32_t)ticks;
	br->target_qty[k] = qty;
	return 0;
bad:
	return errmsg_set(err, "target %d: \"%.*s\" is not ticks or "
	    "ticksxquantity (16, 16x2)", k + 1, (int)strcspn(t, " "), t);
}

/* One part without its name: "8", "8x1 16x1", "6+1", "10/2/6". */
static int
journal_bracket_part(int part, const char *s, struct bracket *br,
    struct errmsg *err)
{
	const char	*p = s;
	int64_t		 a, b, c;
	int		 k;
	bool		 neg;

	switch (part) {
	case JBR_STOP:
		if (journal_bracket_number(&p, INT32_MAX, &a) == -1 ||
		    *p != '\0')
			return errmsg_set(err, "stop: \"%s\" is not a number "
			    "of ticks", s);
		if (a == 0)
			return errmsg_set(err, "stop: 0 is written by leaving "
			    "the part out");
		br->stop_ticks = (int32_t)a;
		return 0;
	case JBR_TARGETS:
		for (k = 0; ; k++) {
			if (k == OM_MAX_TARGETS)
				return errmsg_set(err, "more than %d targets",
				    OM_MAX_TARGETS);
			if (journal_bracket_target(&p, k, br, err) == -1)
				return -1;
			if (*p == '\0')
				break;
			p++;			/* the space before the next */
		}
		br->ntargets = k + 1;
		return 0;
	case JBR_BREAKEVEN:
		if (journal_bracket_number(&p, INT32_MAX, &a) == -1 ||
		    (*p != '+' && *p != '-'))
			return errmsg_set(err, "breakeven: \"%s\" is not "
			    "trigger+offset or trigger-offset", s);
		neg = *p++ == '-';
		if (journal_bracket_number(&p, neg ? (int64_t)INT32_MAX + 1 :
		    INT32_MAX, &b) == -1 || *p != '\0' || (neg && b == 0))
			return errmsg_set(err, "breakeven: \"%s\" is not "
			    "trigger+offset or trigger-offset", s);
		if (a == 0 && b == 0)
			return errmsg_set(err, "breakeven: 0+0 is written by "
			    "leaving the part out");
		br->be_trigger = (int32_t)a;
		br->be_offset = (int32_t)(neg ? -b : b);
		return 0;
	case JBR_TRAIL:
		if (journal_bracket_number(&p, INT32_MAX, &a) == -1 ||
		    *p++ != '/' ||
		    journal_bracket_number(&p, INT32_MAX, &b) == -1 ||
		    *p++ != '/' ||
		    journal_bracket_number(&p, INT32_MAX, &c) == -1 ||
		    *p != '\0')
			return errmsg_set(err, "trail: \"%s\" is not "
			    "trigger/step/distance", s);
		if (a == 0 && b == 0 && c == 0)
			return errmsg_set(err, "trail: 0/0/0 is written by "
			    "leaving the part out");
		br->trail_trigger = (int32_t)a;
		br->trail_step = (int32_t)b;
		br->trail_dist = (int32_t)c;
		return 0;
	}
	return errmsg_set(err, "no such part");
}

int
journal_bracket_parse(const char *s, struct bracket *br, struct errmsg *err)
{
	char		 text[JOURNAL_BRACKET_MAX];
	struct errmsg	 e;
	char		*p, *q, *sp;
	size_t		 n;
	int		 part, last = -1;

	memset(br, 0, sizeof *br);
	if ((n = strlen(s)) >= sizeof text) {
		errmsg_set(&e, "longer than %zu characters", sizeof text - 1);
		goto bad;
	}
	if (strcmp(s, "none") == 0)
		return 0;
	memcpy(text, s, n + 1);
	for (p = text; p != NULL; p = q) {
		if ((q = strstr(p, "; ")) != NULL) {
			*q = '\0';
			q += 2;
		}
		sp = strchr(p, ' ');
		n = sp != NULL ? (size_t)(sp - p) : strlen(p);
		for (part = 0; part < JBR_NPARTS; part++) {
			const char	*name = journal_bracket_parts[part];

			if (n == strlen(name) && strncmp(p, name, n) == 0)
				break;
		}
		if (part == JBR_NPARTS) {
			errmsg_set(&e, "%s%s%s: not a part of a bracket (stop, "
			    "targets, breakeven, trail; \"none\" for none)",
			    *p == '\0' ? "an empty part" : "\"",
			    p, *p == '\0' ? "" : "\"");
			goto bad;
		}
		if (sp == NULL) {
			errmsg_set(&e, "%s without its numbers", p);
			goto bad;
		}
		if (part == last) {
			errmsg_set(&e, "two %s parts",
			    journal_bracket_parts[part]);
			goto bad;
		}
		if (part < last) {
			errmsg_set(&e, "%s after %s: the parts go stop, "
			    "targets, breakeven, trail",
			    journal_bracket_parts[part],
			    journal_bracket_parts[last]);
			goto bad;
		}
		if (journal_bracket_part(part, sp + 1, br, &e) == -1)
			goto bad;
		last = part;
	}
	if (order_mgr_check_bracket(br, &e) == -1)
		goto bad;
	return 0;

bad:
	memset(br, 0, sizeof *br);
	return errmsg_set(err, "bracket \"%.80s%s\": %s", s,
	    strlen(s) > 80 ? "..." : "", e.msg);
}

/* mkdir -p of the directory part of path. */
static int
journal_mkdirs(const char *path, struct errmsg *err)
{
	char	 dir[JOURNAL_PATH_MAX], *p, c;

	if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return errmsg_set(err, "%s: path too long", path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			return errmsg_set(err, "%s: %s", dir, strerror(errno));
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

/* fsync the directory holding path, so a rename in it is durable. */
static void
journal_sync_dir(const char *path)
{
	char	 dir[JOURNAL_PATH_MAX], *p;
	int	 fd;

	snprintf(dir, sizeof dir, "%s", path);
	if ((p = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (p == dir)
		p[1] = '\0';
	else
		*p = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
}

int
journal_default_path(char *buf, size_t len, struct errmsg *err)
{
	if (xdg_path(XDG_DATA, "tickdesk/journal.db", buf, len) == -1)
		return errmsg_set(err, "no data directory: set XDG_DATA_HOME "
		    "or HOME, or give --journal");
	return 0;
}

/* ------------------------------------------------------------ creation */

static int
journal_exec(sqlite3 *db, const char *sql, const char *path, const char *what,
    struct errmsg *err)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	errmsg_set(err, "%s: %s: %s", journal_base(path), what,
	    msg != NULL ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

/* Run the steps after version `from` up to `to`, one transaction. */
static int
journal_migrate(sqlite3 *db, const char *path, int from, int to,
    struct errmsg *err)
{
	char	 what[64], sql[64];

	if (journal_exec(db, "BEGIN IMMEDIATE", path, "migrate", err) == -1)
		return -1;
	for (size_t i = 0; i < JOURNAL_NSTEPS; i++) {
		const struct journal_step	*s = &journal_steps[i];

		if (s->version <= from || s->version > to)
			continue;
		snprintf(what, sizeof what, "schema step %d", s->version);
		if (journal_exec(db, s->sql, path, what, err) == -1)
			goto fail;
	}
	/* Two integers of our own: the only SQL text built at run time. */
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", to);
	if (journal_exec(db, sql, path, "migrate", err) == -1)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
	    JOURNAL_APP_ID);
	if (journal_exec(db, sql, path, "migrate", err) == -1 ||
	    journal_exec(db, "COMMIT", path, "migrate", err) == -1)
		goto fail;
	return 0;

fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * Build a journal of a version under a temporary name, then rename it into
 * place: whoever finds the file finds all of it.
 */
static int
journal_build(const char *path, int version, struct errmsg *err)
{
	char	 tmp[JOURNAL_PATH_MAX + 8];
	sqlite3	*db = NULL;
	int	 rc = -1;

	if (version < 1 || version > JOURNAL_SCHEMA_VERSION)
		return errmsg_set(err, "no schema version %d", version);
	if (journal_mkdirs(path, err) == -1)
		return -1;
	if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp)
		return errmsg_set(err, "%s: path too long", path);
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		journal_sqlerr(db, err, path, "cannot create");
		goto out;
	}
	if (journal_exec(db, "PRAGMA synchronous = FULL", path, "create",
	    err) == -1 || journal_migrate(db, path, 0, version, err) == -1)
		goto out;
	if (sqlite3_close(db) != SQLITE_OK) {
		journal_sqlerr(db, err, path, "cannot create");
		goto out;
	}
	db = NULL;
	if (rename(tmp, path) == -1) {
		errmsg_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	journal_sync_dir(path);
	rc = 0;
out:
	if (db != NULL)
		sqlite3_close(db);
	if (rc == -1)
		unlink(tmp);
	return rc;
}

int
journal_create_version(const char *path, int version, struct errmsg *err)
{
	struct stat	 sb;

	if (stat(path, &sb) == 0)
		return errmsg_set(err, "%s: already exists", path);
	return journal_build(path, version, err);
}

/* ------------------------------------------------------------ opening */

static uint32_t
journal_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * A session is told how to start again; a reader (a report) only that the
 * file is no journal it can read: it changes nothing and starts nothing.
 */
static int
journal_damaged(const char *path, bool readonly, struct errmsg *err,
    const char *what)
{
	if (readonly)
		return errmsg_set(err, "%s: %s: not a journal tickdesk can "
		    "read (damaged, or no journal at all); give the journal of "
		    "a session or of `backtest --journal`", journal_base(path),
		    what);
	return errmsg_set(err, "%s: %s: the journal is damaged and tickdesk "
	    "will not trade on it; move it aside (mv %s %s.bad, with its "
	    "-wal and -shm files) and restart: a new journal is started and "
	    "positions are taken from the venue, halted until you resume",
	    journal_base(path), what, path, path);
}

/* Is there a write-ahead log with frames beside the file? */
static bool
journal_has_wal(const char *path)
{
	char		 wal[PATH_MAX];
	struct stat	 sb;

	if ((size_t)snprintf(wal, sizeof wal, "%s-wal", path) >= sizeof wal)
		return false;
	/* 32 bytes of header, then frames of 24 bytes and a page. */
	return stat(wal, &sb) == 0 && sb.st_size > 32;
}

/*
 * Look at the file before SQLite does: an empty or short file, a foreign
 * header, or a file shorter than its header says are refused here with a
 * plain word for what is wrong.
 */
static int
journal_check_file(int fd, const char *path, bool readonly,
    struct errmsg *err)
{
	unsigned char	 h[100];
	struct stat	 sb;
	uint32_t	 psize, pages;
	char		 what[128];
	ssize_t		 n;

	if (fstat(fd, &sb) == -1)
		return errmsg_set(err, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return errmsg_set(err, "%s: not a regular file", path);
	if (sb.st_size < 512) {
		snprintf(what, sizeof what, "truncated to %lld bytes",
		    (long long)sb.st_size);
		return journal_damaged(path, readonly, err, what);
	}
	if ((n = pread(fd, h, sizeof h, 0)) != (ssize_t)sizeof h)
		return errmsg_set(err, "%s: cannot read: %s", path,
		    n == -1 ? strerror(errno) : "short read");
	if (memcmp(h, "SQLite format 3", 16) != 0)
		return journal_damaged(path, readonly, err,
		    "not an SQLite file");
	psize = (uint32_t)h[16] << 8 | h[17];
	if (psize == 1)
		psize = 65536;
	if (psize < 512 || (psize & (psize - 1)) != 0)
		return journal_damaged(path, readonly, err, "bad page size");
	/*
	 * The page count is valid when its version matches the counter.  A
	 * checkpoint cut short writes page 1 before the pages after the
	 * end: while a log is beside the file, SQLite completes it.
	 */
	pages = journal_be32(h + 28);
	if (journal_be32(h + 92) == journal_be32(h + 24) &&
	    (uint64_t)sb.st_size < (uint64_t)pages * psize &&
	    !journal_has_wal(path)) {
		snprintf(what, sizeof what, "truncated (%lld of %llu bytes)",
		    (long long)sb.st_size,
		    (unsigned long long)pages * psize);
		return journal_damaged(path, readonly, err, what);
	}
	return 0;
}

static int
journal_pragma_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * PRAGMA integrity_check: "ok", or the first problem it found.  Not
 * quick_check, which does not compare an index with its table: the reads
 * (reports, a restart) go through the day indexes, so a fill missing from
 * fills_day would be missing from them without a word, and an entry whose
 * row is gone stops them half way.  The full check costs a second pass
 * over the indexes: a journal of 100,000 fills opens in about 0.3 s
 * instead of 0.2 s.
 */
static int
journal_integrity_check(struct journal *j, struct errmsg *err)
{
	sqlite3_stmt	*st;
	char		 what[300];
	int		 rc;

	if (sqlite3_prepare_v2(j->db, "PRAGMA integrity_check(1)", -1, &st,
	    NULL) != SQLITE_OK) {
		snprintf(what, sizeof what, "%s", sqlite3_errmsg(j->db));
		return journal_damaged(j->path, j->readonly, err, what);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0) {
		sqlite3_finalize(st);
		return 0;
	}
	if (rc == SQLITE_ROW) {
		const char	*m = (const char *)sqlite3_column_text(st, 0);
		const char	*nl;

		/* One line: drop "*** in database main ***\n". */
		if (m != NULL && strncmp(m, "***", 3) == 0 &&
		    (nl = strchr(m, '\n')) != NULL)
			m = nl + 1;
		snprintf(what, sizeof what, "integrity check: %s",
		    m != NULL ? m : "failed");
		for (char *p = what; *p != '\0'; p++) {
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		}
	} else
		snprintf(what, sizeof what, "integrity check: %s",
		    sqlite3_errmsg(j->db));
	sqlite3_finalize(st);
	return journal_damaged(j->path, j->readonly, err, what);
}

/* Who we are, which version, and is it whole. */
static int
journal_check_db(struct journal *j, struct errmsg *err)
{
	int64_t	 app, version;

	if (journal_pragma_int(j->db, "PRAGMA application_id", &app) == -1 ||
	    journal_pragma_int(j->db, "PRAGMA user_version", &version) == -1)
		return journal_damaged(j->path, j->readonly, err,
		    sqlite3_errmsg(j->db));
	if (app != JOURNAL_APP_ID)
		return errmsg_set(err, "%s: not a tickdesk journal "
		    "(application id %#llx); give another --journal",
		    journal_base(j->path), (unsigned long long)app);
	if (version > JOURNAL_SCHEMA_VERSION)
		return errmsg_set(err, "%s: schema version %lld is newer than "
		    "this tickdesk (%d): upgrade tickdesk",
		    journal_base(j->path), (long long)version,
		    JOURNAL_SCHEMA_VERSION);
	if (version < 1)
		return journal_damaged(j->path, j->readonly, err,
		    "no schema version");
	if (journal_integrity_check(j, err) == -1)
		return -1;
	if (version < JOURNAL_SCHEMA_VERSION && j->readonly)
		return errmsg_set(err, "%s: schema version %lld is older than "
		    "this tickdesk (%d): open it for writing once (tickdesk "
		    "run or backtest --journal) to migrate it",
		    journal_base(j->path), (long long)version,
		    JOURNAL_SCHEMA_VERSION);
	j->version = (int)version;
	return 0;
}

static int
journal_prepare(struct journal *j, struct errmsg *err)
{
	sqlite3_stmt	*st;

	for (int i = 0; i < S_COUNT; i++) {
		if (sqlite3_prepare_v3(j->db, journal_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &j->st[i], NULL) != SQLITE_OK)
			return journal_sqlerr(j->db, err, j->path, "prepare");
	}
	st = j->st[S_MAXSEQ];
	if (sqlite3_step(st) != SQLITE_ROW) {
		journal_sqlerr(j->db, err, j->path, "read");
		sqlite3_reset(st);
		return -1;
	}
	j->seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* Take the writer's lock: one tickdesk writes a journal at a time. */
static int
journal_lock(struct journal *j, struct errmsg *err)
{
	if ((j->fd = open(j->path, O_RDONLY | O_CLOEXEC)) == -1)
		return errmsg_set(err, "%s: %s", j->path, strerror(errno));
	if (flock(j->fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			return errmsg_set(err, "%s: another tickdesk is "
			    "writing this journal", journal_base(j->path));
		return errmsg_set(err, "%s: lock: %s", j->path,
		    strerror(errno));
	}
	return 0;
}

struct journal *
journal_open(const char *path, int flags, struct errmsg *err)
{
	struct journal	*j;
	struct stat	 sb;
	int		 fd = -1, oflags;

	if (path == NULL || path[0] == '\0') {
		errmsg_set(err, "no journal path");
		return NULL;
	}
	if ((j = calloc(1, sizeof *j)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	j->fd = -1;
	j->readonly = (flags & JOURNAL_READONLY) != 0;
	if (snprintf(j->path, sizeof j->path, "%s", path) >=
	    (int)sizeof j->path) {
		errmsg_set(err, "%s: path too long", path);
		goto fail;
	}
	if (stat(path, &sb) == -1) {
		if (errno == ENOENT && ((flags & JOURNAL_CREATE) == 0 ||
		    j->readonly)) {
			errmsg_set(err, "%s: no such journal", path);
			goto fail;
		}
		if (errno != ENOENT) {
			errmsg_set(err, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (journal_build(path, JOURNAL_SCHEMA_VERSION, err) == -1)
			goto fail;
	}
	if (!j->readonly) {
		if (journal_lock(j, err) == -1)
			goto fail;
		fd = j->fd;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		errmsg_set(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (journal_check_file(fd, path, j->readonly, err) == -1) {
		if (fd != j->fd)
			close(fd);
		goto fail;
	}
	if (fd != j->fd)
		close(fd);

	oflags = j->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (sqlite3_open_v2(path, &j->db, oflags, NULL) != SQLITE_OK) {
		journal_sqlerr(j->db, err, path, "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(j->db, 1);
	sqlite3_busy_timeout(j->db, 5000);
	if (journal_check_db(j, err) == -1)
		goto fail;
	if (!j->readonly) {
		if (journal_exec(j->db, "PRAGMA journal_mode = WAL", path,
		    "open", err) == -1 ||
		    journal_exec(j->db, "PRAGMA synchronous = NORMAL", path,
		    "open", err) == -1)
			goto fail;
		if (j->version < JOURNAL_SCHEMA_VERSION) {
			if (journal_migrate(j->db, path, j->version,
			    JOURNAL_SCHEMA_VERSION, err) == -1)
				goto fail;
			j->version = JOURNAL_SCHEMA_VERSION;
		}
	}
	if (journal_prepare(j, err) == -1)
		goto fail;
	return j;

fail:
	journal_close(j);
	return NULL;
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(j->st[i]);
	if (j->db != NULL)
		sqlite3_close(j->db);
	/* After SQLite let go of the file: closing ours drops our lock. */
	if (j->fd != -1)
		close(j->fd);
	free(j->inst);
	free(j->strat);
	free(j->pos);
	free(j->opos);
	free(j);
}

const char *
journal_path(const struct journal *j)
{
	return j->path;
}

int
journal_schema_version(const struct journal *j)
{
	return j->version;
}

const char *
journal_error(const struct journal *j)
{
	return j->err.msg;
}

int64_t
journal_events(const struct journal *j)
{
	return j->events;
}

int64_t
journal_session(const struct journal *j)
{
	return j->session;
}

void
journal_sync_all(struct journal *j, bool on)
{
	j->sync_all = on;
}

/* ------------------------------------------------------------ writing */

/* Bind helpers: each returns the SQLite code; callers OR them. */
static int
jb_int(sqlite3_stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st, i, v);
}

static int
jb_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s != NULL ? s : "", -1,
	    SQLITE_TRANSIENT);
}

/* Run a bound insert once; 0 or -1. */
static int
journal_run(sqlite3_stmt *st, int bound)
{
	int	 rc = bound == SQLITE_OK ? sqlite3_step(st) : bound;

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
journal_step0(struct journal *j, int which)
{
	return journal_run(j->st[which], SQLITE_OK);
}

static const char *
journal_symbol(const struct journal *j, struct td_inst inst)
{
	if (!td_inst_in(inst, j->ninst))
		return "";
	return j->inst[inst.i].symbol;
}

/* A strategy of the session's, or NULL (the trader, or one unknown). */
static const char *
journal_strategy_of(const struct journal *j, struct td_owner owner)
{
	if (!td_owner_is_strat(owner) || !td_strat_in(owner.strat, j->nstrat))
		return NULL;
	return j->strat[owner.strat.i];
}

static const char *
journal_owner_name(const struct journal *j, struct td_owner owner)
{
	const char	*name = journal_strategy_of(j, owner);

	return name != NULL ? name : "manual";
}

/* An owner's index in the position counts: 0 manual, 1 + i strategy i. */
static int
journal_owner_index(const struct journal *j, struct td_owner owner)
{
	return journal_strategy_of(j, owner) != NULL ? owner.strat.i + 1 : 0;
}

/* The row values every event table starts with. */
struct journal_stamp {
	int64_t		 seq;
	td_ns		 time;
	int32_t		 day;
	uint64_t	 corr;
};

static int
journal_bind_stamp(struct journal *j, sqlite3_stmt *st,
    const struct journal_stamp *s)
{
	return jb_int(st, 1, s->seq) | jb_int(st, 2, j->session) |
	    jb_int(st, 3, s->time) | jb_int(st, 4, s->day);
}

/*
 * An order's type, time in force and bracket as the journal writes them;
 * -1 with a message for what could not be read back.
 */
static int
journal_order_text(const struct order *o, const char **type,
    const char **tif, char *bracket, size_t len, struct errmsg *err)
{
	*type = order_type_name(o->type);
	if ((unsigned)o->type >= ORD_NTYPES)
		return errmsg_set(err, "order %llu: unknown order type %d",
		    (unsigned long long)o->id, (int)o->type);
	if ((*tif = journal_tif_name(o->tif)) == NULL)
		return errmsg_set(err, "order %llu: unknown time in force %d",
		    (unsigned long long)o->id, (int)o->tif);
	if (journal_bracket_format(&o->br, bracket, len, err) == -1) {
		errmsg_prefix(err, "order %llu", (unsigned long long)o->id);
		return -1;
	}
	return 0;
}

static int
journal_put_order(struct journal *j, int64_t seq, const struct engine_ev *ev,
    int32_t day, enum journal_order_event what, const struct order *o,
    int from, struct errmsg *err)
{
	sqlite3_stmt	*st = j->st[S_INS_ORDER];
	const char	*type, *tif;
	char		 bracket[JOURNAL_BRACKET_MAX];
	int		 b;

	if (journal_order_text(o, &type, &tif, bracket, sizeof bracket,
	    err) == -1)
		return -1;
	b = journal_bind_stamp(j, st, &(struct journal_stamp){ .seq = seq,
	    .time = ev->time, .day = day });
	b |= jb_text(st, 5, journal_event_name(what));
	b |= from < 0 ? sqlite3_bind_null(st, 6) :
	    jb_text(st, 6, order_state_name((enum order_state)from));
	b |= jb_text(st, 7, journal_symbol(j, o->inst));
	b |= jb_text(st, 8, journal_owner_name(j, o->owner));
	b |= jb_int(st, 9, (int64_t)o->id) | jb_int(st, 10, o->inst.i);
	b |= jb_text(st, 11, journal_side_name(o->side));
	b |= jb_text(st, 12, type);
	b |= jb_text(st, 13, order_state_name(o->state));
	b |= jb_text(st, 14, order_role_name(o->role));
	b |= jb_int(st, 15, o->qty) | jb_int(st, 16, o->filled);
	b |= jb_int(st, 17, o->price) | jb_int(st, 18, o->fill_cost);
	b |= jb_int(st, 19, td_owner_code(o->owner));
	b |= jb_int(st, 20, (int64_t)o->corr);
	b |= jb_int(st, 21, (int64_t)o->parent) |
	    jb_int(st, 22, (int64_t)o->oco);
	b |= jb_int(st, 23, o->br.stop_ticks) | jb_int(st, 24,
	    o->br.ntargets > 0 ? o->br.target_ticks[0] : 0);
	b |= jb_int(st, 25, o->created) | jb_int(st, 26, o->updated);
	b |= jb_text(st, 27, o->reason);
	b |= jb_int(st, 28, (int64_t)o->pair[0].stop_id) |
	    jb_int(st, 29, (int64_t)o->pair[0].target_id);
	b |= jb_int(st, 30, o->legs_filled) | jb_int(st, 31,
	    o->replace_pending);
	b |= jb_int(st, 32, o->cancel_pending) | jb_int(st, 33,
	    o->bracket_off);
	b |= jb_text(st, 34, bracket) | jb_int(st, 35, o->limit);
	b |= jb_text(st, 36, tif);
	return journal_run(st, b);
}

/* What an order event is, from the state before and after. */
static enum journal_order_event
journal_classify(int from, enum order_state to)
{
	if (from == (int)to)
		return JEV_REPLACED;
	switch (to) {
	case ORD_NEW:
		return JEV_CREATED;
	case ORD_SUBMITTED:
		return JEV_SUBMITTED;
	case ORD_WORKING:
		return JEV_ACKNOWLEDGED;
	case ORD_PARTIAL:
		return JEV_PARTIAL;
	case ORD_FILLED:
		return JEV_FILLED;
	case ORD_CANCELLED:
		return JEV_CANCELLED;
	case ORD_REJECTED:
		return JEV_REJECTED;
	case ORD_EXPIRED:
		return JEV_EXPIRED;
	}
	return JEV_REPLACED;
}

/*
 * An order event.  A new order (from -1) is two rows: created, as it was
 * made, then what became of it at once (submitted or rejected).
 */
static int
journal_write_order(struct journal *j, const struct engine_ev *ev,
    int32_t day, struct errmsg *err)
{
	const struct order	*o = ev->order;

	if (o == NULL)
		return errmsg_set(err, "order event without an order");
	if (ev->from < 0) {
		struct order	 made = *o;

		made.state = ORD_NEW;
		if (journal_put_order(j, ++j->seq, ev, day, JEV_CREATED, &made,
		    -1, err) == -1)
			return -1;
		if (o->state == ORD_NEW)
			return 0;
		return journal_put_order(j, ++j->seq, ev, day,
		    journal_classify(ORD_NEW, o->state), o, ORD_NEW, err);
	}
	return journal_put_order(j, ++j->seq, ev, day,
	    journal_classify(ev->from, o->state), o, ev->from, err);
}

/* The exit reason the trade ledger keeps for a fill (as the engine does). */
static const char *
journal_fill_reason(const struct order *o)
{
	if (o->role == ROLE_EXIT && o->reason[0] != '\0')
		return o->reason;
	return order_role_name(o->role);
}

/*
 * A fill: the fill, the order's new state, and the position it changed
 * (the instrument's and its owner's).  New positions are returned in
 * *pos and *opos and kept only once the transaction commits.
 */
static int
journal_write_fill(struct journal *j, const struct engine_ev *ev,
    int32_t day, int64_t *pos, int64_t *opos, struct errmsg *err)
{
	const struct order	*o = ev->order;
	sqlite3_stmt		*st;
	td_cents		 commission = 0;
	int64_t			 change, seq;
	struct td_inst		 inst = ev->inst;
	struct td_owner		 owner;
	int			 b, oi;

	if (o == NULL || ev->qty <= 0)
		return errmsg_set(err, "bad fill event");
	if ((unsigned)o->type >= ORD_NTYPES)
		return errmsg_set(err, "order %llu: unknown order type %d",
		    (unsigned long long)o->id, (int)o->type);
	owner = o->owner;
	oi = journal_owner_index(j, owner);
	if (td_inst_in(inst, j->ninst))
		commission = j->inst[inst.i].commission * ev->qty;

	st = j->st[S_INS_FILL];
	seq = ++j->seq;
	b = journal_bind_stamp(j, st, &(struct journal_stamp){ .seq = seq,
	    .time = ev->time, .day = day });
	b |= jb_int(st, 5, (int64_t)ev->corr) | jb_int(st, 6, (int64_t)o->id);
	b |= jb_text(st, 7, journal_symbol(j, inst)) | jb_int(st, 8, inst.i);
	b |= jb_text(st, 9, journal_side_name(ev->side));
	b |= jb_int(st, 10, ev->qty) | jb_int(st, 11, ev->price);
	b |= jb_int(st, 12, td_owner_code(owner));
	b |= jb_text(st, 13, journal_owner_name(j, owner));
	b |= jb_text(st, 14, order_role_name(o->role));
	b |= jb_int(st, 15, commission) | jb_int(st, 16, o->filled);
	b |= jb_text(st, 17, journal_fill_reason(o));
	b |= jb_text(st, 18, j->source != NULL ? j->source : "engine");
	b |= jb_text(st, 19, order_type_name(o->type));
	b |= jb_int(st, 20, ev->trade_high) | jb_int(st, 21, ev->trade_low);
	if (journal_run(st, b) == -1)
		return -1;

	/* The engine does not say the state before a fill: left NULL. */
	if (journal_put_order(j, ++j->seq, ev, day,
	    o->state == ORD_FILLED ? JEV_FILLED : JEV_PARTIAL, o, -1,
	    err) == -1)
		return -1;

	if (!td_inst_in(inst, j->ninst))
		return 0;
	change = ev->side == TD_BUY ? ev->qty : -ev->qty;
	*pos = j->pos[inst.i] + change;
	*opos = j->opos[oi * j->ninst + inst.i] + change;
	st = j->st[S_INS_POSITION];
	b = journal_bind_stamp(j, st, &(struct journal_stamp){
	    .seq = ++j->seq, .time = ev->time, .day = day });
	b |= jb_int(st, 5, (int64_t)ev->corr);
	b |= jb_text(st, 6, journal_symbol(j, inst)) | jb_int(st, 7, inst.i);
	b |= jb_int(st, 8, td_owner_code(owner));
	b |= jb_text(st, 9, journal_owner_name(j, owner));
	b |= jb_int(st, 10, change) | jb_int(st, 11, *pos);
	b |= jb_int(st, 12, *opos) | jb_int(st, 13, ev->price);
	return journal_run(st, b);
}

static int
journal_write_state(struct journal *j, const struct engine_ev *ev,
    int32_t day)
{
	sqlite3_stmt	*st = j->st[S_INS_STATE];
	int		 b;

	b = journal_bind_stamp(j, st, &(struct journal_stamp){
	    .seq = ++j->seq, .time = ev->time, .day = day });
	b |= jb_int(st, 5, (int64_t)ev->corr);
	b |= jb_text(st, 6, trading_state_name(ev->state_from));
	b |= jb_text(st, 7, trading_state_name(ev->state_to));
	b |= jb_text(st, 8, ev->who) | jb_text(st, 9, ev->text);
	return journal_run(st, b);
}

static const char *
journal_or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static int
journal_write_rollout(struct journal *j, const struct engine_ev *ev,
    int32_t day, struct errmsg *err)
{
	sqlite3_stmt			*st = j->st[S_INS_ROLLOUT];
	const struct rollout_event	*r = ev->rollout;
	const char			*what;
	int				 b;

	if (r == NULL || rollout_event_name(r->kind) == NULL)
		return errmsg_set(err, "rollout event without its kind");
	what = r->kind == ROLLOUT_EV_PATH ? rollout_path_name(r->path) :
	    r->why;
	b = journal_bind_stamp(j, st, &(struct journal_stamp){
	    .seq = ++j->seq, .time = ev->time, .day = day });
	b |= jb_int(st, 5, (int64_t)ev->corr);
	b |= jb_text(st, 6, rollout_event_name(r->kind));
	b |= jb_text(st, 7, journal_or_empty(r->stage));
	b |= jb_text(st, 8, journal_or_empty(r->to));
	b |= jb_text(st, 9, journal_or_empty(r->who));
	b |= jb_text(st, 10, journal_or_empty(what));
	b |= jb_int(st, 11, (int64_t)r->order_id);
	b |= jb_text(st, 12, journal_or_empty(r->symbol));
	b |= jb_int(st, 13, r->expected) | jb_int(st, 14, r->price);
	b |= jb_int(st, 15, r->ticks);
	return journal_run(st, b);
}

static int
journal_write_command(struct journal *j, const struct engine_ev *ev,
    int32_t day)
{
	sqlite3_stmt	*st = j->st[S_INS_COMMAND];
	int		 b;

	b = journal_bind_stamp(j, st, &(struct journal_stamp){
	    .seq = ++j->seq, .time = ev->time, .day = day });
	b |= jb_int(st, 5, (int64_t)ev->corr) | jb_text(st, 6, ev->text);
	return journal_run(st, b);
}

/* The day's P&L as the event found the account (zeros without one). */
static int
journal_write_day(struct journal *j, const struct engine_ev *ev, int32_t day,
    int32_t week)
{
	sqlite3_stmt			*st = j->st[S_PUT_DAY];
	struct portfolio_account	 a = { 0 };
	td_ns				 t = ev->time;
	int				 b;

	if (ev->account != NULL)
		a = *ev->account;
	b = jb_int(st, 1, j->session) | jb_int(st, 2, day) |
	    jb_int(st, 3, week) | jb_int(st, 4, t) | jb_int(st, 5, a.net) |
	    jb_int(st, 6, a.day_pnl) | jb_int(st, 7, a.day_peak) |
	    jb_int(st, 8, a.week_pnl) | jb_int(st, 9, a.realized) |
	    jb_int(st, 10, a.commissions);
	return journal_run(st, b);
}

/* Sync the write-ahead log: what synchronous=FULL does at a commit. */
static int
journal_sync(struct journal *j)
{
	sqlite3_file	*f = NULL;

	if (sqlite3_file_control(j->db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
	    &f) != SQLITE_OK || f == NULL || f->pMethods == NULL)
		return 0;
	return f->pMethods->xSync(f, SQLITE_SYNC_FULL) == SQLITE_OK ? 0 : -1;
}

static int
journal_observe_one(struct journal *j, const struct engine_ev *ev)
{
	struct errmsg	 err;
	int64_t		 seq0 = j->seq, pos = 0, opos = 0;
	int32_t		 day = 0, week = 0;
	int		 rc = -1, oi = 0;

	if ((unsigned)ev->kind < EEV_KINDS &&
	    (EEV_BOOKS & EEV_BIT(ev->kind)) == 0)
		return 0;		/* not the journal's */
	if (j->readonly)
		return errmsg_set(&j->err, "%s: opened read only",
		    journal_base(j->path));
	err.msg[0] = '\0';
	if (j->cal != NULL && ev->time != 0) {
		day = calendar_trading_day(j->cal, ev->time);
		week = calendar_week(j->cal, ev->time);
	}
	if (journal_step0(j, S_BEGIN) == -1) {
		journal_sqlerr(j->db, &j->err, j->path, "begin");
		return -1;
	}
	switch (ev->kind) {
	case EEV_ORDER:
		rc = journal_write_order(j, ev, day, &err);
		break;
	case EEV_FILL:
		rc = journal_write_fill(j, ev, day, &pos, &opos, &err);
		/* What a leg's fill did to its entry's bracket, with it. */
		if (rc == 0 && ev->bracket != NULL)
			rc = journal_put_order(j, ++j->seq, ev, day,
			    journal_classify(ev->bracket->state,
			    ev->bracket->state), ev->bracket,
			    ev->bracket->state, &err);
		if (ev->order != NULL)
			oi = journal_owner_index(j, ev->order->owner);
		break;
	case EEV_STATE:
		rc = journal_write_state(j, ev, day);
		break;
	case EEV_COMMAND:
		rc = journal_write_command(j, ev, day);
		break;
	case EEV_ROLLOUT:
		rc = journal_write_rollout(j, ev, day, &err);
		break;
	default:
		errmsg_set(&err, "unknown event kind %d", (int)ev->kind);
		break;
	}
	if (rc == 0 && j->cal != NULL && day != 0)
		rc = journal_write_day(j, ev, day, week);
	if (rc == 0)
		rc = journal_step0(j, S_COMMIT);
	if (rc == -1) {
		/* The message first: a rollback resets SQLite's. */
		if (err.msg[0] != '\0')
			errmsg_set(&j->err, "%s: %s", journal_base(j->path),
			    err.msg);
		else
			journal_sqlerr(j->db, &j->err, j->path, "write");
		journal_step0(j, S_ROLLBACK);
		j->seq = seq0;
		return -1;
	}
	if (ev->kind == EEV_FILL && td_inst_in(ev->inst, j->ninst)) {
		j->pos[ev->inst.i] = pos;
		j->opos[oi * j->ninst + ev->inst.i] = opos;
	}
	j->events++;
	if ((j->sync_all || ev->kind == EEV_FILL || ev->kind == EEV_STATE ||
	    (ev->kind == EEV_ROLLOUT && ev->rollout->kind == ROLLOUT_EV_MOVE)) &&
	    journal_sync(j) == -1)
		return errmsg_set(&j->err, "%s: cannot sync the log to disk",
		    journal_base(j->path));
	return 0;
}

int
journal_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct journal	*j = arg;

	if (journal_observe_one(j, ev) == 0)
		return 0;
	if (err != NULL)
		*err = j->err;
	return -1;
}

/* The session's books as the journal keeps them (struct journal). */
struct journal_kept {
	int			 ninst;
	struct instrument	*inst;
	int			 nstrat;
	char			(*strat)[TD_NAME_MAX];
	int64_t			*pos;
	int64_t			*opos;
};

static void
journal_kept_free(struct journal_kept *k)
{
	free(k->inst);
	free(k->strat);
	free(k->pos);
	free(k->opos);
}

/*
 * Copy the books: the instruments, the strategies' names, and the
 * positions they begin with per instrument and per owner.
 */
static int
journal_keep(struct journal_kept *k, const struct journal_books *bk,
    struct errmsg *err)
{
	size_t	 ni = (size_t)bk->ninst, ns = (size_t)bk->nstrat;

	k->ninst = bk->ninst;
	k->nstrat = bk->nstrat;
	k->inst = calloc(ni + 1, sizeof *k->inst);
	k->strat = calloc(ns + 1, sizeof *k->strat);
	k->pos = calloc(ni + 1, sizeof *k->pos);
	k->opos = calloc((ns + 1) * ni + 1, sizeof *k->opos);
	if (k->inst == NULL || k->strat == NULL || k->pos == NULL ||
	    k->opos == NULL) {
		journal_kept_free(k);
		return errmsg_set(err, "out of memory");
	}
	if (ni > 0)
		memcpy(k->inst, bk->inst, ni * sizeof *k->inst);
	for (size_t s = 0; s < ns; s++)
		snprintf(k->strat[s], sizeof k->strat[s], "%s",
		    bk->strat[s].name);
	for (size_t i = 0; i < ni; i++) {
		k->pos[i] = bk->position != NULL ? bk->position[i] : 0;
		k->opos[i] = k->pos[i];		/* manual: the rest */
	}
	for (size_t s = 0; s < ns; s++) {
		const int64_t	*p = bk->strat[s].position;

		for (size_t i = 0; p != NULL && i < ni; i++) {
			k->opos[(s + 1) * ni + i] = p[i];
			k->opos[i] -= p[i];
		}
	}
	return 0;
}

/* The journal's books from now on (the old ones freed). */
static void
journal_install(struct journal *j, struct journal_kept *k,
    const struct calendar *cal)
{
	free(j->inst);
	free(j->strat);
	free(j->pos);
	free(j->opos);
	j->ninst = k->ninst;
	j->inst = k->inst;
	j->nstrat = k->nstrat;
	j->strat = k->strat;
	j->pos = k->pos;
	j->opos = k->opos;
	j->cal = cal;
}

/* The session's row, its instruments' and its strategies'. */
static int
journal_write_session(struct journal *j,
    const struct journal_session_info *info, const struct journal_books *bk)
{
	sqlite3_stmt	*st = j->st[S_INS_SESSION];
	int		 b;

	b = jb_int(st, 1, info->started != 0 ? info->started : bk->now);
	b |= jb_text(st, 2, info->mode) | jb_text(st, 3, info->config);
	b |= jb_text(st, 4, calendar_cfg(bk->cal)->tz) |
	    jb_int(st, 5, info->resumes);
	if (journal_run(st, b) == -1)
		return -1;
	j->session = sqlite3_last_insert_rowid(j->db);
	for (int i = 0; i < bk->ninst; i++) {
		const struct instrument	*in = &bk->inst[i];

		st = j->st[S_INS_INSTRUMENT];
		b = jb_int(st, 1, j->session) | jb_int(st, 2, i) |
		    jb_text(st, 3, in->symbol) | jb_int(st, 4, in->tick_size) |
		    jb_int(st, 5, in->point_value) |
		    jb_int(st, 6, in->commission) | jb_int(st, 7, in->decimals);
		if (journal_run(st, b) == -1)
			return -1;
	}
	for (int i = 0; i < bk->nstrat; i++) {
		const struct journal_strategy	*sc = &bk->strat[i];

		st = j->st[S_INS_STRATEGY];
		b = jb_int(st, 1, j->session) | jb_int(st, 2, i) |
		    jb_text(st, 3, sc->name) | jb_text(st, 4, sc->type) |
		    jb_text(st, 5, sc->symbol);
		if (journal_run(st, b) == -1)
			return -1;
	}
	return 0;
}

int64_t
journal_begin(struct journal *j, const struct journal_session_info *info,
    const struct journal_books *books, struct errmsg *err)
{
	struct journal_kept	 k;

	if (j->readonly) {
		errmsg_set(err, "%s: opened read only", journal_base(j->path));
		return -1;
	}
	if (books->cal == NULL || books->ninst < 0 || books->nstrat < 0 ||
	    (books->ninst > 0 && books->inst == NULL) ||
	    (books->nstrat > 0 && books->strat == NULL)) {
		errmsg_set(err, "%s: a session needs its calendar, "
		    "instruments and strategies", journal_base(j->path));
		return -1;
	}
	if (journal_keep(&k, books, err) == -1)
		return -1;
	if (journal_step0(j, S_BEGIN) == -1 ||
	    journal_write_session(j, info, books) == -1 ||
	    journal_step0(j, S_COMMIT) == -1 || journal_sync(j) == -1) {
		journal_sqlerr(j->db, err, j->path, "begin session");
		journal_step0(j, S_ROLLBACK);
		journal_kept_free(&k);
		j->session = 0;
		return -1;
	}
	/* Positions count on from the books' (restored or flat). */
	journal_install(j, &k, books->cal);
	return j->session;
}

int
journal_note_days(struct journal *j, const struct stats_day *days,
    size_t ndays, struct errmsg *err)
{
	sqlite3_stmt		*st = j->st[S_ADD_DAY];
	td_ns			 t;
	int			 b;

	if (j->cal == NULL || j->readonly)
		return errmsg_set(err, "%s: no session to note days in",
		    journal_base(j->path));
	if (journal_step0(j, S_BEGIN) == -1)
		return journal_sqlerr(j->db, err, j->path, "note days");
	for (size_t i = 0; i < ndays; i++) {
		if (calendar_day_start(j->cal, days[i].day, &t) == -1)
			continue;
		b = jb_int(st, 1, j->session) | jb_int(st, 2, days[i].day) |
		    jb_int(st, 3, calendar_week(j->cal, t)) | jb_int(st, 4, t) |
		    jb_int(st, 5, days[i].net);
		if (journal_run(st, b) == -1)
			goto fail;
	}
	if (journal_step0(j, S_COMMIT) == 0)
		return 0;
fail:
	journal_sqlerr(j->db, err, j->path, "note days");
	journal_step0(j, S_ROLLBACK);
	return -1;
}

void
journal_set_fill_source(struct journal *j, const char *source)
{
	j->source = source;
}

int
journal_void_fill(struct journal *j, int64_t seq, struct errmsg *err)
{
	sqlite3_stmt	*st = j->st[S_VOID_FILL];

	if (journal_step0(j, S_BEGIN) == -1)
		return journal_sqlerr(j->db, err, j->path, "void a fill");
	if (journal_run(st, jb_int(st, 1, seq)) == -1 ||
	    sqlite3_changes(j->db) != 1 || journal_step0(j, S_COMMIT) == -1) {
		journal_sqlerr(j->db, err, j->path, "void a fill");
		journal_step0(j, S_ROLLBACK);
		return -1;
	}
	return journal_sync(j) == -1 ? errmsg_set(err, "%s: cannot sync the "
	    "log to disk", journal_base(j->path)) : 0;
}

int
journal_end(struct journal *j, td_ns ended, struct errmsg *err)
{
	sqlite3_stmt	*st = j->st[S_END_SESSION];

	if (j->session == 0 || j->readonly)
		return errmsg_set(err, "%s: no session to end",
		    journal_base(j->path));
	if (ended <= 0)
		return errmsg_set(err, "%s: the end of session %lld needs its "
		    "time", journal_base(j->path), (long long)j->session);
	if (journal_step0(j, S_BEGIN) == -1)
		return journal_sqlerr(j->db, err, j->path, "end the session");
	if (journal_run(st, jb_int(st, 1, j->session) | jb_int(st, 2,
	    ended)) == -1 || sqlite3_changes(j->db) != 1 ||
	    journal_step0(j, S_COMMIT) == -1) {
		journal_sqlerr(j->db, err, j->path, "end the session");
		journal_step0(j, S_ROLLBACK);
		return -1;
	}
	return journal_sync(j) == -1 ? errmsg_set(err, "%s: cannot sync the "
	    "log to disk", journal_base(j->path)) : 0;
}

/* ------------------------------------------------------------ reading */

/* The caller's function, whichever table it reads. */
union journal_cb {
	journal_session_fn	 session;
	journal_instrument_fn	 instrument;
	journal_order_fn	 order;
	journal_fill_fn		 fill;
	journal_position_fn	 position;
	journal_state_fn	 state;
	journal_command_fn	 command;
	journal_day_fn		 day;
	journal_rollout_fn	 rollout;
};

/*
 * Read one row and hand it to the caller: the caller's answer in *stop.
 * -1 with a message (the table and seq of the row) when the row cannot be
 * read back; the caller never sees it.
 */
typedef int	(*journal_row_fn)(sqlite3_stmt *, union journal_cb, void *,
		    int *, struct errmsg *);

/* Step a select with a day range, calling row for each row. */
static int
journal_select(struct journal *j, int which, int32_t from, int32_t to,
    journal_row_fn row, union journal_cb cb, void *arg, struct errmsg *err)
{
	sqlite3_stmt	*st = j->st[which];
	struct errmsg	 bad;
	int		 rc, stop = 0;

	if (which != S_SEL_SESSIONS && which != S_SEL_INSTRUMENTS &&
	    (jb_int(st, 1, from == 0 ? -1 : from) |
	    jb_int(st, 2, to == 0 ? INT32_MAX : to)) != SQLITE_OK) {
		sqlite3_reset(st);
		return journal_sqlerr(j->db, err, j->path, "read");
	}
	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (row(st, cb, arg, &stop, &bad) == -1) {
			errmsg_set(err, "%s: %s", journal_base(j->path),
			    bad.msg);
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return -1;
		}
	}
	if (stop == 0 && rc != SQLITE_DONE) {
		journal_sqlerr(j->db, err, j->path, "read");
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}

#define COL_I(c)	sqlite3_column_int64(st, (c))

/* An unknown name in a column: -1 and what the known ones are. */
static int
journal_bad_name(sqlite3_stmt *st, int col, const char *table, int64_t seq,
    const char *what, const char *(*name)(int), int n, struct errmsg *err)
{
	const unsigned char	*s = sqlite3_column_text(st, col);
	char			 known[128];
	size_t			 at = 0;

	known[0] = '\0';
	for (int i = 0; i < n && at < sizeof known; i++) {
		int	 w = snprintf(known + at, sizeof known - at, "%s%s",
			    i > 0 ? ", " : "", name(i));

		at += w > 0 ? (size_t)w : 0;
	}
	return errmsg_set(err, "%s row %lld: unknown %s \"%.40s\" (%s)", table,
	    (long long)seq, what, s != NULL ? (const char *)s : "", known);
}

/*
 * The columns of an order that must read back exactly: its type, its
 * bracket (checked against stop_ticks and target_ticks, which the row
 * keeps for readers of older journals), its limit and time in force.  A
 * row from before schema 4 has NULL in the new columns and gives what it
 * kept.
 */
static int
journal_col_order(sqlite3_stmt *st, struct journal_order *r,
    struct errmsg *err)
{
	struct order	*o = &r->order;
	int64_t		 stop = COL_I(22), target = COL_I(23);
	int		 v;

	if ((v = journal_col_enum(st, 11, jn_type, ORD_NTYPES)) < 0)
		return journal_bad_name(st, 11, "orders", r->seq, "order type",
		    jn_type, ORD_NTYPES, err);
	o->type = (enum order_type)v;
	if (sqlite3_column_type(st, 33) == SQLITE_NULL) {
		o->br.stop_ticks = (int32_t)stop;
		o->br.target_ticks[0] = (int32_t)target;
		o->br.ntargets = target > 0;
	} else {
		const char	*text;

		if ((text = (const char *)sqlite3_column_text(st, 33)) == NULL)
			text = "";
		if (journal_bracket_parse(text, &o->br, err) == -1) {
			errmsg_prefix(err, "orders row %lld",
			    (long long)r->seq);
			return -1;
		}
		if (o->br.stop_ticks != stop || (o->br.ntargets > 0 ?
		    o->br.target_ticks[0] : 0) != target)
			return errmsg_set(err, "orders row %lld: bracket "
			    "\"%.80s\" disagrees with stop_ticks %lld and "
			    "target_ticks %lld", (long long)r->seq, text,
			    (long long)stop, (long long)target);
	}
	o->limit = COL_I(34);
	if (sqlite3_column_type(st, 35) == SQLITE_NULL)
		o->tif = TIF_GTC;
	else if ((v = journal_col_enum(st, 35, jn_tif, JOURNAL_NTIFS)) < 0)
		return journal_bad_name(st, 35, "orders", r->seq,
		    "time in force", jn_tif, JOURNAL_NTIFS, err);
	else
		o->tif = (enum order_tif)v;
	return 0;
}

static int
journal_row_session(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_session	 s;

	memset(&s, 0, sizeof s);
	s.id = COL_I(0);
	s.started = COL_I(1);
	journal_col_text(st, 2, s.mode, sizeof s.mode);
	journal_col_text(st, 3, s.config, sizeof s.config);
	journal_col_text(st, 4, s.tz, sizeof s.tz);
	s.resumes = COL_I(5);
	s.ended = COL_I(6);
	*stop = cb.session(arg, &s);
	return 0;
}

static int
journal_row_instrument(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_instrument	 r;

	memset(&r, 0, sizeof r);
	r.session = COL_I(0);
	r.idx = (int)COL_I(1);
	journal_col_text(st, 2, r.inst.symbol, sizeof r.inst.symbol);
	r.inst.tick_size = COL_I(3);
	r.inst.point_value = COL_I(4);
	r.inst.commission = COL_I(5);
	r.inst.decimals = (int)COL_I(6);
	instrument_init(&r.inst, NULL);
	*stop = cb.instrument(arg, &r);
	return 0;
}

static int
journal_row_order(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_order	 r;
	struct order		*o = &r.order;
	int			 v;

	memset(&r, 0, sizeof r);
	r.seq = COL_I(0);
	r.session = COL_I(1);
	r.time = COL_I(2);
	r.day = (int32_t)COL_I(3);
	if (journal_col_order(st, &r, err) == -1)
		return -1;
	v = journal_col_enum(st, 4, jn_event, JEV_COUNT);
	r.event = v < 0 ? JEV_REPLACED : (enum journal_order_event)v;
	r.from = journal_col_enum(st, 5, jn_state, ORD_NSTATES);
	journal_col_text(st, 6, r.symbol, sizeof r.symbol);
	journal_col_text(st, 7, r.owner_name, sizeof r.owner_name);
	o->id = (uint64_t)COL_I(8);
	o->inst = td_inst_at((int)COL_I(9));
	o->side = journal_col_side(st, 10);
	v = journal_col_enum(st, 12, jn_state, ORD_NSTATES);
	o->state = v < 0 ? ORD_NEW : (enum order_state)v;
	v = journal_col_enum(st, 13, jn_role, ROLE_EXIT + 1);
	o->role = v < 0 ? ROLE_ENTRY : (enum order_role)v;
	o->qty = COL_I(14);
	o->filled = COL_I(15);
	o->price = COL_I(16);
	o->fill_cost = COL_I(17);
	o->owner = td_owner_from_code(COL_I(18));
	o->corr = (uint64_t)COL_I(19);
	o->parent = (uint64_t)COL_I(20);
	o->oco = (uint64_t)COL_I(21);
	o->created = COL_I(24);
	o->updated = COL_I(25);
	journal_col_text(st, 26, o->reason, sizeof o->reason);
	o->pair[0].stop_id = (uint64_t)COL_I(27);
	o->pair[0].target_id = (uint64_t)COL_I(28);
	o->legs_filled = COL_I(29);
	o->replace_pending = (int)COL_I(30);
	o->cancel_pending = COL_I(31) != 0;
	o->bracket_off = COL_I(32) != 0;
	*stop = cb.order(arg, &r);
	return 0;
}

static int
journal_row_fill(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_fill	 r;
	int			 v;

	memset(&r, 0, sizeof r);
	r.seq = COL_I(0);
	r.session = COL_I(1);
	r.time = COL_I(2);
	r.day = (int32_t)COL_I(3);
	r.corr = (uint64_t)COL_I(4);
	r.order_id = (uint64_t)COL_I(5);
	journal_col_text(st, 6, r.symbol, sizeof r.symbol);
	r.inst = (int)COL_I(7);
	r.side = journal_col_side(st, 8);
	r.qty = COL_I(9);
	r.price = COL_I(10);
	r.owner = td_owner_from_code(COL_I(11));
	journal_col_text(st, 12, r.owner_name, sizeof r.owner_name);
	v = journal_col_enum(st, 13, jn_role, ROLE_EXIT + 1);
	r.role = v < 0 ? ROLE_ENTRY : (enum order_role)v;
	r.commission = COL_I(14);
	r.order_filled = COL_I(15);
	journal_col_text(st, 16, r.reason, sizeof r.reason);
	journal_col_text(st, 17, r.source, sizeof r.source);
	/* NULL: a fill of an older journal without a row of its order. */
	v = sqlite3_column_type(st, 18) == SQLITE_NULL ? ORD_MARKET :
	    journal_col_enum(st, 18, jn_type, ORD_NTYPES);
	if (v < 0)
		return journal_bad_name(st, 18, "fills", r.seq, "order type",
		    jn_type, ORD_NTYPES, err);
	r.type = (enum order_type)v;
	r.trade_high = COL_I(19);
	r.trade_low = COL_I(20);
	*stop = cb.fill(arg, &r);
	return 0;
}

static int
journal_row_position(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_position	 r;

	memset(&r, 0, sizeof r);
	r.seq = COL_I(0);
	r.session = COL_I(1);
	r.time = COL_I(2);
	r.day = (int32_t)COL_I(3);
	r.corr = (uint64_t)COL_I(4);
	journal_col_text(st, 5, r.symbol, sizeof r.symbol);
	r.inst = (int)COL_I(6);
	r.owner = td_owner_from_code(COL_I(7));
	journal_col_text(st, 8, r.owner_name, sizeof r.owner_name);
	r.change = COL_I(9);
	r.position = COL_I(10);
	r.owner_position = COL_I(11);
	r.price = COL_I(12);
	*stop = cb.position(arg, &r);
	return 0;
}

static int
journal_row_state(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_state	 r;
	int			 v;

	memset(&r, 0, sizeof r);
	r.seq = COL_I(0);
	r.session = COL_I(1);
	r.time = COL_I(2);
	r.day = (int32_t)COL_I(3);
	r.corr = (uint64_t)COL_I(4);
	v = journal_col_enum(st, 5, jn_trading, TS_KILLED + 1);
	r.from = v < 0 ? TS_HALTED : (enum trading_state)v;
	v = journal_col_enum(st, 6, jn_trading, TS_KILLED + 1);
	r.to = v < 0 ? TS_HALTED : (enum trading_state)v;
	journal_col_text(st, 7, r.who, sizeof r.who);
	journal_col_text(st, 8, r.why, sizeof r.why);
	*stop = cb.state(arg, &r);
	return 0;
}

static int
journal_row_rollout(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_rollout	 r;
	enum rollout_ev_kind	 k;

	memset(&r, 0, sizeof r);
	r.seq = COL_I(0);
	r.session = COL_I(1);
	r.time = COL_I(2);
	r.day = (int32_t)COL_I(3);
	r.corr = (uint64_t)COL_I(4);
	journal_col_text(st, 5, r.event, sizeof r.event);
	if (rollout_event_kind(r.event, &k) == -1)
		return errmsg_set(err, "rollout row %lld: unknown event '%s'",
		    (long long)r.seq, r.event);
	journal_col_text(st, 6, r.stage, sizeof r.stage);
	journal_col_text(st, 7, r.to, sizeof r.to);
	journal_col_text(st, 8, r.who, sizeof r.who);
	journal_col_text(st, 9, r.what, sizeof r.what);
	r.ev = (struct rollout_event){ .kind = k, .time = r.time,
	    .day = r.day, .stage = r.stage, .to = r.to, .who = r.who,
	    .why = r.what, .order_id = (uint64_t)COL_I(10),
	    .symbol = r.symbol, .expected = COL_I(12), .price = COL_I(13),
	    .ticks = COL_I(14) };
	journal_col_text(st, 11, r.symbol, sizeof r.symbol);
	if (k == ROLLOUT_EV_PATH && rollout_path_find(r.what,
	    &r.ev.path) == -1)
		return errmsg_set(err, "rollout row %lld: unknown path '%s'",
		    (long long)r.seq, r.what);
	*stop = cb.rollout(arg, &r);
	return 0;
}

static int
journal_row_command(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_command	 r;

	memset(&r, 0, sizeof r);
	r.seq = COL_I(0);
	r.session = COL_I(1);
	r.time = COL_I(2);
	r.day = (int32_t)COL_I(3);
	r.corr = (uint64_t)COL_I(4);
	journal_col_text(st, 5, r.line, sizeof r.line);
	*stop = cb.command(arg, &r);
	return 0;
}

static int
journal_row_day(sqlite3_stmt *st, union journal_cb cb, void *arg,
    int *stop, struct errmsg *err)
{
	struct journal_day	 r;

	memset(&r, 0, sizeof r);
	r.session = COL_I(0);
	r.day = (int32_t)COL_I(1);
	r.week = (int32_t)COL_I(2);
	r.updated = COL_I(3);
	r.net = COL_I(4);
	r.day_pnl = COL_I(5);
	r.day_peak = COL_I(6);
	r.week_pnl = COL_I(7);
	r.realized = COL_I(8);
	r.commissions = COL_I(9);
	*stop = cb.day(arg, &r);
	return 0;
}

#undef COL_I

int
journal_read_sessions(struct journal *j, journal_session_fn fn, void *arg,
    struct errmsg *err)
{
	return journal_select(j, S_SEL_SESSIONS, 0, 0, journal_row_session,
	    (union journal_cb){ .session = fn }, arg, err);
}

int
journal_read_instruments(struct journal *j, journal_instrument_fn fn,
    void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_INSTRUMENTS, 0, 0,
	    journal_row_instrument,
	    (union journal_cb){ .instrument = fn }, arg, err);
}

int
journal_read_orders(struct journal *j, int32_t from, int32_t to,
    journal_order_fn fn, void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_ORDERS, from, to, journal_row_order,
	    (union journal_cb){ .order = fn }, arg, err);
}

int
journal_read_fills(struct journal *j, int32_t from, int32_t to,
    journal_fill_fn fn, void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_FILLS, from, to, journal_row_fill,
	    (union journal_cb){ .fill = fn }, arg, err);
}

int
journal_read_positions(struct journal *j, int32_t from, int32_t to,
    journal_position_fn fn, void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_POSITIONS, from, to,
	    journal_row_position,
	    (union journal_cb){ .position = fn }, arg, err);
}

int
journal_read_states(struct journal *j, int32_t from, int32_t to,
    journal_state_fn fn, void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_STATES, from, to, journal_row_state,
	    (union journal_cb){ .state = fn }, arg, err);
}

int
journal_read_commands(struct journal *j, int32_t from, int32_t to,
    journal_command_fn fn, void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_COMMANDS, from, to,
	    journal_row_command,
	    (union journal_cb){ .command = fn }, arg, err);
}

int
journal_read_rollout(struct journal *j, int32_t from, int32_t to,
    journal_rollout_fn fn, void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_ROLLOUT, from, to, journal_row_rollout,
	    (union journal_cb){ .rollout = fn }, arg, err);
}

int
journal_read_days(struct journal *j, int32_t from, int32_t to,
    journal_day_fn fn, void *arg, struct errmsg *err)
{
	return journal_select(j, S_SEL_DAYS, from, to, journal_row_day,
	    (union journal_cb){ .day = fn }, arg, err);
}
