/*
 * journal-backup.h -- backups of the journal and of the venue's book
 * beside it, their verification, and restoring one in place of a journal.
 *
 * A backup is a copy made with SQLite's online backup while a session
 * runs and writes: a few pages at a time with a short pause between
 * steps, so no lock is held for long (in WAL mode a reader never blocks
 * the session's writer anyway).  A write by the session between two steps
 * makes SQLite start the copy over; after a few such starts the rest is
 * copied in one step.  The journal is copied first, then the simulated
 * venue's book (journal.db.venue), so the book in a backup is never
 * behind its journal, as after a crash.  The FIX sessions' store lives in
 * the journal's own file and comes with it.  Each file is written under a
 * temporary name, made a plain single file (no -wal), synced, and renamed
 * into place; its SHA-256 is given.
 *
 * Verification is what a restart needs of a journal: the whole file
 * (journal_open's checks: header, application id, schema version, the
 * full PRAGMA integrity_check) and a replay of its fills, per chain of
 * sessions as engine_recover applies them again, against the journal's
 * own records: every fill's position row, each position after it, and
 * the realized P&L and commissions of every day that had fills.
 *
 * Restoring puts a verified backup in place of a journal that no session
 * is writing (the advisory lock every writer holds for its life, see
 * journal_open), keeps the journal it replaces under a dated name, and
 * leaves the venue's book that is there alone: the venue's word is what
 * the next restart reconciles the restored journal with.
 *
 * Nothing here is global; every function may run on any thread.
 */
#ifndef TD_JOURNAL_BACKUP_H
#define TD_JOURNAL_BACKUP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "engine.h"
#include "journal.h"

struct errmsg;
struct jbackup_job;

#define JBACKUP_PATH_MAX	(JOURNAL_PATH_MAX + 64)

/* The defaults of a copy's pace. */
#define JBACKUP_PAGES		64	/* pages per step */
#define JBACKUP_PAUSE_MS	5	/* pause between two steps */
#define JBACKUP_RESTARTS	3	/* starts over before one whole step */

/* How a copy paces itself. */
struct jbackup_pace {
	int		 pages;		/* per step, > 0 */
	int		 pause_ms;
	int		 restarts;
	/* Called for each pause instead of sleeping (tests); NULL sleeps. */
	void		(*pause)(void *arg, int ms);
	void		*arg;
};

/* One file a backup or a restore wrote. */
struct jbackup_file {
	char		 path[JBACKUP_PATH_MAX];	/* "" none */
	char		 from[JBACKUP_PATH_MAX];
	int64_t		 bytes;
	char		 sha256[65];			/* hex */
	int		 restarts;	/* the copy started over */
};

struct jbackup_result {
	struct jbackup_file journal;
	struct jbackup_file book;	/* path "": the journal has none */
};

struct jbackup_opts {
	/* Replace a backup already at a DEST that is a file name. */
	bool		 force;
	time_t		 now;		/* the dated names' time (UTC) */
	const struct jbackup_pace *pace;	/* NULL: the defaults */
};

/*
 * Back up the journal at journal and its venue book (journal.venue, when
 * there is one) to dest:
 *   - an existing directory, or a name ending in '/' (made when missing):
 *     a new dated name in it, STEM-backup-YYYYMMDD-HHMMSS.db (STEM the
 *     journal's name without ".db"; "-2" ... before ".db" when that name
 *     is taken), the book beside it as that name plus ".venue";
 *   - anything else: that file, the book as dest.venue; refused when
 *     either exists, unless opts->force.
 * -1 with a message: no such journal, not a tickdesk journal, a backup
 * already there, or a copy or a write that failed (nothing half written
 * is left under a backup's name).
 */
int		 jbackup_take(const char *journal, const char *dest,
		     const struct jbackup_opts *opts,
		     struct jbackup_result *out, struct errmsg *err);

/*
 * Keep the keep newest backups of journal in dir (keep > 0): older files
 * named as jbackup_take names them, and their books, are removed;
 * nothing else is touched.  *removed (may be NULL) counts the backups
 * removed.  -1 with a message when dir cannot be read or a file cannot
 * be removed (those before it are gone).
 */
