/*
 * strat-plugin.h -- plug-in strategies: shared objects opened at run time.
 *
 * A plug-in exports one strategy table (include/tickdesk/plugin.h).
 * strat_plugin_load opens the object, refuses it with a message naming
 * the file unless it is a plug-in built for this program's strategy ABI
 * whose table the registry accepts (callbacks, parameter table, a name
 * no other strategy has), and adds the table to a registry, which then
 * holds the object open and closes it when it is freed, after the last
 * use of the table.  The engines that run its strategies must therefore
 * be freed before the registry.
 *
 * Nothing here is global: two registries may load the same file, and the
 * system's loader counts the references.
 */
#ifndef TD_STRAT_PLUGIN_H
#define TD_STRAT_PLUGIN_H

struct errmsg;
struct strat_registry;
struct strategy_ops;

/*
 * Load the plug-in at path into reg (a relative path is taken from the
 * working directory, never searched for along a library path).  The
 * plug-in's table, which reg now holds, or NULL and "PATH: why" when the
 * file is missing, is not a shared object whose symbols all resolve,
 * does not export tickdesk_strategy, was built for another strategy ABI,
 * or holds a table reg refuses.  Loading a file reg holds already adds
 * nothing and returns the same table.
 */
const struct strategy_ops *strat_plugin_load(struct strat_registry *reg,
		     const char *path, struct errmsg *err);

#endif
