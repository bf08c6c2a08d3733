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
	int		 inst;
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
 * message for a bad configuration ("risk: daily loss must not be
 * negative") or no memory.  The caller frees it with risk_free.
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
/*
 * A limit by its configuration name ("daily_loss", "max_contracts", ...;
 * money in cents, times in seconds, 0 = off): -1 for an unknown name, or,
 * when putting, a value out of range.
 */
int		 risk_limit_get(const struct risk_cfg *c, const char *name,
		     int64_t *out);
int		 risk_limit_put(struct risk_cfg *c, const char *name,
		     int64_t v);
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
		     int i, enum order_type type, td_ticks price, char *why,
		     size_t n);

#endif
