#!/bin/sh
# rollout.sh -- a rollout from the first stage to the second on replayed
# data.  Headless paper sessions (the demo generator, a fixed seed) share
# one journal; each run replays more demo days than the one before, so
# each goes on where the last stopped and several replayed days are
# several sessions.  After the first run `rollout status` shows the
# criteria unmet and `rollout next` is refused with them; after the
# second every criterion is met and `rollout next` (confirmed) moves the
# desk to the second stage, whose limits apply at once; a restart comes
# up in it (the stage is a latch); `rollout back` moves down at once
# without a question, and that too survives a restart; `report --rollout`
# gives each stage's sessions, trades, P&L, slippage and incidents.
#
# TD_ROLLOUT_TRANSCRIPT=FILE keeps the commands and their output.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
"$TICKDESK" help run >/dev/null 2>&1 || exit 77

pid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
sock=$tmp/ctl.sock
j=$tmp/journal.db
log=$tmp/transcript

# The sample configuration with a ladder of two stages: micro trades one
# ES contract with a $300 daily limit until two sessions have closed, a
# stop and a target have filled, no critical incident happened and no
# fill slipped more than 4 ticks; small trades two.
cfg=$tmp/rollout.cfg
cp "$TD_CONF/tickdesk.cfg" "$cfg"
cat >>"$cfg" <<'EOF'

rollout = {
	stages = (
		{
			name = "micro";
			instruments = [ "ES" ];
			max_contracts = 1;
			daily_loss = 300.00;
			leave = {
				sessions = 2;
				no_critical = true;
				paths = [ "stop", "target" ];
				max_slippage_ticks = 4;
			};
		},
		{
			name = "small";
			max_contracts = 2;
			daily_loss = 600.00;
		}
	);
	demote_on = [ "loss_limit", "breaker" ];
};
EOF
run 0 config check -c "$cfg"

# say TEXT: a line of the transcript.
say() {
	echo "$*" >>"$log"
}

# ctl ARGS...: a desk command through the socket, into the transcript;
# its output in $tmp/out, its exit status in $rc.
ctl() {
	"$TICKDESK" ctl --socket "$sock" --timeout 20 "$@" >"$tmp/out" 2>&1
	rc=$?
	say "\$ tickdesk ctl $*"
	cat "$tmp/out" >>"$log"
	say "(exit $rc)"
}

# start DAYS: a session on DAYS demo days, as fast as it goes, until the
# end of its data.
start() {
	say ""
	say "\$ tickdesk run --headless -c rollout.cfg --demo-days $1" \
	    "--seed 3 --speed max --journal journal.db &"
	"$TICKDESK" run --headless -c "$cfg" --demo-days "$1" --seed 3 \
	    --speed max --socket "$sock" --journal "$j" 2>"$tmp/log" &
	pid=$!
	listening "$sock" "$tmp/log"
	i=0
	while [ $i -lt 600 ] && ! grep -q 'end of data' "$tmp/log"; do
		sleep 0.05
		i=$((i + 1))
	done
	grep -q 'end of data' "$tmp/log" || fail "run $1: no end of data"
}

stop() {
	ctl quit --leave
	wait "$pid"
	pid=
}

expect() {
	grep -qF -- "$1" "$tmp/out" || fail "$2: no '$1' in: $(cat "$tmp/out")"
}

# 1. Two days: one session closed, criteria unmet, next refused.
start 2
ctl status
expect "rollout stage micro (1 of 2" "status"
ctl rollout status
expect "stage micro (1 of 2), since the start by config: the rollout begins" \
    "first status"
expect "UNMET sessions: 1 of 2: 2024-01-02" "first status"
expect "met   no_critical: none" "first status"
expect "next: small, once" "first status"
ctl --yes rollout next
[ "$rc" -eq 1 ] || fail "next with criteria unmet: exit $rc"
expect "rollout: next: refused: criteria of micro not met: sessions: 1 of 2" \
    "refused next"
# The stage's instruments hold for the trader too.
ctl buy 1 MES mkt stop 8
expect "MES is not traded in rollout stage micro (ES only)" "MES in micro"
stop

# 2. A restart, more days: every criterion met, next asks, then moves.
start 5
ctl rollout status
expect "met   sessions: " "second status"
expect "met   stop: seen" "second status"
expect "met   target: seen" "second status"
expect "met   max_slippage_ticks: worst" "second status"
expect "next: small, every criterion met (rollout next)" "second status"
ctl rollout next
[ "$rc" -eq 2 ] || fail "next without --yes: exit $rc (a question is 2)"
expect "move up from micro to small" "next asks"
ctl --yes rollout next
[ "$rc" -eq 0 ] || fail "next: exit $rc"
expect "rollout stage small (was micro)" "next"
ctl rollout status
expect "stage small (2 of 2)" "status after next"
expect "last stage" "status after next"
ctl risk show
expect "2" "risk show"
stop

# 3. The stage is a latch: a restart comes up in it.
start 5
ctl status
expect "rollout stage small (2 of 2" "status after a restart"
ctl rollout back
[ "$rc" -eq 0 ] || fail "back: exit $rc"
expect "rollout stage micro (was small)" "back"
ctl rollout back
[ "$rc" -eq 1 ] || fail "back from the first stage: exit $rc"
expect "micro is the first stage" "back from the first stage"
ctl rollout sideways
[ "$rc" -eq 2 ] || fail "a bad word: exit $rc"
stop
start 5
ctl rollout status
expect "stage micro (1 of 2)" "status after back and a restart"
expect ": rollout back" "status after back and a restart"
stop

# 4. The report by stage.
say ""
say "\$ tickdesk report --journal journal.db --rollout"
run 0 report --journal "$j" --rollout
cat "$tmp/out" >>"$log"
expect_out "Rollout by stage"
expect_out "micro -> small by"
expect_out "small -> micro by"
grep -A1 '^Incidents' "$tmp/out" | grep -q '^  none$' ||
    fail "report: no incident, but not 'none': $(cat "$tmp/out")"
grep -Eq '^  micro +[2-9] +[1-9]' "$tmp/out" ||
    fail "report: micro has no sessions or trades: $(cat "$tmp/out")"

[ -n "${TD_ROLLOUT_TRANSCRIPT:-}" ] && cp "$log" "$TD_ROLLOUT_TRANSCRIPT"
finish
