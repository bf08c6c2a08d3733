/*
 * desk.h -- the trader's command language: one table of commands for the
 * console's command line, the control socket and `tickdesk ctl`.
 *
 * Each command is one src/desk-*.c file exporting a const struct
 * desk_entry.  The table in desk.c gives their order (the order of `help`
 * and of tickdesk(1)); help, usage errors, completion and the man-page
 * check all come from it.  The flags carry the trading rules as data:
 *
 *   DESK_CONFIRM	the command may ask to confirm: it answers with
 *			reply.confirm set, status 2 and a question in the
 *			text, ending in "[y/N]" (the one style of every
 *			question, tickdesk(1) says why).
 *			The asker repeats the same line with a trailing
 *			" --confirmed" (a hidden flag every command accepts).
 *   DESK_WHILE_HALTED	the command runs while the trading state is HALTED
 *			or KILLED.  Everything that only reads, reduces or
 *			controls the session has it; buy and sell do not.
 *   DESK_AUDIT		the command line goes to the journal
 *			(engine_note_command) before it runs.
 *   DESK_EXACT		the name must be typed in full.  Commands without
 *			it (those that only read or control the display)
 *			also answer to a unique prefix of their name
 *			("pos" for positions); a command that trades never
 *			runs from an abbreviation.
 *
 * desk_exec is the runner's command function (runner_exec_fn): it runs on
 * the engine thread and is the only code here that touches the engine.
 * desk_complete runs on the console's thread and reads only the table and
 * a snapshot.
 */
#ifndef TD_DESK_H
#define TD_DESK_H

#include "ids.h"
#include "runner.h"
#include "snapshot.h"
#include "types.h"

struct desk;
struct desk_entry;
struct engine;
struct errmsg;
struct order;

#define DESK_CONFIRM		0x1
#define DESK_WHILE_HALTED	0x2
#define DESK_AUDIT		0x4
#define DESK_EXACT		0x8

#define DESK_ARGS_MAX		32	/* words in one command line */
#define DESK_WORD_MAX		32	/* a completion candidate */
#define DESK_WORDS_MAX		64	/* candidates kept */
#define DESK_TICKS_MAX		10000	/* a bracket distance */

/* The hidden last word that answers a confirmation. */
#define DESK_CONFIRMED		"--confirmed"

/* One command being run, as its exec function sees it. */
struct desk_cmd {
	struct desk		*desk;
	struct runner		*runner;	/* NULL: no replay, no log */
	struct engine		*engine;
	const struct desk_entry	*entry;
	int			 argc;		/* argv[0] is the command */
	char			*argv[DESK_ARGS_MAX];
	bool			 confirmed;	/* the line ended in
						   --confirmed */
	struct runner_reply	*reply;
	size_t			 len;		/* of reply->text */
	bool			 full;		/* the reply was cut */
};

/* Completion candidates, filled by desk_complete. */
struct desk_words {
	int		 n;
	char		 word[DESK_WORDS_MAX][DESK_WORD_MAX];
};

struct desk_entry {
	const char	*name;
	const char	*usage;		/* the arguments after the name */
	const char	*summary;	/* one line for help */
	int		 flags;
	void		(*exec)(struct desk_cmd *c);
	/*
	 * The words that may come as argument argc (1 and up) after
	 * argv[0 .. argc - 1], starting with prefix; NULL when the command
	 * takes no argument worth completing.
	 */
	void		(*complete)(const struct snapshot *snap, int argc,
			    char **argv, const char *prefix,
			    struct desk_words *out);
};

/* The commands, in help and manual order, ending with NULL. */
const struct desk_entry *const *desk_table(void);

/*
 * The command for a typed name, in any case: the exact name, or the unique
 * prefix of a command without DESK_EXACT.  NULL with the reason in cause
 * (len bytes) otherwise: "unknown command 'flaten'; did you mean
 * 'flatten'?" (a name close to one, core/suggest.h), "unknown command
 * 'foo' (help lists the commands)", "'flat' is short for flatten: commands
 * that trade are typed in full", "ambiguous command 'x' (a, b)".
 */
