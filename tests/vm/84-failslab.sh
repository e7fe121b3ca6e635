#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection (kernels with failslab, the debug kernel): a quarter of
# the slab and page allocations made from pcwq's code fail -- the
# stack-trace filter of failslab and fail_page_alloc, require-start/end
# around pcwq's text -- while queues are created and destroyed over
# netlink, items are submitted (wqctl load allocates them in pcwq),
# statistics are dumped and workers are created for sleeping items.  Then
# pcwq is loaded again and again with a share of the allocations made from
# any module's code failing (pcwq is the only module running then), which
# covers the module's set-up: pools, workers, the system queue, the netlink
# family.  The module loader's own allocations are not failed: the kernel
# prints a warning with a stack trace for those (vmalloc), which is not
# about pcwq.
#
# Every failure must be a clean error: wqctl exits 0 or 1 (1 with the
# kernel's message), never 2 and never by a signal; a queue that queue add
# reported created exists and one it reported failed does not; queue del
# that failed changed nothing; every accepted item runs once (submitted =
# completed after flush); a failed insmod leaves no module behind and the
# next one works.  vm-test.sh judges the kernel log and the kmemleak scan
# at the end of the suite.  Skipped where the kernel has no failslab.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
if [ ! -d $FS ] || [ ! -f $FS/require-start ]; then
	ktap_plan 1
	ktap_skip "failslab" "kernel without failslab and its stack filter"
	ktap_finish
fi
ktap_plan 14
pcwq_unload
insmod "$PCWQ_KO" || exit 1

# pcwq's text: its lowest text symbol to 16 KiB past its highest (no
# function of pcwq is that long).  Module addresses on x86-64 all start
# with 0xffffffff, so the sums are done on the low 32 bits.
text=$(grep -E '^[0-9a-f]+ [tT] .*\[pcwq\]$' /proc/kallsyms | cut -d' ' -f1 |
	sort)
lo=$(echo "$text" | head -n 1)
hi=$(echo "$text" | tail -n 1)
case $lo$hi in
ffffffff*ffffffff*) ;;
*)
	ktap_fail "pcwq's text found" "got '$lo'..'$hi'"
	ktap_finish
	;;
esac
start=0x$lo
end=$(printf '0xffffffff%08x' $((0x${hi#ffffffff} + 0x4000)))
ktap_diag "failing allocations from $start to $end"

# inject PROB [FROM TO]: fail PROB % of the allocations made with code
# between FROM and TO on the stack (default pcwq's text); PROB 0 stops it.
inject() {
	for d in $FS $FP; do
		[ -d $d ] || continue
		echo 0 >$d/probability
		echo N >$d/ignore-gfp-wait
		[ -f $d/ignore-gfp-highmem ] && echo N >$d/ignore-gfp-highmem
		[ -f $d/min-order ] && echo 0 >$d/min-order
		echo N >$d/task-filter
		echo 1 >$d/interval
		echo 1000000 >$d/times
		echo 1 >$d/verbose
		echo "${2:-$start}" >$d/require-start
		echo "${3:-$end}" >$d/require-end
		echo "$1" >$d/probability
	done
}

# injected: the failures failslab forced since inject() set times.
injected() {
	echo $((1000000 - $(cat $FS/times)))
}

# run CMD...: run a wqctl command under injection; its exit code must be 0
# or 1 (else it is noted in $bad).  Returns that code.
bad=
run() {
	"$@" >/tmp/fs-out 2>&1
	rc=$?
	case $rc in
	0 | 1) ;;
	*) bad="$bad '$*' exited $rc: $(head -n 1 /tmp/fs-out);" ;;
	esac
	return $rc
}

inject 25
made= failed= deleted= kept=
i=0
while [ $i -lt 16 ]; do
	i=$((i + 1))
	flags=
	[ $((i % 2)) = 1 ] && flags=--rescuer
	if run wqctl queue add F$i $flags --max-active 4; then
		made="$made F$i"
	else
		failed="$failed F$i"
	fi
done
for q in $made; do
	c=${q#F}
	run wqctl load $q --count 40 --cpu $((c % 4)) --spin-us 100
	run wqctl load $q --count 4 --cpu $(((c + 1) % 4)) --sleep-ms 50
	run wqctl -j stats
	run wqctl queue list
done
# Delete half of them while allocations still fail.
for q in $made; do
	c=${q#F}
	[ $((c % 4)) -lt 2 ] || continue
	if run wqctl queue del $q; then
		deleted="$deleted $q"
	fi
done
n=$(injected)
inject 0
ktap_diag "created:$made; refused:$failed; deleted:$deleted"

ktap_check_eq "every command under injection exited 0 or 1" "" "$bad"
if [ "$n" -gt 0 ]; then
	ktap_ok "failslab failed allocations of pcwq ($n)"
else
	ktap_fail "failslab failed allocations of pcwq" "none failed: filter wrong?"
fi

list=$(wqctl -j queue list)
missing= extra=
for q in $made; do
	case " $deleted " in
	*" $q "*)
		echo "$list" | grep -q "\"name\":\"$q\"" && extra="$extra $q"
		;;
	*)
		echo "$list" | grep -q "\"name\":\"$q\"" || missing="$missing $q"
		kept="$kept $q"
		;;
	esac
done
for q in $failed; do
	echo "$list" | grep -q "\"name\":\"$q\"" && extra="$extra $q"
done
ktap_check_eq "the queues reported created and not deleted exist" "" "$missing"
ktap_check_eq "refused and deleted queues do not exist" "" "$extra"

# Every accepted item runs, once.
short=
for q in $kept; do
	wqctl flush $q
	s=$(qstat $q submitted)
	d=$(qstat $q completed)
	[ "$s" = "$d" ] || short="$short $q:$s/$d"
done
ktap_check_eq "submitted = completed on every queue left" "" "$short"
ktap_check "a queue can be created again" wqctl queue add G --rescuer
ktap_check "and takes work" wqctl load G --count 100 --cpu 2
ktap_check "and flushes" wqctl flush G
ktap_check_eq "all of it ran" "100" "$(qstat G completed)"
ktap_check "pcwq unloads with the queues" rmmod pcwq

# insmod with the allocations of module code failing at random: modules
# live above the kernel image (_end) and below MODULES_END.
kend=0x$(grep -E '^[0-9a-f]+ . _end$' /proc/kallsyms | cut -d' ' -f1)
inject 5 "$kend" 0xffffffffff000000
fails=0 loads=0 stuck=
i=0
while [ $i -lt 12 ]; do
	i=$((i + 1))
	if insmod "$PCWQ_KO" 2>/dev/null; then
		loads=$((loads + 1))
		rmmod pcwq || stuck="$stuck rmmod-$i"
	else
		fails=$((fails + 1))
		pcwq_loaded && stuck="$stuck left-$i"
	fi
done
n=$(injected)
inject 0
ktap_diag "insmod under injection: $loads loaded, $fails failed, $n injected"
ktap_check_eq "a failed insmod leaves nothing, a good one unloads" "" "$stuck"
if [ "$fails" -gt 0 ] && [ "$n" -gt 0 ]; then
	ktap_ok "insmod failed cleanly under injection"
else
	ktap_fail "insmod failed cleanly under injection" "no insmod failed"
fi
ktap_check "pcwq loads without injection" insmod "$PCWQ_KO"
ktap_check "and unloads" rmmod pcwq
ktap_finish
