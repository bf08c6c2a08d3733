/*
 * test-logfile.c -- the JSON-lines log file sink: the line format, one
 * file per UTC date taken from the lines themselves, retention, the
 * full-queue drop policy, the writer thread, the clock for lines without
 * a time, and bad paths.
 *
 * Each test works in a fresh directory under $TMPDIR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "logfile.h"
#include "tz.h"

struct fx {
	char		 dir[256];
	char		 path[512];
	char		 text[65536];
};

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);
	const char	*tmp = getenv("TMPDIR");

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/test-logfile.XXXXXX",
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
	struct fx	*fx = *state;
	char		 cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* An instant in UTC. */
static td_ns
utc(int y, int mo, int d, int h, int mi, int s)
{
	return (tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    s) * TD_NS_PER_SEC;
}

static void
put(struct logfile *lf, td_ns t, enum log_level level, uint64_t corr,
    const char *msg)
{
	struct log_line	 line = { .time = t, .level = level,
			    .component = "orders", .corr = corr, .msg = msg };

	logfile_log(lf, &line);
}

static struct logfile *
make(struct fx *fx, const char *path, int retention, int queue)
{
	struct logfile_cfg	 cfg = { .path = path,
				    .retention_days = retention,
				    .queue = queue };
	struct errmsg		 err;
	struct logfile		*lf;

	if ((lf = logfile_create(&cfg, &err)) == NULL)
		fail_msg("%s", err.msg);
	(void)fx;
	return lf;
}

/* The whole of dir/name, or NULL when it does not exist. */
static const char *
slurp(struct fx *fx, const char *name)
{
	FILE	*f;
	size_t	 n;

	snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
	if ((f = fopen(fx->path, "r")) == NULL)
		return NULL;
	n = fread(fx->text, 1, sizeof fx->text - 1, f);
	fx->text[n] = '\0';
	fclose(f);
	return fx->text;
}

static int
lines(const char *text)
{
	int	 n = 0;

	for (; text != NULL && *text != '\0'; text++)
		n += *text == '\n';
	return n;
}

static void
touch(struct fx *fx, const char *name)
{
	FILE	*f;

	snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
	assert_non_null(f = fopen(fx->path, "w"));
	fclose(f);
}

static bool
exists(struct fx *fx, const char *name)
{
	snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
	return access(fx->path, F_OK) == 0;
}

/* One line, exactly; the file only its owner may read. */
static void
test_logfile_format(void **state)
{
	struct fx	*fx = *state;
	struct logfile	*lf;
	struct stat	 st;
	char		 dir[300];

	snprintf(dir, sizeof dir, "%s/", fx->dir);
	lf = make(fx, dir, 30, 64);
	put(lf, utc(2024, 3, 4, 14, 31, 0) + 123456789, LOG_WARNING, 42,
	    "say \"hi\"\\ then\nnext\ttab\x01");
	assert_int_equal(logfile_flush(lf, NULL), 0);
	logfile_free(lf);
	assert_string_equal(slurp(fx, "tickdesk-2024-03-04.jsonl"),
	    "{\"ts\":\"2024-03-04T14:31:00.123456Z\",\"level\":\"warning\","
	    "\"component\":\"orders\",\"corr\":42,\"msg\":\"say \\\"hi\\\"\\\\ "
	    "then\\nnext\\ttab\\u0001\"}\n");
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* The date of each line picks its file: three dates, three files. */
static void
test_logfile_rotation(void **state)
{
	struct fx	*fx = *state;
	struct logfile	*lf;
	char		 pattern[300], name[600];
	const char	*t;

	snprintf(pattern, sizeof pattern, "%s/desk-{date}.log", fx->dir);
	lf = make(fx, pattern, 0, 64);
	put(lf, utc(2024, 3, 4, 23, 59, 59), LOG_INFO, 1, "monday late");
	put(lf, utc(2024, 3, 5, 0, 0, 0), LOG_INFO, 2, "tuesday midnight");
	put(lf, utc(2024, 3, 5, 13, 0, 0), LOG_ERROR, 3, "tuesday noon");
	put(lf, utc(2024, 3, 6, 9, 30, 0), LOG_INFO, 4, "wednesday");
	put(lf, utc(2024, 3, 6, 9, 31, 0), LOG_INFO, 5, "wednesday 2");
	assert_int_equal(logfile_flush(lf, NULL), 0);
	assert_string_equal(logfile_name(lf, utc(2024, 3, 5, 1, 0, 0), name,
	    sizeof name) + strlen(fx->dir), "/desk-2024-03-05.log");
	logfile_free(lf);

	t = slurp(fx, "desk-2024-03-04.log");
	assert_int_equal(lines(t), 1);
	assert_non_null(strstr(t, "\"msg\":\"monday late\""));
	t = slurp(fx, "desk-2024-03-05.log");
	assert_int_equal(lines(t), 2);
	assert_non_null(strstr(t, "tuesday midnight"));
	assert_true(strstr(t, "tuesday midnight") < strstr(t, "tuesday noon"));
	t = slurp(fx, "desk-2024-03-06.log");
	assert_int_equal(lines(t), 2);
	assert_non_null(strstr(t, "\"ts\":\"2024-03-06T09:31:00.000000Z\""));

	/* A second sink appends to the day's file. */
	lf = make(fx, pattern, 0, 64);
	put(lf, utc(2024, 3, 6, 10, 0, 0), LOG_INFO, 6, "again");
	logfile_free(lf);
	assert_int_equal(lines(slurp(fx, "desk-2024-03-06.log")), 3);
}

/* A file of dir with its last write at t. */
static void
touch_at(struct fx *fx, const char *name, td_ns t)
{
	struct timespec	 ts[2];

	touch(fx, name);
	ts[0].tv_sec = ts[1].tv_sec = (time_t)(t / TD_NS_PER_SEC);
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, fx->path, ts, 0), 0);
}

