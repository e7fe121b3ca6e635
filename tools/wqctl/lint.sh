#!/bin/bash
# Checks formatting (clang-format) and code (clang-tidy) of wqctl and of the netlink fuzzer in
# tests/nlfuzz (built with wqctl, same style); exits non-zero on any finding.
#
#   lint.sh            every source file
#   lint.sh FILE...    only these (paths relative to the current directory)
#
# clang-tidy needs build/compile_commands.json (WQCTL_BUILD_DIR): the build directory is
# configured when missing.  A file that passed clang-tidy is stamped in a cache and not checked
# again until something that could change the result changes; see tidy_key.
set -euo pipefail

files=()
for f in "$@"; do
  files+=("$(realpath -- "$f")")
done
cd "$(dirname "$0")"
build=${WQCTL_BUILD_DIR:-build}
clang_format=${CLANG_FORMAT:-clang-format-14}
clang_tidy=${CLANG_TIDY:-clang-tidy-14}
# The preprocessor of the cache key: the clang of clang-tidy's release (clang-tidy-14:
# clang++-14), so that it takes the same #if __clang_major__ branches in the headers.
clang_cpp=${CLANG_CPP:-${clang_tidy/clang-tidy/clang++}}
tidy_cache=${PCWQ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcwq}/tidy

if [[ ! -f "$build/compile_commands.json" ]]; then
  cmake -S . -B "$build" >/dev/null
fi

