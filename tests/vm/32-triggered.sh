#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The triggered work suite: pcwq_poll_test.ko runs Zephyr's k_work_poll
# cases (already signalled, wait then signal, timeout, no wait, resubmit
# from the handler, cancel while waiting and after firing, another queue,
# several events, plain wait queues, a queue destroyed under a waiting item,
# cancel racing the firing) at load time and prints KTAP to the kernel log;
# this script passes it on and fails on any "not ok" or a short run.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

run_ktap_module pcwq_poll_test
