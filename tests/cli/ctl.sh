#!/bin/sh
# ctl.sh -- a headless session driven through its control socket: tickdesk
# run --headless in the background (demo data, paused, a private socket),
# tickdesk ctl for status, a manual order, positions, flatten, halt, kill!
# and quit; bad input refused with exit 2; a second session on the same
# socket refused; kill! served while silent clients hold every ordinary
# slot; SIGINT ignored; SIGHUP reloads; SIGTERM flattens and exits.  The
# client refuses a socket in a directory open to others or of another
# user, and a listener of another user (tests/cli/ctl-peer.c plays the
# silent clients and the fake session).
. "${srcdir:-.}/tests/cli/lib.sh"
: "${TD_CTL_PEER:=./tests/cli/ctl-peer}"

[ -x "$TICKDESK" ] || exit 77
"$TICKDESK" help run >/dev/null 2>&1 || exit 77
"$TICKDESK" help ctl >/dev/null 2>&1 || exit 77
[ -x "$TD_CTL_PEER" ] || { echo "no $TD_CTL_PEER: skipped"; exit 77; }

pid=
peer=
other=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	for p in $pid $peer; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$tmp" ${other:+"$other"}
}
trap cleanup EXIT
sock=$tmp/ctl.sock

# waitfor TEXT FILE: wait up to 10 s for a helper to print TEXT.
waitfor() {
	i=0
	while [ $i -lt 200 ]; do
		grep -qF -- "$1" "$2" 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "no '$1' in $2"
	return 1
}

