#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl --strict on the module sources.  The script
# is taken from Debian's linux-source-6.12 once and kept in the cache.
# --setup-only just extracts it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$(linux_source_part checkpatch scripts/checkpatch.pl \
	scripts/spelling.txt scripts/const_structs.checkpatch)
[ "${1:-}" = --setup-only ] && exit 0

cd "$PCWQ_TOP"
files=$(find module tests -name '*.[ch]' -not -name '*.mod.c' | sort)
# shellcheck disable=SC2086
"$dir/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f $files
