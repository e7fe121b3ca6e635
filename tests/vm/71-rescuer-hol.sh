#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Head of line in a rescue: on a starved pool (its one worker blocked,
# creation failing) a rescuer queue holds one item B that sleeps 6 s and 20
# short items behind it.  mayday_timeout_ms=2000 lets all 21 arrive before
# the rescuer is called.  Once B runs on the rescuer, worker creation works
# again.  With rescuer_mode=one the short items then finish on new workers
# while B still runs; with rescuer_mode=batch the rescuer took them all and
# they finish only after B.  Prints both latencies (from the end of the
# pressure to the last short item).  The sleeps stretch by $SLOW: on the
# debug kernel the wqctl calls between B's start and the last check take
# longer than 6 s.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 7
pcwq_unload

r_started() { # B runs: 20 of R's items left pending
	[ "$(qstat R pending)" -le 20 ] 2>/dev/null
}

# hol MODE: prints "completed inflight latency_cs" when the short items are
# done, or fails.
hol() {
	local t0 t1
	insmod $PCWQ_KO inject_worker_fail=1 rescuer_mode="$1" \
		mayday_timeout_ms=2000 || return 1
	wqctl queue add A
	wqctl queue add R --rescuer
	wqctl load A --count 1 --cpu 1 --sleep-ms $((12000 * SLOW)) >/dev/null
	wqctl load R --count 1 --cpu 1 --sleep-ms $((6000 * SLOW)) >/dev/null
	wqctl load R --count 20 --cpu 1 --spin-us 100 >/dev/null
	wait_until $((15 * SLOW)) r_started || return 1
	[ "$(qstat R completed)" = 0 ] || return 1
	t0=$(now_cs)
	wqctl config set inject_worker_fail=0
	wait_until $((30 * SLOW)) qstat_ge R completed 20 || return 1
	t1=$(now_cs)
	echo "$(qstat R completed) $(qstat R inflight) $((t1 - t0))"
}

# finish MODE RESCUED: everything ran exactly once, RESCUED of it on the
# rescuer; then unload.
finish() {
	wqctl flush R
	wqctl flush A
	ktap_check_eq "$1: all 21 ran once, $2 on the rescuer" "21 21 $2" \
		"$(qstat R submitted) $(qstat R completed) $(qstat R rescued)"
	ktap_check "$1: rmmod" rmmod pcwq
}

one=$(hol one)
ktap_check_match "one: short items done while the blocker runs" \
	'^20 1 [0-9]+$' "$one"
finish one 1

batch=$(hol batch)
ktap_check_match "batch: short items done only after the blocker" \
	'^21 0 [0-9]+$' "$batch"
finish batch 21

lat_one=${one##* } lat_batch=${batch##* }
ktap_diag "short items done after the pressure ended: one ${lat_one}0 ms, batch ${lat_batch}0 ms"
if [ -n "$lat_one" ] && [ -n "$lat_batch" ] &&
	[ "$lat_one" -lt "$lat_batch" ] 2>/dev/null; then
	ktap_ok "one-by-one beats batch on head-of-line latency"
else
	ktap_fail "one-by-one beats batch on head-of-line latency" \
		"one '$one', batch '$batch'"
fi
ktap_finish
