/*
 * ctl.c -- the control socket: a small non-blocking line server for the
 * session's main loop, and the client of `tickdesk ctl` (see ctl.h).
 *
 * Each client has a fixed slot: an input buffer for one line, an output
 * buffer for one answer, and the id of its command in flight.  A client
 * is read only while it has nothing in flight and nothing left to write,
 * so each costs at most one queued command and one answer; the runner's
 * queue, not this file, decides when the engine is too busy.  A client
 * that stops reading keeps its answer in its slot until the socket takes
 * it; nothing here ever waits.
 *
 * The slots past the CTL_ORDINARY first are kept for kill, flatten and
 * halt (see ctl.h); every slot's idle time runs on the clock that
 * ctl_service is given, so tests step it by hand.  The client checks
 * whom it talks to before it sends a byte, with the same directory rule
 * as the server (ctl_check_dir) and the peer's credentials.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "errmsg.h"

struct ctl_client {
	int		 fd;		/* -1: a free slot */
	bool		 kept;		/* the slot kept for kill */
	td_ns		 since;		/* idle since (accepted, answered) */
	char		 in[RUNNER_LINE_MAX];
	size_t		 nin;
	char		 out[RUNNER_REPLY_MAX + 64];
	size_t		 nout;
	size_t		 off;		/* of out, written so far */
	uint64_t	 id;		/* command in flight, 0: none */
	bool		 eof;		/* the client sends no more */
	bool		 closing;	/* close once out is written */
};

struct ctl {
	int			 fd;
	char			 path[CTL_PATH_MAX];
	dev_t			 dev;
	ino_t			 ino;
	uint64_t		 next_id;
	td_ns			 now;		/* at the last ctl_service */
	struct ctl_client	 c[CTL_CLIENTS];
};

/* What the slot kept for kill serves: the first word, exactly. */
static const char *const ctl_kept_commands[] = {
	"kill", "kill!", "flatten", "halt",
};

#define CTL_BUSY	"control socket busy: only kill, flatten and halt " \
			    "are served now"

/* ---------------------------------------------------------------- paths */

int
ctl_default_path(char *buf, size_t len, struct errmsg *err)
{
	const char	*xdg = getenv("XDG_RUNTIME_DIR");
	int		 n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(buf, len, "%s/tickdesk/ctl.sock", xdg);
	else
		n = snprintf(buf, len, "/tmp/tickdesk-%u/ctl.sock",
		    (unsigned)geteuid());
	if (n < 0 || (size_t)n >= len || n >= CTL_PATH_MAX)
		return errmsg_set(err, "control socket path too long (at most "
		    "%d bytes): %s/tickdesk/ctl.sock", CTL_PATH_MAX - 1,
		    xdg != NULL ? xdg : "");
	return 0;
}

/* The directory of path into dir; false when it has none but "/". */
static bool
ctl_dir_of(const char *path, char *dir, size_t len)
{
	char	*slash;

	snprintf(dir, len, "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return false;
	*slash = '\0';
	return true;
}

/*
 * The rule for the default socket's directory, for the session that makes
 * it and the client that trusts it: a directory (not a link) of this
 * user, closed to others.
 */
static int
ctl_check_dir(const char *dir, struct errmsg *err)
{
	static const char	 rule[] = "the control socket's directory must "
				     "be yours, mode 0700";
	struct stat		 st;

	if (lstat(dir, &st) == -1)
		return errmsg_set(err, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errmsg_set(err, "%s: not a directory; %s", dir, rule);
	if (st.st_uid != geteuid())
		return errmsg_set(err, "%s: owned by uid %u, not by you (uid "
		    "%u); %s", dir, (unsigned)st.st_uid, (unsigned)geteuid(),
		    rule);
	if ((st.st_mode & 077) != 0)
		return errmsg_set(err, "%s: mode %04o lets other users in; %s",
		    dir, (unsigned)(st.st_mode & 07777), rule);
	return 0;
}

/* The directory of path, made with mode 0700 and checked to be private. */
static int
ctl_private_dir(const char *path, struct errmsg *err)
{
	char	 dir[CTL_PATH_MAX];

	if (!ctl_dir_of(path, dir, sizeof dir))
		return 0;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return errmsg_set(err, "%s: %s", dir, strerror(errno));
	return ctl_check_dir(dir, err);
}

/* The user id of the process at the other end of fd, -1 on failure. */
static int
ctl_peer_uid(int fd, uid_t *uid)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return -1;
	*uid = cred.uid;
	return 0;
}

static int
ctl_address(const char *path, struct sockaddr_un *sun, struct errmsg *err)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun->sun_path)
		return errmsg_set(err, "%s: socket path too long (at most %zu "
		    "bytes)", path, sizeof sun->sun_path - 1);
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

