#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suites of pcwq (module/kunit, pcwq_kunit.ko, built only for a
# kernel with KUnit: the debug kernel).  Loading the module runs them once;
# each suite's KTAP results are read from debugfs, and each case (each
# parameter of a table case too) is reported as a case of this test, with
# the suite's log of a failed one.  Every suite must have run at least one
# case.  Without KUnit the test skips itself.
# timeout: 600
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

SUITES="pcwq_watchdog pcwq_bucket pcwq_rescuer pcwq_admission pcwq_state pcwq_clock"
KUNIT=/sys/kernel/debug/kunit
TAB=$(printf '\t')

if [ ! -f /pcwq/pcwq_kunit.ko ]; then
	ktap_plan 1
	ktap_skip "pcwq KUnit suites" "kernel without KUnit"
	ktap_finish
fi

# kunit_parse SUITE < results: one line per case, "ok|fail|skip TAB name
# [TAB reason]", a failed case preceded by "diag TAB line" for its log; at
# the end "cases TAB N", N the cases of the suite (parameters not counted).
kunit_parse() {
	awk -v suite="$1" '
	function flush(j) {
		for (j = 1; j <= nb; j++)
			print "diag\t" b[j]
		nb = 0
	}
	/^        # Subtest: / {
		parent = $0
		sub(/^        # Subtest: /, "", parent)
		nb = 0
		next
	}
	/^    (    )?(not ok|ok) [0-9]+ / {
		line = $0
		deep = line ~ /^        /
		sub(/^ +/, "", line)
		notok = line ~ /^not ok/
		sub(/^(not ok|ok) [0-9]+ /, "", line)
		name = line
		reason = ""
		i = index(line, " # SKIP")
		if (i) {
			name = substr(line, 1, i - 1)
			reason = substr(line, i + 7)
			sub(/^ +/, "", reason)
		}
		full = suite ": " (deep ? parent ": " : "") name
		if (i)
			print "skip\t" full "\t" reason
		else if (notok) {
			flush()
			print "fail\t" full
		} else
			print "ok\t" full
		if (!deep)
			cases++
		nb = 0
		next
	}
	{ b[++nb] = $0 }
	END { print "cases\t" cases + 0 }'
}

pcwq_unload
insmod $PCWQ_KO || exit 1
res=/tmp/kunit-results
: >$res
if ! out=$(insmod /pcwq/pcwq_kunit.ko 2>&1); then
	echo "# insmod pcwq_kunit.ko failed: $out"
	rmmod pcwq
	exit 1
fi
for s in $SUITES; do
	if [ -f $KUNIT/$s/results ]; then
		kunit_parse $s <$KUNIT/$s/results >/tmp/kunit-$s
	else
		echo "cases${TAB}0" >/tmp/kunit-$s
	fi
	cat /tmp/kunit-$s >>$res
done
rmmod_kunit=ok
rmmod pcwq_kunit || rmmod_kunit=fail
rmmod_pcwq=ok
rmmod pcwq || rmmod_pcwq=fail

n=$(grep -cE "^(ok|fail|skip)$TAB" $res)
ns=$(echo $SUITES | wc -w)
ktap_plan $((n + ns + 2))
while IFS="$TAB" read -r kind name reason; do
	case $kind in
	ok) ktap_ok "$name" ;;
	skip) ktap_skip "$name" "$reason" ;;
	fail) ktap_fail "$name" ;;
	diag) ktap_diag "$name" ;;
	esac
done <$res
for s in $SUITES; do
	cases=$(sed -n "s/^cases$TAB//p" /tmp/kunit-$s)
	if [ "$cases" -gt 0 ]; then
		ktap_ok "$s ran $cases cases"
	elif [ ! -d $KUNIT ]; then
		ktap_fail "$s ran" "no $KUNIT: debugfs not mounted or no KUNIT_DEBUGFS"
	else
		ktap_fail "$s ran" "the suite ran no case (results missing or empty)"
	fi
done
if [ $rmmod_kunit = ok ]; then
	ktap_ok "rmmod pcwq_kunit"
else
	ktap_fail "rmmod pcwq_kunit"
fi
if [ $rmmod_pcwq = ok ]; then
	ktap_ok "rmmod pcwq"
else
	ktap_fail "rmmod pcwq"
fi
ktap_finish
