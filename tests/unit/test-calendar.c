/*
 * test-calendar.c -- unit tests for core/calendar: CME equity sessions (ES)
 * across the 2024 DST changes, trading days, holidays, early closes, the
 * event walk and configuration errors.
 *
 * Day counts used below (days since 1970-01-01, x 86400 = midnight UTC):
 *   2023-11-24  19685  1700784000	2024-03-08  19790  1709856000
 *   2024-01-17  19739  1705449600	2024-03-10  19792  1710028800
 *   2024-05-27  19870  1716768000	2024-03-11  19793  1710115200
 *   2024-07-03  19907  1719964800	2024-07-17  19921  1721174400
 *   2024-11-01  20028  1730419200	2024-11-04  20031  1730678400
 * New York is UTC-5 (EST) until 2024-03-10 07:00 UTC, UTC-4 (EDT) until
 * 2024-11-03 06:00 UTC; Chicago is one hour behind New York throughout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "errmsg.h"
#include "tz.h"

#define S(x)	((td_ns)(x) * TD_NS_PER_SEC)

/* ES: RTH 09:30-16:00 and ETH 18:00 (the evening before) to 17:00 New York
 * time, trading day rolling at 17:00 Chicago. */
static void
es_cfg(struct calendar_cfg *cfg)
{
	*cfg = (struct calendar_cfg){
		.name = "cme-equity",
		.tz = "America/New_York",
		.rth_open = 570,
		.rth_close = 960,
		.eth_open = 1080,
		.eth_close = 1020,
		.roll_tz = "America/Chicago",
		.day_roll = 1020,
		.nholidays = 3,
		.holidays = { 20240704, 20231123, 20240527 },
		.nearly = 1,
		.early_date = { 20231124 },
		.early_close = { 795 },		/* 13:15 ET */
	};
}

static int
setup(void **state)
{
	struct calendar_cfg	 cfg;
	struct errmsg		 err = { .msg = "" };
	struct calendar		*cal;

	es_cfg(&cfg);
	if ((cal = calendar_create(&cfg, &err)) == NULL) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	*state = cal;
	return 0;
}

static int
teardown(void **state)
{
	calendar_free(*state);
	return 0;
}

static void
test_calendar_accessors(void **state)
{
	struct calendar	*cal = *state;

	assert_string_equal(calendar_cfg(cal)->name, "cme-equity");
	assert_int_equal(calendar_cfg(cal)->rth_open, 570);
	assert_string_equal(tz_name(calendar_tz(cal)), "America/New_York");
	assert_string_equal(calendar_phase_name(CAL_CLOSED), "closed");
	assert_string_equal(calendar_phase_name(CAL_PRE_OPEN), "pre-open");
	assert_string_equal(calendar_phase_name(CAL_RTH), "open");
	assert_string_equal(calendar_phase_name(CAL_POST), "post");
	assert_string_equal(calendar_event_name(CAL_DAY_START), "day-start");
	assert_string_equal(calendar_event_name(CAL_ETH_CLOSE), "eth-close");
}

static void
test_calendar_rth_winter_summer(void **state)
{
	struct calendar	*cal = *state;
	td_ns		 open, close;

	/* Wed 2024-01-17, EST: 09:30 = 14:30 UTC = 1705449600 + 52200,
	 * 16:00 = 21:00 UTC = 1705449600 + 75600. */
	assert_int_equal(calendar_rth(cal, 20240117, &open, &close), 0);
	assert_int_equal(open, S(1705501800));
	assert_int_equal(close, S(1705525200));

	/* Wed 2024-07-17, EDT: 13:30 UTC = 1721174400 + 48600, 20:00 UTC =
	 * 1721174400 + 72000. */
	assert_int_equal(calendar_rth(cal, 20240717, &open, &close), 0);
	assert_int_equal(open, S(1721223000));
	assert_int_equal(close, S(1721246400));
}

