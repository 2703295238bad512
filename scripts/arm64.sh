#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What the arm64 harness needs on this x86_64 machine, cached and reused.
#
#   scripts/arm64.sh toolchain      print the directory of the cross
#                                   compilers (aarch64-linux-gnu-gcc-12,
#                                   arm-linux-gnueabihf-gcc-12)
#   scripts/arm64.sh fetch [SUITE]  fetch Debian's stock arm64 kernel of
#                                   SUITE (default bookworm) and its headers;
#                                   print its release
#   scripts/arm64.sh userland       print the directory of the guest's arm64
#                                   userland (busybox, bash, libmnl)
#
# Debian's cross compilers conflict with gcc-multilib (which the x86 compat
# suites need): only the parts that do not (cpp, binutils, the cross libc)
# are installed; the gcc-12-*-cross drivers are unpacked into the cache,
# beside symlinks to the installed parts.
# A kernel goes to $CG_CACHE/arm64/REL/root (image, headers, and this
# machine's architecture's kbuild tools of the same version: the headers
# package's own kbuild would be arm64 binaries):
#   $CG_CACHE/kernels/REL/vmlinuz     the image vm.sh boots
#   $CG_CACHE/arm64/REL/build         the headers (scripts/kmake.sh)
#   $CG_CACHE/arm64/REL/cc            the cross gcc its .config names
#   $CG_CACHE/arm64/REL/chroot        (a suite newer than bookworm) the
#                                     suite's chroot where kmake.sh builds
# Packages come from this machine's mirror (scripts/mirror.sh), through a
# private apt state: nothing is added to this machine's apt.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${CG_CACHE:-/var/cache/credguard}
cmd=${1:?usage: arm64.sh toolchain|fetch [SUITE]|userland}
log() { echo "arm64: $*" >&2; }

# apt-get/apt-cache on a private state for SUITE (arm64 and amd64 lists).
cg_apt_state() {
	local suite=$1 base=${1%-backports} st=$cache/arm64/apt/$1 mirror
	mirror=$("$top/scripts/mirror.sh")
	mkdir -p "$st/lists/partial" "$st/archives/partial"
	{
		echo "deb $mirror $base main"
		[ "$suite" != "$base" ] && echo "deb $mirror $suite main"
	} >"$st/sources.list"
	: >"$st/status"
	aptopts=(-o "Dir::State=$st" -o "Dir::State::Lists=$st/lists" -o "Dir::State::status=$st/status"
		-o "Dir::Cache=$st" -o "Dir::Cache::archives=$st/archives"
		-o "Dir::Etc::SourceList=$st/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
		-o APT::Architecture=amd64 -o "APT::Architectures=amd64,arm64"
		-o APT::Sandbox::User=root -q)
	if [ -z "$(find "$st/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
		log "apt-get update ($suite, private state)"
		apt-get "${aptopts[@]}" update >/dev/null
	fi
}

# Download PKG... into DIR (once) and unpack them into ROOT.
cg_unpack() {
	local dir=$1 root=$2 p
	shift 2
	mkdir -p "$dir" "$root"
	(cd "$dir" && apt-get "${aptopts[@]}" download "$@" >/dev/null 2>&1) ||
		(cd "$dir" && apt-get "${aptopts[@]}" download "$@" >&2)
	for p in "$dir"/*.deb; do
		dpkg-deb -x "$p" "$root"
	done
}

# cg_cross_compiler SUITE KDIR: the compiler that builds modules for the
# kernel in KDIR, the one its .config names (CONFIG_CC_VERSION_TEXT), into
# KDIR/cc. bookworm's gcc-12 is the toolchain's; a newer suite's kernel
# (unstable's) needs its own release's cross gcc and kbuild tools (linked
# against its own libc): they run in that suite's cached chroot
# (cg_suite_chroot), named in KDIR/chroot (scripts/kmake.sh builds there).
cg_cross_compiler() {
	local suite=$1 kdir=$2 cc
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(aarch64-linux-gnu-\)\{0,1\}gcc-\([0-9]*\) .*/\2/p' "$kdir/build/.config")
	[ -n "$cc" ] || { log "$kdir/build/.config names no gcc-N"; return 1; }
	cc=aarch64-linux-gnu-gcc-$cc
	echo "$cc" >"$kdir/cc"
	rm -f "$kdir/chroot"
	[ "$cc" = aarch64-linux-gnu-gcc-12 ] && return 0
	. "$top/scripts/lib.sh"
	cg_suite_chroot "$suite"
	if [ ! -x "$root/usr/bin/$cc" ] || [ ! -x "$root/usr/bin/pahole" ]; then
		log "install ${cc#aarch64-linux-gnu-}-aarch64-linux-gnu and dwarves in the ${suite%-backports} chroot"
		cg_apt "$root" install "${cc#aarch64-linux-gnu-}-aarch64-linux-gnu" dwarves >&2
	fi
	echo "$root" >"$kdir/chroot"
}

case $cmd in
toolchain)
	xc=$cache/cross
	if [ ! -x "$xc/root/usr/bin/aarch64-linux-gnu-gcc-12" ] ||
		[ ! -x "$xc/root/usr/bin/arm-linux-gnueabihf-gcc-12" ]; then
		"$top/scripts/deps.sh" arm64 >&2
		cg_apt_state bookworm
		rm -rf "$xc"
		cg_unpack "$xc/debs" "$xc/root" gcc-12-aarch64-linux-gnu:amd64 gcc-12-arm-linux-gnueabihf:amd64
		for t in aarch64-linux-gnu arm-linux-gnueabihf; do
			for f in /usr/lib/gcc-cross/$t/12/*; do
				[ -e "$xc/root/usr/lib/gcc-cross/$t/12/${f##*/}" ] ||
					ln -s "$f" "$xc/root/usr/lib/gcc-cross/$t/12/"
			done
			ln -sfn "/usr/$t" "$xc/root/usr/$t"
		done
	fi
	echo "$xc/root/usr/bin"
	;;
