/*
 * errmsg.h -- errors as values.
 *
 * A core function that can fail takes a struct errmsg * (which may be NULL)
 * and returns -1 or NULL after filling it with one lower-case line, without
 * a trailing period: "file.csv:12: high below low".  The caller owns the
 * struct and decides where the message goes.
 */
#ifndef TD_ERRMSG_H
#define TD_ERRMSG_H

#define ERRMSG_MAX	512

struct errmsg {
	char	 msg[ERRMSG_MAX];
};

/* Fill err (if not NULL) with a formatted message; always returns -1. */
int	errmsg_set(struct errmsg *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Put "prefix: " in front of the message already in err. */
void	errmsg_prefix(struct errmsg *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * "path: what: reason" (what may be NULL) with the reason strerror(errno)
 * gives, its capital letter lowered to our style; always returns -1.
 */
int	errmsg_sys(struct errmsg *err, const char *path, const char *what);

#endif
