/*
 * engine-int.h -- the inside of struct engine, shared by the files of the
 * engine (engine.c: the loop; engine-cmd.c: the trader's commands;
 * engine-obs.c: the observers; engine-snap.c: snapshots for the console).
 * Nothing outside them may include it.
 */
#ifndef TD_ENGINE_INT_H
#define TD_ENGINE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "engine.h"
#include "errmsg.h"
#include "log.h"
#include "order-mgr.h"
#include "snapshot.h"

struct order;
struct barbuild;
struct risk_feed;
struct rollout_event;

enum strat_run {
	STRAT_RUNNING,
	STRAT_DISABLED,
	STRAT_ERRORED,
};

struct strat_ctx {
	struct engine	*e;
	struct td_strat	 slot;
};

/*
 * One subscription of a strategy: an instrument and a bar type, the
 * builder of its bars (none for the base bars and ticks) and a ring of
 * the last cap bars delivered.
 */
struct strat_subn {
	int			 inst;
	struct strat_bar_type	 type;
	struct barbuild		*build;
	struct td_bar		*hist;
	int			 cap;
	int			 n;
	int			 head;		/* next slot of hist */
	bool			 warned;	/* bars that do not fit: said */
};

/* A strategy's timer (strategy.h); kind STRAT_TMR_OFF when free. */
enum strat_tmr_kind {
	STRAT_TMR_OFF,
	STRAT_TMR_ONCE,
	STRAT_TMR_DAILY,
	STRAT_TMR_EVERY,
};

struct strat_tmr {
	enum strat_tmr_kind	 kind;
	int			 gen;		/* times this entry was armed */
	td_ns			 next;
	td_ns			 period;	/* EVERY */
	int			 inst;		/* DAILY: whose zone and days */
	int			 tod;		/* DAILY: seconds of the day */
};

/*
 * How a strategy keeps its contract (engine-strat.c).  depth counts its
 * callbacks running, on thread; any thread may read both, so that a call
 * of the API made outside them -- from another thread, or through a
 * context kept for later -- is caught: it is refused and marks breach
 * (the call's name), which the engine's thread acts on.  The requests it
 * made wrongly this trading day are counted; why says what disabled it.
 */
struct strat_guard {
	atomic_int		 depth;
	_Atomic(uintptr_t)	 thread;	/* engine_thread_id's */
	_Atomic(const char *)	 breach;
	bool			 in_create;	/* may not act yet */
	int			 invalid;
	int32_t			 invalid_day;
	char			 why[ERRMSG_MAX];
	int64_t			 filtered;	/* entries its filters skipped */
};

struct strat_slot {
	const struct strategy_ops *ops;
	void			*self;
	const struct strategy_cfg *cfg;
	int			 inst;		/* its configured instrument */
	enum strat_run		 run;
	int64_t			*position;	/* [ninst], in e->strat_pos */
	td_cents		 day_pnl;	/* trades closed today, net */
	const struct bracket	*atm;		/* its template, or NULL */
	struct strat_ctx	 ctx;
	struct strat_subn	*sub;		/* [0]: the configured one */
	int			 nsub;
	bool			 in_start;	/* may subscribe */
	bool			 started;	/* start has run */
	bool			 wait_flat;	/* holds its new orders */
	struct strat_tmr	*timer;		/* STRAT_MAX_TIMERS of them */
	int			 nsrc;
	char			(*src)[TD_NAME_MAX];	/* data sources heard,
						   STRAT_MAX_SOURCES room */
	struct strat_guard	 guard;
};

/*
 * Subscription k of strategy slot; plain: it neither builds longer bars
 * nor keeps history, so a bar goes straight to the strategy's on_bar.
 */
struct strat_ref {
	int		 slot;
	int		 k;
	bool		 plain;
};

