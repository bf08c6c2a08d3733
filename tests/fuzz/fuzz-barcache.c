/*
 * fuzz-barcache.c -- the binary bar cache reader (core/barcache.h): the
 * input is a cache file.  Opening must refuse anything that is not a whole,
 * checked cache with a message; a cache that opens replays through its
 * feed to the end.
 */
#include "barcache.h"
#include "errmsg.h"
#include "feed.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_tmpdir();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct barcache_src	 src;
	struct reader_stats	 st;
	struct errmsg		 err;
	struct feed		*f;
	struct td_md		 md;
	char			 path[512];

	fuzz_path(path, sizeof path, "bars.tdc");
	fuzz_write(path, data, size);
	if ((src.cache = barcache_open(path, &err)) != NULL) {
		(void)barcache_info(src.cache);
		src.inst = 0;
		if ((f = barcache_feed_create(&src, 1, 1, &err)) != NULL) {
			while (feed_next(f, &md, &err) == 1)
				;
			barcache_feed_stats(f, &st);
			feed_free(f);
		}
	}
	unlink(path);
	return 0;
}
