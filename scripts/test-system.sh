#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Suite "system": the installed product on a real systemd boot. Runs after
# scripts/test-upgrade.sh, on its bookworm system (credguard-dkms installed,
# DKMS's hook built credguard for the upgrade kernel REL): adds systemd,
# udev, dbus and bats to that cached chroot, then, in an overlay just for this
# boot, installs the credguard package (daemon, unit, modules-load.d),
# sets an option in /etc/modprobe.d and adds the test-only suite and its
# unit. The tree becomes an ext4 image; QEMU boots REL with it as the root
# disk (a small initramfs loads virtio_blk/ext4 and hands over to systemd),
# and tests/guest/system/system.bats runs inside, under systemd.
# Prints "ok - ..." / "not ok - ..." lines (the guest's own come from vm.sh).
#   scripts/test-system.sh [SUITE [FLAVOUR]]     as for test-upgrade.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
cg_dkms_system "$@"
up=$top/build/upgrade
logs=$top/build/system
cd "$top" || exit 1
cg_suite system "$logs/last.log"
ver=$(cat VERSION)
merged=$logs/merged
cleanup() {
	mountpoint -q "$merged" && umount "$merged"
	rm -rf "$logs/upper" "$logs/work" "$logs/rootfs.img" "$logs/mb"
	mountpoint -q "$merged" || rm -rf "$merged"
}
mountpoint -q "$merged" && umount "$merged"
rm -rf "$logs"
mkdir -p "$logs"
trap cleanup EXIT

rel=$("$top/scripts/fetch-kernel.sh" "$suite" "$flavour" 2>"$logs/fetch.log") ||
	{ nok "fetch $suite $flavour"; tail -n 5 "$logs/fetch.log"; exit 0; }
ready() {
	cg_chroot "$root" dkms status -m credguard -v "$ver" -k "$rel" | grep -q installed &&
		[ -r "$up/k/tests/module/cgtest.ko" ] && [ -x "$up/k/cgt" ] &&
		[ -r "build/pkg/deb/credguard_${ver}_amd64.deb" ]
}
t "the upgrade suite's system has credguard $ver for $rel (run test-upgrade.sh first)" ready || exit 0
t "systemd, udev, dbus, bats, ping, setcap and newuidmap in the $base system (cached)" \
	cg_apt "$root" install systemd-sysv udev dbus bats iputils-ping libcap2-bin uidmap || exit 0

# This boot's changes live in an overlay (a copy where overlayfs cannot
# be mounted): the cached system stays as it is.
overlay() {
	mkdir -p "$logs/upper" "$logs/work" "$merged" || return 1
	mount -t overlay overlay -o "lowerdir=$root,upperdir=$logs/upper,workdir=$logs/work" "$merged" ||
		cp -a "$root/." "$merged/"
}
t "an overlay (or a copy) for this boot" overlay || exit 0
cp "build/pkg/deb/credguard_${ver}_amd64.deb" "$merged/tmp/"
t "apt-get install credguard_$ver (the daemon, its unit, modules-load.d)" \
	cg_apt "$merged" install "/tmp/credguard_${ver}_amd64.deb" || exit 0
enabled() {
	ls -l "$merged/etc/systemd/system/multi-user.target.wants/"
	[ -L "$merged/etc/systemd/system/multi-user.target.wants/credguardd.service" ]
}
t "the package enabled credguardd.service" enabled

configure() {
	local T=$merged/opt/credguard-test
	rm -f "$merged/tmp/credguard_${ver}_amd64.deb"
	echo 'options credguard ring_size=1024' >>"$merged/etc/modprobe.d/credguard.conf"
	echo '/dev/vda / ext4 rw 0 1' >"$merged/etc/fstab"
	echo credguard-vm >"$merged/etc/hostname"
	cg_chroot "$merged" useradd -u 1000 -U -m -s /bin/bash cguser || return 1
	# The test-only pieces: never in a package.
	install -d "$T"
	install -m 0755 "$up/k/cgt" tests/guest/system/run "$T/"
	install -m 0644 "$up/k/tests/module/cgtest.ko" tests/guest/system/system.bats \
		tests/guest/helpers.bash "$T/"
	echo "$ver" >"$T/version"
	install -m 0644 tests/guest/system/credguard-systest.service "$merged/etc/systemd/system/"
	ln -sf ../credguard-systest.service "$merged/etc/systemd/system/multi-user.target.wants/"
}
t "options in /etc/modprobe.d, the test-only suite and its unit" configure || exit 0
image() {
	truncate -s 4G "$logs/rootfs.img" &&
		mke2fs -q -t ext4 -d "$merged" "$logs/rootfs.img"
}
t "the root disk image (ext4)" image || exit 0
mountpoint -q "$merged" && umount "$merged"

# The initramfs: the storage modules to mount the root disk, in order.
bootmods() {
	local kmods=$cache/kernels/$rel/modules mb=$logs/mb m f
	mkdir -p "$mb/lib/modules/$rel" "$logs/boot" &&
		cp -as "$kmods/." "$mb/lib/modules/$rel/" &&
		depmod -b "$mb" "$rel" || return 1
	: >"$logs/boot/boot-modules"
	for m in virtio_blk crc32c_generic ext4; do
		for f in $(modprobe -d "$mb" -S "$rel" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'); do
			n=$(basename "$f")
			n=${n%.xz}
			grep -qx "$n" "$logs/boot/boot-modules" && continue
			case $f in
			*.xz) xz -dc "$f" >"$logs/boot/$n" ;;
			*) cp "$f" "$logs/boot/$n" ;;
			esac || return 1
			echo "$n" >>"$logs/boot/boot-modules"
		done
	done
	cat "$logs/boot/boot-modules"
	# shellcheck disable=SC2046 # one word per module
	"$top/scripts/mkinitramfs.sh" "$logs/initramfs.cpio.gz" \
		$(sed "s|^|$logs/boot/|" "$logs/boot/boot-modules") -- "$logs/boot/boot-modules"
}
t "an initramfs that mounts it (virtio_blk, ext4)" bootmods || exit 0

"$top/scripts/vm.sh" --kernel "$rel" --initrd "$logs/initramfs.cpio.gz" --system "$logs/rootfs.img" \
	--suites system --timeout "${CG_TIMEOUT:-1500}" --out "$logs/vm" >"$logs/vm.out" 2>&1
# The guest's TAP lines as this suite's, then what vm.sh found wrong.
sed -nE -e 's/^(ok|not ok) [0-9]+ (.*)/\1 - system: \2/p' -e '/^# /p' "$logs/vm/results.log" | grep -v '^# bats'
sed -n 's/^VM-FAIL /not ok - system: /p' "$logs/vm.out"
if grep -q '^GUEST done' "$logs/vm/results.log" && [ ! -s "$logs/vm/kernel-problems.log" ]; then
	ok "the kernel log is clean (boot, suite, shutdown)"
fi
grep '^VM passed=' "$logs/vm.out" | sed 's/^/# /'
