/*
 * rollout.h -- the rollout ladder: stages of trading size, each with its
 * own risk limits and the criteria to leave it, and the evidence that
 * the desk met them.
 *
 * A trader rolls out in stages (tickdesk.conf(5): rollout.stages): say a
 * week of one micro contract with a $100 daily limit, then two contracts
 * and $250, then the production limits.  The current stage is trading
 * state: the engine applies its limits (rollout_limits: a stage's limit
 * never loosens the configured one, the tighter wins), journals every
 * change and restores it after a restart.  Like the trading state it is a
 * latch only a person moves up (rollout next, when every criterion of the
 * stage is met); a person moves it down at any time, and the engine moves
 * it one stage down on the events rollout.demote_on names.
 *
 * The module knows nothing of the engine or the journal: it takes
 * events (struct rollout_event), as the engine makes them while trading
 * and as a restart reads them back from the journal, in the same
 * function (rollout_apply), so that the evidence after a restart is the
 * evidence before it.  The evidence is that of the current stage since
 * it was last entered: moving to another stage starts it afresh.
 *
 * A critical incident (rollout_event ROLLOUT_EV_INCIDENT) is one of:
 * the kill switch used, a restart that came up HALTED on a difference
 * with the venue, a position the venue left without its stop.
 *
 * All memory is taken by rollout_create; nothing else allocates.
 */
#ifndef TD_ROLLOUT_H
#define TD_ROLLOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "risk.h"
#include "types.h"

struct errmsg;
struct rollout;

#define ROLLOUT_MAX_STAGES	8
#define ROLLOUT_MAX_SYMBOLS	8	/* instruments a stage allows */
#define ROLLOUT_DAYS_MAX	64	/* session dates kept as evidence */
#define ROLLOUT_TEXT_MAX	128	/* who, why, an incident */
#define ROLLOUT_EVIDENCE_MAX	256	/* rollout_check.evidence */

/* The protective paths a stage may ask to see (rollout.stages.paths). */
enum rollout_path {
	ROLLOUT_PATH_STOP,		/* a stop filled */
	ROLLOUT_PATH_TARGET,		/* a target filled */
	ROLLOUT_PATH_DAILY_HALT,	/* the daily loss limit halted */
	ROLLOUT_NPATHS
};

/* What moves the desk one stage down (rollout.demote_on). */
enum rollout_demote {
	ROLLOUT_DEMOTE_LOSS_LIMIT,	/* a loss limit halted trading */
	ROLLOUT_DEMOTE_BREAKER,		/* a circuit breaker tripped */
	ROLLOUT_NDEMOTES
};

struct rollout_stage {
	char		 name[TD_NAME_MAX];
	/* The symbols it may open positions in; none: every one. */
	int		 nsymbols;
	char		 symbols[ROLLOUT_MAX_SYMBOLS][TD_SYMBOL_MAX];
	/*
	 * Its risk limits, each at its loosest value (0 for a limit 0 turns
	 * off, hours 00:00-00:00) where the stage sets none: the configured
	 * limit then holds (rollout_limits).  risk.max_contracts caps the
	 * sizer's quantity too.
	 */
	struct risk_cfg	 risk;
	/* The criteria to leave it. */
	int		 sessions;	/* sessions traded in it, 0: none */
	bool		 no_critical;	/* no critical incident in it */
	unsigned	 paths;		/* 1 << enum rollout_path, each seen */
	int64_t		 max_slippage_ticks;	/* worst fill; 0: not judged */
};

struct rollout_cfg {
	int			 nstages;	/* 0: no rollout */
	struct rollout_stage	 stage[ROLLOUT_MAX_STAGES];
	unsigned		 demote_on;	/* 1 << enum rollout_demote */
};

/* "stop", "target", "daily_halt"; "loss_limit", "breaker". */
const char	*rollout_path_name(enum rollout_path p);
const char	*rollout_demote_name(enum rollout_demote d);

/* The loosest limits: a stage that sets none keeps the configured ones. */
void		 rollout_stage_defaults(struct rollout_stage *st);

/*
 * The limits of a stage laid over the configured ones: each limit of
 * st that is tighter than base's (risk_limit_loosens) replaces it.
 */
void		 rollout_stage_limits(const struct rollout_stage *st,
		     const struct risk_cfg *base, struct risk_cfg *out);

/*
 * A ladder on cfg (copied), at its first stage with no evidence.  NULL
 * and a message for a configuration without stages, with a stage without
 * a name or two of one name ("rollout: stage 2: name 'micro' is used
 * twice"), or no memory.  Free with rollout_free (NULL is fine).
 */
struct rollout	*rollout_create(const struct rollout_cfg *cfg,
		     struct errmsg *err);
void		 rollout_free(struct rollout *r);

const struct rollout_cfg *rollout_config(const struct rollout *r);
/* The current stage: its index (0 is the first) and its settings. */
int		 rollout_index(const struct rollout *r);
const struct rollout_stage *rollout_current(const struct rollout *r);
/* The stage of this name: its index, or -1. */
int		 rollout_find(const struct rollout *r, const char *name);

/* The configured limits base under the current stage (see above). */
void		 rollout_limits(const struct rollout *r,
		     const struct risk_cfg *base, struct risk_cfg *out);
