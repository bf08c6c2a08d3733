/*
 * snap-obs.h -- the console's observer: the blotter and the sparklines.
 *
 * It hears the engine's events (engine-ev.h) and keeps what the console
 * shows of the past that the engine itself does not keep: the last order
 * changes and fills (SNAP_OBS_BLOTTER of them for the console), as
 * blotter rows (an order as a venue event left it, EEV_UPDATE; a fill,
 * EEV_FILL), and the closes of the last SNAP_SPARK bars of each
 * instrument (EEV_BAR); for the chart pane, the last SNAP_CANDLES bars
 * and SNAP_MARKS fills of each instrument, and the session's equity
 * curve (the snapshot's net P&L, sampled when it fills a snapshot).  All
 * are rings taken at create: hearing an event allocates nothing.  snap_obs_fill writes them into a struct snapshot
 * (the engine calls it from engine_snapshot when the observer is added
 * with SNAP_OBS_OBSERVER), whose blotter table has the ring's length
 * (snap_obs_sizes, through engine_snapshot_sizes).
 *
 * It runs on the engine thread, like every observer, and never calls the
 * engine.
 */
#ifndef TD_SNAP_OBS_H
#define TD_SNAP_OBS_H

#include "engine-ev.h"
#include "snapshot.h"

struct errmsg;
struct snap_obs;

/*
 * The blotter's length in the console: the order changes and fills the
 * runner's observer keeps (the oldest give way).
 */
#define SNAP_OBS_BLOTTER	128

/* The kinds it hears. */
#define SNAP_OBS_EVENTS	(EEV_BIT(EEV_UPDATE) | EEV_BIT(EEV_FILL) |	\
			 EEV_BIT(EEV_BAR))

/*
 * An observer with an empty blotter of blotter rows (1 or more) and
 * sparklines for ninst instruments (1 or more; events of other
 * instruments are left out).  NULL and a message when either is out of
 * range or memory runs out.  Free with snap_obs_free (NULL is fine),
 * after the engine it observes.
 */
struct snap_obs	*snap_obs_create(int ninst, int blotter, struct errmsg *err);
void		 snap_obs_free(struct snap_obs *so);

/* The observer's function (engine_observer_fn); always 0. */
int		 snap_obs_observe(void *arg, const struct engine_ev *ev,
		     struct errmsg *err);
/*
 * Fill the blotter (newest first) and each instrument's sparkline
 * (oldest first) of s, for s->ninst instruments; arg is the observer.
 * A blotter table shorter than the ring gets the newest rows it holds.
 */
void		 snap_obs_fill(void *arg, struct snapshot *s);
/* Raise sz->blotter to the ring's length; arg is the observer. */
void		 snap_obs_sizes(void *arg, struct snapshot_sizes *sz);

/* An engine_observer for engine_observer_add: the kinds, its functions. */
#define SNAP_OBS_OBSERVER(so) (struct engine_observer){			\
	.fn = snap_obs_observe, .arg = (so), .mask = SNAP_OBS_EVENTS,	\
	.snapshot = snap_obs_fill, .sizes = snap_obs_sizes }

#endif
