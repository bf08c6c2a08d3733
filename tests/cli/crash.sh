#!/bin/sh
# crash.sh -- nothing lost across a crash.  A headless paper session trades
# replayed data (SimpleORB, bracket orders) as fast as it can; it is killed
# with SIGKILL at random points, mostly in the middle of writing its
# journal or the venue's book, and started again each time.  After each
# restart, before it trades on, the journal must hold exactly the fills
# the simulated venue made (none lost, none twice, none the venue never
# made) and the position the engine rebuilt must be the venue's.  Every
# restart after a kill comes up HALTED (the session never ended cleanly),
# whether or not it finds the venue ahead of the journal; the test then
# resumes it, as the trader would.  At the end the session quits cleanly
# and the restart after that comes up as it was journaled: ACTIVE.
#
# TD_CRASH_KILLS (default 60) kill points, TD_CRASH_SECONDS (900) at most
# (a cap for a machine that is far too slow, not a measure: a quiet one
# needs about 15), TD_CRASH_SEED to replay a run; the seed is printed.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
check=${TD_RESTORE_CHECK:-./tests/unit/test-engine-restore}
if ! "$TICKDESK" help run 2>&1 | grep -q -- '--journal'; then
	echo "crash.sh: tickdesk run has no --journal yet: skipped" >&2
	exit 77
fi
[ -x "$check" ] || { echo "crash.sh: no $check: skipped" >&2; exit 77; }

kills=${TD_CRASH_KILLS:-60}
seed=${TD_CRASH_SEED:-$(( $$ % 100000 + 1 ))}
deadline=$(( $(date +%s) + ${TD_CRASH_SECONDS:-900} ))
echo "crash.sh: seed $seed, $kills kill points" >&2

# Trade all day long: no stale-feed guard (the data has no night session)
# and no loss limits, which would stop the strategy.
cfg="$tmp/crash.cfg"
sed -e 's/stale_feed_seconds = [0-9]*;/stale_feed_seconds = 0;/' \
    -e 's/daily_loss = [0-9.]*;/daily_loss = 0;/' \
    -e 's/weekly_loss = [0-9.]*;/weekly_loss = 0;/' \
    "$TD_CONF/tickdesk.cfg" >"$cfg"
grep -q 'stale_feed_seconds = 0;' "$cfg" || fail "crash.cfg: no guard off"
"$TICKDESK" generate --days ${TD_CRASH_DAYS:-300} -o "$tmp/bars.csv" ||
    fail "generate"

sock="$tmp/ctl.sock"
j="$tmp/journal.db"
pid=

# A pseudo-random number in 0..$1-1 from the seed (the same run again).
rnd() {
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	echo $(( seed / 65536 % $1 ))
}

ctl() {
	"$TICKDESK" ctl --socket "$sock" --yes --timeout 20 "$@" \
	    >"$tmp/ctl.out" 2>&1
}

# Start the session paused; 0 once its socket answers (a loaded machine
# may take long to open and check a large journal: up to a minute).
start() {
	"$TICKDESK" run --headless -c "$cfg" --data "ES=$tmp/bars.csv" \
	    --speed max --paused --socket "$sock" --journal "$j" \
	    2>"$tmp/log.$1" &
	pid=$!
	for i in $(seq 1200); do
		ctl status && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	fail "start $1: the session did not come up"
	sed 's/^/  log: /' "$tmp/log.$1" | tail -5 >&2
	return 1
}

# verify N killed|clean: after restart N (after a kill, or a clean end),
# the journal against the venue, the position the engine rebuilt (its
# "restart:" log line) against the venue's, and the trading state.
checked=0
adopted=0
verify() {
	after=$2
	"$check" check "$j" "$j.venue" >"$tmp/check" 2>&1 || {
		fail "restart $1: $(cat "$tmp/check")"
		return
	}
	set -- "$1" $(cat "$tmp/check")
	# fills N lost L duplicated D unknown U position P...
	checked=$(( checked + $3 ))
	venue=$(sed 's/.* position //' "$tmp/check")
	rebuilt=$(sed -n \
	    's/.*restart: session .* positions \(.*\), day p&l .*/\1/p' \
	    "$tmp/log.$1")
	[ -n "$rebuilt" ] || fail "restart $1: no restart line in the log"
	[ "$rebuilt" = "$venue" ] ||
	    fail "restart $1: rebuilt position '$rebuilt', venue '$venue'"
	if grep -q 'restart: .* [1-9][0-9]* discrepanc' "$tmp/log.$1"; then
		adopted=$(( adopted + 1 ))
	fi
	# After a clean end, as journaled: ACTIVE (the trader had resumed).
	# After a kill: HALTED, the log says why, and the trader resumes.
	ctl status
	if [ "$after" = clean ]; then
		grep -q '^state ACTIVE' "$tmp/ctl.out" || fail "restart $1 " \
		    "after a clean end: $(head -1 "$tmp/ctl.out")"
		! grep -q 'unclean end' "$tmp/log.$1" ||
		    fail "restart $1: a clean end taken for an unclean one"
		return
	fi
	grep -q '^state HALTED' "$tmp/ctl.out" ||
	    fail "restart $1 after a kill: $(head -1 "$tmp/ctl.out")"
	grep -qE 'critical +recovery .* restart after an unclean end of '\
'session [0-9]+: it never closed' "$tmp/log.$1" ||
	    fail "restart $1: no unclean end in the log"
	ctl resume || fail "restart $1: resume: $(cat "$tmp/ctl.out")"
}

n=0
survived=0
while [ "$n" -lt "$kills" ] && [ "$(date +%s)" -lt "$deadline" ]; do
	n=$(( n + 1 ))
	start "$n" || break
	[ "$n" -gt 1 ] && verify "$n" killed
	if grep -q 'end of data' "$tmp/log.$n"; then
		fail "ran out of data"
		break
	fi
	ctl replay resume || fail "resume the replay: $(cat "$tmp/ctl.out")"
	# Once it trades again (the replay first skips what it has seen),
	# between 1 and 20 ms of it, then the kill.
	for i in $(seq 400); do
		ctl status
		grep -q 'events [1-9]' "$tmp/ctl.out" && break
		sleep 0.005
	done
	sleep "$(printf '0.%03d' $(( $(rnd 20) + 1 )))"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	survived=$(( survived + 1 ))
done
# The last restart, checked, then a clean end, and a restart after it.
n=$(( n + 1 ))
if start "$n"; then
	verify "$n" killed
	ctl quit --leave
	wait "$pid" 2>/dev/null
	n=$(( n + 1 ))
	if start "$n"; then
		verify "$n" clean
		ctl quit --leave
		wait "$pid" 2>/dev/null
	fi
fi
fills=$(sed 's/^fills \([0-9]*\).*/\1/' "$tmp/check")
[ "$survived" -ge 50 ] || fail "only $survived kill points"
[ "${fills:-0}" -gt 0 ] || fail "no fills to check"
echo "crash: $survived kill points survived; $fills fills at the venue," \
    "$checked fill checks after restarts, lost 0, duplicated 0;" \
    "$adopted restarts found the venue ahead of the journal" >&2
finish
