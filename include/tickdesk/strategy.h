/*
 * strategy.h -- the strategy interface: a table of callbacks, and the
 * calls a strategy makes back into the engine through its context.
 *
 * A strategy sees market data, session boundaries and every event of its
 * own orders, and answers with orders: it submits, modifies and cancels
 * them through handles, or asks for the two conveniences that say what it
 * means ("enter long with an 8-tick stop", "close my position").  Either
 * way an order takes the road of a manual one -- the sizer when it gives
 * no quantity, the risk manager, the order manager (which keeps the
 * protection invariants: exits only reduce, brackets protect what opens)
 * and the venue -- so a strategy cannot tell a backtest from a live
 * session.
 *
 * Each strategy is one core/strat-*.c file exporting a const struct
 * strategy_ops; strat-minimal.c is the skeleton to copy.  A callback
 * returns 0, or -1 after filling err (strat_error): the engine then
 * disables that strategy alone and carries on.  Callbacks left NULL are
 * skipped.  This header needs nothing but the C library and types.h: a
 * strategy built outside the tree is written against it alone.
 *
 * The contract, which the engine holds every strategy to: the calls
 * below are made only from inside the strategy's own callbacks, on the
 * thread that runs them, with the context they were given -- never from
 * another thread, never through a context kept for later.  Such a call
 * is refused (its neutral answer: -1, 0, "" or NULL) and the strategy
 * disabled.  It is disabled too when a callback fails or returns other
 * than 0 or -1, and when it acts on what is not its own (another's
 * order, an instrument outside its subscriptions); a request that makes
 * no sense (a bad side, type, quantity or price, a handle of no order, a
 * subscription after start) is refused as invalid and counted, and the
 * STRAT_MAX_INVALID-th of a trading day disables it.  Disabled, a
 * strategy hears nothing more; its working entries are cancelled, its
 * stops and targets stay, and a position of it they do not protect is
 * closed at market.  The trader may enable it again: a new instance.
 */
#ifndef TD_STRATEGY_H
#define TD_STRATEGY_H

#include "types.h"

/*
 * The version of this interface.  A strategy table says which version it
 * was written against (strategy_ops.abi); the registry refuses any other.
 */
#define TD_STRATEGY_ABI		2

/* Requests refused as invalid in a trading day that disable a strategy. */
#define STRAT_MAX_INVALID	3

struct errmsg;
struct strat_ctx;

/* ------------------------------------------------------------ parameters */

/*
 * A strategy declares its tunable parameters in a table; the
 * configuration (a strategy group's params), `strategy set` in the desk
 * and `tickdesk config keys` read and check them by their type:
 *   STRAT_PARAM_INT	a whole number in min..max;
 *   STRAT_PARAM_DECIMAL	a number with at most scale (1..9) decimals,
 *			held as an integer: 0.65 with scale 2 is 65; min,
 *			max and def are held the same way;
 *   STRAT_PARAM_BOOL	true or false, held as 1 or 0;
 *   STRAT_PARAM_ENUM	one of names (NULL ended), held as its index;
 *   STRAT_PARAM_STRING	text of min..max characters (max below
 *			STRAT_STRING_MAX), default def_text.
 * A strategy reads its values with strat_param and strat_param_text.
 */
#define STRAT_MAX_PARAMS	16
#define STRAT_MAX_STRINGS	4	/* of them strings */
#define STRAT_STRING_MAX	64	/* a string parameter with its NUL */

enum strat_param_type {
	STRAT_PARAM_INT,
	STRAT_PARAM_DECIMAL,
	STRAT_PARAM_BOOL,
	STRAT_PARAM_ENUM,
	STRAT_PARAM_STRING,
};

struct strat_param {
	const char		*name;
	enum strat_param_type	 type;
	int64_t			 def;
	int64_t			 min;
	int64_t			 max;
	int			 scale;		/* DECIMAL */
	const char *const	*names;		/* ENUM */
	const char		*def_text;	/* STRING; NULL is "" */
	const char		*unit;
	const char		*text;
};

/* ---------------------------------------------------------------- data */

/*
 * What a subscription delivers for one instrument:
 *   STRAT_TICKS		every trade (on_tick);
 *   STRAT_MINUTES, 1		the instrument's bars as the feed gives them
 *				(1-minute bars), or 1-minute bars the engine
 *				builds from its ticks;
 *   STRAT_MINUTES, N		N-minute bars the engine builds from those;
 *   STRAT_SECONDS, N		N-second bars the engine builds from ticks
 *				(none from a feed of bars).
 * Built bars are aligned to midnight UTC (barbuild.h) and delivered once
 * the first event after their end shows that they are complete.
 */
