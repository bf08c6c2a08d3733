/*
 * test-reader.c -- market data files to events (core/reader.h).
 *
 * Good files of every format live in tests/data (found through $srcdir or
 * $TD_TEST_DATA, else ./tests/data); bad rows are written by the tests into
 * a temporary directory so each case shows its text next to the expected
 * message.  The real data set is read when $TD_SHARED_DATA names it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "instrument.h"
#include "reader.h"

#define SEC	TD_NS_PER_SEC
#define MIN	TD_NS_PER_MIN
#define MAXEV	64

struct fixture {
	char			 data[512];	/* tests/data */
	char			 tmp[64];	/* scratch directory */
	struct instrument	 es;
	struct instrument	 spy;
	struct reader_opts	 o;
	struct td_md		 md[MAXEV];
	struct errmsg		 err;
};

static int
setup(void **state)
{
	struct fixture	*fx;
	const char	*d;

	if ((fx = calloc(1, sizeof *fx)) == NULL)
		return -1;
	if ((d = getenv("TD_TEST_DATA")) != NULL)
		snprintf(fx->data, sizeof fx->data, "%s", d);
	else if ((d = getenv("srcdir")) != NULL)
		snprintf(fx->data, sizeof fx->data, "%s/tests/data", d);
	else
		snprintf(fx->data, sizeof fx->data, "tests/data");
	snprintf(fx->tmp, sizeof fx->tmp, "/tmp/test-reader.XXXXXX");
	if (mkdtemp(fx->tmp) == NULL)
		return -1;
	fx->es = (struct instrument){ .symbol = "ES",
	    .tick_size = 250000000LL, .point_value = 5000 };
	fx->spy = (struct instrument){ .symbol = "SPY",
	    .tick_size = 10000000LL, .point_value = 100 };
	if (instrument_init(&fx->es, NULL) == -1 ||
	    instrument_init(&fx->spy, NULL) == -1)
		return -1;
	fx->o = (struct reader_opts){ .instrument = &fx->es, .inst = 3 };
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->tmp);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static const char *
data_path(struct fixture *fx, const char *name)
{
	static char	 path[768];

	snprintf(path, sizeof path, "%s/%s", fx->data, name);
	return path;
}

