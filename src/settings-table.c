/*
 * settings-table.c -- every key of tickdesk.cfg, as data.
 *
 * One row per key, in the order of the file and of tickdesk.conf(5): its
 * path, type, range, default (as written in the file), unit and one line
 * of description, and where settings_load stores it.  Adding a key is one
 * row here, one entry in man/tickdesk.conf.5 (tests/cli/conf.sh checks
 * both ways) and, when the engine needs it, a field in its config struct.
 * The keys of the risk group are not rows here: each is made from its
 * limit in the risk module's table (risk_limits), which the risk manager,
 * `risk set` and reload walk too, so a limit is described once.
 * Keys inside a list ("trading.instruments.symbol") are stored relative
 * to the element's struct; the loader finds the element.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "opt-ga.h"
#include "risk.h"
#include "rollout.h"
#include "settings.h"

/* Where a key goes: a field of struct settings or of a list element. */
#define ROOT(f)								\
	.base = SETTINGS_BASE_ROOT,					\
	.offset = offsetof(struct settings, f),				\
	.size = sizeof(((struct settings *)0)->f)
#define INST(f)								\
	.base = SETTINGS_BASE_INST,					\
	.offset = offsetof(struct instrument, f),			\
	.size = sizeof(((struct instrument *)0)->f)
#define MODEL(f)							\
	.base = SETTINGS_BASE_MODEL,					\
	.offset = offsetof(struct settings_model, f),			\
	.size = sizeof(((struct settings_model *)0)->f)
#define CAL(f)								\
	.base = SETTINGS_BASE_CAL,					\
	.offset = offsetof(struct calendar_cfg, f),			\
	.size = sizeof(((struct calendar_cfg *)0)->f)
#define ATM(f)								\
	.base = SETTINGS_BASE_ATM,					\
	.offset = offsetof(struct engine_atm, f),			\
	.size = sizeof(((struct engine_atm *)0)->f)
#define STRAT(f)							\
	.base = SETTINGS_BASE_STRAT,					\
	.offset = offsetof(struct strategy_cfg, f),			\
	.size = sizeof(((struct strategy_cfg *)0)->f)
#define STAGE(f)							\
	.base = SETTINGS_BASE_STAGE,					\
	.offset = offsetof(struct rollout_stage, f),			\
	.size = sizeof(((struct rollout_stage *)0)->f)
#define FILTER(f)							\
	.base = SETTINGS_BASE_FILTER,					\
	.offset = offsetof(struct signal_filter, f),			\
	.size = sizeof(((struct signal_filter *)0)->f)

/* Target N of a bracket template: its distance and its quantity. */
#define ATM_TARGET(n, k)						\
	{ .path = "atm.target" #n "_ticks", .type = SETTINGS_INT,	\
	  .min = 0, .max = 10000, .def = "0", .unit = "ticks",		\
	  .text = "target " #n " from the entry's fill; 0 is none",	\
	  ATM(br.target_ticks[k]), .scale = 1 },			\
	{ .path = "atm.target" #n "_qty", .type = SETTINGS_INT,	\
	  .min = 1, .max = COUNT_MAX, .def = "1", .unit = "contracts",	\
	  .text = "target " #n "'s share of the entry",			\
	  ATM(br.target_qty[k]), .scale = 1 }

/* Largest amount of money a key accepts: one billion dollars. */
#define MONEY_MAX	100000000000LL
/* Largest count of contracts or orders. */
#define COUNT_MAX	100000

static const char *const settings_sizing_methods[] = {
	[SIZER_FIXED] = "fixed",
	[SIZER_RISK] = "risk",
	NULL,
};

static const char *const settings_filter_missing[] = {
	[SIGNAL_MISSING_SKIP] = "skip",
	[SIGNAL_MISSING_TRADE] = "trade",
	NULL,
};

static const char *const settings_strat_starts[] = {
	[STRAT_START_IMMEDIATELY] = "immediately",
	[STRAT_START_WAIT_FLAT] = "wait_until_flat",
	[STRAT_START_ADOPT] = "adopt",
	NULL,
};

static const char *const settings_venue_types[] = {
	[SETTINGS_VENUE_SIM] = "sim",
	[SETTINGS_VENUE_FIX] = "fix",
	NULL,
};

static const char *const settings_opt_objectives[] = {
	[OPT_NET] = "net",
	[OPT_SHARPE] = "sharpe",
	[OPT_PROFIT_FACTOR] = "profit_factor",
	[OPT_EXPECTANCY] = "expectancy",
	[OPT_ROMAD] = "romad",
	NULL,
};

static const char *const settings_opt_methods[] = {
	"grid",
	"genetic",
	NULL,
};

static const char *const settings_feed_types[] = {
	[SETTINGS_FEED_NONE] = "none",
	[SETTINGS_FEED_FIX] = "fix",
	NULL,
};

static const char *const settings_on_unprotected[] = {
	[ENGINE_UNPROT_FLATTEN] = "flatten",
	[ENGINE_UNPROT_HALT] = "halt",
	NULL,
};

static const char *const settings_on_link_loss[] = {
	[ENGINE_LINK_KEEP] = "keep",
	[ENGINE_LINK_HALT] = "halt",
	[ENGINE_LINK_FLATTEN] = "flatten",
	NULL,
};

static const char *const settings_mass_cancels[] = {
	[VFIX_MASS_AUTO] = "auto",
	[VFIX_MASS_ON] = "on",
	[VFIX_MASS_OFF] = "off",
	NULL,
};

static const char *const settings_bar_paths[] = {
	[SIM_STOP_FIRST] = "stop-first",
	[SIM_OHLC] = "ohlc",
	NULL,
};

/* As fill_model_name says them (fill-model.h). */
static const char *const settings_fill_models[] = {
	[FILL_TICKDESK] = "tickdesk",
	[FILL_NT8_DEFAULT] = "nt8-default",
	[FILL_NT8_LIBERAL] = "nt8-liberal",
	[FILL_BACKTRADER] = "backtrader",
	NULL,
};

static const char *const settings_disorders[] = {
	[READER_REJECT] = "reject",
	[READER_SKIP] = "skip",
	NULL,
};

static const char *const settings_on_signals[] = {
	[SETTINGS_SIGNAL_KEEP] = "keep",
	[SETTINGS_SIGNAL_FLATTEN] = "flatten",
	NULL,
};

static const char *const settings_journal_syncs[] = {
	[SETTINGS_SYNC_FILLS] = "fills",
	[SETTINGS_SYNC_ALL] = "all",
	NULL,
};

static const char *const settings_alert_severities[] = {
	[ALERT_INFO] = "info",
	[ALERT_WARNING] = "warning",
	[ALERT_ERROR] = "error",
	[ALERT_CRITICAL] = "critical",
	NULL,
};

static const char *const settings_log_levels[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARNING] = "warning",
	[LOG_ERROR] = "error",
	[LOG_CRITICAL] = "critical",
	NULL,
};

