#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The example client module: its poller rearms itself, its burst runs on
# every CPU, it unloads cleanly while its poller is armed, and pcwq cannot
# be unloaded while a client holds its symbols.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

P=/sys/module/pcwq_example/parameters
ktap_plan 6
pcwq_unload
insmod $PCWQ_KO || exit 1
ktap_check "insmod pcwq_example" insmod /pcwq/pcwq_example.ko period_ms=20
sleep 1
ktap_check_eq "burst of 64 ran" 64 "$(cat $P/burst_done)"
polls=$(cat $P/polls)
ktap_check_match "poller rearmed itself (polls: $polls)" '^([5-9]|[1-9][0-9]+)$' \
	"$polls"
ktap_check_fails "pcwq is in use by its client" rmmod pcwq
ktap_check "rmmod pcwq_example while armed" rmmod pcwq_example
ktap_check "rmmod pcwq" rmmod pcwq
ktap_finish