const struct desk_entry *desk_find(const char *name, char *cause,
		     size_t len);

/*
 * A desk acting for `who` (the person named in trading-state changes;
 * "trader" when NULL or empty) in a session of mode `mode`.  NULL and a
 * message when memory runs out.  Free with desk_free (NULL is fine) after
 * the runner that calls desk_exec has stopped.
 */
struct desk	*desk_create(const char *who, enum snap_mode mode,
		     struct errmsg *err);
void		 desk_free(struct desk *d);

/*
 * Run one command line (runner_exec_fn; arg is the struct desk).  r may be
 * NULL (tests, a session without replay): replay and log commands then
 * answer that there is none.  The reply: status 0 done, 1 failed or
 * refused, 2 bad command (or a question, with confirm); text has one line,
 * or several for status, positions, orders, help, strategy list and risk
 * show, without a final newline; quit set when the session should end now.
 */
void		 desk_exec(void *arg, struct runner *r, struct engine *e,
		     const char *line, struct runner_reply *reply);

/*
 * The work of the `reload` command, given by the session (src/reload.h):
 * it runs on the engine thread with the command's struct desk_cmd.  A desk
 * without one answers that there is no configuration to reload.
 */
typedef void	(*desk_reload_fn)(void *arg, struct desk_cmd *c);
void		 desk_set_reload(struct desk *d, desk_reload_fn fn, void *arg);

/*
 * True once after `quit --flatten` found positions or orders open: it has
 * halted and flattened, and the session should end as soon as it is flat
 * (see session.h).  Safe to call from any thread; clears the request.
 */
bool		 desk_take_quit_when_flat(struct desk *d);

/*
 * Completion of the word before the cursor: line[0 .. point) is the text
 * before it, the word is what follows the last blank.  Fills out with the
 * commands, keywords, symbols, order ids, strategy names, parameters and
 * limits that fit there (from snap, which may be NULL) and returns out->n.
 */
int		 desk_complete(const struct snapshot *snap, const char *line,
		     size_t point, struct desk_words *out);

/* ---------------------------------------------- for the command files */

/* True when a line of n more characters fits in the reply. */
bool		 desk_room(const struct desk_cmd *c, size_t n);
/* Append one line to the reply (cut with "..." when it is full). */
void		 desk_print(struct desk_cmd *c, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));
/* Replace the reply by one error line and set its status (1 or 2). */
void		 desk_fail(struct desk_cmd *c, int status, const char *fmt, ...)
		     __attribute__((format(printf, 3, 4)));
/*
 * "NAME: refused: WHY", status 1, with the engine's own "order refused: "
 * or "refused: " at the start of why said once.
 */
void		 desk_refused(struct desk_cmd *c, const char *why);
/* "usage: NAME USAGE", status 2. */
void		 desk_usage(struct desk_cmd *c);
/* "NAME: unexpected word 'W'", status 2. */
void		 desk_unexpected(struct desk_cmd *c, const char *word);
/* Ask to confirm: the question, status 2, confirm set. */
void		 desk_ask(struct desk_cmd *c, const char *fmt, ...)
		     __attribute__((format(printf, 2, 3)));

/*
 * Parsers of arguments.  Each returns 0 and the value, or -1 after
 * failing the command with status 2 and a message that names the command
 * and the word.
 */
/* A quantity of contracts: a whole number from 1 to 100000. */
int		 desk_arg_qty(struct desk_cmd *c, const char *s, int64_t *out);
/* A whole number from min to max; what says what it is ("ticks"). */
int		 desk_arg_int(struct desk_cmd *c, const char *what,
		     const char *s, int64_t min, int64_t max, int64_t *out);
/* An instrument by symbol (exact, else the unique case-blind match). */
int		 desk_arg_inst(struct desk_cmd *c, const char *s,
		     struct td_inst *inst);
/*
 * The bracket words from argv[i] on: stop TICKS, target TICKS, or a
 * template by name, atm NAME (into br); what was asked in text (",
 * bracket stop 8 target 16 ticks", ", atm scalp"; empty for none).
 */
