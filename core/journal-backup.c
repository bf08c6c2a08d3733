/*
 * journal-backup.c -- backups, verification and restore of the journal
 * (see journal-backup.h).
 *
 * This module owns no state between calls: each call opens what it needs
 * (SQLite connections of its own, never the session's), and a scheduled
 * job owns only its thread and its result.  The files it writes are
 * always made under a temporary name (".part") and renamed into place
 * after they are synced, so a name a backup gives is a whole file.
 *
 * The replay of verification is engine_recover's without a venue: the
 * fills of a chain of sessions (a session and those it continued), in
 * the journal's order, through a portfolio on the instruments the session
 * recorded.  A chain in which a restart voided fills is checked at its
 * last session only: the sessions before the void counted those fills,
 * and the journal does not say which restart voided them.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "errmsg.h"
#include "array.h"
#include "journal-backup.h"
#include "journal.h"
#include "portfolio.h"
#include "venue-sim.h"

/* Steps that found the source busy before a copy gives up. */
#define JB_BUSY_MAX	2000

static const struct jbackup_pace jb_default_pace = {
	.pages = JBACKUP_PAGES,
	.pause_ms = JBACKUP_PAUSE_MS,
	.restarts = JBACKUP_RESTARTS,
};

/* The companions SQLite keeps beside a database file. */
static const char *const jb_companions[] = { "-wal", "-shm", "-journal" };
#define JB_NCOMPANIONS	(sizeof jb_companions / sizeof jb_companions[0])

/* ------------------------------------------------------------ names */

static const char *
jb_base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

static bool
jb_exists(const char *path)
{
	struct stat	 sb;

	return lstat(path, &sb) == 0;
}

/* The directory part of path ("." for none). */
static void
jb_dir(const char *path, char *buf, size_t len)
{
	const char	*s = strrchr(path, '/');

	if (s == NULL)
		snprintf(buf, len, ".");
	else if (s == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(s - path), path);
}

/* The journal's name without its directory and ".db". */
static void
jb_stem(const char *journal, char *buf, size_t len)
{
	const char	*b = jb_base(journal);
	size_t		 n = strlen(b);

	if (n > 3 && strcmp(b + n - 3, ".db") == 0)
		n -= 3;
	snprintf(buf, len, "%.*s", (int)n, b);
}

/*
 * A free dated name in dir: DIR/STEM[infix]-YYYYMMDD-HHMMSS[-N].db,
 * neither it nor its book there.  -1 when 99 tries found none.
 */
static int
jb_dated(const char *dir, const char *journal, const char *infix, time_t now,
    char *buf, size_t len, struct errmsg *err)
{
	char		 stem[JOURNAL_PATH_MAX], when[32], seq[8];
	char		 book[JBACKUP_PATH_MAX + 8];
	struct tm	 tm;
	int		 w;

	jb_stem(journal, stem, sizeof stem);
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
	for (int n = 1; n < 100; n++) {
		seq[0] = '\0';
		if (n > 1)
			snprintf(seq, sizeof seq, "-%d", n);
		w = snprintf(buf, len, "%s/%s%s-%s%s.db", dir, stem, infix,
		    when, seq);
		if (w < 0 || (size_t)w >= len)
			return errmsg_set(err, "%s: path too long", dir);
		snprintf(book, sizeof book, "%s.venue", buf);
		if (!jb_exists(buf) && !jb_exists(book))
			return 0;
	}
	return errmsg_set(err, "%s: no free name for a backup of %s", dir,
	    jb_base(journal));
}

/* path + ext into buf; -1 when it does not fit. */
static int
jb_join(char *buf, size_t len, const char *path, const char *ext,
    struct errmsg *err)
{
	int	 w = snprintf(buf, len, "%s%s", path, ext);

	if (w < 0 || (size_t)w >= len)
		return errmsg_set(err, "%s: path too long", path);
	return 0;
}

/* fsync the directory holding path, so a rename in it is durable. */
static int
jb_sync_dir(const char *path, struct errmsg *err)
{
	char	 dir[JBACKUP_PATH_MAX];
	int	 fd, rc;

	jb_dir(path, dir, sizeof dir);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return errmsg_sys(err, dir, NULL);
	rc = fsync(fd);
	close(fd);
	return rc == -1 ? errmsg_sys(err, dir, "sync") : 0;
}

/* ------------------------------------------------------------ files */

