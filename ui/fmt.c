/*
 * fmt.c -- formatting of money, quantities, ages and clocks for the panes.
 *
 * All integer: cents are split into dollars and cents with unsigned
 * arithmetic so that even INT64_MIN prints right.
 */
#include <stdint.h>
#include <stdio.h>

#include "fmt.h"
#include "tz.h"

static uint64_t
fmt_abs(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static char *
fmt_cents(char *buf, size_t len, td_cents c, const char *sign)
{
	uint64_t	 a = fmt_abs(c);

	snprintf(buf, len, "%s%llu.%02llu", sign,
	    (unsigned long long)(a / 100), (unsigned long long)(a % 100));
	return buf;
}

char *
fmt_pnl(char *buf, size_t len, td_cents c)
{
	return fmt_cents(buf, len, c, c > 0 ? "+" : c < 0 ? "-" : "");
}

char *
fmt_money(char *buf, size_t len, td_cents c)
{
	return fmt_cents(buf, len, c, c < 0 ? "-" : "");
}

char *
fmt_dollars(char *buf, size_t len, td_cents c)
{
	snprintf(buf, len, "%s%llu", c <= -100 ? "-" : "",
	    (unsigned long long)(fmt_abs(c) / 100));
	return buf;
}

char *
fmt_qty(char *buf, size_t len, int64_t q)
{
	snprintf(buf, len, "%s%llu", q > 0 ? "+" : q < 0 ? "-" : "",
	    (unsigned long long)fmt_abs(q));
	return buf;
}

char *
fmt_age(char *buf, size_t len, td_ns d)
{
	int64_t	 s;

	if (d < 0)
		d = 0;
	s = d / TD_NS_PER_SEC;
	if (s < 10)
		snprintf(buf, len, "%d.%ds", (int)s,
		    (int)(d % TD_NS_PER_SEC / (TD_NS_PER_SEC / 10)));
	else if (s < 60)
		snprintf(buf, len, "%ds", (int)s);
	else if (s < 3600)
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%dh%02dm", (int)(s / 3600),
		    (int)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldd", (long long)(s / 86400));
	return buf;
}

char *
fmt_speed(char *buf, size_t len, double speed)
{
	if (speed <= 0)
		snprintf(buf, len, "max");
	else if (speed == (double)(int64_t)speed && speed < 1e9)
		snprintf(buf, len, "x%lld", (long long)speed);
	else
		snprintf(buf, len, "x%g", speed);
	return buf;
}

char *
fmt_clock(char *buf, size_t len, const struct tz *tz, td_ns t,
    int with_date)
{
	struct tz_tm	 tm;
	int64_t		 days, sod;

	if (t == 0) {
		snprintf(buf, len, with_date ? "---------- --:--:--" :
		    "--:--:--");
		return buf;
	}
	if (tz != NULL)
		tz_to_local(tz, t, &tm);
	else {
		days = t / TD_NS_PER_DAY;
		sod = t % TD_NS_PER_DAY;
		if (sod < 0) {
			days--;
			sod += TD_NS_PER_DAY;
		}
		tz_civil_from_days(days, &tm.year, &tm.mon, &tm.mday);
		sod /= TD_NS_PER_SEC;
		tm.hour = (int)(sod / 3600);
		tm.min = (int)(sod % 3600 / 60);
		tm.sec = (int)(sod % 60);
	}
	if (with_date)
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.year,
		    tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.hour, tm.min, tm.sec);
	return buf;
}

int
fmt_ticks_like(char *buf, size_t len, td_ticks ticks, const char *ref,
    td_ticks ref_ticks)
{
	int64_t		 mant = 0, unit, scale = 1, v;
	uint64_t	 a;
	int		 decimals = 0, neg = 0, dot = 0, digits = 0;
	const char	*s = ref;
	char		 frac[24];

	if (len > 0)
		buf[0] = '\0';
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || ++digits > 17)
			return -1;
		mant = mant * 10 + (*s - '0');
		if (dot) {
			decimals++;
			scale *= 10;
		}
	}
	if (neg)
		mant = -mant;
	if (digits == 0 || ref_ticks == 0 || mant == 0 ||
	    mant % ref_ticks != 0)
		return -1;
	unit = mant / ref_ticks;	/* one tick in units of 10^-decimals */
	if (unit <= 0 || ticks > INT64_MAX / unit || ticks < INT64_MIN / unit)
		return -1;
	v = ticks * unit;
	a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (decimals == 0) {
		snprintf(buf, len, "%s%llu", v < 0 ? "-" : "",
		    (unsigned long long)a);
		return 0;
	}
	/* decimals is at most 17: the digits of the fraction by hand. */
	frac[decimals] = '\0';
	for (int i = decimals - 1, f = 0; i >= 0; i--, f++) {
		uint64_t	 p10 = 1;

		for (int k = 0; k < f; k++)
			p10 *= 10;
		frac[i] = (char)('0' + a % (uint64_t)scale / p10 % 10);
	}
	snprintf(buf, len, "%s%llu.%s", v < 0 ? "-" : "",
	    (unsigned long long)(a / (uint64_t)scale), frac);
	return 0;
}
