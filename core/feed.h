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
 *
 * A feed over a link to a counterparty (FIX market data) says more: the
 * state of its link, when the counterparty last spoke, and the notices of
 * its session (logged on, lost, refused) for the log.  Feeds without a
 * link leave those NULL: always up, nothing to say.
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

/* The link of a feed that has one (feed_ops.conn). */
enum feed_conn {
	FEED_UP,		/* prices come */
	FEED_CONNECTING,	/* not up yet */
	FEED_LOST,		/* was up, is down: prices are stale */
};

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
	/* The link now; NULL: no link, always up. */
	enum feed_conn	(*conn)(void *ctx);
	/* When the counterparty last spoke (0: never); NULL: no link. */
	td_ns		(*heard)(void *ctx);
	/*
	 * 1 with a line for the log and its level (LOG_*) when the link has
	 * something to say (logged on, lost, a subscription refused), 0 when
	 * not.  Bad data is next's -1, never a notice.  NULL: never.
	 */
	int		(*notice)(void *ctx, int *level, char *buf, size_t len);
	/*
	 * How far a replay has read, for the console's slider: 1 with
	 * *done of *total (bytes of its files, days of the demo), 0 when
	 * it cannot tell.  NULL: never.
	 */
	int		(*progress)(void *ctx, int64_t *done, int64_t *total);
	/*
	 * Back to the first event, as created (a replay seeking back): 0,
	 * or -1 and a message when a file cannot be opened again.  NULL:
	 * the feed cannot go back (a live one).
	 */
	int		(*rewind)(void *ctx, struct errmsg *err);
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

static inline enum feed_conn
feed_conn(const struct feed *f)
{
	return f->ops->conn == NULL ? FEED_UP : f->ops->conn(f->ctx);
}

static inline td_ns
feed_heard(const struct feed *f)
{
	return f->ops->heard == NULL ? 0 : f->ops->heard(f->ctx);
}

static inline int
feed_notice(struct feed *f, int *level, char *buf, size_t len)
{
	return f->ops->notice == NULL ? 0 :
	    f->ops->notice(f->ctx, level, buf, len);
}

static inline int
feed_progress(struct feed *f, int64_t *done, int64_t *total)
{
	return f->ops->progress == NULL ? 0 :
	    f->ops->progress(f->ctx, done, total);
}

static inline bool
feed_can_rewind(const struct feed *f)
{
	return f->ops->rewind != NULL;
}

/* -1 and a message for a feed that cannot go back, as rewind fails. */
int	feed_rewind(struct feed *f, struct errmsg *err);

/* "up", "connecting", "lost"; "?" for anything else. */
static inline const char *
feed_conn_name(enum feed_conn c)
{
	static const char *const names[] = {
		[FEED_UP] = "up",
		[FEED_CONNECTING] = "connecting",
		[FEED_LOST] = "lost",
	};

	return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}

/* Free a feed and what it owns; NULL is fine. */
void	feed_free(struct feed *f);

#endif
