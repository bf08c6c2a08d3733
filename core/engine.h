/*
 * engine.h -- one trading engine as a value.
 *
 * The engine owns everything that trades: the strategies, the sizer, the
 * risk manager, the order manager and the portfolio; the venue it is
 * handed (struct engine_deps) becomes its own.  The instruments and their
 * session calendars are a market (market.h) it reads and never changes,
 * handed in too and shared with any number of engines, or made for it
 * alone.  It has no clock of its own: every call says what time it is, so
 * a backtest steps time with the data and a live session with the wall
 * clock, through the same code.  Many engines may run side by side;
 * nothing here is global.
 *
 * One market event goes: session timers due before it -> venue matching ->
 * order manager -> portfolio -> risk -> strategies (bars and ticks) -> intents
 * -> sizer -> risk -> order manager -> venue.
 */
#ifndef TD_ENGINE_H
#define TD_ENGINE_H

#include "types.h"
#include "alert.h"
#include "breaker.h"
#include "calendar.h"
#include "engine-ev.h"
#include "ids.h"
#include "instrument.h"
#include "log.h"
#include "market.h"
#include "order-mgr.h"
#include "risk.h"
#include "rollout.h"
#include "signal-filter.h"
#include "signal-news.h"
#include "signal-sent.h"
#include "sizer.h"
#include "strat-param.h"
#include "strat-registry.h"
#include "strategy.h"
#include "venue.h"

struct errmsg;
struct feed;
struct signal_src;
struct journal;
struct journal_session_info;
struct portfolio;
struct trades;
struct order_mgr;
struct snapshot;
struct snapshot_sizes;

/*
 * The sizes of the configuration's tables (struct engine_config), which
 * the settings loader fills.  An engine sizes its own state at run time
 * from the counts it is given; a market handed in may hold any number of
 * instruments and calendars.
 */
#define ENGINE_MAX_INST		8
#define ENGINE_MAX_CAL		4
#define ENGINE_MAX_STRAT	16
#define ENGINE_MAX_ATM		16
#define ENGINE_MAX_FILTERS	32

/* A bracket template by name (tickdesk.conf(5): atm). */
struct engine_atm {
	char		 name[TD_NAME_MAX];
	struct bracket	 br;
};

/*
 * How a strategy starts (NinjaTrader's start behaviour): at once with its
 * own position; holding its new orders until the account is flat on its
 * instruments; or taking as its own the account's position there that no
 * strategy holds.
 */
enum strat_start {
	STRAT_START_IMMEDIATELY,
	STRAT_START_WAIT_FLAT,
	STRAT_START_ADOPT,
};

struct strategy_cfg {
	char		 name[TD_NAME_MAX];	/* instance name, unique */
	char		 type[TD_NAME_MAX];	/* strategy_ops name */
	char		 symbol[TD_SYMBOL_MAX];
	bool		 enabled;
	enum strat_start start;
	char		 atm[TD_NAME_MAX];	/* its entries' bracket template,
						   "" = its own stop and target */
	int64_t		 params[STRAT_MAX_PARAMS];	/* per ops->params */
	/* The string parameters' texts, in table order (strat-param.h). */
	char		 param_text[STRAT_MAX_STRINGS][STRAT_STRING_MAX];
};

/* The health group of tickdesk.conf(5). */
struct engine_health {
	bool		 latency;	/* time the stages of each event */
	int		 http_port;	/* the session's /metrics and /health
					   on 127.0.0.1; 0 = none */
};

/* What the engine does when the venue refuses a position's stop. */
enum engine_on_unprotected {
	ENGINE_UNPROT_FLATTEN,		/* close the position */
	ENGINE_UNPROT_HALT,		/* halt and wait for a person */
};

/* What the engine does when the venue's link is lost. */
enum engine_on_link_loss {
	ENGINE_LINK_KEEP,		/* orders stay; wait for the link */
	ENGINE_LINK_HALT,		/* halt at once */
	ENGINE_LINK_FLATTEN,		/* halt, and flatten once it is back */
};

