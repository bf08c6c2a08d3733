/*
 * feed-pipe.h -- a live feed: market data rows taken as they arrive from
 * a FIFO (a named pipe another program writes into) or from a file that
 * another program appends to (followed, as tail -f follows).
 *
 * Each source is one instrument's rows in any format the replay reader
 * knows (reader.h), found from the first data row; the rows go through
 * the same parser and the same order check as a replay.  Rows come out
 * in the order they arrive (sources are taken in turn) and the feed is
 * paced by arrival: when no whole line is there it answers FEED_AGAIN,
 * and its descriptor becomes readable when one may be.  A partial last
 * line waits for its newline.  A bad row gives "path:line: reason" (-1)
 * and is dropped; the next call goes on with the next row.
 *
 * A FIFO's writer may go and come back: a line it left unfinished is
 * dropped with a message, and the feed waits for the next writer.  A
 * followed file is read from its first row, then as it grows; it is
 * followed by its descriptor (a file renamed away is still read), and
 * when it shrinks (truncated) following it stops with a message.  The
 * feed never ends by itself while a source can still deliver.
 */
#ifndef TD_FEED_PIPE_H
#define TD_FEED_PIPE_H

#include <stdbool.h>

#include "reader.h"

struct feed;
struct instrument;

#define FEED_PIPE_MAX	8	/* sources, one per instrument */

struct feed_pipe_src {
	const char	*path;
	int		 inst;
	bool		 follow;	/* a growing file; else a FIFO */
};

/*
 * Open every source now (a FIFO without a writer yet is fine; a missing
 * file, a FIFO given with follow or a file without, two sources for one
 * instrument are not).  insts[i] gives the tick grid of instrument i.
 * The strings in src and opts must outlive the feed.  Free with
 * feed_free.
 */
struct feed	*feed_pipe_create(const struct feed_pipe_src *src, int n,
		     const struct reader_opts *opts,
		     const struct instrument *insts, int ninst,
		     struct errmsg *err);

/* Whether path names a FIFO (a named pipe). */
bool		 feed_pipe_is_fifo(const char *path);

#endif
