#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Work-stealing benchmark, run inside the VM: the same burst of CPU-bound
# items queued on one CPU, once on a queue without PCWQ_STEAL and once on a
# --steal queue, each timed from before `wqctl load` to after `wqctl
# flush`; prints both wall times and steal_speedup=<no-steal time / steal
# time>.  The times include starting wqctl twice, which takes up to
# seconds under TCG: overhead_ms is that part (the same commands for one
# empty item), and steal_speedup_net the ratio without it.  Loads pcwq.ko
# if it is not loaded, and unloads it again.
#
# Environment: COUNT items (default 400) of SPIN_US microseconds of CPU
# each (default 5000: under the pools' CPU-intensive mark of 10 ms, so that
# the no-steal burst runs on one worker), queued on CPU (default 0);
# PCWQ_KO, the module.
set -u

COUNT=${COUNT:-400}
SPIN_US=${SPIN_US:-5000}
CPU=${CPU:-0}
PCWQ_KO=${PCWQ_KO:-/pcwq/pcwq.ko}

die() {
	echo "steal.sh: $*" >&2
	exit 1
}

# The time since boot in milliseconds (to 10 ms).
now_ms() {
	sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\20/' /proc/uptime
}

# run QUEUE [COUNT SPIN_US]: queue a burst, wait for it; prints its time in
# ms.
run() {
	local t0
	t0=$(now_ms)
	wqctl load "$1" --count "${2:-$COUNT}" --cpu "$CPU" \
		--spin-us "${3:-$SPIN_US}" >/dev/null || die "load on $1 failed"
	wqctl flush "$1" || die "flush of $1 failed"
	echo $(($(now_ms) - t0))
}

loaded=1
if [ ! -d /sys/module/pcwq ]; then
	insmod "$PCWQ_KO" || die "cannot load $PCWQ_KO"
	loaded=0
fi
wqctl queue add bench_nosteal || die "cannot add a queue"
wqctl queue add bench_steal --steal || die "cannot add a --steal queue"

overhead=$(run bench_nosteal 1 0)
nosteal=$(run bench_nosteal)
steal=$(run bench_steal)

wqctl queue del bench_steal
wqctl queue del bench_nosteal
[ "$loaded" = 1 ] || rmmod pcwq

echo "steal_burst=${COUNT}x${SPIN_US}us_on_cpu$CPU"
echo "nosteal_ms=$nosteal"
echo "steal_ms=$steal"
echo "overhead_ms=$overhead"
awk -v a="$nosteal" -v b="$steal" -v o="$overhead" 'BEGIN {
	# Parenthesised: a bare ">" among the printf arguments redirects.
	printf "steal_speedup=%.2f\n", (b > 0 ? a / b : 0)
	printf "steal_speedup_net=%.2f\n", (b > o ? (a - o) / (b - o) : 0)
}'