struct engine_config {
	int			 ninst;
	struct instrument	 inst[ENGINE_MAX_INST];
	int			 ncal;
	struct calendar_cfg	 cal[ENGINE_MAX_CAL];
	int			 nstrat;
	struct strategy_cfg	 strat[ENGINE_MAX_STRAT];
	int			 natm;
	struct engine_atm	 atm[ENGINE_MAX_ATM];
	/* Strategies' entries let through on typed data (signal-filter.h). */
	int			 nfilter;
	struct signal_filter	 filter[ENGINE_MAX_FILTERS];
	struct risk_cfg		 risk;
	struct sizer_cfg	 sizing;
	int			 order_capacity;
	struct breaker_cfg	 breakers;
	/* The rollout ladder (rollout.h); nstages 0: none. */
	struct rollout_cfg	 rollout;
	/* When the engine raises alerts; the session's sinks. */
	struct alert_cfg	 alerts;
	struct engine_health	 health;
	/*
	 * Nobody watches (a backtest): loss halts expire at the next day,
	 * and so do tripped breakers with the halts they caused.
	 */
	bool			 unattended;
	enum engine_on_unprotected on_unprotected;
	enum engine_on_link_loss on_link_loss;
	enum log_level		 log_level;
	log_fn			 log;
	void			*log_arg;
};

/* Fill cfg with the built-in defaults (no instruments, no strategies). */
void		 engine_config_defaults(struct engine_config *cfg);

/*
 * What the engine works with but does not make: handed in by the caller.
 */
struct engine_deps {
	/*
	 * Where orders go (venue.h): the simulated exchange or a broker
	 * session, made by the caller.  engine_create takes it when it
	 * succeeds: engine_free destroys it.  When engine_create fails the
	 * venue is still the caller's to free.
	 */
	struct venue			*venue;
	/*
	 * The strategies the configuration may name (borrowed: it must
	 * outlive the engine); NULL: the built-in strategies.
	 */
	const struct strat_registry	*strategies;
	/*
	 * The instruments and their session calendars (market.h; borrowed:
	 * it must outlive the engine, and any number of engines, on any
	 * threads, may share it).  The engine then reads neither cfg's
	 * instruments nor its session templates.  NULL: the engine makes a
	 * market of its own from them and frees it with itself.
	 */
	const struct market		*market;
	/*
	 * The model sources (signal-src.h), nsignals of them: after each
	 * 1-minute bar of its instrument, a source's probability reaches
	 * the strategies that hear its source.  engine_create takes the
	 * array (malloc'd) and the sources when it succeeds: engine_free
	 * frees them.  A broken source disables the strategies that hear
	 * it when they start.
	 */
	struct signal_src		**signals;
	int				 nsignals;
};

/*
 * NULL and a message on a bad configuration or without a venue; free
 * with engine_free (which frees the venue too, and the market when the
 * engine made it).  The engine copies of cfg only what it changes or
 * reads while trading: its strategies' and bracket templates' entries
 * (nstrat and natm of them) and a few settings.
 */
struct engine	*engine_create(const struct engine_config *cfg,
		     const struct engine_deps *deps, struct errmsg *err);
void		 engine_free(struct engine *e);

/* The bracket template of this name, or NULL. */
const struct bracket *engine_atm(const struct engine *e, const char *name);

/* The instrument of this symbol: 0 and *out, or -1 when there is none. */
int		 engine_inst_find(const struct engine *e, const char *symbol,
		     struct td_inst *out);

/* Process one market event.  -1 only when the event itself is unusable. */
int		 engine_on_market(struct engine *e, const struct td_md *md,
		     struct errmsg *err);
/*
 * The venue has something to say (its descriptor became readable):
 * take every acknowledgement, fill, reject and cancel it holds now, at
 * the engine's time, and act on them as on any venue event.
 */
