/*
 * signal-live.c -- headlines from a tailed file or a news server (see
 * signal-live.h).
 *
 * An input owns one descriptor (the file, or the socket while it is up
 * or connecting) and one buffer that holds a line up to its newline.  A
 * whole line is parsed where it lies (signal-news.c); what follows it is
 * moved to the front.  A file is read until read(2) says its end, and
 * only then is its name looked at again (rotated, gone, truncated); a
 * socket is non-blocking, and a connection under way is asked with a
 * poll(2) that does not wait.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "errmsg.h"
#include "signal-live.h"

#define SL_BUF		(NEWS_LINE_MAX + 1)	/* a line and its newline */
#define SL_CONNECT_MAX	(10 * TD_NS_PER_SEC)	/* a connect under way */

enum sl_state {
	SL_DOWN,
	SL_CONNECTING,
	SL_UP,
};

struct signal_live {
	bool			 socket;
	char			*name;
	int			 fd;
	long			 count;
	long			 bad;
	/* The line being read. */
	char			 buf[SL_BUF + 1];
	size_t			 n;
	long			 line;		/* whole lines taken */
	bool			 skipping;	/* the rest of an overlong line */

	/* A file: which one is read, and whether its name has gone. */
	dev_t			 dev;
	ino_t			 ino;
	bool			 gone;

	/* A socket. */
	struct sockaddr_storage	 addr;
	socklen_t		 alen;
	enum sl_state		 state;
	td_ns			 since;		/* the connect began */
	td_ns			 retry_at;
	td_ns			 backoff;
	bool			 said;		/* this outage is in the log */
};

