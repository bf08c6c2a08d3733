/*
 * engine-int.h -- the inside of struct engine, shared by the files of the
 * engine (engine.c: the loop; engine-cmd.c: the trader's commands;
 * engine-snap.c: snapshots for the console).  Nothing outside them may
 * include it.
 */
#ifndef TD_ENGINE_INT_H
#define TD_ENGINE_INT_H

#include "engine.h"
#include "log.h"
#include "snapshot.h"

struct order;
struct barbuild;

#define ENGINE_BLOTTER	SNAP_MAX_BLOTTER

enum strat_run {
	STRAT_RUNNING,
	STRAT_DISABLED,
	STRAT_ERRORED,
};

struct strat_ctx {
	struct engine	*e;
	int		 slot;
};

struct strat_slot {
	const struct strategy_ops *ops;
	void			*self;
	const struct strategy_cfg *cfg;
	int			 inst;
	enum strat_run		 run;
	int64_t			 position;
	td_cents		 day_pnl;	/* trades closed today, net */
	struct strat_ctx	 ctx;
};

struct inst_state {
	int		 cal;		/* index into e->cal */
	int		 nspark;
	int		 spark_head;
	td_ticks	 spark[SNAP_SPARK];	/* ring of 1-minute closes */
	td_ticks	 last;
	bool		 has_last;
	td_ns		 last_md;
	struct barbuild	*bars;		/* 1-minute bars from ticks */
};

struct engine {
	struct engine_config	 cfg;
	struct calendar		*cal[ENGINE_MAX_CAL];
	struct cal_event	 next[ENGINE_MAX_CAL];
	bool			 has_next[ENGINE_MAX_CAL];
	struct venue		*venue;
	struct order_mgr	*om;
	struct portfolio	*pf;
	struct trades		*trades;
	struct risk		*risk;
	struct strat_slot	 strat[ENGINE_MAX_STRAT];
	int			 nstrat;
	struct inst_state	 is[ENGINE_MAX_INST];

	bool			 started;
	td_ns			 now;
	uint64_t		 corr;
	int32_t			 day;		/* current trading day */
	int32_t			 closed_day;	/* last session closed */
	int			 day_trades;
	struct stats_day	*days;
	size_t			 ndays;
	size_t			 days_cap;
	int64_t			 events;
	int64_t			 rejects;

	uint64_t		 cmd_corr;	/* of the command being run */
	/*
	 * Something that moves P&L or the loss limits happened (a fill, a
	 * day or week start, a state or limit change) since the limits
	 * were last checked; marks of a flat instrument move nothing.
	 */
	bool			 pnl_dirty;
	engine_observer_fn	 observe;
	void			*observe_arg;

	struct snap_blot	 blot[ENGINE_BLOTTER];	/* ring, for the console */
	int			 blot_head;	/* next slot */
	int			 nblot;
};

/* The trader's or a strategy's entry, before sizing and risk. */
struct engine_entry {
	int		 inst;
	enum td_side	 side;
	enum order_type	 type;
	td_ticks	 price;
	int64_t		 qty;		/* 0: the sizer decides */
	int32_t		 stop_ticks;
	int32_t		 target_ticks;
	const char	*why;
};

void	 engine_log(struct engine *, enum log_level, const char *, uint64_t,
	     const char *, ...) __attribute__((format(printf, 5, 6)));
char	*engine_px(const struct engine *, int, td_ticks, char *, size_t);
void	 engine_drain(struct engine *);
int	 engine_enter(struct engine *, int, const struct engine_entry *,
	     uint64_t, uint64_t *, struct errmsg *);
int	 engine_exit(struct engine *, int, int, uint64_t, const char *);
void	 engine_blot(struct engine *, const struct order *, bool, int64_t,
	     td_ticks);
const char *engine_owner_name(const struct engine *, int);
void	 engine_emit(struct engine *, const struct engine_ev *);
uint64_t engine_take_corr(struct engine *);
void	 engine_emit_order(struct engine *, const struct order *, int);
void	 engine_state_changed(struct engine *, enum trading_state);

#endif
