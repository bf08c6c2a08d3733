/*
 * test-strat-plugin.c -- loading plug-in strategies (strat-plugin.h) into
 * a registry: a good one found by its name and usable, each kind of bad
 * one refused with a message naming its file and nothing added, the
 * object closed with the registry.
 *
 * The plug-ins are built by make check from tests/unit/plugin.c, one per
 * kind, in $TD_TEST_PLUGINS (tests/unit of the build tree by default).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "errmsg.h"
#include "strat-plugin.h"
#include "strat-registry.h"

#include "fixture.h"

struct fx {
	struct strat_registry	*reg;
	int			 builtins;
	char			 dir[512];
	char			 path[640];
	char			 scratch[64];	/* a directory of the test's */
	struct errmsg		 err;
};

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	const char	*dir = getenv("TD_TEST_PLUGINS");

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "%s", dir != NULL ? dir :
	    "tests/unit");
	snprintf(fx->scratch, sizeof fx->scratch, "/tmp/td-plugin.XXXXXX");
	assert_non_null(mkdtemp(fx->scratch));
	assert_non_null(fx->reg = strat_registry_create(&fx->err));
	fx->builtins = strat_registry_count(fx->reg);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	char		 cmd[128];

	strat_registry_free(fx->reg);
	snprintf(cmd, sizeof cmd, "rm -rf %s", fx->scratch);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* The test plug-in of that kind. */
static const char *
plugin(struct fx *fx, const char *kind)
{
	snprintf(fx->path, sizeof fx->path, "%s/plugin-%s.so", fx->dir, kind);
	return fx->path;
}

/* Loading path is refused with a message starting with it and holding
 * what; the registry is as it was. */
static void
refused(struct fx *fx, const char *path, const char *what)
{
	fx->err.msg[0] = '\0';
	assert_null(strat_plugin_load(fx->reg, path, &fx->err));
	if (strncmp(fx->err.msg, path, strlen(path)) != 0 ||
	    strstr(fx->err.msg, what) == NULL)
		fail_msg("loading %s: '%s', expected '%s'", path, fx->err.msg,
		    what);
	assert_int_equal(strat_registry_count(fx->reg), fx->builtins);
}

/* An engine running one instance of type "echo" with every = every. */
static struct engine *
echo_engine(struct fx *fx, int64_t every)
{
	struct engine_config	 cfg;

	fixture_config(&cfg);
	cfg.nstrat = 1;
	strcpy(cfg.strat[0].name, "e");
	strcpy(cfg.strat[0].type, "echo");
	strcpy(cfg.strat[0].symbol, "ES");
	cfg.strat[0].enabled = true;
	for (int i = 0; i < 3; i++)
		cfg.strat[0].params[i] = strat_registry_find(fx->reg,
		    "echo")->params[i].def;
	cfg.strat[0].params[0] = every;
	return fixture_engine_reg(&cfg, NULL, NULL, fx->reg, &fx->err);
}

static void
test_strat_plugin_good(void **state)
{
	struct fx			*fx = *state;
	const struct strategy_ops	*ops;
	struct engine			*e;

	ops = strat_plugin_load(fx->reg, plugin(fx, "good"), &fx->err);
	if (ops == NULL)
		fail_msg("%s", fx->err.msg);
	assert_string_equal(ops->name, "echo");
	assert_int_equal(strat_registry_count(fx->reg), fx->builtins + 1);
	assert_ptr_equal(strat_registry_find(fx->reg, "echo"), ops);
	/* An engine runs it, and its calls reach the program's API. */
	if ((e = echo_engine(fx, 5)) == NULL)
		fail_msg("%s", fx->err.msg);
	assert_ptr_equal(engine_strategy_ops(e, td_strat_at(0)), ops);
	engine_free(e);
	assert_null(echo_engine(fx, 42));
	assert_non_null(strstr(fx->err.msg, "every = 42 is refused on "
	    "purpose"));
	/* The same file again: nothing more. */
	assert_ptr_equal(strat_plugin_load(fx->reg, plugin(fx, "good"),
	    &fx->err), ops);
	assert_int_equal(strat_registry_count(fx->reg), fx->builtins + 1);
	/* The built-ins still come first. */
	assert_string_equal(strat_registry_at(fx->reg, 0)->name,
	    strat_registry_at(strat_registry_builtin(), 0)->name);
}

