/*
 * test-runner.c -- the engine thread: commands in, replies, log lines and
 * snapshots out; a console that never reads cannot stop the engine; pause
 * and step; stop joins the thread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "runner.h"

#include "fixture.h"

/*
 * The command function: answers with the line and the engine's events
 * (counted by the observer the runner added to the engine).
 */
static void
echo_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	struct snapshot	*s = calloc(1, sizeof *s);

	assert_non_null(s);
	if (strcmp(line, "pause") == 0)
		runner_pause(r, true);
	else if (strcmp(line, "step") == 0)
		runner_step(r);
	engine_snapshot(e, s);
	snprintf(reply->text, sizeof reply->text, "%s %lld", line,
	    (long long)s->events);
	free(s);
}

static struct runner *
make_runner(double speed, bool paused, int log_queue, int days)
{
	struct demo_cfg		 dc = { .seed = 3, .days = days };
	struct runner_cfg	 rc = {
		.speed = speed,
		.paused = paused,
		.mode = SNAP_PAPER,
		.exec = echo_exec,
		.log_queue = log_queue,
		.log_level = LOG_DEBUG,
	};
	struct errmsg		 err;
	struct feed		*f = feed_demo_create(&dc, &err);
	struct runner		*r;

	assert_non_null(f);
	r = runner_create(&rc, fixture_orb_engine(false, 0), f, &err);
	assert_non_null(r);
	assert_int_equal(runner_start(r, &err), 0);
	return r;
}

/* Wait for the reply to id, up to 10 s. */
static void
wait_reply(struct runner *r, uint64_t id, struct runner_reply *rep)
{
	struct pollfd	 pfd = { .fd = runner_fd(r), .events = POLLIN };

	for (int i = 0; i < 1000; i++) {
		runner_ack(r);
		while (runner_reply(r, rep) == 1) {
			if (rep->id == id)
				return;
		}
		poll(&pfd, 1, 10);
	}
	fail_msg("no reply to command %llu", (unsigned long long)id);
}

static void
test_runner_command_and_snapshot(void **state)
{
	struct runner		*r = make_runner(0, false, 4096, 2);
	struct runner_reply	 rep;
	struct snapshot		*s = calloc(1, sizeof *s);

	assert_int_equal(runner_submit(r, 7, "hello"), 0);
	wait_reply(r, 7, &rep);
	assert_int_equal(rep.id, 7);
	assert_memory_equal(rep.text, "hello ", 6);
	assert_int_equal(runner_snapshot(r, s), 1);
	assert_true(s->seq >= 1);
	assert_int_equal(s->mode, SNAP_PAPER);
	assert_string_equal(s->inst[0].symbol, "ES");
	runner_free(r);
	free(s);
}

/* Nobody reads the log: lines are dropped and counted, the engine goes on. */
static void
test_runner_full_log_never_blocks(void **state)
{
	struct runner		*r = make_runner(0, false, 4, 3);
	struct snapshot		*s = calloc(1, sizeof *s);

	for (int i = 0; i < 1000 && !s->finished; i++) {
		struct timespec	 ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		runner_snapshot(r, s);
	}
	assert_true(s->finished);
	assert_true(s->events > 100000);
	assert_true(s->dropped_logs > 0);
	runner_free(r);
	free(s);
}

/* Paused, the engine processes exactly one event per step. */
static void
test_runner_pause_and_step(void **state)
{
	struct runner		*r = make_runner(0, true, 4096, 1);
	struct runner_reply	 rep;

	assert_int_equal(runner_submit(r, 1, "count"), 0);
	wait_reply(r, 1, &rep);
	assert_string_equal(rep.text, "count 0");
	assert_int_equal(runner_submit(r, 2, "step"), 0);
	wait_reply(r, 2, &rep);
	for (int i = 0; i < 100; i++) {
		struct timespec	 ts = { 0, 5 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	assert_int_equal(runner_submit(r, 3, "count"), 0);
	wait_reply(r, 3, &rep);
	assert_string_equal(rep.text, "count 1");
	runner_free(r);
}

/* A real-time replay is paced: a second of wall time is not a day. */
static void
test_runner_paced(void **state)
{
	struct runner		*r = make_runner(1, false, 4096, 1);
	struct runner_reply	 rep;
	struct timespec		 ts = { 0, 300 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	assert_int_equal(runner_submit(r, 1, "count"), 0);
	wait_reply(r, 1, &rep);
	/* About 4 ticks a second: far fewer than the day's 90000. */
	assert_true(strtoll(rep.text + 6, NULL, 10) < 1000);
	runner_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_command_and_snapshot),
		cmocka_unit_test(test_runner_full_log_never_blocks),
		cmocka_unit_test(test_runner_pause_and_step),
		cmocka_unit_test(test_runner_paced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
