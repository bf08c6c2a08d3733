/*
 * latency.h -- a histogram of durations with a fixed size, for the
 * engine's per-stage timings (on_bar, risk, sizing, submit, whole event).
 *
 * Buckets are logarithmic: below 4 ns one per nanosecond, above that four
 * per power of two (4-5, 5-6, 6-7, 7-8 ns, then 8-10, 10-12, ...), up to
 * 2^40 ns (about 18 minutes); longer durations go to the last bucket.  A
 * quantile is the upper end of the bucket it falls in, so it is at most
 * 25% above the true value, and never above the exact maximum, which is
 * kept as well.  The histogram is a plain value inside its owner: adding
 * a duration is a few instructions, allocates nothing and never fails.
 */
#ifndef TD_LATENCY_H
#define TD_LATENCY_H

#include "types.h"

#define LATENCY_BUCKETS		160

struct latency {
	int64_t		 count;
	int64_t		 sum;		/* ns */
	td_ns		 max;
	int64_t		 bucket[LATENCY_BUCKETS];
};

/* Empty the histogram. */
void		 latency_reset(struct latency *l);
/* Count one duration in nanoseconds (negative ones count as 0). */
void		 latency_add(struct latency *l, td_ns ns);
/*
 * The duration below which a share q (0 to 1) of the counted ones fall:
 * the upper end of its bucket, capped at the maximum; 0 when empty.
 */
td_ns		 latency_quantile(const struct latency *l, double q);
/* The bucket of a duration and the upper end of a bucket (for tests). */
int		 latency_bucket(td_ns ns);
td_ns		 latency_bucket_top(int bucket);

#endif
