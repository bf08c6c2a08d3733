/*
 * test-chart-svg.c -- charts as SVG (core/chart-svg.h): nice ticks for
 * money, counts and dates, histogram bins that count every sample once,
 * markers drawn inside the bin that holds their value, heat map cells,
 * well-formed XML with escaped text (checked by a small parser below, so
 * the test needs no XML library), the same bytes for the same chart, and
 * refusals of empty input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart-svg.h"
#include "errmsg.h"
#include "tz.h"

/* ------------------------------------------------------------ helpers */

/* What a writer wrote into memory: 0 and *out (freed by the caller). */
typedef int	(*writer)(FILE *, const void *, struct errmsg *);

static int
line_w(FILE *f, const void *c, struct errmsg *err)
{
	return chart_line_write(f, c, err);
}

static int
hist_w(FILE *f, const void *c, struct errmsg *err)
{
	return chart_hist_write(f, c, err);
}

static int
heat_w(FILE *f, const void *c, struct errmsg *err)
{
	return chart_heat_write(f, c, err);
}

static int
bar_w(FILE *f, const void *c, struct errmsg *err)
{
	return chart_bar_write(f, c, err);
}

static int
scatter_w(FILE *f, const void *c, struct errmsg *err)
{
	return chart_scatter_write(f, c, err);
}

static char *
render(writer w, const void *c)
{
	struct errmsg	 err;
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&buf, &len);
	int		 rc;

	assert_non_null(f);
	rc = w(f, c, &err);
	fclose(f);
	if (rc == -1)
		fail_msg("%s", err.msg);
	return buf;
}

/*
 * A small XML checker: every tag closes in order, attribute values are
 * quoted and hold no '<', '&' starts a known entity, text holds no '>'
 * after a lone '<'.  Returns the number of elements, -1 when malformed.
 */
static int
xml_entity(const char **p)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;",
	    "&quot;", "&apos;" };

	for (size_t i = 0; i < 5; i++)
		if (strncmp(*p, ents[i], strlen(ents[i])) == 0) {
			*p += strlen(ents[i]) - 1;
			return 0;
		}
	return -1;
}

static int
xml_attrs(const char **pp)
{
	const char	*p = *pp;

	for (;;) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (*p == '>' || *p == '/')
			break;
		while (*p != '\0' && *p != '=' && *p != '>' && *p != ' ')
			p++;
		if (*p++ != '=' || *p++ != '"')
			return -1;
		for (; *p != '"'; p++)
			if (*p == '\0' || *p == '<' ||
			    (*p == '&' && xml_entity(&p) == -1))
				return -1;
		p++;
	}
	*pp = p;
	return 0;
}

static int
xml_check(const char *doc)
{
	char		 stack[64][32];
	int		 depth = 0, elements = 0;
	const char	*p = doc;

	while (*p != '\0') {
		if (*p == '&' && xml_entity(&p) == -1)
			return -1;
		if (*p == '>')
			return -1;
		if (*p++ != '<')
			continue;
		if (*p == '/') {
			size_t	 n = strcspn(++p, ">");

			if (depth == 0 || n != strlen(stack[depth - 1]) ||
			    strncmp(p, stack[--depth], n) != 0)
				return -1;
			p += n + 1;
			continue;
		}
		size_t	 n = strcspn(p, " />\n");

		if (n == 0 || n >= sizeof stack[0] || depth == 64)
			return -1;
		memcpy(stack[depth], p, n);
		stack[depth][n] = '\0';
		p += n;
		if (xml_attrs(&p) == -1)
			return -1;
		elements++;
		if (*p == '/' && p[1] == '>')
			p += 2;
		else if (*p++ == '>')
			depth++;
		else
			return -1;
	}
	return depth == 0 ? elements : -1;
}

