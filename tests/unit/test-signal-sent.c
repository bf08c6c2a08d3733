/*
 * test-signal-sent.c -- the tone of headlines (core/signal-sent.h) on
 * headlines written for the test: plain, intensified and softened words,
 * negation, uncertainty, mixed tones, and the series that decays by half
 * every half-life, per instrument and for the market, sent again while it
 * fades.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "signal-sent.h"

#define S	TD_DATA_SCALE
#define HOUR	(3600 * TD_NS_PER_SEC)

static void
test_signal_sent_words(void **state)
{
	struct sent_counts	 c;

	(void)state;
	/* One plain word: 1 / (1 + 1). */
	assert_int_equal(sent_score("Stocks rally into the close", &c), S / 2);
	assert_int_equal(c.positive, 1);
	assert_int_equal(sent_score("Futures slide after the open", &c),
	    -S / 2);
	assert_int_equal(c.negative, 1);
	/* Two: 2 / 3; case and punctuation do not matter. */
	assert_int_equal(sent_score("EARNINGS BEAT; SHARES SURGE!", &c),
	    2 * S / 3);
	/* Nothing known: 0. */
	assert_int_equal(sent_score("Fed chair speaks at noon", &c), 0);
	assert_int_equal(c.positive + c.negative + c.uncertain, 0);
	assert_int_equal(sent_score("", NULL), 0);
}

static void
test_signal_sent_intensity(void **state)
{
	(void)state;
	/* 1.5 / 2.5 and 0.5 / 1.5. */
	assert_int_equal(sent_score("Index rises sharply higher", NULL),
	    (3 + 2) * S / (3 + 2 + 2));
	assert_int_equal(sent_score("Shares sharply lower", NULL),
	    -3 * S / 5);
	assert_int_equal(sent_score("Bonds slightly weaker", NULL), -S / 3);
	/* An intensifier reaches the next word only. */
	assert_int_equal(sent_score("Record turnout as shares rise", NULL),
	    S / 2);
}

static void
test_signal_sent_negation(void **state)
{
	struct sent_counts	 c;

	(void)state;
	assert_int_equal(sent_score("Retailer does not expect a recession",
	    &c), S / 2);
	assert_int_equal(c.negated, 1);
	assert_int_equal(sent_score("Earnings didn't beat estimates", &c),
	    -S / 2);
	assert_int_equal(c.negated, 1);
	assert_int_equal(sent_score("No rebound in sight", NULL), -S / 2);
	/* A negation reaches three words, not four. */
	assert_int_equal(sent_score("Not what anyone saw coming: shares "
	    "surge", &c), S / 2);
	assert_int_equal(c.negated, 0);
}

static void
test_signal_sent_uncertainty_and_mix(void **state)
{
	struct sent_counts	 c;

	(void)state;
	/* Each uncertainty word takes a fifth off. */
	assert_int_equal(sent_score("Rally may fade", &c), S / 2 * 4 / 5);
	assert_int_equal(c.uncertain, 1);
	assert_int_equal(sent_score("Uncertain outlook could weigh on "
	    "shares as growth slows", &c), S / 2 * 4 / 5 * 4 / 5);
	assert_int_equal(c.uncertain, 2);
	/* One good, one bad: 0; two bad, one good: -1 / 4. */
	assert_int_equal(sent_score("Sales rise but guidance cut", NULL),
	    0);
	assert_int_equal(sent_score("Losses widen, layoffs announced despite "
	    "strong sales", NULL), -S / 4);
	/* The bounds hold for any pile of words. */
	assert_true(sent_score("surge surge surge surge surge surge surge "
	    "surge surge surge", NULL) < S);
}

