/*
 * cmd-report.c -- `tickdesk report`: trade analytics from the journal.
 *
 * The report reads a journal (a session's or a backtest's) and rebuilds
 * the round trips from its fills with the same trade ledger the engine
 * keeps (core/trades), so a report of a replayed day and the backtest
 * report of that day agree to the cent.  Every fill of the journal is fed
 * to the ledger, oldest first, whatever range is asked for (a trade opened
 * before the range must be known when it closes inside it); the range
 * then selects the trades by the trading day of their closing fill, and
 * core/stats turns them into the figures.  The journal's own tables give
 * the rest: rejected orders with the venue's reasons, and the changes of
 * the trading state (halts, kills, breaches) with who made them and why.
 *
 * A session that continues another after a restart (sessions.resumes)
 * shares its ledger, so a trade open across a crash is one trade; a new
 * session, or a backtest, starts a ledger of its own.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "cmd.h"
#include "errmsg.h"
#include "instrument.h"
#include "journal.h"
#include "portfolio.h"
#include "report-html.h"
#include "report-results.h"
#include "report-rollout.h"
#include "stats.h"
#include "trades.h"
#include "tz.h"

#define RP_MAX_NAMES	256

struct rp_opts {
	const char		*config;
	const char		*env;
	const char		*journal;
	const char		*tz;
	const char		*out;		/* -o FILE, else stdout */
	enum stats_format	 fmt;
	bool			 html;		/* --format html */
	int32_t			 from;		/* yyyymmdd, 0 = open */
	int32_t			 to;
	const char		*results;	/* --results FILE */
	long long		 run;		/* --run N, 0: the list */
	long long		 top;
	bool			 rollout;	/* --rollout */
};

/* One instrument of the ledger: a symbol within a chain of sessions. */
struct rp_slot {
	int64_t			 chain;
	struct instrument	 inst;
};

struct rp_session {
	int64_t			 id;
	int64_t			 chain;		/* first session of the chain */
	uint64_t		 last_order;	/* highest order id counted */
	char			 mode[JOURNAL_MODE_MAX];
};

struct rp_reject {
	struct journal_order	 o;
	char			 price[PORTFOLIO_FMT_MAX];
};

struct report {
	const struct rp_opts	*o;
	FILE			*out;
	struct journal		*j;
	struct tz		*tz;
	char			 tzname[64];

	struct rp_session	*sess;
	size_t			 nsess;
	struct rp_slot		*slots;
	size_t			 nslots;
	struct trades		*tl;
	int32_t			*closed_day;	/* per closed trade */
	int64_t			*closed_seq;	/* and its closing fill */
	size_t			 closed_seq_cap;
	size_t			 closed_cap;
	char			*names[RP_MAX_NAMES];
	size_t			 nnames;
	int64_t			 skipped;	/* fills of no known slot */

	/* The range's activity. */
	int64_t			 fills;
	int64_t			 orders;
	td_cents		 commissions;
	struct stats_days	*days;		/* the day table */
	const struct stats_day	*day;		/* its rows, once loaded */
	size_t			 ndays;
	struct rp_reject	*rejects;
	size_t			 nrejects;
	size_t			 rejects_cap;
	struct journal_state	*states;
	size_t			 nstates;
	size_t			 states_cap;
	struct errmsg		 err;
};

static int32_t
rp_day_add(int32_t day, int n)
{
	int	 y, m, d;

	tz_civil_from_days(tz_days_from_civil(day / 10000, day / 100 % 100,
	    day % 100) + n, &y, &m, &d);
	return y * 10000 + m * 100 + d;
}

