/*
 * monitor.c -- the monitoring page's token, state and events (monitor.h).
 *
 * The monitor owns a copy of the token and a ring of the last log lines
 * under a mutex of its own: monitor_log is called by whichever thread
 * logs (the engine's, the alert hub's), monitor_state by the health
 * endpoint's thread, each holding the mutex only to copy a line.  The
 * state is written with a bounded writer that stops at the end of the
 * caller's buffer; nothing here allocates after create.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "errmsg.h"
#include "monitor.h"
#include "portfolio.h"
#include "signal-sent.h"
#include "tz.h"

struct monitor_line {
	td_ns		 time;
	enum log_level	 level;
	char		 component[32];
	char		 msg[400];
};

struct monitor {
	char			*token;
	size_t			 ntoken;
	struct tz		*tz;		/* NULL: UTC */
	char			 tzname[64];
	atomic_int_least64_t	 refused;
	pthread_mutex_t		 lock;
	struct monitor_line	 ring[MONITOR_LOGS];
	int			 head;		/* the oldest */
	int			 nlines;
	uint64_t		 nlogged;	/* lines ever kept */
};

struct monitor *
monitor_create(const struct monitor_cfg *cfg, struct errmsg *err)
{
	struct monitor	*m;
	size_t		 n = cfg->token != NULL ? strlen(cfg->token) : 0;

	if (n == 0) {
		errmsg_set(err, "monitor: no token");
		return NULL;
	}
	if (n >= MONITOR_TOKEN_MAX) {
		errmsg_set(err, "monitor: the token is longer than %d bytes",
		    MONITOR_TOKEN_MAX - 1);
		return NULL;
	}
	if ((m = calloc(1, sizeof *m)) == NULL ||
	    (m->token = malloc(n + 1)) == NULL) {
		free(m);
		errmsg_set(err, "monitor: out of memory");
		return NULL;
	}
	memcpy(m->token, cfg->token, n + 1);
	m->ntoken = n;
	snprintf(m->tzname, sizeof m->tzname, "%s", cfg->tz != NULL ?
	    cfg->tz : "UTC");
	if (cfg->tz != NULL && (m->tz = tz_load(cfg->tz, err)) == NULL) {
		errmsg_prefix(err, "monitor");
		monitor_free(m);
		return NULL;
	}
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

void
monitor_free(struct monitor *m)
{
	if (m == NULL)
		return;
	if (m->token != NULL) {
		explicit_bzero(m->token, m->ntoken);
		free(m->token);
	}
	tz_free(m->tz);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void
monitor_log(void *arg, const struct log_line *line)
{
	struct monitor		*m = arg;
	struct monitor_line	*l;

	pthread_mutex_lock(&m->lock);
	if (m->nlines == MONITOR_LOGS) {
		l = &m->ring[m->head];
		m->head = (m->head + 1) % MONITOR_LOGS;
	} else
		l = &m->ring[(m->head + m->nlines++) % MONITOR_LOGS];
	l->time = line->time;
	l->level = line->level;
	snprintf(l->component, sizeof l->component, "%s",
	    line->component != NULL ? line->component : "");
	snprintf(l->msg, sizeof l->msg, "%s", line->msg != NULL ?
	    line->msg : "");
	m->nlogged++;
	pthread_mutex_unlock(&m->lock);
}

/* ---------------------------------------------------------------- token */

bool
monitor_token_equal(const char *a, size_t an, const char *b, size_t bn)
{
	volatile unsigned char	 d = an != bn;

	for (size_t i = 0; i < bn; i++)
		d |= (unsigned char)b[i] ^ (unsigned char)(i < an ? a[i] : 0);
	return d == 0;
}

static int
monitor_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The value of ?token= in target, percent-decoded into buf: its length,
 * or -1 when there is none (or it does not fit).
 */
static int
monitor_query_token(const char *target, char *buf, size_t len)
{
	const char	*p = strchr(target, '?');
	size_t		 n = 0;

	while (p != NULL) {
		p++;
		if (strncmp(p, "token=", 6) == 0)
			break;
		p = strchr(p, '&');
	}
	if (p == NULL)
		return -1;
	for (p += 6; *p != '\0' && *p != '&' && *p != '#'; p++) {
		int	 c = (unsigned char)*p, hi, lo;

		if (c == '%' && (hi = monitor_hex(p[1])) != -1 &&
		    (lo = monitor_hex(p[2])) != -1) {
			c = hi * 16 + lo;
			p += 2;
		} else if (c == '+')
			c = ' ';
		if (n + 1 >= len)
			return -1;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return (int)n;
}

/* The token of an "Authorization: Bearer" header line of head, or -1. */
static int
monitor_bearer(const char *head, char *buf, size_t len)
{
	const char	*p = head;
	size_t		 n;

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL) {
		if (strncasecmp(p, "authorization:", 14) != 0)
			continue;
		p += 14;
		p += strspn(p, " \t");
		if (strncasecmp(p, "bearer ", 7) != 0)
			return -1;
		p += 7;
		p += strspn(p, " \t");
		n = strcspn(p, "\r\n");
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n + 1 > len)
			return -1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		return (int)n;
	}
	return -1;
}

bool
monitor_auth(struct monitor *m, const char *target, const char *head)
{
	char	 given[MONITOR_TOKEN_MAX];
	int	 n;
	bool	 ok;

	if ((n = monitor_query_token(target, given, sizeof given)) == -1)
		n = monitor_bearer(head != NULL ? head : "", given,
		    sizeof given);
	ok = n != -1 && monitor_token_equal(given, (size_t)n, m->token,
	    m->ntoken);
	explicit_bzero(given, sizeof given);
	if (!ok)
		atomic_fetch_add(&m->refused, 1);
	return ok;
}

int64_t
monitor_refused(const struct monitor *m)
{
	return atomic_load(&((struct monitor *)m)->refused);
}

/* ---------------------------------------------------------------- writer */

struct out {
	char	*buf;
	size_t	 len;
	size_t	 used;
	bool	 full;
};

static void
out_raw(struct out *o, const char *s, size_t n)
{
	if (o->full || n >= o->len - o->used) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->used, s, n);
	o->used += n;
	o->buf[o->used] = '\0';
}

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

