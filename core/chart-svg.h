/*
 * chart-svg.h -- charts written as SVG files: a line chart (equity,
 * drawdown), a histogram (Monte Carlo distributions), a heat map (a grid
 * of two parameters), a bar chart (P&L by hour or weekday) and a scatter
 * (each trade's excursions).  A line, bar or scatter chart marked embed is written for the inside of an HTML page (the
 * HTML report): the same marks without the XML namespace, which a page
 * does not need and whose URL a self-contained page must not carry.
 *
 * The writer is our own and needs nothing but stdio: a chart is a plain
 * description (the caller's arrays, borrowed for the call) written whole
 * to a FILE * or a path.  The output is deterministic: the same chart
 * gives the same bytes, every coordinate printed with one decimal.  Money
 * is integer cents, printed as money on the axes; time is td_ns, printed
 * as UTC dates.  Text is escaped for XML.  Every function that can fail
 * returns -1 with a message (empty input, values too far apart, a write
 * error); nothing is allocated past the call but what the caller frees.
 */
#ifndef TD_CHART_SVG_H
#define TD_CHART_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "types.h"

struct errmsg;

/* What an axis counts, and so how its ticks are chosen and labelled. */
enum chart_unit {
	CHART_COUNT,		/* integers: trades, runs, an index */
	CHART_MONEY,		/* cents, labelled as money */
	CHART_TIME,		/* td_ns, labelled as UTC dates */
};

#define CHART_TICKS_MAX		16
#define CHART_LABEL_MAX		24
/* Values (not times) beyond this magnitude are refused. */
#define CHART_VALUE_MAX		100000000000000000LL	/* 1e17 */

/*
 * An axis from lo to hi whose ends are ticks: steps of 1, 2 or 5 times a
 * power of ten (at least 1), or for time days, weeks (from Monday),
 * months or years, about five to eight ticks in all.
 */
struct chart_axis {
	enum chart_unit	 unit;
	int64_t		 lo, hi;
	int		 n;
	int64_t		 tick[CHART_TICKS_MAX];
	char		 label[CHART_TICKS_MAX][CHART_LABEL_MAX];
};

/* The axis covering [lo, hi] (lo <= hi): 0, or -1 with a message. */
int		 chart_axis_make(enum chart_unit unit, int64_t lo, int64_t hi,
		     struct chart_axis *a, struct errmsg *err);

/* ------------------------------------------------------------ line */

/*
 * One series: n points (x[i], y[i]) in the order drawn; x NULL for the
 * index 0 .. n-1.  fill shades the area between the line and zero (a
 * drawdown below zero).
 */
struct chart_series {
	const char	*name;		/* in the legend; NULL: none */
	const int64_t	*x;
	const int64_t	*y;
	size_t		 n;		/* >= 1 */
	bool		 fill;
};

/* A line chart: y in cents (zero always shown), x time or an index. */
struct chart_line {
	const char			*title;
	const char			*xlabel, *ylabel;
	enum chart_unit			 xunit;	/* CHART_TIME or COUNT */
	const struct chart_series	*series;
	int				 nseries;	/* >= 1 */
	bool				 embed;	/* in HTML: no xmlns */
};

int		 chart_line_write(FILE *f, const struct chart_line *c,
		     struct errmsg *err);
int		 chart_line_save(const char *path, const struct chart_line *c,
		     struct errmsg *err);

/* ------------------------------------------------------------ histogram */

#define CHART_BINS_MAX		100

/*
 * Bins of equal integer width covering the samples: bin i holds
 * [lo + i x width, lo + (i + 1) x width).  See chart-svg.c for the rule.
 */
struct chart_bins {
	int64_t		 lo, width;
	int		 n;
	int64_t		 count[CHART_BINS_MAX];
};

/* The bins of n (>= 1) samples, in any order: 0, or -1 with a message. */
int		 chart_bins_make(const int64_t *v, size_t n,
		     struct chart_bins *b, struct errmsg *err);

/* A vertical line at x with its label ("as traded", "p5"). */
struct chart_marker {
	const char	*label;
	int64_t		 x;
};

struct chart_hist {
	const char			*title;
	const char			*xlabel, *ylabel;
	enum chart_unit			 unit;	/* COUNT or MONEY */
	const int64_t			*v;
	size_t				 n;		/* >= 1 */
	const struct chart_marker	*marker;
	int				 nmarker;	/* 0 .. 8 */
};

int		 chart_hist_write(FILE *f, const struct chart_hist *c,
		     struct errmsg *err);
int		 chart_hist_save(const char *path, const struct chart_hist *c,
		     struct errmsg *err);

/* ------------------------------------------------------------ bars */

#define CHART_BARS_MAX		64

/*
 * One bar per category, in the order given: v[i] cents under label[i],
 * above zero in green, below in red (zero always shown).  Each bar is a
 * <rect class="bar"> with its label and value as its title.
 */
struct chart_bar {
	const char		*title;
	const char		*xlabel, *ylabel;
	const char *const	*label;		/* n labels */
	const int64_t		*v;		/* n values, cents */
	size_t			 n;		/* 1 .. CHART_BARS_MAX */
	bool			 embed;		/* in HTML: no xmlns */
};

int		 chart_bar_write(FILE *f, const struct chart_bar *c,
		     struct errmsg *err);
int		 chart_bar_save(const char *path, const struct chart_bar *c,
		     struct errmsg *err);

/* ------------------------------------------------------------ scatter */

/* A point; alt draws it in the second colour (a losing trade). */
struct chart_point {
	int64_t		 x, y;		/* cents */
	bool		 alt;
};

/*
 * A dot per point, both axes money (zero always shown): each a <circle
 * class="point"> titled with its two values.
 */
struct chart_scatter {
	const char		*title;
	const char		*xlabel, *ylabel;
	const struct chart_point *p;
	size_t			 n;		/* >= 1 */
	bool			 embed;		/* in HTML: no xmlns */
};

int		 chart_scatter_write(FILE *f, const struct chart_scatter *c,
		     struct errmsg *err);
int		 chart_scatter_save(const char *path,
		     const struct chart_scatter *c, struct errmsg *err);

/* ------------------------------------------------------------ heat map */

#define CHART_GRID_MAX		200

/*
 * nx x ny cells, v[iy * nx + ix]; row 0 at the bottom.  A NaN cell is
 * drawn empty; the colour runs from the smallest value to the largest,
 * with a legend; values are printed with decimals places.
 */
struct chart_heat {
	const char		*title;
	const char		*xlabel, *ylabel, *vlabel;
	int			 nx, ny;	/* 1 .. CHART_GRID_MAX */
	const char *const	*xtick;		/* nx labels */
	const char *const	*ytick;		/* ny labels */
	const double		*v;
	int			 decimals;	/* 0 .. 6 */
};

int		 chart_heat_write(FILE *f, const struct chart_heat *c,
		     struct errmsg *err);
int		 chart_heat_save(const char *path, const struct chart_heat *c,
		     struct errmsg *err);

/*
 * s written escaped for XML (and HTML) text and attribute values: the five
 * entities, control characters as spaces.  NULL writes nothing.
 */
void		 chart_text(FILE *f, const char *s);

#endif
