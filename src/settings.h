/*
 * settings.h -- tickdesk's configuration file: a table of keys, a loader
 * that checks a libconfig file against it, and the plain struct it fills.
 *
 * Every key the file may hold is one row of the settings table
 * (settings-table.c): its path ("risk.daily_loss"), type, range, default
 * as text, unit and a line of description.  settings_load walks the file
 * with libconfig, checks each setting against its row, fills struct
 * settings and reports every problem it finds, one "FILE:LINE: KEY:
 * problem" line each.  The engine receives settings.engine, the simulated
 * venue settings.venue (settings_venue); core/ never sees libconfig.  The
 * same table drives `tickdesk config keys`, the defaults, settings_print,
 * the comparison of a reload (settings_diff) and the check of
 * tickdesk.conf(5).
 *
 * An environment (dev, sim, prod, ...) is a second file laid over the
 * first, key by key (settings_load_env); secrets are references to the
 * environment or to a private file, never values (settings_secret).
 */
#ifndef TD_SETTINGS_H
#define TD_SETTINGS_H

#include <stdio.h>

#include "engine.h"
#include "feed-fix.h"
#include "reader.h"
#include "venue-fix.h"
#include "venue-sim.h"

struct errmsg;

#define SETTINGS_ZONE_MAX	64
#define SETTINGS_SOURCE_MAX	1024
#define SETTINGS_ENV_MAX	16	/* an environment's name and its NUL */
#define SETTINGS_SECRET_MAX	512	/* "env:NAME" or "file:PATH" */
#define SETTINGS_SECRET_VALUE_MAX 4096	/* a secret's value, with its NUL */

/* venue.type: the simulated exchange, or a counterparty over FIX. */
enum settings_venue {
	SETTINGS_VENUE_SIM,
	SETTINGS_VENUE_FIX,
};

/*
 * feed.type: market data from the data files or the demo a command names,
 * or from a counterparty over FIX.
 */
enum settings_feed {
	SETTINGS_FEED_NONE,
	SETTINGS_FEED_FIX,
};

/*
 * session.on_signal: what the console does when its terminal goes away
 * (SIGHUP; a headless session reloads instead, see tickdesk(1)).
 */
enum settings_on_signal {
	SETTINGS_SIGNAL_KEEP,		/* keep running, orders in place */
	SETTINGS_SIGNAL_FLATTEN,	/* halt and flatten, keep running */
};

/* journal.sync: which journal events are synced to disk at once. */
enum settings_journal_sync {
	SETTINGS_SYNC_FILLS,		/* fills and state changes */
	SETTINGS_SYNC_ALL,		/* every event */
};

/*
 * The models list: signal models (core/signal-src.h) the engine runs on
 * an instrument's bars.  file is made absolute, relative to the file that
 * names it; max_age in days, 0 for no limit.
 */
#define SETTINGS_MAX_MODELS	8
struct settings_model {
	char		 name[TD_NAME_MAX];
	char		 file[SETTINGS_SOURCE_MAX];
	char		 symbol[TD_SYMBOL_MAX];
	int		 max_age;
};

/* The optimize group: what `tickdesk optimize` searches by default. */
#define SETTINGS_OPT_PARAMS_MAX	1024
struct settings_optimize {
	char		 params[SETTINGS_OPT_PARAMS_MAX];	/* specs */
	int		 objective;		/* enum opt_objective */
	int64_t		 min_trades;
	td_cents	 max_drawdown;		/* 0: none */
	int		 genetic;		/* 0 grid, 1 genetic */
	int64_t		 population;
	int64_t		 generations;
	int64_t		 seed;
	int64_t		 threads;		/* 0: the processors */
};