/* How many times needle occurs in s. */
static int
occurs(const char *s, const char *needle)
{
	int	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The number in attribute name="..." of the element starting at s. */
static double
attr(const char *s, const char *name)
{
	char		 key[32];
	const char	*end = strchr(s, '>'), *a;

	snprintf(key, sizeof key, " %s=\"", name);
	a = strstr(s, key);
	assert_non_null(a);
	assert_true(a < end);
	return strtod(a + strlen(key), NULL);
}

/* The k-th element starting with prefix, e.g. "<rect class=\"bin\"". */
static const char *
nth(const char *doc, const char *prefix, int k)
{
	const char	*s = doc;

	for (int i = 0; (s = strstr(s, prefix)) != NULL; i++, s++)
		if (i == k)
			return s;
	fail_msg("no element %d of %s", k, prefix);
	return NULL;
}

static td_ns
day(int y, int m, int d)
{
	return tz_days_from_civil(y, m, d) * TD_NS_PER_DAY;
}

static bool
nice_step(int64_t s)
{
	while (s % 10 == 0)
		s /= 10;
	return s == 1 || s == 2 || s == 5;
}

/* ------------------------------------------------------------ axes */

/* Ticks every 1, 2 or 5 x 10^k, around the data, five to eight of them. */
static void
test_chart_svg_axis_nice(void **state)
{
	const int64_t	 r[][2] = { { 0, 123456 }, { -1234, 5678 },
			    { 3, 7 }, { -999999, -1 }, { 0, 1 },
			    { 17, 1000000017 } };
	struct chart_axis	 a;

	(void)state;
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		assert_int_equal(chart_axis_make(CHART_COUNT, r[i][0],
		    r[i][1], &a, NULL), 0);
		assert_true(a.lo <= r[i][0] && a.hi >= r[i][1]);
		assert_true(a.n >= 2 && a.n <= 8);
		for (int k = 1; k < a.n; k++) {
			assert_true(nice_step(a.tick[k] - a.tick[k - 1]));
			assert_int_equal(a.tick[k] - a.tick[k - 1],
			    a.tick[1] - a.tick[0]);
		}
	}
	/* Money: whole dollars when the step is. */
	assert_int_equal(chart_axis_make(CHART_MONEY, 0, 123456, &a, NULL), 0);
	assert_int_equal(a.n, 4);
	assert_string_equal(a.label[0], "0");
	assert_string_equal(a.label[2], "1,000");
	assert_string_equal(a.label[3], "1,500");
	assert_int_equal(chart_axis_make(CHART_MONEY, -30, 40, &a, NULL), 0);
	assert_string_equal(a.label[0], "-0.40");
	/* One value: an axis around it. */
	assert_int_equal(chart_axis_make(CHART_MONEY, 0, 0, &a, NULL), 0);
	assert_true(a.lo < 0 && a.hi > 0);
}

/* Dates: weeks from Monday, months, years, labelled in UTC. */
static void
test_chart_svg_axis_time(void **state)
{
	struct chart_axis	 a;

	(void)state;
	assert_int_equal(chart_axis_make(CHART_TIME, day(2020, 1, 7) +
	    TD_NS_PER_HOUR, day(2020, 2, 3), &a, NULL), 0);
	assert_string_equal(a.label[0], "2020-01-06");	/* a Monday */
	assert_string_equal(a.label[a.n - 1], "2020-02-03");
	assert_int_equal(a.tick[1] - a.tick[0], 7 * TD_NS_PER_DAY);
	assert_int_equal(chart_axis_make(CHART_TIME, day(2020, 3, 15),
	    day(2020, 9, 2), &a, NULL), 0);
	assert_string_equal(a.label[0], "2020-03");
	assert_string_equal(a.label[a.n - 1], "2020-10");
	assert_int_equal(chart_axis_make(CHART_TIME, day(2010, 6, 1),
	    day(2026, 3, 1), &a, NULL), 0);
	assert_string_equal(a.label[0], "2010");
	assert_string_equal(a.label[a.n - 1], "2030");
	assert_true(a.n <= 9);
	/* The widest span taken: 50-year ticks. */
	assert_int_equal(chart_axis_make(CHART_TIME, day(1900, 1, 1),
	    day(2199, 12, 31), &a, NULL), 0);
	assert_string_equal(a.label[0], "1900");
	assert_string_equal(a.label[1], "1950");
	assert_string_equal(a.label[a.n - 1], "2200");
	/* One instant: two ticks around it. */
	assert_int_equal(chart_axis_make(CHART_TIME, day(2021, 5, 5),
	    day(2021, 5, 5), &a, NULL), 0);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.label[0], "2021-05-05");
}

