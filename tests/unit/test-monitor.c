/*
 * test-monitor.c -- the monitoring page: the token compared in constant
 * time and found in the query or a Bearer header, JSON strings escaped
 * for JSON and HTML, server-sent events framed, the state made from a
 * snapshot and the log ring; then the endpoints served by a real runner
 * on 127.0.0.1 over plain sockets: 401 without the token (counted), 405
 * for anything but GET and HEAD, 404 when the page is off, the page and
 * its event stream with the token, many streams at once, and a stream
 * that stops reading dropped while the others and the engine go on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "health-http.h"
#include "monitor.h"
#include "runner.h"

#include "fixture.h"
#include "localsrv.h"

#define TOKEN	"s3cret<&\"tok"

static struct monitor *
make_monitor(void)
{
	struct monitor_cfg	 mc = { .token = TOKEN,
				    .tz = "America/New_York" };
	struct errmsg		 err;
	struct monitor		*m = monitor_create(&mc, &err);

	assert_non_null(m);
	return m;
}

static void
test_monitor_create(void **state)
{
	struct monitor_cfg	 mc = { .token = "" };
	struct errmsg		 err;
	char			*big = malloc(MONITOR_TOKEN_MAX + 1);

	(void)state;
	assert_null(monitor_create(&mc, &err));
	assert_string_equal(err.msg, "monitor: no token");
	memset(big, 'x', MONITOR_TOKEN_MAX);
	big[MONITOR_TOKEN_MAX] = '\0';
	mc.token = big;
	assert_null(monitor_create(&mc, &err));
	assert_string_equal(err.msg, "monitor: the token is longer than "
	    "4095 bytes");
	mc.token = "t";
	mc.tz = "Mars/Olympus";
	assert_null(monitor_create(&mc, &err));
	assert_true(strncmp(err.msg, "monitor: ", 9) == 0);
	monitor_free(NULL);
	free(big);
}

static void
test_monitor_token_equal(void **state)
{
	(void)state;
	assert_true(monitor_token_equal("abc", 3, "abc", 3));
	assert_false(monitor_token_equal("abd", 3, "abc", 3));
	assert_false(monitor_token_equal("ab", 2, "abc", 3));
	assert_false(monitor_token_equal("abcd", 4, "abc", 3));
	assert_false(monitor_token_equal("", 0, "abc", 3));
	/* A NUL inside does not end the comparison. */
	assert_false(monitor_token_equal("ab\0", 3, "abc", 3));
}

static void
test_monitor_auth(void **state)
{
	struct monitor	*m = make_monitor();

	(void)state;
	assert_int_equal(monitor_refused(m), 0);
	assert_true(monitor_auth(m, "/monitor?token=s3cret%3C%26%22tok", ""));
	assert_true(monitor_auth(m, "/monitor/events?a=1&token=s3cret%3c%26"
	    "%22tok&b=2", ""));
	assert_true(monitor_auth(m, "/monitor", "Host: x\r\nauthorization: "
	    "bearer " TOKEN "\r\n\r\n"));
	assert_true(monitor_auth(m, "/monitor", "Authorization: Bearer  "
	    TOKEN "  \r\n"));
	assert_int_equal(monitor_refused(m), 0);
	assert_false(monitor_auth(m, "/monitor", ""));
	assert_false(monitor_auth(m, "/monitor?token=", ""));
	assert_false(monitor_auth(m, "/monitor?token=s3cret", ""));
	assert_false(monitor_auth(m, "/monitor?mytoken=s3cret%3C%26%22tok",
	    ""));
	assert_false(monitor_auth(m, "/monitor", "Authorization: Basic "
	    TOKEN "\r\n"));
	assert_false(monitor_auth(m, "/monitor", "X-Authorization: Bearer "
	    TOKEN "\r\n"));
	/* The query is read first: a wrong one is not saved by a header. */
	assert_false(monitor_auth(m, "/monitor?token=x", "Authorization: "
	    "Bearer " TOKEN "\r\n"));
	assert_int_equal(monitor_refused(m), 7);
	monitor_free(m);
}

