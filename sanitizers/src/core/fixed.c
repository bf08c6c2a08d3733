/*
 * fixed.c -- exact decimal parsing and printing of fixed point prices.
 *
 * Every price the engine reads from a file passes through fixed_parse, so
 * it is a plain byte loop: no locale, no strtod, no copy of the text.  The
 * integer part is limited so that the whole value fits td_px (about 9.2e9
 * points), which is far beyond any traded price.  Formatting is the
 * inverse and is used for messages, journals and the console.
 */
#include <string.h>

#include "fixed.h"

/* Largest integer part that still fits in td_px after scaling. */
#define FIXED_INT_MAX	(INT64_MAX / TD_PX_SCALE)

static const int64_t fixed_pow10[] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL,
};

int
fixed_parse(const char *s, size_t len, td_px *out)
{
	const char	*p = s, *end = s + len;
	uint64_t	 ip = 0, fp = 0;
	int		 neg = 0, ndig = 0, nfrac = 0;
	uint64_t	 v;

	if (p < end && (*p == '-' || *p == '+')) {
		neg = (*p == '-');
		p++;
	}
	while (p < end && (unsigned)(*p - '0') < 10) {
		ip = ip * 10 + (uint64_t)(*p - '0');
		if (ip > (uint64_t)FIXED_INT_MAX)
			return -1;
		ndig++;
		p++;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && (unsigned)(*p - '0') < 10) {
			if (nfrac == FIXED_DECIMALS)
				return -1;
			fp = fp * 10 + (uint64_t)(*p - '0');
			nfrac++;
			p++;
		}
		/* "5." is a cut field more often than a number. */
		if (nfrac == 0)
			return -1;
	}
	if (p != end || ndig + nfrac == 0)
		return -1;
	v = ip * (uint64_t)TD_PX_SCALE +
	    fp * (uint64_t)fixed_pow10[FIXED_DECIMALS - nfrac];
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? -(td_px)v : (td_px)v;
	return 0;
}

int
fixed_parse_int(const char *s, size_t len, int64_t *out)
{
	const char	*p = s, *end = s + len;
	uint64_t	 v = 0;
	int		 neg = 0;

	if (p < end && (*p == '-' || *p == '+')) {
		neg = (*p == '-');
		p++;
	}
	if (p == end)
		return -1;
	while (p < end) {
		unsigned d = (unsigned)(*p - '0');

		if (d >= 10 || v > ((uint64_t)INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		p++;
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

char *
fixed_format(td_px v, int decimals, char *buf, size_t len)
{
	char		 tmp[FIXED_FMT_MAX], *p = tmp + sizeof tmp;
	uint64_t	 mag, unit, ip, fp;
	int		 i, neg = v < 0;
	size_t		 n;

	if (len == 0)
		return buf;
	if (decimals < 0)
		decimals = 0;
	if (decimals > FIXED_DECIMALS)
		decimals = FIXED_DECIMALS;
	mag = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	unit = (uint64_t)fixed_pow10[FIXED_DECIMALS - decimals];
	mag = mag / unit + (mag % unit >= (unit + 1) / 2 && unit > 1);
	ip = mag / (uint64_t)fixed_pow10[decimals];
	fp = mag % (uint64_t)fixed_pow10[decimals];

	*--p = '\0';
	for (i = 0; i < decimals; i++) {
		*--p = (char)('0' + fp % 10);
		fp /= 10;
	}
	if (decimals > 0)
		*--p = '.';
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	if (neg && mag != 0)
		*--p = '-';

	n = (size_t)(tmp + sizeof tmp - p);	/* includes the NUL */
	if (n > len)
		n = len;
	memcpy(buf, p, n);
	buf[n - 1] = '\0';
	return buf;
}

int
fixed_decimals(td_px v)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int	 d = FIXED_DECIMALS;

	while (d > 0 && mag % 10 == 0) {
		mag /= 10;
		d--;
	}
	return d;
}
