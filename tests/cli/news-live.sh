#!/bin/sh
# news-live.sh -- headlines as they arrive in a running session.
#
# Headless: a paper session on the demo data, paused after its first
# market event, tails a headline file given with --news (ORB filtered on
# the news sentiment).  The lines already in the file are not read; each
# appended headline is logged with its score and reaches the strategy's
# sentiment, which the monitoring page's event stream shows with its age;
# a bad line is logged as file:line and skipped, a partial line waits for
# its newline, a truncated file is read again from its start, and the
# desk (status, flatten, kill!) answers throughout.  A news.socket whose
# server is not there is said once and trading goes on; news.file and
# news.socket together, and a --news file that is not there, are refused.
#
# Console: the real console in a private tmux server (100x30, where the
# strategies pane has its AGE column) on the demo data, with news.file
# set; headlines appended to the file show in ORB's SENT column.
#
# Nothing here waits on time to pass: every wait polls with a deadline.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
command -v curl >/dev/null || { echo "no curl: skipped"; exit 77; }

pid=
session=news
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	command -v tmux >/dev/null && tmux_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
sock=$tmp/ctl.sock
news=$tmp/news.jsonl

c() {
	run 0 ctl --socket "$sock" "$@"
}

# headline SYMBOL TEXT: one JSON line for the file.
headline() {
	printf '{"time": "2024-01-02T15:00:00Z", "source": "wire", '
	printf '"symbols": ["%s"], "text": "%s"}\n' "$1" "$2"
}

# logged TEXT: the session's log says TEXT (within 10 s).
logged() {
	poll 10 grep -qF -- "$1" "$tmp/run.err" ||
	    fail "the log does not say '$1'"
}

# orb_sentiment JSON: the end of ORB's row on the monitoring page (its
# one strategy) within 10 s.
orb_sentiment() {
	poll 10 sh -c "curl -s -m 1 -H 'Authorization: Bearer $token' \
	    '$base/monitor/events' | grep -qF '$1'" ||
	    fail "the monitoring page does not show orb with $1"
}

token="tok-$$-news"
printf '%s\n' "$token" >"$tmp/token"
chmod 600 "$tmp/token"

# conf PORT [EXTRA]: one instrument, ORB filtered on the sentiment.
conf() {
	cat <<EOF
trading = {
	instruments = ( { symbol = "ES"; tick_size = 0.25;
	    point_value = 50.00; commission = 0.62; session = "cme-equity"; } );
	sessions = ( { name = "cme-equity"; } );
};
strategies = ( { name = "orb"; type = "orb"; symbol = "ES"; } );
filters = ( { strategy = "orb"; source = "news"; name = "sentiment";
    long_min = 0.0; short_max = 0.0; } );
journal = { path = "$tmp/journal$1.db"; };
health = { http_port = $1; monitor_token = "file:$tmp/token"; };
$2
EOF
}

# start PORT: the headless session, paused, on --news; 1 when the port
# was taken.
start() {
	conf "$1" >"$tmp/desk.cfg"
	"$TICKDESK" run --headless -c "$tmp/desk.cfg" --speed max --paused \
	    --demo-days 2 --socket "$sock" --news "$news" 2>"$tmp/run.err" &
	pid=$!
	listening "$sock" "$tmp/run.err"
	if grep -q "no /metrics and /health" "$tmp/run.err"; then
		c quit --leave
		wait "$pid"
		pid=
		return 1
	fi
	base="http://127.0.0.1:$1"
	return 0
}

# ---------------------------------------------------------------- headless
headline ES "Old news: stocks soar" >"$news"
port=$((20000 + ($$ + 7919) % 20000))
start "$port" || start $((port + 1)) || start $((port + 13)) ||
    { echo "no free port for the page: skipped"; exit 77; }
logged "news: headlines from $news"
# Before the first market event nothing is read: then one step.
c replay step
poll 10 sh -c "\"$TICKDESK\" ctl --socket '$sock' status |
    grep -q 'events 1,'" || fail "replay step: the engine did not take it"
