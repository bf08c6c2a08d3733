/*
 * health-http.h -- the desk's health over HTTP on 127.0.0.1 only:
 *
 *	GET /metrics	the Prometheus text metrics (health_metrics)
 *	GET /health	200 "ok", or 503 and the reason (health_check)
 *
 * A tiny HTTP/1.0 server on its own thread: one connection at a time,
 * each answered from a fresh copy of what the runner has published
 * (health_gather) and closed.  It never touches the engine, and a client
 * that stalls is dropped after HEALTH_HTTP_TIMEOUT.
 */
#ifndef TD_HEALTH_HTTP_H
#define TD_HEALTH_HTTP_H

#include "types.h"

struct errmsg;
struct health_http;
struct runner;

#define HEALTH_HTTP_TIMEOUT	(2 * TD_NS_PER_SEC)

/*
 * Listen on 127.0.0.1:port (0: a free port the system picks) and start
 * the thread, serving r (which must outlive the server).  NULL and a
 * message ("health: 127.0.0.1:9464: Address already in use") otherwise.
 * Free with health_http_free (NULL is fine), which stops the thread.
 */
struct health_http *health_http_create(int port, struct runner *r,
		     struct errmsg *err);
void		 health_http_free(struct health_http *h);
/* The port listened on. */
int		 health_http_port(const struct health_http *h);

#endif
