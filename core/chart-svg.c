/*
 * chart-svg.c -- charts as SVG files (see chart-svg.h).
 *
 * Owns nothing between calls.  Every chart is the same 800 x 450 page: a
 * title, a plot area framed by two axes (chart_axis_make: "nice" ticks at
 * both ends), and the marks.  Coordinates are computed in double from the
 * integer data and printed with one decimal, so the same chart gives the
 * same bytes.  A histogram's bins follow the Freedman-Diaconis rule (width
 * 2 x IQR / cube root of n) in integers, with the square-root rule (range
 * / square root of n) when the quartiles coincide; the width is then
 * rounded up to 1, 2 or 5 times a power of ten, so bin edges fall on
 * round values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart-svg.h"
#include "errmsg.h"
#include "portfolio.h"
#include "tz.h"

#define CH_W		800
#define CH_H		450
#define CH_LEFT		90
#define CH_RIGHT	40
#define CH_TOP		40
#define CH_BOTTOM	60
#define CH_LEGEND	120		/* a heat map's legend, on the right */

static const char *const ch_colour[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
};
#define CH_NCOLOUR	(sizeof ch_colour / sizeof ch_colour[0])

/* The plot area (pixels) and the axes mapped onto it. */
struct ch_frame {
	double			 x0, y0, w, h;
	struct chart_axis	 x, y;
};

/* ------------------------------------------------------------ text */

void
chart_text(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
		}
	}
}

/* A line of text at (x, y); attr is more attributes (" ..." or ""). */
static void
ch_label(FILE *f, double x, double y, const char *anchor, const char *attr,
    const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y,
	    anchor, attr);
	chart_text(f, s);
	fputs("</text>\n", f);
}

/* A value as an axis shows it: money without cents when step allows. */
static void
ch_value(enum chart_unit u, int64_t v, int64_t step, char *buf, size_t len)
{
	size_t	 n;

	if (u != CHART_MONEY) {
		snprintf(buf, len, "%lld", (long long)v);
		return;
	}
	portfolio_format_money(v, buf, len);
	n = strlen(buf);
	if (step % 100 == 0 && n > 3 && strcmp(buf + n - 3, ".00") == 0)
		buf[n - 3] = '\0';
}

/* ------------------------------------------------------------ axes */

/* The smallest of 1, 2 or 5 times a power of ten at least raw (>= 1). */
static int64_t
ch_nice(int64_t raw)
{
	for (int64_t p = 1; ; p *= 10) {
		if (raw <= p)
			return p;
		if (raw <= 2 * p)
			return 2 * p;
		if (raw <= 5 * p)
			return 5 * p;
	}
}

static int
ch_axis_values(struct chart_axis *a, int64_t lo, int64_t hi)
{
	int64_t	 step, first, last;

	if (lo == hi) {
		int64_t	 d = llabs(lo) / 10;

		if (d < (a->unit == CHART_MONEY ? 100 : 1))
			d = a->unit == CHART_MONEY ? 100 : 1;
		lo -= d;
		hi += d;
	}
	step = ch_nice((hi - lo + 4) / 5);
	first = tz_floor_div(lo, step);
	last = -tz_floor_div(-hi, step);
	a->n = (int)(last - first + 1);
	for (int i = 0; i < a->n; i++) {
		a->tick[i] = (first + i) * step;
		ch_value(a->unit, a->tick[i], step, a->label[i],
		    sizeof a->label[i]);
	}
	a->lo = a->tick[0];
	a->hi = a->tick[a->n - 1];
	return 0;
}

/* Time ticks: k days (weeks from Monday, day 4), months or years. */
enum { CH_DAY, CH_MONTH, CH_YEAR };

static const struct ch_tstep {
	int	 unit, k, off;
} ch_tsteps[] = {
	{ CH_DAY, 1, 0 }, { CH_DAY, 2, 0 }, { CH_DAY, 7, 4 },
	{ CH_DAY, 14, 4 }, { CH_MONTH, 1, 0 }, { CH_MONTH, 2, 0 },
	{ CH_MONTH, 3, 0 }, { CH_MONTH, 6, 0 }, { CH_YEAR, 1, 0 },
	{ CH_YEAR, 2, 0 }, { CH_YEAR, 5, 0 }, { CH_YEAR, 10, 0 },
	{ CH_YEAR, 20, 0 }, { CH_YEAR, 50, 0 },
};
#define CH_NTSTEP	(sizeof ch_tsteps / sizeof ch_tsteps[0])