fetch)
	suite=${2:-bookworm}
	"$top/scripts/deps.sh" arm64 >&2
	cg_apt_state "$suite"
	target=()
	[ "$suite" != "${suite%-backports}" ] && target=(-t "$suite")
	pkg=$(apt-cache "${aptopts[@]}" "${target[@]}" depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\).*$/\1/p' | head -n 1)
	[ -n "$pkg" ] || { log "$suite has no linux-image-arm64"; exit 1; }
	rel=${pkg#linux-image-}
	rel=${rel%-unsigned}
	kdir=$cache/arm64/$rel
	if [ ! -e "$kdir/build/Makefile" ]; then
		ver=$(apt-cache "${aptopts[@]}" "${target[@]}" show "linux-headers-$rel:arm64" |
			sed -n 's/^Version: //p' | head -n 1)
		common=$(apt-cache "${aptopts[@]}" "${target[@]}" depends "linux-headers-$rel:arm64" |
			sed -n 's/^ *Depends: <\?\(linux-headers-[^ :>]*-common\).*$/\1/p' | head -n 1)
		kbuild=$(apt-cache "${aptopts[@]}" "${target[@]}" depends "linux-headers-$rel:arm64" |
			sed -n 's/^ *Depends: \(linux-kbuild-[^ :]*\).*$/\1/p' | head -n 1)
		img=linux-image-$rel-unsigned
		apt-cache "${aptopts[@]}" show "$img:arm64" >/dev/null 2>&1 || img=linux-image-$rel
		imgs=("$img:arm64=$ver")
		# Newer kernels: the image is in the binary package it depends on.
		apt-cache "${aptopts[@]}" show "linux-binary-$rel:arm64" >/dev/null 2>&1 &&
			imgs+=("linux-binary-$rel:arm64=$ver")
		log "fetch $rel ($ver): ${imgs[*]}, linux-headers-$rel, $common, $kbuild (amd64)"
		rm -rf "$kdir"
		cg_unpack "$kdir/debs" "$kdir/root" "${imgs[@]}" "linux-headers-$rel:arm64=$ver" \
			"$common=$ver" "$kbuild:amd64=$ver"
		# The headers' Makefile names the common tree (and, newer ones,
		# itself as KBUILD_OUTPUT) by absolute paths.
		sed -i "s,^\(include \|KBUILD_OUTPUT=\)/usr/src/,\1$kdir/root/usr/src/," \
			"$kdir/root/usr/src/linux-headers-$rel/Makefile"
		ln -sfn "root/usr/src/linux-headers-$rel" "$kdir/build"
		mkdir -p "$cache/kernels/$rel"
		img=$(find "$kdir/root" \( -name "vmlinuz-$rel" -o -path "*/modules/$rel/vmlinuz" \) | head -n 1)
		ln -sf "$img" "$cache/kernels/$rel/vmlinuz"
	fi
	cg_cross_compiler "$suite" "$kdir"
	echo "$rel"
	;;
userland)
	ul=$cache/arm64/userland
	if [ ! -x "$ul/root/bin/busybox" ]; then
		cg_apt_state bookworm
		rm -rf "$ul"
		log "fetch the guest's arm64 userland"
		cg_unpack "$ul/debs" "$ul/root" busybox-static:arm64 bash:arm64 libc6:arm64 \
			libtinfo6:arm64 libmnl0:arm64 libmnl-dev:arm64 libgcc-s1:arm64
	fi
	echo "$ul/root"
	;;
*)
	echo "usage: arm64.sh toolchain|fetch [SUITE]|userland" >&2
	exit 2
	;;
esac
