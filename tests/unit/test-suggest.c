/*
 * test-suggest.c -- "did you mean" (core/suggest.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "suggest.h"

static void
test_suggest_distance_counts_edits(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("flatten", "flatten"), 0);
	assert_int_equal(suggest_distance("flaten", "flatten"), 1);
	assert_int_equal(suggest_distance("flattenn", "flatten"), 1);
	assert_int_equal(suggest_distance("flutten", "flatten"), 1);
	/* A swap of neighbours is one edit, not two. */
	assert_int_equal(suggest_distance("bcaktest", "backtest"), 1);
	assert_int_equal(suggest_distance("", "kill"), 4);
	assert_int_equal(suggest_distance("kitten", "sitting"), 3);
	/* Case does not count. */
	assert_int_equal(suggest_distance("FLATTEN", "flatten"), 0);
}

static void
test_suggest_distance_refuses_long_words(void **state)
{
	char	 longw[SUGGEST_WORD_MAX + 2];

	(void)state;
	memset(longw, 'a', sizeof longw - 1);
	longw[sizeof longw - 1] = '\0';
	assert_int_equal(suggest_distance(longw, "a"), -1);
	assert_int_equal(suggest_distance("a", longw), -1);
	longw[SUGGEST_WORD_MAX] = '\0';
	assert_int_equal(suggest_distance(longw, longw), 0);
}

static const char *
suggest_from(const char *word, const char *const *names)
{
	struct suggest	 s;

	suggest_init(&s, word);
	for (size_t i = 0; names[i] != NULL; i++)
		suggest_add(&s, names[i]);
	return suggest_best(&s);
}

static void
test_suggest_best_is_closest(void **state)
{
	static const char *const cmds[] = { "backtest", "config", "console",
	    "ctl", "help", "report", "run", NULL };
	static const char *const keys[] = { "risk.daily_loss",
	    "risk.max_contracts", "risk.max_positions", NULL };

	(void)state;
	assert_string_equal(suggest_from("bactest", cmds), "backtest");
	assert_string_equal(suggest_from("consle", cmds), "console");
	assert_string_equal(suggest_from("risk.max_contract", keys),
	    "risk.max_contracts");
	assert_string_equal(suggest_from("RISK.DAILY_LOS", keys),
	    "risk.daily_loss");
}

static void
test_suggest_best_only_when_close(void **state)
{
	static const char *const cmds[] = { "backtest", "config", "ctl",
	    "run", NULL };

	(void)state;
	/* Far from every name, or a short word more than one edit away. */
	assert_null(suggest_from("zzzzzz", cmds));
	assert_null(suggest_from("back", cmds));
	assert_null(suggest_from("xyz", cmds));
	/* The word itself is no suggestion. */
	assert_null(suggest_from("run", cmds));
	/* Short words: one edit. */
	assert_string_equal(suggest_from("rn", cmds), "run");
	assert_string_equal(suggest_from("ctk", cmds), "ctl");
}

static void
test_suggest_tie_keeps_the_first(void **state)
{
	static const char *const names[] = { "halt", "salt", NULL };
	struct suggest	 s;

	(void)state;
	assert_string_equal(suggest_from("walt", names), "halt");
	suggest_init(&s, "walt");
	suggest_add(&s, NULL);
	assert_null(suggest_best(&s));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suggest_distance_counts_edits),
		cmocka_unit_test(test_suggest_distance_refuses_long_words),
		cmocka_unit_test(test_suggest_best_is_closest),
		cmocka_unit_test(test_suggest_best_only_when_close),
		cmocka_unit_test(test_suggest_tie_keeps_the_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
