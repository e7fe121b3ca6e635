#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The long stress of the debug kernel (K=debug): for 60 s the random
# operations of pcwq_stress.ko on a rescuer queue whose items sometimes
# block for 20 ms, while CPUs 1-3 go offline and online, and beside it for
# the first 30 s pcwq_nlfuzz sending malformed requests, for the last 30 s
# user queues created, loaded and destroyed over netlink (not together: the
# fuzzer checks that the queues it saw do not change); then pcwq is
# unloaded with thousands
# of items pending on user queues while a CPU goes offline.  pcwq_stress
# checks that no item ran twice at once and that every queued instance ran
# or was cancelled exactly once; the harness fails the run on any KASAN,
# lockdep, UBSAN, DEBUG_OBJECTS or kmemleak report (vm-test.sh).
#
# On the other kernels it is skipped: 40-stress, 73-rescuer-stress,
# 25-nlfuzz and 90-unload run the same parts there, shorter and apart.
# timeout: 140
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

if [ "${pcwq_kernel:-}" != debug ]; then
	ktap_plan 1
	ktap_skip "debug stress" "runs on the debug kernel only"
	ktap_finish
fi
ktap_plan 9
pcwq_unload
insmod "$PCWQ_KO" || exit 1
dmesg_mark
insmod /pcwq/pcwq_stress.ko seconds=60 reclaim=1 block_ms=20 || exit 1
rm -f /tmp/ds-fuzz.res /tmp/ds-churn.res
half=$(($(now_cs) + 3000))
end=$((half + 3000))

# Beside it: the fuzzer, run after run, as root (only malformed requests,
# which must all be refused, and valid reads).
(
	runs=0 bad=0
	while [ "$(now_cs)" -lt $half ]; do
		pcwq_nlfuzz --count 1500 >/tmp/ds-fuzz 2>&1 || {
			bad=$((bad + 1))
			tail -n 3 /tmp/ds-fuzz
		}
		runs=$((runs + 1))
	done
	echo "$runs $bad" >/tmp/ds-fuzz.res
) &
fuzz=$!

# Then queues made, loaded and deleted with their items pending (on the
# CPU wqctl runs on: a named one may be offline).
(
	n=0 bad=0
	until [ -f /tmp/ds-fuzz.res ]; do
		sleep 1
	done
	while [ "$(now_cs)" -lt $end ]; do
		n=$((n + 1))
		q=churn$((n % 3))
		{ wqctl queue add $q --rescuer --max-active 8 &&
			wqctl load $q --count 300 --spin-us 50 &&
			wqctl load $q --count 20 --sleep-ms 5 --delay-ms 10 &&
			wqctl queue del $q; } >/tmp/ds-churn 2>&1 || {
			bad=$((bad + 1))
			tail -n 2 /tmp/ds-churn
			wqctl queue del $q 2>/dev/null
		}
	done
	echo "$n $bad" >/tmp/ds-churn.res
) &
churn=$!

cycles=0
while [ "$(now_cs)" -lt $end ]; do
	hotplug_round
done
wait $fuzz $churn
out=$(stress_report)
echo "$out"
ktap_diag "$cycles CPU offline/online cycles during the run"

ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ ')
if [ "$ran" -eq 5 ] && ! echo "$out" | grep -q '^not ok'; then
	ktap_ok "pcwq_stress: no overlap, every instance ran or was cancelled once"
else
	ktap_fail "pcwq_stress: no overlap, every instance ran or was cancelled once" \
		"$ran of 5 cases reported"
fi
ktap_check "pcwq_stress unloads" rmmod pcwq_stress
if [ "$cycles" -gt 0 ]; then
	ktap_ok "CPUs went offline and online ($cycles cycles)"
else
	ktap_fail "CPUs went offline and online" "no CPU could go offline"
fi
# beside NAME FILE WHAT: the loop beside the stress wrote "RUNS FAILED" to
# FILE; it ran and nothing failed.
beside() {
	read -r runs bad <"$2"
	ktap_diag "$3: $runs runs"
	if [ "$runs" -gt 0 ] && [ "$bad" = 0 ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "$bad of $runs runs failed"
	fi
}
beside "every fuzzer run beside the stress found no failure" \
	/tmp/ds-fuzz.res pcwq_nlfuzz
beside "every queue made, loaded and deleted under the stress" \
	/tmp/ds-churn.res "queue churn"

# rmmod with items pending, while CPU 3 goes offline.
for q in U1 U2 U3 U4; do
	wqctl queue add $q --max-active 2
	wqctl load $q --count 1000 --sleep-ms 2 >/dev/null
	wqctl load $q --count 100 --delay-ms 5000 >/dev/null
done
echo 0 >/sys/devices/system/cpu/cpu3/online &
ktap_check "rmmod pcwq with 4400 items pending" rmmod pcwq
wait
echo 1 >/sys/devices/system/cpu/cpu3/online
offline=
for c in 1 2 3; do
	[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] || offline="$offline $c"
done
ktap_check_eq "every CPU back online" "" "$offline"
ktap_check "pcwq loads again" insmod "$PCWQ_KO"
ktap_check "and unloads" rmmod pcwq
ktap_finish
