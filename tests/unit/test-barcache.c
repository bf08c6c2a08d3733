/*
 * test-barcache.c -- the binary bar cache (core/barcache.h).
 *
 * Each test writes its own CSV files into a temporary directory: a run of
 * 1-minute ES bars long enough to span several checksum chunks, imports
 * them and checks that the cache replays exactly what the reader reads,
 * that every kind of damage is refused with a message, and when a cache
 * may stand in for its source.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "barcache.h"
#include "errmsg.h"
#include "feed-file.h"
#include "feed.h"
#include "instrument.h"
#include "reader.h"

#define NBARS	2500		/* more than two checksum chunks */
#define HDR	256		/* header bytes before the first bar */

struct fixture {
	char			 tmp[64];
	char			 csv[128];	/* NBARS bars */
	char			 cache[160];	/* csv + ".tdc" */
	struct instrument	 es;
	struct instrument	 mes;
	struct reader_opts	 o;
	struct errmsg		 err;
};

/* n bars from 2024-01-02 09:30 New York, one a minute, a random walk. */
static void
write_bars(const char *path, int n, int first_min)
{
	FILE		*f = fopen(path, "w");
	unsigned	 x = 12345;
	int		 px = 20000;	/* ticks: 5000.00 */

	assert_non_null(f);
	fprintf(f, "timestamp,open,high,low,close,volume\n");
	for (int i = 0; i < n; i++) {
		int	 m = first_min + i, o, c, h, l;

		x = x * 1103515245u + 12345u;
		o = px;
		c = px + (int)((x >> 16) % 9) - 4;
		h = (o > c ? o : c) + (int)((x >> 8) % 3);
		l = (o < c ? o : c) - (int)((x >> 4) % 3);
		px = c;
		fprintf(f, "2024-01-%02d %02d:%02d:00,%d.%02d,%d.%02d,%d.%02d,"
		    "%d.%02d,%d\n", 2 + m / 1440, m / 60 % 24, m % 60,
		    o / 4, o % 4 * 25, h / 4, h % 4 * 25, l / 4, l % 4 * 25,
		    c / 4, c % 4 * 25, (int)(x % 1000));
	}
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	struct fixture	*fx;

	if ((fx = calloc(1, sizeof *fx)) == NULL)
		return -1;
	snprintf(fx->tmp, sizeof fx->tmp, "/tmp/test-barcache.XXXXXX");
	if (mkdtemp(fx->tmp) == NULL) {
		free(fx);
		return -1;
	}
	fx->es = (struct instrument){ .symbol = "ES",
	    .tick_size = 250000000LL, .point_value = 5000 };
	fx->mes = (struct instrument){ .symbol = "MES",
	    .tick_size = 250000000LL, .point_value = 500 };
	*state = fx;
	if (instrument_init(&fx->es, NULL) == -1 ||
	    instrument_init(&fx->mes, NULL) == -1)
		return -1;
	fx->o.instrument = &fx->es;
	snprintf(fx->csv, sizeof fx->csv, "%s/ES_1min.csv", fx->tmp);
	write_bars(fx->csv, NBARS, 9 * 60 + 30);
	snprintf(fx->cache, sizeof fx->cache, "%s.tdc", fx->csv);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	struct dirent	*de;
	DIR		*d;
	char		 p[512];

	if ((d = opendir(fx->tmp)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof p, "%s/%s", fx->tmp, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(fx->tmp);
	free(fx);
	return 0;
}

static void
import(struct fixture *fx, struct barcache_info *info)
{
	const char	*src[] = { fx->csv };

	if (barcache_import(fx->cache, src, 1, &fx->o, info, &fx->err) == -1)
		fail_msg("import: %s", fx->err.msg);
}

/* Overwrite bytes of a file at an offset. */
static void
poke(const char *path, off_t at, const void *p, size_t n)
{
	int	 fd = open(path, O_WRONLY);

	assert_true(fd != -1);
	assert_int_equal(pwrite(fd, p, n, at), (ssize_t)n);
	close(fd);
}

static int
files_in(const char *dir)
{
	struct dirent	*de;
	DIR		*d = opendir(dir);
	int		 n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The cache holds exactly the reader's bars, in order. */
static void
test_barcache_same_bars_as_reader(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_info	 info;
	struct barcache		*c;
	struct reader		*r;
	const struct td_bar	*bars;
	struct td_md		 md;
	size_t			 n, i = 0;

	import(fx, &info);
	assert_int_equal(info.bars, NBARS);
	c = barcache_open(fx->cache, &fx->err);
	assert_non_null(c);
	bars = barcache_bars(c, &n, &fx->err);
	assert_non_null(bars);
	assert_int_equal(n, NBARS);
	r = reader_open(fx->csv, &fx->o, &fx->err);
	assert_non_null(r);
	while (reader_next(r, &md, &fx->err) == 1) {
		assert_true(i < n);
		assert_memory_equal(&md.bar, &bars[i], sizeof md.bar);
		i++;
	}
	assert_int_equal(i, n);
	reader_close(r);
	barcache_close(c);
}

/*
 * The block checksums are the format's: a cache written by an earlier
 * build must read the same.  These are the table of the fixture's bars,
 * as version 2 has always written it (whatever code computes them).
 */
static void
test_barcache_block_sums_are_the_format(void **state)
{
	static const uint64_t	 want[3] = { 0xfdf006cf1fcc69d6ULL,
	    0xd251d4b4c05f4665ULL, 0x535916a59351e90cULL };
	struct fixture		*fx = *state;
	uint64_t		 got[3];
	int			 fd;

	import(fx, NULL);
	fd = open(fx->cache, O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(pread(fd, got, sizeof got, HDR + 56 * NBARS),
	    (ssize_t)sizeof got);
	close(fd);
	for (int i = 0; i < 3; i++) {
		if (got[i] != want[i])
			fail_msg("block %d: checksum %#llx, want %#llx", i,
			    (unsigned long long)got[i],
			    (unsigned long long)want[i]);
	}
}

/* The header says where the bars came from and how they were read. */
static void
test_barcache_info(void **state)
{
	struct fixture			*fx = *state;
	const struct barcache_info	*in;
	struct barcache			*c;
	struct stat			 sb;

	fx->o.tz = "America/New_York";
	fx->o.disorder = READER_SKIP;
	import(fx, NULL);
	assert_int_equal(stat(fx->csv, &sb), 0);
	c = barcache_open(fx->cache, &fx->err);
	assert_non_null(c);
	in = barcache_info(c);
	assert_int_equal(in->bars, NBARS);
	assert_int_equal(in->tick_size, 250000000LL);
	assert_int_equal(in->format, READER_AUTO);
	assert_int_equal(in->detected, READER_CSV);
	assert_int_equal(in->disorder, READER_SKIP);
	assert_string_equal(in->tz, "America/New_York");
	assert_int_equal(in->nsrc, 1);
	assert_int_equal(in->src_size, sb.st_size);
	assert_int_equal(in->stats.rows, NBARS);
	assert_int_equal(in->stats.events, NBARS);
	assert_int_equal(in->stats.skipped_header, 1);
	assert_true(in->first < in->last);
	assert_int_equal(in->last - in->first, (NBARS - 1) * TD_NS_PER_MIN);
	barcache_close(c);
}

/* Refused when opened, or at the latest when its bars are read. */
static void
expect_refused(struct fixture *fx, const char *what)
{
	struct barcache	*c = barcache_open(fx->cache, &fx->err);
	size_t		 n;

	if (c != NULL && barcache_bars(c, &n, &fx->err) != NULL) {
		barcache_close(c);
		fail_msg("cache read; expected '%s'", what);
	}
	barcache_close(c);
	if (strstr(fx->err.msg, what) == NULL)
		fail_msg("'%s' does not say '%s'", fx->err.msg, what);
	assert_non_null(strstr(fx->err.msg, fx->cache));
}

static void
test_barcache_refuses_cut_file(void **state)
{
	struct fixture	*fx = *state;

	import(fx, NULL);
	assert_int_equal(truncate(fx->cache, HDR + 56 * 1000 + 20), 0);
	expect_refused(fx, "cut short");
	assert_int_equal(truncate(fx->cache, 100), 0);
	expect_refused(fx, "not a bar cache");
	assert_int_equal(truncate(fx->cache, 0), 0);
	expect_refused(fx, "not a bar cache");
}

static void
test_barcache_refuses_flipped_bit(void **state)
{
	struct fixture	*fx = *state;
	unsigned char	 b;
	int		 fd;

	import(fx, NULL);
	/* The low byte of a volume deep in the third chunk. */
	fd = open(fx->cache, O_RDONLY);
	assert_int_equal(pread(fd, &b, 1, HDR + 56 * 2200 + 48), 1);
	close(fd);
	b ^= 0x04;
	poke(fx->cache, HDR + 56 * 2200 + 48, &b, 1);
	expect_refused(fx, "bars 2049-2500: checksum mismatch");
}

/*
 * Opening reads the header and the block table only; a damaged block
 * stops the feed when it reaches it, before any of that block's bars, and
 * the bars of the blocks before it went out unharmed.
 */
static void
test_barcache_feed_refuses_damaged_block(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_src	 src = { .inst = 0 };
	struct feed		*f;
	struct td_md		 md;
	unsigned char		 b;
	int			 fd, rc, got = 0;

	import(fx, NULL);
	fd = open(fx->cache, O_RDONLY);
	assert_int_equal(pread(fd, &b, 1, HDR + 56 * 1500 + 8), 1);
	close(fd);
	b ^= 0x80;
	poke(fx->cache, HDR + 56 * 1500 + 8, &b, 1);
	src.cache = barcache_open(fx->cache, &fx->err);
	assert_non_null(src.cache);
	f = barcache_feed_create(&src, 1, 1, &fx->err);
	assert_non_null(f);
	while ((rc = feed_next(f, &md, &fx->err)) == 1)
		got++;
	assert_int_equal(rc, -1);
	assert_int_equal(got, 1024);
	assert_non_null(strstr(fx->err.msg, "bars 1025-2048: checksum "
	    "mismatch: the cache is corrupt"));
	feed_free(f);
}

/*
 * A feed of its own cache reads the bars from the file, not through the
 * mapping: a file cut short under it after the open is a message, never
 * a fault.
 */
static void
test_barcache_feed_refuses_file_cut_after_open(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_src	 src = { .inst = 0 };
	struct feed		*f;
	struct td_md		 md;

	import(fx, NULL);
	src.cache = barcache_open(fx->cache, &fx->err);
	assert_non_null(src.cache);
	f = barcache_feed_create(&src, 1, 1, &fx->err);
	assert_non_null(f);
	assert_int_equal(truncate(fx->cache, HDR + 56 * 100), 0);
	assert_int_equal(feed_next(f, &md, &fx->err), -1);
	assert_non_null(strstr(fx->err.msg, "ES_1min.csv.tdc: cut short"));
	feed_free(f);
}

/*
 * Feeds that borrow a cache check its blocks too, each for itself, and
 * leave the cache as it was: a second feed is refused at the same block.
 */
static void
test_barcache_borrowed_feeds_refuse_damaged_block(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_src	 src = { .inst = 0 };
	struct feed		*f;
	struct td_md		 md;
	unsigned char		 b;
	size_t			 n;
	int			 fd, rc, got;

	import(fx, NULL);
	fd = open(fx->cache, O_RDONLY);
	assert_int_equal(pread(fd, &b, 1, HDR + 56 * 2100 + 48), 1);
	close(fd);
	b ^= 0x10;
	poke(fx->cache, HDR + 56 * 2100 + 48, &b, 1);
	src.cache = barcache_open(fx->cache, &fx->err);
	assert_non_null(src.cache);
	for (int k = 0; k < 2; k++) {
		f = barcache_feed_borrow(&src, 1, 1, &fx->err);
		assert_non_null(f);
		got = 0;
		while ((rc = feed_next(f, &md, &fx->err)) == 1)
			got++;
		assert_int_equal(rc, -1);
		assert_int_equal(got, 2048);
		assert_non_null(strstr(fx->err.msg, "bars 2049-2500"));
		feed_free(f);
	}
	assert_null(barcache_bars(src.cache, &n, &fx->err));
	assert_non_null(strstr(fx->err.msg, "bars 2049-2500"));
	barcache_close(src.cache);
}

/* The table of block checksums is covered by the header's checksum. */
static void
test_barcache_refuses_changed_table(void **state)
{
	struct fixture	*fx = *state;
	struct stat	 sb;
	unsigned char	 b;
	int		 fd;

	import(fx, NULL);
	assert_int_equal(stat(fx->cache, &sb), 0);
	/* Header, 2500 bars, three block checksums. */
	assert_int_equal(sb.st_size, HDR + 56 * NBARS + 3 * 8);
	fd = open(fx->cache, O_RDONLY);
	assert_int_equal(pread(fd, &b, 1, sb.st_size - 5), 1);
	close(fd);
	b ^= 0x01;
	poke(fx->cache, sb.st_size - 5, &b, 1);
	assert_null(barcache_open(fx->cache, &fx->err));
	assert_non_null(strstr(fx->err.msg, "checksum mismatch"));
}

static void
test_barcache_refuses_changed_header(void **state)
{
	struct fixture	*fx = *state;
	uint32_t	 v = BARCACHE_VERSION + 1;

	import(fx, NULL);
	/* The time zone field is covered by the checksum too. */
	poke(fx->cache, 128 + 16, "X", 1);
	expect_refused(fx, "checksum mismatch");
	import(fx, NULL);
	poke(fx->cache, 8, &v, sizeof v);
	expect_refused(fx, "version");
	import(fx, NULL);
	poke(fx->cache, 0, "XX", 2);
	expect_refused(fx, "not a bar cache");
	import(fx, NULL);
	v = 0x04030201;		/* the endian mark, as another machine */
	poke(fx->cache, 20, &v, sizeof v);
	expect_refused(fx, "byte order");
}

/* A bar the reader would never have made is named, checksum or not. */
static void
test_barcache_refuses_bad_bar(void **state)
{
	struct fixture	*fx = *state;
	struct td_bar	 bar;
	int		 fd;

	import(fx, NULL);
	fd = open(fx->cache, O_RDONLY);
	assert_int_equal(pread(fd, &bar, sizeof bar, HDR + 56 * 1500),
	    (ssize_t)sizeof bar);
	close(fd);
	bar.high = bar.low - 1;
	poke(fx->cache, HDR + 56 * 1500, &bar, sizeof bar);
	expect_refused(fx, "bar 1501: high below open or close");
	import(fx, NULL);
	fd = open(fx->cache, O_RDONLY);
	assert_int_equal(pread(fd, &bar, sizeof bar, HDR + 56 * 7),
	    (ssize_t)sizeof bar);
	close(fd);
	bar.start -= 10 * TD_NS_PER_MIN;
	poke(fx->cache, HDR + 56 * 7, &bar, sizeof bar);
	expect_refused(fx, "bar 8: not after the bar before");

	/* Found by fuzzing: an end far from an early start overflowed. */
	import(fx, NULL);
	bar.start = -5000000000000000000LL;	/* 1811 */
	bar.end = INT64_MAX - 5;
	poke(fx->cache, HDR, &bar, sizeof bar);
	expect_refused(fx, "bar 1: end not after start");
}

/* open_for: when a cache may stand in for its source, and why not. */
static void
test_barcache_open_for(void **state)
{
	struct fixture		*fx = *state;
	struct barcache		*c;
	struct reader_opts	 o = fx->o;
	struct timespec		 ts[2];
	FILE			*f;

	c = barcache_open_for(fx->csv, &o, &fx->err);
	assert_null(c);
	assert_string_equal(fx->err.msg, "");		/* simply none */

	import(fx, NULL);
	c = barcache_open_for(fx->csv, &o, &fx->err);
	assert_non_null(c);
	barcache_close(c);

	o.tz = "UTC";
	assert_null(barcache_open_for(fx->csv, &o, &fx->err));
	assert_non_null(strstr(fx->err.msg, "other reader options"));
	o = fx->o;
	o.stamp = READER_STAMP_END;
	assert_null(barcache_open_for(fx->csv, &o, &fx->err));
	assert_non_null(strstr(fx->err.msg, "other reader options"));
	o = fx->o;
	o.instrument = NULL;
	assert_null(barcache_open_for(fx->csv, &o, &fx->err));
	assert_non_null(strstr(fx->err.msg, "tick size"));

	/*
	 * The source changed after the import: the cache is older.  (File
	 * times tick coarsely, so the change is dated a minute on.)
	 */
	f = fopen(fx->csv, "a");
	assert_non_null(f);
	fprintf(f, "2024-01-09 00:00:00,5000.00,5000.00,5000.00,5000.00,1\n");
	fclose(f);
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec += 60;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, fx->csv, ts, 0), 0);
	assert_null(barcache_open_for(fx->csv, &fx->o, &fx->err));
	assert_non_null(strstr(fx->err.msg, "older than"));

	/* The same time as the cache's but another size: not the source. */
	import(fx, NULL);
	f = fopen(fx->csv, "a");
	assert_non_null(f);
	fprintf(f, "2024-01-09 00:01:00,5000.00,5000.00,5000.00,5000.00,1\n");
	fclose(f);
	{
		struct stat	 cs;

		assert_int_equal(stat(fx->cache, &cs), 0);
		ts[0] = ts[1] = cs.st_mtim;
		assert_int_equal(utimensat(AT_FDCWD, fx->csv, ts, 0), 0);
	}
	assert_null(barcache_open_for(fx->csv, &fx->o, &fx->err));
	assert_non_null(strstr(fx->err.msg, "another version"));

	/* Newer, but made from another version of the source. */
	import(fx, NULL);
	ts[0].tv_sec = ts[1].tv_sec = 1000000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, fx->csv, ts, 0), 0);
	assert_null(barcache_open_for(fx->csv, &fx->o, &fx->err));
	assert_non_null(strstr(fx->err.msg, "another version"));

	/* A damaged cache is never used. */
	import(fx, NULL);
	assert_int_equal(truncate(fx->cache, HDR + 56 * 3), 0);
	assert_null(barcache_open_for(fx->csv, &fx->o, &fx->err));
	assert_non_null(strstr(fx->err.msg, "cut short"));
}

