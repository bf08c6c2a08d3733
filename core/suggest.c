/*
 * suggest.c -- "did you mean" (see suggest.h).
 *
 * The distance is the optimal string alignment distance (Levenshtein with
 * the swap of two neighbouring letters as one edit, the usual typo), in
 * three rows of SUGGEST_WORD_MAX + 1 cells on the stack.
 */
#include <ctype.h>
#include <string.h>

#include "suggest.h"

static int
suggest_min3(int a, int b, int c)
{
	int	 m = a < b ? a : b;

	return m < c ? m : c;
}

static int
suggest_eq(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

int
suggest_distance(const char *a, const char *b)
{
	int	 rows[3][SUGGEST_WORD_MAX + 1];
	int	*pp, *prev, *cur;
	size_t	 na = strlen(a), nb = strlen(b);

	if (na > SUGGEST_WORD_MAX || nb > SUGGEST_WORD_MAX)
		return -1;
	pp = rows[0];
	prev = rows[1];
	cur = rows[2];
	for (size_t j = 0; j <= nb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		int	*t;

		cur[0] = (int)i;
		for (size_t j = 1; j <= nb; j++) {
			int	 cost = suggest_eq(a[i - 1], b[j - 1]) ? 0 : 1;

			cur[j] = suggest_min3(prev[j] + 1, cur[j - 1] + 1,
			    prev[j - 1] + cost);
			if (i > 1 && j > 1 && suggest_eq(a[i - 1], b[j - 2]) &&
			    suggest_eq(a[i - 2], b[j - 1]) &&
			    pp[j - 2] + 1 < cur[j])
				cur[j] = pp[j - 2] + 1;
		}
		t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[nb];
}

/* How many edits a word of n characters may be away from a suggestion. */
static int
suggest_limit(size_t n)
{
	return n <= 4 ? 1 : n <= 8 ? 2 : 3;
}

void
suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = -1;
}

void
suggest_add(struct suggest *s, const char *name)
{
	int	 d;

	if (name == NULL || (d = suggest_distance(s->word, name)) <= 0 ||
	    d > suggest_limit(strlen(s->word)))
		return;
	if (s->best == NULL || d < s->dist) {
		s->best = name;
		s->dist = d;
	}
}

const char *
suggest_best(const struct suggest *s)
{
	return s->best;
}
