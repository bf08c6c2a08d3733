/*
 * array.c -- growing an array its caller owns (array.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "array.h"

int
array_grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void	**p = pp, *np;
	size_t	 ncap;

	if (n < *cap)
		return 0;
	ncap = *cap == 0 ? 64 : *cap * 2;
	if (ncap <= n)
		ncap = n + 1;
	if (size != 0 && ncap > SIZE_MAX / size)
		return -1;
	if ((np = realloc(*p, ncap * size)) == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}
