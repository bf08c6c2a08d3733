/*
 * test-demo.c -- the deterministic demo data generator (core/demo.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "demo.h"
#include "errmsg.h"
#include "instrument.h"
#include "tz.h"

struct fixture {
	struct tz		*ny;
	struct instrument	 es;
};

static int
setup(void **state)
{
	static struct fixture	 fx;

	fx.es = (struct instrument){ .symbol = "ES",
	    .tick_size = 250000000LL, .point_value = 5000 };
	if (instrument_init(&fx.es, NULL) == -1 ||
	    (fx.ny = tz_load("America/New_York", NULL)) == NULL)
		return -1;
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	tz_free(fx->ny);
	return 0;
}

static void
test_demo_same_seed_same_stream(void **state)
{
	struct demo_cfg	 cfg = { .seed = 42, .days = 2, .globex = true };
	struct demo	*a, *b, *c;
	struct td_md	 x, y, z;
	int		 n = 0, differ = 0, rx;

	(void)state;
	assert_non_null(a = demo_create(&cfg, NULL));
	assert_non_null(b = demo_create(&cfg, NULL));
	cfg.seed = 43;
	assert_non_null(c = demo_create(&cfg, NULL));
	while ((rx = demo_next(a, &x)) == 1) {
		assert_int_equal(demo_next(b, &y), 1);
		assert_memory_equal(&x, &y, sizeof x);
		if (demo_next(c, &z) == 1)
			differ += z.tick.price != x.tick.price ||
			    z.tick.time != x.tick.time;
		n++;
	}
	assert_int_equal(demo_next(b, &y), 0);
	assert_int_equal(demo_next(a, &x), 0);	/* stays at the end */
	assert_true(n > 100000);
	assert_true(differ > n / 2);
	demo_free(a);
	demo_free(b);
	demo_free(c);
	demo_free(NULL);
}

static void
test_demo_ticks_on_grid_in_session(void **state)
{
	struct fixture	*fx = *state;
	struct demo_cfg	 cfg = { .seed = 7, .year = 2024, .mon = 3,
	    .mday = 8, .days = 3, .instrument = &fx->es, .inst = 2 };
	struct demo	*d;
	struct td_md	 md;
	struct tz_tm	 lt;
	td_ns		 prev = 0;
	int		 n = 0, sec, mday_seen[32] = { 0 };

	assert_non_null(d = demo_create(&cfg, NULL));
	while (demo_next(d, &md) == 1) {
		struct td_tick *k = &md.tick;

		assert_int_equal(md.kind, TD_MD_TICK);
		assert_int_equal(md.inst, 2);
		assert_true(k->time > prev);
		prev = k->time;
		assert_true(k->ask == k->bid + 1);
		assert_true(k->price == k->bid || k->price == k->ask);
		assert_true(k->volume >= 1 && k->volume < 200);
		assert_true(k->time % 1000 == 0);	/* whole us */
		/* 09:30-16:00 New York, Monday to Friday. */
		tz_to_local(fx->ny, k->time, &lt);
		sec = lt.hour * 3600 + lt.min * 60 + lt.sec;
		assert_true(sec >= 9 * 3600 + 1800 && sec < 16 * 3600);
		assert_true(lt.wday >= 1 && lt.wday <= 5);
		mday_seen[lt.mday] = 1;
		n++;
	}
	/* Friday 8th, then Monday 11th (after the spring change), 12th. */
	assert_true(mday_seen[8] && mday_seen[11] && mday_seen[12]);
	assert_false(mday_seen[9] || mday_seen[10] || mday_seen[13]);
	assert_true(n > 3 * 60000 && n < 3 * 130000);
	demo_free(d);
}

static void
test_demo_globex_hours(void **state)
{
	struct fixture	*fx = *state;
	struct demo_cfg	 cfg = { .seed = 9, .year = 2024, .mon = 1,
	    .mday = 8, .days = 1, .globex = true, .ticks_per_sec = 1 };
	struct demo	*d;
	struct td_md	 md;
	struct tz_tm	 lt, first = { 0 };
	int		 n = 0;

	assert_non_null(d = demo_create(&cfg, NULL));
	while (demo_next(d, &md) == 1) {
		tz_to_local(fx->ny, md.tick.time, &lt);
		if (n++ == 0)
			first = lt;
		/* Sunday 18:00 to Monday 17:00. */
		if (lt.wday == 0)
			assert_true(lt.mday == 7 && lt.hour >= 18);
		else
			assert_true(lt.wday == 1 && lt.mday == 8 &&
			    lt.hour < 17);
	}
	assert_true(first.wday == 0 && first.hour == 18 && first.min < 2);
	demo_free(d);
}

