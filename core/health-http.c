/*
 * health-http.c -- /metrics and /health on 127.0.0.1 (health-http.h).
 *
 * The thread polls the listening socket and a pipe that says stop; it
 * takes one connection, reads the request line (up to HEALTH_HTTP_REQ
 * bytes, within HEALTH_HTTP_TIMEOUT), gathers the runner's published state
 * into its own report, writes the answer and closes.  The report and the
 * answer's buffer are made with the server, so serving allocates nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "errmsg.h"
#include "health-http.h"
#include "health.h"

#define HEALTH_HTTP_REQ		4096
#define HEALTH_HTTP_BODY	(256 * 1024)

struct health_http {
	struct runner		*r;
	int			 fd;
	int			 port;
	int			 stop[2];
	pthread_t		 thread;
	bool			 running;
	struct health_report	*report;
	char			*body;
	char			 req[HEALTH_HTTP_REQ];
};

static void
health_http_write(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t	 w = send(fd, p, n, MSG_NOSIGNAL);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void
health_http_answer(int fd, int status, const char *type, const char *body,
    size_t n, bool head)
{
	char		 hdr[256];
	const char	*reason;
	int		 k;

	switch (status) {
	case 200:
		reason = "OK";
		break;
	case 404:
		reason = "Not Found";
		break;
	case 405:
		reason = "Method Not Allowed";
		break;
	case 400:
		reason = "Bad Request";
		break;
	default:
		reason = "Service Unavailable";
		break;
	}
	k = snprintf(hdr, sizeof hdr, "HTTP/1.0 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n"
	    "Connection: close\r\n\r\n", status, reason, type, n);
	health_http_write(fd, hdr, (size_t)k);
	if (!head)
		health_http_write(fd, body, n);
}

/* Read up to the end of the request's head; -1 on timeout or junk. */
static int
health_http_read(struct health_http *h, int fd)
{
	size_t	 n = 0;

	while (n + 1 < sizeof h->req) {
		ssize_t	 r = recv(fd, h->req + n, sizeof h->req - 1 - n, 0);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		h->req[n] = '\0';
		if (strstr(h->req, "\r\n\r\n") != NULL ||
		    strstr(h->req, "\n\n") != NULL)
			return 0;
	}
	h->req[n] = '\0';
	/* A request line alone (HTTP/0.9 style) is enough to answer. */
	return strchr(h->req, '\n') != NULL ? 0 : -1;
}

static void
health_http_serve(struct health_http *h, int fd)
{
	static const char	 text[] = "text/plain; charset=utf-8";
	char			 method[8], path[256], why[320];
	bool			 head;
	int			 status, len;

	if (health_http_read(h, fd) == -1 ||
	    sscanf(h->req, "%7s %255s", method, path) != 2) {
		health_http_answer(fd, 400, text, "bad request\n", 12, false);
		return;
	}
	head = strcmp(method, "HEAD") == 0;
	if (!head && strcmp(method, "GET") != 0) {
		health_http_answer(fd, 405, text, "GET only\n", 9, false);
		return;
	}
	path[strcspn(path, "?")] = '\0';
	if (strcmp(path, "/health") == 0) {
		health_gather(h->r, h->report);
		status = health_check(h->report, why, sizeof why - 1);
		strcat(why, "\n");
		health_http_answer(fd, status, text, why, strlen(why), head);
	} else if (strcmp(path, "/metrics") == 0) {
		health_gather(h->r, h->report);
		if ((len = health_metrics(h->report, h->body,
		    HEALTH_HTTP_BODY)) == -1)
			health_http_answer(fd, 503, text, "metrics too large\n",
			    18, head);
		else
			health_http_answer(fd, 200, "text/plain; version=0.0.4; "
			    "charset=utf-8", h->body, (size_t)len, head);
	} else
		health_http_answer(fd, 404, text, "try /metrics or /health\n",
		    24, head);
}

static void *
health_http_main(void *arg)
{
	struct health_http	*h = arg;
	struct timeval		 tv = {
		.tv_sec = HEALTH_HTTP_TIMEOUT / TD_NS_PER_SEC,
		.tv_usec = HEALTH_HTTP_TIMEOUT % TD_NS_PER_SEC / 1000,
	};

	for (;;) {
		struct pollfd	 p[2] = {
			{ .fd = h->fd, .events = POLLIN },
			{ .fd = h->stop[0], .events = POLLIN },
		};
		int		 c;

		if (poll(p, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents != 0)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		if ((c = accept4(h->fd, NULL, NULL, SOCK_CLOEXEC)) == -1)
			continue;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		health_http_serve(h, c);
		close(c);
	}
	return NULL;
}

struct health_http *
health_http_create(int port, struct runner *r, struct errmsg *err)
{
	struct health_http	*h;
	struct sockaddr_in	 sa = { .sin_family = AF_INET };
	socklen_t		 sl = sizeof sa;
	int			 one = 1, rc;

	if (port < 0 || port > 65535) {
		errmsg_set(err, "health: port %d out of range", port);
		return NULL;
	}
	if ((h = calloc(1, sizeof *h)) == NULL ||
	    (h->report = health_report_create(err)) == NULL ||
	    (h->body = malloc(HEALTH_HTTP_BODY)) == NULL) {
		if (h != NULL)
			health_report_free(h->report);
		free(h);
		errmsg_set(err, "health: out of memory");
		return NULL;
	}
	h->r = r;
	h->fd = h->stop[0] = h->stop[1] = -1;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof one) == -1 ||
	    bind(h->fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(h->fd, 8) == -1 ||
	    getsockname(h->fd, (struct sockaddr *)&sa, &sl) == -1 ||
	    pipe2(h->stop, O_CLOEXEC) == -1) {
		errmsg_set(err, "health: 127.0.0.1:%d: %s", port,
		    strerror(errno));
		health_http_free(h);
		return NULL;
	}
	h->port = ntohs(sa.sin_port);
	if ((rc = pthread_create(&h->thread, NULL, health_http_main,
	    h)) != 0) {
		errmsg_set(err, "health: thread: %s", strerror(rc));
		health_http_free(h);
		return NULL;
	}
	h->running = true;
	return h;
}

int
health_http_port(const struct health_http *h)
{
	return h->port;
}

void
health_http_free(struct health_http *h)
{
	if (h == NULL)
		return;
	if (h->running) {
		(void)!write(h->stop[1], "x", 1);
		pthread_join(h->thread, NULL);
	}
	if (h->fd != -1)
		close(h->fd);
	if (h->stop[0] != -1) {
		close(h->stop[0]);
		close(h->stop[1]);
	}
	health_report_free(h->report);
	free(h->body);
	free(h);
}
