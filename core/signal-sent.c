/*
 * signal-sent.c -- headline scores and sentiment series (see
 * signal-sent.h).  The word lists are tickdesk's own, for the language
 * of market news, in alphabetical order.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "signal-sent.h"

#define SENT_WORD_MAX	32
#define SENT_NEG_REACH	3	/* words a negation reaches forward */

static const char *const sent_positive[] = {
	"accelerates", "advance", "advances", "beat", "beats", "boom",
	"booming", "boost", "boosts", "breakthrough", "bullish", "climb",
	"climbs", "confidence", "eases", "easing", "expand", "expands",
	"expansion", "gain", "gains", "growth", "higher", "improve",
	"improved", "improves", "jump", "jumps", "optimism", "optimistic",
	"outperform", "outperforms", "profit", "profits", "rallies", "rally",
	"rebound", "rebounds", "recovery", "resilient", "rise", "rises",
	"soar", "soars", "strength", "strong", "stronger", "surge", "surges",
	"upbeat", "upgrade", "upgraded", "upgrades",
};

static const char *const sent_negative[] = {
	"bankruptcy", "bearish", "collapse", "collapses", "concern",
	"concerns", "contraction", "crash", "crashes", "crisis", "cut",
	"cuts", "decline", "declines", "default", "defaults", "deficit",
	"downgrade", "downgraded", "downgrades", "drop", "drops", "fall",
	"falls", "fear", "fears", "fraud", "lawsuit", "layoffs", "loss",
	"losses", "lower", "miss", "misses", "plunge", "plunges", "recession",
	"selloff", "shortfall", "sink", "sinks", "slide", "slides",
	"slowdown", "slump", "slumps", "tumble", "tumbles", "warning",
	"warns", "weak", "weaker", "weakness", "worse", "worst",
};

static const char *const sent_uncertain[] = {
	"could", "doubt", "may", "might", "perhaps", "possible", "possibly",
	"risk", "risks", "rumor", "rumors", "uncertain", "uncertainty",
	"unclear", "volatile", "volatility",
};

static const char *const sent_negation[] = {
	"neither", "never", "no", "nor", "not", "without",
};

static const char *const sent_intensifier[] = {
	"deeply", "extremely", "huge", "massive", "record", "sharp",
	"sharply", "significantly", "steep", "steeply", "strongly",
};

static const char *const sent_softener[] = {
	"marginal", "marginally", "mild", "mildly", "modest", "modestly",
	"slight", "slightly",
};

#define SENT_N(a)	((int)(sizeof (a) / sizeof (a)[0]))

