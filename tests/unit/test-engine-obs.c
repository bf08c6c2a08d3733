/*
 * test-engine-obs.c -- the engine's observers: the recorder hears first,
 * the others in the order they were added, each the kinds of its mask;
 * the recorder's refusal of an order's creation or of a resume stops it
 * and the others never hear of it, while no other observer can fail the
 * engine; the list's limits; the events the moved state is made of (a
 * bar, a market event, a refusal, a closed day with its figures); a
 * fill's account includes that fill; the journal started on an engine's
 * books.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "errmsg.h"
#include "journal.h"
#include "order-mgr.h"
#include "portfolio.h"
#include "trades.h"

#include "fixture.h"

/* Who heard what, in order. */
#define HEARD_MAX	4096

struct heard {
	int		 n;
	char		 who[HEARD_MAX];
	enum engine_ev_kind kind[HEARD_MAX];
	int		 from[HEARD_MAX];
	int		 days;
	struct stats_day day[8];
	int		 fills;
	struct portfolio_account fill[8];	/* each fill's account */
};

struct ear {
	char		 name;
	struct heard	*h;
	int		 answer;	/* what fn answers */
	bool		 refuse_new;	/* -1 for an order's creation */
	bool		 refuse_up;	/* -1 for a move of the state up */
};

static int
ear_hear(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct ear	*a = arg;
	struct heard	*h = a->h;

	if (h->n < HEARD_MAX) {
		h->who[h->n] = a->name;
		h->kind[h->n] = ev->kind;
		h->from[h->n] = ev->from;
		h->n++;
	}
	if (ev->kind == EEV_DAY && h->days < 8)
		h->day[h->days++] = *ev->day;
	if (ev->kind == EEV_FILL && ev->account != NULL && h->fills < 8)
		h->fill[h->fills++] = *ev->account;
	if (a->refuse_new && ev->kind == EEV_ORDER && ev->from < 0)
		return errmsg_set(err, "disk full");
	if (a->refuse_up && ev->kind == EEV_STATE &&
	    ev->state_to < ev->state_from)
		return errmsg_set(err, "disk full");
	return a->answer;
}

static int
heard(const struct heard *h, char who, enum engine_ev_kind kind)
{
	int	 n = 0;

	for (int i = 0; i < h->n; i++)
		n += h->who[i] == who && h->kind[i] == kind;
	return n;
}

static void
add(struct engine *e, struct ear *a, uint32_t mask, bool record)
{
	struct errmsg	 err;

	if (engine_observer_add(e, &(struct engine_observer){ .fn = ear_hear,
	    .arg = a, .mask = mask, .record = record }, &err) == -1)
		fail_msg("%s", err.msg);
}

static void
bar_at(struct engine *e, int h, int m)
{
	struct errmsg	 err;
	struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14, h, m),
			    P(5000), P(5000), P(5000), P(5000));

	if (engine_on_market(e, &md, &err) == -1)
		fail_msg("%s", err.msg);
}

static struct engine *
plain_engine(void)
{
	struct engine_config	 cfg;
	struct engine		*e;
	struct errmsg		 err;

	fixture_config(&cfg);
	cfg.unattended = false;
	cfg.risk.max_contracts = 2;
	if ((e = fixture_engine(&cfg, NULL, &err)) == NULL)
		fail_msg("%s", err.msg);
	return e;
}

static const struct manual_order one = { .inst = { .i = 0 }, .side = TD_BUY,
	.type = ORD_MARKET, .qty = 1 };

/*
 * The recorder hears first though added last; the others in the order
 * they were added; each only its kinds (mask 0: all of them).
 */
