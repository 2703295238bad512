#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make deb: build credguard-dkms and credguard (.deb) with debhelper and
# dh-dkms from a clean copy of the tree, into build/pkg/deb/, then lintian.
# The credguard (userspace) package needs userspace/ (make -C userspace);
# without it only credguard-dkms is built (build profile
# pkg.credguard.nouserspace) and this says so.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh" pkg
ver=$(cat "$top/VERSION")
out=$top/build/pkg/deb
src=$out/credguard-$ver
rm -rf "$out"
mkdir -p "$src"
tar -C "$top" --exclude=./build --exclude=./cache --exclude=./.git --exclude='*.ko' \
	--exclude='*.o' --exclude='*.mod*' --exclude='.*.cmd' -cf - . | tar -C "$src" -xf -
rm -rf "$src/debian"
cp -a "$top/packaging/debian" "$src/debian"
profiles=()
if [ ! -e "$top/userspace/Makefile" ]; then
	echo "mkdeb: no userspace/ in this tree: building credguard-dkms only" >&2
	profiles=(-Ppkg.credguard.nouserspace)
fi
(cd "$src" && dpkg-buildpackage -b -us -uc "${profiles[@]}") >"$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; exit 1; }
ls "$out"/*.deb
# The .debs: the .changes file carries the Maintainer too, with no place
# for an override (see debian/*.lintian-overrides).
debs=()
for d in "$out"/*.deb; do
	case $d in *-dbgsym_*) ;; *) debs+=("$d") ;; esac # dbgsym: no place for overrides
done
if lintian --fail-on error,warning "${debs[@]}" >"$out/lintian.log" 2>&1; then
	echo "mkdeb: lintian clean"
else
	cat "$out/lintian.log" >&2
	echo "mkdeb: lintian found problems" >&2
	exit 1
fi
