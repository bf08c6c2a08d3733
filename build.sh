#!/bin/sh
# build.sh -- build tickdesk from a fresh checkout on Debian 12.
#
# Installs the Debian packages the build and the tests need (clang for the
# fuzz harnesses, tmux for the console's tests, g++ and QuickFIX for the
# FIX counterparty of tests/fix, Open MPI for `tickdesk optimize` under
# mpirun, chromium to render the HTML pages in tests, liblinear and
# XGBoost for the signal models, systemd's systemd-analyze to verify the
# units and man to format the installed pages) when run as root (and says which ones are
# missing otherwise), then autoreconf, configure (--with-mpi) and make.
# Extra arguments go to configure (e.g. ./build.sh --enable-sanitizers).
set -eu

cd "$(dirname "$0")"

PACKAGES="build-essential autoconf automake pkg-config libconfig-dev
libsqlite3-dev liblzma-dev libncurses-dev libreadline-dev libcmocka-dev
libcurl4-openssl-dev libssl-dev systemd man-db
tzdata xz-utils tmux clang libclang-rt-14-dev
g++ libquickfix-dev libquickfix-doc libopenmpi-dev openmpi-bin chromium
liblinear-dev libxgboost-dev"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "build.sh: missing Debian packages:$missing" >&2
		echo "build.sh: run as root, or: sudo apt-get install$missing" >&2
		exit 1
	fi
	echo "build.sh: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null
fi

[ -x configure ] || autoreconf -i
if [ ! -f Makefile ] || [ $# -gt 0 ]; then
	./configure --with-mpi "$@"
fi
make -j"$(nproc)"