enum strat_bar_unit {
	STRAT_TICKS,
	STRAT_SECONDS,
	STRAT_MINUTES,
};

struct strat_bar_type {
	enum strat_bar_unit	 unit;
	int			 length;	/* 1..86400 s, 1..1440 min */
};

/* A handle on one subscription; the configured one is 0. */
struct strat_sub {
	int		 id;
};

#define STRAT_MAX_HISTORY	100000
#define STRAT_MAX_SOURCES	8	/* data sources a strategy hears */

/* ---------------------------------------------------------------- timers */

/*
 * A timer of the strategy: once at an instant, every day at a time of day
 * in an instrument's exchange time zone (its session days only), or every
 * N seconds.  Timers fire in time order with the session boundaries,
 * whether or not market data arrives: with market data, before the first
 * event that starts at or after their time; without, when the engine's
 * clock passes them (engine_advance).  The engine's time is then the
 * timer's.  A repeating timer fires at each of its times, those without
 * market data too (an every-5-seconds timer fires through a weekend).
 */
#define STRAT_MAX_TIMERS	16	/* armed at once, per strategy */

struct strat_timer {
	int		 id;		/* 0 is none */
};

/* ---------------------------------------------------------------- orders */

enum strat_order_type {
	STRAT_MARKET,
	STRAT_LIMIT,
	STRAT_STOP,
	STRAT_STOP_LIMIT,	/* at price it becomes a limit at limit */
};

/* GTC until filled or cancelled; DAY ends at the session close; IOC
 * takes what the first market event can fill and the rest ends. */
enum strat_tif {
	STRAT_GTC,
	STRAT_DAY,
	STRAT_IOC,
};

#define STRAT_MAX_TARGETS	3

/*
 * A bracket an entry carries (a NinjaTrader ATM strategy): distances in
 * ticks from the entry's first fill, a stop and up to three targets, each
 * target with its share of the quantity; a breakeven move of the stops
 * (trigger ticks in profit, offset ticks beyond the entry) and a trailing
 * stop (distance ticks behind the best price once trigger is reached,
 * moving step ticks at a time).  0 switches a part off.
 */
struct strat_bracket {
	int32_t		 stop_ticks;
	int		 ntargets;
	int32_t		 target_ticks[STRAT_MAX_TARGETS];
	int64_t		 target_qty[STRAT_MAX_TARGETS];
	int32_t		 be_trigger;
	int32_t		 be_offset;
	int32_t		 trail_trigger;
	int32_t		 trail_step;
	int32_t		 trail_dist;
};

/* A handle: the id of one of the strategy's orders; 0 is none. */
struct strat_order {
	uint64_t	 id;
};

struct strat_order_req {
	int			 inst;
	enum td_side		 side;
	enum strat_order_type	 type;
	int64_t			 qty;		/* 0: the sizer decides */
	td_ticks		 price;		/* limit or stop; not market */
	td_ticks		 limit;		/* a stop-limit's limit */
	enum strat_tif		 tif;
	/*
	 * Protection for what the order opens: the bracket template of this
	 * name (tickdesk.conf(5) atm), else *bracket, else none.  A strategy
	 * configured with an atm template gets that one instead of its own.
	 */
	const char		*atm;
	const struct strat_bracket *bracket;
	const char		*why;		/* for the log and journal */
};

enum strat_order_role {
	STRAT_ROLE_ENTRY,	/* opens or adds to a position */
	STRAT_ROLE_STOP,	/* a bracket's protective stop */
	STRAT_ROLE_TARGET,	/* a bracket's target */
	STRAT_ROLE_EXIT,	/* closes: reduce-only */
};

enum strat_order_ev_kind {
	STRAT_ORDER_ACCEPTED,	/* the venue took it: working */
	STRAT_ORDER_REJECTED,	/* the venue refused it: reason */
	STRAT_ORDER_CANCELLED,	/* it ended unfilled: reason ("expired
				   ..." for DAY and IOC orders) */
	STRAT_ORDER_PARTIAL,	/* part filled: fill_qty at fill_price */
	STRAT_ORDER_FILLED,	/* the last of it filled */
	STRAT_ORDER_MODIFIED,	/* its quantity or price changed */
	STRAT_ORDER_REFUSED,	/* a cancel or modify was refused: reason */
};

