/*
 * feed.h -- where market data comes from: a table of functions and its
 * context.  A replay of files, the demo generator and (later) a live feed
 * fill the same slot; the engine cannot tell them apart.  A feed returns
 * events in time order.
 */
#ifndef TD_FEED_H
#define TD_FEED_H

#include "types.h"

struct errmsg;

struct feed_ops {
	const char	*name;
	/* 1 and an event, 0 at the end, -1 and a message on bad data. */
	int		(*next)(void *ctx, struct td_md *md, struct errmsg *err);
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

/* Free a feed and what it owns; NULL is fine. */
void	feed_free(struct feed *f);

#endif
