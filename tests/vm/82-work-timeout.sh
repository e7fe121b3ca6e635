#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The per-item run-time limit of a queue (work_timeout_ms): with 200 ms,
# three items that spin or sleep well past it are each reported once in
# the kernel log (handler, queue, CPU, a run time of at least 200 ms),
# counted in overruns and sent as overrun events to wqctl monitor, and the
# pcwq_overrun trace event marks them; short items of a queue with a limit
# far above them (3 s: the VM, sharing a loaded host, has been seen to
# stand still for 0.7 s, which makes a 10 ms item run that long), and long
# items of a queue without a limit, count nothing.  queue set changes the
# limit for the
# items that start afterwards, 0 turns it off; out-of-range values are
# refused and change nothing.  The module unloads while an item is watched.
# Bounds are generous (TCG on a shared host): long items are 3x the limit
# or more, short ones 300x under theirs.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 23
pcwq_unload
insmod "$PCWQ_KO" || exit 1
TR=/sys/kernel/tracing
[ -f $TR/trace ] || mount -t tracefs nodev $TR 2>/dev/null

# reports [QUEUE]: the work timeout lines of the log (of QUEUE) since the mark.
reports() {
	dmesg | grep "pcwq: work timeout: .* of queue ${1:-[^ ]*} "
}

wqctl queue add T --work-timeout-ms 200 --max-active 4
wqctl queue add S --work-timeout-ms 3000 --max-active 4
wqctl queue add N
ktap_check_match "queue list shows the limit" \
	'"name":"T",[^}]*"work_timeout_ms":200,' "$(wqctl -j queue list)"
ktap_check_match "the text list shows it" '^T +user +4 +- +- +- +- +200 ' \
	"$(wqctl queue list | grep '^T ')"

wqctl -j monitor --count 3 --timeout 60 >/tmp/wto-events &
monitor=$!
sleep 0.5
dmesg_mark
if [ -f $TR/events/pcwq/pcwq_overrun/enable ]; then
	echo >$TR/trace
	echo 1 >$TR/events/pcwq/pcwq_overrun/enable
fi

# Three long items (two spinning 600 ms of CPU time on CPU 1, one sleeping
# 700 ms on CPU 2), and 40 short ones (1 ms of CPU, or a 10 ms sleep) on a
# queue with a limit of 3 s.
wqctl load T --count 2 --cpu 1 --spin-us 600000 >/dev/null
wqctl load T --count 1 --cpu 2 --sleep-ms 700 >/dev/null
wqctl load S --count 20 --cpu 3 --spin-us 1000 >/dev/null
wqctl load S --count 20 --cpu 0 --sleep-ms 10 >/dev/null
# The same long items on a queue without a limit.
wqctl load N --count 1 --cpu 3 --spin-us 600000 >/dev/null
wqctl load N --count 1 --cpu 0 --sleep-ms 700 >/dev/null
wqctl flush T
wqctl flush S
wqctl flush N

ktap_check_eq "overruns counts exactly the three long items" 3 \
	"$(qstat T overruns)"
ktap_check_eq "per CPU: 2 on CPU 1, 1 on CPU 2, none on 0 and 3" "2 1 0 0" \
	"$(qstat T overruns 1) $(qstat T overruns 2) $(qstat T overruns 0) $(qstat T overruns 3)"
ktap_check_eq "short items under their limit, and a queue without one, count none" \
	"0 0" "$(qstat S overruns) $(qstat N overruns)"
ktap_check_match "pools count them: the normal pool of CPU 1 has 2" \
	'"cpu":1,"highpri":false,[^}]*"overruns":2[,}]' "$(wqctl -j stats --cpu 1)"
ktap_check_match "status sums them" '"overruns":3[,}]' "$(wqctl -j status)"

log=$(reports T)
ktap_diag "$log"
ktap_check_eq "the log reports each long item once" 3 \
	"$(echo "$log" | grep -c .)"
