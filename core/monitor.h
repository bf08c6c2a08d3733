/*
 * monitor.h -- the monitoring page's content: a read-only view of a
 * session for a browser, served by the health endpoint (health-http.h)
 * on 127.0.0.1 as
 *
 *	GET /monitor		the page (HTML, inline CSS and script)
 *	GET /monitor/events	its state as server-sent events (JSON)
 *
 * Both need the token (health.monitor_token, a secret) as ?token= or
 * "Authorization: Bearer"; monitor_auth checks it in constant time and
 * counts the refusals.  The state is made from a copy of the runner's
 * snapshot (never the engine) and the last log lines, which the monitor
 * keeps in a ring of its own fed through monitor_log (a log_fn the
 * runner calls for each line it queues, from any thread).  There is no
 * way to send an order: nothing here takes a command.
 *
 * JSON strings are escaped for JSON and for HTML alike ("<" is \u003c),
 * invalid UTF-8 becoming U+FFFD; money is formatted from the cents
 * exactly ("-1,234.50") and times in the exchange's time zone.
 */
#ifndef TD_MONITOR_H
#define TD_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "snapshot.h"

struct errmsg;
struct monitor;

#define MONITOR_LOGS		40	/* last log lines kept and shown */
#define MONITOR_FILLS		20	/* last fills shown */
#define MONITOR_TOKEN_MAX	4096	/* a token's bytes, with its NUL */

struct monitor_cfg {
	const char	*token;		/* the secret's value, not empty */
	const char	*tz;		/* times shown in it; NULL: UTC */
};

/*
 * A monitor with its own copy of the token (wiped at free) and an empty
 * ring of log lines.  NULL and a message when the token is empty or too
 * long, the zone unknown or memory runs out.  Free with monitor_free
 * (NULL is fine).
 */
struct monitor	*monitor_create(const struct monitor_cfg *cfg,
		     struct errmsg *err);
void		 monitor_free(struct monitor *m);

/* Keep a log line in the ring (a log_fn; arg is the monitor). */
void		 monitor_log(void *arg, const struct log_line *line);

/*
 * Whether a request may see the page: its target ("/monitor?token=...")
 * and its head (the header lines after the request line) carry the
 * token, as a query parameter (percent-encoded) or as "Authorization:
 * Bearer TOKEN".  A refusal is counted (monitor_refused).
 */
bool		 monitor_auth(struct monitor *m, const char *target,
		     const char *head);
int64_t		 monitor_refused(const struct monitor *m);
/* a (an bytes) equals b (bn bytes), in time that depends on bn only. */
bool		 monitor_token_equal(const char *a, size_t an, const char *b,
		     size_t bn);

/*
 * s as a JSON string with its quotes, NUL ended in buf: the length, or
 * -1 when buf (len bytes) is too small.
 */
int		 monitor_json_string(const char *s, char *buf, size_t len);
/*
 * The state as a JSON object from a snapshot (seq 0: no engine yet) and
 * the ring: the length, or -1 when buf is too small.
 */
int		 monitor_state(struct monitor *m, const struct snapshot *s,
		     char *buf, size_t len);
/*
 * One server-sent event "id: ID\nevent: NAME\ndata: ...\n\n", each line
 * of data (split at CR, LF or CRLF) on a data: line of its own, NUL
 * ended: the length, or -1 when buf is too small.
 */
int		 monitor_event(const char *name, uint64_t id,
		     const char *data, char *buf, size_t len);
/* The page, NUL ended; *len its length. */
const char	*monitor_page(size_t *len);

#endif
