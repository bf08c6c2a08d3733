/*
 * signal-src.h -- a model as a source of data events.
 *
 * A source joins a model (signal-model.h) to one instrument: after each
 * 1-minute bar of that instrument it computes the bar's features
 * (signal-feat.h), asks the model, and gives a data event (types.h:
 * struct td_data) for the engine to deliver: source "model:NAME", name
 * "p_up", kind TD_DATA_PROBABILITY, time the engine's.  The engine calls
 * it where every bar reaches its strategies, so a backtest, a replay and
 * a live session hear the same events from the same bars.
 *
 * A source whose model could not be loaded is made all the same, broken,
 * with the reason: it gives nothing, and the engine disables the
 * strategies that hear it.  A model whose training data is older than
 * max_age at a bar is stale: the source says so once and stays silent.
 * Nothing here does I/O: the model is loaded by the caller.
 */
#ifndef TD_SIGNAL_SRC_H
#define TD_SIGNAL_SRC_H

#include "types.h"

struct calendar_cfg;
struct errmsg;
struct signal_model;

#define SIGNAL_SRC_PREFIX	"model:"
#define SIGNAL_SRC_EVENT	"p_up"

/*
 * A source named name (the event's source is "model:NAME") on instrument
 * inst of the engine, whose sessions cal describes (the source makes its
 * own calendar from it).  It takes model (freed with the source); model
 * NULL makes a broken source and why says why.  max_age 0: no staleness
 * guard.  NULL and a message when the name is empty or too long, the
 * calendar cannot be made, or without memory (model is freed then).
 * Free with signal_src_free (NULL allowed).
 */
struct signal_src *signal_src_create(const char *name, int inst,
		     const struct calendar_cfg *cal, struct signal_model *model,
		     const char *why, td_ns max_age, struct errmsg *err);
void		 signal_src_free(struct signal_src *s);

/* The events' source ("model:NAME"); owned by s. */
const char	*signal_src_source(const struct signal_src *s);
/* Why the source is broken, or NULL when it works. */
const char	*signal_src_broken(const struct signal_src *s);
int		 signal_src_inst(const struct signal_src *s);

enum signal_src_out {
	SIGNAL_SRC_NONE,	/* nothing: another instrument, warming up,
				   broken or stale */
	SIGNAL_SRC_EVENT_OUT,	/* *out is an event */
	SIGNAL_SRC_STALE,	/* the model went stale at this bar: why
				   says so; nothing more from now on */
};

/* A bar of instrument inst, the engine's time being now. */
enum signal_src_out signal_src_bar(struct signal_src *s, int inst,
		     const struct td_bar *bar, td_ns now, struct td_data *out,
		     struct errmsg *why);

#endif