/* One event of one of the strategy's orders, bracket legs included. */
struct strat_order_ev {
	enum strat_order_ev_kind kind;
	struct strat_order	 order;
	struct strat_order	 parent;	/* a leg's entry; 0 otherwise */
	enum strat_order_role	 role;
	int			 inst;
	enum td_side		 side;
	enum strat_order_type	 type;
	int64_t			 qty;		/* its quantity now */
	int64_t			 filled;	/* of it so far */
	td_ticks		 price;		/* its limit or stop */
	int64_t			 fill_qty;	/* PARTIAL, FILLED */
	td_ticks		 fill_price;
	int64_t			 position;	/* the strategy's on inst */
	const char		*reason;	/* "" when none */
	td_ns			 time;
};

/* ---------------------------------------------------------------- intents */

enum intent_kind {
	INTENT_ENTER,		/* open a position at market with a bracket */
	INTENT_EXIT,		/* close this strategy's position at market */
};

struct intent {
	enum intent_kind kind;
	int		 inst;
	enum td_side	 side;
	int64_t		 qty;		/* 0: the sizer decides */
	int32_t		 stop_ticks;	/* bracket stop distance, 0 = none */
	int32_t		 target_ticks;	/* bracket target distance, 0 = none */
	const char	*why;		/* short text for the log and journal */
};

/* A regular session of one of the strategy's instruments. */
struct strat_session {
	int		 inst;
	int32_t		 day;		/* trading day, yyyymmdd */
	td_ns		 open;		/* this session's open */
	td_ns		 close;		/* and its close (early close honoured) */
};

struct strategy_ops {
	int			 abi;		/* TD_STRATEGY_ABI */
	const char		*name;
	const char		*summary;
	const struct strat_param *params;	/* ends with a NULL name */

	/*
	 * A new instance, its parameters read with strat_param (the engine
	 * has not started: orders, subscriptions and timers are refused
	 * here; strat_param, strat_param_text, strat_inst and strat_log are
	 * what make sense).  NULL and a message to refuse.
	 */
	void	*(*create)(struct strat_ctx *ctx, struct errmsg *err);
	void	 (*destroy)(void *self);
	int	 (*start)(void *self, struct strat_ctx *ctx,
		    struct errmsg *err);
	int	 (*on_bar)(void *self, struct strat_ctx *ctx,
		    struct strat_sub sub, const struct td_bar *bar,
		    struct errmsg *err);
	int	 (*on_tick)(void *self, struct strat_ctx *ctx,
		    struct strat_sub sub, const struct td_tick *tick,
		    struct errmsg *err);
	int	 (*on_order)(void *self, struct strat_ctx *ctx,
		    const struct strat_order_ev *ev, struct errmsg *err);
	/* A timer fired; when is the time it was set for. */
	int	 (*on_timer)(void *self, struct strat_ctx *ctx,
		    struct strat_timer t, td_ns when, struct errmsg *err);
	/* A data event of a source the strategy subscribed to. */
	int	 (*on_data)(void *self, struct strat_ctx *ctx,
		    const struct td_data *d, struct errmsg *err);
	int	 (*on_session_open)(void *self, struct strat_ctx *ctx,
		    const struct strat_session *s, struct errmsg *err);
	int	 (*on_session_close)(void *self, struct strat_ctx *ctx,
		    const struct strat_session *s, struct errmsg *err);
	void	 (*stop)(void *self, struct strat_ctx *ctx);
};

/* What a strategy may ask of the engine from inside a callback. */
td_ns		 strat_now(const struct strat_ctx *ctx);
/*
 * Parameter i (its index in ops->params) as held (see STRAT_PARAM_*), and
 * a string parameter's text ("" for the other types).
 */
int64_t		 strat_param(const struct strat_ctx *ctx, int i);
/* The text stays valid while the instance lives. */
const char	*strat_param_text(const struct strat_ctx *ctx, int i);
/* Fill a callback's err with a formatted message; always returns -1. */
int		 strat_error(struct errmsg *err, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));
/*
 * The text of err: why a call refused ("price must be positive"), or ""
 * (NULL: "").  A strategy, which does not see struct errmsg, lends a
 * call the err its callback was given and reads the reason here; it
 * lives as long as that err, until the next call that fills it.
 */
const char	*strat_errmsg(const struct errmsg *err);
/*
 * The engine's index of an instrument by symbol (NULL: the strategy's
 * configured one), or -1 when the engine has none of that name.
 */
