/*
 * barcache.c -- the binary bar cache and a feed over it (see barcache.h).
 *
 * A cache owns one read-only mapping of its file.  The layout is a 256-byte
 * header, the bars as struct td_bar, in the byte order of the machine that
 * wrote them (the header's endian mark tells), and a table of checksums,
 * one per block of BC_CHUNK bars.  A block's checksum (bc_block_sum) is
 * eight lanes of sums and 32x32-bit products over the block, put through
 * a 64-bit hash in the manner of XXH64 (four multiply-rotate lanes over
 * 32-byte stripes, then an avalanche) seeded with the block's number; the
 * header's is that hash of the header with its checksum field zero,
 * seeded with the hash of the table.  The writer sums blocks as it writes
 * them and fills the header last.
 * Opening checks the header and the table only; a block is hashed and its
 * bars checked when it is first reached, while it is still in the CPU's
 * cache for the replay that follows, rather than in a pass of its own
 * over the whole file before the replay starts.  The blocks barcache_bars
 * checks in the mapping are a prefix of the bars (good).
 *
 * The feed is the replay side: it hands out the caches' bars in order
 * with a copy each, merging instruments the way feed-file.c does.  A feed
 * that owns its caches (a backtest) reads each instrument's blocks with
 * pread into a buffer of its own, BC_READ bars at a time, and checks them
 * there; the mapping is for barcache_bars and for the feeds that borrow
 * a cache many threads share (an optimisation), which check the mapped
 * blocks barcache_bars has not.  Nothing is allocated after the feed is
 * made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "barcache.h"
#include "errmsg.h"
#include "feed.h"
#include "instrument.h"
#include "tz.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define BC_MAGIC	"TDBARS\0\0"
#define BC_ENDIAN	0x01020304u
#define BC_HDR_SIZE	256
#define BC_CHUNK	1024		/* bars per write and per check */
#define BC_MAX_INST	8
#define BC_SHOW		40
#define BC_READ		(4 * BC_CHUNK)	/* bars per read of a feed */

/* The header as it is on disk: fixed-size fields, no implicit padding. */
struct bc_hdr {
	char		 magic[8];
	uint32_t	 version;
	uint32_t	 hdr_size;
	uint32_t	 rec_size;
	uint32_t	 endian;
	uint64_t	 count;
	uint64_t	 checksum;
	int64_t		 first;
	int64_t		 last;
	int64_t		 tick_size;
	int32_t		 format;
	int32_t		 detected;
	int32_t		 stamp;
	int32_t		 bar_minutes;
	int32_t		 disorder;
	int32_t		 nsrc;
	int64_t		 src_size;
	int64_t		 src_mtime;
	int64_t		 rows;
	int64_t		 events;
	int64_t		 skipped_disorder;
	int64_t		 skipped_header;
	int64_t		 skipped_flagged;
	char		 tz[BARCACHE_TZ_MAX];
	uint32_t	 block_bars;	/* bars per checksummed block */
	uint8_t		 reserved[44];
};

_Static_assert(sizeof(struct bc_hdr) == BC_HDR_SIZE, "cache header size");
_Static_assert(sizeof(struct td_bar) == 56, "bar record size");
_Static_assert(BC_CHUNK * sizeof(struct td_bar) % 32 == 0, "chunk stripes");

struct barcache {
	char			*path;
	int			 fd;		/* open for the feed's reads */
	void			*map;
	size_t			 size;
	const struct td_bar	*bars;
	size_t			 n;
	const uint64_t		*sums;		/* a checksum per block */
	size_t			 good;		/* bars checked, a prefix */
	struct barcache_info	 info;
};

/* ------------------------------------------------------------ checksum */

#define P1	0x9e3779b185ebca87ULL
#define P2	0xc2b2ae3d27d4eb4fULL
#define P3	0x165667b19e3779f9ULL
#define P4	0x85ebca77c2b2ae63ULL
#define P5	0x27d4eb2f165667c5ULL

struct bc_hash {
	uint64_t	 v[4];
	uint64_t	 seed;
	uint64_t	 total;
};

