#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Module parameters: defaults, values given to insmod, run-time writes
# through sysfs, and bad values refused at insmod and at run time with the
# old value kept.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 27
pcwq_unload

# Defaults (panic_on_stall's comes from Kconfig PCWQ_STALL_PANIC, 0).
ktap_check "insmod without parameters" insmod $PCWQ_KO
defaults="30 0 0 one 16 10"
got=""
for p in watchdog_thresh panic_on_stall panic_on_stall_time rescuer_mode \
	rescuer_batch mayday_timeout_ms; do
	got="$got $(pcwq_param $p)"
done
ktap_check_eq "defaults" "$defaults" "${got# }"
ktap_check "rmmod" rmmod pcwq

# Values given at load time.
ktap_check "insmod with every parameter" insmod $PCWQ_KO watchdog_thresh=17 \
	panic_on_stall=3 panic_on_stall_time=45 rescuer_mode=batch \
	rescuer_batch=8 mayday_timeout_ms=20
got=""
for p in watchdog_thresh panic_on_stall panic_on_stall_time rescuer_mode \
	rescuer_batch mayday_timeout_ms; do
	got="$got $(pcwq_param $p)"
done
ktap_check_eq "insmod values visible in sysfs" "17 3 45 batch 8 20" "${got# }"

# Good run-time writes.
echo 0 >$PCWQ_PARAMS/watchdog_thresh
echo one >$PCWQ_PARAMS/rescuer_mode
echo 1024 >$PCWQ_PARAMS/rescuer_batch
got="$(pcwq_param watchdog_thresh) $(pcwq_param rescuer_mode) $(pcwq_param rescuer_batch)"
ktap_check_eq "run-time writes within range" "0 one 1024" "$got"

# Bad run-time writes: refused, old value kept.
bad_write() { # PARAM VALUE
	local before after
	before=$(pcwq_param "$1")
	if echo "$2" >"$PCWQ_PARAMS/$1" 2>/dev/null; then
		ktap_fail "run-time $1=$2 refused" "the write succeeded"
		return
	fi
	after=$(pcwq_param "$1")
	if [ "$before" = "$after" ]; then
		ktap_ok "run-time $1=$2 refused"
	else
		ktap_fail "run-time $1=$2 refused" "value changed $before -> $after"
	fi
}
bad_write watchdog_thresh 3601
bad_write watchdog_thresh -1
bad_write watchdog_thresh abc
bad_write panic_on_stall 1001
bad_write panic_on_stall_time 86401
bad_write rescuer_mode fast
bad_write rescuer_batch 0
bad_write rescuer_batch 99999999999
bad_write mayday_timeout_ms 0
bad_write inject_worker_fail 2
ktap_check "rmmod after run-time writes" rmmod pcwq

# Bad values at insmod: the load fails with a message naming the parameter.
bad_load() { # PARAM=VALUE
	dmesg_mark
	if insmod $PCWQ_KO "$1" 2>/dev/null; then
		rmmod pcwq
		ktap_fail "insmod $1 refused" "the load succeeded"
	elif pcwq_loaded; then
		ktap_fail "insmod $1 refused" "module present after a failed load"
	elif dmesg_since | grep -q "pcwq: invalid ${1%%=*} '${1#*=}'"; then
		ktap_ok "insmod $1 refused"
	else
		ktap_fail "insmod $1 refused" "no message: $(dmesg_since)"
	fi
}
bad_load watchdog_thresh=4000
bad_load panic_on_stall=x
bad_load panic_on_stall_time=-5
bad_load rescuer_mode=all
bad_load rescuer_batch=2000
bad_load mayday_timeout_ms=10001
bad_load inject_worker_fail=on

# Visible to everyone, writable by root only.
ktap_check "insmod again after failed loads" insmod $PCWQ_KO
ktap_check_eq "the unprivileged helper runs as uid 1000" 1000 "$(as_user id -u)"
ktap_check_fails "uid 1000 cannot write a parameter" \
	as_user sh -c "echo 5 >$PCWQ_PARAMS/watchdog_thresh"
pcwq_unload
ktap_finish