static void
test_monitor_json_string(void **state)
{
	char	 buf[256];

	(void)state;
	assert_int_equal(monitor_json_string("plain", buf, sizeof buf), 7);
	assert_string_equal(buf, "\"plain\"");
	monitor_json_string("a\"b\\c\nd\re\tf", buf, sizeof buf);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\re\\tf\"");
	monitor_json_string("</script><b>&", buf, sizeof buf);
	assert_string_equal(buf, "\"\\u003c/script\\u003e\\u003cb\\u003e"
	    "\\u0026\"");
	monitor_json_string("\x01\x1f\x7f", buf, sizeof buf);
	assert_string_equal(buf, "\"\\u0001\\u001f\\u007f\"");
	/* UTF-8 kept; bytes that are not UTF-8 become U+FFFD. */
	monitor_json_string("caf\xc3\xa9 \xe2\x82\xac", buf, sizeof buf);
	assert_string_equal(buf, "\"caf\xc3\xa9 \xe2\x82\xac\"");
	monitor_json_string("a\xff" "b\xc3" "c\xed\xa0\x80", buf, sizeof buf);
	assert_string_equal(buf, "\"a\\ufffdb\\ufffdc\\ufffd\\ufffd\\ufffd\"");
	assert_int_equal(monitor_json_string("toolong", buf, 8), -1);
	assert_int_equal(monitor_json_string("fits", buf, 7), 6);
}

static void
test_monitor_event(void **state)
{
	char	 buf[256];

	(void)state;
	assert_int_equal(monitor_event("state", 7, "{\"a\":1}", buf,
	    sizeof buf), (int)strlen("id: 7\nevent: state\ndata: "
	    "{\"a\":1}\n\n"));
	assert_string_equal(buf, "id: 7\nevent: state\ndata: {\"a\":1}\n\n");
	monitor_event("state", 8, "one\ntwo\r\nthree\rfour", buf, sizeof buf);
	assert_string_equal(buf, "id: 8\nevent: state\ndata: one\ndata: two\n"
	    "data: three\ndata: four\n\n");
	monitor_event("x", 9, "", buf, sizeof buf);
	assert_string_equal(buf, "id: 9\nevent: x\ndata: \n\n");
	assert_int_equal(monitor_event("state", 1, "{}", buf, 20), -1);
}

/* A snapshot of a session long 1 ES, stopped, with a fill and a tripped
 * breaker. */
