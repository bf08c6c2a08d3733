/*
 * test-array.c -- growing an array its caller owns (core/array.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "array.h"

/* Rows collected one at a time keep every earlier row. */
static void
test_array_grow_keeps_rows(void **state)
{
	int64_t	*a = NULL;
	size_t	 cap = 0;

	(void)state;
	for (size_t i = 0; i < 1000; i++) {
		assert_int_equal(array_grow(&a, &cap, i, sizeof *a), 0);
		assert_true(cap > i);
		a[i] = (int64_t)i * 3;
	}
	for (size_t i = 0; i < 1000; i++)
		assert_true(a[i] == (int64_t)i * 3);
	assert_int_equal(cap, 1024);
	free(a);
}

/* Room already there: nothing moves. */
static void
test_array_grow_room_left(void **state)
{
	char	*a = NULL, *before;
	size_t	 cap = 0;

	(void)state;
	assert_int_equal(array_grow(&a, &cap, 0, 1), 0);
	before = a;
	assert_int_equal(array_grow(&a, &cap, 63, 1), 0);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 64);
	free(a);
}

/* An index far past the end gets room for it, not just a doubling. */
static void
test_array_grow_far_index(void **state)
{
	int	*a = NULL;
	size_t	 cap = 0;

	(void)state;
	assert_int_equal(array_grow(&a, &cap, 500, sizeof *a), 0);
	assert_true(cap > 500);
	a[500] = 7;
	free(a);
}

/* A size that cannot be counted is refused, the array left as it was. */
static void
test_array_grow_overflow(void **state)
{
	int	*a = NULL;
	size_t	 cap = 0;

	(void)state;
	assert_int_equal(array_grow(&a, &cap, 0, sizeof *a), 0);
	cap = SIZE_MAX / 2;
	assert_int_equal(array_grow(&a, &cap, SIZE_MAX / 2, sizeof *a), -1);
	assert_non_null(a);
	free(a);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_array_grow_keeps_rows),
		cmocka_unit_test(test_array_grow_room_left),
		cmocka_unit_test(test_array_grow_far_index),
		cmocka_unit_test(test_array_grow_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
