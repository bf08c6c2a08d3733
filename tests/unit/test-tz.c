/*
 * test-tz.c -- unit tests for core/tz: TZif zones, footer rules, civil
 * dates.  Every expected instant below is worked out by hand in a comment
 * from the day count (2024-01-01 is day 19723, 1704067200 s).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "tz.h"

#define S(x)	((td_ns)(x) * TD_NS_PER_SEC)

struct zones {
	struct tz	*ny;
	struct tz	*chi;
	struct tz	*utc;
};

static int
setup(void **state)
{
	struct zones	*z;
	struct errmsg	 err = { .msg = "" };

	z = calloc(1, sizeof *z);
	if (z == NULL)
		return -1;
	z->ny = tz_load("America/New_York", &err);
	z->chi = tz_load("America/Chicago", &err);
	z->utc = tz_load("UTC", &err);
	if (z->ny == NULL || z->chi == NULL || z->utc == NULL) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	*state = z;
	return 0;
}

static int
teardown(void **state)
{
	struct zones	*z = *state;

	tz_free(z->ny);
	tz_free(z->chi);
	tz_free(z->utc);
	free(z);
	return 0;
}

static void
test_tz_name(void **state)
{
	struct zones	*z = *state;

	assert_string_equal(tz_name(z->ny), "America/New_York");
	assert_string_equal(tz_name(z->utc), "UTC");
}

/*
 * 2024-03-10 is day 19723 + 31 + 29 + 9 = 19792, 00:00 UTC = 1710028800.
 * DST starts at 02:00 EST = 07:00 UTC = 1710054000.
 */
static void
test_tz_ny_spring_forward(void **state)
{
	struct zones	*z = *state;

	assert_int_equal(tz_offset(z->ny, S(1710054000) - 1), -18000);
	assert_int_equal(tz_offset(z->ny, S(1710054000)), -14400);
	/* A week either side. */
	assert_int_equal(tz_offset(z->ny, S(1710054000 - 7 * 86400)), -18000);
	assert_int_equal(tz_offset(z->ny, S(1710054000 + 7 * 86400)), -14400);
}

/*
 * 2024-11-03 is day 19723 + 305 + 2 = 20030, 00:00 UTC = 1730592000.
 * DST ends at 02:00 EDT = 06:00 UTC = 1730613600.
 */
static void
test_tz_ny_fall_back(void **state)
{
	struct zones	*z = *state;

	assert_int_equal(tz_offset(z->ny, S(1730613600) - 1), -14400);
	assert_int_equal(tz_offset(z->ny, S(1730613600)), -18000);
}

static void
test_tz_to_local_across_change(void **state)
{
	struct zones	*z = *state;
	struct tz_tm	 tm;

	/* 06:59:59 UTC on 2024-03-10 = 01:59:59 EST, a Sunday, yday 69. */
	tz_to_local(z->ny, S(1710054000 - 1), &tm);
	assert_int_equal(tm.year, 2024);
	assert_int_equal(tm.mon, 3);
	assert_int_equal(tm.mday, 10);
	assert_int_equal(tm.hour, 1);
	assert_int_equal(tm.min, 59);
	assert_int_equal(tm.sec, 59);
	assert_int_equal(tm.wday, 0);
	assert_int_equal(tm.yday, 69);
	assert_int_equal(tm.utcoff, -18000);

	/* One second later, 07:00 UTC = 03:00:00 EDT. */
	tz_to_local(z->ny, S(1710054000), &tm);
	assert_int_equal(tm.hour, 3);
	assert_int_equal(tm.min, 0);
	assert_int_equal(tm.sec, 0);
	assert_int_equal(tm.utcoff, -14400);

	/* 06:30 UTC on 2024-11-03 = 01:30 EST (the second 01:30). */
	tz_to_local(z->ny, S(1730592000 + 6 * 3600 + 1800), &tm);
	assert_int_equal(tm.mday, 3);
	assert_int_equal(tm.hour, 1);
	assert_int_equal(tm.min, 30);
	assert_int_equal(tm.utcoff, -18000);
}

static void
test_tz_to_utc_plain(void **state)
{
	struct zones	*z = *state;

	/* 2024-01-15 is day 19723 + 14 = 19737 -> 1705276800; 09:30 EST =
	 * 14:30 UTC = 1705276800 + 52200 = 1705329000. */
	assert_int_equal(tz_to_utc(z->ny, 2024, 1, 15, 9, 30, 0),
	    S(1705329000));
	/* 2024-07-15 is day 19723 + 196 = 19919 -> 1721001600; 09:30 EDT =
	 * 13:30 UTC = 1721001600 + 48600 = 1721050200. */
	assert_int_equal(tz_to_utc(z->ny, 2024, 7, 15, 9, 30, 0),
	    S(1721050200));
}

