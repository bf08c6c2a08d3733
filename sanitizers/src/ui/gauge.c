/*
 * gauge.c -- gauge levels and fill, in integers.
 *
 * used * 100 could overflow for money in cents near INT64_MAX, so the
 * comparisons go through __int128; a risk limit is never that large, but a
 * corrupt snapshot must not make the console lie about a breach.
 */
#include "gauge.h"

typedef __int128	gauge_wide;

enum gauge_level
gauge_level(int64_t used, int64_t limit)
{
	gauge_wide	 u = used < 0 ? 0 : used, lim = limit;

	if (limit <= 0)
		return GAUGE_OFF;
	if (u * 100 >= lim * GAUGE_BREACH_PERCENT)
		return GAUGE_BREACH;
	if (u * 100 >= lim * GAUGE_WARN_PERCENT)
		return GAUGE_WARN;
	return GAUGE_OK;
}

int
gauge_percent(int64_t used, int64_t limit)
{
	gauge_wide	 u = used < 0 ? 0 : used, p;

	if (limit <= 0)
		return 0;
	p = u * 100 / limit;
	return p > 999 ? 999 : (int)p;
}

int
gauge_fill(int64_t used, int64_t limit, int width)
{
	gauge_wide	 u = used < 0 ? 0 : used, n;

	if (limit <= 0 || width <= 0)
		return 0;
	if (u >= limit)
		return width;
	n = u * width / limit;
	if (n == 0 && u > 0)
		n = 1;
	/* A full bar must mean a breach: stop one short below the limit. */
	if (n >= width)
		n = width - 1;
	return (int)n;
}
