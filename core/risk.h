/*
 * risk.h -- pre-trade checks, loss limits and the trading state.
 *
 * Every order, from a strategy or typed by the trader, passes risk_check
 * before the order manager sends it.  After every fill and mark the engine
 * calls risk_on_pnl, which halts trading when a loss limit is breached, and
 * on its timer risk_on_clock, which stops new entries when the market data
 * of a session falls behind its own cadence (struct risk_feed).
 *
 * The one rule above all others: an order that only reduces a position
 * (reduces == true: a flatten, a kill, a protective stop or target) is never
 * blocked by the state, a limit, the throttle, the hours or the collar.  Only
 * RISK_BAD_ORDER (qty <= 0, bad side or instrument) stops it.  The caller
 * (the order manager) sets reduces, and must set it only for orders that
 * cannot make a position larger.
 *
 * States, from best to worst: ACTIVE (anything allowed), REDUCING (exits
 * only), HALTED (nothing new; working protective orders stay), KILLED
 * (everything cancelled and flat).  In REDUCING, HALTED and KILLED only
 * reducing orders pass.  The engine ("engine" as who) moves the state down
 * only; a person (any other non-empty who) moves it either way, except that
 * KILLED can only go to HALTED or ACTIVE.  Nothing moves the state up on
 * its own, except an unattended engine (a backtest) at the next trading day
 * or week, see risk_day_start.
 *
 * All memory (the throttle's ring of send times) is taken by risk_create;
 * nothing else allocates.
 */
#ifndef TD_RISK_H
#define TD_RISK_H

#include "ids.h"
#include "types.h"
#include "venue.h"

struct errmsg;
struct instrument;
struct portfolio;
struct risk;

enum trading_state {
	TS_ACTIVE,
	TS_REDUCING,
	TS_HALTED,
	TS_KILLED,
};

enum risk_reason {
	RISK_OK,
	RISK_HALTED,
	RISK_REDUCING,
	RISK_KILLED,
	RISK_DAILY_LOSS,
	RISK_TRAILING_LOSS,
	RISK_WEEKLY_LOSS,
	RISK_TRADE_RISK,
	RISK_MAX_POSITIONS,
	RISK_MAX_CONTRACTS,
	RISK_HOURS,
	RISK_THROTTLE,
	RISK_COLLAR,
	RISK_BAD_ORDER,
	RISK_STALE_FEED,	/* risk_on_clock: market data late */
};

#define RISK_WHO_MAX	32
#define RISK_WHY_MAX	128

struct risk_cfg {
	td_cents	 daily_loss;	/* 0 = off */
	td_cents	 trailing_loss;	/* from the day's peak; 0 = off */
	td_cents	 weekly_loss;	/* 0 = off */
	td_cents	 max_trade_risk;	/* stop x qty x tick value,
						   0 = off */
	int		 max_positions;	/* instruments with a position or a
					   working entry, 0 = off */
	int64_t		 max_contracts;	/* per instrument: |position + working
					   entries + new| on the order's
					   side; 0 = off */
	int		 hours_start;	/* entries allowed in [start, end) */
	int		 hours_end;	/* minutes of the exchange's local day;
					   start == end = always; start > end
					   wraps over midnight */
	int		 throttle_orders;	/* at most N orders ... */
	td_ns		 throttle_window;	/* ... per rolling window,
						   0 = off */
	int64_t		 collar_ticks;	/* limit/stop at most this far from
					   the last price; 0 = off */
	bool		 flatten_on_breach;
	td_ns		 stale_after;	/* market data this much later than
					   due in a session -> REDUCING;
					   0 = off */
};

struct risk_order {
	struct td_inst	 inst;
	enum td_side	 side;
	enum order_type	 type;
	int64_t		 qty;
	td_ticks	 price;		/* limit or stop price */
	int32_t		 stop_ticks;	/* protective stop distance, 0 = none */
	bool		 reduces;	/* only reduces a position */
	/* What could raise exposure besides this order: */
	int64_t		 position;	/* the position it starts from */
	int64_t		 working_same_side;	/* working entries, its side */
	int		 exposed;	/* other instruments with a position
					   or a working entry */
	bool		 inst_exposed;	/* its own has one */
	int		 tod;		/* exchange local minutes of day */
	td_ns		 now;
};

