/*
 * test-settings.c -- the configuration loader: the shipped file, every
 * kind of problem with its exact "FILE:LINE: KEY: problem" line, exact
 * money and price conversion, strategy parameters, and print/read back.
 *
 * Test files are written to a fresh directory under $TMPDIR by the setup;
 * the shipped configuration is read from $srcdir/conf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "risk.h"
#include "settings.h"
#include "strat-registry.h"
#include "strategy.h"

/* The smallest valid configuration: one line, so snippets start at 2. */
#define MINIMAL								\
	"trading = { instruments = ( { symbol = \"ES\"; tick_size = 0.25; "\
	"point_value = 50; session = \"cme\"; } ); sessions = ( { name = "\
	"\"cme\"; } ); };\n"

#define ERRORS_MAX	16384

struct fixture {
	char		 dir[256];
	char		 path[512];	/* the last file written */
	char		 errors[ERRORS_MAX];
	char		 expect[ERRORS_MAX];
	struct settings	 s;
	struct settings	 t;
};

static int
setup(void **state)
{
	struct fixture	*fx;
	const char	*tmp = getenv("TMPDIR");

	if ((fx = calloc(1, sizeof *fx)) == NULL)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/test-settings.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* Write text to dir/name; the path is kept in fx->path. */
static const char *
write_file(struct fixture *fx, const char *name, const char *text)
{
	FILE	*f;

	snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
	f = fopen(fx->path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return fx->path;
}

/* Load text as a file; the return of settings_load. */
static int
load_text(struct fixture *fx, const char *text)
{
	write_file(fx, "test.cfg", text);
	return settings_load(fx->path, &fx->s, fx->errors, sizeof fx->errors);
}

/* Build the expected report: each %s in fmt is the test file's path. */
static const char *
expect(struct fixture *fx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(fx->expect, sizeof fx->expect, fmt, ap);
	va_end(ap);
	return fx->expect;
}

static const char *
shipped_path(char *buf, size_t len)
{
	const char	*srcdir = getenv("srcdir");

	snprintf(buf, len, "%s/conf/tickdesk.cfg",
	    srcdir != NULL ? srcdir : ".");
	return buf;
}

/* The configuration that ships loads and says what it should. */
static void
test_settings_shipped(void **state)
{
	struct fixture			*fx = *state;
	const struct engine_config	*ec = &fx->s.engine;
	const struct calendar_cfg	*cal;
	const struct strategy_ops	*orb =
	    strat_registry_find(strat_registry_builtin(), "orb");
	char				 path[512];
	bool				 xmas = false, thanks = false;

	assert_int_equal(settings_load(shipped_path(path, sizeof path),
	    &fx->s, fx->errors, sizeof fx->errors), 0);
	assert_string_equal(fx->errors, "");
	assert_string_equal(fx->s.source, path);

	assert_int_equal(ec->ninst, 2);
	assert_string_equal(ec->inst[0].symbol, "ES");
	assert_int_equal(ec->inst[0].tick_size, 250000000);
	assert_int_equal(ec->inst[0].point_value, 5000);
	assert_int_equal(ec->inst[0].tick_value, 1250);
	assert_int_equal(ec->inst[0].commission, 62);
	assert_int_equal(ec->inst[0].calendar, 0);
	assert_string_equal(ec->inst[1].symbol, "MES");
	assert_int_equal(ec->inst[1].tick_value, 125);
	assert_int_equal(ec->inst[1].commission, 35);

	assert_int_equal(ec->ncal, 1);
	cal = &ec->cal[0];
	assert_string_equal(cal->name, "cme-equity");
	assert_string_equal(cal->tz, "America/New_York");
	assert_string_equal(cal->roll_tz, "America/Chicago");
	assert_int_equal(cal->rth_open, 570);
	assert_int_equal(cal->rth_close, 960);
	assert_int_equal(cal->eth_open, 1080);
	assert_int_equal(cal->eth_close, 1020);
	assert_int_equal(cal->day_roll, 1020);
	assert_true(cal->nholidays > 150);
	for (int i = 0; i < cal->nholidays; i++)
		xmas = xmas || cal->holidays[i] == 20241225;
	assert_true(xmas);
	for (int i = 0; i < cal->nearly; i++) {
		if (cal->early_date[i] == 20241129) {
			thanks = true;
			assert_int_equal(cal->early_close[i], 13 * 60 + 15);
		}
	}
	assert_true(thanks);

	assert_int_equal(ec->nstrat, 2);
	assert_string_equal(ec->strat[0].name, "orb");
	assert_string_equal(ec->strat[0].type, "orb");
	assert_string_equal(ec->strat[0].symbol, "ES");
	assert_true(ec->strat[0].enabled);
	assert_int_equal(ec->strat[0].params[strat_param_index(orb,
	    "opening_range_minutes")], 30);
	assert_int_equal(ec->strat[0].params[strat_param_index(orb,
	    "stop_ticks")], 8);
	assert_int_equal(ec->strat[0].params[strat_param_index(orb,
	    "target_ticks")], 16);
	assert_false(ec->strat[1].enabled);
	assert_string_equal(ec->strat[1].type, "minimal");

	assert_int_equal(ec->risk.daily_loss, 100000);
	assert_int_equal(ec->risk.weekly_loss, 250000);
	assert_int_equal(ec->risk.hours_start, 570);
	assert_int_equal(ec->risk.hours_end, 955);
	assert_int_equal(ec->risk.throttle_window, 60 * TD_NS_PER_SEC);
	assert_int_equal(ec->risk.stale_after, 30 * TD_NS_PER_SEC);
	assert_true(ec->risk.flatten_on_breach);
	assert_int_equal(ec->sizing.method, SIZER_FIXED);
	assert_int_equal(ec->sizing.contracts, 1);
	assert_int_equal(fx->s.venue.bar_path, SIM_STOP_FIRST);
	assert_int_equal(fx->s.venue.max_orders, 1024);
	assert_int_equal(ec->order_capacity, 1024);
	assert_int_equal(ec->log_level, LOG_INFO);
	assert_null(fx->s.data.tz);
	assert_int_equal(fx->s.data.disorder, READER_REJECT);
}

/* A file with only what is required gives the table's defaults. */
static void
test_settings_defaults(void **state)
{
	struct fixture	*fx = *state;

	settings_defaults(&fx->t);
	assert_int_equal(fx->t.engine.ninst, 0);
	assert_int_equal(fx->t.engine.risk.daily_loss, 100000);
	assert_int_equal(fx->t.engine.risk.max_trade_risk, 50000);
	assert_int_equal(fx->t.engine.risk.collar_ticks, 40);
	assert_int_equal(fx->t.engine.sizing.risk_per_trade, 25000);
	assert_int_equal(fx->t.engine.sizing.max_contracts, 4);
	assert_int_equal(fx->t.venue.latency, 0);
	assert_int_equal(fx->t.engine.order_capacity, 1024);
	assert_int_equal(fx->t.engine.log_level, LOG_INFO);
	assert_string_equal(fx->t.source, "");

	assert_int_equal(load_text(fx, MINIMAL), 0);
	assert_memory_equal(&fx->s.engine.risk, &fx->t.engine.risk,
	    sizeof fx->t.engine.risk);
	assert_memory_equal(&fx->s.engine.sizing, &fx->t.engine.sizing,
	    sizeof fx->t.engine.sizing);
	assert_memory_equal(&fx->s.venue, &fx->t.venue,
	    sizeof fx->t.venue);
	assert_memory_equal(&fx->s.data, &fx->t.data, sizeof fx->t.data);
	assert_int_equal(fx->s.engine.nstrat, 0);
	/* Element defaults: commission 0, the CME equity session. */
	assert_int_equal(fx->s.engine.inst[0].commission, 0);
	assert_false(fx->s.engine.inst[0].negative_prices);
	assert_string_equal(fx->s.engine.cal[0].tz, "America/New_York");
	assert_int_equal(fx->s.engine.cal[0].rth_open, 570);
	assert_int_equal(fx->s.engine.cal[0].nholidays, 0);
}

/* Every row is complete and every default reads back as itself. */
static void
test_settings_table(void **state)
{
	const struct settings_key	*key, *other;
	char				 range[256];

	(void)state;
	for (key = settings_table(); key->path != NULL; key++) {
		assert_non_null(key->text);
		assert_true(strlen(key->text) > 0);
		assert_string_not_equal(settings_type_name(key->type), "?");
		settings_key_range(key, range, sizeof range);
		assert_true(strlen(range) > 0);
		assert_ptr_equal(settings_key_find(key->path), key);
		if (key->type != SETTINGS_GROUP)
			assert_non_null(key->unit);
		if (key->type == SETTINGS_ENUM)
			assert_non_null(key->def);
		/* Strings fit their field with the terminating NUL. */
		if (key->type == SETTINGS_STRING ||
		    key->type == SETTINGS_ZONE ||
		    key->type == SETTINGS_STRATEGY)
			assert_true((size_t)key->max < key->size);
		/* A parent comes before its keys. */
		if (strchr(key->path, '.') != NULL) {
			char	 parent[128];

			snprintf(parent, sizeof parent, "%.*s",
			    (int)(strrchr(key->path, '.') - key->path),
			    key->path);
			other = settings_key_find(parent);
			assert_non_null(other);
			assert_true(other < key);
		}
	}
	assert_null(settings_key_find("risk.dialy_loss"));
	assert_string_equal(settings_key_range(settings_key_find(
	    "sizing.method"), range, sizeof range), "fixed|risk");
}

/*
 * The risk group's keys are the risk module's limits: one row each, in the
 * table's order, with its range, default, unit and text, stored where the
 * table says; no other key under risk.
 */
static void
test_settings_risk_from_table(void **state)
{
	struct fixture			*fx = *state;
	const struct settings_key	*group = settings_key_find("risk");
	const struct settings_key	*key;
	const struct risk_limit		*l = risk_limits();
	struct errmsg			 err = { "" };
	char				 path[64];

	assert_non_null(group);
	for (int i = 0; i < RISK_NLIMITS; i++) {
		snprintf(path, sizeof path, "risk.%s", l[i].name);
		key = settings_key_find(path);
		assert_non_null(key);
		assert_ptr_equal(key, group + 1 + i);
		assert_int_equal(key->min, l[i].min);
		assert_int_equal(key->max, l[i].max);
		assert_string_equal(key->def, l[i].def);
		assert_string_equal(key->text, l[i].text);
		assert_string_equal(key->unit, risk_unit_name(l[i].unit));
	}
	key = group + 1 + RISK_NLIMITS;
	assert_true(strncmp(key->path, "risk.", 5) != 0);

	/* What the file says lands where risk_limit_get reads it. */
	assert_int_equal(load_text(fx, MINIMAL "risk = { daily_loss = 1234.56; "
	    "max_positions = 3; trading_hours = \"08:15-16:00\"; "
	    "throttle_seconds = 90; flatten_on_breach = false; };\n"), 0);
	assert_int_equal(risk_limit_get(&l[RISK_LIM_DAILY_LOSS],
	    &fx->s.engine.risk), 123456);
	assert_int_equal(risk_limit_get(&l[RISK_LIM_MAX_POSITIONS],
	    &fx->s.engine.risk), 3);
	assert_int_equal(risk_limit_get(&l[RISK_LIM_TRADING_HOURS],
	    &fx->s.engine.risk), RISK_HOURS(495, 960));
	assert_int_equal(risk_limit_get(&l[RISK_LIM_THROTTLE_SECONDS],
	    &fx->s.engine.risk), 90);
	assert_int_equal(risk_limit_get(&l[RISK_LIM_FLATTEN_ON_BREACH],
	    &fx->s.engine.risk), 0);
	/* And the risk manager takes what the loader let through. */
	risk_free(risk_create(&fx->s.engine.risk, &err));
	assert_string_equal(err.msg, "");
}

/* Money is exact cents, prices exact td_px, whatever a double holds. */
static void
test_settings_money_exact(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx,
	    "trading = { instruments = (\n"
	    "{ symbol = \"A\"; tick_size = 0.1; point_value = 12.50; "
	    "commission = 0.29; session = \"s\"; },\n"
	    "{ symbol = \"B\"; tick_size = 0.03125; point_value = 1000; "
	    "commission = 1.1; session = \"s\"; },\n"
	    "{ symbol = \"C\"; tick_size = 0.0001; point_value = 125000; "
	    "commission = 2; session = \"s\"; },\n"
	    "{ symbol = \"D\"; tick_size = 5; point_value = 0.5; "
	    "commission = 0.01; session = \"s\"; } );\n"
	    "sessions = ( { name = \"s\"; } ); };\n"
	    "risk = { daily_loss = 9999999.99; weekly_loss = 0; "
	    "trailing_loss = 1000; max_trade_risk = 19.99; };\n"), 0);
	assert_int_equal(fx->s.engine.inst[0].tick_size, 100000000);
	assert_int_equal(fx->s.engine.inst[0].point_value, 1250);
	assert_int_equal(fx->s.engine.inst[0].commission, 29);
	assert_int_equal(fx->s.engine.inst[0].tick_value, 125);
	assert_int_equal(fx->s.engine.inst[1].tick_size, 31250000);
	assert_int_equal(fx->s.engine.inst[1].commission, 110);
	assert_int_equal(fx->s.engine.inst[1].tick_value, 3125);
	assert_int_equal(fx->s.engine.inst[2].tick_size, 100000);
	assert_int_equal(fx->s.engine.inst[2].commission, 200);
	assert_int_equal(fx->s.engine.inst[2].tick_value, 1250);
	assert_int_equal(fx->s.engine.inst[3].tick_size, 5 * TD_PX_SCALE);
	assert_int_equal(fx->s.engine.inst[3].point_value, 50);
	assert_int_equal(fx->s.engine.inst[3].commission, 1);
	assert_int_equal(fx->s.engine.risk.daily_loss, 999999999);
	assert_int_equal(fx->s.engine.risk.max_trade_risk, 1999);
	assert_int_equal(fx->s.engine.risk.trailing_loss, 100000);
}

