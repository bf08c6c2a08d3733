/*
 * log.c -- names of log levels (see log.h).
 */
#include <string.h>

#include "log.h"

static const char *const log_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARNING] = "warning",
	[LOG_ERROR] = "error",
	[LOG_CRITICAL] = "critical",
};

const char *
log_level_name(enum log_level level)
{
	if ((unsigned)level > LOG_CRITICAL)
		return "?";
	return log_names[level];
}

int
log_level_parse(const char *name, enum log_level *out)
{
	for (unsigned i = 0; i <= LOG_CRITICAL; i++) {
		if (strcmp(name, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}