orb_sentiment '"sentiment":"-","sentiment_age":null}'
headline ES "Stocks rally as inflation eases" >>"$news"
logged "headline +0.6667 (ES): Stocks rally as inflation eases"
orb_sentiment '"sentiment":"+0.67","sentiment_age":0}'
grep -q "Old news" "$tmp/run.err" && fail "a headline already there was read"
# A bad line: its file and line, skipped; the next one is read.
echo '{"time": "yesterday", "text": "Futures slide"}' >>"$news"
headline ES "Futures plunge on recession fears" >>"$news"
logged "$news:3: time 'yesterday' is not ISO 8601 (2024-03-12T13:31:05Z): skipped"
logged "headline -0.7500 (ES): Futures plunge on recession fears"
orb_sentiment '"sentiment":"-0.08","sentiment_age":0}'
# A partial line waits for its newline.
printf '{"time": "2024-01-02T15:01:00Z", "symbols": ["ES"], ' >>"$news"
c status
expect_out "events 1,"
printf '"text": "Chipmakers surge to record gains"}\n' >>"$news"
logged "(ES): Chipmakers surge to record gains"
grep -q "$news:5:" "$tmp/run.err" && fail "the partial line was read alone"
# Truncated and written again: read from its start.
headline ES "Banks rebound" >"$news"
logged "$news: the file shrank (truncated): read again from its start"
logged "(ES): Banks rebound"
# The desk answers all along.
c flatten
expect_out "all: flat, no working orders"
c kill!
expect_out "KILLED"
c quit --leave
wait "$pid"
pid=

# A news server that is not there: said once, the session trades on.
conf "$port" "news = { socket = \"$tmp/none.sock\"; };" >"$tmp/sock.cfg"
"$TICKDESK" run --headless -c "$tmp/sock.cfg" --speed max --demo-days 1 \
    --socket "$sock" 2>"$tmp/run.err" &
pid=$!
listening "$sock" "$tmp/run.err"
logged "$tmp/none.sock: connect: no such file or directory: trying again"
poll 30 grep -q "end of data" "$tmp/run.err" ||
    fail "the session did not trade on to the end of its data"
[ "$(grep -c "none.sock" "$tmp/run.err")" -eq 2 ] ||
    fail "the missing news server is said more than once"
c quit --leave
wait "$pid"
pid=

# Refusals.
conf "$port" "news = { file = \"$news\"; socket = \"127.0.0.1:9\"; };" \
    >"$tmp/both.cfg"
run 2 run --headless -c "$tmp/both.cfg" --socket "$sock"
expect_err "news.socket: news.file is set too"
run 2 run --headless -c "$tmp/desk.cfg" --socket "$sock" \
    --news "$tmp/none.jsonl"
expect_err "--news: $tmp/none.jsonl: no such file or directory"

# ---------------------------------------------------------------- console
if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux not found: the console's part skipped"
	finish
fi
. "${srcdir:-.}/tests/cli/lib-tmux.sh"
start=$(date +%s)
budget=60
: >"$news"
mkdir -p "$tmp/conf/env"
cp "$TD_CONF/tickdesk.cfg" "$tmp/conf/tickdesk.cfg"
# A half-life of 30 days: the value stays +0.67 while the replay runs.
printf 'news = { file = "%s"; half_life = 2592000; };\n' "$news" \
    >"$tmp/conf/env/news.cfg"
T new-session -d -s "$session" -x 100 -y 30 \
    "TERM=xterm-256color LC_ALL=C \
    XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
    '$TICKDESK' console -c '$tmp/conf/tickdesk.cfg' --env news \
    --speed 60 --socket '$sock' 2>'$tmp/stderr'; sleep 60"
wait_for 10 "PAPER" || finish
wait_for 10 "NAME +SYM +STATE +POS +NET TODAY +SENT +AGE" || finish
wait_for 10 "^orb +ES +[a-z]+ +[-+0-9]+ +[-+0-9.]+ +- {5}" || finish
headline ES "Stocks rally as inflation eases" >>"$news"
wait_for 10 "^orb +ES +[a-z]+ +[-+0-9]+ +[-+0-9.]+ +\+0\.67 +[0-9.hms]+ " ||
    finish
headline "" "Futures plunge on recession fears" | sed 's/\[""\]/[]/' \
    >>"$news"
wait_for 10 "\(the market\): Futures plunge on recession fears" || finish
finish
