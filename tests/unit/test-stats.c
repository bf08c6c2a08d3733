/*
 * test-stats.c -- backtest statistics, the text report and the CSV, and
 * the day table (built by hand and as an engine's observer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "instrument.h"
#include "stats.h"
#include "trades.h"
#include "tz.h"

#define ES	td_inst_at(0)
#define MES	td_inst_at(1)
#define MANUAL	td_owner_manual()
#define STRAT(i)	td_owner_strat(td_strat_at(i))
#define P4800	19200
#define T0	(1709649000LL * TD_NS_PER_SEC)	/* 2024-03-05 14:30Z */
#define HOUR	TD_NS_PER_HOUR
#define MIN10	(10 * TD_NS_PER_MIN)

static const struct instrument test_insts[] = {
	{
		.symbol = "ES",
		.tick_size = 250000000,
		.point_value = 5000,
		.tick_value = 1250,
		.commission = 62,
		.decimals = 2,
	},
	{
		.symbol = "MES",
		.tick_size = 250000000,
		.point_value = 500,
		.tick_value = 125,
		.commission = 0,
		.decimals = 2,
	},
};

/* The days of the Sharpe example: mean 62.50, sample sd 110.8678. */
static const struct stats_day test_days[] = {
	{ .day = 20240304, .net = 10000, .trades = 1 },
	{ .day = 20240305, .net = -5000, .trades = 2 },
	{ .day = 20240306, .net = 0, .trades = 0 },
	{ .day = 20240307, .net = 20000, .trades = 2 },
};

/* Strategy 0 and 1 of fill_example; the second needs quoting in CSV. */
static const char *const test_owners[] = { "orb", "orb, late" };

static int
setup(void **state)
{
	struct trades	*tl;

	tl = trades_create(test_insts, 2, NULL);
	if (tl == NULL)
		return -1;
	*state = tl;
	return 0;
}

static int
teardown(void **state)
{
	trades_free(*state);
	return 0;
}

/*
 * Five trades, an hour apart, ten minutes each:
 *   1 ES long  +8 ticks   gross  100.00 net   98.76
 *   2 ES long  -4 ticks   gross  -50.00 net  -51.24
 *   3 ES short -6 ticks   gross  -75.00 net  -76.24  (manual)
 *   4 ES long 2, in at +0/+1, out at +10/+11: 20 ticks, 250.00, 247.52
 *   5 MES scratch, no commission: 0.00
 * Equity: 98.76, 47.52, -28.72, 218.80, 218.80; the drawdown is from
 * 98.76 (trade 1) to -28.72 (trade 3) = 127.48.
 */
static void
fill_example(struct trades *tl)
{
	td_ns	 t = T0;

	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, t, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 + 8, t + MIN10,
	    "target", NULL);
	t += HOUR;
	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, t, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 - 4, t + MIN10, "stop",
	    NULL);
	t += HOUR;
	trades_fill(tl, ES, MANUAL, TD_SELL, 1, P4800, t, NULL, NULL);
	trades_fill(tl, ES, MANUAL, TD_BUY, 1, P4800 + 6, t + MIN10, "flatten",
	    NULL);
	t += HOUR;
	trades_fill(tl, ES, STRAT(1), TD_BUY, 1, P4800, t, NULL, NULL);
	trades_fill(tl, ES, STRAT(1), TD_BUY, 1, P4800 + 1, t, NULL, NULL);
	trades_fill(tl, ES, STRAT(1), TD_SELL, 1, P4800 + 10, t + MIN10, NULL,
	    NULL);
	trades_fill(tl, ES, STRAT(1), TD_SELL, 1, P4800 + 11, t + MIN10,
	    "target, trailed", NULL);
	t += HOUR;
	trades_fill(tl, MES, STRAT(1), TD_BUY, 1, P4800, t, NULL, NULL);
	trades_fill(tl, MES, STRAT(1), TD_SELL, 1, P4800, t + MIN10, "exit",
	    NULL);
	/* An open trade is not counted. */
	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, t + HOUR, NULL, NULL);
}

