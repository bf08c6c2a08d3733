/*
 * market.h -- the market facts many engines share: the instruments and the
 * session calendars they trade on.
 *
 * A market is made once from a configuration's instruments and session
 * templates: each calendar is created (its time zones loaded) once, and
 * each instrument says which calendar is its own.  After market_create
 * nothing in it changes and nothing in it is computed lazily, so any
 * number of engines, on any number of threads, may read one market at
 * the same time.  An optimiser makes one market and hands it to thousands
 * of engines (engine.h: struct engine_deps) that keep pointers into it
 * instead of copies.
 *
 * A market has one owner, its creator, who frees it with market_free
 * once every engine that reads it is freed.
 */
#ifndef TD_MARKET_H
#define TD_MARKET_H

#include <stddef.h>

#include "calendar.h"
#include "instrument.h"

struct errmsg;
struct market;

/*
 * A market of ninst instruments (copied; instrument_init done) on ncal
 * session templates (copied into calendars), instrument i trading on
 * calendar inst[i].calendar.  NULL and a message when there is no
 * instrument or no template, when an instrument names a template that is
 * not there ("MES: no such session template") or two share a symbol, or
 * when a template is refused (calendar_create's message).  Free with
 * market_free.
 */
struct market	*market_create(const struct instrument *inst, int ninst,
		     const struct calendar_cfg *cal, int ncal,
		     struct errmsg *err);

/* Free a market and its calendars; NULL is allowed. */
void		 market_free(struct market *m);

/* The instruments, ninst of them in the order given; owned by m. */
int		 market_ninst(const struct market *m);
const struct instrument *market_instruments(const struct market *m);

/* Index of an instrument by symbol, or -1. */
int		 market_inst_index(const struct market *m, const char *symbol);

/* The calendars, in the order of their templates; owned by m. */
int		 market_ncal(const struct market *m);
const struct calendar *market_calendar(const struct market *m, int i);

#endif
