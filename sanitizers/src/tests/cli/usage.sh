#!/bin/sh
# usage.sh -- the command table: help, version, usage errors and exit codes,
# and every subcommand documented in tickdesk(1).
. "${srcdir:-.}/tests/cli/lib.sh"

run 0 --version
expect_out "tickdesk "
run 0 --help
expect_out "backtest"
expect_out "config"
run 2
expect_err "usage: tickdesk"
run 2 no-such-command
expect_err "unknown command 'no-such-command'"
run 2 back
expect_err "unknown command 'back'"
run 0 help backtest
expect_out "usage: tickdesk backtest"
run 2 help nothing
run 2 backtest --no-such-option
expect_err "usage: tickdesk backtest"

# Every command in the table has its entry in the manual.
man="$srcdir/man/tickdesk.1"
"$TICKDESK" help | while read -r name rest; do
	grep -q "^\.It Ic $name" "$man" || echo "$name"
done >"$tmp/undocumented"
[ -s "$tmp/undocumented" ] &&
    fail "not in tickdesk.1: $(tr '\n' ' ' <"$tmp/undocumented")"
finish
