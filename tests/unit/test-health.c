/*
 * test-health.c -- the health report: memory, the health check's answers,
 * the Prometheus text; and the HTTP endpoint on 127.0.0.1 fetched with a
 * plain socket while a real runner runs an engine: /health says ok, then
 * 503 with the reason once the state is HALTED and when the engine thread
 * has stopped; /metrics carries the counters; other paths and methods are
 * refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "health-http.h"
#include "health.h"
#include "runner.h"

#include "fixture.h"
#include "localsrv.h"

static void
test_health_rss(void **state)
{
	int64_t	 rss = health_rss();

	(void)state;
	assert_true(rss > 1024 * 1024);
	assert_true(rss < (int64_t)64 * 1024 * 1024 * 1024);
}

static void
test_health_check(void **state)
{
	struct health_report	*r = health_report_create(NULL);
	char			 why[256];

	(void)state;
	r->heartbeat = -1;
	assert_int_equal(health_check(r, why, sizeof why), 503);
	assert_string_equal(why, "engine thread not running");
	r->snap->seq = 5;
	r->heartbeat = 7300 * 1000000LL;
	assert_int_equal(health_check(r, why, sizeof why), 503);
	assert_string_equal(why, "engine thread not responding: no sign of "
	    "life for 7.3 s");
	r->heartbeat = 30 * 1000000LL;
	strcpy(r->snap->state, "REDUCING");
	assert_int_equal(health_check(r, why, sizeof why), 200);
	assert_string_equal(why, "ok");
	strcpy(r->snap->state, "HALTED");
	strcpy(r->snap->state_who, "engine");
	strcpy(r->snap->state_why, "breaker venue: 5 venue errors within 10 "
	    "min");
	assert_int_equal(health_check(r, why, sizeof why), 503);
	assert_string_equal(why, "HALTED by engine: breaker venue: 5 venue "
	    "errors within 10 min");
	health_report_free(r);
}

static void
test_health_metrics(void **state)
{
	struct health_report	*r = health_report_create(NULL);
	char			*buf = malloc(65536);
	int			 n;

	(void)state;
	r->snap->seq = 1;
	r->heartbeat = 1000000;
	r->rss = 12345678;
	strcpy(r->snap->state, "ACTIVE");
	r->snap->events = 4242;
	r->snap->rejects = 3;
	r->snap->day_pnl = -123456;
	r->snap->uptime = 61 * TD_NS_PER_SEC + 5;
	r->snap->latency_on = true;
	r->snap->latency[SNAP_STAGE_RISK] = (struct snap_latency){
	    .count = 10, .sum = 12000, .p50 = 1000, .p99 = 2048,
	    .max = 2100 };
	r->snap->cmd_capacity = 64;
	r->snap->log_queue = 7;
	strcpy(r->snap->breakers[2].name, "pnl_swing");
	r->snap->breakers[2].tripped = true;
	r->snap->breakers[2].limit = 200000;
	r->snap->alerts.nsinks = 1;
	strcpy(r->snap->alerts.sink[0].name, "webhook");
	r->snap->alerts.sink[0].failing = true;
	r->snap->alerts.sent = 9;
	r->snap->nworking = 1100;	/* more than a snapshot lists */
	n = health_metrics(r, buf, 65536);
	assert_true(n > 0);
	assert_int_equal((int)strlen(buf), n);
	assert_non_null(strstr(buf, "# TYPE tickdesk_up gauge\ntickdesk_up "
	    "1\n"));
	assert_non_null(strstr(buf, "\ntickdesk_healthy 1\n"));
	assert_non_null(strstr(buf, "\ntickdesk_events_total 4242\n"));
	assert_non_null(strstr(buf, "\ntickdesk_orders_refused_total 3\n"));
	assert_non_null(strstr(buf, "\ntickdesk_working_orders 1100\n"));
	assert_non_null(strstr(buf, "\ntickdesk_uptime_seconds "
	    "61.000000005\n"));
	assert_non_null(strstr(buf, "\ntickdesk_trading_state{state="
	    "\"ACTIVE\"} 1\ntickdesk_trading_state{state=\"REDUCING\"} 0\n"));
	assert_non_null(strstr(buf, "\ntickdesk_day_pnl_dollars -1234.56\n"));
	assert_non_null(strstr(buf, "\ntickdesk_stage_latency_seconds{stage="
	    "\"risk\",quantile=\"0.99\"} 0.000002048\n"));
	assert_non_null(strstr(buf, "\ntickdesk_stage_latency_seconds_count"
	    "{stage=\"risk\"} 10\n"));
	assert_non_null(strstr(buf, "\ntickdesk_stage_latency_max_seconds"
	    "{stage=\"risk\"} 0.000002100\n"));
	assert_non_null(strstr(buf, "\ntickdesk_queue_depth{queue=\"log\"} "
	    "7\n"));
	assert_non_null(strstr(buf, "\ntickdesk_queue_capacity{queue="
	    "\"commands\"} 64\n"));
	assert_non_null(strstr(buf, "\ntickdesk_memory_rss_bytes 12345678\n"));
	assert_non_null(strstr(buf, "\ntickdesk_breaker_tripped{breaker="
	    "\"pnl_swing\"} 1\n"));
	assert_non_null(strstr(buf, "\ntickdesk_breaker_limit{breaker="
	    "\"pnl_swing\"} 200000\n"));
	assert_non_null(strstr(buf, "\ntickdesk_alerts_total{outcome="
	    "\"delivered\"} 9\n"));
	assert_non_null(strstr(buf, "\ntickdesk_alert_sink_failing{sink="
	    "\"webhook\"} 1\n"));
	assert_int_equal(health_metrics(r, buf, 100), -1);
	free(buf);
	health_report_free(r);
}

