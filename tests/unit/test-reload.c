/*
 * test-reload.c -- the `reload` command through desk_exec on a real
 * engine built from a configuration file: a file with problems is refused
 * whole, tighter limits apply and looser ones are left, strategy
 * parameters change only while the strategy is disabled, settings that
 * cannot change live are named and left, an environment file is read
 * again too, the log level goes to the runner, and a hook gets its group.
 *
 * Each test writes its files to a fresh directory under $TMPDIR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"
#include "reload.h"
#include "runner.h"
#include "settings.h"
#include "strategy.h"

/* One instrument, two strategies (orb enabled, beat disabled). */
#define BASE								\
	"trading = { instruments = ( { symbol = \"ES\"; tick_size = 0.25; "\
	"point_value = 50; session = \"cme\"; } ); sessions = ( { name = "\
	"\"cme\"; } ); };\n"						\
	"strategies = ( { name = \"orb\"; type = \"orb\"; symbol = \"ES\"; "\
	"},\n"								\
	"{ name = \"beat\"; type = \"minimal\"; symbol = \"ES\"; "	\
	"enabled = false; } );\n"

struct fx {
	char			 dir[256];
	char			 path[512];	/* the base file */
	char			 env[512];	/* its environment "x" */
	struct settings		 st;
	char			 errors[8192];
	struct engine		*e;
	struct desk		*d;
	struct reload		*r;
	struct runner		*runner;	/* owns e when set */
	struct runner_reply	 rep;
};

static void
write_text(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* The base file: BASE and more. */
static void
base(struct fx *fx, const char *more)
{
	char	 text[8192];

	snprintf(text, sizeof text, "%s%s", BASE, more);
	write_text(fx->path, text);
}

/* Load the files and build the engine, desk and reloader. */
static void
start(struct fx *fx, const char *env)
{
	struct errmsg		 err;
	struct engine_deps	 deps = { .venue = NULL };

	if (settings_load_env(fx->path, env, &fx->st, fx->errors,
	    sizeof fx->errors) == -1)
		fail_msg("%s", fx->errors);
	assert_non_null(deps.venue = settings_venue(&fx->st, &err));
	assert_non_null(fx->e = engine_create(&fx->st.engine, &deps, &err));
	assert_non_null(fx->d = desk_create("tester", SNAP_PAPER, &err));
	assert_non_null(fx->r = reload_create(fx->path, env, &fx->st, &err));
	desk_set_reload(fx->d, reload_exec, fx->r);
}

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	const char	*tmp = getenv("TMPDIR");
	char		 dir[300];

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/test-reload.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof fx->path, "%s/tickdesk.cfg", fx->dir);
	snprintf(dir, sizeof dir, "%s/env", fx->dir);
	if (mkdir(dir, 0700) == -1)
		return -1;
	snprintf(fx->env, sizeof fx->env, "%s/x.cfg", dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	char		 cmd[300];

	if (fx->runner != NULL)
		runner_free(fx->runner);	/* and the engine */
	else
		engine_free(fx->e);
	reload_free(fx->r);
	desk_free(fx->d);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static const char *
run(struct fx *fx, const char *line)
{
	memset(&fx->rep, 0, sizeof fx->rep);
	desk_exec(fx->d, fx->runner, fx->e, line, &fx->rep);
	return fx->rep.text;
}

/* The line must succeed and its reply hold every one of the texts. */
static void
ok(struct fx *fx, const char *line, ...)
{
	const char	*want;
	va_list		 ap;

	run(fx, line);
	if (fx->rep.status != 0)
		fail_msg("'%s': status %d: %s", line, fx->rep.status,
		    fx->rep.text);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (strstr(fx->rep.text, want) == NULL)
			fail_msg("'%s': '%s' lacks '%s'", line, fx->rep.text,
			    want);
	}
	va_end(ap);
}

static int64_t
param(struct fx *fx, const char *strat, const char *name)
{
	const struct strategy_cfg	*sc;

	struct td_strat			 s;

	assert_int_equal(engine_strategy_find(fx->e, strat, &s), 0);
	sc = engine_strategy_cfg(fx->e, s);
	return sc->params[strat_param_index(engine_strategy_ops(fx->e, s),
	    name)];
}

