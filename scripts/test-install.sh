#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host suite "install": make install / make uninstall, for people without
# packages, into a DESTDIR: exactly the expected files, an edited
# /etc/modprobe.d/credguard.conf kept by both, nothing else left behind.
#   scripts/test-install.sh KVER
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:?usage: test-install.sh KVER}
cd "$top" || exit 1
work=$(mktemp -d)
# (only what make install built: the tree's build/ holds other suites' files)
trap 'rm -rf "$work"; make -s -C "/lib/modules/$kver/build" M="$top" clean >/dev/null 2>&1
	make -s -C userspace clean >/dev/null 2>&1' EXIT
. "$top/scripts/lib.sh"
cg_suite install "$work/last.log"
d=$work/root

files() { (cd "$d" && find . -type f | sed 's,^\.,,' | sort); }
expected="/etc/modprobe.d/credguard.conf
/lib/modules/$kver/extra/credguard.ko
/lib/systemd/system/credguardd.service
/usr/lib/modules-load.d/credguard.conf
/usr/sbin/credguardctl
/usr/sbin/credguardd
/usr/share/man/man8/credguardctl.8
/usr/share/man/man8/credguardd.8"

t "make install DESTDIR=... KERNELRELEASE=$kver" make -s install DESTDIR="$d" KERNELRELEASE="$kver"
installed() {
	diff <(echo "$expected") <(files) &&
		[ "$(modinfo -F vermagic "$d/lib/modules/$kver/extra/credguard.ko" | cut -d' ' -f1)" = "$kver" ] &&
		cmp packaging/common/modprobe.conf "$d/etc/modprobe.d/credguard.conf" &&
		[ -x "$d/usr/sbin/credguardd" ]
}
t "it installs the module for $kver, the load-at-boot and options files, the tools, unit and man pages" installed
t "make uninstall removes every one of them" \
	sh -c "make -s uninstall DESTDIR='$d' KERNELRELEASE='$kver' && [ -z \"\$(cd '$d' && find . -type f)\" ]"

# An administrator's options survive both.
edited() {
	make -s install DESTDIR="$d" KERNELRELEASE="$kver" || return 1
	echo 'options credguard mode=restore' >>"$d/etc/modprobe.d/credguard.conf"
	make -s install DESTDIR="$d" KERNELRELEASE="$kver" || return 1
	grep -qx 'options credguard mode=restore' "$d/etc/modprobe.d/credguard.conf" || return 1
	make -s uninstall DESTDIR="$d" KERNELRELEASE="$kver" || return 1
	files
	[ "$(files)" = /etc/modprobe.d/credguard.conf ] &&
		grep -qx 'options credguard mode=restore' "$d/etc/modprobe.d/credguard.conf"
}
t "an edited /etc/modprobe.d/credguard.conf is kept by install and uninstall" edited
