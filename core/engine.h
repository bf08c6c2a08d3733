/*
 * engine.h -- one trading engine as a value.
 *
 * The engine owns everything that trades: instruments and their session
 * calendars, the strategies, the sizer, the risk manager, the order manager,
 * the venue and the portfolio.  It has no clock of its own: every call says
 * what time it is, so a backtest steps time with the data and a live session
 * with the wall clock, through the same code.  Many engines may run side by
 * side; nothing here is global.
 *
 * One market event goes: session timers due before it -> venue matching ->
 * order manager -> portfolio -> risk -> strategies (bars and ticks) -> intents
 * -> sizer -> risk -> order manager -> venue.
 */
#ifndef TD_ENGINE_H
#define TD_ENGINE_H

#include "types.h"
#include "calendar.h"
#include "instrument.h"
#include "log.h"
#include "risk.h"
#include "sizer.h"
#include "stats.h"
#include "strategy.h"
#include "venue-sim.h"

struct errmsg;
struct feed;
struct portfolio;
struct trades;
struct order_mgr;

#define ENGINE_MAX_INST		8
#define ENGINE_MAX_CAL		4
#define ENGINE_MAX_STRAT	16

struct strategy_cfg {
	char		 name[TD_NAME_MAX];	/* instance name, unique */
	char		 type[TD_NAME_MAX];	/* strategy_ops name */
	char		 symbol[TD_SYMBOL_MAX];
	bool		 enabled;
	int64_t		 params[STRAT_MAX_PARAMS];	/* per ops->params */
};

struct engine_config {
	int			 ninst;
	struct instrument	 inst[ENGINE_MAX_INST];
	int			 ncal;
	struct calendar_cfg	 cal[ENGINE_MAX_CAL];
	int			 nstrat;
	struct strategy_cfg	 strat[ENGINE_MAX_STRAT];
	struct risk_cfg		 risk;
	struct sizer_cfg	 sizing;
	struct venue_sim_cfg	 venue;
	int			 order_capacity;
	/* Nobody watches (a backtest): loss halts expire at the next day. */
	bool			 unattended;
	enum log_level		 log_level;
	log_fn			 log;
	void			*log_arg;
};

/* Fill cfg with the built-in defaults (no instruments, no strategies). */
void		 engine_config_defaults(struct engine_config *cfg);

/* NULL and a message on a bad configuration; free with engine_free. */
struct engine	*engine_create(const struct engine_config *cfg,
		     struct errmsg *err);
void		 engine_free(struct engine *e);

/* Index of an instrument by symbol, or -1. */
int		 engine_inst_index(const struct engine *e, const char *symbol);

/* Process one market event.  -1 only when the event itself is unusable. */
int		 engine_on_market(struct engine *e, const struct td_md *md,
		     struct errmsg *err);
/* Run a whole feed through the engine, then finish. */
int		 engine_run(struct engine *e, struct feed *feed,
		     struct errmsg *err);
/* End of data: fire timers due by `end`, stop the strategies. */
void		 engine_finish(struct engine *e, td_ns end);

/*
 * Cancel every working order of an instrument (-1: all) and close its
 * positions at market.  Never blocked by risk, halt or kill.
 */
int		 engine_flatten(struct engine *e, int inst, const char *why);
/*
 * Move the trading state (halt, resume, kill) on behalf of `who`, a person
 * or "engine"; the risk manager decides which moves are allowed.
 */
int		 engine_set_state(struct engine *e, enum trading_state to,
		     const char *who, const char *why, struct errmsg *err);
/* Sum of the strategies' positions on an instrument. */
int64_t		 engine_strat_position(const struct engine *e, int inst);

td_ns		 engine_now(const struct engine *e);
const struct portfolio	*engine_portfolio(const struct engine *e);
const struct trades	*engine_trades(const struct engine *e);
const struct order_mgr	*engine_orders(const struct engine *e);
/* Per trading day figures for the report, oldest first. */
const struct stats_day	*engine_days(const struct engine *e, size_t *n);
const struct instrument	*engine_instrument(const struct engine *e, int i);
int		 engine_ninst(const struct engine *e);
const struct calendar	*engine_calendar(const struct engine *e, int i);
enum trading_state engine_state(const struct engine *e);
/* Counters: events processed, orders sent, orders refused by risk. */
int64_t		 engine_events(const struct engine *e);
int64_t		 engine_rejects(const struct engine *e);

#endif
