/*
 * calendar.c -- trading-session calendars (see calendar.h).
 *
 * A calendar owns a checked copy of its configuration, its two zones (the
 * session zone and the zone of the trading-day roll) and sorted copies of
 * the holiday and early-close lists for binary search.  Every answer is
 * computed from the trading day's local wall times through tz_to_utc, so a
 * session that opens at 09:30 New York opens at 14:30 UTC in January and
 * 13:30 UTC in July without any special case for the change.
 *
 * Internally a trading day is a count of days since 1970-01-01 (the tz
 * civil helpers); yyyymmdd appears only at the interface.  The engine's
 * timers come from calendar_next_event.  Worked out directly (next_event),
 * an answer looks at the few trading days whose boundaries can fall near
 * the instant asked about and picks the earliest boundary after it: about
 * a week of session days, each through five time-zone conversions, for
 * every boundary.  So the calendar keeps, per year from TABLE_Y0 to
 * TABLE_Y1, the sorted table of that year's boundaries, each trading day
 * worked out once, made the first time the year is asked about.  The room
 * for them is reserved at create (address space: the pages of a year are
 * touched only when it is made), so nothing is allocated while a session
 * runs.  A year's state is atomic: the thread that moves it from empty to
 * making fills it and publishes it ready; a thread that finds it being
 * made does not wait but works its answer out directly.  An answer is a
 * binary search in its year's table; outside those years, or when the
 * answer would lie outside what the direct computation looks at, the
 * direct computation answers.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "errmsg.h"
#include "tz.h"

#define MINUTES_PER_DAY	1440
#define SECS_PER_DAY	86400
#define YEAR_MIN	1900
#define YEAR_MAX	2199
#define SCAN_DAYS	400
/* Every boundary of trading day D lies within 3 days of D's midnight UTC:
 * sessions span at most the evening before to D's end, offsets < 26h. */
#define SPAN_DAYS	3
/* Days since the epoch of 2261-12-31, beyond which td_ns overflows. */
#define DAY_LAST	106650
#define TABLE_Y0	1990		/* years with a table of boundaries */
#define TABLE_Y1	2069
#define NTABLES		(TABLE_Y1 - TABLE_Y0 + 1)
/* Boundaries a year can hold: its days and SPAN_DAYS + 1 either side. */
#define YEAR_CAP	((366 + 2 * SPAN_DAYS + 3) * 6)

struct cal_early {
	int32_t		 date;
	int		 close;
};

/* One boundary of a year's table; days: its trading day. */
struct cal_yev {
	td_ns		 time;
	int32_t		 days;
	int32_t		 kind;
};

enum { YEAR_EMPTY, YEAR_MAKING, YEAR_READY };

/*
 * The boundaries whose instants lie in one UTC year, in (time, kind)
 * order: n of them at ev, YEAR_CAP entries of the calendar's room.
 */
struct cal_year {
	atomic_int	 state;
	size_t		 n;
	struct cal_yev	*ev;
};

struct calendar {
	struct calendar_cfg	 cfg;
	struct tz		*tz;
	struct tz		*roll_tz;
	bool			 rth_evening;	/* RTH opens the day before */
	bool			 eth_evening;	/* ETH opens the day before */
	bool			 roll_evening;	/* day starts the day before */
	int			 nholidays;
	int32_t			 holidays[CAL_MAX_DATES];	/* sorted */
	int			 nearly;
	struct cal_early	 early[CAL_MAX_DATES];		/* sorted */
	struct cal_year		 years[NTABLES];	/* made when asked */
	struct cal_yev		*room;		/* NTABLES x YEAR_CAP */
};

/* The boundaries of one trading day. */
struct cal_day {
	td_ns		 day_start;
	td_ns		 eth_open;
	td_ns		 rth_open;
	td_ns		 rth_close;
	td_ns		 eth_close;
};

/* yyyymmdd -> days since the epoch; false when not a date. */
static bool
ymd_days(int32_t ymd, int64_t *days)
{
	int	 y, m, d;

	if (ymd <= 0)
		return false;
	y = ymd / 10000;
	m = ymd / 100 % 100;
	d = ymd % 100;
	if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 ||
	    d > tz_month_days(y, m))
		return false;
	*days = tz_days_from_civil(y, m, d);
	return true;
}

static int32_t
days_ymd(int64_t days)
{
	int	 y, m, d;

	tz_civil_from_days(days, &y, &m, &d);
	return (int32_t)(y * 10000 + m * 100 + d);
}

