#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Admission limits changed at run time: the capacity, refusing exactly the
# overflow; the token-bucket rate limit, holding its rate within 10 % and
# counting its refusals as throttled; wqctl queue set, all or nothing.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 22
pcwq_unload
insmod $PCWQ_KO || exit 1

# Delayed items stay pending, so the counts are exact.
wqctl queue add adm --capacity 10 || exit 1
ktap_check_match "capacity 10: 10 of 100 accepted" '"accepted":10,"refused":90' \
	"$(wqctl -j load adm --count 100 --delay-ms 600000)"
ktap_check "queue set raises the capacity to 25" wqctl queue set adm --capacity 25
ktap_check_match "15 more accepted" '"accepted":15,"refused":85' \
	"$(wqctl -j load adm --count 100 --delay-ms 600000)"
wqctl queue set adm --capacity 5
ktap_check_match "capacity 5 below the 25 pending refuses" '"accepted":0,"refused":1' \
	"$(wqctl -j load adm --count 1 --delay-ms 600000)"
ktap_check_eq "every refusal counted as rejected" 176 "$(qstat adm rejected)"
ktap_check_eq "none as throttled" 0 "$(qstat adm throttled)"
ktap_check_eq "nothing else lost: 25 pending" 25 "$(qstat adm pending)"
wqctl queue del adm

# Rate 200/s with a burst of 200, offered about 3 s of far more than that:
# each call offers more than the bucket can hold.
wqctl queue add rt --rate 200 --burst 200 || exit 1
ktap_check_match "queue list shows the rate and burst" \
	'"rate":200,"burst":200,' "$(wqctl -j queue list)"
# The items of a call are submitted at one moment within it: between the
# first call's and the last call's moments the bucket earns rate tokens a
# second, and it starts full.  Those moments are bracketed by the times
# taken around each call.
end=$(($(now_cs) + 300))
accepted=0 refused=0 first_start= first_end=
while [ "$(now_cs)" -lt "$end" ]; do
	t0=$(now_cs)
	out=$(wqctl -j load rt --count 1000)
	t1=$(now_cs)
	[ -n "$first_start" ] || first_start=$t0 first_end=$t1
	last_start=$t0 last_end=$t1
	a=$(echo "$out" | sed -n 's/.*"accepted":\([0-9]*\).*/\1/p')
	r=$(echo "$out" | sed -n 's/.*"refused":\([0-9]*\).*/\1/p')
	accepted=$((accepted + a)) refused=$((refused + r))
done
low=$((200 + 200 * (last_start - first_end) / 100))
high=$((200 + 200 * (last_end - first_start) / 100))
ktap_check "rate held within 10 %: $accepted accepted, bucket gave $low to $high" \
	test $((accepted * 100)) -ge $((low * 90)) -a \
	$((accepted * 100)) -le $((high * 110))
ktap_check "the rate limit refused items ($refused)" test "$refused" -gt 0
wqctl flush rt
ktap_check_eq "refusals counted as throttled" "$refused" "$(qstat rt throttled)"
ktap_check_eq "not as rejected" 0 "$(qstat rt rejected)"
ktap_check_eq "every accepted item ran" "$accepted" "$(qstat rt completed)"

# Changing the rate at run time.
wqctl queue set rt --rate 0 --burst 0
ktap_check_match "rate 0 lifts the limit" '"accepted":500,"refused":0' \
	"$(wqctl -j load rt --count 500)"
wqctl flush rt
sleep 1.1
wqctl queue set rt --rate 5
ktap_check_match "a new rate starts with a full bucket of one second" \
	'"accepted":5,"refused":15' "$(wqctl -j load rt --count 20)"

# All or nothing, and a clear error.
wqctl queue set rt --burst 3
out=$(wqctl queue set rt --rate 0 2>&1)
ktap_check_eq "taking the rate from under a burst exits 1" 1 $?
ktap_check_match "and the module says why" "burst needs a rate" "$out"
ktap_check_match "nothing changed" '"rate":5,"burst":3,' "$(wqctl -j queue list)"
wqctl queue set rt >/dev/null 2>&1
ktap_check_eq "queue set without a limit is a usage error" 2 $?
out=$(wqctl queue set nosuch --capacity 1 2>&1)
ktap_check_match "queue set of an unknown queue" "no such queue" "$out"
as_user wqctl queue set rt --rate 100 >/dev/null 2>&1
ktap_check_eq "uid 1000 may not change limits" 1 $?
ktap_check_match "max_wait_ms shown" '"max_wait_ms":0' "$(wqctl -j queue list)"

wqctl queue del rt
rmmod pcwq
ktap_finish
