/*
 * report-rollout.c -- the rollout section of `tickdesk report` (see
 * report-rollout.h).
 *
 * It reads the journal's rollout table once, oldest first: each row says
 * the stage in force when it was written, a move the stage in force
 * after it.  A trade belongs to the stage in force when its closing fill
 * was journaled (the last rollout row before that fill's seq); trades
 * closed before the ladder's first row are counted apart.
 */
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "journal.h"
#include "portfolio.h"
#include "report-rollout.h"
#include "trades.h"
#include "tz.h"

struct rr_stage {
	char		 name[TD_NAME_MAX];
	int64_t		 sessions, trades, fills, slip, worst, incidents;
	td_cents	 pnl;
};

/* A row of the table, as much as the report keeps. */
struct rr_row {
	int64_t		 seq;
	int		 after;		/* the stage in force after it */
	struct journal_rollout r;
};

struct rr {
	struct rr_stage	*st;
	size_t		 nst;
	struct rr_row	*row;
	size_t		 nrow;
	int		 cur;		/* -1 before the first row */
	struct errmsg	 err;
};

static int
rr_stage(struct rr *x, const char *name)
{
	void	*n;

	for (size_t i = 0; i < x->nst; i++) {
		if (strcmp(x->st[i].name, name) == 0)
			return (int)i;
	}
	if ((n = realloc(x->st, (x->nst + 1) * sizeof *x->st)) == NULL)
		return -1;
	x->st = n;
	memset(&x->st[x->nst], 0, sizeof *x->st);
	snprintf(x->st[x->nst].name, sizeof x->st[x->nst].name, "%s", name);
	return (int)x->nst++;
}

static int
rr_on_row(void *arg, const struct journal_rollout *r)
{
	struct rr		*x = arg;
	struct rr_stage		*s;
	struct rr_row		*row;
	void			*n;
	int			 k;

	k = rr_stage(x, r->ev.kind == ROLLOUT_EV_MOVE ? r->to : r->stage);
	if (k == -1 || (n = realloc(x->row, (x->nrow + 1) *
	    sizeof *x->row)) == NULL)
		return errmsg_set(&x->err, "out of memory");
	x->row = n;
	row = &x->row[x->nrow++];
	row->seq = r->seq;
	row->after = k;
	row->r = *r;
	s = &x->st[k];
	switch (r->ev.kind) {
	case ROLLOUT_EV_SESSION:
		s->sessions++;
		break;
	case ROLLOUT_EV_FILL:
		if (s->fills == 0 || r->ev.ticks > s->worst)
			s->worst = r->ev.ticks;
		s->fills++;
		s->slip += r->ev.ticks;
		break;
	case ROLLOUT_EV_INCIDENT:
		s->incidents++;
		break;
	default:
		break;
	}
	return 0;
}

/* The stage in force at journal seq: -1 before the ladder's first row. */
static int
rr_at(const struct rr *x, int64_t seq)
{
	size_t	 lo = 0, hi = x->nrow;

	while (lo < hi) {
		size_t	 mid = (lo + hi) / 2;

		if (x->row[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? -1 : x->row[lo - 1].after;
}

static char *
rr_time(const struct tz *tz, td_ns t, char *buf, size_t len)
{
	struct tz_tm	 tm;

	if (t == 0)
		return strcpy(buf, "(start)");
	tz_to_local(tz, t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon,
	    tm.mday, tm.hour, tm.min, tm.sec);
	return buf;
}

static void
rr_print(FILE *out, const struct rr *x, int64_t before, td_cents before_pnl,
    const struct tz *tz)
{
	char	 pnl[PORTFOLIO_FMT_MAX], when[32];
	int	 incidents = 0;

	fprintf(out, "Rollout by stage\n");
	fprintf(out, "  %-12s %8s %6s %11s %5s %10s %5s %9s\n", "stage",
	    "sessions", "trades", "P&L", "fills", "slip ticks", "worst",
	    "incidents");
	for (size_t i = 0; i < x->nst; i++) {
		const struct rr_stage	*s = &x->st[i];

		fprintf(out, "  %-12s %8lld %6lld %11s %5lld %10lld %5lld "
		    "%9lld\n", s->name, (long long)s->sessions,
		    (long long)s->trades, portfolio_format_money(s->pnl, pnl,
		    sizeof pnl), (long long)s->fills, (long long)s->slip,
		    (long long)s->worst, (long long)s->incidents);
	}
	if (before > 0)
		fprintf(out, "  %lld trades (%s) closed before the ladder "
		    "began\n", (long long)before, portfolio_format_money(
		    before_pnl, pnl, sizeof pnl));
	fprintf(out, "\nStage moves\n");
	for (size_t i = 0; i < x->nrow; i++) {
		const struct journal_rollout	*r = &x->row[i].r;

		if (r->ev.kind == ROLLOUT_EV_MOVE)
			fprintf(out, "  %s  %s -> %s by %s: %s\n",
			    rr_time(tz, r->time, when, sizeof when),
			    r->stage[0] != '\0' ? r->stage : "(none)", r->to,
			    r->who, r->what);
	}
	fprintf(out, "\nIncidents\n");
	for (size_t i = 0; i < x->nrow; i++) {
		const struct journal_rollout	*r = &x->row[i].r;

		if (r->ev.kind != ROLLOUT_EV_INCIDENT)
			continue;
		fprintf(out, "  %s  %s: %s\n", rr_time(tz, r->time, when,
		    sizeof when), r->stage, r->what);
		incidents++;
	}
	if (incidents == 0)
		fprintf(out, "  none\n");
}

int
report_rollout(FILE *out, struct journal *j, const struct trades *tl,
    const int64_t *closed_seq, const struct tz *tz, struct errmsg *err)
{
	struct rr	 x;
	size_t		 n = tl != NULL ? trades_count(tl) : 0;
	int64_t		 before = 0;
	td_cents	 before_pnl = 0;
	int		 rc = -1;

	memset(&x, 0, sizeof x);
	if (journal_read_rollout(j, 0, 0, rr_on_row, &x, err) == -1)
		goto out;
	if (x.err.msg[0] != '\0') {
		errmsg_set(err, "%s", x.err.msg);
		goto out;
	}
	if (x.nrow == 0) {
		fprintf(out, "No rollout in this journal (rollout.stages, see "
		    "tickdesk.conf(5))\n");
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct trade	*t = trades_get(tl, i);
		int			 k = rr_at(&x, closed_seq[i]);

		if (k == -1) {
			before++;
			before_pnl += t->net;
			continue;
		}
		x.st[k].trades++;
		x.st[k].pnl += t->net;
	}
	rr_print(out, &x, before, before_pnl, tz);
	rc = 0;
out:
	free(x.st);
	free(x.row);
	return rc;
}
