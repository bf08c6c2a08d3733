/*
 * strat-plugin.c -- loading plug-in strategies into a registry (see
 * strat-plugin.h).
 *
 * A plug-in runs on the engine's thread, so everything that can be
 * checked before its first callback is checked at load: the file is a
 * shared object whose every symbol resolves now (RTLD_NOW: a function
 * tickdesk does not provide is a refusal at load, not a crash in the
 * middle of a session), it exports tickdesk_strategy, the table's abi --
 * its first member in every version -- is this program's before anything
 * else of it is read, and the registry accepts the rest.  RTLD_LOCAL
 * keeps one plug-in's symbols from another's.
 *
 * What cannot be checked here (a callback that fails, an order that makes
 * no sense, a call made outside a callback) the engine meets at run time,
 * and it disables that strategy alone.
 */
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "plugin.h"
#include "strat-plugin.h"
#include "strat-registry.h"

/* Any tickdesk reads any plug-in's abi where every version keeps it. */
_Static_assert(offsetof(struct strategy_ops, abi) == 0,
    "strategy_ops.abi must stay the table's first member");

/* dlerror() names the file itself; keep what it says after the name. */
static const char *
strat_plugin_dlerror(const char *file)
{
	const char	*e = dlerror();
	size_t		 n = strlen(file);

	if (e == NULL)
		return "unknown error";
	if (strncmp(e, file, n) == 0 && e[n] == ':' && e[n + 1] == ' ')
		return e + n + 2;
	return e;
}

/* Open the object; a path without a slash is a file here, not a search. */
static void *
strat_plugin_open(const char *path, struct errmsg *err)
{
	struct stat	 st;
	char		*file = NULL;
	const char	*name = path;
	void		*h;

	if (stat(path, &st) == -1) {
		errmsg_set(err, "%s", errno == ENOENT ? "no such file" :
		    strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		errmsg_set(err, "not a regular file");
		return NULL;
	}
	if (strchr(path, '/') == NULL) {
		if ((file = malloc(strlen(path) + 3)) == NULL) {
			errmsg_set(err, "out of memory");
			return NULL;
		}
		strcpy(file, "./");
		strcat(file, path);
		name = file;
	}
	dlerror();
	if ((h = dlopen(name, RTLD_NOW | RTLD_LOCAL)) == NULL)
		errmsg_set(err, "not a shared object that loads: %s",
		    strat_plugin_dlerror(name));
	free(file);
	return h;
}

/* The registry's release of an adopted table. */
static void
strat_plugin_close(void *handle)
{
	dlclose(handle);
}

/* Is ops one of reg's tables already (the same file loaded again)? */
static bool
strat_plugin_held(const struct strat_registry *reg,
    const struct strategy_ops *ops)
{
	for (int i = 0; i < strat_registry_count(reg); i++) {
		if (strat_registry_at(reg, i) == ops)
			return true;
	}
	return false;
}

/* Refuse a table whose name is taken, saying by what. */
static int
strat_plugin_name_free(const struct strat_registry *reg,
    const struct strategy_ops *ops, struct errmsg *err)
{
	if (ops->name == NULL || strat_registry_find(reg, ops->name) == NULL)
		return 0;	/* the registry judges a missing name */
	if (strat_registry_find(strat_registry_builtin(), ops->name) != NULL)
		return errmsg_set(err, "strategy %s: a built-in strategy has "
		    "that name", ops->name);
	return errmsg_set(err, "strategy %s: another plug-in has that name",
	    ops->name);
}

const struct strategy_ops *
strat_plugin_load(struct strat_registry *reg, const char *path,
    struct errmsg *err)
{
	const struct strategy_ops	*ops;
	void				*h;

	if (path == NULL || path[0] == '\0') {
		errmsg_set(err, "no plug-in file given");
		return NULL;
	}
	if ((h = strat_plugin_open(path, err)) == NULL)
		goto fail;
	dlerror();
	if ((ops = dlsym(h, TD_PLUGIN_SYMBOL)) == NULL) {
		errmsg_set(err, "no symbol %s: not a tickdesk plug-in "
		    "(tickdesk-plugin(7))", TD_PLUGIN_SYMBOL);
		goto fail;
	}
	if (ops->abi != TD_STRATEGY_ABI) {
		errmsg_set(err, "built for strategy ABI %d, this tickdesk has "
		    "ABI %d: rebuild it against this tickdesk's headers "
		    "(pkg-config --cflags tickdesk)", ops->abi,
		    TD_STRATEGY_ABI);
		goto fail;
	}
	if (strat_plugin_held(reg, ops)) {
		dlclose(h);	/* the registry holds a reference already */
		return ops;
	}
	if (strat_plugin_name_free(reg, ops, err) == -1 ||
	    strat_registry_adopt(reg, ops, strat_plugin_close, h, err) == -1)
		goto fail;
	return ops;
fail:
	if (h != NULL)
		dlclose(h);
	errmsg_prefix(err, "%s", path);
	return NULL;
}
