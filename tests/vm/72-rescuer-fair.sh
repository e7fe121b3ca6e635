#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# One rescuer, two starved pools (CPUs 1 and 2), 24 items of 100 ms on
# each: with rescuer_batch=4 the rescuer takes turns between the pools, so
# while both have items, neither runs ahead of the other by more than about
# a batch.  Times stretch by $SLOW (the debug kernel), so that the slower
# wqctl still takes a few snapshots while both pools have items.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 5
pcwq_unload
insmod $PCWQ_KO inject_worker_fail=1 rescuer_batch=4 || exit 1
wqctl queue add A --max-active 8
wqctl queue add R --rescuer
for cpu in 1 2; do
	wqctl load A --count 2 --cpu $cpu --sleep-ms $((10000 * SLOW)) >/dev/null
done
for cpu in 1 2; do
	wqctl load R --count 24 --cpu $cpu --sleep-ms $((100 * SLOW)) >/dev/null
done

# completed on CPUs 1 and 2 from one snapshot
per_cpu() {
	wqctl -j stats --queue R | sed 's/.*"cpus"://' | tr '{' '\n' |
		sed -n 's/^"cpu":\([12]\),.*"completed":\([0-9]*\).*/\1 \2/p' |
		awk '{ c[$1] = $2 } END { print c[1] + 0, c[2] + 0 }'
}

# While both pools still have items, the difference c1 - c2 moves within
# a window of about one batch: whichever pool was called first keeps its
# lead, but neither runs ahead.  Served one pool after the other, the
# second would not start before the first is done.
lo=99 hi=-99 n=0 snap="0 0"
end=$(($(now_cs) + 3000 * SLOW))
while [ "$(now_cs)" -lt "$end" ]; do
	snap=$(per_cpu)
	set -- $snap
	[ "$1" -ge 24 ] || [ "$2" -ge 24 ] && break
	if [ "$1" -gt 0 ] && [ "$2" -gt 0 ]; then
		d=$(($1 - $2))
		[ $d -lt $lo ] && lo=$d
		[ $d -gt $hi ] && hi=$d
		n=$((n + 1))
	fi
	sleep 0.2
done
wait_until $((30 * SLOW)) qstat_ge R completed 48
ktap_diag "$n snapshots with both pools served, c1 - c2 within [$lo, $hi], then '$snap'"
ktap_check_eq "all 48 rescued under pressure" 48 "$(qstat R rescued)"
ktap_check_eq "pools served in turns (window of c1 - c2 <= 8)" 1 \
	"$([ $n -ge 3 ] && [ $((hi - lo)) -le 8 ] && echo 1)"
ktap_check "worker creation works again" wqctl config set inject_worker_fail=0
wqctl flush A
wqctl flush R
ktap_check_eq "everything completed exactly once" "4 4 48 48" \
	"$(qstat A submitted) $(qstat A completed) $(qstat R submitted) $(qstat R completed)"
ktap_check "rmmod" rmmod pcwq
ktap_finish
