#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stress of 40-stress on a rescuer queue whose items now and then block
# for 20 ms, while worker creation fails and works by turns, the rescuer
# switches between modes one and batch, and CPUs 1-3 go offline and come
# back: no item runs twice at once, every instance runs or is cancelled
# exactly once, and the rescuer did run items.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

pcwq_unload
# Spares made while creation works are stopped after a second idle, so
# that the pools are short of workers again when it fails.
insmod $PCWQ_KO rescuer_batch=4 worker_idle_secs=1 || exit 1
dmesg_mark
insmod /pcwq/pcwq_stress.ko seconds=18 reclaim=1 block_ms=20 || exit 1

cycles=0
for round in 1 2 3 4; do
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
# The last 6 s of the run without worker creation: the pools, their spares
# stopped after a second idle, come to need the rescuer.
echo 1 >$PCWQ_PARAMS/inject_worker_fail

i=0
while ! dmesg | grep -q 'pcwq_stress: done' && [ $i -lt 90 ]; do
	sleep 1
	i=$((i + 1))
done
echo 0 >$PCWQ_PARAMS/inject_worker_fail
out=$(dmesg | sed -n 's/^\[[ 0-9.]*\] pcwq_stress: //p' | grep -v '^done$')
echo "$out"
echo "# $cycles CPU offline/online cycles during the run"
rmmod pcwq_stress && rmmod pcwq || exit 1
[ "$cycles" -gt 0 ] || exit 1
ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ ')
[ "$ran" -eq 5 ] || exit 1
echo "$out" | grep -q '^not ok' && exit 1
rescued=$(echo "$out" | sed -n 's/.* \([0-9]*\) rescued$/\1/p')
[ "${rescued:-0}" -gt 0 ] || exit 1
exit 0
