/*
 * signal-model.c -- train, save, load and apply the signal models.
 *
 * A linear model (logistic regression, linear SVM) is liblinear's own
 * struct model, rebuilt on load from the weights kept in the file; the
 * trees are an XGBoost booster, kept in the file as the JSON its library
 * writes.  Both are trained deterministically: liblinear's primal
 * solvers (no random shuffling), and XGBoost on one thread with a fixed
 * seed.  Neither library prints anything: liblinear's printer is silenced
 * and XGBoost runs at verbosity 0.
 *
 * The file is text: a header of "key value" lines, the standardisation,
 * the weights or the trees, and last a line "sum HEX" with the FNV-1a
 * hash of every byte before it, so that a file cut short or altered is
 * refused rather than trusted.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linear.h>
#include <xgboost/c_api.h>

#include "errmsg.h"
#include "signal-model.h"

#define NF		SIGNAL_FEAT_N
#define TREE_ROUNDS	100
#define FILE_MAX	(64 << 20)

struct signal_model {
	struct signal_model_info info;
	double		 mean[NF], sd[NF];
	/* linear kinds: liblinear's model over w and label */
	struct model	 lin;
	double		 w[NF + 1];
	int		 label[2];
	double		 platt_a, platt_b;	/* p = 1 / (1 + e^-(a d + b)) */
	/* trees */
	BoosterHandle	 bst;
	char		*trees;		/* the booster as JSON */
	size_t		 ntrees;
};

static const char *const kind_names[] = {
	[SM_LOGISTIC] = "logistic",
	[SM_SVM] = "svm",
	[SM_XGBOOST] = "xgboost",
};

int
signal_model_kind_parse(const char *name, enum signal_model_kind *out)
{
	for (int k = 0; k <= SM_XGBOOST; k++) {
		if (strcmp(name, kind_names[k]) == 0) {
			*out = k;
			return 0;
		}
	}
	return -1;
}

const char *
signal_model_kind_name(enum signal_model_kind k)
{
	return k >= SM_LOGISTIC && k <= SM_XGBOOST ? kind_names[k] : "?";
}

int
signal_model_label(td_ticks now, td_ticks later, int cost)
{
	if (later - now > cost)
		return 1;
	if (now - later > cost)
		return 0;
	return -1;
}

const struct signal_model_info *
signal_model_info(const struct signal_model *m)
{
	return &m->info;
}

void
signal_model_free(struct signal_model *m)
{
	if (m == NULL)
		return;
	if (m->bst != NULL)
		XGBoosterFree(m->bst);
	free(m->trees);
	free(m);
}

static void
quiet(const char *s)
{
	(void)s;
}

static double
sigmoid(double z)
{
	return 1 / (1 + exp(-z));
}

/* ------------------------------------------------------------ linear */

static void
lin_wire(struct signal_model *m)
{
	m->lin.param.solver_type = m->info.kind == SM_LOGISTIC ? L2R_LR :
	    L2R_L2LOSS_SVC;
	m->lin.nr_class = 2;
	m->lin.nr_feature = NF;
	m->lin.w = m->w;
	m->lin.label = m->label;
	m->lin.bias = 1;
}

/* The decision value for "up" of a standardised row. */
static double
lin_decision(const struct signal_model *m, const double *z)
{
	struct feature_node	 node[NF + 2];
	double			 dec;

	for (int j = 0; j < NF; j++)
		node[j] = (struct feature_node){ .index = j + 1,
		    .value = z[j] };
	node[NF] = (struct feature_node){ .index = NF + 1, .value = 1 };
	node[NF + 1] = (struct feature_node){ .index = -1 };
	predict_values(&m->lin, node, &dec);
	return m->label[0] == 1 ? dec : -dec;
}

/*
 * liblinear on rows of width features (and a bias), labels +1/-1; the
 * trained model or NULL and the library's reason.
 */
static struct model *
lin_fit(const double *z, int width, const int *y, size_t n, int solver,
    struct errmsg *err)
{
	struct feature_node	*nodes, **rows;
	double			*yy;
	struct problem		 prob = { .l = (int)n, .n = width + 1,
	    .bias = 1 };
	struct parameter	 par = { .solver_type = solver, .eps = 0.01,
	    .C = 1 };
	struct model		*lm = NULL;
	const char		*bad;

