/*
 * settings.h -- tickdesk's configuration file: a table of keys, a loader
 * that checks a libconfig file against it, and the plain struct it fills.
 *
 * Every key the file may hold is one row of the settings table
 * (settings-table.c): its path ("risk.daily_loss"), type, range, default
 * as text, unit and a line of description.  settings_load walks the file
 * with libconfig, checks each setting against its row, fills struct
 * settings and reports every problem it finds, one "FILE:LINE: KEY:
 * problem" line each.  The engine receives settings.engine; core/ never
 * sees libconfig.  The same table drives `tickdesk config keys`, the
 * defaults, settings_print and the check of tickdesk.conf(5).
 */
#ifndef TD_SETTINGS_H
#define TD_SETTINGS_H

#include <stdio.h>

#include "engine.h"
#include "reader.h"

#define SETTINGS_ZONE_MAX	64
#define SETTINGS_SOURCE_MAX	1024

/* venue.type: only the simulated exchange for now. */
enum settings_venue {
	SETTINGS_VENUE_SIM,
};

/* session.on_signal: what a session does on SIGHUP (see tickdesk(1)). */
enum settings_on_signal {
	SETTINGS_SIGNAL_KEEP,		/* keep running, orders in place */
	SETTINGS_SIGNAL_FLATTEN,	/* halt and flatten, keep running */
};

/* journal.sync: which journal events are synced to disk at once. */
enum settings_journal_sync {
	SETTINGS_SYNC_FILLS,		/* fills and state changes */
	SETTINGS_SYNC_ALL,		/* every event */
};

struct settings {
	struct engine_config	 engine;
	/* Reader options from the data group; data.tz points at data_tz
	 * (NULL when it is empty), so copy with settings_copy. */
	struct reader_opts	 data;
	char			 data_tz[SETTINGS_ZONE_MAX];
	enum settings_venue	 venue_type;
	/* journal.path ("" = the data directory) and journal.sync. */
	char			 journal_path[SETTINGS_SOURCE_MAX];
	enum settings_journal_sync journal_sync;
	enum settings_on_signal	 on_signal;
	/* The session name of each instrument as written. */
	char			 inst_session[ENGINE_MAX_INST][TD_NAME_MAX];
	/* The file the settings came from; "" for the built-in defaults. */
	char			 source[SETTINGS_SOURCE_MAX];
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
	SETTINGS_STRATEGY,	/* the name of a strategy (strategy_find) */
	SETTINGS_TIME,		/* "HH:MM" -> minutes after midnight */
	SETTINGS_RANGE,		/* "HH:MM-HH:MM" -> two minutes */
	SETTINGS_DATES,		/* [ "YYYY-MM-DD", ... ] */
	SETTINGS_CLOSES,	/* [ "YYYY-MM-DD HH:MM", ... ] */
	SETTINGS_PARAMS,	/* a strategy's parameters: a group of ints */
};

/* Which struct a row's offset is relative to. */
enum settings_base {
	SETTINGS_BASE_NONE,	/* structure only, or stored by hand */
	SETTINGS_BASE_ROOT,	/* struct settings */
	SETTINGS_BASE_INST,	/* struct instrument of the element */
	SETTINGS_BASE_CAL,	/* struct calendar_cfg of the element */
	SETTINGS_BASE_STRAT,	/* struct strategy_cfg of the element */
	SETTINGS_BASE_INST_SESSION, /* settings.inst_session[element] */
};

/*
 * One key.  min and max are in the unit of the file (dollars as cents for
 * money, td_px for prices, characters for strings, elements for lists);
 * def is the default as it would be written in the file, without quotes,
 * and NULL for a key that must be given.  For SETTINGS_INT the value is
 * multiplied by scale (seconds to td_ns) and stored in size bytes at
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
 * $TICKDESK_CONFIG, else ./conf/tickdesk.cfg when it exists, else the
 * installed TD_SYSCONFDIR/tickdesk/tickdesk.cfg.  The result is given,
 * the environment's string or a constant; nothing to free.
 */
const char	*settings_path(const char *given);

#endif