/* The same files again: nothing to do. */
static void
test_reload_no_change(void **state)
{
	struct fx	*fx = *state;
	char		 want[600];

	base(fx, "risk = { daily_loss = 1000; max_contracts = 4; };\n");
	start(fx, NULL);
	ok(fx, "reload", "reload: no change", NULL);
	snprintf(want, sizeof want, "reload: %s\nreload: no change",
	    fx->path);
	assert_string_equal(fx->rep.text, want);
}

/* Tighter limits apply at once; looser ones are named and left. */
static void
test_reload_risk(void **state)
{
	struct fx		*fx = *state;
	const struct risk_cfg	*rc;

	base(fx, "risk = { daily_loss = 1000; max_contracts = 4; "
	    "throttle_seconds = 60; };\n");
	start(fx, NULL);
	rc = engine_risk_cfg(fx->e);
	base(fx, "risk = { daily_loss = 800; max_contracts = 6; "
	    "throttle_seconds = 120; stale_feed_seconds = 0; "
	    "trailing_loss = 300; };\n");
	ok(fx, "reload",
	    "risk.daily_loss: 800.00 (was 1,000.00)",
	    "risk.trailing_loss: 300.00 (was off)",
	    "risk.max_contracts: 6 would loosen the limit in effect (4): left "
	    "alone (risk set max_contracts 6 does it by hand)",
	    "risk.throttle_seconds: 120 s (was 60 s)",
	    "risk.stale_feed_seconds: off would loosen the limit in effect "
	    "(30 s): left alone",
	    "reload: 3 applied, 2 left alone", NULL);
	assert_int_equal(rc->daily_loss, 80000);
	assert_int_equal(rc->trailing_loss, 30000);
	assert_int_equal(rc->max_contracts, 4);
	assert_int_equal(rc->throttle_window, 120 * TD_NS_PER_SEC);
	assert_int_equal(rc->stale_after, 30 * TD_NS_PER_SEC);

	/* What is in effect counts, a trader's own change too. */
	ok(fx, "risk set daily_loss 500", "daily_loss", NULL);
	ok(fx, "reload", "risk.daily_loss: 800.00 would loosen the limit in "
	    "effect (500.00): left alone", "reload: 0 applied, 3 left alone",
	    NULL);
	assert_int_equal(rc->daily_loss, 50000);
	/* The same file once the limit in effect is back: no change. */
	base(fx, "risk = { daily_loss = 500; max_contracts = 4; "
	    "throttle_seconds = 120; trailing_loss = 300; };\n");
	ok(fx, "reload", "reload: no change", NULL);
}

/* A file with problems: refused whole, each problem listed. */
static void
test_reload_refuses_bad_file(void **state)
{
	struct fx	*fx = *state;
	char		 want[2048];

	base(fx, "risk = { daily_loss = 1000; };\n");
	start(fx, NULL);
	base(fx, "risk = { daily_loss = 500; max_positions = 100001; };\n"
	    "logging = { level = \"loud\"; colour = 1; };\n");
	run(fx, "reload");
	assert_int_equal(fx->rep.status, 1);
	snprintf(want, sizeof want,
	    "reload: refused, nothing applied: 3 problems in the "
	    "configuration\n"
	    "%s:4: risk.max_positions: must be <= 100000\n"
	    "%s:5: logging.level: unknown value 'loud' (one of "
	    "debug|info|warning|error|critical)\n"
	    "%s:5: logging.colour: unknown key", fx->path, fx->path, fx->path);
	assert_string_equal(fx->rep.text, want);
	/* The tighter daily loss in the same file is not applied. */
	assert_int_equal(engine_risk_cfg(fx->e)->daily_loss, 100000);

	/* Fixed, it applies. */
	base(fx, "risk = { daily_loss = 500; };\n");
	ok(fx, "reload", "risk.daily_loss: 500.00 (was 1,000.00)", NULL);
	assert_int_equal(engine_risk_cfg(fx->e)->daily_loss, 50000);
	/* A file that is gone: refused too. */
	assert_int_equal(remove(fx->path), 0);
	run(fx, "reload");
	assert_int_equal(fx->rep.status, 1);
	assert_non_null(strstr(fx->rep.text, "No such file or directory"));
}

