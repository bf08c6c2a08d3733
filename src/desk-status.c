/*
 * desk-status.c -- `status`: the trading state and who set it, the mode,
 * clock and replay speed (or how long a live feed has been silent), the account's P&L, the log lines dropped, and
 * the desk's health: uptime, memory, stage latencies, queue depths,
 * alerts and circuit breakers.
 */
#include <stdio.h>
#include <string.h>

#include "desk.h"
#include "engine.h"
#include "health.h"

static const char *
desk_status_mode(enum snap_mode mode)
{
	switch (mode) {
	case SNAP_BACKTEST:
		return "backtest";
	case SNAP_REPLAY:
		return "replay";
	case SNAP_PAPER:
		return "paper";
	case SNAP_LIVE:
		return "live";
	}
	return "?";
}

/* A duration for people: "850ns", "1.2us", "3.4ms", "1.20s". */
static char *
desk_status_dur(td_ns ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lldns", (long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%lld.%lldus", (long long)(ns / 1000),
		    (long long)(ns / 100 % 10));
	else if (ns < TD_NS_PER_SEC)
		snprintf(buf, len, "%lld.%lldms", (long long)(ns / 1000000),
		    (long long)(ns / 100000 % 10));
	else
		snprintf(buf, len, "%lld.%02llds", (long long)(ns /
		    TD_NS_PER_SEC), (long long)(ns / 10000000 % 100));
	return buf;
}

/*
 * The health lines: uptime and memory, stage latencies, queues, alerts
 * and breakers (the same figures as /metrics).
 */
static void
desk_status_health(struct desk_cmd *c, const struct snapshot *s)
{
	const struct snap_alerts	*a = &s->alerts;
	char				 line[1024], p50[32], p99[32], mx[32];
	int64_t				 up = s->uptime / TD_NS_PER_SEC;
	int64_t				 rss = health_rss();
	size_t				 n = 0;

	if (c->runner != NULL)
		n = (size_t)snprintf(line, sizeof line, "uptime %lld:%02lld:"
		    "%02lld, ", (long long)(up / 3600),
		    (long long)(up / 60 % 60), (long long)(up % 60));
	snprintf(line + n, sizeof line - n, "memory %lld.%lld MB resident",
	    (long long)(rss / 1048576), (long long)(rss % 1048576 * 10 /
	    1048576));
	desk_print(c, "%s", rss < 0 ? "memory unknown" : line);
	if (!s->latency_on)
		desk_print(c, "latency not timed (health.latency = false)");
	else {
		n = (size_t)snprintf(line, sizeof line, "latency p50/p99/max:");
		for (int i = 0; i < SNAP_STAGES && n < sizeof line; i++)
			n += (size_t)snprintf(line + n, sizeof line - n,
			    "%s %s %s/%s/%s", i > 0 ? "," : "",
			    engine_stage_name(i), desk_status_dur(
			    s->latency[i].p50, p50, sizeof p50),
			    desk_status_dur(s->latency[i].p99, p99, sizeof p99),
			    desk_status_dur(s->latency[i].max, mx, sizeof mx));
		desk_print(c, "%s", line);
	}
	if (c->runner != NULL)
		desk_print(c, "queues: commands %d/%d, log %d/%d, alerts %d/%d",
		    s->cmd_queue, s->cmd_capacity, s->log_queue,
		    s->log_capacity, a->queued, a->capacity);
	if (a->on) {
		n = (size_t)snprintf(line, sizeof line, "alerts: %lld raised, "
		    "%lld delivered, %lld failed, %lld held back, %lld dropped",
		    (long long)a->raised, (long long)a->sent,
		    (long long)a->failed, (long long)a->suppressed,
		    (long long)a->dropped);
		if (a->nsinks == 0)
			snprintf(line + n, sizeof line - n, "; no sinks");
		for (int i = 0; i < a->nsinks && n < sizeof line; i++)
			n += (size_t)snprintf(line + n, sizeof line - n,
			    "; %s %s%s", a->sink[i].name, a->sink[i].failing ?
			    "FAILING: " : "ok", a->sink[i].failing ?
			    a->sink[i].last_error : "");
		desk_print(c, "%s", line);
	}
	n = (size_t)snprintf(line, sizeof line, "breakers:");
	for (int i = 0; i < SNAP_BREAKERS && n < sizeof line; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%s %s %s",
		    i > 0 ? "," : "", s->breakers[i].name,
		    s->breakers[i].tripped ? "TRIPPED" : s->breakers[i].on ?
		    "ok" : "off");
	desk_print(c, "%s", line);
}

