#!/bin/sh
# usage.sh -- the command table: help, version, usage errors and exit codes,
# --help of every subcommand, and every subcommand and its options
# documented in tickdesk(1); every man page whole for groff (a list left
# open, an unknown macro).
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
# A typo of a command is pointed at the command meant.
run 2 bactest
expect_err "unknown command 'bactest'; did you mean 'backtest'?"
run 2 help consle
expect_err "did you mean 'console'?"
run 2 config chek
expect_err "config: unknown action 'chek'; did you mean 'check'?"
run 0 help backtest
expect_out "usage: tickdesk backtest"
run 2 help nothing
run 2 backtest --no-such-option
expect_err "usage: tickdesk backtest"
expect_err "'tickdesk backtest --help' describes the options"
# The usage of a usage error is wrapped: several lines, none past 80.
[ "$(grep -c '^ *\(usage: \)\{0,1\}tickdesk\|^  ' "$tmp/err")" -gt 1 ] ||
    fail "backtest's usage is one line"
awk 'length > 80 { exit 1 }' "$tmp/err" || fail "usage wider than 80"

# Options of the default command before it are the console's: without a
# terminal the console says so (not an unknown command).
run 2 --no-color
expect_err "the console needs a terminal"
run 2 --speed max
expect_err "the console needs a terminal"
run 2 --speed
expect_err "usage: tickdesk console"
run 0 --speed max --help
expect_out "usage: tickdesk console"
# An option's argument is not a request for help; words after -- neither.
run 2 backtest --data -h --no-such-option
expect_err "usage: tickdesk backtest"
# ctl's words after the first are the desk command's.
run 1 ctl --socket "$tmp/none.sock" status -h
run 0 ctl -h
expect_out "usage: tickdesk ctl"

# Every subcommand of the table answers --help and -h on stdout with
# exit 0, as `help NAME` does, in 80 columns; the options it lists are
# those the command parses (src/cmd-NAME.c) and those tickdesk(1) gives.
man="$srcdir/man/tickdesk.1"
# "NAME -x" and "NAME --long" for every option of each command of the
# manual: its .It Ic line and the .It lines of the list under it.
awk '
/^\.Sh / { insec = ($0 == ".Sh COMMANDS"); depth = 0; next }
!insec { next }
/^\.Bl/ { depth++; next }
/^\.El/ { depth--; next }
/^\.It / {
	if (depth == 1 && $2 == "Ic")
		cmd = $3
	else if (depth != 2)
		next
	for (i = 2; i < NF; i++)
		if ($i == "Fl")
			print cmd, "-" $(i + 1)
}' "$man" | sort -u >"$tmp/man-opts"
[ -s "$tmp/man-opts" ] || fail "no options found in tickdesk.1"

for name in $("$TICKDESK" help | cut -d' ' -f1); do
	run 0 "$name" --help
	cp "$tmp/out" "$tmp/help-$name"
	[ -s "$tmp/err" ] && fail "$name --help wrote to stderr"
	grep -q "^usage: tickdesk $name" "$tmp/help-$name" ||
	    fail "$name --help: no usage"
	awk 'length > 80 { exit 1 }' "$tmp/help-$name" ||
	    fail "$name --help: a line wider than 80 columns"
	run 0 "$name" -h
	cmp -s "$tmp/out" "$tmp/help-$name" || fail "$name -h differs"
	run 0 help "$name"
	cmp -s "$tmp/out" "$tmp/help-$name" || fail "help $name differs"

	# The options --help describes.
	sed -n '/^Options:/,$p' "$tmp/help-$name" | grep '^  -' |
	    sed 's/^  //; s/  .*//' | tr ' ' '\n' | sed -n 's/,$//; /^-/p' |
	    sort -u >"$tmp/help-opts"
	# The options the command parses: its long options and getopt's
	# letters (help and ctl have their own words).
	src="$srcdir/src/cmd-$name.c"
	{
		sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [a-z_]*argument.*/--\1/p' \
		    "$src"
		sed -n 's/.*getopt_long(argc, argv, "+\{0,1\}\([^"]*\)".*/\1/p' \
		    "$src" | tr -d ':+' | fold -w1 | sed 's/^/-/'
	} | sort -u >"$tmp/src-opts"
	if ! cmp -s "$tmp/help-opts" "$tmp/src-opts"; then
		fail "$name: --help and src/cmd-$name.c disagree:" \
		    "$(diff "$tmp/help-opts" "$tmp/src-opts" | grep '^[<>]' |
		    tr '\n' ' ')"
	fi
	# The options tickdesk(1) gives for it.
	sed -n "s/^$name //p" "$tmp/man-opts" | sort -u >"$tmp/doc-opts"
	if ! cmp -s "$tmp/help-opts" "$tmp/doc-opts"; then
		fail "$name: --help and tickdesk(1) disagree (< --help," \
		    "> manual): $(diff "$tmp/help-opts" "$tmp/doc-opts" |
		    grep '^[<>]' | tr '\n' ' ')"
	fi
done

# Every command in the table has its entry in the manual.
for name in $("$TICKDESK" help | cut -d' ' -f1); do
	grep -q "^\.It Ic $name" "$man" || echo "$name"
done >"$tmp/undocumented"
[ -s "$tmp/undocumented" ] &&
    fail "not in tickdesk.1: $(tr '\n' ' ' <"$tmp/undocumented")"

if command -v groff >/dev/null 2>&1; then
	for page in "$srcdir"/man/*.[1-9]; do
		groff -mandoc -ww -z "$page" >"$tmp/lint" 2>&1
		[ -s "$tmp/lint" ] && fail "groff: $page: $(cat "$tmp/lint")"
	done
fi
finish