/* Write text to a scratch file and return its path. */
static const char *
scratch(struct fixture *fx, const char *name, const char *text)
{
	static char	 path[256];
	FILE		*f;

	snprintf(path, sizeof path, "%s/%s", fx->tmp, name);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Read a whole file: events, or -1 with fx->err set. */
static int
read_all(struct fixture *fx, const char *path, struct reader_stats *st)
{
	struct reader	*r;
	int		 n = 0, rc;

	memset(&fx->err, 0, sizeof fx->err);
	if ((r = reader_open(path, &fx->o, &fx->err)) == NULL)
		return -1;
	while (n < MAXEV && (rc = reader_next(r, &fx->md[n], &fx->err)) == 1)
		n++;
	if (st != NULL)
		*st = *reader_stats(r);
	reader_close(r);
	return rc == -1 ? -1 : n;
}

/* The message for a file that must fail. */
static const char *
read_error(struct fixture *fx, const char *path)
{
	if (read_all(fx, path, NULL) != -1)
		fail_msg("%s was accepted", path);
	return fx->err.msg;
}

static void
test_reader_csv_es_bars(void **state)
{
	struct fixture		*fx = *state;
	struct reader_stats	 st;
	struct td_bar		*b;

	assert_int_equal(read_all(fx, data_path(fx, "ES_1min_sample.csv"),
	    &st), 4);
	b = &fx->md[0].bar;
	assert_int_equal(fx->md[0].kind, TD_MD_BAR);
	assert_int_equal(fx->md[0].inst, 3);
	/* 16:58 EST is 21:58 UTC; the stamp is the bar start. */
	assert_true(b->start == 1678485480LL * SEC);
	assert_true(b->end == b->start + MIN);
	assert_true(b->open == 15481 && b->high == 15484 && b->low == 15480 &&
	    b->close == 15483);
	assert_true(b->volume == 120);
	/* After the spring change: 18:00 EDT is 22:00 UTC. */
	assert_true(fx->md[2].bar.start == 1678658400LL * SEC);
	assert_true(fx->md[3].bar.volume == 0);
	assert_true(st.rows == 4 && st.events == 4 && st.skipped_header == 0);
}

static void
test_reader_xz_equals_plain(void **state)
{
	struct fixture	*fx = *state;
	struct td_md	 plain[4];
	struct reader	*r;

	assert_int_equal(read_all(fx, data_path(fx, "ES_1min_sample.csv"),
	    NULL), 4);
	memcpy(plain, fx->md, sizeof plain);
	assert_int_equal(read_all(fx, data_path(fx, "ES_1min_sample.csv.xz"),
	    NULL), 4);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(&plain[i].bar, &fx->md[i].bar,
		    sizeof plain[i].bar);
	r = reader_open(data_path(fx, "ES_1min_sample.csv.xz"), &fx->o, NULL);
	assert_non_null(r);
	assert_int_equal(reader_format_get(r), READER_CSV);
	reader_close(r);
}

static void
test_reader_csv_header_5min_px(void **state)
{
	struct fixture		*fx = *state;
	struct reader_stats	 st;
	char			 want[1024];

	fx->o.instrument = NULL;	/* prices stay td_px */
	assert_int_equal(read_all(fx, data_path(fx, "SPY_5min_header.csv"),
	    &st), 3);
	assert_true(st.skipped_header == 1 && st.rows == 3);
	assert_true(fx->md[0].bar.start == 1769437800LL * SEC);
	assert_true(fx->md[0].bar.end - fx->md[0].bar.start == 5 * MIN);
	assert_true(fx->md[0].bar.open == 688620000000LL);
	/* "09:40" without seconds, and a sub-penny close. */
	assert_true(fx->md[2].bar.start == (1769437800LL + 600) * SEC);
	assert_true(fx->md[2].bar.close == 689123400000LL);
	/* An explicit bar length wins over the name. */
	fx->o.bar_minutes = 3;
	assert_int_equal(read_all(fx, data_path(fx, "SPY_5min_header.csv"),
	    NULL), 3);
	assert_true(fx->md[0].bar.end - fx->md[0].bar.start == 3 * MIN);
	/* Sub-penny prices are off a 0.01 grid. */
	fx->o.instrument = &fx->spy;
	snprintf(want, sizeof want, "%s:4: price 689.1234 is not on the 0.01 "
	    "tick grid", data_path(fx, "SPY_5min_header.csv"));
	assert_string_equal(read_error(fx, data_path(fx,
	    "SPY_5min_header.csv")), want);
}

static void
test_reader_csv_day_bars(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(read_all(fx, data_path(fx, "ES_1day_oi.csv"), NULL),
	    2);
	/* Local midnight to local midnight in New York. */
	assert_true(fx->md[0].bar.start == 1769403600LL * SEC);
	assert_true(fx->md[0].bar.end == 1769490000LL * SEC);
	assert_true(fx->md[1].bar.end == 1769576400LL * SEC);
	assert_true(fx->md[0].bar.volume == 1062544);	/* not the OI */
	assert_true(fx->md[0].bar.close == 27925);	/* 6981.25 */
	/* A day across the spring change is 23 hours long. */
	assert_int_equal(read_all(fx, scratch(fx, "dst.csv",
	    "2023-03-12,1.00,1.00,1.00,1.00,5\n"), NULL), 1);
	assert_true(fx->md[0].bar.end - fx->md[0].bar.start ==
	    23 * TD_NS_PER_HOUR);
}

static void
test_reader_nt_minute_end_stamps(void **state)
{
	struct fixture	*fx = *state;
	struct reader	*r;

	assert_int_equal(read_all(fx, data_path(fx, "ES 12-13.Last.txt"),
	    NULL), 3);
	/* "20131006 220100" is the end of the 22:00 UTC bar. */
	assert_true(fx->md[0].bar.start == 1381096800LL * SEC);
	assert_true(fx->md[0].bar.end == 1381096800LL * SEC + MIN);
	assert_true(fx->md[1].bar.low == 1674 * 4);	/* "1674", CRLF */
	assert_true(fx->md[2].bar.volume == 801);
	fx->o.stamp = READER_STAMP_START;
	assert_int_equal(read_all(fx, data_path(fx, "ES 12-13.Last.txt"),
	    NULL), 3);
	assert_true(fx->md[0].bar.start == 1381096800LL * SEC + MIN);
	r = reader_open(data_path(fx, "ES 12-13.Last.txt"), &fx->o, NULL);
	assert_int_equal(reader_format_get(r), READER_NT_MINUTE);
	reader_close(r);
}

static void
test_reader_nt_day(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(read_all(fx, data_path(fx, "ES 12-13.Day.txt"), NULL),
	    2);
	assert_true(fx->md[0].bar.start == 1381017600LL * SEC);
	assert_true(fx->md[0].bar.end == 1381104000LL * SEC);
	assert_true(fx->md[1].bar.volume == 1423234);
}

static void
test_reader_nt_ticks(void **state)
{
	struct fixture	*fx = *state;

	fx->o.instrument = &fx->spy;
	assert_int_equal(read_all(fx, data_path(fx, "SPY.Last.txt"), NULL), 4);
	assert_int_equal(fx->md[0].kind, TD_MD_TICK);
	/* 7-digit fraction in 100 ns units. */
	assert_true(fx->md[0].tick.time == 1381132800LL * SEC + 464000000);
	assert_true(fx->md[1].tick.time == fx->md[2].tick.time);
	assert_true(fx->md[3].tick.time == 1381132801LL * SEC);
	assert_true(fx->md[0].tick.price == 16741 && fx->md[3].tick.price ==
	    16742);
	assert_true(fx->md[1].tick.volume == 1400 && fx->md[0].tick.bid == 0);

	fx->o.instrument = &fx->es;
	assert_int_equal(read_all(fx, data_path(fx, "NQ.Last.txt"), NULL), 2);
	assert_true(fx->md[0].tick.time == 1768172400LL * SEC + 96000000);
	assert_true(fx->md[0].tick.bid == 103786 && fx->md[0].tick.ask ==
	    103787 && fx->md[1].tick.price == 103787);
	assert_true(fx->md[1].tick.volume == 3);
}

static void
test_reader_lean_minute(void **state)
{
	struct fixture		*fx = *state;
	struct reader_stats	 st;

	/* The file has no newline after its last line. */
	assert_int_equal(read_all(fx, data_path(fx,
	    "20131007_es_minute_trade_201312.csv"), &st), 3);
	assert_true(fx->md[0].bar.start == 1381104000LL * SEC);
	assert_true(fx->md[2].bar.start == 1381104000LL * SEC + 2 * MIN);
	assert_true(fx->md[2].bar.close == 6705 && fx->md[2].bar.volume == 60);
	assert_true(st.rows == 3);
}

static void
test_reader_tick_csv(void **state)
{
	struct fixture		*fx = *state;
	struct reader_stats	 st;

	assert_int_equal(read_all(fx, data_path(fx, "ESM8_trades_sample.csv"),
	    &st), 3);
	assert_true(fx->md[0].tick.time == 1525699800001532000LL);
	assert_true(fx->md[1].tick.time == fx->md[2].tick.time);
	assert_true(fx->md[1].tick.price == 10681 && fx->md[1].tick.volume ==
	    0);
	assert_true(st.skipped_header == 1);
}

static void
test_reader_lean_tick(void **state)
{
	struct fixture		*fx = *state;
	struct reader_stats	 st;

	fx->o.instrument = &fx->spy;
	assert_int_equal(read_all(fx, data_path(fx,
	    "20131007_spy_Trade_Tick.csv"), &st), 3);
	/* ms since midnight New York, prices x 10000. */
	assert_true(fx->md[0].tick.time == 1381132800LL * SEC + 464000000);
	assert_true(fx->md[0].tick.price == 16741);
	assert_true(fx->md[2].tick.time == 1381152600LL * SEC);
	assert_true(fx->md[2].tick.volume == 250);
	assert_true(st.rows == 4 && st.skipped_flagged == 1 && st.events == 3);
}

static void
test_reader_time_zone_option(void **state)
{
	struct fixture	*fx = *state;
	const char	*p = data_path(fx, "ES_1min_sample.csv");

	fx->o.tz = "UTC";
	assert_int_equal(read_all(fx, p, NULL), 4);
	assert_true(fx->md[0].bar.start == (1678485480LL - 5 * 3600) * SEC);
	fx->o.tz = "America/Chicago";
	assert_int_equal(read_all(fx, p, NULL), 4);
	assert_true(fx->md[0].bar.start == (1678485480LL + 3600) * SEC);
	fx->o.tz = "Mars/Olympus";
	assert_int_equal(read_all(fx, p, NULL), -1);
	assert_non_null(strstr(fx->err.msg, "ES_1min_sample.csv: "));
	assert_non_null(strstr(fx->err.msg, "Mars/Olympus"));
}

static void
test_reader_explicit_format(void **state)
{
	struct fixture	*fx = *state;

	fx->o.format = READER_NT_MINUTE;
	assert_non_null(strstr(read_error(fx, data_path(fx,
	    "ES_1min_sample.csv")), "ES_1min_sample.csv:1: wrong number "
	    "of fields: 1, expected 6"));
	fx->o.format = READER_CSV;
	assert_int_equal(read_all(fx, data_path(fx, "ES_1min_sample.csv"),
	    NULL), 4);
}

static void
test_reader_format_names(void **state)
{
	static const char *names[] = { "auto", "csv", "nt-minute", "nt-day",
	    "nt-tick", "lean-minute", "tick-csv", "lean-tick" };

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		enum reader_format f = reader_format_of(names[i]);

		assert_int_equal(f, (int)i);
		assert_string_equal(reader_format_name(f), names[i]);
	}
	assert_int_equal(reader_format_of("ninja"), READER_UNKNOWN);
	assert_string_equal(reader_format_name(READER_UNKNOWN), "unknown");
}

