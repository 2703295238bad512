#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing credguard needs on a Debian host.
# Idempotent and quiet when everything is already there.
#   scripts/deps.sh [build|test|matrix|arm64|pkg|all]   (default: all)
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
pkg) pkgs+=(dkms dh-dkms debhelper lintian rpm openssl) ;;
all) pkgs+=("${test_pkgs[@]}" debootstrap util-linux e2fsprogs xz-utils dkms dh-dkms debhelper lintian rpm openssl) ;;
*)
	echo "usage: $0 [build|test|matrix|arm64|pkg|all]" >&2
	exit 2
	;;
esac

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q " ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
