#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Random submit/schedule/reschedule/cancel/flush on shared items from every
# CPU for 20 s while CPUs 1-3 go offline and come back; pcwq_stress.ko then
# checks that no item ran twice at once, that every queued instance ran or
# was cancelled exactly once, and that everything ended idle.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

pcwq_unload
insmod $PCWQ_KO || exit 1
dmesg_mark
insmod /pcwq/pcwq_stress.ko seconds=20 || exit 1

cycles=0
for round in 1 2 3 4 5; do
	hotplug_round
done
out=$(stress_report)
echo "$out"
echo "# $cycles CPU offline/online cycles during the run"
rmmod pcwq_stress && rmmod pcwq || exit 1
for c in 1 2 3; do
	[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] || exit 1
done
[ "$cycles" -gt 0 ] || exit 1
ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ ')
[ "$ran" -eq 5 ] || exit 1
echo "$out" | grep -q '^not ok' && exit 1
exit 0
