/*
 * test-strat-plugin.c -- loading plug-in strategies (strat-plugin.h) into
 * a registry: a good one found by its name and usable, each kind of bad
 * one refused with a message naming its file and nothing added, the
 * object closed with the registry; and a plug-in that breaks its
 * contract at run time disabled alone, its position still protected.
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
#include "order-mgr.h"
#include "portfolio.h"
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

/* ---------------------------------------------------------------- contract */

/* The engine's log lines, "component: message" each. */
struct logs {
	char	 text[16384];
};

static void
logs_fn(void *arg, const struct log_line *l)
{
	struct logs	*g = arg;
	size_t		 n = strlen(g->text);

	snprintf(g->text + n, sizeof g->text - n, "%s: %s\n", l->component,
	    l->msg);
}

/* How a rogue breaks its contract, and what the engine and it say. */
struct breach {
	const char	*breach;
	int64_t		 stop;		/* its entry's stop, 0: none */
	const char	*why;		/* engine_strategy_why */
	const char	*told;		/* a line it logged, or NULL */
};

static const struct breach breaches[] = {
	{ "thread", 8, "broke its contract: strat_submit called outside its "
	  "callbacks (another thread, or a context kept for later)",
	  "strategy:bad: from its thread: -1, strat_submit called outside "
	  "the strategy's callbacks: refused, strategy disabled" },
	{ "invalid", 8, "3 invalid requests today: price must be positive",
	  "strategy:bad: refused: price must be positive\n" },
	{ "instrument", 8, "broke its contract: strategy bad: instrument 1 is "
	  "not one of its instruments", "strategy:bad: refused: strategy bad: "
	  "instrument 1 is not one of its instruments: strategy disabled" },
	{ "subscribe", 8, "3 invalid requests today: strategy bad: "
	  "subscriptions are made in start", "strategy:bad: refused: "
	  "strategy bad: subscriptions are made in start" },
	{ "error", 8, "on_bar failed: bar 5: failing on purpose", NULL },
	{ "answer", 8, "on_bar failed: it returned 2: a callback returns 0, "
	  "or -1 with a message", NULL },
	{ "error", 0, "on_bar failed: bar 5: failing on purpose", NULL },
};

/* Instance i of the rogue plug-in: at, breach (by name) and stop. */
static void
rogue_cfg(struct fx *fx, struct strategy_cfg *sc, const char *name,
    int64_t at, const char *breach, int64_t stop)
{
	const struct strategy_ops	*ops;
	int				 k;

	assert_non_null(ops = strat_registry_find(fx->reg, "rogue"));
	memset(sc, 0, sizeof *sc);
	strcpy(sc->name, name);
	strcpy(sc->type, "rogue");
	strcpy(sc->symbol, "ES");
	sc->enabled = true;
	sc->params[0] = at;
	for (k = 0; ops->params[1].names[k] != NULL; k++) {
		if (strcmp(ops->params[1].names[k], breach) == 0)
			break;
	}
	assert_non_null(ops->params[1].names[k]);
	sc->params[1] = k;
	sc->params[2] = stop;
}

/* Strategy owner's working stops on ES: their quantity. */
static int64_t
stops(struct engine *e, int owner)
{
	const struct order_mgr	*om = engine_orders(e);
	int64_t			 qty = 0;

	for (int i = 0; i < order_mgr_live_count(om); i++) {
		const struct order	*o = order_mgr_live_at(om, i);

		if (td_owner_is(o->owner, td_strat_at(owner)) &&
		    o->role == ROLE_STOP)
			qty += o->qty - o->filled;
	}
	return qty;
}

/*
 * One rogue "bad" breaks its contract from its fifth bar, a well-behaved
 * one "good" buys again on its ninth: bad alone is disabled, with the
 * reason; its position stays with its stop, or is closed when it has
 * none; good trades on.
 */
static void
rogue_run(struct fx *fx, const struct breach *b)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct logs		 g = { "" };
	const struct order_mgr	*om;

	fixture_config(&cfg);
	cfg.nstrat = 2;
	rogue_cfg(fx, &cfg.strat[0], "bad", 5, b->breach, b->stop);
	rogue_cfg(fx, &cfg.strat[1], "good", 9, "none", 8);
	if ((e = fixture_engine_reg(&cfg, NULL, NULL, fx->reg,
	    &fx->err)) == NULL)
		fail_msg("%s", fx->err.msg);
	engine_set_log(e, logs_fn, &g, LOG_INFO);
	for (int m = 0; m < 12; m++) {
		struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14, 10,
				    m), P(5000), P(5000), P(5000), P(5000));

		assert_int_equal(engine_on_market(e, &md, &fx->err), 0);
	}
	if (strcmp(engine_strategy_why(e, td_strat_at(0)), b->why) != 0)
		fail_msg("%s: '%s', expected '%s'\n%s", b->breach,
		    engine_strategy_why(e, td_strat_at(0)), b->why, g.text);
	if (b->told != NULL && strstr(g.text, b->told) == NULL)
		fail_msg("%s: it was not told '%s'\n%s", b->breach, b->told,
		    g.text);
	assert_string_equal(engine_strategy_why(e, td_strat_at(1)), "");
	om = engine_orders(e);
	/* good: two bought, each with its stop; bad: its one, or none. */
	assert_int_equal(engine_strat_position(e, ES), b->stop > 0 ? 3 : 2);
	assert_int_equal(stops(e, 1), 2);
	assert_int_equal(stops(e, 0), b->stop > 0 ? 1 : 0);
	assert_true(order_mgr_protected(om, ES, order_mgr_position(om, ES)));
	assert_int_equal(portfolio_position(engine_portfolio(e), ES),
	    b->stop > 0 ? 3 : 2);
	engine_free(e);
}

static void
test_strat_plugin_contract(void **state)
{
	struct fx	*fx = *state;

	if (strat_plugin_load(fx->reg, plugin(fx, "rogue"), &fx->err) == NULL)
		fail_msg("%s", fx->err.msg);
	for (size_t i = 0; i < sizeof breaches / sizeof breaches[0]; i++)
		rogue_run(fx, &breaches[i]);
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
		cmocka_unit_test_setup_teardown(test_strat_plugin_contract,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
