/*
 * strat-param.c -- lookups and checks on a strategy's parameter table
 * (see strat-param.h).
 */
#include <string.h>

#include "errmsg.h"
#include "strat-param.h"

int
strat_param_index(const struct strategy_ops *ops, const char *name)
{
	for (int i = 0; ops->params[i].name != NULL; i++) {
		if (strcmp(ops->params[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
strat_param_count(const struct strategy_ops *ops)
{
	int	 n = 0;

	while (ops->params[n].name != NULL)
		n++;
	return n;
}

void
strat_param_defaults(const struct strategy_ops *ops, int64_t *num)
{
	for (int i = 0; ops->params[i].name != NULL; i++)
		num[i] = ops->params[i].def;
}

int
strat_param_check(const struct strategy_ops *ops, struct errmsg *err)
{
	const struct strat_param	*p;

	if (ops->params == NULL)
		return errmsg_set(err, "no parameter table (an empty one ends "
		    "with a NULL name)");
	for (int i = 0; (p = &ops->params[i])->name != NULL; i++) {
		if (i == STRAT_MAX_PARAMS)
			return errmsg_set(err, "more than %d parameters",
			    STRAT_MAX_PARAMS);
		if (p->name[0] == '\0' || strlen(p->name) >= TD_NAME_MAX)
			return errmsg_set(err, "parameter %d: a name of 1 to "
			    "%d characters", i, TD_NAME_MAX - 1);
		if (strat_param_index(ops, p->name) != i)
			return errmsg_set(err, "parameter '%s' twice",
			    p->name);
		if (p->min > p->max || p->def < p->min || p->def > p->max)
			return errmsg_set(err, "parameter '%s': default %lld "
			    "is out of its range %lld..%lld", p->name,
			    (long long)p->def, (long long)p->min,
			    (long long)p->max);
	}
	return 0;
}
