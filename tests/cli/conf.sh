#!/bin/sh
# conf.sh -- the configuration: every key of `tickdesk config keys` has its
# entry in tickdesk.conf(5) and every entry there is a key; every file in
# conf/, alone and with each environment of conf/env/, passes `config
# check`, and what it prints passes again; each tests/conf/bad-*.cfg (and
# the environment tests/conf/env/broken.cfg) fails with exactly the lines
# of its "# expect:" comments (FILE stands for the file's path).
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

# Every shipped environment loads over the default file, and the effective
# configuration it prints reads back alone, the same.
base="$srcdir/conf/tickdesk.cfg"
n=0
for f in "$srcdir"/conf/env/*.cfg; do
	n=$((n + 1))
	name=$(basename "$f" .cfg)
	run 0 config check -c "$base" --env "$name"
	expect_out "with environment $name"
	grep -v '^# tickdesk effective' "$tmp/out" >"$tmp/first"
	cp "$tmp/out" "$tmp/effective.cfg"
	run 0 config check -c "$tmp/effective.cfg"
	grep -v '^# tickdesk effective' "$tmp/out" >"$tmp/second"
	cmp -s "$tmp/first" "$tmp/second" ||
	    fail "$f: the effective configuration does not read back the same"
done
[ "$n" -eq 4 ] ||
    fail "expected conf/env/dev.cfg, fix.cfg, sim.cfg and prod.cfg"
# They differ as they should: verbose dev, quiet prod.
run 0 config check -c "$base" --env dev
expect_out 'level = "debug";'
run 0 config check -c "$base" --env prod
expect_out 'level = "warning";'
expect_out 'daily_loss = 500.00;'
# TICKDESK_ENV chooses when --env does not.
TICKDESK_ENV=prod
export TICKDESK_ENV
run 0 config check -c "$base"
expect_out "with environment prod"
run 0 config check -c "$base" --env sim
expect_out "with environment sim"
unset TICKDESK_ENV
run 2 config check -c "$base" --env nosuch
expect_err "env/nosuch.cfg: No such file or directory (environments here: dev, fix, prod, sim)"
run 2 config check -c "$base" --env ../tickdesk
expect_err "environment '../tickdesk': not a name"
# An environment's problems carry its own file and lines.
f="$srcdir/tests/conf/env/broken.cfg"
sed -n "s|^# expect: FILE|$f|p" "$f" >"$tmp/expect"
run 2 config check -c "$srcdir/tests/conf/env-base.cfg" --env broken
if ! cmp -s "$tmp/expect" "$tmp/err"; then
	fail "$f: other problems than expected"
	diff "$tmp/expect" "$tmp/err" | sed 's/^/  /' >&2
fi

# A secret shows where it comes from and ********, never its value: the
# first key of type secret outside lists, laid over the shipped file by an
# environment, from a variable.
key=$(awk '$2 == "list" { list[$1] = 1 }
    $2 == "secret" { s[n++] = $1 }
    END {
	for (i = 0; i < n; i++) {
		k = s[i]; p = k; ok = 1
		while (sub(/\.[^.]*$/, "", p))
			if (p in list)
				ok = 0
		if (ok) { print k; exit }
	}
    }' "$tmp/keys")
if [ -n "$key" ]; then
	mkdir -p "$tmp/sec/env"
	cp "$base" "$tmp/sec/tickdesk.cfg"
	setting() {
		echo "$key" | awk -F. -v v="$1" '{
			s = ""
			for (i = 1; i < NF; i++) s = s $i " = { "
			s = s $NF " = \"" v "\";"
			for (i = 1; i < NF; i++) s = s " };"
			print s
		}'
	}
	setting env:TD_CONF_SECRET >"$tmp/sec/env/secret.cfg"
	TD_CONF_SECRET=the-s3cret-value
	export TD_CONF_SECRET
	run 0 config check -c "$tmp/sec/tickdesk.cfg" --env secret
	expect_out '"env:TD_CONF_SECRET";	# secret: ********'
	grep -q the-s3cret-value "$tmp/out" "$tmp/err" &&
	    fail "config check shows the secret of $key"
	setting the-s3cret-value >"$tmp/sec/env/secret.cfg"
	run 2 config check -c "$tmp/sec/tickdesk.cfg" --env secret
	expect_err "$key: must be \"env:NAME\" or \"file:PATH\""
	grep -q the-s3cret-value "$tmp/out" "$tmp/err" &&
	    fail "config check repeats a secret typed in for $key"
	unset TD_CONF_SECRET
fi

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

# No configuration anywhere (none given, none in the directory or the
# user's, none installed): where it looked, and a refusal.
mkdir "$tmp/empty"
bin=$(cd "$(dirname "$TICKDESK")" && pwd)/$(basename "$TICKDESK")
(cd "$tmp/empty" && XDG_CONFIG_HOME="$tmp/empty" "$bin" config check) \
    >"$tmp/out" 2>"$tmp/err"
got=$?
none="no configuration: none given (-c FILE, or TICKDESK_CONFIG)"
case $got in
0)	echo "conf.sh: a configuration is installed here; not checked" \
	    "without one" ;;
2)	expect_err "tickdesk.cfg: $none, none at conf/tickdesk.cfg here" ;;
*)	fail "config check without any configuration: exit $got" ;;
esac

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
