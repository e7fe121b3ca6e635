# SPDX-License-Identifier: GPL-2.0
# pcwq helpers for the VM tests; source after ktap.sh.

PCWQ_KO=/pcwq/pcwq.ko
# How much slower than a stock kernel this one runs (the debug kernel: 3):
# tests whose checks rest on one item outlasting others stretch by it.
SLOW=${pcwq_slow:-1}
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

# qstat NAME FIELD [CPU]: a number of queue NAME from `wqctl -j stats`:
# its total over the CPUs, or over CPU only.
qstat() {
	wqctl -j stats --queue "$1" ${3:+--cpu "$3"} | sed 's/"cpus":.*//' |
		sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

# now_cs: the time since boot in hundredths of a second.
now_cs() {
	sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime
}

# wait_until SECONDS CMD...: run CMD every 0.1 s until it succeeds; fails
# after SECONDS.
wait_until() {
	local end=$(($(now_cs) + $1 * 100))
	shift
	until "$@"; do
		[ "$(now_cs)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# qstat_ge NAME FIELD MIN: the queue's FIELD is at least MIN.
qstat_ge() {
	[ "$(qstat "$1" "$2")" -ge "$3" ] 2>/dev/null
}

# hotplug_round: take CPUs 1-3 offline and back, one after the other, half
# a second each way; adds the cycles made to $cycles.
hotplug_round() {
	local c f
	for c in 1 2 3; do
		f=/sys/devices/system/cpu/cpu$c/online
		[ -w $f ] || continue
		echo 0 >$f && cycles=$((cycles + 1))
		sleep 0.5
		echo 1 >$f
		sleep 0.5
	done
}

# stress_report: wait up to 120 s for pcwq_stress.ko to finish and print
# its report, the lines it logged after dmesg_mark.
stress_report() {
	local i=0
	while ! dmesg | grep -q 'pcwq_stress: done' && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	dmesg | sed -n 's/^\[[ 0-9.]*\] pcwq_stress: //p' | grep -v '^done$'
}

# run_ktap_module NAME: load pcwq, then the test module NAME.ko, whose
# suite runs at load time and prints KTAP to the kernel log with the prefix
# "NAME: "; pass that on and unload both.  Returns 0 if every planned case
# ran and none failed, 4 if the suite skipped itself, else 1 (saying why).
run_ktap_module() {
	local name=$1 out plan ran
	pcwq_unload
	insmod $PCWQ_KO || return 1
	dmesg_mark
	insmod "/pcwq/$name.ko" || return 1
	out=$(dmesg_since | sed -n "s/^\[[ 0-9.]*\] $name: //p")
	echo "$out"
	rmmod "$name"
	rmmod pcwq || { echo "# rmmod pcwq failed after the suite"; return 1; }

	plan=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p')
	ran=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ ')
	echo "$out" | grep -q '^1\.\.0 # SKIP' && return 4
	if [ -z "$plan" ] || [ "$plan" -eq 0 ] || [ "$ran" -ne "$plan" ]; then
		echo "# the suite ran $ran of ${plan:-no} planned cases"
		return 1
	fi
	echo "$out" | grep -q '^not ok' && return 1
	return 0
}