struct inst_state {
	int		 cal;		/* index into e->cal */
	td_ticks	 last;
	bool		 has_last;
	td_ns		 last_md;
	td_ns		 md_every;	/* its last bar's length; 0: ticks */
	struct barbuild	*bars;		/* 1-minute bars from ticks */
	int		 tick_subs;	/* subscriptions to its ticks */
	int		 sec_subs;	/* to bars of seconds from them */
	/* Who hears its minute bars, in order (engine_strat_index). */
	struct strat_ref *minute_subs;
	int		 nminute_subs;
	int		 minute_cap;	/* room in minute_subs */
};

/*
 * What the engine keeps of its configuration (struct engine_config): the
 * market's instruments, borrowed; its own copies of the entries of its
 * strategies (enable and set change them) and bracket templates, as many
 * as there are; and the few settings it reads while trading.  Not the
 * configuration's fixed tables.
 */
struct engine_settings {
	int			 ninst;
	const struct instrument	*inst;		/* the market's */
	int			 ncal;
	int			 nstrat;
	struct strategy_cfg	*strat;		/* [nstrat] */
	int			 natm;
	struct engine_atm	*atm;		/* [natm] */
	int			 nfilter;
	struct signal_filter	*filter;	/* [nfilter] */
	int			 order_capacity;	/* its order manager's */
	struct sizer_cfg	 sizing;
	struct breaker_cfg	 breakers;
	struct {			/* alert_cfg's: when to raise */
		int		 loss_warning_pct;
		int		 reject_streak;
		td_ns		 latency;
	}			 alerts;
	bool			 unattended;
	enum engine_on_unprotected on_unprotected;
	enum engine_on_link_loss on_link_loss;
	enum log_level		 log_level;
	log_fn			 log;
	void			*log_arg;
};

/*
 * The per-instrument, per-calendar and per-strategy state is sized at
 * run time from the counts of the market and the configuration: ninst,
 * ncal and nstrat entries, allocated in engine_create.
 */
struct engine {
	struct engine_settings	 cfg;
	const struct market	*market;	/* borrowed, or own_market */
	struct market		*own_market;	/* made for this engine */
	const struct calendar	**cal;		/* the market's, [ncal] */
	struct cal_event	*next;		/* [ncal] */
	bool			*has_next;	/* [ncal] */
	struct venue		*venue;
	const struct strat_registry *strategies;	/* borrowed */
	struct order_mgr	*om;
	struct portfolio	*pf;
	struct trades		*trades;
	struct risk		*risk;
	/*
	 * The configured limits; the risk manager holds them with the
	 * rollout stage laid over (engine-rollout.c).  ro: the ladder,
	 * NULL without rollout.stages.
	 */
	struct risk_cfg		 risk_base;
	struct rollout		*ro;
	int32_t			 ro_day;	/* the day a restart went on */
	struct strat_slot	*strat;		/* [cfg.nstrat] */
	int			 nstrat;	/* of them set up */
	struct signal_last	*sig;		/* latest data; NULL: none */
	int64_t			*strat_pos;	/* [cfg.nstrat * ninst] */
	struct inst_state	*is;		/* [ninst] */
	struct signal_src	**models;	/* [nmodels], model sources */
	int			 nmodels;

	bool			 started;
	td_ns			 now;
	td_ns			 clock;		/* last engine_advance time */
	td_ns			 strat_next;	/* first strategy timer, 0 */
	td_ns			 timer_due;	/* engine_next_timer's, kept */
	uint64_t		 corr;
	int32_t			 day;		/* current trading day */
	int32_t			 closed_day;	/* last session closed */
	int			 day_trades;
	int64_t			 day_md;	/* market events this trading day */

	uint64_t		 cmd_corr;	/* of the command being run */
	uint64_t		 last_cmd;	/* of the last command, kept */
	/*
	 * Something that moves P&L or the loss limits happened (a fill, a
	 * day or week start, a state or limit change) since the limits
	 * were last checked; marks of a flat instrument move nothing.
	 */
	bool			 pnl_dirty;

