/*
 * signal-feat.h -- the features a model sees, computed bar by bar.
 *
 * One struct signal_feat follows one instrument's 1-minute bars and, after
 * each, gives the feature vector of that bar: a fixed, named list (saved
 * with every model, so a model is never fed features it was not trained
 * on).  The same code runs in training, backtests, replays and live
 * sessions.  A bar's features depend only on that bar and the ones before
 * it: nothing is revised when later bars arrive.
 *
 * Returns and ranges are in basis points of a price, so that a model
 * trained on one year applies to another; time of day and day of week
 * are read in the instrument's session time zone (its calendar).
 */
#ifndef TD_SIGNAL_FEAT_H
#define TD_SIGNAL_FEAT_H

#include "types.h"

struct calendar;
struct errmsg;

/* The features, in their fixed order. */
enum signal_feat_id {
	SF_RET_1,	/* return over the last bar, bp */
	SF_RET_5,	/* over 5 bars */
	SF_RET_15,	/* over 15 bars */
	SF_RET_60,	/* over 60 bars */
	SF_RVOL_15,	/* realised volatility: rms 1-bar return, 15 bars */
	SF_RVOL_60,	/* the same over 60 bars */
	SF_ATR_14,	/* mean true range of 14 bars, bp of the close */
	SF_OR_WIDTH,	/* the day's opening range, bp; 0 until complete */
	SF_OR_POS,	/* close in the opening range: 0 low, 1 high */
	SF_DAY_RANGE,	/* the trading day's high - low so far, bp */
	SF_DAY_POS,	/* close in the day's range: 0 low, 1 high */
	SF_VOL_REL_15,	/* volume / mean volume of 15 bars */
	SF_VOL_REL_60,	/* volume / mean volume of 60 bars */
	SF_TOD,		/* local time of the bar's start, hours */
	SF_DOW,		/* local day of week of the bar's start, 0 Sunday */
	SF_VWAP_DIST,	/* close - the trading day's VWAP, bp of the VWAP */
	SIGNAL_FEAT_N
};

/* The opening range: the first 30 minutes of regular trading hours. */
#define SIGNAL_FEAT_OR_MINUTES	30
/* Bars seen before the features are complete (the 60-bar return). */
#define SIGNAL_FEAT_WARMUP	61

/* A feature's name ("ret_1"); NULL out of range. */
const char	*signal_feat_name(int i);
/* Every name, comma separated, in order: a model's feature list. */
const char	*signal_feat_list(void);

/*
 * Follow one instrument whose sessions cal describes (borrowed: it must
 * outlive the result).  NULL and a message when out of memory.  Free with
 * signal_feat_free (NULL allowed).
 */
struct signal_feat *signal_feat_create(const struct calendar *cal,
		     struct errmsg *err);
void		 signal_feat_free(struct signal_feat *f);
/* Forget every bar seen. */
void		 signal_feat_reset(struct signal_feat *f);

/*
 * Take the next bar (bars in time order) and fill out with its features.
 * 1 when they are complete, 0 while warming up (out is filled all the
 * same); -1 for a bar before the last one, which changes nothing.
 */
int		 signal_feat_bar(struct signal_feat *f, const struct td_bar *bar,
		     double out[SIGNAL_FEAT_N]);

#endif
