/*
 * runner.c -- the engine thread of a live, paper or replay session (see
 * runner.h).
 *
 * The thread owns the engine, the feed and an event loop (loop.h).  The
 * loop watches three descriptors: the command queue's wake pipe (written
 * by runner_submit and runner_stop), the venue's (when it has one) and a
 * live feed's.  Its timers are the pump, armed for when the feed or the
 * engine next has something due, and the tick, armed for when the next
 * snapshot is owed (snapshot_hz times a second), so that an idle engine
 * still publishes (the heartbeat) and the stale-feed guard still hears
 * the clock.  Before the loop sleeps the runner watches the descriptors
 * that changed, arms the pump for what is due next, publishes a snapshot
 * when one is owed (at once after a command or a venue event) and arms
 * the tick.  With a service manager's watchdog (cfg.watchdog) the loop
 * also has its ping timer (sdnotify.h), so a wedged thread stops the pings.
 *
 * The pump.  A replay looks one event ahead: every event due by the
 * simulated time (wall time since the last rebase, times the speed) goes
 * to the engine, and only then engine_advance(simulated time), so that
 * the engine's timers keep their order with the bars (stamped at their
 * end).  Gaps of more than RUNNER_SKIP of exchange time (nights,
 * weekends) are skipped rather than waited out.  A live feed gives the
 * engine what has arrived, then engine_advance(the wall clock in UTC)
 * once it would block.  At most RUNNER_BATCH events go in one turn, so
 * commands and the venue are served between batches at full speed too.
 *
 * The console side and the engine side share two mutexes, each held only
 * to copy a small record in or out: `in` for commands and replay controls,
 * `out` for replies, log lines and the published snapshot.  The engine
 * never waits for the console: a full log queue drops (and counts) lines,
 * debug lines first (logq.h), and the reply queue is as long as the
 * command queue so that it cannot overflow.  A byte on a pipe tells the
 * console there is new output.  A log file sink, when there is one, gets
 * each line too; its own thread writes it (logfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "errmsg.h"
#include "feed.h"
#include "health-obs.h"
#include "logfile.h"
#include "logq.h"
#include "loop.h"
#include "runner.h"
#include "signal-live.h"
#include "signal-sent.h"
#include "sdnotify.h"
#include "snap-obs.h"

#define RUNNER_CMDS	64
#define RUNNER_SKIP	(5 * TD_NS_PER_MIN)
#define RUNNER_BATCH	1024	/* events in one turn of the loop */
#define RUNNER_NEWS	256	/* headlines in one turn of the loop */

struct runner_cmd {
	uint64_t	 id;
	char		 line[RUNNER_LINE_MAX];
};

/* A timer of the loop and when it is armed for (id 0: not armed). */
struct runner_timer {
	uint64_t	 id;
	td_ns		 at;
};

/*
 * A seek under way (runner_seek, runner_step_bars): to a time, or over
 * a number of one-minute bars (bars > 0; bar_end the end of the bar
 * being taken, 0 before its first event).
 */
struct runner_seek {
	bool		 on;
	bool		 back;		/* the account was reset first */
	td_ns		 to;
	int		 bars;
	int		 asked;		/* bars asked for */
	td_ns		 bar_end;
	int64_t		 events;
};

struct runner {
	struct runner_cfg	 cfg;
	struct runner_clock	 clock;
	struct engine		*e;
	struct feed		*feed;
	struct signal_live	*news;		/* NULL: no headlines */
	struct loop		*loop;
	bool			 live;		/* the feed is paced by arrival */
	pthread_t		 thread;
	bool			 started;

	pthread_mutex_t		 in;
	struct runner_cmd	 cmds[RUNNER_CMDS];
	int			 cmd_head;
	int			 ncmd;
	double			 speed;
	bool			 paused;
	int			 steps;
	bool			 stop;
	int			 wake[2];	/* to the loop: commands, stop */

	pthread_mutex_t		 out;
	struct runner_reply	 replies[RUNNER_CMDS];
	int			 rep_head;
	int			 nrep;
	struct logq		*logs;
	struct snapshot		*snap;		/* the published one */
	struct snapshot		*fresh;		/* its successor, resized */
	/* The observers whose parts engine_snapshot adds. */
	struct snap_obs		*view;		/* blotter, sparklines */
	struct health_obs	*health;	/* counters, timings */
	atomic_bool		 done;
	int			 pipe[2];	/* to the console: output */

	/* Engine thread only. */
	struct snapshot		*work;
	struct td_md		 next;
	bool			 have_next;
	bool			 finished;
	bool			 behind;	/* a full batch: more is due */
	struct runner_seek	 seek;
	struct sent_book	 book;		/* the headlines' sentiment */
	struct engine_news	 newsc;
	td_ns			 first;		/* the data's first event */
	int			 resets;	/* fresh accounts so far */
	td_ns			 wall_base;
	td_ns			 sim_base;
	td_ns			 snap_due;
	bool			 urgent;	/* publish before sleeping */
	struct runner_timer	 pump;		/* the feed or the engine */
	struct runner_timer	 tick;		/* the next snapshot owed */
	struct runner_timer	 venue;		/* the venue's own work */
	int			 feed_fd;	/* watched, -1: none */
	int			 venue_fd;
	enum log_level		 log_level;
	uint64_t		 seq;
	char			 env[sizeof ((struct snapshot *)0)->env];

