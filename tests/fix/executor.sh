#!/bin/sh
# executor.sh -- build QuickFIX's executor example, unmodified, and run it:
# the second counterparty of tickdesk's interop check.
#
#	tests/fix/executor.sh PORT [SETTINGS]
#
# The sources are Debian's (libquickfix-doc: executor.cpp, Application.h
# and the gzipped Application.cpp of
# /usr/share/doc/libquickfix-doc/examples/executor/C++).  They are built in
# a temporary directory, never in the tree, against libquickfix-dev, as
# C++14 (the QuickFIX 1.15 headers have dynamic exception specifications,
# which C++17 refuses) with an empty config.h (no SSL).  The executor then
# runs with SETTINGS (tests/fix/executor.cfg by default) given
# SocketAcceptPort=PORT and a store in the temporary directory, removed
# when it ends.
#
# What it does: it fills each limit order (NewOrderSingle 40=2) at once
# and whole at its price, ExecType F (4.4); any other order type gets a
# session-level Reject (373=5 on tag 40); it answers nothing else.  It
# listens on every interface (QuickFIX 1.15 cannot bind one address),
# prints "Type Ctrl-C to quit" once it does and every message on stdout,
# and runs until it gets SIGINT or SIGTERM (this script passes them on).
# Exit 1 if it cannot be built or started; a port in use makes it print
# "Unable to create, bind, or listen to port PORT".  EXECUTOR_CXX names
# the compiler (g++).
set -u

src=/usr/share/doc/libquickfix-doc/examples/executor/C++
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: executor.sh PORT [SETTINGS]" >&2
	exit 2
fi
port=$1
settings=${2:-$here/executor.cfg}
case $port in ''|*[!0-9]*) echo "executor.sh: bad port $port" >&2; exit 2 ;;
esac
[ -r "$settings" ] || { echo "executor.sh: no $settings" >&2; exit 1; }
[ -r "$src/executor.cpp" ] || {
	echo "executor.sh: no $src (apt-get install libquickfix-doc)" >&2
	exit 1
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/executor.XXXXXX") || exit 1
pid=
# shellcheck disable=SC2317 # run by the traps
stop() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid"
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 0' INT TERM

cp "$src/executor.cpp" "$src/Application.h" "$dir/" &&
    gzip -dc "$src/Application.cpp.gz" >"$dir/Application.cpp" &&
    : >"$dir/config.h" || exit 1
# shellcheck disable=SC2046 # pkg-config's words are separate flags
"${EXECUTOR_CXX:-g++}" -std=gnu++14 -w -I"$dir" \
    $(pkg-config --cflags quickfix) -o "$dir/executor" \
    "$dir/executor.cpp" "$dir/Application.cpp" \
    $(pkg-config --libs quickfix) -lpthread || {
	echo "executor.sh: the executor does not build" >&2
	exit 1
}

# The settings, with this port and store first in [DEFAULT] (which is
# made when the file has none); the file's own are left out.
keys='^(SocketAcceptPort|FileStorePath)='
if grep -q '^\[DEFAULT\]' "$settings"; then
	grep -Ev "$keys" "$settings" | awk -v port="$port" \
	    -v store="$dir/store" '{ print } /^\[DEFAULT\]/ {
		print "SocketAcceptPort=" port; print "FileStorePath=" store }'
else
	printf '[DEFAULT]\nSocketAcceptPort=%s\nFileStorePath=%s\n' "$port" \
	    "$dir/store"
	grep -Ev "$keys" "$settings"
fi >"$dir/executor.cfg"

"$dir/executor" "$dir/executor.cfg" &
pid=$!
wait "$pid"
status=$?
pid=
exit "$status"
