#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family through wqctl: status, config get/set, range
# checks with the kernel's extended ACK, all-or-nothing updates, usage
# errors, and an unprivileged user who may read but not change.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 21
pcwq_unload
insmod $PCWQ_KO watchdog_thresh=17 panic_on_stall=3 rescuer_mode=batch \
	mayday_timeout_ms=20

out=$(wqctl status)
ktap_check_match "status names the version" "0\.1\.0" "$out"
json=$(wqctl -j status)
ktap_check_match "status -j counts 4 online CPUs" '"online_cpus":4' "$json"

json=$(wqctl -j config get)
ktap_check_eq "config get -j reads back insmod values" \
	'{"watchdog_thresh":17,"panic_on_stall":3,"panic_on_stall_time":0,"rescuer_mode":"batch","rescuer_batch":16,"mayday_timeout_ms":20,"worker_idle_secs":300,"inject_worker_fail":0}' \
	"$json"
out=$(wqctl config get)
ktap_check_match "config get prints a table" \
	"^watchdog_thresh +17" "$out"
ktap_check_match "config get prints rescuer_mode by name" \
	"rescuer_mode +batch" "$out"

ktap_check "config set several keys" wqctl config set watchdog_thresh=5 \
	rescuer_mode=one panic_on_stall_time=600
got="$(pcwq_param watchdog_thresh) $(pcwq_param rescuer_mode) $(pcwq_param panic_on_stall_time)"
ktap_check_eq "config set reaches sysfs" "5 one 600" "$got"
echo 12 >$PCWQ_PARAMS/rescuer_batch
json=$(wqctl -j config get)
ktap_check_match "config get sees a sysfs write" '"rescuer_batch":12' "$json"

# Out of range: exit 1, the kernel's message, nothing changed even for the
# valid key sent in the same request.
out=$(wqctl config set rescuer_batch=4 watchdog_thresh=99999 2>&1)
rc=$?
ktap_check_eq "out-of-range set exits 1" 1 "$rc"
ktap_check_match "out-of-range set prints the kernel message" \
	"out of range.*watchdog_thresh|watchdog_thresh.*out of range" "$out"
got="$(pcwq_param rescuer_batch) $(pcwq_param watchdog_thresh)"
ktap_check_eq "a refused set changes nothing" "12 5" "$got"

# Usage errors: exit 2 before anything is sent.
wqctl config set nosuchkey=1 >/dev/null 2>&1
ktap_check_eq "unknown key exits 2" 2 $?
wqctl config set watchdog_thresh=abc >/dev/null 2>&1
ktap_check_eq "non-numeric value exits 2" 2 $?
wqctl config set >/dev/null 2>&1
ktap_check_eq "config set without pairs exits 2" 2 $?
wqctl frobnicate >/dev/null 2>&1
ktap_check_eq "unknown command exits 2" 2 $?

# Unprivileged: read yes, change no.
out=$(as_user wqctl -j config get 2>&1)
ktap_check_match "uid 1000 reads the config" '"watchdog_thresh":5' "$out"
ktap_check "uid 1000 reads the status" as_user wqctl status
out=$(as_user wqctl config set watchdog_thresh=9 2>&1)
rc=$?
ktap_check_eq "uid 1000 config set exits 1" 1 "$rc"
ktap_check_match "uid 1000 is told CAP_NET_ADMIN is needed" \
	"CAP_NET_ADMIN" "$out"
ktap_check_eq "uid 1000 changed nothing" 5 "$(pcwq_param watchdog_thresh)"

rmmod pcwq
wqctl status >/dev/null 2>&1
ktap_check_eq "status without the module exits 1" 1 $?
ktap_finish