static bool
sent_in(const char *w, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

/*
 * The next word of *p, lower case, letters and inner apostrophes only
 * ("doesn't"); false at the end.  *neg: it ends in "n't".
 */
static bool
sent_word(const char **p, char *w, bool *neg)
{
	const unsigned char	*s = (const unsigned char *)*p;
	size_t			 n = 0;

	while (*s != '\0' && !isalpha(*s))
		s++;
	if (*s == '\0')
		return false;
	while (isalpha(*s) || (*s == '\'' && isalpha(s[1]))) {
		if (n + 1 < SENT_WORD_MAX)
			w[n++] = (char)tolower(*s);
		s++;
	}
	w[n] = '\0';
	*p = (const char *)s;
	*neg = n > 3 && strcmp(w + n - 3, "n't") == 0;
	return true;
}

int64_t
sent_score(const char *text, struct sent_counts *c)
{
	struct sent_counts	 own;
	char			 w[SENT_WORD_MAX];
	int64_t			 sum = 0, size = 0, score;
	int			 weight = 2, since_neg = SENT_NEG_REACH + 1;
	bool			 neg;

	if (c == NULL)
		c = &own;
	memset(c, 0, sizeof *c);
	/* Weights in halves: 2 plain, 3 intensified, 1 softened. */
	while (sent_word(&text, w, &neg)) {
		int	 sign = 0;

		since_neg++;
		if (neg || sent_in(w, sent_negation, SENT_N(sent_negation))) {
			since_neg = 0;
			continue;
		}
		if (sent_in(w, sent_intensifier, SENT_N(sent_intensifier))) {
			weight = 3;
			continue;
		}
		if (sent_in(w, sent_softener, SENT_N(sent_softener))) {
			weight = 1;
			continue;
		}
		if (sent_in(w, sent_uncertain, SENT_N(sent_uncertain)))
			c->uncertain++;
		else if (sent_in(w, sent_positive, SENT_N(sent_positive))) {
			c->positive++;
			sign = 1;
		} else if (sent_in(w, sent_negative, SENT_N(sent_negative))) {
			c->negative++;
			sign = -1;
		}
		if (sign != 0 && since_neg <= SENT_NEG_REACH) {
			sign = -sign;
			c->negated++;
		}
		sum += sign * weight;
		size += sign != 0 ? weight : 0;
		weight = 2;
	}
	score = sum * TD_DATA_SCALE / (size + 2);
	for (int i = 0; i < c->uncertain && score != 0; i++)
		score = score * 4 / 5;
	return score;
}

char *
sent_format(int64_t v, int places, char *buf, size_t len)
{
	int64_t		 unit = TD_DATA_SCALE, a = v < 0 ? -v : v, q;

	if (places < 1)
		places = 1;
	if (places > 4)
		places = 4;
	for (int i = 0; i < places; i++)
		unit /= 10;
	q = (a + unit / 2) / unit;
	snprintf(buf, len, "%s%lld.%0*lld", q == 0 ? "" : v < 0 ? "-" : "+",
	    (long long)(q / (TD_DATA_SCALE / unit)), places,
	    (long long)(q % (TD_DATA_SCALE / unit)));
	return buf;
}

void
sent_book_init(struct sent_book *b, int ninst, td_ns half_life)
{
	memset(b, 0, sizeof *b);
	b->ninst = ninst < SENT_MAX_INST ? ninst : SENT_MAX_INST;
	b->half_life = half_life > 0 ? half_life : 1;
}

static struct sent_series *
sent_series_of(struct sent_book *b, int inst)
{
	return inst >= 0 && inst < b->ninst ? &b->inst[inst] : &b->market;
}

/* The series' value at t, decayed from its last headline. */
static int64_t
sent_decayed(const struct sent_series *s, td_ns t, td_ns half_life)
{
	double	 k;

	if (!s->has)
		return 0;
	if (t <= s->t)
		return s->v;
	k = exp2(-(double)(t - s->t) / (double)half_life);
	return (int64_t)llround((double)s->v * k);
}

/* The data event that says a series' value v at t. */
static void
sent_event(int inst, int64_t v, td_ns t, struct td_data *out)
{
	memset(out, 0, sizeof *out);
	strcpy(out->source, "news");
	strcpy(out->name, "sentiment");
	out->inst = inst;
	out->kind = TD_DATA_SCORE;
	out->value = v;
	out->time = t;
}

void
sent_book_add(struct sent_book *b, int inst, td_ns t, int64_t score,
    struct td_data *out)
{
	struct sent_series	*s = sent_series_of(b, inst);
	int64_t			 v = sent_decayed(s, t, b->half_life) + score;

	if (v > TD_DATA_SCALE)
		v = TD_DATA_SCALE;
	if (v < -TD_DATA_SCALE)
		v = -TD_DATA_SCALE;
	t = t > s->t ? t : s->t;
	*s = (struct sent_series){ .has = true, .t = t, .v = v, .sent = t };
	sent_event(inst >= 0 && inst < b->ninst ? inst : -1, v, t, out);
}

/* Is series s due at now?  *v: its value to send then. */
static bool
sent_due_one(const struct sent_series *s, td_ns now, td_ns half_life,
    int64_t *v)
{
	if (!s->has || s->quiet || now - s->sent < SENT_EVERY)
		return false;
	*v = sent_decayed(s, now, half_life);
	if (*v > -TD_DATA_SCALE / 10000 && *v < TD_DATA_SCALE / 10000)
		*v = 0;
	return true;
}

int
sent_book_due(struct sent_book *b, td_ns now, struct td_data *out, int max)
{
	int	 n = 0;
	int64_t	 v;

	for (int i = 0; i <= b->ninst && n < max; i++) {
		struct sent_series	*s = i < b->ninst ? &b->inst[i] :
					    &b->market;

		if (!sent_due_one(s, now, b->half_life, &v))
			continue;
		s->sent = now;
		s->quiet = v == 0;
		sent_event(i < b->ninst ? i : -1, v, now, &out[n++]);
	}
	return n;
}

int64_t
sent_book_value(const struct sent_book *b, int inst, td_ns t)
{
	return sent_decayed(inst >= 0 && inst < b->ninst ? &b->inst[inst] :
	    &b->market, t, b->half_life);
}
