#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Repeated load and unload leaves nothing behind: the family comes and goes
# with the module, and the kernel log stays free of warnings (the harness
# checks the log of the whole run).
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 3
pcwq_unload
i=0 ok=1
while [ $i -lt 20 ]; do
	insmod $PCWQ_KO || ok=0
	wqctl status >/dev/null || ok=0
	rmmod pcwq || ok=0
	i=$((i + 1))
done
ktap_check_eq "20 load/query/unload cycles" 1 "$ok"
ktap_check_fails "module gone" pcwq_loaded
out=$(wqctl status 2>&1)
ktap_check_match "wqctl says the module is not loaded" \
	"pcwq module is not loaded" "$out"
ktap_finish
