/*
 * runner.c -- the engine thread of a live, paper or replay session (see
 * runner.h).
 *
 * The thread owns the engine and the feed.  It looks one event ahead and
 * waits until that event is due at the replay speed, waking early for
 * commands; while it waits it gives the engine the simulated time so that
 * the stale-feed guard can work.  Gaps of more than RUNNER_SKIP of exchange
 * time (nights, weekends) are skipped rather than waited out.
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
#include "runner.h"
#include "snap-obs.h"

#define RUNNER_CMDS	64
#define RUNNER_SKIP	(5 * TD_NS_PER_MIN)
#define RUNNER_BATCH	1024	/* events between checks at full speed */

struct runner_cmd {
	uint64_t	 id;
	char		 line[RUNNER_LINE_MAX];
};

struct runner {
	struct runner_cfg	 cfg;
	struct engine		*e;
	struct feed		*feed;
	pthread_t		 thread;
	bool			 started;

	pthread_mutex_t		 in;
	pthread_cond_t		 wake;
	struct runner_cmd	 cmds[RUNNER_CMDS];
	int			 cmd_head;
	int			 ncmd;
	atomic_int		 pending;	/* commands or control changes */
	double			 speed;
	bool			 paused;
	int			 steps;
	bool			 stop;

	pthread_mutex_t		 out;
	struct runner_reply	 replies[RUNNER_CMDS];
	int			 rep_head;
	int			 nrep;
	struct logq		*logs;
	struct snapshot		*snap;		/* the published one */
	/* The observers whose parts engine_snapshot adds. */
	struct snap_obs		*view;		/* blotter, sparklines */
	struct health_obs	*health;	/* counters, timings */
	atomic_bool		 done;
	int			 pipe[2];

	/* Engine thread only. */
	struct snapshot		*work;
	struct td_md		 next;
	bool			 have_next;
	bool			 finished;
	td_ns			 wall_base;
	td_ns			 sim_base;
	td_ns			 snap_due;
	enum log_level		 log_level;
	uint64_t		 seq;
	char			 env[sizeof ((struct snapshot *)0)->env];

	/* Health: set by runner_start, and at each publish (under out). */
	td_ns			 started_at;	/* monotonic */
	td_ns			 beat;		/* the last publish */
};

static td_ns
runner_wall(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

static void
runner_poke(struct runner *r)
{
	char	 c = 1;

	/* A full pipe already says there is output. */
	if (write(r->pipe[1], &c, 1) == -1 && errno != EAGAIN)
		return;
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
	s->uptime = r->started_at != 0 ? runner_wall() - r->started_at : 0;
}

static void
runner_publish(struct runner *r)
{
	struct snapshot		*s = r->work;

	memset(s, 0, sizeof *s);
	engine_snapshot(r->e, s);
	s->seq = ++r->seq;
	s->mode = r->cfg.mode;
	s->speed = runner_speed(r);
	s->paused = runner_paused(r);
	s->finished = r->finished;
	runner_fill(r, s);
	pthread_mutex_lock(&r->out);
	*r->snap = *s;
	r->beat = runner_wall();
	pthread_mutex_unlock(&r->out);
	runner_poke(r);
	r->snap_due = runner_wall() + TD_NS_PER_SEC / r->cfg.snapshot_hz;
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
			atomic_store(&r->pending, 0);
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

/* ---------------------------------------------------------------- pacing */

/* Wait until `until` (wall), a command, or a control change. */
static void
runner_wait(struct runner *r, td_ns until)
{
	struct timespec	 ts;

	if (until > r->snap_due)
		until = r->snap_due;
	/* The condition waits on the monotonic clock, like runner_wall. */
	if (until < 0)
		until = 0;
	ts.tv_sec = until / TD_NS_PER_SEC;
	ts.tv_nsec = until % TD_NS_PER_SEC;
	pthread_mutex_lock(&r->in);
	if (atomic_load(&r->pending) == 0 && !r->stop)
		pthread_cond_timedwait(&r->wake, &r->in, &ts);
	pthread_mutex_unlock(&r->in);
}

/* Take up pacing again from now, at the current simulated time. */
static void
runner_rebase(struct runner *r, td_ns sim)
{
	r->wall_base = runner_wall();
	r->sim_base = sim;
}

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
		return 1;
	}
	r->finished = true;
	if (rc == -1)
		runner_note(r, LOG_ERROR, "feed", "%s", err.msg);
	else
		runner_note(r, LOG_WARNING, "feed", "end of data: the replay "
		    "has stopped, open positions stay at the last price");
	runner_publish(r);
	return 0;
}

/*
 * 1 when the next event is due now; 0 after waiting a while (the caller
 * loops).  Long gaps in exchange time are skipped.
 */
static int
runner_due(struct runner *r, double speed)
{
	td_ns	 t = td_md_time(&r->next), now = engine_now(r->e), wall, sim;

	if (speed <= 0)
		return 1;
	if (r->sim_base == 0 || (now != 0 && t - now > RUNNER_SKIP &&
	    t - r->sim_base > RUNNER_SKIP))
		runner_rebase(r, t);
	wall = runner_wall();
	sim = r->sim_base + (td_ns)((double)(wall - r->wall_base) * speed);
	if (sim >= t)
		return 1;
	engine_advance(r->e, sim);
	runner_wait(r, wall + (td_ns)((double)(t - sim) / speed) + 1);
	return 0;
}