static struct signal_live *
sl_new(const char *name, struct errmsg *err)
{
	struct signal_live	*sl = calloc(1, sizeof *sl);

	if (sl == NULL || (sl->name = strdup(name)) == NULL) {
		free(sl);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	sl->fd = -1;
	sl->backoff = SIGNAL_LIVE_RETRY;
	return sl;
}

void
signal_live_free(struct signal_live *sl)
{
	if (sl == NULL)
		return;
	if (sl->fd != -1)
		close(sl->fd);
	free(sl->name);
	free(sl);
}

const char *
signal_live_name(const struct signal_live *sl)
{
	return sl->name;
}

long
signal_live_count(const struct signal_live *sl)
{
	return sl->count;
}

long
signal_live_bad(const struct signal_live *sl)
{
	return sl->bad;
}

/* A fresh start of the lines: a new file, a new connection. */
static void
sl_restart(struct signal_live *sl)
{
	sl->n = 0;
	sl->line = 0;
	sl->skipping = false;
}

/* ---------------------------------------------------------------- lines */

/*
 * The next whole line of the buffer: 1 and a headline, -1 for a line
 * skipped as bad (or too long), 0 when no headline is there yet.
 */
static int
sl_line(struct signal_live *sl, struct news_item *it, struct errmsg *err)
{
	char	 why[160], *nl;
	size_t	 k;
	int	 rc;

	while ((nl = memchr(sl->buf, '\n', sl->n)) != NULL) {
		k = (size_t)(nl - sl->buf);
		*nl = '\0';
		sl->line++;
		rc = 0;
		if (sl->skipping)
			sl->skipping = false;
		else if (sl->buf[strspn(sl->buf, " \t\r")] == '\0' ||
		    sl->buf[0] == '#')
			rc = 0;
		else if (news_parse(sl->buf, it, why, sizeof why) == -1) {
			sl->bad++;
			rc = errmsg_set(err, "%s:%ld: %s: skipped", sl->name,
			    sl->line, why);
		} else {
			sl->count++;
			rc = 1;
		}
		sl->n -= k + 1;
		memmove(sl->buf, nl + 1, sl->n);
		if (rc != 0)
			return rc;
	}
	if (sl->n < SL_BUF)
		return 0;
	/* A full buffer without a newline: the line is too long. */
	sl->n = 0;
	if (sl->skipping)
		return 0;
	sl->skipping = true;
	sl->bad++;
	return errmsg_set(err, "%s:%ld: longer than %d bytes: skipped",
	    sl->name, sl->line + 1, NEWS_LINE_MAX);
}

/* Read what the descriptor has: > 0, 0 at its end, -1 and errno. */
static ssize_t
sl_read(struct signal_live *sl)
{
	ssize_t	 got;

	do
		got = read(sl->fd, sl->buf + sl->n, SL_BUF - sl->n);
	while (got == -1 && errno == EINTR);
	if (got > 0)
		sl->n += (size_t)got;
	return got;
}

/* ---------------------------------------------------------------- file */

/*
 * Open path as a regular file; with at_end, placed after its last
 * newline with its lines counted (a partial last line is read when it
 * is finished).
 */
static int
sl_file_open(struct signal_live *sl, bool at_end, struct errmsg *err)
{
	struct stat	 st;
	char		 chunk[8192];
	off_t		 at = 0, after = 0;
	ssize_t		 got;
	int		 fd;

	if ((fd = open(sl->name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return errmsg_sys(err, sl->name, NULL);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errmsg_set(err, "%s: not a regular file: headlines are "
		    "tailed from a file another program appends to", sl->name);
	}
	sl_restart(sl);
	while (at_end && (got = read(fd, chunk, sizeof chunk)) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (chunk[i] == '\n') {
				sl->line++;
				after = at + i + 1;
			}
		}
		at += got;
	}
	if (lseek(fd, after, SEEK_SET) == -1) {
		errmsg_sys(err, sl->name, NULL);
		close(fd);
		return -1;
	}
	if (sl->fd != -1)
		close(sl->fd);
	sl->fd = fd;
	sl->dev = st.st_dev;
	sl->ino = st.st_ino;
	sl->gone = false;
	return 0;
}

struct signal_live *
signal_live_file(const char *path, struct errmsg *err)
{
	struct signal_live	*sl = sl_new(path, err);

	if (sl != NULL && sl_file_open(sl, true, err) == -1) {
		signal_live_free(sl);
		return NULL;
	}
	return sl;
}

/*
 * At the end of the file: it shrank, or another file has its name, or
 * no file has: 0 when none of these, else what to log.
 */
static int
sl_file_end(struct signal_live *sl, struct errmsg *err)
{
	struct stat	 st, named;
	off_t		 at = lseek(sl->fd, 0, SEEK_CUR);
	bool		 cut;

	if (fstat(sl->fd, &st) == 0 && at != -1 && st.st_size < at) {
		lseek(sl->fd, 0, SEEK_SET);
		sl_restart(sl);
		errmsg_set(err, "%s: the file shrank (truncated): read again "
		    "from its start", sl->name);
		return SIGNAL_LIVE_NOTE;
	}
	if (stat(sl->name, &named) == -1) {
		if (sl->gone)
			return 0;
		sl->gone = true;
		errmsg_set(err, "%s: no file has that name now (rotated?): "
		    "the old one is still read until one does", sl->name);
		return SIGNAL_LIVE_NOTE;
	}
	if (named.st_dev == sl->dev && named.st_ino == sl->ino) {
		sl->gone = false;
		return 0;
	}
	cut = sl->n > 0 && !sl->skipping;
	if (sl_file_open(sl, false, err) == -1)
		return -1;
	if (cut)
		return errmsg_set(err, "%s: a new file has its name (rotated): "
		    "read from its start; the old one's last line, without "
		    "its newline, is dropped", sl->name);
	errmsg_set(err, "%s: a new file has its name (rotated): read from "
	    "its start", sl->name);
	return SIGNAL_LIVE_NOTE;
}

/* ---------------------------------------------------------------- socket */

/* strerror(e) in our style: "connection refused". */
static const char *
sl_reason(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(e));
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

/* "HOST:PORT" (HOST may be "[v6]") into sl->addr. */
static int
sl_resolve(struct signal_live *sl, const char *addr, struct errmsg *err)
{
	struct addrinfo	 hints = { .ai_socktype = SOCK_STREAM }, *res;
	char		 host[256];
	const char	*colon = strrchr(addr, ':');
	size_t		 hl;
	int		 rc;

	if (colon == NULL || colon == addr || colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atoi(colon + 1) < 1 || atoi(colon + 1) > 65535)
		return errmsg_set(err, "%s: HOST:PORT (a port from 1 to "
		    "65535), or the path of a unix socket", addr);
	hl = (size_t)(colon - addr);
	if (addr[0] == '[' && hl > 2 && addr[hl - 1] == ']') {
		addr++;
		hl -= 2;
	}
	if (hl >= sizeof host)
		return errmsg_set(err, "%s: the host is too long", addr);
	memcpy(host, addr, hl);
	host[hl] = '\0';
	if ((rc = getaddrinfo(host, colon + 1, &hints, &res)) != 0)
		return errmsg_set(err, "%s: %s", sl->name, gai_strerror(rc));
	memcpy(&sl->addr, res->ai_addr, res->ai_addrlen);
	sl->alen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

struct signal_live *
signal_live_socket(const char *addr, struct errmsg *err)
{
	struct signal_live	*sl = sl_new(addr, err);
	struct sockaddr_un	*un;

	if (sl == NULL)
		return NULL;
	sl->socket = true;
	if (strchr(addr, '/') == NULL) {
		if (sl_resolve(sl, addr, err) == -1) {
			signal_live_free(sl);
			return NULL;
		}
		return sl;
	}
	un = (struct sockaddr_un *)&sl->addr;
	if (strlen(addr) >= sizeof un->sun_path) {
		errmsg_set(err, "%s: a unix socket's path is at most %zu bytes",
		    addr, sizeof un->sun_path - 1);
		signal_live_free(sl);
		return NULL;
	}
	un->sun_family = AF_UNIX;
	strcpy(un->sun_path, addr);
	sl->alen = sizeof *un;
	return sl;
}

/*
 * The connection is down (what failed, errno e): tried again later, each
 * time after twice as long; only the first failure of an outage is said.
 */
static int
sl_down(struct signal_live *sl, td_ns now, const char *what, int e,
    struct errmsg *err)
{
	char	 why[128];

	if (sl->fd != -1)
		close(sl->fd);
	sl->fd = -1;
	sl->state = SL_DOWN;
	sl->retry_at = now + sl->backoff;
	sl->backoff = sl->backoff * 2 < SIGNAL_LIVE_RETRY_MAX ?
	    sl->backoff * 2 : SIGNAL_LIVE_RETRY_MAX;
	if (sl->said)
		return 0;
	sl->said = true;
	return errmsg_set(err, "%s: %s: %s: trying again, at most every %d s",
	    sl->name, what, sl_reason(e, why, sizeof why),
	    (int)(SIGNAL_LIVE_RETRY_MAX / TD_NS_PER_SEC));
}

static int
sl_up(struct signal_live *sl, struct errmsg *err)
{
	sl->state = SL_UP;
	sl->backoff = SIGNAL_LIVE_RETRY;
	sl->said = false;
	sl_restart(sl);
	errmsg_set(err, "%s: connected", sl->name);
	return SIGNAL_LIVE_NOTE;
}

/* Start or finish a connection: 0 while it is not up, else to log. */
static int
sl_connect(struct signal_live *sl, td_ns now, struct errmsg *err)
{
	struct pollfd	 pfd;
	socklen_t	 len;
	int		 e = 0;

	if (sl->state == SL_DOWN) {
		if (now < sl->retry_at)
			return 0;
		sl->fd = socket(sl->addr.ss_family, SOCK_STREAM |
		    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (sl->fd == -1)
			return sl_down(sl, now, "socket", errno, err);
		if (connect(sl->fd, (struct sockaddr *)&sl->addr,
		    sl->alen) == 0)
			return sl_up(sl, err);
		if (errno != EINPROGRESS && errno != EAGAIN)
			return sl_down(sl, now, "connect", errno, err);
		sl->state = SL_CONNECTING;
		sl->since = now;
	}
	pfd = (struct pollfd){ .fd = sl->fd, .events = POLLOUT };
	if (poll(&pfd, 1, 0) == 0) {
		if (now - sl->since < SL_CONNECT_MAX)
			return 0;
		return sl_down(sl, now, "connect", ETIMEDOUT, err);
	}
	len = sizeof e;
	if (getsockopt(sl->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	return e != 0 ? sl_down(sl, now, "connect", e, err) : sl_up(sl, err);
}

/*
 * The server closed the connection, or it failed (errno e, 0: closed):
 * said once, and tried again after SIGNAL_LIVE_RETRY.
 */
static int
sl_lost(struct signal_live *sl, td_ns now, int e, struct errmsg *err)
{
	char	 why[128], cut[64] = "";

	if (sl->n > 0 && !sl->skipping)
		snprintf(cut, sizeof cut, "; line %ld, cut short, is dropped",
		    sl->line + 1);
	if (e == 0)
		snprintf(why, sizeof why, "the server closed the connection");
	else
		sl_reason(e, why, sizeof why);
	/* This is the outage's word; a first failure to connect is next. */
	sl->backoff = SIGNAL_LIVE_RETRY;
	sl->said = true;
	(void)sl_down(sl, now, "read", e, err);
	sl->said = false;
	return errmsg_set(err, "%s: %s%s: connecting again in %d s",
	    sl->name, why, cut, (int)(SIGNAL_LIVE_RETRY / TD_NS_PER_SEC));
}

/* ---------------------------------------------------------------- next */

int
signal_live_next(struct signal_live *sl, td_ns now, struct news_item *it,
    struct errmsg *err)
{
	ssize_t	 got;
	int	 rc;

	for (;;) {
		if (sl->socket && sl->state != SL_UP)
			return sl_connect(sl, now, err);
		if ((rc = sl_line(sl, it, err)) != 0)
			return rc;
		if ((got = sl_read(sl)) > 0)
			continue;
		if (!sl->socket)
			return sl_file_end(sl, err);
		if (got == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return sl_lost(sl, now, got == 0 ? 0 : errno, err);
	}
}
