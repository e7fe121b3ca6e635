#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-test.sh K [--no-report]: build pcwq for matrix kernel K, run the VM suite
# (tests/vm) in one boot and every expected-panic test (tests/panic) in a
# boot of its own, and judge the runs.  Prints KTAP and ends with the line
# "N passed, N failed, N skipped"; exits 0 only if nothing failed.
#
# A run fails on any "not ok", a missing end marker (a panic in the suite
# reboots, and QEMU exits), an unexpected QEMU status (a panic test's panic
# ends QEMU with 1 through pvpanic), any kernel warning,
# BUG, oops, lockdep/KASAN/UBSAN/DEBUG_OBJECTS/kmemleak report on the
# console, and on taint bits other than O (out-of-tree) and E (unsigned), and
# N (KUnit) on the debug kernel.  A kernel that died before /init, and a
# suite whose guest froze with no report at all, are booted again (TCG's
# text patching; see boot() and below).  On the debug kernel the kmemleak scan at
# the end of the suite must have run and found nothing.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

k=$1
# The debug kernel is built on first use, then taken from the cache.
if [ "$k" = debug ]; then
	"$PCWQ_TOP/scripts/debug-kernel.sh" >/dev/null || exit 1
fi
kernel_select "$k"
dir=$PCWQ_BUILD/$k
mkdir -p "$PCWQ_BUILD/results"
PCWQ_RES=$PCWQ_BUILD/results/$k.res
: >"$PCWQ_RES"
rm -f "$PCWQ_RES.diag"
taint_allowed=$(((1 << 12) | (1 << 13)))
taint_names=O/E
# KUnit taints with N (TAINT_TEST) when its suites run (debug kernel only).
if [ "$k" = debug ]; then
	taint_allowed=$((taint_allowed | (1 << 18)))
	taint_names=O/E/N
fi
bad_console='WARNING:|BUG:|Oops|general protection|Kernel panic|Call Trace:|'
bad_console+='INFO: task .* blocked|possible (recursive|circular) locking|'
bad_console+='KASAN:|UBSAN:|suspected memory leak|rcu_.*stall|soft lockup|'
bad_console+='hard LOCKUP|refcount_t:|list_(add|del) corruption|'
bad_console+='inconsistent lock state|suspicious RCU usage|ODEBUG:|'
bad_console+='unreferenced object'

# check_console FILE NAME: the console of the suite's boot is clean (a
# panic there is a failure too).
check_console() {
	local hits
	hits=$(grep -E "$bad_console" "$1" | head -n 5)
	if [ -n "$hits" ]; then
		record fail "$k: $2: kernel log clean" "$(echo "$hits" | head -n 1)"
		sed 's/^/# /' <<<"$hits"
	else
		record ok "$k: $2: kernel log clean"
	fi
}

# check_delay TEST OUT CONSOLE: for a panic test with "# expect-delay: MIN
# MAX" that printed "PCWQ-MARK <uptime>" just before and just after it
# started what must panic MIN to MAX seconds later: the panic's printk time
# may be no later than MAX after the second mark, nor earlier than MIN
# after the first.
check_delay() {
	local range first last at from to
	range=$(sed -n 's/^# expect-delay: //p' "$1")
	[ -n "$range" ] || return 0
	first=$(sed -n 's/^PCWQ-MARK //p' "$2" | head -n 1)
	last=$(sed -n 's/^PCWQ-MARK //p' "$2" | tail -n 1)
	at=$(sed -nE 's/^\[ *([0-9.]+)\] Kernel panic - not syncing.*/\1/p' "$3" |
		head -n 1)
	if [ -z "$first" ] || [ -z "$at" ]; then
		record fail "$k: panic/$t: delay" "no mark or no panic time"
		return
	fi
	from=$(awk -v a="$at" -v m="$last" 'BEGIN { printf "%.3f", a - m }')
	to=$(awk -v a="$at" -v m="$first" 'BEGIN { printf "%.3f", a - m }')
	echo "# $k: panic/$t: panic ${from}s to ${to}s after the stall began"
	if awk -v f="$from" -v t="$to" -v r="$range" \
		'BEGIN { split(r, x, " "); exit !(f <= x[2] && t >= x[1]) }'; then
		record ok "$k: panic/$t: delay within [$range] s" "${from}..${to}s"
	else
		record fail "$k: panic/$t: delay within [$range] s" "${from}..${to}s"
	fi
}

echo "# kernel $k: $KREL"
if ! "$PCWQ_TOP/scripts/build-module.sh" "$k" >/dev/null; then
	record fail "$k: build (W=1, sparse)"
	exit 1
fi
record ok "$k: build (W=1, sparse)"

# boot MODE [TEST]: run vm.sh, booting again (twice at most) when the
# kernel died before /init printed anything: under TCG the stock kernels
# now and then oops while patching their text at boot, before any module
# is loaded, and such a boot says nothing about pcwq.  Sets rc.
boot() {
	local out=$dir/$1${2:+-$2}.out try
	for try in 1 2 3; do
		rc=0
		"$PCWQ_TOP/scripts/vm.sh" "$k" "$@" || rc=$?
		grep -qE '^(KTAP version|PCWQ-)' "$out" && return
		echo "# $k: boot $try died before /init (qemu status $rc), retrying"
	done
}