/* The day, month (year x 12 + month - 1) or year holding t. */
static int64_t
ch_slot(td_ns t, int unit)
{
	int64_t	 d = tz_floor_div(t, TD_NS_PER_DAY);
	int	 y, m, md;

	if (unit == CH_DAY)
		return d;
	tz_civil_from_days(d, &y, &m, &md);
	return unit == CH_MONTH ? (int64_t)y * 12 + m - 1 : y;
}

static td_ns
ch_slot_start(int64_t s, int unit)
{
	int64_t	 y = unit == CH_MONTH ? tz_floor_div(s, 12) : s;

	if (unit == CH_DAY)
		return s * TD_NS_PER_DAY;
	return tz_days_from_civil((int)y, unit == CH_MONTH ?
	    (int)(s - 12 * y) + 1 : 1, 1) * TD_NS_PER_DAY;
}

static void
ch_slot_label(int64_t s, int unit, char *buf, size_t len)
{
	int	 y, m, md;

	tz_civil_from_days(tz_floor_div(ch_slot_start(s, unit),
	    TD_NS_PER_DAY), &y, &m, &md);
	if (unit == CH_DAY)
		snprintf(buf, len, "%04d-%02d-%02d", y, m, md);
	else if (unit == CH_MONTH)
		snprintf(buf, len, "%04d-%02d", y, m);
	else
		snprintf(buf, len, "%04d", y);
}

/* The first and last tick of step st around [lo, hi]; their count. */
static int64_t
ch_time_span(const struct ch_tstep *st, td_ns lo, td_ns hi, int64_t *first)
{
	int64_t	 a = ch_slot(lo, st->unit), b = ch_slot(hi, st->unit);

	if (ch_slot_start(b, st->unit) < hi)
		b++;
	*first = tz_floor_div(a - st->off, st->k) * st->k + st->off;
	b = -tz_floor_div(-(b - st->off), st->k) * st->k + st->off;
	if (b == *first)
		b += st->k;
	return (b - *first) / st->k + 1;
}

static int
ch_axis_time(struct chart_axis *a, td_ns lo, td_ns hi)
{
	const struct ch_tstep	*st = ch_tsteps;
	int64_t			 first = 0, n = 0;

	/* The finest step with at most 9 ticks; 50 years fit 1900-2199. */
	for (size_t i = 0; i < CH_NTSTEP; i++) {
		st = &ch_tsteps[i];
		if ((n = ch_time_span(st, lo, hi, &first)) <= 9)
			break;
	}
	a->n = (int)n;
	for (int i = 0; i < a->n; i++) {
		a->tick[i] = ch_slot_start(first + i * st->k, st->unit);
		ch_slot_label(first + i * st->k, st->unit, a->label[i],
		    sizeof a->label[i]);
	}
	a->lo = a->tick[0];
	a->hi = a->tick[a->n - 1];
	return 0;
}

int
chart_axis_make(enum chart_unit unit, int64_t lo, int64_t hi,
    struct chart_axis *a, struct errmsg *err)
{
	/* Times from 1900 to 2199: 50-year ticks stay inside int64 ns. */
	const td_ns	 tmin = tz_days_from_civil(1900, 1, 1) * TD_NS_PER_DAY;
	const td_ns	 tmax = tz_days_from_civil(2200, 1, 1) * TD_NS_PER_DAY;

	memset(a, 0, sizeof *a);
	a->unit = unit;
	if (lo > hi)
		return errmsg_set(err, "chart: axis from %lld to %lld",
		    (long long)lo, (long long)hi);
	if (unit == CHART_TIME) {
		if (lo < tmin || hi >= tmax)
			return errmsg_set(err, "chart: a time before 1900 or "
			    "after 2199");
		return ch_axis_time(a, lo, hi);
	}
	if (unit != CHART_COUNT && unit != CHART_MONEY)
		return errmsg_set(err, "chart: no such axis unit %d", unit);
	if (lo < -CHART_VALUE_MAX || hi > CHART_VALUE_MAX)
		return errmsg_set(err, "chart: a value beyond %lld",
		    (long long)CHART_VALUE_MAX);
	return ch_axis_values(a, lo, hi);
}

/* ------------------------------------------------------------ page */

/* The page; embedded in HTML it needs no namespace (and has no URL). */
static void
ch_begin_as(FILE *f, const char *title, bool embed)
{
	fprintf(f, "<svg%s width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"sans-serif\" font-size=\"12\">\n", embed ? "" :
	    " xmlns=\"http://www.w3.org/2000/svg\"", CH_W, CH_H, CH_W, CH_H);
	fputs("<title>", f);
	chart_text(f, title);
	fputs("</title>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
	    CH_W, CH_H);
	ch_label(f, CH_W / 2.0, 24, "middle", " font-size=\"16\"", title);
}