	nodes = calloc(n * (width + 2), sizeof *nodes);
	rows = calloc(n, sizeof *rows);
	yy = calloc(n, sizeof *yy);
	if (nodes == NULL || rows == NULL || yy == NULL) {
		errmsg_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct feature_node	*r = rows[i] = nodes + i * (width + 2);

		for (int j = 0; j < width; j++)
			r[j] = (struct feature_node){ j + 1, z[i * width + j] };
		r[width] = (struct feature_node){ width + 1, 1 };
		r[width + 1] = (struct feature_node){ -1, 0 };
		yy[i] = y[i] ? 1 : -1;
	}
	prob.x = rows;
	prob.y = yy;
	set_print_string_function(quiet);
	if ((bad = check_parameter(&prob, &par)) != NULL)
		errmsg_set(err, "liblinear: %s", bad);
	else if ((lm = train(&prob, &par)) == NULL)
		errmsg_set(err, "liblinear: training failed");
out:
	free(nodes);
	free(rows);
	free(yy);
	return lm;
}

/* Copy a trained two-class model's weights for "up" into m. */
static void
lin_take(struct signal_model *m, struct model *lm)
{
	for (int j = 0; j <= NF; j++)
		m->w[j] = lm->w[j];
	m->label[0] = lm->label[0];
	m->label[1] = lm->label[1];
	lin_wire(m);
}

/* Platt's scaling of the SVM's decision values, itself with liblinear. */
static int
lin_platt(struct signal_model *m, const double *z, const int *y, size_t n,
    struct errmsg *err)
{
	double		*d = malloc(n * sizeof *d);
	struct model	*pm;
	double		 s;

	if (d == NULL)
		return errmsg_set(err, "out of memory");
	for (size_t i = 0; i < n; i++)
		d[i] = lin_decision(m, z + i * NF);
	pm = lin_fit(d, 1, y, n, L2R_LR, err);
	free(d);
	if (pm == NULL)
		return -1;
	s = pm->label[0] == 1 ? 1 : -1;
	m->platt_a = s * pm->w[0];
	m->platt_b = s * pm->w[1];
	free_and_destroy_model(&pm);
	return 0;
}

static int
lin_train(struct signal_model *m, const double *z, const int *y, size_t n,
    struct errmsg *err)
{
	struct model	*lm;

	lm = lin_fit(z, NF, y, n, m->info.kind == SM_LOGISTIC ? L2R_LR :
	    L2R_L2LOSS_SVC, err);
	if (lm == NULL)
		return -1;
	lin_take(m, lm);
	free_and_destroy_model(&lm);
	m->platt_a = 1;
	m->platt_b = 0;
	return m->info.kind == SM_SVM ? lin_platt(m, z, y, n, err) : 0;
}

/* ------------------------------------------------------------ trees */

static int
xgb_fail(struct errmsg *err, const char *what)
{
	return errmsg_set(err, "xgboost: %s: %s", what, XGBGetLastError());
}

static int
xgb_params(BoosterHandle b, struct errmsg *err)
{
	static const char *const kv[][2] = {
		{ "objective", "binary:logistic" },
		{ "max_depth", "3" },
		{ "eta", "0.1" },
		{ "nthread", "1" },
		{ "seed", "0" },
		{ "verbosity", "0" },
		{ "tree_method", "exact" },
	};

	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
		if (XGBoosterSetParam(b, kv[i][0], kv[i][1]) != 0)
			return xgb_fail(err, "parameter");
	}
	return 0;
}

/* Keep the booster's JSON in m, for saving. */
static int
xgb_keep(struct signal_model *m, struct errmsg *err)
{
	bst_ulong	 len;
	const char	*buf;

	if (XGBoosterSaveModelToBuffer(m->bst, "{\"format\": \"json\"}", &len,
	    &buf) != 0)
		return xgb_fail(err, "save");
	if ((m->trees = malloc(len)) == NULL)
		return errmsg_set(err, "out of memory");
	memcpy(m->trees, buf, len);
	m->ntrees = len;
	return 0;
}