/* A comma for a decimal point in the user's locale changes nothing. */
static void
test_settings_locale(void **state)
{
	struct fixture	*fx = *state;
	const char	*locs[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE",
			    NULL };
	int		 i;

	for (i = 0; locs[i] != NULL; i++) {
		if (setlocale(LC_NUMERIC, locs[i]) != NULL)
			break;
	}
	if (locs[i] == NULL)
		skip();
	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { daily_loss = 1234.56; };\n"), 0);
	setlocale(LC_NUMERIC, "C");
	assert_int_equal(fx->s.engine.inst[0].tick_size, 250000000);
	assert_int_equal(fx->s.engine.risk.daily_loss, 123456);
}

static void
test_settings_money_decimals(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { daily_loss = 1.005; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:2: risk.daily_loss: 1.005: at most 2 decimals\n", fx->path));
	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { daily_loss = \"100\"; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:2: risk.daily_loss: must be an amount in dollars (1000 or "
	    "1000.00)\n", fx->path));
	assert_int_equal(load_text(fx,
	    "trading = { instruments = ( { symbol = \"ES\"; tick_size = "
	    "0.0000000001; point_value = 50; session = \"cme\"; } ); "
	    "sessions = ( { name = \"cme\"; } ); };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:1: trading.instruments[0].tick_size: more than 9 decimals\n",
	    fx->path));
}

/* The kinds of problem, one file each, with the exact report. */
static void
test_settings_unknown_key(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = {\n"
	    "\tdialy_loss = 500;\n"
	    "\tmax_contract = 4;\n"
	    "\tmaximum = 1;\n"
	    "};\n"
	    "journl = { path = \"x\"; };\n"), -1);
	/* A key close to one of its group's is pointed at it. */
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: risk.dialy_loss: unknown key; did you mean "
	    "'risk.daily_loss'?\n"
	    "%s:4: risk.max_contract: unknown key; did you mean "
	    "'risk.max_contracts'?\n"
	    "%s:5: risk.maximum: unknown key\n"
	    "%s:7: journl: unknown key; did you mean 'journal'?\n",
	    fx->path, fx->path, fx->path, fx->path));
}

static void
test_settings_wrong_type(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { max_contracts = 2.5; flatten_on_breach = 1; };\n"
	    "sizing = 3;\n"
	    "venue = { latency_ms = \"5\"; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:2: risk.max_contracts: must be an integer\n"
	    "%s:2: risk.flatten_on_breach: must be true or false\n"
	    "%s:3: sizing: must be a group: sizing = { ... };\n"
	    "%s:4: venue.latency_ms: must be an integer\n",
	    fx->path, fx->path, fx->path, fx->path));
}

static void
test_settings_out_of_range(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = {\n"
	    "\tdaily_loss = -5;\n"
	    "};\n"
	    "venue = { participation = 101; max_orders = 0; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: risk.daily_loss: must be >= 0\n"
	    "%s:5: venue.participation: must be <= 100\n"
	    "%s:5: venue.max_orders: must be >= 1\n",
	    fx->path, fx->path, fx->path));
}

static void
test_settings_bad_enum_and_times(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "sizing = { method = \"kelly\"; };\n"
	    "risk = { trading_hours = \"9:30-16:00\"; };\n"
	    "logging = { level = \"loud\"; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:2: sizing.method: unknown value 'kelly' (one of fixed|risk)\n"
	    "%s:3: risk.trading_hours: '9:30-16:00' is not a time range "
	    "HH:MM-HH:MM\n"
	    "%s:4: logging.level: unknown value 'loud' (one of "
	    "debug|info|warning|error|critical)\n",
	    fx->path, fx->path, fx->path));
}

static void
test_settings_bad_zone(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "data = { timezone = \"Mars/Olympus\"; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:2: data.timezone: unknown time zone 'Mars/Olympus'\n",
	    fx->path));
	assert_int_equal(load_text(fx, MINIMAL
	    "data = { timezone = \"Europe/London\"; disorder = \"skip\"; };\n"),
	    0);
	assert_string_equal(fx->s.data.tz, "Europe/London");
	assert_ptr_equal(fx->s.data.tz, fx->s.data_tz);
	assert_int_equal(fx->s.data.disorder, READER_SKIP);
}