static void
ch_begin(FILE *f, const char *title)
{
	ch_begin_as(f, title, false);
}

static int
ch_end(FILE *f, struct errmsg *err)
{
	fputs("</svg>\n", f);
	if (fflush(f) != 0 || ferror(f))
		return errmsg_set(err, "chart: write failed");
	return 0;
}

/* The plot area of a page with right pixels kept on the right. */
static void
ch_frame_init(struct ch_frame *fr, int right)
{
	fr->x0 = CH_LEFT;
	fr->y0 = CH_TOP;
	fr->w = CH_W - CH_LEFT - right;
	fr->h = CH_H - CH_TOP - CH_BOTTOM;
}

static double
ch_px(const struct ch_frame *fr, int64_t x)
{
	return fr->x0 + ((double)x - (double)fr->x.lo) * fr->w /
	    ((double)fr->x.hi - (double)fr->x.lo);
}

static double
ch_py(const struct ch_frame *fr, int64_t y)
{
	return fr->y0 + fr->h - ((double)y - (double)fr->y.lo) * fr->h /
	    ((double)fr->y.hi - (double)fr->y.lo);
}

static void
ch_ticks(FILE *f, const struct ch_frame *fr)
{
	for (int i = 0; i < fr->y.n; i++) {
		double	 y = ch_py(fr, fr->y.tick[i]);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#dddddd\"/>\n", fr->x0, y,
		    fr->x0 + fr->w, y);
		ch_label(f, fr->x0 - 6, y + 4, "end", "", fr->y.label[i]);
	}
	for (int i = 0; i < fr->x.n; i++) {
		double	 x = ch_px(fr, fr->x.tick[i]);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#dddddd\"/>\n", x, fr->y0, x,
		    fr->y0 + fr->h);
		ch_label(f, x, fr->y0 + fr->h + 18, "middle", "",
		    fr->x.label[i]);
	}
}

/* Grid, tick labels, the frame and the axis labels. */
static void
ch_axes(FILE *f, const struct ch_frame *fr, const char *xlabel,
    const char *ylabel)
{
	char	 rot[64];
	double	 ym = fr->y0 + fr->h / 2;

	ch_ticks(f, fr);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	    "fill=\"none\" stroke=\"#333333\"/>\n", fr->x0, fr->y0, fr->w,
	    fr->h);
	ch_label(f, fr->x0 + fr->w / 2, CH_H - 15, "middle", "", xlabel);
	snprintf(rot, sizeof rot, " transform=\"rotate(-90 18 %.1f)\"", ym);
	ch_label(f, 18, ym, "middle", rot, ylabel);
}

typedef int	(*ch_writer)(FILE *, const void *, struct errmsg *);

/* Write a chart to path; on failure the file is removed. */
static int
ch_save(const char *path, ch_writer w, const void *c, struct errmsg *err)
{
	FILE	*f;
	int	 rc;

	if ((f = fopen(path, "w")) == NULL)
		return errmsg_sys(err, path, NULL);
	rc = w(f, c, err);
	if (fclose(f) != 0 && rc == 0)
		rc = errmsg_sys(err, path, NULL);
	else if (rc == -1)
		errmsg_prefix(err, "%s", path);
	if (rc == -1)
		remove(path);
	return rc;
}

/* ------------------------------------------------------------ line */

static int64_t
ch_sx(const struct chart_series *s, size_t i)
{
	return s->x != NULL ? s->x[i] : (int64_t)i;
}

static int
ch_line_check(const struct chart_line *c, struct errmsg *err)
{
	if (c->series == NULL || c->nseries < 1)
		return errmsg_set(err, "chart: no series");
	if (c->xunit != CHART_TIME && c->xunit != CHART_COUNT)
		return errmsg_set(err, "chart: a line's x is time or a count");
	for (int i = 0; i < c->nseries; i++)
		if (c->series[i].y == NULL || c->series[i].n == 0)
			return errmsg_set(err, "chart: series %d has no "
			    "points", i + 1);
	return 0;
}

/* The axes around every point, and zero. */
static int
ch_line_frame(const struct chart_line *c, struct ch_frame *fr,
    struct errmsg *err)
{
	int64_t	 xlo = ch_sx(&c->series[0], 0), xhi = xlo, ylo = 0, yhi = 0;

