# SPDX-License-Identifier: GPL-2.0
# A stall made on purpose; source after pcwq.sh.  With inject_worker_fail=1
# a fresh pool on CPU 1 has one worker: stall_begin blocks it with an item
# of queue A that sleeps SLEEP_MS, then queues one more item behind it, which
# nothing can run: from then on the pool makes no progress.  It prints the
# time (now_cs) just before the second item was queued: the stall began a
# little later.
stall_begin() { # SLEEP_MS
	local t
	wqctl queue add A >/dev/null
	wqctl load A --count 1 --cpu 1 --sleep-ms "$1" >/dev/null
	wait_until 10 qstat_started A || return 1
	t=$(now_cs)
	wqctl load A --count 1 --cpu 1 >/dev/null
	echo "$t"
}

# qstat_started NAME: an item of NAME runs (none waits).
qstat_started() {
	[ "$(qstat "$1" pending)" = 0 ] && [ "$(qstat "$1" inflight)" -ge 1 ]
}

# stall_panic_time THRESH: the body of the panic_on_stall_time tests: a
# stall with watchdog_thresh=THRESH and panic_on_stall_time=3, and two
# marks, just before and just after the stall began, that the harness
# measures the panic's delay from.
stall_panic_time() {
	insmod $PCWQ_KO inject_worker_fail=1 watchdog_thresh="$1" \
		panic_on_stall_time=3 || exit 1
	t=$(stall_begin 60000) || exit 1
	printf 'PCWQ-MARK %d.%02d\n' $((t / 100)) $((t % 100))
	echo "PCWQ-MARK $(cut -d' ' -f1 /proc/uptime)"
	echo "PCWQ-PANIC-ARMED"
	sleep 30
}
