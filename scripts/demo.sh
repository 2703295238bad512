#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot a throwaway VM on a stock Debian kernel, load credguard,
# run a simulated kernel exploit and show it stopped, with the kernel's
# report and the stats. Installs what it needs (as root) on first use.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh" all
kver=${KVER:-$("$top/scripts/kernel.sh")}
echo "building credguard for $kver and booting it under QEMU..."
initrd=$("$top/scripts/build-tests.sh" "$kver" "$top/build/$kver")
out=$top/build/demo
"$top/scripts/vm.sh" --kernel "$kver" --initrd "$initrd" --demo --timeout 600 --out "$out" |
	sed -n '/^GUEST kernel/d; /^GUEST stats/,$d; p'
