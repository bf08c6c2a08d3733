/*
 * health.c -- metrics and the health check from a copy of the runner's
 * state (health.h).
 *
 * Money is shown in dollars and durations in seconds, as Prometheus
 * wants, printed from the integers exactly (cents and nanoseconds), never
 * through a float.  Every series is always present, with 0 when there is
 * nothing to count, so that dashboards and alert rules never see gaps.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "errmsg.h"
#include "health.h"
#include "runner.h"

int64_t
health_rss(void)
{
	char		 buf[128];
	long long	 size, resident;
	ssize_t		 n;
	long		 page = sysconf(_SC_PAGESIZE);
	int		 fd;

	if ((fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0 || page <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%lld %lld", &size, &resident) != 2)
		return -1;
	return (int64_t)resident * page;
}

struct health_report *
health_report_create(struct errmsg *err)
{
	struct health_report	*r;

	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->snap = snapshot_create(NULL, err)) == NULL) {
		free(r);
		errmsg_set(err, "health: out of memory");
		return NULL;
	}
	return r;
}

void
health_report_free(struct health_report *r)
{
	if (r == NULL)
		return;
	snapshot_free(r->snap);
	free(r);
}

void
health_gather(struct runner *r, struct health_report *out)
{
	out->snap->seq = 0;		/* copy whatever is there */
	if (runner_snapshot(r, out->snap) != 1)
		snapshot_clear(out->snap);
	out->heartbeat = runner_heartbeat(r);
	out->rss = health_rss();
}

int
health_check(const struct health_report *r, char *why, size_t n)
{
	const struct snapshot	*s = r->snap;

	if (r->heartbeat < 0 || s->seq == 0) {
		snprintf(why, n, "engine thread not running");
		return 503;
	}
	if (r->heartbeat > HEALTH_STALE) {
		snprintf(why, n, "engine thread not responding: no sign of "
		    "life for %lld.%lld s", (long long)(r->heartbeat /
		    TD_NS_PER_SEC), (long long)(r->heartbeat / 100000000 %
		    10));
		return 503;
	}
	if (strcmp(s->state, "ACTIVE") == 0 ||
	    strcmp(s->state, "REDUCING") == 0) {
		snprintf(why, n, "ok");
		return 200;
	}
	snprintf(why, n, "%s%s%s%s%s", s->state, s->state_who[0] != '\0' ?
	    " by " : "", s->state_who, s->state_why[0] != '\0' ? ": " : "",
	    s->state_why);
	return 503;
}

/* ---------------------------------------------------------------- metrics */

struct out {
	char	*buf;
	size_t	 len;
	size_t	 used;
	bool	 full;
};

static void
put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->used) {
		o->full = true;
		return;
	}
	o->used += (size_t)n;
}

