#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Suite "upgrade", end to end: on a Debian system (a bookworm debootstrap
# chroot standing in for the machine, cached in $CG_CACHE/chroot/SUITE-dkms,
# so this machine's own kernels are left alone) install the credguard-dkms
# package, then another kernel's headers (SUITE's FLAVOUR, default
# bookworm-backports amd64): DKMS's own kernel hook must build credguard for
# it. The guest then boots that kernel with the DKMS-built module in a
# depmod'd /lib/modules tree, loads it with plain "modprobe credguard" and
# runs the core suites. Prints "ok - ..." / "not ok - ..." lines.
# FLAVOUR arm64: the same on an arm64 Debian system (a chroot whose
# programs, DKMS's gcc among them, run through qemu-user) for Debian's arm64
# kernel of SUITE (scripts/arm64.sh), booted under qemu-system-aarch64.
#   scripts/test-upgrade.sh [SUITE [FLAVOUR]]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
cg_dkms_system "$@"
logs=$top/build/upgrade
[ "$flavour" = arm64 ] && logs+=-arm64
suites=${CG_SUITES:-attack,legit}
cd "$top" || exit 1
rm -rf "$logs"
mkdir -p "$logs"
ver=$(cat VERSION)
cg_suite "${logs##*/}" "$logs/last.log"

# The kernel (its image is cached by fetch-kernel.sh) and the system.
arch=() sys=$base
if [ "$flavour" = arm64 ]; then
	"$top/scripts/deps.sh" arm64-system >"$logs/deps.log" 2>&1 ||
		{ nok "what an arm64 system needs here (qemu-user-static, binfmt_misc)"; cat "$logs/deps.log"; exit 0; }
	arch=(--arch arm64) sys="$base arm64"
	rel=$("$top/scripts/arm64.sh" fetch "$suite" 2>"$logs/fetch.log") || rel=
	builtin=$cache/arm64/$rel/root/lib/modules/$rel
else
	rel=$("$top/scripts/fetch-kernel.sh" "$suite" "$flavour" 2>"$logs/fetch.log") || rel=
	builtin=$cache/kernels/$rel/modules
fi
[ -n "$rel" ] || { nok "fetch $suite $flavour"; tail -n 5 "$logs/fetch.log"; exit 0; }
mksystem() {
	exec 9>"$cache/chroot/.${root##*/}.lock"
	flock 9
	if [ ! -x "$root/usr/sbin/dkms" ]; then
		rm -rf "$root.tmp"
		debootstrap "${arch[@]}" --variant=minbase --include=dkms,gcc,make,libc6-dev,kmod,openssl,ca-certificates \
			"$base" "$root.tmp" "$("$top/scripts/mirror.sh")" || return 1
		# No initramfs for kernel images that headers pull in: not booted here.
		chroot "$root.tmp" dpkg-divert --local --rename --add /usr/sbin/update-initramfs
		ln -sf /bin/true "$root.tmp/usr/sbin/update-initramfs"
		mv "$root.tmp" "$root"
	fi
	m=$("$top/scripts/mirror.sh")
	printf 'deb %s %s main\n' "$m" "$base" >"$root/etc/apt/sources.list"
	[ "$suite" != "$base" ] && printf 'deb %s %s main\n' "$m" "$suite" >>"$root/etc/apt/sources.list"
	cg_apt "$root" update -qq
}
t "a $sys system with dkms (cached chroot)" mksystem || exit 0
# A clean start: no credguard, no headers of the new kernel.
# (the rpm suite may have left its packages after a failure)
cg_chroot "$root" sh -c "dpkg --configure -a; apt-get -y -q purge 'credguard*' 'linux-headers-*' >/dev/null 2>&1
	! command -v rpm >/dev/null || rpm -e --nodeps credguard-tools credguard-dkms >/dev/null 2>&1; dkms status" >"$logs/reset.log" 2>&1

t "make deb (the package of this tree)" make -s deb || exit 0
cp "build/pkg/deb/credguard-dkms_${ver}_all.deb" "$root/tmp/"
t "apt-get install credguard-dkms_$ver" cg_apt "$root" install "/tmp/credguard-dkms_${ver}_all.deb" || exit 0
target=()
[ "$suite" != "$base" ] && target=(-t "$suite")
t "apt-get install linux-headers-$rel (the kernel upgrade)" cg_apt "$root" install "${target[@]}" "linux-headers-$rel" || exit 0
grep -E 'dkms|credguard' "$logs/last.log" | sed 's/^/# /' | head -n 10
# (compressed like the kernel's own modules where the kernel does that)
ko=
hooked() {
	ko=$(ls "$root/lib/modules/$rel/updates/dkms/"credguard.ko* 2>/dev/null | head -n 1)
	cg_chroot "$root" dkms status credguard
	cg_chroot "$root" dkms status -m credguard -v "$ver" -k "$rel" | grep -q installed && [ -r "$ko" ]
}
t "DKMS's kernel hook built and installed credguard for $rel" hooked || exit 0
ko=$(ls "$root/lib/modules/$rel/updates/dkms/"credguard.ko* | head -n 1)
modver() { modinfo -F version "$ko" | grep -qx "$ver" && modinfo -F vermagic "$ko" | grep -q "^$rel "; }
t "it is credguard $ver, built for $rel" modver
# DKMS signs what it builds (a key it generates, for the owner to enroll
# as a MOK): what a Secure Boot machine needs.
signed() { modinfo -F signer "$ko" | tee /dev/stderr | grep -q .; }
t "DKMS signed it (modinfo shows a signer)" signed

# The guest's /lib/modules: the DKMS output, depmod'd for the kernel.
mods=$logs/modroot/lib/modules/$rel
mkdir -p "$mods/updates/dkms"
cp "$ko" "$mods/updates/dkms/"
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -r "$builtin/$f" ] && cp "$builtin/$f" "$mods/"
done
t "depmod the guest's modules tree" depmod -b "$logs/modroot" "$rel"
tree=$logs/modroot/lib/modules
t "the test initramfs for $rel" env CG_MODTREE="$tree" "$top/scripts/build-tests.sh" "$rel" "$logs/k" || exit 0
"$top/scripts/vm.sh" --kernel "$rel" --initrd "$logs/k/initramfs.cpio.gz" --modprobe \
	--suites "$suites" --timeout "${CG_TIMEOUT:-1500}" --out "$logs/vm" >"$logs/vm.out" 2>&1
grep -E '^(ok|not ok|VM)' "$logs/vm.out" | sed 's/^/# /' | grep -v '^# ok' | head -n 30
loaded() { grep "^GUEST modprobe credguard: version $ver from .*/updates/dkms/credguard.ko" "$logs/vm/results.log"; }
t "the guest ($rel) loads it with plain modprobe credguard" loaded
suite_ok() {
	local line
	line=$(grep '^VM passed=' "$logs/vm.out")
	echo "$line"
	[[ $line =~ passed=([0-9]+)\ failed=0 ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]
}
t "the core suites ($suites) pass on $rel with the DKMS-built module" suite_ok