/*
 * A live feed: how long it has been silent (its events come as they are
 * written, so a silence is the writer's; the risk pane's feed line says
 * how late that is for the stale-feed guard).
 */
static void
desk_status_feed(struct desk_cmd *c, const struct snapshot *s)
{
	char	 quiet[32];

	if (!s->feed_live)
		return;
	desk_status_dur(s->feed_quiet, quiet, sizeof quiet);
	if (s->finished)
		desk_print(c, "feed live: ended, no source left to read");
	else if (s->events == 0)
		desk_print(c, "feed live, paced by arrival: no data yet, "
		    "waiting for %s", quiet);
	else
		desk_print(c, "feed live, paced by arrival: last event %s ago",
		    quiet);
}

static void
desk_status_exec(struct desk_cmd *c)
{
	const struct snapshot	*s;
	char			 when[32], now[32], speed[16], clock[128];
	char			 day[48], week[48], real[48], unreal[48];
	int			 open = 0;

	if (c->argc != 1) {
		desk_unexpected(c, c->argv[1]);
		return;
	}
	s = desk_snapshot(c);
	if (strcmp(s->state, "ACTIVE") == 0)
		desk_print(c, "state %s", s->state);
	else if (s->state_when == 0)		/* before any market data */
		desk_print(c, "state %s by %s: %s", s->state, s->state_who,
		    s->state_why);
	else
		desk_print(c, "state %s since %s by %s: %s", s->state,
		    desk_time(c, s->state_when, when, sizeof when),
		    s->state_who, s->state_why);
	if (s->rollout_stages > 0)
		desk_print(c, "rollout stage %s (%d of %d; rollout status)",
		    s->rollout, s->rollout_stage + 1, s->rollout_stages);
	if (s->now != 0)
		snprintf(clock, sizeof clock, "%s %s", desk_time(c, s->now,
		    now, sizeof now), s->tz);
	else
		snprintf(clock, sizeof clock, "no data yet");
	if (s->feed_live)
		snprintf(speed, sizeof speed, "live feed");
	else if (c->runner != NULL)
		desk_speed(s->speed, speed, sizeof speed);
	desk_print(c, "mode %s%s%s%s, venue %s %s, session %s, %s",
	    desk_status_mode(s->mode), c->runner == NULL ? "" :
	    s->feed_live ? ", " : ", speed ", c->runner != NULL ? speed : "",
	    s->paused && !s->feed_live ? " (paused)" : "", s->venue,
	    venue_conn_name(s->venue_conn), s->session, clock);
	desk_status_feed(c, s);
	desk_print(c, "day P&L %s, week P&L %s (realized %s, unrealized %s)",
	    desk_money(s->day_pnl, day, sizeof day),
	    desk_money(s->week_pnl, week, sizeof week),
	    desk_money(s->realized, real, sizeof real),
	    desk_money(s->unrealized, unreal, sizeof unreal));
	for (int i = 0; i < s->ninst; i++) {
		if (s->inst[i].position != 0)
			open++;
	}
	desk_print(c, "positions %d, working orders %d, events %lld, orders "
	    "refused %lld", open, s->nworking, (long long)s->events,
	    (long long)s->rejects);
	if (c->runner != NULL)
		desk_print(c, "log lines dropped %lld (%lld debug) on screen, "
		    "%lld (%lld debug) to the log file",
		    (long long)s->dropped_logs,
		    (long long)s->dropped_debug_logs,
		    (long long)s->dropped_file_logs,
		    (long long)s->dropped_file_debug);
	desk_status_health(c, s);
}

const struct desk_entry desk_status_entry = {
	.name = "status",
	.usage = "",
	.summary = "trading state, mode, exchange time and P&L",
	.flags = DESK_WHILE_HALTED,
	.exec = desk_status_exec,
};