static inline uint64_t
bc_rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t
bc_load64(const unsigned char *p)
{
	uint64_t	 v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint64_t
bc_round(uint64_t acc, uint64_t in)
{
	acc += in * P2;
	return bc_rotl(acc, 31) * P1;
}

static void
bc_hash_init(struct bc_hash *h, uint64_t seed)
{
	h->v[0] = seed + P1 + P2;
	h->v[1] = seed + P2;
	h->v[2] = seed;
	h->v[3] = seed - P1;
	h->seed = seed;
	h->total = 0;
}

/* Whole 32-byte stripes only: n must be a multiple of 32. */
static void
bc_hash_stripes(struct bc_hash *h, const void *data, size_t n)
{
	const unsigned char	*p = data, *end = p + n;
	uint64_t		 v0 = h->v[0], v1 = h->v[1];
	uint64_t		 v2 = h->v[2], v3 = h->v[3];

	for (; p < end; p += 32) {
		v0 = bc_round(v0, bc_load64(p));
		v1 = bc_round(v1, bc_load64(p + 8));
		v2 = bc_round(v2, bc_load64(p + 16));
		v3 = bc_round(v3, bc_load64(p + 24));
	}
	h->v[0] = v0;
	h->v[1] = v1;
	h->v[2] = v2;
	h->v[3] = v3;
	h->total += n;
}

/* The last (fewer than 32) bytes and the avalanche. */
static uint64_t
bc_hash_final(const struct bc_hash *h, const void *data, size_t n)
{
	const unsigned char	*p = data;
	uint64_t		 x;
	uint32_t		 w;

	if (h->total >= 32) {
		x = bc_rotl(h->v[0], 1) + bc_rotl(h->v[1], 7) +
		    bc_rotl(h->v[2], 12) + bc_rotl(h->v[3], 18);
		for (int i = 0; i < 4; i++) {
			x ^= bc_round(0, h->v[i]);
			x = x * P1 + P4;
		}
	} else
		x = h->seed + P5;
	x += h->total + n;
	for (; n >= 8; n -= 8, p += 8) {
		x ^= bc_round(0, bc_load64(p));
		x = bc_rotl(x, 27) * P1 + P4;
	}
	if (n >= 4) {
		memcpy(&w, p, sizeof w);
		x ^= (uint64_t)w * P1;
		x = bc_rotl(x, 23) * P2 + P3;
		n -= 4;
		p += 4;
	}
	for (; n > 0; n--, p++) {
		x ^= (uint64_t)*p * P5;
		x = bc_rotl(x, 11) * P1;
	}
	x ^= x >> 33;
	x *= P2;
	x ^= x >> 29;
	x *= P3;
	x ^= x >> 32;
	return x;
}

/* Hash a whole buffer in one go. */
static uint64_t
bc_hash(const void *data, size_t n, uint64_t seed)
{
	struct bc_hash	 h;
	size_t		 whole = n & ~(size_t)31;

	bc_hash_init(&h, seed);
	bc_hash_stripes(&h, data, whole);
	return bc_hash_final(&h, (const unsigned char *)data + whole,
	    n - whole);
}

/*
 * A block's checksum, made to be cheap enough to take on every replay:
 * eight independent 64-bit lanes over 64-byte stripes, each word added to
 * one lane and its halves, mixed with a key, multiplied into the next (in
 * the manner of XXH3's accumulator: 32x32-bit multiplies).  A flipped bit
 * changes the sum in its lane by a power of two that the other lanes
 * cannot undo.  The lanes then go through bc_hash with the block's number
 * as the seed, so blocks cannot trade places unnoticed.  n must be a
 * multiple of 8: whole records.
 *
 * The stripes take pairs of lanes at once where SSE2 is there (every
 * x86-64): lanes k and k^1 sit in one vector, the words swapped for the
 * sums and the multiplies of 32-bit halves done by pmuludq -- the same
 * arithmetic modulo 2^64, so the same checksum as the plain loop
 * (bc_lanes_plain), which the other machines run.
 */
static const uint64_t	 bc_key[8] = { P1, P2, P3, P4, P5,
    P1 ^ P3, P2 ^ P4, P3 ^ P5 };

/* The stripes of words, one lane at a time; the words done. */
#ifndef __SSE2__
static size_t
bc_lanes_plain(uint64_t acc[8], const unsigned char *p, size_t words)
{
	uint64_t	 w, x;
	size_t		 i, k;

	for (i = 0; i + 8 <= words; i += 8) {
		for (k = 0; k < 8; k++) {
			w = bc_load64(p + 8 * (i + k));
			x = w ^ bc_key[k];
			acc[k ^ 1] += w;
			acc[k] += (x & 0xffffffffu) * (x >> 32);
		}
	}
	return i;
}
#define bc_lanes	bc_lanes_plain
#else
/* Lanes k and k^1 in a over the two words at p. */
static inline __m128i
bc_pair(__m128i a, __m128i key, const unsigned char *p)
{
	__m128i	 w = _mm_loadu_si128((const __m128i *)p);
	__m128i	 x = _mm_xor_si128(w, key);

	a = _mm_add_epi64(a, _mm_shuffle_epi32(w, _MM_SHUFFLE(1, 0, 3, 2)));
	return _mm_add_epi64(a, _mm_mul_epu32(x, _mm_srli_epi64(x, 32)));
}

static size_t
bc_lanes(uint64_t acc[8], const unsigned char *p, size_t words)
{
	__m128i		 a[4], key[4];
	size_t		 i;
	int		 k;

	for (k = 0; k < 4; k++) {
		a[k] = _mm_loadu_si128((const __m128i *)(acc + 2 * k));
		key[k] = _mm_loadu_si128((const __m128i *)(bc_key + 2 * k));
	}
	for (i = 0; i + 8 <= words; i += 8, p += 64) {
		a[0] = bc_pair(a[0], key[0], p);
		a[1] = bc_pair(a[1], key[1], p + 16);
		a[2] = bc_pair(a[2], key[2], p + 32);
		a[3] = bc_pair(a[3], key[3], p + 48);
	}
	for (k = 0; k < 4; k++)
		_mm_storeu_si128((__m128i *)(acc + 2 * k), a[k]);
	return i;
}
#endif

static uint64_t
bc_block_sum(const void *data, size_t n, uint64_t block)
{
	const unsigned char	*p = data;
	uint64_t		 acc[8] = { P3, P1, P2, P4, P5, P1, P2, P3 };
	uint64_t		 w, x;
	size_t			 i, k, words = n / 8;

	/* Whole stripes, then the words left, lane by lane. */
	i = bc_lanes(acc, p, words);
	for (k = 0; i < words; i++, k++) {
		w = bc_load64(p + 8 * i);
		x = w ^ bc_key[k];
		acc[k ^ 1] += w;
		acc[k] += (x & 0xffffffffu) * (x >> 32);
	}
	return bc_hash(acc, sizeof acc, block ^ (uint64_t)n);
}

/* The header's part: its bytes with the checksum zero, seeded. */
static uint64_t
bc_hdr_hash(const struct bc_hdr *hdr, uint64_t records)
{
	struct bc_hdr	 h = *hdr;

	h.checksum = 0;
	return bc_hash(&h, sizeof h, records);
}

/* ------------------------------------------------------------ checks */

/* The longest bar the reader makes: a month. */
#define BC_BAR_MAX	(31 * TD_NS_PER_DAY)

/* The reader's years, 1700 to 2260, as the range of a bar's start. */
struct bc_range {
	td_ns		 lo;
	td_ns		 hi;
};

static void
bc_range_init(struct bc_range *r)
{
	r->lo = tz_days_from_civil(1700, 1, 1) * TD_NS_PER_DAY;
	r->hi = tz_days_from_civil(2261, 1, 1) * TD_NS_PER_DAY;
}

/*
 * One bar as the reader would have let it through; prev is the start of
 * the bar before (INT64_MIN for none).  NULL, or what is wrong.
 */
static const char *
bc_bad_bar(const struct td_bar *b, td_ns prev, const struct bc_range *r)
{
	if (b->start < r->lo || b->start >= r->hi)
		return "start out of range";
	/* start is in range, so start + a month cannot overflow. */
	if (b->end <= b->start || b->end > b->start + BC_BAR_MAX)
		return "end not after start";
	if (b->start <= prev)
		return "not after the bar before";
	if (b->high < b->open || b->high < b->close)
		return "high below open or close";
	if (b->low > b->open || b->low > b->close)
		return "low above open or close";
	if (b->volume < 0)
		return "negative volume";
	return NULL;
}

static void
bc_info_from(struct barcache_info *in, const struct bc_hdr *h)
{
	memset(in, 0, sizeof *in);
	in->bars = (int64_t)h->count;
	in->first = h->first;
	in->last = h->last;
	in->tick_size = h->tick_size;
	in->format = (enum reader_format)h->format;
	in->detected = (enum reader_format)h->detected;
	in->stamp = (enum reader_stamp)h->stamp;
	in->bar_minutes = h->bar_minutes;
	in->disorder = (enum reader_disorder)h->disorder;
	memcpy(in->tz, h->tz, sizeof in->tz);
	in->tz[sizeof in->tz - 1] = '\0';
	in->nsrc = h->nsrc;
	in->src_size = h->src_size;
	in->src_mtime = h->src_mtime;
	in->stats.rows = h->rows;
	in->stats.events = h->events;
	in->stats.skipped_disorder = h->skipped_disorder;
	in->stats.skipped_header = h->skipped_header;
	in->stats.skipped_flagged = h->skipped_flagged;
}

/* ------------------------------------------------------------ writing */

struct bc_writer {
	const char		*out;
	char			*tmp;
	int			 fd;
	struct td_bar		*buf;		/* BC_CHUNK bars */
	size_t			 nbuf;
	uint64_t		*sums;		/* a checksum per block */
	size_t			 nsums;
	size_t			 cap;
	struct bc_hdr		 hdr;
	bool			 has_last;
};


static int
bc_write_all(int fd, const void *p, size_t n, off_t at)
{
	const char	*s = p;
	ssize_t		 got;

	while (n > 0) {
		got = at < 0 ? write(fd, s, n) : pwrite(fd, s, n, at);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		s += got;
		n -= (size_t)got;
		if (at >= 0)
			at += got;
	}
	return 0;
}

/*
 * Write the buffered bars (a whole block, or the last part) and keep
 * their checksum, seeded with the block's number so that blocks cannot
 * trade places unnoticed.
 */
static int
bc_flush(struct bc_writer *w, struct errmsg *err)
{
	size_t		 bytes = w->nbuf * sizeof *w->buf;
	uint64_t	*p;

	if (w->nbuf == 0)
		return 0;
	if (bc_write_all(w->fd, w->buf, bytes, -1) == -1)
		return errmsg_sys(err, w->tmp, "write error");
	if (w->nsums == w->cap) {
		w->cap = w->cap == 0 ? 64 : 2 * w->cap;
		if ((p = realloc(w->sums, w->cap * sizeof *p)) == NULL)
			return errmsg_set(err, "%s: out of memory", w->out);
		w->sums = p;
	}
	w->sums[w->nsums] = bc_block_sum(w->buf, bytes, w->nsums);
	w->nsums++;
	return 0;
}

static int
bc_add(struct bc_writer *w, const struct td_bar *b, struct errmsg *err)
{
	if (w->nbuf == BC_CHUNK) {
		w->nbuf = 0;	/* already written by the flush before */
	}
	w->buf[w->nbuf++] = *b;
	if (!w->has_last)
		w->hdr.first = b->start;
	w->hdr.last = b->start;
	w->has_last = true;
	w->hdr.count++;
	if (w->nbuf == BC_CHUNK)
		return bc_flush(w, err);
	return 0;
}

/* One source file into the cache being written. */
static int
bc_import_one(struct bc_writer *w, const char *src, int first,
    const struct reader_opts *o, struct errmsg *err)
{
	struct reader			*r;
	const struct reader_stats	*st;
	struct td_md			 md;
	int				 rc;

	if ((r = reader_open(src, o, err)) == NULL)
		return -1;
	if (first)
		w->hdr.detected = (int32_t)reader_format_get(r);
	while ((rc = reader_next(r, &md, err)) == 1) {
		if (md.kind != TD_MD_BAR) {
			errmsg_set(err, "%s: tick data cannot be cached, only "
			    "bars", src);
			rc = -1;
			break;
		}
		if (w->has_last && md.bar.start <= w->hdr.last) {
			if (o->disorder == READER_SKIP) {
				w->hdr.skipped_disorder++;
				continue;
			}
			errmsg_set(err, "%s: first row is not after the end of "
			    "the previous file", src);
			rc = -1;
			break;
		}
		if (bc_add(w, &md.bar, err) == -1) {
			rc = -1;
			break;
		}
	}
	st = reader_stats(r);
	w->hdr.rows += st->rows;
	w->hdr.events += st->events;
	w->hdr.skipped_disorder += st->skipped_disorder;
	w->hdr.skipped_header += st->skipped_header;
	w->hdr.skipped_flagged += st->skipped_flagged;
	reader_close(r);
	return rc == -1 ? -1 : 0;
}

/* The last part of a block, the table of block checksums, the header. */
static int
bc_finish(struct bc_writer *w, struct errmsg *err)
{
	size_t		 table;

	if (w->nbuf < BC_CHUNK && bc_flush(w, err) == -1)
		return -1;
	table = w->nsums * sizeof *w->sums;
	if (bc_write_all(w->fd, w->sums, table, -1) == -1)
		return errmsg_sys(err, w->tmp, "write error");
	w->hdr.checksum = bc_hdr_hash(&w->hdr, bc_hash(w->sums, table, 0));
	if (bc_write_all(w->fd, &w->hdr, sizeof w->hdr, 0) == -1)
		return errmsg_sys(err, w->tmp, "write error");
	if (fsync(w->fd) == -1)
		return errmsg_sys(err, w->tmp, "fsync");
	if (close(w->fd) == -1) {
		w->fd = -1;
		return errmsg_sys(err, w->tmp, "close");
	}
	w->fd = -1;
	if (rename(w->tmp, w->out) == -1)
		return errmsg_sys(err, w->out, "rename");
	return 0;
}

int
barcache_import(const char *out, const char *const *src, int n,
    const struct reader_opts *o, struct barcache_info *info,
    struct errmsg *err)
{
	struct bc_writer	 w;
	struct stat		 sb;
	size_t			 len;
	int			 rc = -1;

	memset(&w, 0, sizeof w);
	w.fd = -1;
	w.out = out;
	if (n < 1)
		return errmsg_set(err, "%s: no source files", out);
	if (o->tz != NULL && strlen(o->tz) >= BARCACHE_TZ_MAX)
		return errmsg_set(err, "%s: time zone name too long", out);
	len = strlen(out) + 32;
	if ((w.tmp = malloc(len)) == NULL ||
	    (w.buf = malloc(BC_CHUNK * sizeof *w.buf)) == NULL) {
		errmsg_set(err, "%s: out of memory", out);
		goto out;
	}
	/* A name of our own next to out (mkstemp would ignore the umask). */
	snprintf(w.tmp, len, "%s.%ld.tmp", out, (long)getpid());
	if ((w.fd = open(w.tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) == -1) {
		errmsg_sys(err, w.tmp, NULL);
		w.tmp[0] = '\0';	/* not ours: never unlink it */
		goto out;
	}
	memcpy(w.hdr.magic, BC_MAGIC, sizeof w.hdr.magic);
	w.hdr.version = BARCACHE_VERSION;
	w.hdr.hdr_size = BC_HDR_SIZE;
	w.hdr.rec_size = sizeof(struct td_bar);
	w.hdr.endian = BC_ENDIAN;
	w.hdr.block_bars = BC_CHUNK;
	w.hdr.tick_size = o->instrument != NULL ? o->instrument->tick_size : 0;
	w.hdr.format = (int32_t)o->format;
	w.hdr.stamp = (int32_t)o->stamp;
	w.hdr.bar_minutes = o->bar_minutes;
	w.hdr.disorder = (int32_t)o->disorder;
	w.hdr.nsrc = n;
	if (o->tz != NULL)
		memcpy(w.hdr.tz, o->tz, strlen(o->tz));
	if (n == 1) {
		if (stat(src[0], &sb) == -1) {
			errmsg_sys(err, src[0], NULL);
			goto out;
		}
		w.hdr.src_size = (int64_t)sb.st_size;
		w.hdr.src_mtime = (int64_t)sb.st_mtim.tv_sec * TD_NS_PER_SEC +
		    sb.st_mtim.tv_nsec;
	}
	if (bc_write_all(w.fd, &w.hdr, sizeof w.hdr, -1) == -1) {
		errmsg_sys(err, w.tmp, "write error");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (bc_import_one(&w, src[i], i == 0, o, err) == -1)
			goto out;
	}
	if (w.hdr.count == 0) {
		errmsg_set(err, "%s: no bars to cache", src[n - 1]);
		goto out;
	}
	if (bc_finish(&w, err) == -1)
		goto out;
	if (info != NULL)
		bc_info_from(info, &w.hdr);
	rc = 0;

out:
	if (w.fd != -1)
		close(w.fd);
	if (rc == -1 && w.tmp != NULL && w.tmp[0] != '\0')
		unlink(w.tmp);
	free(w.sums);
	free(w.buf);
	free(w.tmp);
	return rc;
}

/* ------------------------------------------------------------ reading */

/* Blocks of the cache, the last one maybe partial. */
static size_t
bc_blocks(size_t n)
{
	return n / BC_CHUNK + (n % BC_CHUNK != 0);
}

/*
 * Check the block that starts at bar first, whose bars are at blk (in the
 * mapping or a copy read from the file), prev the start of the bar before
 * it (INT64_MIN for none): each bar as the reader would have let it
 * through, against the bar before it (a bad bar is named, checksum or
 * not), then the block's checksum; its end in *endp.  -1 and "path: bar K:
 * reason" or "path: bars A-B: checksum mismatch..." when damaged.  Writes
 * nothing to c.
 */
static int
bc_check_block(const struct barcache *c, const struct td_bar *blk,
    size_t first, td_ns prev, size_t *endp, struct errmsg *err)
{
	struct bc_range	 range;
	const char	*why;
	size_t		 k = first / BC_CHUNK, i, n;

	n = c->n - first > BC_CHUNK ? BC_CHUNK : c->n - first;
	bc_range_init(&range);
	for (i = 0; i < n; i++) {
		if ((why = bc_bad_bar(&blk[i], prev, &range)) != NULL)
			return errmsg_set(err, "%s: bar %zu: %s", c->path,
			    first + i + 1, why);
		prev = blk[i].start;
	}
	if (bc_block_sum(blk, n * sizeof *blk, k) != c->sums[k])
		return errmsg_set(err, "%s: bars %zu-%zu: checksum mismatch: "
		    "the cache is corrupt", c->path, first + 1, first + n);
	if ((first == 0 && blk[0].start != c->info.first) ||
	    (first + n == c->n && blk[n - 1].start != c->info.last))
		return errmsg_set(err, "%s: bad bar cache header", c->path);
	*endp = first + n;
	return 0;
}

/*
 * The header alone, and the table of block checksums it covers: the bars
 * themselves are checked block by block as they are first read.
 */
static int
bc_check(struct barcache *c, struct errmsg *err)
{
	struct bc_hdr	 hdr;
	size_t		 nblk, bars;

	if (c->size < sizeof hdr)
		return errmsg_set(err, "%s: not a bar cache (too short)",
		    c->path);
	memcpy(&hdr, c->map, sizeof hdr);
	if (memcmp(hdr.magic, BC_MAGIC, sizeof hdr.magic) != 0)
		return errmsg_set(err, "%s: not a bar cache", c->path);
	if (hdr.endian != BC_ENDIAN)
		return errmsg_set(err, "%s: bar cache of another byte order",
		    c->path);
	if (hdr.version != BARCACHE_VERSION)
		return errmsg_set(err, "%s: bar cache version %u, this "
		    "tickdesk reads version %d", c->path, hdr.version,
		    BARCACHE_VERSION);
	if (hdr.hdr_size != BC_HDR_SIZE ||
	    hdr.rec_size != sizeof(struct td_bar) ||
	    hdr.block_bars != BC_CHUNK)
		return errmsg_set(err, "%s: bar cache with a header of %u, "
		    "records of %u bytes and blocks of %u bars", c->path,
		    hdr.hdr_size, hdr.rec_size, hdr.block_bars);
	/* Each bar takes a record and at least 1/BC_CHUNK of a checksum. */
	bars = (c->size - BC_HDR_SIZE) / sizeof(struct td_bar);
	nblk = hdr.count <= bars ? bc_blocks((size_t)hdr.count) : 0;
	if (hdr.count > bars || c->size != BC_HDR_SIZE +
	    hdr.count * sizeof(struct td_bar) + nblk * sizeof(uint64_t))
		return errmsg_set(err, "%s: %zu bytes do not hold %llu bars: "
		    "cut short or too long", c->path, c->size,
		    (unsigned long long)hdr.count);
	c->bars = (const struct td_bar *)((const char *)c->map + BC_HDR_SIZE);
	c->n = (size_t)hdr.count;
	c->sums = (const uint64_t *)(c->bars + c->n);
	if (hdr.nsrc < 1 || hdr.format < READER_AUTO ||
	    hdr.format > READER_LEAN_TICK || hdr.detected < READER_AUTO ||
	    hdr.detected > READER_LEAN_TICK)
		return errmsg_set(err, "%s: bad bar cache header", c->path);
	if (bc_hdr_hash(&hdr, bc_hash(c->sums, nblk * sizeof *c->sums, 0)) !=
	    hdr.checksum)
		return errmsg_set(err, "%s: checksum mismatch: the cache is "
		    "corrupt", c->path);
	/* The header's first and last bars are checked with their blocks. */
	if (c->n == 0)
		return errmsg_set(err, "%s: bad bar cache header", c->path);
	bc_info_from(&c->info, &hdr);
	return 0;
}

struct barcache *
barcache_open(const char *path, struct errmsg *err)
{
	struct barcache	*c;
	struct stat	 sb;
	int		 fd;

	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->path = strdup(path)) == NULL) {
		free(c);
		errmsg_set(err, "%s: out of memory", path);
		return NULL;
	}
	c->fd = -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		errmsg_sys(err, path, NULL);
		goto fail;
	}
	if (fstat(fd, &sb) == -1) {
		errmsg_sys(err, path, NULL);
		close(fd);
		goto fail;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size < BC_HDR_SIZE) {
		close(fd);
		errmsg_set(err, "%s: not a bar cache (too short)", path);
		goto fail;
	}
	c->size = (size_t)sb.st_size;
	c->fd = fd;
	c->map = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		errmsg_sys(err, path, "mmap");
		goto fail;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (bc_check(c, err) == -1)
		goto fail;
	return c;