/* Parameters change only while the strategy is disabled. */
static void
test_reload_strategy_params(void **state)
{
	struct fx	*fx = *state;
	const char	*strats =
	    "strategies = ( { name = \"orb\"; type = \"orb\"; symbol = \"ES\"; "
	    "params = { stop_ticks = 12; }; },\n"
	    "{ name = \"beat\"; type = \"minimal\"; symbol = \"ES\"; "
	    "enabled = false; params = { every = 7; }; } );\n";
	char		 text[2048];

	base(fx, "");
	start(fx, NULL);
	snprintf(text, sizeof text, "%s%s",
	    "trading = { instruments = ( { symbol = \"ES\"; tick_size = 0.25; "
	    "point_value = 50; session = \"cme\"; } ); sessions = ( { name = "
	    "\"cme\"; } ); };\n", strats);
	write_text(fx->path, text);
	ok(fx, "reload",
	    "strategies[0].params.stop_ticks: strategy orb is enabled "
	    "(disable it, then reload): left alone",
	    "strategies[1].params.every: 7 (was 60)",
	    "reload: 1 applied, 1 left alone", NULL);
	assert_int_equal(param(fx, "orb", "stop_ticks"), 8);
	assert_int_equal(param(fx, "beat", "every"), 7);

	ok(fx, "strategy disable orb", "disabled", NULL);
	ok(fx, "reload", "strategies[0].params.stop_ticks: 12 (was 8)",
	    "strategies[0].enabled: cannot change while the session runs "
	    "(strategy enable|disable does it by hand): left alone",
	    "reload: 1 applied, 1 left alone", NULL);
	assert_int_equal(param(fx, "orb", "stop_ticks"), 12);
}

/* What cannot change live is named, left, and the rest still applies. */
static void
test_reload_cannot_change_live(void **state)
{
	struct fx	*fx = *state;

	base(fx, "");
	start(fx, NULL);
	write_text(fx->path,
	    "trading = { instruments = ( { symbol = \"ES\"; tick_size = 0.25; "
	    "point_value = 50; commission = 1.50; session = \"cme\"; } ); "
	    "sessions = ( { name = \"cme\"; rth = \"09:30-16:15\"; } ); };\n"
	    "strategies = ( { name = \"orb\"; type = \"orb\"; symbol = \"ES\"; "
	    "} );\n"
	    "venue = { slippage_ticks = 2; };\n"
	    "journal = { path = \"/tmp/other.db\"; };\n"
	    "logging = { file = \"/tmp/td-logs/\"; };\n"
	    "risk = { trading_hours = \"10:00-15:00\"; daily_loss = 900; };\n");
	ok(fx, "reload",
	    "trading.instruments[0].commission: cannot change while the "
	    "session runs (restart to apply): left alone",
	    "trading.sessions[0].rth: cannot change while the session runs",
	    "risk.trading_hours: cannot change while the session runs",
	    "risk.daily_loss: 900.00 (was 1,000.00)",
	    "venue.slippage_ticks: cannot change",
	    "strategies: cannot change",
	    "logging.file: cannot change",
	    "journal.path: cannot change",
	    "reload: 1 applied, 7 left alone", NULL);
	assert_int_equal(engine_instrument(fx->e, td_inst_at(0))->commission,
	    0);
	assert_int_equal(engine_nstrat(fx->e), 2);
}

/* The environment file is read again too, and a hook gets its group. */
struct hooked {
	int		 calls;
	int64_t		 was, now;
};

static void
hook(void *arg, const struct settings *was, const struct settings *now,
    struct desk_cmd *c, int *applied, int *left)
{
	struct hooked	*h = arg;

	h->calls++;
	h->was = was->venue.slippage_ticks;
	h->now = now->venue.slippage_ticks;
	desk_print(c, "venue: taken by the hook");
	(*applied)++;
	(void)left;
}

