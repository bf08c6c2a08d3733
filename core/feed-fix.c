/*
 * feed-fix.c -- market data over a FIX session (see feed-fix.h).
 *
 * Owns the link, the session and its store, the message log, the state
 * of each instrument (asked or not, its MDReqID, its top of book, the
 * time of its last tick), the queue of what next hands out (ticks, and
 * the messages of bad data in their place among them), the notices of
 * the link for feed_notice, and the feed's descriptor: an epoll set of
 * the link's socket (read, and write while a connect or bytes wait) and
 * a timerfd armed for the session's next due work.
 *
 * next runs the link only when the queue is empty: it connects when the
 * backoff says, reads every byte there is (the session hands each
 * message up in sequence order; W and X put their ticks on the queue),
 * sends what is due, and asks for market data once per logon.  Before
 * it answers FEED_AGAIN it sets the epoll set and the timer for what
 * comes next, so the runner's loop wakes it in time for a heartbeat
 * however quiet the market.
 *
 * A trade's tick waits until the quotes that follow it in its message
 * are read (up to the next trade or the message's end), so it carries
 * the top of book after it: a counterparty that sends a trade and the
 * bid and offer it left in one message is read as one event.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include "errmsg.h"
#include "feed-fix.h"
#include "feed.h"
#include "fix-codec.h"
#include "fix-conn.h"
#include "fixed.h"
#include "log.h"
#include "tz.h"

#define FF_SEC		TD_NS_PER_SEC
#define FF_TEXT		240

enum ff_sub {
	FF_SUB_NONE,		/* not asked on this logon */
	FF_SUB_ASKED,		/* MarketDataRequest sent */
	FF_SUB_LIVE,		/* its snapshot came */
	FF_SUB_REFUSED,		/* MarketDataRequestReject: not again */
};

struct ff_inst {
	bool		 wanted;	/* in cfg.symbols */
	enum ff_sub	 sub;
	char		 reqid[32];	/* MDReqID of this logon's request */
	td_ticks	 bid, ask;	/* 0: none */
	td_ns		 last;		/* its last tick, 0: none yet */
};

/* What next hands out: a tick, or the message of bad data. */
struct ff_item {
	struct td_md	 md;
	char		*error;		/* NULL: md */
};

/* A trade read, waiting for the quotes after it in its message. */
struct ff_pending {
	bool		 have;
	int		 inst;
	td_ticks	 price;
	int64_t		 volume;
	td_ns		 time;
};

struct feed_fix {
	struct feed		 feed;
	struct feed_fix_cfg	 cfg;
	struct instrument	 inst[FEED_FIX_MAX_INST];
	struct ff_inst		 is[FEED_FIX_MAX_INST];
	int			 ninst;
	const char		*where;		/* host:port, for messages */
	struct fix_conn		*c;		/* the session, kept up */
	int			 nreq;		/* MDReqIDs given */

	int			 ep;		/* the feed's descriptor */
	int			 tfd;		/* its timer */

	struct ff_item		*q;
	size_t			 qhead, qlen, qcap;

	struct ff_pending	 pend;
	td_ns			 last;		/* the last tick handed out */
	struct fix_out		 f;
	td_ns			 now;
};

/* ------------------------------------------------------------ small */

static td_ns
ff_clock(const struct feed_fix *ff)
{
	return fix_conn_clock(ff->cfg.clock, ff->cfg.clock_arg);
}

/* A line for the log, through the connection's notices. */
#define ff_say(ff, ...)	fix_conn_say((ff)->c, __VA_ARGS__)

static int
ff_push(struct feed_fix *ff, const struct ff_item *it)
{
	if (ff->qlen == ff->qcap) {
		size_t		 cap = ff->qcap == 0 ? 256 : 2 * ff->qcap;
		struct ff_item	*n = malloc(cap * sizeof *n);

		if (n == NULL)
			return -1;
		for (size_t i = 0; i < ff->qlen; i++)
			n[i] = ff->q[(ff->qhead + i) % ff->qcap];
		free(ff->q);
		ff->q = n;
		ff->qcap = cap;
		ff->qhead = 0;
	}
	ff->q[(ff->qhead + ff->qlen++) % ff->qcap] = *it;
	return 0;
}

