#!/bin/sh
# plugins.sh -- plug-in strategies through the real binary.  The example
# strategies (examples/strategies) are built out of the tree, with their
# own Makefile, against the headers and tickdesk.pc of a `make install`
# staged in the build tree, and backtested on the demo session: they
# trade, and the same run gives the same report.  Then the refusals: a
# plug-in of another ABI and a missing file stop the load with the
# file, line and reason; a plug-in whose callback fails, or that calls
# from a thread of its own, is disabled alone while the backtest goes on.
. "${srcdir:-.}/tests/cli/lib.sh"

root=${TD_PLUGIN_ROOT:-}
plugins=${TD_TEST_PLUGINS:-tests/unit}
if [ -z "$root" ] || [ ! -d "$root" ]; then
	echo "SKIP: no staged install (make check makes one)"
	exit 77
fi
PKG_CONFIG_PATH=$root$TD_PLUGIN_PCDIR
PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# 1. What make install gives a plug-in's author: the headers and the
# flags to find them, and nothing from this tree.
if ! cflags=$(pkg-config --cflags tickdesk); then
	fail "pkg-config finds no tickdesk in $PKG_CONFIG_PATH"
	finish
fi
case "$cflags" in
"-I$root/"*) ;;
*) fail "pkg-config --cflags tickdesk: '$cflags' is not the staged one" ;;
esac
inc=${cflags#-I}
inc=${inc%% *}
for h in plugin.h strategy.h types.h; do
	[ -f "$inc/tickdesk/$h" ] || fail "not installed: tickdesk/$h"
done
abi=$(sed -n 's/^#define[ 	]*TD_STRATEGY_ABI[ 	]*\([0-9]*\).*/\1/p' \
    "$inc/tickdesk/strategy.h")
[ "$(pkg-config --variable=strategy_abi tickdesk)" = "$abi" ] ||
    fail "tickdesk.pc strategy_abi is not the headers' $abi"

# 2. The examples, built out of the tree by their own Makefile.
ex="$srcdir/examples/strategies"
b="$tmp/examples"
mkdir -p "$b"
cp "$ex"/*.cfg "$b"/
if ! make -s -C "$b" -f "$(cd "$ex" && pwd)/Makefile" \
    srcdir="$(cd "$ex" && pwd)" >"$tmp/make" 2>&1; then
	sed 's/^/  make: /' "$tmp/make" | head -20 >&2
	fail "the examples do not build against the installed headers"
	finish
fi

# 3. Each backtests the demo session: trades, and twice the same report.
for s in ma-cross vwap-revert; do
	run 0 backtest -c "$b/$s.cfg"
	cp "$tmp/out" "$tmp/$s.1"
	trades=$(sed -n 's/^trades  *\([0-9]*\)$/\1/p' "$tmp/out")
	net=$(sed -n 's/^net p&l  *//p' "$tmp/out")
	[ "${trades:-0}" -gt 0 ] || fail "$s: no trades"
	echo "$s: $trades trades, net p&l $net"
	grep -q "strategy disabled" "$tmp/err" &&
	    fail "$s: disabled: $(grep 'strategy disabled' "$tmp/err")"
	run 0 backtest -c "$b/$s.cfg"
	cmp -s "$tmp/$s.1" "$tmp/out" || fail "$s: two runs, different reports"
done

# The smallest plug-in of tickdesk-plugin(7) builds as printed, and loads.
sed -n '/^The smallest plug-in/,/^\.Ed$/p' "$srcdir/man/tickdesk-plugin.7" |
    sed -e '1,2d' -e '$d' -e 's/\\e/\\/g' >"$tmp/log.c"
if ${CC:-cc} -shared -fPIC $cflags -Wall -Wextra -Wno-unused-parameter \
    -Werror -o "$b/log.so" "$tmp/log.c" 2>"$tmp/cc"; then
	sed -e 's|plugin = "ma-cross.so";.*|plugin = "log.so";|' \
	    -e '/params = {/,/};/d' "$b/ma-cross.cfg" >"$b/log.cfg"
	run 0 config check -c "$b/log.cfg"
	expect_out 'type = "log";'
else
	sed 's/^/  cc: /' "$tmp/cc" | head -10 >&2
	fail "the smallest plug-in of tickdesk-plugin(7) does not build"
fi

# A configuration of one strategy group (name, then the rest) after the
# instrument, session and limits of the examples.
strategies() {
	sed '/^strategies = (/,$d' "$b/ma-cross.cfg"
	echo "strategies = ("
	cat
	echo ");"
}

# 4. Refused at load, with the file and line of the plugin key.
printf '\t{ name = "old"; symbol = "ES";\n\t  plugin = "%s"; }\n' \
    "$plugins/plugin-abi.so" | strategies >"$tmp/abi.cfg"
line=$(grep -n 'plugin = ' "$tmp/abi.cfg" | cut -d: -f1)
run 2 backtest -c "$tmp/abi.cfg"
expect_err "$tmp/abi.cfg:$line: strategies[0].plugin: $plugins/plugin-abi.so: built for strategy ABI $((abi + 1)), this tickdesk has ABI $abi"
[ -s "$tmp/out" ] && fail "abi: a report for a refused configuration"

printf '\t{ name = "gone"; symbol = "ES";\n\t  plugin = "gone.so"; }\n' |
    strategies >"$tmp/gone.cfg"
run 2 backtest -c "$tmp/gone.cfg"
expect_err "$tmp/gone.cfg:$line: strategies[0].plugin: $tmp/gone.so: no such file"
run 2 config check -c "$tmp/gone.cfg"
expect_err "strategies[0].plugin: $tmp/gone.so: no such file"

# 5. A strategy whose callback fails is disabled alone: the backtest ends
# and reports, the crossover beside it trades as it does alone.
cp "$plugins/plugin-fail.so" "$b/"
alone=$(sed -n 's/^trades  *//p' "$tmp/ma-cross.1")
{
	printf '\t{ name = "bad"; symbol = "ES"; plugin = "plugin-fail.so";\n'
	printf '\t  params = { at = 100; }; },\n'
	printf '\t{ name = "ma"; symbol = "ES"; plugin = "ma-cross.so"; }\n'
} | strategies >"$b/fail.cfg"
run 0 backtest -c "$b/fail.cfg"
expect_err "on_bar failed, strategy disabled: bar 100: failing on purpose"
grep -q ' error  *strategy:bad  *on_bar failed' "$tmp/err" ||
    fail "fail: the error line does not name the strategy"
[ "$(grep -c 'strategy disabled' "$tmp/err")" -eq 1 ] ||
    fail "fail: more than the failing strategy disabled"
[ "$(sed -n 's/^trades  *//p' "$tmp/out")" = "$alone" ] ||
    fail "fail: the crossover traded differently beside it"
grep -q '^trades ' "$tmp/out" || fail "fail: no report"

# 6. One that breaks its contract -- it calls from a thread of its own
# with the context it kept -- is refused and disabled alone, its position
# kept under its stop; the crossover trades as it does alone.
cp "$plugins/plugin-rogue.so" "$b/"
{
	printf '\t{ name = "bad"; symbol = "ES"; plugin = "plugin-rogue.so";\n'
	printf '\t  params = { at = 3; breach = "thread"; stop = 40; }; },\n'
	printf '\t{ name = "ma"; symbol = "ES"; plugin = "ma-cross.so"; }\n'
} | strategies >"$b/rogue.cfg"
run 0 backtest -v -c "$b/rogue.cfg"
expect_err "broke its contract, strategy disabled: strat_submit called outside its callbacks (another thread, or a context kept for later)"
expect_err "from its thread: -1, strat_submit called outside the strategy's callbacks: refused, strategy disabled"
expect_err "its ES position +1 stays, protected by its stops"
[ "$(grep -c 'strategy disabled:' "$tmp/err")" -eq 1 ] ||
    fail "rogue: more than the rogue strategy disabled"
grep -q '^trades ' "$tmp/out" || fail "rogue: no report"

finish
