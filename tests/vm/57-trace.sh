#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The pcwq trace events, read through tracefs (perf and bpftrace are not in
# the initramfs: tracefs is what proves the events).  All seven are listed
# with their formats.  40 items of a queue with max_active 1 are each
# traced once when queued, activated (all but the first when the item
# before them ended), started and ended, with their queue, handler and CPU,
# and run times that add up to their sleeps and to the time between start
# and end.  Then, under memory pressure made with inject_worker_fail, a
# starved pool's maydays and its rescuer's runs are traced as often as the
# counters count them, and the watchdog's stall report on that pool is
# traced too.  The events leave with the module.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

TR=/sys/kernel/tracing
EVENTS="pcwq_activate pcwq_execute_end pcwq_execute_start pcwq_mayday
pcwq_queue pcwq_rescue pcwq_stall"

ktap_plan 15
pcwq_unload
# /init mounts tracefs; mount it here if it did not.
[ -f $TR/trace ] || mount -t tracefs nodev $TR
ktap_check "tracefs is mounted" test -f $TR/trace

# One worker per pool and a watchdog that reports after 1 s.
insmod "$PCWQ_KO" inject_worker_fail=1 watchdog_thresh=1 || exit 1
listed=$(for e in $EVENTS; do
	[ -f "$TR/events/pcwq/$e/format" ] && echo "$e"
done)
ktap_check_eq "events/pcwq/ has the seven events with their formats" \
	"$(echo "$EVENTS" | tr ' ' '\n')" "$listed"

# fields EVENT: the fields of EVENT's format, but the common ones.
fields() {
	sed -n 's/^[[:space:]]*field:\([^;]*\);.*/\1/p' "$TR/events/pcwq/$1/format" |
		grep -v ' common_' | tr '\n' ',' | sed 's/,$//'
}
ktap_check_eq "the formats describe the fields" \
	"void * work,void * function,__data_loc char[] queue,int req_cpu,int cpu/const void * work,void * function,int cpu,u64 runtime_ns" \
	"$(fields pcwq_queue)/$(fields pcwq_execute_end)"

# The mono clock is the one of runtime_ns, and orders events of different
# CPUs.
echo mono >$TR/trace_clock
echo >$TR/trace
echo 1 >$TR/events/pcwq/enable
ktap_check_eq "the events are enabled" 1 "$(cat $TR/events/pcwq/enable)"

# 40 items of 10 ms, one at a time, on CPU 2.  They sleep: a spin is
# udelay(), which trusts the CPU's loops_per_jiffy, and under TCG the
# secondary CPUs calibrate it badly (up to six times too small on 6.12-rt).
# Under TCG jiffies also lag now and then, and a sleep that ends on a jiffy
# may be short by that much: the run times are judged in sum.
wqctl queue add T --max-active 1
wqctl load T --count 40 --cpu 2 --sleep-ms 10 >/dev/null
wqctl flush T
cat $TR/trace >/tmp/trace1

ktap_check_eq "pcwq_queue: each item once, its handler, queue and CPUs" 40 \
	"$(grep -c 'pcwq_queue: work=[^ ]* function=load_fn \[pcwq\] queue=T req_cpu=2 cpu=2$' /tmp/trace1)"
ktap_check_eq "pcwq_activate: each once, 39 when the item before ended" \
	"40 39" "$(awk '/pcwq_execute_start:/ { s = 1 }
		/pcwq_activate: work=[^ ]* cpu=2$/ { n++; if (s) w++ }
		END { print n + 0, w + 0 }' /tmp/trace1)"
ktap_check_eq "pcwq_execute_start: as many as completed, handler and queue" \
	"40 $(qstat T completed)" \
	"$(grep -c 'pcwq_execute_start: work=[^ ]* function=load_fn \[pcwq\] cpu=2 queue=T$' /tmp/trace1) 40"
