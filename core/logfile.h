/*
 * logfile.h -- the log as JSON lines in one file per UTC day, written off
 * the engine's thread.
 *
 * A log file sink is a bounded queue (logq.h: full, it drops debug lines
 * first, and counts) and a writer thread.  Whoever logs (the runner's log
 * function on the engine thread, the session on the main thread) only
 * copies the line into the queue under a mutex held for that copy; the
 * thread formats and writes.  The engine never waits for the disk.
 *
 * Each line is one JSON object:
 *
 *	{"ts":"2024-03-04T14:31:00.000000Z","level":"info",
 *	 "component":"orders","corr":12,"msg":"..."}
 *
 * ts is the line's own time (the engine's: the exchange time of the event,
 * simulated in a replay), in UTC; a line without a time (0) takes that of
 * the last line that had one, or the sink's clock (the wall clock unless
 * one is given) before any did.  The file a line goes to is named by the
 * UTC date of ts: the path pattern's "{date}" becomes YYYY-MM-DD.  So the
 * time comes from the lines, and a test that writes lines of three dates
 * gets three files.  When a line opens a file, the files of the same
 * pattern last written more than retention_days ago by the clock are
 * deleted.
 */
#ifndef TD_LOGFILE_H
#define TD_LOGFILE_H

#include <stddef.h>

#include "log.h"
#include "logq.h"
#include "types.h"

struct errmsg;
struct logfile;

#define LOGFILE_DATE		"{date}"
#define LOGFILE_NAME		"tickdesk-" LOGFILE_DATE ".jsonl"
#define LOGFILE_PATH_MAX	1024

struct logfile_cfg {
	/*
	 * Where the files go: a path whose last part holds "{date}" once
	 * ("/var/log/td/desk-{date}.jsonl"), or a directory (a path ending
	 * in '/', or naming one), which gets LOGFILE_NAME.  The directory
	 * is made (mode 0700) when missing.
	 */
	const char	*path;
	int		 retention_days;	/* 0 keeps every file */
	int		 queue;			/* lines held, LOGQ_MIN.. */
	/*
	 * Now, for retention, and the time of lines without one before any
	 * line had one; NULL: CLOCK_REALTIME.
	 */
	td_ns		(*clock)(void *arg);
	void		*clock_arg;
};

struct logfile_stats {
	int64_t			 written;	/* lines written */
	struct logq_drops	 dropped;	/* lines the queue dropped */
	int64_t			 failed;	/* lines lost to write errors */
	char			 error[160];	/* the last write error, "" */
};

/*
 * A sink for cfg (copied).  NULL and a message when the path has no
 * usable "{date}", its directory cannot be made, or memory runs out.
 * Nothing is opened until the first line is written.  The writer thread
 * starts with logfile_start; without it lines wait in the queue for
 * logfile_flush.  Free with logfile_free (NULL is fine).
 */
struct logfile	*logfile_create(const struct logfile_cfg *cfg,
		     struct errmsg *err);
/* Start the writer thread; -1 and a message when it cannot be made. */
int		 logfile_start(struct logfile *lf, struct errmsg *err);
/*
 * Stop the thread (after it has written every line queued), close the
 * file and free.
 */
void		 logfile_free(struct logfile *lf);

/*
 * Queue a line: a log_fn, arg the struct logfile.  Safe from any thread;
 * never blocks on the disk and never allocates.
 */
void		 logfile_log(void *arg, const struct log_line *line);
/*
 * Write every line queued now, on the caller's thread (tests, and lines
 * queued before the thread starts).  -1 and the last write error when a
 * line could not be written.
 */
int		 logfile_flush(struct logfile *lf, struct errmsg *err);
void		 logfile_stats(struct logfile *lf, struct logfile_stats *out);
/* The file a line of time t goes to. */
char		*logfile_name(const struct logfile *lf, td_ns t, char *buf,
		     size_t len);

#endif