/* One bad row each: the text and the message after "path:". */
static void
test_reader_row_errors(void **state)
{
	static const struct {
		const char	*name;
		const char	*text;
		const char	*msg;
	} cases[] = {
		{ "fields.csv", "2024-01-02 09:30:00,1,1,1,1,1\n"
		    "2024-01-02 09:31:00,1,1,1,1\n",
		    ":2: wrong number of fields: 5, expected 6" },
		{ "number.csv", "2024-01-02 09:30:00,1,1,1,1,1\n\n"
		    "2024-01-02 09:31:00,1,1.5x,1,1,1\n",
		    ":3: bad high '1.5x'" },
		{ "exp.csv", "2024-01-02 09:30:00,1e3,1,1,1,1\n",
		    ":1: bad open '1e3'" },
		{ "month.csv", "2024-13-02 09:30:00,1,1,1,1,1\n",
		    ":1: bad date/time '2024-13-02 09:30:00'" },
		{ "feb30.csv", "2024-02-30 09:30:00,1,1,1,1,1\n",
		    ":1: bad date/time '2024-02-30 09:30:00'" },
		{ "hour.csv", "2024-01-02 24:00:00,1,1,1,1,1\n",
		    ":1: bad date/time '2024-01-02 24:00:00'" },
		{ "high.csv", "2024-01-02 09:30:00,10,10.25,9.75,10.5,1\n",
		    ":1: high below open or close" },
		{ "low.csv", "2024-01-02 09:30:00,10,10.25,10.25,10,1\n",
		    ":1: low above open or close" },
		{ "vol.csv", "2024-01-02 09:30:00,10,10,10,10,-4\n",
		    ":1: negative volume -4" },
		{ "volx.csv", "2024-01-02 09:30:00,10,10,10,10,4.0\n",
		    ":1: bad volume '4.0'" },
		{ "grid.csv", "2024-01-02 09:30:00,4801.10,4801.25,4801,"
		    "4801,1\n",
		    ":1: price 4801.10 is not on the 0.25 tick grid" },
		{ "back.csv", "2024-01-02 09:30:00,1,1,1,1,1\n"
		    "2024-01-02 09:32:00,1,1,1,1,1\n"
		    "2024-01-02 09:31:00,1,1,1,1,1\n",
		    ":3: timestamp 2024-01-02 09:31:00 is not after the "
		    "previous row" },
		{ "dup.csv", "2024-01-02 09:30:00,1,1,1,1,1\n"
		    "2024-01-02 09:31:00,1,1,1,1,1\n"
		    "2024-01-02 09:31:00,1,1,1,1,1\n",
		    ":3: timestamp 2024-01-02 09:31:00 is not after the "
		    "previous row" },
		{ "cut.csv", "2024-01-02 09:30:00,1,1,1,1\n"
		    "2024-01-02 09:31:00,1,1,1,1.",
		    ":2: truncated last line: bad close '1.'" },
		{ "cut2.csv", "2024-01-02 09:30:00,1,1,1,1,1\n"
		    "2024-01-02 09:31:00,1,1",
		    ":2: truncated last line: wrong number of fields: 3, "
		    "expected 6" },
		{ "ticks.csv", "time_ct,epoch_us,price\n"
		    "2018-05-07 08:30:00.1,1525699800100000,2670.50\n"
		    "2018-05-07 08:30:00.1,1525699800100000,2670.50\n"
		    "2018-05-07 08:30:00.09,1525699800090000,2670.50\n",
		    ":4: timestamp 2018-05-07 08:30:00.09 is before the "
		    "previous row" },
		{ "ntick.txt", "20131007 080000 4640000;1;1;1;1\n"
		    "20131007 080000 464000;1;1;1;1\n",
		    ":2: bad date/time '20131007 080000 464000'" },
		{ "20131007_x_tick.csv", "14400464,1675000,100,P,20002000,0\n"
		    "86400000,1675000,100,P,20002000,0\n",
		    ":2: bad milliseconds since midnight '86400000'" },
		{ "20131007_y_tick.csv", "14400464,1675000,100,P,20002000,2\n",
		    ":1: bad suspicious flag '2'" },
	};
	struct fixture	*fx = *state;
	char		 want[256];
	const char	*path;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		path = scratch(fx, cases[i].name, cases[i].text);
		snprintf(want, sizeof want, "%s%s", path, cases[i].msg);
		assert_string_equal(read_error(fx, path), want);
	}
}

