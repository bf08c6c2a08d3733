/*
 * runner.h -- an engine on its own thread, driven by an event loop.
 *
 * The runner owns the engine thread of a paper, replay or live session.
 * The thread runs one event loop (loop.h) with file events for the feed
 * (a live one), the venue (engine_venue_fd) and the command queue, and
 * timed events for the engine's timers, the replay's pacing and the
 * snapshot rate.  A replay is a feed paced by the simulated clock (1 =
 * real time, 60, or as fast as possible); a live feed (feed_live) is
 * paced by arrival: each event goes to the engine as it comes, and the
 * engine's timers fire on the wall clock in the exchange's terms (UTC)
 * whether or not data arrives, with the stale-feed guard judging the
 * silence.  Either way a silent or blocked feed never delays a command:
 * `kill`, `flatten` and `status` are served within one turn of the loop.
 *
 * The thread meets the console (or the headless control socket) only in
 * bounded queues: command lines in, replies and log lines out, plus the
 * latest snapshot, published just before the loop sleeps (after every
 * command and venue event, and otherwise at most and at least snapshot_hz
 * times a second).  The snapshots' tables are taken once, as large as the
 * engine and its observers ask (engine_snapshot_sizes); publishing one
 * copies the rows in use into them and allocates nothing.  Nothing the other side does can block the engine
 * thread: when an output queue is full, log lines are dropped and
 * counted; commands are never dropped (runner_submit refuses when its
 * queue is full and the caller says so).
 *
 * Commands run on the engine thread through the exec function the caller
 * gives (src/ keeps the command table); they may call the engine and the
 * replay controls below.
 *
 * The log queue (logq.h) holds cfg.log_queue lines; when it is full a
 * debug line gives way first and every line dropped is counted in the
 * snapshot.  With cfg.logfile, every line queued is also handed to that
 * file sink (logfile.h), whose own thread writes it.
 */
#ifndef TD_RUNNER_H
#define TD_RUNNER_H

#include "log.h"
#include "snapshot.h"
#include "types.h"

struct engine;
struct errmsg;
struct feed;
struct logfile;
struct runner;
struct sdn;

#define RUNNER_LINE_MAX		512
#define RUNNER_REPLY_MAX	4096

/* The answer to one command line: one or more lines of text. */
struct runner_reply {
	uint64_t	 id;		/* as given to runner_submit */
	int		 status;	/* 0 ok, 1 failed, 2 bad command */
	bool		 confirm;	/* needs a confirmation, text asks */
	bool		 quit;		/* the session should end */
	char		 text[RUNNER_REPLY_MAX];
};

struct runner_log {
	td_ns		 time;
	enum log_level	 level;
	char		 component[32];
	uint64_t	 corr;
	char		 msg[400];
};

typedef void	(*runner_exec_fn)(void *arg, struct runner *r,
		    struct engine *e, const char *line,
		    struct runner_reply *reply);

/*
 * The runner's clocks, for tests that step time by hand; both are called
 * from any thread, and NULL stands for the system's.  mono never goes
 * back (waits, pacing, snapshots, the heartbeat); utc is the exchange's
 * time of a live feed (nanoseconds since the epoch), read at least at
 * every snapshot, so a step of it is seen within 1/snapshot_hz s.
 */
struct runner_clock {
	td_ns		(*mono)(void *arg);
	td_ns		(*utc)(void *arg);
	void		*arg;
};

struct runner_cfg {
	double		 speed;		/* 1 = real time; 0 = as fast as possible */
	bool		 paused;	/* start paused */
	enum snap_mode	 mode;
	runner_exec_fn	 exec;
	void		*exec_arg;
	int		 snapshot_hz;	/* default 30 */
	int		 log_queue;	/* log lines held, default 4096 */
	enum log_level	 log_level;	/* lowest level queued */
	/* Also write the log here (not owned: free it after the runner). */
	struct logfile	*logfile;
	/* The configuration's environment, for the snapshot ("" or NULL). */
	const char	*env;
	/*
	 * Also hand each line to this function (NULL: none), from the
	 * thread that logs it; it must not block (the monitoring page's
	 * ring, monitor_log).
	 */
	log_fn		 tap;
	void		*tap_arg;
	/* NULL: CLOCK_MONOTONIC and CLOCK_REALTIME (copied). */
	const struct runner_clock *clock;
	/*
	 * A fresh engine on a fresh simulated account (its own simulated
	 * venue, an empty book, no journal), for a replay seeking back
	 * (runner_seek); called on the engine thread, the engine becomes
	 * the runner's.  NULL: the session cannot seek at all (a live
	 * venue, a live feed).
	 */
	struct engine	*(*reset)(void *arg, struct errmsg *err);
	void		*reset_arg;
	/*
	 * Headlines as they arrive (signal-live.h), or NULL: taken by
	 * runner_create (freed by runner_free, even when it fails), read
	 * at each snapshot tick once the engine has had its first market
	 * event, each scored into the sentiment of the instruments it
	 * names (engine_on_headline), whose series halve every
	 * news_half_life.  A headline is stamped with the engine's clock
	 * when it is read (a live feed's: the wall clock in UTC); the
	 * fading series are sent again after each market event
	 * (engine_news_due).  A bad line, a lost connection, a file
	 * truncated or rotated is a line in the log, and trading goes on.
	 */
	struct signal_live *news;
	td_ns		 news_half_life;
	/*
	 * The service manager's watchdog, fed by the engine thread's loop
	 * for as long as it turns (sdn_watch; not owned: free it after the
	 * runner).  NULL: none.
	 */
	struct sdn	*watchdog;
};