struct settings {
	struct engine_config	 engine;
	/* Reader options from the data group; data.tz points at data_tz
	 * (NULL when it is empty), so copy with settings_copy. */
	struct reader_opts	 data;
	char			 data_tz[SETTINGS_ZONE_MAX];
	enum settings_venue	 venue_type;
	struct venue_sim_cfg	 venue;		/* venue.type sim */
	struct venue_fix_cfg	 venue_fix;	/* venue.type fix */
	struct settings_optimize optimize;
	char			 venue_password[SETTINGS_SECRET_MAX];
	enum settings_feed	 feed_type;
	struct feed_fix_cfg	 feed_fix;	/* feed.type fix */
	char			 feed_password[SETTINGS_SECRET_MAX];
	/* health.monitor_token: the monitoring page's ("" = off). */
	char			 monitor_token[SETTINGS_SECRET_MAX];
	/* journal.path ("" = the data directory) and journal.sync. */
	char			 journal_path[SETTINGS_SOURCE_MAX];
	enum settings_journal_sync journal_sync;
	/* journal.backup_dir ("" = no scheduled backup), backup_keep. */
	char			 journal_backup_dir[SETTINGS_SOURCE_MAX];
	int			 journal_backup_keep;
	enum settings_on_signal	 on_signal;
	/* The session name of each instrument as written. */
	char			 inst_session[ENGINE_MAX_INST][TD_NAME_MAX];
	/* Each strategy's plug-in, its path made absolute; "" built-in. */
	char			 strat_plugin[ENGINE_MAX_STRAT][SETTINGS_SOURCE_MAX];
	/*
	 * The registry the strategies' types are found in (borrowed, from
	 * settings_strategies); NULL: the built-ins only.
	 */
	const struct strat_registry *strategies;
	int			 nmodels;
	struct settings_model	 models[SETTINGS_MAX_MODELS];
	/* logging.file ("" = no file sink), retention_days and queue. */
	char			 log_file[SETTINGS_SOURCE_MAX];
	int			 log_retention_days;
	int			 log_queue;
	/* news.half_life: how fast a headline's sentiment fades. */
	td_ns			 news_half_life;
	/* A session's headlines: news.file or news.socket ("" = none). */
	char			 news_file[SETTINGS_SOURCE_MAX];
	char			 news_socket[SETTINGS_SOURCE_MAX];
	/* The file the settings came from; "" for the built-in defaults. */
	char			 source[SETTINGS_SOURCE_MAX];
	/* The environment laid over it and its file; "" for none. */
	char			 env[SETTINGS_ENV_MAX];
	char			 env_source[SETTINGS_SOURCE_MAX];
};

enum settings_type {
	SETTINGS_GROUP,		/* a group of keys: risk = { ... }; */
	SETTINGS_LIST,		/* a list of groups: ( { ... }, { ... } ) */
	SETTINGS_INT,		/* whole number */
	SETTINGS_MONEY,		/* dollars, at most 2 decimals -> td_cents */
	SETTINGS_PRICE,		/* points -> td_px, exactly */
	SETTINGS_BOOL,		/* true or false */
	SETTINGS_STRING,	/* text */
	SETTINGS_ZONE,		/* time zone database name */
	SETTINGS_ENUM,		/* one of the row's names */
	SETTINGS_STRATEGY,	/* the name of a strategy (its registry) */
	SETTINGS_TIME,		/* "HH:MM" -> minutes after midnight */
	SETTINGS_RANGE,		/* "HH:MM-HH:MM" -> two minutes */
	SETTINGS_DATES,		/* [ "YYYY-MM-DD", ... ] */
	SETTINGS_CLOSES,	/* [ "YYYY-MM-DD HH:MM", ... ] */
	SETTINGS_PARAMS,	/* a strategy's parameters: a group of ints */
	SETTINGS_SECRET,	/* "env:NAME" or "file:PATH", never the value */
	SETTINGS_WORDS,		/* [ "word", ... ]: with names, each one of
				   them, a bit mask (1 << index) in an
				   unsigned; without, strings of size
				   bytes each, their count at offset2 */
};

/* Which struct a row's offset is relative to. */
enum settings_base {
	SETTINGS_BASE_NONE,	/* structure only, or stored by hand */
	SETTINGS_BASE_ROOT,	/* struct settings */
	SETTINGS_BASE_INST,	/* struct instrument of the element */
	SETTINGS_BASE_CAL,	/* struct calendar_cfg of the element */
	SETTINGS_BASE_STRAT,	/* struct strategy_cfg of the element */
	SETTINGS_BASE_INST_SESSION, /* settings.inst_session[element] */
	SETTINGS_BASE_STRAT_PLUGIN, /* settings.strat_plugin[element] */
	SETTINGS_BASE_ATM,	/* struct engine_atm of the element */
	SETTINGS_BASE_MODEL,	/* struct settings_model of the element */
	SETTINGS_BASE_FILTER,	/* struct signal_filter of the element */
	SETTINGS_BASE_STAGE,	/* struct rollout_stage of the element */
};

