/*
 * health-http.c -- /metrics, /health and the monitoring page on 127.0.0.1
 * (health-http.h).
 *
 * The thread polls the listening socket, a pipe that says stop and its
 * clients, all non-blocking.  A client reads its request's head (up to
 * HEALTH_HTTP_REQ bytes), gets its whole answer queued in its own buffer
 * and is closed once that is written; an event stream stays, and at each
 * tick (HEALTH_HTTP_TICK, only while a stream is open) the thread copies
 * the runner's latest snapshot, makes the state's JSON once and queues it
 * to every stream when it changed or HEALTH_HTTP_BEAT has passed.  The
 * report, the JSON and the clients' buffers are made with the server, so
 * serving allocates nothing; the counters are read by health_http_stats
 * under a mutex.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "health-http.h"
#include "health.h"
#include "monitor.h"
#include "runner.h"

#define HEALTH_HTTP_REQ		4096
#define HEALTH_HTTP_BODY	(256 * 1024)
#define HEALTH_HTTP_HEAD	1024
#define HEALTH_HTTP_OUT		(HEALTH_HTTP_BACKLOG + HEALTH_HTTP_HEAD)
#define HEALTH_HTTP_SNDBUF	(64 * 1024)	/* a stream's socket buffer */

enum health_client_state {
	HC_FREE,
	HC_READ,		/* its request, until the deadline */
	HC_WRITE,		/* its answer, then close */
	HC_STREAM,		/* events until it goes */
};

struct health_client {
	enum health_client_state st;
	int			 fd;
	td_ns			 deadline;	/* HC_READ, HC_WRITE */
	size_t			 nreq;
	char			 req[HEALTH_HTTP_REQ];
	char			*out;		/* HEALTH_HTTP_OUT bytes */
	size_t			 off;		/* written of out */
	size_t			 len;		/* queued in out */
};

struct health_http {
	struct runner		*r;
	struct monitor		*mon;
	int			 fd;
	int			 port;
	int			 stop[2];
	pthread_t		 thread;
	bool			 running;
	struct health_report	*report;
	char			*body;		/* an answer's body */
	char			*json;		/* the state */
	char			*last;		/* the last state sent */
	char			*frame;		/* an event */
	uint64_t		 event_id;
	td_ns			 next_tick;	/* 0: no stream open */
	td_ns			 last_sent;
	struct health_client	 c[HEALTH_HTTP_CLIENTS];

	pthread_mutex_t		 lock;		/* the counters */
	int			 streams;
	int64_t			 dropped;
};

static td_ns
health_http_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

/* ---------------------------------------------------------------- clients */

static void
health_client_close(struct health_http *h, struct health_client *c,
    bool dropped)
{
	if (c->st == HC_STREAM) {
		pthread_mutex_lock(&h->lock);
		h->streams--;
		h->dropped += dropped;
		pthread_mutex_unlock(&h->lock);
	}
	close(c->fd);
	c->fd = -1;
	c->st = HC_FREE;
	c->nreq = c->off = c->len = 0;
}

/* Queue bytes for a client; false when they would not fit. */
static bool
health_client_queue(struct health_client *c, const char *p, size_t n)
{
	if (c->off > 0 && c->off == c->len)
		c->off = c->len = 0;
	if (n > HEALTH_HTTP_OUT - c->len) {
		if (c->off == 0 || n > HEALTH_HTTP_OUT - (c->len - c->off))
			return false;
		memmove(c->out, c->out + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	memcpy(c->out + c->len, p, n);
	c->len += n;
	return true;
}

/* Write what the socket takes now; -1 when the client is gone. */
static int
health_client_flush(struct health_client *c)
{
	while (c->off < c->len) {
		ssize_t	 w = send(c->fd, c->out + c->off, c->len - c->off,
			    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0)
			return -1;
		c->off += (size_t)w;
	}
	return 0;
}

/* ---------------------------------------------------------------- answers */

static const char *
health_http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	default:
		return "Service Unavailable";
	}
}