/*
 * Prices at or below zero, in every format: a good row, then a bad one.
 * text0 has a zero price, textn a negative one; the messages follow
 * "path:".  An instrument with negative_prices reads both files.
 */
static const struct {
	const char	*name;
	const char	*text0, *msg0;
	const char	*textn, *msgn;
} sign_cases[] = {
	{ "csv.csv",
	    "timestamp,open,high,low,close,volume\n"
	    "2020-04-20 14:29:00,1.25,1.50,1.00,1.25,10\n"
	    "2020-04-20 14:30:00,1.25,1.50,0.00,1.25,10\n",
	    ":3: low price 0.00 is not above zero",
	    "2020-04-20 14:29:00,1.25,1.50,1.00,1.25,10\n"
	    "2020-04-20 14:30:00,1.25,1.50,-37.63,-37.63,10\n",
	    ":2: low price -37.63 is not above zero" },
	{ "nt-minute.txt",
	    "20200420 183000;1.25;1.50;1.00;1.25;10\n"
	    "20200420 183100;0;0;0;0;10\n",
	    ":2: open price 0.00 is not above zero",
	    "20200420 183000;1.25;1.50;1.00;1.25;10\n"
	    "20200420 183100;-1;1.50;-1.25;1.25;10\n",
	    ":2: open price -1.00 is not above zero" },
	{ "nt-day.txt",
	    "20200417;18.25;19.25;17.50;18.25;100\n"
	    "20200420;17.75;17.75;0;0;100\n",
	    ":2: low price 0.00 is not above zero",
	    "20200417;18.25;19.25;17.50;18.25;100\n"
	    "20200420;17.75;17.75;-40.32;-37.63;100\n",
	    ":2: low price -40.32 is not above zero" },
	{ "nt-tick.txt",
	    "20200420 183000 0000000;1.25;1\n"
	    "20200420 183001 0000000;0;1\n",
	    ":2: price 0.00 is not above zero",
	    "20200420 183000 0000000;1.25;1\n"
	    "20200420 183001 0000000;-37.63;1\n",
	    ":2: price -37.63 is not above zero" },
	/* Bid and ask 0 are no quote; a negative one is a price. */
	{ "nt-quote.txt",
	    "20200420 183000;1.25;0;0;1\n"
	    "20200420 183001;0;1.00;1.50;1\n",
	    ":2: price 0.00 is not above zero",
	    "20200420 183000;1.25;0;0;1\n"
	    "20200420 183001;1.25;1.00;1.50;1\n"
	    "20200420 183002;1.25;-1.00;1.50;1\n",
	    ":3: bid price -1.00 is not above zero" },
	{ "20200420_cl_minute_trade.csv",
	    "0,1.25,1.5,1,1.25,9\n"
	    "60000,0,0,0,0,9\n",
	    ":2: open price 0.00 is not above zero",
	    "0,1.25,1.5,1,1.25,9\n"
	    "60000,1,1.5,-1,1.25,9\n",
	    ":2: low price -1.00 is not above zero" },
	{ "tick.csv",
	    "2020-04-20 13:30:00.1,1587389400100000,1.25\n"
	    "2020-04-20 13:30:00.2,1587389400200000,0\n",
	    ":2: price 0.00 is not above zero",
	    "2020-04-20 13:30:00.1,1587389400100000,1.25\n"
	    "2020-04-20 13:30:00.2,1587389400200000,-37.63\n",
	    ":2: price -37.63 is not above zero" },
	/* A row flagged suspicious is dropped, whatever its price. */
	{ "20200420_cl_Trade_Tick.csv",
	    "14400464,12500,100,P,20002000,0\n"
	    "14400465,0,100,P,20002000,1\n"
	    "14400466,0,100,P,20002000,0\n",
	    ":3: price 0.00 is not above zero",
	    "14400464,12500,100,P,20002000,0\n"
	    "14400465,-376300,100,P,20002000,0\n",
	    ":2: price -37.63 is not above zero" },
};

