#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load averages of pending lengths.  With inject_worker_fail=1 a fresh pool
# on CPU 1 has one worker: an item of queue B that sleeps 18 s blocks it,
# and the 10 items of queue A queued behind it wait on the worklist, so the
# pool and A both have a pending length of 10; queue D holds 5 items
# delayed by a minute.  After 12.5 s of that, sampled once a second,
# avg10 = 10 * (1 - exp(-12 s / 10 s)), about 7 (D: 3.5), avg1 about 1.8,
# avg5 about 0.4 and avg15 about 0.1; the pool of CPU 0, the high-priority
# pool of CPU 1 and an unused queue stay at 0.  Once the blocker returns and
# A's items run, avg10 decays: 6 s later to about exp(-0.6) = 55% of what
# it was.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh
. /tests/lib/stall.sh

# after TEXT STRING: what follows the first STRING in TEXT.
after() {
	printf '%s\n' "$1" | awk -v s="$2" '{ i = index($0, s); if (i) print substr($0, i + length(s)) }'
}

# load_of TEXT: the first "load":{...} of TEXT as "avg10 avg1 avg5 avg15",
# in thousandths of an item.
load_of() {
	printf '%s\n' "$1" | awk '{
		i = index($0, "\"load\":{")
		if (!i)
			exit 1
		s = substr($0, i + 8)
		n = split(substr(s, 1, index(s, "}") - 1), kv, ",")
		for (j = 1; j <= n; j++) {
			split(kv[j], p, ":")
			gsub(/"/, "", p[1])
			v[p[1]] = int(p[2] * 1000 + 0.5)
		}
		printf "%d %d %d %d\n", v["avg10"], v["avg1"], v["avg5"], v["avg15"]
	}'
}

# pool_json CPU false|true: the stats of a pool and what follows them.
pool_json() {
	after "$(wqctl -j stats --cpu "$1")" "{\"cpu\":$1,\"highpri\":$2,"
}

# queue_json NAME: the stats of a queue.
queue_json() {
	after "$(wqctl -j stats --queue "$1")" '"queues":'
}

past() { # CS: now_cs has reached CS
	[ "$(now_cs)" -ge "$1" ]
}

# avg10 TEXT: the first load average over 10 s in TEXT (0 if none).
avg10() {
	set -- $(load_of "$1") 0
	echo "$1"
}

# check_rising WHAT "AVG10 AVG1 AVG5 AVG15" LEN: the averages of a length
# LEN (in thousandths) 12.5 s old.
check_rising() {
	local what=$1 len=$3
	set -- $2 0 0 0 0	# zeros if missing
	if [ "$1" -gt $((len * 6 / 10)) ] && [ "$1" -le "$len" ]; then
		ktap_ok "$what: avg10 rises above 60% of the length ($1)"
	else
		ktap_fail "$what: avg10 rises above 60% of the length" \
			"avg10 $1 not in ($((len * 6 / 10)), $len]"
	fi
	if [ "$2" -gt 0 ] && [ "$2" -lt "$1" ]; then
		ktap_ok "$what: avg1 is above 0 and below avg10 ($2)"
	else
		ktap_fail "$what: avg1 is above 0 and below avg10" "avg1 $2, avg10 $1"
	fi
	if [ "$4" -gt 0 ] && [ "$4" -le "$3" ] && [ "$3" -le "$2" ]; then
		ktap_ok "$what: 0 < avg15 <= avg5 <= avg1 ($4 $3 $2)"
	else
		ktap_fail "$what: 0 < avg15 <= avg5 <= avg1" "$4 $3 $2"
	fi
}

# check_decay WHAT BEFORE AFTER: avg10 6 s after the length fell to 0
# is below 75% of what it was then.
check_decay() {
	if [ "$2" -gt 0 ] && [ $(($3 * 4)) -lt $(($2 * 3)) ]; then
		ktap_ok "$1: avg10 decays once the backlog is gone ($2 -> $3)"
	else
		ktap_fail "$1: avg10 decays once the backlog is gone" "$2 -> $3"
	fi
}

ktap_plan 15
pcwq_unload
insmod $PCWQ_KO inject_worker_fail=1 watchdog_thresh=0 || exit 1
for q in A B D I; do
	wqctl queue add $q || exit 1
done
wqctl load B --count 1 --cpu 1 --sleep-ms 18000 >/dev/null
wait_until 10 qstat_started B || ktap_diag "the blocker did not start"
wqctl load A --count 10 --cpu 1 >/dev/null
wqctl load D --count 5 --cpu 2 --delay-ms 60000 >/dev/null
t0=$(now_cs)

wait_until 30 past $((t0 + 1250))
pool=$(pool_json 1 false)
ktap_check_eq "the backlog still waits: pool and queue lengths" "10 10" \
	"$(printf '%s\n' "$pool" | sed -n 's/^[^}]*"pending":\([0-9]*\).*/\1/p') $(qstat A pending)"
check_rising "pool 1" "$(load_of "$pool")" 10000
check_rising "queue A" "$(load_of "$(queue_json A)")" 10000
d=$(avg10 "$(queue_json D)")
if [ "$d" -gt 3000 ] && [ "$d" -le 5000 ]; then
	ktap_ok "delayed items count: queue D avg10 above 60% of 5 ($d)"
else
	ktap_fail "delayed items count: queue D avg10 above 60% of 5" "avg10 $d"
fi
ktap_check_eq "the pool of CPU 0 stays at 0" "0 0 0 0" \
	"$(load_of "$(pool_json 0 false)")"
ktap_check_eq "the high-priority pool of CPU 1 stays at 0" "0 0 0 0" \
	"$(load_of "$(pool_json 1 true)")"
ktap_check_eq "the unused queue stays at 0" "0 0 0 0" \
	"$(load_of "$(queue_json I)")"

# The blocker returns; A's items run at once.
wait_until 30 qstat_ge A completed 10 || ktap_diag "A did not complete"
pool_before=$(avg10 "$(pool_json 1 false)")
queue_before=$(avg10 "$(queue_json A)")
sleep 6
check_decay "pool 1" "$pool_before" "$(avg10 "$(pool_json 1 false)")"
check_decay "queue A" "$queue_before" "$(avg10 "$(queue_json A)")"

ktap_check "queue del cancels the delayed items" wqctl queue del D
for q in A B I; do
	wqctl queue del $q
done
ktap_check "rmmod stops the sampler" rmmod pcwq
ktap_finish
