#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ksft-install.sh DEST [FILE...]: install the VM tests as kselftests, the
# way the kernel's "make -C tools/testing/selftests install" lays them out:
#
#   DEST/run_kselftest.sh       runs them (tests/run_kselftest.sh)
#   DEST/kselftest-list.txt     pcwq:10-params.sh ...
#   DEST/pcwq/NN-name.sh        tests/vm/*.sh
#   DEST/pcwq/settings          timeout=N
#   DEST/pcwq/lib/              the helpers they source (tests/lib)
#   DEST/pcwq/modules/          FILE...: *.ko (pcwq.ko and the test modules)
#   DEST/pcwq/                  FILE...: other programs (pcwq_nlfuzz)
#
# In the VM the tests find their helpers in /tests/lib and the modules in
# /pcwq; the installed copies look next to the test instead, so the tree
# can be moved.  wqctl comes from PATH.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: ksft-install.sh DEST [FILE...]"
dest=$1
shift
col=$dest/pcwq
install -d "$col/lib" "$col/modules"
# /pcwq/ as a path of its own (not /sys/module/pcwq/ or events/pcwq/).
modpath='s|"/pcwq/|"$PCWQ_MODDIR/|g; s|\([ =]\)/pcwq/|\1"$PCWQ_MODDIR"/|g'

# The helpers: pcwq.sh learns where it is and where the modules are (a
# test sources it, so $0 is the test, in the collection directory).
install -m 644 "$PCWQ_TOP"/tests/lib/{ktap,pcwq,stall}.sh "$col/lib/"
install -m 755 "$PCWQ_TOP/tests/lib/runner.sh" "$col/lib/"
{
	echo '# Installed by make install: paths relative to the collection.'
	echo 'PCWQ_KSFT_DIR=$(cd "$(dirname "$0")" && pwd)'
	echo 'PCWQ_MODDIR=${PCWQ_MODDIR:-$PCWQ_KSFT_DIR/modules}'
	echo 'PATH=$PCWQ_KSFT_DIR:$PATH'
	sed "$modpath" "$PCWQ_TOP/tests/lib/pcwq.sh"
} >"$col/lib/pcwq.sh"

# The tests, each with its helpers taken from next to it.
: >"$dest/kselftest-list.txt"
for t in "$PCWQ_TOP"/tests/vm/*.sh; do
	name=${t##*/}
	sed -e 's|^\. /tests/lib/|. "$(dirname "$0")"/lib/|' \
		-e "$modpath" "$t" \
		>"$col/$name"
	chmod 755 "$col/$name"
	echo "pcwq:$name" >>"$dest/kselftest-list.txt"
done
install -m 644 "$PCWQ_TOP/tests/vm/settings" "$col/settings"
install -m 755 "$PCWQ_TOP/tests/run_kselftest.sh" "$dest/run_kselftest.sh"

for f in "$@"; do
	[ -f "$f" ] || die "$f missing: build it first"
	case $f in
	*.ko) install -m 644 "$f" "$col/modules/" ;;
	*) install -m 755 "$f" "$col/" ;;
	esac
done
