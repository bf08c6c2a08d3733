# lib-fixcp.sh -- start and drive the FIX counterparty (tests/fix/fixcp)
# from a shell test.  Source it after tests/cli/lib.sh (which gives $tmp,
# fail and finish); $TD_FIXCP names the program (make check sets it).
#
#	fixcp_start --data FILE --symbol ES ...	# FIXCP_PORT, FIXCP_PID
#	    (with --emergency-port: FIXCP_EM_PORT too)
#	fixcp_ok price ES 4500.25		# fails the test unless "ok"
#	fixcp_cmd status; echo "$FIXCP_ANSWER"	# any answer
#	fixcp_stop				# Logout, exit; FIXCP_STATUS
#	fixcp_kill				# SIGKILL: a crash, no Logout
#	fixcp_conf				# $tmp/conf: a FIX venue on it
#
# fixcp's commands go to it on fd 7 and its answers come back on fd 8 (two
# FIFOs in $tmp); its stderr is appended to $tmp/fixcp.err.  One fixcp at a
# time.  Every wait is on fixcp's own answer; a guard kills a fixcp still
# running after FIXCP_GUARD seconds (300) so that a hang fails the test
# instead of holding make check.

: "${TD_FIXCP:=./tests/fix/fixcp}"
: "${FIXCP_GUARD:=300}"
FIXCP_PID=
FIXCP_GUARD_PID=

# fixcp_start [ARGS...]: start fixcp on port $FIXCP_PORT (0 or unset: a free
# one, then set to it) with ARGS.  Returns 0 once it is listening; else
# fixcp's exit status, 3 meaning the port was taken (try another).
fixcp_start() {
	rm -f "$tmp/fixcp.in" "$tmp/fixcp.out"
	mkfifo "$tmp/fixcp.in" "$tmp/fixcp.out" || return 1
	"$TD_FIXCP" --port "${FIXCP_PORT:-0}" "$@" <"$tmp/fixcp.in" \
	    >"$tmp/fixcp.out" 2>>"$tmp/fixcp.err" &
	FIXCP_PID=$!
	exec 7>"$tmp/fixcp.in" 8<"$tmp/fixcp.out"
	(
		exec 7>&- 8<&-
		trap 'kill "$s"; exit 0' TERM
		sleep "$FIXCP_GUARD" & s=$!
		wait "$s" && kill -9 "$FIXCP_PID"
	) >/dev/null 2>&1 &
	FIXCP_GUARD_PID=$!
	if IFS=' ' read -r _ready _port FIXCP_PORT _em FIXCP_EM_PORT <&8 &&
	    [ "$_ready $_port" = "ready port" ]; then
		return 0
	fi
	fixcp_stop
	return "$FIXCP_STATUS"
}

# fixcp_cmd COMMAND...: send it, leave the answer line in FIXCP_ANSWER.
fixcp_cmd() {
	echo "$*" >&7
	FIXCP_ANSWER=
	IFS= read -r FIXCP_ANSWER <&8 || FIXCP_ANSWER="(fixcp is gone)"
}

# fixcp_ok COMMAND...: as fixcp_cmd, failing the test unless "ok...";
# FIXCP_ANSWER then holds what came after "ok ".
fixcp_ok() {
	fixcp_cmd "$@"
	case $FIXCP_ANSWER in
	ok) FIXCP_ANSWER= ;;
	"ok "*) FIXCP_ANSWER=${FIXCP_ANSWER#ok } ;;
	*) fail "fixcp: '$*' answered '$FIXCP_ANSWER'" ;;
	esac
}

# fixcp_stop: end fixcp as EOF on its stdin does (it logs out and exits);
# its exit status in FIXCP_STATUS.  SIGTERM does that too, and works when
# a program the test started in the background holds fd 7 open.
fixcp_stop() {
	[ -n "$FIXCP_PID" ] || return 0
	exec 7>&-
	kill -TERM "$FIXCP_PID" 2>/dev/null
	wait "$FIXCP_PID"
	FIXCP_STATUS=$?
	exec 8<&-
	kill "$FIXCP_GUARD_PID" 2>/dev/null
	FIXCP_PID=
	rm -f "$tmp/fixcp.in" "$tmp/fixcp.out"
}

# fixcp_kill: a crash -- SIGKILL, no Logout; the store and book stay as
# they were, for a fixcp_start on the same --store.
fixcp_kill() {
	[ -n "$FIXCP_PID" ] || return 0
	kill -9 "$FIXCP_PID"
	fixcp_stop
}

# fixcp_conf: the shipped configuration in $tmp/conf, with the FIX venue on
# this fixcp as its environment "fix" (heartbeat 5 s, reconnects within
# 0.1 to 0.5 s, the message log in $tmp/fix.log).
fixcp_conf() {
	mkdir -p "$tmp/conf/env"
	cp "$TD_CONF/tickdesk.cfg" "$tmp/conf/"
	cat >"$tmp/conf/env/fix.cfg" <<EOF
venue = {
	type = "fix";
	host = "127.0.0.1";
	port = $FIXCP_PORT;
	sender_comp_id = "TD";
	target_comp_id = "CP";
	heartbeat = 5;
	reconnect_min_ms = 100;
	reconnect_max_ms = 500;
	message_log = "$tmp/fix.log";
};
EOF
}
