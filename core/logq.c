/*
 * logq.c -- a bounded log queue that drops debug lines first (see logq.h).
 *
 * The records live in one array of slots made at creation.  Each queued
 * record is on one of two FIFO lists threaded through the slots by index,
 * debug lines on one and all others on the other, and carries a sequence
 * number; free slots are on a third list.  A push takes a free slot, or,
 * when there is none and the line is not debug, the head of the debug
 * list (its oldest debug line).  A pop takes whichever head has the lower
 * sequence number, so the order of the lines is kept across both lists.
 * Every operation is O(1) and none allocates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "logq.h"

#define LOGQ_NONE	(-1)

enum {
	LOGQ_DEBUG,	/* the list of debug lines */
	LOGQ_OTHER,	/* the list of every other line */
	LOGQ_LISTS
};

struct logq_slot {
	struct logq_rec	 rec;
	uint64_t	 seq;
	int		 next;		/* in its list, or in the free list */
};

struct logq {
	int			 cap;
	int			 count;
	struct logq_slot	*slot;
	int			 free;
	int			 head[LOGQ_LISTS];
	int			 tail[LOGQ_LISTS];
	uint64_t		 seq;
	struct logq_drops	 drops;
};

struct logq *
logq_create(int capacity, struct errmsg *err)
{
	struct logq	*q;

	if (capacity < LOGQ_MIN || capacity > LOGQ_MAX) {
		errmsg_set(err, "log queue of %d lines: the capacity is %d to "
		    "%d", capacity, LOGQ_MIN, LOGQ_MAX);
		return NULL;
	}
	if ((q = calloc(1, sizeof *q)) == NULL ||
	    (q->slot = calloc((size_t)capacity, sizeof *q->slot)) == NULL) {
		free(q);
		errmsg_set(err, "log queue: out of memory");
		return NULL;
	}
	q->cap = capacity;
	for (int i = 0; i < capacity; i++)
		q->slot[i].next = i + 1 < capacity ? i + 1 : LOGQ_NONE;
	q->free = 0;
	for (int l = 0; l < LOGQ_LISTS; l++)
		q->head[l] = q->tail[l] = LOGQ_NONE;
	return q;
}

void
logq_free(struct logq *q)
{
	if (q == NULL)
		return;
	free(q->slot);
	free(q);
}

/* Take the head of list l off it; its index. */
static int
logq_unlink_head(struct logq *q, int l)
{
	int	 i = q->head[l];

	q->head[l] = q->slot[i].next;
	if (q->head[l] == LOGQ_NONE)
		q->tail[l] = LOGQ_NONE;
	q->count--;
	return i;
}

bool
logq_push(struct logq *q, const struct log_line *line)
{
	struct logq_slot	*s;
	int			 l = line->level == LOG_DEBUG ? LOGQ_DEBUG :
				    LOGQ_OTHER;
	int			 i;

	if (q->free != LOGQ_NONE) {
		i = q->free;
		q->free = q->slot[i].next;
	} else if (l == LOGQ_OTHER && q->head[LOGQ_DEBUG] != LOGQ_NONE) {
		/* Full: the oldest debug line gives way. */
		i = logq_unlink_head(q, LOGQ_DEBUG);
		q->drops.debug++;
	} else {
		if (l == LOGQ_DEBUG)
			q->drops.debug++;
		else
			q->drops.other++;
		return false;
	}
	s = &q->slot[i];
	s->rec.time = line->time;
	s->rec.level = line->level;
	s->rec.corr = line->corr;
	snprintf(s->rec.component, sizeof s->rec.component, "%s",
	    line->component != NULL ? line->component : "");
	snprintf(s->rec.msg, sizeof s->rec.msg, "%s",
	    line->msg != NULL ? line->msg : "");
	s->seq = q->seq++;
	s->next = LOGQ_NONE;
	if (q->tail[l] == LOGQ_NONE)
		q->head[l] = i;
	else
		q->slot[q->tail[l]].next = i;
	q->tail[l] = i;
	q->count++;
	return true;
}

int
logq_pop(struct logq *q, struct logq_rec *out)
{
	int	 d = q->head[LOGQ_DEBUG], o = q->head[LOGQ_OTHER], l, i;

	if (d == LOGQ_NONE && o == LOGQ_NONE)
		return 0;
	if (d == LOGQ_NONE)
		l = LOGQ_OTHER;
	else if (o == LOGQ_NONE)
		l = LOGQ_DEBUG;
	else
		l = q->slot[d].seq < q->slot[o].seq ? LOGQ_DEBUG : LOGQ_OTHER;
	i = logq_unlink_head(q, l);
	*out = q->slot[i].rec;
	q->slot[i].next = q->free;
	q->free = i;
	return 1;
}

int
logq_count(const struct logq *q)
{
	return q->count;
}

int
logq_capacity(const struct logq *q)
{
	return q->cap;
}

struct logq_drops
logq_dropped(const struct logq *q)
{
	return q->drops;
}
