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
#   make install         module, wqctl, man page, completion, modprobe.d
#                        example, UAPI header, YNL spec, kselftests
#                        (DESTDIR, PREFIX, KDIR, KSFT_INSTALL_PATH)
#   make uninstall       removes what install put there
#   make dkms-install    the module under DKMS, for every installed kernel
#   make dkms-uninstall  removes it from DKMS
#   make bench           pcwq beside the kernel's workqueue: table, JSON, plots

KDIR ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
	grep -v -e '-rt-' -e '-cloud-' | sort -V | tail -n 1)
K ?= 6.12
WQCTL_BUILD ?= tools/wqctl/build
VERSION := $(shell cat VERSION)

# Installation.  DESTDIR is prepended to every path written; PREFIX is
# where wqctl, its documentation, the headers and the tests go.  The module
# goes where the kernel's modules_install puts external modules with
# INSTALL_MOD_DIR=updates: /lib/modules/<release of KDIR>/updates/.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INCLUDEDIR ?= $(PREFIX)/include
YNLSPECDIR ?= $(PREFIX)/share/ynl/specs
KSFT_INSTALL_PATH ?= $(PREFIX)/lib/pcwq/selftests
MODPROBEDIR ?= /etc/modprobe.d
DKMSSRCDIR ?= /usr/src/pcwq-$(VERSION)
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
MODDIR = $(DESTDIR)/lib/modules/$(KREL)/updates
# The files of the DKMS source tree: what the module's Kbuild reads.
DKMS_FILES := dkms.conf VERSION Kconfig $(wildcard module/*.[ch] \
	module/kunit/*.[ch] module/include/*.h module/uapi/*) module/Kbuild

.PHONY: all module test-modules wqctl setup run check vm-test shell lint bench clean \
	install install-module install-wqctl install-data install-selftests \
	install-dkms-src dkms-install dkms-uninstall uninstall

all: module wqctl

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run make setup" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module modules

# The in-kernel test modules, for the installed kselftests.
test-modules: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/modules \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/module/Module.symvers modules

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

install: install-module install-wqctl install-data install-selftests

install-module: module
	@test -n "$(KREL)" || { echo "no kernel.release in KDIR=$(KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install

# install uses what make built, building only what is missing.
$(WQCTL_BUILD)/wqctl $(WQCTL_BUILD)/nlfuzz/pcwq_nlfuzz:
	$(MAKE) wqctl

install-wqctl: $(WQCTL_BUILD)/wqctl
	install -D -m 755 $(WQCTL_BUILD)/wqctl $(DESTDIR)$(BINDIR)/wqctl
	install -D -m 644 tools/wqctl/doc/wqctl.8 $(DESTDIR)$(MANDIR)/man8/wqctl.8
	install -D -m 644 tools/wqctl/completion/wqctl.bash \
		$(DESTDIR)$(BASHCOMPDIR)/wqctl

# The modprobe.d example changes nothing (every line is a comment) and is
# not written over a file the administrator has.
install-data:
	install -D -m 644 module/uapi/pcwq_genl.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/pcwq_genl.h
	install -D -m 644 module/uapi/pcwq.yaml $(DESTDIR)$(YNLSPECDIR)/pcwq.yaml
	test -e $(DESTDIR)$(MODPROBEDIR)/pcwq.conf || \
		install -D -m 644 packaging/pcwq.conf $(DESTDIR)$(MODPROBEDIR)/pcwq.conf

install-selftests: test-modules $(WQCTL_BUILD)/nlfuzz/pcwq_nlfuzz
	scripts/ksft-install.sh $(DESTDIR)$(KSFT_INSTALL_PATH) \
		module/pcwq.ko tests/modules/*.ko $(WQCTL_BUILD)/nlfuzz/pcwq_nlfuzz

# The DKMS source tree: dkms.conf and what the module's Kbuild reads.
install-dkms-src:
	for f in $(DKMS_FILES); do \
		install -D -m 644 $$f $(DESTDIR)$(DKMSSRCDIR)/$$f || exit 1; \
	done

# Registers the source with DKMS, which builds and installs the module for
# every installed kernel (the kernel packages' hooks rebuild it for new
# ones).  Not with DESTDIR: DKMS works on the live system.
dkms-install: install-dkms-src
	@test -z "$(DESTDIR)" || { echo "dkms-install: no DESTDIR" >&2; exit 1; }
	dkms status pcwq/$(VERSION) | grep -q . || dkms add pcwq/$(VERSION)
	dkms autoinstall
	dkms install pcwq/$(VERSION)

dkms-uninstall:
	@test -z "$(DESTDIR)" || { echo "dkms-uninstall: no DESTDIR" >&2; exit 1; }
	-dkms status pcwq/$(VERSION) | grep -q . && dkms remove pcwq/$(VERSION) --all
	rm -rf $(DKMSSRCDIR)

# Removes what install and install-dkms-src wrote; the modprobe.d file only
# while it is still the unchanged example.  Modules under DKMS: make
# dkms-uninstall.
uninstall:
	rm -f $(MODDIR)/pcwq.ko $(MODDIR)/pcwq.ko.xz $(MODDIR)/pcwq.ko.zst \
		$(MODDIR)/pcwq.ko.gz
	-rmdir $(MODDIR) 2>/dev/null
	test -n "$(DESTDIR)" || ! test -d /lib/modules/$(KREL) || depmod $(KREL)
	rm -f $(DESTDIR)$(BINDIR)/wqctl $(DESTDIR)$(MANDIR)/man8/wqctl.8 \
		$(DESTDIR)$(BASHCOMPDIR)/wqctl \
		$(DESTDIR)$(INCLUDEDIR)/linux/pcwq_genl.h \
		$(DESTDIR)$(YNLSPECDIR)/pcwq.yaml
	! cmp -s packaging/pcwq.conf $(DESTDIR)$(MODPROBEDIR)/pcwq.conf || \
		rm -f $(DESTDIR)$(MODPROBEDIR)/pcwq.conf
	rm -rf $(DESTDIR)$(KSFT_INSTALL_PATH)
	-rmdir $(dir $(DESTDIR)$(KSFT_INSTALL_PATH)) 2>/dev/null
	rm -rf $(DESTDIR)$(DKMSSRCDIR)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/module clean
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/modules clean
	rm -rf build $(WQCTL_BUILD)
