#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bounds that keep netlink requests from wedging the machine: load time
# per request, load items outstanding, number of user queues, CPU numbers;
# queue name characters; the events group closed to unprivileged users.
# Every refusal exits 1 with the kernel's reason and changes nothing.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 21
pcwq_unload
insmod $PCWQ_KO || exit 1
wqctl queue add lim || exit 1

# One request may keep workers busy for 600 s of item time, no more.
out=$(wqctl load lim --count 11 --sleep-ms 60000 2>&1)
ktap_check_eq "load over the time budget exits 1" 1 $?
ktap_check_match "the budget is named" "more than 600 s" "$out"
out=$(wqctl load lim --count 601 --spin-us 1000000 2>&1)
ktap_check_match "spinning counts against the budget" "more than 600 s" "$out"
ktap_check_match "nothing was queued" '"submitted":0[,}]' \
	"$(wqctl -j stats --queue lim)"
ktap_check_match "load at the budget is accepted" '"accepted":2,' \
	"$(wqctl -j load lim --count 2 --spin-us 1000 --sleep-ms 1)"

# 100000 items outstanding over every user queue.
ktap_check_match "100000 delayed items accepted" '"accepted":100000,' \
	"$(wqctl -j load lim --count 100000 --delay-ms 3600000)"
wqctl queue add lim2
out=$(wqctl load lim2 --count 1 2>&1)
ktap_check_eq "item 100001 refused, exit 1" 1 $?
ktap_check_match "refusal names the outstanding items" "outstanding" "$out"
ktap_check "deleting the queue frees its items" wqctl queue del lim
ktap_check_match "load is accepted again" '"accepted":1,' \
	"$(wqctl -j load lim2 --count 1)"
wqctl flush lim2
wqctl queue del lim2

# 64 user queues.
i=0
while [ $i -lt 64 ] && wqctl queue add "n$i" 2>/dev/null; do
	i=$((i + 1))
done
ktap_check_eq "64 user queues created" 64 "$i"
out=$(wqctl queue add n64 2>&1)
ktap_check_match "queue 65 refused" "too many queues" "$out"
ktap_check_eq "the list holds 64 of them" 64 \
	"$(wqctl queue list | grep -c '^n[0-9]')"
i=0
while [ $i -lt 64 ] && wqctl queue del "n$i"; do
	i=$((i + 1))
done
ktap_check_eq "64 user queues deleted" 64 "$i"

# CPU numbers must name a possible CPU.
out=$(wqctl stats --cpu 4096 2>&1)
ktap_check_match "stats for a CPU that does not exist" "no such CPU" "$out"
wqctl queue add lim
out=$(wqctl load lim --cpu 4096 2>&1)
ktap_check_match "load to a CPU that does not exist" "no such CPU" "$out"

# Names: wqctl refuses what the kernel would (usage error, exit 2).
wqctl queue add 'a/b' >/dev/null 2>&1
ktap_check_eq "a name with / is a usage error" 2 $?
wqctl queue add -- '-x' >/dev/null 2>&1
ktap_check_eq "a name starting with - is a usage error" 2 $?

# The events group: root may listen, others may not.
out=$(as_user wqctl monitor --timeout 1 2>&1)
rc=$?
ktap_check_eq "uid 1000 monitor exits 1" 1 "$rc"
ktap_check_match "uid 1000 is told CAP_NET_ADMIN is needed" "CAP_NET_ADMIN" \
	"$out"
ktap_check "root monitors" wqctl monitor --timeout 1

wqctl queue del lim
rmmod pcwq
ktap_finish
