/*
 * sdnotify.c -- the service manager's notification protocol and the
 * watchdog fed by the engine's loop (see sdnotify.h).
 *
 * It owns one AF_UNIX datagram socket, never connected: each message is a
 * sendto(2) to the manager's address, so a manager that reopens its socket
 * is found again.  The watchdog is a one-shot timer of the watched loop
 * that sends its ping and arms itself again half an interval later; it
 * never runs while the loop does not turn, which is the point.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "errmsg.h"
#include "loop.h"
#include "sdnotify.h"

struct sdn {
	int			 fd;
	struct sockaddr_un	 addr;
	socklen_t		 addrlen;
	td_ns			 watchdog;
	/* The sending thread's: the status last sent. */
	char			 status[SDN_STATUS_MAX];
	/* The watching loop's thread's. */
	struct loop		*loop;
	uint64_t		 timer;
	log_fn			 log;
	void			*log_arg;
	bool			 failing;	/* a ping failed, said once */
};

/* "/path" as it is, "@name" with a NUL first (no terminator counted). */
static int
sdn_address(struct sdn *n, const char *socket, struct errmsg *err)
{
	size_t	 len = strlen(socket);

	if (socket[0] != '/' && socket[0] != '@')
		return errmsg_set(err, "socket '%s': neither an "
		    "absolute path nor @name", socket);
	if (len < 2 || len >= sizeof n->addr.sun_path)
		return errmsg_set(err, "socket '%s': %s", socket,
		    len < 2 ? "no name" : "too long");
	n->addr.sun_family = AF_UNIX;
	memcpy(n->addr.sun_path, socket, len);
	if (socket[0] == '@') {
		n->addr.sun_path[0] = '\0';
		n->addrlen = (socklen_t)(offsetof(struct sockaddr_un,
		    sun_path) + len);
	} else
		n->addrlen = (socklen_t)(offsetof(struct sockaddr_un,
		    sun_path) + len + 1);
	return 0;
}

