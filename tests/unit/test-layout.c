/*
 * test-layout.c -- unit tests for ui/layout: pane rectangles for several
 * terminal sizes.  Every pane must lie inside the screen, no two may
 * overlap, every pane is shown from 80x24 up, and a terminal that is too
 * small gives the too-small state with the command line still there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "layout.h"

static bool
rect_inside(const struct layout_rect *r, int cols, int lines)
{
	return r->y >= 0 && r->x >= 0 && r->h >= 0 && r->w >= 0 &&
	    r->y + r->h <= lines && r->x + r->w <= cols;
}

static bool
rect_overlap(const struct layout_rect *a, const struct layout_rect *b)
{
	if (!layout_visible(a) || !layout_visible(b))
		return false;
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	    a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Inside the screen and no overlaps, message area included. */
static void
check_sane(const struct layout *l, int cols, int lines)
{
	for (int i = 0; i < LAYOUT_NPANES; i++) {
		assert_true(rect_inside(&l->pane[i], cols, lines));
		assert_false(rect_overlap(&l->pane[i], &l->message));
		for (int k = i + 1; k < LAYOUT_NPANES; k++) {
			if (rect_overlap(&l->pane[i], &l->pane[k]))
				fail_msg("%dx%d: panes %d and %d overlap", cols,
				    lines, i, k);
		}
	}
	assert_true(rect_inside(&l->message, cols, lines));
}

/* Every pane shown, the status bar on top, the command line at the foot. */
static void
check_full(int cols, int lines)
{
	struct layout	 l;
	int		 cells = 0;

	layout_compute(&l, cols, lines);
	assert_false(l.too_small);
	assert_int_equal(l.cols, cols);
	assert_int_equal(l.lines, lines);
	check_sane(&l, cols, lines);
	for (int i = 0; i < LAYOUT_NPANES; i++) {
		assert_true(layout_visible(&l.pane[i]));
		cells += l.pane[i].h * l.pane[i].w;
	}
	/* Nothing is wasted: the panes tile the whole screen. */
	assert_int_equal(cells, cols * lines);
	assert_int_equal(l.pane[LAYOUT_STATUS].y, 0);
	assert_int_equal(l.pane[LAYOUT_STATUS].h, 1);
	assert_int_equal(l.pane[LAYOUT_STATUS].w, cols);
	assert_int_equal(l.pane[LAYOUT_CMDLINE].y, lines - 1);
	assert_int_equal(l.pane[LAYOUT_CMDLINE].h, 1);
	assert_int_equal(l.pane[LAYOUT_CMDLINE].w, cols);
	/* The reply line just above it, always shown. */
	assert_int_equal(l.pane[LAYOUT_REPLY].y, lines - 2);
	assert_int_equal(l.pane[LAYOUT_REPLY].h, 1);
	assert_int_equal(l.pane[LAYOUT_REPLY].w, cols);
	/* Room for a title and rows in every pane. */
	assert_true(l.pane[LAYOUT_POSITIONS].h >= 5);
	assert_true(l.pane[LAYOUT_RISK].h >= 7);
	assert_true(l.pane[LAYOUT_RISK].w >= 34);
	assert_true(l.pane[LAYOUT_STRATEGIES].h >= 3);
	assert_true(l.pane[LAYOUT_BLOTTER].h >= 4);
	assert_true(l.pane[LAYOUT_BLOTTER].w >= 64);
	assert_true(l.pane[LAYOUT_LOG].h >= 4);
	assert_true(l.pane[LAYOUT_PRICE].h >= 3);
}

static void
test_layout_80x24(void **state)
{
	struct layout	 l;

	(void)state;

	check_full(80, 24);
	layout_compute(&l, 80, 24);
	/* The figures sit above the blotter, the log above the line. */
	assert_int_equal(l.pane[LAYOUT_POSITIONS].y, 1);
	assert_int_equal(l.pane[LAYOUT_RISK].y, 1);
	assert_true(l.pane[LAYOUT_BLOTTER].y > l.pane[LAYOUT_STRATEGIES].y);
	assert_int_equal(l.pane[LAYOUT_LOG].y + l.pane[LAYOUT_LOG].h, 22);
	assert_int_equal(l.pane[LAYOUT_BLOTTER].w, 80);
	assert_int_equal(l.pane[LAYOUT_LOG].w, 80);
}

static void
test_layout_100x30(void **state)
{
	struct layout	 l, small;

	(void)state;

	check_full(100, 30);
	layout_compute(&l, 100, 30);
	layout_compute(&small, 80, 24);
	/* More room goes to every pane that lists things. */
	assert_true(l.pane[LAYOUT_BLOTTER].h > small.pane[LAYOUT_BLOTTER].h);
	assert_true(l.pane[LAYOUT_LOG].h > small.pane[LAYOUT_LOG].h);
	assert_true(l.pane[LAYOUT_RISK].h >= small.pane[LAYOUT_RISK].h);
	assert_true(l.pane[LAYOUT_POSITIONS].w > small.pane[LAYOUT_POSITIONS].w);
}

static void
test_layout_200x60(void **state)
{
	struct layout	 l;

	(void)state;

	check_full(200, 60);
	layout_compute(&l, 200, 60);
	/* Two columns: blotter and log on the right, full height. */
	assert_true(l.pane[LAYOUT_BLOTTER].x > 0);
	assert_int_equal(l.pane[LAYOUT_BLOTTER].x, l.pane[LAYOUT_LOG].x);
	assert_int_equal(l.pane[LAYOUT_BLOTTER].y, 1);
	assert_int_equal(l.pane[LAYOUT_LOG].y + l.pane[LAYOUT_LOG].h, 58);
	assert_true(l.pane[LAYOUT_BLOTTER].h >= 20);
	assert_true(l.pane[LAYOUT_PRICE].h >= 10);
	assert_true(l.pane[LAYOUT_POSITIONS].w >= 80);
}