static void
test_calendar_rth_dst_weeks(void **state)
{
	struct calendar	*cal = *state;
	td_ns		 open, close;

	/* Fri 2024-03-08, still EST: opens 14:30 UTC, closes 21:00 UTC. */
	assert_int_equal(calendar_rth(cal, 20240308, &open, &close), 0);
	assert_int_equal(open, S(1709856000 + 52200));	/* 1709908200 */
	assert_int_equal(close, S(1709856000 + 75600));	/* 1709931600 */

	/* Mon 2024-03-11, EDT since Sunday: 13:30 and 20:00 UTC. */
	assert_int_equal(calendar_rth(cal, 20240311, &open, &close), 0);
	assert_int_equal(open, S(1710163800));		/* +48600 */
	assert_int_equal(close, S(1710187200));		/* +72000 */

	/* Fri 2024-11-01, still EDT: 13:30 UTC. */
	assert_int_equal(calendar_rth(cal, 20241101, &open, &close), 0);
	assert_int_equal(open, S(1730419200 + 48600));	/* 1730467800 */

	/* Mon 2024-11-04, EST since Sunday: 14:30 and 21:00 UTC. */
	assert_int_equal(calendar_rth(cal, 20241104, &open, &close), 0);
	assert_int_equal(open, S(1730730600));		/* +52200 */
	assert_int_equal(close, S(1730754000));		/* +75600 */

	/* Its ETH opened Sunday 2024-11-03 18:00 EST = 23:00 UTC =
	 * 1730592000 + 82800, and closes at 17:00 EST = 22:00 UTC. */
	assert_int_equal(calendar_eth(cal, 20241104, &open, &close), 0);
	assert_int_equal(open, S(1730674800));
	assert_int_equal(close, S(1730678400 + 79200));
}

static void
test_calendar_trading_day(void **state)
{
	struct calendar	*cal = *state;
	td_ns		 start;

	/* Sun 2024-03-10 18:00 EDT = 22:00 UTC = 1710028800 + 79200
	 * = 17:00 CDT: the roll, so Monday's trading day. */
	assert_int_equal(calendar_trading_day(cal, S(1710108000)), 20240311);
	/* One second earlier is still Sunday, which has no session. */
	assert_int_equal(calendar_trading_day(cal, S(1710108000) - 1),
	    20240310);
	assert_false(calendar_is_session_day(cal, 20240310));
	assert_int_equal(calendar_day_start(cal, 20240311, &start), 0);
	assert_int_equal(start, S(1710108000));

	/* Fri 2024-03-08 17:30 CST = 23:30 UTC = 1709856000 + 84600: the
	 * Saturday date, not a session day, still in the week of 03-04. */
	assert_int_equal(calendar_trading_day(cal, S(1709940600)), 20240309);
	assert_false(calendar_is_session_day(cal, 20240309));
	assert_int_equal(calendar_week(cal, S(1709940600)), 20240304);
	/* Fri 16:59 CST (22:59 UTC) is still Friday. */
	assert_int_equal(calendar_trading_day(cal, S(1709938740)), 20240308);

	/* Monday's session belongs to the week of Monday 03-11 from the
	 * Sunday roll on; the Sunday afternoon before to the old week. */
	assert_int_equal(calendar_week(cal, S(1710108000)), 20240311);
	assert_int_equal(calendar_week(cal, S(1710108000) - 1), 20240304);
	/* Thu 2024-03-14 12:00 EDT (16:00 UTC). */
	assert_int_equal(calendar_week(cal, S(1710115200 + 3 * 86400 +
	    57600)), 20240311);

	assert_true(calendar_is_session_day(cal, 20240311));
	assert_false(calendar_is_session_day(cal, 20240230));
	assert_false(calendar_is_session_day(cal, 0));
}

static void
test_calendar_holiday(void **state)
{
	struct calendar		*cal = *state;
	struct cal_event	 ev;
	td_ns			 open = 0, close = 0;

	assert_false(calendar_is_session_day(cal, 20240704));
	assert_int_equal(calendar_rth(cal, 20240704, &open, &close), -1);
	assert_int_equal(calendar_eth(cal, 20240704, &open, &close), -1);
	assert_int_equal(calendar_rth(cal, 20240706, &open, &close), -1);

	/* Thu 2024-07-04 12:00 EDT = 16:00 UTC = 1719964800 + 86400 +
	 * 57600: closed all day. */
	assert_int_equal(calendar_phase(cal, S(1720108800)), CAL_CLOSED);

	/* After Wednesday's ETH close (17:00 EDT = 21:00 UTC = 1719964800
	 * + 75600) nothing happens until Friday's trading day starts on
	 * Thursday 17:00 CDT = 22:00 UTC = 1719964800 + 86400 + 79200. */
	assert_int_equal(calendar_next_event(cal, S(1720040400), &ev), 0);
	assert_int_equal(ev.kind, CAL_DAY_START);
	assert_int_equal(ev.day, 20240705);
	assert_int_equal(ev.time, S(1720130400));
}