fail:
	barcache_close(c);
	return NULL;
}

void
barcache_close(struct barcache *c)
{
	if (c == NULL)
		return;
	if (c->map != NULL)
		munmap(c->map, c->size);
	if (c->fd != -1)
		close(c->fd);
	free(c->path);
	free(c);
}

const struct barcache_info *
barcache_info(const struct barcache *c)
{
	return &c->info;
}

const struct td_bar *
barcache_bars(struct barcache *c, size_t *n, struct errmsg *err)
{
	td_ns	 prev;

	/* One call maps every page in, rather than a fault each. */
#ifdef MADV_POPULATE_READ
	if (c->good < c->n)
		(void)madvise(c->map, c->size, MADV_POPULATE_READ);
#endif
	while (c->good < c->n) {
		prev = c->good == 0 ? INT64_MIN : c->bars[c->good - 1].start;
		if (bc_check_block(c, c->bars + c->good, c->good, prev,
		    &c->good, err) == -1)
			return NULL;
	}
	*n = c->n;
	return c->bars;
}

const char *
barcache_path(const struct barcache *c)
{
	return c->path;
}

char *
barcache_name(const char *src, char *buf, size_t len)
{
	int	 n = snprintf(buf, len, "%s%s", src, BARCACHE_SUFFIX);

	return n < 0 || (size_t)n >= len ? NULL : buf;
}

