/*
 * test-errmsg.c -- errors as values (core/errmsg.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "errmsg.h"

static void
test_errmsg_set_and_prefix(void **state)
{
	struct errmsg	 err;

	(void)state;
	assert_int_equal(errmsg_set(&err, "high %d below low", 3), -1);
	errmsg_prefix(&err, "%s:%d", "bars.csv", 12);
	assert_string_equal(err.msg, "bars.csv:12: high 3 below low");
	assert_int_equal(errmsg_set(NULL, "nobody reads %s", "this"), -1);
}

/* strerror's capital letter is lowered; an acronym keeps its own. */
static void
test_errmsg_sys_words_the_reason(void **state)
{
	struct errmsg	 err;

	(void)state;
	errno = ENOENT;
	assert_int_equal(errmsg_sys(&err, "es.csv", NULL), -1);
	assert_string_equal(err.msg, "es.csv: no such file or directory");
	errno = EACCES;
	errmsg_sys(&err, "es.csv", "open");
	assert_string_equal(err.msg, "es.csv: open: permission denied");
	errno = EIO;
	errmsg_sys(&err, "es.csv", "read error");
	assert_string_equal(err.msg, "es.csv: read error: input/output error");
	errno = ENOENT;
	assert_int_equal(errmsg_sys(NULL, "es.csv", NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errmsg_set_and_prefix),
		cmocka_unit_test(test_errmsg_sys_words_the_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
