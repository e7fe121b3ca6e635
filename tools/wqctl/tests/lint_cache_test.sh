#!/bin/bash
# lint.sh's clang-tidy cache must never hide a finding.  On a small tree of its own (a source and
# a header under tools/wqctl/src, a library header under an -isystem directory, wqctl's
# .clang-tidy and .clang-format) with a cache directory of its own, it checks that a clean pass
# is stamped and reused, and that a change of the source, of our header, of a library header, of
# a NOLINT comment or of the compile command is checked again; that a finding is reported every
# time (a failure is never stamped).  Exits 77 (skipped) without clang-tidy.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
lint=$here/lint.sh
for tool in "${CLANG_TIDY:-clang-tidy-14}" "${CLANG_CPP:-clang++-14}" \
  "${CLANG_FORMAT:-clang-format-14}"; do
  if ! command -v "$tool" >/dev/null; then
    echo "# SKIP: $tool is not installed"
    exit 77
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/tools/wqctl/src
mkdir -p "$src" "$tmp/sys" "$tmp/build"
cp "$here/.clang-tidy" "$here/.clang-format" "$tmp/tools/wqctl/"
export PCWQ_CACHE=$tmp/cache WQCTL_BUILD_DIR=$tmp/build

compile_commands() {
  cat >"$tmp/build/compile_commands.json" <<EOF
[{"directory": "$tmp/build",
  "command": "/usr/bin/c++ -I$src -isystem $tmp/sys $1 -std=c++20 -o a.o -c $src/a.cpp",
  "file": "$src/a.cpp"}]
EOF
}
compile_commands -O2

cat >"$tmp/sys/lib.hpp" <<'EOF'
#pragma once
inline int lib_value() { return 2; }
EOF
write_header() {
  cat >"$src/a.hpp" <<EOF
#pragma once

namespace demo {

$1

}  // namespace demo
EOF
}
write_header 'int twice(int value);'
write_source() {
  cat >"$src/a.cpp" <<EOF
#include "a.hpp"

#include <lib.hpp>

namespace demo {

$1

}  // namespace demo
EOF
}
clean='int twice(int value) { return value * lib_value(); }'
write_source "$clean"

failures=0
# expect STATUS COUNTS WHAT: lint.sh on a.cpp and a.hpp exits with STATUS (0 or 1) and says it
# "checked C files (F failed), reused R clean results" with COUNTS "C F R".
expect() {
  local want_status=$1 counts=$2 what=$3 out status=0 c f r line
  out=$("$lint" "$src/a.cpp" "$src/a.hpp" 2>&1) || status=$?
  read -r c f r <<<"$counts"
  if [[ $status != "$want_status" ]]; then
    echo "not ok - $what: lint.sh exited $status, expected $want_status"
  elif ! grep -qx "lint: clang-tidy checked $c files ($f failed), reused $r clean results" \
    <<<"$out"; then
    echo "not ok - $what: expected $c checked, $f failed, $r reused"
  else
    echo "ok - $what"
    return 0
  fi
  while IFS= read -r line; do echo "# $line"; done <<<"$out"
  failures=$((failures + 1))
}
stamps() {
  find "$PCWQ_CACHE/tidy" -type f 2>/dev/null | wc -l
}

expect 0 '1 0 0' "a clean file is checked"
[[ $(stamps) == 1 ]] || { echo "not ok - the clean pass is stamped"; failures=$((failures + 1)); }
expect 0 '0 0 1' "unchanged, it is reused"

write_source 'int twice(int Value) { return Value * lib_value(); }'
expect 1 '1 1 0' "a finding injected in the source is reported"
expect 1 '1 1 0' "and reported again: a failure is never stamped"
[[ $(stamps) == 1 ]] || { echo "not ok - no stamp for a failure"; failures=$((failures + 1)); }

write_source "$clean"
expect 0 '0 0 1' "the clean source back: reused"

write_source 'int twice(int Value) { return Value * lib_value(); }  // NOLINT'
expect 0 '1 0 0' "a finding under NOLINT: clean, checked"
write_source 'int twice(int Value) { return Value * lib_value(); }'
expect 1 '1 1 0' "the NOLINT comment removed (same preprocessed text): reported"

write_source "$clean"
write_header $'int twice(int value);\nint Thrice(int value);'
expect 1 '1 1 0' "a finding injected in the included header is reported"
write_header $'// A comment.\nint twice(int value);'
expect 0 '1 0 0' "a comment added to the included header: checked again"
expect 0 '0 0 1' "and then reused"

echo 'inline int lib_other() { return 3; }' >>"$tmp/sys/lib.hpp"
expect 0 '1 0 0' "a library header changed: checked again"

compile_commands -O1
expect 0 '1 0 0' "the compile command changed: checked again"

cp "$here/.clang-tidy" "$tmp/.clang-tidy"
expect 0 '1 0 0' "a .clang-tidy added in a parent directory: checked again"

if ((failures)); then
  echo "# $failures failed"
  exit 1
fi
echo "# the cache reused only unchanged clean results"
