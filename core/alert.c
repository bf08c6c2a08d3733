/*
 * alert.c -- the alert hub: a bounded queue in, deduplication and rate
 * limiting, a queue and a thread per sink, retries with backoff
 * (alert.h).
 *
 * One mutex guards everything; it is held only to copy alerts in and out
 * of the rings and to update counters, never while a sink sends.  The
 * thread that raises an alert (the engine's) copies it into the intake
 * ring and signals the dispatcher.  The dispatcher filters what came in
 * (dedup, rate limit), hands it to the rings of the sinks that want it,
 * and at least every ALERT_TICK emits the summaries that have come due.
 * Each sink thread takes alerts from its ring and sends them with
 * retries, waiting out the backoff on its condition variable so that
 * alert_stop wakes it at once.
 *
 * Time: windows and alert times come from the hub's clock (the wall
 * clock, or the tests' own); waits are on the monotonic clock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "errmsg.h"

#define ALERT_TICK	(TD_NS_PER_SEC / 10)
#define ALERT_DEDUP	64		/* different texts remembered */

struct alert_ring {
	struct alert	*a;
	int		 cap;
	int		 head;
	int		 n;
};

struct alert_sink {
	struct alert_hub		*hub;
	int				 index;
	char				 name[ALERT_NAME_MAX];
	const struct alert_sink_ops	*ops;
	void				*ctx;
	enum alert_severity		 min;
	struct alert_ring		 ring;
	pthread_t			 thread;
	bool				 running;
	pthread_cond_t			 cv;
	bool				 busy;		/* sending */
	int64_t				 sent;
	int64_t				 retries;
	int64_t				 failed;
	int64_t				 dropped;
	bool				 failing;
	char				 last_error[ALERT_ERROR_MAX];
};

struct alert_dedup {
	bool		 used;
	enum alert_event ev;
	uint64_t	 hash;
	td_ns		 first;
	int64_t		 held;
	struct alert	 a;
};

struct alert_rate {
	td_ns		 start;
	int		 count;
	int64_t		 held;
	enum alert_severity worst;
};

struct alert_hub {
	struct alert_cfg	 cfg;
	log_fn			 log;
	void			*log_arg;
	td_ns			(*clock)(void *);
	void			*clock_arg;

	pthread_mutex_t		 m;
	pthread_cond_t		 cv;		/* the dispatcher's */
	pthread_cond_t		 idle_cv;
	struct alert_ring	 in;
	struct alert_dedup	 dedup[ALERT_DEDUP];
	struct alert_rate	 rate[ALERT_EVENTS];
	struct alert_sink	 sink[ALERT_MAX_SINKS];
	int			 nsinks;
	pthread_t		 thread;
	bool			 started;
	bool			 dispatching;
	bool			 stop;
	atomic_bool		 stopping;	/* for the sinks' send */

	int64_t			 raised;
	int64_t			 suppressed;
	int64_t			 dropped;
};

static const char *const alert_severity_names[] = {
	[ALERT_INFO] = "info",
	[ALERT_WARNING] = "warning",
	[ALERT_ERROR] = "error",
	[ALERT_CRITICAL] = "critical",
};

static const char *const alert_event_names[ALERT_EVENTS] = {
	[ALERT_EV_STRATEGY_ERROR] = "strategy-error",
	[ALERT_EV_RISK_BREACH] = "risk-breach",
	[ALERT_EV_LOSS_WARNING] = "loss-warning",
	[ALERT_EV_REJECTIONS] = "rejections",
	[ALERT_EV_LATENCY] = "latency",
	[ALERT_EV_BREAKER] = "breaker-trip",
	[ALERT_EV_VENUE_DOWN] = "venue-down",
	[ALERT_EV_VENUE_UP] = "venue-up",
	[ALERT_EV_KILL] = "kill-switch",
	[ALERT_EV_RECOVERY] = "recovery",
	[ALERT_EV_JOURNAL] = "journal-failure",
	[ALERT_EV_DEGRADED] = "degraded",
	[ALERT_EV_UNPROTECTED] = "unprotected",
	[ALERT_EV_TEST] = "test",
	[ALERT_EV_ROLLOUT] = "rollout",
};

const char *
alert_severity_name(enum alert_severity s)
{
	if ((unsigned)s > ALERT_CRITICAL)
		return "?";
	return alert_severity_names[s];
}

