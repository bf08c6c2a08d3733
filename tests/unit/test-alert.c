/*
 * test-alert.c -- the alert hub without a network: names and the line
 * format, sinks by minimum severity, deduplication and the rate limit on
 * a clock the test moves, the bounded queue that drops and counts, retries
 * with backoff and giving up, a failing sink reported to the others, and
 * a sink that hangs holding up neither the raiser nor the stop.  The sinks
 * are the test's own (struct alert_sink_ops); test-alert-sink.c runs the
 * real ones against real servers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "errmsg.h"

#define MS	1000000LL

/* A sink that records what it gets and fails its first `fail` sends. */
struct fake {
	pthread_mutex_t	 m;
	int		 fail;
	bool		 hang;		/* until the hub stops */
	int		 calls;
	int		 n;
	struct alert	 got[64];
};

static int
fake_send(void *ctx, const struct alert *a, const atomic_bool *stop,
    char *why, size_t n)
{
	struct fake	*f = ctx;
	struct timespec	 nap = { 0, 1000000 };
	int		 rc = 0;

	while (f->hang && !atomic_load(stop))
		nanosleep(&nap, NULL);
	pthread_mutex_lock(&f->m);
	f->calls++;
	if (f->fail > 0) {
		f->fail--;
		snprintf(why, n, "fake failure");
		rc = -1;
	} else if (f->n < 64)
		f->got[f->n++] = *a;
	pthread_mutex_unlock(&f->m);
	return rc;
}

static const struct alert_sink_ops fake_ops = {
	.name = "fake",
	.send = fake_send,
	.free = NULL,
};

static int
fake_count(struct fake *f)
{
	int	 n;

	pthread_mutex_lock(&f->m);
	n = f->n;
	pthread_mutex_unlock(&f->m);
	return n;
}

/* Wait until the fake has n alerts (the dispatcher ticks every 100 ms). */
static void
fake_wait(struct fake *f, int n)
{
	struct timespec	 nap = { 0, 5000000 };

	for (int i = 0; i < 400 && fake_count(f) < n; i++)
		nanosleep(&nap, NULL);
	assert_int_equal(fake_count(f), n);
}

/* The test's clock. */
static _Atomic td_ns	 fake_now;

static td_ns
fake_clock(void *arg)
{
	(void)arg;
	return atomic_load(&fake_now);
}

static void
cfg_init(struct alert_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->queue = 16;
	c->retries = 2;
	c->backoff = 5 * MS;
	c->backoff_max = 10 * MS;
	c->timeout = 1000 * MS;
}

static struct alert_hub *
hub(const struct alert_cfg *c, struct fake *f, int nf,
    const enum alert_severity *min)
{
	struct alert_hub	*h;
	struct errmsg		 err;
	char			 name[16];

	if ((h = alert_create(c, &err)) == NULL)
		fail_msg("%s", err.msg);
	atomic_store(&fake_now, 1000 * TD_NS_PER_SEC);
	alert_set_clock(h, fake_clock, NULL);
	for (int i = 0; i < nf; i++) {
		pthread_mutex_init(&f[i].m, NULL);
		snprintf(name, sizeof name, "fake%d", i);
		assert_int_equal(alert_add_sink(h, name, &fake_ops, &f[i],
		    min[i], &err), 0);
	}
	return h;
}