/* Would a reader with options o read src to exactly these bars? */
static const char *
bc_mismatch(const struct barcache_info *in, const struct reader_opts *o)
{
	td_px	 tick = o->instrument != NULL ? o->instrument->tick_size : 0;

	if (in->tick_size != tick)
		return "made for another tick size";
	if (in->format != o->format || in->stamp != o->stamp ||
	    in->bar_minutes != o->bar_minutes ||
	    in->disorder != o->disorder ||
	    strcmp(in->tz, o->tz != NULL ? o->tz : "") != 0)
		return "made with other reader options";
	return NULL;
}

/*
 * The header alone, for a cheap look before the whole file is mapped and
 * checked: 0 when it reads as a header of this version.
 */
static int
bc_peek(const char *path, struct barcache_info *in)
{
	struct bc_hdr	 hdr;
	ssize_t		 got;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	got = pread(fd, &hdr, sizeof hdr, 0);
	close(fd);
	if (got != (ssize_t)sizeof hdr ||
	    memcmp(hdr.magic, BC_MAGIC, sizeof hdr.magic) != 0 ||
	    hdr.endian != BC_ENDIAN || hdr.version != BARCACHE_VERSION)
		return -1;
	bc_info_from(in, &hdr);
	return 0;
}

/* Was the cache made from src as it is now, with these options? */
static const char *
bc_stale(const struct barcache_info *in, const struct stat *ss,
    const struct reader_opts *o)
{
	int64_t	 smtime = (int64_t)ss->st_mtim.tv_sec * TD_NS_PER_SEC +
	    ss->st_mtim.tv_nsec;

	if (in->nsrc != 1 || in->src_size != (int64_t)ss->st_size ||
	    in->src_mtime != smtime)
		return "made from another version of the file";
	return bc_mismatch(in, o);
}

