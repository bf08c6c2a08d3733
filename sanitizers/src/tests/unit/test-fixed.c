/*
 * test-fixed.c -- exact decimal parsing and printing (core/fixed.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fixed.h"

static int
parse(const char *s, td_px *out)
{
	return fixed_parse(s, strlen(s), out);
}

static void
test_fixed_parse_valid(void **state)
{
	td_px	 v;

	(void)state;
	assert_int_equal(parse("4801.25", &v), 0);
	assert_true(v == 4801250000000LL);
	assert_int_equal(parse("-0.5", &v), 0);
	assert_true(v == -500000000LL);
	assert_int_equal(parse("+12", &v), 0);
	assert_true(v == 12000000000LL);
	assert_int_equal(parse("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(parse(".25", &v), 0);
	assert_true(v == 250000000LL);
	assert_int_equal(parse("693.7123", &v), 0);
	assert_true(v == 693712300000LL);
	assert_int_equal(parse("0.000000001", &v), 0);
	assert_true(v == 1);
	assert_int_equal(parse("0004024.750", &v), 0);
	assert_true(v == 4024750000000LL);
	/* Largest value: INT64_MAX itself. */
	assert_int_equal(parse("9223372036.854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse("-9223372036.854775807", &v), 0);
	assert_true(v == -INT64_MAX);
}

static void
test_fixed_parse_exact_not_float(void **state)
{
	td_px	 v;

	(void)state;
	/* 0.1 + 0.2 style values must not drift. */
	assert_int_equal(parse("0.3", &v), 0);
	assert_true(v == 300000000LL);
	assert_int_equal(parse("1234567.123456789", &v), 0);
	assert_true(v == 1234567123456789LL);
}

static void
test_fixed_parse_rejects(void **state)
{
	static const char *bad[] = {
		"", "-", "+", ".", "5.", "1.2.3", "1e5", "1E5", " 1", "1 ",
		"0x10", "12a", "--1", "1,5", "0.0000000001", "9223372037",
		"9223372036.854775808", "99999999999999999999", "nan", "inf",
		"-.", "1..2",
	};
	size_t	 i;
	td_px	 v = 77;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse(bad[i], &v) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_true(v == 77);	/* never written on failure */
}

static void
test_fixed_parse_uses_len_not_nul(void **state)
{
	td_px	 v;

	(void)state;
	assert_int_equal(fixed_parse("12.5,99", 4, &v), 0);
	assert_true(v == 12500000000LL);
	assert_int_equal(fixed_parse("12.5,99", 0, &v), -1);
}

static void
test_fixed_parse_int(void **state)
{
	int64_t	 v;

	(void)state;
	assert_int_equal(fixed_parse_int("16808", 5, &v), 0);
	assert_true(v == 16808);
	assert_int_equal(fixed_parse_int("-3", 2, &v), 0);
	assert_true(v == -3);
	assert_int_equal(fixed_parse_int("9223372036854775807", 19, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(fixed_parse_int("9223372036854775808", 19, &v), -1);
	assert_int_equal(fixed_parse_int("", 0, &v), -1);
	assert_int_equal(fixed_parse_int("-", 1, &v), -1);
	assert_int_equal(fixed_parse_int("1.0", 3, &v), -1);
	assert_int_equal(fixed_parse_int("12x", 3, &v), -1);
}

static void
test_fixed_format(void **state)
{
	char	 buf[FIXED_FMT_MAX];

	(void)state;
	assert_string_equal(fixed_format(4801250000000LL, 2, buf, sizeof buf),
	    "4801.25");
	assert_string_equal(fixed_format(4801250000000LL, 0, buf, sizeof buf),
	    "4801");
	assert_string_equal(fixed_format(-500000000LL, 2, buf, sizeof buf),
	    "-0.50");
	assert_string_equal(fixed_format(0, 3, buf, sizeof buf), "0.000");
	assert_string_equal(fixed_format(1, 9, buf, sizeof buf),
	    "0.000000001");
	/* Rounding half away from zero. */
	assert_string_equal(fixed_format(125000000LL, 1, buf, sizeof buf),
	    "0.1");
	assert_string_equal(fixed_format(150000000LL, 0, buf, sizeof buf),
	    "0");
	assert_string_equal(fixed_format(500000000LL, 0, buf, sizeof buf),
	    "1");
	assert_string_equal(fixed_format(-500000000LL, 0, buf, sizeof buf),
	    "-1");
	assert_string_equal(fixed_format(-4000000LL, 2, buf, sizeof buf),
	    "0.00");
	assert_string_equal(fixed_format(INT64_MIN, 9, buf, sizeof buf),
	    "-9223372036.854775808");
	/* Cut to fit. */
	assert_string_equal(fixed_format(4801250000000LL, 2, buf, 5), "4801");
}

static void
test_fixed_round_trip(void **state)
{
	static const char *txt[] = {
		"0.25", "-17.125", "15895.00", "693.7123", "1.000000001",
	};
	char	 buf[FIXED_FMT_MAX];
	size_t	 i;
	td_px	 v;

	(void)state;
	for (i = 0; i < sizeof txt / sizeof txt[0]; i++) {
		const char *dot = strchr(txt[i], '.');
		int	 d = (int)strlen(dot + 1);

		assert_int_equal(parse(txt[i], &v), 0);
		assert_string_equal(fixed_format(v, d, buf, sizeof buf),
		    txt[i]);
	}
	assert_int_equal(fixed_decimals(250000000LL), 2);
	assert_int_equal(fixed_decimals(31250000LL), 5);
	assert_int_equal(fixed_decimals(5000000000LL), 0);
	assert_int_equal(fixed_decimals(-1), 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_parse_valid),
		cmocka_unit_test(test_fixed_parse_exact_not_float),
		cmocka_unit_test(test_fixed_parse_rejects),
		cmocka_unit_test(test_fixed_parse_uses_len_not_nul),
		cmocka_unit_test(test_fixed_parse_int),
		cmocka_unit_test(test_fixed_format),
		cmocka_unit_test(test_fixed_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
