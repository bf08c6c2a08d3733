/*
 * pane-status.c -- the status bar on the top line.
 *
 * Mode, the configuration's environment (prod in the warning colour: the
 * limits and the logs are production's), venue connection (up,
 * connecting or lost; not up in the warning colour; with a broker
 * session, the seconds since its counterparty last spoke; the same for
 * a live feed with a link of its own, as "prices"), trading state
 * (coloured, and a word in any scheme), the rollout stage when there is
 * a ladder ("stage micro 1/3"), session phase, exchange time in
 * the exchange's time zone, replay speed (or "live feed") and pause.
 * A replay shows where it is in its data on a slider, "[####------] 43%"
 * (the share of its files' bytes, or of the demo's days, read so far),
 * and SEEKING while a `replay
 * goto` or `replay step bar` runs.
 * When the line is too narrow the clock loses the zone's name, then its
 * date, then optional notes go; the trading state and the environment are never dropped.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feed.h"
#include "fmt.h"
#include "pane.h"
#include "tz.h"

#define STATUS_SEGS	12
#define STATUS_SLIDER	10	/* cells of the slider */

struct status_seg {
	char		 text[64];
	enum colour_role role;
	int		 drop;		/* 1: optional, goes when room is short */
};

static const char *
status_mode(enum snap_mode m)
{
	switch (m) {
	case SNAP_BACKTEST:
		return "BACKTEST";
	case SNAP_REPLAY:
		return "REPLAY";
	case SNAP_PAPER:
		return "PAPER";
	case SNAP_LIVE:
		return "LIVE";
	}
	return "?";
}

static enum colour_role
status_state_role(const char *state)
{
	if (strcmp(state, "ACTIVE") == 0)
		return COLOUR_STATE_ACTIVE;
	if (strcmp(state, "REDUCING") == 0)
		return COLOUR_STATE_REDUCING;
	if (strcmp(state, "HALTED") == 0)
		return COLOUR_STATE_HALTED;
	return COLOUR_STATE_KILLED;
}

/* The last part of a zone's name: "America/New_York" -> "New_York". */
static const char *
status_zone(const char *tz)
{
	const char	*s = strrchr(tz, '/');

	return s != NULL ? s + 1 : tz;
}

static int
status_add(struct status_seg *seg, int n, enum colour_role role, int drop,
    const char *fmt, const char *arg)
{
	if (n == STATUS_SEGS)
		return n;
	snprintf(seg[n].text, sizeof seg[n].text, fmt, arg);
	seg[n].role = role;
	seg[n].drop = drop;
	return n + 1;
}

static int
status_width(const struct status_seg *seg, int n)
{
	int	 w = 0;

	for (int i = 0; i < n; i++) {
		if (seg[i].text[0] != '\0')
			w += (int)strlen(seg[i].text) + 3;
	}
	return w;
}

/*
 * A link and its state: "fix up 4s" (the counterparty last spoke 4 s
 * ago), "prices lost 75s"; the simulator has no session to age.
 */
static void
status_link(const char *what, const char *state, td_ns heard, char *buf,
    size_t len)
{
	struct timespec	 ts;
	td_ns		 now, age;
	int		 n;

	n = snprintf(buf, len, "%s %s", what, state);
	if (heard == 0 || n < 0 || (size_t)n >= len)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (td_ns)ts.tv_sec * TD_NS_PER_SEC + ts.tv_nsec;
	age = now > heard ? (now - heard) / TD_NS_PER_SEC : 0;
	snprintf(buf + n, len - (size_t)n, " %llds", (long long)age);
}

