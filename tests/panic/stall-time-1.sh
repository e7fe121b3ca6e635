# SPDX-License-Identifier: GPL-2.0
# expect-panic: pcwq: stall lasted 3[0-4][0-9][0-9]ms, exceeding threshold 3s
# expect-delay: 3.0 3.5
#
# panic_on_stall_time=3 with watchdog_thresh=1: the panic comes 3.0 to
# 3.5 s after the stall began, whatever watchdog_thresh is.  The kernel
# prints the time since the pool's last progress; the harness checks the
# panic's printk time against the marks taken just before and just after
# the stall began.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh
. /tests/lib/stall.sh

stall_panic_time 1
