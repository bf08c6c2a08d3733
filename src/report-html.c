/*
 * report-html.c -- the report as one HTML page (see report-html.h).
 *
 * The page is written top to bottom in one pass: the header (journal,
 * range, zone), the summary, the charts, the day table, the trade table.
 * It stands alone: the style is inline, the charts are inline SVG written
 * by core/chart-svg with embed set (no namespace URL), there is no script
 * and no link, so it opens the same from a mail attachment or an
 * air-gapped disk.  Each part is a <section> with an id (summary, equity,
 * by-hour, by-weekday, mae-mfe, days, trades) for people and tests to
 * find.
 */
#include <stdlib.h>
#include <string.h>

#include "chart-svg.h"
#include "errmsg.h"
#include "instrument.h"
#include "portfolio.h"
#include "report-html.h"
#include "trades.h"
#include "tz.h"

#define RH_SUMMARY_LABEL	18	/* stats_write_summary's columns */
#define RH_SUMMARY_VALUE	14

static const char rh_style[] =
    "body{font-family:sans-serif;margin:2em;color:#222;background:#fff}"
    "h1{font-size:1.5em;margin-bottom:0.2em}h2{font-size:1.2em;"
    "margin-top:1.6em}p.meta{color:#555;margin-top:0}"
    "table{border-collapse:collapse;font-size:0.9em}"
    "th,td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "table.summary th{font-weight:normal}"
    "tr.loss td.net{color:#b00}tr.win td.net{color:#070}"
    "figure{margin:0}svg{max-width:100%;height:auto}";

/* <td class="num">TEXT</td> */
static void
rh_num(FILE *f, const char *cls, const char *s)
{
	fprintf(f, "<td class=\"num%s%s\">", cls != NULL ? " " : "",
	    cls != NULL ? cls : "");
	chart_text(f, s);
	fputs("</td>", f);
}

static void
rh_cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	chart_text(f, s);
	fputs("</td>", f);
}

/* "2024-03-05 09:31:00" in the report's zone. */
static char *
rh_time(const struct tz *tz, td_ns t, char *buf, size_t len)
{
	struct tz_tm	 tm;

	tz_to_local(tz, t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min, tm.sec);
	return buf;
}

/* "27:05:09", as the text report. */
static char *
rh_duration(td_ns d, char *buf, size_t len)
{
	int64_t	 s = d / TD_NS_PER_SEC;

	if (s < 0)
		s = 0;
	snprintf(buf, len, "%02lld:%02lld:%02lld", (long long)(s / 3600),
	    (long long)(s / 60 % 60), (long long)(s % 60));
	return buf;
}

static void
rh_head(FILE *f, const struct report_html *h)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>tickdesk report</title>\n"
	    "<style>%s</style>\n</head>\n<body>\n<h1>tickdesk report</h1>\n"
	    "<p class=\"meta\">", rh_style);
	chart_text(f, h->journal);
	fputs("<br>", f);
	chart_text(f, h->range);
	fputs(", times in ", f);
	chart_text(f, h->tzname);
	fputs("</p>\n", f);
}

/* A line of the text summary as a row: label, figure, the rest. */
static void
rh_summary_row(FILE *f, char *line)
{
	char	*label = line, *value, *rest, *end;
	size_t	 n = strlen(line);

	if (n <= RH_SUMMARY_LABEL)
		return;
	line[RH_SUMMARY_LABEL] = '\0';
	value = line + RH_SUMMARY_LABEL + 1;
	rest = n > RH_SUMMARY_LABEL + 1 + RH_SUMMARY_VALUE ?
	    value + RH_SUMMARY_VALUE : line + n;
	if (*rest != '\0')
		*rest++ = '\0';
	for (char *p = label + strlen(label); p > label && p[-1] == ' '; )
		*--p = '\0';
	while (*value == ' ')
		value++;
	while (*rest == ' ')
		rest++;
	if ((end = strchr(rest, '\n')) != NULL)
		*end = '\0';
	fputs("<tr><th>", f);
	chart_text(f, label);
	fputs("</th>", f);
	rh_num(f, NULL, value);
	rh_cell(f, rest);
	fputs("</tr>\n", f);
}

