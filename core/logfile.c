/*
 * logfile.c -- the JSON-lines log file sink: a queue and a writer thread
 * (see logfile.h).
 *
 * Two mutexes.  `q` guards the queue and the counters and is held only to
 * copy a line in or a batch out: the engine thread takes it for one copy.
 * `w` guards the open file and is held by whoever writes (the thread, or
 * a caller of logfile_flush), taken before `q`, so batches are written in
 * the order they left the queue.  Nothing is allocated after
 * logfile_create: batches and the line being formatted live in the
 * struct.
 *
 * Rotation follows the lines' own UTC dates: a line whose date differs
 * from the open file's closes it and opens (appends to) the file of its
 * date.  A line without a time (a note of the session's, or the engine's
 * before its first event) goes with the last line that had one, or by the
 * clock before any did, so a replay's notes stay in the replay's day.
 * Opening a file also deletes the files of the pattern that nothing has
 * written to for retention_days by the clock: counting from the last
 * write rather than from the date in the name keeps the logs of a replay
 * of old data as long as those of a live session, and a clock that jumps
 * between exchange time and wall time can never delete today's file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "logfile.h"
#include "tz.h"

#define LOGFILE_BATCH	64
#define LOGFILE_LINE	(8 * LOGQ_MSG_MAX)	/* escaped, worst case */
#define LOGFILE_DATELEN	10				/* YYYY-MM-DD */

struct logfile {
	struct logfile_cfg	 cfg;
	char			 dir[LOGFILE_PATH_MAX];	/* "" for . */
	/* The file name before and after its date. */
	char			 prefix[LOGFILE_PATH_MAX];
	char			 suffix[LOGFILE_PATH_MAX];

	pthread_mutex_t		 q;
	pthread_cond_t		 wake;
	struct logq		*queue;
	bool			 stop;
	struct logfile_stats	 stats;

	pthread_mutex_t		 w;
	pthread_t		 thread;
	bool			 started;
	FILE			*f;
	int64_t			 day;		/* of the open file */
	td_ns			 last;		/* of the last line with one */
	struct logq_rec		 batch[LOGFILE_BATCH];
	char			 line[LOGFILE_LINE];
};

static td_ns
logfile_wall(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

/* Days since 1970-01-01 of an instant, rounding down. */
static int64_t
logfile_day(td_ns t)
{
	int64_t	 d = t / TD_NS_PER_DAY;

	return t % TD_NS_PER_DAY < 0 ? d - 1 : d;
}

/* mkdir -p, mode 0700 for what it makes. */
static int
logfile_mkdirs(const char *dir, struct errmsg *err)
{
	char	 buf[LOGFILE_PATH_MAX], c;

	snprintf(buf, sizeof buf, "%s", dir);
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(buf, 0700) == -1 && errno != EEXIST)
			return errmsg_set(err, "%s: %s", buf, strerror(errno));
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

/* Split cfg->path into directory, and name before and after {date}. */
static int
logfile_pattern(struct logfile *lf, struct errmsg *err)
{
	const char	*path = lf->cfg.path, *slash, *name, *at;
	char		 full[LOGFILE_PATH_MAX];
	struct stat	 st;
	size_t		 n = strlen(path);
	int		 len;

	if (n == 0)
		return errmsg_set(err, "log file: no path");
	/* A directory gets the default name. */
	if (path[n - 1] == '/' || (stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode)))
		len = snprintf(full, sizeof full, "%s%s%s", path,
		    path[n - 1] == '/' ? "" : "/", LOGFILE_NAME);
	else
		len = snprintf(full, sizeof full, "%s", path);
	if (len < 0 || (size_t)len >= sizeof full)
		return errmsg_set(err, "log file %s: path too long", path);
	slash = strrchr(full, '/');
	name = slash != NULL ? slash + 1 : full;
	if ((at = strstr(name, LOGFILE_DATE)) == NULL ||
	    strstr(full, LOGFILE_DATE) != at ||
	    strstr(at + 1, LOGFILE_DATE) != NULL)
		return errmsg_set(err, "log file %s: the file name needs "
		    "%s once (or give a directory)", path, LOGFILE_DATE);
	if (slash == NULL)
		lf->dir[0] = '\0';
	else
		snprintf(lf->dir, sizeof lf->dir, "%.*s", slash == full ? 1 :
		    (int)(slash - full), full);
	snprintf(lf->prefix, sizeof lf->prefix, "%.*s", (int)(at - name),
	    name);
	snprintf(lf->suffix, sizeof lf->suffix, "%s",
	    at + strlen(LOGFILE_DATE));
	return 0;
}

