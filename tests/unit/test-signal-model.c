/*
 * test-signal-model.c -- unit tests for core/signal-model: each kind
 * learns a known pattern from generated examples well above chance,
 * training is deterministic, files round-trip to the same predictions,
 * and a file of another version or feature list, a corrupt or cut file,
 * and a stale model are refused with a message that says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "signal-model.h"

#define NF	SIGNAL_FEAT_N
#define TRAIN	2000
#define TEST	1000

struct set {
	double	 x[TRAIN + TEST][NF];
	int	 y[TRAIN + TEST];
};

static uint64_t
lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11;
}

/* Roughly normal noise: the sum of four uniforms, centred. */
static double
noise(uint64_t *s)
{
	double	 u = 0;

	for (int k = 0; k < 4; k++)
		u += (double)lcg(s) / (double)(1ULL << 53);
	return (u - 2) * 1.7;
}

/*
 * Up when 2 ret_5 - vwap_dist + noise > 0: a linear rule on two of the
 * features, the others noise, with features at their own scales.
 */
static void
make_set(struct set *d)
{
	uint64_t	 s = 42;

	for (int i = 0; i < TRAIN + TEST; i++) {
		for (int j = 0; j < NF; j++)
			d->x[i][j] = noise(&s) * (j + 1) + j;
		d->y[i] = 2 * (d->x[i][SF_RET_5] - 5) / 6 -
		    (d->x[i][SF_VWAP_DIST] - 15) / 16 + 0.3 * noise(&s) > 0;
	}
}

