/*
 * feed.h -- where market data comes from: a table of functions and its
 * context.  A replay of files, the demo generator and a live feed (a pipe
 * or a file another program appends to) fill the same slot; the engine
 * cannot tell them apart.
 *
 * A replay has all its events at hand and returns them in time order; the
 * runner paces it by the simulated clock.  A live feed returns each event
 * as it arrives, and says FEED_AGAIN when nothing has: the runner asks
 * again when the feed's descriptor becomes readable (or at its next
 * turn, for a feed without one), and in the meantime serves commands and
 * the venue.  Each feed says what it delivers: its subscriptions, an
 * instrument and the kinds of data (ticks, bars) it has for it.
 */
#ifndef TD_FEED_H
#define TD_FEED_H

#include "types.h"

struct errmsg;

/* What feed_next returns besides 1 (an event), 0 (the end) and -1. */
#define FEED_AGAIN	2

/* The kinds of data of a subscription, as a mask. */
#define FEED_TICKS	0x1
#define FEED_BARS	0x2

struct feed_sub {
	int		 inst;		/* the engine's instrument index */
	unsigned	 data;		/* FEED_TICKS | FEED_BARS: both when
					   the first row is still to tell */
};

struct feed_ops {
	const char	*name;
	/*
	 * 1 and an event, 0 at the end, FEED_AGAIN when nothing is there
	 * now (a live feed only), -1 and a message on bad data.  After -1
	 * a replay has ended; a live feed goes on with its next row.
	 */
	int		(*next)(void *ctx, struct td_md *md, struct errmsg *err);
	/* Readable when next may have an event; NULL or -1: none. */
	int		(*fd)(void *ctx);
	/* Paced by arrival (a live feed); NULL: a replay. */
	bool		(*live)(void *ctx);
	/* Fill up to max subscriptions; returns how many there are. */
	int		(*subs)(void *ctx, struct feed_sub *out, int max);
	void		(*destroy)(void *ctx);
};

struct feed {
	const struct feed_ops	*ops;
	void			*ctx;
};

static inline int
feed_next(struct feed *f, struct td_md *md, struct errmsg *err)
{
	return f->ops->next(f->ctx, md, err);
}

static inline int
feed_fd(const struct feed *f)
{
	return f->ops->fd == NULL ? -1 : f->ops->fd(f->ctx);
}

static inline bool
feed_live(const struct feed *f)
{
	return f->ops->live != NULL && f->ops->live(f->ctx);
}

static inline int
feed_subs(const struct feed *f, struct feed_sub *out, int max)
{
	return f->ops->subs == NULL ? 0 : f->ops->subs(f->ctx, out, max);
}

/* Free a feed and what it owns; NULL is fine. */
void	feed_free(struct feed *f);

#endif