static void
test_barcache_import_refuses_ticks(void **state)
{
	struct fixture	*fx = *state;
	const char	*src[1];
	char		 ticks[128];
	FILE		*f;

	snprintf(ticks, sizeof ticks, "%s/ES.Last.txt", fx->tmp);
	f = fopen(ticks, "w");
	assert_non_null(f);
	fprintf(f, "20240102 143000 0000000;5000.25;3\n"
	    "20240102 143000 5000000;5000.50;1\n");
	fclose(f);
	src[0] = ticks;
	assert_int_equal(barcache_import(fx->cache, src, 1, &fx->o, NULL,
	    &fx->err), -1);
	assert_non_null(strstr(fx->err.msg, "tick data cannot be cached"));
	/* Nothing left behind: no cache, no temporary file. */
	assert_int_equal(access(fx->cache, F_OK), -1);
	assert_int_equal(files_in(fx->tmp), 2);
}

/* A failed import leaves the old cache as it was. */
static void
test_barcache_import_is_atomic(void **state)
{
	struct fixture	*fx = *state;
	const char	*src[1];
	char		 bad[128];
	struct barcache	*c;
	size_t		 n;
	FILE		*f;

	import(fx, NULL);
	snprintf(bad, sizeof bad, "%s/bad.csv", fx->tmp);
	f = fopen(bad, "w");
	assert_non_null(f);
	fprintf(f, "2024-01-02 09:30:00,5000.00,5001.00,4999.00,5000.50,1\n"
	    "2024-01-02 09:31:00,5000.00,4999.00,4999.00,5000.50,1\n");
	fclose(f);
	src[0] = bad;
	assert_int_equal(barcache_import(fx->cache, src, 1, &fx->o, NULL,
	    &fx->err), -1);
	assert_non_null(strstr(fx->err.msg, "bad.csv:2: high below"));
	c = barcache_open(fx->cache, &fx->err);
	assert_non_null(c);
	assert_non_null(barcache_bars(c, &n, &fx->err));
	assert_int_equal(n, NBARS);
	barcache_close(c);
	assert_int_equal(files_in(fx->tmp), 3);
}

