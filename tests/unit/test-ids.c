/*
 * test-ids.c -- the engine's identities (core/ids.h): an owner is the
 * trader or one strategy, never both; the selectors take exactly what
 * they name; the journal's owner numbers come and go unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ids.h"

static void
test_ids_zeroed_owner_is_the_trader(void **state)
{
	struct td_owner	 zero;

	(void)state;
	memset(&zero, 0, sizeof zero);
	assert_true(td_owner_is_manual(zero));
	assert_false(td_owner_is_strat(zero));
	assert_true(td_owner_eq(zero, td_owner_manual()));
	/* Strategy 0 is a strategy, not the trader. */
	assert_false(td_owner_eq(zero, td_owner_strat(td_strat_at(0))));
}

static void
test_ids_owner_kinds(void **state)
{
	struct td_owner	 me = td_owner_manual();
	struct td_owner	 s2 = td_owner_strat(td_strat_at(2));

	(void)state;
	assert_true(td_owner_is_manual(me));
	assert_true(td_owner_is_strat(s2));
	assert_false(td_owner_is_manual(s2));
	assert_true(td_owner_is(s2, td_strat_at(2)));
	assert_false(td_owner_is(s2, td_strat_at(1)));
	assert_false(td_owner_is(me, td_strat_at(0)));
	assert_true(td_owner_eq(s2, td_owner_strat(td_strat_at(2))));
	assert_false(td_owner_eq(s2, td_owner_strat(td_strat_at(3))));
	assert_false(td_owner_eq(s2, me));
	/* The trader's owner has no strategy to compare, whatever it holds. */
	s2.kind = TD_OWNER_MANUAL;
	assert_true(td_owner_eq(s2, me));
}

static void
test_ids_inst_and_strat(void **state)
{
	(void)state;
	assert_int_equal(td_inst_at(3).i, 3);
	assert_true(td_inst_eq(td_inst_at(1), td_inst_at(1)));
	assert_false(td_inst_eq(td_inst_at(1), td_inst_at(2)));
	assert_true(td_inst_in(td_inst_at(0), 1));
	assert_false(td_inst_in(td_inst_at(1), 1));
	assert_false(td_inst_in(td_inst_at(-1), 4));
	assert_true(td_strat_eq(td_strat_at(5), td_strat_at(5)));
	assert_true(td_strat_in(td_strat_at(4), 5));
	assert_false(td_strat_in(td_strat_at(5), 5));
	assert_false(td_strat_in(td_strat_at(-1), 5));
}

static void
test_ids_inst_selector(void **state)
{
	struct td_inst_sel	 all = td_inst_all();
	struct td_inst_sel	 one = td_inst_only(td_inst_at(1));

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_true(td_inst_sel_has(all, td_inst_at(i)));
		assert_int_equal(td_inst_sel_has(one, td_inst_at(i)), i == 1);
	}
}

static void
test_ids_owner_selector(void **state)
{
	struct td_owner		 who[] = { td_owner_manual(),
				    td_owner_strat(td_strat_at(0)),
				    td_owner_strat(td_strat_at(1)) };
	struct td_owner_sel	 any = td_owner_any();

	(void)state;
	for (size_t k = 0; k < sizeof who / sizeof who[0]; k++) {
		struct td_owner_sel	 only = td_owner_only(who[k]);

		assert_true(td_owner_sel_has(any, who[k]));
		for (size_t j = 0; j < sizeof who / sizeof who[0]; j++)
			assert_int_equal(td_owner_sel_has(only, who[j]),
			    j == k);
	}
}

/* The numbers the journal has always written: -1 the trader, else i. */
static void
test_ids_owner_codes(void **state)
{
	(void)state;
	assert_int_equal(td_owner_code(td_owner_manual()), -1);
	assert_int_equal(td_owner_code(td_owner_strat(td_strat_at(0))), 0);
	assert_int_equal(td_owner_code(td_owner_strat(td_strat_at(7))), 7);
	assert_true(td_owner_is_manual(td_owner_from_code(-1)));
	assert_true(td_owner_is_manual(td_owner_from_code(-2)));
	assert_true(td_owner_is(td_owner_from_code(0), td_strat_at(0)));
	assert_true(td_owner_is(td_owner_from_code(7), td_strat_at(7)));
	for (int c = -1; c < 20; c++)
		assert_int_equal(td_owner_code(td_owner_from_code(c)), c);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_ids_zeroed_owner_is_the_trader),
		cmocka_unit_test(test_ids_owner_kinds),
		cmocka_unit_test(test_ids_inst_and_strat),
		cmocka_unit_test(test_ids_inst_selector),
		cmocka_unit_test(test_ids_owner_selector),
		cmocka_unit_test(test_ids_owner_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
