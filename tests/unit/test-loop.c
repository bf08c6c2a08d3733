/*
 * test-loop.c -- the event loop: file events fire when a pipe has data
 * (and only then), timers fire in time order on a clock the test steps,
 * a cancelled timer never fires, the before-sleep hook runs every turn,
 * callbacks may remove themselves, and loop_stop ends loop_run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "loop.h"

struct fx {
	struct loop	*l;
	td_ns		 now;		/* the loop's clock */
	int		 p[2];		/* a pipe */
	int		 q[2];		/* another */
	char		 log[256];	/* what fired, in order */
	int		 before;
};

static td_ns
fx_clock(void *arg)
{
	return ((struct fx *)arg)->now;
}

static void
fx_note(struct fx *fx, const char *what)
{
	strncat(fx->log, what, sizeof fx->log - strlen(fx->log) - 1);
}

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	struct errmsg	 err;

	assert_non_null(fx);
	assert_non_null(fx->l = loop_create(&err));
	fx->now = 1000;
	loop_set_clock(fx->l, fx_clock, fx);
	assert_int_equal(pipe2(fx->p, O_NONBLOCK), 0);
	assert_int_equal(pipe2(fx->q, O_NONBLOCK), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	loop_free(fx->l);
	close(fx->p[0]);
	close(fx->p[1]);
	close(fx->q[0]);
	close(fx->q[1]);
	free(fx);
	return 0;
}

/* Reads one byte and notes it. */
static void
on_read(struct loop *l, int fd, int mask, void *arg)
{
	struct fx	*fx = arg;
	char		 c[2] = { 0, 0 };

	assert_int_equal(mask, LOOP_READ);
	if (read(fd, c, 1) == 1)
		fx_note(fx, c);
}

static void
on_write(struct loop *l, int fd, int mask, void *arg)
{
	struct fx	*fx = arg;

	assert_int_equal(mask, LOOP_WRITE);
	fx_note(fx, "w");
	loop_del_file(l, fd, LOOP_WRITE);
}

static void
on_timer(struct loop *l, uint64_t id, void *arg)
{
	struct fx	*fx = arg;
	char		 s[24];

	snprintf(s, sizeof s, "t%llu.", (unsigned long long)id);
	fx_note(fx, s);
}

static void
test_loop_file_events_fire(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	assert_int_equal(loop_add_file(fx->l, fx->p[0], LOOP_READ, on_read,
	    fx, &err), 0);
	assert_int_equal(loop_file_mask(fx->l, fx->p[0]), LOOP_READ);
	/* Nothing written: nothing fires. */
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
	assert_string_equal(fx->log, "");
	assert_int_equal(write(fx->p[1], "a", 1), 1);
	/* With data it fires; no timer is armed, so the wait is for it. */
	assert_int_equal(loop_turn(fx->l, true, &err), 1);
	assert_string_equal(fx->log, "a");
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
	/* Removed, it no longer fires. */
	assert_int_equal(write(fx->p[1], "b", 1), 1);
	loop_del_file(fx->l, fx->p[0], LOOP_READ);
	assert_int_equal(loop_file_mask(fx->l, fx->p[0]), 0);
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
	assert_string_equal(fx->log, "a");
}

static void
test_loop_read_and_write_callbacks(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	/* A pipe's write end is writable at once; its callback removes it. */
	assert_int_equal(loop_add_file(fx->l, fx->q[1], LOOP_WRITE, on_write,
	    fx, &err), 0);
	assert_int_equal(loop_add_file(fx->l, fx->p[0], LOOP_READ, on_read,
	    fx, &err), 0);
	assert_int_equal(write(fx->p[1], "r", 1), 1);
	assert_int_equal(loop_turn(fx->l, true, &err), 2);
	assert_true(strcmp(fx->log, "rw") == 0 || strcmp(fx->log, "wr") == 0);
	assert_int_equal(loop_file_mask(fx->l, fx->q[1]), 0);
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
	/* Bad arguments are refused with a message. */
	assert_int_equal(loop_add_file(fx->l, -1, LOOP_READ, on_read, fx,
	    &err), -1);
	assert_non_null(strstr(err.msg, "bad descriptor"));
	assert_int_equal(loop_add_file(fx->l, fx->p[0], 0, on_read, fx,
	    &err), -1);
}