static void
test_tz_to_utc_gap(void **state)
{
	struct zones	*z = *state;

	/* 02:30 on 2024-03-10 does not exist: read as 02:30 EST = 07:30 UTC
	 * = 1710028800 + 27000 = 1710055800, which is 03:30 EDT. */
	assert_int_equal(tz_to_utc(z->ny, 2024, 3, 10, 2, 30, 0),
	    S(1710055800));
	assert_int_equal(tz_to_utc(z->ny, 2024, 3, 10, 3, 30, 0),
	    S(1710055800));
	/* 02:00 itself is in the gap too: 07:00 UTC = 1710054000. */
	assert_int_equal(tz_to_utc(z->ny, 2024, 3, 10, 2, 0, 0),
	    S(1710054000));
	/* The minute before the gap: 01:59 EST = 06:59 UTC. */
	assert_int_equal(tz_to_utc(z->ny, 2024, 3, 10, 1, 59, 0),
	    S(1710054000 - 60));
}

static void
test_tz_to_utc_overlap(void **state)
{
	struct zones	*z = *state;

	/* 01:30 on 2024-11-03 happens twice; the earlier is 01:30 EDT =
	 * 05:30 UTC = 1730592000 + 19800 = 1730611800 (the later would be
	 * 06:30 UTC). */
	assert_int_equal(tz_to_utc(z->ny, 2024, 11, 3, 1, 30, 0),
	    S(1730611800));
	/* 02:00 is after the overlap: 02:00 EST = 07:00 UTC. */
	assert_int_equal(tz_to_utc(z->ny, 2024, 11, 3, 2, 0, 0),
	    S(1730592000 + 7 * 3600));
	/* 00:59 is before it: 00:59 EDT = 04:59 UTC. */
	assert_int_equal(tz_to_utc(z->ny, 2024, 11, 3, 0, 59, 0),
	    S(1730592000 + 4 * 3600 + 59 * 60));
}

static void
test_tz_chicago_vs_new_york(void **state)
{
	struct zones	*z = *state;
	struct tz_tm	 tm;

	/* 08:30 CST on 2024-01-15 is the same instant as 09:30 EST. */
	assert_int_equal(tz_to_utc(z->chi, 2024, 1, 15, 8, 30, 0),
	    tz_to_utc(z->ny, 2024, 1, 15, 9, 30, 0));
	assert_int_equal(tz_offset(z->chi, S(1705329000)), -21600);

	/* Chicago springs forward at 02:00 CST = 08:00 UTC = 1710057600,
	 * an hour after New York: at 07:30 UTC New York is on EDT (03:30)
	 * and Chicago still on CST (01:30), two hours apart. */
	assert_int_equal(tz_offset(z->ny, S(1710055800)), -14400);
	assert_int_equal(tz_offset(z->chi, S(1710055800)), -21600);
	tz_to_local(z->chi, S(1710055800), &tm);
	assert_int_equal(tm.hour, 1);
	assert_int_equal(tm.min, 30);
	assert_int_equal(tz_offset(z->chi, S(1710057600) - 1), -21600);
	assert_int_equal(tz_offset(z->chi, S(1710057600)), -18000);

	/* 17:00 CDT on 2024-03-11 = 22:00 UTC = 1710028800 + 86400 + 79200
	 * = 1710194400 = 18:00 EDT. */
	assert_int_equal(tz_to_utc(z->chi, 2024, 3, 11, 17, 0, 0),
	    S(1710194400));
	assert_int_equal(tz_to_utc(z->ny, 2024, 3, 11, 18, 0, 0),
	    S(1710194400));
}

