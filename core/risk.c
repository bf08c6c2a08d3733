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
 *
 * It also owns the table of the limits themselves (risk_limits, at the
 * end): their names, fields, units, ranges and which way loosens each, and
 * the small functions that read, check, parse and format a limit through
 * it, so that the configuration, the desk and reload agree with the checks
 * here on what a limit is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fixed.h"
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

static int	 risk_limit_check_field(const struct risk_limit *,
		     const struct risk_cfg *, struct errmsg *);

/* Every limit within its range, and what one limit needs of another. */
static int
risk_check_cfg(const struct risk_cfg *c, struct errmsg *err)
{
	const struct risk_limit	*l = risk_limits();

	for (int i = 0; i < RISK_NLIMITS; i++) {
		if (risk_limit_check_field(&l[i], c, err) == -1) {
			errmsg_prefix(err, "risk");
			return -1;
		}
	}
	if (c->throttle_orders > 0 && c->throttle_window <= 0)
		return errmsg_set(err, "risk: throttle needs a positive "
		    "window");
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
risk_in_hours(int start, int end, int tod)
{
	if (start == end)
		return true;
	if (start < end)
		return tod >= start && tod < end;
	return tod >= start || tod < end;
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
	if (!td_inst_in(o->inst, portfolio_count(pf)))
		return risk_why(RISK_BAD_ORDER, why, n, "unknown instrument "
		    "%d", o->inst.i);

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

	if (!risk_in_hours(c->hours_start, c->hours_end, o->tod))
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

const char *
risk_loss_pnl(enum risk_reason reason, const struct portfolio *pf,
    td_cents *pnl)
{
	if (reason == RISK_WEEKLY_LOSS) {
		*pnl = portfolio_week_pnl(pf);
		return "week P&L";
	}
	*pnl = portfolio_day_pnl(pf);
	return "day P&L";
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

enum risk_reason
risk_check_collar(const struct risk *r, const struct portfolio *pf,
    const struct instrument *inst, struct td_inst i, enum order_type type,
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

/* ---------------------------------------------------------------- limits */

/* The largest amount of money a limit takes: one billion dollars. */
#define RISK_MONEY_MAX	100000000000LL
/* The largest count of contracts, instruments or orders. */
#define RISK_COUNT_MAX	100000
/* The longest time a limit takes: a day. */
#define RISK_SECONDS_MAX 86400

/* A field of struct risk_cfg, and the value of one unit of it. */
#define RISK_AT(f, sc)							\
	.off = offsetof(struct risk_cfg, f),				\
	.size = sizeof(((struct risk_cfg *)0)->f),			\
	.scale = (sc)

static const struct risk_limit risk_limit_table[RISK_NLIMITS] = {
	[RISK_LIM_DAILY_LOSS] = {
		.name = "daily_loss", .unit = RISK_UNIT_MONEY,
		RISK_AT(daily_loss, 1), .min = 0, .max = RISK_MONEY_MAX,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "1000.00",
		.text = "halt trading when the day's loss reaches this; 0 is "
		"off",
	},
	[RISK_LIM_TRAILING_LOSS] = {
		.name = "trailing_loss", .unit = RISK_UNIT_MONEY,
		RISK_AT(trailing_loss, 1), .min = 0, .max = RISK_MONEY_MAX,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "0.00",
		.text = "halt trading when P&L falls this far below the day's "
		"peak; 0 is off",
	},
	[RISK_LIM_WEEKLY_LOSS] = {
		.name = "weekly_loss", .unit = RISK_UNIT_MONEY,
		RISK_AT(weekly_loss, 1), .min = 0, .max = RISK_MONEY_MAX,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "2500.00",
		.text = "halt trading when the week's loss reaches this; 0 is "
		"off",
	},
	[RISK_LIM_MAX_TRADE_RISK] = {
		.name = "max_trade_risk", .unit = RISK_UNIT_MONEY,
		RISK_AT(max_trade_risk, 1), .min = 0, .max = RISK_MONEY_MAX,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "500.00",
		.text = "refuse an entry whose stop risks more than this; 0 is "
		"off",
	},
	[RISK_LIM_MAX_POSITIONS] = {
		.name = "max_positions", .unit = RISK_UNIT_INSTRUMENTS,
		RISK_AT(max_positions, 1), .min = 0, .max = RISK_COUNT_MAX,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "2",
		.text = "instruments with an open position at once; 0 is off",
	},
	[RISK_LIM_MAX_CONTRACTS] = {
		.name = "max_contracts", .unit = RISK_UNIT_CONTRACTS,
		RISK_AT(max_contracts, 1), .min = 0, .max = RISK_COUNT_MAX,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "4",
		.text = "largest position plus working entries per "
		"instrument; 0 is off",
	},
	[RISK_LIM_TRADING_HOURS] = {
		.name = "trading_hours", .unit = RISK_UNIT_HOURS,
		RISK_AT(hours_start, 1),
		.off2 = offsetof(struct risk_cfg, hours_end),
		.min = 0, .max = 24 * 60, .loosen = RISK_LOOSER_WIDER,
		.flags = 0, .def = "09:30-15:55",
		.text = "new entries only within these exchange local hours; "
		"equal ends allow any time",
	},
	[RISK_LIM_THROTTLE_ORDERS] = {
		.name = "throttle_orders", .unit = RISK_UNIT_ORDERS,
		RISK_AT(throttle_orders, 1), .min = 0, .max = RISK_COUNT_MAX,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "20",
		.text = "at most this many orders per throttle_seconds; 0 is "
		"off",
	},
	/* A longer window counts more orders against the same limit. */
	[RISK_LIM_THROTTLE_SECONDS] = {
		.name = "throttle_seconds", .unit = RISK_UNIT_SECONDS,
		RISK_AT(throttle_window, TD_NS_PER_SEC), .min = 0,
		.max = RISK_SECONDS_MAX, .loosen = RISK_LOOSER_LOWER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "60",
		.text = "the rolling window of the order throttle",
	},
	[RISK_LIM_PRICE_COLLAR] = {
		.name = "price_collar_ticks", .unit = RISK_UNIT_TICKS,
		RISK_AT(collar_ticks, 1), .min = 0, .max = 1000000,
		.loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "40",
		.text = "refuse a limit or stop price this far from the last "
		"price; 0 is off",
	},
	[RISK_LIM_FLATTEN_ON_BREACH] = {
		.name = "flatten_on_breach", .unit = RISK_UNIT_SWITCH,
		RISK_AT(flatten_on_breach, 1), .min = 0, .max = 1,
		.loosen = RISK_LOOSER_LOWER, .flags = RISK_LIMIT_OFF,
		.def = "true",
		.text = "close all positions when a loss limit is breached",
	},
	[RISK_LIM_STALE_FEED] = {
		.name = "stale_feed_seconds", .unit = RISK_UNIT_SECONDS,
		RISK_AT(stale_after, TD_NS_PER_SEC), .min = 0,
		.max = RISK_SECONDS_MAX, .loosen = RISK_LOOSER_HIGHER,
		.flags = RISK_LIMIT_OFF | RISK_LIMIT_LIVE, .def = "30",
		.text = "allow exits only when market data is this late in a "
		"session, by the feed's own cadence; 0 is off",
	},
};

static const char *const risk_unit_names[] = {
	[RISK_UNIT_MONEY] = "dollars",
	[RISK_UNIT_CONTRACTS] = "contracts",
	[RISK_UNIT_INSTRUMENTS] = "instruments",
	[RISK_UNIT_ORDERS] = "orders",
	[RISK_UNIT_SECONDS] = "seconds",
	[RISK_UNIT_TICKS] = "ticks",
	[RISK_UNIT_HOURS] = "HH:MM-HH:MM",
	[RISK_UNIT_SWITCH] = "boolean",
};

const struct risk_limit *
risk_limits(void)
{
	return risk_limit_table;
}

const struct risk_limit *
risk_limit_find(const char *name)
{
	for (int i = 0; i < RISK_NLIMITS; i++) {
		if (strcmp(risk_limit_table[i].name, name) == 0)
			return &risk_limit_table[i];
	}
	return NULL;
}

const char *
risk_unit_name(enum risk_unit u)
{
	if ((unsigned)u >= sizeof risk_unit_names / sizeof risk_unit_names[0])
		return "?";
	return risk_unit_names[u];
}

/* A field as stored: an int, an int64_t or a bool, by its width. */
static int64_t
risk_field_load(const struct risk_cfg *c, size_t off, size_t size)
{
	const char	*p = (const char *)c + off;
	int64_t		 v;
	int		 i;
	bool		 b;

	if (size == sizeof v) {
		memcpy(&v, p, sizeof v);
		return v;
	}
	if (size == sizeof i) {
		memcpy(&i, p, sizeof i);
		return i;
	}
	memcpy(&b, p, sizeof b);
	return b;
}

static void
risk_field_store(struct risk_cfg *c, size_t off, size_t size, int64_t v)
{
	char	*p = (char *)c + off;
	int	 i = (int)v;
	bool	 b = v != 0;

	if (size == sizeof v)
		memcpy(p, &v, sizeof v);
	else if (size == sizeof i)
		memcpy(p, &i, sizeof i);
	else
		memcpy(p, &b, sizeof b);
}

int64_t
risk_limit_get(const struct risk_limit *l, const struct risk_cfg *c)
{
	if (l->unit == RISK_UNIT_HOURS)
		return RISK_HOURS(risk_field_load(c, l->off, l->size),
		    risk_field_load(c, l->off2, l->size));
	return risk_field_load(c, l->off, l->size) / l->scale;
}

/* "09:30", "24:00"; minutes out of a day as they are ("-5", "2000"). */
static void
risk_minutes(int64_t m, char *buf, size_t len)
{
	if (m < 0 || m > 9999)
		snprintf(buf, len, "%lld", (long long)m);
	else
		snprintf(buf, len, "%02d:%02d", (int)(m / 60), (int)(m % 60));
}

/* The hours from their two ends: "09:30-15:55". */
static char *
risk_hours_format(int64_t start, int64_t end, char *buf, size_t len)
{
	char	 a[24], b[24];

	risk_minutes(start, a, sizeof a);
	risk_minutes(end, b, sizeof b);
	snprintf(buf, len, "%s-%s", a, b);
	return buf;
}

/* A value as typed, "off" aside: "1000.00", "60", "09:30-15:55", "true". */
static char *
risk_limit_number(const struct risk_limit *l, int64_t v, char *buf,
    size_t len)
{
	uint64_t	 mag;

	switch (l->unit) {
	case RISK_UNIT_MONEY:
		mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		snprintf(buf, len, "%s%llu.%02llu", v < 0 ? "-" : "",
		    (unsigned long long)(mag / 100),
		    (unsigned long long)(mag % 100));
		break;
	case RISK_UNIT_HOURS:
		risk_hours_format(RISK_HOURS_START(v), RISK_HOURS_END(v), buf,
		    len);
		break;
	case RISK_UNIT_SWITCH:
		snprintf(buf, len, "%s", v != 0 ? "true" : "false");
		break;
	default:
		snprintf(buf, len, "%lld", (long long)v);
		break;
	}
	return buf;
}

/* "NAME: VALUE is out of range MIN..MAX", VALUE already as text. */
static int
risk_limit_range_error(const struct risk_limit *l, const char *value,
    struct errmsg *err)
{
	char	 lo[RISK_LIMIT_FMT_MAX], hi[RISK_LIMIT_FMT_MAX];

	if (l->unit == RISK_UNIT_HOURS) {
		risk_minutes(l->min, lo, sizeof lo);
		risk_minutes(l->max, hi, sizeof hi);
	} else {
		risk_limit_number(l, l->min, lo, sizeof lo);
		risk_limit_number(l, l->max, hi, sizeof hi);
	}
	return errmsg_set(err, "%s: %s is out of range %s..%s", l->name, value,
	    lo, hi);
}

/* The fields of c for l, as stored (td_ns for seconds, both hours). */
static int
risk_limit_check_field(const struct risk_limit *l, const struct risk_cfg *c,
    struct errmsg *err)
{
	char	 buf[RISK_LIMIT_FMT_MAX];
	int64_t	 a = risk_field_load(c, l->off, l->size), b;

	if (l->unit == RISK_UNIT_HOURS) {
		b = risk_field_load(c, l->off2, l->size);
		if (a < l->min || a > l->max || b < l->min || b > l->max)
			return risk_limit_range_error(l, risk_hours_format(a,
			    b, buf, sizeof buf), err);
		return 0;
	}
	if (a >= l->min * l->scale && a <= l->max * l->scale)
		return 0;
	if (a % l->scale == 0)
		risk_limit_number(l, a / l->scale, buf, sizeof buf);
	else
		risk_span(a, buf, sizeof buf);
	return risk_limit_range_error(l, buf, err);
}

int
risk_limit_check(const struct risk_limit *l, int64_t v, struct errmsg *err)
{
	char	 buf[RISK_LIMIT_FMT_MAX];
	int64_t	 a, b;

	if (l->unit == RISK_UNIT_HOURS) {
		a = v < 0 ? -1 : RISK_HOURS_START(v);
		b = v < 0 ? -1 : RISK_HOURS_END(v);
		if (a < l->min || a > l->max || b < l->min || b > l->max)
			return risk_limit_range_error(l, v < 0 ? "a negative "
			    "time" : risk_hours_format(a, b, buf, sizeof buf),
			    err);
		return 0;
	}
	if (v < l->min || v > l->max)
		return risk_limit_range_error(l, risk_limit_number(l, v, buf,
		    sizeof buf), err);
	return 0;
}

int
risk_limit_set(const struct risk_limit *l, struct risk_cfg *c, int64_t v,
    struct errmsg *err)
{
	if (risk_limit_check(l, v, err) == -1)
		return -1;
	if (l->unit == RISK_UNIT_HOURS) {
		risk_field_store(c, l->off, l->size, RISK_HOURS_START(v));
		risk_field_store(c, l->off2, l->size, RISK_HOURS_END(v));
	} else
		risk_field_store(c, l->off, l->size, v * l->scale);
	return 0;
}

/* "HH:MM" at p; 24:00 only as an end.  -1 when it is not that. */
static int
risk_parse_hhmm(const char *p, bool end, int *out)
{
	int	 h, m;

	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' ||
	    p[2] != ':' || p[3] < '0' || p[3] > '5' || p[4] < '0' ||
	    p[4] > '9')
		return -1;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	if (h > 24 || (h == 24 && (m != 0 || !end)))
		return -1;
	*out = h * 60 + m;
	return 0;
}

/* The text of a value, before its range is checked. */
static int
risk_limit_scan(const struct risk_limit *l, const char *text, int64_t *v,
    struct errmsg *err)
{
	size_t	 len = strlen(text);
	td_px	 px;
	int	 a, b;

	switch (l->unit) {
	case RISK_UNIT_SWITCH:
		if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0 ||
		    strcmp(text, "on") == 0)
			*v = 1;
		else if (strcmp(text, "false") == 0 ||
		    strcmp(text, "no") == 0 || strcmp(text, "off") == 0)
			*v = 0;
		else
			return errmsg_set(err, "%s: '%s' is not true or false",
			    l->name, text);
		return 0;
	case RISK_UNIT_HOURS:
		if (len != 11 || text[5] != '-' ||
		    risk_parse_hhmm(text, false, &a) == -1 ||
		    risk_parse_hhmm(text + 6, true, &b) == -1)
			return errmsg_set(err, "%s: '%s' is not a time range "
			    "HH:MM-HH:MM", l->name, text);
		*v = RISK_HOURS(a, b);
		return 0;
	case RISK_UNIT_MONEY:
		/* Exact: parsed as a price, whole cents or refused. */
		if (text[0] == '+' || fixed_parse(text, len, &px) == -1 ||
		    px % (TD_PX_SCALE / 100) != 0)
			return errmsg_set(err, "%s: '%s' is not an amount in "
			    "dollars with at most 2 decimals (500.00)%s",
			    l->name, text, (l->flags & RISK_LIMIT_OFF) ?
			    ", or off" : "");
		*v = px / (TD_PX_SCALE / 100);
		return 0;
	default:
		if (text[0] == '+' || fixed_parse_int(text, len, v) == -1)
			return errmsg_set(err, "%s: '%s' is not a whole number "
			    "of %s%s", l->name, text, risk_unit_name(l->unit),
			    (l->flags & RISK_LIMIT_OFF) ? ", or off" : "");
		return 0;
	}
}

int
risk_limit_parse(const struct risk_limit *l, const char *text, int64_t *v,
    struct errmsg *err)
{
	int64_t	 x;

	if ((l->flags & RISK_LIMIT_OFF) && strcmp(text, "off") == 0)
		x = 0;
	else if (risk_limit_scan(l, text, &x, err) == -1)
		return -1;
	if (risk_limit_check(l, x, err) == -1)
		return -1;
	*v = x;
	return 0;
}

char *
risk_limit_format(const struct risk_limit *l, int64_t v, enum risk_fmt how,
    char *buf, size_t len)
{
	if (l->unit == RISK_UNIT_SWITCH && how == RISK_FMT_SHOW)
		snprintf(buf, len, "%s", v != 0 ? "yes" : "no");
	else if (l->unit == RISK_UNIT_SWITCH || l->unit == RISK_UNIT_HOURS)
		risk_limit_number(l, v, buf, len);
	else if ((l->flags & RISK_LIMIT_OFF) && v == 0)
		snprintf(buf, len, "off");
	else if (how == RISK_FMT_INPUT)
		risk_limit_number(l, v, buf, len);
	else if (l->unit == RISK_UNIT_MONEY)
		portfolio_format_money(v, buf, len);
	else if (l->unit == RISK_UNIT_SECONDS)
		snprintf(buf, len, "%lld s", (long long)v);
	else if (l->unit == RISK_UNIT_TICKS)
		snprintf(buf, len, "%lld ticks", (long long)v);
	else
		snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

/* Does the window of to admit a minute of the day that from does not? */
static bool
risk_hours_wider(int64_t from, int64_t to)
{
	int	 fs = RISK_HOURS_START(from), fe = RISK_HOURS_END(from);
	int	 ts = RISK_HOURS_START(to), te = RISK_HOURS_END(to);

	for (int m = 0; m < 24 * 60; m++) {
		if (risk_in_hours(ts, te, m) && !risk_in_hours(fs, fe, m))
			return true;
	}
	return false;
}

bool
risk_limit_loosens(const struct risk_limit *l, int64_t from, int64_t to)
{
	if (from == to)
		return false;
	if (l->loosen == RISK_LOOSER_WIDER)
		return risk_hours_wider(from, to);
	if (l->flags & RISK_LIMIT_OFF) {
		if (to == 0)
			return true;
		if (from == 0)
			return false;
	}
	return l->loosen == RISK_LOOSER_HIGHER ? to > from : to < from;
}
