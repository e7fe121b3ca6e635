#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, then the host unit tests of wqctl,
# the linters, and the VM suite on every kernel of the matrix, the debug
# kernel last.  Ends with "N passed, N failed, N skipped" over all of them;
# exits 0 only if nothing failed.
#
# The linters and the build of the debug kernel (when it is not in the
# cache) run in the background as SCHED_IDLE tasks while the VM suites of
# the stock kernels run: they take the CPU time the VMs leave, and never
# take it from them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$PCWQ_TOP"

"$PCWQ_TOP/scripts/setup.sh" || die "set-up failed"
rm -rf "$PCWQ_BUILD/results"
mkdir -p "$PCWQ_BUILD/results"
PCWQ_RES=$PCWQ_BUILD/results/host.res
: >"$PCWQ_RES"

# Host: build wqctl and run its unit tests, one result per test.
if make -s wqctl; then
	record ok "host: wqctl builds"
	ctest --test-dir tools/wqctl/build --output-on-failure \
		>"$PCWQ_BUILD/results/ctest.log" 2>&1
	grep -E '^ *[0-9]+/[0-9]+ Test +#[0-9]+: ' "$PCWQ_BUILD/results/ctest.log" |
		sed -E 's/^.*Test +#[0-9]+: ([^ ]+) [ .*]*(Passed|\*\*\*Failed|Not Run|\*\*\*Skipped|\*\*\*Exception|\*\*\*Timeout).*$/\2 \1/' |
		while read -r st name; do
			case $st in
			Passed) record ok "host: $name" ;;
			*Skipped) record skip "host: $name" ;;
			*) record fail "host: $name" "$st" ;;
			esac
		done
	grep -q 'Passed' "$PCWQ_BUILD/results/ctest.log" ||
		record fail "host: unit tests ran" "see build/results/ctest.log"
else
	record fail "host: wqctl builds"
fi

# Packaging: make install into a DESTDIR, uninstall, DKMS build against
# 6.12, the completion, the YNL spec and the UAPI header.
PCWQ_RES=$PCWQ_RES "$PCWQ_TOP/scripts/pkg-test.sh"

# Style, in the background: checkpatch --strict, clang-format, clang-tidy.
# A failure's log goes to lint.res.diag, printed at the end.
(
	chrt --idle -p 0 "$BASHPID"
	PCWQ_RES=$PCWQ_BUILD/results/lint.res
	if ! scripts/checkpatch.sh >"$PCWQ_BUILD/results/checkpatch.log" 2>&1; then
		record fail "lint: checkpatch --strict" \
			"$(head -n 1 "$PCWQ_BUILD/results/checkpatch.log")"
		cat "$PCWQ_BUILD/results/checkpatch.log" >>"$PCWQ_RES.diag"
	else
		record ok "lint: checkpatch --strict"
	fi
	if ! tools/wqctl/lint.sh >"$PCWQ_BUILD/results/wqctl-lint.log" 2>&1; then
		record fail "lint: wqctl clang-format and clang-tidy"
		tail -n 30 "$PCWQ_BUILD/results/wqctl-lint.log" >>"$PCWQ_RES.diag"
	else
		record ok "lint: wqctl clang-format and clang-tidy"
	fi
) >/dev/null &
lint_pid=$!
chrt --idle 0 scripts/debug-kernel.sh >"$PCWQ_BUILD/results/debug-kernel.log" 2>&1 &
debug_pid=$!

# The VM suites.
for k in $PCWQ_KERNELS; do
	"$PCWQ_TOP/scripts/vm-test.sh" "$k" --no-report
done
PCWQ_RES=$PCWQ_BUILD/results/debug.res
if wait "$debug_pid"; then
	"$PCWQ_TOP/scripts/vm-test.sh" debug --no-report
else
	: >"$PCWQ_RES"
	record fail "debug: the debug kernel builds" "see build/results/debug-kernel.log"
	tail -n 30 "$PCWQ_BUILD/results/debug-kernel.log" >"$PCWQ_RES.diag"
fi
wait "$lint_pid"

# The benchmark's host side on the lines of the 6.12 suite's smoke run
# (tests/vm/92-bench-smoke.sh): table, JSON and plots are made, no timing
# judged.
PCWQ_RES=$PCWQ_BUILD/results/host.res
smoke=$PCWQ_BUILD/6.12/test.out
if grep -q '# BENCH R ' "$smoke" 2>/dev/null; then
	if python3 scripts/bench-report.py "$smoke" \
		--results "$PCWQ_BUILD/results/bench-smoke" \
		>"$PCWQ_BUILD/results/bench-smoke.log" 2>&1 &&
		[ -s "$PCWQ_BUILD/results/bench-smoke/throughput.png" ] &&
		jq -e '.throughput_ratio_vs_cmwq and .p99_start_latency_ratio_vs_cmwq
			and .rescuer_hol_ratio_one_vs_batch' \
			"$PCWQ_BUILD/results/bench-smoke/latest.json" >/dev/null; then
		record ok "host: bench report from the 6.12 smoke run"
	else
		record fail "host: bench report from the 6.12 smoke run" \
			"$(tail -n 1 "$PCWQ_BUILD/results/bench-smoke.log")"
	fi
else
	record fail "host: bench report from the 6.12 smoke run" "no BENCH lines in $smoke"
fi

# What the VM suites that stopped early left, last, where CI shows it.
cat "$PCWQ_BUILD"/results/*.diag 2>/dev/null
echo "# summary of every kernel"
"$PCWQ_TOP/scripts/report.sh" "$PCWQ_BUILD"/results/*.res