/* Files that continue each other make one cache; overlaps are refused. */
static void
test_barcache_import_several(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_info	 info;
	const char		*src[2];
	char			 next[128];

	snprintf(next, sizeof next, "%s/ES_1min_next.csv", fx->tmp);
	write_bars(next, 100, 9 * 60 + 30 + NBARS);
	src[0] = fx->csv;
	src[1] = next;
	assert_int_equal(barcache_import(fx->cache, src, 2, &fx->o, &info,
	    &fx->err), 0);
	assert_int_equal(info.bars, NBARS + 100);
	assert_int_equal(info.nsrc, 2);

	/* The same file twice overlaps itself. */
	src[1] = fx->csv;
	assert_int_equal(barcache_import(fx->cache, src, 2, &fx->o, &info,
	    &fx->err), -1);
	assert_non_null(strstr(fx->err.msg, "not after the end of the "
	    "previous file"));
	fx->o.disorder = READER_SKIP;
	assert_int_equal(barcache_import(fx->cache, src, 2, &fx->o, &info,
	    &fx->err), 0);
	assert_int_equal(info.bars, NBARS);
	assert_int_equal(info.stats.skipped_disorder, NBARS);
}

/*
 * Of three instruments, only the second has a cache: its bars come out
 * as they are, marked with its index, and the end is the end.
 */