	/* Observers (engine-obs.c): the recorder first, if any. */
	struct engine_observer	 obs[ENGINE_MAX_OBS];
	int			 nobs;
	/* Who hears each kind, in order: indexes into obs[]. */
	uint8_t			 hearer[EEV_KINDS][ENGINE_MAX_OBS];
	uint8_t			 nhearer[EEV_KINDS];
	/*
	 * The market and bar events of every bar, made once: each bar sets
	 * their time, instrument and bar (zeroing a whole event per bar
	 * cost more than the rest of a bar's bookkeeping).
	 */
	struct engine_ev	 ev_market, ev_bar;
	/* Subscriptions changed: the instruments' lists are to be made. */
	bool			 subs_dirty;
	/* Some strategy's guard.breach is set: the sweep has work. */
	atomic_bool		 strat_breach;

	/* Health: breakers, alerts, stage timings (engine-health.c). */
	struct breaker		*brk;
	unsigned		 trip_pending;	/* trips not yet acted on */
	bool			 in_trip;
	bool			 breaker_halt;	/* a trip moved the state */
	struct alert_hub	*alerts;	/* not owned */
	int			 reject_streak;
	bool			 loss_warned;	/* today */
	enum venue_conn		 venue_conn;	/* as last seen */
	bool			 venue_was_up;	/* ever */
	bool			 flatten_when_up;	/* on_link_loss flatten, owed */
	int			 venue_disc;	/* its discrepancies, last seen */
	bool			 lat_on;
	td_ns			 lat_alert_next;	/* monotonic */
};

/* The trader's or a strategy's entry, before sizing and risk. */
struct engine_entry {
	struct td_inst	 inst;
	enum td_side	 side;
	enum order_type	 type;
	td_ticks	 price;
	int64_t		 qty;		/* 0: the sizer decides */
	td_ticks	 limit;		/* a stop-limit's limit price */
	enum order_tif	 tif;
	struct bracket	 br;
	struct td_owner	 close_owner;	/* of the part that closes */
	uint64_t	 oco;		/* a free-standing OCO group, 0 = none */
	const char	*why;
};

/*
 * engine-strat.c: the strategies' side of the engine.  STRAT_CALL runs
 * one callback of a running strategy, counted as inside it (the API's
 * calls are refused outside); a failure disables that strategy alone
 * (engine_strat_failed).
 */
#define STRAT_CALL(e, s, cb, ...) do {					\
	if ((s)->ops->cb != NULL && engine_strat_enter((e), (s))) {	\
		struct errmsg	 cerr_;					\
		int		 crc_;					\
									\
		cerr_.msg[0] = '\0';					\
		crc_ = (s)->ops->cb((s)->self, &(s)->ctx, __VA_ARGS__,	\
		    &cerr_);						\
		engine_strat_pop(s);					\
		if (crc_ != 0)						\
			engine_strat_leave((e), (s), #cb, crc_, &cerr_);	\
		engine_strat_police((e), (s));				\
	}								\
} while (0)

struct order_update;

int	 engine_strat_setup(struct engine *, struct errmsg *);
void	 engine_strat_free(struct engine *);
void	 engine_strat_failed(struct engine *, struct strat_slot *,
	     const char *, const struct errmsg *);
void	 engine_strat_leave(struct engine *, struct strat_slot *,
	     const char *, int, const struct errmsg *);
void	 engine_strat_police_slow(struct engine *, struct strat_slot *);
void	 engine_strat_run(struct engine *, struct strat_slot *, enum strat_run);

/*
 * The contract's guard on the hot path (engine-strat.c): a callback is
 * counted in (push, on the thread running it) and out (pop); a call the
 * strategy made outside its callbacks, marked, is acted on (police)
 * before the next and after each.  engine_strat_enter: may s hear a
 * callback now?  Then it is counted in.
 */
/*
 * The calling thread, told apart from the others: the thread pointer
 * where the compiler gives it (one instruction, asked on every
 * callback), else pthread_self.
 */
