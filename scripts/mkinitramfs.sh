#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh K OUT: the test VM's initramfs for matrix kernel K, with
# busybox, the pvpanic modules of K, pcwq.ko built for K, wqctl and the
# netlink fuzzer pcwq_nlfuzz with their shared libraries, and the test
# scripts and benchmarks.  PCWQ_PERF=PATH adds that perf binary, as
# /usr/bin/perf, for the profile of `make bench` (scripts/bench.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k=$1 out=$2
kernel_select "$k"
ko=$PCWQ_BUILD/$k/module/pcwq.ko
wqctl=${PCWQ_WQCTL:-$PCWQ_TOP/tools/wqctl/build/wqctl}
nlfuzz=${PCWQ_NLFUZZ:-$PCWQ_TOP/tools/wqctl/build/nlfuzz/pcwq_nlfuzz}
[ -f "$ko" ] || die "$ko missing: run scripts/build-module.sh $k"
[ -x "$wqctl" ] || die "$wqctl missing: run make"
[ -x "$nlfuzz" ] || die "$nlfuzz missing: run make"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,root,etc,lib/modules,pcwq,usr/bin}
# mktemp made the root 0700: the unprivileged test user must get in.
chmod 755 "$root"
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"

# The modules the guest loads itself; Debian 6.12 ships them xz-compressed
# and busybox insmod takes plain ELF only.
for m in pvpanic pvpanic-pci; do
	[ -d "$KMODULES/kernel/drivers/misc/pvpanic" ] || continue
	f=$(find "$KMODULES/kernel/drivers/misc/pvpanic" -name "$m.ko*" | head -n 1)
	[ -n "$f" ] || continue
	case $f in
	*.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
	*) cp "$f" "$root/lib/modules/$m.ko" ;;
	esac
done
cp "$PCWQ_BUILD/$k"/module/*.ko "$PCWQ_BUILD/$k"/tests/modules/*.ko "$root/pcwq/"

# install_program SRC DEST: SRC as DEST in the root, with every shared
# library it needs at the same paths.
install_program() {
	cp "$1" "$root$2"
	ldd "$1" | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
install_program "$wqctl" /usr/bin/wqctl
install_program "$nlfuzz" /usr/bin/pcwq_nlfuzz
[ -z "${PCWQ_PERF:-}" ] || install_program "$PCWQ_PERF" /usr/bin/perf

cp -r "$PCWQ_TOP/tests/lib" "$PCWQ_TOP/tests/vm" "$PCWQ_TOP/tests/panic" \
	"$PCWQ_TOP/tests/bench" "$root/tmp/"
mkdir -p "$root/tests"
mv "$root"/tmp/{lib,vm,panic,bench} "$root/tests/"
cp "$PCWQ_TOP/tests/demo.sh" "$root/tests/"
cp "$PCWQ_TOP/tests/lib/init.sh" "$root/init"
chmod +x "$root/init" "$root"/tests/*.sh "$root"/tests/*/*.sh

cat >"$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
tester:x:1000:1000:unprivileged tester:/tmp:/bin/sh
PASSWD
cat >"$root/etc/group" <<GROUP
root:x:0:
tester:x:1000:
GROUP

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