static void
test_reader_prices_above_zero(void **state)
{
	struct fixture	*fx = *state;
	char		 want[512];
	const char	*path;

	for (size_t i = 0; i < sizeof sign_cases / sizeof sign_cases[0];
	    i++) {
		path = scratch(fx, sign_cases[i].name, sign_cases[i].text0);
		snprintf(want, sizeof want, "%s%s", path, sign_cases[i].msg0);
		assert_string_equal(read_error(fx, path), want);
		path = scratch(fx, sign_cases[i].name, sign_cases[i].textn);
		snprintf(want, sizeof want, "%s%s", path, sign_cases[i].msgn);
		assert_string_equal(read_error(fx, path), want);
	}
	/* Without an instrument no price may be 0 or below either. */
	fx->o.instrument = NULL;
	path = scratch(fx, "px.csv", sign_cases[0].textn);
	snprintf(want, sizeof want, "%s:2: low price -37.63 is not above "
	    "zero", path);
	assert_string_equal(read_error(fx, path), want);
}

static void
test_reader_negative_prices_instrument(void **state)
{
	struct fixture		*fx = *state;
	struct instrument	 cl = { .symbol = "CL", .tick_size = 10000000LL,
	    .point_value = 100000, .negative_prices = true };
	struct reader_stats	 st;
	int			 n;

	assert_int_equal(instrument_init(&cl, NULL), 0);
	fx->o.instrument = &cl;
	for (size_t i = 0; i < sizeof sign_cases / sizeof sign_cases[0];
	    i++) {
		n = read_all(fx, scratch(fx, sign_cases[i].name,
		    sign_cases[i].text0), &st);
		if (n == -1)
			fail_msg("%s", fx->err.msg);
		assert_int_equal(n, (int)(st.rows - st.skipped_flagged));
		n = read_all(fx, scratch(fx, sign_cases[i].name,
		    sign_cases[i].textn), &st);
		if (n == -1)
			fail_msg("%s", fx->err.msg);
		assert_int_equal(n, (int)st.rows);
	}
	/* The prices are read as written, in ticks of 0.01. */
	read_all(fx, scratch(fx, "csv.csv", sign_cases[0].textn), NULL);
	assert_true(fx->md[1].bar.low == -3763 && fx->md[1].bar.close == -3763);
	read_all(fx, scratch(fx, "csv.csv", sign_cases[0].text0), NULL);
	assert_true(fx->md[1].bar.low == 0);
	read_all(fx, scratch(fx, "nt-quote.txt", sign_cases[4].textn), NULL);
	assert_true(fx->md[0].tick.bid == 0 && fx->md[2].tick.bid == -100);
	read_all(fx, scratch(fx, "20200420_cl_Trade_Tick.csv",
	    sign_cases[7].textn), NULL);
	assert_true(fx->md[1].tick.price == -3763);
}

