#!/bin/sh
# alerts.sh -- the "done means" of the production issue, end to end: a
# replayed session (run --headless --speed max on the demo data) whose
# webhook fails its first two requests and whose P&L swing breaker trips.
# The session halts and flattens as configured, the alerts reach the local
# HTTP server (after the retries) and the local SMTP sink, a strategy that
# fails is disabled alone, an end-of-day report that cannot be written is
# logged and alerted, the engine keeps processing the data to its end,
# status and /health show the trip, and breaker reset then resume trades
# again.  The servers are tests/cli/http-sink (make check builds
# it); everything started here is killed on exit.  Under a minute.
. "${srcdir:-.}/tests/cli/lib.sh"

: "${TD_HTTP_SINK:=./tests/cli/http-sink}"
[ -x "$TICKDESK" ] || exit 77
[ -x "$TD_HTTP_SINK" ] || { echo "no $TD_HTTP_SINK: skipped"; exit 77; }

pid=
sink=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    [ -n "$sink" ] && kill "$sink" 2>/dev/null
    rm -rf "$tmp"' EXIT
sock=$tmp/ctl.sock

# The servers: HTTP failing its first 2 requests with 500, and SMTP.
"$TD_HTTP_SINK" --ports "$tmp/ports" --http-out "$tmp/http.out" \
    --smtp-out "$tmp/smtp.out" --fail 2 --seconds 55 &
sink=$!
poll 5 test -s "$tmp/ports" || { fail "http-sink did not start"; finish; }
hport=$(awk '$1 == "http" { print $2 }' "$tmp/ports")
sport=$(awk '$1 == "smtp" { print $2 }' "$tmp/ports")
# The webhook's URL is a secret: it comes from the environment.
TD_TEST_WEBHOOK="http://127.0.0.1:$hport/hooks/T000/B000/SECRET"
export TD_TEST_WEBHOOK
# A port for /health, likely free; if not, the session says so and
# trades on, and that part is skipped.
hhport=$((20000 + $$ % 20000))

cat >"$tmp/desk.cfg" <<EOF
trading = {
	instruments = ( { symbol = "ES"; tick_size = 0.25;
	    point_value = 50.00; commission = 0.62; session = "cme-equity"; } );
	sessions = ( { name = "cme-equity"; } );
};
risk = { daily_loss = 0.00; weekly_loss = 0.00; max_trade_risk = 0.00; };
strategies = (
	{ name = "orb"; type = "orb"; symbol = "ES"; },
	{ name = "diag"; type = "minimal"; symbol = "ES";
	    params = { fail_after = 30; }; }
);
journal = { path = "$tmp/journal.db"; };
alerts = {
	retries = 4; backoff_seconds = 1; backoff_max_seconds = 2;
	timeout_seconds = 5; latency_ms = 0;
	webhook = { url = "env:TD_TEST_WEBHOOK"; min_severity = "warning"; };
	email = { server = "smtp://127.0.0.1:$sport";
	    from = "desk@example.com"; to = "trader@example.com";
	    starttls = false; min_severity = "error"; };
};
breakers = { pnl_swing = 50.00; flatten_on_trip = true; };
health = { http_port = $hhport; };
EOF

# The configuration checks, and shows the webhook's reference, never it.
run 0 config check -c "$tmp/desk.cfg"
expect_out 'url = "env:TD_TEST_WEBHOOK";	# secret: ********'
expect_out "pnl_swing = 50.00;"
grep -q SECRET "$tmp/out" && fail "config check shows the secret"

# The end-of-day reports go to reports/ beside the journal: a file there
# makes them fail.
: >"$tmp/reports"
"$TICKDESK" run --headless -c "$tmp/desk.cfg" --speed max --demo-days 2 \
    --socket "$sock" 2>"$tmp/run.err" &
pid=$!
st() {
	"$TICKDESK" ctl --socket "$sock" "$@"
}
poll 20 sh -c "\"$TICKDESK\" ctl --socket \"$sock\" status |
    grep -q 'pnl_swing TRIPPED'" || fail "the pnl_swing breaker did not trip"
# The data goes on to its end after the trip: the engine keeps running.
poll 20 grep -q "end of data" "$tmp/run.err" ||
    fail "the replay did not reach the end of the data"
st status >"$tmp/status" 2>&1
grep -q "^state HALTED since .* by engine: breaker pnl_swing: account P&L \
moved" "$tmp/status" || fail "status: not HALTED by the breaker"
grep -q "^positions 0, working orders 0, events [1-9]" "$tmp/status" ||
    fail "status: not flat after the trip (flatten_on_trip)"
tripped=$(sed -n 's/^state HALTED since \([0-9: -]*\) by .*/\1/p' \
    "$tmp/status")