static void
test_settings_session_problems(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx,
	    "trading = {\n"
	    "instruments = ( { symbol = \"ES\"; tick_size = 0.25; "
	    "point_value = 50; session = \"cme\"; } );\n"
	    "sessions = ( {\n"
	    "\tname = \"cme\";\n"
	    "\tholidays = [ \"2024-01-01\",\n"
	    "\t\t\"2024-02-30\", \"2024-01-01\" ];\n"
	    "\tearly_closes = [ \"2024-11-29 13:15\", \"2024-12-24\" ];\n"
	    "} ); };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:6: trading.sessions[0].holidays[1]: '2024-02-30' is not a "
	    "date YYYY-MM-DD\n"
	    "%s:6: trading.sessions[0].holidays[2]: 2024-01-01 is listed "
	    "twice\n"
	    "%s:7: trading.sessions[0].early_closes[1]: '2024-12-24' is not "
	    "a date and time YYYY-MM-DD HH:MM\n",
	    fx->path, fx->path, fx->path));

	assert_int_equal(load_text(fx,
	    "trading = {\n"
	    "instruments = ( { symbol = \"ES\"; tick_size = 0.25; "
	    "point_value = 50; session = \"cme\"; } );\n"
	    "sessions = ( {\n"
	    "\tname = \"cme\";\n"
	    "\tholidays = [ \"2024-12-25\" ];\n"
	    "\tearly_closes = [ \"2024-12-25 13:15\" ];\n"
	    "} ); };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:6: trading.sessions[0].early_closes[0]: 2024-12-25 is also "
	    "a holiday\n", fx->path));

	/* The calendar checks how the hours fit together. */
	assert_int_equal(load_text(fx,
	    "trading = {\n"
	    "instruments = ( { symbol = \"ES\"; tick_size = 0.25; "
	    "point_value = 50; session = \"cme\"; } );\n"
	    "sessions = ( {\n"
	    "\tname = \"cme\"; rth = \"08:00-18:00\"; eth = \"09:00-17:00\";\n"
	    "} ); };\n"), -1);
	assert_non_null(strstr(fx->errors, ":3: trading.sessions[0]: "));
	assert_non_null(strstr(fx->errors, "within extended hours"));
}

static void
test_settings_instrument_problems(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx,
	    "trading = {\n"
	    "instruments = (\n"
	    "{ symbol = \"ES\"; tick_size = 0.25; point_value = 50; "
	    "session = \"cme\"; },\n"
	    "{ symbol = \"ZZ\"; tick_size = 0.1; point_value = 0.01; "
	    "session = \"cme\"; },\n"
	    "{ symbol = \"ES\"; tick_size = 0.25; point_value = 50; "
	    "session = \"cbot\"; },\n"
	    "{ symbol = \"NQ\"; point_value = 20; session = \"cme\"; } );\n"
	    "sessions = ( { name = \"cme\"; timezone = \"America/NewYork\"; "
	    "} );\n"
	    "};\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:4: trading.instruments[1].point_value: ZZ: tick value 0.1 "
	    "cents is not a whole number of cents\n"
	    "%s:5: trading.instruments[2].symbol: duplicate symbol 'ES', "
	    "also trading.instruments[0]\n"
	    "%s:5: trading.instruments[2].session: no session named 'cbot' "
	    "in trading.sessions\n"
	    "%s:6: trading.instruments[3].tick_size: missing\n"
	    "%s:7: trading.sessions[0].timezone: unknown time zone "
	    "'America/NewYork'\n",
	    fx->path, fx->path, fx->path, fx->path, fx->path));

	assert_int_equal(load_text(fx, "risk = { max_positions = 1; };\n"),
	    -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s: trading.instruments: missing\n"
	    "%s: trading.sessions: missing\n", fx->path, fx->path));
	assert_int_equal(load_text(fx,
	    "trading = { instruments = (); sessions = ( { name = \"x\"; } ); "
	    "};\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:1: trading.instruments: must not be empty\n", fx->path));
}

/* Prices at or below zero are allowed per instrument, and only by a bool. */
static void
test_settings_negative_prices(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx,
	    "trading = {\n"
	    "instruments = (\n"
	    "{ symbol = \"ES\"; tick_size = 0.25; point_value = 50; "
	    "session = \"cme\"; },\n"
	    "{ symbol = \"CL\"; tick_size = 0.01; point_value = 1000; "
	    "session = \"nymex\";\n"
	    "  negative_prices = true; } );\n"
	    "sessions = ( { name = \"cme\"; }, { name = \"nymex\"; } );\n"
	    "};\n"), 0);
	assert_false(fx->s.engine.inst[0].negative_prices);
	assert_true(fx->s.engine.inst[1].negative_prices);

	assert_int_equal(load_text(fx,
	    "trading = {\n"
	    "instruments = (\n"
	    "{ symbol = \"ES\"; tick_size = 0.25; point_value = 50; "
	    "session = \"cme\";\n"
	    "  negative_prices = 1; },\n"
	    "{ symbol = \"CL\"; tick_size = 0.01; point_value = 1000; "
	    "session = \"cme\";\n"
	    "  negative_prices = \"yes\"; } );\n"
	    "sessions = ( { name = \"cme\"; } );\n"
	    "};\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:4: trading.instruments[0].negative_prices: must be true or "
	    "false\n"
	    "%s:6: trading.instruments[1].negative_prices: must be true or "
	    "false\n", fx->path, fx->path));
}

static void
test_settings_strategy_problems(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = (\n"
	    "{ name = \"a\"; type = \"orbx\"; symbol = \"ES\"; },\n"
	    "{ name = \"b\"; type = \"orb\"; symbol = \"ES\";\n"
	    "  params = { stop_tiks = 4; target_ticks = 0;\n"
	    "    opening_range_minutes = 391; flatten_before_close = 1.5; }; "
	    "},\n"
	    "{ name = \"a\"; type = \"minimal\"; symbol = \"NQ\"; },\n"
	    "{ type = \"minimal\"; symbol = \"ES\"; enabled = \"yes\"; } );\n"),
	    -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: strategies[0].type: unknown strategy type 'orbx' (one of "
	    "minimal|orb|ml)\n"
	    "%s:5: strategies[1].params.stop_tiks: unknown parameter of "
	    "strategy type orb; did you mean "
	    "'strategies[1].params.stop_ticks'?\n"
	    "%s:5: strategies[1].params.target_ticks: must be >= 1\n"
	    "%s:6: strategies[1].params.opening_range_minutes: must be <= "
	    "390\n"
	    "%s:6: strategies[1].params.flatten_before_close: must be an "
	    "integer\n"
	    "%s:7: strategies[2].name: duplicate name 'a', also "
	    "strategies[0]\n"
	    "%s:7: strategies[2].symbol: no instrument 'NQ' in "
	    "trading.instruments\n"
	    "%s:8: strategies[3].enabled: must be true or false\n"
	    "%s:8: strategies[3].name: missing\n",
	    fx->path, fx->path, fx->path, fx->path, fx->path, fx->path,
	    fx->path, fx->path, fx->path, fx->path));
}

/* The test plug-in of a kind (tests/unit/plugin.c), copied to dir/name. */
static const char *
copy_plugin(struct fixture *fx, const char *kind, const char *name)
{
	const char	*dir = getenv("TD_TEST_PLUGINS");
	char		 cmd[1600];

	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s/%s')\" && "
	    "cp '%s/plugin-%s.so' '%s/%s'", fx->dir, name,
	    dir != NULL ? dir : "tests/unit", kind, fx->dir, name);
	assert_int_equal(system(cmd), 0);
	snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
	return fx->path;
}

/*
 * A plug-in strategy: its path relative to the file, its type from the
 * plug-in, its parameters from its table; printed with its parameters
 * and read back the same, once settings_strategies has opened it.
 */