static int
xgb_train(struct signal_model *m, const double *z, const int *y, size_t n,
    struct errmsg *err)
{
	float		*fx = malloc(n * NF * sizeof *fx);
	float		*fy = malloc(n * sizeof *fy);
	DMatrixHandle	 dm = NULL;
	int		 rc = -1;

	if (fx == NULL || fy == NULL) {
		errmsg_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n * NF; i++)
		fx[i] = (float)z[i];
	for (size_t i = 0; i < n; i++)
		fy[i] = (float)y[i];
	if (XGDMatrixCreateFromMat(fx, n, NF, NAN, &dm) != 0 ||
	    XGDMatrixSetFloatInfo(dm, "label", fy, n) != 0) {
		xgb_fail(err, "training data");
		goto out;
	}
	if (XGBoosterCreate(&dm, 1, &m->bst) != 0) {
		xgb_fail(err, "create");
		goto out;
	}
	if (xgb_params(m->bst, err) == -1)
		goto out;
	for (int it = 0; it < TREE_ROUNDS; it++) {
		if (XGBoosterUpdateOneIter(m->bst, it, dm) != 0) {
			xgb_fail(err, "training");
			goto out;
		}
	}
	rc = xgb_keep(m, err);
out:
	if (dm != NULL)
		XGDMatrixFree(dm);
	free(fx);
	free(fy);
	return rc;
}

static double
xgb_predict(const struct signal_model *m, const double *z)
{
	float		 fx[NF];
	DMatrixHandle	 dm;
	bst_ulong	 len = 0;
	const float	*out = NULL;
	double		 p = 0.5;

	for (int j = 0; j < NF; j++)
		fx[j] = (float)z[j];
	if (XGDMatrixCreateFromMat(fx, 1, NF, NAN, &dm) != 0)
		return p;
	if (XGBoosterPredict(m->bst, dm, 0, 0, 0, &len, &out) == 0 &&
	    len == 1)
		p = out[0];
	XGDMatrixFree(dm);
	return p;
}

/* ------------------------------------------------------------ train */

/* The training set's means and deviations; z its standardised rows. */
static void
standardise(struct signal_model *m, const double *x, size_t n, double *z)
{
	for (int j = 0; j < NF; j++) {
		double	 s = 0, ss = 0;

		for (size_t i = 0; i < n; i++)
			s += x[i * NF + j];
		m->mean[j] = s / (double)n;
		for (size_t i = 0; i < n; i++)
			ss += pow(x[i * NF + j] - m->mean[j], 2);
		m->sd[j] = sqrt(ss / (double)n);
		if (m->sd[j] == 0)
			m->sd[j] = 1;
		for (size_t i = 0; i < n; i++)
			z[i * NF + j] = (x[i * NF + j] - m->mean[j]) / m->sd[j];
	}
}

static int
train_check(const int *y, size_t n, struct errmsg *err)
{
	size_t	 up = 0;

	if (n < 2)
		return errmsg_set(err, "%zu training examples: at least 2 "
		    "needed", n);
	for (size_t i = 0; i < n; i++) {
		if (y[i] != 0 && y[i] != 1)
			return errmsg_set(err, "example %zu: label %d is not "
			    "0 or 1", i, y[i]);
		up += y[i];
	}
	if (up == 0 || up == n)
		return errmsg_set(err, "every training example has label %d: "
		    "a model needs both", y[0]);
	return 0;
}

