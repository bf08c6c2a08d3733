#!/bin/sh
# report-html.sh -- `tickdesk report --format html -o FILE`: one page that
# needs nothing from the network, rendered by headless chromium and checked
# from the rendered page: the summary's figures are the text report's, the
# trade table's nets are the text report's, each chart is there with one
# mark per item (two lines for equity and drawdown, a bar per hour and per
# weekday with trades, a point per trade for MAE against MFE), and a
# screenshot is taken.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
. "${srcdir:-.}/tests/cli/lib-chromium.sh"
cfg="$TD_CONF/tickdesk.cfg"
j="$tmp/journal.db"
page="$tmp/report.html"

run 0 backtest -c "$cfg" --demo-days 10 --journal "$j"
run 0 report --journal "$j"
cp "$tmp/out" "$tmp/text"
run 0 report --journal "$j" --format html -o "$page"
[ -s "$page" ] || fail "no page in $page"
[ -s "$tmp/out" ] && fail "--format html -o wrote to stdout too"

# Self-contained: no URL, no script, nothing loaded from elsewhere.
grep -q 'http://\|https://' "$page" && fail "the page has a URL: $(grep -o \
    'https\{0,1\}://[^" ]*' "$page" | head -1)"
grep -qi '<script\|<link\| src=\| href=' "$page" &&
    fail "the page loads or runs something"

chromium_dom "file://$page" "$tmp/dom.html"
grep -q '</html>' "$tmp/dom.html" || fail "chromium rendered no page"
dom_text "$tmp/dom.html" >"$tmp/dom.txt"

# The summary: each line of the text report is a label followed by its
# figure on the rendered page (one tag's text per line).
sed -n '/^trades  /,/^sharpe/p' "$tmp/text" >"$tmp/summary"
[ "$(wc -l <"$tmp/summary")" -ge 15 ] || fail "a short text summary"
while IFS= read -r line; do
	label=$(printf '%s\n' "$line" | cut -c1-18 | sed 's/ *$//')
	value=$(printf '%s\n' "$line" | cut -c20-33 | sed 's/^ *//')
	awk -v l="$label" -v v="$value" 'prev == l && $0 == v { ok = 1 }
	    { prev = $0 } END { exit !ok }' "$tmp/dom.txt" ||
	    fail "the page's '$label' is not '$value'"
done <"$tmp/summary"
# The drawdown's times are in the report's zone, as in the text.
dd=$(sed -n 's/^max drawdown .*\((.*)\)$/\1/p' "$tmp/text")
[ -n "$dd" ] || fail "no drawdown times in the text report"
grep -qxF "$dd" "$tmp/dom.txt" || fail "the page lacks the drawdown $dd"
grep -qxF "all trading days, times in America/New_York" "$tmp/dom.txt" ||
    fail "the page does not name its zone"

# The trade table: a row per trade, the nets of the text report in order.
ntr=$(sed -n 's/^trades  *\([0-9]*\)$/\1/p' "$tmp/text")
[ "$(grep -o '<tr class="trade' "$tmp/dom.html" | wc -l)" -eq "$ntr" ] ||
    fail "the trade table has not $ntr rows"
awk '/^ *id symbol/ { on = 1; next } on && NF == 0 { exit }
    on { print $(NF - 2) }' "$tmp/text" >"$tmp/nets.want"
sed -n '/<section id="trades">/,/<\/section>/p' "$tmp/dom.html" |
    grep -o '<td class="num net">[^<]*' | sed 's/.*>//' >"$tmp/nets.got"
[ "$(wc -l <"$tmp/nets.want")" -eq "$ntr" ] || fail "no nets in the text"
cmp -s "$tmp/nets.want" "$tmp/nets.got" ||
    fail "the trade table's nets differ from the text report's"
[ "$(grep -c '<tr class="day">' "$tmp/dom.html")" -eq \
    "$(grep -c '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]  ' "$tmp/text")" ] ||
    fail "the day table has not the text report's days"

# The charts, from the rendered DOM: section by section.
section() {
	sed -n "/<section id=\"$1\">/,/<\\/section>/p" "$tmp/dom.html"
}
count() { grep -o "$1" | wc -l | tr -d ' '; }
[ "$(section equity | count '<svg')" -eq 1 ] || fail "no equity chart"
[ "$(section equity | count '<polyline class="series"')" -eq 2 ] ||
    fail "the equity chart has not its two lines"
# One point per trade and the start at 0: as many as trades + 1.
pts=$(section equity | grep '<polyline class="series"' | head -1 |
    sed 's/.*points="\([^"]*\)".*/\1/' | tr ' ' '\n' | grep -c ,)
[ "$pts" -eq $((ntr + 1)) ] || fail "equity has $pts points, not $ntr + 1"
[ "$(section equity | count '<polygon class="area"')" -eq 1 ] ||
    fail "the drawdown is not shaded"
hours=$(awk '/^hour  /,/^$/' "$tmp/text" | grep -c '^[0-9][0-9]:00 ')
days=$(awk '/^weekday  /,/^$/' "$tmp/text" | grep -c '^[A-Z][a-z][a-z] ')
[ "$hours" -ge 1 ] && [ "$days" -ge 1 ] || fail "no hour or weekday rows"
[ "$(section by-hour | count '<rect class="bar"')" -eq "$hours" ] ||
    fail "the hour chart has not $hours bars"
[ "$(section by-weekday | count '<rect class="bar"')" -eq "$days" ] ||
    fail "the weekday chart has not $days bars"
# A bar's value is the text report's: Monday's net, as its title says.
mon=$(awk '$1 == "Mon" { print $4 }' "$tmp/text")
section by-weekday | grep -qF "<title>Mon: $mon</title>" ||
    fail "Monday's bar is not $mon"

# Excursions: a point per trade; in the trade table each trade's gross
# lies between its MAE (at or below 0) and its MFE (at or above 0).
[ "$(section mae-mfe | count '<circle class="point"')" -eq "$ntr" ] ||
    fail "the MAE/MFE chart has not $ntr points"
section trades | awk '
	function c(s) { gsub(/[,<>a-z=" \/]/, "", s); return s + 0 }
	/<tr class="trade/ {
		n = split($0, td, "<td class=\"num")
		for (i = 2; i <= n; i++) {
			v = substr(td[i], index(td[i], ">") + 1)
			sub(/<.*/, "", v)
			k = substr(td[i], 1, index(td[i], ">") - 1)
			if (k == " mae\"") mae = c(v)
			if (k == " mfe\"") mfe = c(v)
		}
		split($0, cell, "</td>")
		gross = cell[10]; sub(/.*>/, "", gross); gross = c(gross)
		rows++
		if (!(mae <= 0 && mfe >= 0 && mae <= gross && gross <= mfe))
			bad++
	}
	END { exit !(rows > 0 && bad == 0) }' ||
    fail "a trade's gross is outside its MAE and MFE"

# The picture a trader sees.
chromium_shot "file://$page" "$tmp/report.png" 1200 3000
[ "$(head -c 8 "$tmp/report.png" | od -An -tx1 | tr -d ' \n')" = \
    89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
[ "$(wc -c <"$tmp/report.png")" -gt 20000 ] ||
    fail "the screenshot is nearly empty"
if [ -n "${TD_REPORT_PNG:-}" ]; then
	cp "$tmp/report.png" "$TD_REPORT_PNG"
fi

# Bad use is refused with a word.
run 2 report --journal "$j" --format pdf
expect_err "use text, csv, json or html"
finish