static inline uintptr_t
engine_thread_id(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
	return (uintptr_t)__builtin_thread_pointer();
#else
	return (uintptr_t)pthread_self();
#endif
}

static inline void
engine_strat_push(struct strat_slot *s)
{
	int	 d = atomic_load_explicit(&s->guard.depth, memory_order_relaxed);

	if (d == 0)
		atomic_store_explicit(&s->guard.thread, engine_thread_id(),
		    memory_order_relaxed);
	atomic_store_explicit(&s->guard.depth, d + 1, memory_order_release);
}

static inline void
engine_strat_pop(struct strat_slot *s)
{
	atomic_store_explicit(&s->guard.depth, atomic_load_explicit(
	    &s->guard.depth, memory_order_relaxed) - 1, memory_order_release);
}

static inline void
engine_strat_police(struct engine *e, struct strat_slot *s)
{
	if (atomic_load_explicit(&s->guard.breach,
	    memory_order_relaxed) != NULL)
		engine_strat_police_slow(e, s);
}

static inline bool
engine_strat_enter(struct engine *e, struct strat_slot *s)
{
	if (s->run != STRAT_RUNNING)
		return false;
	if (atomic_load_explicit(&s->guard.breach,
	    memory_order_relaxed) != NULL) {
		engine_strat_police_slow(e, s);
		if (s->run != STRAT_RUNNING)
			return false;
	}
	engine_strat_push(s);
	return true;
}
void	 engine_strat_order(struct engine *, const struct order_update *);
bool	 engine_strat_trades(const struct strat_slot *, struct td_inst);
void	 engine_strat_start(struct engine *);
void	 engine_strat_sweep(struct engine *);
void	 engine_strat_bar(struct engine *, int, const struct td_bar *);
void	 engine_strat_tick_bars(struct engine *, int, td_ns);
void	 engine_strat_tick(struct engine *, int, const struct td_tick *);
void	 engine_strat_session(struct engine *, int,
	     const struct cal_event *);
void	 engine_strat_finish(struct engine *);
void	 engine_strat_timer(struct engine *);
int	 engine_signal_check(const struct engine *, const struct engine_deps *,
	     struct errmsg *);
void	 engine_signal_start(struct engine *);
void	 engine_signal_bar(struct engine *, int, const struct td_bar *);

void	 engine_log(struct engine *, enum log_level, const char *, uint64_t,
	     const char *, ...) __attribute__((format(printf, 5, 6)));
char	*engine_px(const struct engine *, struct td_inst, td_ticks, char *,
	     size_t);
void	 engine_drain(struct engine *);
void	 engine_venue_event(struct engine *, const struct venue_event *);
void	 engine_timers(struct engine *, td_ns);
/* Keep timer_due: after anything that arms or fires a timer. */
void	 engine_timer_due(struct engine *);
int	 engine_enter(struct engine *, struct td_owner,
	     const struct engine_entry *, uint64_t, uint64_t *,
	     struct errmsg *);
int	 engine_risk(struct engine *, const struct engine_entry *, int64_t,
	     int64_t, uint64_t, struct errmsg *);
int	 engine_exit(struct engine *, struct td_inst, struct td_owner,
	     uint64_t, const char *);
int	 engine_limit_check(struct engine *, struct td_inst, enum td_side,
	     td_ticks, td_ticks, struct errmsg *);
uint64_t engine_take_corr(struct engine *);

/*
 * engine-obs.c: the events.  engine_emit gives an event to the recorder,
 * then to the other observers whatever the recorder said; -1 when the
 * recorder could not keep it (the engine halted).  engine_emit_veto is
 * for what the recorder's refusal stops (an order not sent, a resume
 * that does not happen): the others then do not hear of it.  engine_hears
 * spares building an event nobody hears.
 */
int	 engine_emit(struct engine *, const struct engine_ev *,
	     struct errmsg *);
