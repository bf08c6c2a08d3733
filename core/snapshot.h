/*
 * snapshot.h -- what the console sees of the engine: a plain value with
 * tables sized for the engine it describes.
 *
 * The engine thread fills a struct snapshot (engine_snapshot: the engine's
 * own state, then each observer's part -- the blotter and sparklines of
 * snap-obs.h, the counters and timings of health-obs.h) at most about 30
 * times a second and hands a copy over; the console draws from its copy
 * and never touches the engine.  The fixed part is inline; the tables
 * (instruments, strategies, working orders, blotter rows) are arrays
 * taken at snapshot_create for the sizes the engine and its observers
 * ask for (engine_snapshot_sizes), so that filling and copying one
 * (snapshot_copy, only the rows in use) allocate nothing.  A copy is a
 * separate value that can be read on another thread.  Money is in cents
 * and prices in ticks; prices also come pre-formatted for the instrument
 * so the console needs no instrument arithmetic.
 */
#ifndef TD_SNAPSHOT_H
#define TD_SNAPSHOT_H

#include <stdbool.h>

#include "types.h"
#include "venue.h"

struct errmsg;

/*
 * A snapshot holds at most this many working orders, the oldest; an
 * engine with more says how many there are in all (nworking), so the
 * orders command can say how many it does not show.  The shipped
 * configuration's order capacity (venue.max_orders, 1024) fits whole.
 */
#define SNAPSHOT_ORDERS_MAX	1024

#define SNAP_SPARK		120	/* last 1-minute closes per instrument */
#define SNAP_PX			24	/* a formatted price */
#define SNAP_STAGES		5	/* timed stages, enum snap_stage */
#define SNAP_BREAKERS		4	/* enum breaker_kind */
#define SNAP_SINKS		4	/* alert sinks */
#define SNAP_TARGETS		8	/* targets listed per position */
#define SNAP_PROTECT		80	/* a position's protection, as text */
#define SNAP_CANDLES		960	/* last bars per instrument, the chart */
#define SNAP_MARKS		64	/* last fills per instrument, the chart */
#define SNAP_EQUITY		240	/* points of the session's equity curve */

enum snap_mode {
	SNAP_BACKTEST,
	SNAP_REPLAY,
	SNAP_PAPER,
	SNAP_LIVE,
};

enum snap_strat_run {
	SNAP_RUNNING,		/* enabled and its session is open */
	SNAP_WAITING,		/* enabled, waiting for its session */
	SNAP_DISABLED,
	SNAP_ERRORED,
};

/* A bar as the engine heard it (EEV_BAR), for the chart pane. */
struct snap_candle {
	td_ns		 start;
	td_ns		 end;
	td_ticks	 open;
	td_ticks	 high;
	td_ticks	 low;
	td_ticks	 close;
};

/* A fill, for the chart: an entry, or an exit (stop, target, exit). */
struct snap_mark {
	td_ns		 time;
	td_ticks	 price;
	bool		 buy;
	bool		 exit;
};

/* A point of the equity curve: the account's net P&L at a time. */
struct snap_point {
	td_ns		 time;
	td_cents	 net;
};