int		 jbackup_prune(const char *dir, const char *journal, int keep,
		     int *removed, struct errmsg *err);

/* What a verified journal holds. */
struct jbackup_summary {
	int		 schema;
	int64_t		 sessions;
	int64_t		 orders;		/* distinct orders */
	int64_t		 order_events;
	int64_t		 fills;
	int64_t		 voided;		/* fills a restart voided */
	int64_t		 checked_positions;	/* position rows */
	int64_t		 checked_days;		/* day figures */
	/* The latest session, its positions and P&L after its fills. */
	int64_t		 session;		/* 0: none */
	char		 mode[JOURNAL_MODE_MAX];
	int		 ninst;
	char		 symbol[ENGINE_MAX_INST][TD_SYMBOL_MAX];
	int64_t		 position[ENGINE_MAX_INST];
	td_cents	 realized;		/* gross */
	td_cents	 commissions;
	/* The venue's book beside the file (path.venue), checked. */
	bool		 book;
};

/*
 * Verify the journal at path (see the top of this file); *out is what it
 * holds.  -1 and "NAME: what is wrong" for a file that is missing,
 * truncated, corrupt, not a journal, of a schema this tickdesk cannot
 * read, or whose fills disagree with its records ("journal.db: session 2,
 * fills row 41: position ES after it +1, the replay of the fills +2"),
 * and for a damaged or foreign book beside it.
 */
int		 jbackup_verify(const char *path, struct jbackup_summary *out,
		     struct errmsg *err);

/*
 * Is a session writing the journal at path (does it hold the writer's
 * lock)?  1 yes, 0 no (also when there is no file), -1 with a message.
 */
int		 jbackup_in_use(const char *path, struct errmsg *err);

enum jbackup_book {
	JBACKUP_BOOK_NONE,	/* neither has one */
	JBACKUP_BOOK_KEPT,	/* the venue's book there stays */
	JBACKUP_BOOK_RESTORED,	/* there was none: the backup's */
};

struct jbackup_restored {
	struct jbackup_summary summary;		/* of the backup */
	struct jbackup_file journal;		/* the journal written */
	char		 aside[JBACKUP_PATH_MAX];	/* "": none */
	enum jbackup_book book;
	char		 book_path[JBACKUP_PATH_MAX];
};

/*
 * Restore the backup at backup as the journal at journal: verify it,
 * take the writer's lock of the journal (refused while a session holds
 * it), move the journal there aside under STEM-YYYYMMDD-HHMMSS.db (with
 * its -wal and -shm; never deleted), put a copy of the backup in its
 * place, and the backup's book at journal.venue only when none is there.
 * The journal's name never misses a file on the way.  now dates the
 * aside name.  -1 with a message; a refusal changes nothing.
 */
int		 jbackup_restore(const char *backup, const char *journal,
		     time_t now, struct jbackup_restored *out,
		     struct errmsg *err);

/*
 * A backup on a thread of its own (a session's scheduled backup at each
 * close, away from the engine's and the console's threads): jbackup_take
 * of journal into the directory dir, then jbackup_prune to keep (0: all).
 * NULL and a message when the thread cannot start.
 */
struct jbackup_job *jbackup_job_start(const char *journal, const char *dir,
		     int keep, time_t now, struct errmsg *err);
/*
 * 0 while it runs; 1 when it is done, with what it wrote and how many
 * old backups it removed; -1 when it failed, with why.  Never blocks.
 */
int		 jbackup_job_poll(struct jbackup_job *job,
		     struct jbackup_result *out, int *removed,
		     struct errmsg *err);
/* Wait for the job to end; then as jbackup_job_poll (never 0). */
int		 jbackup_job_wait(struct jbackup_job *job,
		     struct jbackup_result *out, int *removed,
		     struct errmsg *err);
/* Wait for the job to end and free it (NULL is fine). */
void		 jbackup_job_free(struct jbackup_job *job);

#endif