struct signal_model *
signal_model_train(const double *x, const int *y, size_t n,
    const struct signal_model_info *info, struct errmsg *err)
{
	struct signal_model	*m;
	double			*z;
	int			 rc;

	if (train_check(y, n, err) == -1)
		return NULL;
	m = calloc(1, sizeof *m);
	z = malloc(n * NF * sizeof *z);
	if (m == NULL || z == NULL) {
		free(m);
		free(z);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	m->info = *info;
	m->info.rows = n;
	standardise(m, x, n, z);
	rc = info->kind == SM_XGBOOST ? xgb_train(m, z, y, n, err) :
	    lin_train(m, z, y, n, err);
	free(z);
	if (rc == -1) {
		signal_model_free(m);
		return NULL;
	}
	return m;
}

double
signal_model_predict(struct signal_model *m, const double x[SIGNAL_FEAT_N])
{
	double	 z[NF];

	for (int j = 0; j < NF; j++)
		z[j] = (x[j] - m->mean[j]) / m->sd[j];
	if (m->info.kind == SM_XGBOOST)
		return xgb_predict(m, z);
	return sigmoid(m->platt_a * lin_decision(m, z) + m->platt_b);
}

int
signal_model_fresh(const struct signal_model *m, td_ns now, td_ns max_age,
    struct errmsg *err)
{
	td_ns		 age = now - m->info.last;
	time_t		 last = (time_t)(m->info.last / TD_NS_PER_SEC);
	struct tm	 tm;

	if (max_age <= 0 || age <= max_age)
		return 0;
	gmtime_r(&last, &tm);
	return errmsg_set(err, "model trained on data up to %04d-%02d-%02d is "
	    "%" PRId64 " days old, above its max_age of %" PRId64 " days",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    (int64_t)(age / TD_NS_PER_DAY), (int64_t)(max_age / TD_NS_PER_DAY));
}

/* ------------------------------------------------------------ files */

static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
put_row(FILE *f, const char *key, const double *v, int n)
{
	fputs(key, f);
	for (int j = 0; j < n; j++)
		fprintf(f, " %.17g", v[j]);
	fputc('\n', f);
}

/* The file's text but its last line; the caller frees *out. */
static int
model_text(const struct signal_model *m, char **out, size_t *len)
{
	const struct signal_model_info	*in = &m->info;
	FILE				*f;

	if ((f = open_memstream(out, len)) == NULL)
		return -1;
	fprintf(f, "tickdesk-model %d\nkind %s\nfeatures %s\nhorizon %d\n"
	    "cost_ticks %d\nfirst %" PRId64 "\nlast %" PRId64 "\n"
	    "created %" PRId64 "\nrows %zu\n", SIGNAL_MODEL_VERSION,
	    kind_names[in->kind], signal_feat_list(), in->horizon,
	    in->cost_ticks, in->first, in->last, in->created, in->rows);
	put_row(f, "mean", m->mean, NF);
	put_row(f, "sd", m->sd, NF);
	if (in->kind == SM_XGBOOST) {
		fprintf(f, "trees %zu\n", m->ntrees);
		fwrite(m->trees, 1, m->ntrees, f);
		fputc('\n', f);
	} else {
		put_row(f, "weights", m->w, NF + 1);
		fprintf(f, "labels %d %d\nplatt %.17g %.17g\n", m->label[0],
		    m->label[1], m->platt_a, m->platt_b);
	}
	return fclose(f) == 0 ? 0 : -1;
}

int
signal_model_save(const struct signal_model *m, const char *path,
    struct errmsg *err)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f;
	int	 bad;

	if (model_text(m, &text, &len) == -1) {
		free(text);
		return errmsg_set(err, "%s: out of memory", path);
	}
	if ((f = fopen(path, "w")) == NULL) {
		free(text);
		return errmsg_sys(err, path, NULL);
	}
	fwrite(text, 1, len, f);
	fprintf(f, "sum %016" PRIx64 "\n", fnv1a(text, len));
	free(text);
	bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return errmsg_sys(err, path, "write");
	return 0;
}

/* A file being read: its text, where we are, the line number. */
struct rd {
	const char	*path;
	char		*buf;
	size_t		 len, pos;
	int		 line;
	struct errmsg	*err;
};

static int
rd_fail(struct rd *r, const char *fmt, const char *what)
{
	char	 msg[256];

	snprintf(msg, sizeof msg, fmt, what);
	return errmsg_set(r->err, "%s:%d: %s", r->path, r->line, msg);
}