void		 engine_on_venue(struct engine *e);
/* The venue's descriptor (venue_ops.fd), or -1 when it has none. */
int		 engine_venue_fd(const struct engine *e);
/*
 * A venue with work of its own (a broker's session) does what is due by
 * now (UTC), and the engine hears what it has to say, as engine_on_venue;
 * engine_venue_wake says when that must happen next (INT64_MAX: only
 * when its descriptor is readable).
 */
void		 engine_venue_run(struct engine *e, td_ns now);
td_ns		 engine_venue_wake(const struct engine *e);
/*
 * A data event from outside the market (types.h: struct td_data): the
 * timers due by its time fire, the engine's time moves to it, and the
 * strategies that subscribed to its source hear it.  -1 and the reason,
 * changing nothing, before the engine's first market event or recovery,
 * for a time before the engine's, an unknown instrument or kind, an empty
 * source, or a probability or score out of its range.
 */
int		 engine_on_data(struct engine *e, const struct td_data *d,
		     struct errmsg *err);
/*
 * Headlines (signal-news.h) as sentiment (signal-sent.h), the same in a
 * backtest and a session.  engine_on_headline: the headline's score moves
 * the series in b of each instrument it names that the engine trades (the
 * market's when it names none), stamped t, and the strategies hear each
 * new value as a data event, unless the engine has not started or t is
 * before its time (then only b moves: the value is heard when it is next
 * due).  engine_news_due: the series of b due again at the engine's time
 * (sent_book_due), heard likewise once the engine has started.  c counts
 * what became of them; -1 and a message only when a data event is refused.
 */
struct engine_news {
	long		 sent;		/* data events the engine heard */
	long		 early;		/* headlines only the book took */
	long		 other;		/* symbols the engine does not trade */
};
int		 engine_on_headline(struct engine *e, struct sent_book *b,
		     const struct news_item *it, td_ns t,
		     struct engine_news *c, struct errmsg *err);
int		 engine_news_due(struct engine *e, struct sent_book *b,
		     struct engine_news *c, struct errmsg *err);
/* Run a whole feed through the engine, then finish. */
int		 engine_run(struct engine *e, struct feed *feed,
		     struct errmsg *err);
/* End of data: fire timers due by `end`, stop the strategies. */
void		 engine_finish(struct engine *e, td_ns end);

/*
 * Cancel every working order of the instruments selected (td_inst_only,
 * or td_inst_all) and close their positions at market.  Never blocked by
 * risk, halt or kill.
 */
int		 engine_flatten(struct engine *e, struct td_inst_sel insts,
		     const char *why);
/*
 * Move the trading state (halt, resume, kill) on behalf of `who`, a person
 * or "engine"; the risk manager decides which moves are allowed.  While a
 * circuit breaker is tripped, nobody moves the state up to REDUCING or
 * ACTIVE: -1 and "breaker rejects is tripped: breaker reset rejects
 * first".
 */
int		 engine_set_state(struct engine *e, enum trading_state to,
		     const char *who, const char *why, struct errmsg *err);
/* ------------------------------------------------ the trader's commands */

/*
 * A manual order takes the strategies' road without the sizer: risk, order
 * manager, venue.  The part of it that closes the position goes as an
 * exit, which no risk rule blocks; the rest is an entry with the bracket
 * br (none when its stop and targets are 0).
 */
struct manual_order {
	struct td_inst	 inst;
	enum td_side	 side;
	enum order_type	 type;
	int64_t		 qty;
	td_ticks	 price;		/* limit or stop price */
	td_ticks	 limit;		/* a stop-limit's limit price */
	enum order_tif	 tif;
	struct bracket	 br;
};

/* 0 and the new order id, or -1 with the reason (a risk refusal too). */
int		 engine_manual_order(struct engine *e,
		     const struct manual_order *m, uint64_t *id,
		     struct errmsg *err);
/*
 * Turn inst's position around at market: one order of twice the position
 * closes it (taking the place of the old side's protection, which goes
 * once the position has turned) and opens as much the other way,
 * protected by br -- or, when br is NULL, by the bracket that protected
 * the old side (none when it had none).  The new side takes the road of
 * any manual entry: when risk refuses it nothing at all is sent and the
 * old side keeps its protection.  0 and the id of the opening order, or
 * -1 with the reason ("ES is flat: nothing to reverse").
 */
