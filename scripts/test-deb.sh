#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host suite "deb": make deb builds lintian-clean packages; installing
# credguard-dkms makes DKMS build and install the module for the installed
# kernel KVER; an upgrade to a newer version replaces it; purge leaves no
# debris. Changes this machine's package set while it runs (root).
#   scripts/test-deb.sh KVER
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:?usage: test-deb.sh KVER}
cd "$top" || exit 1
ver=$(cat VERSION)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$top/scripts/lib.sh"
cg_suite deb "$work/last.log"
export DEBIAN_FRONTEND=noninteractive
apt_q() { apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }
# Everything a package could leave behind.
snapshot() {
	find /usr/src /var/lib/dkms /lib/modules /etc/modprobe.d /etc/modules-load.d \
		/usr/lib/modules-load.d /usr/share/doc /etc/dkms -path '*/credguard*' 2>/dev/null | sort
	dpkg -l 'credguard*' 2>/dev/null | grep '^[a-z][a-z] ' || true
}

if dpkg-query -W -f='${Status}' credguard-dkms 2>/dev/null | grep -q 'install ok installed'; then
	apt_q purge credguard credguard-dkms >/dev/null 2>&1
fi
before=$(snapshot)
t "make deb builds the packages, lintian clean (or overridden with reasons)" make -s deb
deb=$(ls build/pkg/deb/credguard-dkms_"$ver"_all.deb 2>/dev/null)

# A second version of the package, for the upgrade.
newver=$ver.1
mkupgrade() {
	mkdir -p "$work/tree" &&
		tar --exclude=./build --exclude=./.git -cf - . | tar -C "$work/tree" -xf - &&
		cd "$work/tree" && echo "$newver" >VERSION &&
		sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$newver\"/" dkms.conf &&
		sed -i "1s/($ver)/($newver)/" packaging/debian/changelog &&
		scripts/mkdeb.sh
}
t "an upgrade package ($newver) builds" mkupgrade
newdeb=$(ls "$work"/tree/build/pkg/deb/credguard-dkms_"$newver"_all.deb 2>/dev/null)

ko() { find "/lib/modules/$kver/updates/dkms" -name 'credguard.ko*' 2>/dev/null | head -n 1; }
built_for() {
	local k
	k=$(ko)
	echo "module: $k; dkms: $(dkms status credguard)"
	[ -n "$k" ] && modinfo -F version "$k" | grep -qx "$1"
}
t "apt-get install credguard-dkms" apt_q install "$top/$deb"
t "DKMS built and installed credguard $ver for $kver" built_for "$ver"
t "the package's sources are in /usr/src/credguard-$ver" test -r "/usr/src/credguard-$ver/dkms.conf"
t "upgrade to $newver" apt_q install "$newdeb"
t "DKMS rebuilt it: credguard $newver for $kver" built_for "$newver"
old_gone() { ! ls -d "/usr/src/credguard-$ver" "/var/lib/dkms/credguard/$ver" 2>&1; }
t "the old version's sources and DKMS tree are gone" old_gone
t "apt-get purge credguard-dkms" apt_q purge credguard-dkms
no_debris() {
	local after
	after=$(snapshot)
	diff <(echo "$before") <(echo "$after")
}
t "install, upgrade and purge leave no debris" no_debris
