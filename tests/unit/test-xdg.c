/*
 * test-xdg.c -- the user's directories (core/xdg.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "xdg.h"

/* An absolute variable wins; each directory reads its own. */
static void
test_xdg_variable(void **state)
{
	char	 buf[128];

	(void)state;
	setenv("HOME", "/home/t", 1);
	setenv("XDG_CONFIG_HOME", "/c", 1);
	setenv("XDG_DATA_HOME", "/d", 1);
	setenv("XDG_STATE_HOME", "/s", 1);
	assert_int_equal(xdg_path(XDG_CONFIG, "tickdesk/tickdesk.cfg", buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "/c/tickdesk/tickdesk.cfg");
	assert_int_equal(xdg_path(XDG_DATA, "tickdesk/journal.db", buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "/d/tickdesk/journal.db");
	assert_int_equal(xdg_path(XDG_STATE, "tickdesk/history", buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "/s/tickdesk/history");
}

/* Unset or relative (ignored, as the spec says): the place under $HOME. */
static void
test_xdg_home(void **state)
{
	char	 buf[128];

	(void)state;
	setenv("HOME", "/home/t", 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_DATA_HOME", "rel", 1);
	setenv("XDG_STATE_HOME", "", 1);
	assert_int_equal(xdg_path(XDG_CONFIG, "a", buf, sizeof buf), 0);
	assert_string_equal(buf, "/home/t/.config/a");
	assert_int_equal(xdg_path(XDG_DATA, "a", buf, sizeof buf), 0);
	assert_string_equal(buf, "/home/t/.local/share/a");
	assert_int_equal(xdg_path(XDG_STATE, "a", buf, sizeof buf), 0);
	assert_string_equal(buf, "/home/t/.local/state/a");
}

/* No absolute variable and no absolute $HOME, or no room: -1. */
static void
test_xdg_refusals(void **state)
{
	char	 buf[16];

	(void)state;
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	assert_int_equal(xdg_path(XDG_DATA, "a", buf, sizeof buf), -1);
	setenv("HOME", "relative", 1);
	assert_int_equal(xdg_path(XDG_DATA, "a", buf, sizeof buf), -1);
	setenv("HOME", "/home/t", 1);
	assert_int_equal(xdg_path(XDG_DATA, "tickdesk/journal.db", buf,
	    sizeof buf), -1);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_xdg_variable),
		cmocka_unit_test(test_xdg_home),
		cmocka_unit_test(test_xdg_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