int
alert_severity_parse(const char *name, enum alert_severity *out)
{
	for (int i = 0; i <= ALERT_CRITICAL; i++) {
		if (strcmp(alert_severity_names[i], name) == 0) {
			*out = (enum alert_severity)i;
			return 0;
		}
	}
	return -1;
}

const char *
alert_event_name(enum alert_event ev)
{
	if ((unsigned)ev >= ALERT_EVENTS)
		return "?";
	return alert_event_names[ev];
}

/* "10 min", "90 s", "2 h". */
static char *
alert_span(td_ns t, char *buf, size_t len)
{
	int64_t	 s = t / TD_NS_PER_SEC;

	if (t < TD_NS_PER_SEC)
		snprintf(buf, len, "%lld ms", (long long)(t / 1000000));
	else if (s >= 7200 && s % 3600 == 0)
		snprintf(buf, len, "%lld h", (long long)(s / 3600));
	else if (s >= 60 && s % 60 == 0)
		snprintf(buf, len, "%lld min", (long long)(s / 60));
	else
		snprintf(buf, len, "%lld s", (long long)s);
	return buf;
}

char *
alert_format(const struct alert *a, char *buf, size_t len)
{
	char	 sev[16], span[32];
	size_t	 i;

	snprintf(sev, sizeof sev, "%s", alert_severity_name(a->severity));
	for (i = 0; sev[i] != '\0'; i++)
		sev[i] = (char)(sev[i] - 'a' + 'A');
	if (a->repeats > 0)
		snprintf(buf, len, "%s %s: %s (repeated %lld more time%s "
		    "within %s)", sev, alert_event_name(a->event), a->text,
		    (long long)a->repeats, a->repeats == 1 ? "" : "s",
		    alert_span(a->span, span, sizeof span));
	else
		snprintf(buf, len, "%s %s: %s", sev, alert_event_name(a->event),
		    a->text);
	return buf;
}

/* ---------------------------------------------------------------- helpers */

static td_ns
alert_wall(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

static td_ns
alert_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
}

static struct timespec
alert_deadline(td_ns mono)
{
	return (struct timespec){ .tv_sec = mono / TD_NS_PER_SEC,
	    .tv_nsec = mono % TD_NS_PER_SEC };
}

static void
alert_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t	 attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &attr);
	pthread_condattr_destroy(&attr);
}

/* Wait on cv (m held) until the monotonic time until at most. */
static void
alert_wait_until(pthread_cond_t *cv, pthread_mutex_t *m, td_ns until)
{
	struct timespec	 ts = alert_deadline(until);

	pthread_cond_timedwait(cv, m, &ts);
}