static void
test_chart_svg_axis_refused(void **state)
{
	struct chart_axis	 a;
	struct errmsg		 err;

	(void)state;
	assert_int_equal(chart_axis_make(CHART_COUNT, 5, 4, &a, &err), -1);
	assert_string_equal(err.msg, "chart: axis from 5 to 4");
	assert_int_equal(chart_axis_make(CHART_MONEY, 0, INT64_MAX, &a, &err),
	    -1);
	assert_int_equal(chart_axis_make(CHART_TIME, 0, INT64_MAX, &a, &err),
	    -1);
	assert_string_equal(err.msg, "chart: a time before 1900 or after 2199");
}

/* ------------------------------------------------------------ histogram */

/* Freedman-Diaconis by hand: 1 .. 100, IQR 49, cube root 4: width 50. */
static void
test_chart_svg_bins_by_hand(void **state)
{
	int64_t			 v[100];
	struct chart_bins	 b;

	(void)state;
	for (int i = 0; i < 100; i++)
		v[99 - i] = i + 1;		/* in any order */
	assert_int_equal(chart_bins_make(v, 100, &b, NULL), 0);
	assert_int_equal(b.width, 50);
	assert_int_equal(b.lo, 0);
	assert_int_equal(b.n, 3);
	assert_int_equal(b.count[0], 49);
	assert_int_equal(b.count[1], 50);
	assert_int_equal(b.count[2], 1);
	/* The same value everywhere: one bin of width 1. */
	for (int i = 0; i < 100; i++)
		v[i] = -250;
	assert_int_equal(chart_bins_make(v, 100, &b, NULL), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.count[0], 100);
	assert_true(b.lo <= -250 && b.lo + b.width > -250);
}

/* Every sample in exactly one bin, whatever the spread. */
static void
test_chart_svg_bins_count_all(void **state)
{
	static int64_t		 v[5000];
	struct chart_bins	 b;
	uint64_t		 x = 88172645463325252ULL;

	(void)state;
	for (int round = 0; round < 50; round++) {
		size_t	 n = 1 + (size_t)round * 97;
		int64_t	 sum = 0;

		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			v[i] = (int64_t)(x % 2000001) - 1000000;
			if (round % 3 == 0)	/* a long tail */
				v[i] = v[i] * (int64_t)(i % 7 == 0 ? 1000 : 1);
		}
		assert_int_equal(chart_bins_make(v, n, &b, NULL), 0);
		assert_true(b.n >= 1 && b.n <= CHART_BINS_MAX);
		assert_true(nice_step(b.width));
		for (int i = 0; i < b.n; i++)
			sum += b.count[i];
		assert_int_equal(sum, (int64_t)n);
		for (size_t i = 0; i < n; i++)
			assert_true(v[i] >= b.lo &&
			    v[i] < b.lo + b.n * b.width);
	}
}

/* Each marker is drawn inside the bar of the bin holding its value. */
static void
test_chart_svg_markers(void **state)
{
	int64_t			 v[400];
	struct chart_marker	 m[] = { { "as traded", 1234 },
				    { "p5", 200 }, { "p95", 3700 } };
	struct chart_hist	 c = { .title = "final P&L", .xlabel = "P&L",
				    .ylabel = "runs", .unit = CHART_MONEY,
				    .v = v, .n = 400, .marker = m,
				    .nmarker = 3 };
	struct chart_bins	 b;
	char			*doc;

	(void)state;
	for (int i = 0; i < 400; i++)
		v[i] = i * 10;			/* 0 .. 3990 */
	assert_int_equal(chart_bins_make(v, 400, &b, NULL), 0);
	m[1].x = b.lo + 2 * b.width;		/* on a bin's left edge */
	doc = render(hist_w, &c);
	assert_true(xml_check(doc) > 0);
	assert_int_equal(occurs(doc, "<rect class=\"bin\""), b.n);
	assert_int_equal(occurs(doc, "<line class=\"marker\""), 3);
	for (int i = 0; i < 3; i++) {
		const char	*bin = nth(doc, "<rect class=\"bin\"",
				    (int)((m[i].x - b.lo) / b.width));
		const char	*mk = nth(doc, "<line class=\"marker\"", i);
		double		 x = attr(mk, "x1"), bx = attr(bin, "x");

		assert_true(x >= bx && x <= bx + attr(bin, "width"));
	}
	assert_true(fabs(attr(nth(doc, "<line class=\"marker\"", 1), "x1") -
	    attr(nth(doc, "<rect class=\"bin\"", 2), "x")) < 0.11);
	assert_non_null(strstr(doc, ">as traded</text>"));
	free(doc);
}