static void
test_stats_summary(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;

	fill_example(tl);
	stats_compute(&st, tl, test_days, 4);
	assert_int_equal(st.trades, 5);
	assert_int_equal(st.winners, 2);
	assert_int_equal(st.losers, 2);
	assert_int_equal(st.scratches, 1);
	assert_true(fabs(st.win_rate - 0.4) < 1e-12);
	assert_int_equal(st.gross_profit, 10000 + 25000);
	assert_int_equal(st.gross_loss, -5000 - 7500);
	assert_int_equal(st.net_profit, 9876 + 24752);
	assert_int_equal(st.net_loss, -5124 - 7624);
	assert_int_equal(st.gross, 22500);
	assert_int_equal(st.commissions, 620);
	assert_int_equal(st.net, 21880);
	assert_int_equal(st.largest_win, 24752);
	assert_int_equal(st.largest_loss, -7624);
	assert_int_equal(st.avg_duration, MIN10);
}

static void
test_stats_profit_factor_and_expectancy(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;

	fill_example(tl);
	stats_compute(&st, tl, NULL, 0);
	/* 346.28 / 127.48 */
	assert_true(fabs(st.profit_factor - 2.7163476623784124) < 1e-12);
	/* 218.80 / 5 */
	assert_int_equal(st.expectancy, 4376);
}

static void
test_stats_expectancy_rounds_half_away(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;

	/* Two MES trades: +1 tick, +0: 1.25 / 2 = 0.625 -> 0.63. */
	trades_fill(tl, MES, STRAT(0), TD_BUY, 1, 100, 1, NULL, NULL);
	trades_fill(tl, MES, STRAT(0), TD_SELL, 1, 101, 2, NULL, NULL);
	trades_fill(tl, MES, STRAT(0), TD_BUY, 1, 100, 3, NULL, NULL);
	trades_fill(tl, MES, STRAT(0), TD_SELL, 1, 100, 4, NULL, NULL);
	stats_compute(&st, tl, NULL, 0);
	assert_int_equal(st.expectancy, 63);
	/* No loser: profit factor is infinite, not a division by zero. */
	assert_true(isinf(st.profit_factor) && st.profit_factor > 0);

	/* -1 tick twice more: -1.25 / 4 = -0.3125 -> -0.31. */
	trades_fill(tl, MES, STRAT(0), TD_BUY, 1, 100, 5, NULL, NULL);
	trades_fill(tl, MES, STRAT(0), TD_SELL, 1, 99, 6, NULL, NULL);
	trades_fill(tl, MES, STRAT(0), TD_BUY, 1, 100, 7, NULL, NULL);
	trades_fill(tl, MES, STRAT(0), TD_SELL, 1, 99, 8, NULL, NULL);
	stats_compute(&st, tl, NULL, 0);
	assert_int_equal(st.net, -125);
	assert_int_equal(st.expectancy, -31);
	assert_true(fabs(st.profit_factor - 0.5) < 1e-12);
}

static void
test_stats_drawdown(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;

	fill_example(tl);
	stats_compute(&st, tl, NULL, 0);
	assert_int_equal(st.max_drawdown, 12748);
	assert_int_equal(st.dd_peak_time, T0 + MIN10);
	assert_int_equal(st.dd_trough_time, T0 + 2 * HOUR + MIN10);
}

/* A first losing trade draws down from the starting equity of 0. */
static void
test_stats_drawdown_from_start(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;

	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, T0, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 - 2, T0 + 5, NULL,
	    NULL);
	stats_compute(&st, tl, NULL, 0);
	assert_int_equal(st.max_drawdown, 2500 + 124);
	assert_int_equal(st.dd_peak_time, T0);
	assert_int_equal(st.dd_trough_time, T0 + 5);
}

static void
test_stats_sharpe(void **state)
{
	struct stats	 st;

	(void)state;
	stats_compute(&st, NULL, test_days, 4);
	assert_int_equal(st.days, 4);
	/* 62.50 / sqrt(3687500 / 3) x sqrt(252), by hand. */
	assert_true(fabs(st.sharpe - 8.949008088202394) < 1e-9);

	/* One day, or days all equal: no Sharpe. */
	stats_compute(&st, NULL, test_days, 1);
	assert_true(isnan(st.sharpe));
	stats_compute(&st, NULL, (const struct stats_day[]){
	    { .day = 1, .net = 500 }, { .day = 2, .net = 500 } }, 2);
	assert_true(isnan(st.sharpe));
}

static void
test_stats_empty(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;

	stats_compute(&st, tl, NULL, 0);
	assert_int_equal(st.trades, 0);
	assert_true(isnan(st.win_rate));
	assert_true(isnan(st.profit_factor));
	assert_true(isnan(st.sharpe));
	assert_int_equal(st.expectancy, 0);
	assert_int_equal(st.max_drawdown, 0);
}

