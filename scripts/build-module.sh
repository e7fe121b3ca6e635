#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh K: build pcwq.ko and the test modules for matrix kernel K
# in build/K/ with W=1 and sparse (C=1).  Any compiler or sparse warning
# fails the build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k=$1
kernel_select "$k"
dir=$PCWQ_BUILD/$k
mkdir -p "$dir"
# Kbuild builds in the source directory: give each kernel its own copy.
rm -rf "$dir/module" "$dir/tests"
mkdir -p "$dir/tests"
cp -r "$PCWQ_TOP/module" "$dir/module"
cp -r "$PCWQ_TOP/tests/modules" "$dir/tests/modules"
find "$dir/module" "$dir/tests" \( -name '*.o' -o -name '*.ko' \
	-o -name '.*.cmd' -o -name '*.mod*' -o -name 'modules.order' \
	-o -name 'Module.symvers' \) -delete
cp "$PCWQ_TOP/VERSION" "$PCWQ_TOP/Kconfig" "$dir/"

sparse=
command -v sparse >/dev/null && sparse="C=1"
log=$dir/build.log
if ! { make -C "$KHEADERS" M="$dir/module" W=1 $sparse modules &&
	make -C "$KHEADERS" M="$dir/tests/modules" W=1 $sparse \
		KBUILD_EXTRA_SYMBOLS="$dir/module/Module.symvers" modules; } \
	>"$log" 2>&1; then
	cat "$log" >&2
	die "module build for $k ($KREL) failed"
fi
if grep -E 'warning:|error:' "$log" >&2; then
	die "module build for $k ($KREL) has warnings"
fi
echo "build-module: $dir/module/pcwq.ko for $KREL"