# --- the suite, in one boot ---
boot test
out=$dir/test.out console=$dir/test.console
# A guest that froze silently (its console stopped, heartbeat and all, and
# holds no report of any kind: scripts/vm.sh stopped it with status 124)
# boots once more.  Under TCG the kernel's text patching
# (static keys, tracepoints) now and then freezes every vCPU: the 6.1
# suite froze so in 57-trace, disabling the events, with no hung-task,
# soft-lockup or RCU-stall report in the 750 s that followed (a
# deadlock with a CPU left would have reported).  The frozen run's files
# are kept as test-frozen.*; a freeze in the second boot fails as usual.
if [ "$rc" = 124 ] && ! grep -qE "$bad_console" "$console"; then
	frozen=$(grep -E '^# RUN ' "$out" | tail -n 1 | sed 's/^# RUN //')
	echo "# $k: the guest froze silently in ${frozen:-?} (qemu status 124, no kernel report); booting the suite again"
	echo "# $k: the first suite boot froze silently in ${frozen:-?}; see build/$k/test-frozen.*" \
		>>"$PCWQ_RES.diag"
	for f in out console qemu; do
		mv "$dir/test.$f" "$dir/test-frozen.$f"
	done
	boot test
fi
sed -n '/^KTAP version/,$p' "$out" | grep -v '^PCWQ-' | sed 's/^/# /'
while read -r line; do
	case $line in
	"not ok "*) record fail "$k: $(sed -E 's/^not ok [0-9]+ //' <<<"$line")" ;;
	"ok "*"# SKIP"*)
		record skip "$k: $(sed -E 's/^ok [0-9]+ (.*) # SKIP.*/\1/' <<<"$line")"
		;;
	"ok "*) record ok "$k: $(sed -E 's/^ok [0-9]+ //' <<<"$line")" ;;
	esac
done < <(grep -E '^(not )?ok [0-9]+ ' "$out")
if [ "$rc" = 0 ] && grep -qx PCWQ-END "$out"; then
	record ok "$k: suite: ran to the end"
else
	record fail "$k: suite: ran to the end" "qemu status $rc"
	# The end of both channels, for the closing summary of make check.
	{
		echo "# $k: the suite stopped early (qemu status $rc); last lines"
		echo "# of the results channel:"
		tail -n 8 "$out" | sed 's/^/#   /'
		echo "# of the console:"
		tail -n 40 "$console" | sed 's/^/#   /'
		echo "# of QEMU:"
		tail -n 5 "$dir/test.qemu" | sed 's/^/#   /'
	} >>"$PCWQ_RES.diag"
fi
check_console "$console" suite
taint=$(sed -n 's/^PCWQ-TAINT //p' "$out")
if [ -n "$taint" ] && [ $((taint & ~taint_allowed)) = 0 ]; then
	record ok "$k: suite: taint only $taint_names" "$taint"
else
	record fail "$k: suite: taint only $taint_names" "tainted=${taint:-unknown}"
fi
# The debug kernel's kmemleak scan after the suite (tests/lib/init.sh).
if [ "$k" = debug ]; then
	leaks=$(sed -n 's/^PCWQ-KMEMLEAK //p' "$out")
	if [ "$leaks" = 0 ]; then
		record ok "$k: suite: kmemleak scan clean"
	else
		record fail "$k: suite: kmemleak scan clean" \
			"${leaks:-no scan} suspected leaks"
	fi
fi

# --- tests that must panic the guest, one boot each ---
for f in "$PCWQ_TOP"/tests/panic/${PCWQ_PANIC_ONLY:-*}.sh; do
	[ -e "$f" ] || continue
	t=$(basename "$f" .sh)
	expect=$(sed -n 's/^# expect-panic: //p' "$f")
	boot panic "$t"
	out=$dir/panic-$t.out console=$dir/panic-$t.console
	msg=$(grep -m1 -o 'Kernel panic - not syncing: .*' "$console")
	if [ "$rc" != 1 ]; then
		record fail "$k: panic/$t" "qemu status $rc, expected 1 (pvpanic)"
	elif ! grep -qx PCWQ-PANIC-ARMED "$out"; then
		record fail "$k: panic/$t" "the test did not reach its trigger"
	elif ! grep -qE "Kernel panic - not syncing: .*$expect" "$console"; then
		record fail "$k: panic/$t" "got '${msg:-no panic message}'"
	else
		record ok "$k: panic/$t" "$msg"
	fi
	check_delay "$f" "$out" "$console"
done

if [ "${2:-}" != --no-report ]; then
	cat "$PCWQ_RES.diag" 2>/dev/null
	"$PCWQ_TOP/scripts/report.sh" "$PCWQ_RES"
fi
