#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# One rescuer, two starved pools (CPUs 1 and 2), 24 items of 100 ms on
# each: with rescuer_batch=4 the rescuer takes turns between the pools, so
# their completed counts never drift apart by more than two batches.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 5
pcwq_unload
insmod $PCWQ_KO inject_worker_fail=1 rescuer_batch=4 || exit 1
wqctl queue add A --max-active 8
wqctl queue add R --rescuer
for cpu in 1 2; do
	wqctl load A --count 2 --cpu $cpu --sleep-ms 10000 >/dev/null
done
for cpu in 1 2; do
	wqctl load R --count 24 --cpu $cpu --sleep-ms 100 >/dev/null
done

# completed on CPUs 1 and 2 from one snapshot
per_cpu() {
	wqctl -j stats --queue R | sed 's/.*"cpus"://' | tr '{' '\n' |
		sed -n 's/^"cpu":\([12]\),.*"completed":\([0-9]*\).*/\1 \2/p' |
		awk '{ c[$1] = $2 } END { print c[1] + 0, c[2] + 0 }'
}

maxdiff=0 n=0 snap="0 0"
end=$(($(now_cs) + 3000))
while [ "$(now_cs)" -lt "$end" ]; do
	snap=$(per_cpu)
	set -- $snap
	d=$(($1 - $2))
	[ $d -lt 0 ] && d=$((-d))
	[ $d -gt $maxdiff ] && maxdiff=$d
	n=$((n + 1))
	[ $(($1 + $2)) -ge 48 ] && break
	sleep 0.2
done
ktap_diag "$n snapshots, largest difference $maxdiff, last '$snap'"
ktap_check_eq "all 48 rescued under pressure" 48 "$(qstat R rescued)"
ktap_check_eq "pools served in turns (difference <= 8)" 1 \
	"$([ $maxdiff -le 8 ] && [ $n -ge 5 ] && echo 1)"
ktap_check "worker creation works again" wqctl config set inject_worker_fail=0
wqctl flush A
wqctl flush R
ktap_check_eq "everything completed exactly once" "4 4 48 48" \
	"$(qstat A submitted) $(qstat A completed) $(qstat R submitted) $(qstat R completed)"
ktap_check "rmmod" rmmod pcwq
ktap_finish