/* The page's own rules: nothing from elsewhere, no referrer, no frames. */
#define HEALTH_HTTP_PAGE_HEADERS					\
	"Content-Security-Policy: default-src 'none'; "			\
	"style-src 'unsafe-inline'; script-src 'unsafe-inline'; "	\
	"connect-src 'self'; frame-ancestors 'none'\r\n"		\
	"X-Content-Type-Options: nosniff\r\n"				\
	"Referrer-Policy: no-referrer\r\n"

/*
 * Queue an answer with its body (NULL: none, as for HEAD or a stream)
 * and extra header lines; the client is then written to.
 */
static void
health_http_answer(struct health_client *c, int status, const char *type,
    const char *extra, const char *body, size_t n, bool head)
{
	char	 hdr[HEALTH_HTTP_HEAD];
	int	 k;

	k = snprintf(hdr, sizeof hdr, "HTTP/1.0 %d %s\r\nContent-Type: %s\r\n"
	    "Cache-Control: no-store\r\n%s", status, health_http_reason(status),
	    type, extra != NULL ? extra : "");
	if (body != NULL)
		k += snprintf(hdr + k, sizeof hdr - (size_t)k,
		    "Content-Length: %zu\r\nConnection: close\r\n", n);
	k += snprintf(hdr + k, sizeof hdr - (size_t)k, "\r\n");
	c->st = HC_WRITE;
	c->deadline = health_http_now() + HEALTH_HTTP_TIMEOUT;
	health_client_queue(c, hdr, (size_t)k);
	if (body != NULL && !head)
		health_client_queue(c, body, n);
}

static void
health_http_text(struct health_client *c, int status, const char *extra,
    const char *text, bool head)
{
	health_http_answer(c, status, "text/plain; charset=utf-8", extra, text,
	    strlen(text), head);
}

/* The counters of the page and its streams, after the engine's. */
static int
health_http_metrics_more(struct health_http *h, char *buf, size_t len)
{
	struct health_http_stats	 st;

	health_http_stats(h, &st);
	return snprintf(buf, len, "# HELP tickdesk_monitor_streams Event "
	    "streams of the monitoring page open.\n# TYPE "
	    "tickdesk_monitor_streams gauge\ntickdesk_monitor_streams %d\n"
	    "# HELP tickdesk_monitor_dropped_total Event streams dropped for "
	    "falling behind.\n# TYPE tickdesk_monitor_dropped_total counter\n"
	    "tickdesk_monitor_dropped_total %lld\n# HELP "
	    "tickdesk_monitor_refused_total Requests for the monitoring page "
	    "refused for a wrong or missing token.\n# TYPE "
	    "tickdesk_monitor_refused_total counter\n"
	    "tickdesk_monitor_refused_total %lld\n", st.streams,
	    (long long)st.dropped, (long long)st.refused);
}

static void
health_http_metrics(struct health_http *h, struct health_client *c,
    bool head)
{
	int	 len, more;

	health_gather(h->r, h->report);
	if ((len = health_metrics(h->report, h->body,
	    HEALTH_HTTP_BODY)) == -1 || (more = health_http_metrics_more(h,
	    h->body + len, HEALTH_HTTP_BODY - (size_t)len)) < 0 ||
	    (size_t)more >= HEALTH_HTTP_BODY - (size_t)len) {
		health_http_text(c, 503, NULL, "metrics too large\n", head);
		return;
	}
	health_http_answer(c, 200, "text/plain; version=0.0.4; charset=utf-8",
	    NULL, h->body, (size_t)(len + more), head);
}

/* The state's JSON into h->json from the runner's latest snapshot. */
static void
health_http_state(struct health_http *h)
{
	static const char	 big[] = "{\"seq\":0,\"running\":false,"
	    "\"error\":\"the state is too large to show\"}";

	h->report->snap->seq = 0;	/* copy whatever is there */
	if (h->r == NULL || runner_snapshot(h->r, h->report->snap) != 1)
		snapshot_clear(h->report->snap);
	if (monitor_state(h->mon, h->report->snap, h->json,
	    HEALTH_HTTP_BODY) == -1)
		memcpy(h->json, big, sizeof big);
}