static void
test_barcache_feed_one_of_several_instruments(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_src	 src = { .inst = 1 };
	struct barcache		*c;
	const struct td_bar	*bars;
	struct feed		*f;
	struct td_md		 md;
	size_t			 n, got = 0;

	import(fx, NULL);
	assert_non_null(c = barcache_open(fx->cache, &fx->err));
	assert_non_null(bars = barcache_bars(c, &n, &fx->err));
	assert_non_null(src.cache = barcache_open(fx->cache, &fx->err));
	assert_non_null(f = barcache_feed_create(&src, 1, 3, &fx->err));
	while (feed_next(f, &md, &fx->err) == 1) {
		assert_true(got < n);
		assert_int_equal(md.inst, 1);
		assert_memory_equal(&md.bar, &bars[got], sizeof md.bar);
		got++;
	}
	assert_int_equal(got, n);
	assert_int_equal(feed_next(f, &md, &fx->err), 0);
	feed_free(f);
	barcache_close(c);
}

/* Two instruments: the cache feed merges like the file feed. */
static void
test_barcache_feed_matches_file_feed(void **state)
{
	struct fixture		*fx = *state;
	struct instrument	 insts[2];
	struct feed_file_src	 fsrc[2];
	struct barcache_src	 csrc[2];
	struct reader_stats	 fs, cs;
	struct reader_opts	 o = { 0 };
	struct feed		*ff, *cf;
	struct td_md		 a, b;
	const char		*one[1];
	char			 mes[128], mescache[160];
	int			 ra, rb, n = 0;

	insts[0] = fx->es;
	insts[1] = fx->mes;
	snprintf(mes, sizeof mes, "%s/MES_1min.csv", fx->tmp);
	write_bars(mes, 700, 9 * 60 + 45);
	snprintf(mescache, sizeof mescache, "%s.tdc", mes);
	import(fx, NULL);
	o.instrument = &fx->mes;
	one[0] = mes;
	assert_int_equal(barcache_import(mescache, one, 1, &o, NULL,
	    &fx->err), 0);

	fsrc[0] = (struct feed_file_src){ .path = fx->csv, .inst = 0 };
	fsrc[1] = (struct feed_file_src){ .path = mes, .inst = 1 };
	ff = feed_file_create(fsrc, 2, &o, insts, 2, &fx->err);
	assert_non_null(ff);
	csrc[0].cache = barcache_open(fx->cache, &fx->err);
	csrc[0].inst = 0;
	csrc[1].cache = barcache_open(mescache, &fx->err);
	csrc[1].inst = 1;
	assert_non_null(csrc[0].cache);
	assert_non_null(csrc[1].cache);
	cf = barcache_feed_create(csrc, 2, 2, &fx->err);
	assert_non_null(cf);
	/* Both say what they deliver: bars of ES and MES. */
	for (int k = 0; k < 2; k++) {
		struct feed_sub	 sub[2];

		assert_int_equal(feed_subs(k == 0 ? ff : cf, sub, 2), 2);
		assert_int_equal(sub[0].inst, 0);
		assert_int_equal(sub[1].inst, 1);
		assert_int_equal(sub[0].data, FEED_BARS);
		assert_int_equal(sub[1].data, FEED_BARS);
		assert_false(feed_live(k == 0 ? ff : cf));
		assert_int_equal(feed_fd(k == 0 ? ff : cf), -1);
	}
	assert_null(csrc[0].cache);	/* taken over */
	do {
		ra = feed_next(ff, &a, &fx->err);
		rb = feed_next(cf, &b, &fx->err);
		assert_int_equal(ra, rb);
		if (ra == 1) {
			assert_int_equal(a.kind, b.kind);
			assert_int_equal(a.inst, b.inst);
			assert_memory_equal(&a.bar, &b.bar, sizeof a.bar);
			n++;
		}
	} while (ra == 1);
	assert_int_equal(n, NBARS + 700);
	feed_file_stats(ff, &fs);
	barcache_feed_stats(cf, &cs);
	assert_memory_equal(&fs, &cs, sizeof fs);
	feed_free(ff);
	feed_free(cf);
}

