#!/bin/sh
# ops-manual.sh -- tickdesk-ops(7) names only what exists: every command
# (.Ic tickdesk NAME) is in `tickdesk help` and its words in its usage,
# every option (.Fl, on the line of its command) in its --help; every desk
# command (.Ic NAME), its words and options are in the desk's `help NAME`
# (from a headless session); every setting (.Va) is a key of `tickdesk
# config keys`; every console key (.Li) is one of KEYS in tickdesk(1).
# The shell commands of its .Dl lines and literal displays are checked
# the same way, and its sqlite3 queries run on a real journal (of a
# backtest).  groff (and mandoc, when there) find nothing to say about
# the page; tickdesk(1) and the README point to it.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -x "$TICKDESK" ] || exit 77
man="$srcdir/man/tickdesk-ops.7"
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- tables
# The commands; for each, "usage WORD" (the words of its usage) and
# "opt FLAG ARG" (ARG 1 when the option takes an argument) lines.
"$TICKDESK" help | cut -d' ' -f1 >"$tmp/cmds"
[ -s "$tmp/cmds" ] || fail "tickdesk help listed no command"
# table NAME HELPFILE: the usage's words and the options of a --help.
table() {
	awk -v name="$1" '
	NR == 1 || (!blank && !opts) { u = u " " $0 }
	/^$/ { blank = 1 }
	/^Options:/ { opts = 1; next }
	opts && /^  -/ {
		f = $0
		sub(/^  */, "", f)
		sub(/  .*/, "", f)
		gsub(/,/, "", f)
		n = split(f, w, " ")
		arg = w[n] !~ /^-/
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^-/)
				print name, "opt", w[i], arg
	}
	END {
		n = split(u, w, /[^A-Za-z0-9_!-]+/)
		for (i = 1; i <= n; i++)
			if (w[i] != "")
				print name, "usage", w[i]
	}' "$2"
}
: >"$tmp/table"
"$TICKDESK" --help >"$tmp/help-" 2>&1
sed -n '1,/^$/p' "$tmp/help-" | tr ' []|' '\n\n\n\n' | grep '^-' |
    sed 's/^/- opt /; s/$/ 0/' >>"$tmp/table"
while read -r name; do
	"$TICKDESK" "$name" --help >"$tmp/help-$name" 2>&1 ||
	    fail "$name --help failed"
	table "$name" "$tmp/help-$name" >>"$tmp/table"
	echo "$name command" >>"$tmp/table"
done <"$tmp/cmds"

# The desk's commands, from a paused headless session of its own.
sock=$tmp/ctl.sock
"$TICKDESK" run --headless -c "$TD_CONF/tickdesk.cfg" --speed max --paused \
    --demo-days 1 --socket "$sock" --journal "$tmp/session.db" \
    2>"$tmp/run.err" &
pid=$!
listening "$sock" "$tmp/run.err"
"$TICKDESK" ctl --socket "$sock" help >"$tmp/desk-help" ||
    fail "the desk's help failed"
sed '$d' "$tmp/desk-help" | awk '{ print $1 }' >"$tmp/desk"
[ -s "$tmp/desk" ] || fail "the desk's help listed no command"
while read -r name; do
	"$TICKDESK" ctl --socket "$sock" help "$name" |
	    sed -n '1s/^usage: //p' | tr ' []|' '\n\n\n\n' | sed '/^$/d' |
	    sed "s/^/@$name usage /" >>"$tmp/table"
	echo "@$name command" >>"$tmp/table"
done <"$tmp/desk"
"$TICKDESK" ctl --socket "$sock" quit --leave >/dev/null 2>&1
wait "$pid" 2>/dev/null
pid=

# The settings and the console's keys.
"$TICKDESK" config keys | awk '{ print "= setting", $1 }' >>"$tmp/table"
sed -n '/^\.Sh KEYS/,/^\.Sh /s/^\.It //p' "$srcdir/man/tickdesk.1" |
    tr ',' '\n' | awk '{ for (i = 1; i <= NF; i++) print "= key", $i }' \
    >>"$tmp/table"
grep -q '^= key F12$' "$tmp/table" || fail "no keys in tickdesk.1"

