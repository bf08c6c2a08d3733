/*
 * test-strat-param.c -- a strategy's parameter table (core/strat-param.h):
 * the checks of a table, and values of each type to and from text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "errmsg.h"
#include "strat-param.h"

static const char *const sides[] = { "long", "short", "both", NULL };

enum { P_N, P_RATIO, P_ON, P_SIDE, P_TAG };

static const struct strat_param params[] = {
	[P_N] = { .name = "n", .type = STRAT_PARAM_INT, .def = 3, .min = 1,
	    .max = 10, .unit = "bars", .text = "a count" },
	[P_RATIO] = { .name = "ratio", .type = STRAT_PARAM_DECIMAL,
	    .scale = 3, .def = 1500, .min = -2000, .max = 5000,
	    .unit = "x", .text = "a ratio" },
	[P_ON] = { .name = "on", .type = STRAT_PARAM_BOOL, .def = 1,
	    .text = "a switch" },
	[P_SIDE] = { .name = "side", .type = STRAT_PARAM_ENUM, .def = 2,
	    .names = sides, .text = "a choice" },
	[P_TAG] = { .name = "tag", .type = STRAT_PARAM_STRING, .min = 1,
	    .max = 8, .def_text = "orb", .text = "a word" },
	{ .name = NULL },
};

static const struct strategy_ops ops = {
	.abi = TD_STRATEGY_ABI,
	.name = "t",
	.params = params,
};

/* Parse text as parameter i: its value, or the refusal's reason. */
static int
parse(int i, const char *text, int64_t *num, char *str, char *why)
{
	return strat_param_parse(&params[i], text, num, str, why, 160);
}

static void
test_strat_param_lookups(void **state)
{
	int64_t	 num[STRAT_MAX_PARAMS];
	char	 text[STRAT_MAX_STRINGS][STRAT_STRING_MAX];
	struct errmsg err;

	(void)state;
	assert_int_equal(strat_param_count(&ops), 5);
	assert_int_equal(strat_param_index(&ops, "side"), P_SIDE);
	assert_int_equal(strat_param_index(&ops, "nope"), -1);
	memset(text, 'x', sizeof text);
	strat_param_defaults(&ops, num, text);
	assert_int_equal(num[P_N], 3);
	assert_int_equal(num[P_RATIO], 1500);
	assert_int_equal(num[P_ON], 1);
	assert_int_equal(num[P_SIDE], 2);
	assert_int_equal(num[P_TAG], 0);
	assert_string_equal(text[0], "orb");
	assert_string_equal(strat_param_get_text(&ops,
	    (const char (*)[STRAT_STRING_MAX])text, P_TAG), "orb");
	assert_string_equal(strat_param_get_text(&ops,
	    (const char (*)[STRAT_STRING_MAX])text, P_N), "");
	assert_ptr_equal(strat_param_text_at(&ops, text, P_TAG), text[0]);
	assert_null(strat_param_text_at(&ops, text, P_ON));
	assert_int_equal(strat_param_check(&ops, &err), 0);
	assert_string_equal(strat_param_type_name(STRAT_PARAM_DECIMAL),
	    "decimal");
	assert_string_equal(strat_param_type_name((enum strat_param_type)9),
	    "?");
}

/* Each type from text, exactly, and its refusals. */
static void
test_strat_param_parse(void **state)
{
	int64_t	 v;
	char	 s[STRAT_STRING_MAX], why[160];

	(void)state;
	assert_int_equal(parse(P_N, "10", &v, s, why), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse(P_N, "11", &v, s, why), -1);
	assert_string_equal(why, "must be <= 10");
	assert_int_equal(parse(P_N, "0", &v, s, why), -1);
	assert_string_equal(why, "must be >= 1");
	assert_int_equal(parse(P_N, "1.5", &v, s, why), -1);
	assert_string_equal(why, "must be an integer");

	assert_int_equal(parse(P_RATIO, "0.065", &v, s, why), 0);
	assert_int_equal(v, 65);
	assert_int_equal(parse(P_RATIO, "-2", &v, s, why), 0);
	assert_int_equal(v, -2000);
	assert_int_equal(parse(P_RATIO, "4.9999", &v, s, why), -1);
	assert_string_equal(why, "at most 3 decimals");
	assert_int_equal(parse(P_RATIO, "5.001", &v, s, why), -1);
	assert_string_equal(why, "must be <= 5.000");
	assert_int_equal(parse(P_RATIO, "-2.001", &v, s, why), -1);
	assert_string_equal(why, "must be >= -2.000");
	assert_int_equal(parse(P_RATIO, "one", &v, s, why), -1);
	assert_string_equal(why, "must be a number (1.500)");

	assert_int_equal(parse(P_ON, "false", &v, s, why), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse(P_ON, "true", &v, s, why), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse(P_ON, "1", &v, s, why), -1);
	assert_string_equal(why, "must be true or false");

	assert_int_equal(parse(P_SIDE, "short", &v, s, why), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse(P_SIDE, "Short", &v, s, why), -1);
	assert_string_equal(why, "must be one of long|short|both");

	assert_int_equal(parse(P_TAG, "vwap", &v, s, why), 0);
	assert_string_equal(s, "vwap");
	assert_int_equal(parse(P_TAG, "", &v, s, why), -1);
	assert_string_equal(why, "1 to 8 characters");
	assert_int_equal(parse(P_TAG, "ninechars", &v, s, why), -1);
}