/* The rows up to the risk group. */
static const struct settings_key settings_head[] = {
	/* trading: what is traded and when. */
	{ .path = "trading", .type = SETTINGS_GROUP,
	  .text = "instruments and their trading sessions" },

	{ .path = "trading.instruments", .type = SETTINGS_LIST,
	  .min = 1, .max = ENGINE_MAX_INST, .unit = "instruments",
	  .text = "the contracts the desk trades, at least one",
	  ROOT(engine.ninst) },
	{ .path = "trading.instruments.symbol", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_SYMBOL_MAX - 1, .unit = "characters",
	  .text = "symbol of the contract, unique (\"ES\")",
	  INST(symbol) },
	{ .path = "trading.instruments.tick_size", .type = SETTINGS_PRICE,
	  .min = 1, .max = 10000 * TD_PX_SCALE, .unit = "points",
	  .text = "smallest price step, up to 9 decimals",
	  INST(tick_size) },
	{ .path = "trading.instruments.point_value", .type = SETTINGS_MONEY,
	  .min = 1, .max = 100000000, .unit = "dollars",
	  .text = "value of one whole point of price for one contract",
	  INST(point_value) },
	{ .path = "trading.instruments.commission", .type = SETTINGS_MONEY,
	  .min = 0, .max = 100000, .def = "0.00", .unit = "dollars",
	  .text = "commission and fees per contract and side",
	  INST(commission) },
	{ .path = "trading.instruments.session", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "characters",
	  .text = "name of the trading.sessions entry the contract trades in",
	  .base = SETTINGS_BASE_INST_SESSION, .size = TD_NAME_MAX },
	{ .path = "trading.instruments.negative_prices", .type = SETTINGS_BOOL,
	  .def = "false", .unit = "boolean",
	  .text = "the market can trade at zero or below; otherwise market "
	  "data with such prices is refused",
	  INST(negative_prices) },

	{ .path = "trading.sessions", .type = SETTINGS_LIST,
	  .min = 1, .max = ENGINE_MAX_CAL, .unit = "sessions",
	  .text = "session templates, in the exchange's time zone",
	  ROOT(engine.ncal) },
	{ .path = "trading.sessions.name", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "characters",
	  .text = "name of the session template, unique (\"cme-equity\")",
	  CAL(name) },
	{ .path = "trading.sessions.timezone", .type = SETTINGS_ZONE,
	  .min = 1, .max = SETTINGS_ZONE_MAX - 1, .def = "America/New_York",
	  .unit = "zone", .text = "time zone of the session hours",
	  CAL(tz) },
	{ .path = "trading.sessions.rth", .type = SETTINGS_RANGE,
	  .def = "09:30-16:00", .unit = "HH:MM-HH:MM",
	  .text = "regular trading hours",
	  CAL(rth_open), .offset2 = offsetof(struct calendar_cfg, rth_close) },
	{ .path = "trading.sessions.eth", .type = SETTINGS_RANGE,
	  .def = "18:00-17:00", .unit = "HH:MM-HH:MM",
	  .text = "extended hours, containing rth; an open after the close "
	  "starts the evening before",
	  CAL(eth_open), .offset2 = offsetof(struct calendar_cfg, eth_close) },
	{ .path = "trading.sessions.day_roll", .type = SETTINGS_TIME,
	  .def = "17:00", .unit = "HH:MM",
	  .text = "local time at which the trading day rolls to the next",
	  CAL(day_roll) },
	{ .path = "trading.sessions.roll_timezone", .type = SETTINGS_ZONE,
	  .min = 0, .max = SETTINGS_ZONE_MAX - 1, .def = "America/Chicago",
	  .unit = "zone",
	  .text = "time zone of day_roll; empty for the session's zone",
	  CAL(roll_tz) },
	{ .path = "trading.sessions.holidays", .type = SETTINGS_DATES,
	  .min = 0, .max = CAL_MAX_DATES, .def = "", .unit = "dates",
	  .text = "trading days without a session",
	  CAL(holidays), .offset2 = offsetof(struct calendar_cfg, nholidays) },
	{ .path = "trading.sessions.early_closes", .type = SETTINGS_CLOSES,
	  .min = 0, .max = CAL_MAX_DATES, .def = "", .unit = "dates",
	  .text = "trading days whose regular and extended hours end early, "
	  "with the local closing time",
	  CAL(early_date), .offset2 = offsetof(struct calendar_cfg, nearly),
	  .offset3 = offsetof(struct calendar_cfg, early_close) },

	/* risk: the limits every order passes, manual orders too; its keys
	 * come from the risk module's table (settings_risk_rows). */
	{ .path = "risk", .type = SETTINGS_GROUP,
	  .text = "pre-trade checks and loss limits" },
};

