#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration of `make run`: load pcwq with parameters and drive it
# with wqctl.  Later features extend it (queues, load, a stall, the rescuer).
step() {
	echo
	echo "### $*"
}
run() {
	echo "# $*"
	"$@"
}

step "load the module with parameters"
run insmod /pcwq/pcwq.ko watchdog_thresh=20 panic_on_stall=5 rescuer_mode=one
dmesg | grep 'pcwq:'

step "health summary"
run wqctl status

step "configuration as insmod set it"
run wqctl config get

step "change it at run time, as root"
run wqctl config set watchdog_thresh=10 panic_on_stall_time=120
run wqctl -p config get
run cat /sys/module/pcwq/parameters/watchdog_thresh

step "a bad value is refused and changes nothing"
run wqctl config set watchdog_thresh=100000
echo "exit status $?"

step "an unprivileged user may read but not change"
run su -s /bin/sh tester -c "wqctl config set panic_on_stall=1"
echo "exit status $?"

step "unload"
run rmmod pcwq
run wqctl status
echo "exit status $?"
echo
echo "### demonstration finished"