# ---------------------------------------------------------------- names
# Every name of the manual as "KIND NAME [WHAT]": "command NAME",
# "word NAME WORD", "option NAME FLAG" (NAME "-" for tickdesk itself,
# "@NAME" for a desk command), "setting KEY", "key KEY", and "loose
# FLAG" for an option with no command before it on its line.
awk -v tablefile="$tmp/table" '
BEGIN {
	while ((getline line <tablefile) > 0) {
		split(line, f, " ")
		if (f[2] == "opt")
			arg[f[1] " " f[3]] = f[4]
	}
	split("Ac Ao Ap Aq Ar Bc Bo Bq Brc Bro Brq Bx Cm Dc Do Dq Dv Ec " \
	    "Em Eo Er Ev Fa Fc Fl Fn Fo Ic In It Li Lk Mt Nm No Ns Oc Oo " \
	    "Op Pa Pc Pf Po Pq Qc Ql Qo Qq Sc So Sq Sx Sy Ta Va Vt Xc Xo " \
	    "Xr Dl D1", m, " ")
	for (i in m)
		macro[m[i]] = 1
}
function punct(w) { return w ~ /^[.,;:()|]+$/ }
function emit(kind, a, b) { print kind, a, (b == "" ? "" : b) }
# A command named by the words w[i..n] of a shell line: "tickdesk NAME
# [action] [options] [ctl: desk command ...]".
function shell(w, i, n,    name, desk, first) {
	name = (i <= n && w[i] !~ /^-/) ? w[i++] : "-"
	if (name != "-")
		emit("command", name)
	first = 1
	for (; i <= n; i++) {
		if (w[i] ~ /^[;&|>]/)
			break
		if (w[i] ~ /^-/) {
			if (desk != "")
				emit("option", "@" desk, w[i])
			else {
				emit("option", name, w[i])
				if (arg[name " " w[i]])
					i++
			}
		} else if (name == "ctl" && desk == "") {
			desk = tolower(w[i])
			emit("command", "@" desk)
		} else if (desk != "") {
			if (w[i] ~ /^[a-z][a-z!]*$/)
				emit("word", "@" desk, w[i])
		} else if (first && w[i] ~ /^[a-z][a-z-]*$/)
			emit("word", name, w[i])
		first = 0
	}
}
# A .Dl line or a line of a literal display: "$ [ssh [opts] HOST] tickdesk".
function display(line,    w, n, i) {
	gsub(/\\\(dq/, "\"", line)
	gsub(/\\e/, "\\", line)
	n = split(line, w, /[ \t]+/)
	i = 1
	while (i <= n && (w[i] == "" || w[i] == ".Dl" || w[i] == ".D1"))
		i++
	if (w[i] != "$")
		return
	i++
	if (w[i] == "ssh") {
		for (i++; i <= n && w[i] ~ /^-/; i++)
			;
		i++
	}
	if (w[i] == "tickdesk")
		shell(w, i + 1, n)
}
/^\.Bd -literal/ { literal = 1; next }
/^\.Ed/ { literal = 0; next }
literal { display($0); next }
/^\.\\"/ { next }
/^\.D[l1] / { display($0); next }
/^\./ {
	n = split(substr($0, 2), w, /[ \t]+/)
	cmd = ""
	mode = ""
	for (i = 1; i <= n; i++) {
		t = w[i]
		if (t in macro) {
			mode = t
			if (t == "Ic") {
				mode = "name"
				cmd = ""
				desk = 0
			}
			continue
		}
		if (punct(t))
			continue
		if (mode == "name") {
			if (t == "tickdesk" && cmd == "") {
				cmd = "-"
				continue
			}
			if (cmd == "-") {
				cmd = t
				emit("command", cmd)
			} else {
				cmd = "@" tolower(t)
				emit("command", cmd)
			}
			mode = "words"
		} else if (mode == "words" || mode == "Cm") {
			if (cmd == "ctl") {
				cmd = "@" tolower(t)
				emit("command", cmd)
			} else if (cmd != "" && t ~ /^[a-z][a-z!-]*$/)
				emit("word", cmd, t)
		} else if (mode == "Fl") {
			if (cmd == "")
				emit("loose", "-" t)
			else
				emit("option", cmd, "-" t)
		} else if (mode == "Va")
			emit("setting", t)
		else if (mode == "Li")
			emit("key", t)
	}
}' "$man" | sort -u >"$tmp/names"
[ -s "$tmp/names" ] || fail "no names found in tickdesk-ops.7"
for kind in command option setting key; do
	grep -q "^$kind " "$tmp/names" || fail "tickdesk-ops.7 names no $kind"
done
grep -q '^command @' "$tmp/names" ||
    fail "tickdesk-ops.7 names no desk command"

# Each name against the tables.
while read -r kind a b; do
	case $kind in
	command)	grep -qxF "$a command" "$tmp/table" ;;
	word)		grep -qxF "$a usage $b" "$tmp/table" ;;
	option)
		case $a in
		@*)	grep -qxF "$a usage $b" "$tmp/table" ;;
		*)	grep -q "^$a opt $b [01]\$" "$tmp/table" ;;
		esac ;;
	setting)	grep -qxF "= setting $a" "$tmp/table" ;;
	key)		grep -qxF "= key $a" "$tmp/table" ;;
	loose)		false ;;
	esac || echo "$kind $a${b:+ $b}"
done <"$tmp/names" | sed 's/ @/ desk /' >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
	fail "tickdesk-ops.7 names what does not exist:"
	sed 's/^/  /' "$tmp/missing" >&2
fi

# ---------------------------------------------------------------- queries
# Every sqlite3 query of the manual runs on a real journal.
if command -v sqlite3 >/dev/null 2>&1; then
	run 0 backtest -c "$TD_CONF/tickdesk.cfg" --journal "$tmp/bt.db"
	sed -n 's/^\.Dl \$ sqlite3 -readonly journal\.db \\(dq\(.*\)\\(dq$/\1/p' \
	    "$man" >"$tmp/queries"
	[ -s "$tmp/queries" ] || fail "no sqlite3 queries found"
	while read -r q; do
		sqlite3 -readonly "$tmp/bt.db" "$q" >/dev/null \
		    2>"$tmp/sql.err" && [ ! -s "$tmp/sql.err" ] ||
		    fail "query fails: $q: $(cat "$tmp/sql.err")"
	done <"$tmp/queries"
	[ "$(grep -c '^\.Dl \$ sqlite3' "$man")" -eq \
	    "$(wc -l <"$tmp/queries")" ] ||
	    fail "a sqlite3 line of the manual is not a read-only query"
fi

# ---------------------------------------------------------------- the page
if command -v groff >/dev/null 2>&1; then
	groff -mandoc -ww -z "$man" >"$tmp/lint" 2>&1
	[ -s "$tmp/lint" ] && fail "groff: $(cat "$tmp/lint")"
fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$man" >"$tmp/lint" 2>&1 ||
	    fail "mandoc: $(cat "$tmp/lint")"
fi
grep -q '^\.Xr tickdesk-ops 7' "$srcdir/man/tickdesk.1" ||
    fail "tickdesk.1 does not point to tickdesk-ops(7)"
grep -q 'tickdesk-ops' "$srcdir/README.md" ||
    fail "the README does not point to tickdesk-ops(7)"
finish
