/*
 * loop.h -- an event loop for one thread: descriptors and timers.
 *
 * In the manner of redis's ae.  The owner registers file events (a
 * callback when a descriptor becomes readable or writable) and timed
 * events (a callback once, at an absolute time of the loop's clock), then
 * runs the loop.  Each turn runs the before-sleep hook, waits in poll(2)
 * until a descriptor is ready or the next timer is due, calls the
 * callbacks of the ready descriptors, then the timers that are due, in
 * time order (ties in the order they were added).  A timer added while
 * timers are being run waits for the next turn, so a callback that re-arms
 * itself at once cannot starve the descriptors.
 *
 * Callbacks may add and remove file events and timers (their own too) and
 * stop the loop.  A descriptor that hangs up or fails is reported as
 * readable (and writable, when asked), so that its reader finds out; its
 * owner removes it.
 *
 * The clock is CLOCK_MONOTONIC unless the owner gives its own (tests step
 * time by hand); the loop asks it once per turn and before each wait.
 * Nothing here is global: loops are values, one per thread.
 */
#ifndef TD_LOOP_H
#define TD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

struct errmsg;
struct loop;

#define LOOP_READ	0x1
#define LOOP_WRITE	0x2

typedef void	(*loop_file_fn)(struct loop *l, int fd, int mask, void *arg);
typedef void	(*loop_timer_fn)(struct loop *l, uint64_t id, void *arg);
typedef void	(*loop_hook_fn)(struct loop *l, void *arg);
/* Nanoseconds that never go back; called from the loop's thread. */
typedef td_ns	(*loop_clock_fn)(void *arg);

/* NULL and a message when memory runs out; free with loop_free. */
struct loop	*loop_create(struct errmsg *err);
/* Free the loop; the descriptors stay open (they are the owners'). */
void		 loop_free(struct loop *l);

/* Use fn (NULL: CLOCK_MONOTONIC) for the timers from now on. */
void		 loop_set_clock(struct loop *l, loop_clock_fn fn, void *arg);
td_ns		 loop_now(const struct loop *l);

/*
 * Call fn when fd is ready for mask (LOOP_READ, LOOP_WRITE or both);
 * adding to a descriptor already registered sets the callback of those
 * bits and keeps the others.  -1 and a message for a bad descriptor or
 * mask, or when memory runs out.
 */
int		 loop_add_file(struct loop *l, int fd, int mask,
		     loop_file_fn fn, void *arg, struct errmsg *err);
/* Stop watching fd for mask; the descriptor goes when no bit is left. */
void		 loop_del_file(struct loop *l, int fd, int mask);
/* The bits fd is watched for, 0 when it is not. */
int		 loop_file_mask(const struct loop *l, int fd);

/*
 * Call fn once, at `when` of the loop's clock (at once when it is past).
 * Returns the timer's id (never 0), or 0 and a message when memory runs
 * out.
 */
uint64_t	 loop_add_timer(struct loop *l, td_ns when, loop_timer_fn fn,
		     void *arg, struct errmsg *err);
/* Cancel a timer that has not fired: 0, or -1 when it is not armed. */
int		 loop_del_timer(struct loop *l, uint64_t id);

/* Run fn at the start of every turn, before the loop waits. */
void		 loop_set_before_sleep(struct loop *l, loop_hook_fn fn,
		     void *arg);

/*
 * One turn: the before-sleep hook, a wait (none when wait is false or
 * the loop is stopped), the ready descriptors and the due timers.
 * Returns how many callbacks ran, or -1 and a message when poll fails
 * (an interrupted wait is a turn with nothing ready).
 */
int		 loop_turn(struct loop *l, bool wait, struct errmsg *err);
/* Turn until loop_stop: 0, or -1 and the message of loop_turn. */
int		 loop_run(struct loop *l, struct errmsg *err);
/* End loop_run after the current turn (from a callback). */
void		 loop_stop(struct loop *l);

#endif