static void
test_settings_plugin(void **state)
{
	struct fixture			*fx = *state;
	struct strat_registry		*reg;
	struct errmsg			 err;
	char				 so[512], out[512];
	FILE				*f;

	copy_plugin(fx, "good", "lib/echo.so");
	snprintf(so, sizeof so, "%s", fx->path);
	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = ( { name = \"e\"; plugin = \"lib/echo.so\"; "
	    "symbol = \"ES\";\n"
	    "params = { every = 7; }; },\n"
	    "{ name = \"f\"; type = \"echo\"; plugin = \"./lib/../lib/"
	    "echo.so\"; symbol = \"ES\"; } );\n"), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(fx->s.engine.nstrat, 2);
	assert_string_equal(fx->s.engine.strat[0].type, "echo");
	assert_string_equal(fx->s.strat_plugin[0], so);
	assert_string_equal(fx->s.strat_plugin[1], so);
	assert_int_equal(fx->s.engine.strat[0].params[0], 7);
	assert_int_equal(fx->s.engine.strat[1].params[0], 1);
	/* The load opened the plug-in to check it, and closed it. */
	assert_null(fx->s.strategies);

	reg = settings_strategies(&fx->s, &err);
	if (reg == NULL)
		fail_msg("%s", err.msg);
	assert_ptr_equal(fx->s.strategies, reg);
	assert_non_null(strat_registry_find(reg, "echo"));
	assert_non_null(strat_registry_find(reg, "orb"));
	snprintf(out, sizeof out, "%s/printed.cfg", fx->dir);
	assert_non_null(f = fopen(out, "w"));
	assert_int_equal(settings_print(f, &fx->s), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(settings_load(out, &fx->t, fx->errors,
	    sizeof fx->errors), 0);
	fx->t.strategies = reg;
	assert_int_equal(settings_diff(&fx->s, &fx->t, NULL, NULL), 0);
	assert_int_equal(fx->t.engine.strat[0].params[0], 7);
	strat_registry_free(reg);
}

static void
diff_path(void *arg, const struct settings_key *key, int idx,
    const char *path)
{
	(void)key;
	(void)idx;
	snprintf(arg, 128, "%s", path);
}

/* A reload compares a plug-in's parameters by their names. */
static void
test_settings_plugin_diff(void **state)
{
	struct fixture	*fx = *state;
	struct errmsg	 err;
	struct strat_registry *reg;
	char		 path[128] = "";
	const char	*text = MINIMAL
	    "strategies = ( { name = \"e\"; plugin = \"echo.so\"; "
	    "symbol = \"ES\"; params = { at = %d; }; } );\n";
	char		 cfg[1024];

	copy_plugin(fx, "good", "echo.so");
	snprintf(cfg, sizeof cfg, text, 5);
	assert_int_equal(load_text(fx, cfg), 0);
	assert_non_null(reg = settings_strategies(&fx->s, &err));
	snprintf(cfg, sizeof cfg, text, 6);
	write_file(fx, "test.cfg", cfg);
	assert_int_equal(settings_load(fx->path, &fx->t, fx->errors,
	    sizeof fx->errors), 0);
	assert_int_equal(settings_diff(&fx->s, &fx->t, diff_path, path), 1);
	assert_string_equal(path, "strategies[0].params.at");
	strat_registry_free(reg);
}

/* An environment's plug-in is relative to the environment's file. */
static void
test_settings_plugin_env(void **state)
{
	struct fixture	*fx = *state;
	char		 so[512], base[512], cmd[600];

	copy_plugin(fx, "good", "echo.so");
	snprintf(so, sizeof so, "%s", fx->path);
	write_file(fx, "test.cfg", MINIMAL
	    "strategies = ( { name = \"o\"; type = \"orb\"; "
	    "symbol = \"ES\"; } );\n");
	snprintf(base, sizeof base, "%s", fx->path);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/env'", fx->dir);
	assert_int_equal(system(cmd), 0);
	write_file(fx, "env/qa.cfg",
	    "strategies = ( { name = \"e\"; plugin = \"../echo.so\"; "
	    "symbol = \"ES\"; } );\n");
	assert_int_equal(settings_load_env(base, "qa", &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_int_equal(fx->s.engine.nstrat, 1);
	assert_string_equal(fx->s.engine.strat[0].type, "echo");
	assert_string_equal(fx->s.strat_plugin[0], so);
}

/* Each refusal of a plug-in is a problem of the file, at its line. */
static void
test_settings_plugin_problems(void **state)
{
	struct fixture	*fx = *state;
	char		 abi[512], good[512], none[512];

	copy_plugin(fx, "abi", "abi.so");
	snprintf(abi, sizeof abi, "%s", fx->path);
	copy_plugin(fx, "good", "good.so");
	snprintf(good, sizeof good, "%s", fx->path);
	snprintf(none, sizeof none, "%s/none.so", fx->dir);
	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = (\n"
	    "{ name = \"a\"; symbol = \"ES\";\n"
	    "  plugin = \"none.so\"; },\n"
	    "{ name = \"b\"; symbol = \"ES\";\n"
	    "  plugin = \"abi.so\"; },\n"
	    "{ name = \"c\"; symbol = \"ES\"; type = \"orb\";\n"
	    "  plugin = \"good.so\"; },\n"
	    "{ name = \"d\"; symbol = \"ES\"; plugin = \"good.so\";\n"
	    "  params = { every = 0; evry = 2; }; },\n"
	    "{ name = \"e\"; symbol = \"ES\"; type = \"\"; },\n"
	    "{ name = \"f\"; symbol = \"ES\"; } );\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:4: strategies[0].plugin: %s: no such file\n"
	    "%s:6: strategies[1].plugin: %s: built for strategy ABI %d, this "
	    "tickdesk has ABI %d: rebuild it against this tickdesk's headers "
	    "(pkg-config --cflags tickdesk)\n"
	    "%s:7: strategies[2].type: 'orb' is not the plug-in's strategy: "
	    "%s holds 'echo'\n"
	    "%s:10: strategies[3].params.every: must be >= 1\n"
	    "%s:10: strategies[3].params.evry: unknown parameter of strategy "
	    "type echo; did you mean 'strategies[3].params.every'?\n"
	    "%s:11: strategies[4].type: must not be empty\n"
	    "%s:12: strategies[5].type: missing\n",
	    fx->path, none, fx->path, abi, TD_STRATEGY_ABI + 1,
	    TD_STRATEGY_ABI, fx->path, good, fx->path, fx->path, fx->path,
	    fx->path));
}

/* Parameters not given take the strategy's defaults. */
static void
test_settings_strategy_params(void **state)
{
	struct fixture			*fx = *state;
	const struct strategy_ops	*orb =
	    strat_registry_find(strat_registry_builtin(), "orb");
	const int64_t			*p;

	assert_non_null(orb);
	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = ( { name = \"x\"; type = \"orb\"; symbol = \"ES\"; "
	    "enabled = false;\n"
	    "params = { stop_ticks = 12; contracts = 2; }; } );\n"), 0);
	p = fx->s.engine.strat[0].params;
	for (int i = 0; orb->params[i].name != NULL; i++) {
		if (strcmp(orb->params[i].name, "stop_ticks") == 0)
			assert_int_equal(p[i], 12);
		else if (strcmp(orb->params[i].name, "contracts") == 0)
			assert_int_equal(p[i], 2);
		else
			assert_int_equal(p[i], orb->params[i].def);
	}
	assert_false(fx->s.engine.strat[0].enabled);
}

/*
 * Parameters of every type (minimal has one of each): read by their type,
 * a wrong type or an unknown name refused with its line.
 */
static void
test_settings_strategy_typed_params(void **state)
{
	struct fixture			*fx = *state;
	const struct strategy_ops	*min =
	    strat_registry_find(strat_registry_builtin(), "minimal");
	const struct strategy_cfg	*sc = &fx->s.engine.strat[0];

	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = ( { name = \"m\"; type = \"minimal\"; "
	    "symbol = \"ES\";\n"
	    "params = { field = \"high\"; volume = false; label = \"hb\";\n"
	    "min_move = 0.25; every = 5; }; } );\n"), 0);
	assert_int_equal(sc->params[strat_param_index(min, "field")], 2);
	assert_int_equal(sc->params[strat_param_index(min, "volume")], 0);
	assert_string_equal(strat_param_get_text(min, sc->param_text,
	    strat_param_index(min, "label")),
	    "hb");
	assert_int_equal(sc->params[strat_param_index(min, "min_move")], 25);
	assert_int_equal(sc->params[strat_param_index(min, "every")], 5);
	assert_int_equal(sc->params[strat_param_index(min, "fail_after")], 0);
	assert_int_equal(sc->start, STRAT_START_IMMEDIATELY);
	/* A whole number is a decimal too. */
	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = ( { name = \"m\"; type = \"minimal\"; "
	    "symbol = \"ES\"; start = \"adopt\"; "
	    "params = { min_move = 2; }; } );\n"), 0);
	assert_int_equal(sc->start, STRAT_START_ADOPT);
	assert_int_equal(sc->params[strat_param_index(min, "min_move")], 200);
	assert_string_equal(strat_param_get_text(min, sc->param_text,
	    strat_param_index(min, "label")),
	    "");

	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = ( { name = \"m\"; type = \"minimal\"; "
	    "symbol = \"ES\";\n"
	    "params = { field = \"middle\";\n"
	    "volume = 1;\n"
	    "label = 7;\n"
	    "min_move = 0.125;\n"
	    "every = 2.5; }; },\n"
	    "{ name = \"n\"; type = \"minimal\"; symbol = \"ES\"; "
	    "start = \"flat\";\n"
	    "params = { field = 3;\n"
	    "label = \"a label far longer than the limit\";\n"
	    "min_move = \"1\"; volume = \"yes\"; }; } );\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: strategies[0].params.field: must be one of "
	    "close|open|high|low\n"
	    "%s:4: strategies[0].params.volume: must be true or false\n"
	    "%s:5: strategies[0].params.label: must be a string in quotes\n"
	    "%s:6: strategies[0].params.min_move: at most 2 decimals\n"
	    "%s:7: strategies[0].params.every: must be an integer\n"
	    "%s:8: strategies[1].start: unknown value 'flat' (one of "
	    "immediately|wait_until_flat|adopt)\n"
	    "%s:9: strategies[1].params.field: must be one of "
	    "close|open|high|low, in quotes\n"
	    "%s:10: strategies[1].params.label: 0 to 24 characters\n"
	    "%s:11: strategies[1].params.min_move: must be a number (0.00)\n"
	    "%s:11: strategies[1].params.volume: must be true or false\n",
	    fx->path, fx->path, fx->path, fx->path, fx->path, fx->path,
	    fx->path, fx->path, fx->path, fx->path));
}

static void
test_settings_contradictions(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "sizing = {\n"
	    "\tmethod = \"risk\";\n"
	    "\trisk_per_trade = 0;\n"
	    "\tmin_contracts = 5;\n"
	    "\tmax_contracts = 2;\n"
	    "};\n"
	    "risk = { throttle_seconds = 0; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:4: sizing.risk_per_trade: must be > 0 with sizing.method "
	    "\"risk\"\n"
	    "%s:5: sizing.min_contracts: 5 is greater than "
	    "sizing.max_contracts 2\n"
	    "%s:5: sizing.min_contracts: 5 is greater than "
	    "risk.max_contracts 4\n"
	    "%s:8: risk.throttle_seconds: must be > 0 when "
	    "risk.throttle_orders is 20\n",
	    fx->path, fx->path, fx->path, fx->path));

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { max_contracts = 2; max_trade_risk = 100; };\n"
	    "sizing = { contracts = 3; };\n"
	    "strategies = ( { name = \"o\"; type = \"orb\"; symbol = \"ES\"; "
	    "params = { contracts = 5; }; } );\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: sizing.contracts: 3 is greater than risk.max_contracts 2\n"
	    "%s:4: strategies[0].params.contracts: 5 is greater than "
	    "risk.max_contracts 2\n", fx->path, fx->path));

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { max_trade_risk = 100; };\n"
	    "sizing = { method = \"risk\"; risk_per_trade = 150; "
	    "max_contracts = 2; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: sizing.risk_per_trade: 150.00 is greater than "
	    "risk.max_trade_risk 100.00\n", fx->path));
}

