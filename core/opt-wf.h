/*
 * opt-wf.h -- walk-forward analysis: the data cut into windows, each an
 * in-sample span optimised (the grid, or the genetic search) and the
 * out-of-sample span after it traded with the in-sample winner, as a
 * trader would have lived it.
 *
 * Windows are whole calendar months from the month of first_day: the
 * in-sample span is is_months long, the out-of-sample span the
 * oos_months after it; the next window starts oos_months later (rolling),
 * or keeps the first start and grows its in-sample span (anchored).  The
 * last window is the last whose out-of-sample span starts by last_day.
 * A window whose in-sample span has no point meeting the constraints
 * trades nothing out of sample.
 *
 * The result owns its windows (opt_wf_free).
 */
#ifndef TD_OPT_WF_H
#define TD_OPT_WF_H

#include "opt-ga.h"
#include "opt-run.h"

#define OPT_WF_MONTHS_MAX	240
#define OPT_WF_WINDOWS_MAX	1000

struct opt_wf_cfg {
	int		 is_months;	/* 1 .. OPT_WF_MONTHS_MAX */
	int		 oos_months;	/* 1 .. OPT_WF_MONTHS_MAX */
	bool		 anchored;
	bool		 genetic;	/* else the grid */
	struct opt_ga_cfg ga;
};

struct opt_wf_window {
	int32_t		 is_from, is_to;	/* yyyymmdd, to excluded */
	int32_t		 oos_from, oos_to;
	int64_t		 point;			/* the winner; -1: none */
	int64_t		 evaluated;		/* in-sample points */
	struct opt_row	 is;			/* the winner's */
	struct opt_row	 oos;
};

struct opt_wf_result {
	struct opt_wf_window *w;
	int		 n;
	td_cents	 is_net, oos_net;	/* the winners', summed */
	int64_t		 oos_trades;
	int64_t		 is_days, oos_days;	/* calendar days, summed */
	/*
	 * Out-of-sample net per day over in-sample net per day: how much of
	 * the in-sample edge survived (NAN when the in-sample net is not
	 * above 0).
	 */
	double		 efficiency;
	bool		 stopped;
};

/*
 * Walk forward over job's data from first_day to last_day (yyyymmdd);
 * job->from_day, to_day and points are set per window.  0 and *r, or -1
 * with a message (settings out of range, no whole window in the data,
 * an evaluation that failed).
 */
int		 opt_wf_run(const struct opt_job *job,
		    const struct opt_wf_cfg *cfg, int32_t first_day,
		    int32_t last_day, struct opt_wf_result *r,
		    struct errmsg *err);
void		 opt_wf_free(struct opt_wf_result *r);

/*
 * Dates as yyyymmdd: the 1st of the month months after day's; day plus
 * days; the days from one to another.
 */
int32_t		 opt_wf_add_months(int32_t day, int months);
int32_t		 opt_wf_add_days(int32_t day, int days);
int64_t		 opt_wf_days(int32_t from, int32_t to);

#endif