static void
ff_bad(struct feed_fix *ff, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Bad data: its message goes out through next, in its place. */
static void
ff_bad(struct feed_fix *ff, const char *fmt, ...)
{
	struct ff_item	 it = { .error = malloc(FF_TEXT) };
	va_list		 ap;

	if (it.error == NULL) {
		ff_say(ff, LOG_ERROR, "%s: out of memory: a message of bad "
		    "market data is lost", ff->where);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(it.error, FF_TEXT, fmt, ap);
	va_end(ap);
	if (ff_push(ff, &it) == -1) {
		ff_say(ff, LOG_ERROR, "%s: out of memory: %s", ff->where,
		    it.error);
		free(it.error);
	}
}

static int
ff_inst_by_symbol(const struct feed_fix *ff, const char *symbol)
{
	for (int i = 0; symbol != NULL && i < ff->ninst; i++) {
		if (strcmp(ff->inst[i].symbol, symbol) == 0)
			return i;
	}
	return -1;
}

static int
ff_inst_by_req(const struct feed_fix *ff, const char *reqid)
{
	for (int i = 0; reqid != NULL && i < ff->ninst; i++) {
		if (ff->is[i].reqid[0] != '\0' &&
		    strcmp(ff->is[i].reqid, reqid) == 0)
			return i;
	}
	return -1;
}

/* ------------------------------------------------------------ values */

/* Two or four digits at s as a number; -1 when they are not digits. */
static int
ff_digits(const char *s, int n)
{
	int	 v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* A UTCDateOnly "YYYYMMDD" as days since 1970-01-01; -1 when bad. */
static int
ff_date(const char *s, int64_t *days)
{
	int	 y, m, d;

	if (strlen(s) != 8 || (y = ff_digits(s, 4)) < 1678 || y > 2261 ||
	    (m = ff_digits(s + 4, 2)) < 1 || m > 12 ||
	    (d = ff_digits(s + 6, 2)) < 1 || d > tz_month_days(y, m))
		return -1;
	*days = tz_days_from_civil(y, m, d);
	return 0;
}

/* A UTCTimeOnly "HH:MM:SS[.f]" (1 to 9 digits of f) as ns in its day. */
static int
ff_tod(const char *s, td_ns *t)
{
	size_t	 len = strlen(s), nf;
	int	 h, m, sec;
	td_ns	 frac = 0, unit = FF_SEC;

	if (len < 8 || s[2] != ':' || s[5] != ':' ||
	    (h = ff_digits(s, 2)) < 0 || h > 23 ||
	    (m = ff_digits(s + 3, 2)) < 0 || m > 59 ||
	    (sec = ff_digits(s + 6, 2)) < 0 || sec > 60)
		return -1;
	if (len > 8) {
		nf = len - 9;
		if (s[8] != '.' || nf < 1 || nf > 9)
			return -1;
		for (size_t i = 0; i < nf; i++) {
			if (s[9 + i] < '0' || s[9 + i] > '9')
				return -1;
			unit /= 10;
			frac += (s[9 + i] - '0') * unit;
		}
	}
	*t = h * TD_NS_PER_HOUR + m * TD_NS_PER_MIN + sec * FF_SEC + frac;
	return 0;
}

/*
 * The time of entry k: its MDEntryDate and MDEntryTime; a time alone on
 * the day that puts it nearest ref (the message's time), so that an
 * entry of 23:59:59 sent at 00:00:01 is of the day before; else ref.
 */
static int
ff_entry_time(const struct fix_msg *m, const struct fix_group *g, int k,
    td_ns ref, td_ns *t)
{
	const char	*date = fix_group_get(m, g, k, 272);
	const char	*tod = fix_group_get(m, g, k, 273);
	int64_t		 days;
	td_ns		 in;

	if (tod == NULL) {
		if (date != NULL && ff_date(date, &days) == -1)
			return -1;
		*t = ref;
		return 0;
	}
	if (ff_tod(tod, &in) == -1)
		return -1;
	if (date != NULL) {
		if (ff_date(date, &days) == -1)
			return -1;
		*t = days * TD_NS_PER_DAY + in;
		return 0;
	}
	*t = tz_floor_div(ref, TD_NS_PER_DAY) * TD_NS_PER_DAY + in;
	if (*t - ref > TD_NS_PER_DAY / 2)
		*t -= TD_NS_PER_DAY;
	else if (ref - *t > TD_NS_PER_DAY / 2)
		*t += TD_NS_PER_DAY;
	return 0;
}

/* The message's time: SendingTime, or OrigSendingTime when sent again. */
static td_ns
ff_msg_time(const struct fix_msg *m, bool possdup)
{
	td_ns	 t;

	if (possdup && fix_get_time(m, FIX_T_ORIG_SENDING_TIME, &t,
	    NULL) == 0)
		return t;
	if (fix_get_time(m, FIX_T_SENDING_TIME, &t, NULL) == 0)
		return t;
	return 0;
}

/* ------------------------------------------------------------ entries */

static const char *
ff_type_name(const char *type)
{
	return strcmp(type, "W") == 0 ? "snapshot" : "incremental refresh";
}

/* The waiting trade becomes a tick with the top of book of now. */
static void
ff_flush_trade(struct feed_fix *ff)
{
	struct ff_pending	*p = &ff->pend;
	struct ff_inst		*is = &ff->is[p->inst];
	struct ff_item		 it = { .md = { .kind = TD_MD_TICK } };

	if (!p->have)
		return;
	p->have = false;
	if (p->time < ff->last)
		p->time = ff->last;	/* the engine never steps back */
	it.md.inst = p->inst;
	it.md.tick = (struct td_tick){ .time = p->time, .price = p->price,
	    .bid = is->bid, .ask = is->ask, .volume = p->volume };
	if (ff_push(ff, &it) == -1) {
		ff_say(ff, LOG_ERROR, "%s: out of memory: a tick of %s is "
		    "lost", ff->where, ff->inst[p->inst].symbol);
		return;
	}
	is->last = ff->last = p->time;
}

/*
 * A price of entry k in ticks of inst: 0, or -1 after saying why.  A bid
 * or an offer of 0 is no quote (0), as in a data file.
 */
static int
ff_entry_price(struct feed_fix *ff, const struct fix_msg *m,
    const struct fix_group *g, int k, int inst, const char *what,
    td_ticks *t)
{
	const struct instrument	*in = &ff->inst[inst];
	const char		*v = fix_group_get(m, g, k, 270);
	struct errmsg		 err;
	td_px			 px;

	if (v == NULL) {
		ff_bad(ff, "%s: %s %s without a price (270): dropped",
		    ff->where, in->symbol, what);
		return -1;
	}
	if (fixed_parse(v, strlen(v), &px) == -1) {
		ff_bad(ff, "%s: %s %s price \"%s\" is not a price: dropped",
		    ff->where, in->symbol, what, v);
		return -1;
	}
	if (px == 0 && strcmp(what, "trade") != 0) {
		*t = 0;
		return 0;
	}
	if (instrument_price_ok(in, px, what, &err) == -1) {
		ff_bad(ff, "%s: %s %s: dropped", ff->where, in->symbol,
		    err.msg);
		return -1;
	}
	if (instrument_ticks(in, px, t, NULL) == -1) {
		char	 tick[FIXED_FMT_MAX];

		ff_bad(ff, "%s: %s %s %s is off the tick grid of %s: dropped",
		    ff->where, in->symbol, what, v, fixed_format(in->tick_size,
		    in->decimals, tick, sizeof tick));
		return -1;
	}
	return 0;
}

/* A trade of entry k: it waits for the quotes after it. */
static void
ff_entry_trade(struct feed_fix *ff, const struct fix_msg *m,
    const struct fix_group *g, int k, int inst, td_ns ref, bool snapshot)
{
	const char	*size = fix_group_get(m, g, k, 271);
	const char	*date = fix_group_get(m, g, k, 272);
	const char	*tod = fix_group_get(m, g, k, 273);
	const char	*sym = ff->inst[inst].symbol;
	td_px		 vol = 0;
	td_ticks	 price;
	td_ns		 t;

	if (ff_entry_price(ff, m, g, k, inst, "trade", &price) == -1)
		return;
	if (size != NULL && (fixed_parse(size, strlen(size), &vol) == -1 ||
	    vol < 0 || vol % TD_PX_SCALE != 0)) {
		ff_bad(ff, "%s: %s trade size \"%s\" is not a whole number of "
		    "contracts: dropped", ff->where, sym, size);
		return;
	}
	if (ff_entry_time(m, g, k, ref, &t) == -1) {
		ff_bad(ff, "%s: %s trade time \"%s%s%s\" is not a UTC date and "
		    "time: dropped", ff->where, sym, date != NULL ? date : "",
		    date != NULL && tod != NULL ? " " : "",
		    tod != NULL ? tod : "");
		return;
	}
	/* A snapshot's trade is news only when it is later than ours. */
	if (snapshot && ff->is[inst].last != 0 && t <= ff->is[inst].last)
		return;
	ff_flush_trade(ff);
	ff->pend = (struct ff_pending){ .have = true, .inst = inst,
	    .price = price, .volume = vol / TD_PX_SCALE, .time = t };
}

/* A bid (side 0) or an offer (side 1) of entry k; delete clears it. */
static void
ff_entry_quote(struct feed_fix *ff, const struct fix_msg *m,
    const struct fix_group *g, int k, int inst, int side, bool del,
    bool snapshot)
{
	struct ff_inst	*is = &ff->is[inst];
	td_ticks	*q = side == 0 ? &is->bid : &is->ask;
	td_ticks	 t;

	if (del) {
		*q = 0;
		return;
	}
	if (ff_entry_price(ff, m, g, k, inst, side == 0 ? "bid" : "offer",
	    &t) == -1)
		return;
	/* A snapshot deeper than the top: keep the best of each side. */
	if (snapshot && *q != 0 && (t == 0 || (side == 0 ? t <= *q :
	    t >= *q)))
		return;
	*q = t;
}

/* The instrument of entry k of an incremental refresh, or -1. */
static int
ff_entry_inst(struct feed_fix *ff, const struct fix_msg *m,
    const struct fix_group *g, int k)
{
	const char	*sym = fix_group_get(m, g, k, 55);
	int		 i;

	if (sym == NULL)
		sym = fix_get(m, 55);
	if (sym == NULL) {
		if ((i = ff_inst_by_req(ff, fix_get(m, 262))) == -1)
			ff_bad(ff, "%s: incremental refresh %lld entry %d: no "
			    "symbol and no MDReqID of ours: dropped",
			    ff->where, (long long)m->seq, k + 1);
		return i;
	}
	if ((i = ff_inst_by_symbol(ff, sym)) == -1 || !ff->is[i].wanted) {
		ff_bad(ff, "%s: market data for %s, which was not asked for: "
		    "dropped", ff->where, sym);
		return -1;
	}
	return i;
}

/*
 * The entries of a W or an X.  The tags an entry may hold (FIX 4.2 and
 * 4.4), so that a counterparty's extra fields do not end the group; the
 * last line is the rest of FIX 4.2's instrument in an X entry (a future
 * there may carry MaturityDay 205) and its FinancialStatus and
 * CorporateAction.
 */
static const int ff_members[] = {
	279, 285, 269, 278, 280, 55, 65, 48, 22, 270, 15, 271, 272, 273,
	274, 275, 336, 625, 326, 327, 276, 277, 282, 283, 284, 286, 59, 432,
	126, 110, 18, 287, 37, 299, 288, 289, 346, 290, 546, 811, 451, 58,
	354, 355, 1023, 387, 1070, 83, 1020, 167, 200, 541, 207, 461, 231,
	205, 201, 202, 206, 223, 106, 348, 349, 107, 350, 351, 291, 292,
	0,
};

static int
ff_group(const struct fix_msg *m, bool snapshot, struct fix_group *g,
    struct fix_error *err)
{
	if (snapshot)
		return fix_group_find(m, 268, 269, ff_members, g, err);
	/* MDUpdateAction first, as the standard has it; else the type. */
	if (fix_group_find(m, 268, 279, ff_members, g, err) == 0)
		return 0;
	return fix_group_find(m, 268, 269, ff_members, g, err);
}

static void
ff_entry(struct feed_fix *ff, const struct fix_msg *m,
    const struct fix_group *g, int k, int inst, td_ns ref, bool snapshot)
{
	const char	*type = fix_group_get(m, g, k, 269);
	const char	*act = fix_group_get(m, g, k, 279);
	bool		 del = act != NULL && strcmp(act, "2") == 0;

	if (type == NULL) {
		ff_bad(ff, "%s: %s %lld entry %d without MDEntryType (269): "
		    "dropped", ff->where, ff_type_name(m->type),
		    (long long)m->seq, k + 1);
		return;
	}
	if (strcmp(type, "0") == 0 || strcmp(type, "1") == 0)
		ff_entry_quote(ff, m, g, k, inst, type[0] - '0', del,
		    snapshot);
	else if (strcmp(type, "2") == 0 && del)
		ff_say(ff, LOG_WARNING, "%s: %s trade deleted by the "
		    "counterparty (a bust): the tick stays", ff->where,
		    ff->inst[inst].symbol);
	else if (strcmp(type, "2") == 0)
		ff_entry_trade(ff, m, g, k, inst, ref, snapshot);
	/* Other entries (opening, settlement, volume ...) are not asked. */
}

/* MarketDataSnapshotFullRefresh: the top of book anew, its last trade. */
static void
ff_on_snapshot(struct feed_fix *ff, const struct fix_msg *m, bool possdup)
{
	const char		*sym = fix_get(m, 55);
	struct fix_group	 g;
	struct fix_error	 fe;
	int			 i;

	i = sym != NULL ? ff_inst_by_symbol(ff, sym) :
	    ff_inst_by_req(ff, fix_get(m, 262));
	if (i == -1 || !ff->is[i].wanted) {
		ff_bad(ff, "%s: snapshot %lld for %s, which was not asked for: "
		    "dropped", ff->where, (long long)m->seq,
		    sym != NULL ? sym : "no symbol");
		return;
	}
	if (ff_group(m, true, &g, &fe) == -1) {
		ff_bad(ff, "%s: snapshot %lld: %s: dropped", ff->where,
		    (long long)m->seq, fe.text);
		return;
	}
	ff->is[i].bid = ff->is[i].ask = 0;
	ff->is[i].sub = FF_SUB_LIVE;
	for (int k = 0; k < g.count; k++)
		ff_entry(ff, m, &g, k, i, ff_msg_time(m, possdup), true);
	ff_flush_trade(ff);
}

/* MarketDataIncrementalRefresh: trades and changes of the top of book. */
static void
ff_on_incremental(struct feed_fix *ff, const struct fix_msg *m, bool possdup)
{
	struct fix_group	 g;
	struct fix_error	 fe;
	int			 i;

	if (ff_group(m, false, &g, &fe) == -1) {
		ff_bad(ff, "%s: incremental refresh %lld: %s: dropped",
		    ff->where, (long long)m->seq, fe.text);
		return;
	}
	for (int k = 0; k < g.count; k++) {
		if ((i = ff_entry_inst(ff, m, &g, k)) != -1)
			ff_entry(ff, m, &g, k, i, ff_msg_time(m, possdup),
			    false);
	}
	ff_flush_trade(ff);
}

/* A request of ours refused: said once, not asked again this logon. */
static void
ff_refused(struct feed_fix *ff, const char *reqid, const char *why)
{
	int	 i = ff_inst_by_req(ff, reqid);

	if (i == -1) {
		ff_bad(ff, "%s: a market data request %s that is not ours was "
		    "refused: %s", ff->where, reqid != NULL ? reqid : "(no id)",
		    why);
		return;
	}
	ff->is[i].sub = FF_SUB_REFUSED;
	ff_bad(ff, "%s: market data for %s refused: %s; not asked again "
	    "until the next logon", ff->where, ff->inst[i].symbol, why);
}

static void
ff_on_reject(struct feed_fix *ff, const struct fix_msg *m)
{
	static const char *const reasons[] = {
		"unknown symbol", "duplicate MDReqID", "insufficient bandwidth",
		"insufficient permissions", "unsupported "
		"SubscriptionRequestType", "unsupported MarketDepth",
		"unsupported MDUpdateType", "unsupported AggregatedBook",
		"unsupported MDEntryType",
	};
	const char	*r = fix_get(m, 281), *text = fix_get(m, FIX_T_TEXT);
	int		 n = r != NULL && strlen(r) == 1 ? r[0] - '0' : -1;
	char		 why[200] = "no reason given";
	size_t		 len;

	if (n >= 0 && n < (int)(sizeof reasons / sizeof reasons[0]))
		snprintf(why, sizeof why, "%s (MDReqRejReason %s)", reasons[n],
		    r);
	else if (r != NULL)
		snprintf(why, sizeof why, "MDReqRejReason %s", r);
	len = r != NULL ? strlen(why) : 0;
	if (text != NULL)
		snprintf(why + len, sizeof why - len, "%s%s", len > 0 ? ": " :
		    "", text);
	ff_refused(ff, fix_get(m, 262), why);
}

/* A BusinessMessageReject of a MarketDataRequest is a refusal too. */
static void
ff_on_business_reject(struct feed_fix *ff, const struct fix_msg *m)
{
	const char	*type = fix_get(m, FIX_T_REF_MSG_TYPE);
	const char	*text = fix_get(m, FIX_T_TEXT);

	if (type != NULL && strcmp(type, "V") == 0) {
		ff_refused(ff, fix_get(m, 379), text != NULL ? text :
		    "business reject, no text");
		return;
	}
	ff_say(ff, LOG_WARNING, "%s: business message reject of a %s: %s",
	    ff->where, type != NULL ? type : "message", text != NULL ? text :
	    "no text");
}

/* ------------------------------------------------------------ session */

static void
ff_cb_app(void *arg, const struct fix_msg *m, bool possdup)
{
	struct feed_fix	*ff = arg;

	if (strcmp(m->type, "W") == 0)
		ff_on_snapshot(ff, m, possdup);
	else if (strcmp(m->type, "X") == 0)
		ff_on_incremental(ff, m, possdup);
	else if (strcmp(m->type, "Y") == 0)
		ff_on_reject(ff, m);
	else if (strcmp(m->type, "j") == 0)
		ff_on_business_reject(ff, m);
	else
		ff_say(ff, LOG_INFO, "%s: message type %s not used by the "
		    "feed", ff->where, m->type);
}

/* ------------------------------------------------------------ the link */

/* One MarketDataRequest per instrument: its MDReqID names it back. */
static void
ff_ask(struct feed_fix *ff)
{
	struct errmsg	 err;
	char		 names[FEED_FIX_MAX_INST * TD_SYMBOL_MAX] = "";

	for (int i = 0; i < ff->ninst; i++) {
		struct ff_inst	*is = &ff->is[i];

		is->sub = FF_SUB_NONE;
		if (!is->wanted)
			continue;
		snprintf(is->reqid, sizeof is->reqid, "%s-%d",
		    ff->inst[i].symbol, ++ff->nreq);
		fix_out_begin(&ff->f, NULL);
		fix_out_str(&ff->f, 262, is->reqid);
		fix_out_str(&ff->f, 263, "1");	/* snapshot and updates */
		fix_out_str(&ff->f, 264, "1");	/* top of book */
		fix_out_str(&ff->f, 265, "1");	/* incremental refresh */
		fix_out_int(&ff->f, 267, 3);
		fix_out_str(&ff->f, 269, "0");	/* bid */
		fix_out_str(&ff->f, 269, "1");	/* offer */
		fix_out_str(&ff->f, 269, "2");	/* trade */
		fix_out_int(&ff->f, 146, 1);
		fix_out_str(&ff->f, 55, ff->inst[i].symbol);
		if (fix_conn_send(ff->c, "V", &ff->f, NULL, &err) == -1) {
			ff_say(ff, LOG_ERROR, "%s: market data for %s not "
			    "asked: %s", ff->where, ff->inst[i].symbol,
			    err.msg);
			continue;
		}
		is->sub = FF_SUB_ASKED;
		snprintf(names + strlen(names), sizeof names - strlen(names),
		    "%s%s", names[0] != '\0' ? ", " : "", ff->inst[i].symbol);
	}
	if (names[0] != '\0')
		ff_say(ff, LOG_INFO, "%s: market data asked for %s", ff->where,
		    names);
}

/* What is due by now: connect, read, heartbeats, the requests. */
static void
ff_run(struct feed_fix *ff)
{
	uint64_t	 fired;

	while (read(ff->tfd, &fired, sizeof fired) > 0)
		continue;
	if (fix_conn_run(ff->c, ff->now) == 1)
		ff_ask(ff);
}

/*
 * Before the feed says FEED_AGAIN: its descriptor watches the socket of
 * now (a new one with each connect; a closed one left the set by
 * itself), for writing too while the link wants it, and the timer is
 * armed for what is due next.
 */
static void
ff_arm(struct feed_fix *ff)
{
	struct epoll_event	 ev = { .events = EPOLLIN };
	struct itimerspec	 its = { .it_value = { 0, 0 } };
	int			 fd = fix_conn_fd(ff->c);
	td_ns			 due = fix_conn_wake(ff->c), in;

	if (fd != -1) {
		if (fix_conn_want_write(ff->c))
			ev.events |= EPOLLOUT;
		ev.data.fd = fd;
		if (epoll_ctl(ff->ep, EPOLL_CTL_MOD, fd, &ev) == -1 &&
		    epoll_ctl(ff->ep, EPOLL_CTL_ADD, fd, &ev) == -1)
			ff_say(ff, LOG_ERROR, "%s: epoll: %s", ff->where,
			    strerror(errno));
	}
	if (due != INT64_MAX) {
		in = due - ff->now;
		if (in < FF_SEC / 1000)
			in = FF_SEC / 1000;
		its.it_value.tv_sec = in / FF_SEC;
		its.it_value.tv_nsec = in % FF_SEC;
	}
	timerfd_settime(ff->tfd, 0, &its, NULL);
}

/* ------------------------------------------------------------ the ops */

static int
ff_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct feed_fix	*ff = ctx;
	struct ff_item	 it;

	ff->now = ff_clock(ff);
	if (ff->qlen == 0)
		ff_run(ff);
	if (ff->qlen == 0) {
		ff_arm(ff);
		return FEED_AGAIN;
	}
	it = ff->q[ff->qhead];
	ff->qhead = (ff->qhead + 1) % ff->qcap;
	ff->qlen--;
	if (it.error != NULL) {
		errmsg_set(err, "%s", it.error);
		free(it.error);
		return -1;
	}
	*md = it.md;
	return 1;
}

static int
ff_fd(void *ctx)
{
	return ((struct feed_fix *)ctx)->ep;
}

static bool
ff_live(void *ctx)
{
	(void)ctx;
	return true;
}

static int
ff_subs(void *ctx, struct feed_sub *out, int max)
{
	struct feed_fix	*ff = ctx;
	int		 n = 0;

	for (int i = 0; i < ff->ninst; i++) {
		if (!ff->is[i].wanted)
			continue;
		if (n < max)
			out[n] = (struct feed_sub){ .inst = i,
			    .data = FEED_TICKS };
		n++;
	}
	return n;
}

static enum feed_conn
ff_conn(void *ctx)
{
	struct feed_fix	*ff = ctx;

	if (fix_conn_ready(ff->c))
		return FEED_UP;
	return fix_conn_ever_up(ff->c) ? FEED_LOST : FEED_CONNECTING;
}

static td_ns
ff_heard(void *ctx)
{
	return fix_conn_heard(((struct feed_fix *)ctx)->c);
}

static int
ff_notice(void *ctx, int *level, char *buf, size_t len)
{
	return fix_conn_notice(((struct feed_fix *)ctx)->c, level, buf, len);
}

static void
ff_destroy(void *ctx)
{
	struct feed_fix	*ff = ctx;

	fix_conn_free(ff->c);
	for (size_t i = 0; i < ff->qlen; i++)
		free(ff->q[(ff->qhead + i) % ff->qcap].error);
	free(ff->q);
	if (ff->tfd != -1)
		close(ff->tfd);
	if (ff->ep != -1)
		close(ff->ep);
	free(ff);
}

static const struct feed_ops ff_ops = {
	.name = "fix",
	.next = ff_next,
	.fd = ff_fd,
	.live = ff_live,
	.subs = ff_subs,
	.conn = ff_conn,
	.heard = ff_heard,
	.notice = ff_notice,
	.destroy = ff_destroy,
};

/* ------------------------------------------------------------ life */

void
feed_fix_defaults(struct feed_fix_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->begin, sizeof cfg->begin, "FIX.4.4");
	cfg->heartbeat = 30;
	cfg->tls_verify = true;
	cfg->backoff_min = FF_SEC;
	cfg->backoff_max = 60 * FF_SEC;
}

int
feed_fix_symbols(const char *symbols, const struct instrument *inst,
    int ninst, uint32_t *mask, struct errmsg *err)
{
	const char	*p = symbols;
	size_t		 n;
	int		 i;

	*mask = 0;
	for (;;) {
		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		n = strcspn(p, ", \t");
		for (i = 0; i < ninst; i++) {
			if (strlen(inst[i].symbol) == n &&
			    strncmp(inst[i].symbol, p, n) == 0)
				break;
		}
		if (i == ninst)
			return errmsg_set(err, "symbol \"%.*s\" is no "
			    "instrument of trading.instruments", (int)n, p);
		if (*mask & 1U << i)
			return errmsg_set(err, "symbol \"%.*s\" given twice",
			    (int)n, p);
		*mask |= 1U << i;
		p += n;
	}
	if (*mask == 0)
		*mask = ninst >= 32 ? UINT32_MAX : (1U << ninst) - 1;
	return 0;
}

/* The connection, and the feed's descriptor with its timer. */
static int
ff_open(struct feed_fix *ff, struct errmsg *err)
{
	const struct feed_fix_cfg	*f = &ff->cfg;
	struct fix_conn_cfg		 cc = {
		.host = f->host, .port = f->port, .tls = f->tls,
		.tls_verify = f->tls_verify,
		.tls_ca_file = f->tls_ca_file[0] != '\0' ? f->tls_ca_file :
		    NULL,
		.begin = f->begin, .sender = f->sender, .target = f->target,
		.username = f->username[0] != '\0' ? f->username : NULL,
		.password = f->password[0] != '\0' ? f->password : NULL,
		.heartbeat = f->heartbeat, .reset_on_logon = f->reset_on_logon,
		.backoff_min = f->backoff_min, .backoff_max = f->backoff_max,
		.seed = f->seed,
		.msglog = f->msglog[0] != '\0' ? f->msglog : NULL,
		.lost_means = "prices are stale",
	};
	struct fix_conn_cb		 cb = { .arg = ff, .app = ff_cb_app };
	struct epoll_event		 ev = { .events = EPOLLIN };

	if ((ff->c = fix_conn_create(&cc, &cb, err)) == NULL)
		return -1;
	ff->where = fix_conn_where(ff->c);
	if ((ff->ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (ff->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK |
	    TFD_CLOEXEC)) == -1)
		return errmsg_sys(err, "fix feed", "descriptor");
	ev.data.fd = ff->tfd;
	if (epoll_ctl(ff->ep, EPOLL_CTL_ADD, ff->tfd, &ev) == -1)
		return errmsg_sys(err, "fix feed", "epoll");
	return 0;
}

struct feed *
feed_fix_create(const struct feed_fix_cfg *cfg, const struct instrument *inst,
    int ninst, struct errmsg *err)
{
	struct feed_fix	*ff;
	uint32_t	 mask;

	if (ninst < 1 || ninst > FEED_FIX_MAX_INST) {
		errmsg_set(err, "fix feed: %d instruments (1..%d)", ninst,
		    FEED_FIX_MAX_INST);
		return NULL;
	}
	if (cfg->port < 1 || cfg->port > 65535 || cfg->host[0] == '\0') {
		errmsg_set(err, "fix feed: host and port 1..65535 needed");
		return NULL;
	}
	if (feed_fix_symbols(cfg->symbols, inst, ninst, &mask, err) == -1) {
		errmsg_prefix(err, "fix feed");
		return NULL;
	}
	if ((ff = calloc(1, sizeof *ff)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	ff->cfg = *cfg;
	ff->ep = ff->tfd = -1;
	memcpy(ff->inst, inst, (size_t)ninst * sizeof *inst);
	ff->ninst = ninst;
	for (int i = 0; i < ninst; i++)
		ff->is[i].wanted = (mask & 1U << i) != 0;
	ff->where = "";
	ff->feed.ops = &ff_ops;
	ff->feed.ctx = ff;
	if (ff_open(ff, err) == -1) {
		ff_destroy(ff);
		return NULL;
	}
	return &ff->feed;
}

int
feed_fix_open_store(struct feed *f, const char *path, struct errmsg *err)
{
	struct feed_fix	*ff = f->ctx;

	if (f->ops != &ff_ops)
		return errmsg_set(err, "%s: not a fix feed", f->ops->name);
	return fix_conn_open_store(ff->c, path, err);
}
