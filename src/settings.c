/*
 * settings.c -- loading, checking and printing tickdesk.cfg.
 *
 * The loader reads the file with libconfig, then walks what it found (not
 * the table), so that every setting is either matched to its row in
 * settings-table.c or reported as unknown.  Each value is turned into text
 * and parsed by the same code that parses the table's defaults: a default
 * and a value from the file can never be read differently.  Numbers with
 * decimals (money, prices) come out of libconfig as doubles; the shortest
 * decimal text that gives back the same double is what the user wrote, and
 * that text is parsed exactly (fixed.h), so 0.62 is 62 cents and 1.005 is
 * refused rather than rounded.
 *
 * Problems do not stop the walk: each one is kept as "FILE:LINE: KEY:
 * problem" and the load fails at the end, with all of them in the
 * caller's buffer in the order of the file, so a user fixes a whole file
 * in one go.  Checks between keys (a strategy's symbol, min against max,
 * keys that must be given) come after the walk.
 *
 * An environment is a second file walked into the same struct after the
 * first (libconfig refuses a group given twice, so the files are never
 * merged as text): a scalar it gives replaces the one before, a group
 * only the keys it names, and a list is emptied before its elements are
 * read, so it replaces the list before whole.  Each setting keeps its own
 * file and line for messages; checks between keys run once, on what is in
 * effect, and look a key up in the environment first (settings_where).
 *
 * A secret key holds a reference ("env:NAME", "file:PATH"), checked at
 * load by reading the value into a scratch buffer that is wiped at once;
 * the value lives only in the buffer of whoever calls settings_secret.
 *
 * Nothing here is global: the parsing locale is switched for this thread
 * only (uselocale), since libconfig reads floats with strtod.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include "calendar.h"
#include "errmsg.h"
#include "fixed.h"
#include "opt-space.h"
#include "settings.h"
#include "xdg.h"
#include "strat-param.h"
#include "strat-plugin.h"
#include "strat-registry.h"
#include "strategy.h"
#include "suggest.h"
#include "tz.h"

#ifndef TD_SYSCONFDIR
#define TD_SYSCONFDIR	"/usr/local/etc"
#endif
/* The last place settings_path looks. */
#define SETTINGS_INSTALLED	TD_SYSCONFDIR "/tickdesk/tickdesk.cfg"

#define SETTINGS_PATH_MAX	256	/* a key path with its indexes */
#define SETTINGS_WHY_MAX	256	/* one problem */
#define SETTINGS_LINE_MAX	1536	/* one line of the error report */
#define SETTINGS_CENTS		10000000LL	/* td_px units per cent */

/* Files a load may report problems in (main and @included). */
#define SETTINGS_FILES_MAX	32
/*
 * The size of a configuration file and of one of its lines, at most:
 * hundreds of times those of the largest sample, and parsed in
 * milliseconds (see settings_check_text).
 */
#define SETTINGS_FILE_MAX	(1024 * 1024)
#define SETTINGS_TEXT_LINE_MAX	16384
#define SETTINGS_INCLUDE_DEPTH	10	/* libconfig's own limit */

/* One problem found, to be reported in file and line order. */
struct settings_problem {
	char		*text;
	int		 file;		/* index in ctx->files */
	unsigned	 line;
	int		 seq;
};

/* The files of one load: the base file, then the environment's. */
#define SETTINGS_LAYERS		2

/* One load in progress. */
struct settings_ctx {
	const char		*path;		/* the base file */
	struct settings		*s;

	/* Each file read, its directory ("" for .) and its settings. */
	const char		*main[SETTINGS_LAYERS];
	char			 dir[SETTINGS_LAYERS][SETTINGS_SOURCE_MAX];
	config_t		 layer[SETTINGS_LAYERS];
	config_t		*cf[SETTINGS_LAYERS];	/* NULL: unread */
	int			 nlayers;
	int			 cur;		/* the file being read */
	char			 envs[256];	/* for a missing one */

	char			*errors;
	size_t			 len;
	int			 nerr;
	struct settings_problem	*prob;
	int			 nprob;
	int			 aprob;
	int			 dropped;	/* no memory to keep them */
	char			*files[SETTINGS_FILES_MAX];
	int			 nfiles;

	/* The elements of each list and their parameters, for checks
	 * across keys after the walk.  NULL where nothing loaded. */
	config_setting_t	*inst[ENGINE_MAX_INST];
	config_setting_t	*cal[ENGINE_MAX_CAL];
	config_setting_t	*strat[ENGINE_MAX_STRAT];
	config_setting_t	*params[ENGINE_MAX_STRAT];
	config_setting_t	*atm[ENGINE_MAX_ATM];
	config_setting_t	*model[SETTINGS_MAX_MODELS];
	config_setting_t	*filter[ENGINE_MAX_FILTERS];
	config_setting_t	*stage[ROLLOUT_MAX_STAGES];
	bool			 cal_ok[ENGINE_MAX_CAL];
	bool			 strat_ok[ENGINE_MAX_STRAT];
	const struct strategy_ops *ops[ENGINE_MAX_STRAT];
	/* The built-ins and the plug-ins of the list being read; NULL
	 * until one names a plug-in. */
	struct strat_registry	*reg;
};

static void	settings_walk_group(struct settings_ctx *,
		    const config_setting_t *, const char *, const char *,
		    int);
static const config_setting_t *settings_member(const config_setting_t *,
		    const char *);

/*
 * snprintf that may cut its output: key paths and file names are short,
 * and a cut message is better than none.
 */
static void
settings_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
settings_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* The strategy type of that name among those a configuration may use. */
static const struct strategy_ops *
settings_strategy(const char *type)
{
	return strat_registry_find(strat_registry_builtin(), type);
}

/*
 * The table of strategy idx of s: a built-in, or its plug-in's in the
 * registry s->strategies points at (settings_strategies); NULL
 * when there is none.
 */
static const struct strategy_ops *
settings_ops(const struct settings *s, int idx)
{
	const char	*type = s->engine.strat[idx].type;

	if (s->strat_plugin[idx][0] == '\0')
		return settings_strategy(type);
	if (s->strategies == NULL)
		return NULL;
	return strat_registry_find(s->strategies, type);
}

/* Error reporting. */

/* Which file of the load a setting belongs to (its root's); cur if none. */
static int
settings_layer(const struct settings_ctx *ctx, const config_setting_t *m)
{
	if (m == NULL)
		return ctx->cur;
	while (config_setting_parent(m) != NULL)
		m = config_setting_parent(m);
	for (int k = 0; k < ctx->nlayers; k++) {
		if (ctx->cf[k] != NULL && config_root_setting(ctx->cf[k]) == m)
			return k;
	}
	return ctx->cur;
}

/*
 * The name of the file setting m came from (NULL: the file being read), as
 * the user would open it.
 */
static void
settings_file(const struct settings_ctx *ctx, const config_setting_t *m,
    char *buf, size_t len)
{
	int		 k = settings_layer(ctx, m);
	const char	*file;

	file = m != NULL ? config_setting_source_file(m) : NULL;

	if (file == NULL)
		file = ctx->main[k];
	/* libconfig names included files as written in @include. */
	if (strcmp(file, ctx->main[k]) != 0 && file[0] != '/' &&
	    ctx->dir[k][0] != '\0')
		settings_fmt(buf, len, "%s/%s", ctx->dir[k], file);
	else
		snprintf(buf, len, "%s", file);
}

/*
 * Keep one problem; they are written out sorted by file and line when the
 * load ends, so the report reads in the order of the file whatever order
 * the checks ran in.
 */
static void
settings_add(struct settings_ctx *ctx, const char *file, unsigned line,
    const char *text)
{
	struct settings_problem	*p;
	int			 f;

	ctx->nerr++;
	for (f = 0; f < ctx->nfiles; f++) {
		if (strcmp(ctx->files[f], file) == 0)
			break;
	}
	if (f == ctx->nfiles && f < SETTINGS_FILES_MAX &&
	    (ctx->files[f] = strdup(file)) != NULL)
		ctx->nfiles++;
	if (ctx->nprob == ctx->aprob) {
		int	 n = ctx->aprob > 0 ? ctx->aprob * 2 : 32;

		p = reallocarray(ctx->prob, (size_t)n, sizeof *p);
		if (p == NULL) {
			ctx->dropped++;
			return;
		}
		ctx->prob = p;
		ctx->aprob = n;
	}
	p = &ctx->prob[ctx->nprob];
	if ((p->text = strdup(text)) == NULL) {
		ctx->dropped++;
		return;
	}
	p->file = f;
	p->line = line;
	p->seq = ctx->nprob++;
}

/*
 * "FILE:LINE: KEY: problem" for a problem found at setting where (NULL or
 * the root: no line) with the key shown as key (NULL: none).
 */
static void
settings_error(struct settings_ctx *ctx, const config_setting_t *where,
    const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void
settings_error(struct settings_ctx *ctx, const config_setting_t *where,
    const char *key, const char *fmt, ...)
{
	char		 file[SETTINGS_SOURCE_MAX], why[SETTINGS_WHY_MAX];
	char		 line[SETTINGS_LINE_MAX], at[32] = "";
	unsigned	 n = 0;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	settings_file(ctx, where, file, sizeof file);
	if (where != NULL && (n = config_setting_source_line(where)) > 0)
		snprintf(at, sizeof at, ":%u", n);
	if (key != NULL)
		settings_fmt(line, sizeof line, "%s%s: %s: %s", file, at, key,
		    why);
	else
		settings_fmt(line, sizeof line, "%s%s: %s", file, at, why);
	settings_add(ctx, file, n, line);
}

static int
settings_problem_cmp(const void *a, const void *b)
{
	const struct settings_problem	*x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write the problems into the caller's buffer, then free them. */
static void
settings_errors_finish(struct settings_ctx *ctx)
{
	char	 tail[64];
	size_t	 used = 0, n;
	int	 i, left;

	/* No problems: no array either, and qsort wants one. */
	if (ctx->nprob > 0)
		qsort(ctx->prob, (size_t)ctx->nprob, sizeof *ctx->prob,
		    settings_problem_cmp);
	for (i = 0; i < ctx->nprob && ctx->errors != NULL; i++) {
		n = strlen(ctx->prob[i].text);
		/* Keep room for the count of what does not fit. */
		left = ctx->nprob - i - 1 + ctx->dropped;
		if (used + n + 2 + (left > 0 ? sizeof tail : 0) > ctx->len)
			break;
		memcpy(ctx->errors + used, ctx->prob[i].text, n);
		used += n;
		ctx->errors[used++] = '\n';
		ctx->errors[used] = '\0';
	}
	left = ctx->nprob - i + ctx->dropped;
	if (left > 0 && ctx->errors != NULL && ctx->len > used) {
		snprintf(tail, sizeof tail, "... %d more error%s\n", left,
		    left == 1 ? "" : "s");
		snprintf(ctx->errors + used, ctx->len - used, "%s", tail);
	}
	for (i = 0; i < ctx->nprob; i++)
		free(ctx->prob[i].text);
	free(ctx->prob);
	for (i = 0; i < ctx->nfiles; i++)
		free(ctx->files[i]);
}

/* Text of values: parsing (defaults and file alike) and printing. */

/* "HH:MM" into minutes; end allows 24:00 (the end of a range). */
static int
settings_parse_hhmm(const char *p, bool end, int *out)
{
	int	 h, m;

	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' ||
	    p[2] != ':' || p[3] < '0' || p[3] > '9' || p[4] < '0' ||
	    p[4] > '9')
		return -1;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (!end || m != 0)))
		return -1;
	*out = h * 60 + m;
	return 0;
}

/* "YYYY-MM-DD" into yyyymmdd, a real date of 1900..2261. */
static int
settings_parse_date(const char *p, int32_t *out)
{
	int	 y = 0, mo, d;

	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		y = y * 10 + (p[i] - '0');
	}
	if (p[4] != '-' || p[5] < '0' || p[5] > '9' || p[6] < '0' ||
	    p[6] > '9' || p[7] != '-' || p[8] < '0' || p[8] > '9' ||
	    p[9] < '0' || p[9] > '9')
		return -1;
	mo = (p[5] - '0') * 10 + (p[6] - '0');
	d = (p[8] - '0') * 10 + (p[9] - '0');
	if (y < 1900 || y > 2261 || mo < 1 || mo > 12 || d < 1 ||
	    d > tz_month_days(y, mo))
		return -1;
	*out = y * 10000 + mo * 100 + d;
	return 0;
}

static void
settings_format_date(int32_t ymd, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", (int)(ymd / 10000),
	    (int)(ymd / 100 % 100), (int)(ymd % 100));
}