/* The length of the valid UTF-8 sequence at p, 0 when it is not one. */
static size_t
utf8_len(const unsigned char *p)
{
	unsigned	 c = p[0], cp;
	size_t		 n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

static void
out_str(struct out *o, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	out_raw(o, "\"", 1);
	while (*p != '\0' && !o->full) {
		size_t	 n = utf8_len(p);

		switch (*p) {
		case '"':
			out_raw(o, "\\\"", 2);
			break;
		case '\\':
			out_raw(o, "\\\\", 2);
			break;
		case '\n':
			out_raw(o, "\\n", 2);
			break;
		case '\r':
			out_raw(o, "\\r", 2);
			break;
		case '\t':
			out_raw(o, "\\t", 2);
			break;
		case '<':
		case '>':
		case '&':
			put(o, "\\u%04x", *p);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				put(o, "\\u%04x", *p);
			else if (n == 0)
				out_raw(o, "\\ufffd", 6);
			else
				out_raw(o, (const char *)p, n);
			break;
		}
		p += n == 0 ? 1 : n;
	}
	out_raw(o, "\"", 1);
}

int
monitor_json_string(const char *s, char *buf, size_t len)
{
	struct out	 o = { .buf = buf, .len = len };

	if (len == 0)
		return -1;
	buf[0] = '\0';
	out_str(&o, s);
	return o.full ? -1 : (int)o.used;
}

/* "key":"text", */
static void
kv_str(struct out *o, const char *key, const char *s, bool comma)
{
	put(o, "\"%s\":", key);
	out_str(o, s);
	if (comma)
		out_raw(o, ",", 1);
}

static void
kv_money(struct out *o, const char *key, td_cents c, bool comma)
{
	char	 a[PORTFOLIO_FMT_MAX];

	kv_str(o, key, portfolio_format_money(c, a, sizeof a), comma);
}

/* Engine time in the exchange's zone; "" for 0 (no engine time). */
static void
kv_time(struct out *o, const struct monitor *m, const char *key, td_ns t,
    bool comma)
{
	struct tz_tm	 tm;
	char		 a[32] = "";

	if (t != 0 && m->tz != NULL) {
		tz_to_local(m->tz, t, &tm);
		snprintf(a, sizeof a, "%04d-%02d-%02d %02d:%02d:%02d", tm.year,
		    tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
	} else if (t != 0) {
		time_t		 secs = (time_t)(t / TD_NS_PER_SEC);
		struct tm	 u;

		gmtime_r(&secs, &u);
		strftime(a, sizeof a, "%Y-%m-%d %H:%M:%S", &u);
	}
	kv_str(o, key, a, comma);
}

/* ---------------------------------------------------------------- state */

static const char *
monitor_mode(enum snap_mode m)
{
	switch (m) {
	case SNAP_BACKTEST:
		return "backtest";
	case SNAP_REPLAY:
		return "replay";
	case SNAP_PAPER:
		return "paper";
	default:
		return "live";
	}
}

static void
state_head(struct out *o, const struct monitor *m, const struct snapshot *s)
{
	put(o, "{\"seq\":%llu,", (unsigned long long)s->seq);
	put(o, "\"running\":%s,", s->seq != 0 ? "true" : "false");
	kv_time(o, m, "time", s->now, true);
	kv_str(o, "tz", m->tzname, true);
	kv_str(o, "mode", monitor_mode(s->mode), true);
	kv_str(o, "state", s->seq != 0 ? s->state : "NOT RUNNING", true);
	kv_str(o, "state_who", s->state_who, true);
	kv_str(o, "state_why", s->state_why, true);
	kv_str(o, "session", s->session, true);
	kv_str(o, "venue", s->venue, true);
	kv_str(o, "venue_conn", venue_conn_name(s->venue_conn), true);
	put(o, "\"finished\":%s,\"paused\":%s,", s->finished ? "true" :
	    "false", s->paused ? "true" : "false");
	put(o, "\"events\":%lld,\"refused\":%lld,\"working\":%d,",
	    (long long)s->events, (long long)s->rejects, s->nworking);
	put(o, "\"pnl\":{");
	kv_money(o, "day_net", s->day_pnl, true);
	kv_money(o, "week_net", s->week_pnl, true);
	kv_money(o, "realized_gross", s->realized, true);
	kv_money(o, "unrealized", s->unrealized, false);
	put(o, "},");
}

static void
state_gauge(struct out *o, const char *name, const struct snap_gauge *g,
    bool money, bool comma)
{
	char	 a[PORTFOLIO_FMT_MAX], b[PORTFOLIO_FMT_MAX];

	if (money) {
		portfolio_format_money(g->used, a, sizeof a);
		portfolio_format_money(g->limit, b, sizeof b);
	} else {
		snprintf(a, sizeof a, "%lld", (long long)g->used);
		snprintf(b, sizeof b, "%lld", (long long)g->limit);
	}
	put(o, "{");
	kv_str(o, "name", name, true);
	kv_str(o, "used", a, true);
	kv_str(o, "limit", g->limit > 0 ? b : "none", true);
	put(o, "\"percent\":%lld}%s", g->limit > 0 ? (long long)(g->used *
	    100 / g->limit) : 0LL, comma ? "," : "");
}

static void
state_risk(struct out *o, const struct snapshot *s)
{
	put(o, "\"gauges\":[");
	state_gauge(o, "daily loss", &s->daily_loss, true, true);
	state_gauge(o, "weekly loss", &s->weekly_loss, true, true);
	state_gauge(o, "positions", &s->positions, false, true);
	state_gauge(o, "contracts", &s->contracts, false, true);
	state_gauge(o, "order rate", &s->order_rate, false, false);
	put(o, "],\"breakers\":[");
	for (int i = 0, n = 0; i < SNAP_BREAKERS; i++) {
		const struct snap_breaker	*b = &s->breakers[i];

		if (b->name[0] == '\0')
			continue;
		put(o, "%s{", n++ > 0 ? "," : "");
		kv_str(o, "name", b->name, true);
		put(o, "\"on\":%s,\"tripped\":%s,", b->on ? "true" :
		    "false", b->tripped ? "true" : "false");
		/* The P&L swing is money; the others count events. */
		if (strcmp(b->name, "pnl_swing") == 0) {
			kv_money(o, "level", b->level, true);
			kv_money(o, "limit", b->limit, true);
		} else
			put(o, "\"level\":\"%lld\",\"limit\":\"%lld\",",
			    (long long)b->level, (long long)b->limit);
		kv_str(o, "why", b->why, false);
		put(o, "}");
	}
	put(o, "],");
}

/*
 * A strategy's sentiment (snapshot.h) and its age in whole seconds of
 * the engine's clock; "-" and null when none has been heard.
 */
static void
state_sentiment(struct out *o, const struct snapshot *s,
    const struct snap_strat *t)
{
	char	 v[16];

	if (t->sentiment_at == 0) {
		put(o, "\"sentiment\":\"-\",\"sentiment_age\":null");
		return;
	}
	kv_str(o, "sentiment", sent_format(t->sentiment, 2, v, sizeof v),
	    true);
	put(o, "\"sentiment_age\":%lld", (long long)((s->now -
	    t->sentiment_at) / TD_NS_PER_SEC));
}

static void
state_positions(struct out *o, const struct snapshot *s)
{
	put(o, "\"positions\":[");
	for (int i = 0; i < s->ninst; i++) {
		const struct snap_inst	*p = &s->inst[i];

		put(o, "%s{", i > 0 ? "," : "");
		kv_str(o, "symbol", p->symbol, true);
		put(o, "\"qty\":%lld,\"cover\":%lld,\"naked\":%s,",
		    (long long)p->position, (long long)p->stop_cover,
		    p->naked ? "true" : "false");
		kv_str(o, "avg", p->avg, true);
		kv_str(o, "last", p->last, true);
		kv_money(o, "unrealized", p->unrealized, true);
		kv_money(o, "realized_gross", p->realized, true);
		kv_str(o, "phase", p->phase, true);
		kv_str(o, "protection", p->position != 0 ? p->protect :
		    "flat", false);
		put(o, "}");
	}
	put(o, "],\"strategies\":[");
	for (int i = 0; i < s->nstrat; i++) {
		static const char *const run[] = { "running", "waiting",
		    "disabled", "errored" };
		const struct snap_strat	*t = &s->strat[i];

		put(o, "%s{", i > 0 ? "," : "");
		kv_str(o, "name", t->name, true);
		kv_str(o, "symbol", t->symbol, true);
		kv_str(o, "run", run[t->run], true);
		put(o, "\"position\":%lld,", (long long)t->position);
		kv_money(o, "day_net", t->day_pnl, true);
		state_sentiment(o, s, t);
		put(o, "}");
	}
	put(o, "],");
}

static void
state_fills(struct out *o, const struct monitor *m, const struct snapshot *s)
{
	int	 n = 0;

	put(o, "\"fills\":[");
	for (int i = 0; i < s->nblot && n < MONITOR_FILLS; i++) {
		const struct snap_blot	*b = &s->blot[i];

		if (!b->fill)
			continue;
		put(o, "%s{", n++ > 0 ? "," : "");
		kv_time(o, m, "time", b->time, true);
		kv_str(o, "symbol", b->symbol, true);
		kv_str(o, "side", b->side, true);
		put(o, "\"qty\":%lld,", (long long)b->qty);
		kv_str(o, "price", b->price, true);
		kv_str(o, "role", b->role, true);
		kv_str(o, "owner", b->owner, true);
		put(o, "\"order\":%llu}", (unsigned long long)b->id);
	}
	put(o, "],");
}

/* The ring, newest first, copied a line at a time under the lock. */
static void
state_logs(struct out *o, struct monitor *m)
{
	struct monitor_line	 l;
	int			 n;

	pthread_mutex_lock(&m->lock);
	n = m->nlines;
	pthread_mutex_unlock(&m->lock);
	put(o, "\"logs\":[");
	for (int i = 0; i < n; i++) {
		pthread_mutex_lock(&m->lock);
		l = m->ring[(m->head + m->nlines - 1 - i) % MONITOR_LOGS];
		pthread_mutex_unlock(&m->lock);
		put(o, "%s{", i > 0 ? "," : "");
		kv_time(o, m, "time", l.time, true);
		kv_str(o, "level", log_level_name(l.level), true);
		kv_str(o, "component", l.component, true);
		kv_str(o, "msg", l.msg, false);
		put(o, "}");
	}
	put(o, "]}");
}

int
monitor_state(struct monitor *m, const struct snapshot *s, char *buf,
    size_t len)
{
	struct out	 o = { .buf = buf, .len = len };

	if (len == 0)
		return -1;
	buf[0] = '\0';
	state_head(&o, m, s);
	state_risk(&o, s);
	state_positions(&o, s);
	state_fills(&o, m, s);
	state_logs(&o, m);
	return o.full ? -1 : (int)o.used;
}

int
monitor_event(const char *name, uint64_t id, const char *data, char *buf,
    size_t len)
{
	struct out	 o = { .buf = buf, .len = len };
	const char	*p = data;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	put(&o, "id: %llu\nevent: %s\n", (unsigned long long)id, name);
	for (;;) {
		size_t	 n = strcspn(p, "\r\n");

		out_raw(&o, "data: ", 6);
		out_raw(&o, p, n);
		out_raw(&o, "\n", 1);
		p += n;
		if (*p == '\0')
			break;
		p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
	}
	out_raw(&o, "\n", 1);
	return o.full ? -1 : (int)o.used;
}

/* ---------------------------------------------------------------- page */

/*
 * The page: every style and script inline, no address outside this
 * server.  Its script writes only through textContent, so no text of
 * the state can become markup, and opens /monitor/events with the
 * page's own query (the token), as an EventSource cannot set a header.
 */
static const char monitor_html[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-sca"
	"le=1\">\n"
	"<title>tickdesk monitor</title>\n"
	"<style>\n"
	"body{margin:0;font:14px/1.4 ui-monospace,DejaVu Sans Mono,mono"
	"space;background:#111417;color:#d8dee4}\n"
	"header{display:flex;flex-wrap:wrap;gap:1em;align-items:center;"
	"padding:.6em 1em;background:#1b2026;border-bottom:1px solid #2"
	"c333b}\n"
	"h1{font-size:1.1em;margin:0}h2{font-size:1em;margin:.2em 0 .4e"
	"m;color:#9fb3c8}\n"
	"main{display:grid;grid-template-columns:repeat(auto-fit,minmax"
	"(30em,1fr));gap:1em;padding:1em}\n"
	"section{background:#181c21;border:1px solid #2c333b;border-rad"
	"ius:4px;padding:.6em .8em;overflow-x:auto}\n"
	"table{border-collapse:collapse;width:100%}th,td{padding:.15em "
	".5em;text-align:left;white-space:nowrap}\n"
	"th{color:#8a96a3;font-weight:normal;border-bottom:1px solid #2"
	"c333b}td.n{text-align:right}\n"
	".state{padding:.15em .6em;border-radius:3px;font-weight:bold;b"
	"ackground:#444}\n"
	".ACTIVE{background:#1f6f3f}.REDUCING{background:#8a6d1a}.HALTE"
	"D{background:#9a3a12}.KILLED{background:#a01828}\n"
	".up{color:#4cc37a}.down{color:#ef5b5b}.warn{color:#e0b341}.bad"
	"{color:#fff;background:#a01828;font-weight:bold}\n"
	".bar{display:inline-block;width:8em;height:.7em;background:#2c"
	"333b;vertical-align:middle}\n"
	".bar span{display:block;height:100%;background:#4cc37a}.bar sp"
	"an.w{background:#e0b341}.bar span.b{background:#ef5b5b}\n"
	"#conn{margin-left:auto;color:#8a96a3}.lv-warning{color:#e0b341"
	"}.lv-error,.lv-critical{color:#ef5b5b}\n"
	"footer{padding:0 1em 1em;color:#8a96a3}.wide{grid-column:1/-1}"
	"\n"
	"</style></head><body>\n"
	"<header><h1>tickdesk monitor</h1><span id=\"state\" class=\"state"
	"\">connecting</span><span id=\"why\"></span>\n"
	"<span id=\"mode\"></span><span id=\"time\"></span><span id=\"venue\""
	"></span><span id=\"conn\">connecting</span></header>\n"
	"<main>\n"
	"<section class=\"wide\"><h2>Positions and protection</h2><table>"
	"<thead><tr><th>symbol</th><th>position</th><th>avg price</th><"
	"th>last</th><th>unrealized</th><th>realized (gross, session)</"
	"th><th>protection (working stops and targets)</th></tr></thead"
	"><tbody id=\"positions\"></tbody></table></section>\n"
	"<section><h2>P&amp;L</h2><table><tbody id=\"pnl\"></tbody></tabl"
	"e></section>\n"
	"<section><h2>Risk limits used</h2><table><tbody id=\"gauges\"></"
	"tbody></table></section>\n"
	"<section><h2>Breakers</h2><table><thead><tr><th>breaker</th><t"
	"h>state</th><th>level</th><th>limit</th><th>why</th></tr></the"
	"ad><tbody id=\"breakers\"></tbody></table></section>\n"
	"<section><h2>Strategies</h2><table><thead><tr><th>strategy</th"
	"><th>symbol</th><th>run</th><th>position</th><th>P&amp;L (net,"
	" today)</th><th>sentiment</th><th>heard</th></tr></thead><tbody"
	" id=\"strategies\"></tbody></table></section>\n"
	"<section><h2>Recent fills</h2><table><thead><tr><th>time</th><"
	"th>symbol</th><th>side</th><th>qty</th><th>price</th><th>role<"
	"/th><th>owner</th></tr></thead><tbody id=\"fills\"></tbody></tab"
	"le></section>\n"
	"<section class=\"wide\"><h2>Log</h2><table><tbody id=\"logs\"></tb"
	"ody></table></section>\n"
	"</main>\n"
	"<footer>Read-only: no order can be sent from this page.</foote"
	"r>\n"
	"<script>\n"
	"\"use strict\";\n"
	"function $(id){return document.getElementById(id);}\n"
	"function row(cells,cls){var tr=document.createElement(\"tr\");if"
	"(cls)tr.className=cls;\n"
	"cells.forEach(function(c){var td=document.createElement(\"td\");"
	"if(c&&typeof c===\"object\"){td.textContent=c.t;if(c.c)td.classN"
	"ame=c.c;}else td.textContent=c;tr.appendChild(td);});return tr"
	";}\n"
	"function fill(id,rows){var b=$(id);while(b.firstChild)b.remove"
	"Child(b.firstChild);rows.forEach(function(r){b.appendChild(r);"
	"});}\n"
	"function money(v){return {t:v,c:\"n \"+(v.charAt(0)===\"-\"?\"down\""
	":v===\"0.00\"?\"\":\"up\")};}\n"
	"function bar(p){var o=document.createElement(\"span\");o.classNa"
	"me=\"bar\";var i=document.createElement(\"span\");\n"
	"i.style.width=Math.min(100,Math.max(0,p))+\"%\";if(p>=100)i.clas"
	"sName=\"b\";else if(p>=80)i.className=\"w\";o.appendChild(i);retur"
	"n o;}\n"
	"function show(s){\n"
	"var st=$(\"state\");st.textContent=s.state;st.className=\"state \""
	"+s.state;\n"
	"$(\"why\").textContent=s.state_why?\"by \"+s.state_who+\": \"+s.stat"
	"e_why:\"\";\n"
	"$(\"mode\").textContent=s.mode+(s.finished?\" (data ended)\":s.pau"
	"sed?\" (paused)\":\"\")+(s.session?\", session \"+s.session:\"\");\n"
	"$(\"time\").textContent=s.time+\" \"+s.tz;$(\"venue\").textContent=\""
	"venue \"+s.venue+\" \"+s.venue_conn+\", \"+s.working+\" working orde"
	"rs\";\n"
	"fill(\"pnl\",[row([\"day P&L (net, today)\",money(s.pnl.day_net)])"
	",row([\"week P&L (net)\",money(s.pnl.week_net)]),\n"
	"row([\"realized (gross, session)\",money(s.pnl.realized_gross)])"
	",row([\"unrealized (open positions)\",money(s.pnl.unrealized)])]"
	");\n"
	"fill(\"positions\",s.positions.map(function(p){return row([p.sym"
	"bol,{t:(p.qty>0?\"+\":\"\")+p.qty,c:\"n\"},p.avg,p.last,money(p.unre"
	"alized),money(p.realized_gross),\n"
	"{t:p.protection,c:p.naked?\"bad\":\"\"}]);}));\n"
	"fill(\"gauges\",s.gauges.map(function(g){var r=row([g.name,{t:g."
	"used+\" of \"+g.limit,c:\"n\"},\"\"]);\n"
	"if(g.limit!==\"none\")r.lastChild.appendChild(bar(g.percent));re"
	"turn r;}));\n"
	"fill(\"breakers\",s.breakers.map(function(b){return row([b.name,"
	"{t:b.tripped?\"TRIPPED\":b.on?\"armed\":\"off\",c:b.tripped?\"bad\":"
	"\"\"},{t:b.level,c:\"n\"},{t:b.on?b.limit:\"off\",c:\"n\"},b.why]);})"
	");\n"
	"function age(a){if(a===null)return \"\";if(a<60)return a+\"s ag"
	"o\";if(a<3600)return Math.floor(a/60)+\"m\"+(\"0\"+a%60).slice(-2"
	")+\"s ago\";\n"
	"if(a<86400)return Math.floor(a/3600)+\"h\"+(\"0\"+Math.floor(a%36"
	"00/60)).slice(-2)+\"m ago\";return Math.floor(a/86400)+\"d ago\";}"
	"\n"
	"fill(\"strategies\",s.strategies.map(function(t){return row([t.n"
	"ame,t.symbol,t.run,{t:String(t.position),c:\"n\"},money(t.day_ne"
	"t),\n"
	"{t:t.sentiment,c:\"n \"+(t.sentiment.charAt(0)===\"-\"&&t.sentim"
	"ent!==\"-\"?\"down\":t.sentiment.charAt(0)===\"+\"?\"up\":\"\")},{"
	"t:age(t.sentiment_age),c:\"n\"}]);}));\n"
	"fill(\"fills\",s.fills.length?s.fills.map(function(f){return row"
	"([f.time,f.symbol,f.side,{t:String(f.qty),c:\"n\"},{t:f.price,c:"
	"\"n\"},f.role,f.owner]);}):[row([\"no fills yet\"])]);\n"
	"fill(\"logs\",s.logs.map(function(l){return row([l.time,{t:l.lev"
	"el,c:\"lv-\"+l.level},l.component,l.msg]);}));}\n"
	"(function(){var q=location.search;\n"
	"if(!/[?&]token=/.test(q)){$(\"conn\").textContent=\"live updates "
	"need the address with ?token=\";return;}\n"
	"var es=new EventSource(\"/monitor/events\"+q);\n"
	"es.addEventListener(\"state\",function(e){$(\"conn\").textContent="
	"\"live\";show(JSON.parse(e.data));});\n"
	"es.onerror=function(){$(\"conn\").textContent=\"reconnecting\";};}"
	")();\n"
	"</script></body></html>\n";

const char *
monitor_page(size_t *len)
{
	*len = sizeof monitor_html - 1;
	return monitor_html;
}