static struct snapshot *
make_snapshot(void)
{
	struct snapshot_sizes	 sz = { .ninst = 1, .nstrat = 1, .orders = 0,
				    .blotter = 3 };
	struct snapshot		*s = snapshot_create(&sz, NULL);

	assert_non_null(s);
	s->seq = 42;
	s->now = fixture_ny(2024, 1, 2, 10, 15);
	s->mode = SNAP_PAPER;
	strcpy(s->state, "HALTED");
	strcpy(s->state_who, "engine");
	strcpy(s->state_why, "breaker rejects: 10 \"orders\" refused");
	strcpy(s->venue, "sim");
	s->day_pnl = -10124;
	s->week_pnl = -123456;
	s->realized = -10000;
	s->unrealized = 2500;
	s->daily_loss = (struct snap_gauge){ .used = 10124, .limit = 100000 };
	s->positions = (struct snap_gauge){ .used = 1, .limit = 2 };
	strcpy(s->breakers[0].name, "rejects");
	s->breakers[0].on = s->breakers[0].tripped = true;
	s->breakers[0].level = 10;
	s->breakers[0].limit = 10;
	strcpy(s->breakers[2].name, "pnl_swing");
	s->breakers[2].on = true;
	s->breakers[2].level = 12562;
	s->breakers[2].limit = 200000;
	s->ninst = 1;
	strcpy(s->inst[0].symbol, "ES");
	s->inst[0].position = 1;
	strcpy(s->inst[0].avg, "5022.25");
	strcpy(s->inst[0].last, "5023.00");
	s->inst[0].stop_cover = 1;
	strcpy(s->inst[0].protect, "stops 1/1 targets 1");
	s->nstrat = 1;
	strcpy(s->strat[0].name, "orb");
	strcpy(s->strat[0].symbol, "ES");
	s->strat[0].position = 1;
	s->strat[0].day_pnl = -10124;
	s->strat[0].sentiment = TD_DATA_SCALE * 2 / 3;
	s->strat[0].sentiment_at = s->now - 75 * TD_NS_PER_SEC;
	s->nblot = 2;
	s->blot[0] = (struct snap_blot){ .time = fixture_ny(2024, 1, 2, 10,
	    14), .id = 2, .fill = false, .qty = 1 };
	strcpy(s->blot[0].state, "working");
	s->blot[1] = (struct snap_blot){ .time = fixture_ny(2024, 1, 2, 10,
	    14), .id = 1, .fill = true, .qty = 1 };
	strcpy(s->blot[1].symbol, "ES");
	strcpy(s->blot[1].side, "buy");
	strcpy(s->blot[1].price, "5022.25");
	strcpy(s->blot[1].role, "entry");
	strcpy(s->blot[1].owner, "orb");
	return s;
}

static void
logf_(struct monitor *m, td_ns t, enum log_level lv, const char *msg)
{
	monitor_log(m, &(struct log_line){ .time = t, .level = lv,
	    .component = "fills", .msg = msg });
}