static void
test_barcache_feed_checks_joins(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_src	 src[2];
	struct feed		*f;
	struct td_md		 md;
	int			 rc;

	import(fx, NULL);
	src[0].cache = barcache_open(fx->cache, &fx->err);
	src[1].cache = barcache_open(fx->cache, &fx->err);
	src[0].inst = src[1].inst = 0;
	f = barcache_feed_create(src, 2, 1, &fx->err);
	assert_non_null(f);
	while ((rc = feed_next(f, &md, &fx->err)) == 1)
		;
	assert_int_equal(rc, -1);
	assert_non_null(strstr(fx->err.msg, "not after the end of the "
	    "previous file"));
	feed_free(f);

	/* A bad instrument index: the feed closes the caches it was given. */
	src[0].cache = barcache_open(fx->cache, &fx->err);
	src[0].inst = 3;
	assert_null(barcache_feed_create(src, 1, 1, &fx->err));
	assert_null(src[0].cache);
	assert_non_null(strstr(fx->err.msg, "no instrument"));
}

/* What a feed of src from t hands out equals all[] from t on. */
static void
expect_from(struct fixture *fx, const struct barcache_src *src, int n,
    td_ns t, const struct td_bar *all, size_t nall)
{
	struct feed	*f;
	struct td_md	 md;
	size_t		 k = 0;

	while (k < nall && all[k].start < t)
		k++;
	assert_non_null(f = barcache_feed_borrow(src, n, 1, &fx->err));
	barcache_feed_from(f, t);
	while (feed_next(f, &md, &fx->err) == 1) {
		assert_true(k < nall);
		assert_memory_equal(&md.bar, &all[k], sizeof md.bar);
		k++;
	}
	assert_int_equal(k, nall);
	feed_free(f);
}