/* "ACTIVE", "REDUCING", "HALTED", "KILLED". */
const char	*trading_state_name(enum trading_state s);
/* "ok", "halted", ..., "daily-loss", ..., "bad-order", "stale-feed". */
const char	*risk_reason_name(enum risk_reason r);

/*
 * A risk manager with its own copy of cfg, in state ACTIVE.  NULL and a
 * message for a bad configuration (each limit is checked against its
 * range in the table below: "risk: daily_loss: -0.01 is out of range
 * 0.00..1000000000.00"; and "risk: throttle needs a positive window") or
 * no memory.  The caller frees it with risk_free.
 */
struct risk	*risk_create(const struct risk_cfg *cfg, struct errmsg *err);
void		 risk_free(struct risk *r);
const struct risk_cfg *risk_config(const struct risk *r);

/*
 * May this order be sent?  RISK_OK, or the first rule it breaks with the
 * reason in why (n bytes, may be NULL), e.g. "qty 500 exceeds max
 * contracts 10".  inst is the instrument of o->inst.  The exposure limits
 * count what could raise it: o->position, the working entries on the
 * order's side and the order (max contracts), the instruments with a
 * position or a working entry (max positions).  The checks, in order:
 * bad order, reducing (passes), state, daily loss, trailing loss, weekly
 * loss, hours, throttle, collar, max contracts, max positions, trade
 * risk.
 */
enum risk_reason risk_check(struct risk *r, const struct portfolio *pf,
		     const struct instrument *inst,
		     const struct risk_order *o, char *why, size_t n);

/*
 * An order was sent (any order, reducing ones too: they count towards the
 * throttle window though it never blocks them).
 */
void		 risk_note_order(struct risk *r, td_ns now);

/*
 * Replace the limits (a `risk set` command); the state is kept.  The
 * throttle's record starts anew when its size changes.  -1 with a message
 * when cfg is invalid (nothing changes).
 */
int		 risk_update(struct risk *r, const struct risk_cfg *cfg,
		     struct errmsg *err);
/* Orders sent within the throttle window before now (0 when it is off). */
int		 risk_recent_orders(const struct risk *r, td_ns now);

enum trading_state risk_state(const struct risk *r);

/*
 * Move the state.  who is "engine" (down only) or the person doing it
 * (any direction, but from KILLED only to HALTED or ACTIVE).  Moving to the
 * current state is a no-op that returns 0.  -1 with a message ("engine
 * cannot move the state up from HALTED to ACTIVE") when not allowed;
 * risk_may_set_state only says whether it would be.
 */
int		 risk_may_set_state(const struct risk *r,
		     enum trading_state to, const char *who,
		     struct errmsg *err);
int		 risk_set_state(struct risk *r, enum trading_state to,
		     const char *who, const char *why, td_ns t,
		     struct errmsg *err);

/* The last change of state: who, why, when, and the limit that caused it
 * (RISK_OK for a change by hand). */
const char	*risk_state_who(const struct risk *r);
const char	*risk_state_why(const struct risk *r);
td_ns		 risk_state_when(const struct risk *r);
enum risk_reason risk_state_cause(const struct risk *r);

/*
 * After every fill and mark: RISK_OK, or the loss limit breached (daily,
 * then trailing, then weekly).  A breach moves an ACTIVE or REDUCING state
 * to HALTED.  *flatten is set to true when positions should be closed now:
 * flatten_on_breach is on and this is the first call to see this breach
 * (this day or week) or the call that moved the state; otherwise false.
 */
enum risk_reason risk_on_pnl(struct risk *r, const struct portfolio *pf,
		     td_ns now, bool *flatten);

/*
 * The P&L a loss limit is judged on, for the message of its breach: the
 * week's for the weekly loss, the day's for the daily and trailing ones.
 * Returns its name ("week P&L", "day P&L") and sets *pnl.
 */
const char	*risk_loss_pnl(enum risk_reason reason,
		     const struct portfolio *pf, td_cents *pnl);

/*
 * What the stale-feed guard knows of one instrument's market data.  The
 * guard follows the feed's own cadence: a bar is due when the bar after
 * the last one ends, a tick as soon as the last one is known; data that
 * ended before the session opened is due with the session's first bar
 * (its end, the open plus the bar length) or, for ticks, at the open.
 */
