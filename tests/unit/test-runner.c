/*
 * test-runner.c -- the engine thread: commands in, replies, log lines and
 * snapshots out; a console that never reads cannot stop the engine; pause
 * and step; stop joins the thread.  On a live feed: a feed that never
 * delivers does not delay kill!, flatten or status; the session close
 * fires on the clock with no market data after it, and its exit fills at
 * the next price; a venue event arriving between two market events is
 * taken, journaled and shown at once.  Live sessions run on a clock the
 * test moves by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "engine.h"
#include "errmsg.h"
#include "feed-demo.h"
#include "feed-pipe.h"
#include "feed.h"
#include "runner.h"
#include "signal-live.h"
#include "snapshot.h"

#include "fixture.h"

/*
 * The command function: answers with the line and the engine's events
 * (counted by the observer the runner added to the engine).
 */
static void
echo_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	struct snapshot	*s = snapshot_create(NULL, NULL);

	assert_non_null(s);
	if (strcmp(line, "pause") == 0)
		runner_pause(r, true);
	else if (strcmp(line, "step") == 0)
		runner_step(r);
	fixture_snapshot(e, s);
	snprintf(reply->text, sizeof reply->text, "%s %lld", line,
	    (long long)s->events);
	snapshot_free(s);
}

static struct runner *
make_runner(double speed, bool paused, int log_queue, int days)
{
	struct demo_cfg		 dc = { .seed = 3, .days = days };
	struct runner_cfg	 rc = {
		.speed = speed,
		.paused = paused,
		.mode = SNAP_PAPER,
		.exec = echo_exec,
		.log_queue = log_queue,
		.log_level = LOG_DEBUG,
	};
	struct errmsg		 err;
	struct feed		*f = feed_demo_create(&dc, &err);
	struct feed_sub		 sub;
	struct runner		*r;

	assert_non_null(f);
	/* The demo says what it delivers: ES trade ticks, a replay. */
	assert_int_equal(feed_subs(f, &sub, 1), 1);
	assert_int_equal(sub.inst, 0);
	assert_int_equal(sub.data, FEED_TICKS);
	assert_false(feed_live(f));
	r = runner_create(&rc, fixture_orb_engine(false, 0), f, &err);
	assert_non_null(r);
	assert_int_equal(runner_start(r, &err), 0);
	return r;
}

/* Wait for the reply to id, up to 10 s. */
static void
wait_reply(struct runner *r, uint64_t id, struct runner_reply *rep)
{
	struct pollfd	 pfd = { .fd = runner_fd(r), .events = POLLIN };

	for (int i = 0; i < 1000; i++) {
		runner_ack(r);
		while (runner_reply(r, rep) == 1) {
			if (rep->id == id)
				return;
		}
		poll(&pfd, 1, 10);
	}
	fail_msg("no reply to command %llu", (unsigned long long)id);
}

/* ------------------------------------------------ live sessions */

/*
 * The exchange's clock of a live session, moved by the test; the
 * runner's waits stay on the system's monotonic clock.
 */
struct fake_clock {
	_Atomic td_ns	 now;
};

static td_ns
fake_now(void *arg)
{
	return atomic_load(&((struct fake_clock *)arg)->now);
}

static void
fake_set(struct fake_clock *c, td_ns t)
{
	atomic_store(&c->now, t);
}

/*
 * A live feed of the events the test writes into a pipe, one struct
 * td_md at a time (less than PIPE_BUF: never split).
 */
struct tfeed {
	struct feed	 feed;
	int		 p[2];
};

static int
tfeed_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct tfeed	*t = ctx;

	(void)err;
	return read(t->p[0], md, sizeof *md) == (ssize_t)sizeof *md ? 1 :
	    FEED_AGAIN;
}

static int
tfeed_fd(void *ctx)
{
	return ((struct tfeed *)ctx)->p[0];
}

static bool
tfeed_live(void *ctx)
{
	(void)ctx;
	return true;
}

static void
tfeed_destroy(void *ctx)
{
	struct tfeed	*t = ctx;

	close(t->p[0]);
	close(t->p[1]);
	free(t);
}

static const struct feed_ops tfeed_ops = {
	.name = "test",
	.next = tfeed_next,
	.fd = tfeed_fd,
	.live = tfeed_live,
	.destroy = tfeed_destroy,
};

static struct feed *
tfeed_create(int *wfd)
{
	struct tfeed	*t = calloc(1, sizeof *t);

	assert_non_null(t);
	assert_int_equal(pipe(t->p), 0);
	assert_int_equal(fcntl(t->p[0], F_SETFL, O_NONBLOCK), 0);
	t->feed.ops = &tfeed_ops;
	t->feed.ctx = t;
	*wfd = t->p[1];
	return &t->feed;
}

static void
push(int wfd, const struct td_md *md)
{
	assert_int_equal(write(wfd, md, sizeof *md), (ssize_t)sizeof *md);
}

/* What the engine's observer (the journal's seat) was told. */
#define SEEN_MAX	256

struct seen_ev {
	enum engine_ev_kind	 kind;
	td_ns			 time;
	int			 from;
	enum td_side		 side;
	enum order_type		 type;
	enum order_role		 role;
	td_ticks		 price;
};

struct seen {
	pthread_mutex_t		 mu;
	int			 n;
	struct seen_ev		 ev[SEEN_MAX];
};

