#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark run of `make bench`, inside the VM (pcwq_mode=bench): loads
# pcwq, then pcwq_bench.ko (tests/modules/pcwq_bench.c) for the throughput
# with 4, 2 and 1 CPUs online (CPUs 3 and 2, then 1 taken offline in this
# one boot; see README "Benchmarks" for why), then for latency, rescue and
# memory with every CPU, then the work-stealing benchmark steal.sh.  Prints
# each measurement as "BENCH R fig=... key=value ..." and steal.sh's as
# "BENCH S key=value"; scripts/bench-report.py reads them.
#
# pcwq_bench=KEY=VAL,KEY=VAL on the kernel command line is passed to
# pcwq_bench.ko (reps, items, samples, hol_block_ms, ...).
#
# pcwq_profile=IMPL,IMPL (pcwq, cmwq, cmwq_unbound) replaces all that by a
# profile of the throughput with every CPU: for each IMPL, perf samples
# every CPU (cpu-clock) while pcwq_bench.ko measures that IMPL alone, and
# the flat profile by symbol is printed as "BENCH F impl=IMPL <line>".
#
# pcwq_tput_only=1 measures the throughput with 4, 2 and 1 CPUs and ends
# there (development: a quick ratio after a change).
. /tests/lib/pcwq.sh

args=$(echo "${pcwq_bench:-}" | tr ',' ' ')

# bench TESTS: one load of pcwq_bench.ko; its lines, prefixed BENCH.
bench() {
	dmesg -c >/dev/null
	# shellcheck disable=SC2086
	if ! insmod /pcwq/pcwq_bench.ko tests="$1" $args; then
		echo "BENCH ERROR tests=$1 insmod failed"
		dmesg | grep pcwq_bench | sed 's/^/# /'
		return 1
	fi
	rmmod pcwq_bench
	dmesg | sed -n 's/^\[[ 0-9.]*\] pcwq_bench: R /BENCH R /p'
}

online() {
	[ -w "/sys/devices/system/cpu/cpu$1/online" ] &&
		echo "$2" >"/sys/devices/system/cpu/cpu$1/online"
}

# profile IMPL: the flat kernel profile of IMPL's throughput.
profile() {
	data=/tmp/perf-$1.data
	# shellcheck disable=SC2086
	if ! perf record -q -a -e cpu-clock -F 4000 -o "$data" -- \
		insmod /pcwq/pcwq_bench.ko tests=tput impls="$1" $args; then
		echo "BENCH ERROR profile=$1 failed"
		return 1
	fi
	dmesg | sed -n 's/^\[[ 0-9.]*\] pcwq_bench: R /BENCH R /p'
	# Before rmmod, so that perf finds the symbols of pcwq_bench.ko.
	perf report -i "$data" --stdio --no-children --sort sym \
		--percent-limit 0.3 2>/dev/null | grep -v '^#' | grep . |
		sed "s/^/BENCH F impl=$1 /"
	rmmod pcwq_bench
	rm -f "$data"
}

if [ -n "${pcwq_profile:-}" ]; then
	pcwq_unload
	insmod $PCWQ_KO || { echo "BENCH ERROR insmod pcwq"; exit 1; }
	dmesg -c >/dev/null
	for impl in $(echo "$pcwq_profile" | tr ',' ' '); do
		profile "$impl"
		dmesg -c >/dev/null
	done
	rmmod pcwq
	echo "BENCH END"
	exit 0
fi

echo "BENCH I kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) args=${pcwq_bench:-}"
echo "BENCH I rescuer_source=$(sed -n 1p /proc/version)"
pcwq_unload
insmod $PCWQ_KO || { echo "BENCH ERROR insmod pcwq"; exit 1; }
t0=$(now_cs)
bench tput
online 3 0
online 2 0
bench tput
online 1 0
bench tput
if [ -n "${pcwq_tput_only:-}" ]; then
	rmmod pcwq
	echo "BENCH END"
	exit 0
fi
online 1 1
online 2 1
online 3 1
sleep 1
bench lat,hol,mem
t1=$(now_cs)
echo "BENCH I module_seconds=$(((t1 - t0) / 100))"
rmmod pcwq
/tests/bench/steal.sh | sed 's/^/BENCH S /'
echo "BENCH I total_seconds=$((($(now_cs) - t0) / 100))"
echo "BENCH END"
