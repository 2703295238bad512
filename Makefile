# SPDX-License-Identifier: GPL-2.0
#
# credguard: build the module, run the tests, make the demo, install, package.
#   make                 build credguard.ko for $(KERNELRELEASE) (default: running kernel)
#   make userspace       build credguardd and credguardctl (userspace/build/)
#   make check           every test suite (host + QEMU guests); ends in "N passed, N failed"
#   make matrix          build + boot + core suites on stock Debian kernels 5.10..7.x
#   make sanitize        every guest suite + a soak on a KASAN/lockdep/kmemleak/UBSAN
#                        kernel built (once, cached) from Debian's linux-source-6.1
#   make demo            a throwaway VM where an attack is stopped
#   make bench           what credguard costs, in guest instructions (QEMU -icount)
#   make check|demo|bench ARCH=arm64
#                        the same on Debian's stock arm64 kernel, cross-built
#                        and booted under qemu-system-aarch64 (scripts/arm64-run.sh)
#   make install         module (+ depmod), modules-load.d, modprobe.d, and the
#                        userspace tools when userspace/ is there; DESTDIR honoured
#   make uninstall       the reverse
#   make dkms-install    register the sources with DKMS, build and install for $(KERNELRELEASE)
#   make dkms-uninstall  the reverse
#   make deb             packaging/: credguard-dkms and credguard .debs into build/pkg/deb
#   make rpm             packaging/rpm: the credguard-dkms .rpm into build/pkg/rpm
#
KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
SRC := $(CURDIR)
VERSION := $(shell cat $(SRC)/VERSION)
DESTDIR ?=
PREFIX ?= /usr
MODDIR ?= /lib/modules/$(KERNELRELEASE)/extra
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
MODPROBEDIR ?= /etc/modprobe.d
HAVE_USERSPACE := $(wildcard $(SRC)/userspace/Makefile)

all: module

module:
	$(MAKE) -C $(KDIR) M=$(SRC) modules

userspace:
	$(MAKE) -C userspace

clean:
	$(MAKE) -C $(KDIR) M=$(SRC) clean 2>/dev/null || true
	$(if $(HAVE_USERSPACE),$(MAKE) -C userspace clean)
	rm -rf build

matrix:
	@scripts/matrix.sh

sanitize:
	@scripts/sanitize.sh

ifeq ($(ARCH),arm64)
check demo bench:
	@scripts/arm64-run.sh $@
else
check:
	@scripts/check.sh

demo:
	@scripts/demo.sh

bench:
	@scripts/bench.sh
endif

version:
	@echo $(VERSION)

install: module
	install -D -m 0644 src/credguard.ko $(DESTDIR)$(MODDIR)/credguard.ko
	$(if $(DESTDIR),,depmod -a $(KERNELRELEASE))
	install -D -m 0644 packaging/common/modules-load.conf $(DESTDIR)$(MODULESLOADDIR)/credguard.conf
	test -e $(DESTDIR)$(MODPROBEDIR)/credguard.conf || \
		install -D -m 0644 packaging/common/modprobe.conf $(DESTDIR)$(MODPROBEDIR)/credguard.conf
	$(if $(HAVE_USERSPACE),$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) VERSION=$(VERSION))

uninstall:
	rm -f $(DESTDIR)$(MODDIR)/credguard.ko
	$(if $(DESTDIR),,depmod -a $(KERNELRELEASE))
	rm -f $(DESTDIR)$(MODULESLOADDIR)/credguard.conf
	cmp -s packaging/common/modprobe.conf $(DESTDIR)$(MODPROBEDIR)/credguard.conf && \
		rm -f $(DESTDIR)$(MODPROBEDIR)/credguard.conf || true
	$(if $(HAVE_USERSPACE),$(MAKE) -C userspace uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX))

# DKMS: the module's sources as /usr/src/credguard-VERSION (DESTDIR honoured).
DKMS_SRC = $(DESTDIR)/usr/src/credguard-$(VERSION)
dkms-src:
	install -d $(DKMS_SRC)/src/uapi
	install -m 0644 dkms.conf VERSION Kbuild LICENSE $(DKMS_SRC)/
	install -m 0644 src/Kbuild src/*.c src/*.h $(DKMS_SRC)/src/
	install -m 0644 src/uapi/*.h $(DKMS_SRC)/src/uapi/
	rm -f $(DKMS_SRC)/src/*.mod.c

dkms-install: dkms-src
	dkms add -m credguard -v $(VERSION)
	dkms build -m credguard -v $(VERSION) -k $(KERNELRELEASE)
	dkms install -m credguard -v $(VERSION) -k $(KERNELRELEASE)

dkms-uninstall:
	dkms remove -m credguard -v $(VERSION) --all || true
	rm -rf $(DKMS_SRC)

deb:
	@scripts/mkdeb.sh

rpm:
	@scripts/mkrpm.sh

.PHONY: all module userspace clean check matrix sanitize demo bench version install uninstall deb rpm dkms-src dkms-install dkms-uninstall
