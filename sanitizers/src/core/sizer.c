/*
 * sizer.c -- contracts for an entry from a fixed count or a risk budget.
 *
 * Called once per entry intent, between the strategy and the risk
 * manager; it reads the configuration and the instrument's tick value and
 * allocates nothing.  Every refusal says in dollars why, because the
 * trader reads it in the log pane and must see at once whether the stop or
 * the budget is to blame.
 */
#include <stdarg.h>
#include <stdio.h>

#include "instrument.h"
#include "sizer.h"

static void
sizer_why(char *why, size_t n, const char *fmt, ...)
{
	va_list	 ap;

	if (why == NULL || n == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

/*
 * "$1,250.00" (amounts here are never negative).  portfolio.c has the
 * signed version; a copy keeps the sizer free of other modules.
 */
static char *
sizer_dollars(td_cents c, char *buf, size_t len)
{
	char		 tmp[40], *p;
	uint64_t	 mag, whole;
	int		 k = 0;

	mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	whole = mag / 100;
	p = tmp + sizeof tmp - 1;
	*p = '\0';
	*--p = (char)('0' + mag % 10);
	*--p = (char)('0' + (mag / 10) % 10);
	*--p = '.';
	do {
		if (k > 0 && k % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + whole % 10);
		whole /= 10;
		k++;
	} while (whole != 0);
	*--p = '$';
	if (c < 0)
		*--p = '-';
	snprintf(buf, len, "%s", p);
	return buf;
}

int
sizer_qty(const struct sizer_cfg *cfg, const struct instrument *inst,
    int64_t stop_ticks, int64_t *qty, char *why, size_t n)
{
	char		 a[40], b[40];
	int64_t		 q, lo, hi;
	td_cents	 per;

	*qty = 0;
	if (why != NULL && n > 0)
		why[0] = '\0';
	lo = cfg->min_contracts > 0 ? cfg->min_contracts : 1;
	hi = cfg->max_contracts;
	if (hi > 0 && lo > hi) {
		sizer_why(why, n, "min contracts %lld above max contracts %lld",
		    (long long)lo, (long long)hi);
		return -1;
	}

	switch (cfg->method) {
	case SIZER_FIXED:
		if (cfg->contracts <= 0) {
			sizer_why(why, n, "fixed contracts %lld must be "
			    "positive", (long long)cfg->contracts);
			return -1;
		}
		*qty = cfg->contracts;
		return 0;
	case SIZER_RISK:
		break;
	default:
		sizer_why(why, n, "unknown sizing method %d", (int)cfg->method);
		return -1;
	}

	if (cfg->risk_per_trade <= 0) {
		sizer_why(why, n, "risk per trade must be positive");
		return -1;
	}
	if (stop_ticks <= 0) {
		sizer_why(why, n, "risk sizing needs a stop: stop %lld ticks",
		    (long long)stop_ticks);
		return -1;
	}
	if (inst->tick_value <= 0) {
		sizer_why(why, n, "%s: tick value must be positive",
		    inst->symbol);
		return -1;
	}

	/* A stop so wide that one contract overflows cannot fit any budget. */
	if (stop_ticks > INT64_MAX / inst->tick_value) {
		sizer_why(why, n, "risk 1 contract x %lld ticks exceeds %s per "
		    "trade", (long long)stop_ticks,
		    sizer_dollars(cfg->risk_per_trade, b, sizeof b));
		return 0;
	}
	per = stop_ticks * inst->tick_value;
	q = cfg->risk_per_trade / per;
	if (q == 0) {
		sizer_why(why, n, "risk 1 contract x %lld ticks = %s exceeds "
		    "%s per trade", (long long)stop_ticks,
		    sizer_dollars(per, a, sizeof a),
		    sizer_dollars(cfg->risk_per_trade, b, sizeof b));
		return 0;
	}
	if (q < lo) {
		sizer_why(why, n, "risk allows %lld contract%s x %lld ticks "
		    "within %s per trade, below min contracts %lld",
		    (long long)q, q == 1 ? "" : "s", (long long)stop_ticks,
		    sizer_dollars(cfg->risk_per_trade, b, sizeof b),
		    (long long)lo);
		return 0;
	}
	if (hi > 0 && q > hi)
		q = hi;
	*qty = q;
	return 0;
}