	/* Health: set by runner_start, and at each publish (under out). */
	td_ns			 started_at;	/* monotonic */
	td_ns			 beat;		/* the last publish */
	_Atomic td_ns		 arrived;	/* a live feed's last event */
};

static td_ns
runner_sys_clock(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

static td_ns
runner_sys_mono(void *arg)
{
	(void)arg;
	return runner_sys_clock(CLOCK_MONOTONIC);
}

static td_ns
runner_sys_utc(void *arg)
{
	(void)arg;
	return runner_sys_clock(CLOCK_REALTIME);
}

static td_ns
runner_wall(const struct runner *r)
{
	return r->clock.mono(r->clock.arg);
}

static td_ns
runner_period(const struct runner *r)
{
	return TD_NS_PER_SEC / r->cfg.snapshot_hz;
}

/* A byte on a non-blocking pipe; a full pipe already says as much. */
static void
runner_signal(int fd)
{
	char	 c = 1;

	if (write(fd, &c, 1) == -1 && errno != EAGAIN)
		return;
}

static void
runner_poke(struct runner *r)
{
	runner_signal(r->pipe[1]);
}

static void
runner_drain(int fd)
{
	char	 buf[256];

	while (read(fd, buf, sizeof buf) > 0)
		continue;
}

/* ---------------------------------------------------------------- output */

static void
runner_log_cb(void *arg, const struct log_line *line)
{
	struct runner		*r = arg;
	bool			 queued;

	pthread_mutex_lock(&r->out);
	queued = logq_push(r->logs, line);
	pthread_mutex_unlock(&r->out);
	if (queued)
		runner_poke(r);
	if (r->cfg.logfile != NULL)
		logfile_log(r->cfg.logfile, line);
	if (r->cfg.tap != NULL)
		r->cfg.tap(r->cfg.tap_arg, line);
}

void
runner_note(struct runner *r, enum log_level level, const char *component,
    const char *fmt, ...)
{
	struct log_line	 line;
	char		 msg[400];
	va_list		 ap;

	if (level < r->log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	line.time = engine_now(r->e);
	line.level = level;
	line.component = component;
	line.corr = 0;
	line.msg = msg;
	runner_log_cb(r, &line);
}

void
runner_fill(struct runner *r, struct snapshot *s)
{
	struct logfile_stats	 fs;
	struct logq_drops	 drops;
	td_ns			 now = runner_wall(r), last;

	memcpy(s->env, r->env, sizeof s->env);
	if (r->cfg.logfile != NULL) {
		logfile_stats(r->cfg.logfile, &fs);
		s->dropped_file_logs = fs.dropped.debug + fs.dropped.other;
		s->dropped_file_debug = fs.dropped.debug;
	}
	pthread_mutex_lock(&r->out);
	drops = logq_dropped(r->logs);
	s->log_queue = logq_count(r->logs);
	s->log_capacity = logq_capacity(r->logs);
	pthread_mutex_unlock(&r->out);
	s->dropped_logs = drops.debug + drops.other;
	s->dropped_debug_logs = drops.debug;
	pthread_mutex_lock(&r->in);
	s->cmd_queue = r->ncmd;
	pthread_mutex_unlock(&r->in);
	s->cmd_capacity = RUNNER_CMDS;
	s->uptime = r->started_at != 0 ? now - r->started_at : 0;
	s->feed_live = r->live;
	s->feed_conn = r->feed->ops->conn == NULL ? -1 :
	    (int)feed_conn(r->feed);
	s->feed_heard = feed_heard(r->feed);
	last = atomic_load(&r->arrived);
	if (r->live && last == 0)
		last = r->started_at;
	s->feed_quiet = r->live && last != 0 ? now - last : 0;
}

/*
 * Snapshots with the tables the engine asks for (engine_snapshot_sizes):
 * the work one at once, the one to publish in `fresh`, swapped in by the
 * next publish under `out` so that a reader never waits for memory.  At
 * create, and again only when engine_snapshot finds its tables too small:
 * the engine's instruments, strategies and order capacity stay as they
 * were created (reload leaves them for a restart), so a session sizes
 * its snapshots once.
 */
static int
runner_resize(struct runner *r, struct errmsg *err)
{
	struct snapshot_sizes	 sz;
	struct snapshot		*work, *pub = NULL;

	engine_snapshot_sizes(r->e, &sz);
	if ((work = snapshot_create(&sz, err)) == NULL ||
	    (pub = snapshot_create(&sz, err)) == NULL) {
		snapshot_free(work);
		return -1;
	}
	snapshot_free(r->work);
	r->work = work;
	snapshot_free(r->fresh);
	r->fresh = pub;
	return 0;
}

/* The engine's state in r->work, in tables that hold all of it. */
static void
runner_take(struct runner *r)
{
	struct errmsg	 err;

	snapshot_clear(r->work);
	if (engine_snapshot(r->e, r->work) == 0)
		return;
	if (runner_resize(r, &err) == -1) {
		runner_note(r, LOG_ERROR, "runner", "%s: the console shows "
		    "what fits", err.msg);
		return;
	}
	snapshot_clear(r->work);
	engine_snapshot(r->e, r->work);
}

static void
runner_publish(struct runner *r)
{
	struct snapshot		*s, *old = NULL;

	runner_take(r);
	s = r->work;
	s->seq = ++r->seq;
	s->mode = r->cfg.mode;
	s->speed = runner_speed(r);
	s->paused = runner_paused(r);
	s->finished = r->finished;
	s->seeking = r->seek.on;
	s->resets = r->resets;
	if (!r->live && feed_progress(r->feed, &s->replay_done,
	    &s->replay_total) != 1)
		s->replay_done = s->replay_total = 0;
	runner_fill(r, s);
	pthread_mutex_lock(&r->out);
	if (r->fresh != NULL) {
		old = r->snap;
		r->snap = r->fresh;
		r->fresh = NULL;
	}
	snapshot_copy(r->snap, s);
	r->beat = runner_wall(r);
	pthread_mutex_unlock(&r->out);
	snapshot_free(old);
	runner_poke(r);
	r->snap_due = runner_wall(r) + runner_period(r);
	r->urgent = false;
}

/* ---------------------------------------------------------------- commands */

static void
runner_run_commands(struct runner *r)
{
	struct runner_cmd	 cmd;
	struct runner_reply	*rep;

	for (;;) {
		pthread_mutex_lock(&r->in);
		if (r->ncmd == 0) {
			pthread_mutex_unlock(&r->in);
			return;
		}
		cmd = r->cmds[r->cmd_head];
		r->cmd_head = (r->cmd_head + 1) % RUNNER_CMDS;
		r->ncmd--;
		pthread_mutex_unlock(&r->in);

		/* The reply slot is ours until nrep counts it. */
		pthread_mutex_lock(&r->out);
		rep = &r->replies[(r->rep_head + r->nrep) % RUNNER_CMDS];
		pthread_mutex_unlock(&r->out);
		memset(rep, 0, sizeof *rep);
		rep->id = cmd.id;
		r->cfg.exec(r->cfg.exec_arg, r, r->e, cmd.line, rep);
		pthread_mutex_lock(&r->out);
		r->nrep++;
		pthread_mutex_unlock(&r->out);
		runner_publish(r);
	}
}

/* The wake pipe: commands to run, or the end. */
static void
runner_on_wake(struct loop *l, int fd, int mask, void *arg)
{
	struct runner	*r = arg;
	bool		 stop;

	(void)mask;
	runner_drain(fd);
	pthread_mutex_lock(&r->in);
	stop = r->stop;
	pthread_mutex_unlock(&r->in);
	if (stop) {
		loop_stop(l);
		return;
	}
	runner_run_commands(r);
}

/* The venue has something to say: the engine hears it now. */
static void
runner_on_venue(struct loop *l, int fd, int mask, void *arg)
{
	struct runner	*r = arg;

	(void)l;
	(void)fd;
	(void)mask;
	engine_venue_run(r->e, r->clock.utc(r->clock.arg));
	r->urgent = true;
}

static void
runner_on_venue_due(struct loop *l, uint64_t id, void *arg)
{
	struct runner	*r = arg;

	(void)l;
	(void)id;
	r->venue.id = 0;
	engine_venue_run(r->e, r->clock.utc(r->clock.arg));
	r->urgent = true;
}

/* When the venue's own work is due, on the loop's clock (-1: never). */
static td_ns
runner_venue_due(const struct runner *r)
{
	td_ns	 wake = engine_venue_wake(r->e), utc;

	if (wake == INT64_MAX)
		return -1;
	utc = r->clock.utc(r->clock.arg);
	return runner_wall(r) + (wake > utc ? wake - utc : 0);
}

/* ---------------------------------------------------------------- replay */

/* Take up pacing again from now, at the current simulated time. */
static void
runner_rebase(struct runner *r, td_ns sim)
{
	r->wall_base = runner_wall(r);
	r->sim_base = sim;
}

/* The simulated time at wall time `wall` and speed > 0. */
static td_ns
runner_sim(const struct runner *r, td_ns wall, double speed)
{
	return r->sim_base + (td_ns)((double)(wall - r->wall_base) * speed);
}

/* The wall time at which the simulated time reaches t. */
static td_ns
runner_wall_at(const struct runner *r, td_ns t, double speed)
{
	return r->wall_base + (td_ns)((double)(t - r->sim_base) / speed) + 1;
}

/* A long gap in exchange time before t is skipped, not waited out. */
static bool
runner_gap(const struct runner *r, td_ns t)
{
	td_ns	 now = engine_now(r->e);

	return r->sim_base == 0 || (now != 0 && t - now > RUNNER_SKIP &&
	    t - r->sim_base > RUNNER_SKIP);
}

/* The replay's next event into r->next: 1, or 0 at the end or now. */
static int
runner_fetch(struct runner *r)
{
	struct errmsg	 err;
	int		 rc;

	if (r->have_next || r->finished)
		return r->have_next;
	rc = feed_next(r->feed, &r->next, &err);
	if (rc == 1) {
		r->have_next = true;
		if (r->first == 0)
			r->first = td_md_time(&r->next);
		return 1;
	}
	if (rc == FEED_AGAIN)
		return 0;
	r->finished = true;
	r->urgent = true;
	if (rc == -1)
		runner_note(r, LOG_ERROR, "feed", "%s", err.msg);
	else
		runner_note(r, LOG_WARNING, "feed", "end of data: the replay "
		    "has stopped, open positions stay at the last price");
	return 0;
}

static void
runner_step_engine(struct runner *r, const struct td_md *md)
{
	struct errmsg	 err;

	if (engine_on_market(r->e, md, &err) == -1)
		runner_note(r, LOG_ERROR, "engine", "%s", err.msg);
	if (r->news != NULL && engine_news_due(r->e, &r->book, &r->newsc,
	    &err) == -1)
		runner_note(r, LOG_ERROR, "news", "%s", err.msg);
}

struct runner_pace {
	double		 speed;
	bool		 paused;
	int		 steps;
};

static struct runner_pace
runner_pace(struct runner *r)
{
	struct runner_pace	 p;

	pthread_mutex_lock(&r->in);
	p.speed = r->speed;
	p.paused = r->paused;
	p.steps = r->steps;
	pthread_mutex_unlock(&r->in);
	return p;
}

/* Paused: one event for each step asked. */
static void
runner_replay_step(struct runner *r)
{
	if (runner_fetch(r) == 0)
		return;
	runner_step_engine(r, &r->next);
	r->have_next = false;
	pthread_mutex_lock(&r->in);
	if (r->steps > 0)
		r->steps--;
	pthread_mutex_unlock(&r->in);
	runner_rebase(r, engine_now(r->e));
	r->urgent = true;
}

/* ---------------------------------------------------------------- seek */

/* The end of the one-minute bar an event at t belongs to. */
static td_ns
runner_minute_end(td_ns t)
{
	td_ns	 m = t / TD_NS_PER_MIN * TD_NS_PER_MIN;

	return m < t ? m + TD_NS_PER_MIN : m;
}

/* Whether the seek takes an event stamped t, or stops before it. */
static bool
runner_seek_takes(struct runner *r, td_ns t)
{
	struct runner_seek	*k = &r->seek;
	td_ns			 end;

	if (k->bars == 0)
		return t <= k->to;
	end = runner_minute_end(t);
	if (k->bar_end == 0 || end <= k->bar_end) {
		if (k->bar_end == 0)
			k->bar_end = end;
		return true;
	}
	if (--k->bars == 0)
		return false;
	k->bar_end = end;
	return true;
}

/* The seek is over: paused where it stopped, and said so. */
static void
runner_seek_end(struct runner *r, bool ended)
{
	struct runner_seek	*k = &r->seek;

	k->on = false;
	pthread_mutex_lock(&r->in);
	r->paused = true;
	r->steps = 0;
	pthread_mutex_unlock(&r->in);
	runner_rebase(r, engine_now(r->e));
	r->urgent = true;
	if (ended)
		runner_note(r, LOG_WARNING, "replay", "the data ended before "
		    "the %s, after %lld events: the replay has stopped",
		    k->asked > 0 ? "bars asked for" : "time sought",
		    (long long)k->events);
	else if (k->asked > 0)
		runner_note(r, LOG_INFO, "replay", "%d bar%s on (%lld events), "
		    "paused", k->asked, k->asked == 1 ? "" : "s",
		    (long long)k->events);
	else
		runner_note(r, LOG_INFO, "replay", "there: %lld events run%s, "
		    "paused", (long long)k->events, k->back ?
		    " from the start of the data" : "");
}

/* A batch of the seek at full speed; commands are served between. */
static void
runner_seek_run(struct runner *r)
{
	for (int n = 0; n < RUNNER_BATCH; n++) {
		if (runner_fetch(r) == 0) {
			runner_seek_end(r, true);
			return;
		}
		if (!runner_seek_takes(r, td_md_time(&r->next))) {
			runner_seek_end(r, false);
			return;
		}
		runner_step_engine(r, &r->next);
		r->have_next = false;
		r->seek.events++;
	}
}

/*
 * Every event due by the simulated time, then the engine's timers up to
 * it.  The simulated time is read once, so that no timer can fire ahead
 * of an event it should follow.
 */
static void
runner_replay(struct runner *r)
{
	struct runner_pace	 p = runner_pace(r);
	td_ns			 sim = 0;
	int			 n;

	if (r->seek.on) {
		runner_seek_run(r);
		return;
	}
	if (p.paused) {
		if (p.steps > 0)
			runner_replay_step(r);
		return;
	}
	if (p.speed > 0)
		sim = runner_sim(r, runner_wall(r), p.speed);
	for (n = 0; n < RUNNER_BATCH && runner_fetch(r) == 1; n++) {
		if (p.speed > 0) {
			td_ns	 t = td_md_time(&r->next);

			if (runner_gap(r, t)) {
				runner_rebase(r, t);
				sim = runner_sim(r, runner_wall(r), p.speed);
			}
			if (t > sim)
				break;
		}
		runner_step_engine(r, &r->next);
		r->have_next = false;
	}
	r->behind = n == RUNNER_BATCH;
	if (!r->behind && p.speed > 0 && !r->finished)
		engine_advance(r->e, sim);
}

/* When the replay's pump is next due (wall), or -1 for not. */
static td_ns
runner_replay_due(struct runner *r)
{
	struct runner_pace	 p = runner_pace(r);
	td_ns			 t, timer, now = runner_wall(r);

	if (r->seek.on)
		return now;
	if (r->finished)
		return -1;
	if (p.paused)
		return p.steps > 0 ? now : -1;
	if (r->behind || p.speed <= 0 || runner_fetch(r) == 0)
		return r->finished ? -1 : now;
	t = td_md_time(&r->next);
	if (runner_gap(r, t))
		return now;
	timer = engine_next_timer(r->e);
	if (timer != 0 && timer < t)
		t = timer;
	return runner_wall_at(r, t, p.speed);
}

/* ---------------------------------------------------------------- live */

static td_ns
runner_utc(const struct runner *r)
{
	return r->clock.utc(r->clock.arg);
}

/*
 * What has arrived goes to the engine; once the feed would block, the
 * engine's timers and the stale-feed guard get the wall clock.  A bad row
 * is logged and the feed goes on.
 */
/* What a feed with a link of its own has to say goes to the log. */
static void
runner_feed_notices(struct runner *r)
{
	char	 line[256];
	int	 level;

	while (feed_notice(r->feed, &level, line, sizeof line) == 1)
		runner_note(r, (enum log_level)level, "feed", "%s", line);
}

static void
runner_live(struct runner *r)
{
	struct td_md	 md;
	struct errmsg	 err;
	int		 n, rc = FEED_AGAIN;

	for (n = 0; n < RUNNER_BATCH && !r->finished; n++) {
		rc = feed_next(r->feed, &md, &err);
		if (rc == FEED_AGAIN)
			break;
		if (rc == 1) {
			runner_step_engine(r, &md);
			atomic_store(&r->arrived, runner_wall(r));
		} else if (rc == -1)
			runner_note(r, LOG_ERROR, "feed", "%s", err.msg);
		else {
			r->finished = true;
			r->urgent = true;
			runner_note(r, LOG_WARNING, "feed", "the live feed has "
			    "ended: no source is left to read; open positions "
			    "stay at the last price");
		}
	}
	r->behind = n == RUNNER_BATCH;
	runner_feed_notices(r);
	if (!r->behind)
		engine_advance(r->e, runner_utc(r));
}

/*
 * When the engine's next timer is due on the wall clock, or -1.  The
 * engine takes no time before its own (rows stamped ahead of the wall
 * clock): a timer inside the last bar waits for the clock to reach it.
 */
static td_ns
runner_live_due(struct runner *r)
{
	td_ns	 at = engine_next_timer(r->e), now = runner_wall(r), utc;

	if (r->behind)
		return now;
	if (at == 0)
		return -1;
	if (at < engine_now(r->e))
		at = engine_now(r->e);
	utc = runner_utc(r);
	return at <= utc ? now : now + (at - utc);
}

static void
runner_on_feed(struct loop *l, int fd, int mask, void *arg)
{
	(void)l;
	(void)fd;
	(void)mask;
	runner_live(arg);
}

/* ---------------------------------------------------------------- news */

/* A headline to the engine at its clock, and a line in the log. */
static void
runner_headline(struct runner *r, const struct news_item *it)
{
	struct errmsg	 err;
	char		 score[16], syms[NEWS_MAX_SYMBOLS * TD_SYMBOL_MAX];
	td_ns		 t = engine_now(r->e), utc;
	size_t		 used = 0;

	if (r->live && (utc = runner_utc(r)) > t)
		t = utc;
	syms[0] = '\0';
	for (int k = 0; k < it->nsymbols && used < sizeof syms; k++)
		used += (size_t)snprintf(syms + used, sizeof syms - used,
		    "%s%s", k > 0 ? " " : "", it->symbols[k]);
	runner_note(r, LOG_INFO, "news", "headline %s (%s): %s",
	    sent_format(sent_score(it->text, NULL), 4, score, sizeof score),
	    it->nsymbols > 0 ? syms : "the market", it->text);
	if (engine_on_headline(r->e, &r->book, it, t, &r->newsc, &err) == -1)
		runner_note(r, LOG_ERROR, "news", "%s", err.msg);
}

/*
 * The headlines that have arrived, at most RUNNER_NEWS a turn; what the
 * input says besides goes to the log.  Until the engine's first market
 * event they wait where they are (the file, the socket).
 */
static void
runner_news(struct runner *r)
{
	struct news_item	 it;
	struct errmsg		 err;
	int			 rc = 1;

	if (r->news == NULL || !engine_started(r->e))
		return;
	for (int n = 0; n < RUNNER_NEWS && rc != 0; n++) {
		rc = signal_live_next(r->news, runner_wall(r), &it, &err);
		if (rc == 1) {
			runner_headline(r, &it);
			r->urgent = true;
		} else if (rc == -1)
			runner_note(r, LOG_ERROR, "news", "%s", err.msg);
		else if (rc == SIGNAL_LIVE_NOTE)
			runner_note(r, LOG_INFO, "news", "%s", err.msg);
	}
}

/* ---------------------------------------------------------------- the loop */

static void
runner_pump(struct runner *r)
{
	if (r->live)
		runner_live(r);
	else
		runner_replay(r);
}

static void
runner_on_pump(struct loop *l, uint64_t id, void *arg)
{
	struct runner	*r = arg;

	(void)l;
	(void)id;
	r->pump.id = 0;
	runner_pump(r);
}

/*
 * A snapshot is owed: it is published before the loop sleeps again.  The
 * pump runs first, so that an idle engine hears the clock (the stale-feed
 * guard) as often as the console hears from it.
 */
static void
runner_on_tick(struct loop *l, uint64_t id, void *arg)
{
	struct runner	*r = arg;

	(void)l;
	(void)id;
	r->tick.id = 0;
	runner_pump(r);
	runner_news(r);
}

/* Keep fd watched by fn (-1: none) in *slot. */
static void
runner_watch(struct runner *r, int *slot, int fd, loop_file_fn fn)
{
	struct errmsg	 err;

	if (*slot == fd)
		return;
	if (*slot != -1)
		loop_del_file(r->loop, *slot, LOOP_READ);
	*slot = -1;
	if (fd == -1)
		return;
	if (loop_add_file(r->loop, fd, LOOP_READ, fn, r, &err) == -1)
		runner_note(r, LOG_ERROR, "runner", "%s", err.msg);
	else
		*slot = fd;
}

/* Arm t for `when` (-1: disarm), unless it already is. */
static void
runner_arm(struct runner *r, struct runner_timer *t, td_ns when,
    loop_timer_fn fn)
{
	struct errmsg	 err;

	if (t->id != 0 && t->at == when)
		return;
	if (t->id != 0)
		loop_del_timer(r->loop, t->id);
	t->id = 0;
	if (when == -1)
		return;
	if ((t->id = loop_add_timer(r->loop, when, fn, r, &err)) == 0)
		runner_note(r, LOG_ERROR, "runner", "%s", err.msg);
	t->at = when;
}

/*
 * Before the loop sleeps: watch the descriptors of now, arm the pump for
 * what is due next, publish when a snapshot is owed.
 */
static void
runner_before_sleep(struct loop *l, void *arg)
{
	struct runner	*r = arg;

	runner_watch(r, &r->venue_fd, engine_venue_fd(r->e), runner_on_venue);
	runner_watch(r, &r->feed_fd, r->live && !r->finished ?
	    feed_fd(r->feed) : -1, runner_on_feed);
	runner_arm(r, &r->pump, r->live ? runner_live_due(r) :
	    runner_replay_due(r), runner_on_pump);
	if (r->urgent || loop_now(l) >= r->snap_due)
		runner_publish(r);
	runner_arm(r, &r->tick, r->snap_due, runner_on_tick);
	runner_arm(r, &r->venue, runner_venue_due(r), runner_on_venue_due);
}

static void *
runner_main(void *arg)
{
	struct runner	*r = arg;
	struct errmsg	 err;

	r->snap_due = 0;
	runner_publish(r);
	if (r->cfg.watchdog != NULL && sdn_watch(r->cfg.watchdog, r->loop,
	    runner_log_cb, r, &err) == -1)
		runner_note(r, LOG_CRITICAL, "runner", "watchdog: %s", err.msg);
	if (loop_add_file(r->loop, r->wake[0], LOOP_READ, runner_on_wake, r,
	    &err) == -1 || loop_run(r->loop, &err) == -1)
		runner_note(r, LOG_CRITICAL, "runner", "the engine thread "
		    "stops: %s", err.msg);
	if (r->cfg.watchdog != NULL)
		sdn_unwatch(r->cfg.watchdog);
	runner_publish(r);
	atomic_store(&r->done, true);
	runner_poke(r);
	return NULL;
}

/* ---------------------------------------------------------------- API */

/*
 * The observers the snapshots need, new, on e: 0, or -1 and a message
 * with none left on e.
 */
static int
runner_observe(struct engine *e, struct snap_obs **view,
    struct health_obs **health, struct errmsg *err)
{
	*health = NULL;
	if ((*view = snap_obs_create(engine_ninst(e), SNAP_OBS_BLOTTER,
	    err)) == NULL ||
	    (*health = health_obs_create(err)) == NULL ||
	    engine_observer_add(e, &SNAP_OBS_OBSERVER(*view), err) == -1 ||
	    engine_observer_add(e, &HEALTH_OBS_OBSERVER(*health),
	    err) == -1) {
		engine_observer_remove(e, snap_obs_observe, *view);
		snap_obs_free(*view);
		health_obs_free(*health);
		*view = NULL;
		*health = NULL;
		return -1;
	}
	return 0;
}

static int
runner_pipe(int fds[2], struct errmsg *err)
{
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == -1) {
		fds[0] = fds[1] = -1;
		return errmsg_set(err, "runner: pipe: %s", strerror(errno));
	}
	return 0;
}

struct runner *
runner_create(const struct runner_cfg *cfg, struct engine *e,
    struct feed *feed, struct errmsg *err)
{
	static const struct runner_clock sys = {
		.mono = runner_sys_mono,
		.utc = runner_sys_utc,
	};
	struct runner		*r;

	if ((r = calloc(1, sizeof *r)) == NULL) {
		signal_live_free(cfg->news);
		errmsg_set(err, "runner: out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	r->news = cfg->news;
	r->cfg.news = NULL;	/* the runner's now */
	r->clock = cfg->clock != NULL ? *cfg->clock : sys;
	if (r->clock.mono == NULL)
		r->clock.mono = sys.mono;
	if (r->clock.utc == NULL)
		r->clock.utc = sys.utc;
	r->cfg.clock = NULL;	/* the caller's; copied */
	if (r->cfg.snapshot_hz <= 0)
		r->cfg.snapshot_hz = 30;
	if (r->cfg.log_queue <= 0)
		r->cfg.log_queue = 4096;
	if (r->cfg.env != NULL)
		snprintf(r->env, sizeof r->env, "%s", r->cfg.env);
	r->cfg.env = NULL;	/* the caller's; copied */
	r->pipe[0] = r->pipe[1] = r->wake[0] = r->wake[1] = -1;
	r->feed_fd = r->venue_fd = -1;
	pthread_mutex_init(&r->in, NULL);
	pthread_mutex_init(&r->out, NULL);
	if ((r->logs = logq_create(r->cfg.log_queue, err)) == NULL ||
	    (r->loop = loop_create(err)) == NULL)
		goto fail;
	if ((r->snap = snapshot_create(NULL, err)) == NULL)
		goto fail;
	if (runner_pipe(r->pipe, err) == -1 || runner_pipe(r->wake, err) == -1)
		goto fail;
	loop_set_clock(r->loop, r->clock.mono, r->clock.arg);
	loop_set_before_sleep(r->loop, runner_before_sleep, r);
	r->speed = cfg->speed;
	r->paused = cfg->paused;
	r->log_level = cfg->log_level;
	if (runner_observe(e, &r->view, &r->health, err) == -1) {
		runner_free(r);
		return NULL;
	}
	r->e = e;
	/* Sized with the observers there: the blotter is theirs. */
	if (runner_resize(r, err) == -1) {
		engine_observer_remove(e, snap_obs_observe, r->view);
		engine_observer_remove(e, health_obs_observe, r->health);
		r->e = NULL;
		runner_free(r);
		return NULL;
	}
	r->feed = feed;
	r->live = feed_live(feed);
	sent_book_init(&r->book, engine_ninst(e), cfg->news_half_life);
	engine_set_log(e, runner_log_cb, r, cfg->log_level);
	return r;

fail:
	runner_free(r);
	return NULL;
}

int
runner_start(struct runner *r, struct errmsg *err)
{
	int	 rc;

	runner_rebase(r, 0);
	r->started_at = runner_wall(r);
	if ((rc = pthread_create(&r->thread, NULL, runner_main, r)) != 0)
		return errmsg_set(err, "runner: thread: %s", strerror(rc));
	r->started = true;
	return 0;
}

td_ns
runner_heartbeat(struct runner *r)
{
	td_ns	 beat;

	if (r->started_at == 0 || runner_done(r))
		return -1;
	pthread_mutex_lock(&r->out);
	beat = r->beat;
	pthread_mutex_unlock(&r->out);
	return beat == 0 ? runner_wall(r) - r->started_at :
	    runner_wall(r) - beat;
}

void
runner_log_line(void *arg, const struct log_line *line)
{
	runner_log_cb(arg, line);
}

void
runner_stop(struct runner *r)
{
	if (r == NULL || !r->started)
		return;
	pthread_mutex_lock(&r->in);
	r->stop = true;
	pthread_mutex_unlock(&r->in);
	runner_signal(r->wake[1]);
	pthread_join(r->thread, NULL);
	r->started = false;
}

void
runner_free(struct runner *r)
{
	if (r == NULL)
		return;
	runner_stop(r);
	engine_free(r->e);
	snap_obs_free(r->view);
	health_obs_free(r->health);
	feed_free(r->feed);
	signal_live_free(r->news);
	for (int i = 0; i < 2; i++) {
		if (r->pipe[i] != -1)
			close(r->pipe[i]);
		if (r->wake[i] != -1)
			close(r->wake[i]);
	}
	pthread_mutex_destroy(&r->in);
	pthread_mutex_destroy(&r->out);
	loop_free(r->loop);
	logq_free(r->logs);
	snapshot_free(r->snap);
	snapshot_free(r->fresh);
	snapshot_free(r->work);
	free(r);
}

int
runner_submit(struct runner *r, uint64_t id, const char *line)
{
	struct runner_cmd	*c;
	int			 unread;

	pthread_mutex_lock(&r->in);
	pthread_mutex_lock(&r->out);
	unread = r->nrep;
	pthread_mutex_unlock(&r->out);
	/* Every command queued must have a reply slot waiting for it. */
	if (r->ncmd + unread >= RUNNER_CMDS) {
		pthread_mutex_unlock(&r->in);
		return -1;
	}
	c = &r->cmds[(r->cmd_head + r->ncmd++) % RUNNER_CMDS];
	c->id = id;
	snprintf(c->line, sizeof c->line, "%s", line);
	pthread_mutex_unlock(&r->in);
	runner_signal(r->wake[1]);
	return 0;
}

int
runner_reply(struct runner *r, struct runner_reply *out)
{
	pthread_mutex_lock(&r->out);
	if (r->nrep == 0) {
		pthread_mutex_unlock(&r->out);
		return 0;
	}
	*out = r->replies[r->rep_head];
	r->rep_head = (r->rep_head + 1) % RUNNER_CMDS;
	r->nrep--;
	pthread_mutex_unlock(&r->out);
	return 1;
}

int
runner_log(struct runner *r, struct runner_log *out)
{
	struct logq_rec	 rec;
	int		 got;

	pthread_mutex_lock(&r->out);
	got = logq_pop(r->logs, &rec);
	pthread_mutex_unlock(&r->out);
	if (got == 0)
		return 0;
	out->time = rec.time;
	out->level = rec.level;
	out->corr = rec.corr;
	snprintf(out->component, sizeof out->component, "%s", rec.component);
	snprintf(out->msg, sizeof out->msg, "%s", rec.msg);
	return 1;
}

int
runner_snapshot(struct runner *r, struct snapshot *out)
{
	struct snapshot_sizes	 sz;
	int			 rc;

	for (;;) {
		pthread_mutex_lock(&r->out);
		if (r->snap->seq <= out->seq)
			rc = 0;
		else if (snapshot_copy(out, r->snap) == 0)
			rc = 1;
		else {
			sz = r->snap->cap;
			rc = -1;
		}
		pthread_mutex_unlock(&r->out);
		/* Too small: larger tables, taken outside the lock. */
		if (rc != -1 || snapshot_resize(out, &sz, NULL) == -1)
			return rc;
	}
}

int
runner_fd(const struct runner *r)
{
	return r->pipe[0];
}

void
runner_ack(struct runner *r)
{
	runner_drain(r->pipe[0]);
}

bool
runner_done(const struct runner *r)
{
	return atomic_load(&((struct runner *)r)->done);
}

/* Replay controls: called on the engine thread by commands. */

static void
runner_control(struct runner *r, double speed, int paused, int steps)
{
	pthread_mutex_lock(&r->in);
	if (speed >= 0)
		r->speed = speed;
	if (paused >= 0)
		r->paused = paused;
	r->steps += steps;
	pthread_mutex_unlock(&r->in);
	runner_rebase(r, engine_now(r->e));
}

void
runner_set_speed(struct runner *r, double speed)
{
	runner_control(r, speed < 0 ? 0 : speed, -1, 0);
}

double
runner_speed(const struct runner *r)
{
	double	 s;

	pthread_mutex_lock((pthread_mutex_t *)&r->in);
	s = r->speed;
	pthread_mutex_unlock((pthread_mutex_t *)&r->in);
	return s;
}

void
runner_pause(struct runner *r, bool paused)
{
	runner_control(r, -1, paused, 0);
}

bool
runner_paused(const struct runner *r)
{
	bool	 p;

	pthread_mutex_lock((pthread_mutex_t *)&r->in);
	p = r->paused;
	pthread_mutex_unlock((pthread_mutex_t *)&r->in);
	return p;
}

void
runner_step(struct runner *r)
{
	runner_control(r, -1, -1, 1);
}

void
runner_set_log_level(struct runner *r, enum log_level level)
{
	r->log_level = level;
	engine_set_log(r->e, runner_log_cb, r, level);
}

enum log_level
runner_log_level(const struct runner *r)
{
	return r->log_level;
}

/* ---------------------------------------------------------------- seek API */

bool
runner_can_seek(const struct runner *r)
{
	return r->cfg.reset != NULL && !r->live && feed_can_rewind(r->feed);
}

bool
runner_seeking(const struct runner *r)
{
	return r->seek.on;
}

td_ns
runner_first(struct runner *r)
{
	if (r->first == 0 && !r->live)
		runner_fetch(r);
	return r->first;
}

/*
 * A fresh account: the new engine with the console's observers, the
 * feed at its start; the old engine goes with its venue.  On a failed
 * rewind the replay has ended (the old engine stays, with what it had).
 */
static int
runner_reset(struct runner *r, struct errmsg *err)
{
	struct engine		*e;
	struct snap_obs		*view;
	struct health_obs	*health;

	if ((e = r->cfg.reset(r->cfg.reset_arg, err)) == NULL)
		return -1;
	if (runner_observe(e, &view, &health, err) == -1) {
		engine_free(e);
		return -1;
	}
	if (feed_rewind(r->feed, err) == -1) {
		engine_free(e);
		snap_obs_free(view);
		health_obs_free(health);
		r->have_next = false;
		r->finished = true;
		r->urgent = true;
		return -1;
	}
	engine_free(r->e);
	snap_obs_free(r->view);
	health_obs_free(r->health);
	r->e = e;
	r->view = view;
	r->health = health;
	engine_set_log(e, runner_log_cb, r, r->log_level);
	r->have_next = r->finished = r->behind = false;
	/* A fresh account hears only the headlines that come after. */
	sent_book_init(&r->book, engine_ninst(e), r->cfg.news_half_life);
	r->resets++;
	runner_rebase(r, 0);
	r->urgent = true;
	return 0;
}

int
runner_seek(struct runner *r, td_ns to, bool *back, struct errmsg *err)
{
	td_ns	 first;

	*back = false;
	if (!runner_can_seek(r))
		return errmsg_set(err, "only a replay on a simulated account "
		    "can seek");
	first = runner_first(r);
	if (first == 0)
		return errmsg_set(err, "the data has no event to seek to");
	if (to < first)
		return errmsg_set(err, "before the data's first event");
	if (to < engine_now(r->e)) {
		if (runner_reset(r, err) == -1)
			return -1;
		*back = true;
	}
	r->seek = (struct runner_seek){ .on = true, .to = to, .back = *back };
	r->urgent = true;
	return 0;
}

int
runner_step_bars(struct runner *r, int n, struct errmsg *err)
{
	if (r->live)
		return errmsg_set(err, "a live feed has no bars to step to");
	if (n < 1)
		return errmsg_set(err, "%d bars: at least 1", n);
	r->seek = (struct runner_seek){ .on = true, .bars = n, .asked = n };
	r->urgent = true;
	return 0;
}