/* Queue the state to a stream as an event; false when it is too far behind. */
static bool
health_http_send(struct health_http *h, struct health_client *c)
{
	int	 n;

	if ((n = monitor_event("state", h->event_id, h->json, h->frame,
	    HEALTH_HTTP_BODY + 256)) == -1)
		return true;
	if (c->len - c->off + (size_t)n > HEALTH_HTTP_BACKLOG)
		return false;
	return health_client_queue(c, h->frame, (size_t)n);
}

static void
health_http_stream(struct health_http *h, struct health_client *c)
{
	static const char	 hdr[] = "HTTP/1.0 200 OK\r\nContent-Type: "
	    "text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n\r\nretry: 2000\n\n";
	int			 sz = HEALTH_HTTP_SNDBUF;

	setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	c->st = HC_STREAM;
	pthread_mutex_lock(&h->lock);
	h->streams++;
	pthread_mutex_unlock(&h->lock);
	health_client_queue(c, hdr, sizeof hdr - 1);
	/* The state at once, then at the ticks. */
	h->event_id++;
	health_http_state(h);
	health_http_send(h, c);
	if (h->next_tick == 0)
		h->next_tick = health_http_now() + HEALTH_HTTP_TICK;
}

static void
health_http_monitor(struct health_http *h, struct health_client *c,
    const char *path, const char *target, const char *head, bool is_head)
{
	size_t	 n;

	if (h->mon == NULL) {
		health_http_text(c, 404, NULL, "the monitoring page is off: "
		    "health.monitor_token is not set\n", is_head);
		return;
	}
	if (!monitor_auth(h->mon, target, head)) {
		health_http_text(c, 401, "WWW-Authenticate: Bearer "
		    "realm=\"tickdesk\"\r\n", "a token is needed: "
		    "/monitor?token=... or Authorization: Bearer ...\n",
		    is_head);
		return;
	}
	if (strcmp(path, "/monitor/events") == 0 && !is_head)
		health_http_stream(h, c);
	else if (strcmp(path, "/monitor/events") == 0)
		health_http_answer(c, 200, "text/event-stream", NULL, "", 0,
		    true);
	else {
		const char	*page = monitor_page(&n);

		health_http_answer(c, 200, "text/html; charset=utf-8",
		    HEALTH_HTTP_PAGE_HEADERS, page, n, is_head);
	}
}

/* A whole request's head is in c->req: route it. */
static void
health_http_serve(struct health_http *h, struct health_client *c)
{
	char		 method[8], target[HEALTH_HTTP_REQ], path[256];
	char		 why[320];
	const char	*head;
	bool		 is_head;
	int		 status;

	if (sscanf(c->req, "%7s %4095s", method, target) != 2) {
		health_http_text(c, 400, NULL, "bad request\n", false);
		return;
	}
	is_head = strcmp(method, "HEAD") == 0;
	if (!is_head && strcmp(method, "GET") != 0) {
		health_http_text(c, 405, "Allow: GET, HEAD\r\n", "GET only: "
		    "nothing here takes an order\n", false);
		return;
	}
	head = strchr(c->req, '\n');
	snprintf(path, sizeof path, "%.*s", (int)strcspn(target, "?#"),
	    target);
	if (strcmp(path, "/health") == 0) {
		health_gather(h->r, h->report);
		status = health_check(h->report, why, sizeof why - 1);
		strcat(why, "\n");
		health_http_text(c, status, NULL, why, is_head);
	} else if (strcmp(path, "/metrics") == 0)
		health_http_metrics(h, c, is_head);
	else if (strcmp(path, "/monitor") == 0 ||
	    strcmp(path, "/monitor/events") == 0)
		health_http_monitor(h, c, path, target, head != NULL ?
		    head + 1 : "", is_head);
	else
		health_http_text(c, 404, NULL, "try /metrics, /health or "
		    "/monitor\n", is_head);
}

