/*
 * signal-live.h -- headlines as they arrive, for a paper or live session:
 * JSON lines (signal-news.h) from a file that another program appends to,
 * or from a news server that tickdesk connects to.
 *
 * A file is tailed as `tail -n 0 -F` does: the headlines already in it
 * when the session starts are not read (a headline counts from when it
 * arrives), appended lines are, and a partial last line waits for its
 * newline.  When the file shrinks (truncated) it is read again from its
 * start; when another file takes its name (rotated) the rest of the old
 * one is read, then the new one from its start; while no file has the
 * name, the old one is kept and the name looked at again.
 *
 * A socket is a client's: "HOST:PORT" (TCP; the host is resolved when the
 * input is made) or a path with a '/' (a unix socket).  The server writes
 * JSON lines.  Connecting never blocks: a connection under way, lost or
 * refused is tried again after 1 s, then after twice as long each time,
 * up to SIGNAL_LIVE_RETRY_MAX; a line cut short by a lost connection is
 * dropped with a message.
 *
 * Nothing here blocks and nothing here is global: the owner calls
 * signal_live_next whenever it likes (at each turn of its loop) until it
 * says there is nothing more now.  Lines are numbered as in the file (or
 * from the connection's first), and a bad one ("file:line: why") or one
 * longer than NEWS_LINE_MAX is skipped: the next call goes on after it.
 * Headlines are not put in time order here: each counts when it arrives.
 */
#ifndef TD_SIGNAL_LIVE_H
#define TD_SIGNAL_LIVE_H

#include "signal-news.h"
#include "types.h"

struct errmsg;
struct signal_live;

/* What signal_live_next returns besides 1, 0 and -1: something to log. */
#define SIGNAL_LIVE_NOTE	2
#define SIGNAL_LIVE_RETRY	(1 * TD_NS_PER_SEC)
#define SIGNAL_LIVE_RETRY_MAX	(30 * TD_NS_PER_SEC)

/*
 * Tail the regular file at path from its end (its last whole line): NULL
 * and a message when it cannot be opened or is not a regular file.
 */
struct signal_live *signal_live_file(const char *path, struct errmsg *err);
/*
 * Connect to addr ("HOST:PORT", or a path with a '/') at the first call
 * of signal_live_next: NULL and a message for an address that does not
 * parse or a host that does not resolve.
 */
struct signal_live *signal_live_socket(const char *addr, struct errmsg *err);
/* Close the file or connection; NULL is fine. */
void		 signal_live_free(struct signal_live *sl);

/*
 * The next headline, at now (a clock that never goes back, for the
 * retries): 1 and *it; 0 when nothing more is there now; -1 and "where:
 * why" for a line skipped or a connection lost or refused (to log as an
 * error); SIGNAL_LIVE_NOTE and a line to log (connected, the file
 * truncated or rotated).  After anything but 0, call again.
 */
int		 signal_live_next(struct signal_live *sl, td_ns now,
		     struct news_item *it, struct errmsg *err);
/* The file's path or the server's address, as given. */
const char	*signal_live_name(const struct signal_live *sl);
/* Headlines taken, and lines skipped as bad. */
long		 signal_live_count(const struct signal_live *sl);
long		 signal_live_bad(const struct signal_live *sl);

#endif
