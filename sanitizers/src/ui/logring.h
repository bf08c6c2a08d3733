/*
 * logring.h -- the lines the log pane shows: a fixed ring.
 *
 * The console copies every engine log line and every command answer into
 * the ring as it takes them from the runner; when the ring is full the
 * oldest line goes.  The ring is allocated once (logring_create) and never
 * grows, so a chatty engine cannot make the console eat memory.
 */
#ifndef TD_UI_LOGRING_H
#define TD_UI_LOGRING_H

#include <stddef.h>

#include "log.h"
#include "types.h"

#define LOGRING_COMPONENT	32
#define LOGRING_MSG		400

struct logring_line {
	td_ns		 time;
	enum log_level	 level;
	char		 component[LOGRING_COMPONENT];
	char		 msg[LOGRING_MSG];
};

struct logring;

/* A ring of cap lines (at least 1); NULL when out of memory. */
struct logring	*logring_create(size_t cap);
void		 logring_free(struct logring *lr);

/* Add a line; component and msg are copied and cut to fit. */
void		 logring_add(struct logring *lr, td_ns time,
		     enum log_level level, const char *component,
		     const char *msg);
/* Lines held, at most cap. */
size_t		 logring_count(const struct logring *lr);
/* Line i, 0 the oldest held; NULL when i is out of range. */
const struct logring_line *logring_get(const struct logring *lr, size_t i);
/* Lines added since creation, for "something new" checks. */
unsigned long long logring_added(const struct logring *lr);

#endif
