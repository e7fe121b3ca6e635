#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [K]: make bench.  Builds pcwq and pcwq_bench.ko for matrix
# kernel K (default 6.12), boots one VM (4 vCPUs, TCG) in bench mode
# (tests/bench/run.sh: pcwq beside the kernel's workqueue, see
# tests/modules/pcwq_bench.c), then boots the two panic_on_stall_time
# tests of the watchdog suite for the stall-to-panic precision, and turns
# it all into a markdown table on stdout, bench/results/latest.json,
# latest.md and PNG plots (scripts/bench-report.py), and the table in
# README.md.
#
# PCWQ_BENCH=KEY=VAL,...  parameters of pcwq_bench.ko (default below)
# PCWQ_BENCH_PANIC=0      skip the two panic boots
# PCWQ_BENCH_RESULTS=DIR  where the results go (default bench/results)
# PCWQ_BENCH_PROFILE=IMPL,IMPL  instead of all that, profile the
#                         throughput of those (pcwq, cmwq, cmwq_unbound)
#                         with perf in the VM, into DIR/profile.txt
# PCWQ_BENCH_TPUT=1       instead of all that, the throughput alone with
#                         4, 2 and 1 CPUs: its lines and the ratio of
#                         the medians at each, no report
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k=${1:-6.12}
export PCWQ_BENCH=${PCWQ_BENCH:-reps=5,items=20000,samples=200,hol_block_ms=1000,hol_shorts=20,mem_queues=64}
results=${PCWQ_BENCH_RESULTS:-$PCWQ_TOP/bench/results}
kernel_select "$k"
dir=$PCWQ_BUILD/$k
"$PCWQ_TOP/scripts/build-module.sh" "$k" >/dev/null
start=$(date +%s)
rc=0
if [ -n "${PCWQ_BENCH_PROFILE:-}" ]; then
	PCWQ_PERF=$(command -v perf) ||
		die "perf missing: run scripts/setup.sh (linux-perf)"
	export PCWQ_PERF PCWQ_PROFILE=$PCWQ_BENCH_PROFILE
	PCWQ_VM_TIMEOUT=${PCWQ_VM_TIMEOUT:-1200} "$PCWQ_TOP/scripts/vm.sh" "$k" bench || rc=$?
	out=$dir/bench.out
	if ! grep -qx 'BENCH END' "$out" || grep -q '^BENCH ERROR' "$out"; then
		tail -n 20 "$out" "$dir/bench.console" >&2
		die "the profile did not finish (see $out, $dir/bench.console)"
	fi
	{
		echo "# perf record -a -e cpu-clock during pcwq_bench tests=tput ($PCWQ_BENCH)"
		echo "# on $KREL, $(sed -n 's/^BENCH R fig=tput impl=\([a-z_]*\) cpus=\([0-9]*\).*/\2/p' "$out" | head -n 1) CPUs; flat profile by symbol, >= 0.3%"
		grep -E '^BENCH [RF] ' "$out" | sed 's/^BENCH //'
	} >"$results/profile.txt"
	cat "$results/profile.txt"
	exit 0
fi
if [ -n "${PCWQ_BENCH_TPUT:-}" ]; then
	PCWQ_TPUT_ONLY=1 "$PCWQ_TOP/scripts/vm.sh" "$k" bench || rc=$?
	out=$dir/bench.out
	grep -qx 'BENCH END' "$out" || die "the bench VM did not finish (see $out)"
	grep '^BENCH R fig=tput' "$out"
	awk '/^BENCH R fig=tput/ {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		v[f["cpus"], f["impl"], ++n[f["cpus"], f["impl"]]] = f["items_per_sec"]
	}
	function median(c, im,   m, i, j, t, a) {
		m = n[c, im]
		for (i = 1; i <= m; i++) a[i] = v[c, im, i]
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return a[int((m + 1) / 2)]
	}
	END {
		for (c = 4; c >= 1; c /= 2) if (n[c, "pcwq"] && n[c, "cmwq"])
			printf "tput %d CPUs: pcwq %d cmwq %d ratio %.2f\n", c,
				median(c, "pcwq"), median(c, "cmwq"),
				median(c, "pcwq") / median(c, "cmwq")
	}' "$out"
	exit 0
fi
PCWQ_VM_TIMEOUT=${PCWQ_VM_TIMEOUT:-1200} "$PCWQ_TOP/scripts/vm.sh" "$k" bench || rc=$?
echo "# bench VM: $(($(date +%s) - start)) s, qemu status $rc" >&2
out=$dir/bench.out
grep -qx 'BENCH END' "$out" || {
	tail -n 20 "$out" "$dir/bench.console" >&2
	die "the bench VM did not finish (see $out, $dir/bench.console)"
}

# Stall-to-panic precision, from the watchdog's panic_on_stall_time tests:
# the delay between the stall's beginning (two marks around it) and the
# panic's printk time, as scripts/vm-test.sh judges it.
if [ "${PCWQ_BENCH_PANIC:-1}" != 0 ]; then
	for t in stall-time-1 stall-time-10; do
		prc=0
		"$PCWQ_TOP/scripts/vm.sh" "$k" panic "$t" || prc=$?
		o=$dir/panic-$t.out c=$dir/panic-$t.console
		first=$(sed -n 's/^PCWQ-MARK //p' "$o" | head -n 1)
		last=$(sed -n 's/^PCWQ-MARK //p' "$o" | tail -n 1)
		at=$(sed -nE 's/^\[ *([0-9.]+)\] Kernel panic - not syncing.*/\1/p' "$c" |
			head -n 1)
		thresh=$(sed -nE 's/^stall_panic_time ([0-9]+)$/\1/p' \
			"$PCWQ_TOP/tests/panic/$t.sh")
		if [ "$prc" = 1 ] && [ -n "$first" ] && [ -n "$at" ]; then
			awk -v a="$at" -v f="$first" -v l="$last" -v t="$t" -v w="$thresh" \
				'BEGIN { printf "BENCH P test=%s thresh=%s setting_s=3 from_s=%.3f to_s=%.3f\n", t, w, a - l, a - f }' >>"$out"
		else
			echo "BENCH P test=$t thresh=$thresh error=no_panic_or_mark" >>"$out"
		fi
	done
fi

python3 "$PCWQ_TOP/scripts/bench-report.py" "$out" --results "$results" \
	--readme "$PCWQ_TOP/README.md"
cp "$out" "$results/latest.out"
