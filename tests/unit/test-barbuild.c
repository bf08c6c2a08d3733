/*
 * test-barbuild.c -- N-minute bars from ticks and bars (core/barbuild.h).
 *
 * The real-data test resamples the vendor's ES 1-minute sample into 5-minute
 * bars and compares them with the vendor's own 5-minute file; it needs
 * $TD_SHARED_DATA and is skipped without it.
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

#include "barbuild.h"
#include "errmsg.h"
#include "instrument.h"
#include "reader.h"

#define MIN	TD_NS_PER_MIN
#define DAY	TD_NS_PER_DAY
/* 2024-01-02 00:00 UTC. */
#define T0	(1704153600LL * TD_NS_PER_SEC)

static int
setup5(void **state)
{
	*state = barbuild_create(5, NULL);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	barbuild_free(*state);
	return 0;
}

static struct td_tick
tick(td_ns t, td_ticks px, int64_t vol)
{
	return (struct td_tick){ .time = t, .price = px, .volume = vol };
}

static void
test_barbuild_create_checks_length(void **state)
{
	struct errmsg	 err;

	(void)state;
	assert_null(barbuild_create(0, &err));
	assert_string_equal(err.msg, "bar length 0 minutes is not 1 to 1440");
	assert_null(barbuild_create(1441, &err));
	barbuild_free(barbuild_create(1440, &err));
	barbuild_free(NULL);
	assert_null(barbuild_create_seconds(0, &err));
	assert_string_equal(err.msg, "bar length 0 seconds is not 1 to 86400");
	assert_null(barbuild_create_seconds(86401, &err));
	barbuild_free(barbuild_create_seconds(86400, &err));
}

/* 30-second bars from ticks: bins on the half minute, due at their end. */
static void
test_barbuild_seconds_from_ticks(void **state)
{
	struct barbuild	*b = barbuild_create_seconds(30, NULL);
	struct td_tick	 in[] = {
		tick(T0 + 10 * TD_NS_PER_SEC, 100, 1),
		tick(T0 + 29 * TD_NS_PER_SEC, 103, 2),
		tick(T0 + 30 * TD_NS_PER_SEC, 99, 4),	/* next bin */
	};
	struct td_bar	 bar;

	(void)state;
	assert_non_null(b);
	assert_int_equal(barbuild_tick(b, &in[0]), 0);
	assert_int_equal(barbuild_tick(b, &in[1]), 0);
	assert_int_equal(barbuild_due(b, T0 + 30 * TD_NS_PER_SEC - 1, &bar),
	    0);
	assert_int_equal(barbuild_due(b, in[2].time, &bar), 1);
	assert_int_equal(bar.start, T0);
	assert_int_equal(bar.end, T0 + 30 * TD_NS_PER_SEC);
	assert_int_equal(bar.open, 100);
	assert_int_equal(bar.high, 103);
	assert_int_equal(bar.low, 100);
	assert_int_equal(bar.close, 103);
	assert_int_equal(bar.volume, 3);
	assert_int_equal(barbuild_tick(b, &in[2]), 0);
	assert_int_equal(barbuild_flush(b, &bar), 1);
	assert_int_equal(bar.start, T0 + 30 * TD_NS_PER_SEC);
	assert_int_equal(bar.end, T0 + MIN);
	assert_int_equal(bar.volume, 4);
	barbuild_free(b);
}

