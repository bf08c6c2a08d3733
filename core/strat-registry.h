/*
 * strat-registry.h -- the strategies an engine can run, by name.
 *
 * A registry is a list of strategy tables (struct strategy_ops).  The
 * built-in strategies are its first entries; a caller adds more (a
 * plug-in's table) with strat_registry_add, which checks that the table
 * was written against this version of strategy.h (TD_STRATEGY_ABI), has
 * the callbacks every strategy needs, a name no other entry has and a
 * parameter table the loader can read.  The engine is handed a registry
 * and looks up each configured strategy's type in it; the configuration
 * loader, `config keys` and the man-page check walk it.
 *
 * strat_registry_builtin is a registry of the built-ins alone, read-only
 * and shared: no one frees it.  A registry made with strat_registry_create
 * belongs to its caller (strat_registry_free); the tables it holds are
 * not copied and must outlive it.
 */
#ifndef TD_STRAT_REGISTRY_H
#define TD_STRAT_REGISTRY_H

#include "strategy.h"

struct errmsg;
struct strat_registry;

/* A registry holding the built-ins; NULL and a message without memory. */
struct strat_registry *strat_registry_create(struct errmsg *err);
/* Free a registry (NULL is fine); the tables it held are not touched. */
void		 strat_registry_free(struct strat_registry *r);

/*
 * Add a table.  -1 and a message naming it when its ABI version is not
 * TD_STRATEGY_ABI, its name is empty, too long or taken, it lacks create
 * or destroy, or its parameter table is unusable (strat_param_check).
 */
int		 strat_registry_add(struct strat_registry *r,
		     const struct strategy_ops *ops, struct errmsg *err);

/*
 * Add a table that something else keeps alive (a plug-in's, in its
 * shared object): as strat_registry_add, and when the table was taken
 * the registry calls release(arg) once it is freed, after the last use of
 * its tables, in the reverse order of the calls.  When -1, release is not
 * called and the caller still owns arg.
 */
int		 strat_registry_adopt(struct strat_registry *r,
		     const struct strategy_ops *ops, void (*release)(void *),
		     void *arg, struct errmsg *err);

/* The table of that name, or NULL. */
const struct strategy_ops *strat_registry_find(const struct strat_registry *r,
		     const char *name);
/* Entries 0 .. count - 1, the built-ins first. */
int		 strat_registry_count(const struct strat_registry *r);
const struct strategy_ops *strat_registry_at(const struct strat_registry *r,
		     int i);

/* The built-in strategies alone: shared, read-only, never freed. */
const struct strat_registry *strat_registry_builtin(void);

#endif
