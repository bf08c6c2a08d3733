/*
 * stats.c -- backtest and report statistics (see stats.h).
 *
 * Runs once at the end of a backtest, a replay or on `report`: it walks
 * the closed trades of the ledger in closing order (the equity curve) and
 * the day table (struct stats_days: as the engine closed each day, or as
 * a report found them in a journal).  Sums stay in integer cents; double
 * is used only where a ratio is the answer.  Output goes to the FILE *
 * the caller gives (stdout, a file, a pipe): core never picks a stream.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"
#include "stats.h"
#include "trades.h"
#include "tz.h"

#define STATS_TRADING_DAYS	252.0
#define STATS_DAYS_FIRST	256	/* a year of session days */

struct stats_days {
	struct stats_day	*row;
	size_t			 n;
	size_t			 cap;
	struct errmsg		 err;	/* a day the observer lost */
	int64_t			 nodata;	/* days left out, no data */
	struct stats_gap	 gap[STATS_GAPS_MAX];
	int			 ngaps;
	bool			 in_gap;	/* the last day heard was one */
};

/* ---------------------------------------------------------------- days */

struct stats_days *
stats_days_create(struct errmsg *err)
{
	struct stats_days	*d;

	if ((d = calloc(1, sizeof *d)) == NULL ||
	    (d->row = calloc(STATS_DAYS_FIRST, sizeof *d->row)) == NULL) {
		free(d);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	d->cap = STATS_DAYS_FIRST;
	return d;
}

void
stats_days_free(struct stats_days *d)
{
	if (d == NULL)
		return;
	free(d->row);
	free(d);
}

int
stats_days_add(struct stats_days *d, int32_t day, td_cents net, int trades,
    struct errmsg *err)
{
	size_t	 i = d->n;

	/* Days come in order: the newest row is the likeliest. */
	while (i > 0 && d->row[i - 1].day != day)
		i--;
	if (i == 0) {
		if (d->n == d->cap) {
			void	*p = realloc(d->row, 2 * d->cap *
				    sizeof *d->row);

			if (p == NULL)
				return errmsg_set(err, "out of memory for "
				    "the day table");
			d->row = p;
			d->cap *= 2;
		}
		d->row[d->n++] = (struct stats_day){ .day = day };
		i = d->n;
	}
	d->row[i - 1].net += net;
	d->row[i - 1].trades += trades;
	return 0;
}

static int
stats_day_cmp(const void *a, const void *b)
{
	const struct stats_day	*x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

void
stats_days_sort(struct stats_days *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->row[i].day == 0)
			d->row[i--] = d->row[--d->n];
	}
	if (d->n > 0)		/* qsort(NULL, 0) is undefined */
		qsort(d->row, d->n, sizeof *d->row, stats_day_cmp);
}

const struct stats_day *
stats_days_rows(const struct stats_days *d, size_t *n)
{
	*n = d->n;
	return d->row;
}

/* A day without data: counted, and added to the run it continues. */
static void
stats_days_gap(struct stats_days *d, int32_t day)
{
	d->nodata++;
	if (d->in_gap) {
		d->gap[d->ngaps - 1].last = day;
		d->gap[d->ngaps - 1].days++;
		return;
	}
	if (d->ngaps == STATS_GAPS_MAX)
		return;
	d->gap[d->ngaps++] = (struct stats_gap){ .first = day, .last = day,
	    .days = 1 };
	d->in_gap = true;
}

int64_t
stats_days_without_data(const struct stats_days *d,
    const struct stats_gap **gaps, int *ngaps)
{
	*gaps = d->gap;
	*ngaps = d->ngaps;
	return d->nodata;
}

int
stats_days_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct stats_days	*d = arg;

	(void)err;
	if (ev->kind != EEV_DAY || ev->day == NULL)
		return 0;
	if (ev->day->no_data && ev->day->net == 0 && ev->day->trades == 0) {
		stats_days_gap(d, ev->day->day);
		return 0;
	}
	d->in_gap = false;
	if (stats_days_add(d, ev->day->day, ev->day->net, ev->day->trades,
	    &d->err) == -1)
		errmsg_prefix(&d->err, "day %d", (int)ev->day->day);
	return 0;
}

const char *
stats_days_error(const struct stats_days *d)
{
	return d->err.msg;
}

