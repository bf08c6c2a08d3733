/*
 * xdg.c -- the user's directories of the XDG base directory spec (xdg.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "xdg.h"

static const struct {
	const char	*var;
	const char	*home;		/* below $HOME */
} xdg_dirs[] = {
	[XDG_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[XDG_DATA] = { "XDG_DATA_HOME", ".local/share" },
	[XDG_STATE] = { "XDG_STATE_HOME", ".local/state" },
};

int
xdg_path(enum xdg_dir dir, const char *rest, char *buf, size_t len)
{
	const char	*var = getenv(xdg_dirs[dir].var);
	const char	*home = getenv("HOME");
	int		 n;

	if (var != NULL && var[0] == '/')
		n = snprintf(buf, len, "%s/%s", var, rest);
	else if (home != NULL && home[0] == '/')
		n = snprintf(buf, len, "%s/%s/%s", home, xdg_dirs[dir].home,
		    rest);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
