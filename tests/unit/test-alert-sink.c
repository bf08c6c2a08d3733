/*
 * test-alert-sink.c -- the webhook, e-mail and command sinks against real
 * servers: an HTTP server and an SMTP sink started by the test on
 * 127.0.0.1 (localsrv.h), and /bin/sh.  Deliveries, the JSON body, the
 * retries with backoff when the server answers 500, giving up when it
 * never answers well or is not there at all, raising that never waits
 * for a server that never answers, deduplication and the rate limit as
 * the server sees them, a failing sink reported to the others, and a
 * replayed session that goes through all its data while its webhooks
 * fail.
 *
 * Nothing here depends on how fast the machine is.  The hub's windows and
 * the command sink's timeout run on a clock the test steps by hand
 * (struct tclock); the servers are real, and the test waits for what they
 * receive by polling with a generous deadline (WAIT_MS), which only a
 * broken sink ever reaches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert-sink.h"
#include "alert.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "runner.h"
#include "snapshot.h"

#include "fixture.h"
#include "localsrv.h"

#define MS	1000000LL

/* How long a wait for a delivery may take before the test fails. */
#define WAIT_MS	30000
#define WAIT	(WAIT_MS * MS)

/* A clock the test steps by hand. */
struct tclock {
	_Atomic td_ns	 now;
};

static td_ns
tclock_now(void *arg)
{
	struct tclock	*c = arg;

	return atomic_load(&c->now);
}

static void
tclock_step(struct tclock *c, td_ns by)
{
	atomic_fetch_add(&c->now, by);
}

/* Short backoffs; a timeout no answering server comes near. */
static void
cfg_fast(struct alert_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->queue = 64;
	c->retries = 3;
	c->backoff = 10 * MS;
	c->backoff_max = 40 * MS;
	c->timeout = WAIT;
}

static void
nap_ms(int ms)
{
	struct timespec	 ts = { 0, ms * MS };

	nanosleep(&ts, NULL);
}

static struct alert_hub *
hub_new(const struct alert_cfg *c)
{
	struct errmsg		 err;
	struct alert_hub	*h = alert_create(c, &err);

	if (h == NULL)
		fail_msg("%s", err.msg);
	return h;
}

