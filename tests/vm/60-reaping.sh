#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Workers on demand and reaped when idle: sleeping items make a pool bring
# in more workers; with worker_idle_secs=1 the surplus is stopped a little
# later, down to the two idle workers a pool keeps.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

workers_cpu1() {
	wqctl -j stats --cpu 1 |
		sed -n 's/.*"cpu":1,"highpri":false,"online":true,"workers":\([0-9]*\).*/\1/p'
}

ktap_plan 5
pcwq_unload
insmod $PCWQ_KO worker_idle_secs=1 || exit 1
ktap_check "queue add" wqctl queue add r --max-active 16
ktap_check_match "16 sleeping items on CPU 1" '"accepted":16' \
	"$(wqctl -j load r --count 16 --sleep-ms 1000 --cpu 1)"
sleep 0.5
grown=$(workers_cpu1)
ktap_check_match "blocked items got more workers ($grown)" \
	'^([89]|1[0-9])$' "$grown"
wqctl flush r
i=0
while [ "$(workers_cpu1)" -gt 2 ] && [ $i -lt 20 ]; do
	sleep 0.5
	i=$((i + 1))
done
ktap_check_eq "surplus idle workers reaped" 2 "$(workers_cpu1)"
wqctl queue del r
ktap_check "rmmod" rmmod pcwq
ktap_finish