struct risk_feed {
	const char	*symbol;	/* named in the reason */
	td_ns		 last;		/* when its last event became known:
					   a bar's end, a tick's time */
	td_ns		 every;		/* its last bar's length; 0: ticks */
	td_ns		 open;		/* the open of the session running */
};

/* When the feed's next market event is due (see struct risk_feed). */
td_ns		 risk_feed_due(const struct risk_feed *f);

/*
 * How late that event is at now: now - risk_feed_due, negative while it
 * is not due yet.  This is the one figure of the guard: risk_on_clock
 * judges it and the console shows it.
 */
td_ns		 risk_feed_late(const struct risk_feed *f, td_ns now);

/*
 * The stale-feed guard, on the engine's timer, once for each instrument
 * whose session is open and which has had market data; now is exchange
 * time (simulated in a replay).  With stale_after set and the feed's next
 * event more than stale_after late, an ACTIVE state goes to REDUCING (why:
 * "ES: bar 31s late", "ES: no tick for 31s") and RISK_STALE_FEED is
 * returned; RISK_OK otherwise.  The state stays REDUCING when data comes
 * back: a person resumes.
 */
enum risk_reason risk_on_clock(struct risk *r, td_ns now,
		     const struct risk_feed *f);

/*
 * A new trading day (week) starts.  Loss breaches of the previous day
 * (week) are forgotten.  With unattended (a backtest: nobody can type
 * resume), a HALTED state caused by the daily or trailing loss (a REDUCING
 * state caused by a stale feed) returns to ACTIVE at the day start, and one
 * caused by the weekly loss at the week start.  Otherwise the state is a
 * latch only a person moves up.
 */
void		 risk_day_start(struct risk *r, td_ns t, bool unattended);
void		 risk_week_start(struct risk *r, td_ns t, bool unattended);

/*
 * The price collar alone: is a limit or stop price of instrument inst
 * (index i in the portfolio) within collar_ticks of the last price the
 * portfolio knows?  RISK_OK when it is, for a market order and with the
 * collar off; else RISK_COLLAR and the reason in why (n bytes, may be
 * NULL): "stop 4003.50 is 14 ticks from last 4000.00, collar 10 ticks",
 * or no last price yet.  risk_check applies it to new orders, the engine
 * to an order being moved.
 */
enum risk_reason risk_check_collar(const struct risk *r,
		     const struct portfolio *pf, const struct instrument *inst,
		     struct td_inst i, enum order_type type, td_ticks price,
		     char *why, size_t n);

/*
 * The risk limits as data: one entry per setting of struct risk_cfg, in
 * the order of the configuration file's risk group and of
 * tickdesk.conf(5).  Each says its name there, where it is stored, its
 * unit and range, which way loosens it, whether it may change while
 * trading, its default and one line of text.  Everything that lists or
 * judges limits walks this table: risk_create and risk_update,
 * engine_risk_set, the desk's `risk show` and `risk set`, reload, the
 * settings loader and the check of the manual.  A new limit is an entry
 * here, its field in struct risk_cfg, its rule in risk_check and its
 * entry in tickdesk.conf(5).
 *
 * The walkers below take and give a limit's value as an int64_t in its
 * unit: cents, contracts, instruments, orders, whole seconds (a stored
 * sub-second rest is dropped), ticks; 0 or 1 for a switch; both ends of
 * the trading hours packed by RISK_HOURS (minutes of the exchange's day).
 */
enum risk_limit_id {
	RISK_LIM_DAILY_LOSS,
	RISK_LIM_TRAILING_LOSS,
	RISK_LIM_WEEKLY_LOSS,
	RISK_LIM_MAX_TRADE_RISK,
	RISK_LIM_MAX_POSITIONS,
	RISK_LIM_MAX_CONTRACTS,
	RISK_LIM_TRADING_HOURS,
	RISK_LIM_THROTTLE_ORDERS,
	RISK_LIM_THROTTLE_SECONDS,
	RISK_LIM_PRICE_COLLAR,
	RISK_LIM_FLATTEN_ON_BREACH,
	RISK_LIM_STALE_FEED,
	RISK_NLIMITS
};

