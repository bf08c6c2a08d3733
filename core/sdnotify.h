/*
 * sdnotify.h -- telling a service manager how the session is: readiness,
 * status, stopping, and a watchdog that the engine's loop feeds.
 *
 * The protocol of sd_notify(3), written here without libsystemd: each
 * message is one datagram of "KEY=VALUE" lines sent to the AF_UNIX socket
 * the manager named in $NOTIFY_SOCKET (an absolute path, or "@name" for
 * the abstract namespace).  The session says READY=1 once it is recovered
 * and its trading state is known, STATUS= when that state changes, and
 * STOPPING=1 when it begins to stop.  With a watchdog (the manager's
 * $WATCHDOG_USEC), sdn_watch arms a timer on the engine's event loop that
 * sends WATCHDOG=1 every half interval: while the loop turns the manager
 * hears it; when the loop is wedged the pings stop and the manager
 * restarts the service.
 *
 * Nothing here reads the environment: the caller hands in the socket and
 * the interval.  The socket is made once and is the only thing the
 * threads share: sdn_send and the messages may be sent from any thread,
 * each call one datagram.  The status last sent is the sending thread's
 * (the main one); the watchdog's timer is the watching loop's thread's.
 */
#ifndef TD_SDNOTIFY_H
#define TD_SDNOTIFY_H

#include <stdbool.h>

#include "log.h"
#include "types.h"

struct errmsg;
struct loop;
struct sdn;

#define SDN_STATUS_MAX	256

struct sdn_cfg {
	const char	*socket;	/* "/path" or "@abstract" */
	td_ns		 watchdog;	/* the manager's interval; 0: none */
};

/*
 * A datagram socket for cfg->socket: NULL and a message when the address
 * is neither an absolute path nor "@name", is too long, or the socket
 * cannot be made.  Free with sdn_free (NULL is fine).
 */
struct sdn	*sdn_create(const struct sdn_cfg *cfg, struct errmsg *err);
void		 sdn_free(struct sdn *n);

/* One datagram of text: 0, or -1 and a message (errno's). */
int		 sdn_send(struct sdn *n, const char *text, struct errmsg *err);
/* "READY=1" with the status: 0, or -1 and a message. */
int		 sdn_ready(struct sdn *n, const char *status,
		     struct errmsg *err);
/* "STATUS=..." when it differs from the last one sent: 1 sent, 0 same. */
int		 sdn_status(struct sdn *n, const char *status,
		     struct errmsg *err);
/* "STOPPING=1" with the status: 0, or -1 and a message. */
int		 sdn_stopping(struct sdn *n, const char *status,
		     struct errmsg *err);

/* The watchdog's interval (0: none) and how often it is fed (half). */
td_ns		 sdn_watchdog(const struct sdn *n);

/*
 * Feed the watchdog from l: WATCHDOG=1 at l's next turn, then every half
 * interval of l's clock, for as long as l turns (nothing when there is no
 * watchdog).  A ping that cannot be sent goes to log as a warning, once
 * until one goes again.  Call from the thread that runs l; -1 and a
 * message when the timer cannot be armed or n already watches a loop.
 */
int		 sdn_watch(struct sdn *n, struct loop *l, log_fn log,
		     void *log_arg, struct errmsg *err);
/* Stop feeding it (the loop's thread, before the loop is freed). */
void		 sdn_unwatch(struct sdn *n);

/*
 * Parse $WATCHDOG_USEC (microseconds above 0) into *out: -1 when it is
 * not such a number.
 */
int		 sdn_parse_usec(const char *text, td_ns *out);
/*
 * Whether $JOURNAL_STREAM ("DEVICE:INODE") names the file fd is open on:
 * the manager connected it to the system journal, which takes a "<N>"
 * syslog priority at the start of each line.
 */
bool		 sdn_is_journal(const char *stream, int fd);
/* The syslog priority of a log level (sd-daemon.h's SD_ERR is 3, ...). */
int		 sdn_priority(enum log_level level);

#endif