/* Read what came; serve the request once its head is whole. */
static void
health_client_read(struct health_http *h, struct health_client *c)
{
	char	 junk[512];
	ssize_t	 r;

	if (c->st != HC_READ) {
		/* Answered: what more it says is dropped, its end ends it. */
		r = recv(c->fd, junk, sizeof junk, MSG_DONTWAIT);
		if (r == 0 || (r == -1 && errno != EINTR && errno != EAGAIN))
			health_client_close(h, c, false);
		return;
	}
	r = recv(c->fd, c->req + c->nreq, sizeof c->req - 1 - c->nreq,
	    MSG_DONTWAIT);
	if (r == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r == -1) {
		health_client_close(h, c, false);
		return;
	}
	c->nreq += (size_t)r;
	c->req[c->nreq] = '\0';
	if (strstr(c->req, "\r\n\r\n") != NULL ||
	    strstr(c->req, "\n\n") != NULL ||
	    /* A request line alone (HTTP/0.9 style) is enough at the end. */
	    (r == 0 && strchr(c->req, '\n') != NULL))
		health_http_serve(h, c);
	else if (r == 0 || c->nreq + 1 >= sizeof c->req)
		health_http_text(c, 400, NULL, "bad request\n", false);
	else
		return;
	if (health_client_flush(c) == -1 || (c->st == HC_WRITE &&
	    c->off == c->len))
		health_client_close(h, c, false);
}

static void
health_http_accept(struct health_http *h)
{
	struct health_client	*c = NULL;
	int			 fd;

	if ((fd = accept4(h->fd, NULL, NULL, SOCK_CLOEXEC |
	    SOCK_NONBLOCK)) == -1)
		return;
	for (int i = 0; i < HEALTH_HTTP_CLIENTS && c == NULL; i++) {
		if (h->c[i].st == HC_FREE)
			c = &h->c[i];
	}
	if (c == NULL) {
		static const char	 busy[] = "HTTP/1.0 503 Service "
		    "Unavailable\r\nContent-Length: 17\r\nConnection: close"
		    "\r\n\r\ntoo many clients\n";

		(void)!send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		close(fd);
		return;
	}
	c->fd = fd;
	c->st = HC_READ;
	c->deadline = health_http_now() + HEALTH_HTTP_TIMEOUT;
	c->nreq = c->off = c->len = 0;
	c->req[0] = '\0';
}

/* ---------------------------------------------------------------- ticks */

/* Streams: the state when it changed, or as a sign of life. */
static void
health_http_tick(struct health_http *h, td_ns now)
{
	bool	 any = false, changed;

	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++)
		any |= h->c[i].st == HC_STREAM;
	if (!any) {
		h->next_tick = 0;
		return;
	}
	h->next_tick = now + HEALTH_HTTP_TICK;
	health_http_state(h);
	changed = strcmp(h->json, h->last) != 0;
	if (!changed && now - h->last_sent < HEALTH_HTTP_BEAT)
		return;
	memcpy(h->last, h->json, strlen(h->json) + 1);
	h->last_sent = now;
	h->event_id++;
	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++) {
		struct health_client	*c = &h->c[i];

		if (c->st != HC_STREAM)
			continue;
		if (!health_http_send(h, c) || health_client_flush(c) == -1)
			health_client_close(h, c, true);
	}
}

/* Clients past their deadline are dropped. */
static void
health_http_expire(struct health_http *h, td_ns now)
{
	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++) {
		struct health_client	*c = &h->c[i];

		if ((c->st == HC_READ || c->st == HC_WRITE) &&
		    now >= c->deadline)
			health_client_close(h, c, false);
	}
}

/* How long poll may sleep: to the next deadline or tick, else forever. */
static int
health_http_wait(const struct health_http *h, td_ns now)
{
	td_ns	 until = h->next_tick != 0 ? h->next_tick : INT64_MAX;

	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++) {
		const struct health_client	*c = &h->c[i];

		if ((c->st == HC_READ || c->st == HC_WRITE) &&
		    c->deadline < until)
			until = c->deadline;
	}
	if (until == INT64_MAX)
		return -1;
	return until <= now ? 0 : (int)((until - now + 999999) / 1000000);
}