int		 strat_inst(const struct strat_ctx *ctx, const char *symbol);
/*
 * Subscribe, from start only (later: refused as invalid), to an
 * instrument (symbol; NULL: the configured one) and a bar type, keeping
 * the last history bars (0..STRAT_MAX_HISTORY; ticks keep none) for
 * strat_bar.  Subscribing again
 * to the same instrument and type gives the same handle, its history the
 * larger of the two.  Every strategy has subscription 0: its configured
 * instrument's 1-minute bars, and their ticks when it has an on_tick.
 * 0 and the handle, or -1 and the reason.
 */
int		 strat_subscribe(struct strat_ctx *ctx, const char *symbol,
		     struct strat_bar_type type, int history,
		     struct strat_sub *out, struct errmsg *err);
/*
 * Hear the data events of a source (from start only, as strat_subscribe;
 * "*": every source).
 * 0, or -1 and the reason (more than STRAT_MAX_SOURCES, a bad name).
 */
int		 strat_subscribe_data(struct strat_ctx *ctx,
		     const char *source, struct errmsg *err);
/*
 * Timers (see above): 0 and the handle, or -1 and the reason (a bad time,
 * STRAT_MAX_TIMERS armed already).  strat_timer_at fires every session
 * day of inst at hour:min:sec in its exchange's time zone; _once at t
 * (a time already passed fires at the next chance); _every each time
 * that many seconds have passed, the first time from now.  A once timer
 * is gone when it has fired.
 */
int		 strat_timer_at(struct strat_ctx *ctx, int inst, int hour,
		     int min, int sec, struct strat_timer *out,
		     struct errmsg *err);
int		 strat_timer_once(struct strat_ctx *ctx, td_ns t,
		     struct strat_timer *out, struct errmsg *err);
int		 strat_timer_every(struct strat_ctx *ctx, int seconds,
		     struct strat_timer *out, struct errmsg *err);
/* Disarm a timer; 0, or -1 when it is not armed (fired, or unknown). */
int		 strat_timer_cancel(struct strat_ctx *ctx,
		     struct strat_timer t);
/* The instrument of a subscription, or -1 for no such handle. */
int		 strat_sub_inst(const struct strat_ctx *ctx,
		     struct strat_sub sub);
/*
 * A bar of a subscription's history: ago 0 is the last one delivered, 1
 * the one before; NULL beyond what it holds.  The pointer is good until
 * the next bar of that subscription.
 */
const struct td_bar *strat_bar(const struct strat_ctx *ctx,
		     struct strat_sub sub, int ago);
/* How many bars a subscription's history holds now. */
int		 strat_bars(const struct strat_ctx *ctx, struct strat_sub sub);
/* The strategy's own position on an instrument (signed). */
int64_t		 strat_position(const struct strat_ctx *ctx, int inst);
/*
 * Send an order (see struct strat_order_req): 0 and its handle in *out
 * (set before any event of it is heard), or -1 and the reason when it
 * was refused before reaching the venue (the sizer, the risk manager,
 * the order manager's rules; a bad request, refused as invalid; an
 * instrument outside its subscriptions, which disables the strategy).
 * An order against the account's position is split by the engine: the
 * part that closes goes as an exit, reported under its own id, and *out
 * is the opening part.
 */
int		 strat_submit(struct strat_ctx *ctx,
		     const struct strat_order_req *req, struct strat_order *out,
		     struct errmsg *err);
/*
 * Change a working order of this strategy: qty its new total quantity,
 * price its limit or stop (a stop-limit's stop), limit a stop-limit's
 * limit; 0 keeps each.  0 once asked of the venue (STRAT_ORDER_MODIFIED
 * follows, or STRAT_ORDER_REFUSED), -1 and the reason.  A handle of no
 * order is invalid; another's order disables the strategy; its own that
 * has ended (filled a moment ago) is only refused.  So for strat_cancel.
 */
int		 strat_modify(struct strat_ctx *ctx, struct strat_order h,
		     int64_t qty, td_ticks price, td_ticks limit,
		     struct errmsg *err);
/* Cancel a working order of this strategy; STRAT_ORDER_CANCELLED follows. */
int		 strat_cancel(struct strat_ctx *ctx, struct strat_order h,
		     struct errmsg *err);
/*
 * 0 when the intent became an order (or an exit found nothing to close);
 * -1 when it was refused, the reason logged.
 */
int		 strat_intent(struct strat_ctx *ctx, const struct intent *in);
/* A price of an instrument as text ("4801.25"). */
char		*strat_format(const struct strat_ctx *ctx, int inst,
		     td_ticks px, char *buf, size_t len);
void		 strat_log(struct strat_ctx *ctx, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));

#endif