static void
test_monitor_state(void **state)
{
	struct monitor	*m = make_monitor();
	struct snapshot	*s = make_snapshot();
	char		*buf = malloc(65536), *p;
	char		 msg[32];
	td_ns		 t = fixture_ny(2024, 1, 2, 10, 14);

	(void)state;
	logf_(m, t, LOG_INFO, "bought 1 ES @ 5022.25 (entry, order 1)");
	logf_(m, t, LOG_ERROR, "a \"quoted\" <b>line</b>");
	assert_true(monitor_state(m, s, buf, 65536) > 0);
	assert_non_null(strstr(buf, "{\"seq\":42,\"running\":true,\"time\":"
	    "\"2024-01-02 10:15:00\",\"tz\":\"America/New_York\",\"mode\":"
	    "\"paper\",\"state\":\"HALTED\",\"state_who\":\"engine\","
	    "\"state_why\":\"breaker rejects: 10 \\\"orders\\\" refused\","));
	assert_non_null(strstr(buf, "\"pnl\":{\"day_net\":\"-101.24\","
	    "\"week_net\":\"-1,234.56\",\"realized_gross\":\"-100.00\","
	    "\"unrealized\":\"25.00\"}"));
	assert_non_null(strstr(buf, "{\"name\":\"daily loss\",\"used\":"
	    "\"101.24\",\"limit\":\"1,000.00\",\"percent\":10}"));
	assert_non_null(strstr(buf, "{\"name\":\"positions\",\"used\":\"1\","
	    "\"limit\":\"2\",\"percent\":50}"));
	assert_non_null(strstr(buf, "{\"name\":\"contracts\",\"used\":\"0\","
	    "\"limit\":\"none\",\"percent\":0}"));
	assert_non_null(strstr(buf, "\"breakers\":[{\"name\":\"rejects\","
	    "\"on\":true,\"tripped\":true,\"level\":\"10\",\"limit\":\"10\","
	    "\"why\":\"\"},{\"name\":\"pnl_swing\",\"on\":true,\"tripped\":"
	    "false,\"level\":\"125.62\",\"limit\":\"2,000.00\","
	    "\"why\":\"\"}]"));
	assert_non_null(strstr(buf, "\"positions\":[{\"symbol\":\"ES\","
	    "\"qty\":1,\"cover\":1,\"naked\":false,\"avg\":\"5022.25\","
	    "\"last\":\"5023.00\""));
	assert_non_null(strstr(buf, "\"protection\":\"stops 1/1 targets 1\""));
	assert_non_null(strstr(buf, "\"strategies\":[{\"name\":\"orb\","
	    "\"symbol\":\"ES\",\"run\":\"running\",\"position\":1,"
	    "\"day_net\":\"-101.24\",\"sentiment\":\"+0.67\","
	    "\"sentiment_age\":75}]"));
	/* Fills only, not the order's change of state. */
	assert_non_null(strstr(buf, "\"fills\":[{\"time\":\"2024-01-02 "
	    "10:14:00\",\"symbol\":\"ES\",\"side\":\"buy\",\"qty\":1,"
	    "\"price\":\"5022.25\",\"role\":\"entry\",\"owner\":\"orb\","
	    "\"order\":1}]"));
	/* Logs newest first, escaped. */
	assert_non_null(strstr(buf, "\"logs\":[{\"time\":\"2024-01-02 "
	    "10:14:00\",\"level\":\"error\",\"component\":\"fills\",\"msg\":"
	    "\"a \\\"quoted\\\" \\u003cb\\u003eline\\u003c/b\\u003e\"},"
	    "{\"time\""));
	assert_null(strchr(buf, '<'));
	assert_null(strchr(buf, '\n'));
	assert_int_equal(buf[strlen(buf) - 1], '}');
	assert_int_equal(monitor_state(m, s, buf, 100), -1);

	/* The ring keeps the last MONITOR_LOGS lines. */
	for (int i = 0; i < MONITOR_LOGS + 5; i++) {
		snprintf(msg, sizeof msg, "line %d.", i);
		logf_(m, t, LOG_INFO, msg);
	}
	assert_true(monitor_state(m, s, buf, 65536) > 0);
	snprintf(msg, sizeof msg, "line %d.", MONITOR_LOGS + 4);
	assert_non_null(p = strstr(buf, "\"logs\":[{"));
	assert_non_null(strstr(p, msg));
	assert_null(strstr(buf, "line 4."));
	assert_non_null(strstr(buf, "line 5."));
	assert_null(strstr(buf, "bought 1 ES"));

	/* No sentiment heard: a dash and no age. */
	s->strat[0].sentiment_at = 0;
	assert_true(monitor_state(m, s, buf, 65536) > 0);
	assert_non_null(strstr(buf, "\"day_net\":\"-101.24\",\"sentiment\":"
	    "\"-\",\"sentiment_age\":null}]"));

	/* No engine yet. */
	snapshot_clear(s);
	assert_true(monitor_state(m, s, buf, 65536) > 0);
	assert_non_null(strstr(buf, "\"running\":false,\"time\":\"\","));
	assert_non_null(strstr(buf, "\"state\":\"NOT RUNNING\""));
	snapshot_free(s);
	monitor_free(m);
	free(buf);
}

/* The page stands alone: nothing is fetched from elsewhere. */
static void
test_monitor_page(void **state)
{
	size_t		 n;
	const char	*page = monitor_page(&n);

	(void)state;
	assert_int_equal(strlen(page), n);
	assert_true(strncmp(page, "<!DOCTYPE html>", 15) == 0);
	assert_null(strstr(page, "http:"));
	assert_null(strstr(page, "https:"));
	assert_null(strstr(page, "//"));
	assert_null(strstr(page, " src="));
	assert_null(strstr(page, "<link"));
	assert_null(strstr(page, "innerHTML"));
	assert_null(strstr(page, "<form"));
	assert_null(strstr(page, "method="));
	assert_non_null(strstr(page, "new EventSource(\"/monitor/events\"+q)"));
}

/* ------------------------------------------------------------ endpoints */

