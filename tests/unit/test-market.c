/*
 * test-market.c -- the market engines share (core/market.h): made once
 * from a configuration's instruments and session templates, checked
 * there, read by the engines handed it without a copy of either.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "engine.h"
#include "errmsg.h"
#include "fixture.h"
#include "market.h"

/* ES on the CME equity session and MES on a second, London template. */
static void
two_markets(struct engine_config *cfg)
{
	struct instrument	*mes = &cfg->inst[1];
	struct calendar_cfg	*lon = &cfg->cal[1];

	fixture_config(cfg);
	*mes = cfg->inst[0];
	strcpy(mes->symbol, "MES");
	mes->point_value = 500;
	mes->calendar = 1;
	assert_int_equal(instrument_init(mes, NULL), 0);
	cfg->ninst = 2;
	*lon = cfg->cal[0];
	strcpy(lon->name, "london");
	strcpy(lon->tz, "Europe/London");
	strcpy(lon->roll_tz, "");
	lon->day_roll = 0;
	lon->eth_open = lon->rth_open = 8 * 60;
	lon->eth_close = lon->rth_close = 16 * 60 + 30;
	cfg->ncal = 2;
}

static struct market *
market_of(const struct engine_config *cfg, struct errmsg *err)
{
	return market_create(cfg->inst, cfg->ninst, cfg->cal, cfg->ncal, err);
}

/* The instruments are copies, in order; each finds its own calendar. */
static void
test_market_holds_instruments_and_calendars(void **state)
{
	struct engine_config	 cfg;
	struct market		*m;
	struct errmsg		 err;
	const struct instrument	*in;

	(void)state;
	two_markets(&cfg);
	assert_non_null(m = market_of(&cfg, &err));
	assert_int_equal(market_ninst(m), 2);
	assert_int_equal(market_ncal(m), 2);
	in = market_instruments(m);
	assert_ptr_not_equal(in, cfg.inst);
	assert_memory_equal(in, cfg.inst, 2 * sizeof *in);
	/* Changing the configuration afterwards changes nothing in it. */
	cfg.inst[1].commission = 999;
	assert_int_equal(in[1].commission, cfg.inst[0].commission);
	assert_int_equal(market_inst_index(m, "ES"), 0);
	assert_int_equal(market_inst_index(m, "MES"), 1);
	assert_int_equal(market_inst_index(m, "NQ"), -1);
	assert_string_equal(calendar_cfg(market_calendar(m,
	    in[0].calendar))->name, "cme-equity");
	assert_string_equal(calendar_cfg(market_calendar(m,
	    in[1].calendar))->tz, "Europe/London");
	/* 2024-03-11 09:30 New York is 13:30 UTC; 08:00 London is 08:00. */
	{
		td_ns	 open, close;

		assert_int_equal(calendar_rth(market_calendar(m, 0), 20240311,
		    &open, &close), 0);
		assert_true(open == fixture_ny(2024, 3, 11, 9, 30));
		assert_int_equal(calendar_rth(market_calendar(m, 1), 20240311,
		    &open, &close), 0);
		assert_true(open == (td_ns)1710144000 * TD_NS_PER_SEC);
	}
	market_free(m);
	market_free(NULL);
}

/* Bad input is refused with a message that says what is wrong. */
static void
test_market_refuses_bad_input(void **state)
{
	struct engine_config	 cfg;
	struct errmsg		 err;

	(void)state;
	two_markets(&cfg);
	assert_null(market_create(cfg.inst, 0, cfg.cal, 2, &err));
	assert_string_equal(err.msg, "a market needs at least one instrument "
	    "and one session template");
	assert_null(market_create(cfg.inst, 2, cfg.cal, 0, &err));
	assert_string_equal(err.msg, "a market needs at least one instrument "
	    "and one session template");
	assert_null(market_create(cfg.inst, 2, cfg.cal, 1, &err));
	assert_string_equal(err.msg, "MES: no such session template");
	cfg.inst[1].calendar = -1;
	assert_null(market_of(&cfg, &err));
	assert_string_equal(err.msg, "MES: no such session template");
	two_markets(&cfg);
	strcpy(cfg.inst[1].symbol, "ES");
	assert_null(market_of(&cfg, &err));
	assert_string_equal(err.msg, "ES: instrument listed twice");
	two_markets(&cfg);
	strcpy(cfg.cal[1].tz, "Europe/Londres");
	assert_null(market_of(&cfg, &err));
	assert_non_null(strstr(err.msg, "unknown time zone 'Europe/Londres'"));
}

/*
 * Engines handed a market keep pointers into it, not copies, and do not
 * read the configuration's instruments or templates; an engine handed
 * none makes its own.  The market outlives them and is freed by its
 * maker alone.
 */
static void
test_market_shared_by_engines(void **state)
{
	struct engine_config	 cfg, bare;
	struct venue_sim_cfg	 vc;
	struct engine_deps	 deps = { .venue = NULL };
	struct engine		*e[3];
	struct td_inst		 mes;
	struct market		*m;
	struct errmsg		 err;

	(void)state;
	two_markets(&cfg);
	fixture_venue_config(&vc);
	assert_non_null(m = market_of(&cfg, &err));
	/* Neither instruments nor templates in this one: the market's. */
	bare = cfg;
	bare.ninst = bare.ncal = 0;
	memset(bare.inst, 0, sizeof bare.inst);
	memset(bare.cal, 0, sizeof bare.cal);
	deps.market = m;
	for (int i = 0; i < 2; i++) {
		assert_non_null(deps.venue = venue_sim_create(&vc, &err));
		assert_non_null(e[i] = engine_create(&bare, &deps, &err));
		assert_int_equal(engine_ninst(e[i]), 2);
		assert_ptr_equal(engine_instrument(e[i], td_inst_at(1)),
		    &market_instruments(m)[1]);
		assert_ptr_equal(engine_calendar(e[i], 1),
		    market_calendar(m, 1));
		assert_int_equal(engine_inst_find(e[i], "MES", &mes), 0);
		assert_int_equal(mes.i, 1);
	}
	/* Without one, the engine makes its own from the configuration. */
	assert_non_null(deps.venue = venue_sim_create(&vc, &err));
	deps.market = NULL;
	assert_non_null(e[2] = engine_create(&cfg, &deps, &err));
	assert_ptr_not_equal(engine_instrument(e[2], td_inst_at(0)),
	    &market_instruments(m)[0]);
	assert_string_equal(engine_instrument(e[2], td_inst_at(1))->symbol, "MES");
	/* ... and refuses what it could not make a market of. */
	assert_non_null(deps.venue = venue_sim_create(&vc, &err));
	assert_null(engine_create(&bare, &deps, &err));
	assert_string_equal(err.msg, "need 1 to 8 instruments");
	cfg.inst[1].calendar = 3;
	assert_null(engine_create(&cfg, &deps, &err));
	assert_string_equal(err.msg, "MES: no such session template");
	venue_free(deps.venue);
	engine_free(e[2]);
	engine_free(e[0]);
	/* The other engine still reads the market. */
	assert_string_equal(engine_instrument(e[1], td_inst_at(0))->symbol, "ES");
	engine_free(e[1]);
	market_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_market_holds_instruments_and_calendars),
		cmocka_unit_test(test_market_refuses_bad_input),
		cmocka_unit_test(test_market_shared_by_engines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
