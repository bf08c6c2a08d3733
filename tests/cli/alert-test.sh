#!/bin/sh
# alert-test.sh -- `tickdesk alert test` against real servers on loopback
# (tests/cli/http-sink: an HTTP server and an SMTP sink): a webhook and a
# command that deliver and an SMTP server on a closed port that does not
# give one line each and exit 1; all three delivering give exit 0, and
# the webhook's message, the mail and the command's environment say it
# is a test, each at its sink's own least severity.  A webhook answering
# 500 fails, tried once; no sink, a bad configuration and a
# mistyped action are said plainly.  The webhook's URL never shows.
. "${srcdir:-.}/tests/cli/lib.sh"

: "${TD_HTTP_SINK:=./tests/cli/http-sink}"
[ -x "$TICKDESK" ] || exit 77
[ -x "$TD_HTTP_SINK" ] || { echo "no $TD_HTTP_SINK: skipped"; exit 77; }

sinks=
trap 'for p in $sinks; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

# sink NAME [--fail N]: servers writing NAME.http and NAME.smtp; their
# ports in $hport and $sport.
sink() {
	name=$1
	shift
	"$TD_HTTP_SINK" --ports "$tmp/$name.ports" --http-out \
	    "$tmp/$name.http" --smtp-out "$tmp/$name.smtp" --seconds 50 "$@" &
	sinks="$sinks $!"
	poll 5 test -s "$tmp/$name.ports" ||
	    { fail "http-sink did not start"; finish; }
	hport=$(awk '$1 == "http" { print $2 }' "$tmp/$name.ports")
	sport=$(awk '$1 == "smtp" { print $2 }' "$tmp/$name.ports")
}

# config FILE SMTP_PORT: the three sinks, the mail to SMTP_PORT.
config() {
	cat >"$1" <<EOF
trading = {
	instruments = ( { symbol = "ES"; tick_size = 0.25;
	    point_value = 50.00; commission = 0.62; session = "cme-equity"; } );
	sessions = ( { name = "cme-equity"; } );
};
alerts = {
	timeout_seconds = 5; retries = 3;
	webhook = { url = "env:TD_TEST_WEBHOOK"; min_severity = "warning"; };
	email = { server = "smtp://127.0.0.1:$2";
	    from = "desk@example.com"; to = "trader@example.com";
	    starttls = false; min_severity = "error"; };
	command = { run = "env | grep ^TICKDESK_ALERT_ >\\"$tmp/cmd.env\\"";
	    min_severity = "critical"; };
};
EOF
}

sink one
TD_TEST_WEBHOOK="http://127.0.0.1:$hport/hooks/T000/SECRET"
export TD_TEST_WEBHOOK

# The mail server is on a closed port (1, where nothing listens).
config "$tmp/closed.cfg" 1
run 1 alert test -c "$tmp/closed.cfg"
expect_out "webhook  env:TD_TEST_WEBHOOK: ok, sent as warning"
expect_out "email    smtp://127.0.0.1:1 to trader@example.com: FAILED: "
expect_out "command  env | grep ^TICKDESK_ALERT_ >\"$tmp/cmd.env\": ok, \
sent as critical"
expect_err "alert test: 1 of 3 sinks failed"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "not one line per sink"
poll 5 grep -q '^--- 200' "$tmp/one.http" ||
    fail "the webhook got nothing"
msg='WARNING test: TEST ALERT from tickdesk alert test on .* (closed.cfg)'
grep -q "^{\"text\": \"$msg: no action needed\"" "$tmp/one.http" ||
    fail "the webhook's message: $(cat "$tmp/one.http")"
grep -qx "TICKDESK_ALERT_EVENT=test" "$tmp/cmd.env" ||
    fail "the command did not get event test"
grep -qx "TICKDESK_ALERT_SEVERITY=critical" "$tmp/cmd.env" ||
    fail "the command did not get its own least severity"
grep -q "^TICKDESK_ALERT_TEXT=CRITICAL test: TEST ALERT" "$tmp/cmd.env" ||
    fail "the command's text does not say it is a test"
grep -q SECRET "$tmp/out" "$tmp/err" && fail "the webhook's URL shows"

# All three deliver: exit 0, and the mail is marked as a test.
rm -f "$tmp/cmd.env"
config "$tmp/good.cfg" "$sport"
run 0 alert test -c "$tmp/good.cfg"
expect_out "email    smtp://127.0.0.1:$sport to trader@example.com: ok, \
sent as error"
[ -s "$tmp/err" ] && fail "a good test wrote to stderr: $(cat "$tmp/err")"
poll 5 grep -q "Subject: \[tickdesk\] ERROR test" "$tmp/one.smtp" ||
    fail "no test mail"
grep -q "^ERROR test: TEST ALERT from tickdesk alert test on " \
    "$tmp/one.smtp" || fail "the mail's body does not say it is a test"
[ -s "$tmp/cmd.env" ] || fail "the command did not run"
poll 5 sh -c "[ \$(grep -c '^--- 200' '$tmp/one.http') -ge 2 ]" ||
    fail "the webhook did not get the second test"
[ "$(grep -c '^---' "$tmp/one.http")" -eq 2 ] ||
    fail "the webhook did not get one alert per test"

# A webhook answering its first request with 500 fails: tried once, with
# no retry (a retry would have been answered 200).
sink two --fail 1
TD_TEST_WEBHOOK="http://127.0.0.1:$hport/hooks/T000/SECRET"
run 1 alert test -c "$tmp/good.cfg"
expect_out "webhook  env:TD_TEST_WEBHOOK: FAILED: HTTP 500"
expect_err "alert test: 1 of 3 sinks failed"
poll 5 grep -q '^--- 500' "$tmp/two.http" || fail "no request to 500"
grep -q '^--- 200' "$tmp/two.http" && fail "the webhook was tried again"

# The environment chooses as for a session: an environment without sinks.
mkdir -p "$tmp/env"
echo 'alerts = { webhook = { url = ""; }; email = { server = ""; };
    command = { run = ""; }; };' >"$tmp/env/quiet.cfg"
run 1 alert test -c "$tmp/good.cfg" --env quiet
expect_err "alert test: no alert sink is configured"
[ -s "$tmp/out" ] && fail "no sink, yet lines on stdout"

# A secret that cannot be read is the configuration's problem.
unset TD_TEST_WEBHOOK
run 2 alert test -c "$tmp/good.cfg"
expect_err "alerts.webhook.url"
expect_err "TD_TEST_WEBHOOK"

run 2 alert
expect_err "usage: tickdesk alert test"
run 2 alert tset
expect_err "alert: unknown action 'tset'; did you mean 'test'?"
run 2 alert test extra
expect_err "usage: tickdesk alert test"
run 2 alert test -c /nonexistent/tickdesk.cfg
expect_err "/nonexistent/tickdesk.cfg: No such file or directory"
finish
