#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run kbuild for an external module directory against kernel release REL:
# with this machine's headers (/lib/modules/REL/build) when they are
# installed, otherwise inside the cached chroot that scripts/fetch-kernel.sh
# made for REL (its own compiler and kbuild), with DIR bind-mounted there.
# CG_KDIR=TREE: a kernel build tree of REL instead (the sanitize kernel).
# An arm64 release (*-arm64*) is cross-built against the headers that
# scripts/arm64.sh fetched, with its cross compiler.
#   scripts/kmake.sh REL DIR [MAKE ARGUMENTS...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rel=${1:?usage: kmake.sh REL DIR [ARGS...]}
dir=$(cd "${2:?usage: kmake.sh REL DIR [ARGS...]}" && pwd)
shift 2
cache=${CG_CACHE:-/var/cache/credguard}

if [ -n "${CG_KDIR:-}" ]; then
	exec make -C "$CG_KDIR" M="$dir" "$@"
fi
case $rel in
*-arm64*)
	[ -e "$cache/arm64/$rel/build/Makefile" ] ||
		{ echo "kmake: no headers for $rel (scripts/arm64.sh fetch SUITE)" >&2; exit 1; }
	bin=$("$top/scripts/arm64.sh" toolchain)
	exec make -C "$cache/arm64/$rel/build" M="$dir" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		CC="$bin/aarch64-linux-gnu-gcc-12" "$@"
	;;
esac
if [ -d "/lib/modules/$rel/build" ]; then
	exec make -C "/lib/modules/$rel/build" M="$dir" "$@"
fi
[ -r "$cache/kernels/$rel/chroot" ] ||
	{ echo "kmake: no headers for $rel (install them, or scripts/fetch-kernel.sh SUITE)" >&2; exit 1; }
root=$(cat "$cache/kernels/$rel/chroot")
mnt=/mnt/cg-$$
exec unshare -m --propagation private sh -c '
	r=$1 d=$2 m=$3 rel=$4; shift 4
	mkdir -p "$r$m"
	mount -t proc proc "$r/proc"
	mount --bind "$d" "$r$m"
	chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
		make -C "/lib/modules/$rel/build" M="$m" "$@"
	rc=$?
	umount "$r$m" "$r/proc"
	rmdir "$r$m"
	exit $rc' sh "$root" "$dir" "$mnt" "$rel" "$@"