static void
test_tz_utc(void **state)
{
	struct zones	*z = *state;
	struct errmsg	 err = { .msg = "" };
	struct tz_tm	 tm;
	struct tz	*etc;

	assert_int_equal(tz_offset(z->utc, S(1710055800)), 0);
	/* 1710055800 = 2024-03-10 07:30:00 UTC, a Sunday, yday 69. */
	tz_to_local(z->utc, S(1710055800) + 123, &tm);
	assert_int_equal(tm.year, 2024);
	assert_int_equal(tm.mon, 3);
	assert_int_equal(tm.mday, 10);
	assert_int_equal(tm.hour, 7);
	assert_int_equal(tm.min, 30);
	assert_int_equal(tm.sec, 0);
	assert_int_equal(tm.nsec, 123);
	assert_int_equal(tm.wday, 0);
	assert_int_equal(tm.yday, 69);
	assert_int_equal(tz_to_utc(z->utc, 2024, 3, 10, 7, 30, 0),
	    S(1710055800));

	etc = tz_load("Etc/UTC", &err);
	assert_non_null(etc);
	assert_int_equal(tz_offset(etc, S(4118140800)), 0);
	tz_free(etc);
}

static void
test_tz_before_epoch(void **state)
{
	struct zones	*z = *state;
	struct tz_tm	 tm;

	/* One nanosecond before the epoch is 1969-12-31 23:59:59.999999999
	 * UTC, a Wednesday. */
	tz_to_local(z->utc, -1, &tm);
	assert_int_equal(tm.year, 1969);
	assert_int_equal(tm.mon, 12);
	assert_int_equal(tm.mday, 31);
	assert_int_equal(tm.hour, 23);
	assert_int_equal(tm.sec, 59);
	assert_int_equal(tm.nsec, 999999999);
	assert_int_equal(tm.wday, 3);

	/* New York kept DST in 1960.  1960-01-01 is day -(3650 + 3) = -3653;
	 * July 1 is 182 days later, -3471 -> -299894400; 12:00 EDT = 16:00
	 * UTC = -299836800. */
	assert_int_equal(tz_to_utc(z->ny, 1960, 7, 1, 12, 0, 0),
	    S(-299836800));
	assert_int_equal(tz_offset(z->ny, S(-299836800)), -14400);
}

static void
test_tz_footer_far_future(void **state)
{
	struct zones	*z = *state;
	struct tz_tm	 tm;

	/* Past the last listed transition (2037 at most) only the footer
	 * rule speaks.  2100-01-01 is day 130 * 365 + 32 = 47482; July 1 is
	 * 181 days later (2100 is not leap), 47663 -> 4118083200.  12:00
	 * EDT = 16:00 UTC = 4118140800. */
	assert_int_equal(tz_to_utc(z->ny, 2100, 7, 1, 12, 0, 0),
	    S(4118140800));
	assert_int_equal(tz_offset(z->ny, S(4118140800)), -14400);
	tz_to_local(z->ny, S(4118140800), &tm);
	assert_int_equal(tm.year, 2100);
	assert_int_equal(tm.mon, 7);
	assert_int_equal(tm.mday, 1);
	assert_int_equal(tm.hour, 12);
	assert_int_equal(tm.wday, 4);		/* a Thursday */
	/* 2100-01-15 12:00 UTC, day 47496: winter, EST. */
	assert_int_equal(tz_offset(z->ny, S(47496LL * 86400 + 43200)),
	    -18000);
	/* 2100-03-14 is the second Sunday of March (March 1 is a Monday):
	 * day 47482 + 31 + 28 + 13 = 47554; 02:00 EST = 07:00 UTC. */
	assert_int_equal(tz_offset(z->ny, S(47554LL * 86400 + 7 * 3600) - 1),
	    -18000);
	assert_int_equal(tz_offset(z->ny, S(47554LL * 86400 + 7 * 3600)),
	    -14400);
}

static void
test_tz_posix_rule(void **state)
{
	struct errmsg	 err = { .msg = "" };
	struct tz	*tz;

	(void)state;
	/* The same rule on its own matches the file in 2024 and 2100. */
	tz = tz_load_posix("EST5EDT,M3.2.0,M11.1.0", &err);
	assert_non_null(tz);
	assert_string_equal(tz_name(tz), "EST5EDT,M3.2.0,M11.1.0");
	assert_int_equal(tz_offset(tz, S(1710054000) - 1), -18000);
	assert_int_equal(tz_offset(tz, S(1710054000)), -14400);
	assert_int_equal(tz_offset(tz, S(1730613600) - 1), -14400);
	assert_int_equal(tz_offset(tz, S(1730613600)), -18000);
	assert_int_equal(tz_offset(tz, S(4118140800)), -14400);
	tz_free(tz);

	/* Southern hemisphere: DST spans the new year.  Sydney on
	 * 2024-01-15 (day 19737) is AEDT +11, on 2024-07-15 AEST +10. */
	tz = tz_load_posix("AEST-10AEDT,M10.1.0,M4.1.0/3", &err);
	assert_non_null(tz);
	assert_int_equal(tz_offset(tz, S(19737LL * 86400)), 39600);
	assert_int_equal(tz_offset(tz, S(19919LL * 86400)), 36000);
	tz_free(tz);

	/* Quoted names and minutes: India. */
	tz = tz_load_posix("<+0530>-5:30", &err);
	assert_non_null(tz);
	assert_int_equal(tz_offset(tz, S(1710055800)), 19800);
	tz_free(tz);

	assert_null(tz_load_posix("EST5EDT,M13.1.0,M11.1.0", &err));
	assert_string_equal(err.msg,
	    "invalid time zone rule 'EST5EDT,M13.1.0,M11.1.0'");
	assert_null(tz_load_posix("EST", &err));
	assert_null(tz_load_posix("", &err));
}

