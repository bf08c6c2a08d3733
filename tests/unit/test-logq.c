/*
 * test-logq.c -- the bounded log queue: order kept, the full-queue drop
 * policy (debug lines give way first, counted apart), long text cut, and
 * a queue that empties and fills again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "logq.h"

static int
setup(void **state)
{
	struct logq	*q = logq_create(8, NULL);

	if (q == NULL)
		return -1;
	*state = q;
	return 0;
}

static int
teardown(void **state)
{
	logq_free(*state);
	return 0;
}

/* Push a line "NAME N" at level. */
static bool
push(struct logq *q, enum log_level level, const char *name, int n)
{
	struct log_line	 line;
	char		 msg[64];

	snprintf(msg, sizeof msg, "%s %d", name, n);
	line = (struct log_line){ .time = n, .level = level,
	    .component = "test", .corr = (uint64_t)n, .msg = msg };
	return logq_push(q, &line);
}

static void
test_logq_order(void **state)
{
	struct logq	*q = *state;
	struct logq_rec	 r;

	assert_true(push(q, LOG_INFO, "a", 1));
	assert_true(push(q, LOG_DEBUG, "b", 2));
	assert_true(push(q, LOG_ERROR, "c", 3));
	assert_true(push(q, LOG_DEBUG, "d", 4));
	assert_int_equal(logq_count(q), 4);
	/* Across the two lists, in the order they came. */
	assert_int_equal(logq_pop(q, &r), 1);
	assert_string_equal(r.msg, "a 1");
	assert_int_equal(r.level, LOG_INFO);
	assert_int_equal(r.corr, 1);
	assert_int_equal(r.time, 1);
	assert_string_equal(r.component, "test");
	assert_int_equal(logq_pop(q, &r), 1);
	assert_string_equal(r.msg, "b 2");
	assert_int_equal(logq_pop(q, &r), 1);
	assert_string_equal(r.msg, "c 3");
	assert_int_equal(logq_pop(q, &r), 1);
	assert_string_equal(r.msg, "d 4");
	assert_int_equal(logq_pop(q, &r), 0);
	assert_int_equal(logq_count(q), 0);
	assert_int_equal(logq_dropped(q).debug, 0);
	assert_int_equal(logq_dropped(q).other, 0);
}

/*
 * A queue of 8 full of debug lines: 8 info lines take their places one by
 * one (8 debug lines dropped), a ninth info line finds no debug line and
 * is dropped, and so is every debug line while it is full.
 */
static void
test_logq_full_drops_debug_first(void **state)
{
	struct logq	*q = *state;
	struct logq_rec	 r;
	int		 n;

	for (int i = 0; i < 8; i++)
		assert_true(push(q, LOG_DEBUG, "debug", i));
	assert_int_equal(logq_count(q), 8);
	assert_false(push(q, LOG_DEBUG, "debug", 8));
	assert_int_equal(logq_dropped(q).debug, 1);
	for (int i = 0; i < 8; i++)
		assert_true(push(q, LOG_INFO, "info", i));
	assert_int_equal(logq_count(q), 8);
	assert_int_equal(logq_dropped(q).debug, 9);
	assert_int_equal(logq_dropped(q).other, 0);
	assert_false(push(q, LOG_INFO, "info", 8));
	assert_false(push(q, LOG_CRITICAL, "critical", 9));
	assert_false(push(q, LOG_DEBUG, "debug", 10));
	assert_int_equal(logq_dropped(q).debug, 10);
	assert_int_equal(logq_dropped(q).other, 2);
	/* What is left: the eight info lines, in order. */
	for (n = 0; logq_pop(q, &r) == 1; n++) {
		char	 want[32];

		snprintf(want, sizeof want, "info %d", n);
		assert_string_equal(r.msg, want);
		assert_int_equal(r.level, LOG_INFO);
	}
	assert_int_equal(n, 8);
}

/* A half-full queue of both kinds: the oldest debug line goes first. */
static void
test_logq_oldest_debug_goes(void **state)
{
	struct logq	*q = *state;
	struct logq_rec	 r;
	const char	*want[] = { "w 0", "d 2", "w 3", "d 4", "w 5", "d 6",
			    "w 7", "w 8" };
	int		 n = 0;

	assert_true(push(q, LOG_WARNING, "w", 0));
	assert_true(push(q, LOG_DEBUG, "d", 1));
	assert_true(push(q, LOG_DEBUG, "d", 2));
	assert_true(push(q, LOG_WARNING, "w", 3));
	assert_true(push(q, LOG_DEBUG, "d", 4));
	assert_true(push(q, LOG_WARNING, "w", 5));
	assert_true(push(q, LOG_DEBUG, "d", 6));
	assert_true(push(q, LOG_WARNING, "w", 7));
	/* Full: "d 1" gives way to "w 8". */
	assert_true(push(q, LOG_WARNING, "w", 8));
	assert_int_equal(logq_dropped(q).debug, 1);
	while (logq_pop(q, &r) == 1) {
		assert_true(n < 8);
		assert_string_equal(r.msg, want[n]);
		n++;
	}
	assert_int_equal(n, 8);
}

/* Slots come back: many rounds through a small queue, nothing lost. */
static void
test_logq_reuse(void **state)
{
	struct logq	*q = *state;
	struct logq_rec	 r;
	char		 want[32];

	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 5; i++)
			assert_true(push(q, i % 2 ? LOG_DEBUG : LOG_INFO, "x",
			    round * 5 + i));
		for (int i = 0; i < 5; i++) {
			assert_int_equal(logq_pop(q, &r), 1);
			snprintf(want, sizeof want, "x %d", round * 5 + i);
			assert_string_equal(r.msg, want);
		}
	}
	assert_int_equal(logq_count(q), 0);
	assert_int_equal(logq_dropped(q).debug + logq_dropped(q).other, 0);
}

static void
test_logq_cuts_and_limits(void **state)
{
	struct logq	*q = *state;
	struct logq_rec	 r;
	struct errmsg	 err;
	struct log_line	 line;
	char		 big[1000], comp[100];

	memset(big, 'm', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memset(comp, 'c', sizeof comp - 1);
	comp[sizeof comp - 1] = '\0';
	line = (struct log_line){ .level = LOG_INFO, .component = comp,
	    .msg = big };
	assert_true(logq_push(q, &line));
	assert_int_equal(logq_pop(q, &r), 1);
	assert_int_equal(strlen(r.msg), LOGQ_MSG_MAX - 1);
	assert_int_equal(strlen(r.component), LOGQ_COMPONENT_MAX - 1);

	assert_null(logq_create(0, &err));
	assert_string_equal(err.msg, "log queue of 0 lines: the capacity is 1 "
	    "to 1048576");
	assert_int_equal(logq_capacity(q), 8);
	logq_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_logq_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_logq_full_drops_debug_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logq_oldest_debug_goes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_logq_reuse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_logq_cuts_and_limits,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