/* Run a writer into memory and return the text (caller frees). */
static char *
capture_report(const struct stats *st, const struct stats_day *days,
    size_t ndays)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(stats_report(f, st, days, ndays, NULL), 0);
	fclose(f);
	return buf;
}

static void
test_stats_report_text(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;
	char		*text;

	fill_example(tl);
	stats_compute(&st, tl, test_days, 4);
	text = capture_report(&st, test_days, 4);
	assert_string_equal(text,
	    "trades                          5\n"
	    "winners                         2  (40.00%)\n"
	    "losers                          2\n"
	    "scratches                       1\n"
	    "gross profit               350.00\n"
	    "gross loss                -125.00\n"
	    "net profit                 346.28\n"
	    "net loss                  -127.48\n"
	    "profit factor                2.72\n"
	    "expectancy                  43.76\n"
	    "gross p&l                  225.00\n"
	    "commissions                  6.20\n"
	    "net p&l                    218.80\n"
	    "largest win                247.52\n"
	    "largest loss               -76.24\n"
	    "max drawdown               127.48  (2024-03-05 14:40:00Z -> "
	    "2024-03-05 16:40:00Z)\n"
	    "avg duration             00:10:00\n"
	    "days                            4\n"
	    "sharpe (daily)               8.95\n"
	    "\n"
	    "date       trades            net     cumulative\n"
	    "2024-03-04      1         100.00         100.00\n"
	    "2024-03-05      2         -50.00          50.00\n"
	    "2024-03-06      0           0.00          50.00\n"
	    "2024-03-07      2         200.00         250.00\n");
	free(text);
}

static void
test_stats_report_without_trades(void **state)
{
	struct stats	 st;
	char		*text;

	(void)state;
	stats_compute(&st, NULL, NULL, 0);
	text = capture_report(&st, NULL, 0);
	assert_non_null(strstr(text, "winners                         0\n"));
	assert_non_null(strstr(text, "profit factor                 n/a\n"));
	assert_non_null(strstr(text, "sharpe (daily)                n/a\n"));
	assert_null(strstr(text, "date"));
	free(text);
}

static void
test_stats_report_infinite_profit_factor(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;
	char		*text;

	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, T0, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 + 100000, T0 + 1, NULL,
	    NULL);
	stats_compute(&st, tl, NULL, 0);
	text = capture_report(&st, NULL, 0);
	assert_non_null(strstr(text, "profit factor                 inf\n"));
	assert_non_null(strstr(text, "net p&l              1,249,998.76\n"));
	free(text);
}

static void
test_stats_csv(void **state)
{
	struct trades	*tl = *state;
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*f;

	fill_example(tl);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(stats_write_csv(f, tl, test_owners, 2, NULL), 0);
	fclose(f);
	assert_string_equal(buf,
	    "id,symbol,owner,side,qty,entry_time,exit_time,entry_price,"
	    "exit_price,gross,commission,net,reason\n"
	    "1,ES,orb,long,1,2024-03-05T14:30:00.000Z,2024-03-05T14:40:00.000Z,"
	    "4800.00,4802.00,100.00,1.24,98.76,target\n"
	    "2,ES,orb,long,1,2024-03-05T15:30:00.000Z,2024-03-05T15:40:00.000Z,"
	    "4800.00,4799.00,-50.00,1.24,-51.24,stop\n"
	    "3,ES,manual,short,1,2024-03-05T16:30:00.000Z,"
	    "2024-03-05T16:40:00.000Z,4800.00,4801.50,-75.00,1.24,-76.24,"
	    "flatten\n"
	    "4,ES,\"orb, late\",long,2,2024-03-05T17:30:00.000Z,"
	    "2024-03-05T17:40:00.000Z,4800.1250,4802.6250,250.00,2.48,247.52,"
	    "\"target, trailed\"\n"
	    "5,MES,\"orb, late\",long,1,2024-03-05T18:30:00.000Z,"
	    "2024-03-05T18:40:00.000Z,4800.00,4800.00,0.00,0.00,0.00,exit\n");
	free(buf);
}

static void
test_stats_write_error(void **state)
{
	struct trades	*tl = *state;
	struct errmsg	 err = { "" };
	struct stats	 st;
	FILE		*f;

	fill_example(tl);
	stats_compute(&st, tl, NULL, 0);
	f = fopen("/dev/full", "w");
	if (f == NULL)
		skip();
	assert_int_equal(stats_write_csv(f, tl, NULL, 0, &err), -1);
	assert_string_equal(err.msg, "cannot write the report");
	fclose(f);
}