static void
test_engine_obs_order_and_masks(void **state)
{
	struct engine	*e = plain_engine();
	struct heard	*h = calloc(1, sizeof *h);
	struct ear	 a = { .name = 'a' }, b = { .name = 'b' },
			 r = { .name = 'r' };
	struct errmsg	 err;

	(void)state;
	assert_non_null(h);
	a.h = b.h = r.h = h;
	add(e, &a, 0, false);
	add(e, &b, EEV_BIT(EEV_MARKET) | EEV_BIT(EEV_FILL), false);
	add(e, &r, EEV_BOOKS, true);
	bar_at(e, 10, 0);
	assert_int_equal(engine_manual_order(e, &one, NULL, &err), 0);
	bar_at(e, 10, 1);
	for (int i = 0; i < h->n; i++) {
		/* Nothing outside b's mask and r's reaches them. */
		if (h->who[i] == 'b')
			assert_true(h->kind[i] == EEV_MARKET ||
			    h->kind[i] == EEV_FILL);
		if (h->who[i] == 'r')
			assert_true((EEV_BOOKS & EEV_BIT(h->kind[i])) != 0);
		/* The recorder first, then a, then b. */
		if (h->who[i] == 'a' && (EEV_BOOKS & EEV_BIT(h->kind[i]))) {
			assert_int_equal(h->who[i - 1], 'r');
			assert_int_equal(h->kind[i - 1], h->kind[i]);
		}
		if (h->who[i] == 'b') {
			assert_int_equal(h->who[i - 1], 'a');
			assert_int_equal(h->kind[i - 1], h->kind[i]);
		}
	}
	assert_int_equal(heard(h, 'a', EEV_MARKET), 2);
	assert_int_equal(heard(h, 'b', EEV_MARKET), 2);
	assert_int_equal(heard(h, 'r', EEV_MARKET), 0);
	assert_int_equal(heard(h, 'a', EEV_BAR), 2);
	assert_int_equal(heard(h, 'r', EEV_FILL), 1);
	assert_int_equal(heard(h, 'a', EEV_FILL), 1);
	assert_int_equal(heard(h, 'b', EEV_FILL), 1);
	assert_int_equal(heard(h, 'a', EEV_ORDER), heard(h, 'r', EEV_ORDER));
	assert_true(heard(h, 'a', EEV_UPDATE) >= 1);	/* acknowledged */
	assert_int_equal(heard(h, 'r', EEV_UPDATE), 0);
	engine_free(e);
	free(h);
}

/*
 * The recorder cannot keep an order's creation: the order is not sent,
 * the engine halts, the others never hear of the order but hear that it
 * was refused.  Its refusal of a resume keeps the state where it is,
 * unheard by the others; a move down is recorded and heard.
 */
static void
test_engine_obs_recorder_vetoes(void **state)
{
	struct engine	*e = plain_engine();
	struct heard	*h = calloc(1, sizeof *h);
	struct ear	 a = { .name = 'a' }, r = { .name = 'r',
			    .refuse_new = true, .refuse_up = true };
	struct errmsg	 err;

	(void)state;
	assert_non_null(h);
	a.h = r.h = h;
	add(e, &r, EEV_BOOKS, true);
	add(e, &a, 0, false);
	bar_at(e, 10, 0);
	assert_int_equal(engine_manual_order(e, &one, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "not sent: disk full"));
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(order_mgr_live_count(engine_orders(e)), 0);
	assert_int_equal(heard(h, 'r', EEV_ORDER), 1);
	assert_int_equal(heard(h, 'a', EEV_ORDER), 0);
	assert_int_equal(heard(h, 'a', EEV_REFUSED), 1);
	bar_at(e, 10, 1);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES),
	    0);

	assert_int_equal(engine_set_state(e, TS_ACTIVE, "ann", "back", &err),
	    -1);
	assert_string_equal(err.msg, "state stays HALTED: the journal could "
	    "not record the change: disk full");
	assert_int_equal(engine_state(e), TS_HALTED);
	assert_int_equal(heard(h, 'a', EEV_STATE), 0);
	assert_int_equal(engine_set_state(e, TS_KILLED, "ann", "done", &err),
	    0);
	assert_int_equal(heard(h, 'a', EEV_STATE), 1);
	engine_free(e);
	free(h);
}

/* Another observer's -1 fails nothing: the engine trades on. */
static void
test_engine_obs_others_cannot_fail(void **state)
{
	struct engine	*e = plain_engine();
	struct heard	*h = calloc(1, sizeof *h);
	struct ear	 a = { .name = 'a', .answer = -1, .refuse_new = true,
			    .refuse_up = true };
	struct errmsg	 err;

	(void)state;
	assert_non_null(h);
	a.h = h;
	add(e, &a, 0, false);
	bar_at(e, 10, 0);
	assert_int_equal(engine_manual_order(e, &one, NULL, &err), 0);
	bar_at(e, 10, 1);
	assert_int_equal(engine_state(e), TS_ACTIVE);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES),
	    1);
	assert_int_equal(heard(h, 'a', EEV_FILL), 1);
	engine_free(e);
	free(h);
}