/*
 * A feed started at a time: from the first bar at or after it, through
 * checked caches that continue each other, wherever it falls (before
 * the data, on a bar, between bars, at the join, after the end).  Over
 * unchecked caches, or caches whose join is out of order, it starts at
 * the first bar as ever.
 */
static void
test_barcache_feed_from(void **state)
{
	struct fixture		*fx = *state;
	struct barcache_src	 src[2];
	struct td_bar		*all;
	const struct td_bar	*b;
	struct feed		*f;
	struct td_md		 md;
	char			 next[128], nextcache[160];
	const char		*one[1] = { next };
	size_t			 n0, n1;

	import(fx, NULL);
	snprintf(next, sizeof next, "%s/ES_1min_next.csv", fx->tmp);
	snprintf(nextcache, sizeof nextcache, "%s.tdc", next);
	write_bars(next, 100, 9 * 60 + 30 + NBARS);
	assert_int_equal(barcache_import(nextcache, one, 1, &fx->o, NULL,
	    &fx->err), 0);
	assert_non_null(src[0].cache = barcache_open(fx->cache, &fx->err));
	assert_non_null(src[1].cache = barcache_open(nextcache, &fx->err));
	src[0].inst = src[1].inst = 0;
	/* Unchecked: from the first bar, whatever t. */
	assert_non_null(f = barcache_feed_borrow(src, 2, 1, &fx->err));
	barcache_feed_from(f, INT64_MAX);
	assert_int_equal(feed_next(f, &md, &fx->err), 1);
	feed_free(f);

	assert_non_null(b = barcache_bars(src[0].cache, &n0, &fx->err));
	assert_non_null(all = calloc(n0 + 100, sizeof *all));
	memcpy(all, b, n0 * sizeof *all);
	assert_non_null(b = barcache_bars(src[1].cache, &n1, &fx->err));
	memcpy(all + n0, b, n1 * sizeof *all);
	expect_from(fx, src, 2, all[0].start - 1, all, n0 + n1);
	expect_from(fx, src, 2, all[0].start, all, n0 + n1);
	expect_from(fx, src, 2, all[1234].start, all, n0 + n1);
	expect_from(fx, src, 2, all[1234].start + 1, all, n0 + n1);
	expect_from(fx, src, 2, all[n0 - 1].start + 1, all, n0 + n1);
	expect_from(fx, src, 2, all[n0 + 50].start, all, n0 + n1);
	expect_from(fx, src, 2, all[n0 + n1 - 1].start + 1, all, n0 + n1);

	/* The same cache twice joins out of order: the feed says so. */
	barcache_close(src[1].cache);
	src[1].cache = src[0].cache;
	assert_non_null(f = barcache_feed_borrow(src, 2, 1, &fx->err));
	barcache_feed_from(f, all[n0 - 1].start + 1);
	assert_int_equal(feed_next(f, &md, &fx->err), 1);
	assert_memory_equal(&md.bar, &all[0], sizeof md.bar);
	feed_free(f);
	barcache_close(src[0].cache);
	free(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_barcache_same_bars_as_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_barcache_info, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_block_sums_are_the_format, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_refuses_cut_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_refuses_flipped_bit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_feed_refuses_damaged_block, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_refuses_changed_table, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_feed_refuses_file_cut_after_open, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_borrowed_feeds_refuse_damaged_block, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_refuses_changed_header, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_refuses_bad_bar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_barcache_open_for, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_import_refuses_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_import_is_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_import_several, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_feed_matches_file_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_feed_one_of_several_instruments, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_barcache_feed_from, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_barcache_feed_checks_joins, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