/* Keep the trades whose index is a set bit of *arg. */
static bool
keep_mask(void *arg, size_t i, const struct trade *t)
{
	(void)t;
	return (*(unsigned *)arg >> i & 1) != 0;
}

static void
test_stats_compute_selection(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;
	unsigned	 mask = 1 << 1 | 1 << 2;	/* the two losers */

	fill_example(tl);
	stats_compute_sel(&st, tl, keep_mask, &mask, NULL, 0);
	assert_int_equal(st.trades, 2);
	assert_int_equal(st.losers, 2);
	assert_int_equal(st.net, -5124 - 7624);
	/* The curve starts at the first kept trade: 0, -51.24, -127.48. */
	assert_int_equal(st.max_drawdown, 5124 + 7624);
	assert_int_equal(st.dd_peak_time, T0 + HOUR);
	assert_true(isnan(st.profit_factor) == 0 && st.profit_factor == 0);
	mask = 0;
	stats_compute_sel(&st, tl, keep_mask, &mask, NULL, 0);
	assert_int_equal(st.trades, 0);
	assert_true(isnan(st.win_rate));
}

/* Entries 09:30 to 13:30 New York time on Tuesday 2024-03-05. */
static void
test_stats_times(void **state)
{
	struct trades		*tl = *state;
	struct stats_times	 bt;
	struct tz		*ny = tz_load("America/New_York", NULL);
	unsigned		 mask = ~0u ^ 1u;

	assert_non_null(ny);
	fill_example(tl);
	stats_times_compute(&bt, tl, NULL, NULL, ny);
	assert_int_equal(bt.hour[9].trades, 1);
	assert_int_equal(bt.hour[9].winners, 1);
	assert_int_equal(bt.hour[9].net, 9876);
	assert_int_equal(bt.hour[11].net, -7624);
	assert_int_equal(bt.hour[12].net, 24752);
	assert_int_equal(bt.hour[13].trades, 1);
	assert_int_equal(bt.hour[13].winners, 0);
	assert_int_equal(bt.hour[14].trades, 0);
	assert_int_equal(bt.weekday[2].trades, 5);
	assert_int_equal(bt.weekday[2].winners, 2);
	assert_int_equal(bt.weekday[2].net, 21880);
	assert_int_equal(bt.weekday[1].trades, 0);
	/* In UTC, and a selection. */
	stats_times_compute(&bt, tl, keep_mask, &mask, NULL);
	assert_int_equal(bt.hour[14].trades, 0);
	assert_int_equal(bt.hour[15].trades, 1);
	assert_int_equal(bt.weekday[2].trades, 4);
	tz_free(ny);
}

/* Run a writer into memory; the text is the caller's to free. */
#define CAPTURE(buf, call) do {						\
	size_t	 len_ = 0;						\
	FILE	*f = open_memstream(&(buf), &len_);			\
									\
	assert_non_null(f);						\
	assert_int_equal((call), 0);					\
	fclose(f);							\
} while (0)

static void
test_stats_write_summary_formats(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;
	char		*text = NULL, *csv = NULL, *json = NULL;

	fill_example(tl);
	stats_compute(&st, tl, test_days, 4);
	CAPTURE(text, stats_write_summary(f, STATS_TEXT, &st, NULL, NULL));
	assert_non_null(strstr(text, "net p&l                    218.80\n"));
	assert_null(strstr(text, "date"));
	CAPTURE(csv, stats_write_summary(f, STATS_CSV, &st, NULL, NULL));
	assert_non_null(strstr(csv, "metric,value\ntrades,5\nwinners,2\n"));
	assert_non_null(strstr(csv, "\nwin_rate,0.4000\n"));
	assert_non_null(strstr(csv, "\nprofit_factor,2.7163\n"));
	assert_non_null(strstr(csv, "\nnet,218.80\n"));
	assert_non_null(strstr(csv, "\ngross_loss,-125.00\n"));
	assert_non_null(strstr(csv, "\nnet_loss,-127.48\n"));
	assert_non_null(strstr(csv,
	    "\ndrawdown_peak,2024-03-05T14:40:00.000Z\n"));
	assert_non_null(strstr(csv, "\navg_duration_s,600\n"));
	assert_non_null(strstr(csv, "\nsharpe,8.9490\n"));
	CAPTURE(json, stats_write_summary(f, STATS_JSON, &st, NULL, NULL));
	assert_true(json[0] == '{' && json[strlen(json) - 1] == '}');
	assert_non_null(strstr(json, "\"trades\": 5, \"winners\": 2"));
	assert_non_null(strstr(json, "\"net\": 218.80"));
	assert_non_null(strstr(json, "\"drawdown_trough\": "
	    "\"2024-03-05T16:40:00.000Z\""));
	free(text);
	free(csv);
	free(json);

	/* n/a and infinity. */
	stats_compute(&st, NULL, NULL, 0);
	CAPTURE(csv, stats_write_summary(f, STATS_CSV, &st, NULL, NULL));
	assert_non_null(strstr(csv, "\nprofit_factor,\n"));
	assert_non_null(strstr(csv, "\ndrawdown_peak,\n"));
	CAPTURE(json, stats_write_summary(f, STATS_JSON, &st, NULL, NULL));
	assert_non_null(strstr(json, "\"profit_factor\": null"));
	assert_non_null(strstr(json, "\"drawdown_peak\": null"));
	free(csv);
	free(json);
	st.profit_factor = INFINITY;
	CAPTURE(json, stats_write_summary(f, STATS_JSON, &st, NULL, NULL));
	assert_non_null(strstr(json, "\"profit_factor\": \"inf\""));
	free(json);
}

