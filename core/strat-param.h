/*
 * strat-param.h -- a strategy's parameter table (struct strat_param in
 * strategy.h), read by the engine's side: lookups, defaults, checks.
 *
 * The configuration loader, `strategy set` in the desk, `config keys`
 * and the strategy registry all read a strategy's parameters through
 * these functions, so that every one of them judges a value the same way.
 */
#ifndef TD_STRAT_PARAM_H
#define TD_STRAT_PARAM_H

#include "strategy.h"

struct errmsg;

/* Index of a parameter in ops->params, or -1. */
int		 strat_param_index(const struct strategy_ops *ops,
		     const char *name);
/* How many parameters ops has. */
int		 strat_param_count(const struct strategy_ops *ops);
/* Every parameter at its default: num[i] (and text[i]) per ops->params. */
void		 strat_param_defaults(const struct strategy_ops *ops,
		     int64_t *num);
/*
 * Is the table usable?  -1 and what is wrong ("parameter 'x': default 0
 * is out of its range 1..10") for more than STRAT_MAX_PARAMS entries, a
 * name missing, repeated or too long, or a default out of its range.
 */
int		 strat_param_check(const struct strategy_ops *ops,
		     struct errmsg *err);

#endif