/* ------------------------------------------------------------ endpoint */

static void
halt_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	struct errmsg	 err;

	(void)arg;
	(void)r;
	if (strcmp(line, "halt") == 0 && engine_set_state(e, TS_HALTED,
	    "tester", "health test", &err) == -1)
		snprintf(reply->text, sizeof reply->text, "%s", err.msg);
}

/* GET until the answer has want in it (the runner publishes at 30 Hz). */
static int
get_until(int port, const char *path, const char *want, char *buf,
    size_t len)
{
	struct timespec	 nap = { 0, 20000000 };
	int		 status = -1;

	for (int i = 0; i < 250; i++) {
		status = localsrv_get(port, path, buf, len);
		if (status != -1 && strstr(buf, want) != NULL)
			return status;
		nanosleep(&nap, NULL);
	}
	fail_msg("GET %s: no '%s' in %d '%s'", path, want, status, buf);
	return -1;
}

static void
test_health_endpoint(void **state)
{
	struct demo_cfg		 dc = { .seed = 3, .days = 2 };
	struct runner_cfg	 rc = {
		.speed = 0,
		.paused = true,
		.mode = SNAP_PAPER,
		.exec = halt_exec,
		.log_level = LOG_INFO,
	};
	struct engine_config	 cfg;
	struct errmsg		 err;
	struct feed		*f = feed_demo_create(&dc, &err);
	struct engine		*e;
	struct runner		*r;
	struct health_http	*h;
	char			*buf = malloc(65536);
	int			 port;

	(void)state;
	fixture_config(&cfg);
	cfg.health.latency = true;
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	assert_non_null(r = runner_create(&rc, e, f, &err));
	assert_non_null(h = health_http_create(0, r, NULL, &err));
	port = health_http_port(h);
	assert_true(port > 0);
	/* Before the engine thread runs: not healthy. */
	assert_int_equal(localsrv_get(port, "/health", buf, 65536), 503);
	assert_string_equal(buf, "engine thread not running\n");
	assert_int_equal(runner_start(r, &err), 0);
	assert_int_equal(get_until(port, "/health", "ok", buf, 65536), 200);
	assert_string_equal(buf, "ok\n");
	assert_int_equal(get_until(port, "/metrics", "tickdesk_up 1", buf,
	    65536), 200);
	assert_non_null(strstr(buf, "\ntickdesk_latency_enabled 1\n"));
	assert_non_null(strstr(buf, "\ntickdesk_queue_capacity{queue="
	    "\"commands\"} 64\n"));
	assert_non_null(strstr(buf, "\ntickdesk_trading_state{state="
	    "\"ACTIVE\"} 1\n"));
	assert_int_equal(localsrv_get(port, "/metrics?x=1", buf, 65536), 200);
	assert_int_equal(localsrv_get(port, "/", buf, 65536), 404);
	assert_string_equal(buf, "try /metrics, /health or /monitor\n");

	assert_int_equal(runner_submit(r, 1, "halt"), 0);
	assert_int_equal(get_until(port, "/health", "HALTED", buf, 65536),
	    503);
	assert_string_equal(buf, "HALTED by tester: health test\n");
	assert_int_equal(get_until(port, "/metrics", "tickdesk_healthy 0",
	    buf, 65536), 200);

	runner_stop(r);
	assert_int_equal(localsrv_get(port, "/health", buf, 65536), 503);
	assert_string_equal(buf, "engine thread not running\n");
	health_http_free(h);
	runner_free(r);
	free(buf);
}

/* Only 127.0.0.1, and a taken port is refused with a message. */
static void
test_health_endpoint_port_taken(void **state)
{
	struct health_http	*a, *b;
	struct errmsg		 err;
	char			 want[64];

	(void)state;
	assert_non_null(a = health_http_create(0, NULL, NULL, &err));
	assert_null(b = health_http_create(health_http_port(a), NULL, NULL,
	    &err));
	snprintf(want, sizeof want, "health: 127.0.0.1:%d: ",
	    health_http_port(a));
	assert_true(strncmp(err.msg, want, strlen(want)) == 0);
	assert_int_equal(health_http_create(70000, NULL, NULL, &err) == NULL,
	    1);
	health_http_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_rss),
		cmocka_unit_test(test_health_check),
		cmocka_unit_test(test_health_metrics),
		cmocka_unit_test(test_health_endpoint),
		cmocka_unit_test(test_health_endpoint_port_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