static void
test_barbuild_ticks_into_five_minutes(void **state)
{
	struct barbuild	*b = *state;
	struct td_bar	 bar;
	struct td_tick	 in[] = {
		tick(T0 + 9 * 60 * MIN + 30 * MIN + 1, 100, 2),	/* 09:30 */
		tick(T0 + 9 * 60 * MIN + 31 * MIN, 104, 1),
		tick(T0 + 9 * 60 * MIN + 31 * MIN, 97, 5),	/* same time */
		tick(T0 + 9 * 60 * MIN + 35 * MIN - 1, 101, 1),
		tick(T0 + 9 * 60 * MIN + 35 * MIN, 102, 3),	/* next bin */
		tick(T0 + 9 * 60 * MIN + 52 * MIN, 90, 1),	/* a gap */
	};
	int		 n = 0;
	struct td_bar	 got[4];

	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		if (barbuild_due(b, in[i].time, &bar) == 1)
			got[n++] = bar;
		assert_int_equal(barbuild_tick(b, &in[i]), 0);
	}
	assert_int_equal(n, 2);
	assert_true(got[0].start == T0 + 570 * MIN);
	assert_true(got[0].end == T0 + 575 * MIN);
	assert_true(got[0].open == 100 && got[0].high == 104 &&
	    got[0].low == 97 && got[0].close == 101 && got[0].volume == 9);
	assert_true(got[1].start == T0 + 575 * MIN && got[1].open == 102 &&
	    got[1].close == 102 && got[1].volume == 3);
	/* The 09:50 bin is still open; flush hands it over once. */
	assert_int_equal(barbuild_due(b, T0 + 594 * MIN, &bar), 0);
	assert_int_equal(barbuild_flush(b, &bar), 1);
	assert_true(bar.start == T0 + 590 * MIN && bar.end == T0 + 595 * MIN);
	assert_true(bar.open == 90 && bar.volume == 1);
	assert_int_equal(barbuild_flush(b, &bar), 0);
}

static void
test_barbuild_due_by_time_alone(void **state)
{
	struct barbuild	*b = *state;
	struct td_tick	 t = tick(T0 + 2 * MIN, 50, 1);
	struct td_bar	 bar;

	assert_int_equal(barbuild_tick(b, &t), 0);
	assert_int_equal(barbuild_due(b, T0 + 5 * MIN - 1, &bar), 0);
	assert_int_equal(barbuild_due(b, T0 + 5 * MIN, &bar), 1);
	assert_true(bar.start == T0 && bar.end == T0 + 5 * MIN);
	assert_int_equal(barbuild_due(b, T0 + 6 * MIN, &bar), 0);
	assert_int_equal(barbuild_flush(b, &bar), 0);
}

static void
test_barbuild_missed_due_waits(void **state)
{
	struct barbuild	*b = *state;
	struct td_tick	 t1 = tick(T0, 10, 1), t2 = tick(T0 + 6 * MIN, 11, 1);
	struct td_tick	 t3 = tick(T0 + 11 * MIN, 12, 1);
	struct td_tick	 old = tick(T0 + 5 * MIN, 9, 1);
	struct td_bar	 bar;

	assert_int_equal(barbuild_tick(b, &t1), 0);
	assert_int_equal(barbuild_tick(b, &t2), 1);	/* t1's bar waits */
	assert_int_equal(barbuild_tick(b, &t3), -1);	/* would lose it */
	assert_int_equal(barbuild_tick(b, &old), -1);	/* back in time */
	assert_int_equal(barbuild_due(b, t2.time, &bar), 1);
	assert_true(bar.start == T0 && bar.close == 10);
	assert_int_equal(barbuild_tick(b, &t3), 1);
	assert_int_equal(barbuild_flush(b, &bar), 1);
	assert_true(bar.start == T0 + 5 * MIN && bar.close == 11);
	assert_int_equal(barbuild_flush(b, &bar), 1);
	assert_true(bar.start == T0 + 10 * MIN && bar.close == 12);
	assert_int_equal(barbuild_flush(b, &bar), 0);
}

static void
test_barbuild_odd_length_aligns_to_utc_midnight(void **state)
{
	struct barbuild	*b = barbuild_create(7, NULL);
	td_ns		 end;

	(void)state;
	assert_true(barbuild_bin(b, T0 + 13 * MIN, &end) == T0 + 7 * MIN);
	assert_true(end == T0 + 14 * MIN);
	/* 1440 = 205 x 7 + 5: the last bin of the day is 5 minutes. */
	assert_true(barbuild_bin(b, T0 + DAY - 1, &end) == T0 + DAY - 5 * MIN);
	assert_true(end == T0 + DAY);
	assert_true(barbuild_bin(b, T0 + DAY, &end) == T0 + DAY);
	/* Before 1970 the grid holds too. */
	assert_true(barbuild_bin(b, -1, &end) == -5 * MIN && end == 0);
	barbuild_free(b);
}

