#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A queue's CPU list (wqctl queue add --cpus): a --steal queue on CPUs 0-1
# gets a CPU-bound burst on CPU 0; its items run on CPUs 0 and 1 only, and
# only CPU 1 steals, though CPUs 2 and 3 are idle.  Load without --cpu goes
# round robin over CPUs 0 and 1 only; --cpu outside the list, a list naming
# CPUs the VM does not have and a malformed list are refused.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

COUNT=100
SPIN_US=5000

ktap_plan 21
pcwq_unload
insmod $PCWQ_KO || exit 1
wqctl queue add pinned --steal --cpus 0-1 || exit 1

# cpu_field JSON CPU KEY: the number KEY of CPU's entry in the queue's cpus
# (0 when there is none).
cpu_field() {
	n=$(echo "$1" | sed 's/.*"cpus":\[//; s/\].*//; s/},{/}\n{/g' |
		grep "\"cpu\":$2," | tr ',{}' '\n\n\n' | sed -n "s/^\"$3\"://p")
	echo "${n:-0}"
}

# per_cpu QUEUE KEY: KEY of CPUs 0 to 3, separated by blanks.
per_cpu() {
	local json c out=
	json=$(wqctl -j stats --queue "$1")
	for c in 0 1 2 3; do
		out="$out${out:+ }$(cpu_field "$json" $c "$2")"
	done
	echo "$out"
}

ktap_check_match "queue list -j shows the CPU list last" \
	'"name":"pinned",[^}]*"work_timeout_ms":0,"cpus":"0-1"}' "$(wqctl -j queue list)"
ktap_check_match "queue list shows it in the cpus column" \
	'^pinned .* 0-1$' "$(wqctl queue list)"
ktap_check_match "stats -j shows it as cpu_list" '"cpu_list":"0-1"' \
	"$(wqctl -j stats --queue pinned)"

# A CPU-bound burst on CPU 0: CPU 1 steals, CPUs 2 and 3 may not.
out=$(wqctl -j load pinned --count $COUNT --cpu 0 --spin-us $SPIN_US)
wqctl flush pinned
ktap_check_match "burst on CPU 0 accepted" \
	"\"accepted\":$COUNT,\"refused\":0" "$out"
ktap_check_eq "burst: submitted, completed, cancelled, inflight" \
	"$COUNT $COUNT 0 0" \
	"$(qstat pinned submitted) $(qstat pinned completed) $(qstat pinned cancelled) $(qstat pinned inflight)"
done_on=$(per_cpu pinned completed)
stolen_on=$(per_cpu pinned stolen)
ktap_diag "burst: completed on CPUs 0-3: $done_on; stolen: $stolen_on"
set -- $done_on
ktap_check_eq "burst: nothing completed on CPUs 2 and 3" "0 0" "$3 $4"
ktap_check_eq "burst: every item completed on CPU 0 or 1" $COUNT $(($1 + $2))
set -- $stolen_on
if [ "$2" -gt 0 ]; then
	ktap_ok "burst: CPU 1 stole $2 items"
else
	ktap_fail "burst: CPU 1 stole items" "stolen on CPUs 0-3: $stolen_on"
fi
ktap_check_eq "burst: CPUs 0, 2 and 3 stole nothing" "0 0 0" "$1 $3 $4"
ktap_check_eq "burst: every item that ran on CPU 1 was stolen" \
	"$(echo $done_on | cut -d' ' -f2)" "$2"

# --cpu outside the list: refused by the kernel, with its message.
out=$(wqctl load pinned --count 1 --cpu 3 2>&1)
rc=$?
ktap_check_eq "load --cpu 3 exits 1" 1 "$rc"
ktap_check_match "load --cpu 3 prints the kernel message" \
	"not in the queue's CPU list" "$out"

# Without --cpu: round robin over the online CPUs of the list.
wqctl stats reset
out=$(wqctl -j load pinned --count 40)
wqctl flush pinned
ktap_check_match "load without --cpu accepted" \
	'"accepted":40,"refused":0' "$out"
ktap_check_eq "load without --cpu: submitted on CPUs 0-3" "20 20 0 0" \
	"$(per_cpu pinned submitted)"
set -- $(per_cpu pinned completed)
ktap_check_eq "load without --cpu: completed on CPUs 0 and 1 only" \
	"40 0 0" "$(($1 + $2)) $3 $4"

# Lists the kernel refuses (no such CPU in a 4-CPU VM) and usage errors.
out=$(wqctl queue add bad --cpus 9-12 2>&1)
rc=$?
ktap_check_eq "queue add --cpus 9-12 exits 1" 1 "$rc"
ktap_check_match "queue add --cpus 9-12 prints the kernel message" \
	"not possible" "$out"
wqctl queue add bad --cpus x >/dev/null 2>&1
ktap_check_eq "queue add --cpus x exits 2" 2 $?
ktap_check_fails "no queue bad" sh -c 'wqctl -j queue list | grep -q "\"name\":\"bad\""'

ktap_check "queue del" wqctl queue del pinned
ktap_check "rmmod pcwq" rmmod pcwq
ktap_finish