static void
hub_webhook(struct alert_hub *h, struct localsrv *s, enum alert_severity min)
{
	struct errmsg	 err;
	char		 url[128];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/hooks/T000/SECRET",
	    localsrv_port(s));
	if (alert_sink_webhook(h, url, min, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
hub_start(struct alert_hub *h)
{
	struct errmsg	 err;

	if (alert_start(h, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
test_alert_sink_json(void **state)
{
	struct alert	 a = { .severity = ALERT_WARNING,
			    .event = ALERT_EV_STRATEGY_ERROR, .about = -1 };
	char		 buf[512];

	(void)state;
	snprintf(a.text, sizeof a.text, "say \"hi\" \\ back\ttab");
	assert_int_equal(alert_sink_json(&a, buf, sizeof buf), 0);
	assert_string_equal(buf, "{\"text\": \"WARNING strategy-error: say "
	    "\\\"hi\\\" \\\\ back\\u0009tab\", \"content\": \"WARNING "
	    "strategy-error: say \\\"hi\\\" \\\\ back\\u0009tab\"}");
	assert_int_equal(alert_sink_json(&a, buf, 20), -1);
}

static void
test_alert_sink_bad_config(void **state)
{
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_email_cfg	 m;
	struct errmsg		 err;

	(void)state;
	cfg_fast(&c);
	h = hub_new(&c);
	assert_int_equal(alert_sink_webhook(h, "ftp://x", ALERT_INFO, &err),
	    -1);
	assert_string_equal(err.msg, "alerts: webhook url must start with "
	    "http:// or https://");
	memset(&m, 0, sizeof m);
	snprintf(m.server, sizeof m.server, "imap://x");
	snprintf(m.from, sizeof m.from, "a@b");
	snprintf(m.to, sizeof m.to, "c@d");
	assert_int_equal(alert_sink_email(h, &m, &err), -1);
	assert_string_equal(err.msg, "alerts: email server must be "
	    "smtp://HOST[:PORT] or smtps://HOST[:PORT]");
	snprintf(m.server, sizeof m.server, "localhost:25");
	snprintf(m.to, sizeof m.to, " , ");
	assert_int_equal(alert_sink_email(h, &m, &err), -1);
	assert_string_equal(err.msg, "alerts: email needs at least one "
	    "address in to");
	assert_int_equal(alert_sink_command(h, "", ALERT_INFO, &err), -1);
	alert_free(h);
}

/* A critical alert reaches the webhook as a Slack and Discord body. */
static void
test_alert_sink_webhook_delivers(void **state)
{
	struct localsrv		*s = localsrv_http(0);
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;
	char			 body[1024];
	int			 ok;

	(void)state;
	assert_non_null(s);
	cfg_fast(&c);
	h = hub_new(&c);
	hub_webhook(h, s, ALERT_WARNING);
	hub_start(h);
	alert_raise(h, ALERT_INFO, ALERT_EV_VENUE_UP, "below the minimum");
	alert_raise(h, ALERT_CRITICAL, ALERT_EV_BREAKER, "breaker rejects "
	    "tripped: 10 orders refused within 60 min");
	assert_int_equal(alert_idle(h, WAIT), 0);
	assert_int_equal(localsrv_received(s), 1);
	assert_int_equal(localsrv_record(s, 0, body, sizeof body, &ok), 0);
	assert_true(ok);
	assert_string_equal(body, "{\"text\": \"CRITICAL breaker-trip: "
	    "breaker rejects tripped: 10 orders refused within 60 min\", "
	    "\"content\": \"CRITICAL breaker-trip: breaker rejects tripped: "
	    "10 orders refused within 60 min\"}");
	alert_stats(h, &st);
	assert_int_equal(st.raised, 2);
	assert_int_equal(st.sent, 1);
	assert_int_equal(st.sink[0].sent, 1);
	assert_string_equal(st.sink[0].name, "webhook");
	alert_free(h);
	localsrv_free(s);
}

/* 500, 500, then 200: delivered on the third attempt. */
static void
test_alert_sink_webhook_retries(void **state)
{
	struct localsrv		*s = localsrv_http(2);
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;
	char			 body[1024];
	int			 ok;

	(void)state;
	cfg_fast(&c);
	h = hub_new(&c);
	hub_webhook(h, s, ALERT_INFO);
	hub_start(h);
	alert_raise(h, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "orb failed");
	assert_int_equal(localsrv_wait(s, 1, WAIT_MS), 0);
	assert_int_equal(alert_idle(h, WAIT), 0);
	assert_int_equal(localsrv_received(s), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(localsrv_record(s, i, body, sizeof body,
		    &ok), 0);
		assert_int_equal(ok, i == 2);
		assert_non_null(strstr(body, "ERROR strategy-error: orb "
		    "failed"));
	}
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].sent, 1);
	assert_int_equal(st.sink[0].retries, 2);
	assert_int_equal(st.sink[0].failed, 0);
	assert_false(st.sink[0].failing);
	assert_string_equal(st.sink[0].last_error, "HTTP 500");
	alert_free(h);
	localsrv_free(s);
}

/*
 * A webhook that always answers 500: retries+1 attempts, then the alert
 * is dropped, and the failure goes to the other sink (the SMTP one) as a
 * "degraded" alert, not to the failing webhook.  The next alert is tried
 * again; when the server recovers, "delivers again" goes out.
 */
static void
test_alert_sink_webhook_gives_up(void **state)
{
	struct localsrv		*s = localsrv_http(1000);
	struct localsrv		*mail = localsrv_smtp();
	struct alert_cfg	 c;
	struct alert_email_cfg	 m;
	struct alert_hub	*h;
	struct alert_stats	 st;
	struct errmsg		 err;
	char			 msg[4096];

	(void)state;
	cfg_fast(&c);
	c.retries = 2;
	h = hub_new(&c);
	hub_webhook(h, s, ALERT_INFO);
	memset(&m, 0, sizeof m);
	m.min_severity = ALERT_ERROR;
	snprintf(m.server, sizeof m.server, "smtp://127.0.0.1:%d",
	    localsrv_port(mail));
	snprintf(m.from, sizeof m.from, "desk@example.com");
	snprintf(m.to, sizeof m.to, "trader@example.com");
	assert_int_equal(alert_sink_email(h, &m, &err), 0);
	hub_start(h);
	alert_raise(h, ALERT_WARNING, ALERT_EV_LOSS_WARNING, "day loss 800 "
	    "is 80% of the limit");
	assert_int_equal(localsrv_wait(mail, 1, WAIT_MS), 0);
	assert_int_equal(alert_idle(h, WAIT), 0);
	assert_int_equal(localsrv_received(s), 3);
	assert_int_equal(localsrv_accepted(s), 0);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].failed, 1);
	assert_int_equal(st.sink[0].retries, 2);
	assert_true(st.sink[0].failing);
	assert_int_equal(localsrv_record(mail, 0, msg, sizeof msg, NULL), 0);
	assert_non_null(strstr(msg, "Subject: [tickdesk] ERROR degraded"));
	assert_non_null(strstr(msg, "alert sink webhook is failing (HTTP "
	    "500): alerts to it are dropped after 3 attempts; trading goes "
	    "on"));
	/* The secret part of the URL is in no message. */
	assert_null(strstr(msg, "SECRET"));

	localsrv_fail(s, 0);
	alert_raise(h, ALERT_WARNING, ALERT_EV_LATENCY, "slow bar");
	assert_int_equal(localsrv_wait(s, 1, WAIT_MS), 0);
	assert_int_equal(localsrv_wait(mail, 2, WAIT_MS), 0);
	assert_int_equal(localsrv_record(mail, 1, msg, sizeof msg, NULL), 0);
	assert_non_null(strstr(msg, "alert sink webhook delivers again"));
	alert_free(h);
	localsrv_free(s);
	localsrv_free(mail);
}

/* Nobody listens: connection refused, retried, dropped; no hang. */
static void
test_alert_sink_webhook_down(void **state)
{
	struct localsrv		*s = localsrv_http(0);
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;

	(void)state;
	cfg_fast(&c);
	c.retries = 2;
	h = hub_new(&c);
	hub_webhook(h, s, ALERT_INFO);
	localsrv_free(s);		/* the port is closed now */
	hub_start(h);
	for (int i = 0; i < 3; i++)
		alert_raisef(h, ALERT_ERROR, ALERT_EV_JOURNAL, "failure %d",
		    i);
	assert_int_equal(alert_idle(h, WAIT), 0);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].sent, 0);
	assert_int_equal(st.sink[0].failed, 3);
	assert_int_equal(st.sink[0].retries, 6);
	assert_non_null(strstr(st.sink[0].last_error, "onnect"));
	alert_free(h);
}

