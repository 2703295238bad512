#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build everything a guest run needs for kernel release $1 and pack the
# initramfs: credguard.ko, the test-only cgtest.ko, the cgt helper, the
# BATS suites. Prints the initramfs path. The modules are built with this
# machine's headers for RELEASE or in its cached chroot (scripts/kmake.sh).
# CG_KDIR=TREE builds the modules in that kernel build tree instead.
# An arm64 RELEASE (*-arm64*) gets arm64 modules and helpers, AArch32
# helpers for the compat ABI, and an arm64 userland (scripts/arm64.sh).
#   scripts/build-tests.sh RELEASE [OUTDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=$1
out=${2:-$top/build/$kver}
mkdir -p "$out"
case $kver in
*-arm64*)
	xbin=$("$top/scripts/arm64.sh" toolchain)
	ul=$("$top/scripts/arm64.sh" userland)
	cc=("$xbin/aarch64-linux-gnu-gcc-12")
	cc32=("$xbin/arm-linux-gnueabihf-gcc-12")
	mkenv=(CC="${cc[0]}" CFLAGS="-isystem $ul/usr/include -isystem $ul/usr/include/aarch64-linux-gnu"
		LDFLAGS="-L$ul/usr/lib/aarch64-linux-gnu -Wl,-rpath-link,$ul/usr/lib/aarch64-linux-gnu")
	export CG_USERLAND=$ul
	keyctl=
	;;
*)
	cc=(gcc)
	cc32=(gcc -m32)
	mkenv=()
	keyctl=$(command -v keyctl || true) # the umh suite's request-key case
	;;
esac

# Each kernel gets its own copy of the sources: builds never mix.
for d in src tests/module; do
	mkdir -p "$out/$d"
	cp -a "$top/$d/." "$out/$d/"
done
cp "$top/Kbuild" "$top/VERSION" "$out/"
# The test module forges seccomp filters through the product's own
# description of their private layout; a chroot build sees only its
# directory.
cp "$top/src/sfilter.h" "$out/tests/module/"
# The guest's credguard.ko is a test build: it has the "fault" parameter.
"$top/scripts/kmake.sh" "$kver" "$out" -s KCFLAGS=-DCG_FAULT_INJECT modules >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; exit 1; }
"$top/scripts/kmake.sh" "$kver" "$out/tests/module" -s modules >>"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; exit 1; }
"${cc[@]}" -O2 -Wall -Wextra -Werror -static -pthread -o "$out/cgt" "$top/tests/guest/cgt.c"
# The same helper as a 32-bit binary (ia32, AArch32): the compat ABI's
# policy table.
"${cc32[@]}" -O2 -Wall -Wextra -Werror -static -pthread -o "$out/cgt32" "$top/tests/guest/cgt.c"
"${cc[@]}" -O2 -Wall -Wextra -Werror -static -o "$out/cgnlfuzz" "$top/tests/guest/cgnlfuzz.c"
# The value rules' helper, both ABIs.
"${cc[@]}" -O2 -Wall -Wextra -Werror -static -o "$out/cgrules" "$top/tests/guest/cgrules.c"
"${cc32[@]}" -O2 -Wall -Wextra -Werror -static -o "$out/cgrules32" "$top/tests/guest/cgrules.c"
cp "$top/tests/guest/demo.sh" "$out/demo.sh"
# The event daemon and its control tool (dynamic: libmnl has no static
# library; mkinitramfs.sh copies the shared libraries along).
env "${mkenv[@]}" make -s -C "$top/userspace" O="$out/userspace" all >>"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; exit 1; }

# shellcheck disable=SC2046 # keyctl: one path or none
"$top/scripts/mkinitramfs.sh" "$out/initramfs.cpio.gz" \
	"$out/src/credguard.ko" "$out/tests/module/cgtest.ko" -- \
	"$out/cgt" "$out/cgt32" "$out/cgnlfuzz" "$out/cgrules" "$out/cgrules32" "$out/demo.sh" \
	"$out/userspace/credguardd" "$out/userspace/credguardctl" "$top"/tests/guest/*.bash "$top"/tests/guest/*.bats \
	$keyctl
echo "$out/initramfs.cpio.gz"