struct snap_inst {
	char		 symbol[TD_SYMBOL_MAX];
	int64_t		 position;	/* signed */
	char		 avg[SNAP_PX];	/* average price, "" when flat */
	char		 last[SNAP_PX];	/* "" before the first price */
	td_ticks	 last_ticks;
	td_cents	 unrealized;
	td_cents	 realized;	/* gross, for the session */
	td_cents	 commissions;	/* for the session */
	/*
	 * Its protection: the working exits that would close it, not on
	 * their way out (order_mgr_cover).  stop_cover is what
	 * order_mgr_protected counts, its stops and market exits; naked
	 * when that is less than the position.  Flat: all 0.
	 */
	int64_t		 stop_cover;	/* stop_qty + exit_qty */
	int64_t		 stop_qty;	/* its stops (role stop) */
	int64_t		 exit_qty;	/* its market exits (flatten, close) */
	int		 ntargets;	/* its targets, all of them */
	int64_t		 target[SNAP_TARGETS];	/* the first targets' left
						   quantities, oldest first */
	bool		 naked;		/* position larger than its cover */
	/*
	 * The same as text, for the positions pane and command: "stops
	 * 3/3 targets 1+1+1", "stops 0/1 closing 1", "stops cover 2 of 3
	 * targets 1 NOT PROTECTED"; "" when flat.
	 */
	char		 protect[SNAP_PROTECT];
	td_ns		 last_md;	/* time of the last market data */
	/*
	 * The stale-feed guard's figure for this feed (risk_feed_late) at
	 * the engine's clock: the later of the last event and the last
	 * time the guard was given (engine_advance).
	 */
	bool		 md_watched;	/* session open and data seen */
	bool		 md_bars;	/* bars; else ticks */
	td_ns		 md_late;	/* how late its next event is;
					   < 0: due in -md_late */
	char		 phase[16];	/* "pre-open", "open", "closed", ... */
	int		 nspark;	/* snap-obs.h */
	td_ticks	 spark[SNAP_SPARK];	/* oldest first */
	/*
	 * The chart's (snap-obs.h): the bars heard so far (bars, a count
	 * that only grows, so a pane redraws only when it moves), the last
	 * ncandle of them and the last nmark fills, oldest first.  The
	 * engine's: the tick size (to label prices) and the regular
	 * session's open of the current trading day (0: none).
	 */
	uint64_t	 bars;
	int		 ncandle;
	struct snap_candle candle[SNAP_CANDLES];
	uint64_t	 fills;
	int		 nmark;
	struct snap_mark mark[SNAP_MARKS];
	td_px		 tick_size;
	td_ns		 rth_open;
};

struct snap_strat {
	char			 name[TD_NAME_MAX];
	char			 type[TD_NAME_MAX];
	char			 symbol[TD_SYMBOL_MAX];
	enum snap_strat_run	 run;
	int64_t			 position;
	td_cents		 day_pnl;
	/* Its opening_range_minutes parameter (SimpleORB), 0: none. */
	int64_t			 range_minutes;
	/*
	 * The sentiment it trades on: the latest value of the series its
	 * first news filter reads (source "news"), else of its
	 * instrument's news sentiment (the market's when the instrument
	 * has none), TD_DATA_SCALE per 1, and its time (the age is now
	 * less that); sentiment_at 0: none heard.
	 */
	int64_t			 sentiment;
	td_ns			 sentiment_at;
};

/*
 * How an order protects a position: its role, the entry whose fills a
 * bracket leg protects (parent) and the OCO group of a stop and its
 * target (the group id, an order id; 0 = none).
 */
struct snap_order {
	uint64_t	 id;
	char		 symbol[TD_SYMBOL_MAX];
	char		 side[5];	/* "buy", "sell" */
	char		 type[8];	/* "mkt", "lmt", "stp", "stplmt" */
	char		 role[8];	/* "entry", "stop", "target", "exit" */
	char		 state[12];	/* order_state_name */
	char		 owner[TD_NAME_MAX];	/* strategy name or "manual" */
	char		 tif[4];	/* "GTC", "DAY", "IOC" */
	uint64_t	 parent;	/* a leg's entry, 0 = none */
	uint64_t	 oco;		/* its OCO group, 0 = none */
	int64_t		 qty;
	int64_t		 filled;
	char		 price[SNAP_PX];	/* "" for market orders; a
						   stop-limit's stop */
	char		 limit[SNAP_PX];	/* a stop-limit's limit or "" */
	td_ticks	 px;		/* price (a stop-limit's stop) in
					   ticks; 0 for market orders */
	td_ns		 time;		/* last change */
};

/*
 * One blotter row: an order changing state, or a fill.  The order's
 * role, parent, OCO group and time in force come with every row (see
 * struct snap_order).
 */
struct snap_blot {
	td_ns		 time;
	uint64_t	 id;
	bool		 fill;
	char		 symbol[TD_SYMBOL_MAX];
	char		 side[5];
	char		 type[8];
	char		 role[8];
	char		 tif[4];
	uint64_t	 parent;
	uint64_t	 oco;
	int64_t		 qty;
	char		 price[SNAP_PX];	/* the fill's, or the order's */
	char		 limit[SNAP_PX];	/* a stop-limit's limit (not on
						   fills), else "" */
	char		 state[12];	/* new state, or "fill" */
	char		 owner[TD_NAME_MAX];
};