/*
 * One key.  min and max are in the unit of the file (dollars as cents for
 * money, td_px for prices, characters for strings, elements for lists);
 * def is the default as it would be written in the file, without quotes,
 * and NULL for a key that must be given.  For SETTINGS_INT the value is
 * multiplied by scale (seconds to td_ns) and stored in size bytes at
 * offset; strings (SETTINGS_STRING, _ZONE, _STRATEGY and _SECRET, which
 * stores the reference) go to a char array of at least max + 1 bytes at
 * offset; SETTINGS_RANGE stores its end at offset2, SETTINGS_DATES and
 * SETTINGS_CLOSES their count at offset2 (and the closing minutes of
 * SETTINGS_CLOSES at offset3), and SETTINGS_LIST its number of elements
 * at offset.
 */
struct settings_key {
	const char		*path;
	enum settings_type	 type;
	const char *const	*names;		/* SETTINGS_ENUM, NULL ended */
	int64_t			 min;
	int64_t			 max;
	const char		*def;
	const char		*unit;
	const char		*text;

	enum settings_base	 base;
	size_t			 offset;
	size_t			 offset2;
	size_t			 offset3;
	size_t			 size;
	int64_t			 scale;
};

/* The table, in file and manual order, ending with a NULL path. */
const struct settings_key *settings_table(void);

/* Look a row up by its path without indexes; NULL when there is none. */
const struct settings_key *settings_key_find(const char *path);

/* "int", "money", ... for `config keys` and the manual. */
const char	*settings_type_name(enum settings_type type);

/* The range of a row as text ("0..100", "fixed|risk", "HH:MM"). */
char		*settings_key_range(const struct settings_key *key, char *buf,
		     size_t len);

/*
 * Fill s with the defaults of the table: no instruments, sessions or
 * strategies.  Cannot fail.
 */
void		 settings_defaults(struct settings *s);

/*
 * Read and check the file at path into out.  0 on success.  On failure -1,
 * out holds what could be read (never hand it to the engine), and errors
 * (len bytes, may be NULL) holds every problem, one line each ending in a
 * newline: "FILE:LINE: KEY: problem" ("FILE: problem" when there is no
 * line, e.g. a file that cannot be opened).  Lines that do not fit are
 * counted in a last line "... N more errors".
 */
int		 settings_load(const char *path, struct settings *out,
		     char *errors, size_t len);

/*
 * settings_load with an environment laid over the file: when env is
 * neither NULL nor empty, the file of that environment (env/ENV.cfg in
 * the directory of path, see settings_env_path) is read after path and
 * every setting it gives replaces the one before, key by key: a group
 * given in both keeps the keys the environment leaves out, while a list
 * (trading.instruments, trading.sessions, strategies and the lists of
 * dates) is replaced whole.  Both files are checked alike, each problem
 * with its own file and line; checks across keys (and "missing") look at
 * the settings in effect.  out->env and out->env_source say which
 * environment was read.  Fails as settings_load does; a bad name or a
 * missing environment file is one more problem.
 */
int		 settings_load_env(const char *path, const char *env,
		     struct settings *out, char *errors, size_t len);

/*
 * The strategies the settings may run, for the engines made from them: a
 * new registry of the built-ins and of the plug-ins the strategies name
 * (strategies.plugin), which s->strategies then points at.  The
 * load checked each plug-in and closed it again; this opens them for the
 * run.  The caller frees the registry with strat_registry_free after the
 * last engine made from s (that closes the plug-ins) and no longer uses
 * s->strategies.  NULL and "strategies[I].plugin: FILE: why" when
 * a plug-in no longer loads.
 */
struct strat_registry *settings_strategies(struct settings *s,
		     struct errmsg *err);

