/*
 * market.c -- the instruments and calendars engines share (see market.h).
 *
 * A market owns a copy of its instruments and the calendars made from its
 * session templates.  Everything is checked and built in market_create;
 * the readers below only index arrays, so a market is as safe to share
 * between threads as the calendars and zones it holds, which keep no
 * cached state either (calendar.h, tz.h).
 */
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "market.h"

struct market {
	int			 ninst;
	struct instrument	*inst;
	int			 ncal;
	struct calendar		**cal;
};

/* Every instrument on a template that is there, no symbol twice. */
static int
market_check(const struct instrument *inst, int ninst, int ncal,
    struct errmsg *err)
{
	for (int i = 0; i < ninst; i++) {
		if (inst[i].calendar < 0 || inst[i].calendar >= ncal)
			return errmsg_set(err, "%s: no such session template",
			    inst[i].symbol);
		for (int k = 0; k < i; k++) {
			if (strcmp(inst[k].symbol, inst[i].symbol) == 0)
				return errmsg_set(err, "%s: instrument listed "
				    "twice", inst[i].symbol);
		}
	}
	return 0;
}

struct market *
market_create(const struct instrument *inst, int ninst,
    const struct calendar_cfg *cal, int ncal, struct errmsg *err)
{
	struct market	*m;

	if (ninst < 1 || ncal < 1) {
		errmsg_set(err, "a market needs at least one instrument and "
		    "one session template");
		return NULL;
	}
	if (market_check(inst, ninst, ncal, err) == -1)
		return NULL;
	if ((m = calloc(1, sizeof *m)) == NULL ||
	    (m->inst = calloc((size_t)ninst, sizeof *m->inst)) == NULL ||
	    (m->cal = calloc((size_t)ncal, sizeof *m->cal)) == NULL) {
		market_free(m);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	memcpy(m->inst, inst, (size_t)ninst * sizeof *inst);
	m->ninst = ninst;
	m->ncal = ncal;
	for (int i = 0; i < ncal; i++) {
		if ((m->cal[i] = calendar_create(&cal[i], err)) == NULL) {
			market_free(m);
			return NULL;
		}
	}
	return m;
}

void
market_free(struct market *m)
{
	if (m == NULL)
		return;
	for (int i = 0; m->cal != NULL && i < m->ncal; i++)
		calendar_free(m->cal[i]);
	free(m->cal);
	free(m->inst);
	free(m);
}

int
market_ninst(const struct market *m)
{
	return m->ninst;
}

const struct instrument *
market_instruments(const struct market *m)
{
	return m->inst;
}

int
market_inst_index(const struct market *m, const char *symbol)
{
	for (int i = 0; i < m->ninst; i++) {
		if (strcmp(m->inst[i].symbol, symbol) == 0)
			return i;
	}
	return -1;
}

int
market_ncal(const struct market *m)
{
	return m->ncal;
}

const struct calendar *
market_calendar(const struct market *m, int i)
{
	return m->cal[i];
}