static void
test_calendar_early_close(void **state)
{
	struct calendar		*cal = *state;
	struct cal_event	 ev;
	td_ns			 open, close;

	/* Fri 2023-11-24, EST: opens 14:30 UTC = 1700784000 + 52200 and
	 * closes early at 13:15 = 18:15 UTC = 1700784000 + 65700; ETH with
	 * it. */
	assert_int_equal(calendar_rth(cal, 20231124, &open, &close), 0);
	assert_int_equal(open, S(1700836200));
	assert_int_equal(close, S(1700849700));
	assert_int_equal(calendar_eth(cal, 20231124, &open, &close), 0);
	assert_int_equal(close, S(1700849700));
	/* Its ETH opened Thursday (a holiday) 18:00 EST = 23:00 UTC. */
	assert_int_equal(open, S(1700784000 - 86400 + 82800));

	assert_int_equal(calendar_phase(cal, S(1700849700) - 1), CAL_RTH);
	assert_int_equal(calendar_phase(cal, S(1700849700)), CAL_CLOSED);

	assert_int_equal(calendar_next_event(cal, S(1700836200), &ev), 0);
	assert_int_equal(ev.kind, CAL_RTH_CLOSE);
	assert_int_equal(ev.time, S(1700849700));
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_ETH_CLOSE);
	assert_int_equal(ev.time, S(1700849700));
	assert_int_equal(ev.day, 20231124);
}

static void
test_calendar_phase(void **state)
{
	struct calendar	*cal = *state;
	const td_ns	 mon = S(1710115200);	/* Mon 2024-03-11 00:00 UTC */

	/* Sun 21:59:59 UTC (17:59:59 EDT): before the ETH open. */
	assert_int_equal(calendar_phase(cal, mon - S(7201)), CAL_CLOSED);
	/* Sun 22:00 UTC = 18:00 EDT: ETH, before RTH. */
	assert_int_equal(calendar_phase(cal, mon - S(7200)), CAL_PRE_OPEN);
	assert_int_equal(calendar_phase(cal, mon + S(13 * 3600)),
	    CAL_PRE_OPEN);
	assert_int_equal(calendar_phase(cal, mon + S(48600)), CAL_RTH);
	assert_int_equal(calendar_phase(cal, mon + S(72000) - 1), CAL_RTH);
	assert_int_equal(calendar_phase(cal, mon + S(72000)), CAL_POST);
	assert_int_equal(calendar_phase(cal, mon + S(75600) - 1), CAL_POST);
	/* 17:00-18:00 EDT: the daily break. */
	assert_int_equal(calendar_phase(cal, mon + S(75600)), CAL_CLOSED);
	assert_int_equal(calendar_phase(cal, mon + S(79200)), CAL_PRE_OPEN);
	/* Saturday 2024-03-09 12:00 UTC. */
	assert_int_equal(calendar_phase(cal, S(1709856000 + 86400 + 43200)),
	    CAL_CLOSED);
}

/*
 * From Friday 2024-03-08's ETH close (17:00 EST = 22:00 UTC = 1709856000
 * + 79200) through the whole next week, DST having changed on Sunday.
 * Each trading day 03-11..03-15 (i = 0..4):
 *   day start = ETH open: Sun + i, 22:00 UTC   1710108000 + i * 86400
 *     (17:00 CDT = 18:00 EDT)
 *   RTH open  13:30 UTC                        1710163800 + i * 86400
 *   RTH close 20:00 UTC                        1710187200 + i * 86400
 *   ETH close 21:00 UTC                        1710190800 + i * 86400
 * with a week start at Monday's day start.
 */