/* Text back from values, and what each type takes. */
static void
test_strat_param_format(void **state)
{
	char	 b[64];
	char	 why[160];

	(void)state;
	assert_string_equal(strat_param_format(&params[P_N], 7, NULL, b,
	    sizeof b), "7");
	assert_string_equal(strat_param_format(&params[P_RATIO], -65, NULL, b,
	    sizeof b), "-0.065");
	assert_string_equal(strat_param_format(&params[P_ON], 0, NULL, b,
	    sizeof b), "false");
	assert_string_equal(strat_param_format(&params[P_SIDE], 0, NULL, b,
	    sizeof b), "long");
	assert_string_equal(strat_param_format(&params[P_SIDE], 3, NULL, b,
	    sizeof b), "?");
	assert_string_equal(strat_param_format(&params[P_TAG], 0, "x", b,
	    sizeof b), "x");
	assert_string_equal(strat_param_range(&params[P_N], b, sizeof b),
	    "1..10");
	assert_string_equal(strat_param_range(&params[P_RATIO], b, sizeof b),
	    "-2.000..5.000");
	assert_string_equal(strat_param_range(&params[P_ON], b, sizeof b),
	    "true|false");
	assert_string_equal(strat_param_range(&params[P_SIDE], b, sizeof b),
	    "long|short|both");
	assert_string_equal(strat_param_range(&params[P_TAG], b, sizeof b),
	    "1..8 chars");
	/* Values as held are judged as their text would be. */
	assert_int_equal(strat_param_valid(&params[P_RATIO], 5000, NULL, why,
	    sizeof why), 0);
	assert_int_equal(strat_param_valid(&params[P_RATIO], 5001, NULL, why,
	    sizeof why), -1);
	assert_string_equal(why, "must be <= 5.000");
	assert_int_equal(strat_param_valid(&params[P_SIDE], 3, NULL, why,
	    sizeof why), -1);
	assert_int_equal(strat_param_valid(&params[P_TAG], 0, "", why,
	    sizeof why), -1);
}

/* Tables the registry would refuse, each with its reason. */
static void
test_strat_param_check(void **state)
{
	struct strat_param	 t[3];
	struct strategy_ops	 o = ops;
	const char *const	 twice[] = { "a", "a", NULL };
	struct errmsg		 err;

	(void)state;
	o.params = t;
	memset(t, 0, sizeof t);
	t[0] = params[P_RATIO];
	t[0].scale = 0;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'ratio': scale 0 is not 1 to "
	    "9");
	t[0] = params[P_ON];
	t[0].def = 2;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'on': a boolean's default is "
	    "0 or 1");
	t[0] = params[P_SIDE];
	t[0].names = twice;
	t[0].def = 0;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'side': 'a' twice");
	t[0].names = sides;
	t[0].def = 3;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'side': default 3 is no index "
	    "of its names");
	t[0].names = NULL;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'side': an enumeration needs "
	    "names");
	t[0] = params[P_TAG];
	t[0].max = STRAT_STRING_MAX;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'tag': lengths 1..64, at most "
	    "63");
	t[0].max = 2;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'tag': default of 3 "
	    "characters");
	for (int k = 0; k < 3; k++)
		t[k] = params[P_TAG];
	t[1].name = "tag2";
	t[2].name = NULL;
	assert_int_equal(strat_param_check(&o, &err), 0);
	o.params = (const struct strat_param[]){ params[P_TAG],
	    { .name = "b", .type = STRAT_PARAM_STRING, .max = 1 },
	    { .name = "c", .type = STRAT_PARAM_STRING, .max = 1 },
	    { .name = "d", .type = STRAT_PARAM_STRING, .max = 1 },
	    { .name = "e", .type = STRAT_PARAM_STRING, .max = 1 },
	    { .name = NULL } };
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "more than 4 string parameters");
	o.params = t;
	t[0] = params[P_N];
	t[0].type = (enum strat_param_type)9;
	assert_int_equal(strat_param_check(&o, &err), -1);
	assert_string_equal(err.msg, "parameter 'n': unknown type 9");
	o.params = NULL;
	assert_int_equal(strat_param_check(&o, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strat_param_lookups),
		cmocka_unit_test(test_strat_param_parse),
		cmocka_unit_test(test_strat_param_format),
		cmocka_unit_test(test_strat_param_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
