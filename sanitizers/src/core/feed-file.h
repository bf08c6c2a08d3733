/*
 * feed-file.h -- a feed that replays market data files.
 *
 * Each source is a file and the instrument its rows belong to.  The files
 * of one instrument are read one after the other and must continue each
 * other in time; the instruments are merged by the time each event becomes
 * known (a bar at its end, a tick at its time), ties going to the
 * instrument listed first.  Disorder across files follows the same policy
 * as inside a file (reader_opts.disorder).
 */
#ifndef TD_FEED_FILE_H
#define TD_FEED_FILE_H

#include "reader.h"

struct feed;
struct instrument;

struct feed_file_src {
	const char	*path;
	int		 inst;
};

/*
 * Open every source (so that a missing file fails now, not hours into a
 * replay).  insts[i] gives the tick grid of instrument i.  The strings in
 * src must outlive the feed.  Free with feed_free.
 */
struct feed	*feed_file_create(const struct feed_file_src *src, int n,
		     const struct reader_opts *opts,
		     const struct instrument *insts, int ninst,
		     struct errmsg *err);

/* Totals over the files read so far. */
void		 feed_file_stats(const struct feed *f, struct reader_stats *sum);

#endif
