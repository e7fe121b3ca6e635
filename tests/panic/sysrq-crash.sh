# SPDX-License-Identifier: GPL-2.0
# expect-panic: sysrq triggered crash
#
# Proves the harness itself: a guest panic must end QEMU with a failure and
# the expected message, not pass as a clean power-off.
echo "PCWQ-PANIC-ARMED"
echo c >/proc/sysrq-trigger