static void
test_demo_daily_range_and_u_shape(void **state)
{
	struct fixture	*fx = *state;
	struct demo_cfg	 cfg = { .seed = 2024, .days = 60,
	    .instrument = &fx->es, .ticks_per_sec = 1 };
	struct demo	*d;
	struct td_md	 md;
	struct tz_tm	 lt;
	td_ticks	 hi = 0, lo = 0, first = 0;
	int		 day = -1, ndays = 0, plausible = 0, m;
	int		 open = 0, lunch = 0, close = 0;

	assert_non_null(d = demo_create(&cfg, NULL));
	for (;;) {
		int	 more = demo_next(d, &md);

		if (more)
			tz_to_local(fx->ny, md.tick.time, &lt);
		if (!more || lt.mday != day) {
			if (day != -1) {
				/* Range in points: ticks / 4. */
				if (hi - lo >= 10 * 4 && hi - lo <= 150 * 4)
					plausible++;
				ndays++;
			}
			if (!more)
				break;
			day = lt.mday;
			hi = lo = md.tick.price;
		}
		if (first == 0)
			first = md.tick.price;
		hi = md.tick.price > hi ? md.tick.price : hi;
		lo = md.tick.price < lo ? md.tick.price : lo;
		m = lt.hour * 60 + lt.min;
		open += m < 600;			/* 09:30-10:00 */
		lunch += m >= 720 && m < 750;		/* 12:00-12:30 */
		close += m >= 930;			/* 15:30-16:00 */
	}
	assert_int_equal(ndays, 60);
	assert_true(plausible >= 54);
	assert_true(open > 2 * lunch && close > 2 * lunch);
	/* Around 5000 points at the start and still in range at the end. */
	assert_true(first > 4950 * 4 && first < 5050 * 4);
	assert_true(lo > 4000 * 4 && hi < 6000 * 4);
	demo_free(d);
}

static void
test_demo_bars(void **state)
{
	struct fixture	*fx = *state;
	struct demo_cfg	 cfg = { .seed = 5, .days = 2,
	    .output = DEMO_BARS, .bar_minutes = 5 };
	struct demo	*d;
	struct td_md	 md;
	struct tz_tm	 lt;
	td_ns		 prev = 0;
	int		 n = 0;

	assert_non_null(d = demo_create(&cfg, NULL));
	while (demo_next(d, &md) == 1) {
		struct td_bar	*b = &md.bar;

		assert_int_equal(md.kind, TD_MD_BAR);
		assert_true(b->start > prev);
		prev = b->start;
		assert_true(b->end - b->start == 5 * TD_NS_PER_MIN);
		assert_true(b->start % (5 * TD_NS_PER_MIN) == 0);
		assert_true(b->high >= b->open && b->high >= b->close);
		assert_true(b->low <= b->open && b->low <= b->close);
		assert_true(b->volume > 0);
		tz_to_local(fx->ny, b->start, &lt);
		assert_true(lt.hour * 60 + lt.min >= 570 &&
		    lt.hour * 60 + lt.min < 960);
		n++;
	}
	assert_int_equal(n, 2 * 78);	/* 6.5 hours of 5-minute bars */
	demo_free(d);
}

static void
test_demo_bad_config(void **state)
{
	struct demo_cfg	 cfg;
	struct errmsg	 err;

	(void)state;
	cfg = (struct demo_cfg){ .days = -1 };
	assert_null(demo_create(&cfg, &err));
	assert_string_equal(err.msg, "demo: days must not be negative");
	cfg = (struct demo_cfg){ .year = 2023, .mon = 2, .mday = 29 };
	assert_null(demo_create(&cfg, &err));
	assert_string_equal(err.msg, "demo: bad start date 2023-02-29");
	cfg = (struct demo_cfg){ .ticks_per_sec = -1 };
	assert_null(demo_create(&cfg, &err));
	cfg = (struct demo_cfg){ .output = DEMO_BARS, .bar_minutes = 2000 };
	assert_null(demo_create(&cfg, &err));
	assert_string_equal(err.msg,
	    "demo: bar length 2000 minutes is not 1 to 1440");
	cfg = (struct demo_cfg){ .tz = "Nowhere/Land" };
	assert_null(demo_create(&cfg, &err));
	assert_non_null(strstr(err.msg, "demo: "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_same_seed_same_stream),
		cmocka_unit_test(test_demo_ticks_on_grid_in_session),
		cmocka_unit_test(test_demo_globex_hours),
		cmocka_unit_test(test_demo_daily_range_and_u_shape),
		cmocka_unit_test(test_demo_bars),
		cmocka_unit_test(test_demo_bad_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
