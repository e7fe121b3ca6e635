# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for the VM tests; source it.  A test declares its plan with
# ktap_plan, reports each case with ktap_ok/ktap_fail/ktap_skip or through
# the check helpers, and ends with ktap_finish, which exits 0 (all passed),
# 1 (a case failed or the plan was not met) or 4 (everything skipped).

KTAP_N=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_PLAN=0

ktap_plan() {
	KTAP_PLAN=$1
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_diag() {
	echo "$*" | sed 's/^/# /'
}

ktap_ok() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_N $1"
}

ktap_fail() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	[ $# -gt 1 ] && ktap_diag "$2"
	echo "not ok $KTAP_N $1"
}

ktap_skip() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

# ktap_check NAME CMD...: ok when CMD succeeds.
ktap_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ktap_ok "$name"
	else
		ktap_fail "$name" "'$*' failed: $out"
	fi
}

# ktap_check_fails NAME CMD...: ok when CMD fails.
ktap_check_fails() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ktap_fail "$name" "'$*' succeeded unexpectedly: $out"
	else
		ktap_ok "$name"
	fi
}

# ktap_check_eq NAME EXPECTED ACTUAL
ktap_check_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "expected '$2', got '$3'"
	fi
}

# ktap_check_match NAME ERE TEXT: ok when TEXT matches the extended regex.
ktap_check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "'$3' does not match /$2/"
	fi
}

ktap_finish() {
	if [ "$KTAP_N" -ne "$KTAP_PLAN" ]; then
		ktap_diag "planned $KTAP_PLAN tests, ran $KTAP_N"
		exit 1
	fi
	ktap_diag "pass:$KTAP_PASS fail:$KTAP_FAIL skip:$KTAP_SKIP"
	[ "$KTAP_FAIL" -eq 0 ] || exit 1
	[ "$KTAP_PASS" -eq 0 ] && [ "$KTAP_SKIP" -gt 0 ] && exit 4
	exit 0
}