static void
runner_step_engine(struct runner *r)
{
	struct errmsg	 err;

	if (engine_on_market(r->e, &r->next, &err) == -1)
		runner_note(r, LOG_ERROR, "engine", "%s", err.msg);
	r->have_next = false;
}

static void *
runner_main(void *arg)
{
	struct runner	*r = arg;
	unsigned	 batch = 0;
	double		 speed;
	bool		 paused;
	int		 steps;

	r->snap_due = 0;
	runner_publish(r);
	for (;;) {
		if (atomic_load(&r->pending) != 0 || ++batch % RUNNER_BATCH ==
		    0)
			runner_run_commands(r);
		pthread_mutex_lock(&r->in);
		speed = r->speed;
		paused = r->paused;
		steps = r->steps;
		if (r->stop) {
			pthread_mutex_unlock(&r->in);
			break;
		}
		pthread_mutex_unlock(&r->in);
		if (runner_wall() >= r->snap_due)
			runner_publish(r);
		if (runner_fetch(r) == 0 || (paused && steps == 0)) {
			runner_wait(r, r->snap_due);
			continue;
		}
		if (!paused && runner_due(r, speed) == 0)
			continue;
		runner_step_engine(r);
		if (paused) {
			pthread_mutex_lock(&r->in);
			if (r->steps > 0)
				r->steps--;
			pthread_mutex_unlock(&r->in);
			runner_rebase(r, engine_now(r->e));
			runner_publish(r);
		}
	}
	runner_publish(r);
	atomic_store(&r->done, true);
	runner_poke(r);
	return NULL;
}

/* ---------------------------------------------------------------- API */

struct runner *
runner_create(const struct runner_cfg *cfg, struct engine *e,
    struct feed *feed, struct errmsg *err)
{
	struct runner		*r;
	pthread_condattr_t	 ca;

	if ((r = calloc(1, sizeof *r)) == NULL)
		goto nomem;
	r->cfg = *cfg;
	if (r->cfg.snapshot_hz <= 0)
		r->cfg.snapshot_hz = 30;
	if (r->cfg.log_queue <= 0)
		r->cfg.log_queue = 4096;
	if (r->cfg.env != NULL)
		snprintf(r->env, sizeof r->env, "%s", r->cfg.env);
	r->cfg.env = NULL;	/* the caller's; copied */
	r->pipe[0] = r->pipe[1] = -1;
	if ((r->logs = logq_create(r->cfg.log_queue, err)) == NULL) {
		free(r);
		return NULL;
	}
	if ((r->snap = calloc(1, sizeof *r->snap)) == NULL ||
	    (r->work = calloc(1, sizeof *r->work)) == NULL)
		goto nomem;
	if (pipe(r->pipe) == -1 ||
	    fcntl(r->pipe[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(r->pipe[1], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(r->pipe[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(r->pipe[1], F_SETFD, FD_CLOEXEC) == -1) {
		errmsg_set(err, "runner: pipe: %s", strerror(errno));
		runner_free(r);
		return NULL;
	}
	pthread_mutex_init(&r->in, NULL);
	pthread_mutex_init(&r->out, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &ca);
	pthread_condattr_destroy(&ca);
	r->speed = cfg->speed;
	r->paused = cfg->paused;
	r->log_level = cfg->log_level;
	if ((r->view = snap_obs_create(engine_ninst(e), err)) == NULL ||
	    (r->health = health_obs_create(err)) == NULL ||
	    engine_observer_add(e, &SNAP_OBS_OBSERVER(r->view), err) == -1 ||
	    engine_observer_add(e, &HEALTH_OBS_OBSERVER(r->health),
	    err) == -1) {
		engine_observer_remove(e, snap_obs_observe, r->view);
		runner_free(r);
		return NULL;
	}
	r->e = e;
	r->feed = feed;
	engine_set_log(e, runner_log_cb, r, cfg->log_level);
	return r;

nomem:
	errmsg_set(err, "runner: out of memory");
	if (r != NULL) {
		logq_free(r->logs);
		free(r->snap);
		free(r->work);
		free(r);
	}
	return NULL;
}

int
runner_start(struct runner *r, struct errmsg *err)
{
	int	 rc;

	runner_rebase(r, 0);
	r->started_at = runner_wall();
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
	return beat == 0 ? runner_wall() - r->started_at : runner_wall() - beat;
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
	atomic_store(&r->pending, 1);
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->in);
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
	if (r->pipe[0] != -1) {
		close(r->pipe[0]);
		close(r->pipe[1]);
		pthread_mutex_destroy(&r->in);
		pthread_mutex_destroy(&r->out);
		pthread_cond_destroy(&r->wake);
	}
	logq_free(r->logs);
	free(r->snap);
	free(r->work);
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
	atomic_store(&r->pending, 1);
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->in);
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
	int	 copied = 0;

	pthread_mutex_lock(&r->out);
	if (r->snap->seq > out->seq) {
		*out = *r->snap;
		copied = 1;
	}
	pthread_mutex_unlock(&r->out);
	return copied;
}

int
runner_fd(const struct runner *r)
{
	return r->pipe[0];
}

void
runner_ack(struct runner *r)
{
	char	 buf[256];

	while (read(r->pipe[0], buf, sizeof buf) > 0)
		continue;
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
