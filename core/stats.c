/*
 * stats.c -- backtest and report statistics (see stats.h).
 *
 * Runs once at the end of a backtest, a replay or on `report`: it walks
 * the closed trades of the ledger in closing order (the equity curve) and
 * the day series the engine kept.  Sums stay in integer cents; double is
 * used only where a ratio is the answer.  Output goes to the FILE * the
 * caller gives (stdout, a file, a pipe): core never picks a stream.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"
#include "stats.h"
#include "trades.h"

#define STATS_TRADING_DAYS	252.0

void
stats_compute(struct stats *st, const struct trades *tl,
    const struct stats_day *days, size_t ndays)
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
		if (i == 0)
			peak_time = t->entry_time;
		st->trades++;
		st->gross += t->gross;
		st->commissions += t->commission;
		st->net += t->net;
		total_dur += t->exit_time - t->entry_time;
		if (t->net > 0) {
			st->winners++;
			st->gross_profit += t->net;
			if (t->net > st->largest_win)
				st->largest_win = t->net;
		} else if (t->net < 0) {
			st->losers++;
			st->gross_loss += t->net;
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
	if (st->gross_loss < 0)
		st->profit_factor = (double)st->gross_profit /
		    (double)-st->gross_loss;
	else if (st->gross_profit > 0)
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
static void
stats_iso(td_ns t, char *buf, size_t len)
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

static void
stats_ratio(double v, int decimals, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.*f", decimals, v);
}

/* Money without thousands separators for CSV: "-1234.50". */
static void
stats_csv_money(td_cents c, char *buf, size_t len)
{
	uint64_t	 mag;

	mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	snprintf(buf, len, "%s%llu.%02llu", c < 0 ? "-" : "",
	    (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
}

static int
stats_done(FILE *f, struct errmsg *err)
{
	if (fflush(f) != 0 || ferror(f))
		return errmsg_set(err, "cannot write the report");
	return 0;
}

int
stats_report(FILE *f, const struct stats *st, const struct stats_day *days,
    size_t ndays, struct errmsg *err)
{
	char		 a[PORTFOLIO_FMT_MAX], b[PORTFOLIO_FMT_MAX];
	char		 r[32], t1[40], t2[40];
	td_cents	 cum = 0;
	size_t		 i;

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
	stats_ratio(st->profit_factor, 2, r, sizeof r);
	fprintf(f, "%-18s %14s\n", "profit factor", r);
	fprintf(f, "%-18s %14s\n", "expectancy", M(st->expectancy, a));
	fprintf(f, "%-18s %14s\n", "gross p&l", M(st->gross, a));
	fprintf(f, "%-18s %14s\n", "commissions", M(st->commissions, a));
	fprintf(f, "%-18s %14s\n", "net p&l", M(st->net, a));
	fprintf(f, "%-18s %14s\n", "largest win", M(st->largest_win, a));
	fprintf(f, "%-18s %14s\n", "largest loss", M(st->largest_loss, a));
	if (st->max_drawdown > 0) {
		stats_time(st->dd_peak_time, t1, sizeof t1);
		stats_time(st->dd_trough_time, t2, sizeof t2);
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

	if (ndays > 0) {
		fprintf(f, "\n%-10s %6s %14s %14s\n", "date", "trades", "net",
		    "cumulative");
		for (i = 0; i < ndays; i++) {
			cum += days[i].net;
			fprintf(f, "%08d %8d %14s %14s\n", (int)days[i].day,
			    days[i].trades, M(days[i].net, a), M(cum, b));
		}
	}
#undef M
	return stats_done(f, err);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
stats_csv_text(FILE *f, const char *s)
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
stats_write_csv(FILE *f, const struct trades *tl, struct errmsg *err)
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
		stats_iso(t->entry_time, t1, sizeof t1);
		stats_iso(t->exit_time, t2, sizeof t2);
		portfolio_format_avg(in, t->entry_sum, t->entry_qty, p1,
		    sizeof p1);
		portfolio_format_avg(in, t->exit_sum, t->exit_qty, p2,
		    sizeof p2);
		stats_csv_money(t->gross, g, sizeof g);
		stats_csv_money(t->commission, c, sizeof c);
		stats_csv_money(t->net, nt, sizeof nt);
		if (t->owner < 0)
			snprintf(owner, sizeof owner, "manual");
		else
			snprintf(owner, sizeof owner, "%d", t->owner);
		fprintf(f, "%lld,", (long long)t->id);
		stats_csv_text(f, in->symbol);
		fprintf(f, ",%s,%s,%lld,%s,%s,%s,%s,%s,%s,%s,", owner,
		    t->side == TD_BUY ? "long" : "short",
		    (long long)t->max_qty, t1, t2, p1, p2, g, c, nt);
		stats_csv_text(f, t->reason);
		fputc('\n', f);
	}
	return stats_done(f, err);
}