static void
alert_log(struct alert_hub *h, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
alert_log(struct alert_hub *h, enum log_level level, const char *fmt, ...)
{
	struct log_line	 line;
	char		 msg[400];
	va_list		 ap;

	if (h->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	line.time = h->clock(h->clock_arg);
	line.level = level;
	line.component = "alerts";
	line.corr = 0;
	line.msg = msg;
	h->log(h->log_arg, &line);
}

static bool
ring_push(struct alert_ring *r, const struct alert *a)
{
	if (r->n == r->cap)
		return false;
	r->a[(r->head + r->n++) % r->cap] = *a;
	return true;
}

static bool
ring_pop(struct alert_ring *r, struct alert *out)
{
	if (r->n == 0)
		return false;
	*out = r->a[r->head];
	r->head = (r->head + 1) % r->cap;
	r->n--;
	return true;
}

static uint64_t
alert_hash(const char *text)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (const char *p = text; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h;
}

/* ---------------------------------------------------------------- setup */

struct alert_hub *
alert_create(const struct alert_cfg *cfg, struct errmsg *err)
{
	struct alert_hub	*h;

	if (cfg->queue < 1 || cfg->queue > ALERT_QUEUE_MAX) {
		errmsg_set(err, "alerts: queue must be 1 to %d",
		    ALERT_QUEUE_MAX);
		return NULL;
	}
	if (cfg->dedup_window < 0 || cfg->rate_window < 0 ||
	    cfg->rate_limit < 0 || cfg->retries < 0 || cfg->backoff < 0 ||
	    cfg->backoff_max < 0 || cfg->timeout < 0 ||
	    (cfg->rate_limit > 0 && cfg->rate_window == 0)) {
		errmsg_set(err, "alerts: negative count or time, or a rate "
		    "limit without a window");
		return NULL;
	}
	if ((h = calloc(1, sizeof *h)) == NULL ||
	    (h->in.a = calloc((size_t)cfg->queue, sizeof *h->in.a)) == NULL) {
		free(h);
		errmsg_set(err, "alerts: out of memory");
		return NULL;
	}
	h->cfg = *cfg;
	h->in.cap = cfg->queue;
	h->clock = alert_wall;
	pthread_mutex_init(&h->m, NULL);
	alert_cond_init(&h->cv);
	alert_cond_init(&h->idle_cv);
	atomic_init(&h->stopping, false);
	return h;
}

const struct alert_cfg *
alert_config(const struct alert_hub *h)
{
	return &h->cfg;
}

void
alert_set_log(struct alert_hub *h, log_fn fn, void *arg)
{
	h->log = fn;
	h->log_arg = arg;
}

void
alert_set_clock(struct alert_hub *h, td_ns (*now)(void *), void *arg)
{
	h->clock = now != NULL ? now : alert_wall;
	h->clock_arg = arg;
}

int
alert_add_sink(struct alert_hub *h, const char *name,
    const struct alert_sink_ops *ops, void *ctx, enum alert_severity min,
    struct errmsg *err)
{
	struct alert_sink	*s;

	if (h->started || h->nsinks == ALERT_MAX_SINKS) {
		if (ops->free != NULL)
			ops->free(ctx);
		return errmsg_set(err, "alerts: %s", h->started ? "sinks are "
		    "added before the start" : "too many sinks");
	}
	s = &h->sink[h->nsinks];
	if ((s->ring.a = calloc((size_t)h->cfg.queue,
	    sizeof *s->ring.a)) == NULL) {
		if (ops->free != NULL)
			ops->free(ctx);
		return errmsg_set(err, "alerts: out of memory");
	}
	s->ring.cap = h->cfg.queue;
	s->hub = h;
	s->index = h->nsinks;
	snprintf(s->name, sizeof s->name, "%s", name);
	s->ops = ops;
	s->ctx = ctx;
	s->min = min;
	alert_cond_init(&s->cv);
	h->nsinks++;
	return 0;
}

/* ---------------------------------------------------------------- raising */

void
alert_raise(struct alert_hub *h, enum alert_severity sev,
    enum alert_event ev, const char *text)
{
	struct alert	*a;
	size_t		 i;

	if (h == NULL)
		return;
	pthread_mutex_lock(&h->m);
	if (h->in.n == h->in.cap) {
		h->dropped++;
		pthread_mutex_unlock(&h->m);
		return;
	}
	/* Straight into the ring: no copy of 300 bytes on the stack. */
	a = &h->in.a[(h->in.head + h->in.n++) % h->in.cap];
	a->time = h->clock(h->clock_arg);
	a->severity = sev;
	a->event = ev;
	a->repeats = 0;
	a->span = 0;
	a->about = -1;
	for (i = 0; i + 1 < sizeof a->text && text[i] != '\0'; i++)
		a->text[i] = (unsigned char)text[i] < 0x20 ||
		    text[i] == 0x7f ? ' ' : text[i];
	a->text[i] = '\0';
	h->raised++;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->m);
}

void
alert_raisef(struct alert_hub *h, enum alert_severity sev,
    enum alert_event ev, const char *fmt, ...)
{
	char	 text[ALERT_TEXT_MAX];
	va_list	 ap;

	if (h == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	alert_raise(h, sev, ev, text);
}

/* An alert about a sink: to every other sink. */
static void
alert_about_sink(struct alert_hub *h, int sink, enum alert_severity sev,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
alert_about_sink(struct alert_hub *h, int sink, enum alert_severity sev,
    const char *fmt, ...)
{
	struct alert	*a;
	va_list		 ap;

	pthread_mutex_lock(&h->m);
	if (h->in.n == h->in.cap) {
		h->dropped++;
		pthread_mutex_unlock(&h->m);
		return;
	}
	a = &h->in.a[(h->in.head + h->in.n++) % h->in.cap];
	memset(a, 0, sizeof *a);
	a->time = h->clock(h->clock_arg);
	a->severity = sev;
	a->event = ALERT_EV_DEGRADED;
	a->about = sink;
	va_start(ap, fmt);
	vsnprintf(a->text, sizeof a->text, fmt, ap);
	va_end(ap);
	h->raised++;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->m);
}

/* ---------------------------------------------------------------- dispatch */

/* To each sink that wants it (m held). */
static void
alert_deliver(struct alert_hub *h, const struct alert *a)
{
	for (int i = 0; i < h->nsinks; i++) {
		struct alert_sink	*s = &h->sink[i];

		if (a->severity < s->min || a->about == i)
			continue;
		if (!ring_push(&s->ring, a)) {
			s->dropped++;
			h->dropped++;
			continue;
		}
		pthread_cond_signal(&s->cv);
	}
}

/* The summary of a dedup slot's repeats, and the slot freed (m held). */
static void
alert_dedup_close(struct alert_hub *h, struct alert_dedup *d, td_ns now)
{
	struct alert	 sum;

	if (d->held > 0) {
		sum = d->a;
		sum.time = now;
		sum.repeats = d->held;
		sum.span = h->cfg.dedup_window;
		alert_deliver(h, &sum);
	}
	d->used = false;
}

/* The summary of what the rate limit held back, window restarted. */
static void
alert_rate_close(struct alert_hub *h, enum alert_event ev, td_ns now)
{
	struct alert_rate	*r = &h->rate[ev];
	struct alert		 sum;
	char			 span[32];

	if (r->held > 0) {
		memset(&sum, 0, sizeof sum);
		sum.time = now;
		sum.severity = r->worst;
		sum.event = ev;
		sum.about = -1;
		snprintf(sum.text, sizeof sum.text, "%lld more %s alert%s held "
		    "back by the rate limit of %d per %s", (long long)r->held,
		    alert_event_name(ev), r->held == 1 ? " was" : "s were",
		    h->cfg.rate_limit, alert_span(h->cfg.rate_window, span,
		    sizeof span));
		alert_deliver(h, &sum);
	}
	r->start = now;
	r->count = 0;
	r->held = 0;
	r->worst = ALERT_INFO;
}

/* Dedup and rate limit one alert from the intake (m held). */
static void
alert_filter(struct alert_hub *h, const struct alert *a, td_ns now)
{
	struct alert_dedup	*d, *slot = NULL, *oldest = NULL;
	struct alert_rate	*r = &h->rate[a->event];
	uint64_t		 hash = alert_hash(a->text);

	if (h->cfg.dedup_window > 0) {
		for (int i = 0; i < ALERT_DEDUP; i++) {
			d = &h->dedup[i];
			if (!d->used) {
				if (slot == NULL)
					slot = d;
				continue;
			}
			if (d->ev == a->event && d->hash == hash &&
			    d->a.about == a->about) {
				if (now - d->first < h->cfg.dedup_window) {
					d->held++;
					h->suppressed++;
					return;
				}
				alert_dedup_close(h, d, now);
				slot = d;
				break;
			}
			if (oldest == NULL || d->first < oldest->first)
				oldest = d;
		}
		if (slot == NULL) {
			alert_dedup_close(h, oldest, now);
			slot = oldest;
		}
	}
	if (h->cfg.rate_limit > 0 && a->severity < ALERT_CRITICAL) {
		if (now - r->start >= h->cfg.rate_window)
			alert_rate_close(h, a->event, now);
		if (r->count >= h->cfg.rate_limit) {
			r->held++;
			if (a->severity > r->worst)
				r->worst = a->severity;
			h->suppressed++;
			return;
		}
		r->count++;
	}
	if (slot != NULL) {
		slot->used = true;
		slot->ev = a->event;
		slot->hash = hash;
		slot->first = now;
		slot->held = 0;
		slot->a = *a;
	}
	alert_deliver(h, a);
}

/* Summaries that have come due (m held). */
static void
alert_sweep(struct alert_hub *h, td_ns now)
{
	for (int i = 0; i < ALERT_DEDUP; i++) {
		struct alert_dedup	*d = &h->dedup[i];

		if (d->used && now - d->first >= h->cfg.dedup_window)
			alert_dedup_close(h, d, now);
	}
	for (int ev = 0; h->cfg.rate_limit > 0 && ev < ALERT_EVENTS; ev++) {
		if (h->rate[ev].held > 0 &&
		    now - h->rate[ev].start >= h->cfg.rate_window)
			alert_rate_close(h, (enum alert_event)ev, now);
	}
}

static void *
alert_dispatch_main(void *arg)
{
	struct alert_hub	*h = arg;
	struct alert		 a;

	pthread_mutex_lock(&h->m);
	while (!h->stop) {
		td_ns	 now = h->clock(h->clock_arg);

		h->dispatching = true;
		while (ring_pop(&h->in, &a))
			alert_filter(h, &a, now);
		alert_sweep(h, now);
		h->dispatching = false;
		pthread_cond_broadcast(&h->idle_cv);
		if (h->in.n == 0 && !h->stop)
			alert_wait_until(&h->cv, &h->m, alert_mono() +
			    ALERT_TICK);
	}
	pthread_mutex_unlock(&h->m);
	return NULL;
}

/* ---------------------------------------------------------------- sinks */

/* Deliver one alert with retries; m not held. */
static void
alert_send(struct alert_sink *s, const struct alert *a)
{
	struct alert_hub	*h = s->hub;
	td_ns			 backoff = h->cfg.backoff, until;
	char			 why[ALERT_ERROR_MAX], span[32];
	bool			 first, recovered;
	int			 rc;

	for (int attempt = 0;; attempt++) {
		why[0] = '\0';
		rc = s->ops->send(s->ctx, a, &h->stopping, why, sizeof why);
		pthread_mutex_lock(&h->m);
		if (rc == 0) {
			s->sent++;
			recovered = s->failing;
			s->failing = false;
			pthread_mutex_unlock(&h->m);
			if (recovered) {
				alert_log(h, LOG_INFO, "alert sink %s delivers "
				    "again", s->name);
				/* As severe as the failure, to the same. */
				alert_about_sink(h, s->index, ALERT_ERROR,
				    "alert sink %s delivers again", s->name);
			}
			return;
		}
		if (why[0] == '\0')
			snprintf(why, sizeof why, "failed");
		snprintf(s->last_error, sizeof s->last_error, "%s", why);
		if (rc == -2 || attempt >= h->cfg.retries ||
		    atomic_load(&h->stopping)) {
			s->failed++;
			first = !s->failing;
			s->failing = true;
			pthread_mutex_unlock(&h->m);
			alert_log(h, LOG_ERROR, "alert sink %s: %s alert "
			    "dropped after %d attempt%s: %s", s->name,
			    alert_event_name(a->event), attempt + 1,
			    attempt == 0 ? "" : "s", why);
			if (first)
				alert_about_sink(h, s->index, ALERT_ERROR,
				    "alert sink %s is failing (%s): alerts to "
				    "it are dropped after %d attempts; trading "
				    "goes on", s->name, why,
				    h->cfg.retries + 1);
			return;
		}
		s->retries++;
		pthread_mutex_unlock(&h->m);
		alert_log(h, LOG_WARNING, "alert sink %s: attempt %d failed: "
		    "%s; trying again in %s", s->name, attempt + 1, why,
		    backoff >= TD_NS_PER_SEC ? alert_span(backoff, span,
		    sizeof span) : "under a second");
		/* New alerts signal cv too: wait out the whole backoff. */
		until = alert_mono() + backoff;
		pthread_mutex_lock(&h->m);
		while (!h->stop && alert_mono() < until)
			alert_wait_until(&s->cv, &h->m, until);
		if (h->stop) {
			/* Abandoned: alert_stop counts it with the rest. */
			s->dropped++;
			h->dropped++;
			pthread_mutex_unlock(&h->m);
			return;
		}
		pthread_mutex_unlock(&h->m);
		backoff = backoff * 2 > h->cfg.backoff_max ?
		    h->cfg.backoff_max : backoff * 2;
	}
}

static void *
alert_sink_main(void *arg)
{
	struct alert_sink	*s = arg;
	struct alert_hub	*h = s->hub;
	struct alert		 a;

	pthread_mutex_lock(&h->m);
	for (;;) {
		while (s->ring.n == 0 && !h->stop)
			pthread_cond_wait(&s->cv, &h->m);
		if (h->stop || !ring_pop(&s->ring, &a))
			break;
		s->busy = true;
		pthread_mutex_unlock(&h->m);
		alert_send(s, &a);
		pthread_mutex_lock(&h->m);
		s->busy = false;
		pthread_cond_broadcast(&h->idle_cv);
	}
	pthread_mutex_unlock(&h->m);
	return NULL;
}

int
alert_start(struct alert_hub *h, struct errmsg *err)
{
	int	 rc;

	if (h->started)
		return 0;
	if ((rc = pthread_create(&h->thread, NULL, alert_dispatch_main,
	    h)) != 0)
		return errmsg_set(err, "alerts: thread: %s", strerror(rc));
	h->started = true;
	for (int i = 0; i < h->nsinks; i++) {
		struct alert_sink	*s = &h->sink[i];

		if ((rc = pthread_create(&s->thread, NULL, alert_sink_main,
		    s)) != 0) {
			errmsg_set(err, "alerts: thread: %s", strerror(rc));
			alert_stop(h, 0);
			return -1;
		}
		s->running = true;
	}
	return 0;
}

int
alert_send_now(struct alert_hub *h, int i, const struct alert *a, char *why,
    size_t n)
{
	const struct alert_sink	*s;

	if (i < 0 || i >= h->nsinks) {
		snprintf(why, n, "no alert sink %d", i);
		return -1;
	}
	if (h->started) {
		snprintf(why, n, "the alert hub is running");
		return -1;
	}
	s = &h->sink[i];
	why[0] = '\0';
	if (s->ops->send(s->ctx, a, &h->stopping, why, n) == 0)
		return 0;
	if (why[0] == '\0')
		snprintf(why, n, "failed");
	return -1;
}

/* ---------------------------------------------------------------- the end */

static bool
alert_busy(const struct alert_hub *h)
{
	if (h->in.n > 0 || h->dispatching)
		return true;
	for (int i = 0; i < h->nsinks; i++) {
		if (h->sink[i].ring.n > 0 || h->sink[i].busy)
			return true;
	}
	return false;
}

int
alert_idle(struct alert_hub *h, td_ns timeout)
{
	td_ns	 until = alert_mono() + timeout;
	int	 rc = 0;

	pthread_mutex_lock(&h->m);
	while (h->started && alert_busy(h)) {
		if (alert_mono() >= until) {
			rc = -1;
			break;
		}
		pthread_cond_signal(&h->cv);
		alert_wait_until(&h->idle_cv, &h->m, until);
	}
	pthread_mutex_unlock(&h->m);
	return rc;
}

void
alert_stop(struct alert_hub *h, td_ns drain)
{
	if (h == NULL || !h->started)
		return;
	if (drain > 0)
		(void)alert_idle(h, drain);
	pthread_mutex_lock(&h->m);
	h->stop = true;
	atomic_store(&h->stopping, true);
	pthread_cond_broadcast(&h->cv);
	for (int i = 0; i < h->nsinks; i++)
		pthread_cond_broadcast(&h->sink[i].cv);
	pthread_mutex_unlock(&h->m);
	pthread_join(h->thread, NULL);
	for (int i = 0; i < h->nsinks; i++) {
		if (h->sink[i].running)
			pthread_join(h->sink[i].thread, NULL);
		h->sink[i].running = false;
	}
	pthread_mutex_lock(&h->m);
	for (int i = 0; i < h->nsinks; i++) {
		h->dropped += h->sink[i].ring.n;
		h->sink[i].dropped += h->sink[i].ring.n;
		h->sink[i].ring.n = 0;
	}
	h->dropped += h->in.n;
	h->in.n = 0;
	h->started = false;
	pthread_mutex_unlock(&h->m);
}

void
alert_free(struct alert_hub *h)
{
	if (h == NULL)
		return;
	alert_stop(h, 0);
	for (int i = 0; i < h->nsinks; i++) {
		struct alert_sink	*s = &h->sink[i];

		if (s->ops->free != NULL)
			s->ops->free(s->ctx);
		free(s->ring.a);
		pthread_cond_destroy(&s->cv);
	}
	pthread_mutex_destroy(&h->m);
	pthread_cond_destroy(&h->cv);
	pthread_cond_destroy(&h->idle_cv);
	free(h->in.a);
	free(h);
}

void
alert_stats(struct alert_hub *h, struct alert_stats *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&h->m);
	out->raised = h->raised;
	out->suppressed = h->suppressed;
	out->dropped = h->dropped;
	out->queued = h->in.n;
	out->capacity = h->in.cap;
	out->nsinks = h->nsinks;
	for (int i = 0; i < h->nsinks; i++) {
		const struct alert_sink	*s = &h->sink[i];
		struct alert_sink_stats	*o = &out->sink[i];

		snprintf(o->name, sizeof o->name, "%s", s->name);
		o->min_severity = s->min;
		o->sent = s->sent;
		o->retries = s->retries;
		o->failed = s->failed;
		o->dropped = s->dropped;
		o->queued = s->ring.n;
		o->failing = s->failing;
		snprintf(o->last_error, sizeof o->last_error, "%s",
		    s->last_error);
		out->sent += s->sent;
		out->failed += s->failed;
		out->queued += s->ring.n;
		out->capacity += s->ring.cap;
	}
	pthread_mutex_unlock(&h->m);
}