/*
 * Take ownership of the engine and the feed (both freed by runner_free);
 * the engine's log function is replaced by the runner's queue, and the
 * runner adds the observers its snapshots need (the blotter and
 * sparklines, snap-obs.h; the counters and timings, health-obs.h).  The
 * thread starts with runner_start.
 */
struct runner	*runner_create(const struct runner_cfg *cfg, struct engine *e,
		     struct feed *feed, struct errmsg *err);
int		 runner_start(struct runner *r, struct errmsg *err);
/* Stop the thread (after the command being run) and join it. */
void		 runner_stop(struct runner *r);
void		 runner_free(struct runner *r);

/* Queue a command line (any thread); -1 when the queue is full. */
int		 runner_submit(struct runner *r, uint64_t id, const char *line);
/* 1 and the next reply or log line, 0 when there is none. */
int		 runner_reply(struct runner *r, struct runner_reply *out);
int		 runner_log(struct runner *r, struct runner_log *out);
/*
 * Fill the runner's part of a snapshot the engine has filled: the
 * environment, the log lines dropped, the depths of the command and log
 * queues, the uptime and whether the feed is live and how long it has
 * been silent (engine thread or any).
 */
void		 runner_fill(struct runner *r, struct snapshot *s);
/*
 * The engine thread's sign of life, from any thread: the time since it
 * last published a snapshot (it does so at least snapshot_hz times a
 * second, idle or not, unless it is stuck), or -1 before runner_start and
 * after the thread has ended.
 */
td_ns		 runner_heartbeat(struct runner *r);
/*
 * A log line from another thread (the alert hub's): queued like the
 * engine's own and written to the log file; arg is the runner (a log_fn).
 */
void		 runner_log_line(void *arg, const struct log_line *line);
/*
 * Copy the latest snapshot into out (one of snapshot_create; NULL sizes
 * will do) when it is newer than out->seq: 1 when copied, 0 when not.
 * When out's tables are too small they are made as large as the
 * published one's first, on the caller's thread and outside the lock the
 * engine thread takes: the first copy allocates, the next ones do not.
 * -1 when memory runs out for that (out is left as it was).
 */
int		 runner_snapshot(struct runner *r, struct snapshot *out);
/*
 * A descriptor that becomes readable when there is new output (replies,
 * log lines, a snapshot); drain it with runner_ack.
 */
int		 runner_fd(const struct runner *r);
void		 runner_ack(struct runner *r);
/* True once the thread has ended (end of the feed and a quit). */
bool		 runner_done(const struct runner *r);

/*
 * Replay controls, for commands running on the engine thread.  A live
 * feed is paced by arrival: speed, pause and step do not apply to it.
 */
void		 runner_set_speed(struct runner *r, double speed);
double		 runner_speed(const struct runner *r);
void		 runner_pause(struct runner *r, bool paused);
bool		 runner_paused(const struct runner *r);
/* While paused: process exactly one more market event. */
void		 runner_step(struct runner *r);

/*
 * Market replay's seek, as NinjaTrader's Market Replay does it (commands
 * on the engine thread).  Only a replay on a simulated account can seek
 * (cfg.reset set, a feed that is not live and can rewind):
 * runner_can_seek.
 *
 * runner_seek: to the exchange time `to` (UTC).  Forward, the engine
 * takes every event stamped up to `to` at full speed, its strategies and
 * orders acting as they would, served in batches so commands still come
 * through.  Back (to before the engine's clock), the simulated account
 * starts again first: cfg.reset makes a fresh engine (its venue's book
 * empty), the old one is freed with its positions and orders, the
 * console's blotter and bars start empty and the feed goes back to its
 * first event; then it runs forward the same way.  Either way the replay
 * is paused once there (the engine's clock is then the last event's
 * time at or before `to`) and a line says so; when the data ends first,
 * a line says where it ended.  0, with *back set when the account was
 * reset, or -1 and a message: the session cannot seek, `to` is before
 * the data's first event, or the reset or rewind failed (after a failed
 * rewind the replay has ended).
 *
 * runner_step_bars: while paused, n more bars (1 and up): every event up
 * to the end of the n-th one-minute bar of exchange time that has data,
 * counted from the next event; then paused again.
 *
 * runner_first: the time of the data's first event (0 before it is
 * known: read ahead when needed).  runner_seeking: a seek or bar step is
 * under way.
 */
bool		 runner_can_seek(const struct runner *r);
int		 runner_seek(struct runner *r, td_ns to, bool *back,
		     struct errmsg *err);
int		 runner_step_bars(struct runner *r, int n, struct errmsg *err);
td_ns		 runner_first(struct runner *r);
bool		 runner_seeking(const struct runner *r);
/* Change the lowest log level queued (log level command). */
void		 runner_set_log_level(struct runner *r, enum log_level level);
enum log_level	 runner_log_level(const struct runner *r);
/* Log a line as the engine would (from a command, for the journal). */
void		 runner_note(struct runner *r, enum log_level level,
		     const char *component, const char *fmt, ...)
		     __attribute__((format(printf, 4, 5)));

#endif
