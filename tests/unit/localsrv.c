/*
 * localsrv.c -- the tests' own HTTP and SMTP servers on 127.0.0.1
 * (localsrv.h).
 *
 * One thread per server: poll the listening socket (and wake every 50 ms
 * to see whether it should stop), take one connection, speak the
 * protocol to the end with a receive timeout, record what came, close.
 * Records live in a fixed table guarded by a mutex.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "localsrv.h"

enum localsrv_kind { LOCALSRV_HTTP, LOCALSRV_SMTP };

struct localsrv_rec {
	char		 data[LOCALSRV_RECORD_MAX];
	int		 accepted;
};

struct localsrv {
	enum localsrv_kind	 kind;
	int			 fd;
	int			 port;
	pthread_t		 thread;
	atomic_bool		 stop;
	pthread_mutex_t		 m;
	int			 fail;
	int			 nrec;
	int			 naccepted;
	struct localsrv_rec	 rec[LOCALSRV_RECORDS];
};

static void
localsrv_add(struct localsrv *s, const char *data, size_t n, int accepted)
{
	pthread_mutex_lock(&s->m);
	if (s->nrec < LOCALSRV_RECORDS) {
		struct localsrv_rec	*r = &s->rec[s->nrec];

		if (n >= sizeof r->data)
			n = sizeof r->data - 1;
		memcpy(r->data, data, n);
		r->data[n] = '\0';
		r->accepted = accepted;
	}
	s->nrec++;
	if (accepted)
		s->naccepted++;
	pthread_mutex_unlock(&s->m);
}

/* Should this request fail?  Counts the failures down. */
static bool
localsrv_take_fail(struct localsrv *s)
{
	bool	 f;

	pthread_mutex_lock(&s->m);
	f = s->fail > 0;
	if (f)
		s->fail--;
	pthread_mutex_unlock(&s->m);
	return f;
}

static void
localsrv_write(int fd, const char *s)
{
	size_t	 n = strlen(s);

	while (n > 0) {
		ssize_t	 w = send(fd, s, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* ---------------------------------------------------------------- HTTP */

static void
localsrv_http_conn(struct localsrv *s, int fd)
{
	char		 buf[LOCALSRV_RECORD_MAX * 2];
	size_t		 n = 0;
	char		*end, *cl;
	long		 want = 0;
	bool		 fail;

	for (;;) {
		ssize_t	 r;

		buf[n] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL) {
			cl = strcasestr(buf, "\r\nContent-Length:");
			want = cl != NULL && cl < end ? strtol(cl + 17, NULL,
			    10) : 0;
			if ((long)(n - (size_t)(end + 4 - buf)) >= want)
				break;
		}
		if (n + 1 >= sizeof buf)
			return;
		if ((r = recv(fd, buf + n, sizeof buf - 1 - n, 0)) <= 0)
			return;
		n += (size_t)r;
	}
	fail = localsrv_take_fail(s);
	localsrv_add(s, end + 4, (size_t)want, !fail);
	localsrv_write(fd, fail ? "HTTP/1.1 500 Internal Server Error\r\n"
	    "Content-Length: 4\r\nConnection: close\r\n\r\nfail" :
	    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n"
	    "\r\nok");
}

/* ---------------------------------------------------------------- SMTP */

/* One line (without CRLF) into line; -1 at the end of the connection. */
static int
localsrv_line(int fd, char *rbuf, size_t *rn, char *line, size_t len)
{
	for (;;) {
		char	*nl = memchr(rbuf, '\n', *rn);
		ssize_t	 r;

		if (nl != NULL) {
			size_t	 k = (size_t)(nl - rbuf);
			size_t	 c = k > 0 && rbuf[k - 1] == '\r' ? k - 1 : k;

			if (c >= len)
				c = len - 1;
			memcpy(line, rbuf, c);
			line[c] = '\0';
			memmove(rbuf, nl + 1, *rn - k - 1);
			*rn -= k + 1;
			return 0;
		}
		if (*rn >= 4096)
			return -1;
		if ((r = recv(fd, rbuf + *rn, 4096 - *rn, 0)) <= 0)
			return -1;
		*rn += (size_t)r;
	}
}

static void
localsrv_smtp_conn(struct localsrv *s, int fd)
{
	char		 msg[LOCALSRV_RECORD_MAX];
	char		 rbuf[4096], line[1024];
	size_t		 rn = 0, mn;

	localsrv_write(fd, "220 localhost ESMTP tickdesk-test\r\n");
	while (localsrv_line(fd, rbuf, &rn, line, sizeof line) == 0) {
		if (strncasecmp(line, "EHLO", 4) == 0 ||
		    strncasecmp(line, "HELO", 4) == 0)
			localsrv_write(fd, "250 localhost\r\n");
		else if (strncasecmp(line, "MAIL", 4) == 0 ||
		    strncasecmp(line, "RCPT", 4) == 0 ||
		    strncasecmp(line, "RSET", 4) == 0 ||
		    strncasecmp(line, "NOOP", 4) == 0)
			localsrv_write(fd, "250 OK\r\n");
		else if (strncasecmp(line, "DATA", 4) == 0) {
			bool	 fail;

			localsrv_write(fd, "354 go ahead\r\n");
			mn = 0;
			while (localsrv_line(fd, rbuf, &rn, line,
			    sizeof line) == 0 && strcmp(line, ".") != 0) {
				size_t	 k = strlen(line);

				if (mn + k + 2 < sizeof msg) {
					memcpy(msg + mn, line, k);
					memcpy(msg + mn + k, "\n", 1);
					mn += k + 1;
				}
			}
			fail = localsrv_take_fail(s);
			localsrv_add(s, msg, mn, !fail);
			localsrv_write(fd, fail ? "451 try later\r\n" :
			    "250 OK queued\r\n");
		} else if (strncasecmp(line, "QUIT", 4) == 0) {
			localsrv_write(fd, "221 bye\r\n");
			return;
		} else
			localsrv_write(fd, "500 unknown command\r\n");
	}
}

/* ---------------------------------------------------------------- server */

static void *
localsrv_main(void *arg)
{
	struct localsrv	*s = arg;

	while (!atomic_load(&s->stop)) {
		struct pollfd	 p = { .fd = s->fd, .events = POLLIN };
		struct timeval	 tv = { .tv_sec = 2 };
		int		 c;

		if (poll(&p, 1, 50) <= 0)
			continue;
		if ((c = accept(s->fd, NULL, NULL)) == -1)
			continue;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (s->kind == LOCALSRV_HTTP)
			localsrv_http_conn(s, c);
		else
			localsrv_smtp_conn(s, c);
		close(c);
	}
	return NULL;
}

static struct localsrv *
localsrv_start(enum localsrv_kind kind, int fail)
{
	struct localsrv		*s = calloc(1, sizeof *s);
	struct sockaddr_in	 sa = { .sin_family = AF_INET };
	socklen_t		 sl = sizeof sa;
	int			 one = 1;

	if (s == NULL)
		return NULL;
	s->kind = kind;
	s->fail = fail;
	pthread_mutex_init(&s->m, NULL);
	atomic_init(&s->stop, false);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof one) == -1 ||
	    bind(s->fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(s->fd, 16) == -1 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &sl) == -1 ||
	    pthread_create(&s->thread, NULL, localsrv_main, s) != 0) {
		if (s->fd != -1)
			close(s->fd);
		free(s);
		return NULL;
	}
	s->port = ntohs(sa.sin_port);
	return s;
}

