# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the pcwq scripts; source it, do not run it.

PCWQ_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PCWQ_BUILD=${PCWQ_BUILD:-$PCWQ_TOP/build}
PCWQ_CACHE=${PCWQ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcwq}
PCWQ_KERNELS="6.1 6.12 6.12-rt"

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# The kernel release (uname -r) of matrix kernel $1: the newest installed
# one of that series.  scripts/setup.sh installs them.
kernel_release() {
	local pat
	case "$1" in
	6.1) pat='6\.1\.[0-9]+-[0-9]+-amd64' ;;
	6.12) pat='6\.12\.[0-9]+\+deb12-amd64' ;;
	6.12-rt) pat='6\.12\.[0-9]+\+deb12-rt-amd64' ;;
	*) die "unknown kernel '$1' (expected one of: $PCWQ_KERNELS)" ;;
	esac
	# shellcheck disable=SC2012
	ls /boot 2>/dev/null | sed -nE "s/^vmlinuz-($pat)\$/\1/p" | sort -V | tail -n 1
}

# linux_source_part NAME PATH...: extract PATHs (tar patterns, under
# linux-source-6.12/) of Debian's linux-source-6.12 into the cache once;
# print the directory, $PCWQ_CACHE/NAME/<mtime of the tarball>.
linux_source_part() {
	local name=$1 tarball=/usr/src/linux-source-6.12.tar.xz dir
	shift
	[ -f "$tarball" ] ||
		die "linux-source-6.12 is not installed: run scripts/setup.sh"
	dir=$PCWQ_CACHE/$name/$(stat -c %Y "$tarball")
	if [ ! -f "$dir/done" ]; then
		echo "${0##*/}: extracting $name from $tarball" >&2
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -xJf "$tarball" -C "$dir" --strip-components=1 \
			--wildcards --no-wildcards-match-slash \
			"${@/#/linux-source-6.12/}" || die "extracting $name failed"
		touch "$dir/done"
	fi
	echo "$dir"
}

# The cache directory of the debug kernel: keyed by the version of the
# linux-source-6.12 package and the hash of scripts/debug.config.
debug_kernel_dir() {
	local ver sum
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		die "linux-source-6.12 is not installed: run scripts/setup.sh"
	sum=$(sha256sum "$PCWQ_TOP/scripts/debug.config" | cut -c1-16)
	echo "$PCWQ_CACHE/debug-$ver-$sum"
}

# Set KREL, KHEADERS, KIMAGE and KMODULES for matrix kernel $1.  The debug
# kernel is the one scripts/debug-kernel.sh built: its tree serves as the
# headers, and it has no module directory (what the VM needs is built in).
kernel_select() {
	if [ "$1" = debug ]; then
		KHEADERS=$(debug_kernel_dir)
		[ -f "$KHEADERS/done" ] ||
			die "the debug kernel is not built: run scripts/debug-kernel.sh"
		KREL=$(cat "$KHEADERS/include/config/kernel.release")
		KIMAGE=$KHEADERS/arch/x86/boot/bzImage
		KMODULES=
		return
	fi
	KREL=$(kernel_release "$1") || exit 1
	[ -n "$KREL" ] || die "kernel $1 is not installed: run scripts/setup.sh"
	KHEADERS=/usr/src/linux-headers-$KREL
	KIMAGE=/boot/vmlinuz-$KREL
	KMODULES=/lib/modules/$KREL
	[ -d "$KHEADERS" ] || die "headers of $KREL missing: run scripts/setup.sh"
}

# record STATUS NAME [DIAG...]: append a result to the file $PCWQ_RES and
# show it.  STATUS is ok, fail or skip; report.sh turns the files into KTAP.
record() {
	local st=$1 name=$2
	shift 2
	printf '%s\t%s\t%s\n' "$st" "$name" "$*" >>"$PCWQ_RES"
	case $st in
	ok) echo "ok - $name" ;;
	skip) echo "ok - $name # SKIP $*" ;;
	*) echo "not ok - $name${*:+ # $*}" ;;
	esac
}
