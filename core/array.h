/*
 * array.h -- growing an array that its caller owns: the one helper the
 * readers of journal rows (the restart, journal verify, the reports) share
 * to collect rows one at a time.
 */
#ifndef TD_ARRAY_H
#define TD_ARRAY_H

#include <stddef.h>

/*
 * Make room in *pp (an array of *cap elements of size bytes, or NULL and
 * 0) for element n: the array is doubled (64 at first) when n is past its
 * end.  The caller still owns *pp and frees it; -1 when memory runs out,
 * and *pp is then as it was.
 */
int	 array_grow(void *pp, size_t *cap, size_t n, size_t size);

#endif