struct bracket;
int		 desk_arg_bracket(struct desk_cmd *c, int i,
		     struct bracket *br, char *text, size_t len);
/* Is word one of the bracket words (its value comes next)? */
bool		 desk_bracket_word(const char *word);
/* The bracket words, for completion. */
void		 desk_words_bracket(struct desk_words *out, const char *prefix);
/* A price above 0 in the instrument's units, on its tick grid. */
int		 desk_arg_price(struct desk_cmd *c, struct td_inst inst,
		     const char *s, td_ticks *out);
/*
 * A working order by id; a finished or unknown one is refused.  The
 * pointer is good until the command returns.
 */
int		 desk_arg_order(struct desk_cmd *c, const char *s,
		     const struct order **out);
/* A strategy instance by name. */
int		 desk_arg_strategy(struct desk_cmd *c, const char *s,
		     struct td_strat *out);

/* The person the desk acts for. */
const char	*desk_who(const struct desk_cmd *c);
/*
 * A fresh snapshot of the engine (with the session's mode, speed and
 * pause), kept in the desk until the next call.
 */
const struct snapshot *desk_snapshot(struct desk_cmd *c);
/* An exchange time as "YYYY-MM-DD HH:MM:SS" in the snapshot's zone. */
char		*desk_time(struct desk_cmd *c, td_ns t, char *buf, size_t len);
/* Cents as "1,234.50" or "-1,234.50". */
char		*desk_money(td_cents v, char *buf, size_t len);
/* A replay speed as "60x" or "max". */
char		*desk_speed(double speed, char *buf, size_t len);
/* Ask that the session end once flat (quit --flatten). */
void		 desk_quit_when_flat(struct desk_cmd *c);
/* Run the session's reload function; -1 when the desk has none. */
int		 desk_run_reload(struct desk_cmd *c);

/* Completion helpers: add word (or each one of a kind) when it fits. */
void		 desk_words_add(struct desk_words *out, const char *prefix,
		     const char *word);
void		 desk_words_symbols(struct desk_words *out,
		     const struct snapshot *snap, const char *prefix);
void		 desk_words_orders(struct desk_words *out,
		     const struct snapshot *snap, const char *prefix);
void		 desk_words_strategies(struct desk_words *out,
		     const struct snapshot *snap, const char *prefix);

/*
 * `buy`/`sell` words from argv[1] on (QTY SYMBOL [type] [tif] [bracket])
 * into m, and the order as text ("buy 1 ES stp 5010.00 DAY, atm scalp").
 * 1 with a bracket, 0 without, -1 after failing the command.
 */
struct manual_order;
int		 desk_buy_parse(struct desk_cmd *c, enum td_side side,
		     struct manual_order *m, char *text, size_t len);

extern const struct desk_entry desk_status_entry;
extern const struct desk_entry desk_positions_entry;
extern const struct desk_entry desk_orders_entry;
extern const struct desk_entry desk_buy_entry;
extern const struct desk_entry desk_sell_entry;
extern const struct desk_entry desk_cancel_entry;
extern const struct desk_entry desk_move_entry;
extern const struct desk_entry desk_reverse_entry;
extern const struct desk_entry desk_oco_entry;
extern const struct desk_entry desk_flatten_entry;
extern const struct desk_entry desk_halt_entry;
extern const struct desk_entry desk_resume_entry;
extern const struct desk_entry desk_rollout_entry;
extern const struct desk_entry desk_kill_entry;
extern const struct desk_entry desk_kill_now_entry;
extern const struct desk_entry desk_strategy_entry;
extern const struct desk_entry desk_risk_entry;
extern const struct desk_entry desk_breaker_entry;
extern const struct desk_entry desk_replay_entry;
extern const struct desk_entry desk_log_entry;
extern const struct desk_entry desk_reload_entry;
extern const struct desk_entry desk_help_entry;
extern const struct desk_entry desk_quit_entry;

#endif