/* The text report's summary, line for line, in a table. */
static int
rh_summary(FILE *f, const struct report_html *h, struct errmsg *err)
{
	char	*buf = NULL, *line, *save = NULL;
	size_t	 len = 0;
	FILE	*m;

	if ((m = open_memstream(&buf, &len)) == NULL)
		return errmsg_set(err, "out of memory");
	if (stats_write_summary(m, STATS_TEXT, h->st, h->tz, err) == -1) {
		fclose(m);
		free(buf);
		return -1;
	}
	fclose(m);
	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n"
	    "<table class=\"summary\">\n", f);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		rh_summary_row(f, line);
	fputs("</table>\n</section>\n", f);
	free(buf);
	return 0;
}

/* The number of kept closed trades. */
static size_t
rh_kept(const struct report_html *h)
{
	size_t	 n = h->tl != NULL ? trades_count(h->tl) : 0, k = 0;

	for (size_t i = 0; i < n; i++)
		k += h->keep == NULL || h->keep(h->arg, i,
		    trades_get(h->tl, i));
	return k;
}

/*
 * The closed-trade equity curve from 0 at the first entry, a point at
 * each exit, and its drawdown from the running peak (at or below 0).
 */
static int
rh_equity(FILE *f, const struct report_html *h, size_t kept,
    struct errmsg *err)
{
	struct chart_series	 s[2];
	struct chart_line	 c;
	const struct trade	*t;
	int64_t			*x, *eq, *dd, peak = 0;
	size_t			 n = trades_count(h->tl), k = 0;
	int			 rc;

