#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stall watchdog with both panic controls off: a stall made on purpose
# is reported within watchdog_thresh + 1 s naming the blocked handler,
# wqctl monitor receives the stall event, the counters rise, a shorter
# watchdog_thresh takes effect at once, and the pool recovers once worker
# creation works again.  Then a busy pool whose items keep starting does
# not stall, with panic_on_stall=1 armed.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh
. /tests/lib/stall.sh

ktap_plan 12
pcwq_unload
insmod $PCWQ_KO inject_worker_fail=1 watchdog_thresh=2 || exit 1
wqctl -j monitor --count 1 --timeout 60 >/tmp/stall-events &
monitor=$!
sleep 0.5
dmesg_mark

stalled() {
	dmesg | grep -q 'pcwq: stall: CPU 1 normal pool'
}

t0=$(stall_begin 20000)
if wait_until 10 stalled; then
	dt=$(($(now_cs) - t0))
	ktap_diag "reported $((dt * 10)) ms after the stall began (thresh 2 s)"
	ktap_check_eq "stall reported within thresh + 1 s" 1 \
		"$([ "$dt" -le 300 ] && [ "$dt" -ge 190 ] && echo 1)"
else
	ktap_fail "stall reported within thresh + 1 s" "no report"
fi
report=$(dmesg | sed -n '/pcwq: stall: CPU 1/,$p')
echo "$report" | sed 's/^/# /'
ktap_check_match "the report names the blocked handler and its queue" \
	'in flight for [0-9]+ ms: load_fn \[pcwq\] of queue A' "$report"
ktap_check_match "the report counts what waits" '1 waiting, 1 in flight' \
	"$report"
wait $monitor
ktap_check_match "wqctl monitor received the stall event" \
	'^\{"event":"stall","cpu":1,"highpri":false,"waiting":1,"stalled_ms":[0-9]+\}$' \
	"$(cat /tmp/stall-events)"
ktap_check_match "pool counts the stall" '"cpu":1,"highpri":false,[^}]*"stalls":[1-9]' \
	"$(wqctl -j stats --cpu 1)"
ktap_check_match "queue counts the stall" '^[1-9]' "$(qstat A stalls)"

# Reports repeat every thresh; a longer thresh, then a shorter one, at once.
wqctl config set watchdog_thresh=3600
dmesg_mark
sleep 3
ktap_check_fails "no report with watchdog_thresh=3600" stalled
wqctl config set watchdog_thresh=1
ktap_check "watchdog_thresh=1 reports at once" wait_until 3 stalled

ktap_check "worker creation works again" wqctl config set inject_worker_fail=0 \
	watchdog_thresh=2
wqctl flush A
ktap_check_eq "the pool recovered: both items ran" 2 "$(qstat A completed)"
rmmod pcwq

# Busy but progressing: items of 30 ms keep starting for seconds.  At most
# 4 at once: more CPU-bound items sharing the CPU all end late together
# (a slice each, round the ring), and on a loaded host the gap between
# starts then passes 1 s, which is a stall.
dmesg_mark
insmod $PCWQ_KO watchdog_thresh=1 panic_on_stall=1 panic_on_stall_time=2
wqctl queue add busy --max-active 4
wqctl load busy --count 300 --cpu 1 --spin-us 30000 >/dev/null
wqctl flush busy
ktap_check_eq "a busy pool that progresses never stalls" "0 0" \
	"$(qstat busy stalls) $(dmesg | grep -c 'pcwq: stall')"
ktap_check "rmmod" rmmod pcwq
ktap_finish