	for (int k = 0; k < c->nseries; k++) {
		const struct chart_series	*s = &c->series[k];

		for (size_t i = 0; i < s->n; i++) {
			int64_t	 x = ch_sx(s, i);

			xlo = x < xlo ? x : xlo;
			xhi = x > xhi ? x : xhi;
			ylo = s->y[i] < ylo ? s->y[i] : ylo;
			yhi = s->y[i] > yhi ? s->y[i] : yhi;
		}
	}
	ch_frame_init(fr, CH_RIGHT);
	if (chart_axis_make(c->xunit, xlo, xhi, &fr->x, err) == -1 ||
	    chart_axis_make(CHART_MONEY, ylo, yhi, &fr->y, err) == -1)
		return -1;
	return 0;
}

static void
ch_points(FILE *f, const struct ch_frame *fr, const struct chart_series *s)
{
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%s%.1f,%.1f", i ? " " : "", ch_px(fr, ch_sx(s, i)),
		    ch_py(fr, s->y[i]));
}

static void
ch_series(FILE *f, const struct ch_frame *fr, const struct chart_series *s,
    const char *colour)
{
	double	 zero = ch_py(fr, 0);

	if (s->fill) {
		fprintf(f, "<polygon class=\"area\" fill=\"%s\" "
		    "fill-opacity=\"0.3\" stroke=\"none\" points=\"%.1f,%.1f ",
		    colour, ch_px(fr, ch_sx(s, 0)), zero);
		ch_points(f, fr, s);
		fprintf(f, " %.1f,%.1f\"/>\n", ch_px(fr, ch_sx(s, s->n - 1)),
		    zero);
	}
	fprintf(f, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"1.5\" points=\"", colour);
	ch_points(f, fr, s);
	fputs("\"/>\n", f);
	if (s->n == 1)
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
		    "fill=\"%s\"/>\n", ch_px(fr, ch_sx(s, 0)),
		    ch_py(fr, s->y[0]), colour);
}

/*
 * The names of the series, top left inside the plot, on a pale box that
 * keeps them readable over the lines.
 */
static void
ch_legend(FILE *f, const struct ch_frame *fr, const struct chart_line *c)
{
	double	 y = fr->y0 + 16;
	size_t	 longest = 0;
	int	 named = 0;

	for (int k = 0; k < c->nseries; k++) {
		if (c->series[k].name == NULL)
			continue;
		named++;
		if (strlen(c->series[k].name) > longest)
			longest = strlen(c->series[k].name);
	}
	if (named > 0)
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%d\" fill=\"#ffffff\" fill-opacity=\"0.85\" "
		    "stroke=\"#cccccc\"/>\n", fr->x0 + 4, fr->y0 + 4,
		    36.0 + 7.0 * (double)longest, 16 * named + 4);
	for (int k = 0; k < c->nseries; k++) {
		if (c->series[k].name == NULL)
			continue;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>\n",
		    fr->x0 + 10, y - 4, fr->x0 + 30, y - 4,
		    ch_colour[(size_t)k % CH_NCOLOUR]);
		ch_label(f, fr->x0 + 36, y, "start", "", c->series[k].name);
		y += 16;
	}
}

static int
ch_line_write(FILE *f, const void *arg, struct errmsg *err)
{
	const struct chart_line	*c = arg;
	struct ch_frame		 fr;

	if (ch_line_check(c, err) == -1 || ch_line_frame(c, &fr, err) == -1)
		return -1;
	ch_begin_as(f, c->title, c->embed);
	ch_axes(f, &fr, c->xlabel, c->ylabel);
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#333333\"/>\n", fr.x0, ch_py(&fr, 0), fr.x0 + fr.w,
	    ch_py(&fr, 0));
	for (int k = 0; k < c->nseries; k++)
		ch_series(f, &fr, &c->series[k],
		    ch_colour[(size_t)k % CH_NCOLOUR]);
	ch_legend(f, &fr, c);
	return ch_end(f, err);
}

int
chart_line_write(FILE *f, const struct chart_line *c, struct errmsg *err)
{
	return ch_line_write(f, c, err);
}

int
chart_line_save(const char *path, const struct chart_line *c,
    struct errmsg *err)
{
	return ch_save(path, ch_line_write, c, err);
}

/* ------------------------------------------------------------ bars */

/*
 * Categories side by side: the x axis is the index, from -1 to n so that
 * half a slot is left at each end; only the categories are labelled.
 */
static int
ch_bar_frame(const struct chart_bar *c, struct ch_frame *fr,
    struct errmsg *err)
{
	int64_t	 lo = 0, hi = 0;

