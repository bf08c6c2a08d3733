/*
 * risk.c -- pre-trade checks, loss limits and the trading state.
 *
 * The risk manager sits between every intent (strategy or trader) and the
 * order manager, and reads the portfolio after every fill and mark.  It
 * owns the trading state and the throttle's record of recent sends, a ring
 * of throttle_orders times taken at create so that a check never
 * allocates.
 *
 * Reasons are written for the person at the console: each one names the
 * figure, the limit and the order, in the same words as the limit's name in
 * the configuration, so "qty 500 exceeds max contracts 10" needs no manual.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"
#include "risk.h"

#define RISK_ENGINE	"engine"

struct risk {
	struct risk_cfg	 cfg;

	enum trading_state state;
	enum risk_reason cause;		/* limit behind the last change */
	char		 who[RISK_WHO_MAX];
	char		 why[RISK_WHY_MAX];
	td_ns		 when;

	unsigned	 breached;	/* reasons seen this day, week */

	td_ns		*sent;		/* ring of throttle_orders send times */
	int		 head;		/* oldest */
	int		 nsent;
};

static const char *const trading_state_names[] = {
	[TS_ACTIVE] = "ACTIVE",
	[TS_REDUCING] = "REDUCING",
	[TS_HALTED] = "HALTED",
	[TS_KILLED] = "KILLED",
};

static const char *const risk_reason_names[] = {
	[RISK_OK] = "ok",
	[RISK_HALTED] = "halted",
	[RISK_REDUCING] = "reducing",
	[RISK_KILLED] = "killed",
	[RISK_DAILY_LOSS] = "daily-loss",
	[RISK_TRAILING_LOSS] = "trailing-loss",
	[RISK_WEEKLY_LOSS] = "weekly-loss",
	[RISK_TRADE_RISK] = "trade-risk",
	[RISK_MAX_POSITIONS] = "max-positions",
	[RISK_MAX_CONTRACTS] = "max-contracts",
	[RISK_HOURS] = "hours",
	[RISK_THROTTLE] = "throttle",
	[RISK_COLLAR] = "collar",
	[RISK_BAD_ORDER] = "bad-order",
	[RISK_STALE_FEED] = "stale-feed",
};

#define RISK_BIT(reason)	(1u << (unsigned)(reason))
#define RISK_DAY_BITS		(RISK_BIT(RISK_DAILY_LOSS) | \
				 RISK_BIT(RISK_TRAILING_LOSS))

const char *
trading_state_name(enum trading_state s)
{
	if ((unsigned)s >= sizeof trading_state_names /
	    sizeof trading_state_names[0])
		return "?";
	return trading_state_names[s];
}

const char *
risk_reason_name(enum risk_reason r)
{
	if ((unsigned)r >= sizeof risk_reason_names /
	    sizeof risk_reason_names[0])
		return "?";
	return risk_reason_names[r];
}

static int
risk_check_cfg(const struct risk_cfg *c, struct errmsg *err)
{
	if (c->daily_loss < 0)
		return errmsg_set(err, "risk: daily loss must not be negative");
	if (c->trailing_loss < 0)
		return errmsg_set(err, "risk: trailing loss must not be "
		    "negative");
	if (c->weekly_loss < 0)
		return errmsg_set(err, "risk: weekly loss must not be "
		    "negative");
	if (c->max_trade_risk < 0)
		return errmsg_set(err, "risk: max trade risk must not be "
		    "negative");
	if (c->max_positions < 0)
		return errmsg_set(err, "risk: max positions must not be "
		    "negative");
	if (c->max_contracts < 0)
		return errmsg_set(err, "risk: max contracts must not be "
		    "negative");
	if (c->hours_start < 0 || c->hours_start > 1440 ||
	    c->hours_end < 0 || c->hours_end > 1440)
		return errmsg_set(err, "risk: hours must be 0 to 1440 "
		    "minutes");
	if (c->throttle_orders < 0)
		return errmsg_set(err, "risk: throttle orders must not be "
		    "negative");
	if (c->throttle_orders > 0 && c->throttle_window <= 0)
		return errmsg_set(err, "risk: throttle needs a positive "
		    "window");
	if (c->throttle_window < 0)
		return errmsg_set(err, "risk: throttle window must not be "
		    "negative");
	if (c->collar_ticks < 0)
		return errmsg_set(err, "risk: collar must not be negative");
	if (c->stale_after < 0)
		return errmsg_set(err, "risk: stale after must not be "
		    "negative");
	return 0;
}

