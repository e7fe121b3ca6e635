#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A tiny run of the benchmark module (make bench), so that it cannot rot:
# every figure is produced for every implementation and well formed.  No
# timing is judged: only that the numbers are there, and the two facts
# that do not depend on time: pcwq's blocking item ran on the rescuer in
# both modes, and in batch mode the rescuer ran every short item too.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 9
pcwq_unload
insmod $PCWQ_KO || exit 1
dmesg_mark
ktap_check "pcwq_bench runs every figure" insmod /pcwq/pcwq_bench.ko \
	reps=1 items=300 samples=20 hol_block_ms=300 hol_shorts=4 mem_queues=4
rmmod pcwq_bench
out=$(dmesg_since | sed -n 's/^\[[ 0-9.]*\] pcwq_bench: //p')
echo "$out" | sed 's/^/# BENCH /'
nr() { # count of lines matching $1
	echo "$out" | grep -cE "$1"
}
i='impl=(pcwq|cmwq|cmwq_unbound)'
ktap_check_eq "tput: a line per implementation" 3 \
	"$(nr "^R fig=tput $i cpus=[0-9]+ rep=0 items=[0-9]+ ns=[0-9]+ items_per_sec=[1-9][0-9]* submit_p50_ns=[0-9]+ submit_p90_ns=[0-9]+ submit_p95_ns=[0-9]+$")"
ktap_check_eq "lat: implementation x same/cross x idle/load" 12 \
	"$(nr "^R fig=lat $i where=(same|cross) load=(idle|load) rep=0 samples=20 p50_ns=[0-9]+ p90_ns=[0-9]+ p99_ns=[0-9]+ max_ns=[0-9]+$")"
hol="blockers=[0-9]+ block_ms=300 shorts=4 b_on_rescuer=[01] shorts_on_rescuer=[0-9]+ rescued=[0-9]+ hol_ns=[0-9]+$"
ktap_check_eq "hol: pcwq one, pcwq batch, cmwq" 3 \
	"$(nr "^R fig=hol impl=(pcwq mode=one|pcwq mode=batch|cmwq mode=kernel) rep=0 $hol")"
ktap_check_eq "hol: pcwq's blocking item ran on its rescuer in both modes" 2 \
	"$(nr '^R fig=hol impl=pcwq .* b_on_rescuer=1 ')"
ktap_check_eq "hol: batch mode rescued the short items too" 1 \
	"$(nr '^R fig=hol impl=pcwq mode=batch .* shorts_on_rescuer=4 rescued=5 ')"
ktap_check_eq "mem: five kinds of queue" 5 \
	"$(nr "^R fig=mem $i reclaim=[01] queues=4 bytes_per_queue=-?[0-9]+ threads_per_queue_x100=-?[0-9]+$")"
ktap_check_eq "mem: item and pool sizes" 2 \
	"$(nr '^R fig=size impl=(pcwq work=[0-9]+ delayable=[0-9]+ queue=[0-9]+ per_cpu_queue=[0-9]+ pool=[0-9]+ worker=[0-9]+|cmwq work=[0-9]+ delayable=[0-9]+)$')"
if echo "$out" | grep -qx done && rmmod pcwq; then
	ktap_ok "the module said done and pcwq unloads"
else
	ktap_fail "the module said done and pcwq unloads" "no 'done', or rmmod failed"
fi
ktap_finish
