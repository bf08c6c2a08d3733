/*
 * signal-sent.h -- the tone of financial headlines, as data a strategy
 * or a filter reads (types.h, struct td_data: source "news", name
 * "sentiment", kind TD_DATA_SCORE).
 *
 * A headline's score comes from word lists written for tickdesk:
 * positive words (beats, rallies, upgrade) count +1, negative ones
 * (misses, plunges, default) -1; an intensifier just before a word
 * (sharply, record) makes it count 1.5, a softener (slightly, modest)
 * 0.5; a negation among the three words before it (not, no, never,
 * without, "n't") turns its sign.  The score is the sum over the sum of
 * the sizes plus 1, so one plain positive word scores 0.5 and the score
 * stays inside -1..1; each uncertainty word (may, could, uncertain)
 * takes a fifth off its size.  The score is worked out in integers: the
 * same text scores the same everywhere.
 *
 * The sentiment of an instrument is a series: each headline about it
 * adds its score to the series' value decayed by half every half_life
 * since the headline before, clipped to -1..1.  A headline naming no
 * instrument is about the whole market (inst -1).  Between headlines the
 * series is sent again each SENT_EVERY while it fades, so that what a
 * strategy or filter last heard is never more than that old, and once
 * more as 0 when it has faded below 0.0001; then it is quiet until the
 * next headline.  struct sent_book holds one series per instrument and
 * the market's; it owns nothing.
 */
#ifndef TD_SIGNAL_SENT_H
#define TD_SIGNAL_SENT_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

#define SENT_MAX_INST	8
#define SENT_EVERY	(60 * TD_NS_PER_SEC)

/* What a headline's score is made of. */
struct sent_counts {
	int		 positive;
	int		 negative;
	int		 uncertain;
	int		 negated;	/* words whose sign a negation turned */
};

/* The score of text, TD_DATA_SCALE per 1, in -1..1; c may be NULL. */
int64_t		 sent_score(const char *text, struct sent_counts *c);
/*
 * A score or sentiment of TD_DATA_SCALE per 1 with its sign and places
 * decimals (1 to 4), rounded half away from zero: "+0.6667", "-0.25",
 * "0.00" for nothing either way; buf is returned.
 */
char		*sent_format(int64_t v, int places, char *buf, size_t len);

struct sent_series {
	bool		 has;
	bool		 quiet;		/* faded out, and said so */
	td_ns		 t;		/* of the last headline */
	int64_t		 v;		/* TD_DATA_SCALE per 1 */
	td_ns		 sent;		/* when its value was last given */
};

struct sent_book {
	td_ns			 half_life;	/* > 0 */
	int			 ninst;		/* <= SENT_MAX_INST */
	struct sent_series	 inst[SENT_MAX_INST];
	struct sent_series	 market;
};

void		 sent_book_init(struct sent_book *b, int ninst, td_ns half_life);
/*
 * A headline of score at t about inst (-1: the market): its series moves,
 * and *out is the data event that says its new value.
 */
void		 sent_book_add(struct sent_book *b, int inst, td_ns t,
		     int64_t score, struct td_data *out);
/* The value of inst's series at t (>= its last headline's time). */
int64_t		 sent_book_value(const struct sent_book *b, int inst, td_ns t);
/*
 * The series due to be sent again at now (see above), up to max of them
 * into out, the instruments' first and the market's last; how many.
 */
int		 sent_book_due(struct sent_book *b, td_ns now,
		     struct td_data *out, int max);

#endif