	x = calloc(kept + 1, sizeof *x);
	eq = calloc(kept + 1, sizeof *eq);
	dd = calloc(kept + 1, sizeof *dd);
	if (x == NULL || eq == NULL || dd == NULL) {
		free(x);
		free(eq);
		free(dd);
		return errmsg_set(err, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		t = trades_get(h->tl, i);
		if (h->keep != NULL && !h->keep(h->arg, i, t))
			continue;
		if (k == 0)
			x[k++] = t->entry_time;
		x[k] = t->exit_time;
		eq[k] = eq[k - 1] + t->net;
		peak = eq[k] > peak ? eq[k] : peak;
		dd[k] = eq[k] - peak;
		k++;
	}
	s[0] = (struct chart_series){ .name = "equity (net)", .x = x,
	    .y = eq, .n = k };
	s[1] = (struct chart_series){ .name = "drawdown", .x = x, .y = dd,
	    .n = k, .fill = true };
	c = (struct chart_line){ .title = "Equity and drawdown, closed "
	    "trades", .xlabel = "exit (UTC dates)", .ylabel = "net P&L",
	    .xunit = CHART_TIME, .series = s, .nseries = 2, .embed = true };
	rc = chart_line_write(f, &c, err);
	free(x);
	free(eq);
	free(dd);
	return rc;
}

static const char *const rh_wday[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

/* One bar chart of the buckets with trades; "no trades" without any. */
static int
rh_bars(FILE *f, const char *title, const char *xlabel,
    const struct stats_bucket *b, const int *order, int n,
    const char *const *names, struct errmsg *err)
{
	const char	*label[24];
	int64_t		 v[24];
	size_t		 k = 0;

	for (int i = 0; i < n; i++) {
		if (b[order[i]].trades == 0)
			continue;
		label[k] = names[order[i]];
		v[k++] = b[order[i]].net;
	}
	if (k == 0) {
		fputs("<p>no trades</p>\n", f);
		return 0;
	}
	return chart_bar_write(f, &(struct chart_bar){ .title = title,
	    .xlabel = xlabel, .ylabel = "net P&L", .label = label, .v = v,
	    .n = k, .embed = true }, err);
}

/*
 * Each kept trade's maximum adverse excursion (x, at or below 0) against
 * its maximum favourable one (y): winners green, losers red.  Trades of a
 * journal that did not record excursions (older ones) are left out.
 */
static int
rh_excursions(FILE *f, const struct report_html *h, size_t kept,
    struct errmsg *err)
{
	struct chart_point	*p;
	const struct trade	*t;
	size_t			 n = trades_count(h->tl), k = 0;
	int			 rc = 0;

	if ((p = calloc(kept, sizeof *p)) == NULL)
		return errmsg_set(err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		t = trades_get(h->tl, i);
		if ((h->keep != NULL && !h->keep(h->arg, i, t)) || t->high == 0)
			continue;
		trades_excursion(h->tl, t, &p[k].x, &p[k].y);
		p[k++].alt = t->net <= 0;
	}
	if (k == 0)
		fputs("<p>no trades with excursions</p>\n", f);
	else
		rc = chart_scatter_write(f, &(struct chart_scatter){
		    .title = "Excursions: MAE against MFE (green: winners)",
		    .xlabel = "maximum adverse excursion (MAE)",
		    .ylabel = "maximum favourable excursion (MFE)", .p = p,
		    .n = k, .embed = true }, err);
	free(p);
	return rc;
}

static int
rh_charts(FILE *f, const struct report_html *h, struct errmsg *err)
{
	static const int	 week[7] = { 1, 2, 3, 4, 5, 6, 0 };
	char			 hn[24][8];
	const char		*hours[24];
	int			 hour[24];
	size_t			 kept = rh_kept(h);

	for (int i = 0; i < 24; i++) {
		snprintf(hn[i], sizeof hn[i], "%02d:00", i);
		hours[i] = hn[i];
		hour[i] = i;
	}
	fputs("<section id=\"equity\">\n<h2>Equity and drawdown</h2>\n"
	    "<figure>\n", f);
	if (kept == 0)
		fputs("<p>no trades</p>\n", f);
	else if (rh_equity(f, h, kept, err) == -1)
		return -1;
	fputs("</figure>\n</section>\n<section id=\"by-hour\">\n"
	    "<h2>Net P&amp;L by hour of entry</h2>\n<figure>\n", f);
	if (rh_bars(f, "Net P&L by hour of entry", "hour (report's zone)",
	    h->bt->hour, hour, 24, hours, err) == -1)
		return -1;
	fputs("</figure>\n</section>\n<section id=\"by-weekday\">\n"
	    "<h2>Net P&amp;L by weekday of entry</h2>\n<figure>\n", f);
	if (rh_bars(f, "Net P&L by weekday of entry", "weekday",
	    h->bt->weekday, week, 7, rh_wday, err) == -1)
		return -1;
	fputs("</figure>\n</section>\n<section id=\"mae-mfe\">\n"
	    "<h2>Excursions (MAE and MFE)</h2>\n<figure>\n", f);
	if (kept == 0)
		fputs("<p>no trades</p>\n", f);
	else if (rh_excursions(f, h, kept, err) == -1)
		return -1;
	fputs("</figure>\n</section>\n", f);
	return 0;
}

static void
rh_days(FILE *f, const struct report_html *h)
{
	char		 d[16], a[PORTFOLIO_FMT_MAX], b[PORTFOLIO_FMT_MAX];
	char		 n[16];
	td_cents	 cum = 0;

	fputs("<section id=\"days\">\n<h2>Days</h2>\n<table>\n<tr><th>date"
	    "</th><th>trades</th><th>net</th><th>cumulative</th></tr>\n", f);
	for (size_t i = 0; i < h->ndays; i++) {
		cum += h->day[i].net;
		snprintf(n, sizeof n, "%d", h->day[i].trades);
		fputs("<tr class=\"day\">", f);
		rh_cell(f, stats_iso_day(h->day[i].day, d, sizeof d));
		rh_num(f, NULL, n);
		rh_num(f, "net", portfolio_format_money(h->day[i].net, a,
		    sizeof a));
		rh_num(f, NULL, portfolio_format_money(cum, b, sizeof b));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

static void
rh_trade(FILE *f, const struct report_html *h, const struct trade *t)
{
	const struct instrument	*in = trades_instrument(h->tl, t->inst);
	char			 a[PORTFOLIO_FMT_MAX], own[16], n[32];

	fprintf(f, "<tr class=\"trade %s\">", t->net > 0 ? "win" : t->net < 0 ?
	    "loss" : "scratch");
	snprintf(n, sizeof n, "%lld", (long long)t->id);
	rh_num(f, NULL, n);
	rh_cell(f, in->symbol);
	rh_cell(f, stats_owner(t->owner, h->owners, h->nowners, own,
	    sizeof own));
	rh_cell(f, t->side == TD_BUY ? "long" : "short");
	snprintf(n, sizeof n, "%lld", (long long)t->max_qty);
	rh_num(f, NULL, n);
	rh_cell(f, rh_time(h->tz, t->entry_time, a, sizeof a));
	rh_cell(f, rh_time(h->tz, t->exit_time, a, sizeof a));
	portfolio_format_avg(in, t->entry_sum, t->entry_qty, a, sizeof a);
	rh_num(f, NULL, a);
	portfolio_format_avg(in, t->exit_sum, t->exit_qty, a, sizeof a);
	rh_num(f, NULL, a);
	rh_num(f, NULL, portfolio_format_money(t->gross, a, sizeof a));
	rh_num(f, NULL, portfolio_format_money(t->commission, a, sizeof a));
	rh_num(f, "net", portfolio_format_money(t->net, a, sizeof a));
	if (t->high != 0) {
		td_cents	 mae, mfe;

		trades_excursion(h->tl, t, &mae, &mfe);
		rh_num(f, "mae", portfolio_format_money(mae, a, sizeof a));
		rh_num(f, "mfe", portfolio_format_money(mfe, a, sizeof a));
	} else
		fputs("<td class=\"num mae\">-</td><td class=\"num mfe\">-"
		    "</td>", f);
	rh_num(f, NULL, rh_duration(t->exit_time - t->entry_time, a,
	    sizeof a));
	rh_cell(f, t->reason);
	fputs("</tr>\n", f);
}

static void
rh_trades(FILE *f, const struct report_html *h)
{
	size_t	 n = h->tl != NULL ? trades_count(h->tl) : 0;

	fputs("<section id=\"trades\">\n<h2>Trades</h2>\n<table>\n<tr>"
	    "<th>id</th><th>symbol</th><th>strategy</th><th>side</th>"
	    "<th>qty</th><th>entry</th><th>exit</th><th>entry px</th>"
	    "<th>exit px</th><th>gross</th><th>commission</th><th>net</th>"
	    "<th>MAE</th><th>MFE</th><th>duration</th><th>reason</th></tr>\n",
	    f);
	for (size_t i = 0; i < n; i++) {
		const struct trade	*t = trades_get(h->tl, i);

		if (h->keep == NULL || h->keep(h->arg, i, t))
			rh_trade(f, h, t);
	}
	fputs("</table>\n</section>\n", f);
}

int
report_html_write(FILE *f, const struct report_html *h, struct errmsg *err)
{
	rh_head(f, h);
	if (rh_summary(f, h, err) == -1 || rh_charts(f, h, err) == -1)
		return -1;
	rh_days(f, h);
	rh_trades(f, h);
	fputs("</body>\n</html>\n", f);
	if (fflush(f) != 0 || ferror(f))
		return errmsg_set(err, "cannot write the report");
	return 0;
}
