#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration of `make run`: load pcwq with parameters and drive it
# with wqctl: queues, load, drain and plug, a client module, the rescuer
# under memory pressure, and unloading with work pending.
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

step "a test queue and 2,000 synthetic items spread over the CPUs"
run wqctl queue add demo --max-active 4
run wqctl queue list
run wqctl load demo --count 2000 --spin-us 50
run wqctl flush demo
run wqctl stats --queue demo

step "items that sleep: the pool brings in more workers"
run wqctl load demo --count 16 --sleep-ms 100 --cpu 1
run wqctl stats --cpu 1
run wqctl flush demo

step "drain with plug: submissions refused until unplug"
run wqctl load demo --count 8 --sleep-ms 300
run wqctl drain demo --plug
run wqctl load demo --count 3
run wqctl unplug demo
run wqctl load demo --count 3

step "a client module using the in-kernel API"
run insmod /pcwq/pcwq_example.ko period_ms=20
sleep 1
echo "polls: $(cat /sys/module/pcwq_example/parameters/polls)," \
	"burst items run: $(cat /sys/module/pcwq_example/parameters/burst_done)"
run rmmod pcwq_example

step "memory pressure: worker creation fails, CPU 2's only worker is blocked"
run wqctl config set inject_worker_fail=1
run wqctl queue add plain
run wqctl queue add reclaim --rescuer
run wqctl load plain --count 2 --cpu 2 --sleep-ms 4000
run wqctl load reclaim --count 50 --cpu 2 --spin-us 200
sleep 1
echo "# the rescuer ran the reclaim queue's items; the plain queue waits"
run wqctl stats --cpu 2
step "pressure ends: new workers take what waited"
run wqctl config set inject_worker_fail=0
run wqctl flush plain
run wqctl stats --cpu 2
run wqctl queue del plain
run wqctl queue del reclaim

step "unload with items still queued and delayed: they run or are cancelled"
run wqctl load demo --count 1000 --sleep-ms 1
run wqctl load demo --count 500 --delay-ms 600000
run rmmod pcwq
run wqctl status
echo "exit status $?"
echo
echo "### demonstration finished"
