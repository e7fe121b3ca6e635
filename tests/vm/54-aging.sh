#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Priorities and aging.  A high-priority item starts before a backlog of
# normal items on the same CPU.  Items of a queue with a maximum wait that
# waited past it are served before a backlog queued ahead of them, and
# raise their pool's workers to nice -20 until they start; a queue without
# one waits its turn.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 14
pcwq_unload
# Worker creation fails: each pool keeps the one worker it started with,
# so a backlog of CPU-bound items is worked off one by one, in order.
insmod $PCWQ_KO inject_worker_fail=1 || exit 1
wqctl queue add bulk || exit 1
wqctl queue add hi --highpri
wqctl queue add old --max-wait-ms 100
wqctl queue add plain

# backlog: queue 100 items of 20 ms on CPU 2 (2 s of work) and remember how
# many of bulk's items had completed before.
backlog() {
	base=$(qstat bulk completed)
	wqctl load bulk --count 100 --cpu 2 --spin-us 20000 >/dev/null
}

# ran: bulk's items completed since the last backlog.
ran() {
	echo $(($(qstat bulk completed) - base))
}

# waited NAME: the longest wait of queue NAME's items, in microseconds.
waited() {
	wqctl -j stats --queue "$1" | sed 's/.*"queues"://' | grep -o '"wait_us":{[^}]*}' | head -n 1 |
		sed -n 's/.*"max":\([0-9]*\).*/\1/p'
}

backlog
wqctl load hi --count 1 --cpu 2 >/dev/null
wqctl flush hi
wqctl flush bulk
ktap_check "a high-priority item starts before the backlog (waited $(waited hi) us, the backlog $(waited bulk) us)" \
	test $(($(waited hi) * 4)) -lt "$(waited bulk)"

# FIFO without a maximum wait: items behind the backlog wait for it.
backlog
wqctl load plain --count 3 --cpu 2 --spin-us 1000 >/dev/null
wqctl flush plain
n=$(ran)
ktap_check "without max_wait items wait for the backlog ($n of 100 ran)" \
	test "$n" -ge 98
ktap_check_eq "none aged" 0 "$(qstat plain aged)"
wqctl flush bulk

# With one they go first once they waited 100 ms.
backlog
wqctl load old --count 3 --cpu 2 --spin-us 1000 >/dev/null
wqctl flush old
n=$(ran)
wqctl flush bulk
ktap_check "with max_wait 100 ms they overtake the backlog ($n of 100 ran, waited $(waited old) us)" \
	test $(($(waited old) * 4)) -lt "$(waited bulk)"
ktap_check_eq "3 aged" 3 "$(qstat old aged)"
ktap_check_eq "the backlog did not age" 0 "$(qstat bulk aged)"
ktap_check_eq "the backlog ran in full" 300 "$(qstat bulk completed)"

# While an expired item waits on a normal pool, the pool's workers run at
# nice -20, so that high-priority work on the CPU cannot keep them off it;
# back at 0 once it started.  Here every worker of CPU 2's normal pool
# sleeps in an item for 15 s (times SLOW: 45 s on the debug kernel) and none
# can be made, so the expired item waits that long (a slow VM under a loaded
# host has taken several seconds for the few wqctl calls below, and the
# debug kernel beside two other VMs more than 15 s).
# worker_stats: the nice value of each of CPU 2's normal workers.
worker_stats() {
	for p in /proc/[0-9]*; do
		case $(cat "$p/comm" 2>/dev/null) in
		pcwq/2:*H) ;;
		pcwq/2:*) cut -d' ' -f19 "$p/stat" ;;
		esac
	done
}
nices() {
	worker_stats | sort -u | tr '\n' ' '
}
workers=$(worker_stats | wc -l)
start=$(now_cs)
wqctl load bulk --count "$workers" --cpu 2 --sleep-ms $((15000 * SLOW)) >/dev/null
ktap_check_eq "normal workers start at nice 0" "0 " "$(nices)"
wqctl load old --count 1 --cpu 2 --spin-us 1000 >/dev/null
aged_is() {
	[ "$(qstat old aged)" = "$1" ]
}
wait_until 10 aged_is 4
ktap_check_eq "an expired item raises them to nice -20 ($workers workers, $(($(now_cs) - start)) cs after they began to sleep)" \
	"-20 " "$(nices)"
wqctl flush old
ktap_check_eq "back at nice 0 once it started" "0 " "$(nices)"
ktap_check_eq "4 aged in all" 4 "$(qstat old aged)"
wqctl flush bulk

wqctl queue set old --max-wait-ms 0
ktap_check_match "max_wait_ms can be switched off" '"max_wait_ms":0' \
	"$(wqctl -j queue list | grep -o '"name":"old"[^}]*')"
ktap_check_eq "nothing lost" 4 "$(qstat old completed)"
ktap_check_eq "nothing lost without max_wait" 3 "$(qstat plain completed)"

wqctl queue del bulk
wqctl queue del hi
wqctl queue del old
wqctl queue del plain
rmmod pcwq
ktap_finish