static td_ns
fixed_clock(void *arg)
{
	return *(td_ns *)arg;
}

/*
 * Opening a file deletes the pattern's files that nothing wrote to for
 * more than retention_days by the clock, whatever date their name holds,
 * and nothing else.
 */
static void
test_logfile_retention(void **state)
{
	struct fx		*fx = *state;
	td_ns			 now = utc(2024, 3, 4, 12, 0, 0);
	struct logfile_cfg	 cfg = { .path = fx->dir, .retention_days = 30,
				    .queue = 64, .clock = fixed_clock,
				    .clock_arg = &now };
	struct logfile		*lf;

	touch_at(fx, "tickdesk-2024-01-15.jsonl", utc(2024, 1, 15, 23, 0, 0));
	/* 30 days and a minute before now; 30 days before now. */
	touch_at(fx, "tickdesk-2024-02-03.jsonl", utc(2024, 2, 3, 11, 59, 0));
	touch_at(fx, "tickdesk-2024-02-04.jsonl", utc(2024, 2, 4, 12, 0, 0));
	/* A replay of 2013 written yesterday: kept. */
	touch_at(fx, "tickdesk-2013-10-07.jsonl", utc(2024, 3, 3, 9, 0, 0));
	/* Not the pattern's: kept, however old. */
	touch_at(fx, "tickdesk-2023-13-01.jsonl", utc(2020, 1, 1, 0, 0, 0));
	touch_at(fx, "tickdesk-2024-01-15.jsonl.bak", utc(2020, 1, 1, 0, 0,
	    0));
	touch_at(fx, "other-2024-01-15.jsonl", utc(2020, 1, 1, 0, 0, 0));
	assert_non_null(lf = logfile_create(&cfg, NULL));	/* a directory */
	assert_true(exists(fx, "tickdesk-2024-01-15.jsonl"));	/* not yet */
	put(lf, utc(2024, 3, 4, 12, 0, 0), LOG_INFO, 0, "today");
	assert_int_equal(logfile_flush(lf, NULL), 0);
	assert_false(exists(fx, "tickdesk-2024-01-15.jsonl"));
	assert_false(exists(fx, "tickdesk-2024-02-03.jsonl"));
	assert_true(exists(fx, "tickdesk-2024-02-04.jsonl"));
	assert_true(exists(fx, "tickdesk-2013-10-07.jsonl"));
	assert_true(exists(fx, "tickdesk-2024-03-04.jsonl"));
	assert_true(exists(fx, "tickdesk-2023-13-01.jsonl"));
	assert_true(exists(fx, "tickdesk-2024-01-15.jsonl.bak"));
	assert_true(exists(fx, "other-2024-01-15.jsonl"));

	/* A day on, the next file expires the next day's oldest. */
	now = utc(2024, 3, 5, 12, 0, 1);
	put(lf, utc(2024, 3, 5, 12, 0, 0), LOG_INFO, 0, "tomorrow");
	assert_int_equal(logfile_flush(lf, NULL), 0);
	assert_false(exists(fx, "tickdesk-2024-02-04.jsonl"));
	assert_true(exists(fx, "tickdesk-2013-10-07.jsonl"));
	/* Files written now (by the real clock) are never expired. */
	assert_true(exists(fx, "tickdesk-2024-03-04.jsonl"));
	logfile_free(lf);

	/* 0 keeps everything. */
	cfg.retention_days = 0;
	touch_at(fx, "tickdesk-2000-01-01.jsonl", utc(2000, 1, 1, 0, 0, 0));
	assert_non_null(lf = logfile_create(&cfg, NULL));
	put(lf, utc(2024, 3, 6, 12, 0, 0), LOG_INFO, 0, "later");
	logfile_free(lf);
	assert_true(exists(fx, "tickdesk-2000-01-01.jsonl"));
}

/*
 * A queue of 8 filled with debug lines, then 9 info lines: the debug
 * lines give way, the last info line is dropped, and the counts say so.
 */
