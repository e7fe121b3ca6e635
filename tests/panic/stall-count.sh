# SPDX-License-Identifier: GPL-2.0
# expect-panic: pcwq: 2 stall\(s\) exceeded threshold 2
#
# panic_on_stall=2 with watchdog_thresh=1: the second watchdog tick that
# finds the pool stalled panics.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh
. /tests/lib/stall.sh

insmod $PCWQ_KO inject_worker_fail=1 watchdog_thresh=1 panic_on_stall=2 ||
	exit 1
stall_begin 60000 >/dev/null || exit 1
echo "PCWQ-PANIC-ARMED"
sleep 30
