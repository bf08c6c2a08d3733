/*
 * log.h -- log lines as values.
 *
 * core never writes to a terminal or a file.  The engine hands each line to
 * a function its owner registered (the console's log pane, stderr in batch
 * mode, a file sink), with the time, level, component and correlation id
 * that tie it to the intent or command that caused it.
 */
#ifndef TD_LOG_H
#define TD_LOG_H

#include "types.h"

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARNING,
	LOG_ERROR,
	LOG_CRITICAL,
};

struct log_line {
	td_ns		 time;		/* engine time (simulated or wall) */
	enum log_level	 level;
	const char	*component;	/* "risk", "orders", "strategy:orb", ... */
	uint64_t	 corr;		/* correlation id, 0 for none */
	const char	*msg;
};

typedef void	(*log_fn)(void *arg, const struct log_line *line);

const char	*log_level_name(enum log_level level);
/* "debug", "info", "warning", "error", "critical"; -1 when unknown. */
int		 log_level_parse(const char *name, enum log_level *out);

#endif
