/*
 * journal.h -- the trading journal: every order event, fill, position
 * change, trading-state change and command, in an SQLite file.
 *
 * The journal is what a trader trusts after a crash: it is written on the
 * engine thread by the engine's recorder (journal_observe, the first of
 * its observers), one SQLite transaction per event, before the engine
 * acts on the event further.  It never calls the engine: what it needs
 * of the engine's books comes as plain data when a session begins
 * (journal_begin) and with each event (engine-ev.h).  A fill or a state
 * change is on disk (the write-ahead log is synced) when journal_observe
 * returns; other events are committed too but may wait for the next sync
 * (a process crash loses nothing committed, a power cut may lose the last
 * order acknowledgements but never a fill).
 *
 * The file is SQLite in WAL mode, so `tickdesk report` can read it while a
 * session writes.  The schema has a version (PRAGMA user_version) and a
 * table of migrations: an older journal is migrated when it is opened for
 * writing, a newer one is refused.  On open the file is checked (its header,
 * that it is a tickdesk journal, PRAGMA integrity_check: every page and
 * every index against its table); a damaged file is refused with a
 * message that says how to recover, never replaced by an empty one.
 * Every statement is prepared once, at open, with bound parameters:
 * nothing a person types or a data file holds is ever part of SQL text.
 *
 * Tables (one row per event; seq orders all rows of all tables):
 *   sessions     one row per journal_begin: mode, configuration, zone,
 *                the session it continues and when it ended cleanly
 *                (journal_end)
 *   instruments  the instruments of each session (for reports)
 *   strategies   the strategies of each session
 *   orders       every order event with all the order's fields: its
 *                bracket as text (journal_bracket_format), a stop-limit's
 *                limit price, the time in force ("gtc", "day", "ioc")
 *   fills        every fill, with its order's owner, role and type, its
 *                commission and the order's filled; its source ("venue":
 *                taken from the venue's book at a restart) and whether a
 *                restart voided it
 *   positions    every position change a fill made in a session,
 *                instrument and owner
 *   states       every trading-state change: from, to, who, why
 *   commands     every command line a person typed
 *   days         per session and trading day: P&L figures for a restart
 *   rollout      the rollout ladder (rollout.h): every stage entered, by
 *                whom and why, the evidence gathered in it (sessions,
 *                protective paths, each fill with its expected price and
 *                slippage) and its critical incidents
 * Every event row carries the engine time, the trading day and the
 * correlation id that ties it to a strategy intent or a command.
 *
 * Nothing here is global; a journal belongs to the thread that uses it.
 */
#ifndef TD_JOURNAL_H
#define TD_JOURNAL_H

#include "engine-ev.h"
#include "instrument.h"
#include "order-mgr.h"
#include "risk.h"
#include "rollout.h"

struct calendar;
struct errmsg;
struct journal;
struct stats_day;

/* The schema this tickdesk writes; journal_open migrates older ones. */
#define JOURNAL_SCHEMA_VERSION	7

/* "TDJ1": PRAGMA application_id of every tickdesk journal. */
#define JOURNAL_APP_ID		0x54444a31

#define JOURNAL_TEXT_MAX	512	/* a command line as read back */
#define JOURNAL_MODE_MAX	16
#define JOURNAL_PATH_MAX	1024
#define JOURNAL_BRACKET_MAX	256	/* journal_bracket_format's text */

/* journal_open flags. */
#define JOURNAL_CREATE		0x1	/* create the file when missing */
#define JOURNAL_READONLY	0x2	/* read only (reports): no lock */

/*
 * The default journal: $XDG_DATA_HOME/tickdesk/journal.db, else
 * ~/.local/share/tickdesk/journal.db ($HOME).  -1 with a message when
 * neither variable is set to an absolute path or buf is too small.
 */
int		 journal_default_path(char *buf, size_t len,
		     struct errmsg *err);

/*
 * Open the journal at path.  With JOURNAL_CREATE a missing file is created
 * (and its directory); the new file is built beside it and renamed into
 * place, so a file that exists is always a complete journal or a damaged
 * one.  Refused, NULL and a message naming the file:
 *   - an empty, truncated or corrupt file, or one that is not a tickdesk
 *     journal ("...: move it aside and restart ...");
 *   - a schema newer than this program ("journal.db: schema version 7 is
 *     newer than this tickdesk (4): upgrade tickdesk");
 *   - a journal another tickdesk is writing (not for JOURNAL_READONLY);
 *   - a missing file without JOURNAL_CREATE.
 * An older schema is migrated (not with JOURNAL_READONLY: refused).
 * Close with journal_close (NULL is fine).
 */
