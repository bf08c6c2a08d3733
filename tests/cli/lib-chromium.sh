# lib-chromium.sh -- pages rendered by a real browser: Debian's chromium,
# headless, with its profile in the test's directory.  Source it after
# lib.sh.  A machine without chromium skips the test (exit 77); build.sh
# installs it.

chromium_bin=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium_bin" ]; then
	echo "SKIP: no chromium (build.sh installs Debian's package)" >&2
	exit 77
fi

# chromium_run ARGS... URL: one headless run, 60 s at most.  budget_ms (if
# set) is the virtual time the page's scripts get before the result.
chromium_run() {
	mkdir -p "$tmp/chromium-home"
	HOME="$tmp/chromium-home" timeout 60 "$chromium_bin" --headless \
	    --no-sandbox --disable-gpu --no-first-run --disable-extensions \
	    --user-data-dir="$tmp/chromium-home/profile" \
	    ${budget_ms:+--virtual-time-budget=$budget_ms} "$@" \
	    2>>"$tmp/chromium.err"
}

# chromium_dom URL OUT: the page's DOM once its scripts ran, as HTML.
chromium_dom() {
	chromium_run --dump-dom "$1" >"$2" ||
	    fail "chromium could not render $1 (see $tmp/chromium.err)"
}

# chromium_shot URL PNG WIDTH HEIGHT: a screenshot of the page.
chromium_shot() {
	chromium_run --screenshot="$2" --window-size="$3,$4" "$1" \
	    >/dev/null || fail "chromium could not take a screenshot of $1"
	[ -s "$2" ] || fail "no screenshot in $2"
}

# dom_text FILE: the page's visible text, one tag's text per line.
dom_text() {
	sed -e 's/<script[^>]*>.*<\/script>//g' -e 's/<style[^>]*>.*<\/style>//g' \
	    -e 's/<[^>]*>/\n/g' "$1" | sed -e 's/&amp;/\&/g' -e 's/&lt;/</g' \
	    -e 's/&gt;/>/g' -e 's/&nbsp;/ /g' -e 's/^[[:space:]]*//' | grep -v '^$'
}
