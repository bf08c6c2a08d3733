/*
 * console.h -- the trader's console: ncurses panes and a readline command
 * line on the main thread, in front of an engine running on its own.
 *
 * The console never calls the engine.  It sends command lines with
 * runner_submit and shows what comes back through the runner's queues:
 * replies go to the reply line above the command line (ui/reply.h) and,
 * whole, to the log pane with the log lines; the latest snapshot goes to
 * every other pane.  Its loop is small: poll the terminal, the runner's
 * descriptor, a signal pipe and whatever the hooks add (the control
 * socket); take what is ready; mark panes dirty; redraw the dirty ones at
 * most 30 times a second with one doupdate.  A terminal that stops
 * reading (Ctrl-S, a stalled link) stalls this loop only: the runner's
 * queues keep the engine going.
 *
 * Confirmations: a reply with confirm set asks its question on the
 * reply line, whole, and the command line's prompt becomes the answer it
 * wants ("[y/N]"); the right answer sends
 * the same line again with " --confirmed".  F12 asks "flatten all and
 * halt? [y/N]" and on y sends `halt` then `flatten all`.
 *
 * Signals: SIGINT (and Ctrl-C) clears the line and nothing else.  SIGHUP
 * (the terminal is gone) makes the console let go of the screen and go
 * on headless; both it and SIGTERM are then handed to the session's
 * policy (src/session.h), which never ends a session silently while a
 * position is open.
 */
#ifndef TD_UI_CONSOLE_H
#define TD_UI_CONSOLE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "cmdline.h"
#include "runner.h"
#include "snapshot.h"

struct errmsg;

/* How a session ended. */
enum console_end {
	CONSOLE_RUNNING,
	CONSOLE_DONE,		/* ended cleanly */
	CONSOLE_FAILED,		/* ended with something open (SIGTERM twice) */
};

/*
 * The console's links to the session around it (src/session.h: the
 * control socket, quit and the signal policy) and to the command table
 * (completion).  Every hook may be NULL.
 */
struct console_hooks {
	void	*arg;
	/* Descriptors to poll besides the terminal's; how many (<= max). */
	int	(*pollfds)(void *arg, struct pollfd *fds, int max);
	/* Every turn, after poll has filled their revents. */
	void	(*service)(void *arg, struct pollfd *fds, int n);
	/* Every reply first: true when it is the console's to show. */
	bool	(*reply)(void *arg, const struct runner_reply *rep);
	/* SIGHUP and SIGTERM, after the console's own part. */
	void	(*signal)(void *arg, int signo);
	/* Every turn: whether the session goes on. */
	enum console_end (*check)(void *arg);
	/* Completion candidates for line[0 .. point) from the snapshot. */
	int	(*complete)(void *arg, const struct snapshot *snap,
		    const char *line, size_t point,
		    struct cmdline_words *out);
};

struct console_cfg {
	struct runner		*runner;	/* started; the caller's */
	struct console_hooks	 hooks;
	const char		*history;	/* file, NULL: none */
	/* The commands for the F1 overlay: lines of "usage  summary". */
	const char		*commands;
	bool			 mono;		/* --no-color or NO_COLOR */
};

struct console;

/*
 * Take the terminal: ncurses, readline, colours, the signal handlers
 * (SIGINT, SIGHUP, SIGTERM through a pipe; SIGTSTP, SIGQUIT and SIGPIPE
 * ignored so that nothing stops the engine with the process).  NULL and
 * a message when standard input and output are not a terminal, the
 * terminal type is unknown or memory runs out.  cfg must outlive the
 * console.  console_free gives the terminal back.
 */
struct console	*console_create(const struct console_cfg *cfg,
		     struct errmsg *err);
void		 console_free(struct console *c);

/*
 * Run until the session ends: `quit` (through the hooks' check, or a
 * reply with quit when there is no check), or the hooks' signal policy.
 * Never returns CONSOLE_RUNNING.
 */
enum console_end console_run(struct console *c);

/* A line of the session's own for the log pane (stderr when headless). */
void		 console_note(struct console *c, enum log_level level,
		     const char *msg);

#endif