static struct signal_model *
train_kind(const struct set *d, enum signal_model_kind kind)
{
	struct signal_model_info info = { .kind = kind, .horizon = 10,
	    .cost_ticks = 2, .first = 1000 * TD_NS_PER_DAY,
	    .last = 1100 * TD_NS_PER_DAY, .created = 1101 * TD_NS_PER_DAY };
	struct errmsg		 err = { .msg = "" };
	struct signal_model	*m;

	m = signal_model_train(&d->x[0][0], d->y, TRAIN, &info, &err);
	if (m == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(signal_model_info(m)->rows, TRAIN);
	return m;
}

static double
accuracy(struct signal_model *m, const struct set *d)
{
	int	 right = 0;

	for (int i = TRAIN; i < TRAIN + TEST; i++) {
		double	 p = signal_model_predict(m, d->x[i]);

		assert_true(p >= 0 && p <= 1);
		right += (p > 0.5) == (d->y[i] == 1);
	}
	return (double)right / TEST;
}

static int
setup(void **state)
{
	struct set	*d = malloc(sizeof *d);

	make_set(d);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	return 0;
}

static void
learns(void **state, enum signal_model_kind kind)
{
	struct signal_model	*m = train_kind(*state, kind);
	double			 acc = accuracy(m, *state);

	if (acc < 0.85)
		fail_msg("%s: out-of-sample accuracy %.3f",
		    signal_model_kind_name(kind), acc);
	signal_model_free(m);
}

static void
test_signal_model_logistic_learns(void **state)
{
	learns(state, SM_LOGISTIC);
}

static void
test_signal_model_svm_learns(void **state)
{
	learns(state, SM_SVM);
}

static void
test_signal_model_xgboost_learns(void **state)
{
	learns(state, SM_XGBOOST);
}

/* The probabilities mean something: confident answers are mostly right. */
static void
test_signal_model_svm_calibrated(void **state)
{
	struct signal_model	*m = train_kind(*state, SM_SVM);
	const struct set	*d = *state;
	int			 n = 0, up = 0;

	for (int i = TRAIN; i < TRAIN + TEST; i++) {
		if (signal_model_predict(m, d->x[i]) > 0.9) {
			n++;
			up += d->y[i];
		}
	}
	assert_true(n > 50);
	assert_true((double)up / n > 0.9);
	signal_model_free(m);
}

static void
test_signal_model_deterministic(void **state)
{
	const struct set	*d = *state;

	for (int k = SM_LOGISTIC; k <= SM_XGBOOST; k++) {
		struct signal_model	*a = train_kind(d, k);
		struct signal_model	*b = train_kind(d, k);

		for (int i = TRAIN; i < TRAIN + TEST; i += 7)
			assert_true(signal_model_predict(a, d->x[i]) ==
			    signal_model_predict(b, d->x[i]));
		signal_model_free(a);
		signal_model_free(b);
	}
}

static void
test_signal_model_refuses_one_class(void **state)
{
	const struct set	*d = *state;
	int			 y[10] = { 0 };
	struct signal_model_info info = { .kind = SM_LOGISTIC };
	struct errmsg		 err = { .msg = "" };

	assert_null(signal_model_train(&d->x[0][0], y, 10, &info, &err));
	assert_string_equal(err.msg, "every training example has label 0: "
	    "a model needs both");
}

/* ------------------------------------------------------------ files */

static char *
tmp_path(void)
{
	static char	 path[64];
	int		 fd;

	strcpy(path, "/tmp/test-signal-model-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static void
test_signal_model_round_trip(void **state)
{
	const struct set	*d = *state;

	for (int k = SM_LOGISTIC; k <= SM_XGBOOST; k++) {
		struct signal_model	*a = train_kind(d, k), *b;
		struct errmsg		 err = { .msg = "" };
		const char		*path = tmp_path();

		assert_int_equal(signal_model_save(a, path, &err), 0);
		if ((b = signal_model_load(path, &err)) == NULL)
			fail_msg("%s", err.msg);
		assert_int_equal(signal_model_info(b)->kind, k);
		assert_int_equal(signal_model_info(b)->horizon, 10);
		assert_int_equal(signal_model_info(b)->cost_ticks, 2);
		assert_true(signal_model_info(b)->first ==
		    1000 * TD_NS_PER_DAY);
		assert_true(signal_model_info(b)->last ==
		    1100 * TD_NS_PER_DAY);
		assert_true(signal_model_info(b)->created ==
		    1101 * TD_NS_PER_DAY);
		for (int i = TRAIN; i < TRAIN + TEST; i++)
			assert_true(signal_model_predict(a, d->x[i]) ==
			    signal_model_predict(b, d->x[i]));
		signal_model_free(a);
		signal_model_free(b);
		unlink(path);
	}
}

/* A file's text, and writing text back with a sum that matches it. */
static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf = calloc(1, 1 << 22);
	size_t	 n;

	assert_non_null(f);
	n = fread(buf, 1, (1 << 22) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
write_summed(const char *path, const char *body)
{
	uint64_t	 h = 14695981039346656037ULL;
	FILE		*f = fopen(path, "w");

	for (const char *p = body; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	fprintf(f, "%ssum %016" PRIx64 "\n", body, h);
	fclose(f);
}

/* Save a logistic model, let edit change its text, load it: the error. */
static void
load_edited(const struct set *d, void (*edit)(char *, const char *),
    char *msg)
{
	struct signal_model	*m = train_kind(d, SM_LOGISTIC);
	struct errmsg		 err = { .msg = "" };
	const char		*path = tmp_path();
	char			*text;

	assert_int_equal(signal_model_save(m, path, &err), 0);
	signal_model_free(m);
	text = slurp(path);
	edit(text, path);
	free(text);
	assert_null(signal_model_load(path, &err));
	strcpy(msg, err.msg);
	unlink(path);
}

/* The body without its sum line. */
static char *
body_of(char *text)
{
	char	*sum = strstr(text, "sum ");

	*sum = '\0';
	return text;
}

static void
edit_version(char *text, const char *path)
{
	char	*p = body_of(text);

	p[strlen("tickdesk-model ")] = '7';
	write_summed(path, p);
}

static void
edit_features(char *text, const char *path)
{
	char	*p = strstr(body_of(text), "ret_60");

	memcpy(p, "ret_90", 6);
	write_summed(path, text);
}

static void
edit_digit(char *text, const char *path)
{
	char	*p = strstr(text, "weights ") + strlen("weights ") + 3;
	FILE	*f = fopen(path, "w");

	*p = *p == '1' ? '2' : '1';
	fputs(text, f);
	fclose(f);
}

static void
edit_cut(char *text, const char *path)
{
	FILE	*f = fopen(path, "w");

	fwrite(text, 1, strlen(text) / 2, f);
	fclose(f);
}

static void
edit_kind(char *text, const char *path)
{
	char	*p = strstr(body_of(text), "kind logistic");

	memcpy(p, "kind logistik", 13);
	write_summed(path, text);
}

static void
test_signal_model_refuses_files(void **state)
{
	char	 msg[ERRMSG_MAX], want[ERRMSG_MAX];

	load_edited(*state, edit_version, msg);
	assert_non_null(strstr(msg, ":1: model file version 7, this tickdesk "
	    "reads version 1: train the model again"));
	load_edited(*state, edit_features, msg);
	snprintf(want, sizeof want, ":3: trained on features 'ret_1,ret_5,"
	    "ret_15,ret_90,");
	assert_non_null(strstr(msg, want));
	assert_non_null(strstr(msg, "this tickdesk computes 'ret_1,ret_5,"
	    "ret_15,ret_60,"));
	load_edited(*state, edit_digit, msg);
	assert_non_null(strstr(msg, ": corrupt: its sum does not match its "
	    "contents"));
	load_edited(*state, edit_cut, msg);
	assert_non_null(strstr(msg, ": cut short (no final sum line)"));
	load_edited(*state, edit_kind, msg);
	assert_non_null(strstr(msg, ":2: unknown model kind 'logistik'"));
}

static void
test_signal_model_refuses_missing(void **state)
{
	struct errmsg	 err = { .msg = "" };

	(void)state;
	assert_null(signal_model_load("/nonexistent/m.model", &err));
	assert_string_equal(err.msg, "/nonexistent/m.model: no such file or "
	    "directory");
}

static void
test_signal_model_stale(void **state)
{
	struct signal_model	*m = train_kind(*state, SM_LOGISTIC);
	struct errmsg		 err = { .msg = "" };
	td_ns			 last = 1100 * TD_NS_PER_DAY;

	assert_int_equal(signal_model_fresh(m, last + 30 * TD_NS_PER_DAY,
	    30 * TD_NS_PER_DAY, &err), 0);
	assert_int_equal(signal_model_fresh(m, last + 400 * TD_NS_PER_DAY, 0,
	    &err), 0);
	assert_int_equal(signal_model_fresh(m, last + 31 * TD_NS_PER_DAY,
	    30 * TD_NS_PER_DAY, &err), -1);
	/* day 1100 after the epoch is 1973-01-05 */
	assert_string_equal(err.msg, "model trained on data up to 1973-01-05 "
	    "is 31 days old, above its max_age of 30 days");
	signal_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_model_logistic_learns),
		cmocka_unit_test(test_signal_model_svm_learns),
		cmocka_unit_test(test_signal_model_xgboost_learns),
		cmocka_unit_test(test_signal_model_svm_calibrated),
		cmocka_unit_test(test_signal_model_deterministic),
		cmocka_unit_test(test_signal_model_refuses_one_class),
		cmocka_unit_test(test_signal_model_round_trip),
		cmocka_unit_test(test_signal_model_refuses_files),
		cmocka_unit_test(test_signal_model_refuses_missing),
		cmocka_unit_test(test_signal_model_stale),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
