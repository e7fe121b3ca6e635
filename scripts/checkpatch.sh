#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl --strict on the module sources.  The script
# is taken from Debian's linux-source-6.12 once and kept in the cache.
# --setup-only just extracts it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null) ||
	die "linux-source-6.12 is not installed: run scripts/setup.sh"
dir=$PCWQ_CACHE/checkpatch/$(stat -c %Y "$tarball")
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	echo "checkpatch: extracting checkpatch.pl from $tarball"
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1 \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
fi
[ "${1:-}" = --setup-only ] && exit 0

cd "$PCWQ_TOP"
files=$(find module tests -name '*.[ch]' -not -name '*.mod.c' | sort)
# shellcheck disable=SC2086
"$dir/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f $files