	if (c->n < 1 || c->n > CHART_BARS_MAX || c->v == NULL ||
	    c->label == NULL)
		return errmsg_set(err, "chart: 1 to %d bars", CHART_BARS_MAX);
	for (size_t i = 0; i < c->n; i++) {
		lo = c->v[i] < lo ? c->v[i] : lo;
		hi = c->v[i] > hi ? c->v[i] : hi;
	}
	ch_frame_init(fr, CH_RIGHT);
	memset(&fr->x, 0, sizeof fr->x);
	fr->x.unit = CHART_COUNT;
	fr->x.lo = -1;
	fr->x.hi = (int64_t)c->n;
	return chart_axis_make(CHART_MONEY, lo, hi, &fr->y, err);
}

static void
ch_bar_marks(FILE *f, const struct ch_frame *fr, const struct chart_bar *c)
{
	double	 slot = fr->w / ((double)c->n + 1), zero = ch_py(fr, 0);
	char	 m[32];

	for (size_t i = 0; i < c->n; i++) {
		double	 x = ch_px(fr, (int64_t)i), y = ch_py(fr, c->v[i]);
		double	 top = y < zero ? y : zero, h = fabs(zero - y);

		fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>",
		    x - slot * 0.35, top, slot * 0.7, h > 1 ? h : 1,
		    c->v[i] < 0 ? "#d62728" : "#2ca02c");
		chart_text(f, c->label[i]);
		ch_value(CHART_MONEY, c->v[i], 1, m, sizeof m);
		fprintf(f, ": %s</title></rect>\n", m);
		ch_label(f, x, fr->y0 + fr->h + 18, "middle", "", c->label[i]);
	}
}

static int
ch_bar_write(FILE *f, const void *arg, struct errmsg *err)
{
	const struct chart_bar	*c = arg;
	struct ch_frame		 fr;
	char			 rot[64];

	if (ch_bar_frame(c, &fr, err) == -1)
		return -1;
	ch_begin_as(f, c->title, c->embed);
	for (int i = 0; i < fr.y.n; i++) {
		double	 y = ch_py(&fr, fr.y.tick[i]);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#dddddd\"/>\n", fr.x0, y,
		    fr.x0 + fr.w, y);
		ch_label(f, fr.x0 - 6, y + 4, "end", "", fr.y.label[i]);
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\" fill=\"none\" stroke=\"#333333\"/>\n", fr.x0,
	    fr.y0, fr.w, fr.h);
	ch_label(f, fr.x0 + fr.w / 2, CH_H - 15, "middle", "", c->xlabel);
	snprintf(rot, sizeof rot, " transform=\"rotate(-90 18 %.1f)\"",
	    fr.y0 + fr.h / 2);
	ch_label(f, 18, fr.y0 + fr.h / 2, "middle", rot, c->ylabel);
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#333333\"/>\n", fr.x0, ch_py(&fr, 0), fr.x0 + fr.w,
	    ch_py(&fr, 0));
	ch_bar_marks(f, &fr, c);
	return ch_end(f, err);
}

int
chart_bar_write(FILE *f, const struct chart_bar *c, struct errmsg *err)
{
	return ch_bar_write(f, c, err);
}

int
chart_bar_save(const char *path, const struct chart_bar *c,
    struct errmsg *err)
{
	return ch_save(path, ch_bar_write, c, err);
}

/* ------------------------------------------------------------ scatter */

static int
ch_scatter_write(FILE *f, const void *arg, struct errmsg *err)
{
	const struct chart_scatter	*c = arg;
	struct ch_frame			 fr;
	int64_t				 xlo = 0, xhi = 0, ylo = 0, yhi = 0;
	char				 a[32], b[32];

	if (c->p == NULL || c->n == 0)
		return errmsg_set(err, "chart: no points");
	for (size_t i = 0; i < c->n; i++) {
		xlo = c->p[i].x < xlo ? c->p[i].x : xlo;
		xhi = c->p[i].x > xhi ? c->p[i].x : xhi;
		ylo = c->p[i].y < ylo ? c->p[i].y : ylo;
		yhi = c->p[i].y > yhi ? c->p[i].y : yhi;
	}
	ch_frame_init(&fr, CH_RIGHT);
	if (chart_axis_make(CHART_MONEY, xlo, xhi, &fr.x, err) == -1 ||
	    chart_axis_make(CHART_MONEY, ylo, yhi, &fr.y, err) == -1)
		return -1;
	ch_begin_as(f, c->title, c->embed);
	ch_axes(f, &fr, c->xlabel, c->ylabel);
	for (size_t i = 0; i < c->n; i++) {
		fprintf(f, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" "
		    "r=\"4\" fill=\"%s\" fill-opacity=\"0.7\"><title>",
		    ch_px(&fr, c->p[i].x), ch_py(&fr, c->p[i].y),
		    c->p[i].alt ? ch_colour[1] : ch_colour[2]);
		ch_value(CHART_MONEY, c->p[i].x, 1, a, sizeof a);
		ch_value(CHART_MONEY, c->p[i].y, 1, b, sizeof b);
		fprintf(f, "%s, %s</title></circle>\n", a, b);
	}
	return ch_end(f, err);
}

