#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the installed pcwq kselftests (make install-selftests).  The tree is
# laid out like the kernel's "make -C tools/testing/selftests install":
# kselftest-list.txt names COLLECTION:TEST, and each collection directory
# holds its tests, the helpers they source and a "settings" file
# (timeout=N).  The options are those of the kernel's run_kselftest.sh that
# apply.  Run as root, with the pcwq module not in use (the tests load and
# unload it).  Prints KTAP; exits 0 when no test failed.
BASE_DIR=$(cd "$(dirname "$0")" && pwd)
LIST=$BASE_DIR/kselftest-list.txt
[ -r "$LIST" ] || { echo "$0: no list of tests ($LIST)" >&2; exit 1; }
available=$(cat "$LIST")

usage() {
	cat <<USAGE
Usage: $0 [OPTIONS]
  -t | --test COLLECTION:TEST	Run TEST from COLLECTION
  -c | --collection COLLECTION	Run all tests from COLLECTION
  -l | --list			List the available collection:test entries
  -d | --dry-run		Only show what would run
  -h | --help			Show this usage info
USAGE
	exit "$1"
}

selected=
dryrun=
while [ $# -gt 0 ]; do
	case $1 in
	-t | --test)
		[ $# -ge 2 ] || usage 1
		echo "$available" | grep -qx -- "$2" ||
			{ echo "No such test '$2'" >&2; exit 1; }
		selected="$selected $2"
		shift 2 ;;
	-c | --collection)
		[ $# -ge 2 ] || usage 1
		found=$(echo "$available" | grep -- "^$2:") ||
			{ echo "No such collection '$2'" >&2; exit 1; }
		selected="$selected $found"
		shift 2 ;;
	-l | --list)
		echo "$available"
		exit 0 ;;
	-d | --dry-run)
		dryrun=1
		shift ;;
	-h | --help)
		usage 0 ;;
	*)
		usage 1 ;;
	esac
done
[ -n "$selected" ] || selected=$available

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for collection in $(echo "$selected" | tr ' ' '\n' | cut -d: -f1 | sort -u); do
	tests=$(echo "$selected" | tr ' ' '\n' | sed -n "s/^$collection://p" |
		sed 's/\.sh$//' | sort -u | tr '\n' ',')
	if [ -n "$dryrun" ]; then
		echo "$collection: ${tests%,}"
		continue
	fi
	# The collection's runner (tests/lib/runner.sh) runs them in name
	# order, each bounded by the timeout of its settings.
	pcwq_only=${tests%,} "$BASE_DIR/$collection/lib/runner.sh" \
		"$BASE_DIR/$collection" | tee -a "$log"
done
! grep -q '^not ok' "$log"