/* The next line, with "key " checked and taken off; NULL when not. */
static char *
rd_line(struct rd *r, const char *key)
{
	char	*p = r->buf + r->pos, *nl;
	size_t	 k = strlen(key);

	r->line++;
	if (r->pos >= r->len || (nl = memchr(p, '\n', r->len - r->pos)) ==
	    NULL) {
		rd_fail(r, "cut short: '%s' expected", key);
		return NULL;
	}
	*nl = '\0';
	r->pos = (size_t)(nl - r->buf) + 1;
	if (strncmp(p, key, k) != 0 || p[k] != ' ') {
		rd_fail(r, "'%s' expected", key);
		return NULL;
	}
	return p + k + 1;
}

static int
rd_i64(struct rd *r, const char *key, int64_t *out)
{
	char	*v = rd_line(r, key), *end;

	if (v == NULL)
		return -1;
	errno = 0;
	*out = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0')
		return rd_fail(r, "%s: not a whole number", key);
	return 0;
}

static int
rd_row(struct rd *r, const char *key, double *v, int n)
{
	char	*p = rd_line(r, key), *end;

	if (p == NULL)
		return -1;
	for (int j = 0; j < n; j++) {
		errno = 0;
		v[j] = strtod(p, &end);
		if (errno != 0 || end == p || !isfinite(v[j]))
			return rd_fail(r, "%s: a number expected", key);
		p = end;
	}
	if (*p != '\0')
		return rd_fail(r, "%s: too many numbers", key);
	return 0;
}

static int
rd_header(struct rd *r, struct signal_model_info *in)
{
	int64_t	 v[6];
	char	*p;

	if (rd_line(r, "tickdesk-model") == NULL)
		return -1;
	if ((p = rd_line(r, "kind")) == NULL)
		return -1;
	if (signal_model_kind_parse(p, &in->kind) == -1)
		return rd_fail(r, "unknown model kind '%s'", p);
	if ((p = rd_line(r, "features")) == NULL)
		return -1;
	if (strcmp(p, signal_feat_list()) != 0)
		return errmsg_set(r->err, "%s:%d: trained on features '%s', "
		    "this tickdesk computes '%s': train the model again",
		    r->path, r->line, p, signal_feat_list());
	if (rd_i64(r, "horizon", &v[0]) == -1 ||
	    rd_i64(r, "cost_ticks", &v[1]) == -1 ||
	    rd_i64(r, "first", &v[2]) == -1 ||
	    rd_i64(r, "last", &v[3]) == -1 ||
	    rd_i64(r, "created", &v[4]) == -1 ||
	    rd_i64(r, "rows", &v[5]) == -1)
		return -1;
	if (v[0] < 1 || v[0] > 100000 || v[1] < 0 || v[1] > 100000 ||
	    v[5] < 2)
		return rd_fail(r, "%s", "horizon, cost_ticks or rows out of "
		    "range");
	*in = (struct signal_model_info){ .kind = in->kind, .horizon =
	    (int)v[0], .cost_ticks = (int)v[1], .first = v[2], .last = v[3],
	    .created = v[4], .rows = (size_t)v[5] };
	return 0;
}

static int
rd_linear(struct rd *r, struct signal_model *m)
{
	double	 lab[2], platt[2];

	if (rd_row(r, "weights", m->w, NF + 1) == -1 ||
	    rd_row(r, "labels", lab, 2) == -1 ||
	    rd_row(r, "platt", platt, 2) == -1)
		return -1;
	if (!((lab[0] == 1 && lab[1] == -1) || (lab[0] == -1 && lab[1] == 1)))
		return rd_fail(r, "%s", "labels must be 1 and -1");
	m->label[0] = (int)lab[0];
	m->label[1] = (int)lab[1];
	m->platt_a = platt[0];
	m->platt_b = platt[1];
	lin_wire(m);
	return 0;
}