static void
test_settings_syntax_error(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = {\n"
	    "\tdaily_loss = ;\n"
	    "};\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: syntax error\n", fx->path));
	assert_int_equal(settings_load("/nonexistent/tickdesk.cfg", &fx->s,
	    fx->errors, sizeof fx->errors), -1);
	assert_string_equal(fx->errors,
	    "/nonexistent/tickdesk.cfg: No such file or directory\n");
}

/* @include reads relative to the main file; problems name the file. */
static void
test_settings_include(void **state)
{
	struct fixture	*fx = *state;
	char		 inc[512];

	write_file(fx, "base.cfg", MINIMAL
	    "risk = { daily_loss = 700; };\n");
	assert_int_equal(load_text(fx,
	    "@include \"base.cfg\"\n"
	    "sizing = { contracts = 2; };\n"), 0);
	assert_int_equal(fx->s.engine.risk.daily_loss, 70000);
	assert_int_equal(fx->s.engine.sizing.contracts, 2);
	assert_int_equal(fx->s.engine.ninst, 1);

	write_file(fx, "bad.cfg", "\n\nlogging = { level = \"loud\"; };\n");
	snprintf(inc, sizeof inc, "%s", fx->path);
	assert_int_equal(load_text(fx, MINIMAL
	    "@include \"bad.cfg\"\n"
	    "venue = { slippage_ticks = -1; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: venue.slippage_ticks: must be >= 0\n"
	    "%s:3: logging.level: unknown value 'loud' (one of "
	    "debug|info|warning|error|critical)\n", fx->path, inc));
}

/* Every problem of a file is reported, in the order of its lines. */
static void
test_settings_all_errors(void **state)
{
	struct fixture	*fx = *state;
	int		 lines = 0;

	assert_int_equal(load_text(fx, MINIMAL
	    "strategies = ( { name = \"x\"; type = \"orb\"; symbol = \"YM\"; "
	    "} );\n"
	    "risk = { daily_loss = -1; weekly_loss = 1.001; nope = 1; };\n"
	    "sizing = { contracts = 0; };\n"
	    "venue = { bar_path = \"random\"; };\n"), -1);
	for (const char *p = fx->errors; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 6);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:2: strategies[0].symbol: no instrument 'YM' in "
	    "trading.instruments\n"
	    "%s:3: risk.daily_loss: must be >= 0\n"
	    "%s:3: risk.weekly_loss: 1.001: at most 2 decimals\n"
	    "%s:3: risk.nope: unknown key\n"
	    "%s:4: sizing.contracts: must be >= 1\n"
	    "%s:5: venue.bar_path: unknown value 'random' (one of "
	    "stop-first|ohlc)\n",
	    fx->path, fx->path, fx->path, fx->path, fx->path, fx->path));
}

/* A small buffer keeps whole lines and counts the rest. */
static void
test_settings_errors_cut(void **state)
{
	struct fixture	*fx = *state;
	char		 small[160];
	size_t		 n;

	write_file(fx, "many.cfg", MINIMAL
	    "risk = { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; };\n");
	assert_int_equal(settings_load(fx->path, &fx->s, small,
	    sizeof small), -1);
	n = strlen(small);
	assert_true(n < sizeof small);
	assert_int_equal(small[n - 1], '\n');
	assert_non_null(strstr(small, "risk.a: unknown key\n"));
	assert_non_null(strstr(small, " more errors\n"));
	assert_null(strstr(small, "risk.f: unknown key"));
	/* No buffer at all still fails. */
	assert_int_equal(settings_load(fx->path, &fx->s, NULL, 0), -1);
}