ktap_check_eq "with handler, queue, CPU and limit" 3 \
	"$(echo "$log" | grep -cE "load_fn \[pcwq\] of queue T (has run for|ran) [0-9]+ ms on CPU [12] \(pid [0-9]+\), past the queue's 200 ms")"
# The run time so far, when reported: at least the limit, and well under
# the 600 ms of the items unless the timer came late.
short=$(echo "$log" | sed -nE 's/.* (has run for|ran) ([0-9]+) ms on CPU.*/\2/p' |
	awk '$1 < 200' | wc -l)
ktap_check_eq "every reported run time is at least 200 ms" 0 "$short"
ktap_check_eq "nor are they reported" "" "$(reports S)$(reports N)"

wait $monitor
events=$(cat /tmp/wto-events)
ktap_diag "$events"
ktap_check_eq "wqctl monitor received three overrun events" 3 \
	"$(echo "$events" | grep -cE '^\{"event":"overrun","queue":"T","func":"load_fn \[pcwq\]","run_ms":[0-9]+,"cpu":[12]\}$')"
ktap_check_eq "their run times are at least 200 ms" 0 \
	"$(echo "$events" | sed -n 's/.*"run_ms":\([0-9]*\).*/\1/p' | awk '$1 < 200' | wc -l)"

if [ -f $TR/events/pcwq/pcwq_overrun/enable ]; then
	echo 0 >$TR/events/pcwq/pcwq_overrun/enable
	ktap_check_eq "pcwq_overrun traced each" 3 \
		"$(grep -c 'pcwq_overrun: queue=T function=load_fn \[pcwq\] cpu=[12] run_ns=' $TR/trace)"
else
	ktap_skip "pcwq_overrun traced each" "no tracefs"
fi

# Off: no more reports.
ktap_check "queue set --work-timeout-ms 0" wqctl queue set T --work-timeout-ms 0
ktap_check_match "queue list shows 0" '"name":"T",[^}]*"work_timeout_ms":0,' \
	"$(wqctl -j queue list)"
dmesg_mark
wqctl load T --count 1 --cpu 1 --spin-us 600000 >/dev/null
wqctl flush T
ktap_check_eq "off: a long item is neither counted nor reported" "3/" \
	"$(qstat T overruns)/$(reports T)"

# Refusals change nothing: the limit, nor the other limits given with it.
ktap_check_fails "queue set refuses 3600001" \
	wqctl queue set T --rate 10 --work-timeout-ms 3600001
ktap_check_fails "queue add refuses 3600001" \
	wqctl queue add U --work-timeout-ms 3600001
list=$(wqctl -j queue list)
ktap_check_eq "nothing changed, no queue U" "0 1" \
	"$(echo "$list" | grep -c '"name":"U"') $(echo "$list" | grep -c '"name":"T",[^}]*"rate":0,[^}]*"work_timeout_ms":0,')"

# On again, at the largest value and then at 300 ms: the new limit applies
# to the items that start afterwards.
ktap_check "queue set takes 3600000" wqctl queue set T --work-timeout-ms 3600000
wqctl queue set T --work-timeout-ms 300
dmesg_mark
wqctl load T --count 1 --cpu 2 --sleep-ms 1000 >/dev/null
wqctl flush T
ktap_check_match "queue set on again: reported against 300 ms" \
	"of queue T (has run for|ran) [0-9]+ ms on CPU 2 \(pid [0-9]+\), past the queue's 300 ms" \
	"$(reports T)"

# Unload while an item is watched (its timer armed, firing during the
# unload) and after a watched item ended.
wqctl queue set T --work-timeout-ms 1500
wqctl load T --count 1 --cpu 1 --sleep-ms 2000 >/dev/null
wqctl load T --count 1 --cpu 2 --sleep-ms 100 >/dev/null
sleep 0.5
ktap_check "rmmod with a watched item running" rmmod pcwq
ktap_finish
