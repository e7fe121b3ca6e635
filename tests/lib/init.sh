#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the pcwq test VM.  The kernel console is ttyS0; results go to
# ttyS1 so that kernel messages never cut a KTAP line.  The mode comes from
# the kernel command line (unknown key=value words become our environment):
#   pcwq_mode=test          run the kselftest-style suite in /tests/vm
#   pcwq_mode=panic pcwq_test=NAME
#                           run /tests/panic/NAME.sh, which must panic
#   pcwq_mode=run           the demonstration of `make run`
#   pcwq_mode=bench         the benchmark of `make bench` (tests/bench/run.sh)
#   pcwq_mode=shell         an interactive shell on the console
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
hostname pcwq-vm

# A panic test must stop QEMU with a failure (pvpanic), not look like a
# clean power-off.  The other modes do without: QEMU exits at the pvpanic
# event, which the kernel sends before it flushes the console, and a panic
# message lost that way says nothing about the bug.  Without it the panic
# reboots (panic=-1), QEMU exits (-no-reboot) after the whole message, and
# the missing PCWQ-END marker fails the run.
if [ "$pcwq_mode" = panic ]; then
	for m in pvpanic pvpanic-pci; do
		[ -f "/lib/modules/$m.ko" ] && insmod "/lib/modules/$m.ko"
	done
	[ -d /sys/bus/pci/drivers/pvpanic-pci ] ||
		echo "init: WARNING: no pvpanic device, a panic will look like success"
fi

case "$pcwq_mode" in
test | panic | bench) out=/dev/ttyS1 ;;
*) out=/dev/console ;;
esac

# kmemleak (debug kernel): forget what boot left, so that the scan at the
# end reports only what leaked while the tests ran.
kmemleak=/sys/kernel/debug/kmemleak
[ -w "$kmemleak" ] && echo clear >"$kmemleak"

case "$pcwq_mode" in
test)
	# The heartbeat by which scripts/vm.sh tells a frozen guest.
	(while sleep 30; do echo "<5>vm heartbeat" >/dev/kmsg; done) &
	heartbeat=$!
	/tests/lib/runner.sh /tests/vm >"$out" 2>&1
	kill "$heartbeat"
	;;
panic)
	echo "PCWQ-PANIC-TEST $pcwq_test" >"$out"
	sh "/tests/panic/$pcwq_test.sh" >"$out" 2>&1
	echo "PCWQ-PANIC-TEST-RETURNED rc=$?" >"$out"
	;;
run)
	/tests/demo.sh >"$out" 2>&1
	;;
bench)
	/tests/bench/run.sh >"$out" 2>&1
	;;
shell)
	echo "pcwq VM: pcwq.ko is in /pcwq, wqctl in /usr/bin; 'poweroff -f' ends it"
	setsid cttyhack sh -l
	;;
esac

# An object is reported once nothing has referred to it for 5 s, over two
# scans; the count goes to the results channel, the reports to the console.
if [ "$pcwq_mode" = test ] && [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak"
	sleep 6
	echo scan >"$kmemleak"
	cat "$kmemleak" >/dev/console
	echo "PCWQ-KMEMLEAK $(grep -c '^unreferenced object' "$kmemleak")" >"$out"
fi
echo "PCWQ-TAINT $(cat /proc/sys/kernel/tainted)" >"$out"
echo "PCWQ-END" >"$out"
sync
poweroff -f