/* Sync the file at path and take its size and SHA-256. */
static int
jb_seal(const char *path, struct jbackup_file *f, struct errmsg *err)
{
	unsigned char	 buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	EVP_MD_CTX	*ctx;
	ssize_t		 n;
	int		 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errmsg_sys(err, path, NULL);
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		errmsg_set(err, "%s: sha256: out of memory", path);
		goto out;
	}
	f->bytes = 0;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		f->bytes += n;
	}
	if (n == -1) {
		errmsg_sys(err, path, "read");
		goto out;
	}
	if (fsync(fd) == -1) {
		errmsg_sys(err, path, "sync");
		goto out;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	for (unsigned int i = 0; i < mdlen && i < 32; i++)
		snprintf(f->sha256 + 2 * i, 3, "%02x", md[i]);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

static void
jb_sleep(void *arg, int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	(void)arg;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

static int
jb_sqlerr(sqlite3 *db, const char *path, const char *what,
    struct errmsg *err)
{
	return errmsg_set(err, "%s: %s: %s", jb_base(path), what,
	    db != NULL ? sqlite3_errmsg(db) : "out of memory");
}

/*
 * Is path an SQLite file of application id app (PRAGMA application_id,
 * at offset 68 of its header)?  Set when the file is made, so the header
 * in the main file says it even while a log is beside it.
 */
static bool
jb_is_app(const char *path, uint32_t app)
{
	unsigned char	 h[100];
	uint32_t	 id;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	n = pread(fd, h, sizeof h, 0);
	close(fd);
	if (n != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return false;
	id = (uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 |
	    (uint32_t)h[70] << 8 | h[71];
	return id == app;
}

/* Open an SQLite file that must be there and carry application id app. */
static sqlite3 *
jb_open_src(const char *path, uint32_t app, const char *what,
    struct errmsg *err)
{
	sqlite3		*db = NULL;

	if (!jb_is_app(path, app)) {
		errmsg_set(err, "%s: not %s", jb_base(path), what);
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		jb_sqlerr(db, path, "cannot open", err);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* Step the backup b to its end at the pace p; *restarts counted. */
static int
jb_steps(sqlite3_backup *b, const struct jbackup_pace *p, int *restarts)
{
	int	 rc, done, prev = 0, busy = 0;
	bool	 whole = false;

	*restarts = 0;
	for (;;) {
		rc = sqlite3_backup_step(b, whole ? -1 : p->pages);
		if (rc == SQLITE_DONE)
			return SQLITE_OK;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++busy > JB_BUSY_MAX)
				return rc;
		} else if (rc != SQLITE_OK)
			return rc;
		else {
			/* Fewer pages copied than before: it started over. */
			done = sqlite3_backup_pagecount(b) -
			    sqlite3_backup_remaining(b);
			if (done <= prev && ++*restarts >= p->restarts)
				whole = true;
			prev = done;
		}
		if (!whole) {
			if (p->pause != NULL)
				p->pause(p->arg, p->pause_ms);
			else
				jb_sleep(NULL, p->pause_ms);
		}
	}
}

/*
 * Copy the SQLite file src (application id app) to dst, which must not
 * exist, with the online backup at pace p: a plain file (no -wal), synced.
 */
static int
jb_copy(const char *src, uint32_t app, const char *what, const char *dst,
    const struct jbackup_pace *p, struct jbackup_file *f,
    struct errmsg *err)
{
	sqlite3		*from, *to = NULL;
	sqlite3_backup	*b;
	int		 rc = -1;

	if ((from = jb_open_src(src, app, what, err)) == NULL)
		return -1;
	if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		jb_sqlerr(to, dst, "cannot create", err);
		goto out;
	}
	if ((b = sqlite3_backup_init(to, "main", from, "main")) == NULL) {
		jb_sqlerr(to, dst, "backup", err);
		goto out;
	}
	if (jb_steps(b, p, &f->restarts) != SQLITE_OK) {
		jb_sqlerr(from, src, "backup", err);
		sqlite3_backup_finish(b);
		goto out;
	}
	/* The copy says WAL as its source did: made a plain file again. */
	if (sqlite3_backup_finish(b) != SQLITE_OK ||
	    sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		jb_sqlerr(to, dst, "backup", err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(from);
	if (to != NULL && sqlite3_close(to) != SQLITE_OK && rc == 0)
		rc = errmsg_set(err, "%s: cannot close", jb_base(dst));
	if (rc == 0)
		rc = jb_seal(dst, f, err);
	if (rc == 0) {
		snprintf(f->from, sizeof f->from, "%s", src);
		snprintf(f->path, sizeof f->path, "%s", dst);
	}
	return rc;
}

/* Copy src to dst.part (in part), ready for jb_place. */
static int
jb_copy_part(const char *src, uint32_t app, const char *what,
    const char *dst, char *part, size_t len, const struct jbackup_pace *p,
    struct jbackup_file *f, struct errmsg *err)
{
	if (jb_join(part, len, dst, ".part", err) == -1)
		return -1;
	unlink(part);
	if (jb_copy(src, app, what, part, p, f, err) == -1) {
		unlink(part);
		return -1;
	}
	return 0;
}

/*
 * The copy at part takes the name dst: renamed over dst when replace,
 * else linked (refused when dst appeared meanwhile).
 */
static int
jb_place(const char *part, const char *dst, bool replace,
    struct jbackup_file *f, struct errmsg *err)
{
	int	 rc = replace ? rename(part, dst) : link(part, dst);

	if (rc == -1)
		errmsg_sys(err, dst, NULL);
	if (rc == -1 || !replace)
		unlink(part);
	snprintf(f->path, sizeof f->path, "%s", dst);
	return rc == -1 ? -1 : jb_sync_dir(dst, err);
}

static int
jb_copy_to(const char *src, uint32_t app, const char *what, const char *dst,
    bool replace, const struct jbackup_pace *p, struct jbackup_file *f,
    struct errmsg *err)
{
	char	 part[JBACKUP_PATH_MAX + 8];

	if (jb_copy_part(src, app, what, dst, part, sizeof part, p, f,
	    err) == -1)
		return -1;
	return jb_place(part, dst, replace, f, err);
}

/* ------------------------------------------------------------ backup */

static int
jb_mkdir(const char *dir, struct errmsg *err)
{
	struct stat	 sb;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return errmsg_sys(err, dir, NULL);
	if (stat(dir, &sb) == -1)
		return errmsg_sys(err, dir, NULL);
	if (!S_ISDIR(sb.st_mode))
		return errmsg_set(err, "%s: not a directory", dir);
	return 0;
}

/* Where the backup goes: dest itself, or a dated name in it. */
static int
jb_dest(const char *journal, const char *dest, const struct jbackup_opts *o,
    char *buf, size_t len, struct errmsg *err)
{
	char		 dir[JBACKUP_PATH_MAX], book[JBACKUP_PATH_MAX + 8];
	struct stat	 sb;
	size_t		 n = strlen(dest);

	if (n == 0)
		return errmsg_set(err, "no backup destination");
	if (dest[n - 1] == '/' || (stat(dest, &sb) == 0 &&
	    S_ISDIR(sb.st_mode))) {
		snprintf(dir, sizeof dir, "%.*s", (int)(n > 1 &&
		    dest[n - 1] == '/' ? n - 1 : n), dest);
		if (jb_mkdir(dir, err) == -1)
			return -1;
		return jb_dated(dir, journal, "-backup", o->now, buf, len,
		    err);
	}
	if (jb_join(buf, len, dest, "", err) == -1 ||
	    jb_join(book, sizeof book, dest, ".venue", err) == -1)
		return -1;
	if (!o->force && (jb_exists(buf) || jb_exists(book)))
		return errmsg_set(err, "%s: a backup is already there: give "
		    "--force to replace it, or a directory for a new dated "
		    "name", dest);
	return 0;
}

int
jbackup_take(const char *journal, const char *dest,
    const struct jbackup_opts *opts, struct jbackup_result *out,
    struct errmsg *err)
{
	const struct jbackup_pace	*p = opts->pace != NULL ? opts->pace :
					    &jb_default_pace;
	char				 to[JBACKUP_PATH_MAX];
	char				 book[JBACKUP_PATH_MAX + 8];
	char				 tobook[JBACKUP_PATH_MAX + 8];

	memset(out, 0, sizeof *out);
	if (!jb_exists(journal))
		return errmsg_set(err, "%s: no such journal", journal);
	if (jb_dest(journal, dest, opts, to, sizeof to, err) == -1 ||
	    jb_join(book, sizeof book, journal, ".venue", err) == -1 ||
	    jb_join(tobook, sizeof tobook, to, ".venue", err) == -1)
		return -1;
	/* The journal first: the book is never behind it. */
	if (jb_copy_to(journal, JOURNAL_APP_ID, "a tickdesk journal", to,
	    true, p, &out->journal, err) == -1)
		return -1;
	if (!jb_exists(book)) {
		/* A book of the backup replaced belongs to that one. */
		if (unlink(tobook) == -1 && errno != ENOENT)
			return errmsg_sys(err, tobook, NULL);
		return 0;
	}
	return jb_copy_to(book, VENUE_SIM_BOOK_ID, "a venue book", tobook,
	    true, p, &out->book, err);
}

/* ------------------------------------------------------------ prune */

struct jb_kept {
	char		 name[256];
	int64_t		 when;		/* YYYYMMDDHHMMSS */
	int		 n;
};

/* Is name one of our backups of stem?  Its time and number in *k. */
static bool
jb_ours(const char *name, const char *stem, struct jb_kept *k)
{
	size_t		 sl = strlen(stem);
	const char	*p = name;
	int64_t		 when = 0;
	int		 n = 1;

	if (strncmp(p, stem, sl) != 0 || strncmp(p + sl, "-backup-", 8) != 0)
		return false;
	p += sl + 8;
	for (int i = 0; i < 15; i++, p++) {
		if (i == 8) {
			if (*p != '-')
				return false;
			continue;
		}
		if (*p < '0' || *p > '9')
			return false;
		when = when * 10 + (*p - '0');
	}
	if (p[0] == '-' && p[1] >= '2' && p[1] <= '9') {
		n = p[1] - '0';
		p += 2;
		if (*p >= '0' && *p <= '9')
			n = n * 10 + (*p++ - '0');
	}
	if (strcmp(p, ".db") != 0 || strlen(name) >= sizeof k->name)
		return false;
	snprintf(k->name, sizeof k->name, "%s", name);
	k->when = when;
	k->n = n;
	return true;
}

/* Newest first. */
static int
jb_kept_cmp(const void *a, const void *b)
{
	const struct jb_kept	*x = a, *y = b;

	if (x->when != y->when)
		return x->when > y->when ? -1 : 1;
	return (y->n > x->n) - (y->n < x->n);
}

/* Remove the backup dir/name and its book. */
static int
jb_remove(const char *dir, const char *name, struct errmsg *err)
{
	char	 path[JBACKUP_PATH_MAX + 8];

	snprintf(path, sizeof path, "%s/%s.venue", dir, name);
	if (unlink(path) == -1 && errno != ENOENT)
		return errmsg_sys(err, path, "remove");
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (unlink(path) == -1 && errno != ENOENT)
		return errmsg_sys(err, path, "remove");
	return 0;
}

/* The backups of stem in dir, newest first. */
static int
jb_list(const char *dir, const char *stem, struct jb_kept **out, size_t *n,
    struct errmsg *err)
{
	struct jb_kept	*k = NULL, one, *nk;
	struct dirent	*de;
	size_t		 cap = 0;
	DIR		*d;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return errmsg_sys(err, dir, NULL);
	while ((de = readdir(d)) != NULL) {
		if (!jb_ours(de->d_name, stem, &one))
			continue;
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nk = realloc(k, cap * sizeof *k)) == NULL) {
				closedir(d);
				free(k);
				return errmsg_set(err, "out of memory");
			}
			k = nk;
		}
		k[(*n)++] = one;
	}
	closedir(d);
	if (*n > 0)
		qsort(k, *n, sizeof *k, jb_kept_cmp);
	*out = k;
	return 0;
}

int
jbackup_prune(const char *dir, const char *journal, int keep, int *removed,
    struct errmsg *err)
{
	struct jb_kept	*k = NULL;
	char		 stem[JOURNAL_PATH_MAX];
	size_t		 n;
	int		 rc = 0, gone = 0;

	if (removed != NULL)
		*removed = 0;
	if (keep <= 0)
		return errmsg_set(err, "keep %d: keep at least one backup", keep);
	jb_stem(journal, stem, sizeof stem);
	if (jb_list(dir, stem, &k, &n, err) == -1)
		return -1;
	for (size_t i = (size_t)keep; i < n && rc == 0; i++) {
		if ((rc = jb_remove(dir, k[i].name, err)) == 0)
			gone++;
	}
	free(k);
	if (removed != NULL)
		*removed = gone;
	return rc;
}

/* ------------------------------------------------------------ verify */

/* Every row of a journal the replay needs. */
struct jb_rows {
	struct journal_session	*sess;
	size_t			 nsess, capsess;
	struct journal_instrument *inst;
	size_t			 ninst, capinst;
	struct journal_fill	*fill;
	size_t			 nfill, capfill;
	struct journal_position	*pos;		/* by seq */
	size_t			 npos, cappos;
	struct journal_day	*day;		/* by session, day */
	size_t			 nday, capday;
	uint64_t		*ids;
	size_t			 nids, capids;
	int64_t			 order_events;
	bool			 oom;		/* a row did not fit */
};

#define JB_COLLECT(kind, arr, n, cap)					\
static int								\
jb_on_##kind(void *arg, const struct journal_##kind *r)		\
{									\
	struct jb_rows	*rs = arg;					\
									\
	if (array_grow(&rs->arr, &rs->cap, rs->n, sizeof *rs->arr) == -1) { \
		rs->oom = true;						\
		return 1;						\
	}								\
	rs->arr[rs->n++] = *r;						\
	return 0;							\
}
JB_COLLECT(session, sess, nsess, capsess)
JB_COLLECT(instrument, inst, ninst, capinst)
JB_COLLECT(fill, fill, nfill, capfill)
JB_COLLECT(position, pos, npos, cappos)
JB_COLLECT(day, day, nday, capday)

static int
jb_on_order(void *arg, const struct journal_order *o)
{
	struct jb_rows	*rs = arg;

	rs->order_events++;
	if (array_grow(&rs->ids, &rs->capids, rs->nids, sizeof *rs->ids) ==
	    -1) {
		rs->oom = true;
		return 1;
	}
	rs->ids[rs->nids++] = o->order.id;
	return 0;
}

static void
jb_rows_free(struct jb_rows *rs)
{
	free(rs->sess);
	free(rs->inst);
	free(rs->fill);
	free(rs->pos);
	free(rs->day);
	free(rs->ids);
}

static int
jb_read(struct journal *j, struct jb_rows *rs, struct errmsg *err)
{
	if (journal_read_sessions(j, jb_on_session, rs, err) == -1 ||
	    journal_read_instruments(j, jb_on_instrument, rs, err) == -1 ||
	    journal_read_fills(j, 0, 0, jb_on_fill, rs, err) == -1 ||
	    journal_read_positions(j, 0, 0, jb_on_position, rs, err) == -1 ||
	    journal_read_days(j, 0, 0, jb_on_day, rs, err) == -1 ||
	    journal_read_orders(j, 0, 0, jb_on_order, rs, err) == -1)
		return -1;
	return rs->oom ? errmsg_set(err, "out of memory") : 0;
}

static int
jb_id_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int64_t
jb_distinct(uint64_t *ids, size_t n)
{
	int64_t	 d = 0;

	if (n > 0)
		qsort(ids, n, sizeof *ids, jb_id_cmp);
	for (size_t i = 0; i < n; i++)
		d += i == 0 || ids[i] != ids[i - 1];
	return d;
}

static const struct journal_position *
jb_pos_at(const struct jb_rows *rs, int64_t seq)
{
	size_t	 lo = 0, hi = rs->npos;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (rs->pos[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->npos && rs->pos[lo].seq == seq ? &rs->pos[lo] : NULL;
}

static const struct journal_day *
jb_day_of(const struct jb_rows *rs, int64_t session, int32_t day)
{
	for (size_t i = 0; i < rs->nday; i++) {
		if (rs->day[i].session == session && rs->day[i].day == day)
			return &rs->day[i];
	}
	return NULL;
}

static const struct journal_session *
jb_session(const struct jb_rows *rs, int64_t id)
{
	for (size_t i = 0; i < rs->nsess; i++) {
		if (rs->sess[i].id == id)
			return &rs->sess[i];
	}
	return NULL;
}

/* Does a fill row stand behind the position row p (a restart voided it)? */
static bool
jb_has_fill(const struct jb_rows *rs, const struct journal_position *p)
{
	size_t	 lo = 0, hi = rs->nfill;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (rs->fill[mid].seq < p->seq - 2)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->nfill && rs->fill[lo].seq == p->seq - 2;
}

/* One chain's replay: the sessions from its first to its last. */
struct jb_chain {
	int64_t			*ids;		/* oldest first */
	size_t			 n;
	bool			 voided;	/* a restart voided fills */
	struct portfolio	*pf;		/* on the session's instruments */
	struct instrument	 inst[ENGINE_MAX_INST];
	int			 ninst;
};

static bool
jb_in_chain(const struct jb_chain *c, int64_t session, size_t upto)
{
	for (size_t i = 0; i <= upto && i < c->n; i++) {
		if (c->ids[i] == session)
			return true;
	}
	return false;
}

/* The instruments session recorded. */
static int
jb_instruments(const struct jb_rows *rs, int64_t session, struct jb_chain *c,
    struct errmsg *err)
{
	c->ninst = 0;
	for (size_t i = 0; i < rs->ninst; i++) {
		if (rs->inst[i].session != session)
			continue;
		if (c->ninst == ENGINE_MAX_INST)
			return errmsg_set(err, "session %lld: more than %d "
			    "instruments", (long long)session,
			    ENGINE_MAX_INST);
		c->inst[c->ninst++] = rs->inst[i].inst;
	}
	return 0;
}

static int
jb_inst_index(const struct jb_chain *c, const char *symbol)
{
	for (int i = 0; i < c->ninst; i++) {
		if (strcmp(c->inst[i].symbol, symbol) == 0)
			return i;
	}
	return -1;
}

/* Apply one fill; -1 when the session has no such instrument. */
static int
jb_apply(struct jb_chain *c, const struct journal_fill *f, struct errmsg *err)
{
	int	 i = jb_inst_index(c, f->symbol);

	if (i == -1)
		return -1;
	if (portfolio_fill(c->pf, td_inst_at(i), f->side, f->qty, f->price,
	    f->time, NULL, err) == PORTFOLIO_REFUSED)
		return -1;
	return 0;
}

/*
 * A fresh portfolio on the instruments of member k, the fills of the
 * members before it replayed into it.
 */
static int
jb_rebuild(const struct jb_rows *rs, struct jb_chain *c, size_t k,
    struct errmsg *err)
{
	struct errmsg	 e;

	portfolio_free(c->pf);
	c->pf = NULL;
	if (jb_instruments(rs, c->ids[k], c, err) == -1)
		return -1;
	if (c->ninst == 0)
		return 0;
	if ((c->pf = portfolio_create(c->inst, c->ninst, err)) == NULL)
		return -1;
	for (size_t i = 0; i < rs->nfill && k > 0; i++) {
		/* A fill it cannot take is left out, as a restart does. */
		if (jb_in_chain(c, rs->fill[i].session, k - 1))
			(void)jb_apply(c, &rs->fill[i], &e);
	}
	return 0;
}

/* Same symbols, sizes and commissions: the replay carries over. */
static bool
jb_same_instruments(const struct jb_rows *rs, const struct jb_chain *c,
    int64_t session)
{
	int	 n = 0;

	for (size_t i = 0; i < rs->ninst; i++) {
		const struct instrument	*a = &rs->inst[i].inst;

		if (rs->inst[i].session != session)
			continue;
		if (n >= c->ninst || strcmp(a->symbol, c->inst[n].symbol) != 0 ||
		    a->tick_size != c->inst[n].tick_size ||
		    a->point_value != c->inst[n].point_value ||
		    a->commission != c->inst[n].commission)
			return false;
		n++;
	}
	return n == c->ninst;
}

/* The fill f of member session s against its position row. */
static int
jb_check_fill(struct jb_rows *rs, struct jb_chain *c,
    const struct journal_fill *f, bool running, struct jbackup_summary *out,
    struct errmsg *err)
{
	const struct journal_position	*p = jb_pos_at(rs, f->seq + 2);
	int64_t				 change = f->side == TD_BUY ? f->qty :
					    -f->qty;
	int				 i = jb_inst_index(c, f->symbol);

	if (i == -1)
		return errmsg_set(err, "session %lld, fills row %lld: %s is "
		    "not an instrument of the session", (long long)f->session,
		    (long long)f->seq, f->symbol);
	if (p == NULL || p->session != f->session ||
	    strcmp(p->symbol, f->symbol) != 0)
		return errmsg_set(err, "session %lld, fills row %lld: no "
		    "position row after it", (long long)f->session,
		    (long long)f->seq);
	if (p->change != change || p->price != f->price)
		return errmsg_set(err, "session %lld, fills row %lld: %s %+lld "
		    "at %lld ticks, but its position row says %+lld at %lld",
		    (long long)f->session, (long long)f->seq, f->symbol,
		    (long long)change, (long long)f->price,
		    (long long)p->change, (long long)p->price);
	if (jb_apply(c, f, err) == -1) {
		errmsg_prefix(err, "session %lld, fills row %lld",
		    (long long)f->session, (long long)f->seq);
		return -1;
	}
	out->checked_positions++;
	if (running && p->position != portfolio_position(c->pf,
	    td_inst_at(i)))
		return errmsg_set(err, "session %lld, fills row %lld: position "
		    "%s after it %+lld, the replay of the fills %+lld",
		    (long long)f->session, (long long)f->seq, f->symbol,
		    (long long)p->position, (long long)portfolio_position(
		    c->pf, td_inst_at(i)));
	return 0;
}

/* The day figures of the day of f, the last fill of its day. */
static int
jb_check_day(const struct jb_rows *rs, const struct jb_chain *c,
    const struct journal_fill *f, struct jbackup_summary *out,
    struct errmsg *err)
{
	const struct journal_day	*d;
	struct portfolio_account	 a;

	if (f->day == 0 || (d = jb_day_of(rs, f->session, f->day)) == NULL)
		return 0;
	portfolio_get_account(c->pf, &a);
	if (d->realized != a.realized || d->commissions != a.commissions)
		return errmsg_set(err, "session %lld, day %d: realized %lld and "
		    "commissions %lld cents, the replay of the fills %lld and "
		    "%lld", (long long)f->session, (int)f->day,
		    (long long)d->realized, (long long)d->commissions,
		    (long long)a.realized, (long long)a.commissions);
	out->checked_days++;
	return 0;
}

/* Member k of the chain: its fills in order, checked. */
static int
jb_check_member(struct jb_rows *rs, struct jb_chain *c, size_t k,
    struct jbackup_summary *out, struct errmsg *err)
{
	int64_t		 s = c->ids[k];
	bool		 running = !c->voided || k + 1 == c->n;
	size_t		 last = SIZE_MAX;

	if (c->pf == NULL || !jb_same_instruments(rs, c, s)) {
		if (jb_rebuild(rs, c, k, err) == -1)
			return -1;
	}
	for (size_t i = 0; i < rs->nfill; i++) {
		const struct journal_fill	*f = &rs->fill[i];

		if (f->session != s)
			continue;
		if (c->pf == NULL)
			return errmsg_set(err, "session %lld: fills but no "
			    "instruments", (long long)s);
		if (last != SIZE_MAX && rs->fill[last].day != f->day &&
		    running && jb_check_day(rs, c, &rs->fill[last], out,
		    err) == -1)
			return -1;
		if (jb_check_fill(rs, c, f, running, out, err) == -1)
			return -1;
		last = i;
	}
	if (last != SIZE_MAX && running)
		return jb_check_day(rs, c, &rs->fill[last], out, err);
	return 0;
}

/* Is session id continued by a later one? */
static bool
jb_resumed(const struct jb_rows *rs, int64_t id)
{
	for (size_t i = 0; i < rs->nsess; i++) {
		if (rs->sess[i].resumes == id && rs->sess[i].id > id)
			return true;
	}
	return false;
}

/* The chain ending at head, oldest first; voided fills noted. */
static int
jb_chain(const struct jb_rows *rs, int64_t head, struct jb_chain *c,
    struct errmsg *err)
{
	const struct journal_session	*s;
	int64_t				 want = head;

	memset(c, 0, sizeof *c);
	if ((c->ids = calloc(rs->nsess + 1, sizeof *c->ids)) == NULL)
		return errmsg_set(err, "out of memory");
	while (want != 0 && !jb_in_chain(c, want, c->n) &&
	    (s = jb_session(rs, want)) != NULL) {
		c->ids[c->n++] = want;
		want = s->resumes;
	}
	for (size_t i = 0; i < c->n / 2; i++) {
		int64_t	 t = c->ids[i];

		c->ids[i] = c->ids[c->n - 1 - i];
		c->ids[c->n - 1 - i] = t;
	}
	for (size_t i = 0; i < rs->npos; i++) {
		if (jb_in_chain(c, rs->pos[i].session, c->n) &&
		    !jb_has_fill(rs, &rs->pos[i]))
			c->voided = true;
	}
	return 0;
}

static void
jb_chain_free(struct jb_chain *c)
{
	portfolio_free(c->pf);
	free(c->ids);
}

/* The latest session's positions and P&L, as its chain's replay left. */
static void
jb_sum_latest(const struct jb_chain *c, const struct journal_session *s,
    struct jbackup_summary *out)
{
	struct portfolio_account	 a;

	out->session = s->id;
	snprintf(out->mode, sizeof out->mode, "%s", s->mode);
	out->ninst = c->pf != NULL ? c->ninst : 0;
	for (int i = 0; i < out->ninst; i++) {
		snprintf(out->symbol[i], sizeof out->symbol[i], "%s",
		    c->inst[i].symbol);
		out->position[i] = portfolio_position(c->pf, td_inst_at(i));
	}
	if (c->pf != NULL) {
		portfolio_get_account(c->pf, &a);
		out->realized = a.realized;
		out->commissions = a.commissions;
	}
}

/* Every chain, checked member by member. */
static int
jb_replay(struct jb_rows *rs, struct jbackup_summary *out, struct errmsg *err)
{
	struct jb_chain	 c;
	int		 rc = 0;

	for (size_t i = 0; i < rs->npos; i++)
		out->voided += !jb_has_fill(rs, &rs->pos[i]);
	for (size_t h = 0; h < rs->nsess && rc == 0; h++) {
		if (jb_resumed(rs, rs->sess[h].id))
			continue;
		if (jb_chain(rs, rs->sess[h].id, &c, err) == -1)
			return -1;
		for (size_t k = 0; k < c.n && rc == 0; k++)
			rc = jb_check_member(rs, &c, k, out, err);
		if (rc == 0 && h + 1 == rs->nsess)
			jb_sum_latest(&c, &rs->sess[h], out);
		jb_chain_free(&c);
	}
	return rc;
}

/* The venue's book beside path, when there is one: whole and a book. */
static int
jb_check_book(const char *path, bool *has, struct errmsg *err)
{
	char		 book[JBACKUP_PATH_MAX + 8];
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	const char	*ok;
	int		 rc = -1;

	*has = false;
	if (jb_join(book, sizeof book, path, ".venue", err) == -1)
		return -1;
	if (!jb_exists(book))
		return 0;
	if (!jb_is_app(book, VENUE_SIM_BOOK_ID)) {
		errmsg_set(err, "%s: not a venue book", jb_base(book));
		goto out;
	}
	if (sqlite3_open_v2(book, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		jb_sqlerr(db, book, "cannot open", err);
		goto out;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    (ok = (const char *)sqlite3_column_text(st, 0)) == NULL ||
	    strcmp(ok, "ok") != 0) {
		errmsg_set(err, "%s: the venue book is damaged (integrity "
		    "check)", jb_base(book));
		goto out;
	}
	*has = true;
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

int
jbackup_verify(const char *path, struct jbackup_summary *out,
    struct errmsg *err)
{
	struct jb_rows	 rs;
	struct journal	*j;
	int		 rc = -1;

	memset(out, 0, sizeof *out);
	memset(&rs, 0, sizeof rs);
	if ((j = journal_open(path, JOURNAL_READONLY, err)) == NULL)
		return -1;
	out->schema = journal_schema_version(j);
	if (jb_read(j, &rs, err) == -1)
		goto out;
	out->sessions = (int64_t)rs.nsess;
	out->fills = (int64_t)rs.nfill;
	out->order_events = rs.order_events;
	out->orders = jb_distinct(rs.ids, rs.nids);
	if (jb_replay(&rs, out, err) == -1) {
		errmsg_prefix(err, "%s", jb_base(path));
		goto out;
	}
	rc = jb_check_book(path, &out->book, err);
out:
	jb_rows_free(&rs);
	journal_close(j);
	return rc;
}

/* ------------------------------------------------------------ restore */

enum { JB_LOCKED, JB_NOFILE, JB_BUSY };

/*
 * Take the writer's lock of the journal at path (*fd), as journal_open
 * does: JB_LOCKED, JB_NOFILE (*fd -1), JB_BUSY (a session holds it: the
 * message says so), -1 with a message.
 */
static int
jb_lock(const char *path, int *fd, struct errmsg *err)
{
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? JB_NOFILE : errmsg_sys(err, path,
		    NULL);
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return JB_LOCKED;
	close(*fd);
	*fd = -1;
	if (errno != EWOULDBLOCK)
		return errmsg_sys(err, path, "lock");
	errmsg_set(err, "%s: in use by a running session: end it first "
	    "(quit, or tickdesk ctl quit)", path);
	return JB_BUSY;
}

int
jbackup_in_use(const char *path, struct errmsg *err)
{
	struct errmsg	 e;
	int		 fd, rc = jb_lock(path, &fd, &e);

	if (fd != -1)
		close(fd);
	if (rc == -1 && err != NULL)
		*err = e;
	return rc == -1 ? -1 : rc == JB_BUSY;
}

/* Fold the old journal's log into its file, when SQLite can. */
static void
jb_checkpoint(const char *path)
{
	sqlite3	*db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK)
		sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
		    NULL);
	sqlite3_close(db);
}

/* Move path's companions to aside's (back: from aside to path). */
static int
jb_move_companions(const char *path, const char *aside, bool back,
    struct errmsg *err)
{
	char	 a[JBACKUP_PATH_MAX + 16], b[JBACKUP_PATH_MAX + 16];

	for (size_t i = 0; i < JB_NCOMPANIONS; i++) {
		snprintf(a, sizeof a, "%s%s", path, jb_companions[i]);
		snprintf(b, sizeof b, "%s%s", aside, jb_companions[i]);
		if ((back ? rename(b, a) : rename(a, b)) == -1 &&
		    errno != ENOENT && !back)
			return errmsg_sys(err, a, "move aside");
	}
	return 0;
}

/*
 * The journal at path gets a second, dated name (aside), and its
 * companions move there: path itself stays until the restored copy
 * replaces it.  On failure nothing has moved.
 */
static int
jb_aside(const char *path, time_t now, char *aside, size_t len,
    struct errmsg *err)
{
	char	 dir[JBACKUP_PATH_MAX];

	jb_checkpoint(path);
	jb_dir(path, dir, sizeof dir);
	if (jb_dated(dir, path, "", now, aside, len, err) == -1)
		return -1;
	if (link(path, aside) == -1)
		return errmsg_sys(err, aside, NULL);
	if (jb_move_companions(path, aside, false, err) == -1) {
		jb_move_companions(path, aside, true, NULL);
		unlink(aside);
		aside[0] = '\0';
		return -1;
	}
	return 0;
}

/* The backup's book, only where the journal has none. */
static int
jb_restore_book(const char *backup, const char *journal,
    struct jbackup_restored *out, struct errmsg *err)
{
	char			 from[JBACKUP_PATH_MAX + 8];
	struct jbackup_file	 f;

	if (jb_join(out->book_path, sizeof out->book_path, journal, ".venue",
	    err) == -1 || jb_join(from, sizeof from, backup, ".venue",
	    err) == -1)
		return -1;
	if (jb_exists(out->book_path)) {
		out->book = JBACKUP_BOOK_KEPT;
		return 0;
	}
	if (!jb_exists(from)) {
		out->book = JBACKUP_BOOK_NONE;
		return 0;
	}
	if (jb_copy_to(from, VENUE_SIM_BOOK_ID, "a venue book",
	    out->book_path, false, &jb_default_pace, &f, err) == -1)
		return -1;
	out->book = JBACKUP_BOOK_RESTORED;
	return 0;
}

int
jbackup_restore(const char *backup, const char *journal, time_t now,
    struct jbackup_restored *out, struct errmsg *err)
{
	char	 dir[JBACKUP_PATH_MAX], part[JBACKUP_PATH_MAX + 8];
	int	 fd, lk, rc = -1;

	memset(out, 0, sizeof *out);
	if (jbackup_verify(backup, &out->summary, err) == -1)
		return -1;
	jb_dir(journal, dir, sizeof dir);
	if (jb_mkdir(dir, err) == -1)
		return -1;
	/* Held to the end: a session starting meanwhile is refused. */
	if ((lk = jb_lock(journal, &fd, err)) == -1 || lk == JB_BUSY)
		return -1;
	if (jb_copy_part(backup, JOURNAL_APP_ID, "a tickdesk journal",
	    journal, part, sizeof part, &jb_default_pace, &out->journal,
	    err) == -1)
		goto out;
	if (lk == JB_LOCKED && jb_aside(journal, now, out->aside,
	    sizeof out->aside, err) == -1) {
		unlink(part);
		goto out;
	}
	if (jb_place(part, journal, lk == JB_LOCKED, &out->journal,
	    err) == -1)
		goto out;
	rc = jb_restore_book(backup, journal, out, err);
out:
	if (fd != -1)
		close(fd);
	return rc;
}

/* ------------------------------------------------------------ job */

struct jbackup_job {
	pthread_t		 thread;
	bool			 joined;
	pthread_mutex_t		 lock;
	bool			 done;
	int			 rc;
	char			 journal[JOURNAL_PATH_MAX];
	char			 dir[JBACKUP_PATH_MAX];
	int			 keep;
	time_t			 now;
	struct jbackup_result	 result;
	int			 removed;
	struct errmsg		 err;
};

static void *
jb_job_run(void *arg)
{
	struct jbackup_job	*job = arg;
	struct jbackup_opts	 o = { .now = job->now };
	struct jbackup_result	 r;
	struct errmsg		 err = { "" };
	char			 dest[JBACKUP_PATH_MAX + 2];
	int			 removed = 0, rc;

	snprintf(dest, sizeof dest, "%s/", job->dir);
	rc = jbackup_take(job->journal, dest, &o, &r, &err);
	if (rc == 0 && job->keep > 0)
		rc = jbackup_prune(job->dir, job->journal, job->keep, &removed,
		    &err);
	pthread_mutex_lock(&job->lock);
	job->result = r;
	job->removed = removed;
	job->err = err;
	job->rc = rc;
	job->done = true;
	pthread_mutex_unlock(&job->lock);
	return NULL;
}

struct jbackup_job *
jbackup_job_start(const char *journal, const char *dir, int keep, time_t now,
    struct errmsg *err)
{
	struct jbackup_job	*job;
	int			 e;

	if ((job = calloc(1, sizeof *job)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	snprintf(job->journal, sizeof job->journal, "%s", journal);
	snprintf(job->dir, sizeof job->dir, "%s", dir);
	job->keep = keep;
	job->now = now;
	pthread_mutex_init(&job->lock, NULL);
	if ((e = pthread_create(&job->thread, NULL, jb_job_run, job)) != 0) {
		errmsg_set(err, "backup: cannot start a thread: %s",
		    strerror(e));
		pthread_mutex_destroy(&job->lock);
		free(job);
		return NULL;
	}
	return job;
}

int
jbackup_job_poll(struct jbackup_job *job, struct jbackup_result *out,
    int *removed, struct errmsg *err)
{
	int	 rc = 0;

	pthread_mutex_lock(&job->lock);
	if (job->done) {
		rc = job->rc == 0 ? 1 : -1;
		if (out != NULL)
			*out = job->result;
		if (removed != NULL)
			*removed = job->removed;
		if (err != NULL)
			*err = job->err;
	}
	pthread_mutex_unlock(&job->lock);
	return rc;
}

int
jbackup_job_wait(struct jbackup_job *job, struct jbackup_result *out,
    int *removed, struct errmsg *err)
{
	if (!job->joined)
		pthread_join(job->thread, NULL);
	job->joined = true;
	return jbackup_job_poll(job, out, removed, err);
}

void
jbackup_job_free(struct jbackup_job *job)
{
	if (job == NULL)
		return;
	if (!job->joined)
		pthread_join(job->thread, NULL);
	pthread_mutex_destroy(&job->lock);
	free(job);
}