struct logfile *
logfile_create(const struct logfile_cfg *cfg, struct errmsg *err)
{
	struct logfile	*lf;

	if ((lf = calloc(1, sizeof *lf)) == NULL) {
		errmsg_set(err, "log file: out of memory");
		return NULL;
	}
	lf->cfg = *cfg;
	if (lf->cfg.clock == NULL)
		lf->cfg.clock = logfile_wall;
	lf->day = INT64_MIN;
	if (logfile_pattern(lf, err) == -1 ||
	    (lf->dir[0] != '\0' && logfile_mkdirs(lf->dir, err) == -1) ||
	    (lf->queue = logq_create(cfg->queue, err)) == NULL) {
		free(lf);
		return NULL;
	}
	lf->cfg.path = NULL;	/* the caller's; not kept */
	pthread_mutex_init(&lf->q, NULL);
	pthread_cond_init(&lf->wake, NULL);
	pthread_mutex_init(&lf->w, NULL);
	return lf;
}

/* ---------------------------------------------------------------- writing */

char *
logfile_name(const struct logfile *lf, td_ns t, char *buf, size_t len)
{
	int	 y, m, d;

	tz_civil_from_days(logfile_day(t), &y, &m, &d);
	snprintf(buf, len, "%s%s%s%04d-%02d-%02d%s", lf->dir,
	    lf->dir[0] != '\0' && strcmp(lf->dir, "/") != 0 ? "/" : "",
	    lf->prefix, y, m, d, lf->suffix);
	return buf;
}

