#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing credguard needs on a Debian host.
# Idempotent and quiet when everything is already there.
#   scripts/deps.sh [build|test|matrix|arm64|arm64-system|pkg|all]   (default: all)
# arm64-system also makes this machine run arm64 programs (binfmt_misc with
# qemu-user-static): the arm64 Debian system of the upgrade suite's arm64
# run is a chroot where DKMS builds natively.
set -euo pipefail

what=${1:-all}
pkgs=(make gcc libc6-dev kmod linux-headers-amd64 libmnl-dev)
test_pkgs=(qemu-system-x86 linux-image-amd64 bats shellcheck busybox-static cpio gzip clang-format gcc-multilib keyutils)
case $what in
build) ;;
test) pkgs+=("${test_pkgs[@]}") ;;
matrix) pkgs+=("${test_pkgs[@]}" debootstrap util-linux) ;;
# The arm64 harness (scripts/arm64.sh): the cross compilers' parts that do
# not conflict with gcc-multilib (arm64.sh unpacks the drivers itself);
# pahole for the BTF of modules built against kernels that ship vmlinux.
arm64) pkgs+=(qemu-system-arm binutils-aarch64-linux-gnu cpp-12-aarch64-linux-gnu libgcc-12-dev-arm64-cross
	libc6-dev-arm64-cross binutils-arm-linux-gnueabihf cpp-12-arm-linux-gnueabihf libgcc-12-dev-armhf-cross
	libc6-dev-armhf-cross bats cpio gzip dwarves) ;;
arm64-system) pkgs+=(qemu-system-arm bats cpio gzip debootstrap util-linux qemu-user-static binfmt-support) ;;
pkg) pkgs+=(dkms dh-dkms debhelper lintian rpm openssl) ;;
all) pkgs+=("${test_pkgs[@]}" debootstrap util-linux e2fsprogs xz-utils dkms dh-dkms debhelper lintian rpm openssl) ;;
*)
	echo "usage: $0 [build|test|matrix|arm64|arm64-system|pkg|all]" >&2
	exit 2
	;;
esac

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q " ok installed"; then
		missing+=("$p")
	fi
done
# arm64 programs run here through binfmt_misc (qemu-user-static's
# fix-binary entry: it works inside chroots too).
binfmt() {
	[ "$what" = arm64-system ] || return 0
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] && return 0
	[ -e /proc/sys/fs/binfmt_misc/register ] ||
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || return 1
	update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || update-binfmts --import qemu-aarch64 >/dev/null
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] ||
		{ echo "deps: binfmt_misc has no qemu-aarch64 entry" >&2; return 1; }
}
[ ${#missing[@]} -eq 0 ] && { binfmt; exit; }

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt (a second run, unattended-upgrades) holds the lock: wait for it.
lock=(-o DPkg::Lock::Timeout=600)
apt-get "${lock[@]}" update -qq >/dev/null
apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
binfmt
