/*
 * cmd-train.c -- `tickdesk train`: signal models trained on market data
 * files, once over a window or walk-forward, and judged out of sample.
 *
 * The bars of one instrument are read in time order and given their
 * features by the engine's own code (core/signal-feat.c), from the first
 * bar of the data whatever the window, so a bar has the features it has
 * in a backtest or a live session.  A bar is an example when its
 * features are complete and the bar horizon bars later exists: its label
 * is whether the close rose, or fell, more than the cost by then (bars
 * that move less are left out).  A training window takes only examples
 * whose label is known inside it, so nothing after the window leaks in.
 *
 * Walk-forward: windows of whole months, is_months to train and the
 * oos_months after them to judge, rolling by oos_months; each window's
 * model is written, and every out-of-sample prediction is kept in a CSV
 * file.  The report: per window and over all of them, out-of-sample
 * accuracy and AUC, and a calibration table (deciles of the predicted
 * probability against the frequency of rises seen).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calendar.h"
#include "cmd.h"
#include "errmsg.h"
#include "feed-file.h"
#include "feed.h"
#include "opt-wf.h"
#include "settings.h"
#include "signal-feat.h"
#include "signal-model.h"

#define TR_MAX_DATA	1024
#define NF		SIGNAL_FEAT_N

struct tr_opts {
	const char		*config, *env, *out;
	struct feed_file_src	 data[TR_MAX_DATA];
	char			*data_sym[TR_MAX_DATA];
	int			 ndata;
	enum signal_model_kind	 kind;
	int			 horizon, cost;
	int32_t			 from, to;	/* yyyymmdd, 0: the data's */
	int			 is_months, oos_months;	/* 0: one window */
	bool			 rth;
};

/* One bar of the instrument, with its features. */
struct tr_row {
	td_ns		 start, end;
	int32_t		 day;
	td_ticks	 close;
	bool		 ready;		/* features complete */
	bool		 rth;
	float		 x[NF];
};

struct tr_data {
	struct tr_row	*r;
	size_t		 n, cap;
};

/* Out-of-sample predictions of a span. */
struct tr_eval {
	double		*p;
	int		*y;
	td_ns		*t;
	size_t		 n, cap;
};

static int
tr_parse_wf(const char *arg, struct tr_opts *o)
{
	if (sscanf(arg, "%d:%d", &o->is_months, &o->oos_months) != 2 ||
	    o->is_months < 1 || o->is_months > OPT_WF_MONTHS_MAX ||
	    o->oos_months < 1 || o->oos_months > OPT_WF_MONTHS_MAX) {
		fprintf(stderr, "tickdesk: --walk-forward '%s': IS:OOS, whole "
		    "months from 1 to %d\n", arg, OPT_WF_MONTHS_MAX);
		return -1;
	}
	return 0;
}

static int
tr_opt(int ch, const char *arg, struct tr_opts *o)
{
	long long	 v;

	switch (ch) {
	case 'c':
		o->config = arg;
		return 0;
	case 'o':
		o->out = arg;
		return 0;
	case 'e':
		o->env = arg;
		return 0;
	case 'r':
		o->rth = true;
		return 0;
	case 'w':
		return tr_parse_wf(arg, o);
	case 'f':
		return cmd_date(arg, &o->from);
	case 't':
		return cmd_date(arg, &o->to);
	case 'k':
		if (signal_model_kind_parse(arg, &o->kind) == 0)
			return 0;
		fprintf(stderr, "tickdesk: --kind: unknown model kind '%s' "
		    "(logistic, svm or xgboost)\n", arg);
		return -1;
	case 'h':
	case 's':
		if (cmd_number(arg, ch == 'h' ? 1 : 0, 10000, &v) == -1)
			return -1;
		*(ch == 'h' ? &o->horizon : &o->cost) = (int)v;
		return 0;
	case 'd':
		if (o->ndata == TR_MAX_DATA) {
			fprintf(stderr, "tickdesk: more than %d data files\n",
			    TR_MAX_DATA);
			return -1;
		}
		o->data_sym[o->ndata++] = (char *)arg;
		return 0;
	}
	return -1;
}

