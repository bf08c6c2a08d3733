/*
 * test-journal-backup.c -- backups of the journal and its venue book:
 * taken while another connection writes (the copy starts over and
 * still ends whole), dated names that never overwrite, a file name that
 * needs force; verification of a good journal (its replay agrees with a
 * real engine's books, across a restart), of corrupt, truncated and
 * foreign files, and of a fill tampered with; restore refused while a
 * session holds the journal, then done with the old journal kept aside
 * and the venue's book left alone; keep-N removing only the backups it
 * wrote; the scheduled job on its own thread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine.h"
#include "errmsg.h"
#include "journal-backup.h"
#include "journal.h"
#include "portfolio.h"

#include "fixture.h"

/* 2024-03-12 21:30:00 UTC: the time of the dated names. */
#define T0	((time_t)1710279000)

struct tb {
	char		 dir[64];
	char		 journal[128];
	char		 book[136];
	char		 backups[128];
	struct engine	*e;
	struct journal	*j;
	int		 minute;	/* of the next bar, from 10:00 */
	int		 trades;	/* trade() so far */
};

static int
setup(void **state)
{
	struct tb	*t = calloc(1, sizeof *t);

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/td-jbackup-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->journal, sizeof t->journal, "%s/journal.db", t->dir);
	snprintf(t->book, sizeof t->book, "%s.venue", t->journal);
	snprintf(t->backups, sizeof t->backups, "%s/backups", t->dir);
	if (mkdir(t->backups, 0700) == -1)
		return -1;
	*state = t;
	return 0;
}

static void
stop(struct tb *t)
{
	engine_free(t->e);
	journal_close(t->j);
	t->e = NULL;
	t->j = NULL;
}

/* A clean end, as session_free makes it: the engine goes, the end is kept. */
static void
end_clean(struct tb *t)
{
	struct errmsg	 err;

	engine_free(t->e);
	t->e = NULL;
	if (journal_end(t->j, (td_ns)T0 * TD_NS_PER_SEC, &err) == -1)
		fail_msg("%s", err.msg);
	stop(t);
}

static int
teardown(void **state)
{
	struct tb	*t = *state;

	stop(t);
	fixture_rmtree(t->dir);
	free(t);
	return 0;
}

/* A paper session: an engine on the venue's book, recovered, begun. */
static void
start(struct tb *t)
{
	struct engine_config		 cfg;
	struct journal_session_info	 info = { .mode = "paper" };
	struct engine_recovery		 rec;
	struct errmsg			 err;

	fixture_config(&cfg);
	cfg.unattended = false;
	if ((t->e = fixture_engine_book(&cfg, NULL, t->book, &err)) == NULL ||
	    (t->j = journal_open(t->journal, JOURNAL_CREATE, &err)) == NULL ||
	    engine_recover(t->e, t->j, &info, &rec, &err) == -1)
		fail_msg("%s", err.msg);
}