int
chart_scatter_write(FILE *f, const struct chart_scatter *c,
    struct errmsg *err)
{
	return ch_scatter_write(f, c, err);
}

int
chart_scatter_save(const char *path, const struct chart_scatter *c,
    struct errmsg *err)
{
	return ch_save(path, ch_scatter_write, c, err);
}

/* ------------------------------------------------------------ histogram */

static int
ch_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The largest r with r^p <= n (p 2 or 3), at least 1. */
static int64_t
ch_root(size_t n, int p)
{
	int64_t	 r = 1;

	while ((uint64_t)(r + 1) * (uint64_t)(r + 1) *
	    (p == 3 ? (uint64_t)(r + 1) : 1) <= n)
		r++;
	return r;
}

/* The smallest, the largest and the quartiles of the samples. */
static int
ch_spread(const int64_t *v, size_t n, int64_t q[4], struct errmsg *err)
{
	int64_t	*s;

	if ((s = malloc(n * sizeof *s)) == NULL)
		return errmsg_set(err, "out of memory");
	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, ch_cmp);
	q[0] = s[0];
	q[1] = s[n / 4];
	q[2] = s[n - 1 - n / 4];
	q[3] = s[n - 1];
	free(s);
	if (q[0] < -CHART_VALUE_MAX || q[3] > CHART_VALUE_MAX)
		return errmsg_set(err, "chart: a value beyond %lld",
		    (long long)CHART_VALUE_MAX);
	return 0;
}

int
chart_bins_make(const int64_t *v, size_t n, struct chart_bins *b,
    struct errmsg *err)
{
	int64_t	 q[4] = { 0 }, raw, w, nb;

	memset(b, 0, sizeof *b);
	if (v == NULL || n == 0)
		return errmsg_set(err, "chart: no samples");
	if (ch_spread(v, n, q, err) == -1)
		return -1;
	if (q[2] > q[1])
		raw = (2 * (q[2] - q[1]) + ch_root(n, 3) - 1) / ch_root(n, 3);
	else
		raw = (q[3] - q[0] + ch_root(n, 2) - 1) / ch_root(n, 2);
	for (w = ch_nice(raw < 1 ? 1 : raw); ; w = ch_nice(w + 1)) {
		b->lo = tz_floor_div(q[0], w) * w;
		if ((nb = (q[3] - b->lo) / w + 1) <= CHART_BINS_MAX)
			break;
	}
	b->width = w;
	b->n = (int)nb;
	for (size_t i = 0; i < n; i++)
		b->count[(v[i] - b->lo) / w]++;
	return 0;
}

static int
ch_hist_frame(const struct chart_hist *c, const struct chart_bins *b,
    struct ch_frame *fr, struct errmsg *err)
{
	int64_t	 lo = b->lo, hi = b->lo + b->n * b->width, top = 1;

	if (c->unit != CHART_COUNT && c->unit != CHART_MONEY)
		return errmsg_set(err, "chart: a histogram counts or money");
	if (c->nmarker < 0 || c->nmarker > 8 ||
	    (c->nmarker > 0 && c->marker == NULL))
		return errmsg_set(err, "chart: 0 to 8 markers");
	if (b->n == 1) {		/* one spike: room around it */
		int64_t	 d = llabs(lo) / 10;

		d = d > b->width ? d : b->width;
		d = d > (c->unit == CHART_MONEY ? 100 : 1) ? d :
		    (c->unit == CHART_MONEY ? 100 : 1);
		lo -= d;
		hi += d;
	}
	for (int i = 0; i < c->nmarker; i++) {
		lo = c->marker[i].x < lo ? c->marker[i].x : lo;
		hi = c->marker[i].x > hi ? c->marker[i].x : hi;
	}
	for (int i = 0; i < b->n; i++)
		top = b->count[i] > top ? b->count[i] : top;
	ch_frame_init(fr, CH_RIGHT);
	if (chart_axis_make(c->unit, lo, hi, &fr->x, err) == -1 ||
	    chart_axis_make(CHART_COUNT, 0, top + top / 5, &fr->y,
	    err) == -1)			/* room for the markers' labels */
		return -1;
	return 0;
}