static void
test_tz_unknown_zone(void **state)
{
	struct errmsg	 err = { .msg = "" };

	(void)state;
	assert_null(tz_load("Mars/Olympus", &err));
	assert_string_equal(err.msg, "unknown time zone 'Mars/Olympus'");
	/* A directory is not a zone. */
	assert_null(tz_load("America", &err));
	assert_string_equal(err.msg, "unknown time zone 'America'");
	assert_null(tz_load("../../etc/passwd", &err));
	assert_string_equal(err.msg,
	    "invalid time zone name '../../etc/passwd'");
	assert_null(tz_load("/etc/localtime", &err));
	assert_string_equal(err.msg, "invalid time zone name '/etc/localtime'");
	assert_null(tz_load("", &err));
	assert_string_equal(err.msg, "invalid time zone name ''");
	/* A NULL errmsg is allowed. */
	assert_null(tz_load("Mars/Olympus", NULL));
}

static void
test_tz_tzdir(void **state)
{
	struct errmsg	 err = { .msg = "" };
	struct tz	*tz;
	char		*old;

	(void)state;
	old = getenv("TZDIR");
	old = old == NULL ? NULL : strdup(old);
	setenv("TZDIR", "/nonexistent/zoneinfo", 1);
	assert_null(tz_load("America/New_York", &err));
	assert_string_equal(err.msg, "unknown time zone 'America/New_York'");
	/* UTC needs no database. */
	tz = tz_load("UTC", &err);
	assert_non_null(tz);
	assert_int_equal(tz_offset(tz, S(1710055800)), 0);
	tz_free(tz);
	if (old != NULL) {
		setenv("TZDIR", old, 1);
		free(old);
	} else
		unsetenv("TZDIR");
}