static void
health_http_events(struct health_http *h, const struct pollfd *p,
    const int *who, int n)
{
	for (int k = 2; k < n; k++) {
		struct health_client	*c = &h->c[who[k]];

		if (c->st == HC_FREE || p[k].revents == 0)
			continue;
		if (p[k].revents & (POLLIN | POLLHUP | POLLERR))
			health_client_read(h, c);
		if (c->st == HC_FREE || !(p[k].revents & POLLOUT))
			continue;
		if (health_client_flush(c) == -1 || (c->st == HC_WRITE &&
		    c->off == c->len))
			health_client_close(h, c, false);
	}
}

static void *
health_http_main(void *arg)
{
	struct health_http	*h = arg;
	struct pollfd		 p[HEALTH_HTTP_CLIENTS + 2];
	int			 who[HEALTH_HTTP_CLIENTS + 2];

	for (;;) {
		td_ns	 now = health_http_now();
		int	 n = 2;

		p[0] = (struct pollfd){ .fd = h->fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = h->stop[0], .events = POLLIN };
		for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++) {
			struct health_client	*c = &h->c[i];

			if (c->st == HC_FREE)
				continue;
			who[n] = i;
			p[n++] = (struct pollfd){ .fd = c->fd, .events =
			    (short)(POLLIN | (c->off < c->len ? POLLOUT : 0)) };
		}
		if (poll(p, (nfds_t)n, health_http_wait(h, now)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents != 0)
			break;
		health_http_events(h, p, who, n);
		if (p[0].revents & POLLIN)
			health_http_accept(h);
		now = health_http_now();
		health_http_expire(h, now);
		if (h->next_tick != 0 && now >= h->next_tick)
			health_http_tick(h, now);
	}
	return NULL;
}

/* ---------------------------------------------------------------- create */

static int
health_http_buffers(struct health_http *h)
{
	if ((h->report = health_report_create(NULL)) == NULL ||
	    (h->body = malloc(HEALTH_HTTP_BODY)) == NULL ||
	    (h->json = malloc(HEALTH_HTTP_BODY)) == NULL ||
	    (h->last = calloc(1, HEALTH_HTTP_BODY)) == NULL ||
	    (h->frame = malloc(HEALTH_HTTP_BODY + 256)) == NULL)
		return -1;
	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++) {
		h->c[i].fd = -1;
		if ((h->c[i].out = malloc(HEALTH_HTTP_OUT)) == NULL)
			return -1;
	}
	return 0;
}

struct health_http *
health_http_create(int port, struct runner *r, struct monitor *m,
    struct errmsg *err)
{
	struct health_http	*h;
	struct sockaddr_in	 sa = { .sin_family = AF_INET };
	socklen_t		 sl = sizeof sa;
	int			 one = 1, rc;

	if (port < 0 || port > 65535) {
		errmsg_set(err, "health: port %d out of range", port);
		return NULL;
	}
	if ((h = calloc(1, sizeof *h)) == NULL) {
		errmsg_set(err, "health: out of memory");
		return NULL;
	}
	h->fd = h->stop[0] = h->stop[1] = -1;
	pthread_mutex_init(&h->lock, NULL);
	if (health_http_buffers(h) == -1) {
		errmsg_set(err, "health: out of memory");
		health_http_free(h);
		return NULL;
	}
	h->r = r;
	h->mon = m;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof one) == -1 ||
	    bind(h->fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(h->fd, 16) == -1 ||
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
health_http_stats(struct health_http *h, struct health_http_stats *out)
{
	pthread_mutex_lock(&h->lock);
	out->streams = h->streams;
	out->dropped = h->dropped;
	pthread_mutex_unlock(&h->lock);
	out->refused = h->mon != NULL ? monitor_refused(h->mon) : 0;
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
	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++) {
		if (h->c[i].fd != -1)
			close(h->c[i].fd);
		free(h->c[i].out);
	}
	if (h->fd != -1)
		close(h->fd);
	if (h->stop[0] != -1) {
		close(h->stop[0]);
		close(h->stop[1]);
	}
	health_report_free(h->report);
	free(h->body);
	free(h->json);
	free(h->last);
	free(h->frame);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
