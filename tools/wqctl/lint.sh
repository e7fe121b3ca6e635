#!/bin/bash
# Checks formatting (clang-format) and code (clang-tidy) of wqctl and of the netlink fuzzer in
# tests/nlfuzz (built with wqctl, same style); exits non-zero on any finding.
# clang-tidy needs build/compile_commands.json: the build directory is configured when missing.
set -euo pipefail

cd "$(dirname "$0")"
build=${WQCTL_BUILD_DIR:-build}
clang_format=${CLANG_FORMAT:-clang-format-14}
clang_tidy=${CLANG_TIDY:-clang-tidy-14}

if [[ ! -f "$build/compile_commands.json" ]]; then
  cmake -S . -B "$build" >/dev/null
fi

sources=(src/*.cpp tests/*.cpp)
# The fuzzer's directory has no configuration of its own: it takes this one's.
nlfuzz=../../tests/nlfuzz
nlfuzz_sources=("$nlfuzz"/*.cpp)
status=0

echo "lint: $clang_format"
"$clang_format" --dry-run --Werror src/*.hpp tests/*.hpp "${sources[@]}" || status=1
"$clang_format" --dry-run --Werror --style=file:.clang-format "$nlfuzz"/*.hpp \
  "${nlfuzz_sources[@]}" || status=1

# One file per process, as many at once as there are CPUs.  The compile commands are GCC's:
# clang does not know all of its warning options (-Wno-restrict).
echo "lint: $clang_tidy"
tidy=("$clang_tidy" -p "$build" --quiet --warnings-as-errors='*'
  --extra-arg=-Wno-unknown-warning-option)
printf '%s\0' "${sources[@]}" | xargs -0 -n 1 -P "$(nproc)" "${tidy[@]}" || status=1
printf '%s\0' "${nlfuzz_sources[@]}" |
  xargs -0 -n 1 -P "$(nproc)" "${tidy[@]}" \
    --config-file=.clang-tidy --header-filter='tests/nlfuzz/' ||
  status=1

exit "$status"
