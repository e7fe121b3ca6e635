#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh FILE...: print the KTAP summary of result files (lines of
# "STATUS<TAB>NAME<TAB>DIAG" with STATUS ok, fail or skip) and the closing
# line "N passed, N failed, N skipped".  Exits 1 if anything failed.
set -euo pipefail
cat "$@" | awk -F '\t' '
	{ n++; line[n] = $0; st[n] = $1; name[n] = $2; diag[n] = $3 }
	END {
		print "KTAP version 1"
		print "1.." n
		for (i = 1; i <= n; i++) {
			if (st[i] == "ok") { pass++; print "ok " i " " name[i] }
			else if (st[i] == "skip") {
				skip++; print "ok " i " " name[i] " # SKIP " diag[i]
			} else {
				fail++
				print "not ok " i " " name[i] (diag[i] != "" ? " # " diag[i] : "")
			}
		}
		if (n == 0) { print "# no test ran"; fail = 1 }
		printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
		exit fail > 0
	}'