last=$(sed -n 's/.*, \(20[0-9-]* [0-9:]*\) America.*/\1/p' "$tmp/status")
[ -n "$tripped" ] && [ "$tripped" \< "$last" ] ||
    fail "no events after the trip at '$tripped' (last '$last')"
grep -q "^breakers: rejects ok, errors ok, pnl_swing TRIPPED, venue ok" \
    "$tmp/status" || fail "status: no breakers line"
grep -q "^latency p50/p99/max: on_bar .*, risk .*, submit .*, event " \
    "$tmp/status" || fail "status: no latency line"
grep -q "^queues: commands 0/64, log [0-9]*/[0-9]*, alerts [0-9]*/" \
    "$tmp/status" || fail "status: no queues line"
grep -q "^uptime 0:00:[0-9][0-9], memory [0-9.]* MB resident" \
    "$tmp/status" || fail "status: no uptime and memory"
grep -q "critical breaker .*breaker pnl_swing tripped" "$tmp/run.err" ||
    fail "no critical log line for the trip"
grep -q "error    strategy:diag .*on_bar failed, strategy disabled" \
    "$tmp/run.err" || fail "the failing strategy was not disabled"
grep -q "end-of-day report for 2024-01-02 could not be written" \
    "$tmp/run.err" || fail "no word of the failed report"

# The webhook: 500, 500 (retried with backoff), then both alerts.
poll 15 grep -q "CRITICAL breaker-trip: breaker pnl_swing tripped" \
    "$tmp/http.out" || fail "the breaker alert did not reach the webhook"
[ "$(grep -c '^--- 500' "$tmp/http.out")" -eq 2 ] ||
    fail "the webhook did not fail twice first"
grep -q '^{"text": "ERROR strategy-error: strategy diag: on_bar failed' \
    "$tmp/http.out" || fail "the strategy alert did not reach the webhook"
degraded="ERROR degraded: end-of-day report for 2024-01-02 could not be"
poll 10 grep -q "^{\"text\": \"$degraded written; trading goes on" \
    "$tmp/http.out" || fail "the report's failure did not reach the webhook"
grep -q "alert sink webhook: attempt 1 failed: HTTP 500; trying again" \
    "$tmp/run.err" || fail "no log line of the retry"
# The SMTP sink: both (error and critical) as mail.
poll 10 grep -q "Subject: \[tickdesk\] CRITICAL breaker-trip" \
    "$tmp/smtp.out" || fail "the breaker alert did not reach the SMTP sink"
grep -q "Subject: \[tickdesk\] ERROR strategy-error" "$tmp/smtp.out" ||
    fail "the strategy alert did not reach the SMTP sink"
grep -q SECRET "$tmp/run.err" "$tmp/smtp.out" &&
    fail "the webhook's secret URL leaked"
st status >"$tmp/status" 2>&1
grep -q "^alerts: 3 raised, 6 delivered, 0 failed, .*; webhook ok; email ok" \
    "$tmp/status" || fail "status: alert counts"

# /health and /metrics on 127.0.0.1, when the port was free.
if command -v curl >/dev/null 2>&1 &&
    ! grep -q "no /metrics and /health" "$tmp/run.err"; then
	h=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$hhport/health")
	case $h in
	"HALTED by engine: breaker pnl_swing: "*" 503") ;;
	*) fail "/health while halted: $h" ;;
	esac
	curl -s "http://127.0.0.1:$hhport/metrics" >"$tmp/metrics"
	grep -q '^tickdesk_breaker_tripped{breaker="pnl_swing"} 1$' \
	    "$tmp/metrics" || fail "/metrics: no tripped breaker"
	grep -q '^tickdesk_up 1$' "$tmp/metrics" || fail "/metrics: not up"
fi

# Resume is refused until a person resets the breaker.
run 1 ctl --socket "$sock" --yes resume
expect_err "resume: breaker pnl_swing is tripped: breaker reset pnl_swing \
first"
run 0 ctl --socket "$sock" breaker reset pnl_swing
expect_out "breaker pnl_swing reset"
expect_out "trading is still HALTED: resume to trade"
run 0 ctl --socket "$sock" --yes resume
expect_out "ACTIVE: trading resumed"
if command -v curl >/dev/null 2>&1 &&
    ! grep -q "no /metrics and /health" "$tmp/run.err"; then
	poll 5 sh -c "curl -s http://127.0.0.1:$hhport/health |
	    grep -qx ok" || fail "/health is not ok after resume"
fi

run 0 ctl --socket "$sock" quit --leave
poll 10 sh -c "! kill -0 $pid" || fail "the session did not end"
wait "$pid" 2>/dev/null
pid=
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null
sink=
finish