static void
head(struct out *o, const char *name, const char *type, const char *help)
{
	put(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* ns as seconds, exactly: "0.000001234". */
static char *
secs(td_ns ns, char *buf, size_t len)
{
	snprintf(buf, len, "%s%lld.%09lld", ns < 0 ? "-" : "",
	    (long long)(ns < 0 ? -ns : ns) / TD_NS_PER_SEC,
	    (long long)(ns < 0 ? -ns : ns) % TD_NS_PER_SEC);
	return buf;
}

/* cents as dollars, exactly: "-1234.50". */
static char *
dollars(td_cents c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%lld.%02lld", c < 0 ? "-" : "",
	    (long long)(c < 0 ? -c : c) / 100,
	    (long long)(c < 0 ? -c : c) % 100);
	return buf;
}

static void
metrics_engine(struct out *o, const struct health_report *r, int status)
{
	static const char *const states[] = { "ACTIVE", "REDUCING", "HALTED",
	    "KILLED" };
	const struct snapshot	*s = r->snap;
	char			 a[48];
	int			 open = 0;

	head(o, "tickdesk_up", "gauge", "1 while the engine thread is "
	    "alive.");
	put(o, "tickdesk_up %d\n", r->heartbeat >= 0 &&
	    r->heartbeat <= HEALTH_STALE && s->seq != 0);
	head(o, "tickdesk_healthy", "gauge", "1 when /health answers 200.");
	put(o, "tickdesk_healthy %d\n", status == 200);
	head(o, "tickdesk_heartbeat_age_seconds", "gauge", "Time since the "
	    "engine thread last published a snapshot.");
	put(o, "tickdesk_heartbeat_age_seconds %s\n", secs(r->heartbeat < 0 ?
	    0 : r->heartbeat, a, sizeof a));
	head(o, "tickdesk_uptime_seconds", "gauge", "Time since the engine "
	    "thread started.");
	put(o, "tickdesk_uptime_seconds %s\n", secs(s->uptime, a, sizeof a));
	head(o, "tickdesk_events_total", "counter", "Market events "
	    "processed.");
	put(o, "tickdesk_events_total %lld\n", (long long)s->events);
	head(o, "tickdesk_orders_refused_total", "counter", "Orders refused "
	    "by the sizer, the risk manager or the venue.");
	put(o, "tickdesk_orders_refused_total %lld\n", (long long)s->rejects);
	head(o, "tickdesk_trading_state", "gauge", "1 for the current "
	    "trading state.");
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		put(o, "tickdesk_trading_state{state=\"%s\"} %d\n", states[i],
		    strcmp(s->state, states[i]) == 0);
	head(o, "tickdesk_day_pnl_dollars", "gauge", "P&L of the trading "
	    "day, net.");
	put(o, "tickdesk_day_pnl_dollars %s\n", dollars(s->day_pnl, a,
	    sizeof a));
	head(o, "tickdesk_week_pnl_dollars", "gauge", "P&L of the week, "
	    "net.");
	put(o, "tickdesk_week_pnl_dollars %s\n", dollars(s->week_pnl, a,
	    sizeof a));
	for (int i = 0; i < s->ninst; i++) {
		if (s->inst[i].position != 0)
			open++;
	}
	head(o, "tickdesk_open_positions", "gauge", "Instruments with a "
	    "position.");
	put(o, "tickdesk_open_positions %d\n", open);
	head(o, "tickdesk_working_orders", "gauge", "Orders working.");
	put(o, "tickdesk_working_orders %d\n", s->nworking);
}

static void
metrics_latency(struct out *o, const struct snapshot *s)
{
	char	 a[48];

	head(o, "tickdesk_latency_enabled", "gauge", "1 when the stages are "
	    "timed (health.latency).");
	put(o, "tickdesk_latency_enabled %d\n", s->latency_on);
	head(o, "tickdesk_stage_latency_seconds", "summary", "Time taken "
	    "by each stage of a market event (quantiles within 25%).");
	for (int i = 0; i < SNAP_STAGES; i++) {
		const struct snap_latency	*l = &s->latency[i];
		const char			*st = engine_stage_name(i);

		put(o, "tickdesk_stage_latency_seconds{stage=\"%s\","
		    "quantile=\"0.5\"} %s\n", st, secs(l->p50, a, sizeof a));
		put(o, "tickdesk_stage_latency_seconds{stage=\"%s\","
		    "quantile=\"0.99\"} %s\n", st, secs(l->p99, a, sizeof a));
		put(o, "tickdesk_stage_latency_seconds_sum{stage=\"%s\"} %s\n",
		    st, secs(l->sum, a, sizeof a));
		put(o, "tickdesk_stage_latency_seconds_count{stage=\"%s\"} "
		    "%lld\n", st, (long long)l->count);
	}
	head(o, "tickdesk_stage_latency_max_seconds", "gauge", "The longest "
	    "time a stage took.");
	for (int i = 0; i < SNAP_STAGES; i++)
		put(o, "tickdesk_stage_latency_max_seconds{stage=\"%s\"} %s\n",
		    engine_stage_name(i), secs(s->latency[i].max, a,
		    sizeof a));
}

static void
metrics_queues(struct out *o, const struct health_report *r)
{
	const struct snapshot	*s = r->snap;

	head(o, "tickdesk_queue_depth", "gauge", "Entries waiting in a "
	    "queue.");
	put(o, "tickdesk_queue_depth{queue=\"commands\"} %d\n", s->cmd_queue);
	put(o, "tickdesk_queue_depth{queue=\"log\"} %d\n", s->log_queue);
	put(o, "tickdesk_queue_depth{queue=\"alerts\"} %d\n",
	    s->alerts.queued);
	head(o, "tickdesk_queue_capacity", "gauge", "Entries a queue holds.");
	put(o, "tickdesk_queue_capacity{queue=\"commands\"} %d\n",
	    s->cmd_capacity);
	put(o, "tickdesk_queue_capacity{queue=\"log\"} %d\n",
	    s->log_capacity);
	put(o, "tickdesk_queue_capacity{queue=\"alerts\"} %d\n",
	    s->alerts.capacity);
	head(o, "tickdesk_log_dropped_total", "counter", "Log lines dropped "
	    "by a full queue.");
	put(o, "tickdesk_log_dropped_total{sink=\"screen\"} %lld\n",
	    (long long)s->dropped_logs);
	put(o, "tickdesk_log_dropped_total{sink=\"file\"} %lld\n",
	    (long long)s->dropped_file_logs);
	head(o, "tickdesk_memory_rss_bytes", "gauge", "Resident memory of "
	    "the process.");
	put(o, "tickdesk_memory_rss_bytes %lld\n", (long long)r->rss);
}

static void
metrics_breakers(struct out *o, const struct snapshot *s)
{
	head(o, "tickdesk_breaker_tripped", "gauge", "1 while a circuit "
	    "breaker is tripped.");
	for (int i = 0; i < SNAP_BREAKERS; i++)
		put(o, "tickdesk_breaker_tripped{breaker=\"%s\"} %d\n",
		    s->breakers[i].name, s->breakers[i].tripped);
	head(o, "tickdesk_breaker_level", "gauge", "What a breaker counts "
	    "now (P&L swing in cents).");
	for (int i = 0; i < SNAP_BREAKERS; i++)
		put(o, "tickdesk_breaker_level{breaker=\"%s\"} %lld\n",
		    s->breakers[i].name, (long long)s->breakers[i].level);
	head(o, "tickdesk_breaker_limit", "gauge", "A breaker's threshold, "
	    "0 when off.");
	for (int i = 0; i < SNAP_BREAKERS; i++)
		put(o, "tickdesk_breaker_limit{breaker=\"%s\"} %lld\n",
		    s->breakers[i].name, (long long)s->breakers[i].limit);
}

static void
metrics_alerts(struct out *o, const struct snapshot *s)
{
	const struct snap_alerts	*a = &s->alerts;

	head(o, "tickdesk_alerts_total", "counter", "Alerts raised, held "
	    "back and dropped; deliveries made and given up, all sinks.");
	put(o, "tickdesk_alerts_total{outcome=\"raised\"} %lld\n",
	    (long long)a->raised);
	put(o, "tickdesk_alerts_total{outcome=\"suppressed\"} %lld\n",
	    (long long)a->suppressed);
	put(o, "tickdesk_alerts_total{outcome=\"dropped\"} %lld\n",
	    (long long)a->dropped);
	put(o, "tickdesk_alerts_total{outcome=\"delivered\"} %lld\n",
	    (long long)a->sent);
	put(o, "tickdesk_alerts_total{outcome=\"failed\"} %lld\n",
	    (long long)a->failed);
	head(o, "tickdesk_alert_sink_failing", "gauge", "1 while a sink's "
	    "last delivery failed.");
	for (int i = 0; i < a->nsinks; i++)
		put(o, "tickdesk_alert_sink_failing{sink=\"%s\"} %d\n",
		    a->sink[i].name, a->sink[i].failing);
	head(o, "tickdesk_alert_sink_sent_total", "counter", "Alerts a sink "
	    "delivered.");
	for (int i = 0; i < a->nsinks; i++)
		put(o, "tickdesk_alert_sink_sent_total{sink=\"%s\"} %lld\n",
		    a->sink[i].name, (long long)a->sink[i].sent);
	head(o, "tickdesk_alert_sink_retries_total", "counter", "Deliveries "
	    "a sink tried again.");
	for (int i = 0; i < a->nsinks; i++)
		put(o, "tickdesk_alert_sink_retries_total{sink=\"%s\"} %lld\n",
		    a->sink[i].name, (long long)a->sink[i].retries);
}

int
health_metrics(const struct health_report *r, char *buf, size_t len)
{
	struct out	 o = { .buf = buf, .len = len };
	char		 why[256];
	int		 status = health_check(r, why, sizeof why);

	if (len == 0)
		return -1;
	buf[0] = '\0';
	metrics_engine(&o, r, status);
	metrics_latency(&o, r->snap);
	metrics_queues(&o, r);
	metrics_breakers(&o, r->snap);
	metrics_alerts(&o, r->snap);
	return o.full ? -1 : (int)o.used;
}