struct barcache *
barcache_open_for(const char *src, const struct reader_opts *o,
    struct errmsg *why)
{
	struct barcache		*c;
	struct barcache_info	 peek;
	struct stat		 ss, cs;
	char			 name[4096];
	const char		*bad;

	if (why != NULL)
		why->msg[0] = '\0';
	if (barcache_name(src, name, sizeof name) == NULL ||
	    stat(name, &cs) == -1)
		return NULL;
	if (stat(src, &ss) == -1) {
		errmsg_sys(why, src, NULL);
		return NULL;
	}
	if (cs.st_mtim.tv_sec < ss.st_mtim.tv_sec ||
	    (cs.st_mtim.tv_sec == ss.st_mtim.tv_sec &&
	    cs.st_mtim.tv_nsec < ss.st_mtim.tv_nsec)) {
		errmsg_set(why, "%s: older than %s", name, src);
		return NULL;
	}
	/* Refuse on the header before mapping and checking every bar. */
	if (bc_peek(name, &peek) == 0 &&
	    (bad = bc_stale(&peek, &ss, o)) != NULL) {
		errmsg_set(why, "%s: %s", name, bad);
		return NULL;
	}
	if ((c = barcache_open(name, why)) == NULL)
		return NULL;
	if ((bad = bc_stale(&c->info, &ss, o)) != NULL) {
		errmsg_set(why, "%s: %s", name, bad);
		barcache_close(c);
		return NULL;
	}
	return c;
}