/* The rows after the risk group's keys. */
static const struct settings_key settings_tail[] = {
	/* sizing: how many contracts a strategy's entry gets. */
	{ .path = "sizing", .type = SETTINGS_GROUP,
	  .text = "the quantity of strategy entries" },
	{ .path = "sizing.method", .type = SETTINGS_ENUM,
	  .names = settings_sizing_methods, .def = "fixed", .unit = "name",
	  .text = "fixed contracts, or as many as risk_per_trade allows "
	  "with the entry's stop",
	  ROOT(engine.sizing.method) },
	{ .path = "sizing.contracts", .type = SETTINGS_INT,
	  .min = 1, .max = COUNT_MAX, .def = "1", .unit = "contracts",
	  .text = "quantity of each entry with the fixed method",
	  ROOT(engine.sizing.contracts), .scale = 1 },
	{ .path = "sizing.risk_per_trade", .type = SETTINGS_MONEY,
	  .min = 0, .max = MONEY_MAX, .def = "250.00", .unit = "dollars",
	  .text = "money at risk to the stop per entry with the risk method",
	  ROOT(engine.sizing.risk_per_trade) },
	{ .path = "sizing.min_contracts", .type = SETTINGS_INT,
	  .min = 1, .max = COUNT_MAX, .def = "1", .unit = "contracts",
	  .text = "with the risk method, skip entries smaller than this",
	  ROOT(engine.sizing.min_contracts), .scale = 1 },
	{ .path = "sizing.max_contracts", .type = SETTINGS_INT,
	  .min = 0, .max = COUNT_MAX, .def = "4", .unit = "contracts",
	  .text = "with the risk method, the largest entry; 0 is no cap",
	  ROOT(engine.sizing.max_contracts), .scale = 1 },

	/* venue: where orders go. */
	{ .path = "venue", .type = SETTINGS_GROUP,
	  .text = "the exchange orders are sent to" },
	{ .path = "venue.type", .type = SETTINGS_ENUM,
	  .names = settings_venue_types, .def = "sim", .unit = "name",
	  .text = "sim, the simulated exchange; fix, a counterparty over "
	  "FIX 4.4",
	  ROOT(venue_type) },
	{ .path = "venue.slippage_ticks", .type = SETTINGS_INT,
	  .min = 0, .max = 1000, .def = "0", .unit = "ticks",
	  .text = "market and stop fills this much worse for the trader",
	  ROOT(venue.slippage_ticks), .scale = 1 },
	{ .path = "venue.bar_path", .type = SETTINGS_ENUM,
	  .names = settings_bar_paths, .def = "stop-first", .unit = "name",
	  .text = "order of stops and limits inside one bar",
	  ROOT(venue.bar_path) },
	{ .path = "venue.fill_model", .type = SETTINGS_ENUM,
	  .names = settings_fill_models, .def = "tickdesk", .unit = "name",
	  .text = "the fill rules: tickdesk, nt8-default, nt8-liberal or "
	  "backtrader",
	  ROOT(venue.fill_model) },
	{ .path = "venue.participation", .type = SETTINGS_INT,
	  .min = 0, .max = 100, .def = "0", .unit = "percent",
	  .text = "an order fills at most this share of a bar's volume; "
	  "0 is off",
	  ROOT(venue.participation_pct), .scale = 1 },
	{ .path = "venue.latency_ms", .type = SETTINGS_INT,
	  .min = 0, .max = 60000, .def = "0", .unit = "milliseconds",
	  .text = "time from sending an order until it can fill",
	  ROOT(venue.latency), .scale = 1000000 },
	{ .path = "venue.max_orders", .type = SETTINGS_INT,
	  .min = 1, .max = 1000000, .def = "1024", .unit = "orders",
	  .text = "orders the venue and the order manager hold at once",
	  ROOT(venue.max_orders), .scale = 1 },
	{ .path = "venue.on_stop_reject", .type = SETTINGS_ENUM,
	  .names = settings_on_unprotected, .def = "flatten", .unit = "name",
	  .text = "a position whose stop the venue refused: flatten it, or "
	  "halt for a person",
	  ROOT(engine.on_unprotected) },
	{ .path = "venue.on_disconnect", .type = SETTINGS_ENUM,
	  .names = settings_on_link_loss, .def = "keep", .unit = "name",
	  .text = "the venue's link lost: keep the orders and wait, halt, or "
	  "halt and flatten once it is back",
	  ROOT(engine.on_link_loss) },
	{ .path = "venue.host", .type = SETTINGS_STRING,
	  .min = 0, .max = 255, .def = "", .unit = "name",
	  .text = "fix: the counterparty's host name or address",
	  ROOT(venue_fix.host) },
	{ .path = "venue.port", .type = SETTINGS_INT,
	  .min = 0, .max = 65535, .def = "0", .unit = "port",
	  .text = "fix: the counterparty's TCP port",
	  ROOT(venue_fix.port), .scale = 1 },
	{ .path = "venue.sender_comp_id", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: our SenderCompID (49)",
	  ROOT(venue_fix.sender) },
	{ .path = "venue.target_comp_id", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: the counterparty's TargetCompID (56)",
	  ROOT(venue_fix.target) },
	{ .path = "venue.account", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: the Account (1) of every order; empty for none",
	  ROOT(venue_fix.account) },
	{ .path = "venue.fix_version", .type = SETTINGS_STRING,
	  .min = 0, .max = 15, .def = "FIX.4.4", .unit = "name",
	  .text = "fix: FIX.4.4, or FIX.4.2",
	  ROOT(venue_fix.begin) },
	{ .path = "venue.heartbeat", .type = SETTINGS_INT,
	  .min = 1, .max = 3600, .def = "30", .unit = "seconds",
	  .text = "fix: the heartbeat interval asked at logon",
	  ROOT(venue_fix.heartbeat), .scale = 1 },
	{ .path = "venue.reset_on_logon", .type = SETTINGS_BOOL,
	  .def = "false", .unit = "boolean",
	  .text = "fix: both sides start from sequence number 1 at each logon",
	  ROOT(venue_fix.reset_on_logon) },
	{ .path = "venue.username", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: the Username (553) of the logon; empty for none",
	  ROOT(venue_fix.username) },
	{ .path = "venue.password", .type = SETTINGS_SECRET,
	  .min = 0, .max = 255, .def = "", .unit = "secret",
	  .text = "fix: where the Password (554) is: env:NAME or file:PATH",
	  ROOT(venue_password) },
	{ .path = "venue.tls", .type = SETTINGS_BOOL,
	  .def = "false", .unit = "boolean",
	  .text = "fix: the link is TLS",
	  ROOT(venue_fix.tls) },
	{ .path = "venue.tls_verify", .type = SETTINGS_BOOL,
	  .def = "true", .unit = "boolean",
	  .text = "fix: check the counterparty's certificate and name",
	  ROOT(venue_fix.tls_verify) },
	{ .path = "venue.tls_ca_file", .type = SETTINGS_STRING,
	  .min = 0, .max = 4095, .def = "", .unit = "path",
	  .text = "fix: the certificates to trust (PEM); empty for the "
	  "system's",
	  ROOT(venue_fix.tls_ca_file) },
	{ .path = "venue.cancel_on_disconnect_tag", .type = SETTINGS_INT,
	  .min = 0, .max = 99999, .def = "0", .unit = "tag",
	  .text = "fix: ask at logon, with this tag set to Y, that the "
	  "counterparty cancel our orders when the link drops; 0 asks not",
	  ROOT(venue_fix.cod_tag), .scale = 1 },
	{ .path = "venue.mass_cancel", .type = SETTINGS_ENUM,
	  .names = settings_mass_cancels, .def = "auto", .unit = "name",
	  .text = "fix: OrderMassCancelRequest: auto tries it once, off sends "
	  "one cancel per order",
	  ROOT(venue_fix.mass_cancel) },
	{ .path = "venue.reconnect_min_ms", .type = SETTINGS_INT,
	  .min = 10, .max = 3600000, .def = "1000", .unit = "milliseconds",
	  .text = "fix: the first wait before connecting again",
	  ROOT(venue_fix.backoff_min), .scale = 1000000 },
	{ .path = "venue.reconnect_max_ms", .type = SETTINGS_INT,
	  .min = 10, .max = 3600000, .def = "60000", .unit = "milliseconds",
	  .text = "fix: the longest wait before connecting again",
	  ROOT(venue_fix.backoff_max), .scale = 1000000 },
	{ .path = "venue.query_timeout", .type = SETTINGS_INT,
	  .min = 1, .max = 600, .def = "10", .unit = "seconds",
	  .text = "fix: how long a restart waits for the counterparty's "
	  "answers",
	  ROOT(venue_fix.query_timeout), .scale = TD_NS_PER_SEC },
	{ .path = "venue.session_hours", .type = SETTINGS_RANGE,
	  .def = "00:00-00:00", .unit = "HH:MM-HH:MM",
	  .text = "fix: the counterparty's session hours, logged on only "
	  "within them; equal ends are all day",
	  ROOT(venue_fix.session_open),
	  .offset2 = offsetof(struct settings, venue_fix.session_close) },
	{ .path = "venue.session_timezone", .type = SETTINGS_ZONE,
	  .min = 1, .max = 63, .def = "UTC", .unit = "zone",
	  .text = "fix: the time zone of venue.session_hours",
	  ROOT(venue_fix.session_tz) },
	{ .path = "venue.message_log", .type = SETTINGS_STRING,
	  .min = 0, .max = 4095, .def = "", .unit = "path",
	  .text = "fix: every message in and out, one line each; empty for "
	  "none",
	  ROOT(venue_fix.msglog) },
	{ .path = "venue.emergency", .type = SETTINGS_GROUP,
	  .text = "fix: a second session to the same counterparty that the "
	  "kill switch uses while the main one is down" },
	{ .path = "venue.emergency.host", .type = SETTINGS_STRING,
	  .min = 0, .max = 255, .def = "", .unit = "name",
	  .text = "fix: the emergency session's host; empty for venue.host",
	  ROOT(venue_fix.em.host) },
	{ .path = "venue.emergency.port", .type = SETTINGS_INT,
	  .min = 0, .max = 65535, .def = "0", .unit = "port",
	  .text = "fix: the emergency session's TCP port; 0 for none",
	  ROOT(venue_fix.em.port), .scale = 1 },
	{ .path = "venue.emergency.sender_comp_id", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: our SenderCompID (49) on the emergency session",
	  ROOT(venue_fix.em.sender) },
	{ .path = "venue.emergency.target_comp_id", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: the counterparty's TargetCompID (56) on the "
	  "emergency session",
	  ROOT(venue_fix.em.target) },
	{ .path = "venue.emergency.message_log", .type = SETTINGS_STRING,
	  .min = 0, .max = 4095, .def = "", .unit = "path",
	  .text = "fix: the emergency session's messages, one line each; "
	  "empty for none",
	  ROOT(venue_fix.em.msglog) },

	/* feed: where market data comes from in a session. */
	{ .path = "feed", .type = SETTINGS_GROUP,
	  .text = "where a session's market data comes from" },
	{ .path = "feed.type", .type = SETTINGS_ENUM,
	  .names = settings_feed_types, .def = "none", .unit = "name",
	  .text = "none, the data files or the demo the command names; fix, "
	  "a counterparty's market data over FIX 4.4",
	  ROOT(feed_type) },
	{ .path = "feed.host", .type = SETTINGS_STRING,
	  .min = 0, .max = 255, .def = "", .unit = "name",
	  .text = "fix: the counterparty's host name or address",
	  ROOT(feed_fix.host) },
	{ .path = "feed.port", .type = SETTINGS_INT,
	  .min = 0, .max = 65535, .def = "0", .unit = "port",
	  .text = "fix: the counterparty's TCP port",
	  ROOT(feed_fix.port), .scale = 1 },
	{ .path = "feed.sender_comp_id", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: our SenderCompID (49) on the market data session",
	  ROOT(feed_fix.sender) },
	{ .path = "feed.target_comp_id", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: the counterparty's TargetCompID (56) on it",
	  ROOT(feed_fix.target) },
	{ .path = "feed.fix_version", .type = SETTINGS_STRING,
	  .min = 0, .max = 15, .def = "FIX.4.4", .unit = "name",
	  .text = "fix: FIX.4.4, or FIX.4.2",
	  ROOT(feed_fix.begin) },
	{ .path = "feed.heartbeat", .type = SETTINGS_INT,
	  .min = 1, .max = 3600, .def = "30", .unit = "seconds",
	  .text = "fix: the heartbeat interval asked at logon",
	  ROOT(feed_fix.heartbeat), .scale = 1 },
	{ .path = "feed.reset_on_logon", .type = SETTINGS_BOOL,
	  .def = "false", .unit = "boolean",
	  .text = "fix: both sides start from sequence number 1 at each logon",
	  ROOT(feed_fix.reset_on_logon) },
	{ .path = "feed.username", .type = SETTINGS_STRING,
	  .min = 0, .max = 63, .def = "", .unit = "name",
	  .text = "fix: the Username (553) of the logon; empty for none",
	  ROOT(feed_fix.username) },
	{ .path = "feed.password", .type = SETTINGS_SECRET,
	  .min = 0, .max = 255, .def = "", .unit = "secret",
	  .text = "fix: where the Password (554) is: env:NAME or file:PATH",
	  ROOT(feed_password) },
	{ .path = "feed.tls", .type = SETTINGS_BOOL,
	  .def = "false", .unit = "boolean",
	  .text = "fix: the link is TLS",
	  ROOT(feed_fix.tls) },
	{ .path = "feed.tls_verify", .type = SETTINGS_BOOL,
	  .def = "true", .unit = "boolean",
	  .text = "fix: check the counterparty's certificate and name",
	  ROOT(feed_fix.tls_verify) },
	{ .path = "feed.tls_ca_file", .type = SETTINGS_STRING,
	  .min = 0, .max = 4095, .def = "", .unit = "path",
	  .text = "fix: the certificates to trust (PEM); empty for the "
	  "system's",
	  ROOT(feed_fix.tls_ca_file) },
	{ .path = "feed.reconnect_min_ms", .type = SETTINGS_INT,
	  .min = 10, .max = 3600000, .def = "1000", .unit = "milliseconds",
	  .text = "fix: the first wait before connecting again",
	  ROOT(feed_fix.backoff_min), .scale = 1000000 },
	{ .path = "feed.reconnect_max_ms", .type = SETTINGS_INT,
	  .min = 10, .max = 3600000, .def = "60000", .unit = "milliseconds",
	  .text = "fix: the longest wait before connecting again",
	  ROOT(feed_fix.backoff_max), .scale = 1000000 },
	{ .path = "feed.message_log", .type = SETTINGS_STRING,
	  .min = 0, .max = 4095, .def = "", .unit = "path",
	  .text = "fix: every message in and out, one line each; empty for "
	  "none",
	  ROOT(feed_fix.msglog) },
	{ .path = "feed.symbols", .type = SETTINGS_STRING,
	  .min = 0, .max = FEED_FIX_SYMBOLS_MAX - 1, .def = "",
	  .unit = "names",
	  .text = "fix: the instruments to ask prices for, by symbol, "
	  "separated by commas; empty for every one of trading.instruments",
	  ROOT(feed_fix.symbols) },

	/* strategies: what trades by itself. */
	{ .path = "strategies", .type = SETTINGS_LIST,
	  .min = 0, .max = ENGINE_MAX_STRAT, .def = "", .unit = "strategies",
	  .text = "strategy instances; none means manual trading only",
	  ROOT(engine.nstrat) },
	{ .path = "strategies.name", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "characters",
	  .text = "name of this instance, unique, used in logs and journals",
	  STRAT(name) },
	{ .path = "strategies.type", .type = SETTINGS_STRATEGY,
	  .min = 0, .max = TD_NAME_MAX - 1, .def = "", .unit = "name",
	  .text = "the strategy to run; required unless a plugin gives it",
	  STRAT(type) },
	{ .path = "strategies.plugin", .type = SETTINGS_STRING,
	  .min = 0, .max = SETTINGS_SOURCE_MAX - 1, .def = "", .unit = "path",
	  .text = "shared object holding the strategy, relative to this "
	  "file; empty for a built-in",
	  .base = SETTINGS_BASE_STRAT_PLUGIN, .size = SETTINGS_SOURCE_MAX },
	{ .path = "strategies.symbol", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_SYMBOL_MAX - 1, .unit = "characters",
	  .text = "symbol of the trading.instruments entry it trades",
	  STRAT(symbol) },
	{ .path = "strategies.enabled", .type = SETTINGS_BOOL,
	  .def = "true", .unit = "boolean",
	  .text = "run it; a disabled strategy is loaded but never trades",
	  STRAT(enabled) },
	{ .path = "strategies.start", .type = SETTINGS_ENUM,
	  .names = settings_strat_starts, .def = "immediately", .unit = "name",
	  .text = "trade at once, hold new orders until the account is flat "
	  "on its instruments, or adopt the account's position there",
	  STRAT(start) },
	{ .path = "strategies.atm", .type = SETTINGS_STRING,
	  .min = 0, .max = TD_NAME_MAX - 1, .def = "", .unit = "name",
	  .text = "bracket template of its entries; empty for its own stop "
	  "and target",
	  STRAT(atm) },
	{ .path = "strategies.params", .type = SETTINGS_PARAMS,
	  .def = "", .unit = "group",
	  .text = "the strategy's parameters; each missing one takes its "
	  "default",
	  STRAT(params) },

	/* atm: bracket templates by name. */
	{ .path = "atm", .type = SETTINGS_LIST,
	  .min = 0, .max = ENGINE_MAX_ATM, .def = "", .unit = "templates",
	  .text = "bracket templates for manual orders (atm NAME) and "
	  "strategies",
	  ROOT(engine.natm) },
	{ .path = "atm.name", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "characters",
	  .text = "name of the template, unique",
	  ATM(name) },
	{ .path = "atm.stop_ticks", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "0", .unit = "ticks",
	  .text = "protective stop from the entry's fill; 0 is none",
	  ATM(br.stop_ticks), .scale = 1 },
	ATM_TARGET(1, 0),
	ATM_TARGET(2, 1),
	ATM_TARGET(3, 2),
	{ .path = "atm.breakeven_ticks", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "0", .unit = "ticks",
	  .text = "profit that moves the stops to breakeven; 0 is off",
	  ATM(br.be_trigger), .scale = 1 },
	{ .path = "atm.breakeven_offset", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "0", .unit = "ticks",
	  .text = "where breakeven puts the stops, beyond the entry price",
	  ATM(br.be_offset), .scale = 1 },
	{ .path = "atm.trail_trigger", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "0", .unit = "ticks",
	  .text = "profit from which the stops trail",
	  ATM(br.trail_trigger), .scale = 1 },
	{ .path = "atm.trail_ticks", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "0", .unit = "ticks",
	  .text = "distance the stops trail behind the best price; 0 is off",
	  ATM(br.trail_dist), .scale = 1 },
	{ .path = "atm.trail_step", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "1", .unit = "ticks",
	  .text = "the stops move by whole steps of this many ticks",
	  ATM(br.trail_step), .scale = 1 },

	/* models: signal models run on an instrument's bars. */
	{ .path = "models", .type = SETTINGS_LIST,
	  .min = 0, .max = SETTINGS_MAX_MODELS, .def = "", .unit = "models",
	  .text = "signal models whose probability strategies hear as "
	  "model:NAME",
	  ROOT(nmodels) },
	{ .path = "models.name", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 7, .unit = "characters",
	  .text = "name of the model, unique; its events come from "
	  "model:NAME",
	  MODEL(name) },
	{ .path = "models.file", .type = SETTINGS_STRING,
	  .min = 1, .max = SETTINGS_SOURCE_MAX - 1, .unit = "path",
	  .text = "the model file tickdesk train wrote, relative to this "
	  "file",
	  MODEL(file) },
	{ .path = "models.symbol", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_SYMBOL_MAX - 1, .unit = "symbol",
	  .text = "symbol of the trading.instruments entry whose bars it "
	  "reads",
	  MODEL(symbol) },
	{ .path = "models.max_age", .type = SETTINGS_INT,
	  .min = 0, .max = 3650, .def = "0", .unit = "days",
	  .text = "disable the model once its training data is older than "
	  "this; 0 for no limit",
	  MODEL(max_age), .scale = 1 },
	/* filters: strategies' entries let through on typed data. */
	{ .path = "filters", .type = SETTINGS_LIST,
	  .min = 0, .max = ENGINE_MAX_FILTERS, .def = "", .unit = "filters",
	  .text = "entries of a strategy let through or skipped on the "
	  "latest value of a data series (a model's probability, a "
	  "sentiment)",
	  ROOT(engine.nfilter) },
	{ .path = "filters.strategy", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "name",
	  .text = "name of the strategy whose entries it filters",
	  FILTER(strategy) },
	{ .path = "filters.source", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "name",
	  .text = "source of the data (\"model:NAME\", \"news\")",
	  FILTER(source) },
	{ .path = "filters.name", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "name",
	  .text = "name of the value (\"p_up\", \"sentiment\")",
	  FILTER(name) },
	{ .path = "filters.long_min", .type = SETTINGS_PRICE,
	  .min = -1000000 * TD_PX_SCALE, .max = 1000000 * TD_PX_SCALE,
	  .unit = "value",
	  .text = "a long entry needs the value at least this",
	  FILTER(long_min) },
	{ .path = "filters.short_max", .type = SETTINGS_PRICE,
	  .min = -1000000 * TD_PX_SCALE, .max = 1000000 * TD_PX_SCALE,
	  .unit = "value",
	  .text = "a short entry needs the value at most this",
	  FILTER(short_max) },
	{ .path = "filters.max_age", .type = SETTINGS_INT,
	  .min = 0, .max = 7 * 86400, .def = "0", .unit = "seconds",
	  .text = "a value older than this is missing; 0 is any age",
	  FILTER(max_age), .scale = TD_NS_PER_SEC },
	{ .path = "filters.missing", .type = SETTINGS_ENUM,
	  .names = settings_filter_missing, .def = "skip", .unit = "name",
	  .text = "with no value heard, or one too old: skip the entry, or "
	  "trade",
	  FILTER(missing) },

	/* news: the sentiment of headlines (backtest --news, sessions). */
	{ .path = "news", .type = SETTINGS_GROUP,
	  .text = "the sentiment of headlines" },
	{ .path = "news.half_life", .type = SETTINGS_INT,
	  .min = 1, .max = 30 * 86400, .def = "3600", .unit = "seconds",
	  .text = "a headline's weight in an instrument's sentiment halves "
	  "every this many seconds",
	  ROOT(news_half_life), .scale = TD_NS_PER_SEC },
	{ .path = "news.file", .type = SETTINGS_STRING,
	  .min = 0, .max = SETTINGS_SOURCE_MAX - 1, .def = "", .unit = "path",
	  .text = "a session tails this file of JSON-lines headlines as "
	  "another program appends to it; empty for none",
	  ROOT(news_file) },
	{ .path = "news.socket", .type = SETTINGS_STRING,
	  .min = 0, .max = SETTINGS_SOURCE_MAX - 1, .def = "", .unit = "address",
	  .text = "a session reads JSON-lines headlines from the news server "
	  "at HOST:PORT or a unix socket's path; empty for none",
	  ROOT(news_socket) },

	/* data: how market data files are read. */
	{ .path = "data", .type = SETTINGS_GROUP,
	  .text = "market data files" },
	{ .path = "data.timezone", .type = SETTINGS_ZONE,
	  .min = 0, .max = SETTINGS_ZONE_MAX - 1, .def = "", .unit = "zone",
	  .text = "time zone of the stamps in data files; empty for each "
	  "format's own",
	  ROOT(data_tz) },
	{ .path = "data.disorder", .type = SETTINGS_ENUM,
	  .names = settings_disorders, .def = "reject", .unit = "name",
	  .text = "a row that goes back in time stops the run, or is "
	  "skipped and counted",
	  ROOT(data.disorder) },

	/* logging */
	{ .path = "logging", .type = SETTINGS_GROUP,
	  .text = "the log stream" },
	{ .path = "logging.level", .type = SETTINGS_ENUM,
	  .names = settings_log_levels, .def = "info", .unit = "name",
	  .text = "the least severe level logged",
	  ROOT(engine.log_level) },
	{ .path = "logging.file", .type = SETTINGS_STRING,
	  .min = 0, .max = SETTINGS_SOURCE_MAX - 1, .def = "", .unit = "path",
	  .text = "the JSON-lines log files: a directory, or a path with "
	  "{date}; empty for none",
	  ROOT(log_file) },
	{ .path = "logging.retention_days", .type = SETTINGS_INT,
	  .min = 0, .max = 3650, .def = "30", .unit = "days",
	  .text = "delete log files nothing wrote to for more than this many "
	  "days; 0 keeps all",
	  ROOT(log_retention_days), .scale = 1 },
	{ .path = "logging.queue", .type = SETTINGS_INT,
	  .min = 8, .max = 65536, .def = "4096", .unit = "lines",
	  .text = "lines each log queue holds before it drops, debug lines "
	  "first",
	  ROOT(log_queue), .scale = 1 },

	/* journal: where orders and fills are recorded. */
	{ .path = "journal", .type = SETTINGS_GROUP,
	  .text = "the trading journal" },
	{ .path = "journal.path", .type = SETTINGS_STRING,
	  .min = 0, .max = SETTINGS_SOURCE_MAX - 1, .def = "",
	  .unit = "path",
	  .text = "the journal file; empty for journal.db in the user's "
	  "data directory",
	  ROOT(journal_path) },
	{ .path = "journal.sync", .type = SETTINGS_ENUM,
	  .names = settings_journal_syncs, .def = "fills", .unit = "name",
	  .text = "sync the journal to disk after fills and state changes, "
	  "or after every event",
	  ROOT(journal_sync) },
	{ .path = "journal.backup_dir", .type = SETTINGS_STRING,
	  .min = 0, .max = SETTINGS_SOURCE_MAX - 1, .def = "",
	  .unit = "path",
	  .text = "back up the journal and the venue's book into this "
	  "directory at each session close; empty for none",
	  ROOT(journal_backup_dir) },
	{ .path = "journal.backup_keep", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "10", .unit = "backups",
	  .text = "the newest scheduled backups kept, older ones removed; "
	  "0 keeps all",
	  ROOT(journal_backup_keep), .scale = 1 },

	/* session: a paper or live session (console or headless). */
	{ .path = "session", .type = SETTINGS_GROUP,
	  .text = "console and headless sessions" },
	{ .path = "session.on_signal", .type = SETTINGS_ENUM,
	  .names = settings_on_signals, .def = "keep", .unit = "name",
	  .text = "when the console's terminal goes away (SIGHUP) keep the "
	  "session running, or flatten and halt",
	  ROOT(on_signal) },

	/* alerts: telling a person who is not watching (core/alert.h). */
	{ .path = "alerts", .type = SETTINGS_GROUP,
	  .text = "where alerts go, and when they are raised" },
	{ .path = "alerts.queue", .type = SETTINGS_INT,
	  .min = 16, .max = 4096, .def = "256", .unit = "alerts",
	  .text = "alerts each queue holds (the hub's and each sink's) "
	  "before it drops",
	  ROOT(engine.alerts.queue), .scale = 1 },
	{ .path = "alerts.dedup_seconds", .type = SETTINGS_INT,
	  .min = 0, .max = 86400, .def = "600", .unit = "seconds",
	  .text = "the same event and text within this go out once, then a "
	  "summary; 0 is off",
	  ROOT(engine.alerts.dedup_window), .scale = TD_NS_PER_SEC },
	{ .path = "alerts.rate_limit", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "20", .unit = "alerts",
	  .text = "at most this many alerts of one event per rate_seconds, "
	  "critical ones excepted; 0 is off",
	  ROOT(engine.alerts.rate_limit), .scale = 1 },
	{ .path = "alerts.rate_seconds", .type = SETTINGS_INT,
	  .min = 1, .max = 86400, .def = "3600", .unit = "seconds",
	  .text = "the window of the rate limit",
	  ROOT(engine.alerts.rate_window), .scale = TD_NS_PER_SEC },
	{ .path = "alerts.retries", .type = SETTINGS_INT,
	  .min = 0, .max = 20, .def = "5", .unit = "retries",
	  .text = "a failed delivery is tried again this many times, then "
	  "dropped",
	  ROOT(engine.alerts.retries), .scale = 1 },
	{ .path = "alerts.backoff_seconds", .type = SETTINGS_INT,
	  .min = 1, .max = 3600, .def = "2", .unit = "seconds",
	  .text = "the wait before the first retry, doubled for each next "
	  "one",
	  ROOT(engine.alerts.backoff), .scale = TD_NS_PER_SEC },
	{ .path = "alerts.backoff_max_seconds", .type = SETTINGS_INT,
	  .min = 1, .max = 86400, .def = "60", .unit = "seconds",
	  .text = "the longest wait between retries",
	  ROOT(engine.alerts.backoff_max), .scale = TD_NS_PER_SEC },
	{ .path = "alerts.timeout_seconds", .type = SETTINGS_INT,
	  .min = 1, .max = 300, .def = "10", .unit = "seconds",
	  .text = "one delivery attempt at most this long",
	  ROOT(engine.alerts.timeout), .scale = TD_NS_PER_SEC },
	{ .path = "alerts.loss_warning_percent", .type = SETTINGS_INT,
	  .min = 0, .max = 100, .def = "80", .unit = "percent",
	  .text = "warn once a day when the day's loss reaches this share of "
	  "risk.daily_loss; 0 is off",
	  ROOT(engine.alerts.loss_warning_pct), .scale = 1 },
	{ .path = "alerts.rejections_in_a_row", .type = SETTINGS_INT,
	  .min = 0, .max = COUNT_MAX, .def = "5", .unit = "orders",
	  .text = "warn when this many orders in a row are refused; 0 is off",
	  ROOT(engine.alerts.reject_streak), .scale = 1 },
	{ .path = "alerts.latency_ms", .type = SETTINGS_INT,
	  .min = 0, .max = 60000, .def = "250", .unit = "milliseconds",
	  .text = "warn when a market event takes longer (with "
	  "health.latency); 0 is off",
	  ROOT(engine.alerts.latency), .scale = 1000000 },
	{ .path = "alerts.webhook", .type = SETTINGS_GROUP,
	  .text = "an HTTP POST to a Slack or Discord incoming webhook" },
	{ .path = "alerts.webhook.url", .type = SETTINGS_SECRET,
	  .min = 0, .max = SETTINGS_SECRET_MAX - 1, .def = "",
	  .unit = "secret",
	  .text = "where the webhook's URL is: env:NAME or file:PATH; empty "
	  "for no webhook",
	  ROOT(engine.alerts.webhook.url) },
	{ .path = "alerts.webhook.min_severity", .type = SETTINGS_ENUM,
	  .names = settings_alert_severities, .def = "warning",
	  .unit = "name",
	  .text = "the least severe alert the webhook gets",
	  ROOT(engine.alerts.webhook.min_severity) },
	{ .path = "alerts.email", .type = SETTINGS_GROUP,
	  .text = "e-mail through an SMTP server" },
	{ .path = "alerts.email.server", .type = SETTINGS_STRING,
	  .min = 0, .max = 255, .def = "", .unit = "URL",
	  .text = "smtp://HOST:PORT or smtps://HOST:PORT; empty for no "
	  "e-mail",
	  ROOT(engine.alerts.email.server) },
	{ .path = "alerts.email.from", .type = SETTINGS_STRING,
	  .min = 0, .max = 255, .def = "", .unit = "address",
	  .text = "the sender's address",
	  ROOT(engine.alerts.email.from) },
	{ .path = "alerts.email.to", .type = SETTINGS_STRING,
	  .min = 0, .max = 511, .def = "", .unit = "addresses",
	  .text = "the recipients, separated by commas",
	  ROOT(engine.alerts.email.to) },
	{ .path = "alerts.email.username", .type = SETTINGS_STRING,
	  .min = 0, .max = 255, .def = "", .unit = "name",
	  .text = "the SMTP login; empty for none",
	  ROOT(engine.alerts.email.username) },
	{ .path = "alerts.email.password", .type = SETTINGS_SECRET,
	  .min = 0, .max = 255, .def = "", .unit = "secret",
	  .text = "where the SMTP password is: env:NAME or file:PATH",
	  ROOT(engine.alerts.email.password) },
	{ .path = "alerts.email.starttls", .type = SETTINGS_BOOL,
	  .def = "true", .unit = "boolean",
	  .text = "upgrade smtp:// with STARTTLS, or fail",
	  ROOT(engine.alerts.email.starttls) },
	{ .path = "alerts.email.min_severity", .type = SETTINGS_ENUM,
	  .names = settings_alert_severities, .def = "error", .unit = "name",
	  .text = "the least severe alert mailed",
	  ROOT(engine.alerts.email.min_severity) },
	{ .path = "alerts.command", .type = SETTINGS_GROUP,
	  .text = "a program run for each alert (an SMS gateway)" },
	{ .path = "alerts.command.run", .type = SETTINGS_STRING,
	  .min = 0, .max = 1023, .def = "", .unit = "command",
	  .text = "run by /bin/sh -c with the alert in TICKDESK_ALERT_*; "
	  "empty for none",
	  ROOT(engine.alerts.command.command) },
	{ .path = "alerts.command.min_severity", .type = SETTINGS_ENUM,
	  .names = settings_alert_severities, .def = "critical",
	  .unit = "name",
	  .text = "the least severe alert the command is run for",
	  ROOT(engine.alerts.command.min_severity) },

	/* breakers: stop trading when things go wrong fast (breaker.h). */
	{ .path = "breakers", .type = SETTINGS_GROUP,
	  .text = "circuit breakers: a trip halts until a person resets it" },
	{ .path = "breakers.rejects", .type = SETTINGS_INT,
	  .min = 0, .max = BREAKER_COUNT_MAX, .def = "10", .unit = "orders",
	  .text = "trip after this many orders refused within "
	  "rejects_seconds; 0 is off",
	  ROOT(engine.breakers.rejects), .scale = 1 },
	{ .path = "breakers.rejects_seconds", .type = SETTINGS_INT,
	  .min = 1, .max = 604800, .def = "3600", .unit = "seconds",
	  .text = "the window of the rejects breaker",
	  ROOT(engine.breakers.rejects_window), .scale = TD_NS_PER_SEC },
	{ .path = "breakers.errors", .type = SETTINGS_INT,
	  .min = 0, .max = BREAKER_ERRORS_MAX, .def = "5", .unit = "errors",
	  .text = "trip after the same error line this many times within "
	  "errors_seconds; 0 is off",
	  ROOT(engine.breakers.errors), .scale = 1 },
	{ .path = "breakers.errors_seconds", .type = SETTINGS_INT,
	  .min = 1, .max = 604800, .def = "3600", .unit = "seconds",
	  .text = "the window of the errors breaker",
	  ROOT(engine.breakers.errors_window), .scale = TD_NS_PER_SEC },
	{ .path = "breakers.pnl_swing", .type = SETTINGS_MONEY,
	  .min = 0, .max = MONEY_MAX, .def = "2000.00", .unit = "dollars",
	  .text = "trip when the account's P&L moves this much either way "
	  "within pnl_swing_seconds; 0 is off",
	  ROOT(engine.breakers.pnl_swing) },
	{ .path = "breakers.pnl_swing_seconds", .type = SETTINGS_INT,
	  .min = 60, .max = 604800, .def = "3600", .unit = "seconds",
	  .text = "the window of the P&L swing breaker",
	  ROOT(engine.breakers.pnl_window), .scale = TD_NS_PER_SEC },
	{ .path = "breakers.venue_errors", .type = SETTINGS_INT,
	  .min = 0, .max = BREAKER_COUNT_MAX, .def = "5", .unit = "errors",
	  .text = "trip after this many venue rejects and refused cancels "
	  "within venue_errors_seconds; 0 is off",
	  ROOT(engine.breakers.venue), .scale = 1 },
	{ .path = "breakers.venue_errors_seconds", .type = SETTINGS_INT,
	  .min = 1, .max = 604800, .def = "600", .unit = "seconds",
	  .text = "the window of the venue errors breaker",
	  ROOT(engine.breakers.venue_window), .scale = TD_NS_PER_SEC },
	{ .path = "breakers.flatten_on_trip", .type = SETTINGS_BOOL,
	  .def = "false", .unit = "boolean",
	  .text = "close every position when a breaker trips, as well as "
	  "halting",
	  ROOT(engine.breakers.flatten_on_trip) },

	/* optimize: what `tickdesk optimize` searches by default. */
	{ .path = "optimize", .type = SETTINGS_GROUP,
	  .text = "the parameters and goal of tickdesk optimize" },
	{ .path = "optimize.params", .type = SETTINGS_STRING,
	  .min = 0, .max = SETTINGS_OPT_PARAMS_MAX - 1, .def = "",
	  .unit = "text",
	  .text = "the parameters searched, [STRATEGY.]PARAM=VALUES, "
	  "separated by spaces",
	  ROOT(optimize.params) },
	{ .path = "optimize.objective", .type = SETTINGS_ENUM,
	  .names = settings_opt_objectives, .def = "net", .unit = "name",
	  .text = "what ranks the points, higher first",
	  ROOT(optimize.objective) },
	{ .path = "optimize.min_trades", .type = SETTINGS_INT,
	  .min = 0, .max = 1000000000, .def = "1", .unit = "trades",
	  .text = "a point with fewer trades fails the constraints",
	  ROOT(optimize.min_trades), .scale = 1 },
	{ .path = "optimize.max_drawdown", .type = SETTINGS_MONEY,
	  .min = 0, .max = MONEY_MAX, .def = "0.00", .unit = "dollars",
	  .text = "a point with a deeper drawdown fails the constraints; 0 "
	  "is none",
	  ROOT(optimize.max_drawdown) },
	{ .path = "optimize.method", .type = SETTINGS_ENUM,
	  .names = settings_opt_methods, .def = "grid", .unit = "name",
	  .text = "every point, or a genetic search",
	  ROOT(optimize.genetic) },
	{ .path = "optimize.population", .type = SETTINGS_INT,
	  .min = 2, .max = OPT_GA_POP_MAX, .def = "40", .unit = "points",
	  .text = "genetic: the points of a generation",
	  ROOT(optimize.population), .scale = 1 },
	{ .path = "optimize.generations", .type = SETTINGS_INT,
	  .min = 1, .max = OPT_GA_GEN_MAX, .def = "50", .unit = "generations",
	  .text = "genetic: at most this many generations",
	  ROOT(optimize.generations), .scale = 1 },
	{ .path = "optimize.seed", .type = SETTINGS_INT,
	  .min = 0, .max = INT64_MAX, .def = "1", .unit = "number",
	  .text = "genetic: the seed of every random draw",
	  ROOT(optimize.seed), .scale = 1 },
	{ .path = "optimize.threads", .type = SETTINGS_INT,
	  .min = 0, .max = OPT_THREADS_MAX, .def = "0", .unit = "threads",
	  .text = "backtests at once; 0 is one per processor",
	  ROOT(optimize.threads), .scale = 1 },

	/* health: what `status` and the HTTP endpoint show. */
	{ .path = "health", .type = SETTINGS_GROUP,
	  .text = "timings and the health endpoint" },
	{ .path = "health.latency", .type = SETTINGS_BOOL,
	  .def = "true", .unit = "boolean",
	  .text = "time the stages of each market event (status, /metrics)",
	  ROOT(engine.health.latency) },
	{ .path = "health.http_port", .type = SETTINGS_INT,
	  .min = 0, .max = 65535, .def = "0", .unit = "port",
	  .text = "serve /metrics and /health on 127.0.0.1 at this port; 0 "
	  "is off",
	  ROOT(engine.health.http_port), .scale = 1 },
	{ .path = "health.monitor_token", .type = SETTINGS_SECRET,
	  .min = 0, .max = SETTINGS_SECRET_MAX - 1, .def = "",
	  .unit = "secret",
	  .text = "where the monitoring page's token is (/monitor on "
	  "health.http_port): env:NAME or file:PATH; empty: the page is off",
	  ROOT(monitor_token) },
};

