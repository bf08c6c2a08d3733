/*
 * health-obs.h -- the health observer: the counts that describe an engine.
 *
 * It hears the engine's events (engine-ev.h) and counts what status,
 * /metrics and the backtest's report show: the market events processed
 * (EEV_MARKET), the orders refused (EEV_REFUSED), and the time each timed
 * stage took (EEV_STAGE, with health.latency on) in a histogram per stage
 * (latency.h).  The decisions these feed stay in the engine (breakers, a
 * streak of refusals, a slow event's alert); this only describes.
 * Counting allocates nothing.  health_obs_fill writes the counts into a
 * struct snapshot (the engine calls it from engine_snapshot when the
 * observer is added with HEALTH_OBS_OBSERVER).  It runs on the engine
 * thread and never calls the engine.
 */
#ifndef TD_HEALTH_OBS_H
#define TD_HEALTH_OBS_H

#include "engine-ev.h"
#include "snapshot.h"

struct errmsg;
struct health_obs;

#define HEALTH_OBS_EVENTS (EEV_BIT(EEV_MARKET) | EEV_BIT(EEV_REFUSED) |	\
			 EEV_BIT(EEV_STAGE))

/* NULL and a message when memory runs out; free with health_obs_free. */
struct health_obs *health_obs_create(struct errmsg *err);
void		 health_obs_free(struct health_obs *h);

/* The observer's function (engine_observer_fn); always 0. */
int		 health_obs_observe(void *arg, const struct engine_ev *ev,
		     struct errmsg *err);
/* Fill the counters and the stages' timings of s; arg is the observer. */
void		 health_obs_fill(void *arg, struct snapshot *s);

/* Market events processed and orders refused since create. */
int64_t		 health_obs_events(const struct health_obs *h);
int64_t		 health_obs_refused(const struct health_obs *h);

/* An engine_observer (engine.h) for engine_observer_add. */
#define HEALTH_OBS_OBSERVER(h) (struct engine_observer){		\
	.fn = health_obs_observe, .arg = (h),				\
	.mask = HEALTH_OBS_EVENTS, .snapshot = health_obs_fill }

#endif