static void
test_reader_disorder_skip(void **state)
{
	struct fixture		*fx = *state;
	struct reader_stats	 st;

	fx->o.disorder = READER_SKIP;
	assert_int_equal(read_all(fx, scratch(fx, "skip.csv",
	    "2024-01-02 09:30:00,1,1,1,1,1\n"
	    "2024-01-02 09:32:00,1,1,1,1,2\n"
	    "2024-01-02 09:31:00,1,1,1,1,3\n"
	    "2024-01-02 09:32:00,1,1,1,1,4\n"
	    "2024-01-02 09:33:00,1,1,1,1,5\n"), &st), 3);
	assert_true(fx->md[2].bar.volume == 5);
	assert_true(st.rows == 5 && st.events == 3 && st.skipped_disorder == 2);
}

static void
test_reader_complete_last_line_without_newline(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(read_all(fx, scratch(fx, "nonl.csv",
	    "2024-01-02 09:30:00,1,1,1,1,1\r\n"
	    "2024-01-02 09:31:00,1,1,1,1,7"), NULL), 2);
	assert_true(fx->md[1].bar.volume == 7);
}

static void
test_reader_open_errors(void **state)
{
	struct fixture	*fx = *state;
	char		 want[256];
	const char	*p;

	p = data_path(fx, "no-such-file.csv");
	snprintf(want, sizeof want, "%.200s: no such file or directory", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "empty.csv", "");
	snprintf(want, sizeof want, "%s: empty file", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "blank.csv", "\n\r\n\n");
	snprintf(want, sizeof want, "%s: no data rows", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "hdr.csv", "timestamp,open,high,low,close,volume\n");
	snprintf(want, sizeof want, "%s: no data rows", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "garbage.csv", "hello world\n"
	    "2024-01-02 09:30:00,1,1,1,1,1\n");
	snprintf(want, sizeof want, "%s:1: not a header and not a data row: "
	    "'hello world'", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "garbage2.csv", "a,b,,d,e,f\n"
	    "2024-01-02 09:30:00,1,1,1,1,1\n");
	assert_non_null(strstr(read_error(fx, p), ":1: not a header"));

	p = scratch(fx, "twohdr.csv", "a,b,c,d,e,f\na,b,c,d,e,f\n"
	    "2024-01-02 09:30:00,1,1,1,1,1\n");
	snprintf(want, sizeof want, "%s: no data rows", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "what.csv", "1,2\n");
	snprintf(want, sizeof want, "%s:1: cannot tell the data format from "
	    "'1,2'", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "es_minute_trade.csv", "0,1,1,1,1,9\n");
	snprintf(want, sizeof want, "%s: the file name must start with the "
	    "date as YYYYMMDD_", p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "data.gz", "\x1f\x8b\x08\x00rest");
	snprintf(want, sizeof want, "%s: gzip data is not supported, use xz",
	    p);
	assert_string_equal(read_error(fx, p), want);

	p = scratch(fx, "bad.xz", "\xfd" "7zXZ");
	assert_non_null(strstr(read_error(fx, p), "bad.xz: "));

	fx->o.bar_minutes = 50000;
	p = data_path(fx, "ES_1min_sample.csv");
	snprintf(want, sizeof want, "%.200s: bar length 50000 minutes is too "
	    "long", p);
	assert_string_equal(read_error(fx, p), want);
}

