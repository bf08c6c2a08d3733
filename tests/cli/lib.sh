# lib.sh -- helpers for the shell tests that drive the real tickdesk binary.
# Each test sources this file; exit 0 = pass, 1 = fail, 77 = skipped.

# The environment of the configuration is each test's to choose.
unset TICKDESK_ENV
: "${TICKDESK:=./tickdesk}"
: "${srcdir:=.}"
: "${TD_CONF:=$srcdir/conf}"
: "${TD_TEST_DATA:=$srcdir/tests/data}"

failures=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tickdesk-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Journals, reports, history and logs of the sessions a test starts stay in
# its own directory, never in the user's.
XDG_DATA_HOME="$tmp/data"
XDG_STATE_HOME="$tmp/state"
export XDG_DATA_HOME XDG_STATE_HOME

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run EXPECTED_STATUS CMD...: run the binary, keep stdout and stderr.
run() {
	want=$1
	shift
	timeout 300 "$TICKDESK" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "tickdesk $*: exit $got, expected $want"
		sed 's/^/  stderr: /' "$tmp/err" | head -5 >&2
	fi
}

# expect_out TEXT / expect_err TEXT: the last run printed TEXT (fixed string).
expect_out() {
	grep -qF -- "$1" "$tmp/out" || fail "stdout lacks '$1'"
}
expect_err() {
	grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1'"
}

finish() {
	[ "$failures" -eq 0 ] && exit 0
	echo "$failures failure(s)" >&2
	exit 1
}

# poll SECONDS COMMAND...: until the command succeeds (1 when it never
# does within SECONDS).
poll() {
	n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# listening SOCK ERRFILE: wait (10 s at most) until the headless session
# started last answers on SOCK; else fail, show ERRFILE and finish.
listening() {
	i=0
	while [ $i -lt 100 ]; do
		"$TICKDESK" ctl --socket "$1" status >/dev/null 2>&1 &&
		    return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "the headless session did not start"
	cat "$2" >&2
	finish
}