static int
connect_port(int port, int rcvbuf)
{
	struct sockaddr_in	 sa = { .sin_family = AF_INET };
	struct timeval		 tv = { .tv_sec = 10 };
	int			 fd;

	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	if (rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

static void
send_all(int fd, const char *s)
{
	size_t	 n = strlen(s);

	assert_int_equal(send(fd, s, n, MSG_NOSIGNAL), (ssize_t)n);
}

/* One request, the whole answer in buf: its status, -1 when none. */
static int
request(int port, const char *req, char *buf, size_t len)
{
	int	 fd = connect_port(port, 0), status;
	size_t	 n = 0;
	ssize_t	 r;

	send_all(fd, req);
	while (n + 1 < len && (r = recv(fd, buf + n, len - 1 - n, 0)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	return status;
}

/* Read a stream until it has held `count` events; false on its end. */
static bool
read_events(int fd, int count, char *buf, size_t len)
{
	size_t	 n = 0;
	int	 seen = 0;

	buf[0] = '\0';
	while (seen < count) {
		ssize_t	 r;

		if (n + 1 >= len ||
		    (r = recv(fd, buf + n, len - 1 - n, 0)) <= 0)
			return false;
		n += (size_t)r;
		buf[n] = '\0';
		seen = 0;
		for (char *p = buf; (p = strstr(p, "\n\n")) != NULL; p += 2)
			seen++;
		seen -= strstr(buf, "retry: 2000\n\n") != NULL;
	}
	return true;
}

/* GET until the answer has want in it. */
static void
get_until(int port, const char *path, const char *want, char *buf,
    size_t len)
{
	struct timespec	 nap = { 0, 50000000 };
	int		 status = -1;

	for (int i = 0; i < 600; i++) {
		status = localsrv_get(port, path, buf, len);
		if (status != -1 && strstr(buf, want) != NULL)
			return;
		nanosleep(&nap, NULL);
	}
	fail_msg("GET %s: no '%s' in %d '%s'", path, want, status, buf);
}

struct served {
	struct monitor		*m;
	struct runner		*r;
	struct health_http	*h;
	int			 port;
	char			*buf;
};

static int
setup_served(void **state)
{
	struct demo_cfg		 dc = { .seed = 3, .days = 2 };
	struct runner_cfg	 rc = {
		.speed = 0,
		.paused = true,
		.mode = SNAP_PAPER,
		.log_level = LOG_INFO,
	};
	struct engine_config	 cfg;
	struct errmsg		 err;
	struct served		*sv = calloc(1, sizeof *sv);
	struct engine		*e;
	struct feed		*f = feed_demo_create(&dc, &err);

	sv->m = make_monitor();
	rc.tap = monitor_log;
	rc.tap_arg = sv->m;
	fixture_config(&cfg);
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL ||
	    (sv->r = runner_create(&rc, e, f, &err)) == NULL ||
	    (sv->h = health_http_create(0, sv->r, sv->m, &err)) == NULL ||
	    runner_start(sv->r, &err) == -1)
		return -1;
	sv->port = health_http_port(sv->h);
	sv->buf = malloc(1 << 20);
	*state = sv;
	return 0;
}

static int
teardown_served(void **state)
{
	struct served	*sv = *state;

	health_http_free(sv->h);
	runner_stop(sv->r);
	runner_free(sv->r);
	monitor_free(sv->m);
	free(sv->buf);
	free(sv);
	return 0;
}

static void
test_monitor_refused(void **state)
{
	struct served	*sv = *state;
	char		*b = sv->buf;
	int		 p = sv->port;

	assert_int_equal(request(p, "GET /monitor HTTP/1.0\r\n\r\n", b,
	    65536), 401);
	assert_non_null(strstr(b, "\r\nWWW-Authenticate: Bearer realm="
	    "\"tickdesk\"\r\n"));
	assert_non_null(strstr(b, "\r\n\r\na token is needed"));
	assert_null(strstr(b, "EventSource"));
	assert_int_equal(request(p, "GET /monitor?token=wrong HTTP/1.0\r\n"
	    "\r\n", b, 65536), 401);
	assert_int_equal(request(p, "GET /monitor/events HTTP/1.0\r\n\r\n",
	    b, 65536), 401);
	assert_int_equal(request(p, "GET /monitor/events HTTP/1.0\r\n"
	    "Authorization: Bearer nope\r\n\r\n", b, 65536), 401);
	get_until(p, "/metrics", "\ntickdesk_monitor_refused_total 4\n", b,
	    65536);
	/* GET and HEAD only, with the token or without: no way in. */
	assert_int_equal(request(p, "POST /monitor?token=s3cret%3C%26%22tok "
	    "HTTP/1.0\r\nContent-Length: 3\r\n\r\nbuy", b, 65536), 405);
	assert_non_null(strstr(b, "\r\nAllow: GET, HEAD\r\n"));
	assert_int_equal(request(p, "PUT /monitor/events HTTP/1.0\r\n\r\n", b,
	    65536), 405);
	assert_int_equal(request(p, "DELETE /monitor HTTP/1.0\r\n\r\n", b,
	    65536), 405);
	assert_int_equal(request(p, "OPTIONS /metrics HTTP/1.0\r\n\r\n", b,
	    65536), 405);
	assert_int_equal(request(p, "garbage\r\n\r\n", b, 65536), 400);
}

static void
test_monitor_page_served(void **state)
{
	struct served	*sv = *state;
	char		*b = sv->buf;
	int		 p = sv->port;

	assert_int_equal(request(p, "GET /monitor?token=s3cret%3C%26%22tok "
	    "HTTP/1.0\r\n\r\n", b, 65536), 200);
	assert_non_null(strstr(b, "\r\nContent-Type: text/html; "
	    "charset=utf-8\r\n"));
	assert_non_null(strstr(b, "\r\nContent-Security-Policy: default-src "
	    "'none'"));
	assert_non_null(strstr(b, "\r\n\r\n<!DOCTYPE html>"));
	assert_int_equal(request(p, "GET /monitor HTTP/1.1\r\nHost: x\r\n"
	    "Authorization: Bearer " TOKEN "\r\n\r\n", b, 65536), 200);
	assert_non_null(strstr(b, "EventSource"));
	assert_int_equal(request(p, "HEAD /monitor?token=s3cret%3C%26%22tok "
	    "HTTP/1.0\r\n\r\n", b, 65536), 200);
	assert_null(strstr(b, "<!DOCTYPE"));
	get_until(p, "/metrics", "\ntickdesk_monitor_refused_total 0\n", b,
	    65536);
}

static void
test_monitor_events(void **state)
{
	struct served	*sv = *state;
	char		*b = sv->buf;
	int		 fd[4];

	/* Several streams at once, each with the state as JSON. */
	for (int i = 0; i < 4; i++) {
		fd[i] = connect_port(sv->port, 0);
		send_all(fd[i], "GET /monitor/events?token=s3cret%3C%26%22tok "
		    "HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n");
	}
	for (int i = 0; i < 4; i++) {
		assert_true(read_events(fd[i], 3, b, 1 << 20));
		assert_non_null(strstr(b, "\r\nContent-Type: text/event-stream"
		    "; charset=utf-8\r\n"));
		assert_non_null(strstr(b, "\nretry: 2000\n\nid: "));
		assert_non_null(strstr(b, "\nevent: state\ndata: {\"seq\":"));
		assert_non_null(strstr(b, "data: {\"seq\":"));
		assert_non_null(strstr(b, "\"state\":\"ACTIVE\""));
	}
	get_until(sv->port, "/metrics", "\ntickdesk_monitor_streams 4\n", b,
	    65536);
	for (int i = 0; i < 4; i++)
		close(fd[i]);
	get_until(sv->port, "/metrics", "\ntickdesk_monitor_streams 0\n", b,
	    65536);
	get_until(sv->port, "/metrics", "\ntickdesk_monitor_dropped_total "
	    "0\n", b, 65536);
}

/*
 * A stream whose client stops reading is dropped once it is
 * HEALTH_HTTP_BACKLOG behind; another stream and the engine go on.
 */
static void
test_monitor_stuck_client(void **state)
{
	struct served	*sv = *state;
	char		*b = sv->buf, line[400];
	int		 stuck, live;

	/* Large events: 40 log lines of escaped '<' (6 bytes each). */
	memset(line, '<', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	for (int i = 0; i < MONITOR_LOGS; i++)
		logf_(sv->m, 0, LOG_INFO, line);
	stuck = connect_port(sv->port, 4096);
	send_all(stuck, "GET /monitor/events?token=s3cret%3C%26%22tok "
	    "HTTP/1.0\r\n\r\n");
	live = connect_port(sv->port, 0);
	send_all(live, "GET /monitor/events?token=s3cret%3C%26%22tok "
	    "HTTP/1.0\r\n\r\n");
	get_until(sv->port, "/metrics", "\ntickdesk_monitor_dropped_total "
	    "1\n", b, 65536);
	assert_true(read_events(live, 2, b, 1 << 20));
	assert_int_equal(localsrv_get(sv->port, "/health", b, 65536), 200);
	assert_string_equal(b, "ok\n");
	close(stuck);
	close(live);
}

/* Every slot a stream: one more client is told so, not queued. */
static void
test_monitor_full(void **state)
{
	struct served	*sv = *state;
	char		*b = sv->buf;
	int		 fd[HEALTH_HTTP_CLIENTS];

	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++) {
		fd[i] = connect_port(sv->port, 0);
		send_all(fd[i], "GET /monitor/events?token=s3cret%3C%26%22tok "
		    "HTTP/1.0\r\n\r\n");
		assert_true(read_events(fd[i], 1, b, 1 << 20));
	}
	assert_int_equal(request(sv->port, "GET /health HTTP/1.0\r\n\r\n", b,
	    65536), 503);
	assert_non_null(strstr(b, "too many clients"));
	for (int i = 0; i < HEALTH_HTTP_CLIENTS; i++)
		close(fd[i]);
	get_until(sv->port, "/health", "ok", b, 65536);
}

/* No monitor: the page is off, and says how to turn it on. */
static void
test_monitor_off(void **state)
{
	struct health_http	*h;
	struct errmsg		 err;
	char			 buf[4096];

	(void)state;
	assert_non_null(h = health_http_create(0, NULL, NULL, &err));
	assert_int_equal(request(health_http_port(h), "GET /monitor?token=x "
	    "HTTP/1.0\r\n\r\n", buf, sizeof buf), 404);
	assert_non_null(strstr(buf, "\r\n\r\nthe monitoring page is off: "
	    "health.monitor_token is not set\n"));
	assert_int_equal(request(health_http_port(h), "GET /monitor/events "
	    "HTTP/1.0\r\n\r\n", buf, sizeof buf), 404);
	health_http_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monitor_create),
		cmocka_unit_test(test_monitor_token_equal),
		cmocka_unit_test(test_monitor_auth),
		cmocka_unit_test(test_monitor_json_string),
		cmocka_unit_test(test_monitor_event),
		cmocka_unit_test(test_monitor_state),
		cmocka_unit_test(test_monitor_page),
		cmocka_unit_test_setup_teardown(test_monitor_refused,
		    setup_served, teardown_served),
		cmocka_unit_test_setup_teardown(test_monitor_page_served,
		    setup_served, teardown_served),
		cmocka_unit_test_setup_teardown(test_monitor_events,
		    setup_served, teardown_served),
		cmocka_unit_test_setup_teardown(test_monitor_stuck_client,
		    setup_served, teardown_served),
		cmocka_unit_test_setup_teardown(test_monitor_full,
		    setup_served, teardown_served),
		cmocka_unit_test(test_monitor_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
