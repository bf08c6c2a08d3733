/*
 * logring.c -- a fixed ring of log lines for the log pane.
 */
#include <stdio.h>
#include <stdlib.h>

#include "logring.h"

struct logring {
	size_t			 cap;
	size_t			 head;	/* the oldest line */
	size_t			 n;
	unsigned long long	 added;
	struct logring_line	 line[];
};

struct logring *
logring_create(size_t cap)
{
	struct logring	*lr;

	if (cap == 0)
		cap = 1;
	if ((lr = calloc(1, sizeof *lr + cap * sizeof lr->line[0])) == NULL)
		return NULL;
	lr->cap = cap;
	return lr;
}

void
logring_free(struct logring *lr)
{
	free(lr);
}

void
logring_add(struct logring *lr, td_ns time, enum log_level level,
    const char *component, const char *msg)
{
	struct logring_line	*l;

	if (lr->n < lr->cap)
		l = &lr->line[(lr->head + lr->n++) % lr->cap];
	else {
		l = &lr->line[lr->head];
		lr->head = (lr->head + 1) % lr->cap;
	}
	l->time = time;
	l->level = level;
	snprintf(l->component, sizeof l->component, "%s",
	    component != NULL ? component : "");
	snprintf(l->msg, sizeof l->msg, "%s", msg != NULL ? msg : "");
	lr->added++;
}

size_t
logring_count(const struct logring *lr)
{
	return lr->n;
}

const struct logring_line *
logring_get(const struct logring *lr, size_t i)
{
	if (i >= lr->n)
		return NULL;
	return &lr->line[(lr->head + i) % lr->cap];
}

unsigned long long
logring_added(const struct logring *lr)
{
	return lr->added;
}
