#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The example client module: its poller rearms itself, its burst runs on
# every CPU, on its own queue and on the shared pcwq_system queue, it
# unloads cleanly while its poller is armed, and pcwq cannot be unloaded
# while a client holds its symbols.  wqctl shows pcwq_system and refuses to
# delete it or to load it.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

P=/sys/module/pcwq_example/parameters
ktap_plan 12
pcwq_unload
insmod $PCWQ_KO || exit 1
ktap_check "insmod pcwq_example" insmod /pcwq/pcwq_example.ko period_ms=20
sleep 1
ktap_check_eq "burst of 64 ran" 64 "$(cat $P/burst_done)"
ktap_check_eq "burst of 64 ran on pcwq_system" 64 "$(cat $P/system_done)"
ktap_check_match "queue list shows pcwq_system" \
	'"name":"pcwq_system","flags":\["system"\],"max_active":256' \
	"$(wqctl -j queue list)"
ktap_check_match "its counters hold the burst" '^(6[4-9]|[7-9][0-9]|[1-9][0-9][0-9]+)$' \
	"$(qstat pcwq_system completed)"
out=$(wqctl queue del pcwq_system 2>&1)
ktap_check_eq "queue del pcwq_system is refused (exit 1)" 1 "$?"
ktap_check_match "and says why" 'system queue belongs to pcwq' "$out"
ktap_check_fails "wqctl load on pcwq_system is refused" \
	wqctl load pcwq_system --count 1
polls=$(cat $P/polls)
ktap_check_match "poller rearmed itself (polls: $polls)" '^([5-9]|[1-9][0-9]+)$' \
	"$polls"
ktap_check_fails "pcwq is in use by its client" rmmod pcwq
ktap_check "rmmod pcwq_example while armed" rmmod pcwq_example
ktap_check "rmmod pcwq" rmmod pcwq
ktap_finish
