/*
 * feed-demo.c -- the demo generator behind the feed interface (see
 * feed-demo.h).  It owns the generator.
 */
#include <stdlib.h>

#include "errmsg.h"
#include "feed-demo.h"
#include "feed.h"

struct feed_demo {
	struct feed	 feed;
	struct demo	*demo;
	int		 inst;
};

static int
fd_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct feed_demo	*fd = ctx;

	return demo_next(fd->demo, md);
}

/* Trade ticks of the one instrument it generates. */
static int
fd_subs(void *ctx, struct feed_sub *out, int max)
{
	struct feed_demo	*fd = ctx;

	if (max > 0)
		out[0] = (struct feed_sub){ .inst = fd->inst,
		    .data = FEED_TICKS };
	return 1;
}

static void
fd_destroy(void *ctx)
{
	struct feed_demo	*fd = ctx;

	demo_free(fd->demo);
	free(fd);
}

static const struct feed_ops feed_demo_ops = {
	.name = "demo",
	.next = fd_next,
	.subs = fd_subs,
	.destroy = fd_destroy,
};

struct feed *
feed_demo_create(const struct demo_cfg *cfg, struct errmsg *err)
{
	struct feed_demo	*fd;

	if ((fd = calloc(1, sizeof *fd)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	if ((fd->demo = demo_create(cfg, err)) == NULL) {
		free(fd);
		return NULL;
	}
	fd->inst = cfg->inst;
	fd->feed.ops = &feed_demo_ops;
	fd->feed.ctx = fd;
	return &fd->feed;
}