# Run times (ms) as runtime_ns says and as the timestamps of the start and
# end events say.
times=$(awk 'function stamp(i) {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/)
				return substr($i, 1, length($i) - 1)
	}
	/pcwq_execute_start: .* queue=T$/ { t = stamp() }
	/pcwq_execute_end: .* function=load_fn \[pcwq\] cpu=2 / {
		n++; split($NF, r, "="); run += r[2] / 1e6
		between += (stamp() - t) * 1e3 }
	END { printf "%d %d %d", n, run, between }' /tmp/trace1)
ktap_diag "execute_end events, their runtime_ns, the time between the events: $times (ms)"
ktap_check_eq "pcwq_execute_end: 40, run time no shorter than 40 sleeps of 10 ms" \
	"40 1" "$(echo "$times" | awk '{ print $1, ($2 >= 400) }')"
ktap_check_eq "runtime_ns adds up to the time between start and end, to 10 %" 1 \
	"$(echo "$times" | awk '{ print ($2 >= 0.9 * $3 && $2 <= 1.1 * $3) }')"
# max_active 1: start and end alternate, each end of the item started.
ktap_check_eq "each execute_end follows the execute_start of its item" 0 \
	"$(awk '/pcwq_execute_start:/ { if (w != "") bad++; w = $0
			sub(/.*work=/, "", w); sub(/ .*/, "", w) }
		/pcwq_execute_end:/ { e = $0; sub(/.*work=/, "", e)
			sub(/ .*/, "", e); if (e != w) bad++; w = "" }
		END { print bad + 0 }' /tmp/trace1)"

# CPU 1's one worker sleeps in an item of A, two more wait behind it; the
# rescuer of R runs R's items, and afterwards A's wait long enough for a
# stall report.
wqctl queue add A --max-active 8
wqctl queue add R --rescuer
echo >$TR/trace
wqctl load A --count 3 --cpu 1 --sleep-ms 3000 >/dev/null
wqctl load R --count 10 --cpu 1 --spin-us 100 >/dev/null
wait_until 20 qstat_ge R completed 10
wait_until 10 grep -q 'pcwq_stall:' $TR/trace
cat $TR/trace >/tmp/trace2
wqctl config set inject_worker_fail=0
wqctl flush A

ktap_check_eq "pcwq_mayday: as many as the mayday counter, at least one" \
	"$(qstat R mayday) 1" \
	"$(grep -c 'pcwq_mayday: queue=R cpu=1$' /tmp/trace2) $(qstat_ge R mayday 1 && echo 1)"
ktap_check_eq "pcwq_rescue: as many as rescued, handler and queue" \
	"10 $(qstat R rescued)" \
	"$(grep -c 'pcwq_rescue: queue=R work=[^ ]* function=load_fn \[pcwq\] cpu=1$' /tmp/trace2) 10"
ktap_check_eq "the rescuer thread started those items" 10 \
	"$(grep -c ' pcwq_r/R-[0-9]* .*pcwq_execute_start: .* cpu=1 queue=R$' /tmp/trace2)"
stall=$(grep -m 1 'pcwq_stall:' /tmp/trace2 | sed 's/.*pcwq_stall: //')
ktap_diag "$stall"
ktap_check_eq "pcwq_stall: CPU 1's normal pool, 1 s or more, items waiting" 1 \
	"$(echo "$stall" | awk -F '[= ]' '$2 == 1 && $4 == 0 &&
		$6 >= 1000 && $8 >= 1 { print 1 }')"

# One of each, as tracefs prints them.
for e in $EVENTS; do
	grep -h -m 1 " $e: " /tmp/trace1 /tmp/trace2 | head -n 1
done | sed 's/^ *//' | while read -r line; do ktap_diag "$line"; done

echo 0 >$TR/events/pcwq/enable
echo local >$TR/trace_clock
rmmod pcwq
ktap_check_fails "the events leave tracefs with the module" \
	test -d $TR/events/pcwq
ktap_finish
