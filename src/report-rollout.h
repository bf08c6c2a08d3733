/*
 * report-rollout.h -- `tickdesk report --rollout`: the rollout ladder as
 * the journal recorded it, stage by stage.
 *
 * Per stage: the sessions traded in it, the trades closed in it and their
 * net P&L (cents-exact, the same ledger as the rest of the report), the
 * fills judged for slippage (the expected price: the order's for a limit
 * or a stop, the last price when a market order was sent) with their
 * total and worst slippage in ticks, and its critical incidents; then
 * every move between stages (who, when, why) and every incident.
 */
#ifndef TD_REPORT_ROLLOUT_H
#define TD_REPORT_ROLLOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct errmsg;
struct journal;
struct trades;
struct tz;

/*
 * Write the report to out.  The trades are the report's ledger, trade i
 * closed by the fill of journal seq closed_seq[i].  0, or -1 with a
 * message when the journal cannot be read or memory runs out.
 */
int	 report_rollout(FILE *out, struct journal *j, const struct trades *tl,
	     const int64_t *closed_seq, const struct tz *tz,
	     struct errmsg *err);

#endif