static void
test_reader_error_is_sticky(void **state)
{
	struct fixture	*fx = *state;
	struct reader	*r;
	struct td_md	 md;
	struct errmsg	 e1, e2;

	r = reader_open(scratch(fx, "sticky.csv",
	    "2024-01-02 09:30:00,1,1,1,1,x\n"
	    "2024-01-02 09:31:00,1,1,1,1,1\n"), &fx->o, &e1);
	assert_non_null(r);
	assert_int_equal(reader_next(r, &md, NULL), -1);
	assert_int_equal(reader_next(r, &md, &e1), -1);
	assert_int_equal(reader_next(r, &md, &e2), -1);
	assert_string_equal(e1.msg, e2.msg);
	assert_non_null(strstr(e1.msg, "sticky.csv:1: bad volume 'x'"));
	reader_close(r);
	reader_close(NULL);
}

/* A file bigger than the reader's buffer, lines across its edges. */
static void
test_reader_long_file(void **state)
{
	struct fixture	*fx = *state;
	struct reader	*r;
	struct td_md	 md;
	char		 path[128];
	FILE		*f;
	int		 i, n = 0;
	td_ns		 first = 0, last = 0;

	snprintf(path, sizeof path, "%s/long.csv", fx->tmp);
	assert_non_null(f = fopen(path, "w"));
	for (i = 0; i < 40000; i++)
		fprintf(f, "2024-01-%02d %02d:%02d:00,4801.25,4801.50,4801.00,"
		    "4801.25,%d\n", 2 + i / 1440, i / 60 % 24, i % 60, i);
	fclose(f);
	assert_non_null(r = reader_open(path, &fx->o, &fx->err));
	while (reader_next(r, &md, &fx->err) == 1) {
		if (md.bar.volume != n)
			fail_msg("row %d has volume %lld", n,
			    (long long)md.bar.volume);
		if (n == 0)
			first = md.bar.start;
		last = md.bar.start;
		n++;
	}
	assert_int_equal(n, 40000);
	assert_true(last - first == 39999 * MIN);
	assert_true(reader_stats(r)->events == 40000);
	reader_close(r);
}

