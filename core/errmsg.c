/*
 * errmsg.c -- filling and prefixing error messages (see errmsg.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"

int
errmsg_set(struct errmsg *err, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
errmsg_prefix(struct errmsg *err, const char *fmt, ...)
{
	char	 head[ERRMSG_MAX / 2], tail[ERRMSG_MAX];
	va_list	 ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(tail, err->msg, sizeof tail);
	if (snprintf(err->msg, sizeof err->msg, "%s: %s", head, tail) < 0)
		err->msg[0] = '\0';
}

int
errmsg_sys(struct errmsg *err, const char *path, const char *what)
{
	char	 msg[128];

	snprintf(msg, sizeof msg, "%s", strerror(errno));
	if (msg[0] >= 'A' && msg[0] <= 'Z' && msg[1] >= 'a' && msg[1] <= 'z')
		msg[0] = (char)(msg[0] - 'A' + 'a');
	if (what != NULL)
		return errmsg_set(err, "%s: %s: %s", path, what, msg);
	return errmsg_set(err, "%s: %s", path, msg);
}