static int
rd_trees(struct rd *r, struct signal_model *m)
{
	int64_t	 n;

	if (rd_i64(r, "trees", &n) == -1)
		return -1;
	if (n <= 0 || (size_t)n > r->len - r->pos)
		return rd_fail(r, "%s", "trees: length beyond the file");
	if (XGBoosterCreate(NULL, 0, &m->bst) != 0 ||
	    XGBoosterLoadModelFromBuffer(m->bst, r->buf + r->pos,
	    (bst_ulong)n) != 0)
		return rd_fail(r, "xgboost cannot read the trees: %s",
		    XGBGetLastError());
	if (XGBoosterSetParam(m->bst, "nthread", "1") != 0 ||
	    XGBoosterSetParam(m->bst, "verbosity", "0") != 0)
		return rd_fail(r, "xgboost: %s", XGBGetLastError());
	r->pos += (size_t)n + 1;
	for (int64_t i = 0; i < n; i++)
		r->line += r->buf[r->pos - 1 - n + i] == '\n';
	return 0;
}

/*
 * The first line names the format and its version: read before the sum,
 * so that a file of another version says so rather than looking corrupt.
 */
static int
rd_version(struct rd *r)
{
	const char	*magic = "tickdesk-model ";
	long		 v;

	if (strncmp(r->buf, magic, strlen(magic)) != 0)
		return errmsg_set(r->err, "%s:1: not a tickdesk model file",
		    r->path);
	v = strtol(r->buf + strlen(magic), NULL, 10);
	if (v != SIGNAL_MODEL_VERSION)
		return errmsg_set(r->err, "%s:1: model file version %ld, this "
		    "tickdesk reads version %d: train the model again",
		    r->path, v, SIGNAL_MODEL_VERSION);
	return 0;
}

/* Check the last line's sum and cut it off; -1 when it does not match. */
static int
rd_sum(struct rd *r)
{
	char		*p;
	uint64_t	 want;

	if (r->len < 2 || r->buf[r->len - 1] != '\n')
		return errmsg_set(r->err, "%s: cut short (no final sum line)",
		    r->path);
	r->buf[r->len - 1] = '\0';
	p = strrchr(r->buf, '\n');
	p = p == NULL ? r->buf : p + 1;
	if (strncmp(p, "sum ", 4) != 0 || sscanf(p + 4, "%" SCNx64,
	    &want) != 1)
		return errmsg_set(r->err, "%s: cut short (no final sum line)",
		    r->path);
	r->len = (size_t)(p - r->buf);
	if (fnv1a(r->buf, r->len) != want)
		return errmsg_set(r->err, "%s: corrupt: its sum does not "
		    "match its contents", r->path);
	return 0;
}

static int
rd_file(struct rd *r)
{
	FILE	*f;
	long	 n;

	if ((f = fopen(r->path, "r")) == NULL)
		return errmsg_sys(r->err, r->path, NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || n > FILE_MAX) {
		fclose(f);
		return errmsg_set(r->err, "%s: not a readable file of at most "
		    "%d bytes", r->path, FILE_MAX);
	}
	if ((r->buf = malloc((size_t)n + 1)) == NULL ||
	    fread(r->buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return errmsg_sys(r->err, r->path, "read");
	}
	fclose(f);
	r->len = (size_t)n;
	r->buf[n] = '\0';
	return 0;
}

struct signal_model *
signal_model_load(const char *path, struct errmsg *err)
{
	struct rd		 r = { .path = path, .err = err };
	struct signal_model	*m = calloc(1, sizeof *m);
	int			 rc = -1;

	if (m == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	if (rd_file(&r) == -1 || rd_version(&r) == -1 || rd_sum(&r) == -1 ||
	    rd_header(&r, &m->info) == -1 ||
	    rd_row(&r, "mean", m->mean, NF) == -1 ||
	    rd_row(&r, "sd", m->sd, NF) == -1)
		goto out;
	for (int j = 0; j < NF; j++) {
		if (m->sd[j] <= 0) {
			rd_fail(&r, "%s", "sd: deviations must be positive");
			goto out;
		}
	}
	rc = m->info.kind == SM_XGBOOST ? rd_trees(&r, m) : rd_linear(&r, m);
	if (rc == 0 && r.pos != r.len)
		rc = rd_fail(&r, "%s", "more after the model's end");
	if (rc == 0 && m->info.kind == SM_XGBOOST)
		rc = xgb_keep(m, err);
out:
	free(r.buf);
	if (rc == -1) {
		signal_model_free(m);
		return NULL;
	}
	return m;
}
