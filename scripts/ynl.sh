#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ynl.sh --dir: print the directory holding the kernel's ynl tooling
# (tools/net/ynl) and netlink schemas (Documentation/netlink/*.yaml),
# taken from Debian's linux-source-6.12 once and kept in the cache, as
# checkpatch.sh does with checkpatch.pl.
# ynl.sh ARGS...: run the ynl CLI (cli.py) with ARGS, e.g.
#   scripts/ynl.sh --spec module/uapi/pcwq.yaml --do config-get
# (the schema of the spec's protocol is passed for it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$(linux_source_part ynl 'Documentation/netlink/*.yaml' tools/net/ynl)
if [ "${1:-}" = --dir ]; then
	echo "$dir"
	exit 0
fi
schema=
args=("$@")
for ((i = 0; i < ${#args[@]} - 1; i++)); do
	if [ "${args[i]}" = --spec ]; then
		proto=$(sed -n 's/^protocol: //p' "${args[i + 1]}")
		schema=$dir/Documentation/netlink/${proto:-genetlink}.yaml
	fi
done
exec /usr/bin/python3 "$dir/tools/net/ynl/cli.py" ${schema:+--schema "$schema"} "$@"
