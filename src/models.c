/*
 * models.c -- load the configuration's models for an engine.
 *
 * The engine's kernel does no I/O: the model files are read here, before
 * the engine is made, and handed to it as sources (core/signal-src.h).
 */
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "models.h"
#include "settings.h"
#include "signal-model.h"
#include "signal-src.h"

void
models_free(struct signal_src **srcs, int n)
{
	for (int i = 0; i < n; i++)
		signal_src_free(srcs[i]);
	free(srcs);
}

static int
models_inst(const struct engine_config *ec, const char *symbol)
{
	for (int i = 0; i < ec->ninst; i++) {
		if (strcmp(ec->inst[i].symbol, symbol) == 0)
			return i;
	}
	return -1;
}

int
models_load(const struct settings *st, struct signal_src ***out, int *n,
    struct errmsg *err)
{
	const struct engine_config	*ec = &st->engine;
	struct signal_src		**srcs;

	*out = NULL;
	*n = 0;
	if (st->nmodels == 0)
		return 0;
	if ((srcs = calloc((size_t)st->nmodels, sizeof *srcs)) == NULL)
		return errmsg_set(err, "out of memory");
	for (int i = 0; i < st->nmodels; i++) {
		const struct settings_model	*c = &st->models[i];
		struct signal_model		*m;
		struct errmsg			 why = { .msg = "" };
		int				 inst;

		if ((inst = models_inst(ec, c->symbol)) == -1) {
			models_free(srcs, i);
			return errmsg_set(err, "model %s: no instrument '%s'",
			    c->name, c->symbol);
		}
		m = signal_model_load(c->file, &why);
		srcs[i] = signal_src_create(c->name, inst,
		    &ec->cal[ec->inst[inst].calendar], m, why.msg,
		    (td_ns)c->max_age * TD_NS_PER_DAY, err);
		if (srcs[i] == NULL) {
			models_free(srcs, i);
			return -1;
		}
	}
	*out = srcs;
	*n = st->nmodels;
	return 0;
}
