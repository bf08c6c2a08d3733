/*
 * tz.h -- time zones without process-global state.
 *
 * A struct tz is one zone loaded from a TZif file of the system time zone
 * database ($TZDIR, else /usr/share/zoneinfo): its table of transitions plus
 * the POSIX TZ rule of the file's footer, which covers instants after the
 * last transition.  It never touches TZ, tzset(), localtime() or mktime(),
 * so any number of engines convert times side by side in threads.  A loaded
 * zone is read-only but for a hint of where the last conversion fell (one
 * atomic word); the conversions allocate nothing and are safe to call from
 * many threads at once on the same zone.
 *
 * Instants are td_ns (nanoseconds since the epoch, UTC); offsets are seconds
 * east of UTC (New York in winter is -18000).  Leap seconds do not exist
 * here, as in POSIX time.
 */
#ifndef TD_TZ_H
#define TD_TZ_H

#include <stdint.h>

#include "types.h"

struct errmsg;
struct tz;

/* Local civil time of an instant in one zone. */
struct tz_tm {
	int		 year;
	int		 mon;		/* 1..12 */
	int		 mday;		/* 1..31 */
	int		 hour;		/* 0..23 */
	int		 min;		/* 0..59 */
	int		 sec;		/* 0..59 */
	int		 wday;		/* 0 = Sunday */
	int		 yday;		/* 0..365 */
	int64_t		 nsec;		/* 0..999999999 */
	int64_t		 utcoff;	/* seconds east of UTC */
};

/*
 * Load a zone by its database name ("America/New_York", "UTC").  Names
 * that are empty, start with '/' or contain ".." are refused.  "UTC" and
 * "Etc/UTC" work even without a zone database.  Fails with NULL and a
 * message such as "unknown time zone 'Mars/Olympus'" or "time zone 'X': not
 * a TZif file".  The caller frees the result with tz_free.
 */
struct tz	*tz_load(const char *name, struct errmsg *err);

/*
 * Build a zone from a POSIX TZ rule alone, as found in a TZif footer:
 * "EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30", "UTC0".  The rule is also the
 * zone's name.  Fails with NULL and "invalid time zone rule 'X'".  The
 * caller frees the result with tz_free.
 */
struct tz	*tz_load_posix(const char *rule, struct errmsg *err);

/* Free a zone; NULL is allowed. */
void		 tz_free(struct tz *tz);

/* The name the zone was loaded with; owned by the zone. */
const char	*tz_name(const struct tz *tz);

/* Seconds east of UTC in effect at an instant. */
int64_t		 tz_offset(const struct tz *tz, td_ns utc);

/* The local civil time of an instant. */
void		 tz_to_local(const struct tz *tz, td_ns utc, struct tz_tm *out);

/*
 * Local wall time -> UTC.  In a gap (spring forward, e.g. 02:30 on the DST
 * start day in New York) the wall time is read with the offset in effect
 * before the gap, so 02:30 EST = 03:30 EDT.  An ambiguous time (fall back)
 * gives the earlier instant.  Fields out of range carry over (mon 13 is
 * January of the next year, hour 24 is midnight of the next day).  The
 * result saturates at the limits of td_ns (years 1678..2261).
 */
td_ns		 tz_to_utc(const struct tz *tz, int year, int mon, int mday,
		     int hour, int min, int sec);

/*
 * Civil calendar helpers: proleptic Gregorian, no time zone.  Days count
 * from 1970-01-01 (day 0, a Thursday).  mon is 1..12 (other values carry
 * over into the year); mday out of range carries over too.
 */
int64_t		 tz_days_from_civil(int year, int mon, int mday);
void		 tz_civil_from_days(int64_t days, int *year, int *mon,
		     int *mday);
int		 tz_weekday(int64_t days);		/* 0 = Sunday */
/* a / b rounded towards minus infinity (b > 0). */
int64_t		 tz_floor_div(int64_t a, int64_t b);

/* Days in a month of a year (mon 1..12), and whether a year is leap. */
int		 tz_month_days(int year, int mon);
int		 tz_is_leap(int year);

#endif