enum risk_unit {
	RISK_UNIT_MONEY,	/* td_cents, typed in dollars: "500.00" */
	RISK_UNIT_CONTRACTS,
	RISK_UNIT_INSTRUMENTS,
	RISK_UNIT_ORDERS,
	RISK_UNIT_SECONDS,	/* stored as td_ns */
	RISK_UNIT_TICKS,
	RISK_UNIT_HOURS,	/* two ints, "HH:MM-HH:MM" */
	RISK_UNIT_SWITCH,	/* a bool */
};

/* Which change of value loosens a limit (lets more orders through). */
enum risk_loosen {
	RISK_LOOSER_HIGHER,	/* a loss, a count, a collar, a delay */
	RISK_LOOSER_LOWER,	/* the throttle's window, a switch */
	RISK_LOOSER_WIDER,	/* hours that admit a minute they did not */
};

#define RISK_LIMIT_OFF	0x1	/* 0 turns it off, the loosest value */
#define RISK_LIMIT_LIVE	0x2	/* may change while trading: risk set,
				   reload; the others wait for a restart */

/* The trading hours as one value: minutes start and end (0..1440). */
#define RISK_HOURS(start, end)	((int64_t)(start) * 65536 + (end))
#define RISK_HOURS_START(v)	((int)((v) / 65536))
#define RISK_HOURS_END(v)	((int)((v) % 65536))

/* Room risk_limit_format needs for any value. */
#define RISK_LIMIT_FMT_MAX	48

struct risk_limit {
	const char	*name;		/* "daily_loss", risk.daily_loss */
	enum risk_unit	 unit;
	size_t		 off;		/* the field in struct risk_cfg */
	size_t		 off2;		/* RISK_UNIT_HOURS: the end's field */
	size_t		 size;		/* the field's width in bytes */
	int64_t		 scale;		/* stored = value x scale */
	int64_t		 min;		/* in the unit; for the hours, */
	int64_t		 max;		/* of each end */
	enum risk_loosen loosen;
	unsigned	 flags;		/* RISK_LIMIT_OFF, RISK_LIMIT_LIVE */
	const char	*def;		/* the default, as in tickdesk.cfg */
	const char	*text;		/* one line, for `config keys` */
};

/* The table: RISK_NLIMITS entries, indexed by enum risk_limit_id. */
const struct risk_limit *risk_limits(void);
/* The limit of that configuration name, or NULL. */
const struct risk_limit *risk_limit_find(const char *name);
/* The unit as a word: "dollars", "contracts", ..., "boolean". */
const char	*risk_unit_name(enum risk_unit u);

/* The limit's value in c (see above for its unit). */
int64_t		 risk_limit_get(const struct risk_limit *l,
		     const struct risk_cfg *c);
/*
 * Is v within the limit's range?  0, or -1 with "NAME: what is wrong"
 * ("max_contracts: 200000 is out of range 0..100000").
 */
int		 risk_limit_check(const struct risk_limit *l, int64_t v,
		     struct errmsg *err);
/* Store v in c after risk_limit_check; c is untouched on -1. */
int		 risk_limit_set(const struct risk_limit *l, struct risk_cfg *c,
		     int64_t v, struct errmsg *err);
/*
 * A value as a person types it: dollars with at most 2 decimals ("500",
 * "0.62", exactly, never rounded), whole numbers, "HH:MM-HH:MM", true or
 * false (yes, no, on, off), and "off" for 0 where 0 is off.  The result
 * is range checked.  -1 with "NAME: what is wrong" otherwise.
 */
int		 risk_limit_parse(const struct risk_limit *l,
		     const char *text, int64_t *v, struct errmsg *err);

enum risk_fmt {
	RISK_FMT_SHOW,		/* "1,000.00", "4", "60 s", "40 ticks",
				   "yes", "off" */
	RISK_FMT_INPUT,		/* what risk_limit_parse reads back:
				   "1000.00", "60", "true", "off" */
};
/* v as text in buf (len bytes, RISK_LIMIT_FMT_MAX is enough); buf. */
char		*risk_limit_format(const struct risk_limit *l, int64_t v,
		     enum risk_fmt how, char *buf, size_t len);
/*
 * Does going from value from to value to loosen the limit?  0 is the
 * loosest value of a limit it turns off; turning such a limit on
 * tightens it.  False when nothing changes.
 */
bool		 risk_limit_loosens(const struct risk_limit *l, int64_t from,
		     int64_t to);

#endif