static int
noop(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	(void)arg;
	(void)ev;
	(void)err;
	return 0;
}

/* One recorder, ENGINE_MAX_OBS observers, a function each. */
static void
test_engine_obs_limits(void **state)
{
	struct engine	*e = plain_engine();
	int		 slot[ENGINE_MAX_OBS + 1];
	struct errmsg	 err;

	(void)state;
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .arg = &slot[0] }, &err), -1);
	assert_string_equal(err.msg, "an observer needs a function");
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = noop, .arg = &slot[0], .record = true }, &err), 0);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = noop, .arg = &slot[1], .record = true }, &err), -1);
	assert_string_equal(err.msg, "the engine has a recorder already");
	for (int i = 1; i < ENGINE_MAX_OBS; i++)
		assert_int_equal(engine_observer_add(e,
		    &(struct engine_observer){ .fn = noop, .arg = &slot[i] },
		    &err), 0);
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = noop, .arg = &slot[ENGINE_MAX_OBS] }, &err), -1);
	assert_string_equal(err.msg, "the engine has 8 observers already");
	assert_int_equal(engine_observer_remove(e, noop, &slot[ENGINE_MAX_OBS]),
	    -1);
	assert_int_equal(engine_observer_remove(e, noop, &slot[0]), 0);
	/* The recorder's place is free again. */
	assert_int_equal(engine_observer_add(e, &(struct engine_observer){
	    .fn = noop, .arg = &slot[ENGINE_MAX_OBS], .record = true }, &err),
	    0);
	bar_at(e, 10, 0);
	engine_free(e);
}

/*
 * The events the moved state is made of: one bar and one market event
 * per bar, a refusal per order refused, and each closed trading day with
 * its P&L and trades, the last at the end of the data.
 */
static void
test_engine_obs_day_and_market_events(void **state)
{
	struct engine	*e = fixture_orb_engine(true, 0);
	struct heard	*h = calloc(1, sizeof *h);
	struct ear	 a = { .name = 'a' };
	static const struct fixture_override win[] = {
		{ 9, 30, P(5000), P(5001), P(4999), P(5000) },
		{ 10, 0, P(5000), P(5001.5), P(5000), P(5001.5) },
		{ 10, 1, P(5001.5), P(5002), P(5001.5), P(5002) },
		{ 10, 5, P(5002), P(5006), P(5002), P(5006) },
	};

	(void)state;
	assert_non_null(h);
	a.h = h;
	add(e, &a, EEV_BIT(EEV_DAY) | EEV_BIT(EEV_BAR) | EEV_BIT(EEV_MARKET),
	    false);
	fixture_day(e, 13, P(5000), NULL, 0);
	fixture_day(e, 14, P(5000), win, 4);
	engine_finish(e, engine_now(e));
	assert_int_equal(heard(h, 'a', EEV_MARKET), 2 * 390);
	assert_int_equal(heard(h, 'a', EEV_BAR), 2 * 390);
	assert_int_equal(h->days, 2);
	assert_int_equal(h->day[0].day, 20240313);
	assert_int_equal(h->day[0].net, 0);
	assert_int_equal(h->day[0].trades, 0);
	assert_int_equal(h->day[1].day, 20240314);
	assert_int_equal(h->day[1].trades, 1);
	assert_int_equal(h->day[1].net, trades_get(engine_trades(e), 0)->net);
	engine_free(e);
	free(h);
}

/*
 * A fill's event carries the account with the fill in it: the journal
 * writes the day's figures in the fill's own transaction, and a crash
 * right after it leaves them true.
 */
static void
test_engine_obs_fill_account(void **state)
{
	struct engine		*e = plain_engine();
	struct heard		*h = calloc(1, sizeof *h);
	struct ear		 r = { .name = 'r' };
	struct portfolio_account a;
	struct errmsg		 err;
	struct manual_order	 sell = one;
	struct td_md		 md;

	(void)state;
	assert_non_null(h);
	r.h = h;
	add(e, &r, EEV_BOOKS, true);
	bar_at(e, 10, 0);
	assert_int_equal(engine_manual_order(e, &one, NULL, &err), 0);
	bar_at(e, 10, 1);
	sell.side = TD_SELL;
	assert_int_equal(engine_manual_order(e, &sell, NULL, &err), 0);
	md = fixture_bar(fixture_ny(2024, 3, 14, 10, 2), P(5004), P(5004),
	    P(5004), P(5004));
	assert_int_equal(engine_on_market(e, &md, &err), 0);
	assert_int_equal(h->fills, 2);
	assert_int_equal(h->fill[0].commissions, 62);
	assert_int_equal(h->fill[0].realized, 0);
	portfolio_get_account(engine_portfolio(e), &a);
	assert_int_equal(a.realized, 4 * 5000);
	assert_int_equal(h->fill[1].realized, a.realized);
	assert_int_equal(h->fill[1].commissions, 2 * 62);
	engine_free(e);
	free(h);
}