/* The next 1-minute bar of 2024-03-12 from 10:00, in points. */
static void
bar(struct tb *t, double o, double h, double l, double c)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 12, 10,
			    t->minute++), P(o), P(h), P(l), P(c));

	if (engine_on_market(t->e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
buy(struct tb *t, int32_t stop_ticks, int32_t target)
{
	struct manual_order	 m = {
		.inst = ES,
		.side = TD_BUY,
		.type = ORD_MARKET,
		.qty = 1,
		.br = { .stop_ticks = stop_ticks, .ntargets = target > 0,
		    .target_ticks = { target } },
	};
	struct errmsg		 err;
	uint64_t		 id;

	if (engine_manual_order(t->e, &m, &id, &err) == -1)
		fail_msg("%s", err.msg);
}

/*
 * A session's trading: a long that reaches its target, then a long left
 * open with its stop working.
 */
static void
trade(struct tb *t)
{
	double	 p = 5000 + 5 * t->trades++;	/* never back to a stop */

	buy(t, 8, 8);
	bar(t, p, p + 0.5, p - 0.25, p + 0.25);
	bar(t, p + 0.25, p + 3, p, p + 2.5);
	buy(t, 8, 0);
	bar(t, p + 2.5, p + 3, p + 2, p + 2.75);
}

static void
take_ok(const char *journal, const char *dest, time_t now, bool force,
    struct jbackup_result *r)
{
	struct jbackup_opts	 o = { .force = force, .now = now };
	struct errmsg		 err;

	if (jbackup_take(journal, dest, &o, r, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
verify_ok(const char *path, struct jbackup_summary *s)
{
	struct errmsg	 err;

	if (jbackup_verify(path, s, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
sql(const char *path, const char *text)
{
	sqlite3	*db;
	char	*msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	assert_true(sqlite3_changes(db) > 0);
	sqlite3_close(db);
}

static int64_t
sql_int(const char *path, const char *text)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, text, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", text, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static bool
exists(const char *path)
{
	struct stat	 sb;

	return stat(path, &sb) == 0;
}

static int
header_byte(const char *path, off_t at)
{
	unsigned char	 c = 0;
	int		 fd = open(path, O_RDONLY);

	assert_true(fd != -1);
	assert_int_equal(pread(fd, &c, 1, at), 1);
	close(fd);
	return c;
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------ tests */

/*
 * A backup of a running session (its engine and journal open) into a
 * directory, across a restart: the replay of the backup's fills gives
 * the engine's own position and P&L, and the venue's book comes along.
 */
static void
test_journal_backup_take_and_verify(void **state)
{
	struct tb		*t = *state;
	struct jbackup_result	 r;
	struct jbackup_summary	 s;
	struct portfolio_account a;
	char			 want[JBACKUP_PATH_MAX + 8];
	struct stat		 sb;

	start(t);
	trade(t);
	end_clean(t);
	start(t);		/* session 2 goes on from session 1 */
	trade(t);
	portfolio_get_account(engine_portfolio(t->e), &a);
	assert_int_equal(portfolio_position(engine_portfolio(t->e), ES), 2);
	assert_true(a.realized > 0);

	take_ok(t->journal, t->backups, T0, false, &r);
	snprintf(want, sizeof want, "%s/journal-backup-20240312-213000.db",
	    t->backups);
	assert_string_equal(r.journal.path, want);
	assert_string_equal(r.journal.from, t->journal);
	assert_int_equal(stat(want, &sb), 0);
	assert_int_equal(r.journal.bytes, sb.st_size);
	assert_int_equal(strlen(r.journal.sha256), 64);
	strcat(want, ".venue");
	assert_string_equal(r.book.path, want);
	assert_string_equal(r.book.from, t->book);
	/* A plain file (rollback mode in its header), no log beside it. */
	assert_int_equal(header_byte(r.journal.path, 18), 1);
	snprintf(want, sizeof want, "%s-wal", r.journal.path);
	assert_false(exists(want));

	verify_ok(r.journal.path, &s);
	assert_int_equal(s.schema, JOURNAL_SCHEMA_VERSION);
	assert_int_equal(s.sessions, 2);
	assert_int_equal(s.session, 2);
	assert_string_equal(s.mode, "paper");
	assert_int_equal(s.fills, 6);
	assert_int_equal(s.voided, 0);
	assert_int_equal(s.checked_positions, 6);
	assert_true(s.checked_days >= 2);
	assert_true(s.orders >= 6);
	assert_true(s.order_events > s.orders);
	assert_int_equal(s.ninst, 1);
	assert_string_equal(s.symbol[0], "ES");
	assert_int_equal(s.position[0], 2);
	assert_int_equal(s.realized, a.realized);
	assert_int_equal(s.commissions, a.commissions);
	assert_true(s.book);

	/* The same second again: a new name, never the first one. */
	take_ok(t->journal, t->backups, T0, false, &r);
	assert_non_null(strstr(r.journal.path,
	    "/journal-backup-20240312-213000-2.db"));
}

/* A file name: refused when a backup is there, unless forced. */
static void
test_journal_backup_file_name(void **state)
{
	struct tb		*t = *state;
	struct jbackup_opts	 o = { .now = T0 };
	struct jbackup_result	 r;
	struct jbackup_summary	 s;
	struct errmsg		 err;
	char			 dest[160];

	start(t);
	trade(t);
	snprintf(dest, sizeof dest, "%s/copy.db", t->dir);
	take_ok(t->journal, dest, T0, false, &r);
	assert_string_equal(r.journal.path, dest);
	trade(t);
	assert_int_equal(jbackup_take(t->journal, dest, &o, &r, &err), -1);
	assert_non_null(strstr(err.msg, "copy.db: a backup is already there: "
	    "give --force"));
	verify_ok(dest, &s);
	assert_int_equal(s.fills, 3);
	take_ok(t->journal, dest, T0, true, &r);
	verify_ok(dest, &s);
	assert_int_equal(s.fills, 6);
	/* Neither a journal nor a directory to back up. */
	assert_int_equal(jbackup_take(t->dir, dest, &o, &r, &err), -1);
	assert_int_equal(jbackup_take("/nonexistent/j.db", dest, &o, &r,
	    &err), -1);
	assert_non_null(strstr(err.msg, "no such journal"));
	write_file(dest, "not a journal\n");
	o.force = true;
	assert_int_equal(jbackup_take(dest, t->backups, &o, &r, &err), -1);
	assert_non_null(strstr(err.msg, "not a tickdesk journal"));
}

/* The pause: the session journals a command (its own connection). */
struct writer {
	struct tb	*t;
	int		 writes;
};

static void
write_between(void *arg, int ms)
{
	struct writer	*w = arg;
	char		 line[32];

	assert_int_equal(ms, 0);
	snprintf(line, sizeof line, "status %d", w->writes++);
	engine_note_command(w->t->e, line);
}

/*
 * Another connection writes between every two steps: the copy starts
 * over each time, then takes the rest in one step, and holds every
 * write made before it.
 */
static void
test_journal_backup_while_writing(void **state)
{
	struct tb		*t = *state;
	struct writer		 w = { .t = t };
	struct jbackup_pace	 pace = { .pages = 1, .pause_ms = 0,
				    .restarts = 3, .pause = write_between,
				    .arg = &w };
	struct jbackup_opts	 o = { .now = T0, .pace = &pace };
	struct jbackup_result	 r;
	struct jbackup_summary	 s;
	struct errmsg		 err;

	start(t);
	trade(t);
	assert_int_equal(jbackup_take(t->journal, t->backups, &o, &r, &err),
	    0);
	/*
	 * Three writes while the journal was copied, all in the backup;
	 * three more while the book was, after it.
	 */
	assert_int_equal(r.journal.restarts, 3);
	assert_int_equal(r.book.restarts, 0);
	assert_int_equal(w.writes, 6);
	assert_int_equal(sql_int(r.journal.path,
	    "SELECT COUNT(*) FROM commands"), 3);
	verify_ok(r.journal.path, &s);
	assert_int_equal(s.fills, 3);
	assert_int_equal(s.position[0], 1);
}

/* Garbage, a cut, a foreign file: refused with what is wrong. */
static void
test_journal_backup_verify_refuses(void **state)
{
	struct tb		*t = *state;
	struct jbackup_result	 r;
	struct jbackup_summary	 s;
	struct errmsg		 err;
	char			 junk[4096], other[160];
	sqlite3			*db;
	int			 fd;

	start(t);
	for (int i = 0; i < 40; i++)
		trade(t);
	stop(t);
	take_ok(t->journal, t->backups, T0, false, &r);
	verify_ok(r.journal.path, &s);

	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	assert_true((fd = open(r.journal.path, O_WRONLY)) != -1);
	assert_true(r.journal.bytes > 3 * 4096);
	assert_int_equal(pwrite(fd, junk, sizeof junk,
	    r.journal.bytes / 2 / 4096 * 4096), sizeof junk);
	assert_int_equal(ftruncate(fd, r.journal.bytes), 0);
	close(fd);
	assert_int_equal(jbackup_verify(r.journal.path, &s, &err), -1);
	assert_non_null(strstr(err.msg, "journal-backup-20240312-213000.db: "));
	assert_non_null(strstr(err.msg, "integrity check"));

	assert_int_equal(truncate(r.journal.path, 4096 * 2), 0);
	assert_int_equal(jbackup_verify(r.journal.path, &s, &err), -1);
	assert_non_null(strstr(err.msg, "truncated"));

	write_file(r.journal.path, "hello\n");
	assert_int_equal(jbackup_verify(r.journal.path, &s, &err), -1);
	assert_non_null(strstr(err.msg, "truncated to 6 bytes"));

	snprintf(other, sizeof other, "%s/other.db", t->dir);
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t "
	    "VALUES (zeroblob(9000))", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(jbackup_verify(other, &s, &err), -1);
	assert_non_null(strstr(err.msg, "other.db: not a tickdesk journal"));

	snprintf(other, sizeof other, "%s/none.db", t->dir);
	assert_int_equal(jbackup_verify(other, &s, &err), -1);
	assert_non_null(strstr(err.msg, "no such journal"));
}

/* A fill edited by hand: its position row, then the day's P&L, say so. */
static void
test_journal_backup_verify_tampered(void **state)
{
	struct tb		*t = *state;
	struct jbackup_result	 r;
	struct jbackup_summary	 s;
	struct errmsg		 err;
	char			 book[JBACKUP_PATH_MAX + 8];

	start(t);
	trade(t);
	stop(t);
	take_ok(t->journal, t->backups, T0, false, &r);

	/* The target's fill 4 ticks better than it was. */
	sql(r.journal.path, "UPDATE fills SET price = price + 4 WHERE seq = "
	    "(SELECT seq FROM fills ORDER BY seq LIMIT 1 OFFSET 1)");
	assert_int_equal(jbackup_verify(r.journal.path, &s, &err), -1);
	assert_non_null(strstr(err.msg, "journal-backup-20240312-213000.db: "
	    "session 1, fills row "));
	assert_non_null(strstr(err.msg, "but its position row says -1 at"));

	/* Its position row too: the day's figures still disagree. */
	sql(r.journal.path, "UPDATE positions SET price = price + 4 WHERE "
	    "seq = (SELECT seq + 2 FROM fills ORDER BY seq LIMIT 1 OFFSET 1)");
	assert_int_equal(jbackup_verify(r.journal.path, &s, &err), -1);
	assert_non_null(strstr(err.msg, "session 1, day 20240312: realized "
	    "10000 and commissions"));
	assert_non_null(strstr(err.msg, "the replay of the fills 15000 and"));

	/* A quantity: the position after it. */
	take_ok(t->journal, t->backups, T0 + 1, false, &r);
	sql(r.journal.path, "UPDATE fills SET qty = 2 WHERE seq = "
	    "(SELECT MAX(seq) FROM fills)");
	sql(r.journal.path, "UPDATE positions SET change = 2 WHERE seq = "
	    "(SELECT MAX(seq) FROM positions)");
	assert_int_equal(jbackup_verify(r.journal.path, &s, &err), -1);
	assert_non_null(strstr(err.msg, "position ES after it +1, the replay "
	    "of the fills +2"));

	/* A book beside it that is no book. */
	take_ok(t->journal, t->backups, T0 + 2, false, &r);
	snprintf(book, sizeof book, "%s.venue", r.journal.path);
	write_file(book, "no book\n");
	assert_int_equal(jbackup_verify(r.journal.path, &s, &err), -1);
	assert_non_null(strstr(err.msg, ".db.venue: not a venue book"));
}

/*
 * Restore: refused while a session holds the journal, nothing changed;
 * done once it ended, the old journal kept under a dated name, the
 * venue's book left as it is.
 */
static void
test_journal_backup_restore(void **state)
{
	struct tb		*t = *state;
	struct jbackup_result	 r;
	struct jbackup_restored	 rs;
	struct jbackup_summary	 s;
	struct errmsg		 err;
	char			 aside[160], bad[160], elsewhere[160];
	int64_t			 book_fills;

	start(t);
	trade(t);
	take_ok(t->journal, t->backups, T0, false, &r);
	trade(t);
	assert_int_equal(jbackup_in_use(t->journal, &err), 1);
	assert_int_equal(jbackup_restore(r.journal.path, t->journal, T0, &rs,
	    &err), -1);
	assert_non_null(strstr(err.msg, "journal.db: in use by a running "
	    "session"));
	snprintf(aside, sizeof aside, "%s/journal-20240312-213000.db", t->dir);
	assert_false(exists(aside));
	stop(t);
	book_fills = sql_int(t->book, "SELECT COUNT(*) FROM fills");
	assert_int_equal(book_fills, 6);

	/* A damaged backup is refused before anything moves. */
	snprintf(bad, sizeof bad, "%s/bad.db", t->dir);
	write_file(bad, "not a journal at all, and too short to be one\n");
	assert_int_equal(jbackup_restore(bad, t->journal, T0, &rs, &err), -1);
	assert_non_null(strstr(err.msg, "bad.db: truncated"));
	assert_false(exists(aside));

	assert_int_equal(jbackup_in_use(t->journal, &err), 0);
	assert_int_equal(jbackup_restore(r.journal.path, t->journal, T0, &rs,
	    &err), 0);
	assert_string_equal(rs.aside, aside);
	assert_int_equal(rs.book, JBACKUP_BOOK_KEPT);
	assert_int_equal(rs.summary.fills, 3);
	verify_ok(aside, &s);
	assert_int_equal(s.fills, 6);
	verify_ok(t->journal, &s);
	assert_int_equal(s.fills, 3);
	assert_int_equal(sql_int(t->book, "SELECT COUNT(*) FROM fills"),
	    book_fills);

	/* Where there is no book, the backup's is put beside. */
	snprintf(elsewhere, sizeof elsewhere, "%s/new/journal.db", t->dir);
	assert_int_equal(jbackup_restore(r.journal.path, elsewhere, T0, &rs,
	    &err), 0);
	assert_string_equal(rs.aside, "");
	assert_int_equal(rs.book, JBACKUP_BOOK_RESTORED);
	assert_int_equal(sql_int(rs.book_path, "SELECT COUNT(*) FROM fills"),
	    3);
}

/* Keep N: the oldest of its own backups go, nothing else does. */
static void
test_journal_backup_keep(void **state)
{
	struct tb		*t = *state;
	struct jbackup_result	 r[5];
	struct errmsg		 err;
	char			 path[200];
	static const char *const others[] = {
		"journal-20240101-000000.db",	/* a journal kept aside */
		"journal-backup-notes.txt",
		"journal-backup-20240101-000000.db.part",
		"other-backup-20240101-000000.db",
	};
	int			 removed;

	start(t);
	trade(t);
	stop(t);
	for (int i = 0; i < 5; i++)
		take_ok(t->journal, t->backups, T0 + 86400 * (i % 2 == 0 ?
		    i : 0), false, &r[i]);
	/* r[1] and r[3] are -2 and -3 of the 12th's second. */
	assert_non_null(strstr(r[3].journal.path, "213000-3.db"));
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", t->backups, others[i]);
		write_file(path, "x\n");
	}
	assert_int_equal(jbackup_prune(t->backups, t->journal, 2, &removed,
	    &err), 0);
	assert_int_equal(removed, 3);
	/* Newest first: r[4] (the 16th), r[2] (the 14th), then the 12th's. */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(exists(r[i].journal.path), i == 2 || i == 4);
		assert_int_equal(exists(r[i].book.path), i == 2 || i == 4);
	}
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", t->backups, others[i]);
		assert_true(exists(path));
	}
	assert_int_equal(jbackup_prune(t->backups, t->journal, 0, &removed,
	    &err), -1);
}

/* The scheduled backup on its own thread: taken, then the old pruned. */
static void
test_journal_backup_job(void **state)
{
	struct tb		*t = *state;
	struct jbackup_result	 r;
	struct jbackup_job	*job;
	struct errmsg		 err;
	int			 removed;

	start(t);
	trade(t);
	take_ok(t->journal, t->backups, T0, false, &r);
	assert_non_null(job = jbackup_job_start(t->journal, t->backups, 1,
	    T0 + 60, &err));
	assert_int_equal(jbackup_job_wait(job, &r, &removed, &err), 1);
	jbackup_job_free(job);
	assert_non_null(strstr(r.journal.path,
	    "journal-backup-20240312-213100.db"));
	assert_int_equal(removed, 1);
	assert_true(exists(r.journal.path));

	/* A failure comes back as a message. */
	assert_non_null(job = jbackup_job_start(t->book, t->backups, 1,
	    T0 + 120, &err));
	assert_int_equal(jbackup_job_wait(job, &r, &removed, &err), -1);
	assert_non_null(strstr(err.msg, "not a tickdesk journal"));
	jbackup_job_free(job);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_journal_backup_take_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_backup_file_name,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_backup_while_writing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_backup_verify_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_backup_verify_tampered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_backup_restore,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_backup_keep,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_backup_job,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
