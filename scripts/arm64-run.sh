#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check|demo|bench ARCH=arm64: the guest suites, the demo and the
# benchmark on Debian's stock arm64 kernel, booted under qemu-system-aarch64
# (TCG, virt machine) from this x86_64 machine (scripts/arm64.sh fetches
# and cross-builds).
#   scripts/arm64-run.sh check|demo|bench
# Environment: CG_ARM64_SUITE (Debian suite of the kernel, default
# bookworm), CG_SUITES (default attack,legit,params,faults,events,umh,compat32),
# CG_GUESTS (smp1, smp2-churn or both, default both), CG_DKMS (0: not the
# DKMS suite on an arm64 system), CG_TIMEOUT (seconds per guest boot,
# default 5400).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
what=${1:?usage: arm64-run.sh check|demo|bench}
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
"$top/scripts/deps.sh" arm64 || exit 1
rel=$("$top/scripts/arm64.sh" fetch "${CG_ARM64_SUITE:-bookworm}") || exit 1
[ "$what" = bench ] && KVER=$rel exec "$top/scripts/bench.sh"
logs=$top/build/arm64-$what
rm -rf "$logs"
mkdir -p "$logs"
initrd=$("$top/scripts/build-tests.sh" "$rel" "$top/build/$rel" 2>"$logs/build-tests.log") ||
	{ cat "$logs/build-tests.log"; echo "0 passed, 1 failed"; exit 1; }

case $what in
check)
	suites=${CG_SUITES:-attack,legit,params,faults,events,umh,compat32}
	echo "== credguard check on arm64 kernel $rel"
	# The guests at once, one host core each (cg_vm_bg).
	run_vm() {
		local name=$1
		shift
		echo "== suite: guest $name (kernel $rel, suites $suites), in the background"
		cg_vm_bg "$name" "$logs" --kernel "$rel" --initrd "$initrd" --suites "$suites" \
			--timeout "${CG_TIMEOUT:-5400}" "$@"
		booted+=("$name")
	}
	guests=${CG_GUESTS:-smp1,smp2-churn} booted=()
	[[ ,$guests, == *,smp1,* ]] && run_vm smp1 --smp 1
	[[ ,$guests, == *,smp2-churn,* ]] && run_vm smp2-churn --smp 2 --churn
	cg_vm_wait "$logs" "${booted[@]}"
	# DKMS on an arm64 Debian system: the credguard-dkms package, then the
	# kernel's headers; DKMS's hook builds credguard there (natively, under
	# qemu-user) and the guest loads that module with modprobe.
	[ "${CG_DKMS:-1}" != 0 ] &&
		cg_host upgrade-arm64 "$logs" "$top/scripts/test-upgrade.sh" "${CG_ARM64_SUITE:-bookworm}" arm64
	echo "logs: $logs"
	cg_summary
	;;
demo)
	"$top/scripts/vm.sh" --kernel "$rel" --initrd "$initrd" --demo --timeout 1800 --out "$logs" |
		sed -n '/^GUEST kernel/d; /^GUEST stats/,$d; p'
	;;
*)
	echo "usage: arm64-run.sh check|demo|bench" >&2
	exit 2
	;;
esac
