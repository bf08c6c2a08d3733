#!/bin/sh
# conf.sh -- the configuration: every key of `tickdesk config keys` has its
# entry in tickdesk.conf(5) and every entry there is a key; every file in
# conf/ passes `config check`, and what it prints passes again; each
# tests/conf/bad-*.cfg fails with exactly the lines of its "# expect:"
# comments (FILE stands for the file's path).
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
man="$srcdir/man/tickdesk.conf.5"

# The table against the manual: groups are sections (.Ss), keys and
# strategy parameters are items (.It Cm).
run 0 config keys
[ -s "$tmp/out" ] || fail "config keys printed nothing"
cp "$tmp/out" "$tmp/keys"
while read -r key type rest; do
	if [ "$type" = group ]; then
		grep -q "^\.Ss $key\$" "$man" || echo "$key"
	else
		grep -q "^\.It Cm $key\$" "$man" || echo "$key"
	fi
done <"$tmp/keys" >"$tmp/undocumented"
[ -s "$tmp/undocumented" ] &&
    fail "keys not in tickdesk.conf.5: $(tr '\n' ' ' <"$tmp/undocumented")"
sed -n 's/^\.It Cm \([^ ]*\)$/\1/p' "$man" | while read -r item; do
	awk -v k="$item" '$1 == k { found = 1 } END { exit !found }' \
	    "$tmp/keys" || echo "$item"
done >"$tmp/unknown"
[ -s "$tmp/unknown" ] &&
    fail "tickdesk.conf.5 items that are no key: $(tr '\n' ' ' <"$tmp/unknown")"

# Every shipped configuration is valid; the effective configuration it
# prints is valid too and prints the same again.
for f in "$srcdir"/conf/*.cfg; do
	run 0 config check -c "$f"
	expect_out "risk = {"
	grep -v '^# tickdesk effective' "$tmp/out" >"$tmp/first"
	cp "$tmp/out" "$tmp/effective.cfg"
	run 0 config check -c "$tmp/effective.cfg"
	grep -v '^# tickdesk effective' "$tmp/out" >"$tmp/second"
	cmp -s "$tmp/first" "$tmp/second" ||
	    fail "$f: the effective configuration does not read back the same"
done

# The default file comes from the environment when -c is not given.
TICKDESK_CONFIG="$srcdir/tests/conf/bad-range.cfg"
export TICKDESK_CONFIG
run 2 config check
expect_err "bad-range.cfg:9: risk.daily_loss: must be >= 0"
unset TICKDESK_CONFIG

run 2 config
expect_err "usage: tickdesk config"
run 2 config frobnicate
expect_err "unknown action 'frobnicate'"
run 2 config check -c
run 2 config check -c /nonexistent/tickdesk.cfg
expect_err "/nonexistent/tickdesk.cfg: No such file or directory"

# Each bad file: exit 2 and exactly the problems it expects, in order.
n=0
for f in "$srcdir"/tests/conf/bad-*.cfg; do
	n=$((n + 1))
	sed -n "s|^# expect: FILE|$f|p" "$f" >"$tmp/expect"
	[ -s "$tmp/expect" ] || fail "$f: no '# expect:' line"
	run 2 config check -c "$f"
	[ -s "$tmp/out" ] && fail "$f: printed a configuration"
	if ! cmp -s "$tmp/expect" "$tmp/err"; then
		fail "$f: other problems than expected"
		diff "$tmp/expect" "$tmp/err" | sed 's/^/  /' >&2
	fi
done
[ "$n" -gt 0 ] || fail "no tests/conf/bad-*.cfg"
finish