static void
test_stats_write_days_formats(void **state)
{
	char	*csv = NULL, *json = NULL, *text = NULL;

	(void)state;
	CAPTURE(csv, stats_write_days(f, STATS_CSV, test_days, 2, NULL));
	assert_string_equal(csv, "day,trades,net,cumulative\n"
	    "2024-03-04,1,100.00,100.00\n2024-03-05,2,-50.00,50.00\n");
	CAPTURE(json, stats_write_days(f, STATS_JSON, test_days, 2, NULL));
	assert_string_equal(json, "[{\"day\": \"2024-03-04\", \"trades\": 1, "
	    "\"net\": 100.00, \"cumulative\": 100.00}, {\"day\": "
	    "\"2024-03-05\", \"trades\": 2, \"net\": -50.00, "
	    "\"cumulative\": 50.00}]");
	CAPTURE(text, stats_write_days(f, STATS_TEXT, NULL, 0, NULL));
	assert_string_equal(text, "date       trades            net     "
	    "cumulative\n");
	free(csv);
	free(json);
	free(text);
}

static void
test_stats_write_times_formats(void **state)
{
	struct trades		*tl = *state;
	struct stats_times	 bt;
	struct tz		*ny = tz_load("America/New_York", NULL);
	unsigned		 mask = 1 << 0 | 1 << 1;
	char			*text = NULL, *csv = NULL, *json = NULL;

	fill_example(tl);
	stats_times_compute(&bt, tl, keep_mask, &mask, ny);
	CAPTURE(text, stats_write_times(f, STATS_TEXT, &bt, NULL));
	assert_string_equal(text,
	    "hour      trades  winners            net\n"
	    "09:00          1        1          98.76\n"
	    "10:00          1        0         -51.24\n"
	    "\n"
	    "weekday   trades  winners            net\n"
	    "Tue            2        1          47.52\n");
	CAPTURE(csv, stats_write_times(f, STATS_CSV, &bt, NULL));
	assert_string_equal(csv, "bucket,key,trades,winners,net\n"
	    "hour,09,1,1,98.76\nhour,10,1,0,-51.24\n"
	    "weekday,Tue,2,1,47.52\n");
	CAPTURE(json, stats_write_times(f, STATS_JSON, &bt, NULL));
	assert_string_equal(json, "{\"by_hour\": [{\"hour\": 9, "
	    "\"trades\": 1, \"winners\": 1, \"net\": 98.76}, {\"hour\": 10, "
	    "\"trades\": 1, \"winners\": 0, \"net\": -51.24}], "
	    "\"by_weekday\": [{\"weekday\": \"Tue\", \"trades\": 2, "
	    "\"winners\": 1, \"net\": 47.52}]}");
	free(text);
	free(csv);
	free(json);
	tz_free(ny);
}