static const char *const settings_rollout_paths[] = {
	[ROLLOUT_PATH_STOP] = "stop",
	[ROLLOUT_PATH_TARGET] = "target",
	[ROLLOUT_PATH_DAILY_HALT] = "daily_halt",
	NULL,
};

static const char *const settings_rollout_demotes[] = {
	[ROLLOUT_DEMOTE_LOSS_LIMIT] = "loss_limit",
	[ROLLOUT_DEMOTE_BREAKER] = "breaker",
	NULL,
};

/* The rollout ladder's rows before each stage's risk limits ... */
static const struct settings_key settings_rollout_head[] = {
	{ .path = "rollout", .type = SETTINGS_GROUP,
	  .text = "the rollout ladder: stages of size, each with its own "
	  "limits and the criteria to leave it" },
	{ .path = "rollout.stages", .type = SETTINGS_LIST,
	  .min = 0, .max = ROLLOUT_MAX_STAGES, .def = "", .unit = "stages",
	  .text = "the stages in order, the first (smallest) first; none: no "
	  "rollout",
	  ROOT(engine.rollout.nstages) },
	{ .path = "rollout.stages.name", .type = SETTINGS_STRING,
	  .min = 1, .max = TD_NAME_MAX - 1, .unit = "characters",
	  .text = "name of the stage, unique (\"micro\")",
	  STAGE(name) },
	{ .path = "rollout.stages.instruments", .type = SETTINGS_WORDS,
	  .min = 0, .max = ROLLOUT_MAX_SYMBOLS, .def = "", .unit = "symbols",
	  .text = "the instruments the stage may open positions in; empty: "
	  "every one",
	  .base = SETTINGS_BASE_STAGE,
	  .offset = offsetof(struct rollout_stage, symbols),
	  .offset2 = offsetof(struct rollout_stage, nsymbols),
	  .size = TD_SYMBOL_MAX },
};