static void
test_signal_sent_series(void **state)
{
	struct sent_book	 b;
	struct td_data		 d;

	(void)state;
	sent_book_init(&b, 2, HOUR);
	assert_int_equal(sent_book_value(&b, 0, 0), 0);
	sent_book_add(&b, 0, 10 * HOUR, S / 2, &d);
	assert_string_equal(d.source, "news");
	assert_string_equal(d.name, "sentiment");
	assert_int_equal(d.kind, TD_DATA_SCORE);
	assert_int_equal(d.inst, 0);
	assert_int_equal(d.value, S / 2);
	assert_int_equal(d.time, 10 * HOUR);
	/* Half an hour later a half-life has not passed; an hour has. */
	assert_int_equal(sent_book_value(&b, 0, 11 * HOUR), S / 4);
	assert_int_equal(sent_book_value(&b, 0, 12 * HOUR), S / 8);
	/* A new headline adds to what is left; the sum is clipped. */
	sent_book_add(&b, 0, 11 * HOUR, -S / 2, &d);
	assert_int_equal(d.value, -S / 4);
	sent_book_add(&b, 0, 11 * HOUR, -S, &d);
	assert_int_equal(d.value, -S);
	/* Another instrument and the market keep their own. */
	assert_int_equal(sent_book_value(&b, 1, 11 * HOUR), 0);
	sent_book_add(&b, -1, 11 * HOUR, S / 2, &d);
	assert_int_equal(d.inst, -1);
	assert_int_equal(sent_book_value(&b, -1, 11 * HOUR), S / 2);
	assert_int_equal(sent_book_value(&b, 0, 11 * HOUR), -S);
}

/*
 * Between headlines a series is sent again each minute while it fades,
 * then once as 0, then not until the next headline.
 */
static void
test_signal_sent_due(void **state)
{
	struct sent_book	 b;
	struct td_data		 d[SENT_MAX_INST + 1];
	const td_ns		 min = SENT_EVERY;

	(void)state;
	sent_book_init(&b, 2, HOUR);
	assert_int_equal(sent_book_due(&b, 5 * HOUR, d, 3), 0);
	sent_book_add(&b, 1, 10 * HOUR, S / 2, &d[0]);
	sent_book_add(&b, -1, 10 * HOUR, -S / 2, &d[0]);
	assert_int_equal(sent_book_due(&b, 10 * HOUR + min - 1, d, 3), 0);
	assert_int_equal(sent_book_due(&b, 11 * HOUR, d, 3), 2);
	assert_int_equal(d[0].inst, 1);
	assert_int_equal(d[0].value, S / 4);
	assert_int_equal(d[0].time, 11 * HOUR);
	assert_int_equal(d[1].inst, -1);
	assert_int_equal(d[1].value, -S / 4);
	/* Not again within the minute; room for one only: the first. */
	assert_int_equal(sent_book_due(&b, 11 * HOUR + 1, d, 3), 0);
	assert_int_equal(sent_book_due(&b, 11 * HOUR + min, d, 1), 1);
	assert_int_equal(d[0].inst, 1);
	/* Faded below 0.0001 (13 half-lives): 0, once, then quiet. */
	assert_int_equal(sent_book_due(&b, 24 * HOUR, d, 3), 2);
	assert_int_equal(d[0].value, 0);
	assert_int_equal(d[1].value, 0);
	assert_int_equal(sent_book_due(&b, 25 * HOUR, d, 3), 0);
	sent_book_add(&b, 1, 25 * HOUR, S / 2, &d[0]);
	assert_int_equal(sent_book_due(&b, 25 * HOUR + min, d, 3), 1);
}

/* Scores as the log, the console and the monitoring page show them. */
static void
test_signal_sent_format(void **state)
{
	char	 buf[16];

	(void)state;
	assert_string_equal(sent_format(TD_DATA_SCALE * 2 / 3, 4, buf,
	    sizeof buf), "+0.6667");
	assert_string_equal(sent_format(-TD_DATA_SCALE / 4, 2, buf,
	    sizeof buf), "-0.25");
	assert_string_equal(sent_format(-TD_DATA_SCALE, 2, buf, sizeof buf),
	    "-1.00");
	assert_string_equal(sent_format(TD_DATA_SCALE / 1000, 2, buf,
	    sizeof buf), "0.00");
	assert_string_equal(sent_format(TD_DATA_SCALE * 5 / 1000, 2, buf,
	    sizeof buf), "+0.01");
	assert_string_equal(sent_format(0, 4, buf, sizeof buf), "0.0000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_sent_words),
		cmocka_unit_test(test_signal_sent_format),
		cmocka_unit_test(test_signal_sent_intensity),
		cmocka_unit_test(test_signal_sent_negation),
		cmocka_unit_test(test_signal_sent_uncertainty_and_mix),
		cmocka_unit_test(test_signal_sent_series),
		cmocka_unit_test(test_signal_sent_due),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