/* ------------------------------------------------------------ line */

static void
test_chart_svg_line(void **state)
{
	const int64_t		 t[] = { day(2020, 1, 2), day(2020, 1, 3),
				    day(2020, 1, 9), day(2020, 2, 1) };
	const int64_t		 eq[] = { 15000, -2500, 40000, 32000 };
	const int64_t		 dd[] = { 0, -17500, 0, -8000 };
	struct chart_series	 s[] = {
		{ .name = "equity", .x = t, .y = eq, .n = 4 },
		{ .name = "drawdown", .x = t, .y = dd, .n = 4, .fill = true },
	};
	struct chart_line	 c = { .title = "ORB <ES> & \"NQ\" 'x'",
				    .xlabel = "date", .ylabel = "P&L",
				    .xunit = CHART_TIME, .series = s,
				    .nseries = 2 };
	char			*doc, *again;
	const char		*pl;

	(void)state;
	doc = render(line_w, &c);
	assert_true(xml_check(doc) > 0);
	assert_int_equal(strncmp(doc, "<svg ", 5), 0);
	assert_non_null(strstr(doc, "ORB &lt;ES&gt; &amp; &quot;NQ&quot; "
	    "&apos;x&apos;"));
	assert_non_null(strstr(doc, ">P&amp;L</text>"));
	assert_int_equal(occurs(doc, "<polyline class=\"series\""), 2);
	assert_int_equal(occurs(doc, "<polygon class=\"area\""), 1);
	/* Four points each; the area closes on zero at both ends. */
	pl = nth(doc, "<polyline class=\"series\"", 0);
	assert_int_equal(occurs(strstr(pl, "points="), ",") -
	    occurs(strstr(pl, "/>"), ","), 4);
	again = render(line_w, &c);
	assert_string_equal(doc, again);
	free(again);
	free(doc);
	/* x as the index 0 .. 3: the first point on the left edge, the last
	 * on the right, 0 on the zero line. */
	s[0].x = NULL;
	c.xunit = CHART_COUNT;
	c.nseries = 1;
	doc = render(line_w, &c);
	assert_true(xml_check(doc) > 0);
	pl = nth(doc, "<polyline class=\"series\"", 0);
	assert_non_null(strstr(pl, "points=\"90.0,"));
	assert_non_null(strstr(pl, " 760.0,"));
	assert_null(strstr(doc, "<polygon"));
	free(doc);
}

/* The same bytes from the same chart, to a FILE or a path. */
static void
test_chart_svg_deterministic(void **state)
{
	int64_t			 v[1000];
	struct chart_marker	 m = { "p50", 500 };
	struct chart_hist	 c = { .title = "streak", .xlabel = "trades",
				    .ylabel = "runs", .unit = CHART_COUNT,
				    .v = v, .n = 1000, .marker = &m,
				    .nmarker = 1 };
	char			 path[] = "/tmp/test-chart-svg.XXXXXX";
	static char		 file[1 << 16];
	char			*a, *b;
	struct errmsg		 err;
	FILE			*f;
	size_t			 n;
	int			 fd;

	(void)state;
	for (int i = 0; i < 1000; i++)
		v[i] = (i * 7919) % 1009;
	a = render(hist_w, &c);
	b = render(hist_w, &c);
	assert_string_equal(a, b);
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_int_equal(chart_hist_save(path, &c, &err), 0);
	assert_non_null(f = fopen(path, "r"));
	n = fread(file, 1, sizeof file - 1, f);
	fclose(f);
	file[n] = '\0';
	assert_int_equal(strlen(a), n);
	assert_string_equal(a, file);
	unlink(path);
	free(a);
	free(b);
}

/* ------------------------------------------------------------ heat map */