/* Cents as dollars: "1000.00", "-0.50". */
static char *
settings_format_money(td_cents c, char *buf, size_t len)
{
	uint64_t mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;

	snprintf(buf, len, "%s%llu.%02llu", c < 0 ? "-" : "",
	    (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
	return buf;
}

/* The same in messages: whole dollars without decimals ("must be >= 0"). */
static char *
settings_format_bound(const struct settings_key *key, int64_t v, char *buf,
    size_t len)
{
	if (key->type == SETTINGS_MONEY && v % 100 != 0)
		return settings_format_money(v, buf, len);
	if (key->type == SETTINGS_MONEY)
		snprintf(buf, len, "%lld", (long long)(v / 100));
	else if (key->type == SETTINGS_PRICE)
		fixed_format(v, fixed_decimals(v), buf, len);
	else
		snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

static int
settings_check_range(const struct settings_key *key, int64_t v, char *why,
    size_t n)
{
	char	 b[FIXED_FMT_MAX];

	if (v < key->min) {
		snprintf(why, n, "must be >= %s",
		    settings_format_bound(key, key->min, b, sizeof b));
		return -1;
	}
	if (v > key->max) {
		snprintf(why, n, "must be <= %s",
		    settings_format_bound(key, key->max, b, sizeof b));
		return -1;
	}
	return 0;
}

/* The value of a number of a row, from its text; range checked. */
static int
settings_parse_number(const struct settings_key *key, const char *text,
    int64_t *out, char *why, size_t n)
{
	td_px	 px;
	size_t	 len = strlen(text);

	switch (key->type) {
	case SETTINGS_INT:
		if (fixed_parse_int(text, len, out) == -1) {
			snprintf(why, n, "must be an integer");
			return -1;
		}
		break;
	case SETTINGS_MONEY:
		if (fixed_parse(text, len, &px) == -1) {
			snprintf(why, n, "'%s' is not an amount in dollars "
			    "with at most 2 decimals", text);
			return -1;
		}
		if (px % SETTINGS_CENTS != 0) {
			snprintf(why, n, "%s: at most 2 decimals", text);
			return -1;
		}
		*out = px / SETTINGS_CENTS;
		break;
	case SETTINGS_PRICE:
		if (fixed_parse(text, len, &px) == -1) {
			snprintf(why, n, "'%s' is not a price with at most %d "
			    "decimals", text, FIXED_DECIMALS);
			return -1;
		}
		*out = px;
		break;
	default:
		snprintf(why, n, "not a number");
		return -1;
	}
	return settings_check_range(key, *out, why, n);
}

/* Where a row of element idx lives in s. */
static void *
settings_base(struct settings *s, const struct settings_key *key, int idx)
{
	switch (key->base) {
	case SETTINGS_BASE_ROOT:
		return (char *)s + key->offset;
	case SETTINGS_BASE_INST:
		return (char *)&s->engine.inst[idx] + key->offset;
	case SETTINGS_BASE_CAL:
		return (char *)&s->engine.cal[idx] + key->offset;
	case SETTINGS_BASE_STRAT:
		return (char *)&s->engine.strat[idx] + key->offset;
	case SETTINGS_BASE_INST_SESSION:
		return s->inst_session[idx];
	case SETTINGS_BASE_STRAT_PLUGIN:
		return s->strat_plugin[idx];
	case SETTINGS_BASE_ATM:
		return (char *)&s->engine.atm[idx] + key->offset;
	case SETTINGS_BASE_MODEL:
		return (char *)&s->models[idx] + key->offset;
	case SETTINGS_BASE_FILTER:
		return (char *)&s->engine.filter[idx] + key->offset;
	case SETTINGS_BASE_STAGE:
		return (char *)&s->engine.rollout.stage[idx] + key->offset;
	case SETTINGS_BASE_NONE:
		break;
	}
	return NULL;
}

static const void *
settings_cbase(const struct settings *s, const struct settings_key *key,
    int idx)
{
	return settings_base((struct settings *)s, key, idx);
}

/* The start of the element of idx for a row stored at offset off. */
static char *
settings_elem(void *field, const struct settings_key *key, size_t off)
{
	return (char *)field - key->offset + off;
}

static void
settings_store_int(void *p, size_t size, int64_t v)
{
	if (size == sizeof(int64_t))
		memcpy(p, &v, sizeof v);
	else {
		int	 i = (int)v;

		memcpy(p, &i, sizeof i);
	}
}

static int64_t
settings_load_int(const void *p, size_t size)
{
	int64_t	 v;
	int	 i;

	if (size == sizeof(int64_t)) {
		memcpy(&v, p, sizeof v);
		return v;
	}
	memcpy(&i, p, sizeof i);
	return i;
}

/* Secrets. */

static bool
settings_env_var_name(const char *name)
{
	if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' &&
	    *name <= 'z') || *name == '_'))
		return false;
	for (; *name != '\0'; name++) {
		if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' &&
		    *name <= 'z') || (*name >= '0' && *name <= '9') ||
		    *name == '_'))
			return false;
	}
	return true;
}

/* The whole of a private regular file, one final newline removed. */
static int
settings_secret_file(const char *path, char *buf, size_t len,
    struct errmsg *err)
{
	struct stat	 st;
	size_t		 used = 0;
	ssize_t		 n;
	int		 fd;