struct localsrv *
localsrv_http(int fail)
{
	return localsrv_start(LOCALSRV_HTTP, fail);
}

struct localsrv *
localsrv_smtp(void)
{
	return localsrv_start(LOCALSRV_SMTP, 0);
}

void
localsrv_free(struct localsrv *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->thread, NULL);
	close(s->fd);
	pthread_mutex_destroy(&s->m);
	free(s);
}

int
localsrv_port(const struct localsrv *s)
{
	return s->port;
}

void
localsrv_fail(struct localsrv *s, int fail)
{
	pthread_mutex_lock(&s->m);
	s->fail = fail;
	pthread_mutex_unlock(&s->m);
}

int
localsrv_received(struct localsrv *s)
{
	int	 n;

	pthread_mutex_lock(&s->m);
	n = s->nrec;
	pthread_mutex_unlock(&s->m);
	return n;
}

int
localsrv_accepted(struct localsrv *s)
{
	int	 n;

	pthread_mutex_lock(&s->m);
	n = s->naccepted;
	pthread_mutex_unlock(&s->m);
	return n;
}

int
localsrv_record(struct localsrv *s, int i, char *buf, size_t len,
    int *accepted)
{
	int	 rc = -1;

	pthread_mutex_lock(&s->m);
	if (i >= 0 && i < s->nrec && i < LOCALSRV_RECORDS) {
		snprintf(buf, len, "%s", s->rec[i].data);
		if (accepted != NULL)
			*accepted = s->rec[i].accepted;
		rc = 0;
	}
	pthread_mutex_unlock(&s->m);
	return rc;
}

int
localsrv_wait(struct localsrv *s, int n, int ms)
{
	struct timespec	 nap = { 0, 10000000 };

	for (int waited = 0; waited <= ms; waited += 10) {
		if (localsrv_accepted(s) >= n)
			return 0;
		nanosleep(&nap, NULL);
	}
	return -1;
}

int
localsrv_get(int port, const char *path, char *buf, size_t len)
{
	struct sockaddr_in	 sa = { .sin_family = AF_INET };
	struct timeval		 tv = { .tv_sec = 5 };
	char			 req[512], resp[65536], *body;
	size_t			 n = 0;
	ssize_t			 r;
	int			 fd, status;

	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		close(fd);
		return -1;
	}
	snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n",
	    path);
	localsrv_write(fd, req);
	while (n + 1 < sizeof resp &&
	    (r = recv(fd, resp + n, sizeof resp - 1 - n, 0)) > 0)
		n += (size_t)r;
	close(fd);
	resp[n] = '\0';
	if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1 ||
	    (body = strstr(resp, "\r\n\r\n")) == NULL)
		return -1;
	snprintf(buf, len, "%s", body + 4);
	return status;
}