struct journal	*journal_open(const char *path, int flags,
		     struct errmsg *err);
void		 journal_close(struct journal *j);

const char	*journal_path(const struct journal *j);
/* The schema version of the file as it is now. */
int		 journal_schema_version(const struct journal *j);
/* Why the last write failed ("" when none has). */
const char	*journal_error(const struct journal *j);

/*
 * Migrations: create a new journal at path with the schema of version
 * (1 .. JOURNAL_SCHEMA_VERSION) and nothing else, as that version of
 * tickdesk made it.  For tests of migrations; -1 with a message.
 */
int		 journal_create_version(const char *path, int version,
		     struct errmsg *err);

/* ------------------------------------------------------------ writing */

struct journal_session_info {
	const char	*mode;		/* "backtest", "paper", "replay", ... */
	const char	*config;	/* configuration file, "" for none */
	int64_t		 resumes;	/* session this one continues, 0 */
	td_ns		 started;	/* wall clock; 0: the engine's time */
};

/* A strategy of the session, and its position as the session begins. */
struct journal_strategy {
	const char	*name;
	const char	*type;
	const char	*symbol;
	int		 inst;		/* its instrument's index */
	const int64_t	*position;	/* per instrument (ninst); NULL:
					   flat */
};

/*
 * The books a session begins on, as plain data (engine_journal takes
 * them from an engine).  The journal copies them, but for the calendar.
 */
struct journal_books {
	/*
	 * The first session template: its trading days and weeks stamp
	 * the rows, its zone the session.  Shared and read only; it must
	 * outlive the journal's use.
	 */
	const struct calendar	*cal;
	td_ns			 now;		/* when info->started is 0 */
	int			 ninst;
	const struct instrument	*inst;		/* names, commissions */
	const int64_t		*position;	/* the account's, per
						   instrument; NULL: flat */
	int			 nstrat;
	const struct journal_strategy *strat;
};

/*
 * Start a session: record it with its instruments and strategies.
 * Positions are counted on from those of the books, per instrument and
 * per owner (a strategy, or the trader: what the strategies do not hold).
 * Returns the session id, -1 with a message.
 */
int64_t		 journal_begin(struct journal *j,
		     const struct journal_session_info *info,
		     const struct journal_books *books, struct errmsg *err);
int64_t		 journal_session(const struct journal *j);

/*
 * The recorder (engine_observer_fn): write one event of the books
 * (EEV_BOOKS) in one transaction, with the day's figures of its account
 * (zeros when it has none) and, for a leg's fill, its entry's bracket as
 * the fill left it (engine_ev.bracket); other kinds are not the
 * journal's.  0 when it is committed; -1 when SQLite failed, with
 * SQLite's word in err (may be NULL) and journal_error: nothing of the
 * event is kept, and the engine halts.
 */
int		 journal_observe(void *arg, const struct engine_ev *ev,
		     struct errmsg *err);

/*
 * Record the closed session days (a backtest's day table), those without
 * any event too, so that a report counts every session day as a backtest
 * does.
 * A day the journal already has keeps its row.  Needs journal_begin; -1
 * with a message.
 */
int		 journal_note_days(struct journal *j,
		     const struct stats_day *days, size_t ndays,
		     struct errmsg *err);

/*
 * Restarts (engine_recover).  Fills written after journal_set_fill_source
 * (j, "venue") are marked as taken from the venue's book (NULL: back to
 * "engine").  journal_void_fill marks a fill the venue never made: the
 * readers skip it from then on.  -1 with a message.
 */
void		 journal_set_fill_source(struct journal *j,
		     const char *source);
int		 journal_void_fill(struct journal *j, int64_t seq,
		     struct errmsg *err);

/*
 * The clean end of the session (journal_begin's): the owner's orderly
 * shutdown records it, at ended (wall clock, above 0), synced, once the
 * engine has written its last event.  A session without it died (a
 * crash, a kill, a power cut) and its restart comes up HALTED
 * (engine_recover).  -1 with a message without a session or when SQLite
 * fails.
 */
int		 journal_end(struct journal *j, td_ns ended,
		     struct errmsg *err);

/* Events written since open. */
int64_t		 journal_events(const struct journal *j);

/*
 * Sync the log after every event (like synchronous=FULL for all), not only
 * after fills and state changes.  Off by default.
 */
void		 journal_sync_all(struct journal *j, bool on);

/* ------------------------------------------------------------ reading */