	if (*path == '\0')
		return errmsg_set(err, "file: without a path");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1)
		return errmsg_set(err, "%s: %s", path, strerror(errno));
	/* The mode of what was opened, not of what the name says now. */
	if (fstat(fd, &st) == -1) {
		errmsg_set(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errmsg_set(err, "%s: not a regular file", path);
		goto fail;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		errmsg_set(err, "%s: group or others may read it (mode %04o): "
		    "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	for (;;) {
		if (used == len) {
			errmsg_set(err, "%s: longer than %zu bytes", path,
			    len > 0 ? len - 1 : 0);
			goto fail;
		}
		if ((n = read(fd, buf + used, len - used)) == -1) {
			if (errno == EINTR)
				continue;
			errmsg_set(err, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (used > 0 && buf[used - 1] == '\n')
		used--;
	if (used > 0 && buf[used - 1] == '\r')
		used--;
	buf[used] = '\0';
	if (used == 0)
		return errmsg_set(err, "%s: empty", path);
	return 1;

fail:
	close(fd);
	explicit_bzero(buf, len);
	if (len > 0)
		buf[0] = '\0';
	return -1;
}

int
settings_secret_ref(const char *ref, char *buf, size_t len,
    struct errmsg *err)
{
	const char	*v;
	size_t		 n;

	if (len == 0)
		return errmsg_set(err, "no room for a secret");
	buf[0] = '\0';
	if (*ref == '\0')
		return 0;
	if (strncmp(ref, "file:", 5) == 0)
		return settings_secret_file(ref + 5, buf, len, err);
	if (strncmp(ref, "env:", 4) != 0)
		return errmsg_set(err, "must be \"env:NAME\" or \"file:PATH\", "
		    "never the secret itself");
	if (!settings_env_var_name(ref + 4))
		return errmsg_set(err, "env:%.64s: not the name of an "
		    "environment variable", ref + 4);
	if ((v = getenv(ref + 4)) == NULL || *v == '\0')
		return errmsg_set(err, "environment variable %s is not set",
		    ref + 4);
	if ((n = strlen(v)) >= len)
		return errmsg_set(err, "environment variable %s: longer than "
		    "%zu bytes", ref + 4, len - 1);
	memcpy(buf, v, n + 1);
	return 1;
}

/* At load: a reference that can be read now; the value is forgotten. */
static int
settings_secret_check(const char *text, char *why, size_t n)
{
	struct errmsg	 err;
	char		*value;
	int		 rc;

	if (strncmp(text, "env:", 4) != 0 && strncmp(text, "file:", 5) != 0) {
		snprintf(why, n, "must be \"env:NAME\" or \"file:PATH\", "
		    "never the secret itself");
		return -1;
	}
	if ((value = malloc(SETTINGS_SECRET_VALUE_MAX)) == NULL) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	rc = settings_secret_ref(text, value, SETTINGS_SECRET_VALUE_MAX,
	    &err);
	explicit_bzero(value, SETTINGS_SECRET_VALUE_MAX);
	free(value);
	if (rc == -1) {
		settings_fmt(why, n, "%s", err.msg);
		return -1;
	}
	return 0;
}

/*
 * Parse the text of a scalar row and store it at field.  Lists of dates
 * are done element by element elsewhere; here their text can only be the
 * empty default.  -1 with the problem in why.
 */
static int
settings_parse(const struct settings_key *key, const char *text, void *field,
    char *why, size_t n)
{
	struct errmsg	 err;
	struct tz	*tz;
	char		 names[128];
	int64_t		 v;
	int		 a, b;
	size_t		 len = strlen(text);

	switch (key->type) {
	case SETTINGS_INT:
	case SETTINGS_MONEY:
	case SETTINGS_PRICE:
		if (settings_parse_number(key, text, &v, why, n) == -1)
			return -1;
		settings_store_int(field, key->size,
		    key->scale > 1 ? v * key->scale : v);
		return 0;
	case SETTINGS_BOOL:
		if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
			snprintf(why, n, "must be true or false");
			return -1;
		}
		*(bool *)field = strcmp(text, "true") == 0;
		return 0;
	case SETTINGS_STRING:
	case SETTINGS_ZONE:
	case SETTINGS_STRATEGY:
		if ((int64_t)len < key->min) {
			snprintf(why, n, "must not be empty");
			return -1;
		}
		if ((int64_t)len > key->max) {
			snprintf(why, n, "longer than %lld characters",
			    (long long)key->max);
			return -1;
		}
		if (key->type == SETTINGS_ZONE && len > 0) {
			if ((tz = tz_load(text, &err)) == NULL) {
				settings_fmt(why, n, "%s", err.msg);
				return -1;
			}
			tz_free(tz);
		}
		/* A strategy's type is looked up with its plugin's. */
		memcpy(field, text, len + 1);
		return 0;
	case SETTINGS_ENUM:
		for (int i = 0; key->names[i] != NULL; i++) {
			if (strcmp(key->names[i], text) == 0) {
				settings_store_int(field, key->size, i);
				return 0;
			}
		}
		snprintf(why, n, "unknown value '%s' (one of %s)", text,
		    settings_key_range(key, names, sizeof names));
		return -1;
	case SETTINGS_TIME:
		if (len != 5 || settings_parse_hhmm(text, false, &a) == -1) {
			snprintf(why, n, "'%s' is not a time HH:MM", text);
			return -1;
		}
		settings_store_int(field, key->size, a);
		return 0;
	case SETTINGS_RANGE:
		if (len != 11 || text[5] != '-' ||
		    settings_parse_hhmm(text, false, &a) == -1 ||
		    settings_parse_hhmm(text + 6, true, &b) == -1) {
			snprintf(why, n, "'%s' is not a time range "
			    "HH:MM-HH:MM", text);
			return -1;
		}
		settings_store_int(field, key->size, a);
		settings_store_int(settings_elem(field, key, key->offset2),
		    key->size, b);
		return 0;
	case SETTINGS_WORDS:
		if (len != 0) {
			snprintf(why, n, "must be a list of words");
			return -1;
		}
		if (key->names != NULL)
			settings_store_int(field, sizeof(unsigned), 0);
		else
			settings_store_int(settings_elem(field, key,
			    key->offset2), sizeof(int), 0);
		return 0;
	case SETTINGS_DATES:
	case SETTINGS_CLOSES:
		if (len != 0) {
			snprintf(why, n, "must be a list of dates");
			return -1;
		}
		settings_store_int(settings_elem(field, key, key->offset2),
		    sizeof(int), 0);
		return 0;
	case SETTINGS_SECRET:
		if ((int64_t)len > key->max) {
			snprintf(why, n, "longer than %lld characters",
			    (long long)key->max);
			return -1;
		}
		/* Empty: no secret.  Never echo the text: it may be one. */
		if (len > 0 && settings_secret_check(text, why, n) == -1)
			return -1;
		memcpy(field, text, len + 1);
		return 0;
	case SETTINGS_PARAMS:	/* defaults come from the strategy */
	case SETTINGS_GROUP:
	case SETTINGS_LIST:
		return 0;
	}
	return 0;
}

/* Apply the table's defaults to the rows under prefix (for element idx). */
static void
settings_defaults_under(struct settings *s, const char *prefix, int idx)
{
	const struct settings_key	*key;
	size_t				 plen = strlen(prefix);
	char				 why[SETTINGS_WHY_MAX];
	void				*field;

	for (key = settings_table(); key->path != NULL; key++) {
		if (strncmp(key->path, prefix, plen) != 0 ||
		    key->path[plen] != '.' ||
		    strchr(key->path + plen + 1, '.') != NULL)
			continue;
		if (key->def == NULL ||
		    (field = settings_base(s, key, idx)) == NULL)
			continue;
		/* The table's own defaults are checked by its tests. */
		(void)settings_parse(key, key->def, field, why, sizeof why);
	}
}

void
settings_defaults(struct settings *s)
{
	const struct settings_key	*key;

	memset(s, 0, sizeof *s);
	for (key = settings_table(); key->path != NULL; key++) {
		if (key->type == SETTINGS_GROUP)
			settings_defaults_under(s, key->path, 0);
	}
	s->engine.order_capacity = s->venue.max_orders;
	s->data.tz = NULL;
}

void
settings_copy(struct settings *dst, const struct settings *src)
{
	memmove(dst, src, sizeof *dst);
	dst->data.tz = dst->data_tz[0] != '\0' ? dst->data_tz : NULL;
}

/* The list row holding path ("strategies" for "strategies.name"). */
static const struct settings_key *
settings_list_of(const char *path)
{
	const struct settings_key	*key;
	char				 buf[SETTINGS_PATH_MAX], *dot;

	snprintf(buf, sizeof buf, "%s", path);
	while ((dot = strrchr(buf, '.')) != NULL) {
		*dot = '\0';
		if ((key = settings_key_find(buf)) != NULL &&
		    key->type == SETTINGS_LIST)
			return key;
	}
	return NULL;
}

/* Is the row path (or a group holding it) inside an element of a list? */
static bool
settings_in_list(const char *path)
{
	return settings_list_of(path) != NULL;
}

static int
settings_count(const struct settings *s, const struct settings_key *list)
{
	return (int)settings_load_int(settings_cbase(s, list, 0), list->size);
}

int
settings_secret(const struct settings *s, const char *key, char *buf,
    size_t len, struct errmsg *err)
{
	const struct settings_key	*row, *list;
	char				 path[SETTINGS_PATH_MAX], *open, *end;
	const char			*field;
	long				 idx = -1;
	int				 rc;

	if (len > 0)
		buf[0] = '\0';
	/* "alerts.sinks[1].url": the row "alerts.sinks.url", element 1. */
	snprintf(path, sizeof path, "%s", key);
	if ((open = strchr(path, '[')) != NULL) {
		idx = strtol(open + 1, &end, 10);
		if (end == open + 1 || *end != ']' || idx < 0)
			return errmsg_set(err, "%s: unknown key", key);
		memmove(open, end + 1, strlen(end + 1) + 1);
	}
	if ((row = settings_key_find(path)) == NULL)
		return errmsg_set(err, "%s: unknown key", key);
	if (row->type != SETTINGS_SECRET)
		return errmsg_set(err, "%s: not a secret", key);
	list = settings_list_of(path);
	if ((list == NULL) != (idx == -1) ||
	    (list != NULL && idx >= settings_count(s, list)))
		return errmsg_set(err, "%s: no such element", key);
	if ((field = settings_cbase(s, row, (int)idx)) == NULL)
		return errmsg_set(err, "%s: not stored", key);
	rc = settings_secret_ref(field, buf, len, err);
	if (rc == -1)
		errmsg_prefix(err, "%s: ", key);
	return rc;
}

/* Are the values of a scalar row equal in two elements? */
static bool
settings_same(const struct settings_key *key, const void *a, const void *b)
{
	size_t	 n;

	switch (key->type) {
	case SETTINGS_STRING:
	case SETTINGS_ZONE:
	case SETTINGS_STRATEGY:
	case SETTINGS_SECRET:
		return strcmp(a, b) == 0;
	case SETTINGS_BOOL:
		return *(const bool *)a == *(const bool *)b;
	case SETTINGS_RANGE:
		if (settings_load_int(settings_elem((void *)a, key,
		    key->offset2), key->size) != settings_load_int(
		    settings_elem((void *)b, key, key->offset2), key->size))
			return false;
		return settings_load_int(a, key->size) ==
		    settings_load_int(b, key->size);
	case SETTINGS_WORDS:
		if (key->names != NULL)
			return *(const unsigned *)a == *(const unsigned *)b;
		n = (size_t)settings_load_int(settings_elem((void *)a, key,
		    key->offset2), sizeof(int));
		return (int64_t)n == settings_load_int(settings_elem((void *)b,
		    key, key->offset2), sizeof(int)) &&
		    memcmp(a, b, n * key->size) == 0;
	case SETTINGS_DATES:
	case SETTINGS_CLOSES:
		n = (size_t)settings_load_int(settings_elem((void *)a, key,
		    key->offset2), sizeof(int));
		if ((int64_t)n != settings_load_int(settings_elem((void *)b,
		    key, key->offset2), sizeof(int)))
			return false;
		if (memcmp(a, b, n * sizeof(int32_t)) != 0)
			return false;
		return key->type == SETTINGS_DATES ||
		    memcmp(settings_elem((void *)a, key, key->offset3),
		    settings_elem((void *)b, key, key->offset3),
		    n * sizeof(int)) == 0;
	default:
		return settings_load_int(a, key->size) ==
		    settings_load_int(b, key->size);
	}
}

/* The rows directly under an element of list, compared in a and b. */
static int
settings_diff_elem(const struct settings *a, const struct settings *b,
    const struct settings_key *list, int idx, settings_diff_fn fn, void *arg)
{
	const struct settings_key	*key;
	const struct strategy_ops	*ops;
	char				 path[SETTINGS_PATH_MAX];
	size_t				 plen = strlen(list->path);
	int				 n = 0;

	for (key = settings_table(); key->path != NULL; key++) {
		const void	*fa, *fb;

		if (strncmp(key->path, list->path, plen) != 0 ||
		    key->path[plen] != '.' || settings_list_of(key->path) !=
		    list || key->type == SETTINGS_GROUP)
			continue;
		if ((fa = settings_cbase(a, key, idx)) == NULL ||
		    (fb = settings_cbase(b, key, idx)) == NULL)
			continue;
		if (key->type == SETTINGS_PARAMS) {
			/* By the strategy's own names, when its type stays. */
			if (strcmp(a->engine.strat[idx].type,
			    b->engine.strat[idx].type) != 0 ||
			    strcmp(a->strat_plugin[idx],
			    b->strat_plugin[idx]) != 0)
				continue;
			if ((ops = settings_ops(b, idx)) == NULL &&
			    (ops = settings_ops(a, idx)) == NULL)
				continue;
			for (int k = 0; ops->params[k].name != NULL; k++) {
				if (a->engine.strat[idx].params[k] ==
				    b->engine.strat[idx].params[k] &&
				    strcmp(strat_param_get_text(ops,
				    a->engine.strat[idx].param_text, k),
				    strat_param_get_text(ops,
				    b->engine.strat[idx].param_text, k)) == 0)
					continue;
				settings_fmt(path, sizeof path, "%s[%d].%s.%s",
				    list->path, idx, key->path + plen + 1,
				    ops->params[k].name);
				fn(arg, key, idx, path);
				n++;
			}
			continue;
		}
		if (settings_same(key, fa, fb))
			continue;
		settings_fmt(path, sizeof path, "%s[%d].%s", list->path, idx,
		    key->path + plen + 1);
		fn(arg, key, idx, path);
		n++;
	}
	return n;
}

int
settings_diff(const struct settings *a, const struct settings *b,
    settings_diff_fn fn, void *arg)
{
	const struct settings_key	*key;
	const void			*fa, *fb;
	int				 n = 0, count;

	for (key = settings_table(); key->path != NULL; key++) {
		if (key->type == SETTINGS_GROUP || settings_in_list(key->path))
			continue;
		if (key->type == SETTINGS_LIST) {
			if ((count = settings_count(a, key)) !=
			    settings_count(b, key)) {
				fn(arg, key, -1, key->path);
				n++;
				continue;
			}
			for (int i = 0; i < count; i++)
				n += settings_diff_elem(a, b, key, i, fn, arg);
			continue;
		}
		if ((fa = settings_cbase(a, key, 0)) == NULL ||
		    (fb = settings_cbase(b, key, 0)) == NULL)
			continue;
		if (!settings_same(key, fa, fb)) {
			fn(arg, key, -1, key->path);
			n++;
		}
	}
	return n;
}

/* The shortest decimal text (at most 9 decimals) that reads back as v. */
static int
settings_double_text(double v, char *buf, size_t len)
{
	if (!(v > -1e10 && v < 1e10))
		return -1;
	for (int d = 0; d <= FIXED_DECIMALS; d++) {
		snprintf(buf, len, "%.*f", d, v);
		if (strtod(buf, NULL) == v)
			return 0;
	}
	return -1;
}

/*
 * The text of a scalar setting for a row, or -1 with a problem about its
 * type ("must be an integer").
 */
static int
settings_setting_text(const struct settings_key *key,
    const config_setting_t *m, char *buf, size_t len, char *why, size_t n)
{
	char	 b[FIXED_FMT_MAX];
	double	 f;
	int	 type = config_setting_type(m);

	switch (key->type) {
	case SETTINGS_INT:
		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			break;
		snprintf(buf, len, "%lld", config_setting_get_int64(m));
		return 0;
	case SETTINGS_MONEY:
	case SETTINGS_PRICE:
		if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
			snprintf(buf, len, "%lld", config_setting_get_int64(m));
			return 0;
		}
		if (type != CONFIG_TYPE_FLOAT)
			break;
		f = config_setting_get_float(m);
		if (settings_double_text(f, buf, len) == 0)
			return 0;
		if (!(f > -1e10))
			snprintf(why, n, "must be >= %s", settings_format_bound(
			    key, key->min, b, sizeof b));
		else if (!(f < 1e10))
			snprintf(why, n, "must be <= %s", settings_format_bound(
			    key, key->max, b, sizeof b));
		else if (key->type == SETTINGS_MONEY)
			snprintf(why, n, "at most 2 decimals");
		else
			snprintf(why, n, "more than %d decimals",
			    FIXED_DECIMALS);
		return -1;
	case SETTINGS_BOOL:
		if (type != CONFIG_TYPE_BOOL)
			break;
		snprintf(buf, len, "%s",
		    config_setting_get_bool(m) ? "true" : "false");
		return 0;
	case SETTINGS_STRING:
	case SETTINGS_ZONE:
	case SETTINGS_STRATEGY:
	case SETTINGS_ENUM:
	case SETTINGS_TIME:
	case SETTINGS_RANGE:
	case SETTINGS_SECRET:
		if (type != CONFIG_TYPE_STRING)
			break;
		snprintf(buf, len, "%s", config_setting_get_string(m));
		return 0;
	default:
		break;
	}

	switch (key->type) {
	case SETTINGS_INT:
		snprintf(why, n, "must be an integer");
		break;
	case SETTINGS_MONEY:
		snprintf(why, n, "must be an amount in dollars (1000 or "
		    "1000.00)");
		break;
	case SETTINGS_PRICE:
		snprintf(why, n, "must be a number of points (0.25)");
		break;
	case SETTINGS_BOOL:
		snprintf(why, n, "must be true or false");
		break;
	case SETTINGS_TIME:
		snprintf(why, n, "must be a time in quotes (\"HH:MM\")");
		break;
	case SETTINGS_RANGE:
		snprintf(why, n, "must be a time range in quotes "
		    "(\"HH:MM-HH:MM\")");
		break;
	default:
		snprintf(why, n, "must be a string in quotes");
		break;
	}
	return -1;
}

/* The walk. */

/* "strategies[1].params" and the like. */
static void
settings_join(char *buf, size_t len, const char *prefix, const char *name)
{
	if (prefix[0] == '\0')
		snprintf(buf, len, "%s", name);
	else
		settings_fmt(buf, len, "%s.%s", prefix, name);
}

/* Holidays or early closes: an array of strings. */
static void
settings_walk_dates(struct settings_ctx *ctx, const struct settings_key *key,
    const config_setting_t *m, const char *show, void *field)
{
	int32_t		*dates = field;
	int		*minutes = NULL, count = 0, n, mins = 0;
	char		 ebuf[SETTINGS_PATH_MAX], d[16];
	bool		 closes = key->type == SETTINGS_CLOSES;

	if (closes)
		minutes = (int *)settings_elem(field, key, key->offset3);
	settings_store_int(settings_elem(field, key, key->offset2),
	    sizeof(int), 0);
	if (config_setting_type(m) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(m) != CONFIG_TYPE_LIST) {
		settings_error(ctx, m, show, "must be a list of %s in "
		    "quotes: [ \"%s\", ... ]", closes ? "dates and times" :
		    "dates", closes ? "YYYY-MM-DD HH:MM" : "YYYY-MM-DD");
		return;
	}
	n = config_setting_length(m);
	if (n > key->max) {
		settings_error(ctx, m, show, "%d dates, at most %lld", n,
		    (long long)key->max);
		n = (int)key->max;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t	*e = config_setting_get_elem(m,
					    (unsigned)i);
		const char		*t;
		int32_t			 ymd;
		int			 dup = -1;

		settings_fmt(ebuf, sizeof ebuf, "%s[%d]", show, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			settings_error(ctx, e, ebuf, "must be a string in "
			    "quotes (\"%s\")", closes ? "YYYY-MM-DD HH:MM" :
			    "YYYY-MM-DD");
			continue;
		}
		t = config_setting_get_string(e);
		if (closes ? (strlen(t) != 16 || t[10] != ' ' ||
		    settings_parse_date(t, &ymd) == -1 ||
		    settings_parse_hhmm(t + 11, false, &mins) == -1) :
		    (strlen(t) != 10 || settings_parse_date(t, &ymd) == -1)) {
			settings_error(ctx, e, ebuf, "'%s' is not %s", t,
			    closes ? "a date and time YYYY-MM-DD HH:MM" :
			    "a date YYYY-MM-DD");
			continue;
		}
		for (int j = 0; j < count; j++) {
			if (dates[j] == ymd)
				dup = j;
		}
		if (dup != -1) {
			settings_format_date(ymd, d, sizeof d);
			settings_error(ctx, e, ebuf, "%s is listed twice", d);
			continue;
		}
		if (closes)
			minutes[count] = mins;
		dates[count++] = ymd;
	}
	settings_store_int(settings_elem(field, key, key->offset2),
	    sizeof(int), count);
}

/* A word of a SETTINGS_WORDS row with names: its index, or -1 and why. */
static int
settings_word_index(const struct settings_key *key, const char *t, char *why,
    size_t n)
{
	struct suggest	 sg;
	char		 names[256];

	suggest_init(&sg, t);
	for (int k = 0; key->names[k] != NULL; k++) {
		if (strcmp(key->names[k], t) == 0)
			return k;
		suggest_add(&sg, key->names[k]);
	}
	if (suggest_best(&sg) != NULL)
		snprintf(why, n, "unknown word '%s'; did you mean '%s'?", t,
		    suggest_best(&sg));
	else
		snprintf(why, n, "unknown word '%s' (one of %s)", t,
		    settings_key_range(key, names, sizeof names));
	return -1;
}

/*
 * A list of words: names (a bit each) or strings (symbols), each given
 * once.  0 and the word's place in *k, or -1 after the error.
 */
static int
settings_word(struct settings_ctx *ctx, const struct settings_key *key,
    const config_setting_t *e, const char *show, void *field, int count,
    int *k)
{
	char		 why[SETTINGS_WHY_MAX];
	const char	*t;
	bool		 dup = false;

	if (config_setting_type(e) != CONFIG_TYPE_STRING) {
		settings_error(ctx, e, show, "must be a word in quotes");
		return -1;
	}
	t = config_setting_get_string(e);
	if (key->names != NULL) {
		if ((*k = settings_word_index(key, t, why, sizeof why)) == -1) {
			settings_error(ctx, e, show, "%s", why);
			return -1;
		}
		dup = (*(unsigned *)field & (1u << *k)) != 0;
	} else {
		if (t[0] == '\0' || strlen(t) >= key->size) {
			settings_error(ctx, e, show, "'%s' must have 1 to %zu "
			    "characters", t, key->size - 1);
			return -1;
		}
		for (int j = 0; j < count; j++)
			dup |= strcmp((char *)field + (size_t)j * key->size,
			    t) == 0;
		*k = count;
	}
	if (dup) {
		settings_error(ctx, e, show, "'%s' is listed twice", t);
		return -1;
	}
	if (key->names == NULL)
		memcpy((char *)field + (size_t)count * key->size, t,
		    strlen(t) + 1);
	return 0;
}

static void
settings_walk_words(struct settings_ctx *ctx, const struct settings_key *key,
    const config_setting_t *m, const char *show, void *field)
{
	char		 ebuf[SETTINGS_PATH_MAX];
	unsigned	 mask = 0;
	int		 n, count = 0, k;

	if (key->names != NULL)
		memcpy(field, &mask, sizeof mask);
	else
		settings_store_int(settings_elem(field, key, key->offset2),
		    sizeof(int), 0);
	if (config_setting_type(m) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(m) != CONFIG_TYPE_LIST) {
		settings_error(ctx, m, show, "must be a list of words in "
		    "quotes: [ \"%s\", ... ]", key->names != NULL ?
		    key->names[0] : "ES");
		return;
	}
	if ((n = config_setting_length(m)) > key->max) {
		settings_error(ctx, m, show, "%d %s, at most %lld", n,
		    key->unit, (long long)key->max);
		n = (int)key->max;
	}
	for (int i = 0; i < n; i++) {
		settings_fmt(ebuf, sizeof ebuf, "%s[%d]", show, i);
		if (settings_word(ctx, key, config_setting_get_elem(m,
		    (unsigned)i), ebuf, field, count, &k) == -1)
			continue;
		if (key->names != NULL) {
			mask |= 1u << k;
			memcpy(field, &mask, sizeof mask);
		} else
			count++;
	}
	if (key->names == NULL)
		settings_store_int(settings_elem(field, key, key->offset2),
		    sizeof(int), count);
}

/* One scalar setting m of row key into element idx. */
static void
settings_walk_scalar(struct settings_ctx *ctx, const struct settings_key *key,
    const config_setting_t *m, const char *show, int idx)
{
	char	 text[SETTINGS_LINE_MAX], why[SETTINGS_WHY_MAX];
	void	*field = settings_base(ctx->s, key, idx);

	if (key->type == SETTINGS_DATES || key->type == SETTINGS_CLOSES) {
		settings_walk_dates(ctx, key, m, show, field);
		return;
	}
	if (key->type == SETTINGS_WORDS) {
		settings_walk_words(ctx, key, m, show, field);
		return;
	}
	if (config_setting_is_aggregate(m)) {
		settings_error(ctx, m, show, "must be a single value, not a %s",
		    config_setting_is_group(m) ? "group" : "list");
		return;
	}
	if (settings_setting_text(key, m, text, sizeof text, why,
	    sizeof why) == -1 ||
	    settings_parse(key, text, field, why, sizeof why) == -1)
		settings_error(ctx, m, show, "%s", why);
}

/*
 * The text of a strategy parameter's setting as its type reads it, or -1
 * and what is wrong with the setting's own type ("must be an integer").
 */
static int
settings_param_text(const struct strat_param *p, const config_setting_t *m,
    char *buf, size_t len, char *why, size_t n)
{
	char	 r[SETTINGS_WHY_MAX / 2];
	int	 type = config_setting_type(m);
	bool	 integer = type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64;

	switch (p->type) {
	case STRAT_PARAM_INT:
		if (!integer)
			break;
		snprintf(buf, len, "%lld", config_setting_get_int64(m));
		return 0;
	case STRAT_PARAM_DECIMAL:
		if (integer) {
			snprintf(buf, len, "%lld", config_setting_get_int64(m));
			return 0;
		}
		if (type != CONFIG_TYPE_FLOAT)
			break;
		if (settings_double_text(config_setting_get_float(m), buf,
		    len) == 0)
			return 0;
		snprintf(why, n, "at most %d decimals", p->scale);
		return -1;
	case STRAT_PARAM_BOOL:
		if (type != CONFIG_TYPE_BOOL)
			break;
		snprintf(buf, len, "%s", config_setting_get_bool(m) ? "true" :
		    "false");
		return 0;
	case STRAT_PARAM_ENUM:
	case STRAT_PARAM_STRING:
		if (type != CONFIG_TYPE_STRING)
			break;
		snprintf(buf, len, "%s", config_setting_get_string(m));
		return 0;
	}
	switch (p->type) {
	case STRAT_PARAM_INT:
		snprintf(why, n, "must be an integer");
		break;
	case STRAT_PARAM_DECIMAL:
		snprintf(why, n, "must be a number (%s)", strat_param_format(p,
		    p->def, NULL, r, sizeof r));
		break;
	case STRAT_PARAM_BOOL:
		snprintf(why, n, "must be true or false");
		break;
	case STRAT_PARAM_ENUM:
		snprintf(why, n, "must be one of %s, in quotes",
		    strat_param_range(p, r, sizeof r));
		break;
	default:
		snprintf(why, n, "must be a string in quotes");
		break;
	}
	return -1;
}

/* "every" or "opening_range_minutes|stop_ticks|...". */
static void
settings_params_names(const struct strategy_ops *ops, char *buf, size_t len)
{
	size_t	 used = 0;

	buf[0] = '\0';
	for (int i = 0; ops->params[i].name != NULL && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > 0 ? "|" : "", ops->params[i].name);
}

/* A parameter m the strategy type ops does not have. */
static void
settings_unknown_param(struct settings_ctx *ctx, const config_setting_t *m,
    const struct strategy_ops *ops, const char *show, const char *pshow)
{
	struct suggest	 sg;
	char		 names[SETTINGS_WHY_MAX / 2], near[SETTINGS_PATH_MAX];

	settings_params_names(ops, names, sizeof names);
	suggest_init(&sg, config_setting_name(m));
	for (int k = 0; ops->params[k].name != NULL; k++)
		suggest_add(&sg, ops->params[k].name);
	if (suggest_best(&sg) == NULL) {
		settings_error(ctx, m, pshow, "unknown parameter of strategy "
		    "type %s (one of %s)", ops->name, names);
		return;
	}
	settings_join(near, sizeof near, show, suggest_best(&sg));
	settings_error(ctx, m, pshow, "unknown parameter of strategy type %s; "
	    "did you mean '%s'?", ops->name, near);
}

/* The parameters of strategy idx, once its type is known. */
static void
settings_walk_params(struct settings_ctx *ctx, int idx, const char *show)
{
	const struct strategy_ops	*ops = ctx->ops[idx];
	const config_setting_t		*g = ctx->params[idx];
	struct strategy_cfg		*sc = &ctx->s->engine.strat[idx];
	char				 pshow[SETTINGS_PATH_MAX];
	int				 n;

	strat_param_defaults(ops, sc->params, sc->param_text);
	if (g == NULL)
		return;
	if (!config_setting_is_group(g)) {
		settings_error(ctx, g, show, "must be a group of parameters: "
		    "{ name = value; ... }");
		return;
	}
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t	*m = config_setting_get_elem(g,
					    (unsigned)i);
		const char		*name = config_setting_name(m);
		char			 text[SETTINGS_LINE_MAX];
		char			 why[SETTINGS_WHY_MAX];
		int			 k;

		settings_join(pshow, sizeof pshow, show, name);
		if ((k = strat_param_index(ops, name)) == -1) {
			settings_unknown_param(ctx, m, ops, show, pshow);
			continue;
		}
		if (settings_param_text(&ops->params[k], m, text,
		    sizeof text, why, sizeof why) == -1 ||
		    strat_param_parse(&ops->params[k], text, &sc->params[k],
		    strat_param_text_at(ops, sc->param_text, k), why,
		    sizeof why) == -1)
			settings_error(ctx, m, pshow, "%s", why);
	}
}

/* An early close on a holiday of the same session. */
static int
settings_early_holidays(struct settings_ctx *ctx, int idx,
    const config_setting_t *e, const char *show)
{
	const struct calendar_cfg	*c = &ctx->s->engine.cal[idx];
	const config_setting_t		*list;
	char				 d[16], eshow[SETTINGS_PATH_MAX];
	int				 rc = 0;

	list = config_setting_get_member(e, "early_closes");
	for (int i = 0; i < c->nearly; i++) {
		for (int j = 0; j < c->nholidays; j++) {
			if (c->early_date[i] != c->holidays[j])
				continue;
			settings_format_date(c->early_date[i], d, sizeof d);
			settings_fmt(eshow, sizeof eshow, "%s.early_closes[%d]",
			    show, i);
			settings_error(ctx, list != NULL ?
			    config_setting_get_elem(list, (unsigned)i) : e,
			    eshow, "%s is also a holiday", d);
			rc = -1;
		}
	}
	return rc;
}

/*
 * A bracket template: its targets are the first ones with a distance, one
 * after another; then the order manager's word on the whole.
 */
static void
settings_atm_done(struct settings_ctx *ctx, int idx,
    const config_setting_t *e, const char *show)
{
	struct bracket	*br = &ctx->s->engine.atm[idx].br;
	struct errmsg	 err;
	char		 pshow[SETTINGS_PATH_MAX], key[32];

	br->ntargets = 0;
	for (int k = 0; k < OM_MAX_TARGETS; k++) {
		if (br->target_ticks[k] == 0)
			continue;
		if (k != br->ntargets) {
			snprintf(key, sizeof key, "target%d_ticks", k + 1);
			settings_join(pshow, sizeof pshow, show, key);
			settings_error(ctx, settings_member(e, key), pshow,
			    "target %d without target %d", k + 1, k);
			return;
		}
		br->ntargets++;
	}
	if (br->stop_ticks == 0 && br->ntargets == 0) {
		settings_error(ctx, e, show, "a template needs a stop or a "
		    "target");
		return;
	}
	if (br->trail_dist > 0 && br->trail_step == 0)
		br->trail_step = 1;
	if (order_mgr_check_bracket(br, &err) == -1)
		settings_error(ctx, e, show, "%s", err.msg);
}

static void	settings_dirname(const char *, char *, size_t);

/*
 * A plugin's path (path, as written) made absolute: relative to the
 * directory of the file that names it (m), then resolved to the file it
 * is, when there is one.  -1 when it does not fit.
 */
static int
settings_plugin_path(const struct settings_ctx *ctx,
    const config_setting_t *m, char *path, size_t len)
{
	char	 file[SETTINGS_SOURCE_MAX], dir[SETTINGS_SOURCE_MAX];
	char	 joined[SETTINGS_SOURCE_MAX], *real;
	int	 n;

	if (path[0] == '/')
		snprintf(joined, sizeof joined, "%s", path);
	else {
		settings_file(ctx, m, file, sizeof file);
		settings_dirname(file, dir, sizeof dir);
		n = snprintf(joined, sizeof joined, "%s%s%s", dir,
		    dir[0] != '\0' ? "/" : "", path);
		if (n < 0 || (size_t)n >= sizeof joined)
			return -1;
	}
	/* A missing file keeps its name, for the loader to say so. */
	if ((real = realpath(joined, NULL)) != NULL) {
		n = snprintf(path, len, "%s", real);
		free(real);
	} else
		n = snprintf(path, len, "%s", joined);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * The table strategy idx runs: its type among the built-ins, or, with a
 * plugin, the plug-in's own strategy -- which a type, when given, must
 * name.  The plug-in is opened into the load's registry to be checked.
 * NULL after reporting why.
 */
static const struct strategy_ops *
settings_strat_type(struct settings_ctx *ctx, int idx,
    const config_setting_t *e, const char *show)
{
	struct strategy_cfg		*sc = &ctx->s->engine.strat[idx];
	char				*plugin = ctx->s->strat_plugin[idx];
	const config_setting_t		*tm = settings_member(e, "type");
	const config_setting_t		*pm = settings_member(e, "plugin");
	const struct strategy_ops	*ops;
	char				 tshow[SETTINGS_PATH_MAX];
	char				 pshow[SETTINGS_PATH_MAX];
	char				 names[SETTINGS_WHY_MAX / 2];
	struct errmsg			 err;

	settings_join(tshow, sizeof tshow, show, "type");
	settings_join(pshow, sizeof pshow, show, "plugin");
	if (tm != e && sc->type[0] == '\0') {
		settings_error(ctx, tm, tshow, "must not be empty");
		return NULL;
	}
	if (plugin[0] == '\0') {
		if (sc->type[0] == '\0')
			settings_error(ctx, e, tshow, "missing");
		else if ((ops = settings_strategy(sc->type)) != NULL)
			return ops;
		else
			settings_error(ctx, tm, tshow, "unknown strategy type "
			    "'%s' (one of %s)", sc->type, settings_key_range(
			    settings_key_find("strategies.type"), names,
			    sizeof names));
		return NULL;
	}
	if (settings_plugin_path(ctx, pm, plugin, SETTINGS_SOURCE_MAX) == -1) {
		settings_error(ctx, pm, pshow, "path longer than %d characters",
		    SETTINGS_SOURCE_MAX - 1);
		return NULL;
	}
	if (ctx->reg == NULL && (ctx->reg = strat_registry_create(&err)) ==
	    NULL) {
		settings_error(ctx, pm, pshow, "%s", err.msg);
		return NULL;
	}
	if ((ops = strat_plugin_load(ctx->reg, plugin, &err)) == NULL) {
		settings_error(ctx, pm, pshow, "%s", err.msg);
		return NULL;
	}
	if (sc->type[0] == '\0')
		snprintf(sc->type, sizeof sc->type, "%s", ops->name);
	else if (strcmp(sc->type, ops->name) != 0) {
		settings_error(ctx, tm, tshow, "'%s' is not the plug-in's "
		    "strategy: %s holds '%s'", sc->type, plugin, ops->name);
		return NULL;
	}
	ctx->s->strategies = ctx->reg;
	return ops;
}

struct strat_registry *
settings_strategies(struct settings *s, struct errmsg *err)
{
	struct strat_registry		*reg;
	const struct strategy_ops	*ops;

	if ((reg = strat_registry_create(err)) == NULL)
		return NULL;
	for (int i = 0; i < s->engine.nstrat; i++) {
		if (s->strat_plugin[i][0] == '\0')
			continue;
		if ((ops = strat_plugin_load(reg, s->strat_plugin[i],
		    err)) == NULL) {
			errmsg_prefix(err, "strategies[%d].plugin", i);
			strat_registry_free(reg);
			return NULL;
		}
		if (strcmp(ops->name, s->engine.strat[i].type) != 0) {
			errmsg_set(err, "strategies[%d].plugin: %s now holds "
			    "strategy '%s', not '%s'", i, s->strat_plugin[i],
			    ops->name, s->engine.strat[i].type);
			strat_registry_free(reg);
			return NULL;
		}
	}
	s->strategies = reg;
	return reg;
}

/* After element idx of a list; ok when it had no problem of its own. */
static void
settings_elem_done(struct settings_ctx *ctx, const struct settings_key *list,
    const config_setting_t *e, const char *show, int idx, bool ok)
{
	struct errmsg	 err;
	char		 pshow[SETTINGS_PATH_MAX];

	if (strcmp(list->path, "trading.instruments") == 0) {
		struct instrument *in = &ctx->s->engine.inst[idx];

		ctx->inst[idx] = (config_setting_t *)e;
		in->calendar = -1;
		if (ok && instrument_init(in, &err) == -1) {
			const config_setting_t *w =
			    config_setting_get_member(e, "point_value");

			settings_join(pshow, sizeof pshow, show,
			    "point_value");
			settings_error(ctx, w != NULL ? w : e, pshow, "%s",
			    err.msg);
		}
	} else if (strcmp(list->path, "trading.sessions") == 0) {
		ctx->cal[idx] = (config_setting_t *)e;
		/* With no problem so far, early_closes[i] is the i-th date. */
		if (ok && settings_early_holidays(ctx, idx, e, show) == -1)
			ok = false;
		ctx->cal_ok[idx] = ok;
	} else if (strcmp(list->path, "atm") == 0) {
		ctx->atm[idx] = (config_setting_t *)e;
		if (ok)
			settings_atm_done(ctx, idx, e, show);
	} else if (strcmp(list->path, "models") == 0) {
		ctx->model[idx] = (config_setting_t *)e;
		if (ok && settings_plugin_path(ctx, settings_member(e, "file"),
		    ctx->s->models[idx].file,
		    sizeof ctx->s->models[idx].file) == -1) {
			settings_join(pshow, sizeof pshow, show, "file");
			settings_error(ctx, settings_member(e, "file"), pshow,
			    "path too long");
		}
	} else if (strcmp(list->path, "filters") == 0) {
		ctx->filter[idx] = (config_setting_t *)e;
	} else if (strcmp(list->path, "rollout.stages") == 0) {
		ctx->stage[idx] = (config_setting_t *)e;
	} else if (strcmp(list->path, "strategies") == 0) {
		ctx->strat[idx] = (config_setting_t *)e;
		ctx->ops[idx] = settings_strat_type(ctx, idx, e, show);
		if (ctx->ops[idx] != NULL) {
			int	 before = ctx->nerr;

			settings_join(pshow, sizeof pshow, show, "params");
			settings_walk_params(ctx, idx, pshow);
			ok = ok && ctx->nerr == before;
		}
		ctx->strat_ok[idx] = ok && ctx->ops[idx] != NULL;
	}
}

/*
 * Forget the elements of a list before it is read: a list given again (by
 * an environment) replaces the one before it whole.  A new kind of list
 * clears its elements here, as it stores them in settings_base.
 */
static void
settings_list_reset(struct settings_ctx *ctx, const struct settings_key *key)
{
	struct engine_config	*ec = &ctx->s->engine;

	if (strcmp(key->path, "trading.instruments") == 0) {
		memset(ec->inst, 0, sizeof ec->inst);
		memset(ctx->s->inst_session, 0, sizeof ctx->s->inst_session);
		memset(ctx->inst, 0, sizeof ctx->inst);
	} else if (strcmp(key->path, "trading.sessions") == 0) {
		memset(ec->cal, 0, sizeof ec->cal);
		memset(ctx->cal, 0, sizeof ctx->cal);
		memset(ctx->cal_ok, 0, sizeof ctx->cal_ok);
	} else if (strcmp(key->path, "atm") == 0) {
		memset(ec->atm, 0, sizeof ec->atm);
		memset(ctx->atm, 0, sizeof ctx->atm);
	} else if (strcmp(key->path, "models") == 0) {
		memset(ctx->s->models, 0, sizeof ctx->s->models);
		memset(ctx->model, 0, sizeof ctx->model);
	} else if (strcmp(key->path, "filters") == 0) {
		memset(ec->filter, 0, sizeof ec->filter);
		memset(ctx->filter, 0, sizeof ctx->filter);
	} else if (strcmp(key->path, "rollout.stages") == 0) {
		memset(ec->rollout.stage, 0, sizeof ec->rollout.stage);
		memset(ctx->stage, 0, sizeof ctx->stage);
	} else if (strcmp(key->path, "strategies") == 0) {
		memset(ec->strat, 0, sizeof ec->strat);
		memset(ctx->s->strat_plugin, 0, sizeof ctx->s->strat_plugin);
		/* The plug-ins of a list replaced go with it. */
		strat_registry_free(ctx->reg);
		ctx->reg = NULL;
		ctx->s->strategies = NULL;
		memset(ctx->strat, 0, sizeof ctx->strat);
		memset(ctx->params, 0, sizeof ctx->params);
		memset(ctx->strat_ok, 0, sizeof ctx->strat_ok);
		memset(ctx->ops, 0, sizeof ctx->ops);
	}
}

static void
settings_walk_list(struct settings_ctx *ctx, const struct settings_key *key,
    const config_setting_t *m, const char *show)
{
	char	 eshow[SETTINGS_PATH_MAX];
	int	 n, count = 0;

	settings_list_reset(ctx, key);
	settings_store_int(settings_base(ctx->s, key, 0), key->size, 0);

	if (config_setting_type(m) != CONFIG_TYPE_LIST &&
	    !(config_setting_type(m) == CONFIG_TYPE_ARRAY &&
	    config_setting_length(m) == 0)) {
		settings_error(ctx, m, show, "must be a list of groups: "
		    "( { ... }, { ... } )");
		return;
	}
	n = config_setting_length(m);
	if (n < key->min)
		settings_error(ctx, m, show, "must not be empty");
	if (n > key->max) {
		settings_error(ctx, m, show, "%d %s, at most %lld", n,
		    key->unit, (long long)key->max);
		n = (int)key->max;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t	*e = config_setting_get_elem(m,
					    (unsigned)i);
		int			 before = ctx->nerr;

		settings_fmt(eshow, sizeof eshow, "%s[%d]", show, i);
		if (!config_setting_is_group(e)) {
			settings_error(ctx, e, eshow, "must be a group "
			    "{ ... }");
			continue;
		}
		settings_defaults_under(ctx->s, key->path, count);
		settings_walk_group(ctx, e, key->path, eshow, count);
		settings_elem_done(ctx, key, e, eshow, count,
		    ctx->nerr == before);
		count++;
	}
	settings_store_int(settings_base(ctx->s, key, 0), key->size, count);
}

/*
 * Report the keys under tpath that must be given and are not in g (NULL
 * when the whole group is missing; where is then the setting to blame).
 */
static void
settings_check_required(struct settings_ctx *ctx, const config_setting_t *g,
    const config_setting_t *where, const char *tpath, const char *show)
{
	const struct settings_key	*key;
	size_t				 plen = strlen(tpath);
	char				 kshow[SETTINGS_PATH_MAX];

	for (key = settings_table(); key->path != NULL; key++) {
		const char	*name = key->path + plen + (plen > 0);

		if (plen > 0 && (strncmp(key->path, tpath, plen) != 0 ||
		    key->path[plen] != '.'))
			continue;
		if (strchr(name, '.') != NULL)
			continue;
		if (g != NULL && config_setting_get_member(g, name) != NULL)
			continue;
		settings_join(kshow, sizeof kshow, show, name);
		if (key->type == SETTINGS_GROUP)
			settings_check_required(ctx, NULL, where, key->path,
			    kshow);
		else if (key->def == NULL)
			settings_error(ctx, where, kshow, "missing");
	}
}

/*
 * A member m of the group of rows tpath (shown as show) that has no row:
 * "unknown key", and the key of the same group it was likely meant to be.
 */
static void
settings_unknown(struct settings_ctx *ctx, const config_setting_t *m,
    const char *tpath, const char *show, const char *kshow)
{
	const struct settings_key	*key;
	struct suggest			 sg;
	char				 near[SETTINGS_PATH_MAX];
	size_t				 n = strlen(tpath);

	suggest_init(&sg, config_setting_name(m));
	for (key = settings_table(); key->path != NULL; key++) {
		const char	*name = key->path;

		if (n > 0 && (strncmp(name, tpath, n) != 0 || name[n] != '.'))
			continue;
		name += n > 0 ? n + 1 : 0;
		if (strchr(name, '.') == NULL)
			suggest_add(&sg, name);
	}
	if (suggest_best(&sg) == NULL) {
		settings_error(ctx, m, kshow, "unknown key");
		return;
	}
	settings_join(near, sizeof near, show, suggest_best(&sg));
	settings_error(ctx, m, kshow, "unknown key; did you mean '%s'?", near);
}

/* The members of group g, whose rows are under tpath. */
static void
settings_walk_group(struct settings_ctx *ctx, const config_setting_t *g,
    const char *tpath, const char *show, int idx)
{
	const struct settings_key	*key;
	char				 kpath[SETTINGS_PATH_MAX];
	char				 kshow[SETTINGS_PATH_MAX];
	int				 n = config_setting_length(g);

	for (int i = 0; i < n; i++) {
		const config_setting_t	*m = config_setting_get_elem(g,
					    (unsigned)i);

		settings_join(kpath, sizeof kpath, tpath,
		    config_setting_name(m));
		settings_join(kshow, sizeof kshow, show,
		    config_setting_name(m));
		if ((key = settings_key_find(kpath)) == NULL) {
			settings_unknown(ctx, m, tpath, show, kshow);
			continue;
		}
		switch (key->type) {
		case SETTINGS_GROUP:
			if (!config_setting_is_group(m)) {
				settings_error(ctx, m, kshow, "must be a "
				    "group: %s = { ... };",
				    config_setting_name(m));
				break;
			}
			settings_walk_group(ctx, m, key->path, kshow, idx);
			break;
		case SETTINGS_LIST:
			settings_walk_list(ctx, key, m, kshow);
			break;
		case SETTINGS_PARAMS:
			/* Checked once the strategy's type is known. */
			ctx->params[idx] = (config_setting_t *)m;
			break;
		default:
			settings_walk_scalar(ctx, key, m, kshow, idx);
			break;
		}
	}
	/*
	 * An element of a list is whole in one file.  Groups outside lists
	 * may take their keys from any file of the load: those are checked
	 * once all are read (settings_check_missing).
	 */
	if (tpath[0] != '\0' && (settings_in_list(tpath) ||
	    settings_key_find(tpath)->type == SETTINGS_LIST))
		settings_check_required(ctx, g, g, tpath, show);
}

/* Checks across keys, after the walk. */

/* The setting of path in the last file of the load that gives it. */
static const config_setting_t *
settings_lookup(const struct settings_ctx *ctx, const char *path)
{
	const config_setting_t	*m;

	for (int k = ctx->nlayers - 1; k >= 0; k--) {
		if (ctx->cf[k] != NULL &&
		    (m = config_lookup(ctx->cf[k], path)) != NULL)
			return m;
	}
	return NULL;
}

/*
 * The setting of path, or of the first of its parents that exists, in the
 * last file that gives it: where the value in effect came from.
 */
static const config_setting_t *
settings_where(const struct settings_ctx *ctx, const char *path)
{
	char			 buf[SETTINGS_PATH_MAX], *dot;
	const config_setting_t	*m;

	snprintf(buf, sizeof buf, "%s", path);
	for (;;) {
		if ((m = settings_lookup(ctx, buf)) != NULL)
			return m;
		if ((dot = strrchr(buf, '.')) == NULL)
			return NULL;
		*dot = '\0';
	}
}

/* Was path given in a file of the load (else it holds its default)? */
static bool
settings_given(const struct settings_ctx *ctx, const char *path)
{
	return settings_lookup(ctx, path) != NULL;
}

/*
 * The keys outside lists that must be given and are in no file of the
 * load, blamed on the nearest group that is there (or on no line).
 */
static void
settings_check_missing(struct settings_ctx *ctx)
{
	const struct settings_key	*key;

	for (key = settings_table(); key->path != NULL; key++) {
		if (key->def != NULL || key->type == SETTINGS_GROUP ||
		    settings_in_list(key->path))
			continue;
		if (!settings_given(ctx, key->path))
			settings_error(ctx, settings_where(ctx, key->path),
			    key->path, "missing");
	}
}

static const config_setting_t *
settings_member(const config_setting_t *e, const char *name)
{
	const config_setting_t *m = config_setting_get_member(e, name);

	return m != NULL ? m : e;
}

/*
 * Does element i of list share its key (a name or a symbol, at first +
 * i * stride) with an earlier one?  Then it is an error at that key.
 */
static bool
settings_duplicate(struct settings_ctx *ctx, const char *list,
    const char *key, config_setting_t *const *elem, const char *first,
    size_t stride, int i)
{
	const char	*name = first + (size_t)i * stride;
	char		 show[SETTINGS_PATH_MAX];

	for (int j = 0; j < i; j++) {
		if (elem[i] == NULL || elem[j] == NULL ||
		    strcmp(name, first + (size_t)j * stride) != 0)
			continue;
		snprintf(show, sizeof show, "%s[%d].%s", list, i, key);
		settings_error(ctx, settings_member(elem[i], key), show,
		    "duplicate %s '%s', also %s[%d]", key, name, list, j);
		return true;
	}
	return false;
}

static void
settings_check_names(struct settings_ctx *ctx)
{
	struct engine_config	*ec = &ctx->s->engine;

	for (int i = 0; i < ec->ninst; i++)
		settings_duplicate(ctx, "trading.instruments", "symbol",
		    ctx->inst, ec->inst[0].symbol, sizeof ec->inst[0], i);
	for (int i = 0; i < ec->ncal; i++) {
		if (settings_duplicate(ctx, "trading.sessions", "name",
		    ctx->cal, ec->cal[0].name, sizeof ec->cal[0], i))
			ctx->cal_ok[i] = false;
	}
	for (int i = 0; i < ec->natm; i++)
		settings_duplicate(ctx, "atm", "name", ctx->atm,
		    ec->atm[0].name, sizeof ec->atm[0], i);
	for (int i = 0; i < ec->nstrat; i++)
		settings_duplicate(ctx, "strategies", "name", ctx->strat,
		    ec->strat[0].name, sizeof ec->strat[0], i);
	for (int i = 0; i < ctx->s->nmodels; i++)
		settings_duplicate(ctx, "models", "name", ctx->model,
		    ctx->s->models[0].name, sizeof ctx->s->models[0], i);
	for (int i = 0; i < ec->rollout.nstages; i++)
		settings_duplicate(ctx, "rollout.stages", "name", ctx->stage,
		    ec->rollout.stage[0].name, sizeof ec->rollout.stage[0], i);
}

/* Each filters.strategy names a strategy of the list. */
static void
settings_check_filter_refs(struct settings_ctx *ctx)
{
	struct engine_config	*ec = &ctx->s->engine;
	char			 show[SETTINGS_PATH_MAX];
	bool			 found;

	for (int i = 0; i < ec->nfilter; i++) {
		if (ctx->filter[i] == NULL)
			continue;
		found = false;
		for (int k = 0; k < ec->nstrat; k++)
			found |= ctx->strat[k] != NULL &&
			    strcmp(ec->strat[k].name,
			    ec->filter[i].strategy) == 0;
		if (found)
			continue;
		snprintf(show, sizeof show, "filters[%d].strategy", i);
		settings_error(ctx, settings_member(ctx->filter[i],
		    "strategy"), show, "no strategy '%s' in strategies",
		    ec->filter[i].strategy);
	}
}

/* Each strategies.atm names a template of the atm list. */
static void
settings_check_atm_refs(struct settings_ctx *ctx)
{
	struct engine_config	*ec = &ctx->s->engine;
	char			 show[SETTINGS_PATH_MAX];
	bool			 found;

	for (int i = 0; i < ec->nstrat; i++) {
		if (ctx->strat[i] == NULL || ec->strat[i].atm[0] == '\0')
			continue;
		found = false;
		for (int k = 0; k < ec->natm; k++)
			found |= ctx->atm[k] != NULL &&
			    strcmp(ec->atm[k].name, ec->strat[i].atm) == 0;
		if (found)
			continue;
		snprintf(show, sizeof show, "strategies[%d].atm", i);
		settings_error(ctx, settings_member(ctx->strat[i], "atm"),
		    show, "no template '%s' in atm", ec->strat[i].atm);
	}
}

/* Each instrument a rollout stage names is one the desk trades. */
static void
settings_check_stage_refs(struct settings_ctx *ctx)
{
	const struct engine_config	*ec = &ctx->s->engine;
	const config_setting_t		*list;
	char				 show[SETTINGS_PATH_MAX];

	for (int i = 0; i < ec->rollout.nstages; i++) {
		const struct rollout_stage	*st = &ec->rollout.stage[i];

		if (ctx->stage[i] == NULL)
			continue;
		list = settings_member(ctx->stage[i], "instruments");
		for (int j = 0; j < st->nsymbols; j++) {
			bool	 found = false;

			for (int k = 0; k < ec->ninst; k++)
				found |= ctx->inst[k] != NULL && strcmp(
				    ec->inst[k].symbol, st->symbols[j]) == 0;
			if (found)
				continue;
			snprintf(show, sizeof show, "rollout.stages[%d]."
			    "instruments[%d]", i, j);
			settings_error(ctx, list != NULL ?
			    config_setting_get_elem(list, (unsigned)j) : NULL,
			    show, "no instrument '%s' in trading.instruments",
			    st->symbols[j]);
		}
	}
}

/* Each models.symbol names an instrument. */
static void
settings_check_model_refs(struct settings_ctx *ctx)
{
	const struct engine_config	*ec = &ctx->s->engine;
	char				 show[SETTINGS_PATH_MAX];

	for (int i = 0; i < ctx->s->nmodels; i++) {
		bool	 found = false;

		if (ctx->model[i] == NULL)
			continue;
		for (int k = 0; k < ec->ninst; k++)
			found |= ctx->inst[k] != NULL && strcmp(
			    ec->inst[k].symbol, ctx->s->models[i].symbol) == 0;
		if (found)
			continue;
		snprintf(show, sizeof show, "models[%d].symbol", i);
		settings_error(ctx, settings_member(ctx->model[i], "symbol"),
		    show, "no instrument '%s' in trading.instruments",
		    ctx->s->models[i].symbol);
	}
}

static void
settings_check_refs(struct settings_ctx *ctx)
{
	struct engine_config	*ec = &ctx->s->engine;
	struct calendar		*cal;
	struct errmsg		 err;
	char			 show[SETTINGS_PATH_MAX];

	for (int i = 0; i < ec->ncal; i++) {
		if (!ctx->cal_ok[i])
			continue;
		/* The calendar knows how hours and dates fit together. */
		if ((cal = calendar_create(&ec->cal[i], &err)) == NULL) {
			snprintf(show, sizeof show, "trading.sessions[%d]", i);
			settings_error(ctx, ctx->cal[i], show, "%s", err.msg);
			ctx->cal_ok[i] = false;
		}
		calendar_free(cal);
	}
	for (int i = 0; i < ec->ninst; i++) {
		if (ctx->inst[i] == NULL || ctx->s->inst_session[i][0] == '\0')
			continue;
		for (int k = 0; k < ec->ncal; k++) {
			if (ctx->cal[k] != NULL && strcmp(ec->cal[k].name,
			    ctx->s->inst_session[i]) == 0)
				ec->inst[i].calendar = k;
		}
		if (ec->inst[i].calendar == -1) {
			snprintf(show, sizeof show,
			    "trading.instruments[%d].session", i);
			settings_error(ctx, settings_member(ctx->inst[i],
			    "session"), show, "no session named '%s' in "
			    "trading.sessions", ctx->s->inst_session[i]);
		}
	}
	for (int i = 0; i < ec->nstrat; i++) {
		bool	 found = false;

		if (ctx->strat[i] == NULL || ec->strat[i].symbol[0] == '\0')
			continue;
		for (int k = 0; k < ec->ninst; k++) {
			if (ctx->inst[k] != NULL && strcmp(ec->inst[k].symbol,
			    ec->strat[i].symbol) == 0)
				found = true;
		}
		if (!found) {
			snprintf(show, sizeof show, "strategies[%d].symbol", i);
			settings_error(ctx, settings_member(ctx->strat[i],
			    "symbol"), show, "no instrument '%s' in "
			    "trading.instruments", ec->strat[i].symbol);
		}
	}
	settings_check_atm_refs(ctx);
	settings_check_model_refs(ctx);
	settings_check_filter_refs(ctx);
	settings_check_stage_refs(ctx);
}

/*
 * "KEY: A is greater than OTHER B" at the key given in the file (either
 * one; the first when both or neither are).
 */
static void
settings_greater(struct settings_ctx *ctx, const char *path, const char *a,
    const char *other, const char *b)
{
	const char	*at = path;

	if (!settings_given(ctx, path) && settings_given(ctx, other))
		at = other;
	settings_error(ctx, settings_where(ctx, at), path, "%s is greater "
	    "than %s %s", a, other, b);
}

/* Two amounts of money that are both set (not 0): a must not exceed b. */
static void
settings_money_order(struct settings_ctx *ctx, td_cents va, const char *a,
    td_cents vb, const char *b)
{
	char	 x[32], y[32];

	if (va == 0 || vb == 0 || va <= vb)
		return;
	settings_format_money(va, x, sizeof x);
	settings_format_money(vb, y, sizeof y);
	settings_greater(ctx, a, x, b, y);
}

/* What the checks of a FIX session see of the venue's or the feed's. */
struct settings_fix {
	const char	*group;		/* "venue", "feed" */
	bool		 on;		/* its type is "fix" */
	const char	*host, *sender, *target;
	const char	*begin;		/* NULL: not its own */
	const char	*needed;	/* what needs them; NULL: type fix */
	bool		 credentials;	/* a username or a password */
	int		 port;
	td_ns		 backoff_min, backoff_max;
};

/* A counterparty over FIX must be named: where, and who both sides are. */
static void
settings_check_fix(struct settings_ctx *ctx, const struct settings_fix *f)
{
	const struct {
		const char	*key;
		bool		 missing;
	} need[] = {
		{ "host", f->host[0] == '\0' },
		{ "port", f->port == 0 },
		{ "sender_comp_id", f->sender[0] == '\0' },
		{ "target_comp_id", f->target[0] == '\0' },
	};
	char	 key[SETTINGS_PATH_MAX];

	for (size_t i = 0; f->on && i < sizeof need / sizeof need[0]; i++) {
		if (!need[i].missing)
			continue;
		snprintf(key, sizeof key, "%s.%s", f->group, need[i].key);
		if (f->needed != NULL)
			settings_error(ctx, settings_where(ctx, key), key,
			    "needed with %s", f->needed);
		else
			settings_error(ctx, settings_where(ctx, key), key,
			    "needed with %s.type \"fix\"", f->group);
	}
	if (f->begin != NULL && strcmp(f->begin, "FIX.4.4") != 0 &&
	    strcmp(f->begin, "FIX.4.2") != 0) {
		snprintf(key, sizeof key, "%s.fix_version", f->group);
		settings_error(ctx, settings_where(ctx, key), key, "\"%s\": "
		    "must be \"FIX.4.4\" or \"FIX.4.2\"", f->begin);
	}
	if (f->on && f->credentials && f->begin != NULL &&
	    strcmp(f->begin, "FIX.4.2") == 0) {
		snprintf(key, sizeof key, "%s.fix_version", f->group);
		settings_error(ctx, settings_where(ctx, key), key, "FIX.4.2 "
		    "has no Username and Password (553, 554): leave %s.username "
		    "and %s.password empty, or use FIX.4.4", f->group,
		    f->group);
	}
	if (f->backoff_min > f->backoff_max) {
		snprintf(key, sizeof key, "%s.reconnect_min_ms", f->group);
		settings_error(ctx, settings_where(ctx, key), key, "above "
		    "%s.reconnect_max_ms", f->group);
	}
}

/*
 * The emergency session: named as the venue's is (its host may be the
 * venue's), and a session of its own.
 */
static void
settings_check_emergency(struct settings_ctx *ctx)
{
	const struct venue_fix_cfg	*v = &ctx->s->venue_fix;
	const struct venue_fix_em	*em = &v->em;
	const char			*key = "venue.emergency.sender_comp_id";

	if (ctx->s->venue_type != SETTINGS_VENUE_FIX || em->port == 0)
		return;
	settings_check_fix(ctx, &(struct settings_fix){
	    .group = "venue.emergency", .on = true, .host = v->host,
	    .needed = "venue.emergency.port",
	    .sender = em->sender, .target = em->target, .begin = NULL,
	    .port = em->port, .backoff_min = v->backoff_min,
	    .backoff_max = v->backoff_max });
	if (strcmp(em->sender, v->sender) == 0 &&
	    strcmp(em->target, v->target) == 0)
		settings_error(ctx, settings_where(ctx, key), key, "the "
		    "CompIDs of the venue's session (%s to %s): the emergency "
		    "session needs a session of its own", em->sender,
		    em->target);
}

/*
 * Each parameter optimize.params names is one a strategy of the file
 * has, with values it takes.
 */
static void
settings_check_optimize(struct settings_ctx *ctx)
{
	const char	*key = "optimize.params";
	struct opt_space sp;
	struct errmsg	 err;
	char		 spec[SETTINGS_OPT_PARAMS_MAX];
	const char	*p = ctx->s->optimize.params;

	opt_space_init(&sp);
	while (*(p += strspn(p, " \t")) != '\0') {
		size_t	 w = strcspn(p, " \t");

		snprintf(spec, sizeof spec, "%.*s", (int)w, p);
		p += w;
		if (opt_space_add(&sp, &ctx->s->engine, ctx->reg != NULL ?
		    ctx->reg : strat_registry_builtin(), spec, &err) == -1) {
			settings_error(ctx, settings_where(ctx, key), key, "%s",
			    err.msg);
			break;
		}
	}
	opt_space_free(&sp);
}

/* One news input at a time: a file or a socket. */
static void
settings_check_news(struct settings_ctx *ctx)
{
	const char	*key = "news.socket";

	if (ctx->s->news_file[0] != '\0' && ctx->s->news_socket[0] != '\0')
		settings_error(ctx, settings_where(ctx, key), key, "news.file "
		    "is set too: a session reads its headlines from a file or "
		    "from a socket, not both");
}

static void
settings_check_venue(struct settings_ctx *ctx)
{
	const struct venue_fix_cfg	*v = &ctx->s->venue_fix;

	settings_check_fix(ctx, &(struct settings_fix){ .group = "venue",
	    .on = ctx->s->venue_type == SETTINGS_VENUE_FIX, .host = v->host,
	    .sender = v->sender, .target = v->target, .begin = v->begin,
	    .port = v->port, .backoff_min = v->backoff_min,
	    .backoff_max = v->backoff_max, .credentials = v->username[0] !=
	    '\0' || ctx->s->venue_password[0] != '\0' });
	settings_check_emergency(ctx);
}

/*
 * The market data session: named as the venue's is, its symbols among
 * the instruments, and a session of its own (the same CompIDs as the
 * venue's would be one session to the counterparty, and one in the
 * store).
 */
static void
settings_check_feed(struct settings_ctx *ctx)
{
	const struct feed_fix_cfg	*f = &ctx->s->feed_fix;
	const struct venue_fix_cfg	*v = &ctx->s->venue_fix;
	struct errmsg			 err;
	uint32_t			 mask;

	settings_check_fix(ctx, &(struct settings_fix){ .group = "feed",
	    .on = ctx->s->feed_type == SETTINGS_FEED_FIX, .host = f->host,
	    .sender = f->sender, .target = f->target, .begin = f->begin,
	    .port = f->port, .backoff_min = f->backoff_min,
	    .backoff_max = f->backoff_max, .credentials = f->username[0] !=
	    '\0' || ctx->s->feed_password[0] != '\0' });
	if (ctx->s->feed_type != SETTINGS_FEED_FIX)
		return;
	if (feed_fix_symbols(f->symbols, ctx->s->engine.inst,
	    ctx->s->engine.ninst, &mask, &err) == -1)
		settings_error(ctx, settings_where(ctx, "feed.symbols"),
		    "feed.symbols", "%s", err.msg);
	if (ctx->s->venue_type == SETTINGS_VENUE_FIX &&
	    strcmp(f->begin, v->begin) == 0 &&
	    strcmp(f->sender, v->sender) == 0 &&
	    strcmp(f->target, v->target) == 0)
		settings_error(ctx, settings_where(ctx, "feed.sender_comp_id"),
		    "feed.sender_comp_id", "the CompIDs of the venue's session "
		    "(%s to %s): market data needs a session of its own",
		    f->sender, f->target);
}

static void
settings_check_limits(struct settings_ctx *ctx)
{
	const struct engine_config *ec = &ctx->s->engine;
	const struct sizer_cfg	*sz = &ec->sizing;
	const struct risk_cfg	*rk = &ec->risk;
	char			 a[32], b[32], show[SETTINGS_PATH_MAX];
	int			 k;

	/*
	 * Loss limits that cannot both work: the trailing loss from the
	 * day's peak and one trade's risk within the day's loss, the day's
	 * within the week's (each when both are set).
	 */
	settings_money_order(ctx, rk->trailing_loss, "risk.trailing_loss",
	    rk->daily_loss, "risk.daily_loss");
	settings_money_order(ctx, rk->max_trade_risk, "risk.max_trade_risk",
	    rk->daily_loss, "risk.daily_loss");
	settings_money_order(ctx, rk->daily_loss, "risk.daily_loss",
	    rk->weekly_loss, "risk.weekly_loss");
	if (sz->max_contracts > 0 && sz->min_contracts > sz->max_contracts) {
		snprintf(a, sizeof a, "%lld", (long long)sz->min_contracts);
		snprintf(b, sizeof b, "%lld", (long long)sz->max_contracts);
		settings_greater(ctx, "sizing.min_contracts", a,
		    "sizing.max_contracts", b);
	}
	if (rk->throttle_orders > 0 && rk->throttle_window == 0)
		settings_error(ctx, settings_where(ctx,
		    "risk.throttle_seconds"), "risk.throttle_seconds",
		    "must be > 0 when risk.throttle_orders is %d",
		    rk->throttle_orders);
	if (sz->method == SIZER_FIXED && rk->max_contracts > 0 &&
	    sz->contracts > rk->max_contracts) {
		snprintf(a, sizeof a, "%lld", (long long)sz->contracts);
		snprintf(b, sizeof b, "%lld", (long long)rk->max_contracts);
		settings_greater(ctx, "sizing.contracts", a,
		    "risk.max_contracts", b);
	}
	if (sz->method == SIZER_RISK) {
		if (sz->risk_per_trade <= 0)
			settings_error(ctx, settings_where(ctx,
			    "sizing.risk_per_trade"), "sizing.risk_per_trade",
			    "must be > 0 with sizing.method \"risk\"");
		if (rk->max_contracts > 0 &&
		    sz->min_contracts > rk->max_contracts) {
			snprintf(a, sizeof a, "%lld",
			    (long long)sz->min_contracts);
			snprintf(b, sizeof b, "%lld",
			    (long long)rk->max_contracts);
			settings_greater(ctx, "sizing.min_contracts", a,
			    "risk.max_contracts", b);
		} else if (rk->max_contracts > 0 &&
		    sz->max_contracts > rk->max_contracts) {
			snprintf(a, sizeof a, "%lld",
			    (long long)sz->max_contracts);
			snprintf(b, sizeof b, "%lld",
			    (long long)rk->max_contracts);
			settings_greater(ctx, "sizing.max_contracts", a,
			    "risk.max_contracts", b);
		}
		if (rk->max_trade_risk > 0 &&
		    sz->risk_per_trade > rk->max_trade_risk) {
			settings_format_money(sz->risk_per_trade, a, sizeof a);
			settings_format_money(rk->max_trade_risk, b, sizeof b);
			settings_greater(ctx, "sizing.risk_per_trade", a,
			    "risk.max_trade_risk", b);
		}
	}

	/* What a strategy asks of the sizer and the risk manager. */
	for (int i = 0; i < ec->nstrat; i++) {
		const struct strategy_ops *ops = ctx->ops[i];
		const struct strategy_cfg *sc = &ec->strat[i];

		if (!ctx->strat_ok[i] || !sc->enabled)
			continue;
		k = strat_param_index(ops, "stop_ticks");
		if (sz->method == SIZER_RISK && k != -1 &&
		    sc->params[k] <= 0) {
			snprintf(show, sizeof show,
			    "strategies[%d].params.stop_ticks", i);
			settings_error(ctx, ctx->params[i] != NULL ?
			    settings_member(ctx->params[i], "stop_ticks") :
			    ctx->strat[i], show, "must be > 0 with "
			    "sizing.method \"risk\"");
		}
		k = strat_param_index(ops, "contracts");
		if (k != -1 && rk->max_contracts > 0 &&
		    sc->params[k] > rk->max_contracts) {
			snprintf(show, sizeof show,
			    "strategies[%d].params.contracts", i);
			settings_error(ctx, ctx->params[i] != NULL ?
			    settings_member(ctx->params[i], "contracts") :
			    ctx->strat[i], show, "%lld is greater than "
			    "risk.max_contracts %lld",
			    (long long)sc->params[k],
			    (long long)rk->max_contracts);
		}
	}
}

/* Loading. */

/*
 * The file an "@include" line names, as libconfig finds it (from dir,
 * "" for the current one), into buf: 1 when line (len bytes) is one,
 * else 0.
 */
static int
settings_include(const char *line, size_t len, const char *dir, char *buf,
    size_t blen)
{
	const char	*p = line, *end = line + len, *q;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 8 || strncmp(p, "@include", 8) != 0)
		return 0;
	for (p += 8; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p == end || *p++ != '"' || (q = memchr(p, '"', (size_t)(end -
	    p))) == NULL)
		return 0;
	if (*p == '/' || dir[0] == '\0')
		settings_fmt(buf, blen, "%.*s", (int)(q - p), p);
	else
		settings_fmt(buf, blen, "%s/%.*s", dir, (int)(q - p), p);
	return 1;
}

/*
 * Check the size and the lines of file and of the files it @includes
 * before libconfig reads them: its scanner takes time in the square of a
 * line's length, so that a few megabytes on one line would stall the
 * thread that reads them (a reload, the engine's).  -1 after reporting
 * the first limit passed; 0 when the file cannot be read (libconfig then
 * says why) or is no regular file.
 */
static int
settings_check_text(struct settings_ctx *ctx, const char *file,
    const char *dir, int depth)
{
	char		 msg[SETTINGS_LINE_MAX], inc[SETTINGS_SOURCE_MAX];
	char		*text = NULL, *p, *end, *nl;
	unsigned	 lineno = 1;
	struct stat	 sb;
	size_t		 n;
	FILE		*f;
	int		 rc = 0;

	if ((f = fopen(file, "r")) == NULL)
		return 0;
	if (fstat(fileno(f), &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (sb.st_size <= SETTINGS_FILE_MAX &&
	    (text = malloc(SETTINGS_FILE_MAX + 1)) == NULL)) {
		fclose(f);
		return 0;
	}
	if (sb.st_size > SETTINGS_FILE_MAX ||
	    (n = fread(text, 1, SETTINGS_FILE_MAX + 1, f)) >
	    SETTINGS_FILE_MAX) {
		settings_fmt(msg, sizeof msg, "%s: %lld bytes, more than the "
		    "limit %d", file, (long long)sb.st_size,
		    SETTINGS_FILE_MAX);
		settings_add(ctx, file, 0, msg);
		free(text);
		fclose(f);
		return -1;
	}
	fclose(f);
	for (p = text, end = text + n; rc == 0 && p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl - p > SETTINGS_TEXT_LINE_MAX) {
			settings_fmt(msg, sizeof msg, "%s:%u: %zu bytes on one "
			    "line, more than the limit %d", file, lineno,
			    (size_t)(nl - p), SETTINGS_TEXT_LINE_MAX);
			settings_add(ctx, file, lineno, msg);
			rc = -1;
		} else if (depth < SETTINGS_INCLUDE_DEPTH &&
		    settings_include(p, (size_t)(nl - p), dir, inc,
		    sizeof inc) == 1)
			rc = settings_check_text(ctx, inc, dir, depth + 1);
		lineno++;
	}
	free(text);
	return rc;
}

/* Read file k of the load into its config; -1 after reporting why not. */
static int
settings_read(struct settings_ctx *ctx, int k, config_t *cf)
{
	char		 file[SETTINGS_SOURCE_MAX], line[SETTINGS_LINE_MAX];
	FILE		*f;

	ctx->cur = k;
	/* libconfig says only "file I/O error"; say which. */
	if ((f = fopen(ctx->main[k], "r")) == NULL) {
		if (k > 0 && errno == ENOENT)
			settings_error(ctx, NULL, NULL, "%s (environments "
			    "here: %s)", strerror(errno), ctx->envs);
		else if (errno == ENOENT && strcmp(ctx->main[k],
		    SETTINGS_INSTALLED) == 0)
			settings_error(ctx, NULL, NULL, "no configuration: "
			    "none given (-c FILE, or TICKDESK_CONFIG), none at "
			    "conf/tickdesk.cfg here or in $XDG_CONFIG_HOME/"
			    "tickdesk, and none installed here");
		else
			settings_error(ctx, NULL, NULL, "%s", strerror(errno));
		return -1;
	}
	fclose(f);
	if (settings_check_text(ctx, ctx->main[k], ctx->dir[k], 0) == -1)
		return -1;

	if (ctx->dir[k][0] != '\0')
		config_set_include_dir(cf, ctx->dir[k]);
	if (config_read_file(cf, ctx->main[k]))
		return 0;
	if (config_error_type(cf) == CONFIG_ERR_FILE_IO) {
		settings_error(ctx, NULL, NULL, "cannot read the file");
		return -1;
	}
	/* libconfig names a file it could not parse as written. */
	if (config_error_file(cf) == NULL || strcmp(config_error_file(cf),
	    ctx->main[k]) == 0 || config_error_file(cf)[0] == '/' ||
	    ctx->dir[k][0] == '\0')
		snprintf(file, sizeof file, "%s", config_error_file(cf) !=
		    NULL ? config_error_file(cf) : ctx->main[k]);
	else
		settings_fmt(file, sizeof file, "%s/%s", ctx->dir[k],
		    config_error_file(cf));
	settings_fmt(line, sizeof line, "%s:%d: %s", file,
	    config_error_line(cf), config_error_text(cf));
	settings_add(ctx, file, (unsigned)config_error_line(cf), line);
	return -1;
}

/* The directory of path into buf ("" for the current one). */
static void
settings_dirname(const char *path, char *buf, size_t len)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%.*s", slash == path ? 1 :
		    (int)(slash - path), path);
}

