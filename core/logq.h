/*
 * logq.h -- a bounded queue of log lines that drops debug lines first.
 *
 * The engine must never wait for whoever reads its log (the console, a
 * file writer).  A log queue holds a fixed number of lines, copied in
 * whole (no pointers, nothing allocated after logq_create); when it is
 * full a new line is dropped or makes room, by this rule:
 *
 *	a debug line is dropped;
 *	any other line takes the place of the oldest debug line queued,
 *	which is dropped; when no debug line is queued, it is dropped.
 *
 * so a flood of debug lines never pushes out a warning.  Lines come out
 * in the order they went in.  Every drop is counted, debug lines apart.
 *
 * A queue is a plain value with no lock: its owner serialises the calls
 * (the runner and the file writer each hold their own mutex).
 */
#ifndef TD_LOGQ_H
#define TD_LOGQ_H

#include <stdbool.h>

#include "log.h"
#include "types.h"

struct errmsg;
struct logq;

#define LOGQ_COMPONENT_MAX	32
#define LOGQ_MSG_MAX		400
#define LOGQ_MIN		1
#define LOGQ_MAX		(1 << 20)

/* One line as queued: the fields of struct log_line, copied (cut to fit). */
struct logq_rec {
	td_ns		 time;
	enum log_level	 level;
	uint64_t	 corr;
	char		 component[LOGQ_COMPONENT_MAX];
	char		 msg[LOGQ_MSG_MAX];
};

/* Lines dropped since the queue was made. */
struct logq_drops {
	int64_t		 debug;		/* debug lines */
	int64_t		 other;		/* info and above */
};

/*
 * A queue of capacity lines (LOGQ_MIN to LOGQ_MAX).  NULL and a message
 * when the capacity is out of range or memory runs out.  Free with
 * logq_free (NULL is fine).
 */
struct logq	*logq_create(int capacity, struct errmsg *err);
void		 logq_free(struct logq *q);

/*
 * Queue a copy of line.  True when it was queued (maybe in place of an
 * older debug line), false when it was dropped.  Never allocates.
 */
bool		 logq_push(struct logq *q, const struct log_line *line);
/* The oldest line into out: 1, or 0 when the queue is empty. */
int		 logq_pop(struct logq *q, struct logq_rec *out);

int		 logq_count(const struct logq *q);
int		 logq_capacity(const struct logq *q);
struct logq_drops logq_dropped(const struct logq *q);

#endif