int		 engine_reverse(struct engine *e, struct td_inst inst,
		     const struct bracket *br, uint64_t *id,
		     struct errmsg *err);
/*
 * Two manual entries as one OCO pair (m[0] and m[1]): when one fills, the
 * venue takes as much off the other.  Both are entries, each with its own
 * bracket; an order of the pair that would close a position is refused.
 * Both go or neither.  0 and their ids, or -1 with the reason.
 */
int		 engine_manual_oco(struct engine *e,
		     const struct manual_order *m, uint64_t ids[2],
		     struct errmsg *err);
/* Cancel one working order (id), or all of them (id 0). */
int		 engine_cancel(struct engine *e, uint64_t id,
		     struct errmsg *err);
/* Move a working limit or stop order to a new price. */
int		 engine_move(struct engine *e, uint64_t id, td_ticks price,
		     struct errmsg *err);
/*
 * Change a working order: qty its new total quantity, price its limit or
 * stop price (a stop-limit's stop), limit a stop-limit's limit price; 0
 * keeps each.  A price is held to the collar and a stop to its side of
 * the market as a new order's (engine_move); a stop-limit's limit to its
 * side of the stop.  A bigger entry goes through the risk manager for
 * what it adds; the order manager refuses a bracket leg's quantity (it
 * follows its entry) and an exit grown beyond the position.  0 once sent
 * to the venue, or -1 and the reason.
 */
int		 engine_modify(struct engine *e, uint64_t id, int64_t qty,
		     td_ticks price, td_ticks limit, struct errmsg *err);
/*
 * The kill switch: cancel every order, flatten every position, stop every
 * strategy, state KILLED.  Works in any state; never refused.
 */
void		 engine_kill(struct engine *e, const char *who);
/*
 * Enable or disable a strategy by name (disabling leaves its orders).
 * Enabling one the engine disabled (errored: it broke its contract)
 * makes it a new instance from its parameters, which starts afresh; -1
 * and create's reason when that fails.  An errored strategy disabled
 * stays errored.
 */
int		 engine_strategy_enable(struct engine *e, const char *name,
		     bool on, struct errmsg *err);
/*
 * Set a parameter of a disabled strategy from its text ("12", "0.65",
 * "true", an enumeration's name, a string), judged by its type
 * (strat_param_parse); the strategy is created again with the new value
 * and starts afresh when enabled.
 */
int		 engine_strategy_set(struct engine *e, const char *name,
		     const char *param, const char *value, struct errmsg *err);
/*
 * Change a risk limit by its configuration name ("daily_loss",
 * "max_contracts", ...), the value in the limit's unit (risk_limits():
 * money in cents, time in seconds).  Tightening applies at once.
 * Loosening (risk_limit_loosens) while a position is open returns 1 with
 * the question in err ("loosen daily_loss from 500.00 to 1,000.00 with
 * positions open?") and changes nothing unless confirmed.  -1 with a
 * message for an unknown limit, one that cannot change while trading
 * (no RISK_LIMIT_LIVE) or a value out of its range.
 */
int		 engine_risk_set(struct engine *e, const char *limit,
		     int64_t value, bool confirmed, struct errmsg *err);
const struct risk_cfg	*engine_risk_cfg(const struct engine *e);
/*
 * Time moved on to now, with or without market data (a live session's
 * wall clock; in a replay the simulated time): every timer due by now
 * fires in time order -- session opens and closes, the trading day's and
 * week's resets, the strategies' timers -- and then the stale-feed guard
 * judges each instrument whose session is open against its feed's
 * cadence (struct risk_feed).  The engine's time moves to each timer as
 * it fires, never to now itself, so market events stamped between the
 * last timer and now are still taken.  A time before the last event or
 * the last call is ignored, and so is any call before the engine's first
 * market event or recovery (no timer is armed yet).
 */
