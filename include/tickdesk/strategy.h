/*
 * strategy.h -- the strategy interface: a table of callbacks.
 *
 * A strategy sees market data, session boundaries and its own fills, and
 * answers with intents ("enter long with an 8-tick stop"), never orders.
 * The engine turns an intent into an order through the sizer, the risk
 * manager and the order manager, exactly as it does for a manual order, so
 * a strategy cannot tell a backtest from a live session.
 *
 * Each strategy is one core/strat-*.c file exporting a const struct
 * strategy_ops; strategy_find() looks one up by name.  strat-minimal.c is
 * the skeleton to copy.  A callback returns 0, or -1 after filling err: the
 * engine then disables that strategy alone and carries on.
 */
#ifndef TD_STRATEGY_H
#define TD_STRATEGY_H

#include "types.h"

struct errmsg;
struct strat_ctx;

#define STRAT_MAX_PARAMS	16

/* One tunable parameter: integers only (ticks, minutes, counts, cents). */
struct strat_param {
	const char	*name;
	int64_t		 def;
	int64_t		 min;
	int64_t		 max;
	const char	*unit;
	const char	*text;
};

enum intent_kind {
	INTENT_ENTER,		/* open a position with a bracket */
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

/* A fill of one of this strategy's orders, as the strategy sees it. */
struct strat_fill {
	int		 inst;
	enum td_side	 side;
	int64_t		 qty;
	td_ticks	 price;
	int64_t		 position;	/* the strategy's position after it */
	td_ns		 time;
};

/* A regular session of the strategy's instrument opening or closing. */
struct strat_session {
	int		 inst;
	int32_t		 day;		/* trading day, yyyymmdd */
	td_ns		 open;		/* this session's open */
	td_ns		 close;		/* and its close (early close honoured) */
};

struct strategy_ops {
	const char		*name;
	const char		*summary;
	const struct strat_param *params;	/* ends with a NULL name */

	/* params[] holds one value per entry of ops->params. */
	void	*(*create)(const int64_t *params, int inst,
		    struct errmsg *err);
	void	 (*destroy)(void *self);
	int	 (*start)(void *self, struct strat_ctx *ctx,
		    struct errmsg *err);
	int	 (*on_bar)(void *self, struct strat_ctx *ctx,
		    const struct td_bar *bar, struct errmsg *err);
	int	 (*on_tick)(void *self, struct strat_ctx *ctx,
		    const struct td_tick *tick, struct errmsg *err);
	int	 (*on_fill)(void *self, struct strat_ctx *ctx,
		    const struct strat_fill *fill, struct errmsg *err);
	int	 (*on_session_open)(void *self, struct strat_ctx *ctx,
		    const struct strat_session *s, struct errmsg *err);
	int	 (*on_session_close)(void *self, struct strat_ctx *ctx,
		    const struct strat_session *s, struct errmsg *err);
	void	 (*stop)(void *self, struct strat_ctx *ctx);
};

/* What a strategy may ask of the engine from inside a callback. */
td_ns		 strat_now(const struct strat_ctx *ctx);
int64_t		 strat_position(const struct strat_ctx *ctx);
/* 0 when the intent became an order; -1 when it was refused (logged). */
int		 strat_intent(struct strat_ctx *ctx, const struct intent *in);
/* A price of the strategy's instrument as text ("4801.25"). */
char		*strat_format(const struct strat_ctx *ctx, td_ticks px,
		     char *buf, size_t len);
void		 strat_log(struct strat_ctx *ctx, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));

/* Look a strategy up by name; NULL if there is none. */
const struct strategy_ops *strategy_find(const char *name);
/* The table of all strategies, ending with NULL. */
const struct strategy_ops *const *strategy_all(void);
/* Index of a parameter in ops->params, or -1. */
int		 strategy_param_index(const struct strategy_ops *ops,
		     const char *name);

#endif