struct risk *
risk_create(const struct risk_cfg *cfg, struct errmsg *err)
{
	struct risk	*r;

	if (risk_check_cfg(cfg, err) == -1)
		return NULL;
	r = calloc(1, sizeof *r);
	if (r == NULL)
		goto nomem;
	r->cfg = *cfg;
	if (cfg->throttle_window == 0)
		r->cfg.throttle_orders = 0;
	if (r->cfg.throttle_orders > 0) {
		r->sent = calloc((size_t)r->cfg.throttle_orders,
		    sizeof *r->sent);
		if (r->sent == NULL)
			goto nomem;
	}
	r->state = TS_ACTIVE;
	r->cause = RISK_OK;
	snprintf(r->who, sizeof r->who, "%s", RISK_ENGINE);
	snprintf(r->why, sizeof r->why, "start");
	return r;

nomem:
	risk_free(r);
	errmsg_set(err, "risk: out of memory");
	return NULL;
}

void
risk_free(struct risk *r)
{
	if (r == NULL)
		return;
	free(r->sent);
	free(r);
}

const struct risk_cfg *
risk_config(const struct risk *r)
{
	return &r->cfg;
}

static enum risk_reason
risk_why(enum risk_reason reason, char *why, size_t n, const char *fmt, ...)
{
	va_list	 ap;

	if (why != NULL && n > 0) {
		va_start(ap, fmt);
		vsnprintf(why, n, fmt, ap);
		va_end(ap);
	}
	return reason;
}

/* "1s", "250ms", "10ns": the window as the trader configured it. */
static void
risk_span(td_ns ns, char *buf, size_t len)
{
	if (ns % TD_NS_PER_SEC == 0)
		snprintf(buf, len, "%llds", (long long)(ns / TD_NS_PER_SEC));
	else if (ns % 1000000 == 0)
		snprintf(buf, len, "%lldms", (long long)(ns / 1000000));
	else
		snprintf(buf, len, "%lldns", (long long)ns);
}

/* Orders in the rolling window (now - window, now]. */
static bool
risk_throttled(const struct risk *r, td_ns now)
{
	int	 max = r->cfg.throttle_orders;

	if (max <= 0 || r->nsent < max)
		return false;
	/* The ring is full: the oldest of the last max sends decides. */
	return r->sent[r->head] > now - r->cfg.throttle_window;
}

static bool
risk_in_hours(const struct risk_cfg *c, int tod)
{
	if (c->hours_start == c->hours_end)
		return true;
	if (c->hours_start < c->hours_end)
		return tod >= c->hours_start && tod < c->hours_end;
	return tod >= c->hours_start || tod < c->hours_end;
}

/* Which loss limit the portfolio is beyond, if any. */
static enum risk_reason
risk_loss(const struct risk_cfg *c, const struct portfolio *pf, char *why,
    size_t n)
{
	char		 a[PORTFOLIO_FMT_MAX], b[PORTFOLIO_FMT_MAX];
	char		 d[PORTFOLIO_FMT_MAX], e[PORTFOLIO_FMT_MAX];
	td_cents	 day, peak, week;

	/* Runs after every mark: ask the portfolio only what a limit needs. */
	if (c->daily_loss <= 0 && c->trailing_loss <= 0 && c->weekly_loss <= 0)
		return RISK_OK;
	day = portfolio_day_pnl(pf);
	peak = c->trailing_loss > 0 ? portfolio_day_peak(pf) : 0;
	week = c->weekly_loss > 0 ? portfolio_week_pnl(pf) : 0;
	if (c->daily_loss > 0 && day <= -c->daily_loss)
		return risk_why(RISK_DAILY_LOSS, why, n, "day p&l %s reached "
		    "the daily loss limit of %s",
		    portfolio_format_money(day, a, sizeof a),
		    portfolio_format_money(c->daily_loss, b, sizeof b));
	if (c->trailing_loss > 0 && peak - day >= c->trailing_loss)
		return risk_why(RISK_TRAILING_LOSS, why, n, "day p&l %s is %s "
		    "below the day's peak %s, trailing loss limit %s",
		    portfolio_format_money(day, a, sizeof a),
		    portfolio_format_money(peak - day, b, sizeof b),
		    portfolio_format_money(peak, d, sizeof d),
		    portfolio_format_money(c->trailing_loss, e, sizeof e));
	if (c->weekly_loss > 0 && week <= -c->weekly_loss)
		return risk_why(RISK_WEEKLY_LOSS, why, n, "week p&l %s reached "
		    "the weekly loss limit of %s",
		    portfolio_format_money(week, a, sizeof a),
		    portfolio_format_money(c->weekly_loss, b, sizeof b));
	return RISK_OK;
}