/*
 * The environment to use: given when not NULL, else $TICKDESK_ENV when set
 * and not empty, else NULL (none).  Nothing to free.
 */
const char	*settings_env(const char *given);

/*
 * The file of environment env for the base file path: "DIR/env/ENV.cfg"
 * with DIR the directory of path.  An environment's name is 1 to 15
 * letters, digits, '-' or '_'.  -1 when it is not, or when the path does
 * not fit in len bytes.
 */
int		 settings_env_path(const char *path, const char *env,
		     char *buf, size_t len);

/*
 * Secrets.  A key of type SETTINGS_SECRET holds where its value comes
 * from, never the value: "env:NAME" (the environment variable NAME) or
 * "file:PATH" (the whole file, one final newline removed; the file must
 * be a regular file that neither group nor others may access).  The
 * loader checks that the value can be read and refuses plain text, but
 * keeps only the reference; settings_print, `config check` and reload
 * show the reference and "********", never the value.
 *
 * settings_secret reads the value of key (a path such as
 * "alerts.smtp.password", or "list[2].key" in an element of a list) into
 * buf (len bytes, NUL ended): 1 when it is set, 0 when the key is empty
 * (no secret configured; buf is ""), -1 with a message naming the key and
 * never the value (unknown key, not a secret, variable unset, file
 * missing or open to others, value too long).  Wipe buf after use
 * (explicit_bzero).  settings_secret_ref does the same for a reference
 * held elsewhere.
 */
int		 settings_secret(const struct settings *s, const char *key,
		     char *buf, size_t len, struct errmsg *err);
int		 settings_secret_ref(const char *ref, char *buf, size_t len,
		     struct errmsg *err);

/*
 * Call fn for every setting whose value differs between a and b, in table
 * order, with the row, the element's index (-1 outside lists) and the
 * path as shown in messages: "risk.daily_loss",
 * "trading.instruments[1].commission", "strategies[0].params.stop_ticks"
 * (with the strategies.params row).  A list of a different length is one
 * call for the list's row and path ("strategies"), its elements are not
 * compared.  Returns the number of differences.
 */
typedef void	(*settings_diff_fn)(void *arg, const struct settings_key *key,
		    int idx, const char *path);
int		 settings_diff(const struct settings *a,
		     const struct settings *b, settings_diff_fn fn, void *arg);

/* Copy src to dst, keeping dst->data.tz pointing at dst's own zone. */
void		 settings_copy(struct settings *dst,
		     const struct settings *src);

/*
 * Print s as a libconfig file that settings_load reads back to the same
 * settings.  -1 when writing fails.
 */
int		 settings_print(FILE *f, const struct settings *s);

/*
 * The configuration file to use: given when not NULL, else
 * $TICKDESK_CONFIG, else ./conf/tickdesk.cfg when it exists (a source
 * tree), else the user's $XDG_CONFIG_HOME/tickdesk/tickdesk.cfg (or
 * ~/.config/tickdesk/tickdesk.cfg) when it exists, else the installed
 * TD_SYSCONFDIR/tickdesk/tickdesk.cfg.  The result is given, the
 * environment's string, a constant or buf (len bytes, where the user's
 * path is written: SETTINGS_SOURCE_MAX will do); nothing to free.
 */
const char	*settings_path(const char *given, char *buf, size_t len);

/*
 * The venue venue.type names, made from the venue group: the caller's
 * until it hands it to engine_create (free it otherwise with venue_free).
 * NULL and a message when it cannot be made.
 */
struct venue	*settings_venue(const struct settings *st, struct errmsg *err);

/*
 * The FIX feed of the feed group (feed.type "fix"), for the instruments
 * of trading.instruments: the caller's (free it with feed_free).  NULL
 * and a message when it cannot be made (its password cannot be read).
 */
struct feed	*settings_feed_fix(const struct settings *st,
		     struct errmsg *err);

/*
 * The data group's reader options with a command's --format, --tz, --stamp
 * and --skip-disorder on top (NULL/false: not given).  -1 after saying on
 * stderr which option is wrong.
 */
int		 settings_reader_opts(const struct settings *st,
		     const char *format, const char *tz, const char *stamp,
		     bool skip_disorder, struct reader_opts *ro);

#endif
