/*
 * rng.h -- a deterministic pseudo-random number generator as a value.
 *
 * xoshiro256** seeded through splitmix64.  The state is a plain struct the
 * caller owns (no global state), so the demo feed, simulated latency and
 * optimisers each carry their own generator, and the same seed gives the
 * same sequence on every run and every machine with IEEE doubles.
 */
#ifndef TD_RNG_H
#define TD_RNG_H

#include <stdint.h>

struct rng {
	uint64_t	 s[4];
};

/* Set the state from a 64-bit seed (any value, 0 included). */
void		 rng_seed(struct rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t	 rng_next(struct rng *r);

/* A double in [0, 1) with 53 random bits. */
double		 rng_uniform(struct rng *r);

/* A standard normal deviate (mean 0, deviation 1), Marsaglia's polar method. */
double		 rng_normal(struct rng *r);

/* An unbiased integer in [0, n); 0 when n is 0. */
uint64_t	 rng_below(struct rng *r, uint64_t n);

#endif
