/*
 * signal-filter.h -- a strategy's entries let through or skipped on the
 * latest typed data (types.h, struct td_data): a model's probability, a
 * news sentiment, any value a source sends.
 *
 * A filter names a strategy, a source and a value's name.  A long entry
 * passes when the latest value for the instrument (or, when the source
 * has none for it, the value for no instrument) is at least long_min; a
 * short entry when it is at most short_max.  A value older than max_age,
 * or none heard yet, is missing: the entry is skipped, unless the filter
 * says missing values trade.  Every filter of a strategy must pass.
 *
 * struct signal_last keeps the latest value of each series heard (source,
 * name, instrument), SIGNAL_LAST_MAX of them; its owner makes and frees
 * it.  Nothing here is global: each engine has its own.
 */
#ifndef TD_SIGNAL_FILTER_H
#define TD_SIGNAL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

#define SIGNAL_LAST_MAX		64

struct errmsg;

/* What an entry does when its filter's value is missing or too old. */
enum signal_missing {
	SIGNAL_MISSING_SKIP,
	SIGNAL_MISSING_TRADE,
};

struct signal_filter {
	char		 strategy[TD_NAME_MAX];	/* whose entries */
	char		 source[TD_NAME_MAX];
	char		 name[TD_NAME_MAX];
	int64_t		 long_min;	/* TD_DATA_SCALE per 1 */
	int64_t		 short_max;
	td_ns		 max_age;	/* 0: any age */
	enum signal_missing missing;
};

struct signal_last;

struct signal_last *signal_last_create(struct errmsg *err);
void		 signal_last_free(struct signal_last *t);
/* Keep d as its series' latest; -1 when SIGNAL_LAST_MAX series are known. */
int		 signal_last_put(struct signal_last *t, const struct td_data *d,
		     struct errmsg *err);
/* The latest value of (source, name, inst), or NULL; t may be NULL. */
const struct td_data *signal_last_get(const struct signal_last *t,
		     const char *source, const char *name, int inst);

/*
 * Does an entry on side of inst at now pass f?  When it does not, why
 * says so ("model:es p_up 0.4800 below 0.5500 for a long entry").
 */
bool		 signal_filter_pass(const struct signal_filter *f,
		     const struct signal_last *t, int inst, enum td_side side,
		     td_ns now, char *why, size_t len);

#endif
