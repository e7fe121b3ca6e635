#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# cli_docs_test.sh WQCTL: the man page (doc/wqctl.8) and the bash
# completion (completion/wqctl.bash) against "WQCTL [COMMAND] --help":
# every command and option wqctl has, and no other, must be in both.  The
# completion is sourced in bash and asked for completions, as bash would.
set -uo pipefail
wqctl=$1
top=$(cd "$(dirname "$0")/.." && pwd)
man=$top/doc/wqctl.8
completion=$top/completion/wqctl.bash
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# shellcheck source=../completion/wqctl.bash
. "$completion" || { echo "FAIL: sourcing $completion"; exit 1; }
# complete WORD...: what the completion offers for the last word.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_wqctl
	printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' '
}
# A wqctl that lists two queues, for the completion of queue names.
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
cat >"$stub/wqctl" <<'STUB'
#!/bin/sh
[ "$*" = "-j queue list" ] || exit 2
echo '[{"name":"q1","flags":[]},{"name":"zz","flags":[]}]'
STUB
chmod +x "$stub/wqctl"
sorted() { tr ' ' '\n' | grep -v '^$' | sort -u | tr '\n' ' '; }

# The section of the man page of a command: from its marker line to the
# next one.
man_section() {
	awk -v want="$1" '/^\.\\" command:/ { sub(/^\.\\" command: ?/, ""); on = ($0 == want); next }
		on' "$man"
}

[ "$(complete -p wqctl 2>/dev/null)" = "complete -F _wqctl wqctl" ] ||
	fail "the completion does not register _wqctl for wqctl"
version=$(cat "$top/../../VERSION")
grep -q "^\.TH WQCTL 8 .*\"pcwq $version\"" "$man" ||
	fail "wqctl.8: .TH does not name pcwq $version"

ncmd=0
global_options=
# walk WORDS...: check the command named by WORDS, then those below it.
walk() {
	local help options subs positionals words=("$@") path="${*}"
	help=$("$wqctl" "${words[@]}" --help) || { fail "$path --help fails"; return; }
	ncmd=$((ncmd + 1))
	options=$(echo "$help" | sed -n '/^Options:/,/^$/p' |
		grep -oE '^  (-[A-Za-z],)?--[a-z-]+' | tr ',' ' ' | sorted)
	subs=$(echo "$help" | sed -n '/^Subcommands:/,/^$/p' |
		sed -nE 's/^  ([a-z]+) .*/\1/p' | sorted)
	positionals=$(echo "$help" | sed -n '/^Positionals:/,/^$/p' |
		sed -nE 's/^  ([A-Z]+) .*/\1/p' | sorted)
	local cmdwords=("wqctl" "${words[@]}")

	# Completion: the options (with wqctl's own, which may follow any
	# command), the commands below, and the positionals.
	local want got
	[ $# -gt 0 ] || global_options=$options
	want=$(echo "$options $global_options" | sorted)
	got=$(complete_words "${cmdwords[@]}" -)
	[ "$got" = "$want" ] ||
		fail "completion of '$path -': got '$got', wqctl --help has '$want'"
	got=$(complete_words "${cmdwords[@]}" "")
	if [ -n "$subs" ]; then
		[ "$got" = "$subs" ] ||
			fail "completion of '$path': got '$got', wqctl --help has '$subs'"
	fi
	case " ${words[*]} " in
	" config set ")
		local keys
		keys=$(echo "$help" | sed -n 's/.*KEY is one of: //p' |
			sed 's/ ([^)]*)//g; s/,//g' | sorted)
		got=$(complete_words "${cmdwords[@]}" "" | sed 's/=//g')
		[ "$got" = "$keys" ] ||
			fail "completion of 'config set': got '$got', help has '$keys'"
		got=$(complete_words "${cmdwords[@]}" rescuer_mode = "")
		[ "$got" = "batch one " ] || fail "completion of rescuer_mode=: '$got'"
		;;
	esac
	if [ "$positionals" = "NAME " ] && [ "$path" != "queue add" ]; then
		# Existing queues, from a wqctl that lists two.
		got=$(PATH=$stub:$PATH complete_words "${cmdwords[@]}" "")
		[ "$got" = "q1 zz " ] ||
			fail "completion of '$path NAME': got '$got', want the queues"
	fi

	# Man page: a section with exactly these options.
	local section manopts
	if [ $# -gt 0 ] && ! grep -qx "\.\\\\\" command: $path" "$man"; then
		fail "wqctl.8 has no section for '$path'"
	else
		section=$(man_section "$path")
		manopts=$(echo "$section" | grep -oE '\\-(\\-[a-z]+(\\-[a-z]+)*|[A-Za-z]\b)' |
			sed 's/\\//g' | sorted)
		# -h and --help are shown once, for wqctl itself.
		want=$options
		[ $# -eq 0 ] || want=$(echo "$want" | tr ' ' '\n' | grep -vxE -- '-h|--help' | sorted)
		[ "$manopts" = "$want" ] ||
			fail "wqctl.8 section '$path': options '$manopts', wqctl --help has '$want'"
	fi

	local s
	for s in $subs; do
		walk "${words[@]}" "$s"
	done
}
walk
[ "$ncmd" -ge 17 ] || fail "only $ncmd commands found in the help"
echo "checked $ncmd commands"
[ "$fails" = 0 ]