/*
 * A server that takes the connection and the request and never answers
 * (a socket that listens and never accepts: the kernel completes the
 * handshake and buffers the POST).  The webhook's send hangs; raising
 * returns all the same, and the alerts wait behind it.  Stopping the hub
 * abandons the send at once rather than after the timeout.
 */
static void
test_alert_sink_webhook_hangs(void **state)
{
	struct sockaddr_in	 sa = { .sin_family = AF_INET };
	socklen_t		 sl = sizeof sa;
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;
	struct errmsg		 err;
	char			 url[128];
	int			 fd, i;

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hook",
	    ntohs(sa.sin_port));
	cfg_fast(&c);
	c.retries = 0;
	h = hub_new(&c);
	assert_int_equal(alert_sink_webhook(h, url, ALERT_INFO, &err), 0);
	hub_start(h);
	for (i = 0; i < 3; i++)
		alert_raisef(h, ALERT_ERROR, ALERT_EV_VENUE_DOWN, "down %d", i);
	/* The sink takes the first and hangs; two wait. */
	alert_stats(h, &st);
	for (i = 0; i < WAIT_MS / 10 && st.queued != 2; i++) {
		nap_ms(10);
		alert_stats(h, &st);
	}
	assert_int_equal(st.raised, 3);
	assert_int_equal(st.queued, 2);
	assert_int_equal(st.sink[0].sent, 0);
	assert_int_equal(st.sink[0].failed, 0);

	alert_stop(h, 0);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].sent, 0);
	assert_int_equal(st.sink[0].failed, 1);
	assert_string_equal(st.sink[0].last_error, "abandoned: the session is "
	    "ending");
	/* The two that waited, and the "is failing" raised on the way out. */
	assert_int_equal(st.dropped, 3);
	assert_int_equal(st.queued, 0);
	alert_free(h);
	close(fd);
}

