/*
 * xdg.h -- where the user's files go, as the XDG base directory spec
 * places them: the configuration, the data (the journal) and the state
 * (logs, the console's history) of tickdesk.
 */
#ifndef TD_XDG_H
#define TD_XDG_H

#include <stddef.h>

enum xdg_dir {
	XDG_CONFIG,	/* $XDG_CONFIG_HOME, else ~/.config */
	XDG_DATA,	/* $XDG_DATA_HOME, else ~/.local/share */
	XDG_STATE,	/* $XDG_STATE_HOME, else ~/.local/state */
};

/*
 * rest (a relative path) below the directory dir into buf: the
 * variable's directory when it is absolute (the spec ignores a relative
 * one), else its place under $HOME.  -1 when neither is known (no
 * absolute $HOME either) or the path does not fit in len.
 */
int	 xdg_path(enum xdg_dir dir, const char *rest, char *buf, size_t len);

#endif
