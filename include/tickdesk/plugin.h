/*
 * plugin.h -- the one symbol a plug-in strategy exports.
 *
 * A plug-in is a shared object built against the installed headers,
 *
 *	cc -shared -fPIC $(pkg-config --cflags tickdesk) -o mine.so mine.c
 *
 * that defines its strategy's table (strategy.h) under this name:
 *
 *	#include <tickdesk/plugin.h>
 *
 *	const struct strategy_ops tickdesk_strategy = {
 *		.abi = TD_STRATEGY_ABI,
 *		.name = "mine",
 *		...
 *	};
 *
 * tickdesk opens the object when a strategy's group names it (plugin =
 * "mine.so"; in tickdesk.conf(5)), reads the table's abi before anything
 * else of it and refuses an object built for another version of these
 * headers, checks the rest of the table as it checks its own strategies,
 * and adds it to the strategies a configuration may use, beside the
 * built-in ones: a name taken already is refused.  The object stays open
 * as long as the strategies it serves and is closed after them.  The
 * strategy calls only the functions these headers declare: tickdesk
 * provides them, so a plug-in links against nothing of tickdesk.
 * tickdesk-plugin(7) is the whole contract.
 */
#ifndef TD_PLUGIN_H
#define TD_PLUGIN_H

#include "strategy.h"

/* The name tickdesk looks the table up by. */
#define TD_PLUGIN_SYMBOL	"tickdesk_strategy"

/* Declared here so that a table of the wrong type does not compile, and
 * exported even from an object built with -fvisibility=hidden. */
extern __attribute__((visibility("default")))
const struct strategy_ops tickdesk_strategy;

#endif