/*
 * Is a live session there?  -1 with a message when it is (or the path is
 * not a socket); a dead session's socket file is removed.
 */
static int
ctl_check_stale(const char *path, const struct sockaddr_un *sun,
    struct errmsg *err)
{
	struct stat	 st;
	int		 fd, rc, saved;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		return errmsg_set(err, "%s: %s", path, strerror(errno));
	}
	if (!S_ISSOCK(st.st_mode))
		return errmsg_set(err, "%s exists and is not a socket", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return errmsg_set(err, "socket: %s", strerror(errno));
	rc = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	saved = errno;
	close(fd);
	/* EAGAIN: its backlog is full, so somebody is listening. */
	if (rc == 0 || saved == EAGAIN)
		return errmsg_set(err, "another tickdesk session is listening "
		    "on %s (tickdesk ctl --socket %s status)", path, path);
	if (saved != ECONNREFUSED)
		return errmsg_set(err, "%s: %s", path, strerror(saved));
	if (unlink(path) == -1 && errno != ENOENT)
		return errmsg_set(err, "%s: stale socket: %s", path,
		    strerror(errno));
	return 0;
}

/* ---------------------------------------------------------------- server */

struct ctl *
ctl_open(const char *path, struct errmsg *err)
{
	struct ctl		*ctl;
	struct sockaddr_un	 sun;
	struct stat		 st;
	char			 def[CTL_PATH_MAX];
	mode_t			 mask;
	int			 rc;

	if (path == NULL) {
		if (ctl_default_path(def, sizeof def, err) == -1 ||
		    ctl_private_dir(def, err) == -1)
			return NULL;
		path = def;
	}
	if (ctl_address(path, &sun, err) == -1 ||
	    ctl_check_stale(path, &sun, err) == -1)
		return NULL;
	if ((ctl = calloc(1, sizeof *ctl)) == NULL) {
		errmsg_set(err, "control socket: out of memory");
		return NULL;
	}
	snprintf(ctl->path, sizeof ctl->path, "%s", path);
	ctl->next_id = CTL_ID_BASE;
	for (int i = 0; i < CTL_CLIENTS; i++) {
		ctl->c[i].fd = -1;
		ctl->c[i].kept = i >= CTL_ORDINARY;
	}
	if ((ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		errmsg_set(err, "socket: %s", strerror(errno));
		free(ctl);
		return NULL;
	}
	/* No moment where others could connect: the file is born 0600. */
	mask = umask(0177);
	rc = bind(ctl->fd, (struct sockaddr *)&sun, sizeof sun);
	umask(mask);
	if (rc == -1 || chmod(path, 0600) == -1 ||
	    listen(ctl->fd, CTL_CLIENTS) == -1 || stat(path, &st) == -1) {
		errmsg_set(err, "%s: %s", path, strerror(errno));
		if (rc == 0)
			unlink(path);
		close(ctl->fd);
		free(ctl);
		return NULL;
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	return ctl;
}

static void
ctl_drop(struct ctl_client *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->nin = c->nout = c->off = 0;
	c->id = 0;
	c->eof = c->closing = false;
}

void
ctl_close(struct ctl *ctl)
{
	struct stat	 st;

	if (ctl == NULL)
		return;
	for (int i = 0; i < CTL_CLIENTS; i++) {
		struct ctl_client	*c = &ctl->c[i];

		/* One last try for answers already made (quit's own). */
		if (c->fd != -1 && c->nout > c->off)
			(void)!send(c->fd, c->out + c->off, c->nout - c->off,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
		ctl_drop(c);
	}
	close(ctl->fd);
	/* Only our own socket: never one a later session put there. */
	if (stat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino)
		unlink(ctl->path);
	free(ctl);
}

const char *
ctl_path(const struct ctl *ctl)
{
	return ctl->path;
}

int
ctl_pollfds(struct ctl *ctl, struct pollfd *fds, int max)
{
	int	 n = 0;

	if (max < 1)
		return 0;
	fds[n++] = (struct pollfd){ .fd = ctl->fd, .events = POLLIN };
	for (int i = 0; i < CTL_CLIENTS && n < max; i++) {
		struct ctl_client	*c = &ctl->c[i];
		short			 ev = 0;

		if (c->fd == -1)
			continue;
		if (c->nout > c->off)
			ev = POLLOUT;
		else if (c->id == 0 && !c->eof)
			ev = POLLIN;
		/* A client waiting for the engine needs no attention. */
		if (ev != 0)
			fds[n++] = (struct pollfd){ .fd = c->fd, .events = ev };
	}
	return n;
}

/* Queue an answer of our own (not from the engine) and close after it. */
static void
ctl_answer_now(struct ctl_client *c, int status, const char *text)
{
	int	 n;

	n = snprintf(c->out, sizeof c->out, "%s\n%c%d\n", text, CTL_END,
	    status);
	c->nout = n > 0 && (size_t)n < sizeof c->out ? (size_t)n : 0;
	c->off = 0;
}

static void	ctl_next_line(struct ctl *, struct ctl_client *, struct runner *);

/* Write what is pending; drop the client when it is gone or done. */
static void
ctl_flush(struct ctl *ctl, struct ctl_client *c, struct runner *r)
{
	ssize_t	 n;

	while (c->off < c->nout) {
		n = send(c->fd, c->out + c->off, c->nout - c->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			ctl_drop(c);
			return;
		}
		c->off += (size_t)n;
	}
	c->nout = c->off = 0;
	c->since = ctl->now;	/* idle from its last answer */
	if (c->closing) {
		ctl_drop(c);
		return;
	}
	if (r != NULL)
		ctl_next_line(ctl, c, r);
}

/* Our own last answer to c, and close it once written. */
static void
ctl_refuse(struct ctl *ctl, struct ctl_client *c, int status,
    const char *text)
{
	ctl_answer_now(c, status, text);
	c->closing = true;
	ctl_flush(ctl, c, NULL);
}

/* Whether the slot kept for kill serves line. */
static bool
ctl_kept_serves(const char *line)
{
	size_t	 len;

	line += strspn(line, " \t");
	len = strcspn(line, " \t");
	for (size_t i = 0; i < sizeof ctl_kept_commands /
	    sizeof ctl_kept_commands[0]; i++) {
		if (strlen(ctl_kept_commands[i]) == len &&
		    strncmp(line, ctl_kept_commands[i], len) == 0)
			return true;
	}
	return false;
}

/*
 * Take the next whole line of the client, if any, and send it to the
 * runner.  At the end of the client's input with nothing in flight, it
 * is done.
 */
static void
ctl_next_line(struct ctl *ctl, struct ctl_client *c, struct runner *r)
{
	char	 line[RUNNER_LINE_MAX], *nl;
	size_t	 len;

	if (c->id != 0 || c->nout > 0)
		return;
	if ((nl = memchr(c->in, '\n', c->nin)) == NULL) {
		if (c->nin == sizeof c->in)
			ctl_refuse(ctl, c, 2, "line too long");
		else if (c->eof)
			ctl_drop(c);
		return;
	}
	len = (size_t)(nl - c->in);
	memcpy(line, c->in, len);
	line[len] = '\0';
	if (len > 0 && line[len - 1] == '\r')
		line[len - 1] = '\0';
	c->nin -= len + 1;
	memmove(c->in, nl + 1, c->nin);
	if (c->kept && !ctl_kept_serves(line)) {
		ctl_refuse(ctl, c, 1, CTL_BUSY);
		return;
	}
	if (runner_submit(r, ctl->next_id, line) == -1) {
		ctl_answer_now(c, 1, "engine busy: its command queue is full; "
		    "try again");
		ctl_flush(ctl, c, r);
		return;
	}
	c->id = ctl->next_id++;
	if (ctl->next_id == 0)
		ctl->next_id = CTL_ID_BASE;
}

static void
ctl_read(struct ctl *ctl, struct ctl_client *c, struct runner *r)
{
	ssize_t	 n;

	n = read(c->fd, c->in + c->nin, sizeof c->in - c->nin);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n == -1) {
		ctl_drop(c);
		return;
	}
	if (n == 0)
		c->eof = true;
	c->nin += (size_t)n;
	ctl_next_line(ctl, c, r);
}

/* Nothing in flight and nothing to write: only waiting for a line. */
static bool
ctl_idle(const struct ctl_client *c)
{
	return c->fd != -1 && c->id == 0 && c->nout == 0;
}

/*
 * A slot for a new client: a free ordinary one, else the one kept for
 * kill, whose idle client gives way (after a last read, so that a line
 * it has sent is not lost); NULL when none is free.
 */
static struct ctl_client *
ctl_free_slot(struct ctl *ctl, struct runner *r)
{
	struct ctl_client	*kept = &ctl->c[CTL_ORDINARY];

	for (int i = 0; i < CTL_ORDINARY; i++) {
		if (ctl->c[i].fd == -1)
			return &ctl->c[i];
	}
	if (ctl_idle(kept))
		ctl_read(ctl, kept, r);
	if (ctl_idle(kept))
		ctl_drop(kept);
	return kept->fd == -1 ? kept : NULL;
}

static void
ctl_accept(struct ctl *ctl, struct runner *r)
{
	struct ctl_client	*slot;
	uid_t			 uid;
	int			 fd;

	while ((fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if (ctl_peer_uid(fd, &uid) == -1 || uid != geteuid()) {
			close(fd);
			continue;
		}
		if ((slot = ctl_free_slot(ctl, r)) == NULL) {
			char	 busy[64];
			int	 n = snprintf(busy, sizeof busy, "too many "
				     "clients\n%c1\n", CTL_END);

			(void)!send(fd, busy, (size_t)n, MSG_NOSIGNAL |
			    MSG_DONTWAIT);
			close(fd);
			continue;
		}
		ctl_drop(slot);
		slot->fd = fd;
		slot->since = ctl->now;
	}
}

/* Close the clients that sent no whole line for CTL_IDLE_NS. */
static void
ctl_expire(struct ctl *ctl)
{
	char	 msg[96];

	for (int i = 0; i < CTL_CLIENTS; i++) {
		struct ctl_client	*c = &ctl->c[i];

		if (c->fd == -1 || c->id != 0 ||
		    ctl->now - c->since < CTL_IDLE_NS)
			continue;
		if (c->nout > 0) {
			ctl_drop(c);	/* it does not even read */
			continue;
		}
		snprintf(msg, sizeof msg, "no whole command line within %d "
		    "s: closing", (int)(CTL_IDLE_NS / TD_NS_PER_SEC));
		ctl_refuse(ctl, c, 1, msg);
	}
}

void
ctl_service(struct ctl *ctl, const struct pollfd *fds, int n,
    struct runner *r, td_ns now)
{
	ctl->now = now;
	for (int k = 0; k < n; k++) {
		if (fds[k].revents == 0)
			continue;
		if (fds[k].fd == ctl->fd) {
			ctl_accept(ctl, r);
			continue;
		}
		for (int i = 0; i < CTL_CLIENTS; i++) {
			struct ctl_client	*c = &ctl->c[i];

			if (c->fd != fds[k].fd)
				continue;
			if (fds[k].revents & POLLNVAL)
				ctl_drop(c);
			else if (c->nout > c->off)
				ctl_flush(ctl, c, r);
			else if (fds[k].revents & (POLLIN | POLLHUP | POLLERR))
				ctl_read(ctl, c, r);
			break;
		}
	}
	/* Lines that came with an earlier read, and clients at their end. */
	for (int i = 0; i < CTL_CLIENTS; i++) {
		struct ctl_client	*c = &ctl->c[i];

		if (c->fd != -1 && c->id == 0 && c->nout == 0 &&
		    (c->nin > 0 || c->eof))
			ctl_next_line(ctl, c, r);
	}
	ctl_expire(ctl);
}

bool
ctl_take_reply(struct ctl *ctl, const struct runner_reply *rep)
{
	struct ctl_client	*c = NULL;
	size_t			 n = 0;
	int			 k;

	if (rep->id < CTL_ID_BASE)
		return false;
	for (int i = 0; i < CTL_CLIENTS && c == NULL; i++) {
		if (ctl->c[i].fd != -1 && ctl->c[i].id == rep->id)
			c = &ctl->c[i];
	}
	if (c == NULL)
		return true;		/* its client has gone */
	for (const char *p = rep->text; *p != '\0' && n < RUNNER_REPLY_MAX;
	    p++)
		c->out[n++] = *p == CTL_END ? '?' : *p;
	if (n > 0 && c->out[n - 1] != '\n')
		c->out[n++] = '\n';
	k = snprintf(c->out + n, sizeof c->out - n, "%c%d%s%s\n", CTL_END,
	    rep->status, rep->confirm ? " confirm" : "",
	    rep->quit ? " quit" : "");
	c->nout = n + (size_t)k;
	c->off = 0;
	c->id = 0;
	c->since = ctl->now;	/* idle again, even if it never reads */
	/* The next line waits for the next ctl_service, which has r. */
	ctl_flush(ctl, c, NULL);
	return true;
}

/* ---------------------------------------------------------------- client */

static int
ctl_ms_left(const struct timespec *deadline)
{
	struct timespec	 now;
	int64_t		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 3600000 ? 3600000 : (int)ms;
}

/* Split buf (n bytes, ending with the status line) into out. */
static int
ctl_parse_answer(char *buf, size_t n, struct ctl_answer *out,
    struct errmsg *err)
{
	char	*end = buf + n - 1, *status;
	size_t	 tlen;

	*end = '\0';		/* the final newline */
	status = strrchr(buf, CTL_END);
	if (status == NULL || (status != buf && status[-1] != '\n') ||
	    status[1] < '0' || status[1] > '2')
		return errmsg_set(err, "broken answer from the session");
	out->status = status[1] - '0';
	out->confirm = strstr(status + 2, " confirm") != NULL;
	out->quit = strstr(status + 2, " quit") != NULL;
	tlen = (size_t)(status - buf);
	if (tlen > 0)
		tlen--;			/* the newline before the status */
	if (tlen >= sizeof out->text)
		tlen = sizeof out->text - 1;
	memcpy(out->text, buf, tlen);
	out->text[tlen] = '\0';
	return 0;
}

/*
 * The default socket's directory must be as the session made it; a
 * missing one means that no session listens.
 */
static int
ctl_trust_dir(const char *path, struct errmsg *err)
{
	char		 dir[CTL_PATH_MAX];
	struct stat	 st;

	if (!ctl_dir_of(path, dir, sizeof dir))
		return 0;
	if (lstat(dir, &st) == -1 && errno == ENOENT)
		return errmsg_set(err, "no tickdesk session is listening on "
		    "%s", path);
	if (ctl_check_dir(dir, err) == -1) {
		errmsg_prefix(err, "refusing the control socket");
		return -1;
	}
	return 0;
}

/* The process listening at the other end of fd runs as us or as root. */
static int
ctl_trust_peer(int fd, const char *path, struct errmsg *err)
{
	uid_t	 uid;

	if (ctl_peer_uid(fd, &uid) == -1)
		return errmsg_set(err, "%s: cannot learn who listens there: "
		    "%s", path, strerror(errno));
	if (uid != geteuid() && uid != 0)
		return errmsg_set(err, "%s: the process listening there runs "
		    "as uid %u, not as you (uid %u) or root: nothing sent",
		    path, (unsigned)uid, (unsigned)geteuid());
	return 0;
}

/* A socket connected to a session we trust, or -1 and a message. */
static int
ctl_connect(const char *path, bool deflt, struct errmsg *err)
{
	struct sockaddr_un	 sun;
	int			 fd;

	if ((deflt && ctl_trust_dir(path, err) == -1) ||
	    ctl_address(path, &sun, err) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return errmsg_set(err, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			errmsg_set(err, "no tickdesk session is listening on "
			    "%s", path);
		else
			errmsg_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (ctl_trust_peer(fd, path, err) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether buf (n bytes) ends with the status line of an answer. */
static bool
ctl_answered(char *buf, size_t n)
{
	char	*last;

	if (n == 0 || buf[n - 1] != '\n')
		return false;
	buf[n - 1] = '\0';
	last = strrchr(buf, '\n');
	last = last == NULL ? buf : last + 1;
	buf[n - 1] = '\n';
	return *last == CTL_END;
}

/* Read the answer from fd for up to timeout_ms. */
static int
ctl_await(int fd, int timeout_ms, struct ctl_answer *out,
    struct errmsg *err)
{
	struct timespec	 deadline;
	char		 buf[RUNNER_REPLY_MAX + 256];
	size_t		 n = 0;
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	ssize_t		 got;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	while (!ctl_answered(buf, n)) {
		if (n == sizeof buf)
			return errmsg_set(err, "answer from the session too "
			    "long");
		if (poll(&pfd, 1, ctl_ms_left(&deadline)) == 0)
			return errmsg_set(err, "no answer from the session "
			    "within %d s", timeout_ms / 1000);
		got = read(fd, buf + n, sizeof buf - n);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return errmsg_set(err, "the session closed the "
			    "connection without an answer");
		n += (size_t)got;
	}
	return ctl_parse_answer(buf, n, out, err);
}

int
ctl_request(const char *path, const char *line, int timeout_ms,
    struct ctl_answer *out, struct errmsg *err)
{
	char		 def[CTL_PATH_MAX], buf[RUNNER_LINE_MAX + 1];
	const char	*where = path != NULL ? path : def;
	size_t		 len = strlen(line);
	int		 fd, rc;

	memset(out, 0, sizeof *out);
	if (strchr(line, '\n') != NULL || len + 1 >= RUNNER_LINE_MAX)
		return errmsg_set(err, "bad command line (a newline in it, or "
		    "longer than %d bytes)", RUNNER_LINE_MAX - 2);
	if (path == NULL && ctl_default_path(def, sizeof def, err) == -1)
		return -1;
	if ((fd = ctl_connect(where, path == NULL, err)) == -1)
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\n';
	/* A session that refused us (too many clients) has said why. */
	if (send(fd, buf, len + 1, MSG_NOSIGNAL) == -1 && errno != EPIPE &&
	    errno != ECONNRESET) {
		errmsg_set(err, "%s: %s", where, strerror(errno));
		close(fd);
		return -1;
	}
	rc = ctl_await(fd, timeout_ms, out, err);
	close(fd);
	return rc;
}