static int
seen_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct seen	*s = arg;
	struct seen_ev	*e;

	(void)err;
	pthread_mutex_lock(&s->mu);
	if (s->n < SEEN_MAX) {
		e = &s->ev[s->n++];
		memset(e, 0, sizeof *e);
		e->kind = ev->kind;
		e->time = ev->time;
		e->from = ev->from;
		e->price = ev->price;
		if (ev->order != NULL) {
			e->side = ev->order->side;
			e->type = ev->order->type;
			e->role = ev->order->role;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* The first event of kind (a new order when from is -1) at or after i. */
static int
seen_find(struct seen *s, enum engine_ev_kind kind, int i,
    struct seen_ev *out)
{
	int	 found = -1;

	pthread_mutex_lock(&s->mu);
	for (; i < s->n && found == -1; i++) {
		if (s->ev[i].kind == kind && (kind != EEV_ORDER ||
		    s->ev[i].from == -1)) {
			*out = s->ev[i];
			found = i;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return found;
}

/* The desk's stop commands, and a manual buy, on the engine thread. */
static void
stop_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
	    .type = ORD_MARKET, .qty = 1, .tif = TIF_GTC };
	struct manual_order	 lim = { .inst = ES, .side = TD_BUY,
	    .type = ORD_LIMIT, .qty = 1, .price = P(4999), .tif = TIF_DAY };
	struct errmsg		 err;
	uint64_t		 id;

	(void)arg;
	(void)r;
	if (strcmp(line, "kill!") == 0)
		engine_kill(e, "test");
	else if (strcmp(line, "flatten") == 0)
		engine_flatten(e, td_inst_all(), "test");
	else if ((strcmp(line, "buy") == 0 &&
	    engine_manual_order(e, &m, &id, &err) == -1) ||
	    (strcmp(line, "buy day limit") == 0 &&
	    engine_manual_order(e, &lim, &id, &err) == -1)) {
		reply->status = 1;
		snprintf(reply->text, sizeof reply->text, "%s", err.msg);
		return;
	}
	snprintf(reply->text, sizeof reply->text, "%s: %s", line,
	    trading_state_name(engine_state(e)));
}

static struct runner *
make_live(struct engine *e, struct feed *f, const struct runner_clock *clk)
{
	struct runner_cfg	 rc = {
		.mode = SNAP_PAPER,
		.exec = stop_exec,
		.log_level = LOG_DEBUG,
		.clock = clk,
	};
	struct errmsg		 err;
	struct runner		*r;

	assert_non_null(f);
	if ((r = runner_create(&rc, e, f, &err)) == NULL ||
	    runner_start(r, &err) == -1)
		fail_msg("%s", err.msg);
	return r;
}

typedef bool	(*snap_pred)(const struct snapshot *s, const void *arg);

/* Wait (up to 10 s) for a published snapshot for which pred holds. */
static void
wait_snap(struct runner *r, struct snapshot *s, snap_pred pred,
    const void *arg, const char *what)
{
	struct pollfd	 pfd = { .fd = runner_fd(r), .events = POLLIN };

	for (int i = 0; i < 1000; i++) {
		runner_ack(r);
		runner_snapshot(r, s);
		if (pred(s, arg))
			return;
		poll(&pfd, 1, 10);
	}
	fail_msg("no snapshot with %s", what);
}

static bool
has_events(const struct snapshot *s, const void *arg)
{
	return s->events == *(const int64_t *)arg;
}

static bool
has_position(const struct snapshot *s, const void *arg)
{
	return s->inst[0].position == *(const int64_t *)arg;
}

static bool
is_late(const struct snapshot *s, const void *arg)
{
	return s->inst[0].md_watched &&
	    s->inst[0].md_late >= *(const td_ns *)arg;
}

static td_ns
mono_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

/*
 * A FIFO whose writer never writes: kill!, flatten and status are each
 * answered within 100 ms of being queued.  The loop wakes for the command
 * queue whatever the feed does; the bound is the issue's, generous.
 */
static void
test_runner_silent_feed_serves_commands(void **state)
{
	static const char *const lines[] = { "status", "flatten", "kill!",
	    "status" };
	const char		*tmp = getenv("TMPDIR");
	char			 dir[256], path[300], cmd[300];
	struct feed_pipe_src	 src = { .path = path };
	struct engine		*e = fixture_orb_engine(false, 0);
	struct reader_opts	 o;
	struct runner_reply	 rep;
	struct errmsg		 err;
	struct runner		*r;
	int			 w;

	snprintf(dir, sizeof dir, "%s/test-runner.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/es.fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	memset(&o, 0, sizeof o);
	r = make_live(e, feed_pipe_create(&src, 1, &o, engine_instrument(e,
	    ES), 1, &err), NULL);
	w = open(path, O_WRONLY | O_NONBLOCK);
	assert_true(w >= 0);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		td_ns	 t0 = mono_ns(), dt;

		assert_int_equal(runner_submit(r, i + 1, lines[i]), 0);
		wait_reply(r, i + 1, &rep);
		dt = mono_ns() - t0;
		if (dt >= 100 * 1000 * 1000)
			fail_msg("%s answered after %lld ms", lines[i],
			    (long long)(dt / 1000000));
		assert_int_equal(rep.status, 0);
	}
	assert_string_equal(rep.text, "status: KILLED");
	runner_free(r);
	close(w);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ORB's long of 14 March 2024 (see test-engine.c), never stopped out. */
static const struct fixture_override long_day[] = {
	{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
	{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
	{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
};

/* The day's bars from 09:30 to the one that ends at `last`. */
static int64_t
push_day(int wfd, int last_h, int last_m)
{
	td_ticks	 flat = P(5000);
	int64_t		 n = 0;

	for (int m = 9 * 60 + 30; m < last_h * 60 + last_m; m++, n++) {
		td_ns		 t = fixture_ny(2024, 3, 14, m / 60, m % 60);
		struct td_md	 md = fixture_bar(t, flat, flat, flat, flat);

		for (size_t i = 0; i < sizeof long_day / sizeof long_day[0];
		    i++) {
			const struct fixture_override *ov = &long_day[i];

			if (ov->hour * 60 + ov->min != m)
				continue;
			md = fixture_bar(t, ov->o, ov->h, ov->l, ov->c);
			flat = ov->c;
		}
		push(wfd, &md);
	}
	return n;
}

/*
 * ORB flattens 10 minutes before the close, at 15:50.  Data up to the bar
 * that ends at 15:49, then silence: the clock alone brings 15:50, ORB's
 * exit is sent then, stamped 15:50, and fills at the first price after
 * it, stamped with that price's time.
 */
static void
test_runner_flatten_fires_without_data(void **state)
{
	struct fake_clock	 clk;
	struct runner_clock	 rclk = { NULL, fake_now, &clk };
	struct engine_config	 cfg;
	struct errmsg		 err;
	struct engine		*e;
	struct seen		*seen = calloc(1, sizeof *seen);
	struct snapshot		*s = snapshot_create(NULL, NULL);
	td_ns			 flat_at = fixture_ny(2024, 3, 14, 15, 50);
	struct td_md		 tick;
	struct seen_ev		 ev;
	struct runner		*r;
	int64_t			 n, pos;
	td_ns			 late;
	int			 w, at;

	fixture_orb_config(&cfg, false, 0);
	cfg.strat[0].params[strat_param_index(strat_registry_find(
	    strat_registry_builtin(), "orb"), "flatten_before_close")] = 10;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	assert_non_null(seen);
	assert_non_null(s);
	pthread_mutex_init(&seen->mu, NULL);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = seen_observe, .arg = seen, .mask = EEV_BOOKS }, NULL), 0);
	fake_set(&clk, fixture_ny(2024, 3, 14, 9, 0));
	r = make_live(e, tfeed_create(&w), &rclk);
	n = push_day(w, 15, 49);
	wait_snap(r, s, has_events, &n, "every bar taken");
	pos = 1;
	wait_snap(r, s, has_position, &pos, "ORB long");
	assert_true(s->feed_live);

	/*
	 * Silence until just before 15:50: the engine hears the clock (the
	 * next bar, due at 15:50, is a second away) and sends nothing.
	 */
	fake_set(&clk, flat_at - TD_NS_PER_SEC);
	late = -TD_NS_PER_SEC;
	wait_snap(r, s, is_late, &late, "the clock at 15:49:59");
	assert_int_equal(s->inst[0].position, 1);
	at = seen_find(seen, EEV_ORDER, 0, &ev);
	while (at != -1 && ev.role != ROLE_EXIT)
		at = seen_find(seen, EEV_ORDER, at + 1, &ev);
	assert_int_equal(at, -1);

	/* 15:50 comes on the clock: the exit goes then. */
	fake_set(&clk, flat_at + 500 * 1000 * 1000);
	for (int i = 0; i < 1000 && at == -1; i++) {
		at = seen_find(seen, EEV_ORDER, 0, &ev);
		while (at != -1 && ev.role != ROLE_EXIT)
			at = seen_find(seen, EEV_ORDER, at + 1, &ev);
		poll(NULL, 0, 10);
	}
	if (at == -1)
		fail_msg("no exit order at the flatten time");
	assert_int_equal(ev.time, flat_at);
	assert_int_equal(ev.side, TD_SELL);
	assert_int_equal(ev.type, ORD_MARKET);
	assert_int_equal(seen_find(seen, EEV_FILL, at, &ev), -1);

	/* The next price fills it, stamped with its time. */
	memset(&tick, 0, sizeof tick);
	tick.kind = TD_MD_TICK;
	tick.tick.time = flat_at + 5 * TD_NS_PER_SEC;
	tick.tick.price = P(5002.25);
	tick.tick.volume = 1;
	fake_set(&clk, flat_at + 6 * TD_NS_PER_SEC);
	push(w, &tick);
	pos = 0;
	wait_snap(r, s, has_position, &pos, "flat after the exit");
	assert_true(seen_find(seen, EEV_FILL, at, &ev) != -1);
	assert_int_equal(ev.time, flat_at + 5 * TD_NS_PER_SEC);
	assert_int_equal(ev.price, P(5002.25));
	runner_free(r);
	pthread_mutex_destroy(&seen->mu);
	free(seen);
	snapshot_free(s);
}

/* ORB's sentiment as *arg says: its value and its time. */
static bool
has_sentiment(const struct snapshot *s, const void *arg)
{
	const struct snap_strat	*want = arg;

	return s->nstrat > 0 && s->strat[0].sentiment == want->sentiment &&
	    s->strat[0].sentiment_at == want->sentiment_at;
}

/* Within 10 s, a log line of the runner's that holds text. */
static void
wait_log(struct runner *r, const char *text)
{
	struct runner_log	 line;

	for (int i = 0; i < 1000; i++) {
		while (runner_log(r, &line) == 1) {
			if (strstr(line.msg, text) != NULL)
				return;
		}
		poll(NULL, 0, 10);
	}
	fail_msg("no log line with '%s'", text);
}

static void
append(const char *path, const char *text)
{
	FILE	*f = fopen(path, "a");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/*
 * Headlines on a live session: one already in the file is not read; one
 * appended reaches ORB's sentiment stamped with the exchange's clock when
 * it is read; after the next bar, a minute on, the fading value is heard
 * again at the bar's time; a bad line is logged with its file and line.
 */
static void
test_runner_news(void **state)
{
	struct fake_clock	 clk;
	struct runner_clock	 rclk = { NULL, fake_now, &clk };
	struct runner_cfg	 rc = {
		.mode = SNAP_PAPER,
		.exec = stop_exec,
		.log_level = LOG_DEBUG,
		.clock = &rclk,
		.news_half_life = 3600 * TD_NS_PER_SEC,
	};
	const char		*tmp = getenv("TMPDIR");
	char			 dir[256], path[300], cmd[320];
	struct snap_strat	 want = { .sentiment = 0 };
	struct snapshot		*s = snapshot_create(NULL, NULL);
	td_ns			 heard = fixture_ny(2024, 3, 14, 9, 31) +
				    30 * TD_NS_PER_SEC;
	struct td_md		 md;
	struct errmsg		 err;
	struct runner		*r;
	int64_t			 n = 1;
	int			 w;

	(void)state;
	snprintf(dir, sizeof dir, "%s/test-runner.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/news.jsonl", dir);
	append(path, "{\"time\": \"2024-03-14T13:00:00Z\", \"symbols\": "
	    "[\"ES\"], \"text\": \"Old news: stocks soar\"}\n");
	assert_non_null(rc.news = signal_live_file(path, &err));
	fake_set(&clk, fixture_ny(2024, 3, 14, 9, 31));
	if ((r = runner_create(&rc, fixture_orb_engine(false, 0),
	    tfeed_create(&w), &err)) == NULL || runner_start(r, &err) == -1)
		fail_msg("%s", err.msg);
	md = fixture_bar(fixture_ny(2024, 3, 14, 9, 30), P(5000), P(5000),
	    P(5000), P(5000));
	push(w, &md);
	wait_snap(r, s, has_events, &n, "the first bar");
	assert_int_equal(s->strat[0].sentiment_at, 0);

	fake_set(&clk, heard);
	append(path, "{\"time\": \"2024-03-14T13:31:00Z\", \"symbols\": "
	    "[\"ES\"], \"text\": \"Stocks rally as inflation eases\"}\n");
	want = (struct snap_strat){ .sentiment = TD_DATA_SCALE * 4 / 6,
	    .sentiment_at = heard };
	wait_snap(r, s, has_sentiment, &want, "the headline's sentiment");
	wait_log(r, "headline +0.6667 (ES): Stocks rally as inflation eases");

	/* A minute and more later, the next bar: heard again, faded. */
	fake_set(&clk, fixture_ny(2024, 3, 14, 9, 33));
	md = fixture_bar(fixture_ny(2024, 3, 14, 9, 32), P(5000), P(5000),
	    P(5000), P(5000));
	push(w, &md);
	n = 2;
	wait_snap(r, s, has_events, &n, "the second bar");
	want.sentiment_at = s->now;
	want.sentiment = (int64_t)llround((double)(TD_DATA_SCALE * 4 / 6) *
	    exp2(-(double)(s->now - heard) / (3600.0 * TD_NS_PER_SEC)));
	assert_true(s->now - heard >= 60 * TD_NS_PER_SEC);
	wait_snap(r, s, has_sentiment, &want, "the faded sentiment");

	append(path, "{\"text\": \"Banks slide\"}\n");
	snprintf(cmd, sizeof cmd, "%s:3: no time: skipped", path);
	wait_log(r, cmd);
	runner_free(r);
	snapshot_free(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_runner_command_and_snapshot(void **state)
{
	struct runner		*r = make_runner(0, false, 4096, 2);
	struct runner_reply	 rep;
	struct snapshot		*s = snapshot_create(NULL, NULL);

	assert_int_equal(runner_submit(r, 7, "hello"), 0);
	wait_reply(r, 7, &rep);
	assert_int_equal(rep.id, 7);
	assert_memory_equal(rep.text, "hello ", 6);
	assert_int_equal(runner_snapshot(r, s), 1);
	assert_true(s->seq >= 1);
	assert_int_equal(s->mode, SNAP_PAPER);
	assert_string_equal(s->inst[0].symbol, "ES");
	runner_free(r);
	snapshot_free(s);
}

/* The command function of the test below: "N" places N buy limits. */
static void
place_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	struct manual_order	 m = { .inst = ES, .side = TD_BUY,
				    .type = ORD_LIMIT, .qty = 1,
				    .price = P(4000) };
	struct errmsg		 err;
	int			 n = atoi(line);

	(void)arg;
	(void)r;
	reply->status = 0;
	for (int i = 0; i < n; i++) {
		if (engine_manual_order(e, &m, NULL, &err) == -1) {
			reply->status = 1;
			snprintf(reply->text, sizeof reply->text, "%s",
			    err.msg);
			return;
		}
	}
	snprintf(reply->text, sizeof reply->text, "placed %d", n);
}

static bool
has_working(const struct snapshot *s, const void *arg)
{
	return s->norders == *(const int *)arg;
}

/*
 * The snapshots are as large as the engine asks: a reader's empty copy
 * is sized by its first runner_snapshot and holds every one of 150
 * working orders (more than the old 64) and a full blotter (the
 * observer's 128 rows); later copies reuse its tables.
 */
static void
test_runner_snapshot_sized_by_the_engine(void **state)
{
	struct demo_cfg		 dc = { .seed = 3, .days = 1 };
	struct runner_cfg	 rc = { .paused = true, .mode = SNAP_PAPER,
				    .exec = place_exec };
	struct engine_config	 cfg;
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct snap_order	*orders;
	struct runner_reply	 rep;
	struct errmsg		 err;
	struct engine		*e;
	struct runner		*r;
	struct td_md		 md;
	int			 n;

	(void)state;
	fixture_config(&cfg);
	assert_non_null(e = fixture_engine(&cfg, NULL, &err));
	md = fixture_bar(fixture_ny(2024, 3, 14, 10, 0), P(5000), P(5000),
	    P(5000), P(5000));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	if ((r = runner_create(&rc, e, feed_demo_create(&dc, &err),
	    &err)) == NULL || runner_start(r, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(runner_submit(r, 1, "150"), 0);
	wait_reply(r, 1, &rep);
	assert_string_equal(rep.text, "placed 150");
	n = 150;
	wait_snap(r, s, has_working, &n, "150 working orders");
	assert_int_equal(s->nworking, 150);
	assert_int_equal(s->cap.ninst, 1);
	assert_int_equal(s->cap.orders, 1024);
	assert_int_equal(s->cap.blotter, SNAP_OBS_BLOTTER);
	assert_int_equal(s->nblot, SNAP_OBS_BLOTTER);
	for (int i = 1; i < 150; i++)
		assert_true(s->orders[i].id > s->orders[i - 1].id);
	orders = s->orders;
	assert_int_equal(runner_submit(r, 2, "1"), 0);
	wait_reply(r, 2, &rep);
	n = 151;
	wait_snap(r, s, has_working, &n, "151 working orders");
	assert_ptr_equal(s->orders, orders);
	runner_free(r);
	snapshot_free(s);
}

/* Nobody reads the log: lines are dropped and counted, the engine goes on. */
static void
test_runner_full_log_never_blocks(void **state)
{
	struct runner		*r = make_runner(0, false, 4, 3);
	struct snapshot		*s = snapshot_create(NULL, NULL);

	for (int i = 0; i < 1000 && !s->finished; i++) {
		struct timespec	 ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		runner_snapshot(r, s);
	}
	assert_true(s->finished);
	assert_true(s->events > 100000);
	assert_true(s->dropped_logs > 0);
	runner_free(r);
	snapshot_free(s);
}

/* Paused, the engine processes exactly one event per step. */
static void
test_runner_pause_and_step(void **state)
{
	struct runner		*r = make_runner(0, true, 4096, 1);
	struct runner_reply	 rep;

	assert_int_equal(runner_submit(r, 1, "count"), 0);
	wait_reply(r, 1, &rep);
	assert_string_equal(rep.text, "count 0");
	assert_int_equal(runner_submit(r, 2, "step"), 0);
	wait_reply(r, 2, &rep);
	for (int i = 0; i < 100; i++) {
		struct timespec	 ts = { 0, 5 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	assert_int_equal(runner_submit(r, 3, "count"), 0);
	wait_reply(r, 3, &rep);
	assert_string_equal(rep.text, "count 1");
	runner_free(r);
}

/* A real-time replay is paced: a second of wall time is not a day. */
static void
test_runner_paced(void **state)
{
	struct runner		*r = make_runner(1, false, 4096, 1);
	struct runner_reply	 rep;
	struct timespec		 ts = { 0, 300 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	assert_int_equal(runner_submit(r, 1, "count"), 0);
	wait_reply(r, 1, &rep);
	/* About 4 ticks a second: far fewer than the day's 90000. */
	assert_true(strtoll(rep.text + 6, NULL, 10) < 1000);
	runner_free(r);
}

/* A replay of a few events from an array. */
struct afeed {
	struct feed	 feed;
	struct td_md	 md[8];
	int		 n;
	int		 next;
};

static int
afeed_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct afeed	*a = ctx;

	(void)err;
	if (a->next == a->n)
		return 0;
	*md = a->md[a->next++];
	return 1;
}

static void
afeed_destroy(void *ctx)
{
	free(ctx);
}

static const struct feed_ops afeed_ops = {
	.name = "array",
	.next = afeed_next,
	.destroy = afeed_destroy,
};

/*
 * A replay in real time whose simulated clock jumps from 15:59 to 16:09
 * in one step (the test moves the runner's monotonic clock).  The bar
 * that ends at 16:00 goes in before the session close fires at 16:00, as
 * in a backtest: it fills the DAY limit it touches, which the close would
 * otherwise have expired.
 */
static void
test_runner_replay_bars_before_timers(void **state)
{
	struct fake_clock	 clk;
	struct runner_clock	 rclk = { fake_now, NULL, &clk };
	struct runner_cfg	 rc = {
		.speed = 1,
		.mode = SNAP_REPLAY,
		.exec = stop_exec,
		.log_level = LOG_DEBUG,
		.clock = &rclk,
	};
	struct engine		*e = fixture_orb_engine(false, 0);
	struct afeed		*a = calloc(1, sizeof *a);
	struct seen		*seen = calloc(1, sizeof *seen);
	struct snapshot		*s = snapshot_create(NULL, NULL);
	struct runner_reply	 rep;
	struct errmsg		 err;
	struct seen_ev		 ev;
	struct runner		*r;
	int64_t			 pos;

	assert_non_null(a);
	assert_non_null(seen);
	assert_non_null(s);
	pthread_mutex_init(&seen->mu, NULL);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = seen_observe, .arg = seen, .mask = EEV_BOOKS }, NULL), 0);
	a->md[a->n++] = fixture_bar(fixture_ny(2024, 3, 14, 15, 58), P(5000),
	    P(5000), P(5000), P(5000));
	a->md[a->n++] = fixture_bar(fixture_ny(2024, 3, 14, 15, 59), P(5000),
	    P(5000), P(4999), P(5000));
	a->feed.ops = &afeed_ops;
	a->feed.ctx = a;
	fake_set(&clk, TD_NS_PER_SEC);
	if ((r = runner_create(&rc, e, &a->feed, &err)) == NULL ||
	    runner_start(r, &err) == -1)
		fail_msg("%s", err.msg);
	/* The runner publishes as its clock moves: a few ms at a time. */
	for (int i = 0; i < 1000 && s->events != 1; i++) {
		fake_set(&clk, fake_now(&clk) + 40 * 1000 * 1000);
		poll(NULL, 0, 10);
		runner_snapshot(r, s);
	}
	assert_int_equal(s->events, 1);
	assert_int_equal(runner_submit(r, 1, "buy day limit"), 0);
	wait_reply(r, 1, &rep);
	assert_int_equal(rep.status, 0);
	assert_int_equal(s->events, 1);

	fake_set(&clk, TD_NS_PER_SEC + 10 * TD_NS_PER_MIN);
	pos = 1;
	wait_snap(r, s, has_position, &pos, "the limit filled");
	assert_true(seen_find(seen, EEV_FILL, 0, &ev) != -1);
	assert_int_equal(ev.price, P(4999));
	assert_int_equal(ev.time, fixture_ny(2024, 3, 14, 16, 0));
	runner_free(r);
	pthread_mutex_destroy(&seen->mu);
	free(seen);
	snapshot_free(s);
}

/*
 * A venue that holds what the simulator says until the test lets it go,
 * as a broker answers later: the release is a byte on a pipe, which is
 * the venue's descriptor.
 */
#define HOLD_MAX	64

struct hold {
	struct venue		 v;		/* what the engine holds */
	struct venue		 inner;		/* the simulator */
	int			 p[2];
	atomic_bool		 holding;
	struct venue_event	 ev[HOLD_MAX];
	int			 nev;
	int			 next;
};

static int
hold_submit(void *ctx, const struct venue_order *o, td_ns now)
{
	struct hold	*h = ctx;

	return h->inner.ops->submit(h->inner.ctx, o, now);
}

static int
hold_cancel(void *ctx, uint64_t id, td_ns now)
{
	struct hold	*h = ctx;

	return h->inner.ops->cancel(h->inner.ctx, id, now);
}

static int
hold_replace(void *ctx, uint64_t id, int64_t qty, td_ticks price, td_ns now)
{
	struct hold	*h = ctx;

	return h->inner.ops->replace(h->inner.ctx, id, qty, price, now);
}

static int
hold_replace_limit(void *ctx, uint64_t id, int64_t qty, td_ticks price,
    td_ticks limit, td_ns now)
{
	struct hold	*h = ctx;

	return h->inner.ops->replace_limit(h->inner.ctx, id, qty, price,
	    limit, now);
}

static int
hold_session_close(void *ctx, int inst, td_ns now)
{
	struct hold	*h = ctx;

	return h->inner.ops->session_close(h->inner.ctx, inst, now);
}

static int
hold_on_market(void *ctx, const struct td_md *md)
{
	struct hold	*h = ctx;

	h->inner.ops->on_market(h->inner.ctx, md);
	return 1;	/* what it holds is for poll to say */
}

static void
hold_settle(void *ctx)
{
	struct hold	*h = ctx;

	h->inner.ops->settle(h->inner.ctx);
}

/* While holding, everything the simulator says waits in ev[]. */
static int
hold_poll(void *ctx, struct venue_event *ev)
{
	struct hold	*h = ctx;
	char		 c;

	while (h->nev < HOLD_MAX &&
	    h->inner.ops->poll(h->inner.ctx, &h->ev[h->nev]) == 1)
		h->nev++;
	if (atomic_load(&h->holding)) {
		if (read(h->p[0], &c, 1) != 1)
			return 0;
		atomic_store(&h->holding, false);
	}
	if (h->next == h->nev) {
		h->next = h->nev = 0;
		return 0;
	}
	*ev = h->ev[h->next++];
	return 1;
}

static int
hold_mass_cancel(void *ctx, int inst, td_ns now)
{
	struct hold	*h = ctx;

	return h->inner.ops->mass_cancel(h->inner.ctx, inst, now);
}

static int
hold_order_status(void *ctx, uint64_t id, struct venue_status *st,
    struct errmsg *err)
{
	struct hold	*h = ctx;

	return h->inner.ops->order_status(h->inner.ctx, id, st, err);
}

static int
hold_mass_status(void *ctx, venue_status_fn fn, void *arg,
    struct errmsg *err)
{
	struct hold	*h = ctx;

	return h->inner.ops->mass_status(h->inner.ctx, fn, arg, err);
}

static int
hold_executions(void *ctx, td_ns since, venue_exec_fn fn, void *arg,
    struct errmsg *err)
{
	struct hold	*h = ctx;

	return h->inner.ops->executions(h->inner.ctx, since, fn, arg, err);
}

static enum venue_conn
hold_conn(void *ctx)
{
	struct hold	*h = ctx;

	return h->inner.ops->conn == NULL ? VENUE_UP :
	    h->inner.ops->conn(h->inner.ctx);
}

static int
hold_fd(void *ctx)
{
	return ((struct hold *)ctx)->p[0];
}

static void
hold_destroy(void *ctx)
{
	struct hold	*h = ctx;

	h->inner.ops->destroy(h->inner.ctx);
	close(h->p[0]);
	close(h->p[1]);
	free(h);
}

static const struct venue_ops hold_ops = {
	.name = "hold",
	.submit = hold_submit,
	.cancel = hold_cancel,
	.replace = hold_replace,
	.replace_limit = hold_replace_limit,
	.session_close = hold_session_close,
	.on_market = hold_on_market,
	.settle = hold_settle,
	.poll = hold_poll,
	.mass_cancel = hold_mass_cancel,
	.order_status = hold_order_status,
	.mass_status = hold_mass_status,
	.executions = hold_executions,
	.conn = hold_conn,
	.fd = hold_fd,
	.destroy = hold_destroy,
};

/* An ORB desk's engine whose simulator speaks through a hold. */
static struct engine *
hold_engine(struct hold **hp)
{
	struct engine_config	 cfg;
	struct venue_sim_cfg	 vc;
	struct engine_deps	 deps = { .venue = NULL };
	struct hold		*h = calloc(1, sizeof *h);
	struct venue		*v;
	struct engine		*e;
	struct errmsg		 err;

	assert_non_null(h);
	assert_int_equal(pipe2(h->p, O_NONBLOCK), 0);
	fixture_orb_config(&cfg, false, 0);
	fixture_venue_config(&vc);
	if ((v = venue_sim_create(&vc, &err)) == NULL)
		fail_msg("%s", err.msg);
	h->inner = *v;
	h->v.ops = &hold_ops;
	h->v.ctx = h;
	deps.venue = &h->v;
	if ((e = engine_create(&cfg, &deps, &err)) == NULL)
		fail_msg("%s", err.msg);
	*hp = h;
	return e;
}

/*
 * A manual buy fills at the next bar's open, but the venue says so only
 * later, while the feed is silent.  The fill is taken as soon as the
 * venue's descriptor is readable: journaled (the observer) and shown in a
 * snapshot before any further market event.
 */
static void
test_runner_venue_event_between_market_events(void **state)
{
	struct fake_clock	 clk;
	struct runner_clock	 rclk = { NULL, fake_now, &clk };
	struct hold		*h;
	struct engine		*e = hold_engine(&h);
	struct seen		*seen = calloc(1, sizeof *seen);
	struct snapshot		*s = snapshot_create(NULL, NULL);
	td_ns			 t = fixture_ny(2024, 3, 14, 18, 0);
	struct td_md		 md;
	struct runner_reply	 rep;
	struct seen_ev		 ev;
	struct runner		*r;
	int64_t			 n, pos;
	int			 w, working;

	assert_non_null(seen);
	assert_non_null(s);
	pthread_mutex_init(&seen->mu, NULL);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = seen_observe, .arg = seen, .mask = EEV_BOOKS }, NULL), 0);
	fake_set(&clk, t);
	r = make_live(e, tfeed_create(&w), &rclk);
	md = fixture_bar(t, P(5000), P(5000), P(5000), P(5000));
	push(w, &md);
	n = 1;
	wait_snap(r, s, has_events, &n, "the first bar");
	assert_int_equal(runner_submit(r, 1, "buy"), 0);
	wait_reply(r, 1, &rep);
	assert_int_equal(rep.status, 0);

	/* The next bar fills the order at the venue, which keeps quiet. */
	atomic_store(&h->holding, true);
	md = fixture_bar(t + TD_NS_PER_MIN, P(5001), P(5001), P(5001),
	    P(5001));
	push(w, &md);
	n = 2;
	wait_snap(r, s, has_events, &n, "the second bar");
	working = 1;
	wait_snap(r, s, has_working, &working, "the buy still working");
	assert_int_equal(s->inst[0].position, 0);
	assert_int_equal(seen_find(seen, EEV_FILL, 0, &ev), -1);

	/* The venue speaks: the fill is in before any other market event. */
	assert_int_equal(write(h->p[1], "!", 1), 1);
	pos = 1;
	wait_snap(r, s, has_position, &pos, "the fill");
	assert_int_equal(s->events, 2);
	assert_int_equal(s->norders, 0);
	assert_true(seen_find(seen, EEV_FILL, 0, &ev) != -1);
	assert_int_equal(ev.price, P(5001));
	runner_free(r);
	pthread_mutex_destroy(&seen->mu);
	free(seen);
	snapshot_free(s);
}

/* ------------------------------------------------ seek */

/* Commands for the seek: goto NS, bars N; replies "ok", "ok back" or why. */
static void
seek_exec(void *arg, struct runner *r, struct engine *e, const char *line,
    struct runner_reply *reply)
{
	struct errmsg	 err;
	long long	 v;
	bool		 back = false;
	int		 rc = -1;

	(void)arg;
	(void)e;
	if (sscanf(line, "goto %lld", &v) == 1)
		rc = runner_seek(r, v, &back, &err);
	else if (sscanf(line, "bars %lld", &v) == 1)
		rc = runner_step_bars(r, (int)v, &err);
	else
		errmsg_set(&err, "unknown");
	reply->status = rc == 0 ? 0 : 1;
	snprintf(reply->text, sizeof reply->text, "%s", rc == 0 ? (back ?
	    "ok back" : "ok") : err.msg);
}

static int	 seek_resets;

static struct engine *
seek_reset(void *arg, struct errmsg *err)
{
	(void)arg;
	(void)err;
	seek_resets++;
	return fixture_orb_engine(false, 0);
}

static struct runner *
seek_runner(bool can_reset)
{
	struct demo_cfg		 dc = { .seed = 3, .days = 3 };
	struct runner_cfg	 rc = {
		.speed = 0,
		.paused = true,
		.mode = SNAP_REPLAY,
		.exec = seek_exec,
		.log_level = LOG_INFO,
		.reset = can_reset ? seek_reset : NULL,
	};
	struct errmsg		 err;
	struct feed		*f = feed_demo_create(&dc, &err);
	struct runner		*r;

	assert_non_null(f);
	r = runner_create(&rc, fixture_orb_engine(false, 0), f, &err);
	assert_non_null(r);
	assert_int_equal(runner_start(r, &err), 0);
	return r;
}

/*
 * Send line, check the reply, then wait for the runner's line about the
 * seek's end and a snapshot published after it.
 */
static void
seek_do(struct runner *r, uint64_t id, const char *line, const char *want,
    struct snapshot *s)
{
	struct pollfd		 pfd = { .fd = runner_fd(r), .events = POLLIN };
	struct runner_reply	 rep;
	struct runner_log	 l;
	uint64_t		 seq = 0;
	bool			 said = false;

	assert_int_equal(runner_submit(r, id, line), 0);
	wait_reply(r, id, &rep);
	assert_string_equal(rep.text, want);
	for (int i = 0; i < 3000; i++) {
		runner_ack(r);
		while (!said && runner_log(r, &l) == 1) {
			if (strcmp(l.component, "replay") == 0 &&
			    strstr(l.msg, "paused") != NULL) {
				said = true;
				runner_snapshot(r, s);
				seq = s->seq;
			}
		}
		if (said && runner_snapshot(r, s) == 1 && s->seq > seq) {
			assert_false(s->seeking);
			assert_true(s->paused);
			return;
		}
		poll(&pfd, 1, 10);
	}
	fail_msg("the seek '%s' did not end", line);
}

/*
 * The same data run straight through an engine up to `to` (or the
 * events of the first `bars` one-minute bars): its snapshot.
 */
static void
seek_reference(td_ns to, int bars, struct snapshot *out)
{
	struct demo_cfg		 dc = { .seed = 3, .days = 3 };
	struct errmsg		 err;
	struct feed		*f = feed_demo_create(&dc, &err);
	struct engine		*e = fixture_orb_engine(false, 0);
	struct health_obs	*h = fixture_health(e);
	struct td_md		 md;
	td_ns			 end = 0, m;

	assert_non_null(f);
	while (feed_next(f, &md, &err) == 1) {
		td_ns	 t = td_md_time(&md);

		if (bars == 0 && t > to)
			break;
		m = (t + TD_NS_PER_MIN - 1) / TD_NS_PER_MIN * TD_NS_PER_MIN;
		if (bars > 0 && m > end && end != 0 && --bars == 0)
			break;
		end = m;
		assert_int_equal(engine_on_market(e, &md, &err), 0);
	}
	fixture_snapshot(e, out);
	engine_free(e);
	health_obs_free(h);
	feed_free(f);
}

static void
seek_same(const struct snapshot *got, const struct snapshot *want)
{
	assert_int_equal(got->events, want->events);
	assert_int_equal(got->now, want->now);
	assert_int_equal(got->realized, want->realized);
	assert_int_equal(got->unrealized, want->unrealized);
	assert_int_equal(got->inst[0].position, want->inst[0].position);
	assert_int_equal(got->nworking, want->nworking);
}

/*
 * Forward: the engine runs every event up to the time at full speed and
 * ends as a straight run would (trades, P&L, orders); back: a fresh
 * account from the start of the data to the earlier time, the same as a
 * straight run to it.
 */
static void
test_runner_seek_forward_and_back(void **state)
{
	struct runner	*r = seek_runner(true);
	struct snapshot	*s = snapshot_create(NULL, NULL);
	struct snapshot	*ref = snapshot_create(NULL, NULL);
	td_ns		 day2 = fixture_ny(2024, 1, 3, 15, 0);
	td_ns		 day1 = fixture_ny(2024, 1, 2, 11, 0);
	char		 line[64];

	(void)state;
	seek_resets = 0;
	snprintf(line, sizeof line, "goto %lld", (long long)day2);
	seek_do(r, 1, line, "ok", s);
	seek_reference(day2, 0, ref);
	assert_true(ref->realized != 0);	/* it traded on the way */
	seek_same(s, ref);
	assert_true(s->now <= day2 && s->now > day2 - TD_NS_PER_MIN);
	assert_true(s->replay_total > 0 && s->replay_done > 0 &&
	    s->replay_done <= s->replay_total);
	assert_int_equal(seek_resets, 0);

	snprintf(line, sizeof line, "goto %lld", (long long)day1);
	seek_do(r, 2, line, "ok back", s);
	assert_int_equal(seek_resets, 1);
	seek_reference(day1, 0, ref);
	seek_same(s, ref);
	assert_true(s->now <= day1);
	runner_free(r);
	snapshot_free(s);
	snapshot_free(ref);
}

/* step N: the events of N one-minute bars, then paused again. */
static void
test_runner_step_bars(void **state)
{
	struct runner	*r = seek_runner(true);
	struct snapshot	*s = snapshot_create(NULL, NULL);
	struct snapshot	*ref = snapshot_create(NULL, NULL);

	(void)state;
	seek_do(r, 1, "bars 3", "ok", s);
	seek_reference(0, 3, ref);
	seek_same(s, ref);
	assert_true(s->events > 3);
	seek_do(r, 2, "bars 1", "ok", s);
	seek_reference(0, 4, ref);
	seek_same(s, ref);
	runner_free(r);
	snapshot_free(s);
	snapshot_free(ref);
}

/*
 * Refused: a session that cannot reset (a live venue) does not seek at
 * all; a time before the data's first event is refused.
 */
static void
test_runner_seek_refused(void **state)
{
	struct runner		*r = seek_runner(false);
	struct runner_reply	 rep;
	char			 line[64];

	(void)state;
	snprintf(line, sizeof line, "goto %lld",
	    (long long)fixture_ny(2024, 1, 3, 15, 0));
	assert_int_equal(runner_submit(r, 1, line), 0);
	wait_reply(r, 1, &rep);
	assert_int_equal(rep.status, 1);
	assert_non_null(strstr(rep.text, "simulated account"));
	runner_free(r);

	r = seek_runner(true);
	snprintf(line, sizeof line, "goto %lld",
	    (long long)fixture_ny(2023, 12, 29, 10, 0));
	assert_int_equal(runner_submit(r, 2, line), 0);
	wait_reply(r, 2, &rep);
	assert_int_equal(rep.status, 1);
	assert_string_equal(rep.text, "before the data's first event");
	runner_free(r);
}

/*
 * Past the end of the data: the seek stops there and says so, the
 * replay has ended; a seek back then starts the data again.
 */
static void
test_runner_seek_past_the_end(void **state)
{
	struct runner	*r = seek_runner(true);
	struct snapshot	*s = snapshot_create(NULL, NULL);
	struct snapshot	*ref = snapshot_create(NULL, NULL);
	struct runner_log l;
	char		 line[64];
	bool		 warned = false;

	(void)state;
	snprintf(line, sizeof line, "goto %lld",
	    (long long)fixture_ny(2024, 2, 1, 10, 0));
	assert_int_equal(runner_submit(r, 1, line), 0);
	for (int i = 0; i < 3000 && !warned; i++) {
		struct timespec	 ts = { 0, 10 * 1000 * 1000 };

		runner_ack(r);
		while (runner_log(r, &l) == 1)
			if (strstr(l.msg, "the data ended before the time "
			    "sought") != NULL)
				warned = true;
		nanosleep(&ts, NULL);
	}
	assert_true(warned);
	snprintf(line, sizeof line, "goto %lld",
	    (long long)fixture_ny(2024, 1, 2, 12, 0));
	seek_do(r, 2, line, "ok back", s);
	assert_false(s->finished);
	seek_reference(fixture_ny(2024, 1, 2, 12, 0), 0, ref);
	seek_same(s, ref);
	runner_free(r);
	snapshot_free(s);
	snapshot_free(ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_command_and_snapshot),
		cmocka_unit_test(test_runner_snapshot_sized_by_the_engine),
		cmocka_unit_test(test_runner_full_log_never_blocks),
		cmocka_unit_test(test_runner_pause_and_step),
		cmocka_unit_test(test_runner_paced),
		cmocka_unit_test(test_runner_seek_forward_and_back),
		cmocka_unit_test(test_runner_step_bars),
		cmocka_unit_test(test_runner_seek_refused),
		cmocka_unit_test(test_runner_seek_past_the_end),
		cmocka_unit_test(test_runner_replay_bars_before_timers),
		cmocka_unit_test(test_runner_silent_feed_serves_commands),
		cmocka_unit_test(test_runner_flatten_fires_without_data),
		cmocka_unit_test(test_runner_news),
		cmocka_unit_test(
		    test_runner_venue_event_between_market_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