# serve PATH [SETPRIV...]: a fake session on PATH (as another user with
# setpriv's options), answering KILLED to anything; its output in
# $tmp/peer.out.  The last one's output goes first: the new one truncates
# the file only once it runs, and until then waitfor would find the last
# one's "listening" and let a client connect before this one listens.
serve() {
	path=$1
	shift
	rm -f "$path" "$tmp/peer.out"
	if [ $# -gt 0 ]; then
		setpriv "$@" "$peerbin" serve "$path" >"$tmp/peer.out" 2>&1 &
	else
		"$TD_CTL_PEER" serve "$path" >"$tmp/peer.out" 2>&1 &
	fi
	peer=$!
	waitfor listening "$tmp/peer.out"
}

# unserved: the fake session got no command line; stop it.
unserved() {
	grep -q "^received" "$tmp/peer.out" &&
	    fail "$1: the fake session received: $(cat "$tmp/peer.out")"
	kill "$peer" 2>/dev/null
	wait "$peer" 2>/dev/null
	peer=
}

# The sample configuration without the trade-risk limit, which refuses an
# entry without a stop: a bare `buy 1 ES mkt` must pass.
sed 's/max_trade_risk = [0-9.]*;/max_trade_risk = 0.00;/' \
    "$TD_CONF/tickdesk.cfg" >"$tmp/desk.cfg"

# start: a paused session on two demo days, with a journal of its own (a
# journal carries a HALTED state into the next session); wait until it
# answers.
sessions=0
start() {
	sessions=$((sessions + 1))
	"$TICKDESK" run --headless -c "$tmp/desk.cfg" --speed max --paused \
	    --demo-days 2 --socket "$sock" --journal "$tmp/j$sessions.db" \
	    2>"$tmp/run.err" &
	pid=$!
	listening "$sock" "$tmp/run.err"
}

# ended: the session ends by itself within 10 s with exit status $1.
ended() {
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "the session did not end"
		kill -9 "$pid"
	fi
	wait "$pid"
	got=$?
	pid=
	[ "$got" -eq "$1" ] || fail "the session ended with $got, expected $1"
	[ -e "$sock" ] && fail "the socket $sock is still there"
}

# c STATUS WORDS...: one command through the socket.
c() {
	want=$1
	shift
	run "$want" ctl --socket "$sock" "$@"
}

# step N: one more market event of the paused replay, the Nth; the engine
# takes it right after answering, so wait until status shows it.
step() {
	c 0 replay step
	i=0
	while [ $i -lt 50 ]; do
		"$TICKDESK" ctl --socket "$sock" status 2>/dev/null |
		    grep -q "events $1," && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "replay step $1: the engine did not take the event"
}

run 2 ctl
expect_err "usage: tickdesk ctl"
run 1 ctl --socket "$tmp/nobody.sock" status
expect_err "no tickdesk session is listening on $tmp/nobody.sock"
run 2 run -c "$tmp/desk.cfg"
expect_err "run needs --headless"
run 2 run --headless --speed fast
expect_err "--speed fast"

# The default socket is trusted only in a directory of the user's own,
# closed to others: the rule the session applies when it makes it.
XDG_RUNTIME_DIR=$tmp/xdg
export XDG_RUNTIME_DIR
dir=$XDG_RUNTIME_DIR/tickdesk
mkdir -p "$dir"
chmod 0777 "$dir"
serve "$dir/ctl.sock"
run 1 ctl kill!
expect_err "refusing the control socket: $dir: mode 0777 lets other users in"
unserved "a directory of mode 0777"
chmod 0700 "$dir"
serve "$dir/ctl.sock"
run 0 ctl kill!
expect_out "KILLED"
grep -q "^received: kill!$" "$tmp/peer.out" ||
    fail "a private directory: the fake session did not get kill!"
wait "$peer"
peer=
nobody=$(id -u nobody 2>/dev/null)
if [ "$(id -u)" -eq 0 ] && [ -n "$nobody" ]; then
	chown nobody "$dir"
	serve "$dir/ctl.sock"
	run 1 ctl kill!
	expect_err "$dir: owned by uid $nobody, not by you (uid 0)"
	unserved "a directory of another user"
else
	echo "ctl.sh: skipped a socket directory of another user (needs root)"
fi
unset XDG_RUNTIME_DIR

# A session listening as another user gets nothing, whatever the path.
other=$(mktemp -d "${TMPDIR:-/tmp}/tickdesk-other.XXXXXX")
chmod 0755 "$other"
peerbin=$other/ctl-peer
cp "$TD_CTL_PEER" "$peerbin"
chmod 0755 "$peerbin"
mkdir "$other/s"
as_nobody="--reuid=nobody --regid=nogroup --clear-groups"
# shellcheck disable=SC2086
if [ "$(id -u)" -eq 0 ] && chown nobody "$other/s" &&
    setpriv $as_nobody test -x "$peerbin" -a -w "$other/s" 2>/dev/null; then
	# shellcheck disable=SC2086
	serve "$other/s/ctl.sock" $as_nobody
	run 1 ctl --socket "$other/s/ctl.sock" kill!
	expect_err "$other/s/ctl.sock: the process listening there runs as"
	expect_err "as uid $nobody, not as you (uid 0) or root: nothing sent"
	unserved "a listener of another user"
else
	echo "ctl.sh: skipped a listener of another user (needs root and" \
	    "setpriv)"
fi

start
[ "$(stat -c %a "$sock")" = 600 ] || fail "socket mode $(stat -c %a "$sock")"
c 0 status
expect_out "state ACTIVE"
expect_out "mode paper, speed max (paused)"
# Command words in any case; a mistyped one gets the command meant.
c 0 STATUS
expect_out "state ACTIVE"
c 2 flaten
expect_err "unknown command 'flaten'; did you mean 'flatten'?"
# Every desk command has its entry in tickdesk(1), in the table's order.
c 0 help
sed '$d' "$tmp/out" | awk '{ print $1 }' >"$tmp/desk-commands"
sed -n '/^\.Sh DESK COMMANDS/,/^\.Sh /s/^\.It Ic \([^ ]*\).*/\1/p' \
    "$srcdir/man/tickdesk.1" >"$tmp/man-commands"
[ -s "$tmp/desk-commands" ] || fail "help listed no commands"
cmp -s "$tmp/desk-commands" "$tmp/man-commands" ||
    fail "DESK COMMANDS of tickdesk.1 differ from help: $(diff \
    "$tmp/desk-commands" "$tmp/man-commands" | tr '\n' ' ')"
# A second session on the same socket is refused.
run 1 run --headless -c "$tmp/desk.cfg" --socket "$sock" \
    --journal "$tmp/other.db"
expect_err "another tickdesk session is listening on $sock"

step 1
c 0 buy 1 ES mkt
expect_out ": buy 1 ES mkt"
step 2
c 0 positions
expect_out "ES     +1 @ "
c 1 quit
expect_err "quit: refused: 1 position and 0 working orders open"
c 0 flatten
expect_out "flattening all: 0 orders cancelled, closing at market ES +1"
step 3
c 0 positions
expect_out "ES     flat"

# Garbage is refused with status 2 and sends nothing.
c 2 buy 1.5 ES
expect_err "buy: bad quantity '1.5'"
c 2 buy -1 ES
expect_err "buy: bad quantity '-1'"
c 2 buy 1 ES lmt 4800.10
expect_err "buy: price 4800.10 is not on the 0.25 tick grid of ES"
c 2 buy 1 ES mkt please
expect_err "buy: unexpected word 'please'"
c 2 frobnicate
expect_err "unknown command 'frobnicate'"
c 2 flat
expect_err "'flat' is short for flatten"
c 0 orders
expect_out "no working orders"

c 0 halt
expect_out "HALTED"
c 1 buy 1 ES mkt
expect_err "buy: refused: trading is HALTED"
c 0 status
expect_out "state HALTED"
c 2 kill
expect_err "stop every strategy? [y/N]"
expect_err "tickdesk ctl --yes"
c 0 status
expect_out "state HALTED"
# Silent clients in every slot, the one kept for kill too: kill! still
# gets in at once (the silent one in the kept slot gives way).
"$TD_CTL_PEER" hold "$sock" 17 >"$tmp/hold.out" 2>&1 &
peer=$!
waitfor "holding 17" "$tmp/hold.out"
c 0 kill!
expect_out "KILLED"
kill "$peer"
wait "$peer" 2>/dev/null
peer=
c 0 status
expect_out "state KILLED"
c 2 resume
expect_err "resume trading after KILLED"
run 0 ctl --socket "$sock" --yes resume
expect_out "ACTIVE: trading resumed (was KILLED)"

# SIGINT does not stop the engine.
kill -INT "$pid"
sleep 0.2
c 0 status
expect_out "state ACTIVE"
grep -q "SIGINT does not stop the engine" "$tmp/run.err" ||
    fail "no word about SIGINT"
# SIGHUP reloads the configuration (a headless session has no terminal to
# lose): a tighter daily loss in the file applies, and trading goes on.
c 0 reload
expect_out "reload: no change"
sed 's/daily_loss = 1000.00;/daily_loss = 900.00;/' "$tmp/desk.cfg" \
    >"$tmp/desk.new" && mv "$tmp/desk.new" "$tmp/desk.cfg"
kill -HUP "$pid"
sleep 0.3
c 0 status
expect_out "state ACTIVE"
grep -q "SIGHUP: reloading the configuration" "$tmp/run.err" ||
    fail "no word about SIGHUP"
grep -q "risk.daily_loss: 900.00 (was 1,000.00)" "$tmp/run.err" ||
    fail "SIGHUP: the tighter daily loss was not applied"
c 0 risk show
expect_out "900.00"

# quit --flatten closes the position, then the session ends by itself.
c 0 buy 1 ES mkt
step 4
c 0 positions
expect_out "ES     +1 @ "
c 0 quit --flatten
expect_out "quitting once flat: HALTED"
ended 0
grep -q "flat: ending the session" "$tmp/run.err" ||
    fail "quit --flatten: no 'flat: ending the session'"

# SIGTERM with a position open: flatten, halt, exit 0 once flat.
start
step 1
c 0 buy 2 ES mkt
step 2
c 0 positions
expect_out "ES     +2 @ "
kill -TERM "$pid"
ended 0
grep -q "SIGTERM: halting and flattening" "$tmp/run.err" ||
    fail "SIGTERM: no warning"
grep -q "flat: ending the session" "$tmp/run.err" ||
    fail "SIGTERM: not flat at the end"

# A plain quit when flat.
start
c 0 quit
expect_out "quitting: flat, no working orders"
ended 0
finish
