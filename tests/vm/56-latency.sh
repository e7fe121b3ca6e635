#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Latency histograms: 20 items of 50 ms on a queue that runs one at a time
# wait 0, 50, ..., 950 ms and run 50 ms each; the percentiles wqctl derives
# from the module's buckets must say so, within a bucket (a factor of 2).
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 9
pcwq_unload
insmod $PCWQ_KO || exit 1
wqctl queue add lat --max-active 1 || exit 1
wqctl load lat --count 20 --cpu 1 --sleep-ms 50 >/dev/null
wqctl flush lat

json=$(wqctl -j stats --queue lat)
# field OBJECT KEY: the number KEY of the "OBJECT":{...} of the queue.
field() {
	echo "$json" | sed -n "s/.*\"queues\".*\"$1\":{\([^}]*\)}.*/\1/p" |
		tr ',' '\n' | sed -n "s/^\"$2\"://p"
}
between() { # WHAT VALUE MIN MAX
	if [ -n "$2" ] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then
		ktap_ok "$1 ($2)"
	else
		ktap_fail "$1" "$2 not in [$3, $4]"
	fi
}
between "20 runs counted" "$(field run_us count)" 20 20
between "run p50 is 50 ms, to a bucket" "$(field run_us p50)" 50000 131072
between "run max is 50 ms and a little" "$(field run_us max)" 50000 1000000
between "20 waits counted" "$(field wait_us count)" 20 20
between "wait p50 is about 450 ms" "$(field wait_us p50)" 400000 2097152
between "wait max is about 950 ms" "$(field wait_us max)" 900000 5000000

pool=$(wqctl -j stats --cpu 1 | sed -n 's/.*"pools":\[\({[^]]*\)\].*/\1/p')
ktap_check_match "the pool of CPU 1 counted the runs too" \
	'"run_us":\{"count":[1-9]' "$pool"

wqctl stats reset
json=$(wqctl -j stats --queue lat)
between "stats reset empties the histograms" "$(field run_us count)" 0 0
ktap_check_match "the text output shows the percentiles" "run_p50" \
	"$(wqctl stats --queue lat)"

wqctl queue del lat
rmmod pcwq
ktap_finish
