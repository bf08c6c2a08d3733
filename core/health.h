/*
 * health.h -- is the desk well, in a form machines read: Prometheus text
 * metrics and a yes/no health check, made from the runner's published
 * snapshot, the engine thread's heartbeat and the process's memory.
 *
 * Nothing here touches the engine: health_gather copies what the runner
 * has published (runner_snapshot, runner_heartbeat) and reads
 * /proc/self/statm; the rest formats that copy.  The HTTP endpoint
 * (health-http.h) serves it; `status` shows the same figures to a person.
 */
#ifndef TD_HEALTH_H
#define TD_HEALTH_H

#include "snapshot.h"
#include "types.h"

struct runner;

/* No snapshot for this long: the engine thread is taken for stuck. */
#define HEALTH_STALE	(5 * TD_NS_PER_SEC)

struct errmsg;

struct health_report {
	struct snapshot	*snap;		/* the runner's latest, a copy */
	td_ns		 heartbeat;	/* runner_heartbeat: -1 not running */
	int64_t		 rss;		/* resident memory, bytes; -1 unknown */
};

/*
 * A report with an empty snapshot (all zero: not running), whose tables
 * health_gather sizes on its first copy.  NULL and a message when memory
 * runs out.  Free with health_report_free (NULL is fine).
 */
struct health_report *health_report_create(struct errmsg *err);
void		 health_report_free(struct health_report *r);

/* The resident set size of this process in bytes, -1 when unknown. */
int64_t		 health_rss(void);
/*
 * Fill out from the runner, from any thread; its snapshot is all zero
 * when the runner has published none (or memory ran out for the copy).
 */
void		 health_gather(struct runner *r, struct health_report *out);
/*
 * 200 when the engine thread is alive and the trading state ACTIVE or
 * REDUCING, why "ok"; else 503 and why: "engine thread not running",
 * "engine thread not responding: no sign of life for 7.3 s", or the state
 * with who moved it and why ("HALTED by engine: breaker rejects: 10
 * orders refused within 60 min").
 */
int		 health_check(const struct health_report *r, char *why,
		     size_t n);
/*
 * The metrics in the Prometheus text format (version 0.0.4), NUL ended:
 * the length, or -1 when buf (len bytes) is too small.
 */
int		 health_metrics(const struct health_report *r, char *buf,
		     size_t len);

#endif