/* The UTC instant of a local minute of a day in a zone. */
static td_ns
local_at(const struct tz *tz, int64_t days, int minute)
{
	int	 y, m, d;

	tz_civil_from_days(days, &y, &m, &d);
	return tz_to_utc(tz, y, m, d, minute / 60, minute % 60, 0);
}

static int
cmp_int32(const void *a, const void *b)
{
	int32_t	 x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_early(const void *a, const void *b)
{
	return cmp_int32(&((const struct cal_early *)a)->date,
	    &((const struct cal_early *)b)->date);
}

static bool
is_holiday(const struct calendar *cal, int32_t ymd)
{
	return bsearch(&ymd, cal->holidays, (size_t)cal->nholidays,
	    sizeof *cal->holidays, cmp_int32) != NULL;
}

/* The early close minute of a day, or -1. */
static int
early_close(const struct calendar *cal, int32_t ymd)
{
	const struct cal_early	*e;
	struct cal_early	 key = { .date = ymd };

	e = bsearch(&key, cal->early, (size_t)cal->nearly, sizeof *cal->early,
	    cmp_early);
	return e == NULL ? -1 : e->close;
}

static bool
session_day(const struct calendar *cal, int64_t days)
{
	int	 wd = tz_weekday(days);

	return wd != 0 && wd != 6 && !is_holiday(cal, days_ymd(days));
}

static td_ns
day_start(const struct calendar *cal, int64_t days)
{
	return local_at(cal->roll_tz, cal->roll_evening ? days - 1 : days,
	    cal->cfg.day_roll);
}

/* All boundaries of a trading day (session or not). */
static void
day_bounds(const struct calendar *cal, int64_t days, struct cal_day *b)
{
	const struct calendar_cfg	*cfg = &cal->cfg;
	int				 early;

	b->day_start = day_start(cal, days);
	b->eth_open = local_at(cal->tz, cal->eth_evening ? days - 1 : days,
	    cfg->eth_open);
	b->rth_open = local_at(cal->tz, cal->rth_evening ? days - 1 : days,
	    cfg->rth_open);
	/* Validation keeps an early close inside RTH, so ETH ends with it. */
	if ((early = early_close(cal, days_ymd(days))) >= 0) {
		b->rth_close = local_at(cal->tz, days, early);
		b->eth_close = b->rth_close;
	} else {
		b->rth_close = local_at(cal->tz, days, cfg->rth_close);
		b->eth_close = local_at(cal->tz, days, cfg->eth_close);
	}
}

/* The Monday on or before a day. */
static int64_t
monday_of(int64_t days)
{
	return days - (tz_weekday(days) + 6) % 7;
}

/* --- creating ----------------------------------------------------------- */

/* An open minute as minutes from the trading day's midnight (may be < 0). */
static int
rel_open(int open, int close)
{
	return open > close ? open - MINUTES_PER_DAY : open;
}

static int
check_minute(const char *what, int v, struct errmsg *err)
{
	if (v < 0 || v >= MINUTES_PER_DAY)
		return errmsg_set(err, "%s %d not in 0..1439", what, v);
	return 0;
}

static int
check_cfg(const struct calendar_cfg *cfg, struct errmsg *err)
{
	int64_t	 days;
	int	 i, j, wd;

	if (memchr(cfg->tz, '\0', sizeof cfg->tz) == NULL)
		return errmsg_set(err, "time zone name too long");
	if (cfg->tz[0] == '\0')
		return errmsg_set(err, "time zone missing");
	if (memchr(cfg->roll_tz, '\0', sizeof cfg->roll_tz) == NULL)
		return errmsg_set(err, "roll time zone name too long");
	if (check_minute("rth_open", cfg->rth_open, err) != 0 ||
	    check_minute("rth_close", cfg->rth_close, err) != 0 ||
	    check_minute("eth_open", cfg->eth_open, err) != 0 ||
	    check_minute("eth_close", cfg->eth_close, err) != 0 ||
	    check_minute("day_roll", cfg->day_roll, err) != 0)
		return -1;
	if (cfg->rth_open == cfg->rth_close)
		return errmsg_set(err, "rth_open equals rth_close (%d)",
		    cfg->rth_open);
	if (cfg->eth_open == cfg->eth_close)
		return errmsg_set(err, "eth_open equals eth_close (%d)",
		    cfg->eth_open);
	if (rel_open(cfg->eth_open, cfg->eth_close) >
	    rel_open(cfg->rth_open, cfg->rth_close) ||
	    cfg->rth_close > cfg->eth_close)
		return errmsg_set(err, "regular hours %02d:%02d-%02d:%02d not "
		    "within extended hours %02d:%02d-%02d:%02d",
		    cfg->rth_open / 60, cfg->rth_open % 60,
		    cfg->rth_close / 60, cfg->rth_close % 60,
		    cfg->eth_open / 60, cfg->eth_open % 60,
		    cfg->eth_close / 60, cfg->eth_close % 60);

	if (cfg->nholidays < 0 || cfg->nholidays > CAL_MAX_DATES)
		return errmsg_set(err, "%d holidays, at most %d",
		    cfg->nholidays, CAL_MAX_DATES);
	for (i = 0; i < cfg->nholidays; i++) {
		if (!ymd_days(cfg->holidays[i], &days))
			return errmsg_set(err, "holiday %d is not a date "
			    "(yyyymmdd)", (int)cfg->holidays[i]);
		for (j = 0; j < i; j++) {
			if (cfg->holidays[j] == cfg->holidays[i])
				return errmsg_set(err, "holiday %d listed "
				    "twice", (int)cfg->holidays[i]);
		}
	}

	if (cfg->nearly < 0 || cfg->nearly > CAL_MAX_DATES)
		return errmsg_set(err, "%d early closes, at most %d",
		    cfg->nearly, CAL_MAX_DATES);
	for (i = 0; i < cfg->nearly; i++) {
		if (!ymd_days(cfg->early_date[i], &days))
			return errmsg_set(err, "early close %d is not a date "
			    "(yyyymmdd)", (int)cfg->early_date[i]);
		wd = tz_weekday(days);
		if (wd == 0 || wd == 6)
			return errmsg_set(err, "early close %d is not a "
			    "weekday", (int)cfg->early_date[i]);
		for (j = 0; j < i; j++) {
			if (cfg->early_date[j] == cfg->early_date[i])
				return errmsg_set(err, "early close %d listed "
				    "twice", (int)cfg->early_date[i]);
		}
		for (j = 0; j < cfg->nholidays; j++) {
			if (cfg->holidays[j] == cfg->early_date[i])
				return errmsg_set(err, "early close %d is "
				    "also a holiday", (int)cfg->early_date[i]);
		}
		if (cfg->early_close[i] < 0 ||
		    cfg->early_close[i] >= MINUTES_PER_DAY ||
		    cfg->early_close[i] <= rel_open(cfg->rth_open,
		    cfg->rth_close) || cfg->early_close[i] > cfg->rth_close)
			return errmsg_set(err, "early close %d at minute %d "
			    "not within regular hours %02d:%02d-%02d:%02d",
			    (int)cfg->early_date[i], cfg->early_close[i],
			    cfg->rth_open / 60, cfg->rth_open % 60,
			    cfg->rth_close / 60, cfg->rth_close % 60);
	}
	return 0;
}

struct calendar *
calendar_create(const struct calendar_cfg *cfg, struct errmsg *err)
{
	struct calendar	*cal;
	const char	*roll;
	int		 i;

	if (memchr(cfg->name, '\0', sizeof cfg->name) == NULL) {
		errmsg_set(err, "calendar name too long");
		return NULL;
	}
	if (cfg->name[0] == '\0') {
		errmsg_set(err, "calendar name missing");
		return NULL;
	}
	if (check_cfg(cfg, err) != 0) {
		errmsg_prefix(err, "calendar '%s'", cfg->name);
		return NULL;
	}
	if ((cal = calloc(1, sizeof *cal)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	cal->cfg = *cfg;
	roll = cfg->roll_tz[0] != '\0' ? cfg->roll_tz : cfg->tz;
	if ((cal->tz = tz_load(cfg->tz, err)) == NULL ||
	    (cal->roll_tz = tz_load(roll, err)) == NULL) {
		errmsg_prefix(err, "calendar '%s'", cfg->name);
		calendar_free(cal);
		return NULL;
	}
	cal->rth_evening = cfg->rth_open > cfg->rth_close;
	cal->eth_evening = cfg->eth_open > cfg->eth_close;
	cal->roll_evening = cfg->day_roll >= MINUTES_PER_DAY / 2;

	cal->nholidays = cfg->nholidays;
	memcpy(cal->holidays, cfg->holidays,
	    (size_t)cfg->nholidays * sizeof *cfg->holidays);
	qsort(cal->holidays, (size_t)cal->nholidays, sizeof *cal->holidays,
	    cmp_int32);
	cal->nearly = cfg->nearly;
	for (i = 0; i < cfg->nearly; i++) {
		cal->early[i] = (struct cal_early){
			.date = cfg->early_date[i],
			.close = cfg->early_close[i],
		};
	}
	qsort(cal->early, (size_t)cal->nearly, sizeof *cal->early,
	    cmp_early);
	/* calloc: pages the kernel hands over untouched until a year needs. */
	if ((cal->room = calloc((size_t)NTABLES * YEAR_CAP,
	    sizeof *cal->room)) == NULL) {
		errmsg_set(err, "out of memory");
		calendar_free(cal);
		return NULL;
	}
	for (i = 0; i < NTABLES; i++) {
		atomic_init(&cal->years[i].state, YEAR_EMPTY);
		cal->years[i].ev = cal->room + (size_t)i * YEAR_CAP;
	}
	return cal;
}

void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	tz_free(cal->tz);
	tz_free(cal->roll_tz);
	free(cal->room);
	free(cal);
}

const struct calendar_cfg *
calendar_cfg(const struct calendar *cal)
{
	return &cal->cfg;
}

const struct tz *
calendar_tz(const struct calendar *cal)
{
	return cal->tz;
}

/* --- questions ---------------------------------------------------------- */

/* The trading day of an instant, as days since the epoch. */
static int64_t
trading_days(const struct calendar *cal, td_ns t)
{
	struct tz_tm	 tm;
	int64_t		 days;
	int		 minute;

	tz_to_local(cal->roll_tz, t, &tm);
	days = tz_days_from_civil(tm.year, tm.mon, tm.mday);
	minute = tm.hour * 60 + tm.min;
	if (cal->roll_evening && minute >= cal->cfg.day_roll)
		days++;
	else if (!cal->roll_evening && minute < cal->cfg.day_roll)
		days--;
	return days;
}

int32_t
calendar_trading_day(const struct calendar *cal, td_ns t)
{
	return days_ymd(trading_days(cal, t));
}

int32_t
calendar_week(const struct calendar *cal, td_ns t)
{
	return days_ymd(monday_of(trading_days(cal, t)));
}

bool
calendar_is_session_day(const struct calendar *cal, int32_t day)
{
	int64_t	 days;

	return ymd_days(day, &days) && session_day(cal, days);
}

int
calendar_rth(const struct calendar *cal, int32_t day, td_ns *open,
    td_ns *close)
{
	struct cal_day	 b;
	int64_t		 days;

	if (!ymd_days(day, &days) || !session_day(cal, days))
		return -1;
	day_bounds(cal, days, &b);
	*open = b.rth_open;
	*close = b.rth_close;
	return 0;
}

int
calendar_eth(const struct calendar *cal, int32_t day, td_ns *open,
    td_ns *close)
{
	struct cal_day	 b;
	int64_t		 days;

	if (!ymd_days(day, &days) || !session_day(cal, days))
		return -1;
	day_bounds(cal, days, &b);
	*open = b.eth_open;
	*close = b.eth_close;
	return 0;
}

int
calendar_day_start(const struct calendar *cal, int32_t day, td_ns *start)
{
	int64_t	 days;

	if (!ymd_days(day, &days))
		return -1;
	*start = day_start(cal, days);
	return 0;
}

/*
 * The session of trading day D runs from the evening of D - 1 at the
 * earliest to the end of D, in the session zone, and sessions never
 * overlap; so only D = t's local date and the day after can hold t.
 */
enum cal_phase
calendar_phase(const struct calendar *cal, td_ns t)
{
	struct tz_tm	 tm;
	struct cal_day	 b;
	int64_t		 days, d;

	tz_to_local(cal->tz, t, &tm);
	days = tz_days_from_civil(tm.year, tm.mon, tm.mday);
	for (d = days; d <= days + 1; d++) {
		if (!session_day(cal, d))
			continue;
		day_bounds(cal, d, &b);
		if (t < b.eth_open || t >= b.eth_close)
			continue;
		if (t < b.rth_open)
			return CAL_PRE_OPEN;
		if (t < b.rth_close)
			return CAL_RTH;
		return CAL_POST;
	}
	return CAL_CLOSED;
}

const char *
calendar_phase_name(enum cal_phase p)
{
	switch (p) {
	case CAL_CLOSED:
		return "closed";
	case CAL_PRE_OPEN:
		return "pre-open";
	case CAL_RTH:
		return "open";
	case CAL_POST:
		return "post";
	}
	return "unknown";
}

const char *
calendar_event_name(enum cal_event_kind k)
{
	switch (k) {
	case CAL_DAY_START:
		return "day-start";
	case CAL_WEEK_START:
		return "week-start";
	case CAL_ETH_OPEN:
		return "eth-open";
	case CAL_RTH_OPEN:
		return "rth-open";
	case CAL_RTH_CLOSE:
		return "rth-close";
	case CAL_ETH_CLOSE:
		return "eth-close";
	}
	return "unknown";
}

/* Whether a session day is the first session day of its week. */
static bool
first_of_week(const struct calendar *cal, int64_t days)
{
	int64_t	 d;

	for (d = monday_of(days); d < days; d++) {
		if (session_day(cal, d))
			return false;
	}
	return true;
}

/* Keep an event if it comes after (after, after_kind) and before best. */
static void
consider(struct cal_event *best, bool *found, td_ns after, int after_kind,
    enum cal_event_kind kind, td_ns time, int64_t days)
{
	if (time < after || (time == after && (int)kind <= after_kind))
		return;
	if (*found && (time > best->time ||
	    (time == best->time && kind >= best->kind)))
		return;
	*best = (struct cal_event){
		.kind = kind,
		.time = time,
		.day = days_ymd(days),
	};
	*found = true;
}

/* The first event after (after, after_kind) in (time, kind) order. */
static int
next_event(const struct calendar *cal, td_ns after, int after_kind,
    struct cal_event *ev)
{
	struct cal_event	 best = { .kind = CAL_DAY_START };
	struct cal_day		 b;
	int64_t			 first, d;
	bool			 found = false;

	/* Days whose boundaries all lie before `after` are skipped; once a
	 * day's earliest possible boundary is past the best, stop. */
	first = tz_floor_div(after, TD_NS_PER_DAY) - SPAN_DAYS;
	for (d = first; d < first + SCAN_DAYS && d <= DAY_LAST; d++) {
		if (found && (d - SPAN_DAYS) * SECS_PER_DAY >=
		    tz_floor_div(best.time, TD_NS_PER_SEC))
			break;
		if (!session_day(cal, d))
			continue;
		day_bounds(cal, d, &b);
		consider(&best, &found, after, after_kind, CAL_DAY_START,
		    b.day_start, d);
		if (first_of_week(cal, d))
			consider(&best, &found, after, after_kind,
			    CAL_WEEK_START, b.day_start, d);
		consider(&best, &found, after, after_kind, CAL_ETH_OPEN,
		    b.eth_open, d);
		consider(&best, &found, after, after_kind, CAL_RTH_OPEN,
		    b.rth_open, d);
		consider(&best, &found, after, after_kind, CAL_RTH_CLOSE,
		    b.rth_close, d);
		consider(&best, &found, after, after_kind, CAL_ETH_CLOSE,
		    b.eth_close, d);
	}
	if (!found)
		return -1;
	*ev = best;
	return 0;
}

/* --- the year tables ---------------------------------------------------- */

static int
cmp_yev(const void *a, const void *b)
{
	const struct cal_yev	*x = a, *y = b;

	if (x->time != y->time)
		return (x->time > y->time) - (x->time < y->time);
	if (x->kind != y->kind)
		return (x->kind > y->kind) - (x->kind < y->kind);
	return (x->days > y->days) - (x->days < y->days);
}

static void
year_add(struct cal_year *y, td_ns lo, td_ns hi, int kind, td_ns time,
    int64_t days)
{
	if (time < lo || time >= hi || y->n >= YEAR_CAP)
		return;
	y->ev[y->n++] = (struct cal_yev){ .time = time,
	    .days = (int32_t)days, .kind = kind };
}

/*
 * Every boundary with its instant in UTC year `year`: each trading day
 * whose boundaries can fall in it (SPAN_DAYS either side, one more for
 * safety) worked out once, as next_event would.
 */
static void
year_make(const struct calendar *cal, int year, struct cal_year *y)
{
	struct cal_day	 b;
	int64_t		 lo = tz_days_from_civil(year, 1, 1);
	int64_t		 hi = tz_days_from_civil(year + 1, 1, 1);
	td_ns		 tlo = lo * TD_NS_PER_DAY, thi = hi * TD_NS_PER_DAY;

	y->n = 0;
	for (int64_t d = lo - SPAN_DAYS - 1; d <= hi + SPAN_DAYS; d++) {
		if (!session_day(cal, d))
			continue;
		day_bounds(cal, d, &b);
		year_add(y, tlo, thi, CAL_DAY_START, b.day_start, d);
		if (first_of_week(cal, d))
			year_add(y, tlo, thi, CAL_WEEK_START, b.day_start, d);
		year_add(y, tlo, thi, CAL_ETH_OPEN, b.eth_open, d);
		year_add(y, tlo, thi, CAL_RTH_OPEN, b.rth_open, d);
		year_add(y, tlo, thi, CAL_RTH_CLOSE, b.rth_close, d);
		year_add(y, tlo, thi, CAL_ETH_CLOSE, b.eth_close, d);
	}
	qsort(y->ev, y->n, sizeof *y->ev, cmp_yev);
}

/*
 * The table of a year, made the first time; NULL outside the years with
 * tables, or while another thread is making it.
 */
static const struct cal_year *
year_get(const struct calendar *cal, int year)
{
	struct cal_year	*y;
	int		 empty = YEAR_EMPTY;

	if (year < TABLE_Y0 || year > TABLE_Y1)
		return NULL;
	/* The tables are the cache of a calendar otherwise read-only. */
	y = (struct cal_year *)&cal->years[year - TABLE_Y0];
	switch (atomic_load_explicit(&y->state, memory_order_acquire)) {
	case YEAR_READY:
		return y;
	case YEAR_MAKING:
		return NULL;
	}
	if (!atomic_compare_exchange_strong_explicit(&y->state, &empty,
	    YEAR_MAKING, memory_order_acquire, memory_order_acquire))
		return atomic_load_explicit(&y->state,
		    memory_order_acquire) == YEAR_READY ? y : NULL;
	year_make(cal, year, y);
	atomic_store_explicit(&y->state, YEAR_READY, memory_order_release);
	return y;
}

/* The first entry after (after, after_kind), or NULL. */
static const struct cal_yev *
year_find(const struct cal_year *y, td_ns after, int after_kind)
{
	size_t	 lo = 0, hi = y->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (y->ev[mid].time < after || (y->ev[mid].time == after &&
		    y->ev[mid].kind <= after_kind))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < y->n ? &y->ev[lo] : NULL;
}

/*
 * next_event from the year tables: the answer when it belongs to a day
 * next_event would have looked at, else next_event's own.
 */
static int
next_event_cached(const struct calendar *cal, td_ns after, int after_kind,
    struct cal_event *ev)
{
	const struct cal_year	*y;
	const struct cal_yev	*e = NULL;
	int64_t			 first = tz_floor_div(after, TD_NS_PER_DAY) -
	    SPAN_DAYS;
	int			 year, k;

	tz_civil_from_days(tz_floor_div(after, TD_NS_PER_DAY), &year, NULL,
	    NULL);
	for (k = 0; k < 3 && e == NULL; k++) {
		if ((y = year_get(cal, year + k)) == NULL)
			break;
		e = year_find(y, after, after_kind);
	}
	if (e == NULL || e->days < first || e->days >= first + SCAN_DAYS ||
	    e->days > DAY_LAST)
		return next_event(cal, after, after_kind, ev);
	*ev = (struct cal_event){
		.kind = (enum cal_event_kind)e->kind,
		.time = e->time,
		.day = days_ymd(e->days),
	};
	return 0;
}

int
calendar_next_event(const struct calendar *cal, td_ns after,
    struct cal_event *ev)
{
	/* Every kind at `after` itself is excluded. */
	return next_event_cached(cal, after, CAL_ETH_CLOSE, ev);
}

int
calendar_next_event_after(const struct calendar *cal,
    const struct cal_event *prev, struct cal_event *ev)
{
	return next_event_cached(cal, prev->time, (int)prev->kind, ev);
}

int
calendar_next_event_direct(const struct calendar *cal, td_ns after,
    int after_kind, struct cal_event *ev)
{
	return next_event(cal, after, after_kind, ev);
}