static bool
settings_env_name(const char *env)
{
	size_t	 n = strlen(env);

	if (n == 0 || n >= SETTINGS_ENV_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)env[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return env[0] != '-';
}

int
settings_env_path(const char *path, const char *env, char *buf, size_t len)
{
	char	 dir[SETTINGS_SOURCE_MAX];
	int	 n;

	if (!settings_env_name(env))
		return -1;
	settings_dirname(path, dir, sizeof dir);
	if (dir[0] == '\0')
		n = snprintf(buf, len, "env/%s.cfg", env);
	else if (strcmp(dir, "/") == 0)
		n = snprintf(buf, len, "/env/%s.cfg", env);
	else
		n = snprintf(buf, len, "%s/env/%s.cfg", dir, env);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

const char *
settings_env(const char *given)
{
	const char	*env;

	if (given != NULL)
		return given;
	if ((env = getenv("TICKDESK_ENV")) != NULL && env[0] != '\0')
		return env;
	return NULL;
}

static int
settings_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "dev, prod, sim": the environments next to the base file, for hints. */
static void
settings_env_list(const char *path, char *buf, size_t len)
{
	char		 dir[SETTINGS_SOURCE_MAX], *names[64];
	struct dirent	*d;
	DIR		*dp;
	size_t		 used = 0, n = 0;

	settings_dirname(path, dir, sizeof dir);
	settings_fmt(dir + strlen(dir), sizeof dir - strlen(dir), "%s",
	    dir[0] == '\0' ? "env" : "/env");
	snprintf(buf, len, "none");
	if ((dp = opendir(dir)) == NULL)
		return;
	while ((d = readdir(dp)) != NULL && n < sizeof names / sizeof *names) {
		size_t	 l = strlen(d->d_name);

		if (l > 4 && strcmp(d->d_name + l - 4, ".cfg") == 0 &&
		    (names[n] = strndup(d->d_name, l - 4)) != NULL) {
			if (settings_env_name(names[n]))
				n++;
			else
				free(names[n]);
		}
	}
	closedir(dp);
	if (n > 0)
		qsort(names, n, sizeof *names, settings_name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", i > 0 ? ", " : "", names[i]);
		free(names[i]);
	}
}

int
settings_load(const char *path, struct settings *out, char *errors,
    size_t len)
{
	return settings_load_env(path, NULL, out, errors, len);
}

int
settings_load_env(const char *path, const char *env, struct settings *out,
    char *errors, size_t len)
{
	struct settings_ctx	*ctx;
	locale_t		 c, old = (locale_t)0;
	char			 line[SETTINGS_LINE_MAX];
	bool			 read_all = true;
	int			 rc;

	if (len == 0)
		errors = NULL;
	if (errors != NULL)
		errors[0] = '\0';
	settings_defaults(out);
	snprintf(out->source, sizeof out->source, "%s", path);
	if ((ctx = calloc(1, sizeof *ctx)) == NULL) {
		if (errors != NULL)
			snprintf(errors, len, "%s: out of memory\n", path);
		return -1;
	}
	ctx->path = path;
	ctx->s = out;
	ctx->errors = errors;
	ctx->len = len;
	ctx->main[0] = path;
	ctx->nlayers = 1;
	/* @include names are relative to the including file's directory. */
	settings_dirname(path, ctx->dir[0], sizeof ctx->dir[0]);
	/* Problems of the main file come first, then the others. */
	if ((ctx->files[0] = strdup(path)) != NULL)
		ctx->nfiles = 1;
	if (env != NULL && env[0] != '\0') {
		if (settings_env_path(path, env, out->env_source,
		    sizeof out->env_source) == -1) {
			settings_fmt(line, sizeof line, "environment '%s': "
			    "not a name of 1 to %d letters, digits, '-' or "
			    "'_'", env, SETTINGS_ENV_MAX - 1);
			settings_add(ctx, path, 0, line);
		} else {
			snprintf(out->env, sizeof out->env, "%s", env);
			ctx->main[1] = out->env_source;
			settings_dirname(ctx->main[1], ctx->dir[1],
			    sizeof ctx->dir[1]);
			settings_env_list(path, ctx->envs, sizeof ctx->envs);
			ctx->nlayers = 2;
			if (ctx->nfiles < SETTINGS_FILES_MAX &&
			    (ctx->files[ctx->nfiles] = strdup(
			    ctx->main[1])) != NULL)
				ctx->nfiles++;
		}
	}

	/*
	 * libconfig reads floats with strtod, and so does the check of
	 * their text: "0.25" must not depend on LC_NUMERIC.  uselocale
	 * changes this thread only.
	 */
	if ((c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) != (locale_t)0)
		old = uselocale(c);
	/* Each file in turn over the one before; checks across keys last. */
	for (int k = 0; k < ctx->nlayers; k++) {
		config_init(&ctx->layer[k]);
		if (settings_read(ctx, k, &ctx->layer[k]) == -1) {
			read_all = false;
			continue;
		}
		ctx->cf[k] = &ctx->layer[k];
		settings_walk_group(ctx, config_root_setting(ctx->cf[k]), "",
		    "", 0);
	}
	ctx->cur = 0;
	if (read_all) {
		settings_check_missing(ctx);
		settings_check_names(ctx);
		settings_check_refs(ctx);
		settings_check_limits(ctx);
		settings_check_venue(ctx);
		settings_check_news(ctx);
		settings_check_feed(ctx);
		settings_check_optimize(ctx);
	}
	for (int k = 0; k < ctx->nlayers; k++)
		config_destroy(&ctx->layer[k]);
	if (c != (locale_t)0) {
		uselocale(old);
		freelocale(c);
	}

	out->engine.order_capacity = out->venue.max_orders;
	out->data.tz = out->data_tz[0] != '\0' ? out->data_tz : NULL;
	/* The plug-ins were opened to be checked; settings_strategies
	 * opens them for a run. */
	strat_registry_free(ctx->reg);
	out->strategies = NULL;
	settings_errors_finish(ctx);
	rc = ctx->nerr > 0 ? -1 : 0;
	free(ctx);
	return rc;
}

/* Printing. */

/* A string in quotes with libconfig's escapes. */
static void
settings_print_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* [ "stop", "target" ] or [ "MES" ]. */
static void
settings_print_words(FILE *f, const struct settings_key *key,
    const void *field)
{
	unsigned	 mask = 0;
	int		 n = 0, said = 0;

	if (key->names != NULL)
		memcpy(&mask, field, sizeof mask);
	else
		n = (int)settings_load_int(settings_elem((void *)field, key,
		    key->offset2), sizeof(int));
	fputs("[", f);
	for (int i = 0; key->names != NULL && key->names[i] != NULL; i++) {
		if ((mask & (1u << i)) == 0)
			continue;
		fputs(said++ > 0 ? ", " : " ", f);
		settings_print_string(f, key->names[i]);
	}
	for (int i = 0; i < n; i++) {
		fputs(said++ > 0 ? ", " : " ", f);
		settings_print_string(f, (const char *)field +
		    (size_t)i * key->size);
	}
	fputs(said > 0 ? " ]" : "]", f);
}

static void
settings_indent(FILE *f, int depth)
{
	for (int i = 0; i < depth; i++)
		fputc('\t', f);
}

static void
settings_print_value(FILE *f, const struct settings_key *key,
    const void *field, int depth)
{
	char		 buf[FIXED_FMT_MAX], d[16];
	int64_t		 v;
	int		 n, d2;

	switch (key->type) {
	case SETTINGS_INT:
		v = settings_load_int(field, key->size);
		fprintf(f, "%lld", (long long)(key->scale > 1 ?
		    v / key->scale : v));
		break;
	case SETTINGS_MONEY:
		fputs(settings_format_money(settings_load_int(field,
		    key->size), buf, sizeof buf), f);
		break;
	case SETTINGS_PRICE:
		v = settings_load_int(field, key->size);
		d2 = fixed_decimals(v);
		fputs(fixed_format(v, d2 > 0 ? d2 : 1, buf, sizeof buf), f);
		break;
	case SETTINGS_BOOL:
		fputs(*(const bool *)field ? "true" : "false", f);
		break;
	case SETTINGS_STRING:
	case SETTINGS_ZONE:
	case SETTINGS_STRATEGY:
	case SETTINGS_SECRET:	/* where it comes from, never its value */
		settings_print_string(f, field);
		break;
	case SETTINGS_ENUM:
		v = settings_load_int(field, key->size);
		for (n = 0; key->names[n] != NULL; n++)
			continue;
		/* A value set by hand outside the table prints as unknown. */
		settings_print_string(f, v >= 0 && v < n ? key->names[v] :
		    "?");
		break;
	case SETTINGS_TIME:
		v = settings_load_int(field, key->size);
		fprintf(f, "\"%02d:%02d\"", (int)(v / 60), (int)(v % 60));
		break;
	case SETTINGS_RANGE:
		v = settings_load_int(field, key->size);
		d2 = (int)settings_load_int(settings_elem((void *)field, key,
		    key->offset2), key->size);
		fprintf(f, "\"%02d:%02d-%02d:%02d\"", (int)(v / 60),
		    (int)(v % 60), d2 / 60, d2 % 60);
		break;
	case SETTINGS_DATES:
	case SETTINGS_CLOSES:
		n = (int)settings_load_int(settings_elem((void *)field, key,
		    key->offset2), sizeof(int));
		fputs("[", f);
		for (int i = 0; i < n; i++) {
			settings_format_date(((const int32_t *)field)[i], d,
			    sizeof d);
			if (i % (key->type == SETTINGS_DATES ? 4 : 2) == 0) {
				fputs(i > 0 ? ",\n" : "\n", f);
				settings_indent(f, depth + 1);
			} else
				fputs(", ", f);
			if (key->type == SETTINGS_CLOSES) {
				int	 m = ((const int *)settings_elem(
				    (void *)field, key, key->offset3))[i];

				fprintf(f, "\"%s %02d:%02d\"", d, m / 60,
				    m % 60);
			} else
				fprintf(f, "\"%s\"", d);
		}
		fputs(n > 0 ? " ]" : "]", f);
		break;
	case SETTINGS_WORDS:
		settings_print_words(f, key, field);
		break;
	default:
		break;
	}
}

static void	settings_print_rows(FILE *, const struct settings *,
		    const char *, int, int);

static void
settings_print_params(FILE *f, const struct settings *s, int idx, int depth)
{
	const struct strategy_cfg	*sc = &s->engine.strat[idx];
	const struct strategy_ops	*ops = settings_ops(s, idx);

	fputs("params = {", f);
	if (ops == NULL || ops->params[0].name == NULL) {
		fputs(" };\n", f);
		return;
	}
	fputc('\n', f);
	for (int i = 0; ops->params[i].name != NULL; i++) {
		const struct strat_param	*p = &ops->params[i];
		char				 v[STRAT_STRING_MAX + 32];

		strat_param_format(p, sc->params[i], strat_param_get_text(ops,
		    sc->param_text, i), v, sizeof v);
		settings_indent(f, depth + 1);
		fprintf(f, "%s = ", p->name);
		if (p->type == STRAT_PARAM_ENUM || p->type ==
		    STRAT_PARAM_STRING)
			settings_print_string(f, v);
		else
			fputs(v, f);
		fputs(";\n", f);
	}
	settings_indent(f, depth);
	fputs("};\n", f);
}

static void
settings_print_list(FILE *f, const struct settings *s,
    const struct settings_key *key, int depth)
{
	int	 n = (int)settings_load_int(settings_cbase(s, key, 0),
		    key->size);

	fputs("(", f);
	for (int i = 0; i < n; i++) {
		fputs(i > 0 ? ",\n" : "\n", f);
		settings_indent(f, depth + 1);
		fputs("{\n", f);
		settings_print_rows(f, s, key->path, i, depth + 2);
		settings_indent(f, depth + 1);
		fputs("}", f);
	}
	fputs(n > 0 ? "\n" : "", f);
	if (n > 0)
		settings_indent(f, depth);
	fputs(");\n", f);
}

/* The rows directly under prefix, for element idx. */
static void
settings_print_rows(FILE *f, const struct settings *s, const char *prefix,
    int idx, int depth)
{
	const struct settings_key	*key;
	size_t				 plen = strlen(prefix);

	for (key = settings_table(); key->path != NULL; key++) {
		const char	*name = key->path + plen + (plen > 0);

		if (plen > 0 && (strncmp(key->path, prefix, plen) != 0 ||
		    key->path[plen] != '.'))
			continue;
		if (strchr(name, '.') != NULL)
			continue;
		if (depth == 0)
			fprintf(f, "\n# %s\n", key->text);
		settings_indent(f, depth);
		if (key->type == SETTINGS_PARAMS) {
			settings_print_params(f, s, idx, depth);
			continue;
		}
		fprintf(f, "%s = ", name);
		switch (key->type) {
		case SETTINGS_GROUP:
			fputs("{\n", f);
			settings_print_rows(f, s, key->path, idx, depth + 1);
			settings_indent(f, depth);
			fputs("};\n", f);
			break;
		case SETTINGS_LIST:
			settings_print_list(f, s, key, depth);
			break;
		default:
			settings_print_value(f, key, settings_cbase(s, key,
			    idx), depth);
			if (key->type == SETTINGS_SECRET &&
			    *(const char *)settings_cbase(s, key, idx) != '\0')
				fputs(";\t# secret: ********\n", f);
			else
				fputs(";\n", f);
			break;
		}
	}
}

int
settings_print(FILE *f, const struct settings *s)
{
	fprintf(f, "# tickdesk effective configuration%s%s",
	    s->source[0] != '\0' ? " from " : "", s->source);
	if (s->env[0] != '\0')
		fprintf(f, " with environment %s (%s)", s->env,
		    s->env_source);
	fputc('\n', f);
	settings_print_rows(f, s, "", 0, 0);
	fflush(f);
	return ferror(f) ? -1 : 0;
}

/* The table as text. */

const char *
settings_type_name(enum settings_type type)
{
	static const char *const names[] = {
		[SETTINGS_GROUP] = "group",
		[SETTINGS_LIST] = "list",
		[SETTINGS_INT] = "int",
		[SETTINGS_MONEY] = "money",
		[SETTINGS_PRICE] = "price",
		[SETTINGS_BOOL] = "bool",
		[SETTINGS_STRING] = "string",
		[SETTINGS_ZONE] = "zone",
		[SETTINGS_ENUM] = "enum",
		[SETTINGS_STRATEGY] = "strategy",
		[SETTINGS_TIME] = "time",
		[SETTINGS_RANGE] = "range",
		[SETTINGS_DATES] = "dates",
		[SETTINGS_CLOSES] = "closes",
		[SETTINGS_PARAMS] = "params",
		[SETTINGS_SECRET] = "secret",
		[SETTINGS_WORDS] = "words",
	};

	if ((unsigned)type >= sizeof names / sizeof names[0])
		return "?";
	return names[type];
}

char *
settings_key_range(const struct settings_key *key, char *buf, size_t len)
{
	const struct strat_registry *reg = strat_registry_builtin();
	char			 a[FIXED_FMT_MAX], b[FIXED_FMT_MAX];
	size_t			 used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	switch (key->type) {
	case SETTINGS_INT:
		snprintf(buf, len, "%lld..%lld", (long long)key->min,
		    (long long)key->max);
		break;
	case SETTINGS_MONEY:
		snprintf(buf, len, "%s..%s",
		    settings_format_money(key->min, a, sizeof a),
		    settings_format_money(key->max, b, sizeof b));
		break;
	case SETTINGS_PRICE:
		snprintf(buf, len, "%s..%s",
		    fixed_format(key->min, FIXED_DECIMALS, a, sizeof a),
		    fixed_format(key->max, 0, b, sizeof b));
		break;
	case SETTINGS_STRING:
	case SETTINGS_ZONE:
		snprintf(buf, len, "%lld..%lld chars", (long long)key->min,
		    (long long)key->max);
		break;
	case SETTINGS_ENUM:
		for (int i = 0; key->names[i] != NULL && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", i > 0 ? "|" : "", key->names[i]);
		break;
	case SETTINGS_STRATEGY:
		for (int i = 0; i < strat_registry_count(reg) && used < len;
		    i++)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", i > 0 ? "|" : "",
			    strat_registry_at(reg, i)->name);
		break;
	case SETTINGS_BOOL:
		snprintf(buf, len, "true|false");
		break;
	case SETTINGS_TIME:
		snprintf(buf, len, "00:00..23:59");
		break;
	case SETTINGS_RANGE:
		snprintf(buf, len, "00:00..24:00");
		break;
	case SETTINGS_WORDS:
		if (key->names == NULL) {
			snprintf(buf, len, "%lld..%lld symbols",
			    (long long)key->min, (long long)key->max);
			break;
		}
		for (int i = 0; key->names[i] != NULL && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", i > 0 ? "," : "", key->names[i]);
		break;
	case SETTINGS_DATES:
	case SETTINGS_CLOSES:
	case SETTINGS_LIST:
		snprintf(buf, len, "%lld..%lld", (long long)key->min,
		    (long long)key->max);
		break;
	case SETTINGS_SECRET:
		snprintf(buf, len, "env:NAME|file:PATH");
		break;
	case SETTINGS_GROUP:
	case SETTINGS_PARAMS:
		snprintf(buf, len, "-");
		break;
	}
	return buf;
}

const char *
settings_path(const char *given, char *buf, size_t len)
{
	const char	*env;

	if (given != NULL)
		return given;
	if ((env = getenv("TICKDESK_CONFIG")) != NULL && env[0] != '\0')
		return env;
	if (access("conf/tickdesk.cfg", F_OK) == 0)
		return "conf/tickdesk.cfg";
	if (xdg_path(XDG_CONFIG, "tickdesk/tickdesk.cfg", buf, len) == 0 &&
	    access(buf, F_OK) == 0)
		return buf;
	return SETTINGS_INSTALLED;
}

struct venue *
settings_venue(const struct settings *st, struct errmsg *err)
{
	struct venue_fix_cfg	 fc;
	struct venue		*v;

	switch (st->venue_type) {
	case SETTINGS_VENUE_SIM:
		return venue_sim_create(&st->venue, err);
	case SETTINGS_VENUE_FIX:
		fc = st->venue_fix;
		if (settings_secret(st, "venue.password", fc.password,
		    sizeof fc.password, err) == -1)
			return NULL;
		v = venue_fix_create(&fc, st->engine.inst, st->engine.ninst,
		    NULL, err);
		explicit_bzero(fc.password, sizeof fc.password);
		return v;
	}
	errmsg_set(err, "venue.type %d: no such venue", (int)st->venue_type);
	return NULL;
}

struct feed *
settings_feed_fix(const struct settings *st, struct errmsg *err)
{
	struct feed_fix_cfg	 fc = st->feed_fix;
	struct feed		*f;

	if (settings_secret(st, "feed.password", fc.password,
	    sizeof fc.password, err) == -1)
		return NULL;
	f = feed_fix_create(&fc, st->engine.inst, st->engine.ninst, err);
	explicit_bzero(fc.password, sizeof fc.password);
	return f;
}

/*
 * The reader options of the data group, with the --format, --tz, --stamp and
 * --skip-disorder options of a command on top; -1 after saying what is
 * wrong on stderr.
 */
int
settings_reader_opts(const struct settings *st, const char *format,
    const char *tz, const char *stamp, bool skip_disorder,
    struct reader_opts *ro)
{
	*ro = st->data;
	if (format != NULL &&
	    (ro->format = reader_format_of(format)) == READER_UNKNOWN) {
		fprintf(stderr, "tickdesk: --format %s: unknown format\n",
		    format);
		return -1;
	}
	if (tz != NULL)
		ro->tz = tz;
	if (stamp != NULL) {
		if (strcmp(stamp, "start") == 0)
			ro->stamp = READER_STAMP_START;
		else if (strcmp(stamp, "end") == 0)
			ro->stamp = READER_STAMP_END;
		else {
			fprintf(stderr, "tickdesk: --stamp %s: use start or "
			    "end\n", stamp);
			return -1;
		}
	}
	if (skip_disorder)
		ro->disorder = READER_SKIP;
	return 0;
}
