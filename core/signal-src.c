/*
 * signal-src.c -- a model on one instrument's bars, giving p_up events.
 *
 * It owns its model, a calendar of its instrument's sessions and the
 * feature state of that instrument.  A bar before the features are
 * complete gives nothing, as does a broken or stale model; a bar of
 * another instrument is not looked at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "errmsg.h"
#include "signal-feat.h"
#include "signal-model.h"
#include "signal-src.h"

struct signal_src {
	char			 source[TD_NAME_MAX];
	int			 inst;
	td_ns			 max_age;
	struct calendar		*cal;
	struct signal_model	*model;
	struct signal_feat	*feat;
	bool			 stale;
	char			 broken[ERRMSG_MAX];
};

struct signal_src *
signal_src_create(const char *name, int inst, const struct calendar_cfg *cal,
    struct signal_model *model, const char *why, td_ns max_age,
    struct errmsg *err)
{
	struct signal_src	*s;

	if (name[0] == '\0' || strlen(SIGNAL_SRC_PREFIX) + strlen(name) >=
	    TD_NAME_MAX) {
		signal_model_free(model);
		errmsg_set(err, "model name '%s': 1 to %zu characters", name,
		    TD_NAME_MAX - 1 - strlen(SIGNAL_SRC_PREFIX));
		return NULL;
	}
	if ((s = calloc(1, sizeof *s)) == NULL) {
		signal_model_free(model);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	s->model = model;
	if ((s->cal = calendar_create(cal, err)) == NULL ||
	    (s->feat = signal_feat_create(s->cal, err)) == NULL) {
		signal_src_free(s);
		return NULL;
	}
	snprintf(s->source, sizeof s->source, "%s%s", SIGNAL_SRC_PREFIX,
	    name);
	s->inst = inst;
	s->max_age = max_age;
	if (model == NULL)
		snprintf(s->broken, sizeof s->broken, "%s",
		    why != NULL && why[0] != '\0' ? why : "no model");
	return s;
}

void
signal_src_free(struct signal_src *s)
{
	if (s == NULL)
		return;
	signal_model_free(s->model);
	signal_feat_free(s->feat);
	calendar_free(s->cal);
	free(s);
}

const char *
signal_src_source(const struct signal_src *s)
{
	return s->source;
}

const char *
signal_src_broken(const struct signal_src *s)
{
	return s->model == NULL ? s->broken : NULL;
}

int
signal_src_inst(const struct signal_src *s)
{
	return s->inst;
}

enum signal_src_out
signal_src_bar(struct signal_src *s, int inst, const struct td_bar *bar,
    td_ns now, struct td_data *out, struct errmsg *why)
{
	double	 x[SIGNAL_FEAT_N], p;

	if (inst != s->inst || s->model == NULL || s->stale)
		return SIGNAL_SRC_NONE;
	if (signal_model_fresh(s->model, bar->end, s->max_age, why) == -1) {
		s->stale = true;
		return SIGNAL_SRC_STALE;
	}
	if (signal_feat_bar(s->feat, bar, x) != 1)
		return SIGNAL_SRC_NONE;
	p = signal_model_predict(s->model, x);
	memset(out, 0, sizeof *out);
	memcpy(out->source, s->source, sizeof out->source);
	strcpy(out->name, SIGNAL_SRC_EVENT);
	out->inst = inst;
	out->kind = TD_DATA_PROBABILITY;
	out->value = (int64_t)(p * (double)TD_DATA_SCALE + 0.5);
	if (out->value < 0)
		out->value = 0;
	if (out->value > TD_DATA_SCALE)
		out->value = TD_DATA_SCALE;
	out->time = now;
	return SIGNAL_SRC_EVENT_OUT;
}
