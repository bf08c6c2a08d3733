/*
 * pane-risk.c -- risk limits as gauges, the age of market data, and why
 * trading is not ACTIVE.
 *
 * Five gauges: daily loss and weekly loss (dollars), instruments with a
 * position, contracts on the largest position, and orders in the throttle
 * window.  A bar is '=' in the ok colour, '#' in yellow from 80% of its
 * limit and '!' reversed in red from 100% (gauge.c), so the level reads
 * without colour.  A limit of 0 is off.  The feed line shows the figure
 * the stale-feed guard judges (how soon the next bar is due, or how late
 * the data is), from the snapshot.  When the trading state is
 * not ACTIVE the state is in the title and the reason the engine gave
 * (the tripped limit) comes first, whole, wrapped on up to three rows.  The breakers line
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
#define RISK_FEED_MAX	128	/* the feed line */
#define RISK_WHY_ROWS	3	/* the reason trading is not ACTIVE */

static enum colour_role risk_feed_text(const struct snapshot *, char *,
		     size_t, char *, size_t);

/* The feed line reads differently (it moves with the engine's clock). */
static bool
risk_feed_changed(const struct snapshot *old, const struct snapshot *cur)
{
	char	 a[RISK_FEED_MAX], b[RISK_FEED_MAX];
	char	 ta[RISK_FEED_MAX], tb[RISK_FEED_MAX];

	return risk_feed_text(old, a, sizeof a, ta, sizeof ta) !=
	    risk_feed_text(cur, b, sizeof b, tb, sizeof tb) ||
	    strcmp(a, b) != 0 || strcmp(ta, tb) != 0;
}

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
	    risk_feed_changed(old, cur);
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

/*
 * The feed line: the stale-feed guard's own figure (snap_inst.md_late) for
 * the feed it would trip on first, the latest of those it watches: "ES
 * next bar in 12s", "ES bar 2.3s late", "ES no tick for 4.1s", "STALE: ES
 * bar 31s late"; tail gets the limit, " (limit 30s)" or " (guard off)".
 */
static enum colour_role
risk_feed_text(const struct snapshot *s, char *buf, size_t len, char *tail,
    size_t tlen)
{
	const struct snap_inst	*w = NULL;
	bool			 data = false, stale;
	char			 age[24], lim[24];

	tail[0] = '\0';
	for (int i = 0; i < s->ninst; i++) {
		const struct snap_inst	*si = &s->inst[i];

		data |= si->last_md != 0;
		if (si->md_watched && (w == NULL || si->md_late > w->md_late))
			w = si;
	}
	if (!data) {
		snprintf(buf, len, "no market data yet");
		return COLOUR_DIM;
	}
	if (w == NULL) {
		snprintf(buf, len, "no session open, not watched");
		return COLOUR_DIM;
	}
	if (s->stale_after > 0)
		snprintf(tail, tlen, " (limit %s)",
		    fmt_age(lim, sizeof lim, s->stale_after));
	else
		snprintf(tail, tlen, " (guard off)");
	if (w->md_late < 0) {
		snprintf(buf, len, "%s next bar in %s", w->symbol,
		    fmt_age(age, sizeof age, -w->md_late));
		return COLOUR_NORMAL;
	}
	stale = s->stale_after > 0 && w->md_late > s->stale_after;
	fmt_age(age, sizeof age, w->md_late);
	snprintf(buf, len, "%s%s %s %s%s", stale ? "STALE: " : "", w->symbol,
	    w->md_bars ? "bar" : "no tick for", age, w->md_bars ? " late" :
	    "");
	return stale ? COLOUR_WARN : COLOUR_NORMAL;
}

static void
risk_feed(struct pane *p, const struct pane_ctx *ctx, int y)
{
	char			 text[RISK_FEED_MAX], tail[RISK_FEED_MAX];
	enum colour_role	 role;
	int			 x;

	x = pane_printf(p, ctx, y, 0, 0, COLOUR_NORMAL, "%-*s", RISK_LABEL,
	    "feed");
	role = risk_feed_text(ctx->snap, text, sizeof text, tail,
	    sizeof tail);
	x = pane_put(p, ctx, y, x, 0, role, text);
	/* The limit only when it fits whole. */
	if (x + (int)strlen(tail) <= p->rect.w)
		pane_put(p, ctx, y, x, 0, COLOUR_DIM, tail);
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

/*
 * When trading is not ACTIVE, why comes first, whole (wrapped on up to
 * RISK_WHY_ROWS rows), and the gauges, the feed and the breakers follow
 * as far as there is room: at 80x24 the last ones give way.
 */
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
	pane_title(p, ctx, tripped ? s->state : "");
	if (tripped)
		y += pane_wrap(p, ctx, y, RISK_WHY_ROWS, COLOUR_RISK_BREACH,
		    why);
	risk_gauge(p, ctx, y++, "daily loss", &s->daily_loss, true);
	risk_gauge(p, ctx, y++, "week loss", &s->weekly_loss, true);
	risk_gauge(p, ctx, y++, "positions", &s->positions, false);
	risk_gauge(p, ctx, y++, "contracts", &s->contracts, false);
	risk_gauge(p, ctx, y++, "orders", &s->order_rate, false);
	risk_feed(p, ctx, y++);
	if (y < p->rect.h)
		risk_breakers(p, ctx, y);
}

const struct pane_ops pane_risk_ops = {
	.title = "Risk",
	.slot = LAYOUT_RISK,
	.changed = risk_changed,
	.draw = risk_draw,
};
