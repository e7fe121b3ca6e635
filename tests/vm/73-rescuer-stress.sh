#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stress of 40-stress on a rescuer queue whose items now and then block
# for 20 ms, while worker creation fails and works by turns, the rescuer
# switches between modes one and batch, and CPUs 1-3 go offline and come
# back: no item runs twice at once, every instance runs or is cancelled
# exactly once, and the rescuer did run items.
#
# The rescue is made certain, not left to timing: at the start, with
# creation failing, a queue without a rescuer fills every worker of every
# normal pool with sleeping items, so the stress items can only be run by
# the stress queue's rescuer.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

fail() {
	echo "# $*"
	exit 1
}

cpus=$(sed -n 's/^processor[^0-9]*\([0-9]*\)$/\1/p' /proc/cpuinfo)
n=$(echo $cpus | wc -w)

pcwq_unload
insmod $PCWQ_KO rescuer_batch=4 || exit 1
dmesg_mark
insmod /pcwq/pcwq_stress.ko seconds=20 reclaim=1 block_ms=20 || exit 1

echo 1 >$PCWQ_PARAMS/inject_worker_fail
wqctl queue add J --max-active 512 || fail "queue add J"
for c in $cpus; do
	wqctl load J --count 64 --cpu "$c" --sleep-ms 1000 >/dev/null ||
		fail "load J on CPU $c"
done
wait_until 15 qstat_ge stress rescued 1 ||
	fail "no stress item rescued while the pools were jammed"
echo "# $(qstat stress rescued) stress items rescued while the pools were jammed"
echo 0 >$PCWQ_PARAMS/inject_worker_fail

cycles=0
for round in 1 2 3; do
	for c in 1 2 3; do
		echo 1 >$PCWQ_PARAMS/inject_worker_fail
		[ $((c % 2)) = 0 ] && echo batch >$PCWQ_PARAMS/rescuer_mode
		f=/sys/devices/system/cpu/cpu$c/online
		echo 0 >$f && cycles=$((cycles + 1))
		sleep 0.5
		echo 1 >$f
		echo 0 >$PCWQ_PARAMS/inject_worker_fail
		echo one >$PCWQ_PARAMS/rescuer_mode
		sleep 0.5
	done
done

out=$(stress_report)
echo "$out"
echo "# $cycles CPU offline/online cycles during the run"
wqctl flush J || fail "flush J"
[ "$(qstat J completed)" -eq $((n * 64)) ] ||
	fail "J completed $(qstat J completed) of $((n * 64))"
rmmod pcwq_stress && rmmod pcwq || fail "rmmod"
[ "$cycles" -gt 0 ] || fail "no CPU went offline"
ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ ')
[ "$ran" -eq 5 ] || fail "the stress reported $ran of 5 checks"
echo "$out" | grep -q '^not ok' && fail "a stress check failed"
rescued=$(echo "$out" | sed -n 's/.* \([0-9]*\) rescued$/\1/p')
[ "${rescued:-0}" -gt 0 ] || fail "the rescuer ran no stress item"
exit 0
