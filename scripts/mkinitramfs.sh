#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest's initramfs: busybox, bash and bats, the modules, the
# test helper and the BATS suites, with tests/guest/init as /init.
#   scripts/mkinitramfs.sh OUT.cpio.gz MODULE.ko... -- FILE...
# Modules go to /lib/cg/, other files to /tests/. CG_MODTREE=DIR adds DIR
# (a depmod'd lib/modules/RELEASE tree) as the guest's /lib/modules.
# CG_USERLAND=DIR (an unpacked arm64 userland, scripts/arm64.sh) takes
# busybox, bash and the shared libraries from DIR instead of this machine.
set -euo pipefail

out=$1
shift
mods=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	mods+=("$1")
	shift
done
[ "${1:-}" = -- ] && shift
files=("$@")

top=$(cd "$(dirname "$0")/.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,usr/libexec,lib/cg,lib64,etc,proc,sys,dev,tmp,root,tests,home/user}
chmod 1777 "$root/tmp"

ul=${CG_USERLAND:-}
# busybox and its applets (the list from this machine's: the same release)
cp "$ul/bin/busybox" "$root/bin/busybox"
for app in $(/bin/busybox --list-full); do
	[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
done

# bash with its libraries, and bats
copy_with_libs() {
	local f=$1 lib
	install -D -m 0755 "$f" "$root$f"
	for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}
rm -f "$root/bin/bash" "$root/bin/sh"
if [ -n "$ul" ]; then
	install -m 0755 "$ul/bin/bash" "$root/bin/bash"
	cp -a "$ul/lib/." "$root/lib/"
	cp -a "$ul/usr/lib/aarch64-linux-gnu/." "$root/lib/aarch64-linux-gnu/"
else
	copy_with_libs /bin/bash
fi
ln -sf /bin/busybox "$root/bin/sh"
cp -a /usr/lib/bats-core "$root/usr/lib/"
cp -a /usr/libexec/bats-core "$root/usr/libexec/"
rm -f "$root/usr/bin/bats"
cp -a /usr/bin/bats "$root/usr/bin/bats"

for m in "${mods[@]}"; do
	install -m 0644 "$m" "$root/lib/cg/"
done
for f in "${files[@]}"; do
	install -m 0755 "$f" "$root/tests/"
	# A dynamically linked program brings its shared libraries.
	if ldd "$f" >/dev/null 2>&1; then
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
		done
	fi
done
install -m 0755 "$top/tests/guest/init" "$root/init"
if [ -n "${CG_MODTREE:-}" ]; then
	mkdir -p "$root/lib/modules"
	cp -a "$CG_MODTREE/." "$root/lib/modules/"
fi

printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nuser:x:1000:\n' >"$root/etc/group"
chown 1000:1000 "$root/home/user"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out"