/* The stages of a market event timed with health.latency. */
enum snap_stage {
	SNAP_STAGE_ON_BAR,	/* strategies on a bar or tick, their orders
				   included */
	SNAP_STAGE_RISK,	/* risk_check of one order */
	SNAP_STAGE_SIZING,	/* the sizer for one entry */
	SNAP_STAGE_SUBMIT,	/* order manager and venue for one order */
	SNAP_STAGE_EVENT,	/* a whole market event */
};

/* One stage's durations (ns); all 0 when nothing was timed. */
struct snap_latency {
	int64_t		 count;
	int64_t		 sum;
	td_ns		 p50;		/* within 25% (latency.h) */
	td_ns		 p99;
	td_ns		 max;		/* exact */
};

/* A circuit breaker (breaker.h), in enum breaker_kind order. */
struct snap_breaker {
	char		 name[16];
	bool		 on;		/* its threshold is not 0 */
	bool		 tripped;
	td_ns		 when;		/* engine time of the trip */
	char		 why[160];
	int64_t		 level;		/* count in the window, or P&L swing
					   in cents */
	int64_t		 limit;
	td_ns		 window;
};

struct snap_alert_sink {
	char		 name[16];
	char		 min[12];	/* least severity sent */
	int64_t		 sent;
	int64_t		 retries;
	int64_t		 failed;
	int64_t		 dropped;
	int		 queued;
	bool		 failing;
	char		 last_error[128];
};

/* The alert hub's counters (alert.h); on false: the engine has none. */
struct snap_alerts {
	bool		 on;
	int64_t		 raised;
	int64_t		 suppressed;
	int64_t		 dropped;
	int64_t		 sent;
	int64_t		 failed;
	int		 queued;
	int		 capacity;
	int		 nsinks;
	struct snap_alert_sink sink[SNAP_SINKS];
};

/*
 * The rows a snapshot's tables hold: the engine's instruments and
 * strategies, its working orders (up to SNAPSHOT_ORDERS_MAX) and the
 * blotter rows of the observer that keeps them (snap-obs.h).
 */
struct snapshot_sizes {
	int		 ninst;
	int		 nstrat;
	int		 orders;
	int		 blotter;
};

/* A gauge: used against limit; limit 0 = no limit. */
struct snap_gauge {
	int64_t		 used;
	int64_t		 limit;
};

struct snapshot {
	uint64_t	 seq;		/* increases with every snapshot */
	td_ns		 now;		/* engine (exchange) time */
	enum snap_mode	 mode;
	char		 venue[16];
	enum venue_conn	 venue_conn;	/* up, connecting, lost */
	td_ns		 venue_heard;	/* its counterparty last spoke (UTC);
					   0: never, or no session */
	int		 feed_conn;	/* a live feed's link (enum feed_conn),
					   -1: a feed without one */
	td_ns		 feed_heard;	/* its counterparty last spoke (UTC) */
	char		 state[12];	/* ACTIVE, REDUCING, HALTED, KILLED */
	char		 state_who[TD_NAME_MAX];
	char		 state_why[96];
	td_ns		 state_when;
	/* The rollout stage (rollout.h): its name and index of nstages;
	   rollout_stages 0: no rollout. */
	char		 rollout[TD_NAME_MAX];
	int		 rollout_stage;
	int		 rollout_stages;
	char		 session[16];	/* phase of the first instrument */
	char		 tz[64];	/* exchange time zone for display */
	double		 speed;		/* replay speed, 0 = max */
	bool		 paused;
	bool		 finished;	/* the feed has ended */
	int32_t		 closed_day;	/* last session closed, yyyymmdd */

	td_cents	 day_pnl;	/* net: realized - commissions + the
					   move of unrealized, today */
	td_cents	 week_pnl;	/* net, this week */
	td_cents	 realized;	/* gross, for the session */
	td_cents	 unrealized;
	td_cents	 commissions;	/* for the session */

	struct snap_gauge daily_loss;	/* cents */
	struct snap_gauge weekly_loss;	/* cents */
	struct snap_gauge positions;
	struct snap_gauge contracts;	/* largest instrument */
	struct snap_gauge order_rate;	/* orders in the throttle window */
	td_ns		 stale_after;	/* 0 = no stale-feed guard */

