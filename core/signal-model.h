/*
 * signal-model.h -- models that turn a bar's features into the
 * probability that the price rises, trained on history.
 *
 * Three kinds: logistic regression and a linear support vector machine
 * (liblinear), and gradient-boosted trees (XGBoost).  A model is trained
 * on the feature vectors of signal-feat.h and labels worked out from the
 * same history (signal_model_label), and saved in a file that says what
 * it is: the file format's version, the kind, the feature list it was
 * trained on, the label's horizon and cost, its training window (first
 * and last bar) and when it was made.  Loading refuses a file of another
 * version or another feature list, saying which.  Features are
 * standardised with the training set's means and deviations, kept in the
 * file.  A linear SVM's decision value becomes a probability through a
 * logistic fit on the training set (Platt's method, with liblinear).
 *
 * A model is read-only once trained or loaded, but the trees' prediction
 * is not safe on one model from two threads: each engine loads its own.
 */
#ifndef TD_SIGNAL_MODEL_H
#define TD_SIGNAL_MODEL_H

#include <stddef.h>

#include "signal-feat.h"
#include "types.h"

struct errmsg;
struct signal_model;

#define SIGNAL_MODEL_VERSION	1

enum signal_model_kind {
	SM_LOGISTIC,
	SM_SVM,
	SM_XGBOOST,
};

/* What a model is and what it was trained on. */
struct signal_model_info {
	enum signal_model_kind kind;
	int		 horizon;	/* label: bars ahead */
	int		 cost_ticks;	/* label: move needed beyond this */
	td_ns		 first;		/* training window: first bar's start */
	td_ns		 last;		/* and last bar's end */
	td_ns		 created;
	size_t		 rows;		/* training examples */
};

/* "logistic", "svm", "xgboost"; -1 for another name. */
int		 signal_model_kind_parse(const char *name,
		     enum signal_model_kind *out);
const char	*signal_model_kind_name(enum signal_model_kind k);

/*
 * The label of the bar whose close is now, the close horizon bars later
 * being later: 1 when it rose more than cost ticks, 0 when it fell more
 * than cost ticks, -1 (no label: not a training example) otherwise.
 */
int		 signal_model_label(td_ticks now, td_ticks later, int cost);

/*
 * Train on n examples: x holds n rows of SIGNAL_FEAT_N features, y their
 * labels (0 or 1).  info says the kind and what is saved with the model
 * (rows is set here).  Deterministic: the same examples give the same
 * model.  NULL and a message (fewer than 2 examples, one class only,
 * the library's refusal); free with signal_model_free (NULL allowed).
 */
struct signal_model *signal_model_train(const double *x, const int *y,
		     size_t n, const struct signal_model_info *info,
		     struct errmsg *err);
void		 signal_model_free(struct signal_model *m);

/* The probability (0..1) that the price rises, from one feature row. */
double		 signal_model_predict(struct signal_model *m,
		     const double x[SIGNAL_FEAT_N]);

const struct signal_model_info *signal_model_info(
		     const struct signal_model *m);

/* Write the model to path: 0, or -1 and "path: why". */
int		 signal_model_save(const struct signal_model *m,
		     const char *path, struct errmsg *err);
/*
 * Read a model: NULL and "path:line: what is wrong" for a file that is
 * not a model, of another version, trained on other features, cut short
 * or corrupt.  Free with signal_model_free.
 */
struct signal_model *signal_model_load(const char *path,
		     struct errmsg *err);

/*
 * Is the model still usable at time now?  0 when its training window
 * ended at most max_age before now (max_age 0: any age); -1 and "model
 * trained on data up to DATE is N days old, above max_age M days".
 */
int		 signal_model_fresh(const struct signal_model *m, td_ns now,
		     td_ns max_age, struct errmsg *err);

#endif
