/*
 * health-obs.c -- the health observer (health-obs.h): two counters and a
 * latency histogram per timed stage, plain values inside it.
 */
#include <stdlib.h>

#include "errmsg.h"
#include "health-obs.h"
#include "latency.h"

struct health_obs {
	int64_t		 events;
	int64_t		 refused;
	struct latency	 lat[SNAP_STAGES];
};

struct health_obs *
health_obs_create(struct errmsg *err)
{
	struct health_obs	*h;

	if ((h = calloc(1, sizeof *h)) == NULL)
		errmsg_set(err, "out of memory");
	return h;
}

void
health_obs_free(struct health_obs *h)
{
	free(h);
}

int
health_obs_observe(void *arg, const struct engine_ev *ev, struct errmsg *err)
{
	struct health_obs	*h = arg;

	(void)err;
	switch (ev->kind) {
	case EEV_MARKET:
		h->events++;
		break;
	case EEV_REFUSED:
		h->refused++;
		break;
	case EEV_STAGE:
		if (ev->stage >= 0 && ev->stage < SNAP_STAGES)
			latency_add(&h->lat[ev->stage], ev->took);
		break;
	default:
		break;
	}
	return 0;
}

void
health_obs_fill(void *arg, struct snapshot *s)
{
	const struct health_obs	*h = arg;

	s->events = h->events;
	s->rejects = h->refused;
	for (int i = 0; i < SNAP_STAGES; i++) {
		const struct latency	*l = &h->lat[i];
		struct snap_latency	*o = &s->latency[i];

		o->count = l->count;
		o->sum = l->sum;
		o->p50 = latency_quantile(l, 0.50);
		o->p99 = latency_quantile(l, 0.99);
		o->max = l->max;
	}
}

int64_t
health_obs_events(const struct health_obs *h)
{
	return h->events;
}

int64_t
health_obs_refused(const struct health_obs *h)
{
	return h->refused;
}