static int
keep_position(void *arg, const struct journal_position *p)
{
	struct journal_position	*last = arg;

	last[td_owner_is_manual(p->owner) ? 0 : 1] = *p;
	return 0;
}

/*
 * engine_journal: a session on the engine's books as they are -- the
 * account long 3, SimpleORB's 1 and the trader's 2 counted apart -- and
 * the journal the engine's recorder.
 */
static void
test_engine_obs_journal_books(void **state)
{
	struct engine		*e = fixture_orb_engine(false, 0);
	struct journal_session_info info = { .mode = "test" };
	struct journal_position	 last[2];
	struct journal		*j;
	struct errmsg		 err;
	char			 dir[] = "/tmp/td-obs-XXXXXX", path[64];
	struct order		 o = { .id = 90, .inst = ES, .side =
	    TD_SELL,
				    .type = ORD_MARKET, .state = ORD_FILLED,
				    .role = ROLE_EXIT, .qty = 1, .filled = 1 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/j.db", dir);
	assert_non_null(j = journal_open(path, JOURNAL_CREATE, &err));
	/* The opening range, then a breakout: ORB buys at 10:01. */
	for (int m = 9 * 60 + 30; m <= 10 * 60 + 1; m++) {
		struct td_md	 md = fixture_bar(fixture_ny(2024, 3, 14,
				    m / 60, m % 60), P(5000), P(5001), P(4999),
				    P(5000));

		if (m >= 10 * 60)
			md.bar.high = md.bar.close = P(5001.5);
		assert_int_equal(engine_on_market(e, &md, &err), 0);
	}
	assert_int_equal(engine_strat_position(e, ES), 1);
	assert_int_equal(engine_manual_order(e, &(struct manual_order){
	    .inst = ES, .side = TD_BUY, .type = ORD_MARKET, .qty = 2
	    }, NULL, &err), 0);
	bar_at(e, 10, 2);
	assert_int_equal(portfolio_position(engine_portfolio(e), ES),
	    3);

	assert_int_equal(engine_journal(e, j, &info, &err), 1);
	assert_int_equal(engine_journal(e, j, &info, &err), -1);
	assert_string_equal(err.msg, "the engine has a recorder already");
	/* The trader sells 1, then the strategy 1: each from its own. */
	o.owner = td_owner_manual();
	assert_int_equal(journal_observe(j, &(struct engine_ev){
	    .kind = EEV_FILL, .time = engine_now(e), .order = &o, .inst =
	    ES, .side = TD_SELL, .qty = 1, .price = P(5000) }, &err),
	    0);
	o.owner = td_owner_strat(td_strat_at(0));
	assert_int_equal(journal_observe(j, &(struct engine_ev){
	    .kind = EEV_FILL, .time = engine_now(e), .order = &o, .inst =
	    ES, .side = TD_SELL, .qty = 1, .price = P(5000) }, &err),
	    0);
	assert_int_equal(journal_read_positions(j, 0, 0, keep_position, last,
	    &err), 0);
	assert_int_equal(last[0].position, 2);
	assert_int_equal(last[0].owner_position, 1);
	assert_string_equal(last[0].owner_name, "manual");
	assert_int_equal(last[1].position, 1);
	assert_int_equal(last[1].owner_position, 0);
	assert_string_equal(last[1].owner_name, "orb");
	journal_close(j);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_obs_order_and_masks),
		cmocka_unit_test(test_engine_obs_recorder_vetoes),
		cmocka_unit_test(test_engine_obs_others_cannot_fail),
		cmocka_unit_test(test_engine_obs_limits),
		cmocka_unit_test(test_engine_obs_day_and_market_events),
		cmocka_unit_test(test_engine_obs_fill_account),
		cmocka_unit_test(test_engine_obs_journal_books),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