static void
ch_bins(FILE *f, const struct ch_frame *fr, const struct chart_hist *c,
    const struct chart_bins *b)
{
	char	 from[32], to[32];

	for (int i = 0; i < b->n; i++) {
		int64_t	 lo = b->lo + i * b->width;
		double	 x = ch_px(fr, lo), y = ch_py(fr, b->count[i]);
		double	 w = ch_px(fr, lo + b->width) - x;

		fprintf(f, "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\" "
		    "stroke=\"#ffffff\" stroke-width=\"0.5\"><title>", x, y,
		    w > 2 ? w : 2, ch_py(fr, 0) - y);	/* a spike shows */
		ch_value(c->unit, lo, 1, from, sizeof from);
		ch_value(c->unit, lo + b->width, 1, to, sizeof to);
		fprintf(f, "%s to %s: %lld</title></rect>\n", from, to,
		    (long long)b->count[i]);
	}
}

/* Markers, their labels stacked down the top of the plot. */
static void
ch_markers(FILE *f, const struct ch_frame *fr, const struct chart_hist *c)
{
	for (int i = 0; i < c->nmarker; i++) {
		double	 x = ch_px(fr, c->marker[i].x);
		bool	 left = x > fr->x0 + fr->w * 0.8;

		fprintf(f, "<line class=\"marker\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		    "stroke-dasharray=\"4 3\"/>\n", x, fr->y0, x,
		    fr->y0 + fr->h, ch_colour[1 + (size_t)i % (CH_NCOLOUR -
		    1)]);
		ch_label(f, left ? x - 3 : x + 3, fr->y0 + 14 + 14 * i,
		    left ? "end" : "start", " paint-order=\"stroke\" "
		    "stroke=\"#ffffff\" stroke-width=\"3\"",
		    c->marker[i].label);
	}
}

static int
ch_hist_write(FILE *f, const void *arg, struct errmsg *err)
{
	const struct chart_hist	*c = arg;
	struct chart_bins	 b;
	struct ch_frame		 fr;

	if (chart_bins_make(c->v, c->n, &b, err) == -1 ||
	    ch_hist_frame(c, &b, &fr, err) == -1)
		return -1;
	ch_begin(f, c->title);
	ch_axes(f, &fr, c->xlabel, c->ylabel);
	ch_bins(f, &fr, c, &b);
	ch_markers(f, &fr, c);
	return ch_end(f, err);
}

int
chart_hist_write(FILE *f, const struct chart_hist *c, struct errmsg *err)
{
	return ch_hist_write(f, c, err);
}

int
chart_hist_save(const char *path, const struct chart_hist *c,
    struct errmsg *err)
{
	return ch_save(path, ch_hist_write, c, err);
}

/* ------------------------------------------------------------ heat map */

/* viridis at five stops: dark purple (smallest) to yellow (largest) */
static const unsigned char ch_ramp[5][3] = {
	{ 0x44, 0x01, 0x54 }, { 0x3b, 0x52, 0x8b }, { 0x21, 0x91, 0x8c },
	{ 0x5e, 0xc9, 0x62 }, { 0xfd, 0xe7, 0x25 },
};