/* May the current stage open positions in symbol? */
bool		 rollout_allows(const struct rollout *r, const char *symbol);
/* The symbols it allows, as "MES, M2K" (len bytes); buf. */
char		*rollout_symbols(const struct rollout_stage *st, char *buf,
		     size_t len);

/*
 * What happens to the ladder, as the engine journals it and a restart
 * reads it back.  Every event names the stage it happened in (by name:
 * the journal outlives a configuration).
 */
enum rollout_ev_kind {
	ROLLOUT_EV_MOVE,	/* stage -> to, by who, why */
	ROLLOUT_EV_SESSION,	/* a session (day) traded in stage closed */
	ROLLOUT_EV_PATH,	/* path seen */
	ROLLOUT_EV_FILL,	/* a fill and its slippage */
	ROLLOUT_EV_INCIDENT,	/* a critical incident: why */
	ROLLOUT_NEVENTS
};

struct rollout_event {
	enum rollout_ev_kind	 kind;
	td_ns			 time;
	int32_t			 day;		/* trading day, yyyymmdd */
	const char		*stage;		/* in force; "" before any */
	const char		*to;		/* MOVE */
	const char		*who;		/* MOVE */
	const char		*why;		/* MOVE, INCIDENT */
	enum rollout_path	 path;		/* PATH */
	/* FILL: the order, what was expected, what came, and the slippage
	   in ticks (positive: worse than expected). */
	uint64_t		 order_id;
	const char		*symbol;
	td_ticks		 expected;
	td_ticks		 price;
	int64_t			 ticks;
};

/* "move", "session", "path", "fill", "incident"; NULL out of range. */
const char	*rollout_event_name(enum rollout_ev_kind k);
/* The kind of that name: 0 and *out, or -1. */
int		 rollout_event_kind(const char *name,
		     enum rollout_ev_kind *out);
/* The path of that name: 0 and *out, or -1. */
int		 rollout_path_find(const char *name, enum rollout_path *out);

/*
 * Take one event.  A MOVE to a stage of this ladder makes it current and
 * starts its evidence afresh (-1 with a message, nothing changed, for a
 * stage it does not have: "rollout: no stage 'tiny'"); the other kinds
 * add to the evidence when they happened in the current stage and are
 * ignored otherwise.  A session day is counted once.
 */
int		 rollout_apply(struct rollout *r, const struct rollout_event *ev,
		     struct errmsg *err);
/* Has any MOVE been applied (the ladder's start is on record)? */
bool		 rollout_begun(const struct rollout *r);

/* The evidence of the current stage since it was entered. */
struct rollout_evidence {
	td_ns		 since;		/* when it was entered, 0 unknown */
	char		 who[ROLLOUT_TEXT_MAX];	/* who moved it there */
	char		 why[ROLLOUT_TEXT_MAX];
	int		 nsessions;
	int32_t		 days[ROLLOUT_DAYS_MAX];	/* the first ones */
	int64_t		 paths[ROLLOUT_NPATHS];		/* times seen */
	int32_t		 path_day[ROLLOUT_NPATHS];	/* first seen */
	int64_t		 fills;		/* judged for slippage */
	int64_t		 worst;		/* ticks, of the worst fill */
	int32_t		 worst_day;	/* and where: 0 when no fill */
	uint64_t	 worst_order;
	char		 worst_symbol[TD_SYMBOL_MAX];
	int		 incidents;
	int32_t		 incident_day;	/* the last one's */
	char		 incident[ROLLOUT_TEXT_MAX];
};
const struct rollout_evidence *rollout_evidence(const struct rollout *r);

/* The criteria of a stage, as rollout status lists them. */
enum rollout_crit {
	ROLLOUT_CRIT_SESSIONS,
	ROLLOUT_CRIT_NO_CRITICAL,
	ROLLOUT_CRIT_STOP,
	ROLLOUT_CRIT_TARGET,
	ROLLOUT_CRIT_DAILY_HALT,
	ROLLOUT_CRIT_SLIPPAGE,
	ROLLOUT_NCRITS
};

struct rollout_check {
	bool		 judged;	/* the stage asks for it */
	bool		 met;
	const char	*name;		/* "sessions", "no_critical", ... */
	char		 evidence[ROLLOUT_EVIDENCE_MAX];
};

/*
 * Judge each criterion of the current stage on its evidence: out has
 * ROLLOUT_NCRITS entries, the evidence in words ("3 of 5: 2024-01-02,
 * 2024-01-03, 2024-01-04", "worst 2 ticks, order 14 ES on 2024-01-03").
 * Returns the number of criteria judged and not met.
 */
int		 rollout_evaluate(const struct rollout *r,
		     struct rollout_check out[ROLLOUT_NCRITS]);

/*
 * The unmet criteria in one line ("sessions 1 of 3; target not seen"),
 * for a refusal; "" when every one is met.  buf.
 */
char		*rollout_unmet(const struct rollout *r, char *buf, size_t len);

/*
 * The slippage of a fill in ticks: how much worse than expected it came
 * for its side (a buy above, a sell below); negative when better.
 */
int64_t		 rollout_slippage(enum td_side side, td_ticks expected,
		     td_ticks price);

/* A trading day yyyymmdd as "2024-01-02" (11 bytes are enough); buf. */
char		*rollout_day(int32_t day, char *buf, size_t len);

#endif
