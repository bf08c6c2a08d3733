#!/bin/sh
# config-limits.sh -- what the configuration loader refuses before it
# parses: a file over 1 MiB or with a line over 16384 bytes (its own, or
# one it @includes), at `config check`, at the start of a session and at a
# reload, which leaves the session answering; and "did you mean" for a
# mistyped key, at `config check` and at the start.
. "${srcdir:-.}/tests/cli/lib.sh"

sock="$tmp/desk.sock"
cp "$TD_CONF/tickdesk.cfg" "$tmp/desk.cfg"

# A mistyped key names the key meant, with its file and line.
sed 's/^\([[:space:]]*\)max_contracts = /\1max_contract = /' \
    "$tmp/desk.cfg" >"$tmp/typo.cfg"
line=$(grep -n 'max_contract = ' "$tmp/typo.cfg" | head -1 | cut -d: -f1)
run 2 config check -c "$tmp/typo.cfg"
expect_err "$tmp/typo.cfg:$line: risk.max_contract: unknown key; did you mean 'risk.max_contracts'?"
run 2 run --headless -c "$tmp/typo.cfg" --socket "$sock"
expect_err "$tmp/typo.cfg:$line: risk.max_contract: unknown key; did you mean 'risk.max_contracts'?"

# big FILE MB: the sample configuration and MB megabytes of comment lines.
big() {
	{
		cat "$tmp/desk.cfg"
		awk -v n="$2" 'BEGIN {
			s = sprintf("%099d", 0)
			for (i = 0; i < n * 10486; i++)
				print "# " s
		}'
	} >"$1"
}
big "$tmp/big.cfg" 6
size=$(wc -c <"$tmp/big.cfg" | tr -d ' ')
run 2 config check -c "$tmp/big.cfg"
expect_err "$tmp/big.cfg: $size bytes, more than the limit 1048576"
# Refused before libconfig reads it: nothing about its settings.
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "big: more than the one problem"
run 2 run --headless -c "$tmp/big.cfg" --socket "$sock"
expect_err "$tmp/big.cfg: $size bytes, more than the limit 1048576"

# One line too long, in the file or in a file it includes.
{
	cat "$tmp/desk.cfg"
	awk 'BEGIN { printf "# "; for (i = 0; i < 20000; i++) printf "x"
	    print "" }'
} >"$tmp/long.cfg"
line=$(wc -l <"$tmp/long.cfg" | tr -d ' ')
run 2 config check -c "$tmp/long.cfg"
expect_err "$tmp/long.cfg:$line: 20002 bytes on one line, more than the limit 16384"
mkdir "$tmp/inc"
cp "$tmp/long.cfg" "$tmp/inc/extra.cfg"
{ cat "$tmp/desk.cfg"; echo '@include "extra.cfg"'; } >"$tmp/inc/main.cfg"
run 2 config check -c "$tmp/inc/main.cfg"
expect_err "$tmp/inc/extra.cfg:$line: 20002 bytes on one line, more than the limit 16384"
# Just under the limits is read as any file.
{
	cat "$tmp/desk.cfg"
	awk 'BEGIN { printf "# "; for (i = 0; i < 16382; i++) printf "x"
	    print "" }'
} >"$tmp/edge.cfg"
run 0 config check -c "$tmp/edge.cfg"

# A reload of a file grown too big is refused at once, changes nothing,
# and the session goes on answering its control socket.
cp "$tmp/desk.cfg" "$tmp/live.cfg"
"$TICKDESK" run --headless -c "$tmp/live.cfg" --speed max --paused \
    --demo-days 2 --socket "$sock" --journal "$tmp/j.db" 2>"$tmp/run.err" &
pid=$!
listening "$sock" "$tmp/run.err"
big "$tmp/live.cfg" 6
size=$(wc -c <"$tmp/live.cfg" | tr -d ' ')
run 1 ctl --socket "$sock" reload
expect_err "reload: refused, nothing applied"
expect_err "$tmp/live.cfg: $size bytes, more than the limit 1048576"
run 0 ctl --socket "$sock" status
expect_out "state ACTIVE"
run 0 ctl --socket "$sock" quit
wait "$pid" || fail "the session ended with $?"
finish