/* ... and after them. */
static const struct settings_key settings_rollout_tail[] = {
	{ .path = "rollout.stages.leave", .type = SETTINGS_GROUP,
	  .text = "the criteria to leave the stage (rollout next)" },
	{ .path = "rollout.stages.leave.sessions", .type = SETTINGS_INT,
	  .min = 0, .max = 10000, .def = "0", .unit = "sessions",
	  .text = "sessions traded in the stage; 0 is not judged",
	  STAGE(sessions), .scale = 1 },
	{ .path = "rollout.stages.leave.no_critical", .type = SETTINGS_BOOL,
	  .def = "false", .unit = "boolean",
	  .text = "no critical incident in the stage",
	  STAGE(no_critical) },
	{ .path = "rollout.stages.leave.paths", .type = SETTINGS_WORDS,
	  .names = settings_rollout_paths, .min = 0, .max = ROLLOUT_NPATHS,
	  .def = "", .unit = "paths",
	  .text = "protective paths each seen at least once in the stage",
	  STAGE(paths) },
	{ .path = "rollout.stages.leave.max_slippage_ticks",
	  .type = SETTINGS_INT, .min = 0, .max = 10000, .def = "0",
	  .unit = "ticks",
	  .text = "the worst fill of the stage against its expected price; "
	  "0 is not judged",
	  STAGE(max_slippage_ticks), .scale = 1 },
	{ .path = "rollout.demote_on", .type = SETTINGS_WORDS,
	  .names = settings_rollout_demotes, .min = 0,
	  .max = ROLLOUT_NDEMOTES, .def = "", .unit = "events",
	  .text = "events that move the desk one stage down",
	  ROOT(engine.rollout.demote_on) },

	{ .path = NULL },
};

