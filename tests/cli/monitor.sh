#!/bin/sh
# monitor.sh -- the monitoring page of a paper session, rendered live in
# headless chromium.  A headless session on the demo data (the ORB
# strategy on ES) serves /monitor on its health port with a token read
# from a private file.  Without the token, or with a wrong one, the page
# is refused (401, counted in /metrics, and so chromium shows); anything
# but GET is refused (405).  With the token the page is opened while the
# session is paused and flat; a bracketed buy is then placed through the
# control socket and the replay stepped until it fills, and the page,
# which only hears the state through its event stream, must come to show
# the position with its stop and target, the fill and the log line; a
# screenshot is taken (copied to $TD_MONITOR_SHOT when that is set, and
# the last page's beside it as ...-end.png).  The replay then runs to
# its end, the strategy trading, and a new page shows the strategy's
# fills as the session's log has them.  tests/cli/cdp-page drives
# chromium (see there why --dump-dom cannot); everything started here is
# killed on exit.
. "${srcdir:-.}/tests/cli/lib.sh"
. "${srcdir:-.}/tests/cli/lib-chromium.sh"

: "${TD_CDP_PAGE:=./tests/cli/cdp-page}"
[ -x "$TICKDESK" ] || exit 77
[ -x "$TD_CDP_PAGE" ] || { echo "no $TD_CDP_PAGE: skipped"; exit 77; }
command -v curl >/dev/null || { echo "no curl: skipped"; exit 77; }

pid=
page=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	for p in $page $pid; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
sock=$tmp/ctl.sock
tab=$(printf '\t')

# c WORDS...: one command through the control socket, which must succeed.
c() {
	run 0 ctl --socket "$sock" "$@"
}

# cdp ARGS...: the page in chromium (profile in the test's directory).
cdp() {
	CHROMIUM=$chromium_bin HOME="$tmp/chromium-home" "$TD_CDP_PAGE" \
	    --profile "$tmp/chromium-home/profile" "$@" 2>>"$tmp/chromium.err"
}

# The token: a secret in a file only its owner reads.
token="tok-$$-Zq8"
printf '%s\n' "$token" >"$tmp/token"
chmod 600 "$tmp/token"

# start PORT: the session, paused, on three demo days; 0 when it listens
# on PORT, 1 when the port was taken (the session says so and trades on).
start() {
	port=$1
	cat >"$tmp/desk.cfg" <<EOF
trading = {
	instruments = ( { symbol = "ES"; tick_size = 0.25;
	    point_value = 50.00; commission = 0.62; session = "cme-equity"; } );
	sessions = ( { name = "cme-equity"; } );
};
risk = { max_trade_risk = 0.00; };
strategies = ( { name = "orb"; type = "orb"; symbol = "ES"; } );
journal = { path = "$tmp/journal$port.db"; };
health = { http_port = $port; monitor_token = "file:$tmp/token"; };
EOF
	"$TICKDESK" run --headless -c "$tmp/desk.cfg" --speed max --paused \
	    --demo-days 3 --socket "$sock" 2>"$tmp/run.err" &
	pid=$!
	listening "$sock" "$tmp/run.err"
	if grep -q "no /metrics and /health" "$tmp/run.err"; then
		c quit --leave
		wait "$pid"
		pid=
		return 1
	fi
	grep -q "monitor: http://127.0.0.1:$port/monitor?token=TOKEN" \
	    "$tmp/run.err" || fail "the session does not give the page"
	grep -qF "$token" "$tmp/run.err" && fail "the session logs the token"
	return 0
}
port=$((20000 + $$ % 20000))
start "$port" || start $((port + 1)) || start $((port + 7)) ||
    { echo "no free port for the page: skipped"; exit 77; }
base="http://127.0.0.1:$port"

# Refused without the token, with a wrong one, and for any other method.
code() {
	curl -s -o "$tmp/body" -w '%{http_code}' "$@"
}
[ "$(code "$base/monitor")" = 401 ] || fail "/monitor without a token"
grep -q "a token is needed" "$tmp/body" || fail "401 does not say why"
[ "$(code "$base/monitor?token=wrong")" = 401 ] ||
    fail "/monitor with a wrong token"
[ "$(code -H "Authorization: Bearer wrong" "$base/monitor/events")" = \
    401 ] || fail "/monitor/events with a wrong token"
[ "$(code -X POST -d 'buy 1 ES' "$base/monitor?token=$token")" = 405 ] ||
    fail "POST /monitor was not refused"
[ "$(code -X PUT "$base/monitor/events?token=$token")" = 405 ] ||
    fail "PUT /monitor/events was not refused"
