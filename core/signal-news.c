/*
 * signal-news.c -- headlines from JSON lines (see signal-news.h).  A
 * small reader of the one shape a line may have: an object whose values
 * are strings, numbers, booleans, null, arrays or objects, of which
 * time, source, symbols and text are kept.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "signal-news.h"
#include "tz.h"

#define NEWS_DEPTH_MAX	16

struct news_file {
	FILE		*f;
	char		*path;
	long		 line;
	long		 count;
	td_ns		 last;
	char		 buf[NEWS_LINE_MAX + 2];
};

/* A parse: where it is and what went wrong. */
struct np {
	const char	*s;
	char		*why;
	size_t		 len;
};

static int
np_fail(struct np *p, const char *what)
{
	snprintf(p->why, p->len, "%s", what);
	return -1;
}

static void
np_space(struct np *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\r' ||
	    *p->s == '\n')
		p->s++;
}

/* The UTF-8 of code point c into out (room for 4). */
static size_t
np_utf8(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | c >> 12);
	out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[2] = (char)(0x80 | (c & 0x3f));
	return 3;
}

/* A \uXXXX escape's value; -1 when the four digits are not there. */
static long
np_hex4(const char *s)
{
	char	 d[5];
	char	*end;
	long	 v;

	for (int i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		d[i] = s[i];
	}
	d[4] = '\0';
	v = strtol(d, &end, 16);
	return v;
}

/* A string into out (len bytes; NULL: skipped); too long is an error. */
static int
np_string(struct np *p, char *out, size_t len, const char *what)
{
	size_t		 n = 0, k;
	char		 c[4];
	long		 u;

	if (*p->s != '"')
		return np_fail(p, "a string was expected");
	for (p->s++; *p->s != '"'; p->s++) {
		if (*p->s == '\0' || (unsigned char)*p->s < 0x20)
			return np_fail(p, "a string does not end");
		k = 1;
		c[0] = *p->s;
		if (*p->s == '\\') {
			switch (*++p->s) {
			case '"': case '\\': case '/': c[0] = *p->s; break;
			case 'b': c[0] = '\b'; break;
			case 'f': c[0] = '\f'; break;
			case 'n': c[0] = '\n'; break;
			case 'r': c[0] = '\r'; break;
			case 't': c[0] = '\t'; break;
			case 'u':
				if ((u = np_hex4(p->s + 1)) < 0)
					return np_fail(p, "a bad \\u escape");
				k = np_utf8((unsigned)u, c);
				p->s += 4;
				break;
			default:
				return np_fail(p, "a bad escape in a string");
			}
		}
		if (out != NULL && n + k >= len) {
			snprintf(p->why, p->len, "%s longer than %zu bytes",
			    what, len - 1);
			return -1;
		}
		if (out != NULL)
			memcpy(out + n, c, k);
		n += k;
	}
	p->s++;
	if (out != NULL)
		out[n] = '\0';
	return 0;
}

static int	np_skip(struct np *p, int depth);

/* An array or object skipped, its elements too. */
static int
np_skip_list(struct np *p, int depth)
{
	char	 end = *p->s == '[' ? ']' : '}';

	if (depth > NEWS_DEPTH_MAX)
		return np_fail(p, "values nested too deep");
	p->s++;
	np_space(p);
	if (*p->s == end) {
		p->s++;
		return 0;
	}
	for (;;) {
		if (end == '}') {
			if (np_string(p, NULL, 0, "a key") == -1)
				return -1;
			np_space(p);
			if (*p->s++ != ':')
				return np_fail(p, "':' was expected");
			np_space(p);
		}
		if (np_skip(p, depth + 1) == -1)
			return -1;
		np_space(p);
		if (*p->s == end) {
			p->s++;
			return 0;
		}
		if (*p->s++ != ',')
			return np_fail(p, "',' was expected");
		np_space(p);
	}
}

/* Any value, skipped. */
static int
np_skip(struct np *p, int depth)
{
	const char	*words[] = { "true", "false", "null" };
	char		*end;

	if (*p->s == '"')
		return np_string(p, NULL, 0, "a value");
	if (*p->s == '[' || *p->s == '{')
		return np_skip_list(p, depth);
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strncmp(p->s, words[i], strlen(words[i])) == 0) {
			p->s += strlen(words[i]);
			return 0;
		}
	}
	errno = 0;
	(void)strtod(p->s, &end);
	if (end == p->s || errno != 0)
		return np_fail(p, "a value was expected");
	p->s = end;
	return 0;
}

/* Two digits at s into *v, and a range; false when not. */
static bool
np_2(const char *s, int lo, int hi, int *v)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return false;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return *v >= lo && *v <= hi;
}

/* "2024-03-12T13:31:05[.fff]Z" or "...+HH:MM": UTC nanoseconds. */
static int
np_time(const char *t, td_ns *out)
{
	int	 cy, y, mo, d, h, mi, s, oh, om, sign;
	int64_t	 frac = 0, unit = TD_NS_PER_SEC / 10;

	if (strlen(t) < 20 || !np_2(t, 0, 99, &cy) || !np_2(t + 2, 0, 99, &y) ||
	    t[4] != '-' || !np_2(t + 5, 1, 12, &mo) || t[7] != '-' ||
	    !np_2(t + 8, 1, 31, &d) || (t[10] != 'T' && t[10] != ' ') ||
	    !np_2(t + 11, 0, 23, &h) || t[13] != ':' ||
	    !np_2(t + 14, 0, 59, &mi) || t[16] != ':' ||
	    !np_2(t + 17, 0, 60, &s))
		return -1;
	y += cy * 100;
	t += 19;
	if (*t == '.') {
		for (t++; isdigit((unsigned char)*t); t++) {
			frac += (*t - '0') * unit;
			unit /= 10;
		}
	}
	if (*t == 'Z' && t[1] == '\0')
		oh = om = 0, sign = 1;
	else if ((*t == '+' || *t == '-') && np_2(t + 1, 0, 23, &oh) &&
	    t[3] == ':' && np_2(t + 4, 0, 59, &om) && t[6] == '\0')
		sign = *t == '-' ? -1 : 1;
	else
		return -1;
	*out = ((tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    s) - sign * (oh * 3600 + om * 60)) * TD_NS_PER_SEC + frac;
	return 0;
}

