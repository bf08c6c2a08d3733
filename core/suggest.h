/*
 * suggest.h -- "did you mean": the closest of a set of known words to a
 * mistyped one.
 *
 * The caller walks its own table (subcommands, configuration keys, desk
 * commands) and offers each name; the suggester keeps the closest one by
 * edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours each count one; letters compare without regard to case).
 * Only a close enough name is suggested: at most one edit for a word of
 * up to 4 characters, two up to 8, three beyond, and never the word
 * itself.  A tie keeps the name offered first, so the table's order
 * decides.  Nothing is allocated; a struct suggest lives on the caller's
 * stack and holds pointers to the words it was given.
 */
#ifndef TD_SUGGEST_H
#define TD_SUGGEST_H

#include <stddef.h>

/* Words longer than this are neither suggested nor matched. */
#define SUGGEST_WORD_MAX	64

struct suggest {
	const char	*word;		/* the mistyped word */
	const char	*best;		/* the closest name so far, or NULL */
	int		 dist;		/* its distance */
};

/* Start looking for names close to word (kept, not copied). */
void		 suggest_init(struct suggest *s, const char *word);
/* Offer one known name (kept, not copied; NULL is ignored). */
void		 suggest_add(struct suggest *s, const char *name);
/* The closest name offered that is close enough, or NULL. */
const char	*suggest_best(const struct suggest *s);

/*
 * The edit distance between a and b (case-blind, a swap of neighbours
 * counting one); -1 when either is longer than SUGGEST_WORD_MAX.
 */
int		 suggest_distance(const char *a, const char *b);

#endif