static void
test_stats_write_trades_formats(void **state)
{
	struct trades	*tl = *state;
	struct tz	*ny = tz_load("America/New_York", NULL);
	const char	*names[] = { "orb", NULL };
	unsigned	 mask = 1 << 2 | 1 << 3;
	char		*text = NULL, *csv = NULL, *json = NULL;

	fill_example(tl);
	CAPTURE(csv, stats_write_trades(f, STATS_CSV, tl, keep_mask, &mask,
	    names, 2, NULL, NULL));
	assert_string_equal(csv,
	    "id,symbol,strategy,side,qty,entry_time,exit_time,entry_price,"
	    "exit_price,gross,commission,net,duration_s,reason\n"
	    "3,ES,manual,short,1,2024-03-05T16:30:00.000Z,"
	    "2024-03-05T16:40:00.000Z,4800.00,4801.50,-75.00,1.24,-76.24,600,"
	    "flatten\n"
	    "4,ES,1,long,2,2024-03-05T17:30:00.000Z,2024-03-05T17:40:00.000Z,"
	    "4800.1250,4802.6250,250.00,2.48,247.52,600,\"target, trailed\"\n");
	CAPTURE(text, stats_write_trades(f, STATS_TEXT, tl, NULL, NULL,
	    names, 1, ny, NULL));
	assert_non_null(strstr(text, "    1 ES     orb          long     1 "
	    "2024-03-05 09:30:00 2024-03-05 09:40:00    4800.00    4802.00 "
	    "       98.76  00:10:00 target\n"));
	assert_non_null(strstr(text, "    5 MES    1            long "));
	CAPTURE(json, stats_write_trades(f, STATS_JSON, tl, keep_mask, &mask,
	    names, 1, ny, NULL));
	assert_true(json[0] == '[' && json[strlen(json) - 1] == ']');
	assert_non_null(strstr(json, "{\"id\": 3, \"symbol\": \"ES\", "
	    "\"strategy\": \"manual\", \"side\": \"short\", \"qty\": 1, "
	    "\"entry_time\": \"2024-03-05T16:30:00.000Z\", "
	    "\"exit_time\": \"2024-03-05T16:40:00.000Z\", "
	    "\"entry_price\": 4800.00, \"exit_price\": 4801.50, "
	    "\"gross\": -75.00, \"commission\": 1.24, \"net\": -76.24, "
	    "\"duration_s\": 600, \"reason\": \"flatten\"}, {\"id\": 4"));
	free(text);
	free(csv);
	free(json);
	tz_free(ny);
}

static void
test_stats_json_string(void **state)
{
	char	*json = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&json, &len);

	(void)state;
	assert_non_null(f);
	stats_json_string(f, "a \"b\" \\ c\n\t\x01 l\xc3\xa0");
	fclose(f);
	assert_string_equal(json, "\"a \\\"b\\\" \\\\ c\\n\\t\\u0001 "
	    "l\xc3\xa0\"");
	free(json);
}

/* ------------------------------------------------------------ day table */

/* Days added by hand: one row per day, a day's figures summed. */
static void
test_stats_days_rows(void **state)
{
	struct stats_days	*d;
	const struct stats_day	*r;
	struct errmsg		 err;
	size_t			 n;

	(void)state;
	assert_non_null(d = stats_days_create(&err));
	r = stats_days_rows(d, &n);
	assert_int_equal(n, 0);
	assert_int_equal(stats_days_add(d, 20240305, 1000, 1, &err), 0);
	assert_int_equal(stats_days_add(d, 20240306, -250, 1, &err), 0);
	assert_int_equal(stats_days_add(d, 20240305, 500, 2, &err), 0);
	assert_int_equal(stats_days_add(d, 20240304, 0, 0, &err), 0);
	assert_int_equal(stats_days_add(d, 0, 99, 1, &err), 0);
	r = stats_days_rows(d, &n);
	assert_int_equal(n, 4);
	/* In the order the days first came. */
	assert_int_equal(r[0].day, 20240305);
	assert_int_equal(r[0].net, 1500);
	assert_int_equal(r[0].trades, 3);
	assert_int_equal(r[1].day, 20240306);
	assert_int_equal(r[2].day, 20240304);
	assert_int_equal(r[3].day, 0);
	/* Sorted, without the day of unknown date. */
	stats_days_sort(d);
	r = stats_days_rows(d, &n);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].day, 20240304);
	assert_int_equal(r[1].day, 20240305);
	assert_int_equal(r[1].net, 1500);
	assert_int_equal(r[2].day, 20240306);
	assert_int_equal(r[2].net, -250);
	stats_days_free(d);
	stats_days_free(NULL);
}

/*
 * As an engine's observer: each closed day (EEV_DAY) is a row, over more
 * days than the table first has room for; other events change nothing.
 */
