#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Queues from userspace through wqctl: add, list, load, flush, drain and
# plug, capacity, stats per CPU, delete, unprivileged access, a no-yield
# queue, and rmmod with thousands of items queued and delayed.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 34
pcwq_unload
insmod $PCWQ_KO || exit 1

ktap_check "queue add" wqctl queue add q1 --max-active 4
ktap_check_match "queue list shows it" '^q1 ' "$(wqctl queue list)"
ktap_check_match "queue list -j" '"name":"q1"' "$(wqctl -j queue list)"
out=$(wqctl queue add q1 2>&1)
ktap_check_eq "duplicate name exits 1" 1 $?
ktap_check_match "duplicate name explained" "exists" "$out"

# 20,000 items round robin over the 4 CPUs: 5,000 completed on each.
ktap_check_match "load 20000 accepted" '"accepted":20000,"refused":0' \
	"$(wqctl -j load q1 --count 20000)"
ktap_check "flush" wqctl flush q1
json=$(wqctl -j stats --queue q1)
ok=1
for c in 0 1 2 3; do
	echo "$json" | grep -Eq "\"cpu\":$c,[^}]*\"completed\":5000[,}]" || ok=0
done
ktap_check_eq "5000 completed on each CPU" 1 "$ok"
ktap_check_match "queue totals" '"submitted":20000,"completed":20000' "$json"

# Pinned load runs on its CPU.
wqctl load q1 --count 100 --cpu 2 --spin-us 100 >/dev/null
wqctl flush q1
ktap_check_match "pinned load completed on CPU 2" \
	'"cpu":2,[^}]*"completed":5100[,}]' "$(wqctl -j stats --queue q1)"

echo 0 >/sys/devices/system/cpu/cpu3/online
out=$(wqctl load q1 --cpu 3 2>&1)
ktap_check_match "load to an offline CPU refused" "not online" "$out"
echo 1 >/sys/devices/system/cpu/cpu3/online

# Drain with plug, then unplug.
wqctl load q1 --count 40 --sleep-ms 250 >/dev/null
ktap_check_match "drain --plug waited" '"waited":true' \
	"$(wqctl -j drain q1 --plug)"
ktap_check_match "plugged queue refuses load" '"accepted":0,"refused":5' \
	"$(wqctl -j load q1 --count 5)"
ktap_check "unplug" wqctl unplug q1
out=$(wqctl unplug q1 2>&1)
ktap_check_match "unplug twice: not plugged" "not plugged" "$out"
ktap_check_match "load accepted after unplug" '"accepted":5,"refused":0' \
	"$(wqctl -j load q1 --count 5)"

# Capacity: delayed items count, so exactly the overflow is refused.
wqctl queue add cap --capacity 10 --max-active 1
ktap_check_match "capacity 10 of 100" '"accepted":10,"refused":90' \
	"$(wqctl -j load cap --count 100 --delay-ms 60000)"
ktap_check_match "refusals counted as rejected" '"rejected":90' \
	"$(wqctl -j stats --queue cap)"

# Unprivileged: read yes, change no.
ktap_check "uid 1000 lists queues" as_user wqctl queue list
ktap_check "uid 1000 reads stats" as_user wqctl stats
out=$(as_user wqctl queue add mine 2>&1)
ktap_check_match "uid 1000 cannot add a queue" "CAP_NET_ADMIN" "$out"
out=$(as_user wqctl load q1 --count 1 2>&1)
ktap_check_match "uid 1000 cannot load" "CAP_NET_ADMIN" "$out"

out=$(as_user wqctl stats reset 2>&1)
ktap_check_match "uid 1000 cannot reset stats" "CAP_NET_ADMIN" "$out"
ktap_check "stats reset" wqctl stats reset
ktap_check_match "counters zero after reset" \
	'"name":"q1","flags":\["user"\],"max_active":4,"capacity":0,"pending":0,"inflight":0,"submitted":0,"completed":0,"cancelled":0,"rejected":0' \
	"$(wqctl -j stats --queue q1)"

# A no-yield queue: the flag is sent, kept and shown; its items run.
ktap_check "queue add --no-yield" wqctl queue add ny --no-yield --max-active 2
ktap_check_match "queue list -j shows no_yield" \
	'"name":"ny","flags":\["user","no_yield"\],"max_active":2' \
	"$(wqctl -j queue list)"
ktap_check_match "queue list shows no_yield" '^ny +user,no_yield ' \
	"$(wqctl queue list)"
wqctl load ny --count 200 --spin-us 200 >/dev/null
wqctl flush ny
ktap_check_match "no-yield items all completed" \
	'"name":"ny","flags":\["user","no_yield"\],[^}]*"submitted":200,"completed":200' \
	"$(wqctl -j stats --queue ny)"
ktap_check "queue del of the no-yield queue" wqctl queue del ny

ktap_check "queue del" wqctl queue del q1
out=$(wqctl queue del q1 2>&1)
ktap_check_match "queue del of a missing queue" "no such queue" "$out"

# Unload with 5,000 items queued and 3,000 delayed by ten minutes.
wqctl queue add big
wqctl load big --count 5000 --sleep-ms 2 >/dev/null
wqctl load big --count 3000 --delay-ms 600000 >/dev/null
ktap_check "rmmod with 8000 items pending" rmmod pcwq
ktap_check_fails "module gone" pcwq_loaded
ktap_finish
