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
# inchroot ROOT KTREE [BIND] ARGS...: make -C KTREE M=<DIR> ARGS inside the
# chroot ROOT, DIR bind-mounted there (and BIND, a host directory, at its
# own path: the headers of a cross build).
inchroot() {
	local root=$1 ktree=$2 bind=$3 mnt=/mnt/cg-$$
	shift 3
	exec unshare -m --propagation private sh -c '
		r=$1 d=$2 m=$3 k=$4 b=$5; shift 5
		mkdir -p "$r$m"
		mount -t proc proc "$r/proc"
		mount --bind "$d" "$r$m"
		if [ -n "$b" ]; then
			mkdir -p "$r$b"
			mount --bind "$b" "$r$b"
		fi
		chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C make -C "$k" M="$m" "$@"
		rc=$?
		[ -z "$b" ] || umount "$r$b"
		umount "$r$m" "$r/proc"
		rmdir "$r$m"
		exit $rc' sh "$root" "$dir" "$mnt" "$ktree" "$bind" "$@"
}

case $rel in
*-arm64*)
	kdir=$cache/arm64/$rel
	[ -e "$kdir/build/Makefile" ] && [ -r "$kdir/cc" ] ||
		{ echo "kmake: no headers for $rel (scripts/arm64.sh fetch SUITE)" >&2; exit 1; }
	cc=$(cat "$kdir/cc")
	cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	if [ -r "$kdir/chroot" ]; then
		inchroot "$(cat "$kdir/chroot")" "$kdir/build" "$kdir" "${cross[@]}" CC="$cc" "$@"
	fi
	bin=$("$top/scripts/arm64.sh" toolchain)
	exec make -C "$kdir/build" M="$dir" "${cross[@]}" CC="$bin/$cc" "$@"
	;;
esac
if [ -d "/lib/modules/$rel/build" ]; then
	exec make -C "/lib/modules/$rel/build" M="$dir" "$@"
fi
[ -r "$cache/kernels/$rel/chroot" ] ||
	{ echo "kmake: no headers for $rel (install them, or scripts/fetch-kernel.sh SUITE)" >&2; exit 1; }
inchroot "$(cat "$cache/kernels/$rel/chroot")" "/lib/modules/$rel/build" "" "$@"
