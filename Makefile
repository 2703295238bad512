# SPDX-License-Identifier: GPL-2.0
#
# credguard: build the module, run the tests, make the demo.
#   make                 build credguard.ko for $(KERNELRELEASE) (default: running kernel)
#   make userspace       build credguardd and credguardctl (userspace/build/)
#   make check           every test suite (host + QEMU guests); ends in "N passed, N failed"
#   make demo            a throwaway VM where an attack is stopped
#
KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
SRC := $(CURDIR)

all: module

module:
	$(MAKE) -C $(KDIR) M=$(SRC) modules

userspace:
	$(MAKE) -C userspace

clean:
	$(MAKE) -C $(KDIR) M=$(SRC) clean 2>/dev/null || true
	$(MAKE) -C userspace clean
	rm -rf build

check:
	@scripts/check.sh

demo:
	@scripts/demo.sh

.PHONY: all module userspace clean check demo