/* One message per alert, with its headers. */
static void
test_alert_sink_email(void **state)
{
	struct localsrv		*mail = localsrv_smtp();
	struct alert_cfg	 c;
	struct alert_email_cfg	 m;
	struct alert_hub	*h;
	struct errmsg		 err;
	char			 msg[4096];

	(void)state;
	cfg_fast(&c);
	h = hub_new(&c);
	memset(&m, 0, sizeof m);
	m.min_severity = ALERT_WARNING;
	snprintf(m.server, sizeof m.server, "127.0.0.1:%d",
	    localsrv_port(mail));
	snprintf(m.from, sizeof m.from, "desk@example.com");
	snprintf(m.to, sizeof m.to, "a@example.com, b@example.com");
	assert_int_equal(alert_sink_email(h, &m, &err), 0);
	hub_start(h);
	alert_raise(h, ALERT_CRITICAL, ALERT_EV_KILL, "kill switch by alice");
	assert_int_equal(localsrv_wait(mail, 1, WAIT_MS), 0);
	assert_int_equal(localsrv_record(mail, 0, msg, sizeof msg, NULL), 0);
	assert_non_null(strstr(msg, "From: desk@example.com\n"));
	assert_non_null(strstr(msg, "To: a@example.com, b@example.com\n"));
	assert_non_null(strstr(msg, "Subject: [tickdesk] CRITICAL "
	    "kill-switch\n"));
	assert_non_null(strstr(msg, "\nCRITICAL kill-switch: kill switch by "
	    "alice\n"));
	assert_non_null(strstr(msg, "Date: "));
	alert_free(h);
	localsrv_free(mail);
}

/*
 * The command gets the alert in its environment; failures are retried.
 * Its clock stands still: however slow the machine, no command is ever
 * too slow.
 */