static int
rp_parse(int argc, char **argv, struct rp_opts *o)
{
	enum { O_JOURNAL = 256, O_DAY, O_WEEK, O_FROM, O_TO, O_FORMAT,
	    O_TZ, O_ENV, O_RESULTS, O_RUN, O_TOP, O_ROLLOUT };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ "journal", required_argument, NULL, O_JOURNAL },
		{ "day", required_argument, NULL, O_DAY },
		{ "week", required_argument, NULL, O_WEEK },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "tz", required_argument, NULL, O_TZ },
		{ "output", required_argument, NULL, 'o' },
		{ "results", required_argument, NULL, O_RESULTS },
		{ "run", required_argument, NULL, O_RUN },
		{ "top", required_argument, NULL, O_TOP },
		{ "rollout", no_argument, NULL, O_ROLLOUT },
		{ NULL, 0, NULL, 0 },
	};
	int32_t	 d;
	int	 ch, ranges = 0;
	bool	 span = false;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case O_ENV:
			o->env = optarg;
			break;
		case O_JOURNAL:
			o->journal = optarg;
			break;
		case O_DAY:
			if (cmd_date(optarg, &d) == -1)
				return -1;
			o->from = o->to = d;
			ranges++;
			break;
		case O_WEEK:
			if (cmd_date(optarg, &d) == -1)
				return -1;
			/* Monday to Sunday of the week of the date. */
			d = rp_day_add(d, -((tz_weekday(tz_days_from_civil(
			    d / 10000, d / 100 % 100, d % 100)) + 6) % 7));
			o->from = d;
			o->to = rp_day_add(d, 6);
			ranges++;
			break;
		case O_FROM:
		case O_TO:
			if (cmd_date(optarg, &d) == -1)
				return -1;
			if (ch == O_FROM)
				o->from = d;
			else
				o->to = d;
			if (!span)
				ranges++;
			span = true;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o->fmt = STATS_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				o->fmt = STATS_CSV;
			else if (strcmp(optarg, "json") == 0)
				o->fmt = STATS_JSON;
			else if (strcmp(optarg, "html") == 0)
				o->html = true;
			else {
				fprintf(stderr, "tickdesk: --format %s: use "
				    "text, csv, json or html\n", optarg);
				return -1;
			}
			if (strcmp(optarg, "html") != 0)
				o->html = false;
			break;
		case O_ROLLOUT:
			o->rollout = true;
			break;
		case O_TZ:
			o->tz = optarg;
			break;
		case O_RESULTS:
			o->results = optarg;
			break;
		case O_RUN:
		case O_TOP:
			if (cmd_number(optarg, 1, INT64_MAX, ch == O_RUN ?
			    &o->run : &o->top) == -1)
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tickdesk: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	if ((o->run != 0 || o->top != 0) && o->results == NULL) {
		fprintf(stderr, "tickdesk: --run and --top go with --results\n");
		return -1;
	}
	if (ranges > 1) {
		fprintf(stderr, "tickdesk: give one of --day, --week or "
		    "--from/--to\n");
		return -1;
	}
	if (o->from != 0 && o->to != 0 && o->from > o->to) {
		fprintf(stderr, "tickdesk: --from is after --to\n");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ loading */

static struct rp_session *
rp_session(struct report *r, int64_t id)
{
	for (size_t i = 0; i < r->nsess; i++) {
		if (r->sess[i].id == id)
			return &r->sess[i];
	}
	return NULL;
}

static int
rp_on_session(void *arg, const struct journal_session *s)
{
	struct report		*r = arg;
	const struct rp_session	*prev;
	struct rp_session	*n;
	size_t			 cap = r->nsess;

	/* Exactly as many as needed: sessions are few. */
	if ((n = realloc(r->sess, (cap + 1) * sizeof *n)) == NULL)
		return errmsg_set(&r->err, "out of memory");
	r->sess = n;
	n = &r->sess[r->nsess];
	memset(n, 0, sizeof *n);
	n->id = s->id;
	prev = s->resumes != 0 ? rp_session(r, s->resumes) : NULL;
	n->chain = prev != NULL ? prev->chain : s->id;
	snprintf(n->mode, sizeof n->mode, "%s", s->mode);
	r->nsess++;
	if (s->tz[0] != '\0')
		snprintf(r->tzname, sizeof r->tzname, "%s", s->tz);
	return 0;
}

static int
rp_slot(const struct report *r, int64_t chain, const char *symbol)
{
	for (size_t i = 0; i < r->nslots; i++) {
		if (r->slots[i].chain == chain &&
		    strcmp(r->slots[i].inst.symbol, symbol) == 0)
			return (int)i;
	}
	return -1;
}

static int
rp_on_instrument(void *arg, const struct journal_instrument *in)
{
	struct report		*r = arg;
	const struct rp_session	*s = rp_session(r, in->session);
	int64_t			 chain = s != NULL ? s->chain : in->session;
	int			 k = rp_slot(r, chain, in->inst.symbol);
	struct rp_slot		*n;

	if (k != -1) {
		/* The latest definition of the chain wins. */
		r->slots[k].inst = in->inst;
		return 0;
	}
	if ((n = realloc(r->slots, (r->nslots + 1) * sizeof *n)) == NULL)
		return errmsg_set(&r->err, "out of memory");
	r->slots = n;
	r->slots[r->nslots].chain = chain;
	r->slots[r->nslots].inst = in->inst;
	r->nslots++;
	return 0;
}

/*
 * A fill's owner as the report numbers strategies: by their index in its
 * name table, so that a strategy keeps its number across sessions.
 */
static struct td_owner
rp_owner(struct report *r, const struct journal_fill *f)
{
	if (td_owner_is_manual(f->owner) ||
	    strcmp(f->owner_name, "manual") == 0)
		return td_owner_manual();
	for (size_t i = 0; i < r->nnames; i++) {
		if (strcmp(r->names[i], f->owner_name) == 0)
			return td_owner_strat(td_strat_at((int)i));
	}
	if (r->nnames == RP_MAX_NAMES ||
	    (r->names[r->nnames] = strdup(f->owner_name)) == NULL)
		return td_owner_manual();
	return td_owner_strat(td_strat_at((int)r->nnames++));
}

static bool
rp_in_range(const struct report *r, int32_t day)
{
	return (r->o->from == 0 || day >= r->o->from) &&
	    (r->o->to == 0 || day <= r->o->to);
}

static int
rp_on_fill(void *arg, const struct journal_fill *f)
{
	struct report		*r = arg;
	const struct rp_session	*s = rp_session(r, f->session);
	struct errmsg		 err;
	size_t			 n;
	int			 k, rc;

	k = s != NULL ? rp_slot(r, s->chain, f->symbol) : -1;
	if (k == -1) {
		r->skipped++;
		return 0;
	}
	if (rp_in_range(r, f->day)) {
		r->fills++;
		r->commissions += f->commission;
	}
	/* What the open trade saw before this fill: its excursions. */
	if (f->trade_high != 0)
		trades_mark(r->tl, td_inst_at(k), f->trade_high, f->trade_low);
	rc = trades_fill(r->tl, td_inst_at(k), rp_owner(r, f), f->side, f->qty,
	    f->price, f->time, f->reason, &err);
	if (rc == -1)
		return errmsg_set(&r->err, "fill %lld: %s", (long long)f->seq,
		    err.msg);
	if (rc == 1) {
		n = trades_count(r->tl);
		if (array_grow(&r->closed_day, &r->closed_cap, n - 1,
		    sizeof *r->closed_day) == -1 || array_grow(&r->closed_seq,
		    &r->closed_seq_cap, n - 1, sizeof *r->closed_seq) == -1)
			return errmsg_set(&r->err, "out of memory");
		r->closed_day[n - 1] = f->day;
		r->closed_seq[n - 1] = f->seq;
	}
	return 0;
}

static int
rp_on_order(void *arg, const struct journal_order *o)
{
	struct report		*r = arg;
	struct rp_session	*s = rp_session(r, o->session);
	struct rp_reject	*x;
	int			 k;

	/*
	 * Ids grow within a session: count each order once, bracket legs
	 * too (the journal sees a leg first when the venue acknowledges it).
	 */
	if (s != NULL && o->order.id > s->last_order) {
		s->last_order = o->order.id;
		r->orders++;
	}
	if (o->event != JEV_REJECTED)
		return 0;
	if (array_grow(&r->rejects, &r->rejects_cap, r->nrejects,
	    sizeof *r->rejects) == -1)
		return errmsg_set(&r->err, "out of memory");
	x = &r->rejects[r->nrejects++];
	x->o = *o;
	x->price[0] = '\0';
	k = s != NULL ? rp_slot(r, s->chain, o->symbol) : -1;
	if (k != -1 && o->order.type != ORD_MARKET)
		instrument_format(&r->slots[k].inst, o->order.price, x->price,
		    sizeof x->price);
	return 0;
}

static int
rp_on_state(void *arg, const struct journal_state *st)
{
	struct report	*r = arg;

	if (array_grow(&r->states, &r->states_cap, r->nstates,
	    sizeof *r->states) == -1)
		return errmsg_set(&r->err, "out of memory");
	r->states[r->nstates++] = *st;
	return 0;
}

/* A session day in the range: it is in the table even without trades. */
static int
rp_add_day(struct report *r, int32_t day, td_cents net, int trades)
{
	return stats_days_add(r->days, day, net, trades, &r->err);
}

static int
rp_on_day(void *arg, const struct journal_day *d)
{
	return rp_add_day(arg, d->day, 0, 0);
}

static bool
rp_keep(void *arg, size_t i, const struct trade *t)
{
	const struct report	*r = arg;

	(void)t;
	return rp_in_range(r, r->closed_day[i]);
}

static int
rp_load(struct report *r)
{
	struct errmsg	 err;
	struct instrument *insts;
	size_t		 n;

	if (journal_read_sessions(r->j, rp_on_session, r, &err) == -1 ||
	    journal_read_instruments(r->j, rp_on_instrument, r, &err) == -1)
		return errmsg_set(&r->err, "%s", err.msg);
	if (r->err.msg[0] != '\0')
		return -1;
	if ((r->days = stats_days_create(&err)) == NULL)
		return errmsg_set(&r->err, "%s", err.msg);
	if (r->nslots > 0) {
		if ((insts = calloc(r->nslots, sizeof *insts)) == NULL)
			return errmsg_set(&r->err, "out of memory");
		for (size_t i = 0; i < r->nslots; i++)
			insts[i] = r->slots[i].inst;
		r->tl = trades_create(insts, (int)r->nslots, &err);
		free(insts);
		if (r->tl == NULL)
			return errmsg_set(&r->err, "%s", err.msg);
		if (journal_read_fills(r->j, 0, 0, rp_on_fill, r, &err) == -1)
			return errmsg_set(&r->err, "%s", err.msg);
		if (r->err.msg[0] != '\0')
			return -1;
	}
	if (journal_read_orders(r->j, r->o->from, r->o->to, rp_on_order, r,
	    &err) == -1 || journal_read_states(r->j, r->o->from, r->o->to,
	    rp_on_state, r, &err) == -1 || journal_read_days(r->j, r->o->from,
	    r->o->to, rp_on_day, r, &err) == -1)
		return errmsg_set(&r->err, "%s", err.msg);
	if (r->err.msg[0] != '\0')
		return -1;
	n = r->tl != NULL ? trades_count(r->tl) : 0;
	for (size_t i = 0; i < n; i++) {
		if (rp_in_range(r, r->closed_day[i]) && rp_add_day(r,
		    r->closed_day[i], trades_get(r->tl, i)->net, 1) == -1)
			return -1;
	}
	/* Days of unknown date (journals without a session) stay out. */
	stats_days_sort(r->days);
	r->day = stats_days_rows(r->days, &r->ndays);
	return 0;
}

/* ------------------------------------------------------------ output */

/* An exchange time for people: "2024-03-05 09:31:00". */
static char *
rp_time(const struct report *r, td_ns t, char *buf, size_t len)
{
	struct tz_tm	 tm;

	tz_to_local(r->tz, t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min, tm.sec);
	return buf;
}

static void
rp_range_text(const struct report *r, char *buf, size_t len)
{
	char	 a[16], b[16];

	snprintf(a, sizeof a, "%04d-%02d-%02d", r->o->from / 10000,
	    r->o->from / 100 % 100, r->o->from % 100);
	snprintf(b, sizeof b, "%04d-%02d-%02d", r->o->to / 10000,
	    r->o->to / 100 % 100, r->o->to % 100);
	if (r->o->from == 0 && r->o->to == 0)
		snprintf(buf, len, "all trading days");
	else if (r->o->from == r->o->to)
		snprintf(buf, len, "trading day %s", a);
	else
		snprintf(buf, len, "trading days %s to %s",
		    r->o->from != 0 ? a : "the first", r->o->to != 0 ? b :
		    "the last");
}

static const char *
rp_side(enum td_side side)
{
	return side == TD_BUY ? "buy" : "sell";
}

static void
rp_text(const struct report *r, const struct stats *st,
    const struct stats_times *bt)
{
	char	 range[80], t[32], m[PORTFOLIO_FMT_MAX];

	rp_range_text(r, range, sizeof range);
	fprintf(r->out, "tickdesk report: %s\n%s, times in %s\n\n",
	    journal_path(r->j), range, r->tzname);
	stats_write_summary(r->out, STATS_TEXT, st, r->tz, NULL);
	fprintf(r->out, "\n");
	stats_write_trades(r->out, STATS_TEXT, r->tl, rp_keep, (void *)r,
	    (const char *const *)r->names, r->nnames, r->tz, NULL);
	fprintf(r->out, "\n");
	stats_write_days(r->out, STATS_TEXT, r->day, r->ndays, NULL);
	fprintf(r->out, "\np&l by hour and weekday of entry\n");
	stats_write_times(r->out, STATS_TEXT, bt, NULL);
	fprintf(r->out, "\n%-18s %14lld\n%-18s %14lld\n%-18s %14lld\n%-18s %14s\n",
	    "orders", (long long)r->orders, "fills", (long long)r->fills,
	    "rejected", (long long)r->nrejects, "commissions paid",
	    portfolio_format_money(r->commissions, m, sizeof m));

	fprintf(r->out, "\nrejected orders\n%-19s %6s %-6s %-12s %-4s %4s %-6s %10s "
	    "%s\n", "time", "order", "symbol", "strategy", "side", "qty",
	    "type", "price", "reason");
	for (size_t i = 0; i < r->nrejects; i++) {
		const struct journal_order	*o = &r->rejects[i].o;

		fprintf(r->out, "%-19s %6llu %-6s %-12s %-4s %4lld %-6s %10s %s\n",
		    rp_time(r, o->time, t, sizeof t),
		    (unsigned long long)o->order.id, o->symbol, o->owner_name,
		    rp_side(o->order.side), (long long)o->order.qty,
		    order_type_name(o->order.type), r->rejects[i].price,
		    o->order.reason);
	}
	fprintf(r->out, "\nrisk events\n%-19s %-8s    %-8s %-12s %s\n", "time", "from",
	    "to", "who", "why");
	for (size_t i = 0; i < r->nstates; i++) {
		const struct journal_state	*s = &r->states[i];

		fprintf(r->out, "%-19s %-8s -> %-8s %-12s %s\n", rp_time(r, s->time, t,
		    sizeof t), trading_state_name(s->from),
		    trading_state_name(s->to), s->who, s->why);
	}
	if (r->skipped > 0)
		fprintf(r->out, "\n%lld fills of no recorded session were left out\n",
		    (long long)r->skipped);
}

static void
rp_csv(const struct report *r, const struct stats *st,
    const struct stats_times *bt)
{
	char	 t[40], m[32];

	stats_write_summary(r->out, STATS_CSV, st, NULL, NULL);
	fprintf(r->out, "\n");
	stats_write_trades(r->out, STATS_CSV, r->tl, rp_keep, (void *)r,
	    (const char *const *)r->names, r->nnames, NULL, NULL);
	fprintf(r->out, "\n");
	stats_write_days(r->out, STATS_CSV, r->day, r->ndays, NULL);
	fprintf(r->out, "\n");
	stats_write_times(r->out, STATS_CSV, bt, NULL);
	fprintf(r->out, "\nactivity,value\norders,%lld\nfills,%lld\nrejected,%lld\n"
	    "commissions_paid,%s\n", (long long)r->orders,
	    (long long)r->fills, (long long)r->nrejects,
	    stats_money_plain(r->commissions, m, sizeof m));
	fprintf(r->out, "\ntime,corr,order,symbol,strategy,side,qty,type,price,"
	    "reason\n");
	for (size_t i = 0; i < r->nrejects; i++) {
		const struct journal_order	*o = &r->rejects[i].o;

		fprintf(r->out, "%s,%llu,%llu,", stats_iso_time(o->time, t, sizeof t),
		    (unsigned long long)o->order.corr,
		    (unsigned long long)o->order.id);
		stats_csv_field(r->out, o->symbol);
		fputc(',', r->out);
		stats_csv_field(r->out, o->owner_name);
		fprintf(r->out, ",%s,%lld,%s,%s,", rp_side(o->order.side),
		    (long long)o->order.qty, order_type_name(o->order.type),
		    r->rejects[i].price);
		stats_csv_field(r->out, o->order.reason);
		fputc('\n', r->out);
	}
	fprintf(r->out, "\ntime,corr,from,to,who,why\n");
	for (size_t i = 0; i < r->nstates; i++) {
		const struct journal_state	*s = &r->states[i];

		fprintf(r->out, "%s,%llu,%s,%s,", stats_iso_time(s->time, t, sizeof t),
		    (unsigned long long)s->corr, trading_state_name(s->from),
		    trading_state_name(s->to));
		stats_csv_field(r->out, s->who);
		fputc(',', r->out);
		stats_csv_field(r->out, s->why);
		fputc('\n', r->out);
	}
}

static void
rp_json(const struct report *r, const struct stats *st,
    const struct stats_times *bt)
{
	char	 t[40], m[32], d[16];

	fprintf(r->out, "{\"journal\": ");
	stats_json_string(r->out, journal_path(r->j));
	fprintf(r->out, ", \"from\": ");
	if (r->o->from != 0)
		fprintf(r->out, "\"%s\"", stats_iso_day(r->o->from, d,
		    sizeof d));
	else
		fprintf(r->out, "null");
	fprintf(r->out, ", \"to\": ");
	if (r->o->to != 0)
		fprintf(r->out, "\"%s\"", stats_iso_day(r->o->to, d,
		    sizeof d));
	else
		fprintf(r->out, "null");
	fprintf(r->out, ", \"timezone\": ");
	stats_json_string(r->out, r->tzname);
	fprintf(r->out, ",\n\"summary\": ");
	stats_write_summary(r->out, STATS_JSON, st, NULL, NULL);
	fprintf(r->out, ",\n\"trades\": ");
	stats_write_trades(r->out, STATS_JSON, r->tl, rp_keep, (void *)r,
	    (const char *const *)r->names, r->nnames, NULL, NULL);
	fprintf(r->out, ",\n\"days\": ");
	stats_write_days(r->out, STATS_JSON, r->day, r->ndays, NULL);
	fprintf(r->out, ",\n\"times\": ");
	stats_write_times(r->out, STATS_JSON, bt, NULL);
	fprintf(r->out, ",\n\"activity\": {\"orders\": %lld, \"fills\": %lld, "
	    "\"rejected\": %lld, \"commissions_paid\": %s},\n\"rejected\": [",
	    (long long)r->orders, (long long)r->fills,
	    (long long)r->nrejects, stats_money_plain(r->commissions, m,
	    sizeof m));
	for (size_t i = 0; i < r->nrejects; i++) {
		const struct journal_order	*o = &r->rejects[i].o;

		fprintf(r->out, "%s{\"time\": \"%s\", \"corr\": %llu, \"order\": %llu, "
		    "\"symbol\": ", i > 0 ? ", " : "", stats_iso_time(o->time,
		    t, sizeof t), (unsigned long long)o->order.corr,
		    (unsigned long long)o->order.id);
		stats_json_string(r->out, o->symbol);
		fprintf(r->out, ", \"strategy\": ");
		stats_json_string(r->out, o->owner_name);
		fprintf(r->out, ", \"side\": \"%s\", \"qty\": %lld, \"type\": \"%s\", "
		    "\"price\": %s, \"reason\": ", rp_side(o->order.side),
		    (long long)o->order.qty, order_type_name(o->order.type),
		    r->rejects[i].price[0] != '\0' ? r->rejects[i].price :
		    "null");
		stats_json_string(r->out, o->order.reason);
		fputc('}', r->out);
	}
	fprintf(r->out, "],\n\"risk_events\": [");
	for (size_t i = 0; i < r->nstates; i++) {
		const struct journal_state	*s = &r->states[i];

		fprintf(r->out, "%s{\"time\": \"%s\", \"corr\": %llu, \"from\": \"%s\", "
		    "\"to\": \"%s\", \"who\": ", i > 0 ? ", " : "",
		    stats_iso_time(s->time, t, sizeof t),
		    (unsigned long long)s->corr, trading_state_name(s->from),
		    trading_state_name(s->to));
		stats_json_string(r->out, s->who);
		fprintf(r->out, ", \"why\": ");
		stats_json_string(r->out, s->why);
		fputc('}', r->out);
	}
	fprintf(r->out, "]}\n");
}

/* --format html: one page with the figures and their charts. */
static int
rp_html(const struct report *r, const struct stats *st,
    const struct stats_times *bt)
{
	struct errmsg	 err;
	char		 range[80];

	rp_range_text(r, range, sizeof range);
	if (report_html_write(r->out, &(struct report_html){
	    .journal = journal_path(r->j), .range = range,
	    .tzname = r->tzname, .tz = r->tz, .st = st, .bt = bt,
	    .day = r->day, .ndays = r->ndays, .tl = r->tl, .keep = rp_keep,
	    .arg = (void *)r, .owners = (const char *const *)r->names,
	    .nowners = r->nnames }, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static void
rp_free(struct report *r)
{
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i]);
	trades_free(r->tl);
	journal_close(r->j);
	tz_free(r->tz);
	free(r->sess);
	free(r->slots);
	free(r->closed_day);
	free(r->closed_seq);
	stats_days_free(r->days);
	free(r->rejects);
	free(r->states);
}

/* --results: an optimisation's runs, to stdout or -o. */
static int
rp_results(const struct rp_opts *o)
{
	FILE	*f = stdout;
	int	 rc;

	if (o->out != NULL && (f = fopen(o->out, "w")) == NULL) {
		fprintf(stderr, "tickdesk: %s: %s\n", o->out, strerror(errno));
		return EXIT_RUNTIME;
	}
	rc = report_results(o->results, o->run, o->top != 0 ? o->top : 20, f);
	if (f != stdout && fclose(f) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "tickdesk: %s: %s\n", o->out, strerror(errno));
		rc = EXIT_RUNTIME;
	}
	return rc;
}

static int
cmd_report_exec(int argc, char **argv)
{
	struct rp_opts		 o;
	struct report		 r;
	struct stats		 st;
	struct stats_times	 bt;
	struct errmsg		 err;
	char			 path[JOURNAL_PATH_MAX];
	int			 rc = EXIT_RUNTIME;

	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	if (rp_parse(argc, argv, &o) == -1)
		return cmd_usage(&cmd_report_entry);
	if (o.results != NULL)
		return rp_results(&o);
	if (cmd_journal_path(o.journal, o.config, o.env, path,
	    sizeof path) == -1)
		return EXIT_USAGE;
	r.o = &o;
	r.out = stdout;
	if (o.out != NULL && (r.out = fopen(o.out, "w")) == NULL) {
		fprintf(stderr, "tickdesk: %s: %s\n", o.out, strerror(errno));
		return EXIT_RUNTIME;
	}
	snprintf(r.tzname, sizeof r.tzname, "UTC");
	if ((r.j = journal_open(path, JOURNAL_READONLY, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		goto out;
	}
	if (rp_load(&r) == -1) {
		fprintf(stderr, "tickdesk: %s: %s\n", path, r.err.msg);
		goto out;
	}
	if (o.tz != NULL)
		snprintf(r.tzname, sizeof r.tzname, "%s", o.tz);
	if ((r.tz = tz_load(r.tzname, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	if (o.rollout) {
		if (report_rollout(r.out, r.j, r.tl, r.closed_seq, r.tz,
		    &err) == -1) {
			fprintf(stderr, "tickdesk: %s\n", err.msg);
			goto out;
		}
		goto flush;
	}
	stats_compute_sel(&st, r.tl, rp_keep, &r, r.day, r.ndays);
	stats_times_compute(&bt, r.tl, rp_keep, &r, r.tz);
	if (o.html) {
		if (rp_html(&r, &st, &bt) == -1)
			goto out;
	} else switch (o.fmt) {
	case STATS_TEXT:
		rp_text(&r, &st, &bt);
		break;
	case STATS_CSV:
		rp_csv(&r, &st, &bt);
		break;
	case STATS_JSON:
		rp_json(&r, &st, &bt);
		break;
	}
flush:
	if (fflush(r.out) != 0 || ferror(r.out)) {
		fprintf(stderr, "tickdesk: cannot write the report\n");
		goto out;
	}
	rc = EXIT_OK;
out:
	if (r.out != stdout && fclose(r.out) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "tickdesk: cannot write the report\n");
		rc = EXIT_RUNTIME;
	}
	rp_free(&r);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_report_options[] = {
	{ "-c, --config CONFIG",
	    "the configuration file, which names the journal (else "
	    "$TICKDESK_CONFIG, ...)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ "--journal FILE",
	    "the journal instead of the configuration's journal.path" },
	{ "--day DATE",
	    "one trading day (YYYY-MM-DD)" },
	{ "--week DATE",
	    "the week, Monday to Sunday, of the trading day DATE" },
	{ "--from DATE",
	    "the first trading day of a range" },
	{ "--to DATE",
	    "the last trading day of a range" },
	{ "--format text|csv|json|html",
	    "text for people (the default), CSV in sections, one JSON "
	    "object, or one self-contained HTML page with SVG charts" },
	{ "--tz ZONE",
	    "the time zone of the report's times instead of the "
	    "exchange's" },
	{ "-o, --output FILE",
	    "write the report to FILE instead of standard output" },
	{ "--rollout",
	    "the rollout ladder by stage: sessions, trades, P&L, slippage "
	    "against the expected fills, incidents; the moves between "
	    "stages" },
	{ "--results FILE",
	    "the runs an optimize --store FILE kept, instead of a "
	    "journal" },
	{ "--run N",
	    "with --results: run N's best points" },
	{ "--top N",
	    "with --run: how many points (20)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "[-c CONFIG] [--env NAME] [--journal FILE] [--day DATE | --week DATE | "
	    "--from DATE --to DATE] [--format text|csv|json|html] "
	    "[--tz ZONE] [--rollout] [-o FILE]\n"
	    "--results FILE [--run N [--top N]] [-o FILE]",
	.summary = "trade analytics from the journal",
	.help = "Read the journal (of a session or of `backtest --journal`) "
	    "and report the trades\n(entry, exit, quantity, P&L, duration, "
	    "strategy), win rate, profit factor,\nexpectancy, maximum "
	    "drawdown, P&L by hour of day and by weekday, commissions,\n"
	    "rejected orders with their reasons and the changes of the "
	    "trading state, for\none trading day, a week (Monday to Sunday) "
	    "or a range of days.  --format html writes one self-contained "
	    "page with SVG\ncharts (equity and drawdown, P&L by hour and "
	    "weekday).  See tickdesk(1).",
	.options = cmd_report_options,
	.exec = cmd_report_exec,
};