static void
test_reload_env_and_hook(void **state)
{
	struct fx	*fx = *state;
	struct hooked	 h = { 0 };

	base(fx, "risk = { daily_loss = 1000; };\n");
	write_text(fx->env, "risk = { daily_loss = 700; };\n");
	start(fx, "x");
	assert_int_equal(engine_risk_cfg(fx->e)->daily_loss, 70000);
	assert_int_equal(reload_hook(fx->r, "venue", hook, &h, NULL), 0);

	write_text(fx->env, "risk = { daily_loss = 600; };\n"
	    "venue = { slippage_ticks = 3; };\n");
	ok(fx, "reload", "env/x.cfg", "risk.daily_loss: 600.00 (was 700.00)",
	    "venue: taken by the hook", "reload: 2 applied, 0 left alone",
	    NULL);
	assert_null(strstr(fx->rep.text, "venue.slippage_ticks"));
	assert_int_equal(engine_risk_cfg(fx->e)->daily_loss, 60000);
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.was, 0);
	assert_int_equal(h.now, 3);
	/* The hook's group unchanged since the last read: not called. */
	ok(fx, "reload", "reload: no change", NULL);
	assert_int_equal(h.calls, 1);
	/* A bad environment file is refused like a bad base file. */
	write_text(fx->env, "risk = { daily_loss = -1; };\n");
	run(fx, "reload");
	assert_int_equal(fx->rep.status, 1);
	assert_non_null(strstr(fx->rep.text, "env/x.cfg:1: risk.daily_loss: "
	    "must be >= 0"));
}

/* The log level goes to the runner's stream. */
static void
test_reload_log_level(void **state)
{
	struct fx		*fx = *state;
	struct runner_cfg	 rc = { .speed = 0, .log_level = LOG_INFO };
	struct demo_cfg		 dc = { .seed = 1, .days = 1 };
	struct errmsg		 err;
	struct feed		*feed;

	base(fx, "logging = { level = \"info\"; };\n");
	start(fx, NULL);
	ok(fx, "reload", "reload: no change", NULL);
	base(fx, "logging = { level = \"debug\"; };\n");
	/* Without a runner there is no stream to change. */
	ok(fx, "reload", "logging.level: no log stream in this session: left "
	    "alone", NULL);

	dc.instrument = engine_instrument(fx->e, td_inst_at(0));
	assert_non_null(feed = feed_demo_create(&dc, &err));
	rc.exec = desk_exec;
	rc.exec_arg = fx->d;
	assert_non_null(fx->runner = runner_create(&rc, fx->e, feed, &err));
	ok(fx, "reload", "logging.level: debug (was info)",
	    "reload: 1 applied, 0 left alone", NULL);
	assert_int_equal(runner_log_level(fx->runner), LOG_DEBUG);
	ok(fx, "log level warning", "log level warning", NULL);
	ok(fx, "reload", "logging.level: debug (was warning)", NULL);
	assert_int_equal(runner_log_level(fx->runner), LOG_DEBUG);
}

static void
test_reload_command(void **state)
{
	struct fx		*fx = *state;
	const struct desk_entry	*d = desk_find("reload", NULL, 0);

	base(fx, "");
	start(fx, NULL);
	assert_non_null(d);
	assert_true(d->flags & DESK_WHILE_HALTED);
	assert_true(d->flags & DESK_AUDIT);
	assert_true(d->flags & DESK_EXACT);
	run(fx, "reload now");
	assert_int_equal(fx->rep.status, 2);
	assert_string_equal(fx->rep.text, "reload: unexpected word 'now'");
	/* Works while halted. */
	ok(fx, "halt", "HALTED", NULL);
	ok(fx, "reload", "reload: no change", NULL);
	/* A desk without a configuration. */
	desk_set_reload(fx->d, NULL, NULL);
	run(fx, "reload");
	assert_int_equal(fx->rep.status, 1);
	assert_string_equal(fx->rep.text, "reload: no configuration file in "
	    "this session");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reload_no_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_risk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_refuses_bad_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_strategy_params,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reload_cannot_change_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_env_and_hook,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_log_level, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_command, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