/* ---------------------------------------------------------------- figures */

void
stats_compute(struct stats *st, const struct trades *tl,
    const struct stats_day *days, size_t ndays)
{
	stats_compute_sel(st, tl, NULL, NULL, days, ndays);
}

void
stats_compute_sel(struct stats *st, const struct trades *tl,
    stats_keep_fn keep, void *arg, const struct stats_day *days, size_t ndays)
{
	const struct trade	*t;
	td_cents		 equity = 0, peak = 0, dd;
	td_ns			 peak_time = 0, total_dur = 0;
	double			 mean, var, x;
	size_t			 i, n;

	memset(st, 0, sizeof *st);
	st->win_rate = NAN;
	st->profit_factor = NAN;
	st->sharpe = NAN;

	n = tl != NULL ? trades_count(tl) : 0;
	for (i = 0; i < n; i++) {
		t = trades_get(tl, i);
		if (keep != NULL && !keep(arg, i, t))
			continue;
		if (st->trades == 0)
			peak_time = t->entry_time;
		st->trades++;
		st->gross += t->gross;
		st->commissions += t->commission;
		st->net += t->net;
		total_dur += t->exit_time - t->entry_time;
		if (t->gross > 0)
			st->gross_profit += t->gross;
		else
			st->gross_loss += t->gross;
		if (t->net > 0) {
			st->winners++;
			st->net_profit += t->net;
			if (t->net > st->largest_win)
				st->largest_win = t->net;
		} else if (t->net < 0) {
			st->losers++;
			st->net_loss += t->net;
			if (t->net < st->largest_loss)
				st->largest_loss = t->net;
		} else
			st->scratches++;

		equity += t->net;
		if (equity > peak) {
			peak = equity;
			peak_time = t->exit_time;
		}
		dd = peak - equity;
		if (dd > st->max_drawdown) {
			st->max_drawdown = dd;
			st->dd_peak_time = peak_time;
			st->dd_trough_time = t->exit_time;
		}
	}

	if (st->trades > 0) {
		st->win_rate = (double)st->winners / (double)st->trades;
		/* Round half away from zero, in integers. */
		if (st->net >= 0)
			st->expectancy = (st->net + st->trades / 2) /
			    st->trades;
		else
			st->expectancy = -((-st->net + st->trades / 2) /
			    st->trades);
		st->avg_duration = total_dur / st->trades;
	}
	if (st->net_loss < 0)
		st->profit_factor = (double)st->net_profit /
		    (double)-st->net_loss;
	else if (st->net_profit > 0)
		st->profit_factor = INFINITY;

	st->days = (int64_t)ndays;
	if (ndays >= 2) {
		mean = 0;
		for (i = 0; i < ndays; i++)
			mean += (double)days[i].net;
		mean /= (double)ndays;
		var = 0;
		for (i = 0; i < ndays; i++) {
			x = (double)days[i].net - mean;
			var += x * x;
		}
		var /= (double)(ndays - 1);
		if (var > 0)
			st->sharpe = mean / sqrt(var) *
			    sqrt(STATS_TRADING_DAYS);
	}
}

/* "2024-03-05 14:31:00Z", or "-" for 0 (no such time). */
static void
stats_time(td_ns t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 s;

	if (t == 0) {
		snprintf(buf, len, "-");
		return;
	}
	s = (time_t)(t / TD_NS_PER_SEC - (t % TD_NS_PER_SEC < 0));
	gmtime_r(&s, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm);
}

/* "2024-03-05T14:31:00.125Z": ISO 8601 with milliseconds, for CSV. */
char *
stats_iso_time(td_ns t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 s;
	int64_t		 ms;
	char		 tmp[32];

	s = (time_t)(t / TD_NS_PER_SEC);
	ms = (t % TD_NS_PER_SEC) / 1000000;
	if (ms < 0) {
		s--;
		ms += 1000;
	}
	gmtime_r(&s, &tm);
	strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", tmp, (int)ms);
	return buf;
}

char *
stats_iso_day(int32_t day, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", (int)(day / 10000),
	    (int)(day / 100 % 100), (int)(day % 100));
	return buf;
}