enum journal_order_event {
	JEV_CREATED,
	JEV_SUBMITTED,
	JEV_ACKNOWLEDGED,
	JEV_PARTIAL,		/* "partially-filled" */
	JEV_FILLED,
	JEV_CANCELLED,
	JEV_REJECTED,
	JEV_REPLACED,
	JEV_EXPIRED,
};

/* "created", ..., "partially-filled", ...; "?" when out of range. */
const char	*journal_event_name(enum journal_order_event ev);

struct journal_session {
	int64_t		 id;
	td_ns		 started;	/* wall clock */
	char		 mode[JOURNAL_MODE_MAX];
	char		 config[JOURNAL_PATH_MAX];
	char		 tz[64];	/* zone of the first session template */
	int64_t		 resumes;
	/*
	 * Wall clock of its clean end (journal_end); 0: none, it died or
	 * still runs; JOURNAL_ENDED_UNRECORDED: a session from before schema
	 * 7, which kept no record, taken as ended.
	 */
	td_ns		 ended;
};

#define JOURNAL_ENDED_UNRECORDED	(-1)

struct journal_instrument {
	int64_t		 session;
	int		 idx;
	struct instrument inst;		/* instrument_init done */
};

/*
 * An order row.  order.br, order.limit and order.tif are as written (since
 * schema 4).  A row written before (bracket, limit_price and tif NULL)
 * gives what it kept: the stop and the first target (ntargets 1 when it
 * has one, no quantity), limit 0 and GTC.
 */
struct journal_order {
	int64_t		 seq;
	int64_t		 session;
	td_ns		 time;
	int32_t		 day;		/* trading day, 0 when unknown */
	enum journal_order_event event;
	int		 from;		/* previous state, -1 none */
	char		 symbol[TD_SYMBOL_MAX];
	char		 owner_name[TD_NAME_MAX];
	struct order	 order;		/* as it was after the event */
};

struct journal_fill {
	int64_t		 seq;
	int64_t		 session;
	td_ns		 time;
	int32_t		 day;
	uint64_t	 corr;
	uint64_t	 order_id;
	int		 inst;
	char		 symbol[TD_SYMBOL_MAX];
	enum td_side	 side;
	int64_t		 qty;
	td_ticks	 price;
	struct td_owner	 owner;		/* as the session numbered them */
	char		 owner_name[TD_NAME_MAX];
	enum order_role	 role;
	enum order_type	 type;		/* the order's; mkt when an older
					   journal has no row of the order */
	td_cents	 commission;
	int64_t		 order_filled;	/* the order's filled after it */
	char		 reason[96];	/* exit reason for the trade ledger */
	char		 source[8];	/* "engine"; "venue": adopted at a
					   restart from the venue's book */
	/*
	 * The price range the instrument's open trade saw before this fill
	 * (engine_ev), 0 when it was flat or the journal is older.
	 */
	td_ticks	 trade_high, trade_low;
};

struct journal_position {
	int64_t		 seq;
	int64_t		 session;
	td_ns		 time;
	int32_t		 day;
	uint64_t	 corr;
	int		 inst;
	char		 symbol[TD_SYMBOL_MAX];
	struct td_owner	 owner;
	char		 owner_name[TD_NAME_MAX];
	int64_t		 change;	/* signed */
	int64_t		 position;	/* instrument's, after */
	int64_t		 owner_position;	/* owner's, after */
	td_ticks	 price;
};

struct journal_state {
	int64_t		 seq;
	int64_t		 session;
	td_ns		 time;
	int32_t		 day;
	uint64_t	 corr;
	enum trading_state from;
	enum trading_state to;
	char		 who[RISK_WHO_MAX];
	char		 why[RISK_WHY_MAX];
};

struct journal_command {
	int64_t		 seq;
	int64_t		 session;
	td_ns		 time;
	int32_t		 day;
	uint64_t	 corr;
	char		 line[JOURNAL_TEXT_MAX];
};

/*
 * A row of the rollout table; ev points into the row (its texts) and is
 * what rollout_apply takes.
 */
struct journal_rollout {
	int64_t		 seq;
	int64_t		 session;
	td_ns		 time;
	int32_t		 day;
	uint64_t	 corr;
	char		 event[16];
	char		 stage[TD_NAME_MAX];
	char		 to[TD_NAME_MAX];
	char		 who[ROLLOUT_TEXT_MAX];
	char		 what[ROLLOUT_TEXT_MAX];
	char		 symbol[TD_SYMBOL_MAX];
	struct rollout_event ev;
};

