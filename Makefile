# SPDX-License-Identifier: GPL-2.0
#
# credguard: build the module, run the tests, make the demo.
#   make                 build credguard.ko for $(KERNELRELEASE) (default: running kernel)
#   make check           every test suite (host + QEMU guests); ends in "N passed, N failed"
#   make demo            a throwaway VM where an attack is stopped
#   make bench           what credguard costs, in guest instructions (QEMU -icount)
#
KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
SRC := $(CURDIR)

all: module

module:
	$(MAKE) -C $(KDIR) M=$(SRC) modules

clean:
	$(MAKE) -C $(KDIR) M=$(SRC) clean 2>/dev/null || true
	rm -rf build

check:
	@scripts/check.sh

demo:
	@scripts/demo.sh

bench:
	@scripts/bench.sh

.PHONY: all module clean check demo bench
