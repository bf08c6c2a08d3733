#!/bin/sh
# backup.sh -- backups of the journal taken while a headless paper session
# runs.  The session backs itself up at each session close into
# journal.backup_dir, keeping journal.backup_keep of them.  Then, with a
# position open and its stop working, `journal backup` copies the journal
# and the venue's book; `journal verify` replays the copy; the session
# trades on (flattens, buys 2), a restore is refused while it runs, and
# once it has ended the backup is restored (the old journal kept aside).
# The restart from the restored journal reconciles with the venue, whose
# book is newer, takes the venue's position, and its working stop as that
# position's one stop, and comes up HALTED, saying why.  A file that is no
# journal is refused.
#
# TD_BACKUP_TRANSCRIPT=FILE keeps the commands and what they printed.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
log=${TD_BACKUP_TRANSCRIPT:-$tmp/transcript}
: >"$log"

# Trade all day: no stale-feed guard, no loss limits, room for wide stops,
# the strategy off (the trader's orders alone); back up at each close and
# keep 2.
cfg="$tmp/backup.cfg"
sed -e 's/stale_feed_seconds = [0-9]*;/stale_feed_seconds = 0;/' \
    -e 's/daily_loss = [0-9.]*;/daily_loss = 0;/' \
    -e 's/weekly_loss = [0-9.]*;/weekly_loss = 0;/' \
    -e 's/max_trade_risk = [0-9.]*;/max_trade_risk = 5000.00;/' \
    "$TD_CONF/tickdesk.cfg" >"$cfg"
grep -q 'max_trade_risk = 5000.00;' "$cfg" || fail "backup.cfg: risk limit"
grep -q '^journal' "$cfg" && fail "tickdesk.cfg has a journal group now"
printf 'journal = {\n\tbackup_dir = "%s/sched";\n\tbackup_keep = 2;\n};\n' \
    "$tmp" >>"$cfg"
"$TICKDESK" generate --days 10 -o "$tmp/bars.csv" >/dev/null || fail "generate"

sock="$tmp/ctl.sock"
j="$tmp/journal/journal.db"
pid=

# trun STATUS ARGS...: run tickdesk, and keep the command and its output.
trun() {
	run "$@"
	shift
	{
		echo "\$ tickdesk $*"
		cat "$tmp/out" "$tmp/err"
		echo
	} >>"$log"
}

ctl() {
	trun 0 ctl --socket "$sock" --yes --timeout 20 "$@"
}

# until_ctl COMMAND PATTERN: ask until the answer has PATTERN (60 s).
until_ctl() {
	i=0
	while [ $i -lt 600 ]; do
		"$TICKDESK" ctl --socket "$sock" $1 >"$tmp/ctl.out" 2>&1
		grep -q -- "$2" "$tmp/ctl.out" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "ctl $1: no '$2' after 60 s"
	sed 's/^/  /' "$tmp/ctl.out" >&2
	return 1
}

# until_log N PATTERN [COUNT]: session log N has COUNT lines (1) with
# PATTERN (60 s).
until_log() {
	i=0
	while [ $i -lt 600 ]; do
		[ "$(grep -c -- "$2" "$tmp/log.$1")" -ge "${3:-1}" ] &&
		    return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "session $1: not ${3:-1} '$2' in its log after 60 s"
	return 1
}

start() {
	echo "\$ tickdesk run --headless -c backup.cfg --data ES=bars.csv" \
	    "--speed max --paused --socket ctl.sock --journal $j &" >>"$log"
	"$TICKDESK" run --headless -c "$cfg" --data "ES=$tmp/bars.csv" \
	    --speed max --paused --socket "$sock" --journal "$j" \
	    2>"$tmp/log.$1" &
	pid=$!
	listening "$sock" "$tmp/log.$1"
}

stop_session() {
	ctl quit --leave
	wait "$pid" 2>/dev/null
	pid=
}

# ---------------------------------------------------------------- session 1
start 1
ctl strategy disable orb

# Three session closes, each backed up on the session's own thread.
for n in 1 2 3; do
	ctl replay step 400
	until_log 1 "backup at the session close: " "$n" || break
done
grep 'backup at the session close' "$tmp/log.1" >>"$log"
grep -q '; 1 older removed' "$tmp/log.1" ||
    fail "the third scheduled backup removed nothing"
