/*
 * test-instrument.c -- checking instruments and converting prices
 * (core/instrument.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "errmsg.h"
#include "instrument.h"

#define PX(points)	((td_px)((points) * 1000000000.0 + 0.5))

static int
setup_es(void **state)
{
	static struct instrument es;

	es = (struct instrument){
		.symbol = "ES",
		.tick_size = 250000000LL,	/* 0.25 */
		.point_value = 5000,		/* $50 */
		.commission = 225,
	};
	*state = &es;
	return 0;
}

static void
test_instrument_init_es(void **state)
{
	struct instrument	*es = *state;
	struct errmsg		 err = { "" };

	assert_int_equal(instrument_init(es, &err), 0);
	assert_true(es->tick_value == 1250);
	assert_int_equal(es->decimals, 2);
}

static void
test_instrument_init_decimals(void **state)
{
	struct instrument	 zn = {
		.symbol = "ZN", .tick_size = 15625000LL, .point_value = 100000,
	};
	struct instrument	 zb = {
		.symbol = "ZB", .tick_size = 31250000LL, .point_value = 100000,
	};
	struct errmsg		 err = { "" };
	struct instrument	 cl = {
		.symbol = "CL", .tick_size = 10000000LL, .point_value = 100000,
		.decimals = 4,
	};
	struct instrument	 one = {
		.symbol = "X", .tick_size = 1000000000LL, .point_value = 100,
	};

	(void)state;
	/* 1/32 point: 0.03125 needs 5 decimals, $31.25 a tick. */
	assert_int_equal(instrument_init(&zb, NULL), 0);
	assert_int_equal(zb.decimals, 5);
	assert_true(zb.tick_value == 3125);
	/* 1/64 point at $1000 a point is $15.625: not whole cents. */
	assert_int_equal(instrument_init(&zn, &err), -1);
	assert_string_equal(err.msg,
	    "ZN: tick value 1562.5 cents is not a whole number of cents");
	assert_int_equal(instrument_init(&cl, NULL), 0);
	assert_int_equal(cl.decimals, 4);	/* more than needed kept */
	assert_true(cl.tick_value == 1000);
	assert_int_equal(instrument_init(&one, NULL), 0);
	assert_int_equal(one.decimals, 0);
	assert_true(one.tick_value == 100);
}

static void
test_instrument_init_rejects(void **state)
{
	struct instrument	 bad;
	struct errmsg		 err = { "" };

	(void)state;
	bad = (struct instrument){ .symbol = "ES", .tick_size = 1234000LL,
	    .point_value = 1000 };
	assert_int_equal(instrument_init(&bad, &err), -1);
	assert_string_equal(err.msg,
	    "ES: tick value 1.234 cents is not a whole number of cents");
	bad = (struct instrument){ .symbol = "ES", .tick_size = 0,
	    .point_value = 5000 };
	assert_int_equal(instrument_init(&bad, &err), -1);
	assert_string_equal(err.msg, "ES: tick size must be positive");
	bad = (struct instrument){ .symbol = "ES", .tick_size = 250000000LL,
	    .point_value = 0 };
	assert_int_equal(instrument_init(&bad, &err), -1);
	assert_string_equal(err.msg, "ES: point value must be positive");
	bad = (struct instrument){ .symbol = "ES", .tick_size = 250000000LL,
	    .point_value = 5000, .commission = -1 };
	assert_int_equal(instrument_init(&bad, &err), -1);
	assert_string_equal(err.msg, "ES: commission must not be negative");
	bad = (struct instrument){ .tick_size = 250000000LL,
	    .point_value = 5000, .decimals = 12 };
	assert_int_equal(instrument_init(&bad, &err), -1);
	assert_string_equal(err.msg, "instrument: decimals must be 0 to 9");
}

static void
test_instrument_ticks_on_and_off_grid(void **state)
{
	struct instrument	*es = *state;
	struct errmsg		 err = { "" };
	td_ticks		 t = 0;

	assert_int_equal(instrument_init(es, NULL), 0);
	assert_int_equal(instrument_ticks(es, 4801250000000LL, &t, &err), 0);
	assert_true(t == 19205);
	assert_int_equal(instrument_ticks(es, -500000000LL, &t, &err), 0);
	assert_true(t == -2);
	assert_int_equal(instrument_ticks(es, 4801100000000LL, &t, &err), -1);
	assert_string_equal(err.msg,
	    "price 4801.10 is not on the 0.25 tick grid");
	assert_int_equal(instrument_ticks(es, 4801123000000LL, &t, &err), -1);
	assert_string_equal(err.msg,
	    "price 4801.123 is not on the 0.25 tick grid");
	assert_true(t == -2);
}

static void
test_instrument_px_and_format(void **state)
{
	struct instrument	*es = *state;
	char			 buf[32];

	assert_int_equal(instrument_init(es, NULL), 0);
	assert_true(instrument_px(es, 19205) == 4801250000000LL);
	assert_string_equal(instrument_format(es, 19205, buf, sizeof buf),
	    "4801.25");
	assert_string_equal(instrument_format(es, 16, buf, sizeof buf),
	    "4.00");
	assert_string_equal(instrument_format(es, -3, buf, sizeof buf),
	    "-0.75");
}

static void
test_instrument_price_ok(void **state)
{
	struct instrument	*es = *state;
	struct errmsg		 err = { "" };

	assert_int_equal(instrument_init(es, NULL), 0);
	assert_int_equal(instrument_price_ok(es, PX(0.25), "price", &err), 0);
	assert_int_equal(instrument_price_ok(es, 0, "price", &err), -1);
	assert_string_equal(err.msg, "price 0.00 is not above zero");
	assert_int_equal(instrument_price_ok(es, -PX(37.625), "low price",
	    &err), -1);
	assert_string_equal(err.msg, "low price -37.625 is not above zero");
	assert_int_equal(instrument_price_ok(NULL, -1, "price", &err), -1);
	assert_string_equal(err.msg, "price -0.000000001 is not above zero");
	assert_int_equal(instrument_price_ok(NULL, 1, "price", &err), 0);
	/* A market that trades below zero. */
	es->negative_prices = true;
	assert_int_equal(instrument_price_ok(es, 0, "price", &err), 0);
	assert_int_equal(instrument_price_ok(es, -PX(37.63), "price", &err),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_instrument_init_es, setup_es),
		cmocka_unit_test(test_instrument_init_decimals),
		cmocka_unit_test(test_instrument_init_rejects),
		cmocka_unit_test_setup(test_instrument_ticks_on_and_off_grid,
		    setup_es),
		cmocka_unit_test_setup(test_instrument_px_and_format,
		    setup_es),
		cmocka_unit_test_setup(test_instrument_price_ok, setup_es),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
