#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The rescuer under memory pressure, made with inject_worker_fail: a fresh
# pool on CPU 1 has one worker, which a queue without a rescuer blocks.  A
# rescuer queue's items all complete, run by its rescuer, while the other
# queue waits, and wqctl monitor hears of the rescue; once creation works
# again everything completes, nothing lost or run twice.  Then a queue is
# deleted and the module unloaded while their rescuers are at work.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

ktap_plan 15
pcwq_unload
insmod $PCWQ_KO inject_worker_fail=1 || exit 1
wqctl queue add A --max-active 8
ktap_check "queue add --rescuer" wqctl queue add R --rescuer
ktap_check_match "queue list shows the rescuer flag" \
	'"name":"R","flags":\["user","rescuer"\]' "$(wqctl -j queue list)"
ktap_check_match "the rescuer thread exists" 'pcwq_r/R' "$(ps)"

# An event on the multicast group tells what the rescuer did.
wqctl -j monitor --count 1 --timeout 30 >/tmp/events &
monitor=$!
sleep 0.5

# One item blocks the pool's only worker, two more wait behind it.
wqctl load A --count 3 --cpu 1 --sleep-ms 8000 >/dev/null
wqctl load R --count 20 --cpu 1 --spin-us 100 >/dev/null
if wait_until 20 qstat_ge R completed 20; then
	ktap_ok "rescuer queue completes all 20 items under pressure"
else
	ktap_fail "rescuer queue completes all 20 items under pressure" \
		"completed $(qstat R completed)"
fi
ktap_check_eq "all 20 were rescued" 20 "$(qstat R rescued)"
wait $monitor
ktap_check_match "wqctl monitor received the rescue event" \
	'^\{"event":"rescue","queue":"R","rescued":[1-9][0-9]*\}$' "$(cat /tmp/events)"
ktap_check_match "the pool called the rescuer" '^[1-9]' "$(qstat R mayday)"
ktap_check_eq "the queue without a rescuer still waits" "0 2" \
	"$(qstat A completed) $(qstat A pending)"

# Pressure ends: new workers take what waits.
ktap_check "worker creation works again" wqctl config set inject_worker_fail=0
wqctl flush A
wqctl flush R
ktap_check_eq "everything completed exactly once" "3 3 20 20" \
	"$(qstat A submitted) $(qstat A completed) $(qstat R submitted) $(qstat R completed)"

# Delete a queue while its rescuer is at work: the rest is rescued first.
wqctl config set inject_worker_fail=1
wqctl queue add R2 --rescuer
wqctl load A --count 2 --cpu 2 --sleep-ms 3000 >/dev/null
wqctl load R --count 10 --cpu 2 --sleep-ms 100 >/dev/null
wqctl load R2 --count 10 --cpu 2 --sleep-ms 100 >/dev/null
wait_until 10 qstat_ge R rescued 21
ktap_check_eq "R's rescuer is at work" 1 "$(qstat_ge R rescued 21 && echo 1)"
ktap_check "queue del during a rescue" wqctl queue del R
ktap_check_fails "its rescuer thread is gone" sh -c "ps | grep -q '\[pcwq_r/R\]'"
ktap_check "rmmod during a rescue" rmmod pcwq
ktap_check_fails "module gone" pcwq_loaded
ktap_finish