int	 engine_emit_veto(struct engine *, const struct engine_ev *,
	     struct errmsg *);
/*
 * engine_tell: an event of the kinds no recorder keeps (a bar, a market
 * event, a stage's timing) to those who hear it, with nothing to answer.
 */
void	 engine_tell(struct engine *, const struct engine_ev *);
int	 engine_emit_order(struct engine *, const struct order *, int,
	     struct errmsg *);
void	 engine_emit_update(struct engine *, const struct order *, int);
void	 engine_snap_observers(const struct engine *, struct snapshot *);

static inline bool
engine_hears(const struct engine *e, enum engine_ev_kind kind)
{
	return e->nhearer[kind] > 0;
}

void	 engine_state_changed(struct engine *, enum trading_state);
bool	 engine_feed(const struct engine *, int, td_ns, struct risk_feed *);

/*
 * Stage timings (health.latency): engine_clock is the monotonic time when
 * timing is on and 0 when it is off, so that nothing reads a clock then;
 * engine_time_stage tells the observers the time a stage took since t0
 * (the health observer keeps the histograms).
 */
static inline td_ns
engine_clock(const struct engine *e)
{
	struct timespec	 ts;

	if (!e->lat_on)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

static inline void
engine_time_stage(struct engine *e, int stage, td_ns t0)
{
	if (t0 != 0 && engine_hears(e, EEV_STAGE))
		engine_emit(e, &(struct engine_ev){ .kind = EEV_STAGE,
		    .time = e->now, .stage = stage,
		    .took = engine_clock(e) - t0 }, NULL);
}

/*
 * engine-rollout.c: the rollout ladder.  Each does nothing without one.
 * engine_rollout_limits gives the risk manager base with the stage laid
 * over; the others make the ladder's events (journaled, then taken).
 */
int	 engine_rollout_create(struct engine *, const struct engine_config *,
	     struct errmsg *);
int	 engine_rollout_limits(struct engine *, const struct risk_cfg *,
	     struct errmsg *);
void	 engine_rollout_begin(struct engine *);
void	 engine_rollout_restore(struct engine *, const struct rollout_event *);
void	 engine_rollout_restored(struct engine *);
void	 engine_rollout_incident(struct engine *, const char *);
void	 engine_rollout_session(struct engine *);
void	 engine_rollout_breaker(struct engine *, const char *);
void	 engine_rollout_state(struct engine *, enum trading_state);
void	 engine_rollout_fill(struct engine *, const struct order_update *);
bool	 engine_rollout_allows(const struct engine *, struct td_inst, char *,
	     size_t);
void	 engine_rollout_cap(const struct engine *, int64_t *);

/* engine-health.c: breakers, alerts and the loop's watches. */
void	 engine_rejected(struct engine *, uint64_t, const char *);
bool	 engine_for_command(const struct engine *, uint64_t);
void	 engine_accepted(struct engine *);
void	 engine_venue_error(struct engine *);
void	 engine_watch_error(struct engine *, const char *, const char *);
void	 engine_watch_pnl(struct engine *);
void	 engine_watch_discrepancies(struct engine *);
void	 engine_venue_moved(struct engine *, enum venue_conn);
void	 engine_watch_event(struct engine *, td_ns);

/*
 * After every event: the venue's connection as it is now, and what it
 * found after a reconnect (only a venue that reconnects counts that).
 * Nearly always as it was: the rest is out of line.
 */
static inline void
engine_watch_venue(struct engine *e)
{
	const struct venue	*v = e->venue;
	enum venue_conn		 c;

	if (v->ops->discrepancies != NULL)
		engine_watch_discrepancies(e);
	c = v->ops->conn == NULL ? VENUE_UP : v->ops->conn(v->ctx);
	if (c != e->venue_conn)
		engine_venue_moved(e, c);
}

void	 engine_health_day(struct engine *);
void	 engine_snap_health(const struct engine *, struct snapshot *);

#endif
