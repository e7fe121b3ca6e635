# SPDX-License-Identifier: GPL-2.0
# pcwq helpers for the VM tests; source after ktap.sh.

PCWQ_KO=/pcwq/pcwq.ko
PCWQ_PARAMS=/sys/module/pcwq/parameters

pcwq_loaded() {
	[ -d /sys/module/pcwq ]
}

pcwq_unload() {
	pcwq_loaded || return 0
	rmmod pcwq
}

# pcwq_param NAME: the current value of a module parameter.
pcwq_param() {
	cat "$PCWQ_PARAMS/$1"
}

# as_user CMD...: run CMD as the unprivileged user "tester" (uid 1000),
# who has no capabilities.
as_user() {
	su -s /bin/sh -c 'exec "$@"' -- tester sh "$@"
}

# dmesg_mark / dmesg_since: the kernel messages printed after the mark.
# The mark clears the ring buffer; the console, which the harness judges,
# keeps everything.
dmesg_mark() {
	dmesg -c >/dev/null
}

dmesg_since() {
	dmesg
}