static void
test_barbuild_bars_from_minutes(void **state)
{
	struct barbuild	*b = *state;
	struct errmsg	 err;
	struct td_bar	 m, bar;

	for (int i = 0; i < 5; i++) {
		m = (struct td_bar){ .start = T0 + i * MIN,
		    .end = T0 + (i + 1) * MIN, .open = 10 + i,
		    .high = 20 + i, .low = 5 - i, .close = 11 + i,
		    .volume = 100 };
		assert_int_equal(barbuild_due(b, m.start, &bar), 0);
		assert_int_equal(barbuild_bar(b, &m, &err), 0);
	}
	assert_int_equal(barbuild_due(b, T0 + 5 * MIN, &bar), 1);
	assert_true(bar.open == 10 && bar.high == 24 && bar.low == 1 &&
	    bar.close == 15 && bar.volume == 500);
	/* A bar longer than the bin, and one going back. */
	m = (struct td_bar){ .start = T0 + 9 * MIN, .end = T0 + 11 * MIN };
	assert_int_equal(barbuild_bar(b, &m, &err), -1);
	assert_string_equal(err.msg, "input bar of 120 s does not fit in one "
	    "bin of 300 s");
	m = (struct td_bar){ .start = T0 + 4 * MIN, .end = T0 + 5 * MIN };
	assert_int_equal(barbuild_bar(b, &m, &err), -1);
	assert_string_equal(err.msg, "input bar starts before the end of the "
	    "previous one");
}

static const char *
shared(const char *rel, char *path, size_t len)
{
	const char	*d = getenv("TD_SHARED_DATA");
	struct stat	 sb;

	if (d == NULL || *d == '\0')
		return NULL;
	snprintf(path, len, "%s/%s", d, rel);
	return stat(path, &sb) == 0 ? path : NULL;
}

static void
test_barbuild_matches_vendor_five_minutes(void **state)
{
	struct barbuild		*b = *state;
	struct instrument	 es = { .symbol = "ES",
	    .tick_size = 250000000LL, .point_value = 5000 };
	struct reader_opts	 o = { .instrument = &es };
	struct reader		*one, *five;
	struct td_md		 md, want;
	struct td_bar		 bar;
	struct errmsg		 err;
	char			 p1[1024], p5[1024];
	int			 n = 0, rc;

	(void)state;
	if (shared("firstrate-samples/ES_1min_sample_2023-03.csv", p1,
	    sizeof p1) == NULL || shared("firstrate-samples/"
	    "ES_5min_sample_2023-03.txt", p5, sizeof p5) == NULL)
		skip();
	assert_int_equal(instrument_init(&es, NULL), 0);
	assert_non_null(one = reader_open(p1, &o, &err));
	assert_non_null(five = reader_open(p5, &o, &err));
	for (;;) {
		rc = reader_next(one, &md, &err);
		assert_int_not_equal(rc, -1);
		if (rc == 1 ? barbuild_due(b, md.bar.start, &bar) == 0 :
		    barbuild_flush(b, &bar) == 0) {
			if (rc == 0)
				break;
			assert_int_equal(barbuild_bar(b, &md.bar, &err), 0);
			continue;
		}
		assert_int_equal(reader_next(five, &want, &err), 1);
		assert_memory_equal(&bar, &want.bar, sizeof bar);
		n++;
		if (rc == 1)
			assert_int_equal(barbuild_bar(b, &md.bar, &err), 0);
	}
	assert_int_equal(reader_next(five, &want, &err), 0);
	assert_int_equal(n, 3240);
	reader_close(one);
	reader_close(five);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_barbuild_create_checks_length),
		cmocka_unit_test(test_barbuild_seconds_from_ticks),
		cmocka_unit_test_setup_teardown(
		    test_barbuild_ticks_into_five_minutes, setup5, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barbuild_due_by_time_alone, setup5, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barbuild_missed_due_waits, setup5, teardown),
		cmocka_unit_test(
		    test_barbuild_odd_length_aligns_to_utc_midnight),
		cmocka_unit_test_setup_teardown(
		    test_barbuild_bars_from_minutes, setup5, teardown),
		cmocka_unit_test_setup_teardown(
		    test_barbuild_matches_vendor_five_minutes, setup5,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
