/*
 * alert.h -- alerts: telling a person who is not watching the screen.
 *
 * The engine (and anything else in the process) raises an alert with a
 * severity, an event kind and a line of text; the hub gets it to the sinks
 * that subscribe to that severity: a webhook, e-mail, a command
 * (alert-sink.h).  Raising an alert never blocks and never allocates: it
 * copies the alert into a bounded queue under a lock held only for the
 * copy, and when the queue is full the alert is dropped and counted.
 *
 * Behind the queue the hub runs its own threads: a dispatcher and one
 * thread per sink, so a sink that hangs (a mail server that does not
 * answer) holds up neither trading nor the other sinks.  The dispatcher
 *
 *   - deduplicates: the same event with the same text within
 *     dedup_window goes out once; the repeats are counted and, when the
 *     window closes, go out as one summary ("... (repeated 14 more times
 *     within 10 min)");
 *   - rate-limits: at most rate_limit alerts of one event kind per
 *     rate_window (critical ones excepted); what is held back is counted
 *     and summarised when the window closes;
 *   - hands each alert to the queue of every sink whose minimum severity
 *     it reaches (full: dropped and counted).
 *
 * A sink thread sends; a failed send is retried `retries` times, waiting
 * backoff, then twice as long each time up to backoff_max, and then the
 * alert is dropped and counted.  The first alert a sink fails to deliver
 * raises an alert of its own (event "degraded", about that sink, so not
 * sent to it) and a log line; trading goes on.
 *
 * Sinks are a table of functions (struct alert_sink_ops), so tests plug
 * in their own.  The hub's threads log through the function given with
 * alert_set_log, which must be safe to call from any thread.
 */
#ifndef TD_ALERT_H
#define TD_ALERT_H

#include <stdatomic.h>

#include "log.h"
#include "types.h"

struct errmsg;
struct alert_hub;

enum alert_severity {
	ALERT_INFO,
	ALERT_WARNING,
	ALERT_ERROR,
	ALERT_CRITICAL,
};

enum alert_event {
	ALERT_EV_STRATEGY_ERROR,	/* a strategy failed and is disabled */
	ALERT_EV_RISK_BREACH,		/* a loss limit halted trading */
	ALERT_EV_LOSS_WARNING,		/* the day's loss passed a share of
					   its limit */
	ALERT_EV_REJECTIONS,		/* N orders refused in a row */
	ALERT_EV_LATENCY,		/* an event took longer than allowed */
	ALERT_EV_BREAKER,		/* a circuit breaker tripped */
	ALERT_EV_VENUE_DOWN,
	ALERT_EV_VENUE_UP,
	ALERT_EV_KILL,			/* the kill switch */
	ALERT_EV_RECOVERY,		/* a restart found discrepancies */
	ALERT_EV_JOURNAL,		/* the journal could not record */
	ALERT_EV_DEGRADED,		/* an optional part failed (an alert
					   sink, a report writer) */
	ALERT_EV_UNPROTECTED,		/* a position lost its stop */
	ALERT_EV_TEST,			/* a person checks the sinks */
	ALERT_EV_ROLLOUT,		/* the rollout moved a stage down */
};
#define ALERT_EVENTS		15

#define ALERT_TEXT_MAX		256
#define ALERT_MAX_SINKS		4
#define ALERT_QUEUE_MAX		65536
#define ALERT_NAME_MAX		16
#define ALERT_ERROR_MAX		128

/* One alert as a sink receives it. */
struct alert {
	td_ns			 time;		/* raised, UTC (the hub's
						   clock: the wall clock) */
	enum alert_severity	 severity;
	enum alert_event	 event;
	int64_t			 repeats;	/* > 0: a summary, the text
						   came this many more times */
	td_ns			 span;		/* ... within this long */
	int			 about;		/* the sink it is about (not
						   sent to it); -1: none */
	char			 text[ALERT_TEXT_MAX];
};

/* The sinks of a session (settings alerts.webhook, .email, .command). */
struct alert_webhook_cfg {
	enum alert_severity	 min_severity;
	char			 url[1024];	/* "" = off; may be a secret,
						   env:NAME or file:PATH */
};

struct alert_email_cfg {
	enum alert_severity	 min_severity;
	char			 server[256];	/* smtp://host:587; "" = off */
	char			 from[256];
	char			 to[512];	/* addresses, comma separated */
	char			 username[256];
	char			 password[256];	/* may be a secret */
	bool			 starttls;	/* require STARTTLS */
};

struct alert_command_cfg {
	enum alert_severity	 min_severity;
	char			 command[1024];	/* for /bin/sh -c; "" = off */
};

struct alert_cfg {
	int			 queue;		/* alerts each queue holds */
	td_ns			 dedup_window;	/* 0 = no deduplication */
	int			 rate_limit;	/* per event kind; 0 = off */
	td_ns			 rate_window;
	int			 retries;	/* after the first attempt */
	td_ns			 backoff;	/* before the first retry */
	td_ns			 backoff_max;
	td_ns			 timeout;	/* one delivery at most */

