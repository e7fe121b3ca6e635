#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh K MODE [TEST]: boot matrix kernel K under QEMU (TCG, 4 vCPUs) with
# the initramfs of mkinitramfs.sh and run MODE inside (test, panic TEST, run,
# bench, shell; see tests/lib/init.sh).  The kernel console goes to
# build/K/MODE.console, the results channel to build/K/MODE.out, QEMU's own
# messages to build/K/MODE.qemu (all to the terminal for run and shell).  Exits with QEMU's status: 0 after a clean
# power-off or a reboot (a panic outside the panic tests reboots: see
# tests/lib/init.sh), 1 after a panic test's panic (pvpanic), 124 on
# time-out.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k=$1 mode=$2 test=${3:-}
kernel_select "$k"
dir=$PCWQ_BUILD/$k
initrd=$dir/initramfs.cpio.gz
"$PCWQ_TOP/scripts/mkinitramfs.sh" "$k" "$initrd"

append="console=ttyS0 panic=-1 oops=panic pcwq_mode=$mode pcwq_kernel=$k"
[ -n "$test" ] && append="$append pcwq_test=$test"
# PCWQ_ONLY=NAME,NAME runs only those tests of the suite (development).
[ -n "${PCWQ_ONLY:-}" ] && append="$append pcwq_only=$PCWQ_ONLY"
# The debug kernel: a WARN (DEBUG_OBJECTS reports by one), a KASAN or a
# UBSAN report panics and so ends the run at the first bug (lockdep's
# reports are found on the console); KASAN's shadow needs more memory, and
# everything runs slower: the tests' time limits are tripled.  tinyconfig
# has no PRINTK_TIME; the tests read the times of kernel messages.
mem=1024 limit=900
if [ "$k" = debug ]; then
	append="$append panic_on_warn=1 pcwq_slow=3 printk.time=1"
	mem=2048 limit=3600
fi
# Every VM keeps the TSC as its clock (tsc=reliable).  Under TCG the
# clocksource watchdog finds it skewed against the HPET some seconds or
# minutes after boot and marks it unstable.  That flips the static key of
# sched_clock, and the kernel patches its text on every CPU with int3
# breakpoints while the other vCPUs run: TCG can still execute a
# breakpoint the patch has already removed, and the kernel oopses in
# sched_clock_cpu() ("Oops: int3", seen in the 6.12 suite 191 s after
# boot).  The bench needs it too: on the HPET every read is an emulated
# MMIO access, and the figures would change in the middle of the run.
append="$append tsc=reliable"
# PCWQ_BENCH=KEY=VAL,KEY=VAL: parameters of pcwq_bench.ko in bench mode.
[ -n "${PCWQ_BENCH:-}" ] && append="$append pcwq_bench=$PCWQ_BENCH"
# PCWQ_PROFILE=IMPL,IMPL: bench mode profiles the throughput of those
# instead (tests/bench/run.sh); the initramfs then needs PCWQ_PERF.
[ -n "${PCWQ_PROFILE:-}" ] && append="$append pcwq_profile=$PCWQ_PROFILE"
# PCWQ_TPUT_ONLY=1: bench mode measures the throughput only.
[ -n "${PCWQ_TPUT_ONLY:-}" ] && append="$append pcwq_tput_only=1"
qemu=(qemu-system-x86_64 -nodefaults -no-reboot -display none
	-machine pc -accel tcg -cpu max -smp "${PCWQ_VM_CPUS:-4}"
	-m "${PCWQ_VM_MEM:-$mem}"
	-kernel "$KIMAGE" -initrd "$initrd" -append "$append"
	-device pvpanic-pci -action panic=exit-failure)

case $mode in
shell)
	exec "${qemu[@]}" -serial mon:stdio
	;;
run)
	exec timeout "${PCWQ_VM_TIMEOUT:-600}" "${qemu[@]}" -serial stdio
	;;
esac

name=$mode${test:+-$test}
console=$dir/$name.console out=$dir/$name.out
rm -f "$console" "$out"
rc=0
timeout "${PCWQ_VM_TIMEOUT:-$limit}" "${qemu[@]}" -monitor none \
	-serial "file:$console" -serial "file:$out" </dev/null \
	2>"$dir/$name.qemu" &
qemu_pid=$!
# The suite's guest writes a heartbeat to the console every 30 s
# (tests/lib/init.sh): a console that stops growing for $frozen_after s
# means a guest that froze whole (every vCPU, with no kernel report; see
# scripts/vm-test.sh).  It is stopped then, with timeout's status 124,
# rather than at the time limit.  PCWQ_VM_FROZEN_AFTER=S sets the time.
frozen_after=300
[ "$k" = debug ] && frozen_after=600
frozen_after=${PCWQ_VM_FROZEN_AFTER:-$frozen_after}
frozen=
if [ "$mode" = test ]; then
	last_size=-1 since=$SECONDS
	while kill -0 "$qemu_pid" 2>/dev/null; do
		sleep 2
		size=$(stat -c %s "$console" 2>/dev/null || echo 0)
		if [ "$size" != "$last_size" ]; then
			last_size=$size since=$SECONDS
		elif [ $((SECONDS - since)) -ge "$frozen_after" ]; then
			frozen=1
			echo "vm.sh: no console output for $((SECONDS - since)) s: the guest froze" \
				>>"$dir/$name.qemu"
			pkill -TERM -P "$qemu_pid" || true
			break
		fi
	done
fi
wait "$qemu_pid" || rc=$?
[ -z "$frozen" ] || rc=124
# The serial ports write CRLF line ends.
sed -i 's/\r$//' "$console" "$out"
exit "$rc"