static void
test_calendar_next_event_week(void **state)
{
	struct calendar		*cal = *state;
	struct cal_event	 ev;
	int64_t			 i, off;
	int			 n = 0;
	struct {
		enum cal_event_kind	 kind;
		int64_t			 time;	/* for i = 0 */
	} day[] = {
		{ CAL_DAY_START,	1710108000 },
		{ CAL_WEEK_START,	1710108000 },
		{ CAL_ETH_OPEN,		1710108000 },
		{ CAL_RTH_OPEN,		1710163800 },
		{ CAL_RTH_CLOSE,	1710187200 },
		{ CAL_ETH_CLOSE,	1710190800 },
	};
	size_t			 k;

	assert_int_equal(calendar_next_event(cal, S(1709935200), &ev), 0);
	for (i = 0; i < 5; i++) {
		off = i * 86400;
		for (k = 0; k < sizeof day / sizeof day[0]; k++) {
			if (i > 0 && day[k].kind == CAL_WEEK_START)
				continue;
			if (n++ > 0)
				assert_int_equal(calendar_next_event_after(cal,
				    &ev, &ev), 0);
			if (ev.kind != day[k].kind ||
			    ev.time != S(day[k].time + off) ||
			    ev.day != 20240311 + i)
				fail_msg("event %d: got %s at %lld day %d, "
				    "want %s at %lld day %d", n,
				    calendar_event_name(ev.kind),
				    (long long)(ev.time / TD_NS_PER_SEC),
				    (int)ev.day,
				    calendar_event_name(day[k].kind),
				    (long long)(day[k].time + off),
				    (int)(20240311 + i));
		}
	}
	assert_int_equal(n, 26);

	/* Then the next week: Sunday 2024-03-17 22:00 UTC. */
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_DAY_START);
	assert_int_equal(ev.day, 20240318);
	assert_int_equal(ev.time, S(1710108000 + 7 * 86400));
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_WEEK_START);
}

static void
test_calendar_next_event_strictly_after(void **state)
{
	struct calendar		*cal = *state;
	struct cal_event	 ev;

	/* A second before Monday's roll: the day start comes first. */
	assert_int_equal(calendar_next_event(cal, S(1710108000) - 1, &ev), 0);
	assert_int_equal(ev.kind, CAL_DAY_START);
	assert_int_equal(ev.time, S(1710108000));
	/* From the roll itself every event at that instant is past. */
	assert_int_equal(calendar_next_event(cal, S(1710108000), &ev), 0);
	assert_int_equal(ev.kind, CAL_RTH_OPEN);
	assert_int_equal(ev.time, S(1710163800));
	/* In the middle of RTH: the close. */
	assert_int_equal(calendar_next_event(cal, S(1710170000), &ev), 0);
	assert_int_equal(ev.kind, CAL_RTH_CLOSE);
	assert_int_equal(ev.time, S(1710187200));
}

/* Memorial Day, Mon 2024-05-27, is a holiday: the week starts with
 * Tuesday's trading day, at Monday 17:00 CDT = 22:00 UTC = 1716768000 +
 * 79200. */
static void
test_calendar_week_start_after_holiday(void **state)
{
	struct calendar		*cal = *state;
	struct cal_event	 ev;

	/* From Friday 2024-05-24 18:00 UTC (RTH). */
	assert_int_equal(calendar_next_event(cal, S(1716768000 - 3 * 86400 +
	    64800), &ev), 0);
	assert_int_equal(ev.kind, CAL_RTH_CLOSE);
	assert_int_equal(ev.day, 20240524);
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_ETH_CLOSE);
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_DAY_START);
	assert_int_equal(ev.day, 20240528);
	assert_int_equal(ev.time, S(1716847200));
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_WEEK_START);
	assert_int_equal(ev.day, 20240528);
	assert_int_equal(ev.time, S(1716847200));
	assert_int_equal(calendar_week(cal, S(1716847200)), 20240527);
}

/* An equity-style calendar: no extended hours, day rolling at midnight
 * New York, roll zone defaulting to the session zone. */
static void
test_calendar_midnight_roll(void **state)
{
	struct calendar_cfg	 cfg = {
		.name = "nyse",
		.tz = "America/New_York",
		.rth_open = 570,
		.rth_close = 960,
		.eth_open = 570,
		.eth_close = 960,
		.day_roll = 0,
	};
	struct errmsg		 err = { .msg = "" };
	struct calendar		*cal;
	struct cal_event	 ev;

	(void)state;
	cal = calendar_create(&cfg, &err);
	assert_non_null(cal);
	/* Sun 2024-03-10 18:00 EDT (22:00 UTC) is still Sunday here. */
	assert_int_equal(calendar_trading_day(cal, S(1710108000)), 20240310);
	/* Mon 00:00 EDT = 04:00 UTC = 1710115200 + 14400. */
	assert_int_equal(calendar_trading_day(cal, S(1710129600)), 20240311);
	assert_int_equal(calendar_trading_day(cal, S(1710129600) - 1),
	    20240310);
	assert_int_equal(calendar_next_event(cal, S(1710108000), &ev), 0);
	assert_int_equal(ev.kind, CAL_DAY_START);
	assert_int_equal(ev.time, S(1710129600));
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_WEEK_START);
	/* ETH and RTH open together at 13:30 UTC, in enum order. */
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_ETH_OPEN);
	assert_int_equal(ev.time, S(1710163800));
	assert_int_equal(calendar_next_event_after(cal, &ev, &ev), 0);
	assert_int_equal(ev.kind, CAL_RTH_OPEN);
	assert_int_equal(ev.time, S(1710163800));
	assert_int_equal(calendar_phase(cal, S(1710163800) - 1), CAL_CLOSED);
	assert_int_equal(calendar_phase(cal, S(1710163800)), CAL_RTH);
	assert_int_equal(calendar_phase(cal, S(1710187200)), CAL_CLOSED);
	calendar_free(cal);
}

