# SPDX-License-Identifier: GPL-2.0
#
# pcwq: the one entry point.  See README.md.
#
#   make                 pcwq.ko for KDIR and wqctl
#   make run             set up, build, boot a VM and demonstrate
#   make check           every test: host, lint, VM suites on each kernel
#   make vm-test K=6.12  the VM suite on one kernel (6.1, 6.12, 6.12-rt)
#   make shell K=6.12    an interactive VM with pcwq.ko and wqctl
#   make setup           install what a fresh Debian 12 machine lacks
#   make lint            checkpatch --strict, clang-format, clang-tidy
#   make bench           pcwq beside the kernel's workqueue: table, JSON, plots

KDIR ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
	grep -v -e '-rt-' -e '-cloud-' | sort -V | tail -n 1)
K ?= 6.12
WQCTL_BUILD := tools/wqctl/build

.PHONY: all module wqctl setup run check vm-test shell lint bench clean

all: module wqctl

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run make setup" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module modules

wqctl:
	cmake -S tools/wqctl -B $(WQCTL_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(WQCTL_BUILD) -j2

setup:
	scripts/setup.sh

run: setup wqctl
	scripts/build-module.sh $(K)
	scripts/vm.sh $(K) run

check:
	scripts/check.sh

vm-test: wqctl
	scripts/vm-test.sh $(K)

shell: wqctl
	scripts/build-module.sh $(K)
	scripts/vm.sh $(K) shell

bench: setup wqctl
	scripts/bench.sh $(K)

lint:
	scripts/checkpatch.sh
	tools/wqctl/lint.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/module clean
	rm -rf build $(WQCTL_BUILD)