/* ------------------------------------------------- the real data set */

static const char *
shared(const char *rel)
{
	static char	 path[1024];
	const char	*d = getenv("TD_SHARED_DATA");
	struct stat	 sb;

	if (d == NULL || *d == '\0')
		return NULL;
	snprintf(path, sizeof path, "%s/%s", d, rel);
	return stat(path, &sb) == 0 ? path : NULL;
}

static int64_t
count_file(struct fixture *fx, const char *path, int64_t max,
    struct td_md *first, struct td_md *lastmd)
{
	struct reader	*r;
	struct td_md	 md;
	int64_t		 n = 0;
	int		 rc;

	if ((r = reader_open(path, &fx->o, &fx->err)) == NULL)
		fail_msg("%s", fx->err.msg);
	while (n < max && (rc = reader_next(r, &md, &fx->err)) == 1) {
		if (n == 0 && first != NULL)
			*first = md;
		n++;
	}
	if (rc == -1)
		fail_msg("%s", fx->err.msg);
	if (lastmd != NULL)
		*lastmd = md;
	reader_close(r);
	return n;
}

static void
test_reader_real_data(void **state)
{
	struct fixture	*fx = *state;
	struct td_md	 a, z;
	const char	*p;

	if ((p = shared("firstrate-samples/ES_1min_sample_2023-03.csv")) ==
	    NULL)
		skip();
	assert_true(count_file(fx, p, 1000, &a, &z) == 1000);
	/* 2023-03-08 00:00 EST, 4024.75 .. 4025.00, 307 contracts. */
	assert_true(a.bar.start == 1678251600LL * SEC);
	assert_true(a.bar.open == 16099 && a.bar.close == 16100 &&
	    a.bar.volume == 307);

	if ((p = shared("es-minute/ES_1min_continuous_adjusted_2023.csv.xz"))
	    != NULL) {
		assert_true(count_file(fx, p, INT64_MAX, &a, &z) == 80933);
		/* Last bar 2023-03-24 16:59 EDT. */
		assert_true(z.bar.start == 1679691540LL * SEC);
	}
	if ((p = shared("ninjatrader-format/minute/ES 12-13.Last.txt")) !=
	    NULL)
		assert_true(count_file(fx, p, INT64_MAX, NULL, NULL) == 16673);
	if ((p = shared("ticks/ESM8_trades_20180507.csv.xz")) != NULL)
		assert_true(count_file(fx, p, INT64_MAX, NULL, NULL) == 74907);
	fx->o.instrument = &fx->spy;
	if ((p = shared("ninjatrader-format/tick/SPY.Last.txt.xz")) != NULL)
		assert_true(count_file(fx, p, INT64_MAX, NULL, NULL) ==
		    250601);
	if ((p = shared("ticks/spy-lean/20131007_spy_Trade_Tick.csv.xz")) !=
	    NULL)
		assert_true(count_file(fx, p, INT64_MAX, NULL, NULL) ==
		    250601);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_reader_csv_es_bars),
		T(test_reader_xz_equals_plain),
		T(test_reader_csv_header_5min_px),
		T(test_reader_csv_day_bars),
		T(test_reader_nt_minute_end_stamps),
		T(test_reader_nt_day),
		T(test_reader_nt_ticks),
		T(test_reader_lean_minute),
		T(test_reader_tick_csv),
		T(test_reader_lean_tick),
		T(test_reader_time_zone_option),
		T(test_reader_explicit_format),
		T(test_reader_format_names),
		T(test_reader_row_errors),
		T(test_reader_prices_above_zero),
		T(test_reader_negative_prices_instrument),
		T(test_reader_disorder_skip),
		T(test_reader_complete_last_line_without_newline),
		T(test_reader_open_errors),
		T(test_reader_error_is_sticky),
		T(test_reader_long_file),
		T(test_reader_real_data),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