void		 engine_advance(struct engine *e, td_ns now);
/* When the next timer is due, or 0 when none is armed. */
td_ns		 engine_next_timer(const struct engine *e);
/*
 * The rows a snapshot of e needs (snapshot.h): its instruments, its
 * strategies, its order capacity up to SNAPSHOT_ORDERS_MAX, and what its
 * observers ask for (engine_observer.sizes).
 */
void		 engine_snapshot_sizes(const struct engine *e,
		     struct snapshot_sizes *out);
/*
 * Fill a snapshot for the console (mode and speed are the caller's);
 * allocates nothing.  -1 when s's tables are smaller than
 * engine_snapshot_sizes asks: it holds what fits (snapshot_resize it and
 * fill it again).
 */
int		 engine_snapshot(const struct engine *e, struct snapshot *s);
/*
 * The strategies, td_strat_at(0) .. td_strat_at(engine_nstrat - 1):
 * engine_strategy_find gives 0 and the one of this name in *out, or -1
 * when there is none.  A strategy's configuration, its table as found in
 * the engine's registry, and its name as an owner of orders.
 */
int		 engine_strategy_find(const struct engine *e,
		     const char *name, struct td_strat *out);
int		 engine_nstrat(const struct engine *e);
const struct strategy_cfg *engine_strategy_cfg(const struct engine *e,
		     struct td_strat s);
const struct strategy_ops *engine_strategy_ops(const struct engine *e,
		     struct td_strat s);
/*
 * The filters of the configuration (signal-filter.h), and how many
 * entries of strategy s its filters skipped.
 */
int		 engine_nfilter(const struct engine *e);
int64_t		 engine_strategy_filtered(const struct engine *e,
		     struct td_strat s);
/* Is the strategy holding its orders until the account is flat? */
bool		 engine_strategy_waits_flat(const struct engine *e,
		     struct td_strat s);
/*
 * Who owns an order, as the journal, the blotter and the log name it:
 * the strategy's name, or "manual" for the trader (and for a strategy
 * the engine does not have).
 */
const char	*engine_owner_name(const struct engine *e,
		     struct td_owner owner);
/*
 * Why the engine disabled the strategy ("on_bar failed: ...", "broke its
 * contract: ..."), "" unless it is errored; and how many of its requests
 * were refused as invalid this trading day (strategy.h: STRAT_MAX_INVALID).
 */
const char	*engine_strategy_why(const struct engine *e,
		     struct td_strat s);
int		 engine_strategy_invalid(const struct engine *e,
		     struct td_strat s);

/* Sum of the strategies' positions on an instrument. */
int64_t		 engine_strat_position(const struct engine *e,
		     struct td_inst inst);

/*
 * Observers (engine-ev.h) hear the engine's events on the engine thread,
 * in a defined order: the recorder first, then the others in the order
 * they were added.  The recorder is the journal (at most one observer
 * records): when it cannot keep a record the engine halts, logs and
 * alerts why, as it will not trade on books it cannot write down; an
 * order whose creation it could not record is not sent, and a move of
 * the trading state up (resume) that it could not record does not
 * happen -- the others do not hear of either.  No other observer can
 * fail the engine.  An observer hears the kinds in its mask (EEV_BIT;
 * 0: every kind) and may fill its part of the console's snapshot
 * (snapshot, called by engine_snapshot after the engine's own part),
 * saying first how many rows of the snapshot's tables it fills (sizes,
 * called by engine_snapshot_sizes, raises what it needs).
 * Delivery is a loop over a small array: nothing is allocated.
 */
#define ENGINE_MAX_OBS		8

struct engine_observer {
	engine_observer_fn	 fn;
	void			*arg;
	uint32_t		 mask;		/* EEV_BIT()s; 0: all */
	bool			 record;	/* the recorder */
	void			(*snapshot)(void *arg, struct snapshot *s);
	void			(*sizes)(void *arg,
				    struct snapshot_sizes *sz);
};