static void
test_stats_days_observer(void **state)
{
	struct stats_days	*d;
	const struct stats_day	*r;
	struct stats_day	 day;
	struct engine_ev	 ev = { .kind = EEV_DAY, .day = &day };
	struct errmsg		 err;
	size_t			 n;

	(void)state;
	assert_non_null(d = stats_days_create(&err));
	for (int i = 0; i < 700; i++) {
		day = (struct stats_day){ .day = 20000101 + i,
		    .net = i % 7 == 0 ? -100 * i : 10 * i, .trades = i % 3 };
		assert_int_equal(stats_days_observe(d, &ev, NULL), 0);
		assert_int_equal(stats_days_observe(d, &(struct engine_ev){
		    .kind = EEV_FILL }, NULL), 0);
		assert_int_equal(stats_days_observe(d, &(struct engine_ev){
		    .kind = EEV_DAY }, NULL), 0);
	}
	r = stats_days_rows(d, &n);
	assert_int_equal(n, 700);
	for (int i = 0; i < 700; i++) {
		assert_int_equal(r[i].day, 20000101 + i);
		assert_int_equal(r[i].net, i % 7 == 0 ? -100 * i : 10 * i);
		assert_int_equal(r[i].trades, i % 3);
	}
	assert_string_equal(stats_days_error(d), "");
	stats_days_free(d);
}

/*
 * Days without market data (a file with gaps of days) are not rows: a
 * zero day nobody could trade would move the Sharpe ratio.  They are
 * counted, in runs of consecutive days; a day without data that has P&L
 * (a position marked from before) stays a row.
 */
static void
test_stats_days_without_data(void **state)
{
	struct stats_days	*d;
	const struct stats_gap	*g;
	const struct stats_day	*r;
	struct stats_day	 day;
	struct engine_ev	 ev = { .kind = EEV_DAY, .day = &day };
	struct stats		 st;
	size_t			 n;
	int			 ng;

	(void)state;
	assert_non_null(d = stats_days_create(NULL));
	day = (struct stats_day){ .day = 20131014, .net = 10000, .trades = 1 };
	stats_days_observe(d, &ev, NULL);
	day = (struct stats_day){ .day = 20131015, .net = -5000,
	    .trades = 1 };
	stats_days_observe(d, &ev, NULL);
	for (int i = 16; i <= 18; i++) {
		day = (struct stats_day){ .day = 20131000 + i, .no_data = true };
		stats_days_observe(d, &ev, NULL);
	}
	day = (struct stats_day){ .day = 20131021, .net = 2500, .trades = 1 };
	stats_days_observe(d, &ev, NULL);
	day = (struct stats_day){ .day = 20131022, .no_data = true };
	stats_days_observe(d, &ev, NULL);
	day = (struct stats_day){ .day = 20131023, .net = -700,
	    .no_data = true };
	stats_days_observe(d, &ev, NULL);
	r = stats_days_rows(d, &n);
	assert_int_equal(n, 4);
	assert_int_equal(r[2].day, 20131021);
	assert_int_equal(r[3].day, 20131023);
	assert_int_equal(stats_days_without_data(d, &g, &ng), 4);
	assert_int_equal(ng, 2);
	assert_int_equal(g[0].first, 20131016);
	assert_int_equal(g[0].last, 20131018);
	assert_int_equal(g[0].days, 3);
	assert_int_equal(g[1].first, 20131022);
	assert_int_equal(g[1].days, 1);
	/* The Sharpe ratio is that of the four days, not of eight. */
	stats_compute(&st, NULL, r, n);
	assert_int_equal(st.days, 4);
	assert_true(fabs(st.sharpe - 4.2638) < 1e-3);
	stats_days_free(d);
}

/*
 * Gross is before commissions and net after: a trade that makes 1 tick
 * and pays more than a tick in commissions is a gross profit and a net
 * loss, and each pair adds up to its p&l line.
 */
static void
test_stats_gross_before_commissions(void **state)
{
	struct trades	*tl = *state;
	struct stats	 st;
	char		*text;

	/* +1 tick = 12.50 gross, 11.26 net; -1 tick = -12.50, -13.74. */
	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, T0, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 + 1, T0 + 1, NULL,
	    NULL);
	trades_fill(tl, ES, STRAT(0), TD_BUY, 1, P4800, T0 + 2, NULL, NULL);
	trades_fill(tl, ES, STRAT(0), TD_SELL, 1, P4800 - 1, T0 + 3, NULL,
	    NULL);
	stats_compute(&st, tl, NULL, 0);
	assert_int_equal(st.gross_profit, 1250);
	assert_int_equal(st.gross_loss, -1250);
	assert_int_equal(st.net_profit, 1126);
	assert_int_equal(st.net_loss, -1374);
	assert_int_equal(st.gross_profit + st.gross_loss, st.gross);
	assert_int_equal(st.net_profit + st.net_loss, st.net);
	text = capture_report(&st, NULL, 0);
	assert_non_null(strstr(text, "gross profit                12.50\n"
	    "gross loss                 -12.50\n"
	    "net profit                  11.26\n"
	    "net loss                   -13.74\n"));
	free(text);
}