/* ------------------------------------------------------------ the feed */

struct bc_inst {
	struct barcache		**c;		/* this instrument's caches */
	int			 nc;
	int			 cur;
	const struct td_bar	*bar;		/* next bar of cache cur */
	const struct td_bar	*end;		/* end of its checked bars */
	size_t			 pos;		/* cache cur's bar at end */
	td_ns			 prev;		/* start of the bar before pos */
	struct td_bar		*buf;		/* BC_READ bars read, or NULL */
	size_t			 buf_at;	/* cache cur's bar at buf[0] */
	size_t			 buf_n;		/* bars in buf */
	bool			 has_last;
	td_ns			 last;		/* start of the last bar */
	bool			 has_head;
	bool			 done;		/* no bars left: never ask again */
	struct td_md		 head;
};

struct bc_feed {
	struct feed		 feed;
	int			 ninst;
	int			 solo;		/* the one with caches, or -1 */
	struct bc_inst		 in[BC_MAX_INST];
	struct barcache		**all;		/* every cache, by instrument */
	int			 nall;
	int64_t			 skipped;	/* at the joins of caches */
	enum reader_disorder	 disorder;
	bool			 borrowed;	/* the caches are the caller's */
};

/*
 * The block of cache c at bar pos (a block's first) out of the file into
 * in->buf, read BC_READ bars at a time: a copy that stays in the CPU's
 * cache while it is checked and replayed, taken through the kernel's own
 * mapping of the file, where touching each page of a new mapping of it
 * would cost a fault or a walk of the page tables (dear on a virtual
 * machine).  NULL and a message on a read error or a file cut short.
 */