static void
test_alert_sink_command(void **state)
{
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;
	struct errmsg		 err;
	struct tclock		 clk = { 1000 * TD_NS_PER_SEC };
	char			 path[] = "/tmp/tickdesk-alert-XXXXXX";
	char			 cmd[512];
	char			 line[1024] = "";
	const char		*want = "critical|breaker-trip|CRITICAL "
				    "breaker-trip: breaker venue tripped|20";
	FILE			*f;
	int			 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	cfg_fast(&c);
	c.retries = 1;
	h = hub_new(&c);
	snprintf(cmd, sizeof cmd, "echo \"$TICKDESK_ALERT_SEVERITY|"
	    "$TICKDESK_ALERT_EVENT|$TICKDESK_ALERT_TEXT|$TICKDESK_ALERT_TIME|"
	    "$TICKDESK_ALERT_REPEATS\" >>%s; echo noise; "
	    "test \"$TICKDESK_ALERT_EVENT\" != venue-down", path);
	assert_int_equal(alert_sink_command_clock(h, cmd, ALERT_INFO,
	    tclock_now, &clk, &err), 0);
	hub_start(h);
	alert_raise(h, ALERT_CRITICAL, ALERT_EV_BREAKER, "breaker venue "
	    "tripped");
	alert_raise(h, ALERT_CRITICAL, ALERT_EV_VENUE_DOWN, "venue sim is "
	    "down");
	assert_int_equal(alert_idle(h, WAIT), 0);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].sent, 1);
	assert_int_equal(st.sink[0].failed, 1);
	assert_int_equal(st.sink[0].retries, 1);
	assert_string_equal(st.sink[0].last_error, "command exited with "
	    "status 1");
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof line, f));
	assert_true(strncmp(line, want, strlen(want)) == 0);
	assert_non_null(strstr(line, "Z|0\n"));
	assert_non_null(fgets(line, sizeof line, f));
	assert_true(strncmp(line, "critical|venue-down|", 20) == 0);
	fclose(f);
	unlink(path);
	alert_free(h);
}

/*
 * A command that hangs is killed after the timeout of its clock: while
 * the clock stands still it runs on (for far longer than the timeout in
 * real time); once the clock has moved past the timeout it is killed.
 */
static void
test_alert_sink_command_timeout(void **state)
{
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;
	struct errmsg		 err;
	struct tclock		 clk = { 1000 * TD_NS_PER_SEC };

	(void)state;
	cfg_fast(&c);
	c.retries = 0;
	c.timeout = 20 * MS;
	h = hub_new(&c);
	assert_int_equal(alert_sink_command_clock(h, "exec sleep 300",
	    ALERT_INFO, tclock_now, &clk, &err), 0);
	hub_start(h);
	alert_raise(h, ALERT_ERROR, ALERT_EV_DEGRADED, "report writer failed");
	/* 200 ms of real time, ten timeouts: still running. */
	assert_int_equal(alert_idle(h, 200 * MS), -1);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].failed, 0);
	assert_int_equal(st.sink[0].sent, 0);
	/*
	 * Past the timeout.  The sink reads the clock when the command has
	 * started, which the test cannot see: it steps again until the sink
	 * gives up.
	 */
	for (int i = 0; i < WAIT_MS / 10 && st.sink[0].failed == 0; i++) {
		tclock_step(&clk, 30 * MS);
		nap_ms(10);
		alert_stats(h, &st);
	}
	assert_int_equal(alert_idle(h, WAIT), 0);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].failed, 1);
	assert_int_equal(st.sink[0].sent, 0);
	assert_string_equal(st.sink[0].last_error, "command timed out and was "
	    "killed");
	alert_free(h);
}

/*
 * The server sees one alert for five identical ones, then one summary
 * when the dedup window closes; and at most rate_limit alerts of an event
 * kind per window, then a summary of what was held back.  The windows
 * are on the hub's clock, which the test steps: nothing closes until it
 * does, however long the deliveries take.
 */
