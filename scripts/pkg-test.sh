#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# pkg-test.sh: the packaging checks, on the host, recorded like check.sh's
# (record ok|fail|skip NAME into $PCWQ_RES):
#   - make install into a DESTDIR, checked file by file, and make uninstall
#     leaving nothing;
#   - the modprobe.d example against the module's parameters;
#   - the installed kselftests run by their run_kselftest.sh, moved;
#   - the bash completion loaded by bash-completion from the DESTDIR;
#   - a DKMS build against the 6.12 headers in a private DKMS tree;
#   - pcwq.yaml against the kernel's genetlink schema, and the UAPI header
#     against the one the kernel's ynl generator makes from the spec.
# Never writes outside its temporary directory and the cache.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$PCWQ_TOP" || exit 1

PCWQ_RES=${PCWQ_RES:-/dev/null}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(cat VERSION)
kernel_select 6.12

# A copy of the tree (tracked and new files), so the build stays out of it.
src=$tmp/src
mkdir -p "$src"
git ls-files -co --exclude-standard -z | xargs -0 tar -c | tar -x -C "$src"
wqb=${PCWQ_WQCTL_BUILD:-$PCWQ_TOP/tools/wqctl/build}
[ -x "$wqb/wqctl" ] && [ -x "$wqb/nlfuzz/pcwq_nlfuzz" ] || make -s wqctl >/dev/null ||
	die "wqctl does not build"
dest=$tmp/dest
inst="make -C $src KDIR=$KHEADERS WQCTL_BUILD=$wqb DESTDIR=$dest"

# --- make install, file by file -------------------------------------------
if $inst install >"$tmp/install.log" 2>&1; then
	record ok "pkg: make install DESTDIR"
else
	record fail "pkg: make install DESTDIR" "$(tail -n 3 "$tmp/install.log" | tr '\n' ' ')"