static const struct td_bar *
bc_read_block(const struct barcache *c, struct bc_inst *in, size_t pos,
    struct errmsg *err)
{
	size_t	 want, got = 0;
	ssize_t	 r;
	off_t	 at;

	if (pos >= in->buf_at && pos < in->buf_at + in->buf_n)
		return in->buf + (pos - in->buf_at);
	want = (c->n - pos > BC_READ ? BC_READ : c->n - pos) *
	    sizeof *in->buf;
	at = (off_t)(BC_HDR_SIZE + pos * sizeof *in->buf);
	while (got < want) {
		r = pread(c->fd, (char *)in->buf + got, want - got,
		    at + (off_t)got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == -1)
				errmsg_sys(err, c->path, "read");
			else
				errmsg_set(err, "%s: cut short", c->path);
			return NULL;
		}
		got += (size_t)r;
	}
	in->buf_at = pos;
	in->buf_n = want / sizeof *in->buf;
	return in->buf;
}

/*
 * More checked bars for an instrument: the next block of its cache,
 * checked before any of its bars goes out, or the next cache.  Blocks
 * already checked in the mapping (barcache_bars) are read there; a feed
 * that owns its caches reads the others into its buffer, a borrowing one
 * from the shared mapping.  0 when there are none; -1 when a block is
 * damaged.
 */
static int
bc_next_cache(struct bc_feed *f, struct bc_inst *in, struct errmsg *err)
{
	struct barcache		*c;
	const struct td_bar	*blk;
	size_t			 end;

	while (in->bar == in->end) {
		c = in->cur >= 0 ? in->c[in->cur] : NULL;
		if (c == NULL || in->pos == c->n) {
			if (in->cur + 1 >= in->nc)
				return 0;
			c = in->c[++in->cur];
			in->pos = 0;
			in->prev = INT64_MIN;
			in->buf_n = 0;
		}
		if (in->pos < c->good) {
			blk = c->bars + in->pos;
			end = c->good;
		} else {
			blk = in->buf == NULL ? c->bars + in->pos :
			    bc_read_block(c, in, in->pos, err);
			if (blk == NULL || bc_check_block(c, blk, in->pos,
			    in->prev, &end, err) == -1)
				return -1;
		}
		in->bar = blk;
		in->end = blk + (end - in->pos);
		in->pos = end;
		in->prev = in->end[-1].start;
		/*
		 * A cache is in order inside (its blocks say so), so only the
		 * first bars of a cache can fail this: check the join.
		 */
		while (in->has_last && in->bar < in->end &&
		    in->bar->start <= in->last) {
			if (c->info.disorder != READER_SKIP)
				return errmsg_set(err, "%s: first bar is not "
				    "after the end of the previous file",
				    c->path);
			f->skipped++;
			in->bar++;
		}
	}
	return 1;
}

static inline int
bc_take(struct bc_feed *f, struct bc_inst *in, int inst, struct td_md *md,
    struct errmsg *err)
{
	int	 rc;

	if (in->bar == in->end && (rc = bc_next_cache(f, in, err)) <= 0)
		return rc;
	md->kind = TD_MD_BAR;
	md->inst = inst;
	md->bar = *in->bar++;
	in->last = md->bar.start;
	in->has_last = true;
	return 1;
}

/* The feed of one instrument with caches: no merge, just its next bar. */
static int
bc_next_solo(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct bc_feed	*f = ctx;

	return bc_take(f, &f->in[f->solo], f->solo, md, err);
}

/* The feed of several: the earliest of their next bars. */
static int
bc_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct bc_feed	*f = ctx;
	int		 best = -1, rc;

	for (int i = 0; i < f->ninst; i++) {
		struct bc_inst	*in = &f->in[i];

		/*
		 * An instrument out of bars (or with no cache at all) stays
		 * so: asking again on every bar would cost more than the bar.
		 */
		if (!in->has_head && !in->done) {
			if ((rc = bc_take(f, in, i, &in->head, err)) == -1)
				return -1;
			in->has_head = rc == 1;
			in->done = rc == 0;
		}
		if (in->has_head && (best == -1 || in->head.bar.end <
		    f->in[best].head.bar.end))
			best = i;
	}
	if (best == -1)
		return 0;
	*md = f->in[best].head;
	f->in[best].has_head = false;
	return 1;
}

static void
bc_destroy(void *ctx)
{
	struct bc_feed	*f = ctx;

	for (int i = 0; f->all != NULL && !f->borrowed && i < f->nall; i++)
		barcache_close(f->all[i]);
	for (int i = 0; i < f->ninst; i++)
		free(f->in[i].buf);
	free(f->all);
	free(f);
}

/* Bars of each instrument that has a cache. */
static int
bc_subs(void *ctx, struct feed_sub *out, int max)
{
	struct bc_feed	*f = ctx;
	int		 n = 0;

	for (int i = 0; i < f->ninst; i++) {
		if (f->in[i].nc == 0)
			continue;
		if (n < max)
			out[n] = (struct feed_sub){ .inst = i,
			    .data = FEED_BARS };
		n++;
	}
	return n;
}

static const struct feed_ops barcache_feed_ops = {
	.name = "barcache",
	.next = bc_next,
	.subs = bc_subs,
	.destroy = bc_destroy,
};