/* What settings_print writes reads back to the same settings. */
static void
check_round_trip(struct fixture *fx, const char *from)
{
	FILE	*f;
	char	 out[600];

	assert_int_equal(settings_load(from, &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	snprintf(out, sizeof out, "%s/printed.cfg", fx->dir);
	f = fopen(out, "w");
	assert_non_null(f);
	assert_int_equal(settings_print(f, &fx->s), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(settings_load(out, &fx->t, fx->errors,
	    sizeof fx->errors), 0);
	assert_memory_equal(&fx->s.engine, &fx->t.engine,
	    sizeof fx->s.engine);
	assert_string_equal(fx->s.data_tz, fx->t.data_tz);
	assert_int_equal(fx->s.data.disorder, fx->t.data.disorder);
	assert_int_equal(fx->s.venue_type, fx->t.venue_type);
	assert_memory_equal(fx->s.inst_session, fx->t.inst_session,
	    sizeof fx->s.inst_session);
}

static void
test_settings_print_round_trip(void **state)
{
	struct fixture	*fx = *state;
	char		 path[512];

	check_round_trip(fx, shipped_path(path, sizeof path));
	check_round_trip(fx, write_file(fx, "other.cfg",
	    "trading = { instruments = (\n"
	    "{ symbol = \"ZB\"; tick_size = 0.03125; point_value = 1000; "
	    "commission = 1.29; session = \"cbot\"; },\n"
	    "{ symbol = \"NQ\"; tick_size = 0.25; point_value = 20; "
	    "session = \"cme\"; } );\n"
	    "sessions = ( { name = \"cbot\"; timezone = \"America/Chicago\"; "
	    "rth = \"08:20-15:00\"; eth = \"17:00-16:00\"; "
	    "day_roll = \"16:00\"; roll_timezone = \"\"; "
	    "holidays = [ \"2024-12-25\" ]; "
	    "early_closes = [ \"2024-12-24 12:00\" ]; },\n"
	    "{ name = \"cme\"; } ); };\n"
	    "risk = { daily_loss = 0; trading_hours = \"00:00-24:00\"; "
	    "flatten_on_breach = false; throttle_orders = 0; "
	    "throttle_seconds = 0; };\n"
	    "sizing = { method = \"risk\"; risk_per_trade = 400.5; "
	    "max_contracts = 3; };\n"
	    "venue = { bar_path = \"ohlc\"; latency_ms = 250; "
	    "participation = 10; max_orders = 64; };\n"
	    "strategies = ( { name = \"o\"; type = \"orb\"; symbol = \"NQ\"; "
	    "params = { stop_ticks = 20; }; },\n"
	    "{ name = \"m\"; type = \"minimal\"; symbol = \"ZB\"; "
	    "params = { field = \"low\"; volume = false; "
	    "label = \"say \\\"hi\\\"\"; min_move = 0.5; }; } );\n"
	    "data = { timezone = \"UTC\"; disorder = \"skip\"; };\n"
	    "logging = { level = \"debug\"; };\n"));
	assert_int_equal(fx->t.venue.latency, 250 * 1000000LL);
	assert_int_equal(fx->t.engine.sizing.risk_per_trade, 40050);
	assert_int_equal(fx->t.engine.risk.hours_end, 1440);
	assert_int_equal(fx->t.engine.order_capacity, 64);
	assert_int_equal(fx->t.engine.inst[0].calendar, 0);
	assert_int_equal(fx->t.engine.inst[1].calendar, 1);
	assert_string_equal(fx->t.data.tz, "UTC");
}

static void
test_settings_copy(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "data = { timezone = \"UTC\"; };\n"), 0);
	settings_copy(&fx->t, &fx->s);
	assert_ptr_equal(fx->t.data.tz, fx->t.data_tz);
	assert_string_equal(fx->t.data.tz, "UTC");
}

static void
test_settings_path(void **state)
{
	char		 dir[64], user[SETTINGS_SOURCE_MAX], file[160];
	const char	*xdg = getenv("XDG_CONFIG_HOME");
	char		*saved = xdg != NULL ? strdup(xdg) : NULL;
	FILE		*f;
	int		 cwd;

	(void)state;
	unsetenv("TICKDESK_CONFIG");
	assert_string_equal(settings_path("x.cfg", user, sizeof user), "x.cfg");
	setenv("TICKDESK_CONFIG", "/etc/td.cfg", 1);
	assert_string_equal(settings_path(NULL, user, sizeof user),
	    "/etc/td.cfg");
	assert_string_equal(settings_path("y.cfg", user, sizeof user),
	    "y.cfg");
	unsetenv("TICKDESK_CONFIG");
	if (access("conf/tickdesk.cfg", F_OK) == 0)
		assert_string_equal(settings_path(NULL, user, sizeof user),
		    "conf/tickdesk.cfg");
	/* Outside a source tree: the user's file, when there is one. */
	snprintf(dir, sizeof dir, "/tmp/td-xdg.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_true((cwd = open(".", O_RDONLY | O_DIRECTORY)) != -1);
	assert_int_equal(chdir(dir), 0);
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_string_equal(settings_path(NULL, user, sizeof user),
	    TD_SYSCONFDIR "/tickdesk/tickdesk.cfg");
	snprintf(file, sizeof file, "%s/tickdesk", dir);
	assert_int_equal(mkdir(file, 0700), 0);
	snprintf(file, sizeof file, "%s/tickdesk/tickdesk.cfg", dir);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	assert_string_equal(settings_path(NULL, user, sizeof user), file);
	/* A relative XDG_CONFIG_HOME is not one (the spec): ~/.config. */
	setenv("XDG_CONFIG_HOME", "tickdesk", 1);
	assert_string_not_equal(settings_path(NULL, user, sizeof user), file);
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
	unlink(file);
	snprintf(file, sizeof file, "%s/tickdesk", dir);
	rmdir(file);
	rmdir(dir);
	if (saved != NULL)
		setenv("XDG_CONFIG_HOME", saved, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	free(saved);
}

/* Loss limits that cannot both hold, each blamed on the key given. */
static void
test_settings_loss_contradictions(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(load_text(fx, MINIMAL
	    "risk = {\n"
	    "\tdaily_loss = 500;\n"
	    "\ttrailing_loss = 600;\n"
	    "\tweekly_loss = 400;\n"
	    "\tmax_trade_risk = 700;\n"
	    "};\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: risk.daily_loss: 500.00 is greater than risk.weekly_loss "
	    "400.00\n"
	    "%s:4: risk.trailing_loss: 600.00 is greater than "
	    "risk.daily_loss 500.00\n"
	    "%s:6: risk.max_trade_risk: 700.00 is greater than "
	    "risk.daily_loss 500.00\n", fx->path, fx->path, fx->path));
	/* A limit that is off (0) contradicts nothing. */
	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { daily_loss = 0; trailing_loss = 600; weekly_loss = 0; "
	    "max_trade_risk = 700; };\n"), 0);
	/* The default max_trade_risk (500.00) against a small daily loss. */
	assert_int_equal(load_text(fx, MINIMAL
	    "risk = { daily_loss = 300; };\n"), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:2: risk.max_trade_risk: 500.00 is greater than "
	    "risk.daily_loss 300.00\n", fx->path));
}

/* dir/env/NAME.cfg holding text; its path in buf. */
static const char *
write_env(struct fixture *fx, const char *name, const char *text, char *buf,
    size_t len)
{
	char	 dir[512], file[64];

	snprintf(dir, sizeof dir, "%s/env", fx->dir);
	(void)mkdir(dir, 0700);
	snprintf(file, sizeof file, "env/%s.cfg", name);
	snprintf(buf, len, "%s", write_file(fx, file, text));
	return buf;
}

/*
 * An environment changes the keys it gives: a group keeps the base
 * file's other keys, a list replaces the base file's whole.
 */
static void
test_settings_env_layering(void **state)
{
	struct fixture			*fx = *state;
	const struct engine_config	*ec = &fx->s.engine;
	const struct strategy_ops	*minimal =
	    strat_registry_find(strat_registry_builtin(), "minimal");
	char				 base[512], env[512];

	write_env(fx, "x",
	    "risk = { daily_loss = 600; };\n"
	    "strategies = ( { name = \"c\"; type = \"minimal\"; "
	    "symbol = \"ES\"; enabled = false; params = { every = 5; }; } );\n"
	    "logging = { level = \"debug\"; };\n", env, sizeof env);
	snprintf(base, sizeof base, "%s", write_file(fx, "base.cfg", MINIMAL
	    "risk = { daily_loss = 800; max_contracts = 3; };\n"
	    "strategies = ( { name = \"a\"; type = \"orb\"; symbol = \"ES\"; "
	    "},\n"
	    "{ name = \"b\"; type = \"minimal\"; symbol = \"ES\"; "
	    "params = { every = 9; }; } );\n"
	    "logging = { level = \"info\"; };\n"));

	/* Without the environment: the base file alone. */
	assert_int_equal(settings_load_env(base, NULL, &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_int_equal(ec->risk.daily_loss, 80000);
	assert_int_equal(ec->nstrat, 2);
	assert_string_equal(fx->s.env, "");
	assert_int_equal(settings_load_env(base, "", &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_int_equal(ec->nstrat, 2);

	assert_int_equal(settings_load_env(base, "x", &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_string_equal(fx->errors, "");
	assert_string_equal(fx->s.env, "x");
	assert_string_equal(fx->s.env_source, env);
	assert_string_equal(fx->s.source, base);
	/* The key the environment gives, and the one it leaves. */
	assert_int_equal(ec->risk.daily_loss, 60000);
	assert_int_equal(ec->risk.max_contracts, 3);
	assert_int_equal(ec->log_level, LOG_DEBUG);
	/* The list is the environment's, whole. */
	assert_int_equal(ec->nstrat, 1);
	assert_string_equal(ec->strat[0].name, "c");
	assert_false(ec->strat[0].enabled);
	assert_int_equal(ec->strat[0].params[strat_param_index(minimal,
	    "every")], 5);
	assert_string_equal(ec->strat[1].name, "");
	/* The rest comes from the base file. */
	assert_int_equal(ec->ninst, 1);
	assert_string_equal(ec->inst[0].symbol, "ES");
	assert_int_equal(ec->inst[0].calendar, 0);

	/* The effective configuration reads back alone, the same. */
	check_round_trip(fx, base);
}

/*
 * An environment file is checked like the base file, each problem with
 * its own file and line, the base file's first; checks across keys see
 * the values in effect and blame the file that gave them.
 */
static void
test_settings_env_errors(void **state)
{
	struct fixture	*fx = *state;
	char		 base[512], env[512];

	snprintf(base, sizeof base, "%s", write_file(fx, "base.cfg", MINIMAL
	    "risk = { daily_loss = 1000; };\n"
	    "venue = { slippage_ticks = -1; };\n"));
	write_env(fx, "bad",
	    "# an environment with every kind of problem\n"
	    "risk = {\n"
	    "\ttrailing_loss = 1500;\n"
	    "\tweekly_loss = \"x\";\n"
	    "\tmax_positions = 100001;\n"
	    "\tnope = 1;\n"
	    "};\n"
	    "sizing = { method = \"risk\"; min_contracts = 5; max_contracts "
	    "= 2; };\n"
	    "strategies = ( { name = \"o\"; type = \"orb\"; symbol = \"YM\"; "
	    "} );\n"
	    "logging = { level = 3; };\n", env, sizeof env);
	assert_int_equal(settings_load_env(base, "bad", &fx->s, fx->errors,
	    sizeof fx->errors), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: venue.slippage_ticks: must be >= 0\n"
	    "%s:3: risk.trailing_loss: 1500.00 is greater than "
	    "risk.daily_loss 1000.00\n"
	    "%s:4: risk.weekly_loss: must be an amount in dollars (1000 or "
	    "1000.00)\n"
	    "%s:5: risk.max_positions: must be <= 100000\n"
	    "%s:6: risk.nope: unknown key\n"
	    "%s:8: sizing.min_contracts: 5 is greater than "
	    "sizing.max_contracts 2\n"
	    "%s:8: sizing.min_contracts: 5 is greater than "
	    "risk.max_contracts 4\n"
	    "%s:9: strategies[0].symbol: no instrument 'YM' in "
	    "trading.instruments\n"
	    "%s:10: logging.level: must be a string in quotes\n",
	    base, env, env, env, env, env, env, env, env));

	/* A syntax error in the environment. */
	write_env(fx, "syntax", "risk = { daily_loss = ; };\n", env,
	    sizeof env);
	assert_int_equal(settings_load_env(base, "syntax", &fx->s, fx->errors,
	    sizeof fx->errors), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s:3: venue.slippage_ticks: must be >= 0\n"
	    "%s:1: syntax error\n", base, env));
}

/* What must be given may come from either file, once. */
static void
test_settings_env_required(void **state)
{
	struct fixture	*fx = *state;
	char		 base[512], env[512];

	snprintf(base, sizeof base, "%s", write_file(fx, "base.cfg",
	    "risk = { daily_loss = 900; };\n"));
	write_env(fx, "markets", MINIMAL, env, sizeof env);
	write_env(fx, "empty", "# nothing\n", env, sizeof env);
	assert_int_equal(settings_load_env(base, "markets", &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_int_equal(fx->s.engine.ninst, 1);
	assert_int_equal(fx->s.engine.risk.daily_loss, 90000);
	assert_int_equal(settings_load_env(base, "empty", &fx->s, fx->errors,
	    sizeof fx->errors), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s: trading.instruments: missing\n"
	    "%s: trading.sessions: missing\n", base, base));
}

static void
test_settings_env_names(void **state)
{
	struct fixture	*fx = *state;
	char		 base[512], env[512], buf[512];

	snprintf(base, sizeof base, "%s", write_file(fx, "base.cfg", MINIMAL));
	write_env(fx, "sim", "", env, sizeof env);
	write_env(fx, "dev", "", env, sizeof env);
	write_file(fx, "env/README", "not an environment\n");
	assert_int_equal(settings_load_env(base, "qa", &fx->s, fx->errors,
	    sizeof fx->errors), -1);
	assert_string_equal(fx->errors, expect(fx,
	    "%s/env/qa.cfg: No such file or directory (environments here: "
	    "dev, sim)\n", fx->dir));
	assert_int_equal(settings_load_env(base, "../base", &fx->s,
	    fx->errors, sizeof fx->errors), -1);
	assert_string_equal(fx->errors, "environment '../base': not a name of "
	    "1 to 15 letters, digits, '-' or '_'\n");
	assert_int_equal(settings_load_env(base, "a-very-long-environment",
	    &fx->s, fx->errors, sizeof fx->errors), -1);

	assert_int_equal(settings_env_path("conf/tickdesk.cfg", "prod", buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "conf/env/prod.cfg");
	assert_int_equal(settings_env_path("tickdesk.cfg", "dev_2", buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "env/dev_2.cfg");
	assert_int_equal(settings_env_path("/td.cfg", "sim", buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "/env/sim.cfg");
	assert_int_equal(settings_env_path("a.cfg", "x/y", buf, sizeof buf),
	    -1);
	assert_int_equal(settings_env_path("a.cfg", "", buf, sizeof buf), -1);
	assert_int_equal(settings_env_path("a.cfg", "-x", buf, sizeof buf),
	    -1);
	assert_int_equal(settings_env_path("a.cfg", "prod", buf, 8), -1);

	unsetenv("TICKDESK_ENV");
	assert_null(settings_env(NULL));
	assert_string_equal(settings_env("dev"), "dev");
	setenv("TICKDESK_ENV", "sim", 1);
	assert_string_equal(settings_env(NULL), "sim");
	assert_string_equal(settings_env("prod"), "prod");
	setenv("TICKDESK_ENV", "", 1);
	assert_null(settings_env(NULL));
	unsetenv("TICKDESK_ENV");
}

/*
 * The shipped environments: each loads over the shipped file; dev is
 * permissive and verbose, sim has production's limits on a harsher
 * simulated exchange, prod is strict and quiet.
 */
static void
test_settings_env_shipped(void **state)
{
	struct fixture			*fx = *state;
	const struct engine_config	*ec = &fx->s.engine;
	char				 path[512];
	td_cents			 base_loss, dev_loss, sim_loss;

	shipped_path(path, sizeof path);
	assert_int_equal(settings_load(path, &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	base_loss = ec->risk.daily_loss;

	assert_int_equal(settings_load_env(path, "dev", &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_string_equal(fx->errors, "");
	dev_loss = ec->risk.daily_loss;
	assert_int_equal(ec->log_level, LOG_DEBUG);
	assert_int_equal(ec->risk.stale_after, 0);
	assert_int_equal(ec->risk.hours_start, ec->risk.hours_end);
	assert_int_equal(ec->nstrat, 2);
	assert_true(ec->strat[1].enabled);
	assert_string_equal(fx->s.log_file, "");

	assert_int_equal(settings_load_env(path, "sim", &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_string_equal(fx->errors, "");
	sim_loss = ec->risk.daily_loss;
	assert_int_equal(ec->log_level, LOG_INFO);
	assert_int_equal(fx->s.venue.slippage_ticks, 1);
	assert_true(fx->s.venue.latency > 0);
	assert_int_equal(ec->risk.max_positions, 1);
	assert_true(fx->s.log_file[0] != '\0');
	/* Kept from the base file. */
	assert_int_equal(ec->ninst, 2);
	assert_int_equal(ec->nstrat, 2);
	assert_false(ec->strat[1].enabled);

	assert_int_equal(settings_load_env(path, "prod", &fx->s, fx->errors,
	    sizeof fx->errors), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(ec->log_level, LOG_WARNING);
	assert_int_equal(fx->s.journal_sync, SETTINGS_SYNC_ALL);
	assert_int_equal(fx->s.log_retention_days, 90);
	assert_true(ec->risk.trailing_loss > 0);
	assert_true(ec->risk.daily_loss <= sim_loss);
	assert_true(ec->risk.max_contracts <= 2);
	assert_true(ec->risk.stale_after > 0);
	assert_true(fx->s.log_file[0] != '\0');

	assert_true(sim_loss < base_loss);
	assert_true(base_loss < dev_loss);
}

struct diffs {
	int	 n;
	char	 text[2048];
};

static void
diff_cb(void *arg, const struct settings_key *key, int idx, const char *path)
{
	struct diffs	*d = arg;
	size_t		 used = strlen(d->text);

	snprintf(d->text + used, sizeof d->text - used, "%s %s %d\n", path,
	    key->path, idx);
	d->n++;
}

static void
test_settings_diff(void **state)
{
	struct fixture	*fx = *state;
	struct diffs	 d = { 0 };
	const char	*cfg = MINIMAL
	    "strategies = ( { name = \"o\"; type = \"orb\"; symbol = \"ES\"; "
	    "params = { stop_ticks = 8; }; } );\n";

	assert_int_equal(load_text(fx, cfg), 0);
	settings_copy(&fx->t, &fx->s);
	assert_int_equal(settings_diff(&fx->s, &fx->t, diff_cb, &d), 0);

	assert_int_equal(load_text(fx,
	    "trading = { instruments = ( { symbol = \"ES\"; tick_size = 0.25; "
	    "point_value = 50; commission = 1; session = \"cme\"; } ); "
	    "sessions = ( { name = \"cme\"; holidays = [ \"2024-12-25\" ]; "
	    "} ); };\n"
	    "risk = { daily_loss = 900; trading_hours = \"10:00-15:00\"; };\n"
	    "strategies = ( { name = \"o\"; type = \"orb\"; symbol = \"ES\"; "
	    "params = { stop_ticks = 9; }; } );\n"
	    "logging = { level = \"debug\"; file = \"/tmp/x/\"; };\n"), 0);
	assert_int_equal(settings_diff(&fx->t, &fx->s, diff_cb, &d), 7);
	assert_string_equal(d.text,
	    "trading.instruments[0].commission "
	    "trading.instruments.commission 0\n"
	    "trading.sessions[0].holidays trading.sessions.holidays 0\n"
	    "risk.daily_loss risk.daily_loss -1\n"
	    "risk.trading_hours risk.trading_hours -1\n"
	    "strategies[0].params.stop_ticks strategies.params 0\n"
	    "logging.level logging.level -1\n"
	    "logging.file logging.file -1\n");

	/* A list of another length is one difference. */
	d.n = 0;
	d.text[0] = '\0';
	assert_int_equal(load_text(fx, MINIMAL), 0);
	assert_int_equal(settings_diff(&fx->t, &fx->s, diff_cb, &d), 1);
	assert_string_equal(d.text, "strategies strategies -1\n");
}

/* A file for a secret, with its mode. */
static const char *
secret_file(struct fixture *fx, const char *name, const char *text,
    mode_t mode)
{
	const char	*path = write_file(fx, name, text);

	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* References resolve; plain text, open files and missing ones do not. */
static void
test_settings_secret_refs(void **state)
{
	struct fixture	*fx = *state;
	struct errmsg	 err;
	char		 buf[64], ref[700], want[800], path[600];

	setenv("TD_TEST_SECRET", "s3cr3t-token", 1);
	assert_int_equal(settings_secret_ref("env:TD_TEST_SECRET", buf,
	    sizeof buf, &err), 1);
	assert_string_equal(buf, "s3cr3t-token");
	assert_int_equal(settings_secret_ref("", buf, sizeof buf, &err), 0);
	assert_string_equal(buf, "");
	unsetenv("TD_TEST_SECRET");
	assert_int_equal(settings_secret_ref("env:TD_TEST_SECRET", buf,
	    sizeof buf, &err), -1);
	assert_string_equal(err.msg, "environment variable TD_TEST_SECRET is "
	    "not set");
	assert_int_equal(settings_secret_ref("env:1BAD", buf, sizeof buf,
	    &err), -1);
	assert_int_equal(settings_secret_ref("hunter2", buf, sizeof buf,
	    &err), -1);
	assert_string_equal(err.msg, "must be \"env:NAME\" or \"file:PATH\", "
	    "never the secret itself");
	assert_null(strstr(err.msg, "hunter2"));

	/* A private file: its content without the final newline. */
	snprintf(path, sizeof path, "%s", secret_file(fx, "pw", "pa55word\n",
	    0600));
	snprintf(ref, sizeof ref, "file:%s", path);
	assert_int_equal(settings_secret_ref(ref, buf, sizeof buf, &err), 1);
	assert_string_equal(buf, "pa55word");
	/* Readable by the group: refused, and the value is not shown. */
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(settings_secret_ref(ref, buf, sizeof buf, &err), -1);
	snprintf(want, sizeof want, "%s: group or others may read it (mode "
	    "0640): chmod 600 it", path);
	assert_string_equal(err.msg, want);
	assert_string_equal(buf, "");
	assert_int_equal(chmod(path, 0604), 0);
	assert_int_equal(settings_secret_ref(ref, buf, sizeof buf, &err), -1);
	/* Too long for the buffer. */
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(settings_secret_ref(ref, buf, 4, &err), -1);
	snprintf(want, sizeof want, "%s: longer than 3 bytes", path);
	assert_string_equal(err.msg, want);
	/* Empty, missing, not a file. */
	snprintf(ref, sizeof ref, "file:%s",
	    secret_file(fx, "empty", "\n", 0600));
	assert_int_equal(settings_secret_ref(ref, buf, sizeof buf, &err), -1);
	snprintf(ref, sizeof ref, "file:%s/none", fx->dir);
	assert_int_equal(settings_secret_ref(ref, buf, sizeof buf, &err), -1);
	snprintf(want, sizeof want, "%s/none: No such file or directory",
	    fx->dir);
	assert_string_equal(err.msg, want);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	snprintf(ref, sizeof ref, "file:%s", fx->dir);
	assert_int_equal(settings_secret_ref(ref, buf, sizeof buf, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(settings_secret_ref("file:", buf, sizeof buf, &err),
	    -1);
}

/* The first key of type secret outside lists; NULL while there is none. */
static const struct settings_key *
secret_key(void)
{
	const struct settings_key	*key, *up;
	char				 parent[256], *dot;

	for (key = settings_table(); key->path != NULL; key++) {
		if (key->type != SETTINGS_SECRET)
			continue;
		snprintf(parent, sizeof parent, "%s", key->path);
		while ((dot = strrchr(parent, '.')) != NULL) {
			*dot = '\0';
			if ((up = settings_key_find(parent)) != NULL &&
			    up->type == SETTINGS_LIST)
				break;
		}
		if (dot == NULL)
			return key;
	}
	return NULL;
}

/* "a.b.c" = value as "a = { b = { c = "value"; }; };" after MINIMAL. */
static const char *
secret_text(const struct settings_key *key, const char *value, char *buf,
    size_t len)
{
	char	 path[256], *part, *dot;
	int	 depth = 0;
	size_t	 used;

	snprintf(buf, len, "%s", MINIMAL);
	snprintf(path, sizeof path, "%s", key->path);
	for (part = path; (dot = strchr(part, '.')) != NULL; part = dot + 1) {
		*dot = '\0';
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s = { ", part);
		depth++;
	}
	used = strlen(buf);
	snprintf(buf + used, len - used, "%s = \"%s\";", part, value);
	while (depth-- > 0) {
		used = strlen(buf);
		snprintf(buf + used, len - used, " };");
	}
	used = strlen(buf);
	snprintf(buf + used, len - used, "\n");
	return buf;
}

/*
 * A secret key holds where its value comes from: the value itself is
 * refused, an open file is refused, and printing shows the reference and
 * ********, never the value.
 */
static void
test_settings_secret_masking(void **state)
{
	struct fixture			*fx = *state;
	const struct settings_key	*key = secret_key();
	struct errmsg			 err;
	char				 text[4096], ref[700], buf[256];
	char				 path[600];
	char				*printed = NULL;
	size_t				 n = 0;
	FILE				*f;

	if (key == NULL) {
		/* The alert sinks bring the first secret keys. */
		print_message("no key of type secret in the table yet\n");
		skip();
	}
	setenv("TD_TEST_SECRET", "s3cr3t-value-42", 1);
	assert_int_equal(load_text(fx, secret_text(key, "env:TD_TEST_SECRET",
	    text, sizeof text)), 0);
	assert_int_equal(settings_secret(&fx->s, key->path, buf, sizeof buf,
	    &err), 1);
	assert_string_equal(buf, "s3cr3t-value-42");
	assert_non_null(f = open_memstream(&printed, &n));
	assert_int_equal(settings_print(f, &fx->s), 0);
	fclose(f);
	assert_null(strstr(printed, "s3cr3t-value-42"));
	assert_non_null(strstr(printed, "\"env:TD_TEST_SECRET\";\t# secret: "
	    "********\n"));
	free(printed);
	/* Printed, it reads back the same. */
	check_round_trip(fx, fx->path);

	/* The secret typed in: refused, and not repeated. */
	assert_int_equal(load_text(fx, secret_text(key, "hunter2-typed-in",
	    text, sizeof text)), -1);
	assert_string_equal(fx->errors, expect(fx, "%s:2: %s: must be "
	    "\"env:NAME\" or \"file:PATH\", never the secret itself\n",
	    fx->path, key->path));
	assert_null(strstr(fx->errors, "hunter2"));

	/* A variable that is not set. */
	unsetenv("TD_TEST_SECRET");
	assert_int_equal(load_text(fx, secret_text(key, "env:TD_TEST_SECRET",
	    text, sizeof text)), -1);
	assert_string_equal(fx->errors, expect(fx, "%s:2: %s: environment "
	    "variable TD_TEST_SECRET is not set\n", fx->path, key->path));

	/* A file the group may read: refused; private: read. */
	snprintf(path, sizeof path, "%s", secret_file(fx, "secret",
	    "from-a-file\n", 0640));
	snprintf(ref, sizeof ref, "file:%s", path);
	assert_int_equal(load_text(fx, secret_text(key, ref, text,
	    sizeof text)), -1);
	assert_non_null(strstr(fx->errors, "group or others may read it (mode "
	    "0640): chmod 600 it"));
	assert_null(strstr(fx->errors, "from-a-file"));
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(load_text(fx, secret_text(key, ref, text,
	    sizeof text)), 0);
	assert_int_equal(settings_secret(&fx->s, key->path, buf, sizeof buf,
	    &err), 1);
	assert_string_equal(buf, "from-a-file");
	/* Made open after the load: the use refuses it, naming the key. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(settings_secret(&fx->s, key->path, buf, sizeof buf,
	    &err), -1);
	assert_true(strncmp(err.msg, key->path, strlen(key->path)) == 0);
	assert_string_equal(buf, "");
}

/* The accessor knows which keys are secrets. */
static void
test_settings_secret_keys(void **state)
{
	struct fixture	*fx = *state;
	struct errmsg	 err;
	char		 buf[64];

	assert_int_equal(load_text(fx, MINIMAL), 0);
	assert_int_equal(settings_secret(&fx->s, "risk.daily_loss", buf,
	    sizeof buf, &err), -1);
	assert_string_equal(err.msg, "risk.daily_loss: not a secret");
	assert_int_equal(settings_secret(&fx->s, "risk.nope", buf,
	    sizeof buf, &err), -1);
	assert_string_equal(err.msg, "risk.nope: unknown key");
	assert_int_equal(settings_secret(&fx->s, "strategies[9].name", buf,
	    sizeof buf, &err), -1);
	assert_string_equal(settings_type_name(SETTINGS_SECRET), "secret");
	if (secret_key() != NULL) {
		/* Not configured: empty, not an error. */
		assert_int_equal(settings_secret(&fx->s, secret_key()->path,
		    buf, sizeof buf, &err), 0);
		assert_string_equal(buf, "");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_settings_shipped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_defaults,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_table,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_risk_from_table,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_money_exact,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_locale,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_money_decimals,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_unknown_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_wrong_type,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_out_of_range,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_bad_enum_and_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_bad_zone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_session_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_instrument_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_negative_prices, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_strategy_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_strategy_params, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_strategy_typed_params, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_contradictions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_syntax_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_include,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_all_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_errors_cut,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_settings_print_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_copy,
		    setup, teardown),
		cmocka_unit_test(test_settings_path),
		cmocka_unit_test_setup_teardown(
		    test_settings_loss_contradictions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_env_layering,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_env_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_env_required,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_env_names,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_env_shipped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_diff,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_secret_refs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_secret_masking,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_plugin,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_plugin_diff,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_plugin_env,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_plugin_problems,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_secret_keys,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
