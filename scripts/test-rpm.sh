#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host suite "rpm": make rpm builds credguard-dkms and credguard-tools from
# packaging/rpm/credguard.spec; on a system with DKMS and a kernel's headers
# (the upgrade suite's bookworm chroot, with Debian's rpm added) installing
# them makes DKMS build the module, an upgrade to a newer version replaces
# it, and erasing leaves no debris. rpm runs with --nodeps: dkms, gcc and
# make are Debian packages there, not in the rpm database.
#   scripts/test-rpm.sh [SUITE [FLAVOUR]]     as for test-upgrade.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
cg_dkms_system "$@"
logs=$top/build/rpm
cd "$top" || exit 1
cg_suite rpm "$logs/last.log"
rm -rf "$logs"
mkdir -p "$logs"
ver=$(cat VERSION)
newver=$ver.1

# --- the packages -------------------------------------------------------
t "rpmbuild builds the spec" make -s rpm || exit 0
rpms=$top/build/pkg/rpm/RPMS
dkms_rpm=$(ls "$rpms"/noarch/credguard-dkms-"$ver"-*.rpm)
tools_rpm=$(ls "$rpms"/*/credguard-tools-"$ver"-*.rpm)
# (each query read whole before grep looks: with pipefail, "rpm | grep -q"
# can fail when grep stops reading early)
q() { rpm -qp "$@"; }
sources() {
	local l
	l=$(q -l "$dkms_rpm") && echo "$l" &&
		[ "$(q --qf '%{VERSION}' "$dkms_rpm")" = "$ver" ] &&
		grep -qx "/usr/src/credguard-$ver/dkms.conf" <<<"$l" &&
		grep -qx "/usr/src/credguard-$ver/src/main.c" <<<"$l" &&
		grep -qx "/usr/src/credguard-$ver/src/uapi/credguard.h" <<<"$l"
}
t "credguard-dkms $ver holds the DKMS sources" sources
scripts() {
	local r s
	r=$(q --requires "$dkms_rpm") && s=$(q --scripts "$dkms_rpm") &&
		grep -q '^dkms' <<<"$r" &&
		grep -q 'dkms install -m credguard' <<<"$s" &&
		grep -q 'dkms remove -m credguard' <<<"$s"
}
t "it requires dkms and hands the module to it (post/preun)" scripts
tools() {
	local l c r
	l=$(q -l "$tools_rpm") && c=$(q --configfiles "$tools_rpm") &&
		r=$(q --requires "$tools_rpm") && echo "$l" &&
		grep -qx /usr/sbin/credguardd <<<"$l" &&
		grep -qx /usr/sbin/credguardctl <<<"$l" &&
		grep -qx /usr/lib/systemd/system/credguardd.service <<<"$l" &&
		grep -qx /usr/lib/modules-load.d/credguard.conf <<<"$l" &&
		grep -qx /usr/share/man/man8/credguardd.8 <<<"$l" &&
		grep -qx /etc/modprobe.d/credguard.conf <<<"$c" &&
		grep -q "^credguard-dkms = $ver-" <<<"$r"
}
t "credguard-tools $ver: daemon, ctl, unit in %{_unitdir}, man pages, modules-load.d, modprobe.d (config)" tools
mkupgrade() {
	mkdir -p "$logs/tree" &&
		tar --exclude=./build --exclude=./.git -cf - . | tar -C "$logs/tree" -xf - &&
		cd "$logs/tree" && echo "$newver" >VERSION &&
		sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$newver\"/" dkms.conf &&
		scripts/mkrpm.sh
}
t "an upgrade ($newver) builds" mkupgrade || exit 0
new_dkms=$(ls "$logs"/tree/build/pkg/rpm/RPMS/noarch/credguard-dkms-"$newver"-*.rpm)
new_tools=$(ls "$logs"/tree/build/pkg/rpm/RPMS/*/credguard-tools-"$newver"-*.rpm)

# --- install, upgrade, erase on a system with DKMS ------------------------
rel=$("$top/scripts/fetch-kernel.sh" "$suite" "$flavour" 2>"$logs/fetch.log") ||
	{ nok "fetch $suite $flavour"; tail -n 5 "$logs/fetch.log"; exit 0; }
system() {
	cg_chroot "$root" test -x /usr/sbin/dkms -a -d "/lib/modules/$rel/build" &&
		cg_apt "$root" install rpm &&
		cg_chroot "$root" sh -c "apt-get -y -q purge 'credguard*'; rpm -e --nodeps credguard-tools credguard-dkms; true"
}
t "the upgrade suite's system with $rel headers, and rpm (run test-upgrade.sh first)" system || exit 0
snapshot() {
	(cd "$root" && find usr/src var/lib/dkms lib/modules etc/modprobe.d etc/modules-load.d \
		usr/lib/modules-load.d usr/sbin usr/share/man usr/lib/systemd/system \
		-path '*credguard*' 2>/dev/null | sort)
	cg_chroot "$root" rpm -qa 'credguard*'
}
before=$(snapshot)
cp "$dkms_rpm" "$tools_rpm" "$new_dkms" "$new_tools" "$root/tmp/"
in_tmp() { echo "/tmp/$(basename "$1")"; }
built_for() {
	local ko
	ko=$(ls "$root/lib/modules/$rel/updates/dkms/"credguard.ko* 2>/dev/null | head -n 1)
	cg_chroot "$root" dkms status credguard
	echo "module: $ko"
	[ -n "$ko" ] && [ "$(modinfo -F version "$ko")" = "$1" ] &&
		[ "$(cg_chroot "$root" dkms status credguard | wc -l)" -eq 1 ]
}
t "rpm -i credguard-dkms and credguard-tools $ver" \
	cg_chroot "$root" rpm -i --nodeps "$(in_tmp "$dkms_rpm")" "$(in_tmp "$tools_rpm")"
t "its %post had DKMS build and install credguard $ver for $rel" built_for "$ver"
t "the tools are installed" test -x "$root/usr/sbin/credguardd" -a -r "$root/usr/lib/modules-load.d/credguard.conf"
echo 'options credguard mode=restore' >>"$root/etc/modprobe.d/credguard.conf"
t "rpm -U to $newver" \
	cg_chroot "$root" rpm -U --nodeps "$(in_tmp "$new_dkms")" "$(in_tmp "$new_tools")"
t "DKMS rebuilt it: only credguard $newver, for $rel" built_for "$newver"
old_gone() { ! ls -d "$root/usr/src/credguard-$ver" "$root/var/lib/dkms/credguard/$ver" 2>&1; }
t "the old version's sources and DKMS tree are gone" old_gone
t "the edited /etc/modprobe.d/credguard.conf survived the upgrade" \
	grep -qx 'options credguard mode=restore' "$root/etc/modprobe.d/credguard.conf"
t "rpm -e credguard-tools credguard-dkms" cg_chroot "$root" rpm -e credguard-tools credguard-dkms
saved() {
	ls "$root/etc/modprobe.d/"
	grep -qx 'options credguard mode=restore' "$root/etc/modprobe.d/credguard.conf.rpmsave" &&
		rm "$root/etc/modprobe.d/credguard.conf.rpmsave"
}
t "the edited config is kept as credguard.conf.rpmsave" saved
no_debris() { diff <(echo "$before") <(echo "$(snapshot)"); }
t "install, upgrade and erase leave no debris" no_debris
rm -f "$root"/tmp/credguard*.rpm
