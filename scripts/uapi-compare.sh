#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi-compare.sh GENERATED HAND SPEC: check that the hand-written UAPI
# header HAND (module/uapi/pcwq_genl.h) defines every constant of
# GENERATED (what the kernel's ynl-gen-c.py makes from SPEC) with the
# same value, and nothing else but the *_UNSPEC entries and
# PCWQ_QUEUE_CPUS_MAX_LEN (the max-len of queue-cpus in SPEC).  Values are
# compared by compiling each header and printing its constants.
set -euo pipefail
gen=$1 hand=$2 spec=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The constants a header defines: enumerators and macros, but not the
# include guard.
names() {
	{
		sed -nE 's/^#define[ \t]+([A-Z_][A-Z0-9_]*)[ \t]+.+/\1/p' "$1"
		sed -E 's#/\*.*\*/##; s#/\*.*##' "$1" | awk '/^enum/ {on = 1; next} /^}/ {on = 0} on' |
			sed -nE 's/^[ \t]+([A-Z_][A-Z0-9_]*)[ \t]*(=[^,]*)?,?[ \t]*$/\1/p'
	} | sort -u
}
names "$gen" >"$tmp/gen"
names "$hand" >"$tmp/hand"
fail=0
only_gen=$(comm -23 "$tmp/gen" "$tmp/hand")
only_hand=$(comm -13 "$tmp/gen" "$tmp/hand" | grep -vE '_UNSPEC$|^PCWQ_QUEUE_CPUS_MAX_LEN$' || true)
[ -z "$only_gen" ] || { echo "missing from $hand: $(echo $only_gen)"; fail=1; }
[ -z "$only_hand" ] || { echo "not in the spec: $(echo $only_hand)"; fail=1; }

# print HEADER: NAME=VALUE for every constant both have.
print() {
	{
		echo '#include <stdio.h>'
		echo "#include \"$1\""
		echo '#define P(x) _Generic((x), char *: printf("%s=\"%s\"\n", #x, (const char *)(uintptr_t)(x)), default: printf("%s=%lld\n", #x, (long long)(uintptr_t)(x)))'
		echo 'int main(void) {'
		comm -12 "$tmp/gen" "$tmp/hand" | sed 's/.*/P(&);/'
		echo 'return 0; }'
	} | sed '1i #include <stdint.h>' >"$tmp/p.c"
	gcc -w -o "$tmp/p" "$tmp/p.c" && "$tmp/p"
}
print "$(realpath "$gen")" >"$tmp/gen.val"
print "$(realpath "$hand")" >"$tmp/hand.val"
if ! diff "$tmp/gen.val" "$tmp/hand.val" >"$tmp/diff"; then
	echo "values differ (< generated, > $hand):"
	cat "$tmp/diff"
	fail=1
fi
# PCWQ_QUEUE_CPUS_MAX_LEN is the spec's limit of queue-cpus.
maxlen=$(/usr/bin/python3 -c '
import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))
a = [a for a in s["attribute-sets"][0]["attributes"] if a["name"] == "queue-cpus"][0]
print(a["checks"]["max-len"])' "$spec")
hv=$(sed -nE 's/^#define[ \t]+PCWQ_QUEUE_CPUS_MAX_LEN[ \t]+([0-9]+).*/\1/p' "$hand")
[ "$maxlen" = "$hv" ] || { echo "PCWQ_QUEUE_CPUS_MAX_LEN $hv, spec max-len $maxlen"; fail=1; }
[ "$fail" = 0 ] && echo "$(wc -l <"$tmp/gen.val") constants agree"
exit "$fail"
