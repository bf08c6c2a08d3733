/*
 * rng.c -- xoshiro256** with splitmix64 seeding (see rng.h).
 *
 * The algorithms are the public-domain reference ones by Blackman and
 * Vigna.  rng_normal uses the polar method and throws the second deviate
 * of each pair away: keeping it would need state beyond s[4], and a
 * generator that is four words and nothing else is easy to copy, compare
 * and store.  Only sqrt (exact in IEEE arithmetic) and log enter, so the
 * sequence is the same wherever the C library's log is the same.
 */
#include <math.h>

#include "rng.h"

static uint64_t
rng_splitmix64(uint64_t *x)
{
	uint64_t	 z;

	z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t
rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t	 x = seed;
	int		 i;

	for (i = 0; i < 4; i++)
		r->s[i] = rng_splitmix64(&x);
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result, t;

	result = rng_rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

double
rng_normal(struct rng *r)
{
	double	 u, v, s;

	do {
		u = 2.0 * rng_uniform(r) - 1.0;
		v = 2.0 * rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * log(s) / s);
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	unsigned __int128	 m;
	uint64_t		 lo, threshold;

	if (n == 0)
		return 0;
	/* Lemire's multiply-and-reject: no modulo bias, rarely a retry. */
	m = (unsigned __int128)rng_next(r) * n;
	lo = (uint64_t)m;
	if (lo < n) {
		threshold = (0 - n) % n;
		while (lo < threshold) {
			m = (unsigned __int128)rng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}
