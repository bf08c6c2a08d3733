#!/bin/sh
# install.sh -- `make install` and `make uninstall` into a root of the
# test's own (DESTDIR, the configured prefix): the program, the man pages,
# the sample configuration, the plug-in headers, tickdesk.pc and the
# systemd units land where the configuration says and nowhere else; the
# installed program runs and checks the installed sample; it finds the
# user's configuration ($XDG_CONFIG_HOME) before the installed one; the
# pages format; both units pass `systemd-analyze verify` (run against the
# installed program and pages); and uninstall leaves no file behind.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
if [ -z "${TD_MAKE:-}" ] || [ -z "${TD_BUILDDIR:-}" ]; then
	echo "install.sh: run by make check (TD_MAKE, TD_BUILDDIR): skipped"
	exit 77
fi

root="$tmp/root"
# The nested make is on its own: not a part of the check's job server.
mk() {
	env MAKEFLAGS= MAKELEVEL= $TD_MAKE -s -C "$TD_BUILDDIR" "$@" \
	    DESTDIR="$root" >"$tmp/make.out" 2>&1 ||
	    { fail "make $*"; sed 's/^/  make: /' "$tmp/make.out" | tail -5 >&2; }
}

mk install
bin="$root$TD_BINDIR/tickdesk"
etc="$root$TD_SYSCONFDIR/tickdesk"
man="$root$TD_MANDIR"
for f in "$bin" "$etc/tickdesk.cfg" "$etc/env/dev.cfg" "$etc/env/fix.cfg" \
    "$etc/env/prod.cfg" "$etc/env/sim.cfg" \
    "$root$TD_INCLUDEDIR/tickdesk/plugin.h" \
    "$root$TD_INCLUDEDIR/tickdesk/strategy.h" \
    "$root$TD_INCLUDEDIR/tickdesk/types.h" \
    "$root$TD_PCDIR/tickdesk.pc" \
    "$man/man1/tickdesk.1" "$man/man5/tickdesk.conf.5" \
    "$man/man7/tickdesk-plugin.7"; do
	[ -f "$f" ] || fail "not installed: ${f#$root}"
done
# The units, unless configure was told --with-systemd*unitdir=no.
units=
[ "$TD_SYSTEM_UNITDIR" != no ] && units="system"
[ "$TD_USER_UNITDIR" != no ] && units="$units user"
unitdir() {
	case $1 in
	system) echo "$TD_SYSTEM_UNITDIR" ;;
	user) echo "$TD_USER_UNITDIR" ;;
	esac
}
for u in $units; do
	[ -f "$root$(unitdir $u)/tickdesk.service" ] ||
	    fail "not installed: the $u unit in $(unitdir $u)"
done
[ -x "$bin" ] || fail "the program is not executable"
# Nothing anywhere else.
find "$root" -type f | sed "s|^$root||" | while read -r f; do
	case $f in
	"$TD_BINDIR"/*|"$TD_SYSCONFDIR"/tickdesk/*|"$TD_INCLUDEDIR"/tickdesk/*|\
	"$TD_PCDIR"/*|"$TD_MANDIR"/man[1-8]/*|"$TD_SYSTEM_UNITDIR"/*|\
	"$TD_USER_UNITDIR"/*) ;;
	*) echo "FAIL: installed out of place: $f" >&2; exit 1 ;;
	esac
done || failures=$((failures + 1))
# The units run the installed program (on the installed configuration).
for u in $units; do
	f="$root$(unitdir $u)/tickdesk.service"
	grep -q "^ExecStart=$TD_BINDIR/tickdesk run --headless" "$f" ||
	    fail "the $u unit's ExecStart"
	grep -q '@[a-z]*@' "$f" && fail "the $u unit keeps an @name@"
done
[ "$TD_SYSTEM_UNITDIR" = no ] ||
    grep -q " -c $TD_SYSCONFDIR/tickdesk/tickdesk.cfg\$" \
    "$root$TD_SYSTEM_UNITDIR/tickdesk.service" ||
    fail "the system unit does not name the installed configuration"

# ---------------------------------------------------------------- it runs
TICKDESK=$bin
run 0 --version
expect_out "tickdesk "
run 0 config check -c "$etc/tickdesk.cfg"
expect_out "# tickdesk effective configuration from $etc/tickdesk.cfg"
run 0 config check -c "$etc/tickdesk.cfg" --env prod
run 0 config check -c "$etc/tickdesk.cfg" --env sim
# Where it looks, away from a source tree: the user's file first.
mkdir -p "$tmp/away" "$tmp/xdg"
cp -R "$etc" "$tmp/xdg/tickdesk"
(cd "$tmp/away" && env -u TICKDESK_CONFIG XDG_CONFIG_HOME="$tmp/xdg" \
    "$bin" config check >"$tmp/out" 2>"$tmp/err")
expect_out "# tickdesk effective configuration from $tmp/xdg/tickdesk/tickdesk.cfg"
# Else the installed one ($sysconfdir of the build, not of this root).
(cd "$tmp/away" && env -u TICKDESK_CONFIG XDG_CONFIG_HOME="$tmp/away" \
    "$bin" config check >"$tmp/out" 2>"$tmp/err")
grep -qF "$TD_SYSCONFDIR/tickdesk/tickdesk.cfg" "$tmp/out" "$tmp/err" ||
    fail "without a user's file it does not look in $TD_SYSCONFDIR/tickdesk"

# ---------------------------------------------------------------- pages
if command -v man >/dev/null 2>&1; then
	for p in man1/tickdesk.1 man5/tickdesk.conf.5 man7/tickdesk-plugin.7; do
		MANWIDTH=80 man -l "$man/$p" >"$tmp/page" 2>"$tmp/page.err" ||
		    fail "man -l $p: $(head -1 "$tmp/page.err")"
	done
	MANWIDTH=80 man -l "$man/man1/tickdesk.1" 2>/dev/null |
	    grep -q 'RUNNING AS A SERVICE' ||
	    fail "tickdesk(1) has no RUNNING AS A SERVICE"
else
	echo "install.sh: no man: the pages are not formatted" >&2
fi

# ---------------------------------------------------------------- units
# Verified as installed, with the program and pages of this root (the
# configured paths hold none yet): systemd-analyze checks ExecStart and
# that Documentation= names pages man finds.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$tmp/units/system" "$tmp/units/user" "$tmp/run"
	chmod 700 "$tmp/run"
	for u in $units; do
		mode=
		[ $u = user ] && mode=--user
		sed "s|^ExecStart=$TD_BINDIR/|ExecStart=$root$TD_BINDIR/|" \
		    "$root$(unitdir $u)/tickdesk.service" \
		    >"$tmp/units/$u/tickdesk.service"
		XDG_RUNTIME_DIR="$tmp/run" MANPATH="$man" \
		    systemd-analyze $mode verify \
		    "$tmp/units/$u/tickdesk.service" >"$tmp/verify" 2>&1 ||
		    fail "systemd-analyze verify, $u unit: $(cat "$tmp/verify")"
		[ -s "$tmp/verify" ] &&
		    fail "systemd-analyze verify, $u unit: $(cat "$tmp/verify")"
	done
else
	echo "install.sh: no systemd-analyze: the units are not verified" \
	    "(build.sh installs the package systemd)" >&2
fi

# ---------------------------------------------------------------- uninstall
mk uninstall
left=$(find "$root" -type f -o -type l)
[ -z "$left" ] || fail "left after make uninstall: $left"

finish