static void
test_alert_sink_dedup_and_rate(void **state)
{
	struct localsrv		*s = localsrv_http(0);
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;
	struct tclock		 clk = { 1700000000 * TD_NS_PER_SEC };
	char			 body[1024];

	(void)state;
	cfg_fast(&c);
	c.dedup_window = 300 * MS;
	c.rate_limit = 2;
	c.rate_window = 600 * MS;
	h = hub_new(&c);
	alert_set_clock(h, tclock_now, &clk);
	hub_webhook(h, s, ALERT_INFO);
	hub_start(h);
	for (int i = 0; i < 5; i++)
		alert_raise(h, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "orb: "
		    "on_bar failed");
	/* All delivered that is due: the first one only. */
	assert_int_equal(alert_idle(h, WAIT), 0);
	assert_int_equal(localsrv_received(s), 1);
	tclock_step(&clk, 299 * MS);
	assert_int_equal(alert_idle(h, WAIT), 0);
	assert_int_equal(localsrv_received(s), 1);
	/* The window closes: one summary. */
	tclock_step(&clk, 1 * MS);
	assert_int_equal(localsrv_wait(s, 2, WAIT_MS), 0);
	assert_int_equal(localsrv_record(s, 1, body, sizeof body, NULL), 0);
	assert_non_null(strstr(body, "ERROR strategy-error: orb: on_bar "
	    "failed (repeated 4 more times within 300 ms)"));

	for (int i = 0; i < 5; i++)
		alert_raisef(h, ALERT_WARNING, ALERT_EV_LATENCY, "slow %d", i);
	/* Critical alerts are never held back by the rate limit. */
	alert_raise(h, ALERT_CRITICAL, ALERT_EV_LATENCY, "very slow");
	assert_int_equal(localsrv_wait(s, 5, WAIT_MS), 0);
	tclock_step(&clk, 599 * MS);
	assert_int_equal(alert_idle(h, WAIT), 0);
	assert_int_equal(localsrv_received(s), 5);
	assert_int_equal(localsrv_record(s, 2, body, sizeof body, NULL), 0);
	assert_non_null(strstr(body, "WARNING latency: slow 0"));
	assert_int_equal(localsrv_record(s, 3, body, sizeof body, NULL), 0);
	assert_non_null(strstr(body, "WARNING latency: slow 1"));
	assert_int_equal(localsrv_record(s, 4, body, sizeof body, NULL), 0);
	assert_non_null(strstr(body, "CRITICAL latency: very slow"));
	tclock_step(&clk, 1 * MS);
	assert_int_equal(localsrv_wait(s, 6, WAIT_MS), 0);
	assert_int_equal(localsrv_record(s, 5, body, sizeof body, NULL), 0);
	assert_non_null(strstr(body, "WARNING latency: 3 more latency alerts "
	    "were held back by the rate limit of 2 per 600 ms"));
	/* The sink counts a delivery after the server has answered. */
	assert_int_equal(alert_idle(h, WAIT), 0);
	alert_stats(h, &st);
	assert_int_equal(st.suppressed, 7);
	assert_int_equal(st.sent, 6);
	alert_free(h);
	localsrv_free(s);
}

/* ------------------------------------------------ a replayed session */

static void
noop_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	(void)arg;
	(void)r;
	(void)e;
	(void)line;
	(void)reply;
}

static struct feed *
demo(void)
{
	struct demo_cfg	 dc = { .seed = 2, .days = 3 };
	struct errmsg	 err;
	struct feed	*f = feed_demo_create(&dc, &err);

	if (f == NULL)
		fail_msg("%s", err.msg);
	return f;
}

/*
 * A replayed session whose webhooks fail -- one answers 500 every time,
 * the other is not there at all -- goes through every event of its data
 * at full speed: the strategy that fails is disabled alone, the breaker
 * trips and flattens, and each alert is tried retries + 1 times and then
 * dropped, on the sinks' threads.
 */
