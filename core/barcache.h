/*
 * barcache.h -- a binary cache of bars: parse a data file once, replay it
 * at memory speed.
 *
 * `tickdesk data import` reads market data files through the reader and
 * writes their bars to one cache file; a backtest maps the cache instead of
 * parsing text again.  The file is a 256-byte header and the bars as
 * struct td_bar records, in time order, on the tick grid of the instrument
 * the import used, then a table of 64-bit checksums, one per block of 1,024
 * bars.  The header says what the bars came from (the source's size and
 * modification time, the reader options, the tick size, the reader's
 * counters) and holds a checksum of itself and of the table, so a cache
 * that was cut short, bit-flipped, written by another version or another
 * byte order, or made with other options is refused with a message, never
 * replayed.
 *
 * barcache_open maps the file read-only and checks its size, its header
 * and the table: cheap, whatever the number of bars.  The bars are checked
 * block by block before any bar of a block is used: the block's checksum,
 * and every bar the way the reader checks a row (start before end, bars
 * strictly increasing, high and low enclosing open and close, volume not
 * negative, times within the reader's years).  The feed checks each block
 * as it reaches it, so a damaged block stops a replay with a message
 * before its first bar; barcache_bars checks what is left at once.
 * Nothing is allocated or parsed per bar.  A feed that owns its caches
 * reads their bars from the file into a buffer of its own (a file cut
 * short under it is a message); barcache_bars and borrowing feeds use
 * the mapping.
 *
 * A cache sits next to its source as SOURCE.tdc (BARCACHE_SUFFIX); the
 * backtest uses it when it is newer than the source, made from this very
 * source (same size and modification time) with the same reader options
 * and tick size, and valid.  Ticks are not cached, only bars.
 */
#ifndef TD_BARCACHE_H
#define TD_BARCACHE_H

#include <stddef.h>

#include "reader.h"

struct errmsg;
struct feed;
struct barcache;

#define BARCACHE_SUFFIX		".tdc"
#define BARCACHE_VERSION	2
#define BARCACHE_TZ_MAX		64

/* What a cache says about itself. */
struct barcache_info {
	int64_t			 bars;
	td_ns			 first;		/* start of the first bar */
	td_ns			 last;		/* start of the last bar */
	td_px			 tick_size;	/* grid of the prices, 0: td_px */
	enum reader_format	 format;	/* as asked (maybe auto) */
	enum reader_format	 detected;	/* of the first source */
	enum reader_stamp	 stamp;
	int			 bar_minutes;
	enum reader_disorder	 disorder;
	char			 tz[BARCACHE_TZ_MAX];	/* "" when none */
	int			 nsrc;		/* sources imported */
	int64_t			 src_size;	/* when nsrc is 1 */
	int64_t			 src_mtime;	/* ns since the epoch */
	struct reader_stats	 stats;		/* the reader's, summed */
};

/*
 * Read the n sources with the reader options o (o->instrument gives the
 * tick grid, NULL for td_px) and write their bars, one file after the other
 * (each must start after the previous one ends, as in a replay), to the
 * cache at out.  The cache is written to a temporary file next to out and
 * renamed into place, so out is either the old file or the whole new one.
 * info (may be NULL) receives the new cache's header.  -1 and a message on
 * a bad row (the reader's "path:line: reason"), tick data, no bars at all,
 * files out of order, or a write error.
 */
int		 barcache_import(const char *out, const char *const *src,
		     int n, const struct reader_opts *o,
		     struct barcache_info *info, struct errmsg *err);

/*
 * Map the cache at path and check its header and block table.  NULL and
 * "path: reason" when it cannot be read, is not a cache, has another
 * version, byte order, record or block size, is cut short or too long, or
 * fails the header's checksum.  Its bars are checked later, as they are
 * read (barcache_bars, the feed).  Close with barcache_close.
 */
struct barcache	*barcache_open(const char *path, struct errmsg *err);
void		 barcache_close(struct barcache *c);

/* The header; owned by c. */
const struct barcache_info *barcache_info(const struct barcache *c);

/*
 * The bars (n of them, in time order; owned by c), every block checked
 * first.  NULL and "path: bars A-B: checksum mismatch: the cache is
 * corrupt" or "path: bar K: reason" when one is damaged.  Once it has
 * returned the bars, c is not written again: threads may share them.
 */
const struct td_bar *barcache_bars(struct barcache *c, size_t *n,
		     struct errmsg *err);
const char	*barcache_path(const struct barcache *c);

/* SOURCE + BARCACHE_SUFFIX into buf; NULL when it does not fit. */
char		*barcache_name(const char *src, char *buf, size_t len);

/*
 * The cache that stands for src under options o, opened: SOURCE.tdc when
 * it exists, is not older than src, was made from src alone as it is now
 * (size and modification time), with the same options (format, time zone,
 * stamps, bar length, disorder policy) and tick grid, and passes
 * barcache_open.  NULL otherwise; then why says why not, or is "" when
 * there is simply no cache.
 */
struct barcache	*barcache_open_for(const char *src,
		     const struct reader_opts *o, struct errmsg *why);

/*
 * A feed over open caches: each source's cache (taken over by the feed,
 * which closes it, also on failure) replays for instrument inst; the
 * caches of one instrument follow each other in the order given, and the
 * instruments merge by the time each bar becomes known (its end), ties
 * going to the lower instrument index, as in feed-file.h.  Free with
 * feed_free.
 */
struct barcache_src {
	struct barcache	*cache;
	int		 inst;
};

struct feed	*barcache_feed_create(struct barcache_src *src, int n,
		     int ninst, struct errmsg *err);
/*
 * The same over caches the caller keeps open and closes after the feed
 * is freed: many feeds, in as many threads, may read one cache at once.
 * Such a feed checks each block it reaches that barcache_bars has not
 * checked, and writes nothing to the caches (barcache_bars must not run
 * on them meanwhile).
 */
struct feed	*barcache_feed_borrow(const struct barcache_src *src, int n,
		     int ninst, struct errmsg *err);

/*
 * Start a feed of caches at the first bar that starts at t or later, as
 * far as the checked bars tell (barcache_bars): checked caches wholly
 * before t are passed over and the first other one is searched; the rest
 * comes bar by bar as ever.  Only before the first feed_next, and only
 * where the caches join in order (else the feed stays as it is, so that
 * the joins are checked as usual).  The feed may still hand out bars
 * before t: the caller's filter stays.
 */
void		 barcache_feed_from(struct feed *f, td_ns t);

/* The reader's counters of the caches' imports, summed. */
void		 barcache_feed_stats(const struct feed *f,
		     struct reader_stats *sum);

#endif