static void
start(struct alert_hub *h)
{
	struct errmsg	 err;

	if (alert_start(h, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
test_alert_names_and_format(void **state)
{
	struct alert		 a = { .severity = ALERT_CRITICAL,
				    .event = ALERT_EV_BREAKER, .about = -1 };
	enum alert_severity	 s;
	char			 buf[400];

	(void)state;
	assert_string_equal(alert_severity_name(ALERT_WARNING), "warning");
	assert_int_equal(alert_severity_parse("error", &s), 0);
	assert_int_equal(s, ALERT_ERROR);
	assert_int_equal(alert_severity_parse("fatal", &s), -1);
	assert_string_equal(alert_event_name(ALERT_EV_RECOVERY), "recovery");
	assert_string_equal(alert_event_name(ALERT_EV_KILL), "kill-switch");
	assert_string_equal(alert_event_name(ALERT_EV_DEGRADED), "degraded");
	assert_string_equal(alert_event_name(ALERT_EV_TEST), "test");
	snprintf(a.text, sizeof a.text, "breaker errors tripped");
	assert_string_equal(alert_format(&a, buf, sizeof buf), "CRITICAL "
	    "breaker-trip: breaker errors tripped");
	a.repeats = 1;
	a.span = 10 * TD_NS_PER_MIN;
	assert_string_equal(alert_format(&a, buf, sizeof buf), "CRITICAL "
	    "breaker-trip: breaker errors tripped (repeated 1 more time "
	    "within 10 min)");
}

static void
test_alert_bad_config(void **state)
{
	struct alert_cfg	 c;
	struct errmsg		 err;

	(void)state;
	cfg_init(&c);
	c.queue = 0;
	assert_null(alert_create(&c, &err));
	assert_string_equal(err.msg, "alerts: queue must be 1 to 65536");
	cfg_init(&c);
	c.rate_limit = 3;
	assert_null(alert_create(&c, &err));
	/* NULL hub: raising is a no-op. */
	alert_raise(NULL, ALERT_CRITICAL, ALERT_EV_KILL, "nobody listens");
}

/* Each sink gets what reaches its minimum; control characters go. */
static void
test_alert_min_severity(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[2];
	static const enum alert_severity min[2] = { ALERT_INFO,
					    ALERT_CRITICAL };
	struct alert_hub		*h;

	(void)state;
	memset(f, 0, sizeof f);
	cfg_init(&c);
	h = hub(&c, f, 2, min);
	start(h);
	alert_raise(h, ALERT_INFO, ALERT_EV_VENUE_UP, "venue\nup\tagain");
	alert_raise(h, ALERT_CRITICAL, ALERT_EV_KILL, "kill");
	assert_int_equal(alert_idle(h, 2000 * MS), 0);
	assert_int_equal(f[0].n, 2);
	assert_string_equal(f[0].got[0].text, "venue up again");
	assert_int_equal(f[0].got[0].time, 1000 * TD_NS_PER_SEC);
	assert_int_equal(f[1].n, 1);
	assert_int_equal(f[1].got[0].event, ALERT_EV_KILL);
	alert_free(h);
}

/*
 * The same event and text within the window: sent once, the repeats
 * counted, one summary when the window closes.  Another text, or another
 * event with the same text, is not a repeat.
 */
static void
test_alert_dedup(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[1];
	static const enum alert_severity min[1] = { ALERT_INFO };
	struct alert_hub		*h;
	struct alert_stats		 st;

	(void)state;
	memset(f, 0, sizeof f);
	cfg_init(&c);
	c.dedup_window = 600 * TD_NS_PER_SEC;
	h = hub(&c, f, 1, min);
	start(h);
	for (int i = 0; i < 4; i++)
		alert_raise(h, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "a");
	alert_raise(h, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "b");
	alert_raise(h, ALERT_ERROR, ALERT_EV_JOURNAL, "a");
	fake_wait(f, 3);
	assert_string_equal(f->got[0].text, "a");
	assert_int_equal(f->got[0].repeats, 0);
	alert_stats(h, &st);
	assert_int_equal(st.suppressed, 3);
	/* Not yet due: 9 minutes later still nothing more. */
	atomic_store(&fake_now, 1540 * TD_NS_PER_SEC);
	alert_raise(h, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "a");
	assert_int_equal(alert_idle(h, 2000 * MS), 0);
	assert_int_equal(fake_count(f), 3);
	/* The window closes: one summary of the 4 repeats. */
	atomic_store(&fake_now, 1600 * TD_NS_PER_SEC);
	fake_wait(f, 4);
	assert_int_equal(f->got[3].event, ALERT_EV_STRATEGY_ERROR);
	assert_string_equal(f->got[3].text, "a");
	assert_int_equal(f->got[3].repeats, 4);
	assert_int_equal(f->got[3].span, 600 * TD_NS_PER_SEC);
	assert_int_equal(f->got[3].time, 1600 * TD_NS_PER_SEC);
	/* After the window the text is news again. */
	alert_raise(h, ALERT_ERROR, ALERT_EV_STRATEGY_ERROR, "a");
	fake_wait(f, 5);
	assert_int_equal(f->got[4].repeats, 0);
	alert_free(h);
}

/* At most rate_limit per event kind and window, criticals excepted. */
static void
test_alert_rate_limit(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[1];
	static const enum alert_severity min[1] = { ALERT_INFO };
	struct alert_hub		*h;

	(void)state;
	memset(f, 0, sizeof f);
	cfg_init(&c);
	c.rate_limit = 3;
	c.rate_window = 3600 * TD_NS_PER_SEC;
	h = hub(&c, f, 1, min);
	start(h);
	for (int i = 0; i < 10; i++)
		alert_raisef(h, i == 7 ? ALERT_ERROR : ALERT_WARNING,
		    ALERT_EV_LATENCY, "slow event %d", i);
	alert_raise(h, ALERT_CRITICAL, ALERT_EV_LATENCY, "stuck");
	alert_raise(h, ALERT_WARNING, ALERT_EV_REJECTIONS, "5 in a row");
	fake_wait(f, 5);
	assert_string_equal(f->got[2].text, "slow event 2");
	assert_string_equal(f->got[3].text, "stuck");
	assert_string_equal(f->got[4].text, "5 in a row");
	atomic_store(&fake_now, 4600 * TD_NS_PER_SEC);
	fake_wait(f, 6);
	assert_int_equal(f->got[5].event, ALERT_EV_LATENCY);
	assert_int_equal(f->got[5].severity, ALERT_ERROR);
	assert_string_equal(f->got[5].text, "7 more latency alerts were held "
	    "back by the rate limit of 3 per 60 min");
	alert_free(h);
}

/* A full queue drops and counts; nothing raised before the start is lost. */
static void
test_alert_queue_full(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[1];
	static const enum alert_severity min[1] = { ALERT_INFO };
	struct alert_hub		*h;
	struct alert_stats		 st;

	(void)state;
	memset(f, 0, sizeof f);
	cfg_init(&c);
	c.queue = 4;
	h = hub(&c, f, 1, min);
	for (int i = 0; i < 6; i++)
		alert_raisef(h, ALERT_WARNING, ALERT_EV_LATENCY, "n %d", i);
	alert_stats(h, &st);
	assert_int_equal(st.raised, 4);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(st.queued, 4);
	start(h);
	fake_wait(f, 4);
	assert_string_equal(f->got[3].text, "n 3");
	alert_free(h);
}

/*
 * Two failures then success: three calls.  Always failing: retries + 1
 * calls, the alert dropped, and the other sink told (not the failing one).
 */
static void
test_alert_retries(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[2];
	static const enum alert_severity min[2] = { ALERT_INFO, ALERT_INFO };
	struct alert_hub		*h;
	struct alert_stats		 st;

	(void)state;
	memset(f, 0, sizeof f);
	f[0].fail = 2;
	cfg_init(&c);
	h = hub(&c, f, 2, min);
	start(h);
	alert_raise(h, ALERT_ERROR, ALERT_EV_RISK_BREACH, "daily loss");
	assert_int_equal(alert_idle(h, 2000 * MS), 0);
	assert_int_equal(f[0].calls, 3);
	assert_int_equal(f[0].n, 1);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].retries, 2);
	assert_int_equal(st.sink[0].failed, 0);

	pthread_mutex_lock(&f[0].m);
	f[0].fail = 100;
	pthread_mutex_unlock(&f[0].m);
	alert_raise(h, ALERT_ERROR, ALERT_EV_RISK_BREACH, "weekly loss");
	fake_wait(&f[1], 3);
	assert_int_equal(alert_idle(h, 2000 * MS), 0);
	assert_int_equal(f[0].calls, 6);
	alert_stats(h, &st);
	assert_int_equal(st.sink[0].failed, 1);
	assert_true(st.sink[0].failing);
	assert_string_equal(st.sink[0].last_error, "fake failure");
	assert_int_equal(f[1].got[2].event, ALERT_EV_DEGRADED);
	assert_int_equal(f[1].got[2].about, 0);
	assert_string_equal(f[1].got[2].text, "alert sink fake0 is failing "
	    "(fake failure): alerts to it are dropped after 3 attempts; "
	    "trading goes on");
	/* Only once per failure: the next failure tells nobody again. */
	alert_raise(h, ALERT_ERROR, ALERT_EV_RISK_BREACH, "trailing loss");
	assert_int_equal(alert_idle(h, 2000 * MS), 0);
	assert_int_equal(f[1].n, 4);
	assert_int_equal(f[0].n, 1);
	alert_free(h);
}

/*
 * A sink that hangs: raising still returns at once (the queue fills and
 * drops), and the stop abandons the send and returns.
 */
static void
test_alert_hung_sink(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[1];
	static const enum alert_severity min[1] = { ALERT_INFO };
	struct alert_hub		*h;
	struct alert_stats		 st;
	struct timespec			 t0, t1;

	(void)state;
	memset(f, 0, sizeof f);
	f[0].hang = true;
	cfg_init(&c);
	c.queue = 8;
	h = hub(&c, f, 1, min);
	start(h);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 1000; i++)
		alert_raisef(h, ALERT_WARNING, ALERT_EV_LATENCY, "%d", i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) * TD_NS_PER_SEC + t1.tv_nsec -
	    t0.tv_nsec < 200 * MS);
	assert_int_equal(alert_idle(h, 100 * MS), -1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alert_stop(h, 100 * MS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) * TD_NS_PER_SEC + t1.tv_nsec -
	    t0.tv_nsec < 1000 * MS);
	alert_stats(h, &st);
	assert_true(st.dropped > 900);
	assert_int_equal(st.raised + st.dropped - st.sink[0].dropped, 1000);
	alert_free(h);
}