/*
 * Add an observer (copied; arg is not owned and must outlive its use).
 * -1 and a message when ENGINE_MAX_OBS are there, when fn is NULL, or
 * for a second recorder.  Not from inside an observer.
 */
int		 engine_observer_add(struct engine *e,
		     const struct engine_observer *obs, struct errmsg *err);
/* Remove the observer fn with arg: 0, or -1 when it is not there. */
int		 engine_observer_remove(struct engine *e,
		     engine_observer_fn fn, void *arg);
/*
 * Start a session of the journal on the engine's books (journal_begin,
 * given them as plain data: instruments, strategies, positions, the
 * first session template, the time) and make the journal the engine's
 * recorder for the books' events (EEV_BOOKS).  The session id, or -1 and
 * a message.
 */
int64_t		 engine_journal(struct engine *e, struct journal *j,
		     const struct journal_session_info *info,
		     struct errmsg *err);
/* A trader's command line, for the journal; returns its correlation id. */
uint64_t	 engine_note_command(struct engine *e, const char *line);

/*
 * Restart (core/engine-restore.c).  engine_recover rebuilds a new engine,
 * before its first market event, from the journal and what its venue
 * answers (venue.h: mass_status, order_status, executions since the
 * journal's history began; never a file of the venue's), then starts a
 * new session of the journal on it (journal_begin with info, continuing
 * the last session of info->mode) and makes the journal its recorder.
 * A venue that knows nothing while the journal has fills lost its
 * records: the journal's positions stand, nothing is voided, the venue
 * takes them over (adopt_position, when it can) and the restart is a
 * discrepancy.
 *
 * From the journal: the positions (its fills applied again), the working
 * orders with their brackets, the day's and week's P&L, the trading state
 * with who set it, when and why (a latch: a restart never re-arms
 * trading), the correlation ids and the clock.  Then the venue's truth is
 * adopted: a fill the venue made that the journal lacks is applied and
 * journaled (source "venue"), a journaled fill the venue never made is
 * voided, an order the venue no longer has is cancelled, an order only
 * the venue knows is taken over: as a leg of its entry when the journal
 * knows the entry, else as the protection of the venue's position when
 * it can only reduce it (a stop as a stop, a limit as a target), and
 * cancelled when it would open or add to a position (its bracket is
 * unknown); each is logged (component "recovery")
 * and counted, and any of them moves the state to HALTED ("engine",
 * "restart: N discrepancies with the venue") until a person resumes.
 * A session continued that has no clean end (journal_end: it died in a
 * crash, a kill, a power cut or by the watchdog) makes the state at
 * least HALTED ("restart", "restart after an unclean end of session N"),
 * logged critical and alerted (ALERT_EV_RECOVERY) whatever the venue
 * says.  A restart after a clean end that finds nothing amiss keeps the
 * state it had: ACTIVE when it was.
 * The engine's log function gets the lines, so set it first.
 *
 * -1 with a message when the journal cannot be read, the venue cannot be
 * asked or the engine has already seen market data; the engine is then
 * not to be used.
 */
struct engine_recovery {
	int64_t		 resumed;	/* session continued, 0: fresh */
	int64_t		 session;	/* the new session */
	int64_t		 fills;		/* journaled fills applied again */
	int		 orders;	/* working after the restart */
	int		 missing_fills;	/* venue's, not journaled */
	int		 unknown_fills;	/* journaled, not the venue's */
	int		 orphans;	/* working per journal only */
	int		 strays;	/* working at the venue only */
	int		 refused;	/* of those, entries: cancelled */
	int		 mismatches;	/* instruments, positions differ */
	int		 book_lost;	/* 1: the venue knew nothing */
	int		 discrepancies;	/* all of the above */
	int		 unclean;	/* 1: the session continued had no
					   clean end */
	td_ns		 resumed_at;	/* the clock: later events only */
	enum trading_state state;	/* as the engine starts */
};