curl -s "$base/metrics" | grep -q "^tickdesk_monitor_refused_total 3$" ||
    fail "the refusals were not counted"
# ... and in the browser too.
cdp --wait "a token is needed" --dom "$tmp/refused.html" \
    "$base/monitor?token=nope" || fail "chromium: the page was not refused"
grep -q "EventSource" "$tmp/refused.html" &&
    fail "chromium: the page was shown without the token"
# With the token as a header, the page (live updates need ?token=).
[ "$(code -H "Authorization: Bearer $token" "$base/monitor")" = 200 ] ||
    fail "/monitor with the token as a Bearer header"
grep -q "<title>tickdesk monitor</title>" "$tmp/body" ||
    fail "/monitor did not serve the page"

# The page opened while the session is paused and flat: nothing yet.
cdp --wait "live" --wait "stops 1/1 targets 1" --wait "entry${tab}manual" \
    --wait "bought 1 ES" --seconds 60 --size 1280x900 \
    --dom "$tmp/live.html" --shot "$tmp/monitor.png" \
    "$base/monitor?token=$token" &
page=$!
poll 60 sh -c "curl -s '$base/metrics' |
    grep -q '^tickdesk_monitor_streams 1$'" ||
    fail "the page did not open its event stream"
# Now, after the first market event, a bracketed buy, filled at the next.
c replay step
poll 10 sh -c "\"$TICKDESK\" ctl --socket '$sock' status |
    grep -q 'events 1,'" || fail "replay step: the engine did not take it"
c buy 1 ES mkt stop 8 target 16
i=0
while [ $i -lt 50 ]; do
	c replay step
	c positions
	grep -q "^ES  *+1 " "$tmp/out" && break
	i=$((i + 1))
done
grep -q "^ES  *+1 " "$tmp/out" || fail "the bracketed buy did not fill"
wait "$page" || fail "the page did not show the position and the fill"
page=
dom_text "$tmp/live.html" >"$tmp/live.txt"
# The state, the position with its protection, the fill and its log line.
grep -qx "ACTIVE" "$tmp/live.txt" || fail "page: no trading state"
grep -qx "paper (paused), session .*" "$tmp/live.txt" ||
    fail "page: no mode and session"
price=$(sed -n 's/.*bought 1 ES @ \([0-9.]*\) (entry, order .*/\1/p' \
    "$tmp/run.err" | head -1)
[ -n "$price" ] || fail "the session did not log the fill"
grep -A8 -x "ES" "$tmp/live.txt" | grep -qx "+1" ||
    fail "page: no position +1 in ES"
grep -qx "stops 1/1 targets 1" "$tmp/live.txt" ||
    fail "page: no protection for the position"
grep -qx "$price" "$tmp/live.txt" || fail "page: no fill at $price"
grep -qx "bought 1 ES @ $price (entry, order 1)" "$tmp/live.txt" ||
    fail "page: no log line of the fill"
for label in "day P&L (net, today)" "week P&L (net)" \
    "realized (gross, session)" "daily loss" "pnl_swing" "orb"; do
	grep -qxF "$label" "$tmp/live.txt" || fail "page: no '$label'"
done
grep -q "no order can be sent" "$tmp/live.txt" ||
    fail "page: does not say it is read-only"
grep -qi "<form\|<input\|<button" "$tmp/live.html" &&
    fail "page: has a form, an input or a button"
[ -s "$tmp/monitor.png" ] || fail "no screenshot"
if [ -n "${TD_MONITOR_SHOT:-}" ]; then
	cp "$tmp/monitor.png" "$TD_MONITOR_SHOT"
fi

# The replay to its end, the strategy trading: a new page shows its fills.
c replay resume
poll 60 grep -q "end of data" "$tmp/run.err" ||
    fail "the replay did not reach the end of the data"
orb=$(sed -n 's/.*\(bought\|sold\) 1 ES @ \([0-9.]*\) (entry, order .*/\2/p' \
    "$tmp/run.err" | sed -n 2p)
[ -n "$orb" ] || fail "the strategy did not trade"
cdp --wait "data ended" --wait "entry${tab}orb" --dom "$tmp/end.html" \
    --shot "$tmp/end.png" "$base/monitor?token=$token" ||
    fail "the page did not show the strategy's fills"
dom_text "$tmp/end.html" >"$tmp/end.txt"
grep -qx "$orb" "$tmp/end.txt" || fail "page: no strategy fill at $orb"
if [ -n "${TD_MONITOR_SHOT:-}" ]; then
	cp "$tmp/end.png" "${TD_MONITOR_SHOT%.png}-end.png"
fi

c quit --leave
wait "$pid"
pid=
finish
