#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything pcwq needs on a Debian 12 machine, skipping what is
# already there: build tools, QEMU, busybox, the kernels of the test matrix
# with their headers, the libraries of wqctl, and the linters.  Kernel
# versions are resolved with apt-cache at run time, never hard-coded.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root (it installs Debian packages)"
export DEBIAN_FRONTEND=noninteractive
# The VM boots the kernels directly: no initramfs is needed on the host.
export INITRD=No

TOOLS="build-essential make bc flex bison cpio kmod xz-utils pahole
	libelf-dev libssl-dev sparse qemu-system-x86 busybox-static
	cmake g++ libnl-3-dev libnl-genl-3-dev libcli11-dev nlohmann-json3-dev
	libgtest-dev clang-format clang-tidy clang perl
	dkms python3 python3-yaml python3-jsonschema bash-completion man-db git
	gnuplot-nox jq linux-perf"

updated=
apt_update() {
	[ -n "$updated" ] && return
	echo "setup: apt-get update"
	apt-get update -qq || true
	updated=1
}

installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

# The newest package whose name matches the extended regex $1.
newest_pkg() {
	apt-cache pkgnames | grep -E "^$1\$" | sort -V | tail -n 1
}

# Refresh the lists once when they are missing, so that look-ups work.
compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || apt_update

kpkgs="linux-image-amd64 linux-headers-amd64 linux-source-6.12"
for flavour in amd64 rt-amd64; do
	img=$(newest_pkg "linux-image-6\.12\.[0-9]+\+deb12-$flavour")
	if [ -z "$img" ]; then
		apt_update
		img=$(newest_pkg "linux-image-6\.12\.[0-9]+\+deb12-$flavour")
	fi
	[ -n "$img" ] || die "no linux-image-6.12.*+deb12-$flavour package found"
	kpkgs="$kpkgs $img ${img/linux-image-/linux-headers-}"
done

missing=
for p in $TOOLS $kpkgs; do
	installed "$p" || missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	# shellcheck disable=SC2086
	if ! apt-get install -y -qq --no-install-recommends $missing; then
		# Stale lists name versions the archive no longer has.
		updated=
		apt_update
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing
	fi
fi

for k in $PCWQ_KERNELS; do
	kernel_select "$k"
	echo "setup: kernel $k = $KREL"
done
"$(dirname "$0")/checkpatch.sh" --setup-only
"$(dirname "$0")/ynl.sh" --dir >/dev/null
