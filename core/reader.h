/*
 * reader.h -- market data files in, td_md events out, one at a time.
 *
 * A reader streams one text file (plain, or xz-compressed and decoded on
 * the fly) and turns each row into a bar or tick event for one instrument:
 * UTC nanoseconds, prices in ticks of the instrument.  It never holds more
 * than one buffer of the file, so a year of minute bars costs the same
 * memory as a day.  Every row is checked; the first bad row stops the
 * reader with "path:line: reason" (line numbers are the file's, 1-based).
 * Prices must be above zero: a bar's open, high, low and close, a tick's
 * price, and its bid and ask when not 0 (0 is no quote).  Only an
 * instrument with negative_prices (instrument.h) may have prices at zero
 * or below.
 *
 * Formats (READER_AUTO picks one from the first data row and the name):
 *
 *   READER_CSV          datetime,open,high,low,close[,volume[,extra...]]
 *                       datetime "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"
 *                       or "yyyy-MM-dd" (a day bar); optional header line
 *                       (FirstRate "timestamp,open,...", Yahoo "Date,...";
 *                       a header column named "volume" is used as volume).
 *                       Default time zone America/New_York, bar-start
 *                       stamps, bar length from a name such as "_5min_" or
 *                       "_1hour_", else 1 minute.
 *   READER_NT_MINUTE    NinjaTrader 8 "yyyyMMdd HHmmss;o;h;l;c;v" (also
 *                       "yyyyMMdd HHmm"), default UTC, bar-end stamps.
 *   READER_NT_DAY       NinjaTrader 8 "yyyyMMdd;o;h;l;c;v", default UTC.
 *   READER_NT_TICK      NinjaTrader 8 "yyyyMMdd HHmmss[ fffffff];price;vol"
 *                       or ";last;bid;ask;vol", default UTC.
 *   READER_LEAN_MINUTE  QuantConnect Lean futures minute trade bars
 *                       "ms_since_midnight,o,h,l,c,v", unscaled prices, the
 *                       date from the file name "YYYYMMDD_...", default UTC,
 *                       bar-start stamps.
 *   READER_TICK_CSV     "time_ct,epoch_us,price" (ESM8 style): the time is
 *                       epoch_us, the first column is not used; volume 0.
 *   READER_LEAN_TICK    Lean equity trade ticks "ms_since_midnight,
 *                       price_x10000,qty,exchange,condition,suspicious",
 *                       date from the file name, default America/New_York;
 *                       rows flagged suspicious are skipped and counted.
 *
 * Day bars (date-only stamps) cover local midnight to the next local
 * midnight of the time zone.  Local stamps are converted with the zone's
 * rules (tz_to_utc); the offset is cached per local hour, which is exact
 * for every zone whose transitions fall on a whole hour (all US zones).
 * The hour that repeats when clocks go back is read as its first
 * occurrence, so rows from the repeat look out of order (futures and US
 * stocks do not trade then).  Lean SPX minute files are in Chicago time
 * and need opts.tz; Lean equity minute bars (prices x 10000), quote and
 * open interest files are not read.
 */
#ifndef TD_READER_H
#define TD_READER_H

#include "types.h"

struct errmsg;
struct instrument;
struct reader;

enum reader_format {
	READER_UNKNOWN = -1,	/* only from reader_format_of */
	READER_AUTO = 0,
	READER_CSV,
	READER_NT_MINUTE,
	READER_NT_DAY,
	READER_NT_TICK,
	READER_LEAN_MINUTE,
	READER_TICK_CSV,
	READER_LEAN_TICK,
};

/* What a row that goes back in time (or repeats a bar) does. */
enum reader_disorder {
	READER_REJECT = 0,	/* stop with an error */
	READER_SKIP,		/* drop the row, count it in the stats */
};

/* How bar stamps are read; zero means the format's own convention. */
enum reader_stamp {
	READER_STAMP_DEFAULT = 0,
	READER_STAMP_START,	/* stamp is the bar's first instant */
	READER_STAMP_END,	/* stamp is the bar's end (NinjaTrader) */
};

