/*
 * alert-keep.h -- an alert sink for tests: it keeps what it is sent (the
 * hub's threads call it), up to KEEP_MAX alerts.  keep_hub starts a hub
 * with it; keep_find waits for the hub to be idle and finds an alert by
 * its event.  The test frees the hub with alert_free.
 */
#ifndef TD_TEST_ALERT_KEEP_H
#define TD_TEST_ALERT_KEEP_H

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "alert.h"
#include "errmsg.h"

#define KEEP_MAX	32

struct keep {
	pthread_mutex_t	 m;
	int		 n;
	struct alert	 got[KEEP_MAX];
};

static int
keep_send(void *ctx, const struct alert *a, const atomic_bool *stop,
    char *why, size_t n)
{
	struct keep	*k = ctx;

	(void)stop;
	(void)why;
	(void)n;
	pthread_mutex_lock(&k->m);
	if (k->n < KEEP_MAX)
		k->got[k->n++] = *a;
	pthread_mutex_unlock(&k->m);
	return 0;
}

static const struct alert_sink_ops keep_ops = {
	.name = "keep",
	.send = keep_send,
};

static inline struct alert_hub *
keep_hub(struct keep *k)
{
	struct alert_cfg	 c = { .queue = 64 };
	struct alert_hub	*h;
	struct errmsg		 err;

	memset(k, 0, sizeof *k);
	pthread_mutex_init(&k->m, NULL);
	assert_non_null(h = alert_create(&c, &err));
	assert_int_equal(alert_add_sink(h, "keep", &keep_ops, k, ALERT_INFO,
	    &err), 0);
	assert_int_equal(alert_start(h, &err), 0);
	return h;
}

/* The alert of event ev that k got, or NULL. */
static inline const struct alert *
keep_find(struct alert_hub *h, struct keep *k, enum alert_event ev)
{
	assert_int_equal(alert_idle(h, 2 * TD_NS_PER_SEC), 0);
	for (int i = 0; i < k->n; i++) {
		if (k->got[i].event == ev)
			return &k->got[i];
	}
	return NULL;
}

#endif
