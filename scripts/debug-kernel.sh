#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build the debug kernel of the test matrix (K=debug) from
# Debian's linux-source-6.12 with scripts/debug.config, or reuse the one in
# the cache.  The cache directory is keyed by the source package's version
# and the fragment's hash (debug_kernel_dir in lib.sh); a build is complete
# when its "done" stamp exists, so an interrupted one is redone.  Prints
# the directory; its bzImage and build tree are what kernel_select debug
# uses.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "$tarball missing: run scripts/setup.sh"
dir=$(debug_kernel_dir)
if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
log=$dir/build.log
echo "debug-kernel: building in $dir (about 11 minutes on 2 CPUs)" >&2
tar -xf "$tarball" -C "$dir" --strip-components=1
frag=$PCWQ_TOP/scripts/debug.config
if ! {
	make -C "$dir" tinyconfig &&
		(cd "$dir" && scripts/kconfig/merge_config.sh -m .config "$frag") &&
		make -C "$dir" olddefconfig
} >"$log" 2>&1; then
	cat "$log" >&2
	die "configuring the debug kernel failed"
fi

# Every option of the fragment must have survived the dependencies.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=n)
		opt=${line%=n}
		if grep -q "^$opt=" "$dir/.config"; then
			echo "debug-kernel: $opt is set, the fragment wants it off" >&2
			bad=1
		fi
		;;
	CONFIG_*)
		if ! grep -qx "$line" "$dir/.config"; then
			echo "debug-kernel: $line did not survive olddefconfig" >&2
			bad=1
		fi
		;;
	esac
done <"$frag"
[ "$bad" = 0 ] || die "the debug configuration lacks options of $frag"

if ! make -C "$dir" -j"$(nproc)" all >>"$log" 2>&1; then
	tail -n 50 "$log" >&2
	die "building the debug kernel failed (log: $log)"
fi
touch "$dir/done"
echo "$dir"