static void
test_chart_svg_heat(void **state)
{
	const char *const	 xs[] = { "10", "20", "30", "40" };
	const char *const	 ys[] = { "1.5", "2.0", "<2.5>" };
	double			 v[12];
	struct chart_heat	 c = { .title = "net P&L by stop and target",
				    .xlabel = "stop", .ylabel = "target",
				    .vlabel = "net", .nx = 4, .ny = 3,
				    .xtick = xs, .ytick = ys, .v = v,
				    .decimals = 2 };
	char			*doc;
	struct errmsg		 err;

	(void)state;
	for (int i = 0; i < 12; i++)
		v[i] = i * 100.25 - 300;
	v[5] = NAN;
	v[11] = NAN;
	doc = render(heat_w, &c);
	assert_true(xml_check(doc) > 0);
	assert_int_equal(occurs(doc, "<rect class=\"cell\""), 10);
	assert_int_equal(occurs(doc, "<rect class=\"empty\""), 2);
	assert_non_null(strstr(doc, ">&lt;2.5&gt;</text>"));
	/* The smallest is the ramp's first colour, the largest its last. */
	assert_non_null(strstr(nth(doc, "<rect class=\"cell\"", 0),
	    "fill=\"#440154\""));
	assert_non_null(strstr(nth(doc, "<rect class=\"cell\"", 9),
	    "fill=\"#fde725\""));
	assert_non_null(strstr(doc, ">702.50</text>"));	/* 10 x 100.25 - 300 */
	free(doc);
	for (int i = 0; i < 12; i++)
		v[i] = NAN;
	assert_int_equal(chart_heat_write(stdout, &c, &err), -1);
	assert_string_equal(err.msg, "chart: no cell has a value");
	v[3] = INFINITY;
	assert_int_equal(chart_heat_write(stdout, &c, &err), -1);
	assert_string_equal(err.msg, "chart: cell 4 is infinite");
	c.nx = 0;
	assert_int_equal(chart_heat_write(stdout, &c, &err), -1);
}

/* ------------------------------------------------------------ refusals */