/*
 * The backoff is waited out in full, even when new alerts arrive for the
 * sink meanwhile (they wake its thread).
 */
static void
test_alert_backoff_waits(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[1];
	static const enum alert_severity min[1] = { ALERT_INFO };
	struct alert_hub		*h;
	struct timespec			 t0, t1, nap = { 0, 20000000 };

	(void)state;
	memset(f, 0, sizeof f);
	f[0].fail = 2;
	cfg_init(&c);
	c.backoff = 150 * MS;
	c.backoff_max = 150 * MS;
	h = hub(&c, f, 1, min);
	start(h);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alert_raise(h, ALERT_ERROR, ALERT_EV_JOURNAL, "first");
	for (int i = 0; i < 5; i++) {
		nanosleep(&nap, NULL);
		alert_raisef(h, ALERT_ERROR, ALERT_EV_LATENCY, "more %d", i);
	}
	assert_int_equal(alert_idle(h, 2000 * MS), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(f[0].n, 6);
	assert_string_equal(f[0].got[0].text, "first");
	assert_int_equal(f[0].calls, 8);
	/* Two failures, two full waits of 150 ms before the third try. */
	assert_true((t1.tv_sec - t0.tv_sec) * TD_NS_PER_SEC + t1.tv_nsec -
	    t0.tv_nsec >= 300 * MS);
	alert_free(h);
}

/*
 * alert_send_now: each sink once, on this thread, whatever its minimum
 * severity, with its own answer; no retry, no alert about the failure;
 * refused once the hub runs.
 */
static void
test_alert_send_now(void **state)
{
	struct alert_cfg		 c;
	struct fake			 f[2];
	static const enum alert_severity min[2] = { ALERT_CRITICAL,
					    ALERT_INFO };
	struct alert			 a = { .severity = ALERT_INFO,
					    .event = ALERT_EV_TEST,
					    .about = -1, .text = "test" };
	struct alert_stats		 st;
	struct alert_hub		*h;
	char				 why[ALERT_ERROR_MAX];

	(void)state;
	memset(f, 0, sizeof f);
	cfg_init(&c);
	h = hub(&c, f, 2, min);
	f[1].fail = 1;
	assert_int_equal(alert_send_now(h, 0, &a, why, sizeof why), 0);
	assert_int_equal(f[0].n, 1);
	assert_int_equal(f[0].got[0].event, ALERT_EV_TEST);
	assert_int_equal(alert_send_now(h, 1, &a, why, sizeof why), -1);
	assert_string_equal(why, "fake failure");
	assert_int_equal(f[1].calls, 1);
	assert_int_equal(alert_send_now(h, 2, &a, why, sizeof why), -1);
	assert_string_equal(why, "no alert sink 2");
	/* Nothing was queued: started, the hub has nothing to send. */
	start(h);
	assert_int_equal(alert_idle(h, 2000 * MS), 0);
	alert_stats(h, &st);
	assert_int_equal(st.raised, 0);
	assert_int_equal(st.sent + st.failed, 0);
	assert_int_equal(f[0].n, 1);
	assert_int_equal(alert_send_now(h, 0, &a, why, sizeof why), -1);
	assert_string_equal(why, "the alert hub is running");
	assert_int_equal(f[0].calls, 1);
	alert_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert_names_and_format),
		cmocka_unit_test(test_alert_bad_config),
		cmocka_unit_test(test_alert_min_severity),
		cmocka_unit_test(test_alert_dedup),
		cmocka_unit_test(test_alert_rate_limit),
		cmocka_unit_test(test_alert_queue_full),
		cmocka_unit_test(test_alert_retries),
		cmocka_unit_test(test_alert_hung_sink),
		cmocka_unit_test(test_alert_backoff_waits),
		cmocka_unit_test(test_alert_send_now),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
