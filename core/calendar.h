/*
 * calendar.h -- trading-session calendars.
 *
 * A calendar is a session template: when a market trades, defined in the
 * exchange's own time zone so that it stays right across daylight-saving
 * changes.  Each trading day (an int32 yyyymmdd date, e.g. 20240311) has
 * regular trading hours (RTH) inside extended hours (ETH); CME's equity
 * futures trade ETH 18:00 the evening before to 17:00 New York time and RTH
 * 09:30 to 16:00.  The trading day itself rolls at a local time in its own
 * zone (CME: 17:00 Chicago), so Monday's trading day starts on Sunday
 * afternoon.  Weekends and listed holidays have no session; listed early
 * closes end both RTH and ETH early.
 *
 * The engine asks for the next boundary (calendar_next_event) to arm its
 * session timers, and for the trading day and phase of market events.  A
 * calendar is read-only once created, but for a table of each year's
 * boundaries (1990 to 2069, about 30 KB a year, room reserved at create)
 * that calendar_next_event makes the first time the year is asked about
 * and shares between threads: any number of threads may use one
 * calendar.  Nothing here allocates after calendar_create.
 */
#ifndef TD_CALENDAR_H
#define TD_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

struct errmsg;
struct calendar;
struct tz;

#define CAL_MAX_DATES	256

/*
 * Filled by the configuration loader.  Minutes are minutes after local
 * midnight, 0..1439.  A session whose open is later than its close starts
 * the evening before its trading day (ETH 1080-1020: 18:00 the day before
 * to 17:00).  The trading day rolls at day_roll in roll_tz: a roll at noon
 * or later starts the trading day the evening before (1020: Monday's day
 * starts Sunday 17:00), an earlier roll starts it on its own date (0: at
 * midnight).  An empty roll_tz means the session zone.  ETH must contain
 * RTH; when a market has no extended hours, give ETH the RTH times.  The
 * ETH open should not come before the day roll.
 */
struct calendar_cfg {
	char		 name[TD_NAME_MAX];	/* "cme-equity" */
	char		 tz[64];		/* "America/New_York" */
	int		 rth_open;		/* 570 (09:30) */
	int		 rth_close;		/* 960 (16:00) */
	int		 eth_open;		/* 1080 (18:00 the eve) */
	int		 eth_close;		/* 1020 (17:00) */
	char		 roll_tz[64];		/* "America/Chicago" */
	int		 day_roll;		/* 1020 (17:00 CT) */
	int		 nholidays;
	int32_t		 holidays[CAL_MAX_DATES]; /* no session */
	int		 nearly;
	int32_t		 early_date[CAL_MAX_DATES];
	int		 early_close[CAL_MAX_DATES]; /* RTH, ETH end */
};

/*
 * Check a configuration and load its zones.  Fails with NULL and a message
 * such as "calendar 'cme-equity': rth_open 1500 not in 0..1439" or
 * "calendar 'cme-equity': unknown time zone 'America/NewYork'".  The
 * calendar keeps a copy of cfg.  The caller frees it with calendar_free.
 */
struct calendar	*calendar_create(const struct calendar_cfg *cfg,
		     struct errmsg *err);

/* Free a calendar; NULL is allowed. */
void		 calendar_free(struct calendar *cal);

/* The configuration and session zone; owned by the calendar. */
const struct calendar_cfg *calendar_cfg(const struct calendar *cal);
const struct tz	*calendar_tz(const struct calendar *cal);

/*
 * The trading day (yyyymmdd) an instant belongs to.  With CME's roll at
 * 17:00 Chicago, Sunday 17:00 CT onwards is Monday, and Friday 17:00 CT
 * onwards is Saturday, a day without a session.
 */
int32_t		 calendar_trading_day(const struct calendar *cal, td_ns t);

/* The Monday (yyyymmdd) of the week of the trading day of t. */
int32_t		 calendar_week(const struct calendar *cal, td_ns t);

/* Monday to Friday and not a holiday; false for an invalid date. */
bool		 calendar_is_session_day(const struct calendar *cal,
		     int32_t day);

/*
 * The UTC instants of a trading day's RTH and ETH, early close honoured.
 * 0 on success; -1 when the day has no session or is not a valid date.
 */
int		 calendar_rth(const struct calendar *cal, int32_t day,
		     td_ns *open, td_ns *close);
int		 calendar_eth(const struct calendar *cal, int32_t day,
		     td_ns *open, td_ns *close);

/* When a trading day starts (its roll); -1 for an invalid date. */
int		 calendar_day_start(const struct calendar *cal, int32_t day,
		     td_ns *start);

/*
 * The phase at an instant.  Sessions are half open: at the RTH open the
 * phase is CAL_RTH, at the RTH close CAL_POST, at the ETH close CAL_CLOSED.
 */
enum cal_phase {
	CAL_CLOSED,
	CAL_PRE_OPEN,		/* ETH before the RTH open */
	CAL_RTH,
	CAL_POST,		/* ETH after the RTH close */
};

enum cal_phase	 calendar_phase(const struct calendar *cal, td_ns t);

/* "closed", "pre-open", "open", "post". */
const char	*calendar_phase_name(enum cal_phase p);

/*
 * Session boundaries.  DAY_START is the roll into each session day;
 * WEEK_START comes with the first DAY_START of a week.  Holidays and
 * weekends have none of these.
 */
enum cal_event_kind {
	CAL_DAY_START,
	CAL_WEEK_START,
	CAL_ETH_OPEN,
	CAL_RTH_OPEN,
	CAL_RTH_CLOSE,
	CAL_ETH_CLOSE,
};

struct cal_event {
	enum cal_event_kind	 kind;
	td_ns			 time;
	int32_t			 day;		/* trading day, yyyymmdd */
};

/* "day-start", "week-start", "eth-open", "rth-open", "rth-close", ... */
const char	*calendar_event_name(enum cal_event_kind k);

/*
 * The first boundary strictly after `after`; events at the same instant
 * come in enum order.  0 on success, -1 when there is none within 400 days
 * (or after the year 2261).  Note that this skips every other event at the
 * instant it returns if asked again from ev->time: to walk all boundaries
 * use calendar_next_event once, then calendar_next_event_after.
 */
int		 calendar_next_event(const struct calendar *cal, td_ns after,
		     struct cal_event *ev);

/*
 * The boundary that follows prev in (time, kind) order: the next event at
 * the same instant with a later kind, else the first one after it.  prev
 * and ev may be the same struct.  0 on success, -1 as above.
 */
int		 calendar_next_event_after(const struct calendar *cal,
		     const struct cal_event *prev, struct cal_event *ev);

/*
 * The same answers worked out directly from the trading days near
 * `after`, without the year tables: the boundary after (after,
 * after_kind), CAL_ETH_CLOSE excluding every kind at `after`.  The tables
 * must agree with it, which the tests check.
 */
int		 calendar_next_event_direct(const struct calendar *cal,
		     td_ns after, int after_kind, struct cal_event *ev);

#endif
