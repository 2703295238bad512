#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch a stock Debian kernel of another suite for the matrix, without
# installing anything into this machine's system: a debootstrap chroot of
# that suite (its own gcc, its own kbuild) holds the kernel's headers, and
# the kernel image is unpacked beside it. Both are cached and reused.
#
#   scripts/fetch-kernel.sh SUITE [FLAVOUR]     e.g. bullseye amd64,
#                                               bookworm-backports rt-amd64,
#                                               sid cloud-amd64
# Prints the kernel release. Afterwards:
#   $CG_CACHE/kernels/REL/vmlinuz       the image vm.sh boots
#   $CG_CACHE/kernels/REL/modules/      its /lib/modules/REL tree
#   $CG_CACHE/kernels/REL/chroot        the path of the chroot with its headers
#                                       (scripts/kmake.sh builds there)
# CG_CACHE defaults to /var/cache/credguard; the mirror comes from this
# machine's apt sources (scripts/mirror.sh). CG_REFRESH=1 updates the
# chroot's package lists even when they are recent.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:?usage: fetch-kernel.sh SUITE [FLAVOUR]}
flavour=${2:-amd64}
base=${suite%-backports}
cache=${CG_CACHE:-/var/cache/credguard}
mkdir -p "$cache/kernels"

log() { echo "fetch-kernel: $*" >&2; }

. "$top/scripts/lib.sh"
cg_suite_chroot "$suite"
inroot() { cg_chroot "$root" "$@"; }

# The flavour's metapackage names the current ABI's image package.
target=()
[ "$suite" != "$base" ] && target=(-t "$suite")
meta=linux-image-$flavour
pkg=$(inroot apt-cache "${target[@]}" depends "$meta" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
[ -n "$pkg" ] || { log "$suite has no $meta"; exit 1; }
rel=${pkg#linux-image-}
rel=${rel%-unsigned}
kdir=$cache/kernels/$rel
mkdir -p "$kdir"

if ! inroot dpkg-query -W -f='${Status}' "linux-headers-$rel" 2>/dev/null | grep -q 'install ok installed'; then
	log "installing linux-headers-$rel in the $base chroot"
	inroot apt-get install -y -qq --no-install-recommends "${target[@]}" "linux-headers-$rel" >&2
fi
if [ ! -s "$kdir/vmlinuz" ]; then
	# The image package itself, or (newer kernels) the binary and modules
	# packages it depends on.
	pkgs=$pkg
	for p in "linux-binary-$rel" "linux-modules-$rel"; do
		inroot apt-cache "${target[@]}" show "$p" >/dev/null 2>&1 && pkgs+=" $p"
	done
	log "downloading $pkgs"
	rm -rf "$kdir/tmp" && mkdir -p "$kdir/tmp"
	inroot sh -c "mkdir -p /tmp/cg-dl && cd /tmp/cg-dl && rm -f ./*.deb && apt-get download -qq $pkgs" >&2
	mv "$root"/tmp/cg-dl/*.deb "$kdir/tmp/"
	for d in "$kdir"/tmp/*.deb; do
		dpkg-deb -x "$d" "$kdir/tmp/x"
	done
	# /boot/vmlinuz-REL, or /usr/lib/modules/REL/vmlinuz in newer packages
	img=$(find "$kdir/tmp/x" \( -name "vmlinuz-$rel" -o -path "*/modules/$rel/vmlinuz" \) | head -n 1)
	[ -n "$img" ] || { log "no vmlinuz in $pkgs"; exit 1; }
	cp "$img" "$kdir/vmlinuz.tmp"
	mods=$(find "$kdir/tmp/x" -maxdepth 4 -type d -path "*/modules/$rel" | head -n 1)
	rm -rf "$kdir/modules"
	[ -n "$mods" ] && mv "$mods" "$kdir/modules"
	mv "$kdir/vmlinuz.tmp" "$kdir/vmlinuz"
	rm -rf "$kdir/tmp"
fi
echo "$root" >"$kdir/chroot"
echo "$suite" >"$kdir/suite"
echo "$rel"