enum risk_reason
risk_check(struct risk *r, const struct portfolio *pf,
    const struct instrument *inst, const struct risk_order *o, char *why,
    size_t n)
{
	const struct risk_cfg	*c = &r->cfg;
	char			 a[PORTFOLIO_FMT_MAX], b[PORTFOLIO_FMT_MAX];
	enum risk_reason	 loss;
	int64_t			 pos, proj;

	if (why != NULL && n > 0)
		why[0] = '\0';

	/* Nonsense is refused whoever sends it. */
	if (o->qty <= 0)
		return risk_why(RISK_BAD_ORDER, why, n, "qty %lld must be "
		    "positive", (long long)o->qty);
	if (o->side != TD_BUY && o->side != TD_SELL)
		return risk_why(RISK_BAD_ORDER, why, n, "bad side %d",
		    (int)o->side);
	if (o->inst < 0 || o->inst >= portfolio_count(pf))
		return risk_why(RISK_BAD_ORDER, why, n, "unknown instrument "
		    "%d", o->inst);

	/* Getting out is always allowed. */
	if (o->reduces)
		return RISK_OK;

	switch (r->state) {
	case TS_ACTIVE:
		break;
	case TS_REDUCING:
		return risk_why(RISK_REDUCING, why, n, "trading is REDUCING: "
		    "only orders that reduce a position");
	case TS_HALTED:
		return risk_why(RISK_HALTED, why, n, "trading is HALTED: "
		    "only orders that reduce a position");
	case TS_KILLED:
	default:
		return risk_why(RISK_KILLED, why, n, "trading is KILLED: "
		    "only orders that reduce a position");
	}

	loss = risk_loss(c, pf, why, n);
	if (loss != RISK_OK)
		return loss;

	if (!risk_in_hours(c, o->tod))
		return risk_why(RISK_HOURS, why, n, "entries allowed "
		    "%02d:%02d-%02d:%02d only, now %02d:%02d",
		    c->hours_start / 60, c->hours_start % 60,
		    c->hours_end / 60, c->hours_end % 60,
		    o->tod / 60, o->tod % 60);

	if (risk_throttled(r, o->now)) {
		risk_span(c->throttle_window, a, sizeof a);
		return risk_why(RISK_THROTTLE, why, n, "%d orders in the last "
		    "%s, limit %d", c->throttle_orders, a,
		    c->throttle_orders);
	}

	if (risk_check_collar(r, pf, inst, o->inst, o->type, o->price, why,
	    n) != RISK_OK)
		return RISK_COLLAR;

	pos = o->position;
	if (c->max_contracts > 0) {
		int64_t	 working = o->working_same_side;

		proj = pos + o->side * (working + o->qty);
		if (proj < 0)
			proj = -proj;
		if (proj > c->max_contracts) {
			if (pos == 0 && working == 0)
				return risk_why(RISK_MAX_CONTRACTS, why, n,
				    "qty %lld exceeds max contracts %lld",
				    (long long)o->qty,
				    (long long)c->max_contracts);
			return risk_why(RISK_MAX_CONTRACTS, why, n, "qty %lld "
			    "with position %lld and working entries %lld "
			    "makes %lld, exceeds max contracts %lld",
			    (long long)o->qty, (long long)pos,
			    (long long)working, (long long)proj,
			    (long long)c->max_contracts);
		}
	}

	if (c->max_positions > 0 && !o->inst_exposed &&
	    o->exposed + 1 > c->max_positions)
		return risk_why(RISK_MAX_POSITIONS, why, n, "a new position "
		    "in %s would make %d with positions or working entries, "
		    "max positions %d", inst->symbol, o->exposed + 1,
		    c->max_positions);

	if (c->max_trade_risk > 0) {
		td_cents	 risk;

		if (o->stop_ticks <= 0)
			return risk_why(RISK_TRADE_RISK, why, n, "entry "
			    "without a stop refused: max trade risk %s is set",
			    portfolio_format_money(c->max_trade_risk, a,
			    sizeof a));
		/* Beyond int64 is beyond any limit. */
		if (o->qty > INT64_MAX / o->stop_ticks ||
		    (inst->tick_value > 0 && (int64_t)o->stop_ticks * o->qty >
		    INT64_MAX / inst->tick_value))
			return risk_why(RISK_TRADE_RISK, why, n, "risk %d "
			    "ticks x %lld contracts exceeds max trade risk %s",
			    (int)o->stop_ticks, (long long)o->qty,
			    portfolio_format_money(c->max_trade_risk, a,
			    sizeof a));
		risk = (td_cents)o->stop_ticks * o->qty * inst->tick_value;
		if (risk > c->max_trade_risk)
			return risk_why(RISK_TRADE_RISK, why, n, "risk %d "
			    "ticks x %lld contract%s = %s exceeds max trade "
			    "risk %s", (int)o->stop_ticks, (long long)o->qty,
			    o->qty == 1 ? "" : "s",
			    portfolio_format_money(risk, a, sizeof a),
			    portfolio_format_money(c->max_trade_risk, b,
			    sizeof b));
	}
	return RISK_OK;
}

