/*
 * pane-risk.c -- risk limits as gauges, the age of market data, and why
 * trading is not ACTIVE.
 *
 * Five gauges: daily loss and weekly loss (dollars), instruments with a
 * position, contracts on the largest position, and orders in the throttle
 * window.  A bar is '=' in the ok colour, '#' in yellow from 80% of its
 * limit and '!' reversed in red from 100% (gauge.c), so the level reads
 * without colour.  A limit of 0 is off.  The feed line ages the newest
 * market data against the stale-feed guard.  When the trading state is
 * not ACTIVE the reason the engine gave is shown (the tripped limit), on
 * its own line when there is room, else in the title.  The breakers line
 * under it names the circuit breakers that tripped (they stay tripped
 * until `breaker reset NAME`), or says how many watch and that none did.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "gauge.h"
#include "pane.h"

#define RISK_LABEL	11
#define RISK_BAR_MAX	30

static bool
risk_changed(const struct snapshot *old, const struct snapshot *cur)
{
	return memcmp(&old->daily_loss, &cur->daily_loss,
	    sizeof cur->daily_loss) != 0 ||
	    memcmp(&old->weekly_loss, &cur->weekly_loss,
	    sizeof cur->weekly_loss) != 0 ||
	    memcmp(&old->positions, &cur->positions,
	    sizeof cur->positions) != 0 ||
	    memcmp(&old->contracts, &cur->contracts,
	    sizeof cur->contracts) != 0 ||
	    memcmp(&old->order_rate, &cur->order_rate,
	    sizeof cur->order_rate) != 0 ||
	    strcmp(old->state, cur->state) != 0 ||
	    strcmp(old->state_why, cur->state_why) != 0 ||
	    memcmp(old->breakers, cur->breakers, sizeof cur->breakers) != 0 ||
	    old->now / TD_NS_PER_SEC != cur->now / TD_NS_PER_SEC;
}

static enum colour_role
risk_role(enum gauge_level level)
{
	switch (level) {
	case GAUGE_OFF:
		return COLOUR_DIM;
	case GAUGE_OK:
		return COLOUR_RISK_OK;
	case GAUGE_WARN:
		return COLOUR_RISK_WARN;
	case GAUGE_BREACH:
		return COLOUR_RISK_BREACH;
	}
	return COLOUR_NORMAL;
}

static void
risk_gauge(struct pane *p, const struct pane_ctx *ctx, int y,
    const char *label, const struct snap_gauge *g, bool money)
{
	enum gauge_level level = gauge_level(g->used, g->limit);
	char		 fig[64], used[24], lim[24], bar[RISK_BAR_MAX + 1];
	int		 x, width, fill;

	x = pane_printf(p, ctx, y, 0, 0, COLOUR_NORMAL, "%-*s", RISK_LABEL,
	    label);
	if (level == GAUGE_OFF) {
		pane_put(p, ctx, y, x, 0, COLOUR_DIM, "off");
		return;
	}
	if (money) {
		fmt_dollars(used, sizeof used, g->used);
		fmt_dollars(lim, sizeof lim, g->limit);
	} else {
		snprintf(used, sizeof used, "%lld", (long long)g->used);
		snprintf(lim, sizeof lim, "%lld", (long long)g->limit);
	}
	snprintf(fig, sizeof fig, "%s/%s", used, lim);
	/* The bar takes what the label and a 9-column figure leave. */
	width = p->rect.w - RISK_LABEL - 3 - 9;
	if (p->rect.w - RISK_LABEL >= RISK_BAR_MAX + 20) {
		width = RISK_BAR_MAX;
		snprintf(fig, sizeof fig, "%s/%s %d%%", used, lim,
		    gauge_percent(g->used, g->limit));
	}
	if (width > RISK_BAR_MAX)
		width = RISK_BAR_MAX;
	if (width >= 4) {
		fill = gauge_fill(g->used, g->limit, width);
		memset(bar, '.', (size_t)width);
		memset(bar, level == GAUGE_OK ? '=' : level == GAUGE_WARN ?
		    '#' : '!', (size_t)fill);
		bar[width] = '\0';
		x = pane_put(p, ctx, y, x, 0, COLOUR_DIM, "[");
		if (fill > 0)
			x = pane_put(p, ctx, y, x, fill, risk_role(level), bar);
		x = pane_put(p, ctx, y, x, 0, COLOUR_DIM, bar + fill);
		x = pane_put(p, ctx, y, x, 0, COLOUR_DIM, "] ");
	}
	pane_put(p, ctx, y, x, 0, level == GAUGE_OK ? COLOUR_NORMAL :
	    risk_role(level), fig);
}