static void
expect_same_event(int rc_table, const struct cal_event *a, int rc_direct,
    const struct cal_event *b, td_ns after)
{
	if (rc_table != rc_direct || (rc_table == 0 && (a->kind != b->kind ||
	    a->time != b->time || a->day != b->day)))
		fail_msg("after %lld: table %d %s %lld %d, direct %d %s %lld "
		    "%d", (long long)after, rc_table,
		    calendar_event_name(a->kind), (long long)a->time, a->day,
		    rc_direct, calendar_event_name(b->kind),
		    (long long)b->time, b->day);
}

/*
 * The year tables give the direct computation's answers: every boundary
 * walked from 1985 to 2041 (holidays, an early close, DST changes both
 * ways, year ends), then from instants and kinds picked at random, for
 * ES's calendar and one rolling at midnight whose ETH is its RTH.
 */
static void
test_calendar_tables_equal_direct(void **state)
{
	struct calendar_cfg	 cfg[2];
	struct errmsg		 err = { .msg = "" };
	struct calendar		*cal;
	struct cal_event	 a, b;
	td_ns			 t0 = S(473385600);	/* 1985-01-01 */
	td_ns			 t1 = S(2240611200);	/* 2041-01-01 */
	uint64_t		 rng = 12345;
	long			 walked = 0;

	(void)state;
	es_cfg(&cfg[0]);
	cfg[1] = (struct calendar_cfg){ .name = "nyse",
	    .tz = "America/New_York", .rth_open = 570, .rth_close = 960,
	    .eth_open = 570, .eth_close = 960, .day_roll = 0,
	    .nholidays = 2, .holidays = { 20211231, 20200101 } };
	for (int c = 0; c < 2; c++) {
		assert_non_null(cal = calendar_create(&cfg[c], &err));
		assert_int_equal(calendar_next_event(cal, t0, &a), 0);
		assert_int_equal(calendar_next_event_direct(cal, t0,
		    CAL_ETH_CLOSE, &b), 0);
		expect_same_event(0, &a, 0, &b, t0);
		while (a.time < t1) {
			td_ns	 after = a.time;
			int	 ra, rb;

			ra = calendar_next_event_after(cal, &a, &a);
			rb = calendar_next_event_direct(cal, b.time,
			    (int)b.kind, &b);
			expect_same_event(ra, &a, rb, &b, after);
			assert_int_equal(ra, 0);
			walked++;
		}
		for (int i = 0; i < 20000; i++) {
			td_ns	 after;
			int	 kind;

			rng = rng * 6364136223846793005ULL +
			    1442695040888963407ULL;
			after = t0 + (td_ns)((rng >> 11) % (uint64_t)(t1 - t0));
			kind = (int)((rng >> 3) % 6);
			/* Often exactly on a boundary, which is the hard case. */
			if (i % 2 == 0 && calendar_next_event_direct(cal,
			    after, CAL_ETH_CLOSE, &b) == 0)
				after = b.time;
			expect_same_event(
			    kind == CAL_ETH_CLOSE ? calendar_next_event(cal,
			    after, &a) : calendar_next_event_after(cal,
			    &(struct cal_event){ .kind = kind, .time = after },
			    &a), &a, calendar_next_event_direct(cal, after,
			    kind, &b), &b, after);
		}
		calendar_free(cal);
	}
	/* 56 years of about 250 days of 5 or 6 boundaries, twice over. */
	assert_true(walked > 2 * 56 * 250 * 5);
}