struct sdn *
sdn_create(const struct sdn_cfg *cfg, struct errmsg *err)
{
	struct sdn	*n;

	if (cfg->watchdog < 0) {
		errmsg_set(err, "watchdog interval below 0");
		return NULL;
	}
	if ((n = calloc(1, sizeof *n)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	n->fd = -1;
	n->watchdog = cfg->watchdog;
	if (sdn_address(n, cfg->socket, err) == -1)
		goto fail;
	if ((n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		errmsg_sys(err, cfg->socket, "socket");
		goto fail;
	}
	return n;

fail:
	sdn_free(n);
	return NULL;
}

void
sdn_free(struct sdn *n)
{
	if (n == NULL)
		return;
	if (n->fd != -1)
		close(n->fd);
	free(n);
}

static const char *
sdn_name(const struct sdn *n)
{
	return n->addr.sun_path[0] != '\0' ? n->addr.sun_path :
	    n->addr.sun_path + 1;
}

int
sdn_send(struct sdn *n, const char *text, struct errmsg *err)
{
	size_t	 len = strlen(text);
	ssize_t	 w;

	do
		w = sendto(n->fd, text, len, MSG_NOSIGNAL,
		    (const struct sockaddr *)&n->addr, n->addrlen);
	while (w == -1 && errno == EINTR);
	if (w == -1)
		return errmsg_sys(err, sdn_name(n), "notify");
	if ((size_t)w != len)
		return errmsg_set(err, "%s: notify: %zd of %zu bytes sent",
		    sdn_name(n), w, len);
	return 0;
}

/* KEY=1 and the status, in one datagram; the status is then the last. */
static int
sdn_send_with(struct sdn *n, const char *key, const char *status,
    struct errmsg *err)
{
	char	 text[SDN_STATUS_MAX + 32];

	snprintf(text, sizeof text, "%s\nSTATUS=%s", key, status);
	if (sdn_send(n, text, err) == -1)
		return -1;
	snprintf(n->status, sizeof n->status, "%s", status);
	return 0;
}

int
sdn_ready(struct sdn *n, const char *status, struct errmsg *err)
{
	return sdn_send_with(n, "READY=1", status, err);
}

int
sdn_stopping(struct sdn *n, const char *status, struct errmsg *err)
{
	return sdn_send_with(n, "STOPPING=1", status, err);
}

int
sdn_status(struct sdn *n, const char *status, struct errmsg *err)
{
	char	 text[SDN_STATUS_MAX + 16];

	if (strncmp(n->status, status, sizeof n->status - 1) == 0)
		return 0;
	snprintf(text, sizeof text, "STATUS=%s", status);
	if (sdn_send(n, text, err) == -1)
		return -1;
	snprintf(n->status, sizeof n->status, "%s", status);
	return 1;
}

td_ns
sdn_watchdog(const struct sdn *n)
{
	return n->watchdog;
}

/* ---------------------------------------------------------------- watchdog */

static void
sdn_say(struct sdn *n, enum log_level level, const char *msg)
{
	struct log_line	 line = { .time = 0, .level = level,
			    .component = "watchdog", .corr = 0, .msg = msg };

	if (n->log != NULL)
		n->log(n->log_arg, &line);
}

static void
sdn_on_ping(struct loop *l, uint64_t id, void *arg)
{
	struct sdn	*n = arg;
	struct errmsg	 err;
	char		 msg[ERRMSG_MAX + 64];

	(void)id;
	n->timer = 0;
	if (sdn_send(n, "WATCHDOG=1", &err) == -1) {
		if (!n->failing) {
			snprintf(msg, sizeof msg, "%s: the service manager may "
			    "restart the session", err.msg);
			sdn_say(n, LOG_WARNING, msg);
		}
		n->failing = true;
	} else if (n->failing) {
		sdn_say(n, LOG_INFO, "the service manager hears the watchdog "
		    "again");
		n->failing = false;
	}
	if ((n->timer = loop_add_timer(l, loop_now(l) + n->watchdog / 2,
	    sdn_on_ping, n, &err)) == 0)
		sdn_say(n, LOG_CRITICAL, "the watchdog cannot be fed: the "
		    "service manager will restart the session");
}

int
sdn_watch(struct sdn *n, struct loop *l, log_fn log, void *log_arg,
    struct errmsg *err)
{
	if (n->loop != NULL)
		return errmsg_set(err, "the watchdog is fed by another loop");
	if (n->watchdog == 0)
		return 0;
	n->log = log;
	n->log_arg = log_arg;
	n->failing = false;
	if ((n->timer = loop_add_timer(l, loop_now(l), sdn_on_ping, n,
	    err)) == 0)
		return -1;
	n->loop = l;
	return 0;
}

void
sdn_unwatch(struct sdn *n)
{
	if (n == NULL || n->loop == NULL)
		return;
	if (n->timer != 0)
		loop_del_timer(n->loop, n->timer);
	n->timer = 0;
	n->loop = NULL;
}

/* ---------------------------------------------------------------- parsing */

int
sdn_parse_usec(const char *text, td_ns *out)
{
	unsigned long long	 v;
	char			*end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 ||
	    v > (unsigned long long)(INT64_MAX / 1000))
		return -1;
	*out = (td_ns)v * 1000;
	return 0;
}

bool
sdn_is_journal(const char *stream, int fd)
{
	unsigned long long	 dev, ino;
	struct stat		 sb;
	int			 used = 0;

	if (stream == NULL || sscanf(stream, "%llu:%llu%n", &dev, &ino,
	    &used) != 2 || stream[used] != '\0' || fstat(fd, &sb) == -1)
		return false;
	return (unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino;
}

int
sdn_priority(enum log_level level)
{
	static const int	 prio[] = {
		[LOG_DEBUG] = 7,	/* SD_DEBUG */
		[LOG_INFO] = 6,		/* SD_INFO */
		[LOG_WARNING] = 4,	/* SD_WARNING */
		[LOG_ERROR] = 3,	/* SD_ERR */
		[LOG_CRITICAL] = 2,	/* SD_CRIT */
	};

	return (unsigned)level > LOG_CRITICAL ? 6 : prio[level];
}
