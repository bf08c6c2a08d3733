/*
 * session.c -- a paper session for the console and the headless run: the
 * build (settings -> feed -> engine -> desk -> runner -> control socket;
 * the feed a replay of data files, the demo generator, a live feed
 * from FIFOs or followed files, or a counterparty's market data over FIX)
 * and the shared parts of the main loop (see session.h).
 *
 * Everything here runs on the main thread.  It sees the engine only as
 * the runner shows it: replies, and snapshots copied into its own buffer
 * (which it reads only while a quit waits to be flat).  The session's own
 * messages go to its note function and to the log file, when there is
 * one, like the engine's lines.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmd.h"
#include "alert-setup.h"
#include "ctl.h"
#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed-file.h"
#include "feed-fix.h"
#include "feed-pipe.h"
#include "feed.h"
#include "fixed.h"
#include "health-http.h"
#include "journal-backup.h"
#include "journal.h"
#include "logfile.h"
#include "monitor.h"
#include "reload.h"
#include "session.h"
#include "models.h"
#include "settings.h"
#include "xdg.h"
#include "signal-live.h"
#include "tz.h"
#include "venue-sim.h"

#define SESSION_SPEED_MAX	100000

/* How long the alerts queued at the end may take to go out. */
#define SESSION_ALERT_DRAIN	(3 * TD_NS_PER_SEC)

struct session {
	struct settings		*st;
	struct strat_registry	*strategies;	/* outlives the engine */
	struct alert_setup	*alerts;
	struct health_http	*health;	/* NULL: health.http_port 0 */
	struct monitor		*monitor;	/* NULL: the page is off */
	struct desk		*desk;
	struct reload		*reload;
	struct logfile		*logfile;	/* NULL: no log file */
	bool			 hup_reload;
	struct runner		*runner;
	/*
	 * The engine's venue (engine_create took it), seen here only to
	 * open the simulator's book before the engine is recovered; NULL
	 * after.
	 */
	struct venue		*venue;
	/* The FIX feed, seen here only to open its store likewise. */
	struct feed		*fixfeed;
	bool			 live;		/* the feed is paced by arrival */
	struct ctl		*ctl;
	struct journal		*journal;
	struct tz		*tz;
	struct snapshot		*snap;		/* while waiting to be flat */
	session_note_fn		 note;
	void			*note_arg;
	uint64_t		 next_id;	/* own commands */

	enum session_run	 end;
	/*
	 * Recovered and its engine thread started: closing it is its clean
	 * end (session_end).
	 */
	bool			 started;
	bool			 waiting;	/* for flat, after quit */
	uint64_t		 base_seq;	/* snapshots before the quit */
	td_ns			 wait_until;	/* monotonic */
	bool			 term;		/* a SIGTERM came */
	td_ns			 term_until;
	int32_t			 reported_day;	/* last end-of-day report */
	struct jbackup_job	*backup;	/* running, NULL: none */
	int32_t			 backup_day;	/* last close backed up */
	/* Where --new-session moved the old journal; "": nowhere. */
	char			 aside[JOURNAL_PATH_MAX];
};

static td_ns
session_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