void
risk_note_order(struct risk *r, td_ns now)
{
	int	 max = r->cfg.throttle_orders;

	if (max <= 0)
		return;
	if (r->nsent < max)
		r->sent[(r->head + r->nsent++) % max] = now;
	else {
		r->sent[r->head] = now;
		r->head = (r->head + 1) % max;
	}
}

enum trading_state
risk_state(const struct risk *r)
{
	return r->state;
}

static void
risk_move(struct risk *r, enum trading_state to, const char *who,
    const char *why, td_ns t, enum risk_reason cause)
{
	r->state = to;
	r->cause = cause;
	r->when = t;
	snprintf(r->who, sizeof r->who, "%s", who);
	snprintf(r->why, sizeof r->why, "%s", why != NULL ? why : "");
}

int
risk_may_set_state(const struct risk *r, enum trading_state to,
    const char *who, struct errmsg *err)
{
	if ((unsigned)to > TS_KILLED)
		return errmsg_set(err, "unknown trading state %d", (int)to);
	if (who == NULL || *who == '\0')
		return errmsg_set(err, "a change of trading state needs who");
	if (to == r->state)
		return 0;
	if (strcmp(who, RISK_ENGINE) == 0 && to < r->state)
		return errmsg_set(err, "engine cannot move the state up from "
		    "%s to %s", trading_state_name(r->state),
		    trading_state_name(to));
	if (r->state == TS_KILLED && to == TS_REDUCING)
		return errmsg_set(err, "from KILLED only HALTED or ACTIVE");
	return 0;
}

int
risk_set_state(struct risk *r, enum trading_state to, const char *who,
    const char *why, td_ns t, struct errmsg *err)
{
	if (risk_may_set_state(r, to, who, err) == -1)
		return -1;
	if (to != r->state)
		risk_move(r, to, who, why, t, RISK_OK);
	return 0;
}

const char *
risk_state_who(const struct risk *r)
{
	return r->who;
}

const char *
risk_state_why(const struct risk *r)
{
	return r->why;
}

td_ns
risk_state_when(const struct risk *r)
{
	return r->when;
}