static void
test_tz_civil_round_trip(void **state)
{
	int	 y, m, d;
	int64_t	 days;

	(void)state;
	assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tz_weekday(0), 4);		/* Thursday */
	tz_civil_from_days(0, &y, &m, &d);
	assert_int_equal(y, 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);

	/* 2000-01-01 is day 30 * 365 + 7 = 10957; Feb 29 is 59 days on. */
	assert_int_equal(tz_days_from_civil(2000, 2, 29), 11016);
	tz_civil_from_days(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_int_equal(tz_weekday(11016), 2);		/* Tuesday */

	/* 2^31 s = 2038-01-19 03:14:08 UTC: day 2147483648 / 86400 =
	 * 24855. */
	assert_int_equal(tz_days_from_civil(2038, 1, 19), 24855);
	tz_civil_from_days(24856, &y, &m, &d);
	assert_int_equal(y, 2038);
	assert_int_equal(m, 1);
	assert_int_equal(d, 20);

	/* 2200-01-01: 230 * 365 + 56 leap days (1972..2196 but not 2100). */
	assert_int_equal(tz_days_from_civil(2200, 1, 1), 84006);
	assert_int_equal(tz_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(tz_weekday(-1), 3);		/* Wednesday */
	assert_int_equal(tz_days_from_civil(2024, 3, 11), 19793);
	assert_int_equal(tz_weekday(19793), 1);		/* Monday */

	/* Carry over: March 0 is the last of February, month 13 January. */
	assert_int_equal(tz_days_from_civil(2024, 3, 0), 19723 + 59);
	assert_int_equal(tz_days_from_civil(2023, 13, 1), 19723);

	/* Every day from 1600 to 2400 goes there and back. */
	for (days = tz_days_from_civil(1600, 1, 1);
	    days <= tz_days_from_civil(2400, 12, 31); days++) {
		tz_civil_from_days(days, &y, &m, &d);
		assert_true(m >= 1 && m <= 12);
		assert_true(d >= 1 && d <= tz_month_days(y, m));
		if (tz_days_from_civil(y, m, d) != days)
			fail_msg("day %lld round trip", (long long)days);
	}
	assert_int_equal(tz_month_days(2100, 2), 28);
	assert_int_equal(tz_month_days(2000, 2), 29);
}

/*
 * The zone remembers where its last answer fell: answers stay right
 * whatever the order of the questions, across the 2024 changes both ways
 * (EDT from 1710054000, EST again from 1730613600), asked going forwards,
 * backwards and jumping between years.
 */
static void
test_tz_hint_across_dst(void **state)
{
	struct zones	*z = *state;
	const int64_t	 spring = 1710054000, fall = 1730613600;
	const struct {
		int64_t	 s;
		int64_t	 off;
	}		 q[] = {
		{ spring - 1, -18000 }, { spring, -14400 },
		{ spring + 1, -14400 }, { fall - 1, -14400 },
		{ fall, -18000 }, { fall + 1, -18000 },
	};
	const size_t	 n = sizeof q / sizeof q[0];
	const int64_t	 far[] = { -631152000, 2098483200, 0, 1719964800 };
	const int64_t	 far_off[] = { -18000, -14400, -18000, -14400 };

	for (size_t i = 0; i < n; i++)
		assert_int_equal(tz_offset(z->ny, S(q[i].s)), q[i].off);
	for (size_t i = n; i-- > 0;)
		assert_int_equal(tz_offset(z->ny, S(q[i].s)), q[i].off);
	for (size_t i = 0; i < n; i++) {
		size_t	 j = (i * 5) % n, k = i % 4;

		assert_int_equal(tz_offset(z->ny, S(far[k])), far_off[k]);
		assert_int_equal(tz_offset(z->ny, S(q[j].s)), q[j].off);
	}
}

/*
 * The zone's table with its remembered interval against the POSIX rule
 * alone (no table, nothing remembered), 2007 to 2036: a walk every 7
 * minutes through 2023-2025, forwards then backwards, and instants in
 * random order.
 */
static void
test_tz_hint_matches_rule(void **state)
{
	struct zones	*z = *state;
	struct errmsg	 err;
	struct tz	*rule = tz_load_posix("EST5EDT,M3.2.0,M11.1.0", &err);
	const int64_t	 y2007 = 1167609600, y2037 = 2114380800;
	const int64_t	 y2023 = 1672531200, y2026 = 1767225600;
	uint64_t	 rng = 99;
	int64_t		 s;

	assert_non_null(rule);
	for (s = y2023; s < y2026; s += 7 * 60)
		assert_int_equal(tz_offset(z->ny, S(s)), tz_offset(rule, S(s)));
	for (s = y2026; s > y2023; s -= 7 * 60 + 1)
		assert_int_equal(tz_offset(z->ny, S(s)), tz_offset(rule, S(s)));
	for (int i = 0; i < 100000; i++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		s = y2007 + (int64_t)((rng >> 17) % (uint64_t)(y2037 - y2007));
		if (tz_offset(z->ny, S(s)) != tz_offset(rule, S(s)))
			fail_msg("at %lld: %lld, the rule says %lld",
			    (long long)s, (long long)tz_offset(z->ny, S(s)),
			    (long long)tz_offset(rule, S(s)));
	}
	tz_free(rule);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_tz_name),
		cmocka_unit_test(test_tz_ny_spring_forward),
		cmocka_unit_test(test_tz_ny_fall_back),
		cmocka_unit_test(test_tz_to_local_across_change),
		cmocka_unit_test(test_tz_to_utc_plain),
		cmocka_unit_test(test_tz_to_utc_gap),
		cmocka_unit_test(test_tz_to_utc_overlap),
		cmocka_unit_test(test_tz_chicago_vs_new_york),
		cmocka_unit_test(test_tz_utc),
		cmocka_unit_test(test_tz_before_epoch),
		cmocka_unit_test(test_tz_footer_far_future),
		cmocka_unit_test(test_tz_posix_rule),
		cmocka_unit_test(test_tz_unknown_zone),
		cmocka_unit_test(test_tz_tzdir),
		cmocka_unit_test(test_tz_civil_round_trip),
		cmocka_unit_test(test_tz_hint_across_dst),
		cmocka_unit_test(test_tz_hint_matches_rule),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
