# SPDX-License-Identifier: GPL-2.0
# A stall made on purpose; source after pcwq.sh.  With inject_worker_fail=1
# a fresh pool on CPU 1 has one worker: stall_begin blocks it with an item
# of queue A that sleeps SLEEP_MS, then queues one more item behind it, which
# nothing can run: from then on the pool makes no progress.  It prints the
# time (now_cs) when the second item was queued.
stall_begin() { # SLEEP_MS
	wqctl queue add A >/dev/null
	wqctl load A --count 1 --cpu 1 --sleep-ms "$1" >/dev/null
	wait_until 10 qstat_started A || return 1
	wqctl load A --count 1 --cpu 1 >/dev/null
	now_cs
}

# qstat_started NAME: an item of NAME runs (none waits).
qstat_started() {
	[ "$(qstat "$1" pending)" = 0 ] && [ "$(qstat "$1" inflight)" -ge 1 ]
}
