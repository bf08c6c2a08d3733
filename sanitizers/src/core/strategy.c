/*
 * strategy.c -- the table of strategies and lookups in it.
 *
 * Adding a strategy: write core/strat-NAME.c exporting a const struct
 * strategy_ops (copy strat-minimal.c), declare it below and add it to the
 * table.  The configuration loader, `config keys` and the man-page check
 * all walk this table and each strategy's parameter table.
 */
#include <string.h>

#include "strategy.h"

extern const struct strategy_ops strat_minimal_ops;
extern const struct strategy_ops strat_orb_ops;

static const struct strategy_ops *const strategy_table[] = {
	&strat_minimal_ops,
	&strat_orb_ops,
	NULL,
};

const struct strategy_ops *
strategy_find(const char *name)
{
	for (size_t i = 0; strategy_table[i] != NULL; i++) {
		if (strcmp(strategy_table[i]->name, name) == 0)
			return strategy_table[i];
	}
	return NULL;
}

const struct strategy_ops *const *
strategy_all(void)
{
	return strategy_table;
}

int
strategy_param_index(const struct strategy_ops *ops, const char *name)
{
	for (int i = 0; ops->params[i].name != NULL; i++) {
		if (strcmp(ops->params[i].name, name) == 0)
			return i;
	}
	return -1;
}
