/*
 * alert-sink.h -- the sinks that take alerts out of the process: a
 * webhook, e-mail over SMTP, and a command.
 *
 * Each function adds one sink to a hub (before alert_start) and returns 0,
 * or -1 and a message ("alerts: webhook url must start with http:// or
 * https://").  Secrets come already resolved: the caller reads env:NAME
 * and file:PATH.  Each sink sends on its own hub thread and gives up on
 * one attempt after the hub's timeout; nothing it does touches the
 * engine.  Their error messages never contain the webhook's URL or the
 * password.
 *
 *   webhook	an HTTP POST of a JSON body that Slack and Discord incoming
 *		webhooks both take: {"text": LINE, "content": LINE}, LINE
 *		being alert_format's.  A 2xx answer is success; 408, 429
 *		and 5xx are retried; other answers fail for good.
 *   email	one message per alert through an SMTP server (libcurl):
 *		smtp://host:port, or smtps:// for TLS from the start; with
 *		starttls the session must upgrade with STARTTLS or fail.
 *		The subject is "[tickdesk] SEVERITY event", the body the
 *		line with the time.
 *   command	/bin/sh -c COMMAND with standard input, output and error
 *		on /dev/null and the alert in its environment:
 *		TICKDESK_ALERT_SEVERITY (info ... critical),
 *		TICKDESK_ALERT_EVENT (breaker-trip, ...),
 *		TICKDESK_ALERT_TEXT (the line of alert_format),
 *		TICKDESK_ALERT_TIME (ISO 8601 UTC) and
 *		TICKDESK_ALERT_REPEATS (0, or the repeats a summary counts).
 *		Exit status 0 is success; a command still running after the
 *		timeout is killed and the attempt failed.
 */
#ifndef TD_ALERT_SINK_H
#define TD_ALERT_SINK_H

#include "alert.h"

struct errmsg;

int		 alert_sink_webhook(struct alert_hub *h, const char *url,
		     enum alert_severity min, struct errmsg *err);
int		 alert_sink_email(struct alert_hub *h,
		     const struct alert_email_cfg *cfg, struct errmsg *err);
int		 alert_sink_command(struct alert_hub *h, const char *command,
		     enum alert_severity min, struct errmsg *err);
/*
 * The command sink with the clock its timeout runs on: now(arg), in
 * nanoseconds from any start, never going back.  now NULL is the
 * monotonic clock, which alert_sink_command uses; a test passes a clock
 * it steps by hand, so that only it decides when a command has run too
 * long.
 */
int		 alert_sink_command_clock(struct alert_hub *h,
		     const char *command, enum alert_severity min,
		     td_ns (*now)(void *), void *arg, struct errmsg *err);

/*
 * The JSON body of the webhook for an alert into buf (len bytes): -1 when
 * it does not fit.
 */
int		 alert_sink_json(const struct alert *a, char *buf, size_t len);

#endif
