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
 * gross profit / gross loss are the sums of the winners' and the losers'
 * net; profit factor is gross profit / -gross loss.  "gross p&l" is the
 * total before commissions, "net p&l" after.
 *
 * Money is printed exactly from cents: "-1,234.50" in the text report
 * (portfolio_format_money) and "-1234.50" in the CSV, where a thousands
 * comma would split the field.  Times are printed in UTC.
 */
#ifndef TD_STATS_H
#define TD_STATS_H

#include <stdio.h>

#include "types.h"

struct errmsg;
struct trades;

/* One session day: every session day, including days without trades. */
struct stats_day {
	int32_t		 day;		/* yyyymmdd */
	td_cents	 net;		/* day P&L net of commissions */
	int		 trades;	/* trades closed that day */
};

struct stats {
	int64_t		 trades;	/* closed trades */
	int64_t		 winners;
	int64_t		 losers;
	int64_t		 scratches;
	double		 win_rate;	/* winners / trades, NAN if none */
	td_cents	 gross_profit;	/* sum of winners' net, >= 0 */
	td_cents	 gross_loss;	/* sum of losers' net, <= 0 */
	/*
	 * gross_profit / -gross_loss; INFINITY when there are winners and no
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
 * owner is the strategy index or "manual"; qty the largest position held;
 * prices are averages (portfolio_format_avg).  -1 with a message when
 * writing fails.
 */
int		 stats_write_csv(FILE *f, const struct trades *tl,
		     struct errmsg *err);

#endif