/* All zeros is a valid set of options: auto format, format defaults. */
struct reader_opts {
	enum reader_format	 format;
	const char		*tz;		/* NULL: format default */
	enum reader_stamp	 stamp;
	int			 bar_minutes;	/* 0: from name, else 1 */
	enum reader_disorder	 disorder;
	int			 inst;		/* put in each event */
	/*
	 * Tick grid of prices, and whether they may be 0 or below; NULL
	 * gives ticks of 1e-9 point (td_px), all above zero.
	 */
	const struct instrument	*instrument;
};

struct reader_stats {
	int64_t		 rows;			/* data rows read */
	int64_t		 events;		/* events returned */
	int64_t		 skipped_disorder;	/* READER_SKIP drops */
	int64_t		 skipped_header;	/* header lines */
	int64_t		 skipped_flagged;	/* suspicious ticks */
};

/*
 * Open path and find its format.  Fails with NULL and "path: reason" for a
 * missing or unreadable file, an empty file, an unknown format or time
 * zone, a garbage header, a Lean file whose name has no date, or a bar
 * length over 31 days.  The caller frees the reader with reader_close.
 */
struct reader	*reader_open(const char *path, const struct reader_opts *o,
		     struct errmsg *err);

/*
 * The next event into md: 1 for an event, 0 at the end of the data, -1
 * with "path:line: reason" for a bad row (wrong field count, bad number,
 * bad date or time, high or low not enclosing open and close, negative
 * volume, a price at or below zero ("price 0.00 is not above zero") for
 * an instrument without negative_prices, a price off the tick grid, a
 * row out of order under
 * READER_REJECT, a last line cut in the middle) or a read error.  After
 * -1 the reader stays failed.  Bars must be strictly increasing in start
 * time; ticks may repeat a time but never go back.
 */
int		 reader_next(struct reader *r, struct td_md *md,
		     struct errmsg *err);

/*
 * A reader of lines handed in one at a time, for a live feed (a pipe or
 * a file that grows): no file is opened, name stands for it in messages
 * (and gives the bar length and a Lean date as a file name would).  The
 * format is found from the first data row, as reader_open does, and a
 * header line may come before it.  The strings in o must outlive the
 * reader.  Free with reader_close.
 */
struct reader	*reader_open_lines(const char *name,
		     const struct reader_opts *o, struct errmsg *err);
/*
 * One whole line, without its newline: 1 and an event, 0 when the line
 * gives none (empty, the header, a flagged tick, a row out of order under
 * READER_SKIP), -1 and "name:line: reason" for a bad line (the reasons of
 * reader_next; also a second header line), which is dropped: the reader
 * goes on with the next line.
 */
int		 reader_take_line(struct reader *r, const char *s, size_t n,
		     struct td_md *md, struct errmsg *err);

/* Close and free; NULL is allowed. */
void		 reader_close(struct reader *r);

/* Counters so far; owned by the reader. */
const struct reader_stats *reader_stats(const struct reader *r);
/*
 * The bytes of the file read so far (compressed bytes for xz; ahead of
 * the rows returned by at most one buffer): -1 for a reader of lines.
 */
int64_t		 reader_offset(const struct reader *r);

/* The format in use (detected when opened with READER_AUTO). */
enum reader_format reader_format_get(const struct reader *r);
/*
 * 1 when its rows are trades (ticks), 0 for bars, -1 while a reader of
 * lines has seen no data row.
 */
int		 reader_ticks(const struct reader *r);

/*
 * Format names: "auto", "csv", "nt-minute", "nt-day", "nt-tick",
 * "lean-minute", "tick-csv", "lean-tick".  reader_format_of gives
 * READER_UNKNOWN for any other name.
 */
enum reader_format reader_format_of(const char *name);
const char	*reader_format_name(enum reader_format f);

#endif