static void
session_note(struct session *s, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void	session_backup_end(struct session *s);

static void
session_note(struct session *s, enum log_level level, const char *fmt, ...)
{
	char		 msg[RUNNER_REPLY_MAX + 128];
	struct log_line	 line;
	va_list		 ap;

	if (s->note == NULL && s->logfile == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (s->logfile != NULL) {
		/* No engine time here: the file takes the wall clock's. */
		line = (struct log_line){ .time = 0, .level = level,
		    .component = "session", .corr = 0, .msg = msg };
		logfile_log(s->logfile, &line);
	}
	if (s->note != NULL)
		s->note(s->note_arg, level, msg);
}

/* ---------------------------------------------------------------- options */

void
session_opts_init(struct session_opts *o)
{
	memset(o, 0, sizeof *o);
	o->speed = 60;
	o->demo_days = 5;
	o->seed = 1;
	o->mode = SNAP_PAPER;
	o->log_level = -1;
}

int
session_opt_speed(const char *text, double *speed)
{
	td_px	 px;

	if (strcmp(text, "max") == 0) {
		*speed = 0;
		return 0;
	}
	if (fixed_parse(text, strlen(text), &px) == -1 || px <= 0 ||
	    px > SESSION_SPEED_MAX * TD_PX_SCALE)
		return -1;
	*speed = (double)px / (double)TD_PX_SCALE;
	return 0;
}

int
session_opt_data(struct session_opts *o, char *arg, struct errmsg *err)
{
	if (o->ndata == SESSION_DATA_MAX)
		return errmsg_set(err, "more than %d data files",
		    SESSION_DATA_MAX);
	o->data[o->ndata++] = arg;
	return 0;
}

/* ---------------------------------------------------------------- build */

/* The instrument of "[SYMBOL=]FILE" (the first without SYMBOL=). */
static int
session_source(const char *arg, const struct engine_config *ec,
    const char **path, struct errmsg *err)
{
	const char	*eq = strchr(arg, '=');

	*path = arg;
	if (eq == NULL)
		return 0;
	*path = eq + 1;
	for (int k = 0; k < ec->ninst; k++) {
		if (strlen(ec->inst[k].symbol) == (size_t)(eq - arg) &&
		    strncmp(ec->inst[k].symbol, arg, eq - arg) == 0)
			return k;
	}
	return errmsg_set(err, "--data %s: no instrument '%.*s' in the "
	    "configuration", arg, (int)(eq - arg), arg);
}

/*
 * A live feed: every source a FIFO, or every file followed (--follow).
 * A session's feed is live or a replay, never both.
 */
static struct feed *
session_live_feed(const struct session_opts *o, const struct settings *st,
    struct errmsg *err)
{
	struct feed_pipe_src	 src[FEED_PIPE_MAX];
	const struct engine_config *ec = &st->engine;

	if (o->ndata > FEED_PIPE_MAX) {
		errmsg_set(err, "a live feed has at most %d sources",
		    FEED_PIPE_MAX);
		return NULL;
	}
	for (int i = 0; i < o->ndata; i++) {
		if ((src[i].inst = session_source(o->data[i], ec, &src[i].path,
		    err)) == -1)
			return NULL;
		src[i].follow = o->follow;
		if (!o->follow && !feed_pipe_is_fifo(src[i].path)) {
			errmsg_set(err, "--data %s: a FIFO and data files "
			    "cannot be mixed: the feed is live or a replay",
			    o->data[i]);
			return NULL;
		}
	}
	return feed_pipe_create(src, o->ndata, &st->data, ec->inst, ec->ninst,
	    err);
}

static struct feed *
session_feed(const struct session_opts *o, const struct settings *st,
    struct errmsg *err)
{
	struct feed_file_src	 src[SESSION_DATA_MAX];
	const struct engine_config *ec = &st->engine;

	if (st->feed_type == SETTINGS_FEED_FIX) {
		if (o->ndata > 0 || o->follow) {
			errmsg_set(err, "%s: feed.type is \"fix\": market data "
			    "comes from %s:%d", o->ndata > 0 ? "--data" :
			    "--follow", st->feed_fix.host, st->feed_fix.port);
			return NULL;
		}
		return settings_feed_fix(st, err);
	}
	if (o->ndata == 0) {
		struct demo_cfg	 dc = {
			.seed = o->seed,
			.days = o->demo_days,
			.instrument = &ec->inst[0],
		};

		if (o->follow) {
			errmsg_set(err, "--follow needs --data: the files to "
			    "follow");
			return NULL;
		}
		return feed_demo_create(&dc, err);
	}
	for (int i = 0; i < o->ndata; i++) {
		if ((src[i].inst = session_source(o->data[i], ec, &src[i].path,
		    err)) == -1)
			return NULL;
		if (o->follow || feed_pipe_is_fifo(src[i].path))
			return session_live_feed(o, st, err);
	}
	return feed_file_create(src, o->ndata, &st->data, ec->inst, ec->ninst,
	    err);
}

/*
 * The headlines of the session: --news FILE, else news.file, else
 * news.socket; *out NULL when there are none.  0, or -1 and a message
 * naming the option or setting.
 */
static int
session_news(const struct session_opts *o, const struct settings *st,
    struct signal_live **out, struct errmsg *err)
{
	const char	*file = o->news != NULL ? o->news : st->news_file;

	*out = NULL;
	if (file[0] != '\0')
		*out = signal_live_file(file, err);
	else if (st->news_socket[0] != '\0')
		*out = signal_live_socket(st->news_socket, err);
	else
		return 0;
	if (*out == NULL) {
		errmsg_prefix(err, "%s", o->news != NULL ? "--news" :
		    file[0] != '\0' ? "news.file" : "news.socket");
		return -1;
	}
	return 0;
}

/*
 * After a restart the replay goes on where the journal ends: the events up
 * to the engine's clock were seen before the crash.
 */
struct session_skip {
	struct feed	 feed;
	struct feed	*in;
	td_ns		 after;
	/*
	 * What was skipped, said once in the log when the first later row
	 * comes or the data ends: the engine thread's, like the feed.
	 */
	struct runner	*runner;	/* NULL: not said */
	const struct tz	*tz;
	int64_t		 skipped;
	td_ns		 last;		/* the last row skipped */
	bool		 said;
};

/* "2022-12-30 16:59": an exchange time for a message. */
static void
session_skip_time(const struct session_skip *k, td_ns t, char *buf,
    size_t len)
{
	struct tz_tm	 tm;

	tz_to_local(k->tz, t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min);
}

/*
 * Rows older than the journal's last event are not traded again: say how
 * many went and why, above all when nothing at all is left to replay.
 */
static void
session_skip_say(struct session_skip *k, bool ended)
{
	char		 msg[400], last[64], after[64];
	struct log_line	 line = { .time = k->after, .component = "session" };

	k->said = true;
	if (k->skipped == 0 || k->runner == NULL)
		return;
	session_skip_time(k, k->last, last, sizeof last);
	session_skip_time(k, k->after, after, sizeof after);
	if (ended) {
		line.level = LOG_WARNING;
		snprintf(msg, sizeof msg, "nothing to replay: all %lld rows of "
		    "the data (to %s) are older than the journal's last event "
		    "(%s %s); start a new session with --new-session or "
		    "another --journal PATH", (long long)k->skipped, last,
		    after, tz_name(k->tz));
	} else {
		line.level = LOG_INFO;
		snprintf(msg, sizeof msg, "skipped %lld rows of the data (to "
		    "%s %s): the journal's session has already seen them",
		    (long long)k->skipped, last, tz_name(k->tz));
	}
	line.msg = msg;
	runner_log_line(k->runner, &line);
}

static int
session_skip_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct session_skip	*k = ctx;
	int			 rc;

	while ((rc = feed_next(k->in, md, err)) == 1 &&
	    td_md_time(md) <= k->after) {
		k->skipped++;
		k->last = td_md_time(md);
	}
	if (!k->said && (rc == 1 || rc == 0))
		session_skip_say(k, rc == 0);
	return rc;
}

static int
session_skip_fd(void *ctx)
{
	return feed_fd(((struct session_skip *)ctx)->in);
}

static bool
session_skip_live(void *ctx)
{
	return feed_live(((struct session_skip *)ctx)->in);
}

static int
session_skip_subs(void *ctx, struct feed_sub *out, int max)
{
	return feed_subs(((struct session_skip *)ctx)->in, out, max);
}

static enum feed_conn
session_skip_conn(void *ctx)
{
	return feed_conn(((struct session_skip *)ctx)->in);
}

static td_ns
session_skip_heard(void *ctx)
{
	return feed_heard(((struct session_skip *)ctx)->in);
}

static int
session_skip_notice(void *ctx, int *level, char *buf, size_t len)
{
	return feed_notice(((struct session_skip *)ctx)->in, level, buf, len);
}

static int
session_skip_progress(void *ctx, int64_t *done, int64_t *total)
{
	return feed_progress(((struct session_skip *)ctx)->in, done, total);
}

/* Back to the start of the data: nothing is skipped any more. */
static int
session_skip_rewind(void *ctx, struct errmsg *err)
{
	struct session_skip	*k = ctx;

	if (feed_rewind(k->in, err) == -1)
		return -1;
	k->after = INT64_MIN;
	return 0;
}

static void
session_skip_destroy(void *ctx)
{
	struct session_skip	*k = ctx;

	feed_free(k->in);
	free(k);
}

static const struct feed_ops session_skip_ops = {
	.name = "skip",
	.next = session_skip_next,
	.fd = session_skip_fd,
	.live = session_skip_live,
	.subs = session_skip_subs,
	.progress = session_skip_progress,
	.rewind = session_skip_rewind,
	.destroy = session_skip_destroy,
};

/* Around a feed with a link of its own: that link shows through. */
static const struct feed_ops session_skip_link_ops = {
	.name = "skip",
	.next = session_skip_next,
	.fd = session_skip_fd,
	.live = session_skip_live,
	.subs = session_skip_subs,
	.conn = session_skip_conn,
	.heard = session_skip_heard,
	.notice = session_skip_notice,
	.destroy = session_skip_destroy,
};

static struct session_skip *
session_skip_create(struct feed *in, struct errmsg *err)
{
	struct session_skip	*k;

	if ((k = calloc(1, sizeof *k)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	k->feed.ops = in->ops->conn != NULL ? &session_skip_link_ops :
	    &session_skip_ops;
	k->feed.ctx = k;
	k->in = in;
	return k;
}

/*
 * A new session (--new-session) keeps the old one whole: the journal and
 * the files that belong to it (SQLite's -wal and -shm, the simulated
 * venue's book) move aside under a name with the date and time (UTC),
 * "journal.db" -> "journal-20240105-213000.db", so `tickdesk report
 * --journal` still reads it.  Nothing is deleted.  0 also when there is
 * no journal yet.
 */
static const char *const session_aside_ext[] = {
	"", "-wal", "-shm", "-journal", ".venue", ".venue-wal", ".venue-shm",
};
#define SESSION_ASIDE_N	\
	(int)(sizeof session_aside_ext / sizeof session_aside_ext[0])

/* The dated name for path: its ".db" kept last, n > 1 for a second try. */
static int
session_aside_name(const char *path, int n, char *buf, size_t len)
{
	size_t		 plen = strlen(path);
	bool		 db = plen > 3 && strcmp(path + plen - 3, ".db") == 0;
	struct tm	 tm;
	time_t		 now = time(NULL);
	char		 when[32], seq[8] = "";
	int		 w;

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
	if (n > 1)
		snprintf(seq, sizeof seq, "-%d", n);
	w = snprintf(buf, len, "%.*s-%s%s%s", (int)(db ? plen - 3 : plen),
	    path, when, seq, db ? ".db" : "");
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

static int
session_aside(struct session *s, const char *path, struct errmsg *err)
{
	char		 to[JOURNAL_PATH_MAX], from[JOURNAL_PATH_MAX + 16];
	char		 dst[JOURNAL_PATH_MAX + 16];
	struct stat	 sb;
	int		 n = 1, i;

	if (stat(path, &sb) == -1)
		return errno == ENOENT ? 0 : errmsg_set(err, "--new-session: "
		    "%s: %s", path, strerror(errno));
	do {
		if (n > 99 || session_aside_name(path, n++, to,
		    sizeof to) == -1)
			return errmsg_set(err, "--new-session: no free name to "
			    "keep %s under", path);
	} while (stat(to, &sb) == 0);
	for (i = 0; i < SESSION_ASIDE_N; i++) {
		snprintf(from, sizeof from, "%s%s", path, session_aside_ext[i]);
		snprintf(dst, sizeof dst, "%s%s", to, session_aside_ext[i]);
		if (rename(from, dst) == -1 && errno != ENOENT)
			break;
	}
	if (i == SESSION_ASIDE_N) {
		snprintf(s->aside, sizeof s->aside, "%s", to);
		return 0;
	}
	errmsg_set(err, "--new-session: cannot move %s%s aside: %s", path,
	    session_aside_ext[i], strerror(errno));
	/* Put back what moved: the old session stays whole where it was. */
	while (i-- > 0) {
		snprintf(from, sizeof from, "%s%s", path, session_aside_ext[i]);
		snprintf(dst, sizeof dst, "%s%s", to, session_aside_ext[i]);
		(void)rename(dst, from);
	}
	return -1;
}

/*
 * Which session this is, in the log: a new one (and where the old one was
 * kept), or one that goes on, whose replay starts after its last event.
 */
static void
session_journal_say(struct session *s, const char *path,
    const struct engine_recovery *rec)
{
	char		 msg[JOURNAL_PATH_MAX * 2 + 160], when[64];
	struct log_line	 line = { .time = rec->resumed_at, .level = LOG_INFO,
			    .component = "session", .msg = msg };

	if (s->aside[0] != '\0')
		snprintf(msg, sizeof msg, "new session in %s; the old one is "
		    "kept in %s", path, s->aside);
	else if (rec->resumed == 0)
		snprintf(msg, sizeof msg, "new session in %s", path);
	else if (rec->resumed_at == 0 || s->live)
		snprintf(msg, sizeof msg, "session %lld of %s goes on",
		    (long long)rec->resumed, path);
	else {
		session_time(s, rec->resumed_at, when, sizeof when);
		snprintf(msg, sizeof msg, "session %lld of %s goes on after "
		    "its last event (%s %s): older rows of the data are "
		    "skipped (--new-session starts afresh)",
		    (long long)rec->resumed, path, when, tz_name(s->tz));
	}
	runner_log_line(s->runner, &line);
}

/*
 * The journal: the engine is rebuilt from it and reconciled with the
 * venue before it trades; the simulated venue keeps its book beside it
 * (journal.db.venue), opened first.  The lines go to the runner's log
 * like any other.
 */
static int
session_journal(struct session *s, const struct session_opts *o,
    struct engine *e, struct session_skip *skip, struct errmsg *err)
{
	struct journal_session_info	 info = {
		.mode = o->mode == SNAP_LIVE ? "live" : o->mode == SNAP_REPLAY ?
		    "replay" : "paper",
		.config = s->st->source,
	};
	struct engine_recovery		 rec;
	struct timespec			 ts;
	char				 path[JOURNAL_PATH_MAX];
	char				 book[JOURNAL_PATH_MAX + 8];

	if (o->journal != NULL)
		snprintf(path, sizeof path, "%s", o->journal);
	else if (s->st->journal_path[0] != '\0')
		snprintf(path, sizeof path, "%s", s->st->journal_path);
	else if (journal_default_path(path, sizeof path, err) == -1)
		return -1;
	if (o->new_session && (s->st->venue_type == SETTINGS_VENUE_FIX ||
	    s->st->feed_type == SETTINGS_FEED_FIX))
		return errmsg_set(err, "--new-session: the journal holds the "
		    "FIX sessions' sequence numbers and the broker's orders; "
		    "it is not moved aside with a FIX venue or feed");
	if (o->new_session && session_aside(s, path, err) == -1)
		return -1;
	snprintf(book, sizeof book, "%s.venue", path);
	clock_gettime(CLOCK_REALTIME, &ts);
	info.started = (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
	if ((s->journal = journal_open(path, JOURNAL_CREATE, err)) == NULL)
		return -1;
	journal_sync_all(s->journal, s->st->journal_sync == SETTINGS_SYNC_ALL);
	if (s->st->venue_type == SETTINGS_VENUE_SIM &&
	    venue_sim_open_book(s->venue, book, err) == -1)
		return -1;
	/* The FIX session's sequence numbers live in the journal's file. */
	if (s->st->venue_type == SETTINGS_VENUE_FIX &&
	    venue_fix_open_store(s->venue, path, err) == -1)
		return -1;
	/* So do the market data session's. */
	if (s->fixfeed != NULL &&
	    feed_fix_open_store(s->fixfeed, path, err) == -1)
		return -1;
	s->venue = NULL;	/* the engine thread's from here on */
	s->fixfeed = NULL;	/* the runner's */
	if (engine_recover(e, s->journal, &info, &rec, err) == -1)
		return -1;
	skip->after = rec.resumed_at;
	session_journal_say(s, path, &rec);
	return 0;
}

/*
 * A replay seeking back (runner_seek): a fresh engine on a fresh
 * simulated venue, with the alerts but without the journal or the
 * venue's book, so the account of the rerun starts empty and the
 * journal keeps the history it has.  Only for a simulated venue.
 */
static struct engine *
session_reset(void *arg, struct errmsg *err)
{
	struct session		*s = arg;
	struct engine_deps	 deps = { .strategies = s->strategies };
	struct engine		*e;

	if (s->st->venue_type != SETTINGS_VENUE_SIM) {
		errmsg_set(err, "the venue is not simulated");
		return NULL;
	}
	if ((deps.venue = settings_venue(s->st, err)) == NULL)
		return NULL;
	if ((e = engine_create(&s->st->engine, &deps, err)) == NULL) {
		venue_free(deps.venue);
		return NULL;
	}
	engine_set_alerts(e, alert_setup_hub(s->alerts));
	runner_note(s->runner, LOG_WARNING, "replay", "the simulated account "
	    "starts again from the start of the data; the journal keeps what "
	    "it recorded and does not record the rerun");
	return e;
}

/* The person at the desk, for the trading state's "who". */
static const char *
session_who(void)
{
	const char	*user = getenv("USER");
	struct passwd	*pw;

	if (user != NULL && *user != '\0')
		return user;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	return "trader";
}

/* The first lines of the settings' problems, without the last newline. */
static void
session_settings_error(const char *errors, struct errmsg *err)
{
	char	 text[ERRMSG_MAX - 64];
	size_t	 n;

	snprintf(text, sizeof text, "%s", errors);
	n = strlen(text);
	while (n > 0 && text[n - 1] == '\n')
		text[--n] = '\0';
	errmsg_set(err, "%s", text);
}

/*
 * The health endpoint of health.http_port.  It is optional: when it cannot
 * listen, that is logged and alerted and the session trades on.
 */
static void
session_health(struct session *s)
{
	struct errmsg	 err;
	int		 port = s->st->engine.health.http_port;

	if (port == 0)
		return;
	if ((s->health = health_http_create(port, s->runner, s->monitor,
	    &err)) == NULL) {
		session_note(s, LOG_ERROR, "%s: no /metrics and /health; "
		    "trading goes on", err.msg);
		alert_raisef(alert_setup_hub(s->alerts), ALERT_ERROR,
		    ALERT_EV_DEGRADED, "%s: no /metrics and /health; trading "
		    "goes on", err.msg);
	} else
		session_note(s, LOG_INFO, "health: http://127.0.0.1:%d/metrics "
		    "and /health", health_http_port(s->health));
	if (s->health != NULL && s->monitor != NULL)
		session_note(s, LOG_INFO, "monitor: http://127.0.0.1:%d/monitor"
		    "?token=TOKEN (the token of health.monitor_token)",
		    health_http_port(s->health));
}

/*
 * The monitoring page's monitor, made before the runner so that it hears
 * every log line.  No token, no page (said in the log); a token that
 * cannot be read now refuses the session, as an alert sink's would.
 */
static int
session_monitor(struct session *s, struct errmsg *err)
{
	struct monitor_cfg	 mc = { .tz = s->st->engine.cal[0].tz };
	char			*token;
	int			 port = s->st->engine.health.http_port, rc;

	if (s->st->monitor_token[0] == '\0') {
		if (port != 0)
			session_note(s, LOG_INFO, "monitor: the monitoring page "
			    "is off: health.monitor_token is not set");
		return 0;
	}
	if (port == 0) {
		session_note(s, LOG_WARNING, "monitor: health.monitor_token is "
		    "set but health.http_port is 0: no monitoring page");
		return 0;
	}
	if ((token = malloc(SETTINGS_SECRET_VALUE_MAX)) == NULL)
		return errmsg_set(err, "out of memory");
	rc = settings_secret(s->st, "health.monitor_token", token,
	    SETTINGS_SECRET_VALUE_MAX, err);
	mc.token = token;
	if (rc == 1 && (s->monitor = monitor_create(&mc, err)) == NULL)
		rc = -1;
	explicit_bzero(token, SETTINGS_SECRET_VALUE_MAX);
	free(token);
	return rc == -1 ? -1 : 0;
}

/*
 * Start the log writer, the alert hub and the engine thread with the
 * signals left to the main thread, then the health endpoint.
 */
static int
session_start(struct session *s, struct errmsg *err)
{
	sigset_t	 block, old;
	int		 rc = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	if (s->logfile != NULL)
		rc = logfile_start(s->logfile, err);
	if (rc == 0)
		rc = alert_setup_start(s->alerts, err);
	if (rc == 0)
		rc = runner_start(s->runner, err);
	if (rc == 0)
		session_health(s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/*
 * logging.file as a path: "~/" stands for $HOME, "$XDG_STATE_HOME/" for
 * that directory (when absolute, else ~/.local/state, as the XDG base
 * directory spec says).
 */
static int
session_log_path(const char *file, char *buf, size_t len,
    struct errmsg *err)
{
	static const char	 xdg[] = "$XDG_STATE_HOME/";
	const char		*home = getenv("HOME");

	if (strncmp(file, xdg, sizeof xdg - 1) == 0) {
		if (xdg_path(XDG_STATE, file + sizeof xdg - 1, buf, len) == -1)
			return errmsg_set(err, "logging.file %s: HOME is not "
			    "set", file);
	} else if (strncmp(file, "~/", 2) == 0) {
		if (home == NULL || home[0] != '/')
			return errmsg_set(err, "logging.file %s: HOME is not "
			    "set", file);
		snprintf(buf, len, "%s/%s", home, file + 2);
	} else
		snprintf(buf, len, "%s", file);
	return 0;
}

/* The log file sink of logging.file; 0 also when there is none to make. */
static int
session_logfile(struct session *s, struct errmsg *err)
{
	const struct settings	*st = s->st;
	char			 path[SETTINGS_SOURCE_MAX + 256];
	struct logfile_cfg	 lc;

	if (st->log_file[0] == '\0')
		return 0;
	if (session_log_path(st->log_file, path, sizeof path, err) == -1)
		return -1;
	memset(&lc, 0, sizeof lc);
	lc.path = path;
	lc.retention_days = st->log_retention_days;
	lc.queue = st->log_queue;
	if ((s->logfile = logfile_create(&lc, err)) == NULL) {
		errmsg_prefix(err, "logging.file");
		return -1;
	}
	return 0;
}

int
session_create(const struct session_opts *o, struct session **out,
    struct errmsg *err)
{
	struct session		*s;
	struct engine		*e = NULL, *eng;
	struct engine_deps	 deps = { .venue = NULL };
	struct feed		*feed = NULL;
	struct session_skip	*skip;
	struct signal_live	*news = NULL;
	struct runner_cfg	 rc;
	char			 user[SETTINGS_SOURCE_MAX];
	const char		*path = settings_path(o->config, user,
				    sizeof user);
	char			*errors = NULL;
	int			 status = 1;

	*out = NULL;
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->st = calloc(1, sizeof *s->st)) == NULL ||
	    (s->snap = snapshot_create(NULL, err)) == NULL ||
	    (errors = malloc(8192)) == NULL) {
		errmsg_set(err, "out of memory");
		goto fail;
	}
	s->note = o->note;
	s->note_arg = o->note_arg;
	s->next_id = SESSION_ID_BASE;
	status = 2;
	if (settings_load_env(path, settings_env(o->env), s->st, errors,
	    8192) == -1) {
		session_settings_error(errors, err);
		goto fail;
	}
	s->hup_reload = o->hup_reload;
	s->st->engine.unattended = false;
	if (o->log_level >= 0)
		s->st->engine.log_level = (enum log_level)o->log_level;
	if ((s->tz = tz_load(s->st->engine.cal[0].tz, err)) == NULL ||
	    (s->strategies = settings_strategies(s->st, err)) == NULL ||
	    (feed = session_feed(o, s->st, err)) == NULL ||
	    session_news(o, s->st, &news, err) == -1 ||
	    (deps.venue = settings_venue(s->st, err)) == NULL)
		goto fail;
	deps.strategies = s->strategies;
	if (models_load(s->st, &deps.signals, &deps.nsignals, err) == -1)
		goto fail;
	if ((e = engine_create(&s->st->engine, &deps, err)) == NULL) {
		models_free(deps.signals, deps.nsignals);
		goto fail;
	}
	s->venue = deps.venue;
	deps.venue = NULL;	/* the engine's */
	if ((s->alerts = alert_setup_create(&s->st->engine.alerts,
	    err)) == NULL)
		goto fail;
	/* Before recovery, so that what it finds can alert. */
	engine_set_alerts(e, alert_setup_hub(s->alerts));
	status = 1;
	s->live = feed_live(feed);
	if (s->st->feed_type == SETTINGS_FEED_FIX)
		s->fixfeed = feed;
	if ((skip = session_skip_create(feed, err)) == NULL)
		goto fail;
	feed = &skip->feed;
	if ((s->desk = desk_create(session_who(), o->mode, err)) == NULL ||
	    (s->reload = reload_create(path, s->st->env, s->st, err)) ==
	    NULL || session_logfile(s, err) == -1 ||
	    session_monitor(s, err) == -1)
		goto fail;
	desk_set_reload(s->desk, reload_exec, s->reload);
	if (reload_hook(s->reload, "alerts", alert_setup_reload, s->alerts,
	    err) == -1)
		goto fail;
	memset(&rc, 0, sizeof rc);
	rc.speed = o->speed;
	rc.paused = o->paused;
	rc.mode = o->mode;
	rc.exec = desk_exec;
	rc.exec_arg = s->desk;
	rc.log_level = s->st->engine.log_level;
	rc.log_queue = s->st->log_queue;
	rc.logfile = s->logfile;
	rc.env = s->st->env;
	rc.watchdog = o->watchdog;
	/* Only a replay on the simulator may seek (and so reset). */
	if (s->st->venue_type == SETTINGS_VENUE_SIM && !s->live &&
	    o->mode != SNAP_LIVE) {
		rc.reset = session_reset;
		rc.reset_arg = s;
	}
	if (s->monitor != NULL) {
		rc.tap = monitor_log;
		rc.tap_arg = s->monitor;
	}
	rc.news = news;
	rc.news_half_life = s->st->news_half_life;
	if (news != NULL)
		session_note(s, LOG_INFO, "news: headlines from %s",
		    signal_live_name(news));
	news = NULL;	/* the runner's, even when it fails */
	if ((s->runner = runner_create(&rc, e, feed, err)) == NULL)
		goto fail;
	alert_setup_set_log(s->alerts, runner_log_line, s->runner);
	eng = e;
	e = NULL;
	feed = NULL;
	skip->runner = s->runner;
	skip->tz = s->tz;
	/*
	 * The socket first: a session already running there keeps its
	 * journal (--new-session would move it aside).  The runner owns the
	 * engine but has not started it: recover.
	 */
	if ((s->ctl = ctl_open(o->socket, err)) == NULL ||
	    session_journal(s, o, eng, skip, err) == -1 ||
	    session_start(s, err) == -1)
		goto fail;
	s->started = true;
	free(errors);
	*out = s;
	return 0;

fail:
	engine_free(e);
	venue_free(deps.venue);
	feed_free(feed);
	signal_live_free(news);
	free(errors);
	session_free(s);
	return status;
}

/*
 * The clean end, on the journal once the engine and its venue are gone
 * (they wrote their last event): a restart of this session keeps the
 * state it journaled.  A session that dies never gets here, and its
 * restart comes up HALTED (engine_recover).
 */
static void
session_end(struct session *s)
{
	struct timespec	 ts;
	struct errmsg	 err;

	if (!s->started)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (journal_end(s->journal, (td_ns)ts.tv_sec * TD_NS_PER_SEC +
	    ts.tv_nsec, &err) == -1)
		session_note(s, LOG_CRITICAL, "%s: the next start takes this "
		    "session for one that died, and comes up HALTED", err.msg);
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	session_backup_end(s);		/* while the log and alerts live */
	health_http_free(s->health);	/* it reads the runner */
	runner_stop(s->runner);
	/* The hub logs into the runner's queue: stop it while that lives. */
	alert_setup_stop(s->alerts, SESSION_ALERT_DRAIN);
	runner_free(s->runner);
	session_end(s);
	monitor_free(s->monitor);	/* the runner's log went to it */
	logfile_free(s->logfile);	/* writes what is left */
	journal_close(s->journal);	/* the engine wrote it to the end */
	ctl_close(s->ctl);
	reload_free(s->reload);
	alert_setup_free(s->alerts);
	desk_free(s->desk);
	tz_free(s->tz);
	strat_registry_free(s->strategies);	/* after the engine */
	snapshot_free(s->snap);
	free(s->st);
	free(s);
}

struct runner *
session_runner(struct session *s)
{
	return s->runner;
}

const struct settings *
session_settings(const struct session *s)
{
	return s->st;
}

bool
session_live(const struct session *s)
{
	return s->live;
}

const char *
session_socket(const struct session *s)
{
	return ctl_path(s->ctl);
}

char *
session_time(const struct session *s, td_ns t, char *buf, size_t len)
{
	struct tz_tm	 tm;

	tz_to_local(s->tz, t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min, tm.sec);
	return buf;
}

/* ---------------------------------------------------------------- loop */

int
session_pollfds(struct session *s, struct pollfd *fds, int max)
{
	if (max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = runner_fd(s->runner),
	    .events = POLLIN };
	return 1 + ctl_pollfds(s->ctl, fds + 1, max - 1);
}

void
session_service(struct session *s, const struct pollfd *fds, int n)
{
	runner_ack(s->runner);
	ctl_service(s->ctl, fds, n, s->runner, session_clock());
}

bool
session_reply(struct session *s, const struct runner_reply *rep)
{
	if (rep->quit && s->end == SESSION_RUNNING)
		s->end = SESSION_DONE;
	if (ctl_take_reply(s->ctl, rep))
		return false;
	if (rep->id >= SESSION_ID_BASE) {
		session_note(s, rep->status == 0 ? LOG_INFO : LOG_ERROR, "%s",
		    rep->text);
		return false;
	}
	return true;
}

/* A command of the session's own; false when the engine cannot take it. */
static bool
session_submit(struct session *s, const char *line)
{
	if (runner_submit(s->runner, s->next_id++, line) == -1) {
		session_note(s, LOG_CRITICAL, "cannot send '%s': the engine's "
		    "command queue is full", line);
		return false;
	}
	return true;
}

/* "ES +1, MES -2" from the last snapshot; "none" when flat. */
static char *
session_positions(const struct snapshot *snap, char *buf, size_t len)
{
	size_t	 used = 0;

	buf[0] = '\0';
	for (int i = 0; i < snap->ninst && used < len; i++) {
		if (snap->inst[i].position != 0)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s %+lld", used > 0 ? ", " : "",
			    snap->inst[i].symbol,
			    (long long)snap->inst[i].position);
	}
	if (used == 0)
		snprintf(buf, len, "none");
	return buf;
}

static bool
session_flat(const struct snapshot *snap)
{
	for (int i = 0; i < snap->ninst; i++) {
		if (snap->inst[i].position != 0)
			return false;
	}
	return snap->nworking == 0;
}

void
session_signal(struct session *s, int signo)
{
	char	 pos[256];

	switch (signo) {
	case SIGTERM:
		if (s->term) {
			runner_snapshot(s->runner, s->snap);
			session_note(s, LOG_CRITICAL, "second SIGTERM: ending "
			    "now; open positions: %s", session_positions(
			    s->snap, pos, sizeof pos));
			s->end = SESSION_FAILED;
			return;
		}
		s->term = true;
		s->term_until = session_clock() +
		    SESSION_FLAT_WAIT * TD_NS_PER_SEC;
		session_note(s, LOG_WARNING, "SIGTERM: halting and flattening; "
		    "the session ends once flat (at most %d s)",
		    SESSION_FLAT_WAIT);
		if (!session_submit(s, "quit --flatten"))
			s->end = SESSION_FAILED;
		break;
	case SIGHUP:
		if (s->hup_reload) {
			session_note(s, LOG_INFO, "SIGHUP: reloading the "
			    "configuration");
			session_submit(s, "reload");
			break;
		}
		if (s->st->on_signal == SETTINGS_SIGNAL_KEEP) {
			session_note(s, LOG_WARNING, "SIGHUP: the session keeps "
			    "running with its orders in place "
			    "(session.on_signal = keep); tickdesk ctl --socket "
			    "%s reaches it", ctl_path(s->ctl));
			break;
		}
		session_note(s, LOG_WARNING, "SIGHUP: halting and flattening "
		    "(session.on_signal = flatten); the session keeps running");
		if (session_submit(s, "halt"))
			session_submit(s, "flatten all");
		break;
	default:
		break;
	}
}

/* The quit cannot finish: on SIGTERM end anyway, else carry on. */
static enum session_run
session_give_up(struct session *s, const char *why)
{
	char	 pos[256];

	s->waiting = false;
	session_positions(s->snap, pos, sizeof pos);
	if (s->term) {
		session_note(s, LOG_CRITICAL, "ending on SIGTERM with positions "
		    "open (%s): %s", why, pos);
		return s->end = SESSION_FAILED;
	}
	session_note(s, LOG_ERROR, "not quitting: %s; open: %s (flatten, or "
	    "quit --leave)", why, pos);
	return SESSION_RUNNING;
}

/*
 * After each session close, the day's report goes to a file in reports/
 * beside the journal.  It is an optional part: a failure is logged and
 * trading goes on.
 */
static void
session_day_report(struct session *s)
{
	char	 dir[JOURNAL_PATH_MAX], out[JOURNAL_PATH_MAX + 32];
	char	 jpath[JOURNAL_PATH_MAX], date[16], *slash;
	char	*argv[] = { "report", "--journal", jpath, "--day", date,
		    "--tz", s->st->engine.cal[0].tz, "-o", out, NULL };
	int32_t	 day;

	if (s->journal == NULL || s->waiting)
		return;
	runner_snapshot(s->runner, s->snap);
	if ((day = s->snap->closed_day) == 0 || day == s->reported_day)
		return;
	s->reported_day = day;
	snprintf(jpath, sizeof jpath, "%s", journal_path(s->journal));
	snprintf(dir, sizeof dir, "%s", jpath);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	snprintf(date, sizeof date, "%04d-%02d-%02d", (int)(day / 10000),
	    (int)(day / 100 % 100), (int)(day % 100));
	snprintf(out, sizeof out, "%s/reports", dir);
	if (mkdir(out, 0700) == -1 && errno != EEXIST) {
		session_note(s, LOG_ERROR, "end-of-day report: %s: %s", out,
		    strerror(errno));
		alert_raisef(alert_setup_hub(s->alerts), ALERT_ERROR,
		    ALERT_EV_DEGRADED, "end-of-day report for %s: %s: %s; "
		    "trading goes on", date, out, strerror(errno));
		return;
	}
	snprintf(out, sizeof out, "%s/reports/%s.txt", dir, date);
	if (cmd_report_entry.exec(9, argv) != EXIT_OK) {
		session_note(s, LOG_ERROR, "end-of-day report for %s could "
		    "not be written", date);
		alert_raisef(alert_setup_hub(s->alerts), ALERT_ERROR,
		    ALERT_EV_DEGRADED, "end-of-day report for %s could not "
		    "be written; trading goes on", date);
	} else
		session_note(s, LOG_INFO, "end-of-day report: %s", out);
}

/* What a scheduled backup did, in the log; a failure alerted too. */
static void
session_backup_said(struct session *s, int rc, const struct jbackup_result *r,
    int removed, const struct errmsg *err)
{
	if (rc == 1) {
		session_note(s, LOG_INFO, "backup at the session close: %s "
		    "(%lld bytes, sha256 %s)%s%s; %d older removed",
		    r->journal.path, (long long)r->journal.bytes,
		    r->journal.sha256, r->book.path[0] != '\0' ? ", book " :
		    "", r->book.path, removed);
		return;
	}
	session_note(s, LOG_ERROR, "backup at the session close failed: %s; "
	    "trading goes on", err->msg);
	alert_raisef(alert_setup_hub(s->alerts), ALERT_ERROR,
	    ALERT_EV_DEGRADED, "backup at the session close failed: %s; "
	    "trading goes on", err->msg);
}

/* A scheduled backup that has ended is said and let go. */
static void
session_backup_poll(struct session *s)
{
	struct jbackup_result	 r;
	struct errmsg		 err;
	int			 removed = 0, rc;

	if (s->backup == NULL || (rc = jbackup_job_poll(s->backup, &r,
	    &removed, &err)) == 0)
		return;
	session_backup_said(s, rc, &r, removed, &err);
	jbackup_job_free(s->backup);
	s->backup = NULL;
}

/* At the end: the running backup is waited for, and said. */
static void
session_backup_end(struct session *s)
{
	struct jbackup_result	 r;
	struct errmsg		 err;
	int			 removed = 0, rc;

	if (s->backup == NULL)
		return;
	rc = jbackup_job_wait(s->backup, &r, &removed, &err);
	session_backup_said(s, rc, &r, removed, &err);
	jbackup_job_free(s->backup);
	s->backup = NULL;
}

/*
 * After each session close, with journal.backup_dir set: a backup of the
 * journal and the venue's book on a thread of its own, so neither the
 * engine nor the console waits for it, and the oldest beyond
 * journal.backup_keep removed.  Optional work, like the day's report: a
 * failure is logged and alerted and trading goes on.  Reads the snapshot
 * session_day_report took.
 */
static void
session_backup(struct session *s)
{
	struct errmsg	 err;
	int32_t		 day;

	session_backup_poll(s);
	if (s->st->journal_backup_dir[0] == '\0' || s->journal == NULL ||
	    s->waiting || (day = s->snap->closed_day) == 0 ||
	    day == s->backup_day)
		return;
	s->backup_day = day;
	if (s->backup != NULL) {
		session_note(s, LOG_WARNING, "backup at the session close of "
		    "%d: the last one still runs; skipped", (int)day);
		return;
	}
	s->backup = jbackup_job_start(journal_path(s->journal),
	    s->st->journal_backup_dir, s->st->journal_backup_keep, time(NULL),
	    &err);
	if (s->backup == NULL)
		session_backup_said(s, -1, NULL, 0, &err);
}

enum session_run
session_check(struct session *s)
{
	td_ns	 now = session_clock();

	if (s->end != SESSION_RUNNING)
		return s->end;
	session_day_report(s);
	session_backup(s);
	if (desk_take_quit_when_flat(s->desk) && !s->waiting) {
		/* Only snapshots taken after the quit can say "flat". */
		runner_snapshot(s->runner, s->snap);
		s->base_seq = s->snap->seq;
		s->waiting = true;
		s->wait_until = s->term ? s->term_until :
		    now + SESSION_FLAT_WAIT * TD_NS_PER_SEC;
		session_note(s, LOG_INFO, "the session ends once flat");
	}
	if (s->waiting) {
		runner_snapshot(s->runner, s->snap);
		if (s->snap->seq > s->base_seq) {
			if (session_flat(s->snap)) {
				session_note(s, LOG_INFO, "flat: ending the "
				    "session");
				return s->end = SESSION_DONE;
			}
			if (s->snap->finished)
				return session_give_up(s, "the data has ended, "
				    "so the closing orders cannot fill");
		}
		if (now >= s->wait_until)
			return session_give_up(s, "still not flat after the "
			    "wait");
	} else if (s->term && now >= s->term_until) {
		runner_snapshot(s->runner, s->snap);
		return session_give_up(s, "no answer from the engine");
	}
	return SESSION_RUNNING;
}
