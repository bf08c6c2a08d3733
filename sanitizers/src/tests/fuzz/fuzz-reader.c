/*
 * fuzz-reader.c -- the market data readers (core/reader.h): generic CSV,
 * the NinjaTrader 8 exports, Lean and tick CSV, plain or xz.
 *
 * The first three bytes of an input choose how the file is read, the rest
 * is the file:
 *   byte 0  the format: auto, csv, nt-minute, nt-day, nt-tick,
 *           lean-minute, tick-csv, lean-tick (value mod 8);
 *   byte 1  bits 0-2 the file name (some formats take the date or the bar
 *           length from it), bit 3 skip rows out of order, bits 4-5 the
 *           stamp convention, bits 6-7 the time zone;
 *   byte 2  the tick grid: ES 0.25, none (fixed point), 0.01.
 * Every event is read to the end or to the first error; a reader must
 * never crash, hang or leak, whatever the bytes.
 */
#include "errmsg.h"
#include "instrument.h"
#include "reader.h"

#include "fuzz.h"

static const char *const names[] = {
	"data.csv",
	"ES_5min_sample.csv",
	"20131007_es_minute_trade_201312.csv",
	"20131007_spy_Trade_Tick.csv",
	"ES 12-13.Last.txt",
	"ESM8_trades_sample.csv",
	"ES_1hour_x.csv",
	"noext",
};

static const char *const zones[] = {
	NULL, "UTC", "America/Chicago", "America/New_York",
};

static struct instrument	 grid[3];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	grid[0] = (struct instrument){ .symbol = "ES",
	    .tick_size = 250000000LL, .point_value = 5000 };
	grid[2] = (struct instrument){ .symbol = "SPY",
	    .tick_size = 10000000LL, .point_value = 100 };
	if (instrument_init(&grid[0], NULL) == -1 ||
	    instrument_init(&grid[2], NULL) == -1)
		abort();
	fuzz_tmpdir();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader_opts	 o;
	struct errmsg		 err;
	struct reader		*r;
	struct td_md		 md;
	char			 path[512];
	long			 n = 0;

	if (size < 3)
		return 0;
	memset(&o, 0, sizeof o);
	o.format = (enum reader_format)(data[0] % 8);
	o.disorder = data[1] & 0x08 ? READER_SKIP : READER_REJECT;
	o.stamp = (enum reader_stamp)((data[1] >> 4 & 3) % 3);
	o.tz = zones[data[1] >> 6 & 3];
	o.instrument = data[2] % 3 == 1 ? NULL : &grid[data[2] % 3];
	fuzz_path(path, sizeof path, names[data[1] & 7]);
	fuzz_write(path, data + 3, size - 3);
	if ((r = reader_open(path, &o, &err)) != NULL) {
		/* A million rows is far more than any input holds. */
		while (n++ < 1000000 && reader_next(r, &md, &err) == 1)
			;
		(void)reader_stats(r);
		(void)reader_format_get(r);
		reader_close(r);
	}
	unlink(path);
	return 0;
}
