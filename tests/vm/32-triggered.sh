#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The triggered work suite: pcwq_poll_test.ko runs Zephyr's k_work_poll
# cases (already signalled, wait then signal, timeout, no wait, resubmit
# from the handler, cancel while waiting and after firing, another queue,
# several events, plain wait queues, a queue destroyed under a waiting item,
# cancel racing the firing) at load time and prints KTAP to the kernel log;
# this script passes it on and fails on any "not ok" or a short run.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

pcwq_unload
insmod $PCWQ_KO || exit 1
dmesg_mark
insmod /pcwq/pcwq_poll_test.ko || exit 1
out=$(dmesg_since | sed -n 's/^\[[ 0-9.]*\] pcwq_poll_test: //p')
echo "$out"
rmmod pcwq_poll_test
rmmod pcwq || { echo "# rmmod pcwq failed after the suite"; exit 1; }

plan=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p')
ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ ')
echo "$out" | grep -q '^1\.\.0 # SKIP' && exit 4
if [ -z "$plan" ] || [ "$plan" -eq 0 ] || [ "$ran" -ne "$plan" ]; then
	echo "# the suite ran $ran of ${plan:-no} planned cases"
	exit 1
fi
echo "$out" | grep -q '^not ok' && exit 1
exit 0