kept=$(ls "$tmp/sched" | grep -c '^journal-backup-[0-9]\{8\}-[0-9]\{6\}\(-[0-9]*\)\{0,1\}\.db$')
[ "$kept" -eq 2 ] || fail "scheduled backups kept: $kept, expected 2"
for f in "$tmp"/sched/*.db; do
	trun 0 journal verify "$f"
	expect_out ": ok: schema"
	expect_out "venue book: beside it, whole"
done

# A position open, its stop working.
ctl replay step 30
ctl buy 1 ES stop 80
ctl replay step 2
until_ctl positions 'ES  *+1 .*stops 1/1'
ctl positions
ctl orders
expect_out "stp"
expect_out "working stop"

# The backup, while the session runs.
trun 0 journal backup --journal "$j" "$tmp/backups/"
expect_out "journal $j -> $tmp/backups/journal-backup-"
expect_out "venue book $j.venue -> $tmp/backups/journal-backup-"
expect_out "sha256 "
backup=$(ls "$tmp"/backups/journal-backup-*.db | head -1)
[ -f "$backup.venue" ] || fail "no venue book beside the backup"
trun 0 journal verify "$backup"
schema=$(sed -n 's/^#define JOURNAL_SCHEMA_VERSION[^0-9]*//p' \
    "${srcdir:-.}/core/journal.h")
expect_out "$backup: ok: schema $schema, 1 session"
expect_out "session 1 (paper): positions ES +1;"
expect_out "venue book: beside it, whole"
# Its checksum is the file's.
sum=$(sha256sum "$backup" | cut -d' ' -f1)
grep -q "sha256 $sum" "$log" || fail "the printed checksum is not the file's"
# A backup is never overwritten by mistake.
trun 1 journal backup --journal "$j" "$backup"
expect_err "a backup is already there: give --force"

# The session trades on: flat, then long 2.
ctl flatten ES
ctl replay step 1
until_ctl positions 'ES  *flat'
ctl buy 2 ES stop 80
ctl replay step 1
until_ctl positions 'ES  *+2 .*stops 2/2'
ctl positions

# Not while it runs.
trun 1 journal restore --journal "$j" --yes "$backup"
expect_err "in use by a running session"
stop_session
[ -f "$tmp/journal/journal.db" ] || fail "the journal went away"

# ---------------------------------------------------------------- restore
trun 2 journal restore --journal "$j" "$backup" </dev/null
expect_err "needs --yes without a terminal"
trun 0 journal restore --journal "$j" --yes "$backup"
expect_out "restored $backup as $j"
expect_out "the journal it replaced is kept as $tmp/journal/journal-"
expect_out "the venue's book $j.venue is kept"
aside=$(sed -n 's/^the journal it replaced is kept as //p' "$tmp/out")
trun 0 journal verify "$aside"
expect_out "positions ES +2;"

# ---------------------------------------------------------------- session 2
start 2
until_log 2 "restart: session 2 continues 1"
ctl status
expect_out "state HALTED"
expect_out "restart: "
expect_out "discrepanc"
ctl positions
expect_out "ES     +2"
# The venue's working stop, which the journal never saw (nor its entry),
# is taken over as the position's stop: protected, and no second one.
expect_out "stops 2/2"
grep -q "NOT PROTECTED" "$tmp/out" && fail "the restored +2 is not protected"
ctl orders
expect_out "sell 2 ES stp"
expect_out "working stop"
[ "$(grep -c ' stp .* working ' "$tmp/out")" -eq 1 ] ||
    fail "not exactly one stop working after the restore"
{
	echo "# the restart, in the session's log:"
	grep 'recovery\|HALTED' "$tmp/log.2"
	echo
} >>"$log"
grep -q 'critical recovery .*ES position: journal +1, venue +2' \
    "$tmp/log.2" || fail "the restart did not say the positions differ"
grep -q 'critical recovery .*(sell 2 ES stp .*taken over as the stop of order' \
    "$tmp/log.2" || fail "the restart did not say it took the stop over"
stop_session
trun 0 journal verify "$j"
expect_out "2 sessions"
expect_out "session 2 (paper): positions ES +2;"

# What is no journal is refused.
echo "not a journal" >"$tmp/junk.db"
trun 2 journal verify "$tmp/junk.db"
expect_err "junk.db: truncated to 14 bytes: not a journal tickdesk can read"
trun 2 journal verify "$tmp/none.db"
expect_err "no such journal"
[ -n "$pid" ] && kill "$pid" 2>/dev/null
finish