static const struct feed_ops barcache_solo_ops = {
	.name = "barcache",
	.next = bc_next_solo,
	.subs = bc_subs,
	.destroy = bc_destroy,
};

static struct feed *
bc_feed_create(struct barcache_src *src, int n, int ninst, bool borrow,
    struct errmsg *err)
{
	struct bc_feed	*f;
	int		 k = 0;

	if ((f = calloc(1, sizeof *f)) == NULL ||
	    (n > 0 && (f->all = calloc((size_t)n, sizeof *f->all)) == NULL)) {
		free(f);
		errmsg_set(err, "out of memory");
		goto fail;
	}
	f->feed.ops = &barcache_feed_ops;
	f->feed.ctx = f;
	f->borrowed = borrow;
	if (n < 1 || ninst < 1 || ninst > BC_MAX_INST) {
		errmsg_set(err, "need at least one cache and at most %d "
		    "instruments", BC_MAX_INST);
		bc_destroy(f);
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		if (src[i].inst < 0 || src[i].inst >= ninst) {
			errmsg_set(err, "%s: no instrument",
			    barcache_path(src[i].cache));
			bc_destroy(f);
			goto fail;
		}
	}
	/* Group the caches by instrument, keeping their order. */
	f->ninst = ninst;
	for (int i = 0; i < ninst; i++) {
		f->in[i].c = f->all + k;
		for (int j = 0; j < n; j++) {
			if (src[j].inst == i) {
				f->all[k++] = src[j].cache;
				if (!borrow)
					src[j].cache = NULL;
			}
		}
		f->in[i].nc = (int)(f->all + k - f->in[i].c);
		f->in[i].cur = -1;
	}
	f->nall = k;
	f->solo = -1;
	for (int i = 0; i < ninst; i++) {
		if (f->in[i].nc > 0)
			f->solo = f->solo == -1 ? i : -2;
	}
	if (f->solo < 0)
		f->solo = -1;
	else
		f->feed.ops = &barcache_solo_ops;
	/* A feed of its own caches reads them through a buffer each. */
	for (int i = 0; !borrow && i < ninst; i++) {
		if (f->in[i].nc > 0 && (f->in[i].buf = malloc(BC_READ *
		    sizeof *f->in[i].buf)) == NULL) {
			errmsg_set(err, "out of memory");
			bc_destroy(f);
			return NULL;
		}
	}
	return &f->feed;

fail:
	for (int i = 0; !borrow && i < n; i++) {
		barcache_close(src[i].cache);
		src[i].cache = NULL;
	}
	return NULL;
}

struct feed *
barcache_feed_create(struct barcache_src *src, int n, int ninst,
    struct errmsg *err)
{
	return bc_feed_create(src, n, ninst, false, err);
}

struct feed *
barcache_feed_borrow(const struct barcache_src *src, int n, int ninst,
    struct errmsg *err)
{
	return bc_feed_create((struct barcache_src *)src, n, ninst, true, err);
}

/* The first of the checked bars of c that starts at t or later. */
static size_t
bc_first_from(const struct barcache *c, td_ns t)
{
	size_t	 lo = 0, hi = c->good;

	while (lo < hi) {
		size_t	 mid = lo + (hi - lo) / 2;

		if (c->bars[mid].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Instrument in's caches from t on; false when it must start as ever. */
static bool
bc_inst_from(struct bc_inst *in, td_ns t)
{
	const struct barcache	*c, *p = NULL;
	int			 k = 0;
	size_t			 at;

	if (in->nc == 0 || in->cur != -1)
		return false;
	for (; k < in->nc; k++) {
		c = in->c[k];
		/* Joins out of order are the feed's to judge. */
		if (p != NULL && c->n > 0 && (c->good == 0 ||
		    c->bars[0].start <= p->bars[p->n - 1].start))
			return false;
		if (c->n == 0 || c->good < c->n || c->bars[c->n - 1].start >= t)
			break;
		p = c;
	}
	if (k == in->nc)
		k = in->nc - 1;		/* all before t: none left */
	c = in->c[k];
	if (c->n == 0)
		at = 0;
	else if (c->good == c->n && c->bars[c->n - 1].start < t)
		at = c->n;
	else
		at = bc_first_from(c, t);
	in->cur = k;
	in->pos = at;
	in->prev = at > 0 ? c->bars[at - 1].start : INT64_MIN;
	in->bar = in->end = NULL;
	in->has_last = at > 0 || p != NULL;
	in->last = at > 0 ? c->bars[at - 1].start : p != NULL ?
	    p->bars[p->n - 1].start : 0;
	return true;
}

void
barcache_feed_from(struct feed *f, td_ns t)
{
	struct bc_feed	*bf = f->ctx;

	for (int i = 0; i < bf->ninst; i++)
		(void)bc_inst_from(&bf->in[i], t);
}

void
barcache_feed_stats(const struct feed *f, struct reader_stats *sum)
{
	const struct bc_feed	*bf = f->ctx;

	memset(sum, 0, sizeof *sum);
	for (int i = 0; i < bf->nall; i++) {
		const struct reader_stats *s = &bf->all[i]->info.stats;

		sum->rows += s->rows;
		sum->events += s->events;
		sum->skipped_disorder += s->skipped_disorder;
		sum->skipped_header += s->skipped_header;
		sum->skipped_flagged += s->skipped_flagged;
	}
	/* As feed-file.c: a bar skipped at a join was read, then dropped. */
	sum->skipped_disorder += bf->skipped;
}