/* Every size from the smallest to large: always sane, full from 80x24. */
static void
test_layout_all_sizes(void **state)
{
	struct layout	 l;

	(void)state;

	for (int cols = 0; cols <= 260; cols += 1) {
		for (int lines = 0; lines <= 90; lines += 1) {
			layout_compute(&l, cols, lines);
			check_sane(&l, cols, lines);
			assert_int_equal(l.too_small, cols < 80 || lines < 24);
			if (!l.too_small)
				check_full(cols, lines);
		}
	}
}

static void
test_layout_too_small(void **state)
{
	struct layout	 l;

	(void)state;

	layout_compute(&l, 60, 15);
	check_sane(&l, 60, 15);
	assert_true(l.too_small);
	/* The command line stays, so flatten and kill can still be typed. */
	assert_true(layout_visible(&l.pane[LAYOUT_CMDLINE]));
	assert_int_equal(l.pane[LAYOUT_CMDLINE].y, 14);
	assert_true(layout_visible(&l.pane[LAYOUT_STATUS]));
	assert_true(layout_visible(&l.message));
	assert_int_equal(l.message.y, 1);
	assert_int_equal(l.message.h, 10);
	/* So do the replies, on three lines above it. */
	assert_int_equal(l.pane[LAYOUT_REPLY].y, 11);
	assert_int_equal(l.pane[LAYOUT_REPLY].h, 3);
	assert_int_equal(l.pane[LAYOUT_REPLY].w, 60);
	assert_false(layout_visible(&l.pane[LAYOUT_BLOTTER]));
	assert_false(layout_visible(&l.pane[LAYOUT_LOG]));
	assert_false(layout_visible(&l.pane[LAYOUT_POSITIONS]));

	/* One column short, one line short. */
	layout_compute(&l, 79, 24);
	assert_true(l.too_small);
	layout_compute(&l, 80, 23);
	assert_true(l.too_small);
}

static void
test_layout_degenerate(void **state)
{
	struct layout	 l;

	(void)state;

	layout_compute(&l, 0, 0);
	assert_true(l.too_small);
	for (int i = 0; i < LAYOUT_NPANES; i++)
		assert_false(layout_visible(&l.pane[i]));
	layout_compute(&l, -5, -3);
	assert_int_equal(l.cols, 0);
	assert_int_equal(l.lines, 0);
	check_sane(&l, 0, 0);
	/* One line: the command line wins over the status bar. */
	layout_compute(&l, 40, 1);
	assert_true(layout_visible(&l.pane[LAYOUT_CMDLINE]));
	assert_false(layout_visible(&l.pane[LAYOUT_STATUS]));
	assert_false(layout_visible(&l.message));
	layout_compute(&l, 1, 2);
	check_sane(&l, 1, 2);
	assert_true(layout_visible(&l.pane[LAYOUT_STATUS]));
	/* Three lines: the reply line before the message. */
	layout_compute(&l, 40, 3);
	assert_true(layout_visible(&l.pane[LAYOUT_REPLY]));
	assert_false(layout_visible(&l.message));
}

/*
 * The chart (F3) in the price pane's slot: in two columns it swaps with
 * the blotter; in one stack it takes the strategies', price line's and
 * blotter's rows at full width, those two hidden; never overlapping,
 * never outside the screen; nothing moves when too small.
 */
static void
test_layout_chart(void **state)
{
	struct layout	 l, plain;

	(void)state;
	layout_compute(&plain, 200, 60);
	layout_compute(&l, 200, 60);
	layout_chart(&l);
	check_sane(&l, 200, 60);
	assert_memory_equal(&l.pane[LAYOUT_PRICE], &plain.pane[LAYOUT_BLOTTER],
	    sizeof l.pane[0]);
	assert_memory_equal(&l.pane[LAYOUT_BLOTTER], &plain.pane[LAYOUT_PRICE],
	    sizeof l.pane[0]);
	for (int cols = 80; cols <= 240; cols += 7) {
		for (int lines = 24; lines <= 70; lines += 5) {
			layout_compute(&plain, cols, lines);
			layout_compute(&l, cols, lines);
			layout_chart(&l);
			check_sane(&l, cols, lines);
			assert_true(l.pane[LAYOUT_PRICE].h >= 8);
			assert_true(l.pane[LAYOUT_PRICE].w >= 80);
			assert_true(layout_visible(&l.pane[LAYOUT_POSITIONS]));
			assert_true(layout_visible(&l.pane[LAYOUT_RISK]));
			assert_true(layout_visible(&l.pane[LAYOUT_LOG]));
		}
	}
	layout_compute(&l, 80, 24);
	layout_chart(&l);
	assert_int_equal(l.pane[LAYOUT_PRICE].w, 80);
	assert_int_equal(l.pane[LAYOUT_PRICE].h, 8);
	assert_false(layout_visible(&l.pane[LAYOUT_BLOTTER]));
	assert_false(layout_visible(&l.pane[LAYOUT_STRATEGIES]));
	layout_compute(&plain, 60, 20);
	layout_compute(&l, 60, 20);
	layout_chart(&l);
	assert_memory_equal(&l, &plain, sizeof l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_80x24),
		cmocka_unit_test(test_layout_100x30),
		cmocka_unit_test(test_layout_200x60),
		cmocka_unit_test(test_layout_all_sizes),
		cmocka_unit_test(test_layout_too_small),
		cmocka_unit_test(test_layout_degenerate),
		cmocka_unit_test(test_layout_chart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