static int
tr_parse(int argc, char **argv, struct tr_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, 'e' },
		{ "data", required_argument, NULL, 'd' },
		{ "kind", required_argument, NULL, 'k' },
		{ "horizon", required_argument, NULL, 'h' },
		{ "cost", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "walk-forward", required_argument, NULL, 'w' },
		{ "rth", no_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	o->horizon = 30;
	o->cost = 4;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:", longopts, NULL)) != -1) {
		if (tr_opt(ch, optarg, o) == -1)
			return -1;
	}
	if (optind != argc) {
		fprintf(stderr, "tickdesk: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	if (o->ndata == 0 || o->out == NULL) {
		fprintf(stderr, "tickdesk: train needs --data and -o\n");
		return -1;
	}
	if (o->from != 0 && o->to != 0 && o->from > o->to) {
		fprintf(stderr, "tickdesk: --from is after --to\n");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ data */

static int
tr_push(struct tr_data *d, const struct tr_row *row)
{
	if (d->n == d->cap) {
		size_t		 cap = d->cap == 0 ? 65536 : d->cap * 2;
		struct tr_row	*r = realloc(d->r, cap * sizeof *r);

		if (r == NULL)
			return -1;
		d->r = r;
		d->cap = cap;
	}
	d->r[d->n++] = *row;
	return 0;
}

/* Every bar of inst, with its features; days after to are not kept. */
static int
tr_read(struct feed *feed, int inst, const struct calendar *cal,
    int32_t to, struct tr_data *d, struct errmsg *err)
{
	struct signal_feat	*f = signal_feat_create(cal, err);
	struct td_md		 md;
	double			 x[NF];
	int			 rc;

	if (f == NULL)
		return -1;
	while ((rc = feed_next(feed, &md, err)) == 1) {
		struct tr_row	 row;

		if (md.kind != TD_MD_BAR || md.inst != inst)
			continue;
		row = (struct tr_row){ .start = md.bar.start,
		    .end = md.bar.end, .close = md.bar.close,
		    .day = calendar_trading_day(cal, md.bar.start),
		    .rth = calendar_phase(cal, md.bar.start) == CAL_RTH };
		if (to != 0 && row.day > to)
			break;
		row.ready = signal_feat_bar(f, &md.bar, x) == 1;
		for (int j = 0; j < NF; j++)
			row.x[j] = (float)x[j];
		if (tr_push(d, &row) == -1) {
			rc = errmsg_set(err, "out of memory after %zu bars",
			    d->n);
			break;
		}
	}
	signal_feat_free(f);
	return rc == -1 ? -1 : 0;
}

/* The label of row i, -1 for none (see the top of the file). */
static int
tr_label(const struct tr_data *d, size_t i, const struct tr_opts *o,
    int32_t known_before)
{
	size_t	 k = i + (size_t)o->horizon;

	if (!d->r[i].ready || (o->rth && !d->r[i].rth) || k >= d->n ||
	    (known_before != 0 && d->r[k].day >= known_before))
		return -1;
	return signal_model_label(d->r[i].close, d->r[k].close, o->cost);
}

/* ------------------------------------------------------------ train */

/* The examples of days [from, to), labels known before to. */
static struct signal_model *
tr_train(const struct tr_data *d, const struct tr_opts *o, int32_t from,
    int32_t to, struct errmsg *err)
{
	struct signal_model_info info = { .kind = o->kind,
	    .horizon = o->horizon, .cost_ticks = o->cost,
	    .created = (td_ns)time(NULL) * TD_NS_PER_SEC };
	double			*x = NULL;
	int			*y = NULL;
	size_t			 n = 0, cap = 0;
	struct signal_model	*m = NULL;

	for (size_t i = 0; i < d->n; i++) {
		int	 lab;

		if (d->r[i].day < from || (to != 0 && d->r[i].day >= to) ||
		    (lab = tr_label(d, i, o, to)) == -1)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			x = realloc(x, cap * NF * sizeof *x);
			y = realloc(y, cap * sizeof *y);
			if (x == NULL || y == NULL) {
				errmsg_set(err, "out of memory");
				goto out;
			}
		}
		for (int j = 0; j < NF; j++)
			x[n * NF + j] = d->r[i].x[j];
		y[n] = lab;
		if (n == 0)
			info.first = d->r[i].start;
		info.last = d->r[i + (size_t)o->horizon].end;
		n++;
	}
	m = signal_model_train(x, y, n, &info, err);
out:
	free(x);
	free(y);
	return m;
}

/* ------------------------------------------------------------ judge */

static int
tr_eval_add(struct tr_eval *ev, double p, int y, td_ns t)
{
	if (ev->n == ev->cap) {
		size_t	 cap = ev->cap == 0 ? 4096 : ev->cap * 2;
		double	*pp = realloc(ev->p, cap * sizeof *pp);
		int	*yy = pp == NULL ? NULL : realloc(ev->y, cap * sizeof *yy);
		td_ns	*tt = yy == NULL ? NULL : realloc(ev->t, cap * sizeof *tt);

		if (pp != NULL)
			ev->p = pp;
		if (yy != NULL)
			ev->y = yy;
		if (tt == NULL)
			return -1;
		ev->t = tt;
		ev->cap = cap;
	}
	ev->p[ev->n] = p;
	ev->y[ev->n] = y;
	ev->t[ev->n++] = t;
	return 0;
}

static void
tr_eval_free(struct tr_eval *ev)
{
	free(ev->p);
	free(ev->y);
	free(ev->t);
}

/* The model's predictions over the examples of days [from, to). */
static int
tr_predict(const struct tr_data *d, const struct tr_opts *o,
    struct signal_model *m, int32_t from, int32_t to, struct tr_eval *ev)
{
	for (size_t i = 0; i < d->n; i++) {
		double	 x[NF];
		int	 lab;

		if (d->r[i].day < from || (to != 0 && d->r[i].day >= to) ||
		    (lab = tr_label(d, i, o, 0)) == -1)
			continue;
		for (int j = 0; j < NF; j++)
			x[j] = d->r[i].x[j];
		if (tr_eval_add(ev, signal_model_predict(m, x), lab,
		    d->r[i].end) == -1)
			return -1;
	}
	return 0;
}

static double
tr_accuracy(const struct tr_eval *ev, size_t from)
{
	size_t	 right = 0;

	for (size_t i = from; i < ev->n; i++)
		right += (ev->p[i] > 0.5) == (ev->y[i] == 1);
	return ev->n > from ? (double)right / (double)(ev->n - from) : NAN;
}

struct tr_py {
	double	 p;
	int	 y;
};

static int
tr_py_cmp(const void *a, const void *b)
{
	double	 x = ((const struct tr_py *)a)->p;
	double	 z = ((const struct tr_py *)b)->p;

	return (x > z) - (x < z);
}

/* The area under the ROC curve: ranks, ties given their mean. */
static double
tr_auc(const struct tr_eval *ev, size_t from)
{
	size_t		 n = ev->n - from, pos = 0;
	struct tr_py	*v = malloc((n + 1) * sizeof *v);
	double		 ranks = 0;

	if (v == NULL || n == 0) {
		free(v);
		return NAN;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (struct tr_py){ ev->p[from + i], ev->y[from + i] };
	qsort(v, n, sizeof *v, tr_py_cmp);
	for (size_t i = 0; i < n;) {
		size_t	 j = i, up = 0;

		while (j < n && v[j].p == v[i].p)
			up += (size_t)v[j++].y;
		ranks += (double)up * ((double)(i + 1 + j) / 2);
		pos += up;
		i = j;
	}
	free(v);
	if (pos == 0 || pos == n)
		return NAN;
	return (ranks - (double)pos * (double)(pos + 1) / 2) /
	    ((double)pos * (double)(n - pos));
}

static void
tr_calibration(const struct tr_eval *ev)
{
	printf("calibration (out of sample)\n");
	printf("  predicted      examples   mean p   rose\n");
	for (int b = 0; b < 10; b++) {
		size_t	 n = 0, up = 0;
		double	 sp = 0;

		for (size_t i = 0; i < ev->n; i++) {
			int	 k = (int)(ev->p[i] * 10);

			if ((k > 9 ? 9 : k) != b)
				continue;
			n++;
			up += (size_t)ev->y[i];
			sp += ev->p[i];
		}
		if (n == 0)
			printf("  %.1f-%.1f  %12d        -      -\n", b / 10.0,
			    (b + 1) / 10.0, 0);
		else
			printf("  %.1f-%.1f  %12zu   %6.3f  %5.3f\n", b / 10.0,
			    (b + 1) / 10.0, n, sp / (double)n,
			    (double)up / (double)n);
	}
}

static void
tr_summary(const struct tr_eval *ev)
{
	size_t	 up = 0;

	for (size_t i = 0; i < ev->n; i++)
		up += (size_t)ev->y[i];
	printf("out of sample: %zu examples, %.1f%% rose; accuracy %.4f, "
	    "AUC %.4f\n", ev->n, ev->n > 0 ? 100.0 * (double)up /
	    (double)ev->n : 0.0, tr_accuracy(ev, 0), tr_auc(ev, 0));
	tr_calibration(ev);
}

/* ------------------------------------------------------------ runs */

static int
tr_write(struct signal_model *m, const char *path)
{
	struct errmsg	 err;

	if (signal_model_save(m, path, &err) == -1) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static void
tr_window_line(const char *what, const struct signal_model *m)
{
	const struct signal_model_info	*in = signal_model_info(m);

	printf("%s: %s, %zu examples, horizon %d bars, cost %d ticks\n", what,
	    signal_model_kind_name(in->kind), in->rows, in->horizon,
	    in->cost_ticks);
}

/* One model over [from, to]; judged on the days after to, if any. */
static int
tr_once(const struct tr_data *d, const struct tr_opts *o)
{
	int32_t			 end = o->to != 0 ? opt_wf_add_days(o->to, 1) : 0;
	struct signal_model	*m;
	struct tr_eval		 ev = { 0 };
	struct errmsg		 err;
	int			 rc = -1;

	if ((m = tr_train(d, o, o->from, end, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		return -1;
	}
	tr_window_line("model", m);
	if (tr_write(m, o->out) == -1)
		goto out;
	printf("written to %s\n", o->out);
	if (end != 0 && tr_predict(d, o, m, end, 0, &ev) == 0 && ev.n > 0)
		tr_summary(&ev);
	else if (end != 0)
		printf("out of sample: no examples after %d\n", o->to);
	rc = 0;
out:
	tr_eval_free(&ev);
	signal_model_free(m);
	return rc;
}

static int
tr_csv(const char *dir, const struct tr_eval *ev)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof path, "%s/oos.csv", dir);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		return -1;
	}
	fprintf(f, "time_ns,p_up,label\n");
	for (size_t i = 0; i < ev->n; i++)
		fprintf(f, "%lld,%.6f,%d\n", (long long)ev->t[i], ev->p[i],
		    ev->y[i]);
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	printf("out-of-sample predictions written to %s\n", path);
	return 0;
}

/* Train on [is, oos), judge on [oos, end): one line of the table. */
static int
tr_window(const struct tr_data *d, const struct tr_opts *o, int32_t is,
    int32_t oos, int32_t end, struct tr_eval *ev)
{
	struct signal_model	*m;
	struct errmsg		 err;
	char			 path[4096];
	size_t			 before = ev->n;

	if ((m = tr_train(d, o, is, oos, &err)) == NULL) {
		fprintf(stderr, "tickdesk: window %d-%d: %s\n", is, oos,
		    err.msg);
		return -1;
	}
	snprintf(path, sizeof path, "%s/model-%d.model", o->out, oos);
	if (tr_write(m, path) == -1 || tr_predict(d, o, m, oos, end,
	    ev) == -1) {
		signal_model_free(m);
		return -1;
	}
	printf("%d %d %d %d %10zu %10zu   %6.4f %6.4f  %s\n", is, oos, oos,
	    end, signal_model_info(m)->rows, ev->n - before,
	    tr_accuracy(ev, before), tr_auc(ev, before), path);
	signal_model_free(m);
	return 0;
}

static int
tr_walk(const struct tr_data *d, const struct tr_opts *o)
{
	int32_t		 first = o->from != 0 ? o->from : d->r[0].day;
	int32_t		 last = o->to != 0 ? o->to : d->r[d->n - 1].day;
	int32_t		 is = opt_wf_add_months(first, 0);
	struct tr_eval	 ev = { 0 };
	int		 rc = -1, n = 0;

	if (mkdir(o->out, 0777) == -1 && errno != EEXIST) {
		perror(o->out);
		return -1;
	}
	printf("walk-forward: %s, %d months in sample, %d out, horizon %d "
	    "bars, cost %d ticks\n", signal_model_kind_name(o->kind),
	    o->is_months, o->oos_months, o->horizon, o->cost);
	printf("is_from  is_to    oos_from oos_to     trained        oos   "
	    "accuracy AUC     model\n");
	for (;;) {
		int32_t	 oos = opt_wf_add_months(is, o->is_months);
		int32_t	 end = opt_wf_add_months(oos, o->oos_months);

		if (oos > last)
			break;
		if (tr_window(d, o, is, oos, end, &ev) == -1)
			goto out;
		n++;
		is = opt_wf_add_months(is, o->oos_months);
	}
	if (n == 0) {
		fprintf(stderr, "tickdesk: no whole walk-forward window in the "
		    "data (%d to %d)\n", first, last);
		goto out;
	}
	tr_summary(&ev);
	rc = tr_csv(o->out, &ev);
out:
	tr_eval_free(&ev);
	return rc;
}

/* ------------------------------------------------------------ main */

static int
tr_load(struct tr_opts *o, const struct settings *st, struct tr_data *d)
{
	const struct engine_config	*ec = &st->engine;
	struct reader_opts		 ro;
	struct calendar			*cal = NULL;
	struct feed			*feed = NULL;
	struct errmsg			 err;
	int				 rc = -1;

	for (int i = 0; i < o->ndata; i++) {
		if (cmd_data_arg(o->data_sym[i], ec, &o->data[i].path,
		    &o->data[i].inst) == -1)
			return -1;
		if (o->data[i].inst != o->data[0].inst) {
			fprintf(stderr, "tickdesk: a model reads one "
			    "instrument: %s is not %s\n", o->data[i].path,
			    ec->inst[o->data[0].inst].symbol);
			return -1;
		}
	}
	if (settings_reader_opts(st, NULL, NULL, NULL, false, &ro) == -1)
		return -1;
	if ((cal = calendar_create(&ec->cal[ec->inst[o->data[0].inst].calendar],
	    &err)) == NULL || (feed = feed_file_create(o->data, o->ndata, &ro,
	    ec->inst, ec->ninst, &err)) == NULL || tr_read(feed,
	    o->data[0].inst, cal, o->is_months > 0 ? o->to : 0, d,
	    &err) == -1)
		fprintf(stderr, "tickdesk: %s\n", err.msg);
	else if (d->n == 0)
		fprintf(stderr, "tickdesk: no bars in the data\n");
	else
		rc = 0;
	feed_free(feed);
	calendar_free(cal);
	return rc;
}

static int
cmd_train_exec(int argc, char **argv)
{
	struct tr_opts	*o = calloc(1, sizeof *o);
	struct settings	*st = calloc(1, sizeof *st);
	struct tr_data	 d = { 0 };
	char		 errors[8192], cfg[SETTINGS_SOURCE_MAX];
	int		 rc = EXIT_USAGE;

	if (o == NULL || st == NULL) {
		fprintf(stderr, "tickdesk: out of memory\n");
		goto out;
	}
	if (tr_parse(argc, argv, o) == -1) {
		rc = cmd_usage(&cmd_train_entry);
		goto out;
	}
	if (settings_load_env(settings_path(o->config, cfg, sizeof cfg),
	    settings_env(o->env), st, errors, sizeof errors) == -1) {
		fputs(errors, stderr);
		goto out;
	}
	if (tr_load(o, st, &d) == -1)
		goto out;
	rc = (o->is_months > 0 ? tr_walk(&d, o) : tr_once(&d, o)) == 0 ?
	    EXIT_OK : EXIT_RUNTIME;
out:
	free(d.r);
	free(st);
	free(o);
	return rc;
}

/* What --help says of each option. */
static const struct cmd_option cmd_train_options[] = {
	{ "-c, --config CONFIG",
	    "the configuration file (else $TICKDESK_CONFIG, else "
	    "conf/tickdesk.cfg)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ "--data [SYMBOL=]FILE",
	    "the bars to train on, of SYMBOL (the first instrument); again "
	    "for more files" },
	{ "--kind logistic|svm|xgboost",
	    "the kind of model (logistic)" },
	{ "--horizon BARS",
	    "the label: the close BARS bars later (30)" },
	{ "--cost TICKS",
	    "the label: a move of more than TICKS ticks up or down (4)" },
	{ "--from DATE",
	    "the first trading day of the bars (YYYY-MM-DD)" },
	{ "--to DATE",
	    "the last trading day of the bars (YYYY-MM-DD)" },
	{ "--walk-forward IS:OOS",
	    "a model per window of IS months, tested on the OOS months "
	    "after" },
	{ "--rth",
	    "only the bars of the regular session" },
	{ "-o, --output PATH",
	    "the model file, or with --walk-forward the directory of "
	    "the models" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_train_entry = {
	.name = "train",
	.usage = "[-c CONFIG] [--env NAME] --data [SYMBOL=]FILE... "
	    "[--kind logistic|svm|xgboost] [--horizon BARS] [--cost TICKS] "
	    "[--from DATE] [--to DATE] [--walk-forward IS:OOS] [--rth] "
	    "-o PATH",
	.summary = "train a signal model on market data, walk-forward too",
	.help = "Train a signal model on the 1-minute bars of one instrument in "
	    "the data files:\nthe label of a bar is whether the close moved up "
	    "or down more than --cost\nticks (4) --horizon bars (30) later.  "
	    "Without --walk-forward, one model\nover --from..--to is written to "
	    "PATH and judged on the data after --to.\nWith --walk-forward "
	    "IS:OOS (months), a model per window is written into\nthe "
	    "directory PATH with every out-of-sample prediction (oos.csv).  "
	    "The\nreport gives out-of-sample accuracy, AUC and a calibration "
	    "table.  See\ntickdesk(1).",
	.options = cmd_train_options,
	.exec = cmd_train_exec,
};
