#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every executable *.sh of directory $1 in name order, kselftest style:
# each test's own KTAP output is nested two spaces deep, and its exit code
# becomes the top-level result (0 ok, 4 skip, anything else not ok).  A test
# running longer than its "# timeout: N" line or else the directory's
# settings "timeout=" (default 45 s) is killed and fails.  pcwq_slow=N on
# the kernel command line (the debug kernel) multiplies the limits.
dir=$1
timeout=45
[ -f "$dir/settings" ] && . "$dir/settings"

# pcwq_only=NAME,NAME (kernel command line, for development): only those.
only=$(echo "${pcwq_only:-*}" | tr ',' ' ' | sed 's/[^ ]*/&.sh/g')
# shellcheck disable=SC2086
tests=$(cd "$dir" && ls -- $only)
n=0
for t in $tests; do n=$((n + 1)); done

exec 4>&1
echo "KTAP version 1"
echo "1..$n"
i=0
for t in $tests; do
	i=$((i + 1))
	name=${t%.sh}
	echo "# RUN $name"
	limit=$(sed -n 's/^# timeout: \([0-9]*\)$/\1/p' "$dir/$t")
	limit=$((${limit:-$timeout} * ${pcwq_slow:-1}))
	# Stream the nested output; the exit status comes back on fd 3.
	rc=$({ {
		timeout -s KILL "$limit" sh "$dir/$t" 2>&1
		echo $? >&3
	} | sed 's/^/  /' >&4; } 3>&1)
	case $rc in
	0) echo "ok $i $name" ;;
	4) echo "ok $i $name # SKIP" ;;
	137) echo "not ok $i $name # TIMEOUT ${limit}s" ;;
	*) echo "not ok $i $name # exit=$rc" ;;
	esac
done
