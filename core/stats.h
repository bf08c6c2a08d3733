/*
 * stats.h -- backtest and report statistics.
 *
 * From the closed trades of a ledger and the P&L of each session day,
 * stats_compute fills a struct stats; stats_report writes it as text and
 * stats_write_csv writes the trade list.  Money stays in cents; only ratios
 * (win rate, profit factor, Sharpe) are double.
 *
 * Words as traders use them: a winner is a trade whose net (after
 * commissions) is above zero, a loser below zero, a scratch exactly zero.
 * "gross" is before commissions and "net" after, always: gross profit and
 * gross loss are the sums of the trades' gross above and below zero (so
 * that they add up to gross p&l), net profit and net loss the sums of the
 * winners' and the losers' net (they add up to net p&l); profit factor is
 * net profit / -net loss.
 *
 * Money is printed exactly from cents: "-1,234.50" in the text report
 * (portfolio_format_money) and "-1234.50" in CSV and JSON, where a
 * thousands comma would split the field.  Days are ISO dates
 * ("2024-03-05") everywhere.  Times in CSV and JSON are ISO 8601 in UTC
 * ("2024-03-05T14:31:00.125Z"); in text they are in the zone the caller
 * gives (the report's), or UTC marked "Z" when it gives none.
 *
 * For `tickdesk report` the same figures can be taken over a selection of
 * the closed trades (stats_keep_fn: a date range), broken down by hour of
 * day and weekday (stats_times), and written as text, CSV or JSON, one
 * part at a time (summary, trades, days, times) so that the report can
 * put its own tables (rejected orders, risk events) beside them with the
 * same helpers (stats_csv_field, stats_json_string, stats_money_plain).
 */
#ifndef TD_STATS_H
#define TD_STATS_H

#include <stdbool.h>
#include <stdio.h>

#include "engine-ev.h"
#include "ids.h"
#include "types.h"

struct errmsg;
struct trade;
struct trades;
struct tz;

/* One session day: every session day, including days without trades. */
struct stats_day {
	int32_t		 day;		/* yyyymmdd */
	td_cents	 net;		/* day P&L net of commissions */
	int		 trades;	/* trades closed that day */
	bool		 no_data;	/* the engine had no market data */
};

/*
 * Session days without market data (a file with gaps of days, as
 * NinjaTrader 8 exports often have) are not days of the table: a day
 * nothing could trade would count as a zero-P&L day and move the Sharpe
 * ratio.  The observer leaves out such a day when it has no P&L and no
 * trade, and keeps the runs of consecutive days it left out, for a
 * warning.
 */
#define STATS_GAPS_MAX	8

struct stats_gap {
	int32_t		 first, last;	/* yyyymmdd */
	int		 days;		/* session days in the run */
};

/*
 * The day table of a report: one row per session day, in the order the
 * days first came.  As an observer of an engine (STATS_DAYS_OBSERVER) it
 * hears each trading day the engine closes (EEV_DAY) with its figures.
 * Room for a year of days is taken at create and doubled when full: once
 * in 256 days or more, never per event.
 */
struct stats_days;

/* NULL and a message when memory runs out; free with stats_days_free. */
struct stats_days *stats_days_create(struct errmsg *err);
void		 stats_days_free(struct stats_days *d);
/*
 * Add net and trades to the row of day, a new row for a new day.  -1
 * and a message when memory runs out (the table is as it was).
 */
int		 stats_days_add(struct stats_days *d, int32_t day,
		     td_cents net, int trades, struct errmsg *err);
/* Leave out the rows of day 0 (date unknown) and sort the rest by day. */
void		 stats_days_sort(struct stats_days *d);
/* The rows, and their number in *n. */
const struct stats_day *stats_days_rows(const struct stats_days *d,
		     size_t *n);
/* The observer's function (engine_observer_fn): adds an EEV_DAY's day. */
int		 stats_days_observe(void *arg, const struct engine_ev *ev,
		     struct errmsg *err);
/* Why a day the observer heard is missing, "" when none is. */
const char	*stats_days_error(const struct stats_days *d);
/*
 * The session days the observer left out for want of data: their number,
 * and in *gaps the first (up to STATS_GAPS_MAX) runs of them, *ngaps
 * set to how many runs that is.
 */
int64_t		 stats_days_without_data(const struct stats_days *d,
		     const struct stats_gap **gaps, int *ngaps);

/* An engine_observer (engine.h) for engine_observer_add. */
#define STATS_DAYS_OBSERVER(d) (struct engine_observer){		\
	.fn = stats_days_observe, .arg = (d), .mask = EEV_BIT(EEV_DAY) }

struct stats {
	int64_t		 trades;	/* closed trades */
	int64_t		 winners;
	int64_t		 losers;
	int64_t		 scratches;
	double		 win_rate;	/* winners / trades, NAN if none */
	td_cents	 gross_profit;	/* sum of gross above 0, >= 0 */
	td_cents	 gross_loss;	/* sum of gross below 0, <= 0 */
	td_cents	 net_profit;	/* sum of winners' net, >= 0 */
	td_cents	 net_loss;	/* sum of losers' net, <= 0 */
	/*
	 * net_profit / -net_loss; INFINITY when there are winners and no
	 * losers; NAN when there are neither.  Printed "inf" and "n/a".
	 */
	double		 profit_factor;
	td_cents	 expectancy;	/* net / trades, rounded half away
					   from zero; 0 without trades */
	td_cents	 gross;		/* before commissions */
	td_cents	 commissions;
	td_cents	 net;
	/* Peak to trough of the closed-trade equity curve (from 0). */
	td_cents	 max_drawdown;	/* >= 0 */
	td_ns		 dd_peak_time;	/* exit of the peak trade (entry of the
					   first trade when the peak is 0) */
	td_ns		 dd_trough_time;	/* exit of the trough trade */
	/*
	 * mean / sample standard deviation (n - 1) of the days' net x
	 * sqrt(252); NAN with fewer than 2 days or when every day is equal.
	 */
	double		 sharpe;
	int64_t		 days;
	td_ns		 avg_duration;	/* exit - entry, mean, truncated */
	td_cents	 largest_win;	/* best net, 0 without winners */
	td_cents	 largest_loss;	/* worst net, 0 without losers */
};