/* "2024-03-04" at p into days since the epoch; -1 when it is not a date. */
static int
logfile_parse_date(const char *p, int64_t *days)
{
	int	 y, m, d;

	for (int i = 0; i < LOGFILE_DATELEN; i++) {
		if (i == 4 || i == 7) {
			if (p[i] != '-')
				return -1;
		} else if (p[i] < '0' || p[i] > '9')
			return -1;
	}
	y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
	    (p[3] - '0');
	m = (p[5] - '0') * 10 + (p[6] - '0');
	d = (p[8] - '0') * 10 + (p[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > tz_month_days(y, m))
		return -1;
	*days = tz_days_from_civil(y, m, d);
	return 0;
}

/*
 * Delete the files of the pattern (a date where {date} was) last written
 * more than retention_days ago by the clock.
 */
static void
logfile_expire(struct logfile *lf)
{
	size_t		 np = strlen(lf->prefix), ns = strlen(lf->suffix);
	char		 path[LOGFILE_PATH_MAX + 256];
	struct dirent	*de;
	struct stat	 st;
	td_ns		 cutoff, mtime;
	int64_t		 d;
	DIR		*dp;

	if (lf->cfg.retention_days <= 0 ||
	    (dp = opendir(lf->dir[0] != '\0' ? lf->dir : ".")) == NULL)
		return;
	cutoff = lf->cfg.clock(lf->cfg.clock_arg) -
	    (td_ns)lf->cfg.retention_days * TD_NS_PER_DAY;
	while ((de = readdir(dp)) != NULL) {
		const char	*name = de->d_name;

		if (strlen(name) != np + LOGFILE_DATELEN + ns ||
		    strncmp(name, lf->prefix, np) != 0 ||
		    strcmp(name + np + LOGFILE_DATELEN, lf->suffix) != 0 ||
		    logfile_parse_date(name + np, &d) == -1)
			continue;
		snprintf(path, sizeof path, "%s%s%s", lf->dir,
		    lf->dir[0] != '\0' ? "/" : "", name);
		if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		mtime = (td_ns)st.st_mtim.tv_sec * TD_NS_PER_SEC +
		    st.st_mtim.tv_nsec;
		if (mtime < cutoff)
			(void)unlink(path);
	}
	closedir(dp);
}

/* The file of day open for appending; -1 with the reason. */
static int
logfile_open(struct logfile *lf, td_ns t, struct errmsg *err)
{
	char	 path[LOGFILE_PATH_MAX + 32];
	int	 fd;

	if (lf->f != NULL && lf->day == logfile_day(t))
		return 0;
	if (lf->f != NULL) {
		fclose(lf->f);
		lf->f = NULL;
	}
	logfile_name(lf, t, path, sizeof path);
	/* The log tells what was traded: for the owner only. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1)
		return errmsg_set(err, "%s: %s", path, strerror(errno));
	if ((lf->f = fdopen(fd, "a")) == NULL) {
		errmsg_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	lf->day = logfile_day(t);
	logfile_expire(lf);
	return 0;
}

/* Append s to the line as a JSON string's contents. */
static size_t
logfile_escape(char *buf, size_t used, size_t len, const char *s)
{
	for (; *s != '\0' && used + 7 < len; s++) {
		unsigned char	 c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[used++] = '\\';
			buf[used++] = (char)c;
		} else if (c == '\n') {
			buf[used++] = '\\';
			buf[used++] = 'n';
		} else if (c == '\t') {
			buf[used++] = '\\';
			buf[used++] = 't';
		} else if (c < 0x20 || c == 0x7f)
			used += (size_t)snprintf(buf + used, len - used,
			    "\\u%04x", c);
		else
			buf[used++] = (char)c;
	}
	buf[used] = '\0';
	return used;
}

static size_t
logfile_format(struct logfile *lf, const struct logq_rec *r, td_ns t)
{
	char		*buf = lf->line;
	size_t		 len = sizeof lf->line, used;
	int64_t		 day = logfile_day(t), ns = t - day * TD_NS_PER_DAY;
	int		 y, m, d;

	tz_civil_from_days(day, &y, &m, &d);
	used = (size_t)snprintf(buf, len, "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:"
	    "%02d.%06dZ\",\"level\":\"%s\",\"component\":\"", y, m, d,
	    (int)(ns / (3600 * TD_NS_PER_SEC)),
	    (int)(ns / (60 * TD_NS_PER_SEC) % 60),
	    (int)(ns / TD_NS_PER_SEC % 60), (int)(ns % TD_NS_PER_SEC / 1000),
	    log_level_name(r->level));
	used = logfile_escape(buf, used, len, r->component);
	used += (size_t)snprintf(buf + used, len - used,
	    "\",\"corr\":%llu,\"msg\":\"", (unsigned long long)r->corr);
	used = logfile_escape(buf, used, len, r->msg);
	used += (size_t)snprintf(buf + used, len - used, "\"}\n");
	return used;
}

/* Write one batch with w held; the number of lines lost. */
static int
logfile_write(struct logfile *lf, int n, struct errmsg *err)
{
	int	 lost = 0;

	for (int i = 0; i < n; i++) {
		const struct logq_rec	*r = &lf->batch[i];
		td_ns			 t = r->time;
		size_t			 len;

		if (t != 0)
			lf->last = t;
		else if ((t = lf->last) == 0)
			t = lf->cfg.clock(lf->cfg.clock_arg);

		if (logfile_open(lf, t, err) == -1) {
			lost++;
			continue;
		}
		len = logfile_format(lf, r, t);
		if (fwrite(lf->line, 1, len, lf->f) != len) {
			errmsg_set(err, "log file: %s", strerror(errno));
			lost++;
		}
	}
	if (lf->f != NULL && fflush(lf->f) != 0) {
		errmsg_set(err, "log file: %s", strerror(errno));
		clearerr(lf->f);
	}
	return lost;
}

/*
 * Take up to a batch off the queue and write it, w held; the number of
 * lines taken (0: the queue was empty).
 */
static int
logfile_batch(struct logfile *lf, struct errmsg *err)
{
	int	 n = 0, lost;

	pthread_mutex_lock(&lf->q);
	while (n < LOGFILE_BATCH && logq_pop(lf->queue, &lf->batch[n]) == 1)
		n++;
	pthread_mutex_unlock(&lf->q);
	if (n == 0)
		return 0;
	lost = logfile_write(lf, n, err);
	pthread_mutex_lock(&lf->q);
	lf->stats.written += n - lost;
	lf->stats.failed += lost;
	if (lost > 0)
		snprintf(lf->stats.error, sizeof lf->stats.error, "%.*s",
		    (int)sizeof lf->stats.error - 1, err->msg);
	pthread_mutex_unlock(&lf->q);
	return n;
}

int
logfile_flush(struct logfile *lf, struct errmsg *err)
{
	struct errmsg	 e = { .msg = "" };
	int64_t		 failed;

	pthread_mutex_lock(&lf->q);
	failed = lf->stats.failed;
	pthread_mutex_unlock(&lf->q);
	pthread_mutex_lock(&lf->w);
	while (logfile_batch(lf, &e) > 0)
		continue;
	pthread_mutex_unlock(&lf->w);
	pthread_mutex_lock(&lf->q);
	failed = lf->stats.failed - failed;
	pthread_mutex_unlock(&lf->q);
	if (failed > 0)
		return errmsg_set(err, "%s", e.msg);
	return 0;
}

static void *
logfile_main(void *arg)
{
	struct logfile	*lf = arg;
	struct errmsg	 err;
	bool		 stop;

	for (;;) {
		pthread_mutex_lock(&lf->q);
		while (logq_count(lf->queue) == 0 && !lf->stop)
			pthread_cond_wait(&lf->wake, &lf->q);
		stop = lf->stop && logq_count(lf->queue) == 0;
		pthread_mutex_unlock(&lf->q);
		if (stop)
			break;
		pthread_mutex_lock(&lf->w);
		(void)logfile_batch(lf, &err);
		pthread_mutex_unlock(&lf->w);
	}
	return NULL;
}

int
logfile_start(struct logfile *lf, struct errmsg *err)
{
	int	 rc;

	if (lf->started)
		return 0;
	if ((rc = pthread_create(&lf->thread, NULL, logfile_main, lf)) != 0)
		return errmsg_set(err, "log file: thread: %s", strerror(rc));
	lf->started = true;
	return 0;
}

void
logfile_free(struct logfile *lf)
{
	if (lf == NULL)
		return;
	if (lf->started) {
		pthread_mutex_lock(&lf->q);
		lf->stop = true;
		pthread_cond_signal(&lf->wake);
		pthread_mutex_unlock(&lf->q);
		pthread_join(lf->thread, NULL);
	}
	(void)logfile_flush(lf, NULL);
	if (lf->f != NULL)
		fclose(lf->f);
	pthread_mutex_destroy(&lf->q);
	pthread_mutex_destroy(&lf->w);
	pthread_cond_destroy(&lf->wake);
	logq_free(lf->queue);
	free(lf);
}

/* ---------------------------------------------------------------- logging */

void
logfile_log(void *arg, const struct log_line *line)
{
	struct logfile	*lf = arg;

	pthread_mutex_lock(&lf->q);
	(void)logq_push(lf->queue, line);
	pthread_cond_signal(&lf->wake);
	pthread_mutex_unlock(&lf->q);
}

void
logfile_stats(struct logfile *lf, struct logfile_stats *out)
{
	pthread_mutex_lock(&lf->q);
	*out = lf->stats;
	out->dropped = logq_dropped(lf->queue);
	pthread_mutex_unlock(&lf->q);
}
