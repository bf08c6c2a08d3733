/*
 * health-http.h -- the desk's health over HTTP on 127.0.0.1 only:
 *
 *	GET /metrics		the Prometheus text metrics (health_metrics)
 *	GET /health		200 "ok", or 503 and the reason (health_check)
 *	GET /monitor		the monitoring page (monitor.h), with a token
 *	GET /monitor/events	its state as server-sent events, with a token
 *
 * A tiny HTTP/1.0 server on its own thread: up to HEALTH_HTTP_CLIENTS
 * connections at once, each answered from a fresh copy of what the
 * runner has published (health_gather, runner_snapshot), never the
 * engine.  GET and HEAD only (405 otherwise): nothing here takes an
 * order.  A client that does not send its request or read its answer
 * within HEALTH_HTTP_TIMEOUT is dropped; an event stream is fed while
 * its client reads, and a client that falls HEALTH_HTTP_BACKLOG bytes
 * behind is dropped (counted), so a slow browser costs neither the
 * engine nor the other clients anything.  With no stream open the
 * thread sleeps until a connection comes.
 */
#ifndef TD_HEALTH_HTTP_H
#define TD_HEALTH_HTTP_H

#include "types.h"

struct errmsg;
struct health_http;
struct monitor;
struct runner;

#define HEALTH_HTTP_TIMEOUT	(2 * TD_NS_PER_SEC)
#define HEALTH_HTTP_CLIENTS	16
#define HEALTH_HTTP_BACKLOG	(512 * 1024)	/* bytes a stream may lag */
#define HEALTH_HTTP_TICK	(TD_NS_PER_SEC / 4)	/* streams looked at */
#define HEALTH_HTTP_BEAT	TD_NS_PER_SEC	/* an event at least this
						   often */

/*
 * Listen on 127.0.0.1:port (0: a free port the system picks) and start
 * the thread, serving r (which must outlive the server) and, when m is
 * not NULL, the monitoring page from m (which must outlive it too; NULL:
 * /monitor answers 404, the page is off).  NULL and a message ("health:
 * 127.0.0.1:9464: Address already in use") otherwise.  Free with
 * health_http_free (NULL is fine), which stops the thread.
 */
struct health_http *health_http_create(int port, struct runner *r,
		     struct monitor *m, struct errmsg *err);
void		 health_http_free(struct health_http *h);
/* The port listened on. */
int		 health_http_port(const struct health_http *h);

/* Event streams open now, and those dropped for falling behind. */
struct health_http_stats {
	int		 streams;
	int64_t		 dropped;
	int64_t		 refused;	/* requests refused for the token */
};
void		 health_http_stats(struct health_http *h,
		     struct health_http_stats *out);

#endif