int		 engine_recover(struct engine *e, struct journal *j,
		     const struct journal_session_info *info,
		     struct engine_recovery *out, struct errmsg *err);

/* ------------------------------------------------ the rollout ladder */

/*
 * The ladder (rollout.h), or NULL when the configuration has no
 * rollout.stages.  The engine applies its current stage: the stage's
 * limits laid over the configured ones (the tighter wins, also after a
 * `risk set`), new entries only in its instruments, the sizer's quantity
 * capped at its max_contracts.  Its events are journaled (EEV_ROLLOUT)
 * and engine_recover restores the stage and its evidence: the stage is a
 * latch like the trading state.
 *
 * engine_rollout_move moves to stage to (an index): down at any time, by
 * anyone; up only one stage, by a person (who not "engine"), and only
 * when every criterion of the current stage is met (rollout_evaluate).
 * 0, or -1 with the reason ("criteria of micro not met: sessions: 1 of
 * 3; target: not seen", "already at the last stage").
 */
const struct rollout *engine_rollout(const struct engine *e);
int		 engine_rollout_move(struct engine *e, int to,
		     const char *who, const char *why, struct errmsg *err);

/* ------------------------------------------------ breakers and alerts */

/*
 * Circuit breakers (breaker.h) are fed by the engine: every order refused
 * (sizer, risk, venue), every line logged at error level or above, the
 * account's P&L at every mark, every venue error.  A trip moves the state
 * to HALTED ("engine", "breaker NAME: why"; journaled as any state
 * change), flattens everything when breakers.flatten_on_trip is set, logs
 * a critical line and raises a critical alert.  The breaker stays tripped
 * until a person resets it; that does not resume trading (resume does).
 * 0 when it was tripped, 1 when it was not (its history is cleared all
 * the same), -1 and a message for an unknown name.
 */
int		 engine_breaker_reset(struct engine *e, const char *name,
		     const char *who, struct errmsg *err);
const struct breaker *engine_breaker(const struct engine *e);

/*
 * The hub the engine raises its alerts on (not owned; NULL: none, the
 * default).  Set it before engine_recover so that recovery can alert.
 * The engine raises: strategy-error (a strategy disabled by its error),
 * risk-breach, loss-warning (the day's loss passing alerts.
 * loss_warning_pct of the daily limit, once a day), rejections (alerts.
 * reject_streak orders refused in a row), latency (a market event slower
 * than alerts.latency, with health.latency on; at most one a minute),
 * breaker-trip, venue-down and venue-up, kill-switch, journal-failure.
 */
void		 engine_set_alerts(struct engine *e, struct alert_hub *hub);
struct alert_hub *engine_alerts(const struct engine *e);
/* Take when to raise alerts (the three thresholds above) from cfg. */
void		 engine_alert_levels(struct engine *e,
		     const struct alert_cfg *cfg);
/*
 * Raise an alert on the engine's hub (nothing without one); for the
 * engine's own parts, such as engine_recover with "recovery".
 */
void		 engine_alert(struct engine *e, enum alert_severity sev,
		     enum alert_event ev, const char *fmt, ...)
		     __attribute__((format(printf, 4, 5)));

/* The stages timed with health.latency (snapshot.h: SNAP_STAGES). */
const char	*engine_stage_name(int stage);

/* Send the log lines elsewhere (the runner's queue) from now on. */
void		 engine_set_log(struct engine *e, log_fn fn, void *arg,
		     enum log_level level);

td_ns		 engine_now(const struct engine *e);
/* Whether the engine has had its first market event. */
bool		 engine_started(const struct engine *e);
const struct portfolio	*engine_portfolio(const struct engine *e);
const struct trades	*engine_trades(const struct engine *e);
const struct order_mgr	*engine_orders(const struct engine *e);
const struct instrument	*engine_instrument(const struct engine *e,
		     struct td_inst inst);
int		 engine_ninst(const struct engine *e);
const struct calendar	*engine_calendar(const struct engine *e, int i);
enum trading_state engine_state(const struct engine *e);

#endif