	int64_t		 events;	/* health-obs.h: market events */
	int64_t		 rejects;	/* ... and orders refused */
	int64_t		 dropped_logs;		/* by the display's log queue */
	int64_t		 dropped_debug_logs;	/* ... of them debug lines */
	int64_t		 dropped_file_logs;	/* by the log file's queue */
	int64_t		 dropped_file_debug;	/* ... of them debug lines */
	int64_t		 dropped_snapshots;
	char		 env[16];	/* configuration environment, "" */

	/* Health (status, /metrics); the engine fills these ... */
	bool		 latency_on;
	struct snap_latency latency[SNAP_STAGES];	/* health-obs.h */
	struct snap_breaker breakers[SNAP_BREAKERS];
	struct snap_alerts alerts;
	/* ... and the runner these (0 without a runner). */
	td_ns		 uptime;	/* since the engine thread started */
	int		 cmd_queue;	/* commands waiting */
	int		 cmd_capacity;
	int		 log_queue;	/* log lines waiting for the screen */
	int		 log_capacity;
	bool		 feed_live;	/* paced by arrival, not a replay */
	td_ns		 feed_quiet;	/* live: wall time since its last
					   event (since the start before
					   the first) */
	/*
	 * A replay's place in its data, for the status bar's slider (the
	 * runner's, feed_progress): replay_done of replay_total (bytes of
	 * its files, days of the demo); total 0: it cannot tell.  seeking:
	 * a `replay goto` or `replay step bar` is under way.
	 */
	int64_t		 replay_done;
	int64_t		 replay_total;
	bool		 seeking;
	int		 resets;	/* seeks back: the clock went back */
	/*
	 * The account's net P&L (realized + unrealized - commissions, the
	 * engine's) and its curve over the session, oldest first, sampled
	 * at each snapshot, at most one point a minute of exchange time
	 * (snap-obs.h; halved when full, so it spans the whole session).
	 */
	td_cents	 net;
	int		 nequity;
	struct snap_point equity[SNAP_EQUITY];

	/*
	 * The tables: cap rows taken at snapshot_create, the first n of
	 * each in use.  Every instrument and strategy of the engine is
	 * there; the working orders are the oldest norders of nworking.
	 */
	struct snapshot_sizes cap;
	int		 ninst;
	struct snap_inst *inst;
	int		 nstrat;
	struct snap_strat *strat;
	int		 norders;	/* in orders[], oldest first */
	int		 nworking;	/* working orders in all, >= norders */
	struct snap_order *orders;
	int		 nblot;		/* newest first; snap-obs.h */
	struct snap_blot *blot;
};

/*
 * A snapshot with tables of the given sizes (NULL: none, for a copy that
 * snapshot_resize or runner_snapshot sizes later), all zero.  NULL and a
 * message when a size is negative or memory runs out.  Free with
 * snapshot_free (NULL is fine).
 */
struct snapshot	*snapshot_create(const struct snapshot_sizes *sz,
		     struct errmsg *err);
void		 snapshot_free(struct snapshot *s);
/*
 * New tables of the given sizes for s, empty (the fixed part is kept).
 * -1 and a message as snapshot_create; s is then as it was.
 */
int		 snapshot_resize(struct snapshot *s,
		     const struct snapshot_sizes *sz, struct errmsg *err);
/* True when each of s's tables has at least the rows sz asks for. */
bool		 snapshot_holds(const struct snapshot *s,
		     const struct snapshot_sizes *sz);
/* Zero s, keeping its tables (empty) and their sizes. */
void		 snapshot_clear(struct snapshot *s);
/*
 * Copy a name into a snapshot's field of len bytes, cut to fit (NULL
 * src: ""); snapshot_name_upper in capitals ("gtc" -> "GTC").
 */
void		 snapshot_name(char *dst, size_t len, const char *src);
void		 snapshot_name_upper(char *dst, size_t len, const char *src);
/*
 * Make dst a copy of src, rows in use only; allocates nothing.  -1 when
 * dst's tables are too small for src's rows (dst is left as it was:
 * snapshot_resize it to src->cap).
 */
int		 snapshot_copy(struct snapshot *dst, const struct snapshot *src);

#endif