/* Days are ISO dates in every format: text, CSV, JSON. */
static void
test_stats_days_iso_dates(void **state)
{
	const struct stats_day	 d = { .day = 20220103, .net = -10124,
				     .trades = 1 };
	char			*text = NULL, *csv = NULL, *json = NULL;

	(void)state;
	CAPTURE(text, stats_write_days(f, STATS_TEXT, &d, 1, NULL));
	assert_non_null(strstr(text, "\n2022-01-03      1        -101.24"));
	CAPTURE(csv, stats_write_days(f, STATS_CSV, &d, 1, NULL));
	assert_non_null(strstr(csv, "\n2022-01-03,1,-101.24,-101.24\n"));
	CAPTURE(json, stats_write_days(f, STATS_JSON, &d, 1, NULL));
	assert_non_null(strstr(json, "\"day\": \"2022-01-03\""));
	assert_null(strstr(text, "20220103"));
	assert_null(strstr(csv, "20220103"));
	assert_null(strstr(json, "20220103"));
	free(text);
	free(csv);
	free(json);
}

/*
 * The text summary's drawdown is in the zone the report names: 14:40Z
 * and 16:40Z are 09:40 and 11:40 in New York on 2024-03-05.
 */
static void
test_stats_drawdown_in_report_zone(void **state)
{
	struct trades	*tl = *state;
	struct tz	*ny = tz_load("America/New_York", NULL);
	struct stats	 st;
	char		*text = NULL;

	assert_non_null(ny);
	fill_example(tl);
	stats_compute(&st, tl, NULL, 0);
	CAPTURE(text, stats_write_summary(f, STATS_TEXT, &st, ny, NULL));
	assert_non_null(strstr(text, "max drawdown               127.48  "
	    "(2024-03-05 09:40:00 -> 2024-03-05 11:40:00)\n"));
	free(text);
	tz_free(ny);
}

/* The trades CSV names each trade's strategy, quoted when it must be. */
static void
test_stats_csv_owner_names(void **state)
{
	struct trades	*tl = *state;
	char		*csv = NULL;

	fill_example(tl);
	CAPTURE(csv, stats_write_csv(f, tl, test_owners, 2, NULL));
	assert_non_null(strstr(csv, "\n1,ES,orb,long,"));
	assert_non_null(strstr(csv, "\n3,ES,manual,short,"));
	assert_non_null(strstr(csv, "\n4,ES,\"orb, late\",long,"));
	free(csv);
	/* Without names, the index as before. */
	CAPTURE(csv, stats_write_csv(f, tl, NULL, 0, NULL));
	assert_non_null(strstr(csv, "\n1,ES,0,long,"));
	free(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stats_summary, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_stats_profit_factor_and_expectancy, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stats_expectancy_rounds_half_away, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_drawdown, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stats_drawdown_from_start,
		    setup, teardown),
		cmocka_unit_test(test_stats_sharpe),
		cmocka_unit_test_setup_teardown(test_stats_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stats_report_text, setup,
		    teardown),
		cmocka_unit_test(test_stats_report_without_trades),
		cmocka_unit_test_setup_teardown(
		    test_stats_report_infinite_profit_factor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_csv, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stats_write_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stats_compute_selection,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_times, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_stats_write_summary_formats, setup, teardown),
		cmocka_unit_test(test_stats_write_days_formats),
		cmocka_unit_test_setup_teardown(
		    test_stats_gross_before_commissions, setup, teardown),
		cmocka_unit_test(test_stats_days_iso_dates),
		cmocka_unit_test_setup_teardown(
		    test_stats_drawdown_in_report_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_csv_owner_names,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stats_write_times_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stats_write_trades_formats, setup, teardown),
		cmocka_unit_test(test_stats_json_string),
		cmocka_unit_test(test_stats_days_rows),
		cmocka_unit_test(test_stats_days_observer),
		cmocka_unit_test(test_stats_days_without_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
