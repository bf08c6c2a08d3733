/*
 * localsrv.h -- real servers on 127.0.0.1 for the tests of the alert sinks
 * and the health endpoint: a tiny HTTP server that records what is POSTed
 * to it (and can be told to answer the first N requests with 500), a
 * tiny SMTP sink that speaks just enough SMTP for libcurl and records
 * each message, and an HTTP GET over a plain socket.
 *
 * Each server listens on a port of the system's choosing and answers one
 * connection at a time on its own thread until localsrv_free.  Used by
 * tests/unit/test-alert-sink.c, test-health.c and tests/cli/http-sink.c.
 */
#ifndef TD_TEST_LOCALSRV_H
#define TD_TEST_LOCALSRV_H

#include <stddef.h>

struct localsrv;

#define LOCALSRV_RECORDS	64
#define LOCALSRV_RECORD_MAX	8192

/* An HTTP server answering 500 to its first `fail` requests, then 200. */
struct localsrv	*localsrv_http(int fail);
/* An SMTP sink: 220, EHLO/HELO 250, MAIL/RCPT 250, DATA 354, . 250. */
struct localsrv	*localsrv_smtp(void);
void		 localsrv_free(struct localsrv *s);
int		 localsrv_port(const struct localsrv *s);
/* Set how many of the next requests are answered with 500. */
void		 localsrv_fail(struct localsrv *s, int fail);
/*
 * Requests (HTTP) or messages (SMTP) received in full so far, and how
 * many of them were answered with success.
 */
int		 localsrv_received(struct localsrv *s);
int		 localsrv_accepted(struct localsrv *s);
/*
 * Record i (0 = first): the body of a POST or the message of a DATA, and
 * whether it was accepted.  -1 when there is no record i.
 */
int		 localsrv_record(struct localsrv *s, int i, char *buf,
		     size_t len, int *accepted);
/* Wait until at least n were accepted; 0, or -1 after ms milliseconds. */
int		 localsrv_wait(struct localsrv *s, int n, int ms);

/*
 * GET path from 127.0.0.1:port with HTTP/1.0: the status code and the
 * body in buf; -1 when nothing sensible came back.
 */
int		 localsrv_get(int port, const char *path, char *buf,
		     size_t len);

#endif
