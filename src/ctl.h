/*
 * ctl.h -- the control socket: the desk's commands from other processes.
 *
 * A session (the console or `tickdesk run --headless`) listens on a Unix
 * domain stream socket, mode 0600, by default in the user's runtime
 * directory: $XDG_RUNTIME_DIR/tickdesk/ctl.sock, else
 * /tmp/tickdesk-UID/ctl.sock (the directory is created with mode 0700 and
 * must belong to the user and be closed to others).  Only processes of
 * the same user may talk to it (the peer's credentials are checked too).
 *
 * The protocol is lines.  A client sends one command line ending in a
 * newline (a line cut short by a dying client is never run); the session
 * answers with the reply's text, one or more lines, then a last line of
 * CTL_END (the byte 0x04) right before the status digit (0 done, 1
 * failed, 2 bad command or a question), followed by " confirm" when the
 * text asks to confirm and " quit" when the session is ending:
 *
 *	> flatten\n
 *	< flattening all: 2 orders cancelled, closing at market ES +1\n
 *	< \x04" "0\n
 *
 * A client may send its next line after the answer; each client has at
 * most one command in flight, so one that never reads cannot make the
 * session queue replies for it.  A client that has no command in flight
 * and sends no whole line for CTL_IDLE_NS (since it connected or had its
 * last answer) is told so and closed.
 *
 * Slots.  CTL_ORDINARY clients at once may send any command; one more
 * slot is kept for the commands that stop trading: when the ordinary
 * slots are full a new client goes there, and is served kill, kill!,
 * flatten and halt only (anything else is refused with "control socket
 * busy: only kill, flatten and halt are served now" and closed).  An
 * idle client in that slot gives way to a newer one, so silent clients
 * cannot keep kill! out.
 *
 * Trust.  The client talks only to a session of its own user: before it
 * sends anything it checks that the default socket's directory is the
 * user's and closed to others (the rule the session applies when making
 * it) and that the process listening runs as the user or as root.
 *
 * The server side never blocks: the main loop of the session polls the
 * descriptors of ctl_pollfds with its own, calls ctl_service when poll
 * returns (at least every few hundred milliseconds, with the loop's
 * monotonic clock), and offers every runner reply to ctl_take_reply,
 * which writes the replies to the socket's commands (ids from CTL_ID_BASE
 * up) to their clients.  Everything runs on the main thread.
 */
#ifndef TD_CTL_H
#define TD_CTL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runner.h"

struct errmsg;
struct ctl;

#define CTL_END		'\x04'
#define CTL_ID_BASE	(UINT64_C(1) << 63)	/* reply ids of the socket */
#define CTL_ORDINARY	16			/* clients of any command */
#define CTL_CLIENTS	(CTL_ORDINARY + 1)	/* and the one kept for kill */
#define CTL_IDLE_NS	(5 * TD_NS_PER_SEC)	/* without a whole line */
#define CTL_PATH_MAX	108			/* sun_path */

/*
 * The default socket path into buf (no directory is made): -1 and a
 * message when it does not fit in a socket address.
 */
int		 ctl_default_path(char *buf, size_t len, struct errmsg *err);

/*
 * Listen on path (NULL: the default, making its directory with mode
 * 0700).  Fails with NULL and a message when another session already
 * listens there, the path is something else than a socket, the default
 * directory is not private, or the socket cannot be made.  A socket file
 * left by a session that died is removed first.  Call it before any
 * thread starts (it sets the umask for a moment).  Free with ctl_close.
 */
struct ctl	*ctl_open(const char *path, struct errmsg *err);
/* Stop listening, drop the clients and remove the socket file. */
void		 ctl_close(struct ctl *ctl);
const char	*ctl_path(const struct ctl *ctl);

/* Fill fds (at most max) with what to poll; returns how many. */
int		 ctl_pollfds(struct ctl *ctl, struct pollfd *fds, int max);
/*
 * After poll: accept clients, read their lines and submit each to the
 * runner with a fresh id from CTL_ID_BASE up, write what is pending, and
 * close the clients idle for CTL_IDLE_NS by now (a monotonic clock).  fds
 * may hold other descriptors too; only the control socket's are used.
 */
void		 ctl_service(struct ctl *ctl, const struct pollfd *fds, int n,
		     struct runner *r, td_ns now);
/*
 * A reply from the runner: when its id is one of the socket's, write it
 * to its client (or drop it when the client has gone) and return true;
 * false for the caller's own replies.
 */
bool		 ctl_take_reply(struct ctl *ctl, const struct runner_reply *rep);

/* ---------------------------------------------------------------- client */

struct ctl_answer {
	int		 status;
	bool		 confirm;
	bool		 quit;
	char		 text[RUNNER_REPLY_MAX];
};

/*
 * Send one command line to the session at path (NULL: the default one,
 * whose directory must be the user's and closed to others) and wait up to
 * timeout_ms for its answer.  0 and the answer, or -1 and a message: "no
 * tickdesk session is listening on PATH" when nothing listens, a
 * directory open to others or of another user, a listener of another
 * user than this one or root (nothing is sent to either), a bad line (a
 * newline in it, too long), a timeout or a broken answer.
 */
int		 ctl_request(const char *path, const char *line,
		     int timeout_ms, struct ctl_answer *out,
		     struct errmsg *err);

#endif
