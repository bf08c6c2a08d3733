/*
 * latency.c -- fixed-size log-bucket histograms of durations (latency.h).
 *
 * The engine keeps one per stage of an event and adds to it only when the
 * health.latency setting is on, right after reading the monotonic clock
 * around the stage; snapshots read quantiles out of it for `status` and
 * the /metrics endpoint.  Bucket b >= 4 covers [2^e + k 2^(e-2), 2^e +
 * (k+1) 2^(e-2)) with e = b / 4 + 1 and k = b % 4: four buckets per
 * doubling keep the relative error within 25% at any scale.
 */
#include <string.h>

#include "latency.h"

void
latency_reset(struct latency *l)
{
	memset(l, 0, sizeof *l);
}

int
latency_bucket(td_ns ns)
{
	uint64_t	 v = ns < 0 ? 0 : (uint64_t)ns;
	int		 e, b;

	if (v < 4)
		return (int)v;
	e = 63 - __builtin_clzll(v);		/* 2^e <= v < 2^(e+1) */
	b = 4 * (e - 1) + (int)((v >> (e - 2)) & 3);
	return b < LATENCY_BUCKETS ? b : LATENCY_BUCKETS - 1;
}

td_ns
latency_bucket_top(int b)
{
	int	 e, k;

	if (b < 4)
		return b + 1;
	e = b / 4 + 1;
	k = b % 4;
	return ((td_ns)1 << e) + (td_ns)(k + 1) * ((td_ns)1 << (e - 2));
}

void
latency_add(struct latency *l, td_ns ns)
{
	if (ns < 0)
		ns = 0;
	l->count++;
	l->sum += ns;
	if (ns > l->max)
		l->max = ns;
	l->bucket[latency_bucket(ns)]++;
}

td_ns
latency_quantile(const struct latency *l, double q)
{
	int64_t	 want, seen = 0;
	td_ns	 top;

	if (l->count == 0)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	/* The rank of the quantile, 1-based: the ceiling of q x count. */
	want = (int64_t)(q * (double)l->count);
	if ((double)want < q * (double)l->count)
		want++;
	if (want < 1)
		want = 1;
	for (int b = 0; b < LATENCY_BUCKETS; b++) {
		seen += l->bucket[b];
		if (seen >= want) {
			top = latency_bucket_top(b);
			return top < l->max ? top : l->max;
		}
	}
	return l->max;
}