fi
ksft=usr/local/lib/pcwq/selftests
{
	echo "etc/modprobe.d/pcwq.conf 644"
	echo "lib/modules/$KREL/updates/pcwq.ko.xz 644"
	echo "usr/local/bin/wqctl 755"
	echo "usr/local/include/linux/pcwq_genl.h 644"
	echo "usr/local/share/bash-completion/completions/wqctl 644"
	echo "usr/local/share/man/man8/wqctl.8 644"
	echo "usr/local/share/ynl/specs/pcwq.yaml 644"
	echo "$ksft/run_kselftest.sh 755"
	echo "$ksft/kselftest-list.txt 644"
	echo "$ksft/pcwq/settings 644"
	echo "$ksft/pcwq/pcwq_nlfuzz 755"
	for f in tests/vm/*.sh; do echo "$ksft/pcwq/${f##*/} 755"; done
	for f in ktap pcwq stall; do echo "$ksft/pcwq/lib/$f.sh 644"; done
	echo "$ksft/pcwq/lib/runner.sh 755"
	# pcwq and every test module of tests/modules/Kbuild.
	for m in pcwq $(grep -o 'pcwq_[a-z_]*\.o' tests/modules/Kbuild | sed 's/\.o$//'); do
		echo "$ksft/pcwq/modules/$m.ko 644"
	done
} | sort >"$tmp/want"
(cd "$dest" && find . ! -type d -printf '%P %m\n' | sort) >"$tmp/got"
# Files installed as they are in the tree.
same() { cmp -s "$1" "$dest/$2" || echo "$2 differs from $1"; }
problems=$(
	diff "$tmp/want" "$tmp/got" | sed -n 's/^< /missing or wrong mode: /p; s/^> /unexpected: /p'
	same packaging/pcwq.conf etc/modprobe.d/pcwq.conf
	same "$wqb/wqctl" usr/local/bin/wqctl
	same module/uapi/pcwq_genl.h usr/local/include/linux/pcwq_genl.h
	same tools/wqctl/completion/wqctl.bash usr/local/share/bash-completion/completions/wqctl
	same tools/wqctl/doc/wqctl.8 usr/local/share/man/man8/wqctl.8
	same module/uapi/pcwq.yaml usr/local/share/ynl/specs/pcwq.yaml
	same tests/vm/settings "$ksft/pcwq/settings"
	same tests/run_kselftest.sh "$ksft/run_kselftest.sh"
	ko=$dest/lib/modules/$KREL/updates/pcwq.ko.xz
	[ "$(modinfo -F name "$ko" 2>/dev/null)" = pcwq ] || echo "pcwq.ko.xz: not the pcwq module"
	modinfo -F vermagic "$ko" 2>/dev/null | grep -q "^$KREL " ||
		echo "pcwq.ko.xz: vermagic is not $KREL"
	[ "$(modinfo -F version "$ko" 2>/dev/null)" = "$version" ] || echo "pcwq.ko.xz: not version $version"
	[ "$(sed 's/^pcwq://' "$dest/$ksft/kselftest-list.txt" | sort)" = \
		"$(cd tests/vm && ls -- *.sh | sort)" ] || echo "kselftest-list.txt does not list tests/vm"
	grep -lE '^\. /tests/|[ "=]/pcwq/' "$dest/$ksft"/pcwq/*.sh "$dest/$ksft"/pcwq/lib/*.sh |
		sed 's/$/: a VM path is left/'
	man -l --warnings "$dest/usr/local/share/man/man8/wqctl.8" 2>&1 >/dev/null | sed 's/^/wqctl.8: /'
)
if [ -z "$problems" ]; then
	record ok "pkg: DESTDIR holds exactly the files expected ($(wc -l <"$tmp/want"))"
else
	echo "$problems" | sed 's/^/# /'
	record fail "pkg: DESTDIR holds exactly the files expected" "$(echo "$problems" | head -n 1)"
fi

# --- modprobe.d example --------------------------------------------------
conf=packaging/pcwq.conf
params=$(modinfo -F parm "$dest/lib/modules/$KREL/updates/pcwq.ko.xz" | cut -d: -f1 | sort)
inconf=$(sed -nE 's/^#options pcwq ([a-z_]+)=.*/\1/p' "$conf" | sort)
active=$(grep -vE '^(#|$)' "$conf")
if [ -n "$params" ] && [ "$params" = "$inconf" ] && [ -z "$active" ]; then
	record ok "pkg: pcwq.conf names every parameter, all commented"
else
	record fail "pkg: pcwq.conf names every parameter, all commented" \
		"module: $(echo $params); pcwq.conf: $(echo $inconf); active lines: $active"
fi

# --- the installed kselftests, moved, run by their runner -----------------
moved=$tmp/moved/selftests
mkdir -p "$tmp/moved" && cp -a "$dest/$ksft" "$moved"
cat >"$moved/pcwq/00-probe.sh" <<'PROBE'
#!/bin/sh
. "$(dirname "$0")"/lib/ktap.sh
. "$(dirname "$0")"/lib/pcwq.sh
ktap_plan 3
ktap_check "pcwq.ko next to the tests" test -f "$PCWQ_KO"
ktap_check "pcwq_stress.ko next to the tests" test -f "$PCWQ_MODDIR/pcwq_stress.ko"
ktap_check "pcwq_nlfuzz on PATH" command -v pcwq_nlfuzz
ktap_finish
PROBE
chmod +x "$moved/pcwq/00-probe.sh"
echo "pcwq:00-probe.sh" >>"$moved/kselftest-list.txt"
out=$("$moved/run_kselftest.sh" -t pcwq:00-probe.sh 2>&1)
rc=$?
listed=$("$moved/run_kselftest.sh" -l | wc -l)
if [ $rc = 0 ] && echo "$out" | grep -q '^ok 1 00-probe$' &&
	[ "$listed" = "$(($(ls tests/vm/*.sh | wc -l) + 1))" ]; then
	record ok "pkg: installed kselftests find their helpers and modules"
else
	echo "$out" | sed 's/^/# /'
	record fail "pkg: installed kselftests find their helpers and modules" "rc=$rc, $listed listed"
fi

# --- bash completion, loaded by bash-completion from the DESTDIR ----------
if [ -f /usr/share/bash-completion/bash_completion ]; then
	got=$(XDG_DATA_DIRS=$dest/usr/local/share bash --norc -c '
		. /usr/share/bash-completion/bash_completion
		_completion_loader wqctl 2>/dev/null || __load_completion wqctl
		complete -p wqctl
		COMP_WORDS=(wqctl queue add q --r); COMP_CWORD=4
		_wqctl; echo "${COMPREPLY[*]}"
		COMP_WORDS=(wqctl st); COMP_CWORD=1
		_wqctl; echo "${COMPREPLY[*]}"' 2>&1)
	want="complete -F _wqctl wqctl
--rescuer --rate
status stats"
	if [ "$got" = "$want" ]; then
		record ok "pkg: bash-completion loads the installed completion"
	else
		echo "$got" | sed 's/^/# /'
		record fail "pkg: bash-completion loads the installed completion"
	fi
else
	record skip "pkg: bash-completion loads the installed completion" "no bash-completion"
fi

# --- make uninstall -------------------------------------------------------
$inst install-dkms-src >>"$tmp/install.log" 2>&1
if $inst uninstall >"$tmp/uninstall.log" 2>&1; then
	left=$(cd "$dest" && find . ! -type d)
	if [ -z "$left" ]; then
		record ok "pkg: make uninstall removes every file"
	else
		record fail "pkg: make uninstall removes every file" "left: $(echo $left)"
	fi
else
	record fail "pkg: make uninstall removes every file" "$(tail -n 1 "$tmp/uninstall.log")"
fi
# A changed modprobe.d file is the administrator's: kept.
mkdir -p "$dest/etc/modprobe.d"
echo "options pcwq watchdog_thresh=20" >"$dest/etc/modprobe.d/pcwq.conf"
$inst install-data uninstall >/dev/null 2>&1
if [ "$(cat "$dest/etc/modprobe.d/pcwq.conf" 2>/dev/null)" = "options pcwq watchdog_thresh=20" ]; then
	record ok "pkg: install and uninstall keep an edited pcwq.conf"
else
	record fail "pkg: install and uninstall keep an edited pcwq.conf"
fi

# --- DKMS: build against the 6.12 headers, in a private tree --------------
if command -v dkms >/dev/null; then
	dk=$tmp/dkms
	mkdir -p "$dk/tree" "$dk/inst"
	make -C "$src" DESTDIR="$dk/root" install-dkms-src >/dev/null 2>&1
	dopt=(--dkmstree "$dk/tree" --sourcetree "$dk/root/usr/src" --installtree "$dk/inst")
	conf_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
	if [ "$conf_ver" != "$version" ]; then
		record fail "pkg: dkms.conf PACKAGE_VERSION is VERSION" "$conf_ver != $version"
	elif dkms add pcwq/"$version" "${dopt[@]}" >"$dk/log" 2>&1 &&
		nice -n 10 dkms build pcwq/"$version" "${dopt[@]}" -k "$KREL" \
			--kernelsourcedir "$KHEADERS" >>"$dk/log" 2>&1; then
		ko=$(find "$dk/tree/pcwq/$version/$KREL" -name 'pcwq.ko*' | head -n 1)
		if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$KREL "; then
			record ok "pkg: dkms build against $KREL"
		else
			record fail "pkg: dkms build against $KREL" "no pcwq.ko for $KREL"
		fi
	else
		sed 's/^/# /' "$dk/log" | tail -n 20
		find "$dk/tree" -name make.log -exec tail -n 20 {} \; 2>/dev/null | sed 's/^/# /'
		record fail "pkg: dkms build against $KREL"
	fi
else
	record fail "pkg: dkms build against $KREL" "dkms not installed: run scripts/setup.sh"
fi

# --- YNL: the spec against the schema, the header against the spec -------
ynl=$(scripts/ynl.sh --dir) || die "no ynl tooling"
# ynl finds the schema at ../PROTOCOL.yaml from the spec, and the
# generator wants a kernel tree (a MAINTAINERS file) above it.
k=$tmp/ynlk
mkdir -p "$k/Documentation/netlink/specs"
touch "$k/MAINTAINERS"
cp "$ynl"/Documentation/netlink/*.yaml "$k/Documentation/netlink/"
cp module/uapi/pcwq.yaml "$k/Documentation/netlink/specs/"
proto=$(sed -n 's/^protocol: //p' module/uapi/pcwq.yaml)
if out=$($PY - "$k/Documentation/netlink/$proto.yaml" module/uapi/pcwq.yaml 2>&1 <<'PYV'
import sys, yaml, jsonschema
schema = yaml.safe_load(open(sys.argv[1]))
spec = yaml.safe_load(open(sys.argv[2]))
errors = list(jsonschema.Draft7Validator(schema).iter_errors(spec))
for e in errors:
    print(e.message, list(e.absolute_path))
sys.exit(1 if errors else 0)
PYV
); then
	record ok "pkg: pcwq.yaml validates against the kernel's $proto.yaml"
else
	echo "$out" | sed 's/^/# /'
	record fail "pkg: pcwq.yaml validates against the kernel's $proto.yaml" "$(echo "$out" | head -n 1)"
fi
if timeout 120 $PY "$ynl/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$k/Documentation/netlink/specs/pcwq.yaml" -o "$tmp/gen.h" >"$tmp/gen.log" 2>&1; then
	if out=$(scripts/uapi-compare.sh "$tmp/gen.h" module/uapi/pcwq_genl.h \
		"$k/Documentation/netlink/specs/pcwq.yaml" 2>&1); then
		record ok "pkg: pcwq_genl.h agrees with the header ynl-gen-c makes from pcwq.yaml"
	else
		echo "$out" | sed 's/^/# /'
		record fail "pkg: pcwq_genl.h agrees with the header ynl-gen-c makes from pcwq.yaml" \
			"$(echo "$out" | head -n 1)"
	fi
else
	sed 's/^/# /' "$tmp/gen.log" | tail -n 5
	record fail "pkg: pcwq_genl.h agrees with the header ynl-gen-c makes from pcwq.yaml" \
		"ynl-gen-c failed"
fi
# ynl's own loader (what cli.py uses before it talks to the kernel)
# resolves every reference of the spec against the schema.
ops=$(PYTHONPATH=$ynl/tools/net/ynl $PY - "$PCWQ_TOP/module/uapi/pcwq.yaml" \
	"$ynl/Documentation/netlink/$proto.yaml" 2>&1 <<'PYL'
import sys
from lib import SpecFamily
family = SpecFamily(sys.argv[1], sys.argv[2])
print(" ".join(sorted(list(family.ops) + list(family.ntfs))))
PYL
)
want=$(sed -n '/^operations:/,/^mcast-groups:/p' module/uapi/pcwq.yaml |
	sed -nE 's/^      name: ([a-z-]+)$/\1/p' | sort | tr '\n' ' ')
if [ "$ops " = "$want" ]; then
	record ok "pkg: ynl loads pcwq.yaml with its $(echo $ops | wc -w) operations"
else
	echo "$ops" | tail -n 5 | sed 's/^/# /'
	record fail "pkg: ynl loads pcwq.yaml" "operations: $ops; spec: $want"
fi