/* Expect calendar_create to refuse cfg with exactly this message. */
static void
expect_error(const struct calendar_cfg *cfg, const char *msg)
{
	struct errmsg	 err = { .msg = "" };
	struct calendar	*cal;

	cal = calendar_create(cfg, &err);
	if (cal != NULL) {
		calendar_free(cal);
		fail_msg("accepted, want \"%s\"", msg);
	}
	assert_string_equal(err.msg, msg);
}

static void
test_calendar_invalid_config(void **state)
{
	struct calendar_cfg	 cfg;

	(void)state;
	es_cfg(&cfg);
	cfg.rth_open = 1500;
	expect_error(&cfg, "calendar 'cme-equity': rth_open 1500 not in "
	    "0..1439");

	es_cfg(&cfg);
	cfg.day_roll = -1;
	expect_error(&cfg, "calendar 'cme-equity': day_roll -1 not in "
	    "0..1439");

	es_cfg(&cfg);
	cfg.rth_close = 570;
	expect_error(&cfg, "calendar 'cme-equity': rth_open equals "
	    "rth_close (570)");

	es_cfg(&cfg);
	cfg.eth_open = 600;
	expect_error(&cfg, "calendar 'cme-equity': regular hours "
	    "09:30-16:00 not within extended hours 10:00-17:00");

	es_cfg(&cfg);
	snprintf(cfg.tz, sizeof cfg.tz, "America/NewYork");
	expect_error(&cfg, "calendar 'cme-equity': unknown time zone "
	    "'America/NewYork'");

	es_cfg(&cfg);
	snprintf(cfg.roll_tz, sizeof cfg.roll_tz, "../Chicago");
	expect_error(&cfg, "calendar 'cme-equity': invalid time zone name "
	    "'../Chicago'");

	es_cfg(&cfg);
	cfg.tz[0] = '\0';
	expect_error(&cfg, "calendar 'cme-equity': time zone missing");

	es_cfg(&cfg);
	cfg.holidays[1] = 20240230;
	expect_error(&cfg, "calendar 'cme-equity': holiday 20240230 is not "
	    "a date (yyyymmdd)");

	es_cfg(&cfg);
	cfg.holidays[2] = 20240704;
	expect_error(&cfg, "calendar 'cme-equity': holiday 20240704 listed "
	    "twice");

	es_cfg(&cfg);
	cfg.nholidays = CAL_MAX_DATES + 1;
	expect_error(&cfg, "calendar 'cme-equity': 257 holidays, at most "
	    "256");

	es_cfg(&cfg);
	cfg.early_close[0] = 1020;
	expect_error(&cfg, "calendar 'cme-equity': early close 20231124 at "
	    "minute 1020 not within regular hours 09:30-16:00");

	es_cfg(&cfg);
	cfg.early_close[0] = 570;
	expect_error(&cfg, "calendar 'cme-equity': early close 20231124 at "
	    "minute 570 not within regular hours 09:30-16:00");

	es_cfg(&cfg);
	cfg.early_date[0] = 20231125;
	expect_error(&cfg, "calendar 'cme-equity': early close 20231125 is "
	    "not a weekday");

	es_cfg(&cfg);
	cfg.early_date[0] = 20240704;
	expect_error(&cfg, "calendar 'cme-equity': early close 20240704 is "
	    "also a holiday");

	es_cfg(&cfg);
	cfg.name[0] = '\0';
	expect_error(&cfg, "calendar name missing");

	/* NULL errmsg is allowed. */
	es_cfg(&cfg);
	cfg.rth_open = -5;
	assert_null(calendar_create(&cfg, NULL));
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_calendar_accessors),
		cmocka_unit_test(test_calendar_rth_winter_summer),
		cmocka_unit_test(test_calendar_rth_dst_weeks),
		cmocka_unit_test(test_calendar_trading_day),
		cmocka_unit_test(test_calendar_holiday),
		cmocka_unit_test(test_calendar_early_close),
		cmocka_unit_test(test_calendar_phase),
		cmocka_unit_test(test_calendar_next_event_week),
		cmocka_unit_test(test_calendar_next_event_strictly_after),
		cmocka_unit_test(test_calendar_week_start_after_holiday),
		cmocka_unit_test(test_calendar_midnight_roll),
		cmocka_unit_test(test_calendar_tables_equal_direct),
		cmocka_unit_test(test_calendar_invalid_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
