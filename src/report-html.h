/*
 * report-html.h -- `tickdesk report --format html`: the report as one
 * self-contained HTML page (inline CSS and SVG, no script, no URL).
 *
 * The page holds the figures of the text report and, beside them, charts
 * drawn by core/chart-svg: the equity curve of the closed trades with its
 * drawdown, net P&L by hour of day and by weekday of entry, each trade's
 * excursions (MAE against MFE), then the day table and the trade table
 * (with each trade's MAE and MFE).  The summary is the text report's own lines
 * (stats_write_summary) set in a table, so both always say the same.
 */
#ifndef TD_REPORT_HTML_H
#define TD_REPORT_HTML_H

#include <stdio.h>

#include "stats.h"

struct errmsg;
struct trades;
struct tz;

/* What the page shows; everything is borrowed for the call. */
struct report_html {
	const char		*journal;	/* the journal's path */
	const char		*range;		/* "all trading days", ... */
	const char		*tzname;	/* the zone of every time */
	const struct tz		*tz;
	const struct stats	*st;
	const struct stats_times *bt;
	const struct stats_day	*day;
	size_t			 ndays;
	const struct trades	*tl;		/* NULL: no trades */
	stats_keep_fn		 keep;		/* which closed trades */
	void			*arg;
	const char *const	*owners;	/* strategy names */
	size_t			 nowners;
};

/* Write the page to f: 0, or -1 with a message when writing fails. */
int		 report_html_write(FILE *f, const struct report_html *h,
		     struct errmsg *err);

#endif
