/*
 * feed-demo.h -- a feed from the demo generator: ES-like trade ticks for
 * regular sessions, deterministic for a seed.  The same generator backs
 * `tickdesk generate`, the demo backtest and tests that must run anywhere.
 */
#ifndef TD_FEED_DEMO_H
#define TD_FEED_DEMO_H

#include "demo.h"

struct feed;

/*
 * Free with feed_free.  cfg is copied; its instrument and zone must
 * outlive the feed (a rewind makes the generator again from them).
 */
struct feed	*feed_demo_create(const struct demo_cfg *cfg,
		     struct errmsg *err);

#endif