#define SETTINGS_NHEAD	(sizeof settings_head / sizeof settings_head[0])
#define SETTINGS_NTAIL	(sizeof settings_tail / sizeof settings_tail[0])
#define SETTINGS_NRHEAD	\
	(sizeof settings_rollout_head / sizeof settings_rollout_head[0])
#define SETTINGS_NRTAIL	\
	(sizeof settings_rollout_tail / sizeof settings_rollout_tail[0])
#define SETTINGS_RISK_PATH_MAX 48

/*
 * The whole table, made once: the head, one row per risk limit, the tail
 * (which ends it).  Written only by settings_build under settings_once,
 * read-only after.
 */
static struct settings_key settings_keys[SETTINGS_NHEAD + RISK_NLIMITS +
    SETTINGS_NTAIL + SETTINGS_NRHEAD + RISK_NLIMITS + SETTINGS_NRTAIL];
static char settings_risk_paths[RISK_NLIMITS][SETTINGS_RISK_PATH_MAX];
static char settings_stage_paths[RISK_NLIMITS][SETTINGS_RISK_PATH_MAX];
static char settings_stage_texts[RISK_NLIMITS][SETTINGS_RISK_PATH_MAX + 64];
static pthread_once_t settings_once = PTHREAD_ONCE_INIT;

