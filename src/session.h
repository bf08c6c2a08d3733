/*
 * session.h -- a paper session, the same for the console and for
 * `tickdesk run --headless`: the settings, the feed (data files, the
 * demo generator, or a live feed: FIFOs or files followed as they grow),
 * the headlines (news.file or --news, or news.socket: signal-live.h),
 * the engine, the desk, the runner that owns the engine
 * thread, and the control socket; plus the parts of the main loop that
 * must behave the same in both: serving the socket, ending on quit, and
 * the signal policy.
 *
 * The main loop (the console adds stdin, SIGWINCH and its screen; the
 * session needs a turn at least every SESSION_TICK_MS):
 *
 *	n = session_pollfds(s, fds, max);	(the runner, the socket)
 *	... the caller's own descriptors after them ...
 *	poll(fds, n + own, SESSION_TICK_MS);
 *	session_service(s, fds, n);		(ack the runner, serve ctl)
 *	while (runner_reply(r, &rep) == 1)
 *		if (session_reply(s, &rep))
 *			show rep;		(the caller's own command)
 *	while (runner_log(r, &line) == 1)
 *		show line;
 *	if (runner_snapshot(r, snap) == 1)	(snap: snapshot_create)
 *		mark panes dirty;
 *	if (session_check(s) != SESSION_RUNNING)
 *		break;
 *	...
 *	session_free(s);
 *
 * Reply ids: the caller's own commands use ids below SESSION_ID_BASE
 * (2^62); the session's own (on signals) SESSION_ID_BASE up to
 * CTL_ID_BASE (2^63); the control socket's CTL_ID_BASE and up.
 *
 * Ending.  A reply with quit set ends the session (SESSION_DONE).  After
 * `quit --flatten` the session ends once a snapshot shows no position and
 * no working order; when that has not happened within SESSION_FLAT_WAIT
 * seconds, or the data has ended so the closing orders cannot fill, it
 * says so and keeps running (quit --leave ends it).
 *
 * Signals are the caller's to catch (a self-pipe); it hands them to
 * session_signal, which applies the policy:
 *   SIGTERM	halt, flatten (a `quit --flatten`), end once flat.  When
 *		still not flat after SESSION_FLAT_WAIT seconds, or on a
 *		second SIGTERM, it ends anyway with SESSION_FAILED and a
 *		critical message naming the open positions: never silently.
 *   SIGHUP	with opts.hup_reload (a headless session, which has no
 *		terminal to lose): reload the configuration (the `reload`
 *		command, src/reload.h).  Otherwise (the console, whose
 *		terminal is gone) session.on_signal: "keep" goes on as it
 *		is, without the screen; "flatten" halts and flattens, and
 *		goes on.
 * SIGINT is the caller's (the console clears its line; headless tells
 * how to quit).
 */
#ifndef TD_SESSION_H
#define TD_SESSION_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "log.h"
#include "runner.h"
#include "snapshot.h"

struct errmsg;
struct sdn;
struct session;
struct settings;

#define SESSION_DATA_MAX	256
#define SESSION_TICK_MS		250
#define SESSION_FLAT_WAIT	30	/* seconds */
#define SESSION_ID_BASE		(UINT64_C(1) << 62)

enum session_run {
	SESSION_RUNNING,
	SESSION_DONE,		/* ended cleanly: exit 0 */
	SESSION_FAILED,		/* ended on SIGTERM with positions: exit 1 */
};

typedef void	(*session_note_fn)(void *arg, enum log_level level,
		    const char *msg);

struct session_opts {
	const char	*config;	/* NULL: settings_path's choice */
	const char	*env;		/* NULL: settings_env's choice */
	const char	*socket;	/* NULL: the default control socket */
	const char	*journal;	/* NULL: journal.path, else the data
					   directory's journal.db */
	/*
	 * Start a new session: the journal there (and its venue book) is
	 * moved aside under a dated name first, never deleted.
	 */
	bool		 new_session;
	char		*data[SESSION_DATA_MAX];	/* "[SYMBOL=]FILE" */
	int		 ndata;		/* 0: the demo generator */
	/*
	 * Follow the data files as they grow (a live feed); without it, a
	 * FIFO among them makes the feed live.
	 */
	bool		 follow;
	/* --news FILE: headlines tailed from it, instead of news.file. */
	const char	*news;
	double		 speed;		/* 1 = real time, 0 = max */
	bool		 paused;
	int		 demo_days;
	uint64_t	 seed;
	enum snap_mode	 mode;
	int		 log_level;	/* enum log_level, -1: the config's */
	bool		 hup_reload;	/* SIGHUP reloads (headless) */
	/* The session's own messages (signals, quit); NULL: dropped. */
	session_note_fn	 note;
	void		*note_arg;
	/*
	 * The service manager's watchdog, fed by the engine thread's loop
	 * (runner.h; not owned, outlives the session).  NULL: none.
	 */
	struct sdn	*watchdog;
};

/* Defaults: speed 60, demo 5 days from seed 1, paper, config's level. */
void		 session_opts_init(struct session_opts *o);
/* "max" (0) or a number above 0 up to 100000; -1 otherwise. */
int		 session_opt_speed(const char *text, double *speed);
/* Add one --data argument (kept, not copied); -1 when there are too many. */
int		 session_opt_data(struct session_opts *o, char *arg,
		     struct errmsg *err);

/*
 * Load the settings (the file with its environment laid over it), build
 * the feed, engine, desk, its reloader and runner, the log file sink when
 * logging.file is set (with its writer thread), open the control socket,
 * and start the engine thread (with SIGINT, SIGTERM, SIGHUP, SIGWINCH and
 * SIGPIPE blocked in it and in the log writer).  Returns an exit status:
 * 0 and the session in *out (free it with session_free); 2 and a message
 * for a bad configuration or data file (its first problems: `tickdesk
 * config check` lists them all); 1 and a message when another session
 * listens on the socket, the socket cannot be made, or memory runs out.
 */
int		 session_create(const struct session_opts *o,
		     struct session **out, struct errmsg *err);
/*
 * Stop the engine thread, record the session's clean end in the journal
 * (journal_end: its restart keeps the state it journaled, where one
 * that died comes up HALTED), write the log lines left, close and remove
 * the socket; NULL is fine.
 */
void		 session_free(struct session *s);

struct runner	*session_runner(struct session *s);
const struct settings *session_settings(const struct session *s);
const char	*session_socket(const struct session *s);
/* Whether the feed is live (paced by arrival) rather than a replay. */
bool		 session_live(const struct session *s);
/* An exchange time as "YYYY-MM-DD HH:MM:SS" in the first session's zone. */
char		*session_time(const struct session *s, td_ns t, char *buf,
		     size_t len);

int		 session_pollfds(struct session *s, struct pollfd *fds,
		     int max);
void		 session_service(struct session *s, const struct pollfd *fds,
		     int n);
/*
 * Every reply goes through here first: it notes quit, writes the control
 * socket's replies to their clients and notes the session's own.  True
 * when the reply is the caller's to show.
 */
bool		 session_reply(struct session *s,
		     const struct runner_reply *rep);
void		 session_signal(struct session *s, int signo);
/* Whether the loop goes on; SESSION_DONE or SESSION_FAILED to end. */
enum session_run session_check(struct session *s);

#endif
