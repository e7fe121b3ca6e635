#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The work item semantics suite: pcwq_test.ko runs Zephyr's k_work cases
# against the in-kernel API at load time and prints KTAP to the kernel log;
# this script passes it on and fails on any "not ok" or a short run.
. /tests/lib/ktap.sh
. /tests/lib/pcwq.sh

run_ktap_module pcwq_test
