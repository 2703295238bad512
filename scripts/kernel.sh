#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the release of the newest stock Debian kernel that has both an
# image in /boot and headers in /lib/modules/<release>/build.
#   scripts/kernel.sh [PATTERN]   (default: *-amd64)
set -euo pipefail
pattern=${1:-*-amd64}
best=
for img in /boot/vmlinuz-$pattern; do
	[ -e "$img" ] || continue
	rel=${img#/boot/vmlinuz-}
	[ -d "/lib/modules/$rel/build" ] || continue
	best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n 1)
done
if [ -z "$best" ]; then
	echo "kernel.sh: no kernel matching $pattern with image and headers" >&2
	exit 1
fi
echo "$best"