# The fuzzer's directory has no configuration of its own: it takes this one's.
nlfuzz=$(realpath ../../tests/nlfuzz)
if ((${#files[@]} == 0)); then
  files=("$PWD"/src/*.[ch]pp "$PWD"/tests/*.[ch]pp "$nlfuzz"/*.[ch]pp)
fi
ours=() fuzz=()
for f in "${files[@]}"; do
  if [[ $f == "$nlfuzz"/* ]]; then fuzz+=("$f"); else ours+=("$f"); fi
done
status=0

echo "lint: $clang_format"
if ((${#ours[@]})); then
  "$clang_format" --dry-run --Werror "${ours[@]}" || status=1
fi
if ((${#fuzz[@]})); then
  "$clang_format" --dry-run --Werror --style=file:.clang-format "${fuzz[@]}" || status=1
fi

# tidy_key ARG... FILE: print the cache key of clang-tidy with these arguments on FILE, or
# nothing when there is none (FILE not in the compile commands, or it does not preprocess).
# The key is the sha256 of everything the result depends on:
#  - clang-tidy: its version string and the hash of its binary;
#  - the arguments lint.sh passes, and every .clang-tidy from FILE's directory up to / and the
#    one named by --config-file;
#  - FILE's entry in compile_commands.json (directory, command);
#  - the text of FILE preprocessed by clang with that command and clang-tidy's extra arguments:
#    this covers what the flags make of the sources (macros, #if branches, which header a search
#    path finds, __has_include);
#  - the bytes of every file the preprocessor read (FILE and each header, ours and the
#    libraries'): this covers what -E drops, i.e. comments (NOLINT), macro definitions, and
#    whether code was written out or came from a macro.
# shellcheck disable=SC2317 # run by xargs, through bash -c
tidy_key() {
  local file=${*: -1} args=("${@:1:$#-1}") a dir cpp
  # Called as $(tidy_key ...): a subshell, whose exit removes its files (tmp is not local: the
  # trap runs after the function returned).
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  {
    echo "$tidy_version"
    printf 'arg %s\n' "${args[@]}"
    for a in "${args[@]}"; do
      if [[ $a == --config-file=* ]]; then sha256sum -- "${a#--config-file=}"; fi
    done
    dir=$(dirname "$file")
    while :; do
      if [[ -f $dir/.clang-tidy ]]; then sha256sum -- "$dir/.clang-tidy"; fi
      [[ $dir == / ]] && break
      dir=$(dirname "$dir")
    done
  } >"$tmp/key"
  # The compile command, and the preprocessor's one made from it (see tidy_commands).
  local cmd
  cmd=$tidy_cmds/$(printf '%s' "$file" | sha256sum | cut -d ' ' -f 1)
  [[ -f $cmd.cpp ]] || return 0
  cat "$cmd.entry" >>"$tmp/key"
  mapfile -d '' cpp <"$cmd.cpp"
  local before=() after=()
  for a in "${args[@]}"; do
    case $a in
    --extra-arg-before=*) before+=("${a#--extra-arg-before=}") ;;
    --extra-arg=*) after+=("${a#--extra-arg=}") ;;
    esac
  done
  (cd "${cpp[0]}" && "${cpp[1]}" "${before[@]}" "${cpp[@]:2}" "${after[@]}" \
    -E -MD -MF "$tmp/deps" -o "$tmp/pp") 2>/dev/null || return 0
  sha256sum <"$tmp/pp" | sed 's/-$/preprocessed/' >>"$tmp/key"
  # The dependency file: "target: dep dep \" lines, spaces in names escaped.  A name it fails to
  # read back leaves the file without a key: checked every time.
  sed -e 's/\\$//' -e 's/\\ /\x01/g' "$tmp/deps" | tr -s ' \t' '\n' | grep -v -e '^$' -e ':$' |
    tr '\001' ' ' | sort -u | (cd "${cpp[0]}" && xargs -d '\n' sha256sum --) >>"$tmp/key" ||
    return 0
  sha256sum <"$tmp/key" | cut -d ' ' -f 1
}

# tidy_one ARG... FILE: clang-tidy on FILE unless its key is stamped; stamp a clean pass.
# Appends "checked", "reused" or "failed" to $tidy_tally.
# shellcheck disable=SC2317 # run by xargs, through bash -c
tidy_one() {
  local file=${*: -1} key
  key=$(tidy_key "$@")
  if [[ -n $key && -f $tidy_cache/$key ]]; then
    touch "$tidy_cache/$key"
    echo reused >>"$tidy_tally"
    return 0
  fi
  if ! "$clang_tidy" -p "$build" "$@"; then
    echo failed >>"$tidy_tally"
    return 1
  fi
  echo checked >>"$tidy_tally"
  if [[ -n $key ]]; then
    mkdir -p "$tidy_cache"
    echo "$file" >"$tidy_cache/$key.$$"
    mv -f "$tidy_cache/$key.$$" "$tidy_cache/$key"
  fi
}

# tidy_commands: for each entry of compile_commands.json, in $tidy_cmds/<sha256 of its file's
# real path>: .entry, its directory and command; .cpp, the preprocessor's command made from it
# (NUL-separated: directory, then arguments): clang instead of the compiler, without -c and
# the output and dependency options (tidy_key adds clang-tidy's extra arguments and -E).  A
# file with several entries gets neither: clang-tidy checks each, it is checked every time.
tidy_commands() {
  python3 - "$build/compile_commands.json" "$clang_cpp" "$tidy_cmds" <<'EOF'
import hashlib, json, os, shlex, sys
db, cpp, out_dir = sys.argv[1:]
seen, several = set(), set()
for entry in json.load(open(db)):
    file = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
    out = os.path.join(out_dir, hashlib.sha256(file.encode()).hexdigest())
    if file in seen:
        several.add(out)
    seen.add(file)
    argv = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    with open(out + ".entry", "w") as f:
        print("command", json.dumps([entry["directory"], argv]), file=f)
    cmd, it = [entry["directory"], cpp], iter(argv[1:])
    for a in it:
        if a in {"-o", "-MF", "-MT", "-MQ"}:
            next(it, None)
        elif a not in {"-c", "-MD", "-MMD"} and not a.startswith("-o"):
            cmd.append(a)
    with open(out + ".cpp", "w") as f:
        f.write("\0".join(cmd) + "\0")
for out in several:
    os.remove(out + ".entry")
    os.remove(out + ".cpp")
EOF
}

tidy_version="$("$clang_tidy" --version)
$(sha256sum "$(realpath "$(command -v "$clang_tidy")")")"
tidy_tally=$(mktemp)
tidy_cmds=$(mktemp -d)
trap 'rm -rf "$tidy_tally" "$tidy_cmds"' EXIT
tidy_commands
export build clang_tidy tidy_cache tidy_version tidy_tally tidy_cmds
export -f tidy_key tidy_one

# tidy ARG... -- FILE...: tidy_one on each .cpp FILE, one file per process, as many at once as
# there are CPUs.
tidy() {
  local args=() sources=() f
  while [[ $1 != -- ]]; do
    args+=("$1")
    shift
  done
  shift
  for f in "$@"; do
    [[ $f == *.cpp ]] && sources+=("$f")
  done
  ((${#sources[@]})) || return 0
  printf '%s\0' "${sources[@]}" |
    xargs -0 -n 1 -P "$(nproc)" bash -c 'set -euo pipefail; tidy_one "$@"' tidy_one "${args[@]}"
}

# The compile commands are GCC's: clang does not know all of its warning options (-Wno-restrict).
echo "lint: $clang_tidy (cache $tidy_cache)"
# Stamps not used for 30 days go.
if [[ -d $tidy_cache ]]; then
  find "$tidy_cache" -type f -mtime +30 -delete
fi
extra=(--quiet --warnings-as-errors='*' --extra-arg=-Wno-unknown-warning-option)
tidy "${extra[@]}" -- "${ours[@]}" || status=1
tidy "${extra[@]}" --config-file=.clang-tidy --header-filter='tests/nlfuzz/' -- "${fuzz[@]}" ||
  status=1
echo "lint: clang-tidy checked $(grep -cx -e checked -e failed "$tidy_tally" || true)" \
  "files ($(grep -cx failed "$tidy_tally" || true) failed)," \
  "reused $(grep -cx reused "$tidy_tally" || true) clean results"

exit "$status"