/* The symbols array. */
static int
np_symbols(struct np *p, struct news_item *it)
{
	if (*p->s == 'n' && strncmp(p->s, "null", 4) == 0) {
		p->s += 4;
		return 0;
	}
	if (*p->s++ != '[')
		return np_fail(p, "symbols: an array of strings was expected");
	np_space(p);
	if (*p->s == ']') {
		p->s++;
		return 0;
	}
	for (;;) {
		if (it->nsymbols == NEWS_MAX_SYMBOLS)
			return np_fail(p, "symbols: more than 8");
		if (np_string(p, it->symbols[it->nsymbols],
		    sizeof it->symbols[0], "a symbol") == -1)
			return -1;
		if (it->symbols[it->nsymbols++][0] == '\0')
			return np_fail(p, "symbols: an empty symbol");
		np_space(p);
		if (*p->s == ']') {
			p->s++;
			return 0;
		}
		if (*p->s++ != ',')
			return np_fail(p, "symbols: ',' was expected");
		np_space(p);
	}
}

/* The value of key into it; bits says which of the kept keys came. */
static int
np_member(struct np *p, const char *key, struct news_item *it, int *bits)
{
	char	 t[64];

	if (strcmp(key, "time") == 0) {
		*bits |= 1;
		if (np_string(p, t, sizeof t, "time") == -1)
			return -1;
		if (np_time(t, &it->time) == -1) {
			snprintf(p->why, p->len, "time '%s' is not ISO 8601 "
			    "(2024-03-12T13:31:05Z)", t);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "source") == 0)
		return np_string(p, it->source, sizeof it->source, "source");
	if (strcmp(key, "symbols") == 0)
		return np_symbols(p, it);
	if (strcmp(key, "text") == 0) {
		*bits |= 2;
		return np_string(p, it->text, sizeof it->text, "text");
	}
	return np_skip(p, 1);
}

int
news_parse(const char *line, struct news_item *it, char *why, size_t len)
{
	struct np	 p = { .s = line, .why = why, .len = len };
	char		 key[64];
	int		 bits = 0;

	memset(it, 0, sizeof *it);
	np_space(&p);
	if (*p.s++ != '{')
		return np_fail(&p, "a JSON object was expected");
	np_space(&p);
	while (*p.s != '}') {
		if (np_string(&p, key, sizeof key, "a key") == -1)
			return -1;
		np_space(&p);
		if (*p.s++ != ':')
			return np_fail(&p, "':' was expected");
		np_space(&p);
		if (np_member(&p, key, it, &bits) == -1)
			return -1;
		np_space(&p);
		if (*p.s == ',') {
			p.s++;
			np_space(&p);
		} else if (*p.s != '}')
			return np_fail(&p, "',' or '}' was expected");
	}
	p.s++;
	np_space(&p);
	if (*p.s != '\0')
		return np_fail(&p, "something after the object");
	if ((bits & 1) == 0)
		return np_fail(&p, "no time");
	if ((bits & 2) == 0)
		return np_fail(&p, "no text");
	return 0;
}

struct news_file *
news_open(const char *path, struct errmsg *err)
{
	struct news_file	*nf = calloc(1, sizeof *nf);

	if (nf == NULL || (nf->path = strdup(path)) == NULL) {
		free(nf);
		errmsg_set(err, "out of memory");
		return NULL;
	}
	if ((nf->f = fopen(path, "r")) == NULL) {
		errmsg_set(err, "%s: %s", path, strerror(errno));
		news_close(nf);
		return NULL;
	}
	return nf;
}

void
news_close(struct news_file *nf)
{
	if (nf == NULL)
		return;
	if (nf->f != NULL)
		fclose(nf->f);
	free(nf->path);
	free(nf);
}

int
news_next(struct news_file *nf, struct news_item *it, struct errmsg *err)
{
	char	 why[160];
	size_t	 n;

	while (fgets(nf->buf, sizeof nf->buf, nf->f) != NULL) {
		nf->line++;
		n = strlen(nf->buf);
		if (n > NEWS_LINE_MAX || (n > 0 && nf->buf[n - 1] != '\n' &&
		    !feof(nf->f)))
			return errmsg_set(err, "%s:%ld: longer than %d bytes",
			    nf->path, nf->line, NEWS_LINE_MAX);
		if (nf->buf[strspn(nf->buf, " \t\r\n")] == '\0' ||
		    nf->buf[0] == '#')
			continue;
		if (news_parse(nf->buf, it, why, sizeof why) == -1)
			return errmsg_set(err, "%s:%ld: %s", nf->path,
			    nf->line, why);
		if (it->time < nf->last)
			return errmsg_set(err, "%s:%ld: earlier than the "
			    "headline before it", nf->path, nf->line);
		nf->last = it->time;
		nf->count++;
		return 1;
	}
	if (ferror(nf->f))
		return errmsg_set(err, "%s: %s", nf->path, strerror(errno));
	return 0;
}

long
news_lines(const struct news_file *nf)
{
	return nf->line;
}

long
news_count(const struct news_file *nf)
{
	return nf->count;
}