/* P&L of a session's trading day as of its last event (for a restart). */
struct journal_day {
	int64_t		 session;
	int32_t		 day;
	int32_t		 week;		/* its Monday, yyyymmdd */
	td_ns		 updated;	/* engine time of the last event */
	td_cents	 net;		/* account net of the session */
	td_cents	 day_pnl;
	td_cents	 day_peak;
	td_cents	 week_pnl;
	td_cents	 realized;	/* gross */
	td_cents	 commissions;
};

/*
 * Readers: call fn for each row, oldest first (by seq), of the trading
 * days from..to, yyyymmdd inclusive (0 for either end leaves it open;
 * rows of an unknown day, 0, are read when from is open).  fn returns 0
 * to go on, anything else to stop.  -1 with a message when SQLite fails
 * or a row cannot be read back: an order or fill of an unknown type or
 * time in force, a malformed bracket, or a bracket that disagrees with the
 * row's stop_ticks and target_ticks ("journal.db: orders row 12: bracket
 * "stop 8; targets 8x1 16x": target 2: "16x" is not ticks or
 * ticksxquantity (16, 16x2)").  Rows before it were handed to fn; none
 * after.
 */
typedef int	(*journal_session_fn)(void *, const struct journal_session *);
typedef int	(*journal_instrument_fn)(void *,
		    const struct journal_instrument *);
typedef int	(*journal_order_fn)(void *, const struct journal_order *);
typedef int	(*journal_fill_fn)(void *, const struct journal_fill *);
typedef int	(*journal_position_fn)(void *,
		    const struct journal_position *);
typedef int	(*journal_state_fn)(void *, const struct journal_state *);
typedef int	(*journal_command_fn)(void *, const struct journal_command *);
typedef int	(*journal_day_fn)(void *, const struct journal_day *);
typedef int	(*journal_rollout_fn)(void *, const struct journal_rollout *);

int		 journal_read_sessions(struct journal *j,
		     journal_session_fn fn, void *arg, struct errmsg *err);
int		 journal_read_instruments(struct journal *j,
		     journal_instrument_fn fn, void *arg, struct errmsg *err);
int		 journal_read_orders(struct journal *j, int32_t from,
		     int32_t to, journal_order_fn fn, void *arg,
		     struct errmsg *err);
int		 journal_read_fills(struct journal *j, int32_t from,
		     int32_t to, journal_fill_fn fn, void *arg,
		     struct errmsg *err);
int		 journal_read_positions(struct journal *j, int32_t from,
		     int32_t to, journal_position_fn fn, void *arg,
		     struct errmsg *err);
int		 journal_read_states(struct journal *j, int32_t from,
		     int32_t to, journal_state_fn fn, void *arg,
		     struct errmsg *err);
int		 journal_read_commands(struct journal *j, int32_t from,
		     int32_t to, journal_command_fn fn, void *arg,
		     struct errmsg *err);
int		 journal_read_days(struct journal *j, int32_t from,
		     int32_t to, journal_day_fn fn, void *arg,
		     struct errmsg *err);
int		 journal_read_rollout(struct journal *j, int32_t from,
		     int32_t to, journal_rollout_fn fn, void *arg,
		     struct errmsg *err);

/*
 * The bracket column: a bracket as a trader reads it, its parts in this
 * order, each left out when all its numbers are 0:
 *
 *   stop 8; targets 8x1 16x1 24x1; breakeven 6+1; trail 10/2/6
 *
 * stop N: the stop, N ticks away.  targets T[xQ] ...: one to OM_MAX_TARGETS
 * targets, T ticks away, Q its quantity ("16" alone: no quantity given).
 * breakeven T+O or T-O: at T ticks of profit the stops go to the entry
 * price plus O (minus).  trail T/S/D: from T ticks of profit the stops
 * follow D ticks behind the best price, S ticks at a time.  "none" when
 * nothing is set.  Parts are separated by "; ", words by one space;
 * numbers are decimal without leading zeros.
 *
 * journal_bracket_format writes br (len at least JOURNAL_BRACKET_MAX is
 * always enough); journal_bracket_parse reads exactly that form back into
 * br.  Both refuse, -1 with a message, a bracket the order manager would
 * not take (order_mgr_check_bracket), and the parser anything not in the
 * form ("bracket "stop 8;targets 16": stop: "8;targets 16" is not a
 * number of ticks").  Targets past br->ntargets are not kept.
 */
int		 journal_bracket_format(const struct bracket *br, char *buf,
		     size_t len, struct errmsg *err);
int		 journal_bracket_parse(const char *s, struct bracket *br,
		     struct errmsg *err);

#endif