static void
test_alert_sink_replay_survives(void **state)
{
	struct localsrv		*bad = localsrv_http(1000000);
	struct localsrv		*gone = localsrv_http(0);
	struct alert_cfg	 c;
	struct alert_hub	*h;
	struct alert_stats	 st;
	struct engine_config	 cfg;
	struct runner_cfg	 rc = { .speed = 0, .mode = SNAP_REPLAY,
				    .exec = noop_exec, .log_queue = 64 };
	struct snapshot		*snap = snapshot_create(NULL, NULL);
	struct feed		*f;
	struct engine		*e;
	struct runner		*r;
	struct errmsg		 err;
	struct td_md		 md;
	struct timespec		 nap = { 0, 10000000 };
	char			 url[128];
	int64_t			 total = 0;

	(void)state;
	cfg_fast(&c);
	c.retries = 2;
	h = hub_new(&c);
	hub_webhook(h, bad, ALERT_INFO);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hook",
	    localsrv_port(gone));
	localsrv_free(gone);
	assert_int_equal(alert_sink_webhook(h, url, ALERT_INFO, &err), 0);
	hub_start(h);

	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.nstrat = 2;
	memset(cfg.strat, 0, 2 * sizeof cfg.strat[0]);
	strcpy(cfg.strat[0].name, "orb");
	strcpy(cfg.strat[0].type, "orb");
	strcpy(cfg.strat[1].name, "diag");
	strcpy(cfg.strat[1].type, "minimal");
	for (int k = 0; k < 2; k++) {
		const struct strategy_ops *ops = strat_registry_find(
				    strat_registry_builtin(), cfg.strat[k].type);

		strcpy(cfg.strat[k].symbol, "ES");
		cfg.strat[k].enabled = true;
		for (int i = 0; ops->params[i].name != NULL; i++)
			cfg.strat[k].params[i] = ops->params[i].def;
	}
	cfg.strat[1].params[1] = 20;		/* fail_after */
	cfg.breakers.pnl_swing = 5000;
	cfg.breakers.pnl_window = 3600 * TD_NS_PER_SEC;
	cfg.breakers.flatten_on_trip = true;
	cfg.health.latency = true;
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	engine_set_alerts(e, h);
	f = demo();
	while (feed_next(f, &md, &err) == 1)
		total++;
	feed_free(f);
	assert_non_null(r = runner_create(&rc, e, demo(), &err));
	assert_int_equal(runner_start(r, &err), 0);
	for (int i = 0; i < 3000 && !snap->finished; i++) {
		nanosleep(&nap, NULL);
		runner_snapshot(r, snap);
	}
	assert_true(snap->finished);
	assert_int_equal(snap->events, total);
	assert_string_equal(snap->state, "HALTED");
	assert_non_null(strstr(snap->state_why, "breaker pnl_swing: "));
	assert_int_equal(snap->strat[1].run, SNAP_ERRORED);
	assert_true(snap->breakers[2].tripped);
	for (int i = 0; i < snap->ninst; i++)
		assert_int_equal(snap->inst[i].position, 0);
	runner_free(r);

	assert_int_equal(alert_idle(h, WAIT), 0);
	alert_stats(h, &st);
	/*
	 * The strategy's error and the trip, and each sink's "is failing",
	 * which goes to the other sink only.
	 */
	assert_int_equal(st.raised, 4);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(st.sink[i].sent, 0);
		assert_int_equal(st.sink[i].failed, 3);
		assert_int_equal(st.sink[i].retries, 2 * 3);
		assert_true(st.sink[i].failing);
	}
	assert_string_equal(st.sink[0].last_error, "HTTP 500");
	assert_non_null(strstr(st.sink[1].last_error, "onnect"));
	/* Each alert tried three times at the server that answers 500. */
	assert_int_equal(localsrv_received(bad), 3 * 3);
	alert_free(h);
	localsrv_free(bad);
	snapshot_free(snap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert_sink_json),
		cmocka_unit_test(test_alert_sink_bad_config),
		cmocka_unit_test(test_alert_sink_webhook_delivers),
		cmocka_unit_test(test_alert_sink_webhook_retries),
		cmocka_unit_test(test_alert_sink_webhook_gives_up),
		cmocka_unit_test(test_alert_sink_webhook_down),
		cmocka_unit_test(test_alert_sink_webhook_hangs),
		cmocka_unit_test(test_alert_sink_email),
		cmocka_unit_test(test_alert_sink_command),
		cmocka_unit_test(test_alert_sink_command_timeout),
		cmocka_unit_test(test_alert_sink_dedup_and_rate),
		cmocka_unit_test(test_alert_sink_replay_survives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