static void
test_logfile_full_queue(void **state)
{
	struct fx		*fx = *state;
	struct logfile		*lf;
	struct logfile_stats	 st;
	char			 dir[300], msg[32];
	const char		*t;

	snprintf(dir, sizeof dir, "%s/", fx->dir);
	lf = make(fx, dir, 0, 8);
	for (int i = 0; i < 8; i++)
		put(lf, utc(2024, 3, 4, 10, 0, i), LOG_DEBUG, 0, "debug");
	for (int i = 0; i < 9; i++) {
		snprintf(msg, sizeof msg, "info %d", i);
		put(lf, utc(2024, 3, 4, 11, 0, i), LOG_INFO, 0, msg);
	}
	logfile_stats(lf, &st);
	assert_int_equal(st.dropped.debug, 8);
	assert_int_equal(st.dropped.other, 1);
	assert_int_equal(st.written, 0);
	assert_int_equal(logfile_flush(lf, NULL), 0);
	logfile_stats(lf, &st);
	assert_int_equal(st.written, 8);
	assert_int_equal(st.failed, 0);
	logfile_free(lf);
	t = slurp(fx, "tickdesk-2024-03-04.jsonl");
	assert_int_equal(lines(t), 8);
	assert_null(strstr(t, "debug"));
	assert_non_null(strstr(t, "info 7"));
	assert_null(strstr(t, "info 8"));
}

/* The thread writes everything queued, in order, before free returns. */
static void
test_logfile_thread(void **state)
{
	struct fx		*fx = *state;
	struct logfile		*lf;
	struct logfile_stats	 st;
	struct errmsg		 err;
	char			 dir[300], msg[32];
	const char		*t, *p;

	snprintf(dir, sizeof dir, "%s/", fx->dir);
	lf = make(fx, dir, 0, 4096);
	assert_int_equal(logfile_start(lf, &err), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(msg, sizeof msg, "line %03d", i);
		put(lf, utc(2024, 3, 4, 9, 0, 0) + i, LOG_INFO, (uint64_t)i,
		    msg);
	}
	logfile_stats(lf, &st);
	assert_int_equal(st.dropped.other + st.dropped.debug, 0);
	logfile_free(lf);
	t = slurp(fx, "tickdesk-2024-03-04.jsonl");
	assert_int_equal(lines(t), 300);
	p = t;
	for (int i = 0; i < 300; i++) {
		snprintf(msg, sizeof msg, "line %03d", i);
		assert_non_null(p = strstr(p, msg));
	}
}

/*
 * A line without a time goes with the last line that had one; before any,
 * it takes the sink's clock.
 */
static void
test_logfile_clock(void **state)
{
	struct fx		*fx = *state;
	td_ns			 now = utc(2025, 1, 2, 3, 4, 5);
	struct logfile_cfg	 cfg = { .retention_days = 0, .queue = 16,
				    .clock = fixed_clock, .clock_arg = &now };
	struct logfile		*lf;
	char			 dir[300];

	snprintf(dir, sizeof dir, "%s/", fx->dir);
	cfg.path = dir;
	assert_non_null(lf = logfile_create(&cfg, NULL));
	put(lf, 0, LOG_CRITICAL, 0, "no time");
	put(lf, utc(2013, 10, 7, 14, 0, 0), LOG_INFO, 0, "replayed");
	put(lf, 0, LOG_WARNING, 0, "a note");
	logfile_free(lf);
	assert_non_null(strstr(slurp(fx, "tickdesk-2025-01-02.jsonl"),
	    "\"ts\":\"2025-01-02T03:04:05.000000Z\",\"level\":\"critical\""));
	assert_int_equal(lines(fx->text), 1);
	assert_non_null(strstr(slurp(fx, "tickdesk-2013-10-07.jsonl"),
	    "{\"ts\":\"2013-10-07T14:00:00.000000Z\",\"level\":\"warning\","
	    "\"component\":\"orders\",\"corr\":0,\"msg\":\"a note\"}\n"));
	assert_int_equal(lines(fx->text), 2);
}

static void
test_logfile_bad_paths(void **state)
{
	struct fx		*fx = *state;
	struct logfile_cfg	 cfg = { .retention_days = 1, .queue = 16 };
	struct logfile		*lf;
	struct errmsg		 err;
	struct stat		 st;
	char			 path[400], want[600];

	snprintf(path, sizeof path, "%s/desk.log", fx->dir);
	cfg.path = path;
	assert_null(logfile_create(&cfg, &err));
	snprintf(want, sizeof want, "log file %s: the file name needs {date} "
	    "once (or give a directory)", path);
	assert_string_equal(err.msg, want);
	snprintf(path, sizeof path, "%s/{date}/x-{date}.log", fx->dir);
	assert_null(logfile_create(&cfg, &err));
	snprintf(path, sizeof path, "%s/a-{date}-{date}.log", fx->dir);
	assert_null(logfile_create(&cfg, &err));
	/* The directory is made, mode 0700. */
	snprintf(path, sizeof path, "%s/new/sub/x-{date}.log", fx->dir);
	cfg.queue = 0;
	assert_null(logfile_create(&cfg, &err));
	cfg.queue = 8;
	assert_non_null(lf = logfile_create(&cfg, &err));
	logfile_free(lf);
	assert_true(exists(fx, "new/sub"));
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	logfile_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_logfile_format, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_logfile_rotation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_logfile_retention, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_logfile_full_queue, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_logfile_thread, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_logfile_clock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_logfile_bad_paths, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
