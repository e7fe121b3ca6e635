#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# wqctl status (the health summary) and wqctl top (per-CPU rates and
# latency over each interval), as root and as an unprivileged user.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 16
pcwq_unload
insmod $PCWQ_KO watchdog_thresh=20 panic_on_stall_time=600 || exit 1

json=$(wqctl -j status)
ktap_check_match "status -j is healthy" '"health":"ok"' "$json"
ktap_check_match "status -j counts 8 pools, all online" \
	'"pools_online":8,"pools":8' "$json"
ktap_check_match "status -j has the panic settings" \
	'"watchdog_thresh":20,"panic_on_stall":0,"panic_on_stall_time":600' "$json"
out=$(wqctl status)
ktap_check_match "status text shows units" "watchdog_thresh: +20 s" "$out"
ktap_check_match "status text shows off for 0" "panic_on_stall: +off" "$out"
ktap_check_match "uid 1000 reads the status" '"health":"ok"' \
	"$(as_user wqctl -j status 2>&1)"

# top samples while 2000 items of 2 ms run over the 4 CPUs.
wqctl queue add t
wqctl -j top --interval 1 --iterations 3 >/tmp/top.json &
top=$!
sleep 1
wqctl load t --count 2000 --spin-us 2000 >/dev/null
wait $top
ktap_check_eq "top exits 0 after 3 iterations" 0 $?
ktap_check_eq "one JSON line per frame" 3 "$(grep -c '^{.*}$' /tmp/top.json)"
rate=$(sed -n 's/.*"totals":{[^}]*"completed_per_sec":\([0-9]*\).*/\1/p' \
	/tmp/top.json | sort -n | tail -n 1)
ktap_check "top saw items complete ($rate/s)" test "${rate:-0}" -gt 0
ktap_check_match "top has run time percentiles of the items" \
	'"run_p50_us":[1-9]' "$(cat /tmp/top.json)"
ktap_check_match "top has 4 CPUs" '"totals":\{"cpus":4,"online_cpus":4' \
	"$(tail -n 1 /tmp/top.json)"
wqctl flush t

out=$(wqctl top --iterations 1 --interval 1)
ktap_check_match "top text has a header" "^cpu +online +workers" "$out"
ktap_check_match "uid 1000 runs top" "completed/s" \
	"$(as_user wqctl top --iterations 1 --interval 1 2>&1)"
wqctl top --interval 0 >/dev/null 2>&1
ktap_check_eq "top --interval 0 is a usage error" 2 $?

json=$(wqctl -j status)
ktap_check_match "status counts the items" '"submitted":2[0-9][0-9][0-9],' "$json"
ktap_check_match "status counts the user queue" '"user_queues":1,' "$json"

wqctl queue del t
rmmod pcwq
ktap_finish
