#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The work item semantics suite: pcwq_test.ko runs Zephyr's k_work cases
# against the in-kernel API at load time and prints KTAP to the kernel log;
# this script passes it on and fails on any "not ok" or a short run.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

pcwq_unload
insmod $PCWQ_KO || exit 1
dmesg_mark
insmod /pcwq/pcwq_test.ko || exit 1
out=$(dmesg_since | sed -n 's/^\[[ 0-9.]*\] pcwq_test: //p')
echo "$out"
rmmod pcwq_test
rmmod pcwq || exit 1

plan=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p')
ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ ')
echo "$out" | grep -q '^1\.\.0 # SKIP' && exit 4
[ -n "$plan" ] && [ "$plan" -gt 0 ] && [ "$ran" -eq "$plan" ] || exit 1
echo "$out" | grep -q '^not ok' && exit 1
exit 0