static void
risk_feed(struct pane *p, const struct pane_ctx *ctx, int y)
{
	const struct snapshot	*s = ctx->snap;
	td_ns			 last = 0;
	char			 age[24], lim[24];
	int			 x;

	for (int i = 0; i < s->ninst; i++) {
		if (s->inst[i].last_md > last)
			last = s->inst[i].last_md;
	}
	x = pane_printf(p, ctx, y, 0, 0, COLOUR_NORMAL, "%-*s", RISK_LABEL,
	    "feed");
	if (last == 0) {
		pane_put(p, ctx, y, x, 0, COLOUR_DIM, "no market data yet");
		return;
	}
	fmt_age(age, sizeof age, s->now - last);
	if (s->stale_after > 0 && s->now - last > s->stale_after) {
		fmt_age(lim, sizeof lim, s->stale_after);
		pane_printf(p, ctx, y, x, 0, COLOUR_WARN,
		    "STALE %s (limit %s)", age, lim);
	} else
		pane_printf(p, ctx, y, x, 0, COLOUR_NORMAL, "last data %s ago",
		    age);
}

static void
risk_breakers(struct pane *p, const struct pane_ctx *ctx, int y)
{
	const struct snapshot	*s = ctx->snap;
	char			 names[96] = "";
	size_t			 n = 0;
	int			 on = 0, x;

	for (int i = 0; i < SNAP_BREAKERS; i++) {
		if (s->breakers[i].on)
			on++;
		if (s->breakers[i].tripped && n < sizeof names)
			n += (size_t)snprintf(names + n, sizeof names - n,
			    "%s%s", n > 0 ? ", " : "", s->breakers[i].name);
	}
	x = pane_printf(p, ctx, y, 0, 0, COLOUR_NORMAL, "%-*s", RISK_LABEL,
	    "breakers");
	if (n > 0)
		pane_printf(p, ctx, y, x, 0, COLOUR_RISK_BREACH, "TRIPPED %s "
		    "(breaker reset NAME)", names);
	else if (on > 0)
		pane_printf(p, ctx, y, x, 0, COLOUR_RISK_OK, "%d watching, "
		    "none tripped", on);
	else
		pane_put(p, ctx, y, x, 0, COLOUR_DIM, "off");
}

static void
risk_draw(struct pane *p, const struct pane_ctx *ctx)
{
	const struct snapshot	*s = ctx->snap;
	char			 why[160] = "";
	bool			 tripped;
	int			 y = 1;

	tripped = s->state[0] != '\0' && strcmp(s->state, "ACTIVE") != 0;
	if (tripped)
		snprintf(why, sizeof why, "%s%s%s%s%s", s->state,
		    s->state_who[0] != '\0' ? " by " : "", s->state_who,
		    s->state_why[0] != '\0' ? ": " : "", s->state_why);
	/* Title, five gauges and the feed: the reason needs an eighth row. */
	pane_title(p, ctx, tripped && p->rect.h < 8 ? why : "");
	risk_gauge(p, ctx, y++, "daily loss", &s->daily_loss, true);
	risk_gauge(p, ctx, y++, "week loss", &s->weekly_loss, true);
	risk_gauge(p, ctx, y++, "positions", &s->positions, false);
	risk_gauge(p, ctx, y++, "contracts", &s->contracts, false);
	risk_gauge(p, ctx, y++, "orders", &s->order_rate, false);
	risk_feed(p, ctx, y++);
	if (tripped && y < p->rect.h)
		pane_put(p, ctx, y++, 0, 0, COLOUR_RISK_BREACH, why);
	if (y < p->rect.h)
		risk_breakers(p, ctx, y);
}

const struct pane_ops pane_risk_ops = {
	.title = "Risk",
	.slot = LAYOUT_RISK,
	.changed = risk_changed,
	.draw = risk_draw,
};
