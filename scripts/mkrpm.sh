#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make rpm: build the RPM packages from packaging/rpm/credguard.spec with
# rpmbuild (Debian's rpm tools here) into build/pkg/rpm. credguard-tools
# (userspace) is built when userspace/ is in the tree.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh" pkg
ver=$(cat "$top/VERSION")
out=$top/build/pkg/rpm
rm -rf "$out"
mkdir -p "$out"/{SOURCES,SPECS,BUILD,RPMS,SRPMS,tmp}
tar -C "$top" --exclude=./build --exclude=./cache --exclude=./.git --exclude='*.ko' \
	--exclude='*.o' --exclude='*.mod*' --exclude='.*.cmd' \
	--transform "s,^\.,credguard-$ver," -czf "$out/SOURCES/credguard-$ver.tar.gz" .
with=()
[ -e "$top/userspace/Makefile" ] && with=(--with userspace)
rpmbuild -ba --nodeps --define "_topdir $out" --define "_tmppath $out/tmp" \
	--define "cg_version $ver" "${with[@]}" "$top/packaging/rpm/credguard.spec" \
	>"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log" >&2; exit 1; }
find "$out/RPMS" "$out/SRPMS" -name '*.rpm'