/* The object stays open while the registry lives, and no longer. */
static void
test_strat_plugin_closed_with_registry(void **state)
{
	struct fx	*fx = *state;
	void		*h;

	assert_non_null(strat_plugin_load(fx->reg, plugin(fx, "good"),
	    &fx->err));
	assert_non_null(h = dlopen(fx->path, RTLD_NOW | RTLD_NOLOAD));
	dlclose(h);
	strat_registry_free(fx->reg);
	fx->reg = NULL;
	assert_null(dlopen(fx->path, RTLD_NOW | RTLD_NOLOAD));
}

/* Two registries load one file side by side; each holds its own. */
static void
test_strat_plugin_two_registries(void **state)
{
	struct fx		*fx = *state;
	struct strat_registry	*other;

	assert_non_null(other = strat_registry_create(&fx->err));
	assert_non_null(strat_plugin_load(fx->reg, plugin(fx, "good"),
	    &fx->err));
	assert_non_null(strat_plugin_load(other, fx->path, &fx->err));
	strat_registry_free(other);
	assert_non_null(strat_registry_find(fx->reg, "echo"));
	assert_non_null(strat_registry_find(fx->reg, "echo")->create);
}

static void
test_strat_plugin_wrong_abi(void **state)
{
	struct fx	*fx = *state;
	char		 want[96];

	snprintf(want, sizeof want, "built for strategy ABI %d, this "
	    "tickdesk has ABI %d", TD_STRATEGY_ABI + 1, TD_STRATEGY_ABI);
	refused(fx, plugin(fx, "abi"), want);
	assert_null(strat_registry_find(fx->reg, "echo"));
}

static void
test_strat_plugin_no_symbol(void **state)
{
	struct fx	*fx = *state;

	refused(fx, plugin(fx, "nosym"), "no symbol tickdesk_strategy");
}

static void
test_strat_plugin_missing_file(void **state)
{
	struct fx	*fx = *state;
	char		 path[128];

	snprintf(path, sizeof path, "%s/none.so", fx->scratch);
	refused(fx, path, ": no such file");
	/* A bare name is a file here, never one found on a library path. */
	refused(fx, "libc.so.6", ": no such file");
	refused(fx, fx->scratch, ": not a regular file");
	assert_null(strat_plugin_load(fx->reg, "", &fx->err));
	assert_string_equal(fx->err.msg, "no plug-in file given");
}

static void
test_strat_plugin_not_shared_object(void **state)
{
	struct fx	*fx = *state;
	char		 path[128];
	FILE		*f;

	snprintf(path, sizeof path, "%s/text.so", fx->scratch);
	assert_non_null(f = fopen(path, "w"));
	fputs("not an object\n", f);
	fclose(f);
	refused(fx, path, ": not a shared object that loads: ");
}

/* A plug-in given without a directory is the file in the working one. */
static void
test_strat_plugin_relative(void **state)
{
	struct fx	*fx = *state;
	char		 cwd[512];

	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(fx->dir), 0);
	if (strat_plugin_load(fx->reg, "plugin-good.so", &fx->err) == NULL)
		fail_msg("%s", fx->err.msg);
	assert_int_equal(chdir(cwd), 0);
}

static void
test_strat_plugin_bad_tables(void **state)
{
	struct fx	*fx = *state;

	refused(fx, plugin(fx, "nocb"), "strategy echo has no create or "
	    "destroy");
	refused(fx, plugin(fx, "params"), "parameter 'every': default 0 is "
	    "out of its range 1..100");
	refused(fx, plugin(fx, "builtin"), "strategy orb: a built-in "
	    "strategy has that name");
}

/* Two files whose strategies have one name: the second is refused. */
static void
test_strat_plugin_name_taken(void **state)
{
	struct fx	*fx = *state;
	char		 copy[128], cmd[1024];

	snprintf(copy, sizeof copy, "%s/copy.so", fx->scratch);
	snprintf(cmd, sizeof cmd, "cp %s %s", plugin(fx, "good"), copy);
	assert_int_equal(system(cmd), 0);
	assert_non_null(strat_plugin_load(fx->reg, fx->path, &fx->err));
	fx->builtins++;
	refused(fx, copy, "strategy echo: another plug-in has that name");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_strat_plugin_good,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strat_plugin_closed_with_registry, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strat_plugin_two_registries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strat_plugin_wrong_abi,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strat_plugin_no_symbol,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strat_plugin_missing_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_strat_plugin_not_shared_object, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strat_plugin_relative,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strat_plugin_bad_tables,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_strat_plugin_name_taken,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