/* "27:05:09": hours may pass 24. */
static void
stats_duration(td_ns d, char *buf, size_t len)
{
	int64_t	 s = d / TD_NS_PER_SEC;

	if (s < 0)
		s = 0;
	snprintf(buf, len, "%02lld:%02lld:%02lld", (long long)(s / 3600),
	    (long long)(s / 60 % 60), (long long)(s % 60));
}

char *
stats_ratio(double v, int decimals, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.*f", decimals, v);
	return buf;
}

/* Money without thousands separators for CSV: "-1234.50". */
char *
stats_money_plain(td_cents c, char *buf, size_t len)
{
	uint64_t	 mag;

	mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	snprintf(buf, len, "%s%llu.%02llu", c < 0 ? "-" : "",
	    (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
	return buf;
}

static int
stats_done(FILE *f, struct errmsg *err)
{
	if (fflush(f) != 0 || ferror(f))
		return errmsg_set(err, "cannot write the report");
	return 0;
}

static void stats_local(td_ns, const struct tz *, char *, size_t);

static void
stats_text_summary(FILE *f, const struct stats *st, const struct tz *tz)
{
	char		 a[PORTFOLIO_FMT_MAX];
	char		 r[32], t1[40], t2[40];

#define M(c, buf)	portfolio_format_money((c), (buf), sizeof (buf))
	fprintf(f, "%-18s %14lld\n", "trades", (long long)st->trades);
	if (st->trades > 0)
		fprintf(f, "%-18s %14lld  (%.2f%%)\n", "winners",
		    (long long)st->winners, st->win_rate * 100.0);
	else
		fprintf(f, "%-18s %14lld\n", "winners",
		    (long long)st->winners);
	fprintf(f, "%-18s %14lld\n", "losers", (long long)st->losers);
	fprintf(f, "%-18s %14lld\n", "scratches", (long long)st->scratches);
	fprintf(f, "%-18s %14s\n", "gross profit", M(st->gross_profit, a));
	fprintf(f, "%-18s %14s\n", "gross loss", M(st->gross_loss, a));
	fprintf(f, "%-18s %14s\n", "net profit", M(st->net_profit, a));
	fprintf(f, "%-18s %14s\n", "net loss", M(st->net_loss, a));
	stats_ratio(st->profit_factor, 2, r, sizeof r);
	fprintf(f, "%-18s %14s\n", "profit factor", r);
	fprintf(f, "%-18s %14s\n", "expectancy", M(st->expectancy, a));
	fprintf(f, "%-18s %14s\n", "gross p&l", M(st->gross, a));
	fprintf(f, "%-18s %14s\n", "commissions", M(st->commissions, a));
	fprintf(f, "%-18s %14s\n", "net p&l", M(st->net, a));
	fprintf(f, "%-18s %14s\n", "largest win", M(st->largest_win, a));
	fprintf(f, "%-18s %14s\n", "largest loss", M(st->largest_loss, a));
	if (st->max_drawdown > 0) {
		stats_local(st->dd_peak_time, tz, t1, sizeof t1);
		stats_local(st->dd_trough_time, tz, t2, sizeof t2);
		fprintf(f, "%-18s %14s  (%s -> %s)\n", "max drawdown",
		    M(st->max_drawdown, a), t1, t2);
	} else
		fprintf(f, "%-18s %14s\n", "max drawdown",
		    M(st->max_drawdown, a));
	stats_duration(st->avg_duration, t1, sizeof t1);
	fprintf(f, "%-18s %14s\n", "avg duration", t1);
	fprintf(f, "%-18s %14lld\n", "days", (long long)st->days);
	stats_ratio(st->sharpe, 2, r, sizeof r);
	fprintf(f, "%-18s %14s\n", "sharpe (daily)", r);
#undef M
}

static void
stats_text_days(FILE *f, const struct stats_day *days, size_t ndays)
{
	char		 a[PORTFOLIO_FMT_MAX], b[PORTFOLIO_FMT_MAX];
	td_cents	 cum = 0;

	char		 d[16];

	fprintf(f, "%-10s %6s %14s %14s\n", "date", "trades", "net",
	    "cumulative");
	for (size_t i = 0; i < ndays; i++) {
		cum += days[i].net;
		fprintf(f, "%-10s %6d %14s %14s\n", stats_iso_day(days[i].day,
		    d, sizeof d), days[i].trades, portfolio_format_money(
		    days[i].net, a, sizeof a), portfolio_format_money(cum, b,
		    sizeof b));
	}
}

int
stats_report(FILE *f, const struct stats *st, const struct stats_day *days,
    size_t ndays, struct errmsg *err)
{
	stats_text_summary(f, st, NULL);
	if (ndays > 0) {
		fputc('\n', f);
		stats_text_days(f, days, ndays);
	}
	return stats_done(f, err);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
void
stats_csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int
stats_write_csv(FILE *f, const struct trades *tl, const char *const *owners,
    size_t nowners, struct errmsg *err)
{
	const struct instrument	*in;
	const struct trade	*t;
	char			 t1[40], t2[40], p1[PORTFOLIO_FMT_MAX];
	char			 p2[PORTFOLIO_FMT_MAX], g[32], c[32], nt[32];
	char			 owner[16];
	size_t			 i, n;

	fputs("id,symbol,owner,side,qty,entry_time,exit_time,entry_price,"
	    "exit_price,gross,commission,net,reason\n", f);
	n = trades_count(tl);
	for (i = 0; i < n; i++) {
		t = trades_get(tl, i);
		in = trades_instrument(tl, t->inst);
		stats_iso_time(t->entry_time, t1, sizeof t1);
		stats_iso_time(t->exit_time, t2, sizeof t2);
		portfolio_format_avg(in, t->entry_sum, t->entry_qty, p1,
		    sizeof p1);
		portfolio_format_avg(in, t->exit_sum, t->exit_qty, p2,
		    sizeof p2);
		stats_money_plain(t->gross, g, sizeof g);
		stats_money_plain(t->commission, c, sizeof c);
		stats_money_plain(t->net, nt, sizeof nt);
		fprintf(f, "%lld,", (long long)t->id);
		stats_csv_field(f, in->symbol);
		fputc(',', f);
		stats_csv_field(f, stats_owner(t->owner, owners, nowners,
		    owner, sizeof owner));
		fprintf(f, ",%s,%lld,%s,%s,%s,%s,%s,%s,%s,",
		    t->side == TD_BUY ? "long" : "short",
		    (long long)t->max_qty, t1, t2, p1, p2, g, c, nt);
		stats_csv_field(f, t->reason);
		fputc('\n', f);
	}
	return stats_done(f, err);
}

/* ------------------------------------------------------------ reports */

void
stats_times_compute(struct stats_times *bt, const struct trades *tl,
    stats_keep_fn keep, void *arg, const struct tz *tz)
{
	const struct trade	*t;
	struct tz_tm		 tm;
	struct stats_bucket	*b[2];
	size_t			 i, n;

	memset(bt, 0, sizeof *bt);
	n = tl != NULL ? trades_count(tl) : 0;
	for (i = 0; i < n; i++) {
		t = trades_get(tl, i);
		if (keep != NULL && !keep(arg, i, t))
			continue;
		if (tz != NULL)
			tz_to_local(tz, t->entry_time, &tm);
		else {
			time_t		 s = (time_t)tz_floor_div(t->entry_time,
					    TD_NS_PER_SEC);
			struct tm	 g;

			gmtime_r(&s, &g);
			tm.hour = g.tm_hour;
			tm.wday = g.tm_wday;
		}
		b[0] = &bt->hour[tm.hour];
		b[1] = &bt->weekday[tm.wday];
		for (int k = 0; k < 2; k++) {
			b[k]->trades++;
			b[k]->winners += t->net > 0;
			b[k]->net += t->net;
		}
	}
}

void
stats_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char	 c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

enum stats_kind {
	SK_INT,
	SK_MONEY,
	SK_RATIO,
	SK_TIME,		/* 0: none */
	SK_SECONDS,		/* a duration in td_ns, written in seconds */
};

struct stats_item {
	const char	*name;
	enum stats_kind	 kind;
	int64_t		 i;
	double		 d;
};

#define STATS_NITEMS	22

static void
stats_items(const struct stats *st, struct stats_item *it)
{
	size_t	 n = 0;

#define I(nm, k, v)	it[n++] = (struct stats_item){ nm, k, v, 0 }
#define D(nm, v)	it[n++] = (struct stats_item){ nm, SK_RATIO, 0, v }
	I("trades", SK_INT, st->trades);
	I("winners", SK_INT, st->winners);
	I("losers", SK_INT, st->losers);
	I("scratches", SK_INT, st->scratches);
	D("win_rate", st->win_rate);
	I("gross_profit", SK_MONEY, st->gross_profit);
	I("gross_loss", SK_MONEY, st->gross_loss);
	I("net_profit", SK_MONEY, st->net_profit);
	I("net_loss", SK_MONEY, st->net_loss);
	D("profit_factor", st->profit_factor);
	I("expectancy", SK_MONEY, st->expectancy);
	I("gross", SK_MONEY, st->gross);
	I("commissions", SK_MONEY, st->commissions);
	I("net", SK_MONEY, st->net);
	I("largest_win", SK_MONEY, st->largest_win);
	I("largest_loss", SK_MONEY, st->largest_loss);
	I("max_drawdown", SK_MONEY, st->max_drawdown);
	I("drawdown_peak", SK_TIME, st->max_drawdown > 0 ?
	    st->dd_peak_time : 0);
	I("drawdown_trough", SK_TIME, st->max_drawdown > 0 ?
	    st->dd_trough_time : 0);
	I("avg_duration_s", SK_SECONDS, st->avg_duration);
	I("days", SK_INT, st->days);
	D("sharpe", st->sharpe);
#undef I
#undef D
}

/* One value in CSV (json false) or JSON. */
static void
stats_item_value(FILE *f, const struct stats_item *it, bool json)
{
	char	 buf[48];

	switch (it->kind) {
	case SK_INT:
		fprintf(f, "%lld", (long long)it->i);
		break;
	case SK_MONEY:
		fputs(stats_money_plain(it->i, buf, sizeof buf), f);
		break;
	case SK_SECONDS:
		fprintf(f, "%lld", (long long)(it->i / TD_NS_PER_SEC));
		break;
	case SK_TIME:
		if (it->i == 0)
			fputs(json ? "null" : "", f);
		else if (json)
			stats_json_string(f, stats_iso_time(it->i, buf,
			    sizeof buf));
		else
			fputs(stats_iso_time(it->i, buf, sizeof buf), f);
		break;
	case SK_RATIO:
		if (isnan(it->d))
			fputs(json ? "null" : "", f);
		else if (isinf(it->d))
			fputs(json ? "\"inf\"" : "inf", f);
		else
			fprintf(f, "%.4f", it->d);
		break;
	}
}

int
stats_write_summary(FILE *f, enum stats_format fmt, const struct stats *st,
    const struct tz *tz, struct errmsg *err)
{
	struct stats_item	 it[STATS_NITEMS];

	if (fmt == STATS_TEXT) {
		stats_text_summary(f, st, tz);
		return stats_done(f, err);
	}
	stats_items(st, it);
	fputs(fmt == STATS_CSV ? "metric,value\n" : "{", f);
	for (size_t i = 0; i < STATS_NITEMS; i++) {
		if (fmt == STATS_CSV) {
			fprintf(f, "%s,", it[i].name);
			stats_item_value(f, &it[i], false);
			fputc('\n', f);
		} else {
			fprintf(f, "%s\"%s\": ", i > 0 ? ", " : "", it[i].name);
			stats_item_value(f, &it[i], true);
		}
	}
	if (fmt == STATS_JSON)
		fputc('}', f);
	return stats_done(f, err);
}

int
stats_write_days(FILE *f, enum stats_format fmt, const struct stats_day *days,
    size_t ndays, struct errmsg *err)
{
	char		 a[32], b[32], d[16];
	td_cents	 cum = 0;

	if (fmt == STATS_TEXT) {
		stats_text_days(f, days, ndays);
		return stats_done(f, err);
	}
	fputs(fmt == STATS_CSV ? "day,trades,net,cumulative\n" : "[", f);
	for (size_t i = 0; i < ndays; i++) {
		cum += days[i].net;
		stats_money_plain(days[i].net, a, sizeof a);
		stats_money_plain(cum, b, sizeof b);
		stats_iso_day(days[i].day, d, sizeof d);
		if (fmt == STATS_CSV)
			fprintf(f, "%s,%d,%s,%s\n", d, days[i].trades, a, b);
		else
			fprintf(f, "%s{\"day\": \"%s\", \"trades\": %d, "
			    "\"net\": %s, \"cumulative\": %s}", i > 0 ? ", " :
			    "", d, days[i].trades, a, b);
	}
	if (fmt == STATS_JSON)
		fputc(']', f);
	return stats_done(f, err);
}

static const char *const stats_wday[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

/* One bucket row; key is the hour or the weekday's name. */
static void
stats_bucket_row(FILE *f, enum stats_format fmt, bool hour, int k,
    const struct stats_bucket *b, bool first)
{
	char	 m[PORTFOLIO_FMT_MAX], key[16];

	if (hour)
		snprintf(key, sizeof key, fmt == STATS_TEXT ? "%02d:00" :
		    "%02d", k);
	else
		snprintf(key, sizeof key, "%s", stats_wday[k]);
	switch (fmt) {
	case STATS_TEXT:
		fprintf(f, "%-8s %7lld %8lld %14s\n", key, (long long)b->trades,
		    (long long)b->winners, portfolio_format_money(b->net, m,
		    sizeof m));
		break;
	case STATS_CSV:
		fprintf(f, "%s,%s,%lld,%lld,%s\n", hour ? "hour" : "weekday",
		    key, (long long)b->trades, (long long)b->winners,
		    stats_money_plain(b->net, m, sizeof m));
		break;
	case STATS_JSON:
		fprintf(f, "%s{\"%s\": ", first ? "" : ", ",
		    hour ? "hour" : "weekday");
		if (hour)
			fprintf(f, "%d", k);
		else
			stats_json_string(f, key);
		fprintf(f, ", \"trades\": %lld, \"winners\": %lld, "
		    "\"net\": %s}", (long long)b->trades,
		    (long long)b->winners, stats_money_plain(b->net, m,
		    sizeof m));
		break;
	}
}

int
stats_write_times(FILE *f, enum stats_format fmt,
    const struct stats_times *bt, struct errmsg *err)
{
	bool	 first;

	switch (fmt) {
	case STATS_TEXT:
		fprintf(f, "%-8s %7s %8s %14s\n", "hour", "trades", "winners",
		    "net");
		break;
	case STATS_CSV:
		fputs("bucket,key,trades,winners,net\n", f);
		break;
	case STATS_JSON:
		fputs("{\"by_hour\": [", f);
		break;
	}
	first = true;
	for (int h = 0; h < 24; h++) {
		if (bt->hour[h].trades == 0)
			continue;
		stats_bucket_row(f, fmt, true, h, &bt->hour[h], first);
		first = false;
	}
	if (fmt == STATS_TEXT)
		fprintf(f, "\n%-8s %7s %8s %14s\n", "weekday", "trades",
		    "winners", "net");
	else if (fmt == STATS_JSON)
		fputs("], \"by_weekday\": [", f);
	first = true;
	/* Monday first, as a trader's week. */
	for (int i = 1; i <= 7; i++) {
		int	 w = i % 7;

		if (bt->weekday[w].trades == 0)
			continue;
		stats_bucket_row(f, fmt, false, w, &bt->weekday[w], first);
		first = false;
	}
	if (fmt == STATS_JSON)
		fputs("]}", f);
	return stats_done(f, err);
}

/* "2024-03-05 09:31:00" in tz (NULL: UTC, "...Z"; "-" for no time). */
static void
stats_local(td_ns t, const struct tz *tz, char *buf, size_t len)
{
	struct tz_tm	 tm;

	if (tz == NULL || t == 0) {
		stats_time(t, buf, len);
		return;
	}
	tz_to_local(tz, t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min, tm.sec);
}

const char *
stats_owner(struct td_owner owner, const char *const *owners, size_t nowners,
    char *buf, size_t len)
{
	int	 i = owner.strat.i;

	if (td_owner_is_manual(owner))
		return "manual";
	if (owners != NULL && i >= 0 && (size_t)i < nowners &&
	    owners[i] != NULL)
		return owners[i];
	snprintf(buf, len, "%d", i);
	return buf;
}

int
stats_write_trades(FILE *f, enum stats_format fmt, const struct trades *tl,
    stats_keep_fn keep, void *arg, const char *const *owners,
    size_t nowners, const struct tz *tz, struct errmsg *err)
{
	const struct instrument	*in;
	const struct trade	*t;
	char			 t1[40], t2[40], p1[PORTFOLIO_FMT_MAX];
	char			 p2[PORTFOLIO_FMT_MAX], g[32], c[32], nt[32];
	char			 own[16], dur[32];
	const char		*who, *side;
	size_t			 i, n = tl != NULL ? trades_count(tl) : 0;
	bool			 first = true;

	if (fmt == STATS_TEXT)
		fprintf(f, "%5s %-6s %-12s %-5s %4s %-19s %-19s %10s %10s "
		    "%12s %9s %s\n", "id", "symbol", "strategy", "side", "qty",
		    "entry", "exit", "entry px", "exit px", "net", "duration",
		    "reason");
	else if (fmt == STATS_CSV)
		fputs("id,symbol,strategy,side,qty,entry_time,exit_time,"
		    "entry_price,exit_price,gross,commission,net,duration_s,"
		    "reason\n", f);
	else
		fputc('[', f);
	for (i = 0; i < n; i++) {
		t = trades_get(tl, i);
		if (keep != NULL && !keep(arg, i, t))
			continue;
		in = trades_instrument(tl, t->inst);
		who = stats_owner(t->owner, owners, nowners, own, sizeof own);
		side = t->side == TD_BUY ? "long" : "short";
		portfolio_format_avg(in, t->entry_sum, t->entry_qty, p1,
		    sizeof p1);
		portfolio_format_avg(in, t->exit_sum, t->exit_qty, p2,
		    sizeof p2);
		stats_money_plain(t->gross, g, sizeof g);
		stats_money_plain(t->commission, c, sizeof c);
		switch (fmt) {
		case STATS_TEXT:
			stats_local(t->entry_time, tz, t1, sizeof t1);
			stats_local(t->exit_time, tz, t2, sizeof t2);
			stats_duration(t->exit_time - t->entry_time, dur,
			    sizeof dur);
			fprintf(f, "%5lld %-6s %-12s %-5s %4lld %-19s %-19s "
			    "%10s %10s %12s %9s %s\n", (long long)t->id,
			    in->symbol, who, side, (long long)t->max_qty, t1,
			    t2, p1, p2, portfolio_format_money(t->net, nt,
			    sizeof nt), dur, t->reason);
			break;
		case STATS_CSV:
			stats_iso_time(t->entry_time, t1, sizeof t1);
			stats_iso_time(t->exit_time, t2, sizeof t2);
			fprintf(f, "%lld,", (long long)t->id);
			stats_csv_field(f, in->symbol);
			fputc(',', f);
			stats_csv_field(f, who);
			fprintf(f, ",%s,%lld,%s,%s,%s,%s,%s,%s,%s,%lld,", side,
			    (long long)t->max_qty, t1, t2, p1, p2, g, c,
			    stats_money_plain(t->net, nt, sizeof nt),
			    (long long)((t->exit_time - t->entry_time) /
			    TD_NS_PER_SEC));
			stats_csv_field(f, t->reason);
			fputc('\n', f);
			break;
		case STATS_JSON:
			fprintf(f, "%s{\"id\": %lld, \"symbol\": ",
			    first ? "" : ", ", (long long)t->id);
			stats_json_string(f, in->symbol);
			fputs(", \"strategy\": ", f);
			stats_json_string(f, who);
			fprintf(f, ", \"side\": \"%s\", \"qty\": %lld, "
			    "\"entry_time\": \"%s\", \"exit_time\": \"%s\", "
			    "\"entry_price\": %s, \"exit_price\": %s, "
			    "\"gross\": %s, \"commission\": %s, \"net\": %s, "
			    "\"duration_s\": %lld, \"reason\": ", side,
			    (long long)t->max_qty,
			    stats_iso_time(t->entry_time, t1, sizeof t1),
			    stats_iso_time(t->exit_time, t2, sizeof t2), p1, p2,
			    g, c, stats_money_plain(t->net, nt, sizeof nt),
			    (long long)((t->exit_time - t->entry_time) /
			    TD_NS_PER_SEC));
			stats_json_string(f, t->reason);
			fputc('}', f);
			break;
		}
		first = false;
	}
	if (fmt == STATS_JSON)
		fputc(']', f);
	return stats_done(f, err);
}
