/*
 * plugin.h -- what a plug-in strategy exports.
 *
 * A plug-in is a shared object built against the installed headers:
 *
 *	cc -shared -fPIC $(pkg-config --cflags tickdesk) -o mine.so mine.c
 *
 * It defines one strategy_ops per strategy (strategy.h) and exports one
 * symbol, tickdesk_plugin, that lists them:
 *
 *	#include <tickdesk/plugin.h>
 *
 *	static const struct strategy_ops *const mine_list[] = {
 *		&mine_ops, NULL,
 *	};
 *	TD_PLUGIN("mine", mine_list);
 *
 * tickdesk opens the object when a strategy's group names it (plugin =
 * "mine.so"; in tickdesk.conf(5)), checks that it was built with the
 * strategy ABI of the running program (TD_STRATEGY_ABI) before it reads
 * anything else, checks each strategy's table and parameters, and adds
 * the strategies to its registry beside the built-in ones: a name taken
 * already is refused.  The object is closed when the registry goes, so a
 * plug-in keeps no state of its own between create and destroy (several
 * engines may use it at once, in threads).  tickdesk-plugin(7) is the
 * whole contract.
 */
#ifndef TD_PLUGIN_H
#define TD_PLUGIN_H

#include "strategy.h"

/* The symbol tickdesk looks up in a plug-in. */
#define TD_PLUGIN_SYMBOL	"tickdesk_plugin"

struct td_plugin {
	/* TD_STRATEGY_ABI of the headers the plug-in was built with; the
	 * first member in every version, so that any tickdesk can read it. */
	unsigned int			 abi;
	/* The plug-in's own name, for messages: letters, digits, - and _. */
	const char			*name;
	/* Its strategies, at least one, ending with NULL. */
	const struct strategy_ops *const *strategies;
};

/* Define the exported symbol with the ABI of these headers. */
#define TD_PLUGIN(name_, list_)						\
	extern const struct td_plugin tickdesk_plugin;			\
	__attribute__((visibility("default")))				\
	const struct td_plugin tickdesk_plugin = {			\
		.abi = TD_STRATEGY_ABI,					\
		.name = (name_),					\
		.strategies = (list_),					\
	}

#endif