/* The row of a risk limit: its name under risk, its type by its unit. */
static void
settings_risk_row(const struct risk_limit *l, char *path, size_t len,
    struct settings_key *k)
{
	size_t	 risk = offsetof(struct settings, engine.risk);

	snprintf(path, len, "risk.%s", l->name);
	*k = (struct settings_key){
		.path = path, .min = l->min, .max = l->max, .def = l->def,
		.unit = risk_unit_name(l->unit), .text = l->text,
		.base = SETTINGS_BASE_ROOT, .offset = risk + l->off,
		.size = l->size, .scale = l->scale,
	};
	switch (l->unit) {
	case RISK_UNIT_MONEY:
		k->type = SETTINGS_MONEY;
		break;
	case RISK_UNIT_HOURS:
		k->type = SETTINGS_RANGE;
		k->offset2 = risk + l->off2;
		break;
	case RISK_UNIT_SWITCH:
		k->type = SETTINGS_BOOL;
		break;
	default:
		k->type = SETTINGS_INT;
		break;
	}
}

/*
 * The row of a risk limit in a rollout stage: as the risk group's, but
 * stored in the stage and by default at the limit's loosest value (0 or
 * always open), which leaves the configured limit in force.
 */
static void
settings_stage_row(const struct risk_limit *l, int i, struct settings_key *k)
{
	size_t	 risk = offsetof(struct rollout_stage, risk);

	settings_risk_row(l, settings_stage_paths[i],
	    sizeof settings_stage_paths[i], k);
	snprintf(settings_stage_paths[i], sizeof settings_stage_paths[i],
	    "rollout.stages.%s", l->name);
	snprintf(settings_stage_texts[i], sizeof settings_stage_texts[i],
	    "risk.%s in this stage; the tighter of the two holds", l->name);
	k->text = settings_stage_texts[i];
	k->base = SETTINGS_BASE_STAGE;
	k->offset = risk + l->off;
	if (l->unit == RISK_UNIT_HOURS)
		k->offset2 = risk + l->off2;
	k->def = l->unit == RISK_UNIT_MONEY ? "0.00" : l->unit ==
	    RISK_UNIT_HOURS ? "00:00-00:00" : l->unit == RISK_UNIT_SWITCH ?
	    "false" : "0";
}

static void
settings_build(void)
{
	struct settings_key	*k = settings_keys;

	memcpy(k, settings_head, sizeof settings_head);
	k += SETTINGS_NHEAD;
	for (int i = 0; i < RISK_NLIMITS; i++)
		settings_risk_row(&risk_limits()[i], settings_risk_paths[i],
		    sizeof settings_risk_paths[i], k++);
	memcpy(k, settings_tail, sizeof settings_tail);
	k += SETTINGS_NTAIL;
	memcpy(k, settings_rollout_head, sizeof settings_rollout_head);
	k += SETTINGS_NRHEAD;
	for (int i = 0; i < RISK_NLIMITS; i++)
		settings_stage_row(&risk_limits()[i], i, k++);
	memcpy(k, settings_rollout_tail, sizeof settings_rollout_tail);
}

const struct settings_key *
settings_table(void)
{
	pthread_once(&settings_once, settings_build);
	return settings_keys;
}

const struct settings_key *
settings_key_find(const char *path)
{
	for (const struct settings_key *k = settings_table(); k->path != NULL;
	    k++) {
		if (strcmp(k->path, path) == 0)
			return k;
	}
	return NULL;
}