/* "[####------] 43%": the replay's place in its data. */
static void
status_slider(const struct snapshot *s, char *buf, size_t len)
{
	int64_t	 pct = s->replay_done * 100 / s->replay_total;
	int64_t	 fill = s->replay_done * STATUS_SLIDER / s->replay_total;
	char	 bar[STATUS_SLIDER + 1];

	for (int i = 0; i < STATUS_SLIDER; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[STATUS_SLIDER] = '\0';
	snprintf(buf, len, "[%s] %lld%%", bar, (long long)pct);
}

static void
status_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	struct status_seg	 seg[STATUS_SEGS];
	char			 clock[32], speed[16], venue[40], prices[40];
	char			 env[sizeof s->env];
	int			 n = 0, x = 0, clock_at;

	fmt_clock(clock, sizeof clock, ctx->tz, s->now, 1);
	if (s->feed_live)
		snprintf(speed, sizeof speed, "live feed");
	else
		fmt_speed(speed, sizeof speed, s->speed);
	status_link(s->venue[0] != '\0' ? s->venue : "venue",
	    venue_conn_name(s->venue_conn), s->venue_heard, venue,
	    sizeof venue);
	if (s->feed_conn >= 0)
		status_link("prices", feed_conn_name((enum feed_conn)
		    s->feed_conn), s->feed_heard, prices, sizeof prices);

	n = status_add(seg, n, COLOUR_STATUS, 0, "%s", status_mode(s->mode));
	if (s->env[0] != '\0') {
		for (size_t i = 0; i < sizeof env; i++)
			env[i] = (char)toupper((unsigned char)s->env[i]);
		env[sizeof env - 1] = '\0';
		n = status_add(seg, n, strcmp(s->env, "prod") == 0 ?
		    COLOUR_WARN : COLOUR_STATUS, 0, "%s", env);
	}
	n = status_add(seg, n, s->venue_conn == VENUE_UP ? COLOUR_STATUS :
	    COLOUR_WARN, 0, "%s", venue);
	if (s->feed_conn >= 0)
		n = status_add(seg, n, s->feed_conn == FEED_UP ?
		    COLOUR_STATUS : COLOUR_WARN, 0, "%s", prices);
	n = status_add(seg, n, status_state_role(s->state), 0, "%s",
	    s->state[0] != '\0' ? s->state : "STARTING");
	if (s->rollout_stages > 0) {
		char	 stage[TD_NAME_MAX + 32];

		snprintf(stage, sizeof stage, "stage %s %d/%d", s->rollout,
		    s->rollout_stage + 1, s->rollout_stages);
		n = status_add(seg, n, COLOUR_STATUS, 0, "%s", stage);
	}
	n = status_add(seg, n, COLOUR_STATUS, 0, "%s", s->session[0] != '\0' ?
	    s->session : "-");
	/* Exchange time; the zone and then the date go when room is short. */
	clock_at = n;
	n = status_add(seg, n, COLOUR_STATUS, 0, "%s", clock);
	n = status_add(seg, n, COLOUR_STATUS, 0, "%s", speed);
	if (!s->feed_live && s->replay_total > 0) {
		char	 slider[64];

		status_slider(s, slider, sizeof slider);
		n = status_add(seg, n, COLOUR_STATUS, 1, "%s", slider);
	}
	if (s->finished)
		n = status_add(seg, n, COLOUR_WARN, 0, "%s", "END OF DATA");
	else if (s->seeking)
		n = status_add(seg, n, COLOUR_WARN, 0, "%s", "SEEKING");
	else if (s->paused && !s->feed_live)
		n = status_add(seg, n, COLOUR_WARN, 0, "%s", "PAUSED");
	if (s->dropped_logs > 0)
		n = status_add(seg, n, COLOUR_WARN, 1, "%s", "log lines dropped");

	snprintf(seg[clock_at].text, sizeof seg[clock_at].text, "%s %.30s",
	    clock, status_zone(s->tz));
	if (status_width(seg, n) > p->rect.w)
		snprintf(seg[clock_at].text, sizeof seg[clock_at].text, "%s",
		    clock);
	if (status_width(seg, n) > p->rect.w)
		snprintf(seg[clock_at].text, sizeof seg[clock_at].text, "%s",
		    clock + 11);
	for (int i = 0; i < n && status_width(seg, n) > p->rect.w; i++) {
		if (seg[i].drop > 0)
			seg[i].text[0] = '\0';
	}

	wmove(p->win, 0, 0);
	wattrset(p->win, colour_attr(ctx->colour, COLOUR_STATUS));
	for (int i = 0; i < p->rect.w; i++)
		waddch(p->win, ' ');
	for (int i = 0; i < n; i++) {
		if (seg[i].text[0] == '\0')
			continue;
		if (x > 0)
			x = pane_put(p, ctx, 0, x, 0, COLOUR_STATUS, " | ");
		else
			x = pane_put(p, ctx, 0, x, 0, COLOUR_STATUS, " ");
		x = pane_put(p, ctx, 0, x, 0, seg[i].role, seg[i].text);
	}
}

const struct pane_ops pane_status_ops = {
	.title = "status",
	.slot = LAYOUT_STATUS,
	.draw = status_draw,
};
