#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host suite "dkms": the version has one source; DKMS adds, builds and
# installs credguard from the tree; a kernel without what credguard hooks is
# skipped with the reason; DKMS signs the module with a MOK key (modinfo
# shows the signer); removal leaves nothing behind. Needs root and the
# headers of KVER. Prints "ok - ..." / "not ok - ..." lines.
#   scripts/test-dkms.sh KVER
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:?usage: test-dkms.sh KVER}
cd "$top" || exit 1
ver=$(cat VERSION)
work=$(mktemp -d)
conf=/etc/dkms/framework.conf.d/zz-credguard-test.conf
cleanup() {
	rm -f "$conf"
	make -s dkms-uninstall >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
. "$top/scripts/lib.sh"
cg_suite dkms "$work/last.log"
CG_SUITE_TAIL=20

# --- the version: VERSION is the one source --------------------------------
same_version() {
	local v
	v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
	echo "VERSION=$ver dkms.conf=$v"
	[ "$v" = "$ver" ] || return 1
	if [ -r packaging/debian/changelog ]; then
		v=$(sed -n '1s/^[^ ]* (\([^-)]*\).*/\1/p' packaging/debian/changelog)
		echo "debian/changelog=$v"
		[ "$v" = "$ver" ] || return 1
	fi
	if [ -r packaging/rpm/credguard.spec ]; then
		v=$(sed -n 's/^Version:[[:space:]]*//p' packaging/rpm/credguard.spec)
		echo "credguard.spec=$v"
		[ "$v" = "$ver" ] || [ "$v" = "%{cg_version}" ] || return 1
	fi
}
t "VERSION, dkms.conf, debian/changelog and the rpm spec agree" same_version
# DKMS builds on the architectures credguard has tables for, and skips
# the rest (dkms matches BUILD_EXCLUSIVE_ARCH against uname -m).
arches() {
	(
		set +u
		. ./dkms.conf
		echo "BUILD_EXCLUSIVE_ARCH=$BUILD_EXCLUSIVE_ARCH"
		[[ x86_64 =~ $BUILD_EXCLUSIVE_ARCH ]] && [[ aarch64 =~ $BUILD_EXCLUSIVE_ARCH ]] &&
			! [[ ppc64le =~ $BUILD_EXCLUSIVE_ARCH ]] && ! [[ i686 =~ $BUILD_EXCLUSIVE_ARCH ]] &&
			! [[ aarch64_be =~ $BUILD_EXCLUSIVE_ARCH ]]
	)
}
t "dkms.conf builds for x86_64 and aarch64 only" arches

if dpkg-query -W -f='${Status}' credguard-dkms 2>/dev/null | grep -q 'install ok installed'; then
	nok "the credguard-dkms package is installed: remove it before this suite"
	exit 0
fi
make -s dkms-uninstall >/dev/null 2>&1

# --- add from the tree ------------------------------------------------------
t "make dkms-src stages the module sources for DKMS" make -s dkms-src
t "dkms add" dkms add -m credguard -v "$ver"
# DKMS runs dkms.conf's CLEAN before each build and shows its failure only
# as "bad exit status" in the build output: run it as DKMS would, on a copy
# of the staged sources.
clean() {
	local tree=$work/tree/credguard/$ver/build cmd
	mkdir -p "$tree" && cp -a "/usr/src/credguard-$ver/." "$tree/" || return 1
	# shellcheck disable=SC2034 # dkms.conf's CLEAN names them
	cmd=$(set +u; kernel_source_dir=/lib/modules/$kver/build dkms_tree=$work/tree; . ./dkms.conf; echo "$CLEAN")
	echo "CLEAN: $cmd"
	(cd "$tree" && $cmd)
}
t "dkms.conf's CLEAN command works" clean

# --- a kernel without kretprobes is skipped, with the reason ---------------
skip_test() {
	local fake=$work/kernel rc
	cp -a "/lib/modules/$kver/build/." "$fake/" 2>/dev/null || { mkdir -p "$fake" && cp -a "/lib/modules/$kver/build/." "$fake/"; }
	sed -i '/^CONFIG_KRETPROBES=/d' "$fake/.config"
	dkms build -m credguard -v "$ver" -k "$kver" --kernelsourcedir "$fake" 2>&1
	rc=$?
	echo "rc=$rc"
	[ "$rc" -eq 77 ] || return 1
}
skip_reason() { grep -q 'CONFIG_KRETPROBES' "$work/skip.log"; }
if skip_test >"$work/skip.log" 2>&1; then ok "a kernel without CONFIG_KRETPROBES is skipped (exit 77), not a failed build"; else
	nok "a kernel without CONFIG_KRETPROBES is skipped (exit 77), not a failed build"
	sed 's/^/#   /' "$work/skip.log" | tail -n 20
fi
t "the skip names the missing option" skip_reason
[ -d "/var/lib/dkms/credguard/$ver/$kver" ] && dkms remove -m credguard -v "$ver" -k "$kver" >/dev/null 2>&1

# --- MOK signing through DKMS's own signing support ------------------------
cn="credguard test MOK $$"
openssl req -new -x509 -nodes -days 1 -subj "/CN=$cn/" -newkey rsa:2048 \
	-keyout "$work/mok.key" -outform DER -out "$work/mok.der" >/dev/null 2>&1
mkdir -p /etc/dkms/framework.conf.d
printf 'mok_signing_key="%s"\nmok_certificate="%s"\n' "$work/mok.key" "$work/mok.der" >"$conf"
t "dkms build for $kver" dkms build -m credguard -v "$ver" -k "$kver"
t "dkms install for $kver" dkms install -m credguard -v "$ver" -k "$kver"
ko=$(find "/lib/modules/$kver/updates/dkms" -name 'credguard.ko*' 2>/dev/null | head -n 1)
installed() {
	echo "module: $ko"
	[ -n "$ko" ] && dkms status -m credguard -v "$ver" -k "$kver" | grep -q installed
}
t "the module is installed under updates/dkms and dkms status says so" installed
modver() { modinfo -F version "$ko" | tee /dev/stderr | grep -qx "$ver"; }
t "the installed module carries VERSION ($ver)" modver
signer() { modinfo -F signer "$ko" | tee /dev/stderr | grep -qxF "$cn"; }
t "DKMS signed it with the MOK key: modinfo shows the signer" signer
depmodded() { modprobe -S "$kver" --show-depends credguard | tee /dev/stderr | grep -q "$ko"; }
t "depmod knows it: modprobe resolves credguard for $kver" depmodded
rm -f "$conf"

# --- removal leaves nothing -------------------------------------------------
t "make dkms-uninstall" make -s dkms-uninstall
gone() {
	local left
	left=$(ls -d "/usr/src/credguard-$ver" /var/lib/dkms/credguard "/lib/modules/$kver/updates/dkms/credguard.ko"* 2>/dev/null)
	echo "left: $left"
	[ -z "$left" ]
}
t "nothing is left in /usr/src, /var/lib/dkms or the modules tree" gone