/*
 * Compute the statistics of the closed trades of tl (open trades are left
 * out; tl may be NULL for none) and of days[0..ndays) (may be NULL when
 * ndays is 0).
 */
void		 stats_compute(struct stats *st, const struct trades *tl,
		     const struct stats_day *days, size_t ndays);

/*
 * Which closed trades count: called with the index of the trade in
 * closing order (as trades_get) and the trade; true keeps it.
 */
typedef bool	(*stats_keep_fn)(void *arg, size_t i, const struct trade *t);

/* stats_compute over the trades keep keeps (keep NULL: all of them). */
void		 stats_compute_sel(struct stats *st, const struct trades *tl,
		     stats_keep_fn keep, void *arg,
		     const struct stats_day *days, size_t ndays);

/* Trades, winners and net P&L of one hour of the day or one weekday. */
struct stats_bucket {
	int64_t		 trades;
	int64_t		 winners;
	td_cents	 net;
};

struct stats_times {
	struct stats_bucket hour[24];	/* hour of the entry, local */
	struct stats_bucket weekday[7];	/* 0 = Sunday, of the entry */
};

/*
 * Break the kept closed trades down by the local hour and weekday of
 * their entry in tz (NULL: UTC).
 */
void		 stats_times_compute(struct stats_times *bt,
		     const struct trades *tl, stats_keep_fn keep, void *arg,
		     const struct tz *tz);

enum stats_format {
	STATS_TEXT,
	STATS_CSV,
	STATS_JSON,
};

/*
 * The parts of a report, each in one format; -1 with a message when
 * writing fails.  Text is for people (the summary is the first part of
 * stats_report); CSV has a header line and one row per item; JSON is one
 * value: an object for the summary and the times, an array for the days
 * and the trades.
 *
 * Summary CSV: "metric,value" rows; a ratio that is n/a is empty, an
 * infinite one "inf".  JSON: n/a is null, infinite "inf".  The text's
 * drawdown times are local to tz (NULL: UTC, marked "Z").
 * Days CSV: day,trades,net,cumulative; the day "2024-03-05".
 * Times CSV: bucket,key,trades,winners,net (bucket "hour" with key 0..23,
 * or "weekday" with key Mon..Sun); only buckets with trades.
 * Trades: owners[i] names strategy i (NULL or out of range: the index;
 * the trader's trades: "manual"); times in text are local to tz (NULL:
 * UTC).  CSV: id,symbol,strategy,side,qty,entry_time,exit_time,
 * entry_price,exit_price,gross,commission,net,duration_s,reason.
 */
int		 stats_write_summary(FILE *f, enum stats_format fmt,
		     const struct stats *st, const struct tz *tz,
		     struct errmsg *err);
int		 stats_write_days(FILE *f, enum stats_format fmt,
		     const struct stats_day *days, size_t ndays,
		     struct errmsg *err);
int		 stats_write_times(FILE *f, enum stats_format fmt,
		     const struct stats_times *bt, struct errmsg *err);
int		 stats_write_trades(FILE *f, enum stats_format fmt,
		     const struct trades *tl, stats_keep_fn keep, void *arg,
		     const char *const *owners, size_t nowners,
		     const struct tz *tz, struct errmsg *err);

/* A CSV field, quoted when it holds a comma, a quote or a line break. */
void		 stats_csv_field(FILE *f, const char *s);
/* A JSON string with its quotes; control characters escaped. */
void		 stats_json_string(FILE *f, const char *s);
/* Cents as "-1234.50" (no thousands separator).  Returns buf. */
char		*stats_money_plain(td_cents c, char *buf, size_t len);
/* A ratio as the reports print it: "n/a", "inf", "-inf" or decimals. */
char		*stats_ratio(double v, int decimals, char *buf, size_t len);
/* "2024-03-05T14:31:00.125Z".  Returns buf. */
char		*stats_iso_time(td_ns t, char *buf, size_t len);
/* A day yyyymmdd as "2024-03-05".  Returns buf. */
char		*stats_iso_day(int32_t day, char *buf, size_t len);
/*
 * A strategy's name: owners[i] names strategy i (NULL or out of range:
 * its index, written to buf); the trader's own trades are "manual".
 */
const char	*stats_owner(struct td_owner owner, const char *const *owners,
		     size_t nowners, char *buf, size_t len);

/*
 * Write the text report: the summary, then one row per day (date,
 * trades, net, cumulative).  -1 with a message when writing fails.
 */
int		 stats_report(FILE *f, const struct stats *st,
		     const struct stats_day *days, size_t ndays,
		     struct errmsg *err);

/*
 * Write the closed trades of tl as CSV: a header line, then one row per
 * trade in closing order:
 * id,symbol,owner,side,qty,entry_time,exit_time,entry_price,exit_price,
 * gross,commission,net,reason
 * owner is the strategy's name (owners as for stats_write_trades) or
 * "manual"; qty the largest position held; prices are averages
 * (portfolio_format_avg).  -1 with a message when writing fails.
 */
int		 stats_write_csv(FILE *f, const struct trades *tl,
		     const char *const *owners, size_t nowners,
		     struct errmsg *err);

#endif
