/*
 * ids.h -- the engine's identities: an instrument, a strategy, the owner
 * of an order, and the selectors "every instrument" and "any owner".
 *
 * The engine numbers its instruments and its strategies 0, 1, ... in the
 * order of its configuration.  Each number travels in its own type, so
 * that the compiler refuses an instrument where a strategy or an owner is
 * meant, and no value of a type has a second meaning: an order's owner is
 * the trader or one strategy (struct td_owner says which), and a call that
 * may act on every instrument or on anyone's orders takes a selector
 * (struct td_inst_sel, struct td_owner_sel) made by a named function.
 *
 * The types are plain values of a few bytes, passed and returned by
 * value; nothing here allocates.  A zeroed td_owner is the trader's
 * (manual).  Where an identity leaves the engine as a number -- the
 * journal's owner column, the trade list's CSV -- td_owner_code and
 * td_owner_from_code keep the numbering those files always had: -1 for
 * the trader, the strategy's index otherwise.
 *
 * The strategies' interface (include/tickdesk/strategy.h) keeps its plain
 * int instrument index: the engine takes it in and hands it out at that
 * border (core/engine-strat.c).
 */
#ifndef TD_IDS_H
#define TD_IDS_H

#include <stdbool.h>
#include <stdint.h>

/* An instrument: i is its index in the engine's list. */
struct td_inst {
	int		 i;
};

/* A strategy: i is its index in the engine's list. */
struct td_strat {
	int		 i;
};

enum td_owner_kind {
	TD_OWNER_MANUAL,	/* the trader: commands, flatten, kill */
	TD_OWNER_STRAT,		/* a strategy: strat says which */
};

/* Who an order (and its fills and trade) belongs to. */
struct td_owner {
	enum td_owner_kind kind;
	struct td_strat	 strat;		/* TD_OWNER_STRAT only */
};

/* One instrument, or all of them (td_inst_all, td_inst_only). */
struct td_inst_sel {
	bool		 all;
	struct td_inst	 inst;		/* when !all */
};

/* One owner's orders, or anyone's (td_owner_any, td_owner_only). */
struct td_owner_sel {
	bool		 any;
	struct td_owner	 owner;		/* when !any */
};

/* ------------------------------------------------------------ instruments */

static inline struct td_inst
td_inst_at(int i)
{
	return (struct td_inst){ .i = i };
}

static inline bool
td_inst_eq(struct td_inst a, struct td_inst b)
{
	return a.i == b.i;
}

/* Is inst one of n instruments (0 .. n - 1)? */
static inline bool
td_inst_in(struct td_inst inst, int n)
{
	return inst.i >= 0 && inst.i < n;
}

/* ------------------------------------------------------------- strategies */

static inline struct td_strat
td_strat_at(int i)
{
	return (struct td_strat){ .i = i };
}

static inline bool
td_strat_eq(struct td_strat a, struct td_strat b)
{
	return a.i == b.i;
}

/* Is s one of n strategies (0 .. n - 1)? */
static inline bool
td_strat_in(struct td_strat s, int n)
{
	return s.i >= 0 && s.i < n;
}

/* ----------------------------------------------------------------- owners */

static inline struct td_owner
td_owner_manual(void)
{
	return (struct td_owner){ .kind = TD_OWNER_MANUAL };
}

static inline struct td_owner
td_owner_strat(struct td_strat s)
{
	return (struct td_owner){ .kind = TD_OWNER_STRAT, .strat = s };
}

static inline bool
td_owner_is_manual(struct td_owner o)
{
	return o.kind == TD_OWNER_MANUAL;
}

static inline bool
td_owner_is_strat(struct td_owner o)
{
	return o.kind == TD_OWNER_STRAT;
}

/* Is o the strategy s? */
static inline bool
td_owner_is(struct td_owner o, struct td_strat s)
{
	return o.kind == TD_OWNER_STRAT && td_strat_eq(o.strat, s);
}

static inline bool
td_owner_eq(struct td_owner a, struct td_owner b)
{
	return a.kind == b.kind &&
	    (a.kind != TD_OWNER_STRAT || td_strat_eq(a.strat, b.strat));
}

/*
 * The owner as the journal and the trade list write it: -1 for the
 * trader, the strategy's index otherwise; and back (any negative code is
 * the trader).
 */
static inline int
td_owner_code(struct td_owner o)
{
	return o.kind == TD_OWNER_STRAT ? o.strat.i : -1;
}

static inline struct td_owner
td_owner_from_code(int64_t code)
{
	return code < 0 ? td_owner_manual() :
	    td_owner_strat(td_strat_at((int)code));
}

/* -------------------------------------------------------------- selectors */

static inline struct td_inst_sel
td_inst_all(void)
{
	return (struct td_inst_sel){ .all = true };
}

static inline struct td_inst_sel
td_inst_only(struct td_inst inst)
{
	return (struct td_inst_sel){ .all = false, .inst = inst };
}

static inline bool
td_inst_sel_has(struct td_inst_sel sel, struct td_inst inst)
{
	return sel.all || td_inst_eq(sel.inst, inst);
}

static inline struct td_owner_sel
td_owner_any(void)
{
	return (struct td_owner_sel){ .any = true };
}

static inline struct td_owner_sel
td_owner_only(struct td_owner owner)
{
	return (struct td_owner_sel){ .any = false, .owner = owner };
}

static inline bool
td_owner_sel_has(struct td_owner_sel sel, struct td_owner owner)
{
	return sel.any || td_owner_eq(sel.owner, owner);
}

#endif