static void
test_chart_svg_empty_refused(void **state)
{
	const int64_t		 y[] = { 1 };
	struct chart_series	 s = { .y = y, .n = 0 };
	struct chart_line	 l = { .title = "t", .xunit = CHART_COUNT,
				    .series = &s, .nseries = 1 };
	struct chart_hist	 h = { .title = "t", .unit = CHART_COUNT,
				    .v = y, .n = 0 };
	struct chart_bins	 b;
	struct errmsg		 err;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(chart_line_write(f, &l, &err), -1);
	assert_string_equal(err.msg, "chart: series 1 has no points");
	l.nseries = 0;
	assert_int_equal(chart_line_write(f, &l, &err), -1);
	assert_string_equal(err.msg, "chart: no series");
	assert_int_equal(chart_hist_write(f, &h, &err), -1);
	assert_string_equal(err.msg, "chart: no samples");
	assert_int_equal(chart_bins_make(NULL, 3, &b, &err), -1);
	fclose(f);
	assert_int_equal(len, 0);		/* nothing written */
	free(buf);
	/* A path that cannot be written; a refused chart leaves no file. */
	assert_int_equal(chart_hist_save("/nonexistent/h.svg", &h, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/h.svg: "));
	assert_int_equal(chart_hist_save("test-chart-svg-empty.svg", &h,
	    &err), -1);
	assert_string_equal(err.msg,
	    "test-chart-svg-empty.svg: chart: no samples");
	assert_int_equal(access("test-chart-svg-empty.svg", F_OK), -1);
}

/*
 * Bars: one <rect class="bar"> per category, green above zero and red
 * below, the taller the larger, each titled with its label and money.
 */
static void
test_chart_svg_bars(void **state)
{
	const char *const	 lab[] = { "Mon", "Tue", "Wed <x>" };
	const int64_t		 v[] = { 20000, -5000, 0 };
	struct chart_bar	 c = { .title = "by weekday", .xlabel = "day",
				    .ylabel = "net", .label = lab, .v = v,
				    .n = 3 };
	struct errmsg		 err;
	char			*doc, *again;
	const char		*b0, *b1;
	double			 h0, h1;

	(void)state;
	doc = render(bar_w, &c);
	assert_true(xml_check(doc) > 0);
	assert_non_null(strstr(doc, "xmlns=\"http://www.w3.org/2000/svg\""));
	assert_int_equal(occurs(doc, "<rect class=\"bar\""), 3);
	b0 = nth(doc, "<rect class=\"bar\"", 0);
	b1 = nth(doc, "<rect class=\"bar\"", 1);
	assert_non_null(strstr(b0, "fill=\"#2ca02c\"><title>Mon: 200.00"));
	assert_non_null(strstr(b1, "fill=\"#d62728\"><title>Tue: -50.00"));
	assert_non_null(strstr(doc, "<title>Wed &lt;x&gt;: 0.00</title>"));
	h0 = atof(strstr(b0, "height=\"") + 8);
	h1 = atof(strstr(b1, "height=\"") + 8);
	assert_true(h0 > 3.5 * h1 && h0 < 4.5 * h1);
	again = render(bar_w, &c);
	assert_string_equal(doc, again);
	free(again);
	free(doc);
	/* For a page: the same marks, no namespace and so no URL. */
	c.embed = true;
	doc = render(bar_w, &c);
	assert_null(strstr(doc, "http"));
	assert_int_equal(occurs(doc, "<rect class=\"bar\""), 3);
	free(doc);
	c.n = 0;
	assert_int_equal(chart_bar_write(stdout, &c, &err), -1);
	assert_string_equal(err.msg, "chart: 1 to 64 bars");
}

/* An embedded line chart has no namespace, no URL, the same series. */
static void
test_chart_svg_line_embedded(void **state)
{
	const int64_t		 eq[] = { 15000, -2500, 40000 };
	struct chart_series	 s = { .name = "equity", .y = eq, .n = 3 };
	struct chart_line	 c = { .title = "equity", .xlabel = "trade",
				    .ylabel = "net", .xunit = CHART_COUNT,
				    .series = &s, .nseries = 1 };
	char			*doc, *emb;

	(void)state;
	doc = render(line_w, &c);
	c.embed = true;
	emb = render(line_w, &c);
	assert_non_null(strstr(doc, "http://"));
	assert_null(strstr(emb, "http"));
	assert_string_equal(strstr(doc, "<title>"), strstr(emb, "<title>"));
	free(doc);
	free(emb);
}

/*
 * A scatter: a <circle class="point"> per point, winners and losers in
 * two colours, titled with both figures; x and y grow right and up.
 */
static void
test_chart_svg_scatter(void **state)
{
	const struct chart_point p[] = {
		{ .x = -7500, .y = 15000 },
		{ .x = -20000, .y = 2500, .alt = true },
		{ .x = 0, .y = 0, .alt = true },
	};
	struct chart_scatter	 c = { .title = "MAE/MFE", .xlabel = "MAE",
				    .ylabel = "MFE", .p = p, .n = 3,
				    .embed = true };
	struct errmsg		 err;
	const char		*a, *b;
	char			*doc;

	(void)state;
	doc = render(scatter_w, &c);
	assert_true(xml_check(doc) > 0);
	assert_null(strstr(doc, "http"));
	assert_int_equal(occurs(doc, "<circle class=\"point\""), 3);
	assert_non_null(strstr(doc, "<title>-75.00, 150.00</title>"));
	a = nth(doc, "<circle class=\"point\"", 0);
	b = nth(doc, "<circle class=\"point\"", 1);
	assert_non_null(strstr(a, "fill=\"#2ca02c\""));
	assert_true(strstr(b, "fill=\"#d62728\"") < strstr(b, "</circle>"));
	/* The first is right of and above the second. */
	assert_true(atof(strstr(a, "cx=\"") + 4) > atof(strstr(b, "cx=\"") + 4));
	assert_true(atof(strstr(a, "cy=\"") + 4) < atof(strstr(b, "cy=\"") + 4));
	free(doc);
	c.n = 0;
	assert_int_equal(chart_scatter_write(stdout, &c, &err), -1);
	assert_string_equal(err.msg, "chart: no points");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chart_svg_axis_nice),
		cmocka_unit_test(test_chart_svg_axis_time),
		cmocka_unit_test(test_chart_svg_axis_refused),
		cmocka_unit_test(test_chart_svg_bins_by_hand),
		cmocka_unit_test(test_chart_svg_bins_count_all),
		cmocka_unit_test(test_chart_svg_markers),
		cmocka_unit_test(test_chart_svg_line),
		cmocka_unit_test(test_chart_svg_deterministic),
		cmocka_unit_test(test_chart_svg_heat),
		cmocka_unit_test(test_chart_svg_empty_refused),
		cmocka_unit_test(test_chart_svg_bars),
		cmocka_unit_test(test_chart_svg_line_embedded),
		cmocka_unit_test(test_chart_svg_scatter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