enum risk_reason
risk_state_cause(const struct risk *r)
{
	return r->cause;
}

enum risk_reason
risk_on_pnl(struct risk *r, const struct portfolio *pf, td_ns now,
    bool *flatten)
{
	char			 why[RISK_WHY_MAX];
	enum risk_reason	 reason;
	bool			 first, moved = false;

	if (flatten != NULL)
		*flatten = false;
	reason = risk_loss(&r->cfg, pf, why, sizeof why);
	if (reason == RISK_OK)
		return RISK_OK;
	first = (r->breached & RISK_BIT(reason)) == 0;
	r->breached |= RISK_BIT(reason);
	if (r->state < TS_HALTED) {
		risk_move(r, TS_HALTED, RISK_ENGINE, why, now, reason);
		moved = true;
	}
	if (flatten != NULL)
		*flatten = r->cfg.flatten_on_breach && (first || moved);
	return reason;
}

td_ns
risk_feed_due(const struct risk_feed *f)
{
	td_ns	 due = f->last + f->every;

	/*
	 * What it waits for would have come by the open: then the session's
	 * first bar is due at its end, and ticks at the open.
	 */
	if (due <= f->open)
		due = f->open + f->every;
	return due;
}

td_ns
risk_feed_late(const struct risk_feed *f, td_ns now)
{
	return now - risk_feed_due(f);
}

enum risk_reason
risk_on_clock(struct risk *r, td_ns now, const struct risk_feed *f)
{
	const char	*sym = f->symbol != NULL ? f->symbol : "feed";
	char		 why[RISK_WHY_MAX];
	td_ns		 late = risk_feed_late(f, now);

	if (r->cfg.stale_after <= 0 || late <= r->cfg.stale_after)
		return RISK_OK;
	if (r->state == TS_ACTIVE) {
		if (f->every > 0)
			snprintf(why, sizeof why, "%s: bar %llds late", sym,
			    (long long)(late / TD_NS_PER_SEC));
		else
			snprintf(why, sizeof why, "%s: no tick for %llds", sym,
			    (long long)(late / TD_NS_PER_SEC));
		risk_move(r, TS_REDUCING, RISK_ENGINE, why, now,
		    RISK_STALE_FEED);
	}
	return RISK_STALE_FEED;
}

void
risk_day_start(struct risk *r, td_ns t, bool unattended)
{
	r->breached &= ~RISK_DAY_BITS;
	if (!unattended)
		return;
	if ((r->state == TS_HALTED && (r->cause == RISK_DAILY_LOSS ||
	    r->cause == RISK_TRAILING_LOSS)) ||
	    (r->state == TS_REDUCING && r->cause == RISK_STALE_FEED))
		risk_move(r, TS_ACTIVE, "unattended", "new trading day", t,
		    RISK_OK);
}

void
risk_week_start(struct risk *r, td_ns t, bool unattended)
{
	r->breached &= ~RISK_BIT(RISK_WEEKLY_LOSS);
	if (unattended && r->state == TS_HALTED &&
	    r->cause == RISK_WEEKLY_LOSS)
		risk_move(r, TS_ACTIVE, "unattended", "new trading week", t,
		    RISK_OK);
}

int
risk_update(struct risk *r, const struct risk_cfg *cfg, struct errmsg *err)
{
	td_ns	*sent = NULL;
	int	 max = cfg->throttle_window == 0 ? 0 : cfg->throttle_orders;

	if (risk_check_cfg(cfg, err) == -1)
		return -1;
	if (max != r->cfg.throttle_orders) {
		if (max > 0 && (sent = calloc((size_t)max,
		    sizeof *sent)) == NULL)
			return errmsg_set(err, "risk: out of memory");
		free(r->sent);
		r->sent = sent;
		r->head = 0;
		r->nsent = 0;
	}
	r->cfg = *cfg;
	r->cfg.throttle_orders = max;
	return 0;
}

int
risk_recent_orders(const struct risk *r, td_ns now)
{
	int	 max = r->cfg.throttle_orders, n = 0;

	for (int i = 0; i < r->nsent && max > 0; i++) {
		if (r->sent[(r->head + i) % max] > now - r->cfg.throttle_window)
			n++;
	}
	return n;
}