/* A hung-up pipe is reported as readable, so its reader sees the end. */
static void
test_loop_hangup_is_readable(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	assert_int_equal(loop_add_file(fx->l, fx->p[0], LOOP_READ, on_read,
	    fx, &err), 0);
	close(fx->p[1]);
	fx->p[1] = open("/dev/null", O_WRONLY);
	assert_int_equal(loop_turn(fx->l, true, &err), 1);
	assert_string_equal(fx->log, "");
}

static void
test_loop_timers_in_order(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;
	uint64_t	 a, b, c, d;

	a = loop_add_timer(fx->l, 1300, on_timer, fx, &err);
	b = loop_add_timer(fx->l, 1100, on_timer, fx, &err);
	c = loop_add_timer(fx->l, 1200, on_timer, fx, &err);
	d = loop_add_timer(fx->l, 1100, on_timer, fx, &err);
	assert_true(a != 0 && b != 0 && c != 0 && d != 0);
	/* Not due yet. */
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
	fx->now = 1250;
	assert_int_equal(loop_turn(fx->l, false, &err), 3);
	/* b and d tie: the first added first. */
	assert_string_equal(fx->log, "t2.t4.t3.");
	fx->now = 5000;
	assert_int_equal(loop_turn(fx->l, true, &err), 1);
	assert_string_equal(fx->log, "t2.t4.t3.t1.");
	/* Each fires once. */
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
}

static void
test_loop_cancel(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;
	uint64_t	 a, b;

	a = loop_add_timer(fx->l, 1100, on_timer, fx, &err);
	b = loop_add_timer(fx->l, 1200, on_timer, fx, &err);
	assert_int_equal(loop_del_timer(fx->l, a), 0);
	assert_int_equal(loop_del_timer(fx->l, a), -1);
	fx->now = 2000;
	assert_int_equal(loop_turn(fx->l, false, &err), 1);
	assert_string_equal(fx->log, "t2.");
	/* A timer that fired is no longer armed. */
	assert_int_equal(loop_del_timer(fx->l, b), -1);
}

/* A timer armed by a timer at once waits for the next turn. */
static void
on_rearm(struct loop *l, uint64_t id, void *arg)
{
	struct fx	*fx = arg;

	fx_note(fx, "r");
	if (strlen(fx->log) < 3)
		assert_int_not_equal(loop_add_timer(l, 0, on_rearm, fx, NULL),
		    0);
}

static void
test_loop_rearm_waits_a_turn(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	assert_int_not_equal(loop_add_timer(fx->l, 0, on_rearm, fx, &err), 0);
	assert_int_equal(loop_turn(fx->l, true, &err), 1);
	assert_string_equal(fx->log, "r");
	assert_int_equal(loop_turn(fx->l, true, &err), 1);
	assert_int_equal(loop_turn(fx->l, true, &err), 1);
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
	assert_string_equal(fx->log, "rrr");
}

static void
on_before(struct loop *l, void *arg)
{
	struct fx	*fx = arg;

	fx->before++;
	/* It runs before the wait: what it arms is seen by this turn. */
	if (fx->before == 2)
		assert_int_equal(write(fx->p[1], "x", 1), 1);
}

static void
test_loop_before_sleep(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	loop_set_before_sleep(fx->l, on_before, fx);
	assert_int_equal(loop_add_file(fx->l, fx->p[0], LOOP_READ, on_read,
	    fx, &err), 0);
	assert_int_equal(loop_turn(fx->l, false, &err), 0);
	assert_int_equal(fx->before, 1);
	assert_int_equal(loop_turn(fx->l, true, &err), 1);
	assert_int_equal(fx->before, 2);
	assert_string_equal(fx->log, "x");
}

static void
on_stop(struct loop *l, int fd, int mask, void *arg)
{
	on_read(l, fd, mask, arg);
	loop_stop(l);
}

static void
test_loop_run_until_stop(void **state)
{
	struct fx	*fx = *state;
	struct errmsg	 err;

	assert_int_equal(loop_add_timer(fx->l, 0, on_timer, fx, &err), 1);
	assert_int_equal(loop_add_file(fx->l, fx->p[0], LOOP_READ, on_stop,
	    fx, &err), 0);
	assert_int_equal(write(fx->p[1], "s", 1), 1);
	assert_int_equal(loop_run(fx->l, &err), 0);
	assert_non_null(strchr(fx->log, 's'));
	assert_non_null(strstr(fx->log, "t1."));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loop_file_events_fire,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_loop_read_and_write_callbacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_hangup_is_readable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_timers_in_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_cancel, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_loop_rearm_waits_a_turn,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_before_sleep, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_loop_run_until_stop,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