/* The colour of t in [0, 1] as "#rrggbb". */
static void
ch_ramp_colour(double t, char buf[8])
{
	int	 i = t >= 1 ? 3 : (int)(t * 4);
	double	 u = t * 4 - i;
	int	 rgb[3];

	for (int k = 0; k < 3; k++)
		rgb[k] = (int)(ch_ramp[i][k] + (ch_ramp[i + 1][k] -
		    ch_ramp[i][k]) * u + 0.5);
	snprintf(buf, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

/* Check the grid; the smallest and largest value. */
static int
ch_heat_range(const struct chart_heat *c, double *lo, double *hi,
    struct errmsg *err)
{
	bool	 any = false;

	if (c->nx < 1 || c->ny < 1 || c->nx > CHART_GRID_MAX ||
	    c->ny > CHART_GRID_MAX || c->v == NULL || c->xtick == NULL ||
	    c->ytick == NULL)
		return errmsg_set(err, "chart: a heat map of 1 to %d cells "
		    "each way, with their labels", CHART_GRID_MAX);
	if (c->decimals < 0 || c->decimals > 6)
		return errmsg_set(err, "chart: 0 to 6 decimals");
	for (int i = 0; i < c->nx * c->ny; i++) {
		double	 v = c->v[i];

		if (isnan(v))
			continue;
		if (isinf(v))
			return errmsg_set(err, "chart: cell %d is infinite",
			    i + 1);
		*lo = !any || v < *lo ? v : *lo;
		*hi = !any || v > *hi ? v : *hi;
		any = true;
	}
	if (!any)
		return errmsg_set(err, "chart: no cell has a value");
	return 0;
}

/* Every xstep-th column label and ystep-th row label. */
static void
ch_heat_ticks(FILE *f, const struct ch_frame *fr, const struct chart_heat *c)
{
	double	 cw = fr->w / c->nx, rh = fr->h / c->ny;
	int	 xs = (c->nx + 14) / 15, ys = (c->ny + 14) / 15;

	for (int i = 0; i < c->nx; i += xs)
		ch_label(f, fr->x0 + (i + 0.5) * cw, fr->y0 + fr->h + 18,
		    "middle", "", c->xtick[i]);
	for (int i = 0; i < c->ny; i += ys)
		ch_label(f, fr->x0 - 6, fr->y0 + fr->h - (i + 0.5) * rh + 4,
		    "end", "", c->ytick[i]);
}

static void
ch_cell(FILE *f, const struct ch_frame *fr, const struct chart_heat *c,
    int ix, int iy, double lo, double hi)
{
	double	 cw = fr->w / c->nx, rh = fr->h / c->ny;
	double	 v = c->v[iy * c->nx + ix];
	char	 col[8];

	fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\" ", isnan(v) ? "empty" : "cell",
	    fr->x0 + ix * cw, fr->y0 + fr->h - (iy + 1) * rh, cw, rh);
	if (isnan(v))
		fputs("fill=\"#ffffff\" stroke=\"#cccccc\"><title>", f);
	else {
		ch_ramp_colour(hi > lo ? (v - lo) / (hi - lo) : 0, col);
		fprintf(f, "fill=\"%s\"><title>", col);
	}
	chart_text(f, c->xtick[ix]);
	fputs(", ", f);
	chart_text(f, c->ytick[iy]);
	if (isnan(v))
		fputs(": none</title></rect>\n", f);
	else
		fprintf(f, ": %.*f</title></rect>\n", c->decimals, v);
}

/* Ten swatches from the smallest value (bottom) to the largest. */
static void
ch_heat_legend(FILE *f, const struct ch_frame *fr, const struct chart_heat *c,
    double lo, double hi)
{
	double	 x = fr->x0 + fr->w + 20, sh = fr->h / 10;
	char	 col[8], buf[64];

	ch_label(f, x, fr->y0 - 8, "start", "", c->vlabel);
	for (int i = 0; i < 10; i++) {
		ch_ramp_colour(i / 9.0, col);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" "
		    "height=\"%.1f\" fill=\"%s\"/>\n", x,
		    fr->y0 + fr->h - (i + 1) * sh, sh, col);
	}
	snprintf(buf, sizeof buf, "%.*f", c->decimals, hi);
	ch_label(f, x + 26, fr->y0 + 12, "start", "", buf);
	snprintf(buf, sizeof buf, "%.*f", c->decimals, (lo + hi) / 2);
	ch_label(f, x + 26, fr->y0 + fr->h / 2 + 4, "start", "", buf);
	snprintf(buf, sizeof buf, "%.*f", c->decimals, lo);
	ch_label(f, x + 26, fr->y0 + fr->h, "start", "", buf);
}

static int
ch_heat_write(FILE *f, const void *arg, struct errmsg *err)
{
	const struct chart_heat	*c = arg;
	struct ch_frame		 fr;
	double			 lo = 0, hi = 0;
	char			 rot[64];

	if (ch_heat_range(c, &lo, &hi, err) == -1)
		return -1;
	ch_frame_init(&fr, CH_LEGEND);
	ch_begin(f, c->title);
	for (int iy = 0; iy < c->ny; iy++)
		for (int ix = 0; ix < c->nx; ix++)
			ch_cell(f, &fr, c, ix, iy, lo, hi);
	ch_heat_ticks(f, &fr, c);
	ch_heat_legend(f, &fr, c, lo, hi);
	ch_label(f, fr.x0 + fr.w / 2, CH_H - 15, "middle", "", c->xlabel);
	snprintf(rot, sizeof rot, " transform=\"rotate(-90 18 %.1f)\"",
	    fr.y0 + fr.h / 2);
	ch_label(f, 18, fr.y0 + fr.h / 2, "middle", rot, c->ylabel);
	return ch_end(f, err);
}

int
chart_heat_write(FILE *f, const struct chart_heat *c, struct errmsg *err)
{
	return ch_heat_write(f, c, err);
}

int
chart_heat_save(const char *path, const struct chart_heat *c,
    struct errmsg *err)
{
	return ch_save(path, ch_heat_write, c, err);
}