	/* When the engine raises alerts (0 = never). */
	int			 loss_warning_pct;	/* of risk.daily_loss */
	int			 reject_streak;	/* orders refused in a row */
	td_ns			 latency;	/* a slower market event */

	struct alert_webhook_cfg webhook;
	struct alert_email_cfg	 email;
	struct alert_command_cfg command;
};

/*
 * A sink.  send delivers one alert: 0 when done; -1 when it failed and
 * may work later (the hub retries), -2 when it cannot ever work (the hub
 * drops the alert at once); why (n bytes) says what went wrong, without
 * secrets.  It should give up soon after *stop becomes true.  free
 * releases ctx (NULL is fine).
 */
struct alert_sink_ops {
	const char	*name;
	int		(*send)(void *ctx, const struct alert *a,
			    const atomic_bool *stop, char *why, size_t n);
	void		(*free)(void *ctx);
};

struct alert_sink_stats {
	char			 name[ALERT_NAME_MAX];
	enum alert_severity	 min_severity;
	int64_t			 sent;
	int64_t			 retries;
	int64_t			 failed;	/* given up after retries */
	int64_t			 dropped;	/* its queue was full */
	int			 queued;
	bool			 failing;	/* its last alert failed */
	char			 last_error[ALERT_ERROR_MAX];
};

struct alert_stats {
	int64_t			 raised;
	int64_t			 suppressed;	/* repeats and rate limited */
	int64_t			 dropped;	/* a queue was full */
	int64_t			 sent;		/* deliveries, all sinks */
	int64_t			 failed;
	int			 queued;	/* waiting, all queues */
	int			 capacity;	/* of all queues */
	int			 nsinks;
	struct alert_sink_stats	 sink[ALERT_MAX_SINKS];
};

/* "info", "warning", "error", "critical"; and back (-1: unknown). */
const char	*alert_severity_name(enum alert_severity s);
int		 alert_severity_parse(const char *name,
		     enum alert_severity *out);
/* "strategy-error", "risk-breach", ..., "degraded", "test". */
const char	*alert_event_name(enum alert_event ev);
/*
 * One line for a person: "CRITICAL breaker-trip: TEXT", with " (repeated
 * N more times within 10 min)" for a summary.
 */
char		*alert_format(const struct alert *a, char *buf, size_t len);

/*
 * A hub with no sinks and its threads not started.  NULL and a message
 * for a bad cfg (queue 1 to ALERT_QUEUE_MAX, negative times) or no
 * memory.  Free with alert_free.
 */
struct alert_hub *alert_create(const struct alert_cfg *cfg,
		     struct errmsg *err);
const struct alert_cfg *alert_config(const struct alert_hub *h);
/* Before alert_start: where the hub's threads log (thread-safe fn). */
void		 alert_set_log(struct alert_hub *h, log_fn fn, void *arg);
/* Before alert_start: the clock of alert times and windows (tests). */
void		 alert_set_clock(struct alert_hub *h, td_ns (*now)(void *),
		     void *arg);
/*
 * Before alert_start: add a sink named name for alerts of min and above.
 * The hub owns ctx from here, also on failure (-1: too many sinks).
 */
int		 alert_add_sink(struct alert_hub *h, const char *name,
		     const struct alert_sink_ops *ops, void *ctx,
		     enum alert_severity min, struct errmsg *err);
/* Start the threads; -1 and a message when one cannot be made. */
int		 alert_start(struct alert_hub *h, struct errmsg *err);

/*
 * Raise an alert (any thread; h NULL does nothing).  Text longer than
 * ALERT_TEXT_MAX - 1 is cut; control characters become blanks.  Alerts
 * raised before alert_start wait in the queue.
 */
void		 alert_raise(struct alert_hub *h, enum alert_severity sev,
		     enum alert_event ev, const char *text);
void		 alert_raisef(struct alert_hub *h, enum alert_severity sev,
		     enum alert_event ev, const char *fmt, ...)
		     __attribute__((format(printf, 4, 5)));

/*
 * Deliver a to sink i (0 to nsinks - 1, in the order they were added) on
 * the calling thread, once, on a hub that is not started: no queue, no
 * minimum severity, no retry, no alert about a failure.  0 when it was
 * delivered; -1 and why (n > 0 bytes, without secrets) when it was not,
 * or when there is no sink i or the hub runs.  For `alert test`, which
 * needs each sink's own answer at once.
 */
int		 alert_send_now(struct alert_hub *h, int i,
		     const struct alert *a, char *why, size_t n);

/*
 * Wait (up to timeout) until every queue is empty and no sink is sending;
 * 0 then, -1 on timeout.  Summaries not yet due do not count.
 */
int		 alert_idle(struct alert_hub *h, td_ns timeout);
/*
 * Let the queues drain for up to drain, then stop the threads (a send in
 * progress is abandoned); what is still queued is counted as dropped.
 */
void		 alert_stop(struct alert_hub *h, td_ns drain);
/* Stop (without draining) and free; NULL is fine. */
void		 alert_free(struct alert_hub *h);
/* The counters, consistent at one instant (any thread). */
void		 alert_stats(struct alert_hub *h, struct alert_stats *out);

#endif