/* The limits by their configuration names: where each lives, its unit. */
struct risk_limit {
	const char	*name;
	size_t		 off;
	enum { RL_I64, RL_INT, RL_SECONDS } kind;
};

static const struct risk_limit risk_limits[] = {
	{ "daily_loss", offsetof(struct risk_cfg, daily_loss), RL_I64 },
	{ "trailing_loss", offsetof(struct risk_cfg, trailing_loss), RL_I64 },
	{ "weekly_loss", offsetof(struct risk_cfg, weekly_loss), RL_I64 },
	{ "max_trade_risk", offsetof(struct risk_cfg, max_trade_risk),
	    RL_I64 },
	{ "max_positions", offsetof(struct risk_cfg, max_positions), RL_INT },
	{ "max_contracts", offsetof(struct risk_cfg, max_contracts), RL_I64 },
	{ "throttle_orders", offsetof(struct risk_cfg, throttle_orders),
	    RL_INT },
	{ "throttle_seconds", offsetof(struct risk_cfg, throttle_window),
	    RL_SECONDS },
	{ "price_collar_ticks", offsetof(struct risk_cfg, collar_ticks),
	    RL_I64 },
	{ "stale_feed_seconds", offsetof(struct risk_cfg, stale_after),
	    RL_SECONDS },
	{ NULL, 0, RL_INT },
};

static const struct risk_limit *
risk_limit_find(const char *name)
{
	for (const struct risk_limit *l = risk_limits; l->name != NULL; l++) {
		if (strcmp(l->name, name) == 0)
			return l;
	}
	return NULL;
}

int
risk_limit_get(const struct risk_cfg *c, const char *name, int64_t *out)
{
	const struct risk_limit	*l = risk_limit_find(name);
	const char		*p;

	if (l == NULL)
		return -1;
	p = (const char *)c + l->off;
	if (l->kind == RL_INT)
		*out = *(const int *)p;
	else if (l->kind == RL_SECONDS)
		*out = *(const td_ns *)p / TD_NS_PER_SEC;
	else
		*out = *(const int64_t *)p;
	return 0;
}

int
risk_limit_put(struct risk_cfg *c, const char *name, int64_t v)
{
	const struct risk_limit	*l = risk_limit_find(name);
	char			*p;

	if (l == NULL || v < 0 || v > (l->kind == RL_INT ? 1000000 :
	    INT64_MAX / TD_NS_PER_SEC))
		return -1;
	p = (char *)c + l->off;
	if (l->kind == RL_INT)
		*(int *)p = (int)v;
	else if (l->kind == RL_SECONDS)
		*(td_ns *)p = v * TD_NS_PER_SEC;
	else
		*(int64_t *)p = v;
	return 0;
}

enum risk_reason
risk_check_collar(const struct risk *r, const struct portfolio *pf,
    const struct instrument *inst, int i, enum order_type type,
    td_ticks price, char *why, size_t n)
{
	const struct risk_cfg	*c = &r->cfg;
	const char		*kind = type == ORD_LIMIT ? "limit" : "stop";
	char			 a[PORTFOLIO_FMT_MAX], b[PORTFOLIO_FMT_MAX];
	td_ticks		 last;
	int64_t			 dist;

	if (why != NULL && n > 0)
		why[0] = '\0';
	if (c->collar_ticks <= 0 || (type != ORD_LIMIT && type != ORD_STOP))
		return RISK_OK;
	if (!portfolio_last(pf, i, &last))
		return risk_why(RISK_COLLAR, why, n, "%s: no last price yet, "
		    "cannot check the %lld-tick collar", inst->symbol,
		    (long long)c->collar_ticks);
	dist = price > last ? price - last : last - price;
	if (dist > c->collar_ticks)
		return risk_why(RISK_COLLAR, why, n, "%s %s is %lld ticks from "
		    "last %s, collar %lld ticks", kind,
		    instrument_format(inst, price, a, sizeof a),
		    (long long)dist, instrument_format(inst, last, b, sizeof b),
		    (long long)c->collar_ticks);
	return RISK_OK;
}
