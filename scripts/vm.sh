#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a stock kernel under QEMU (TCG) with the test initramfs, run the
# named BATS suites in the guest and bring the verdict back.
#
#   scripts/vm.sh --kernel REL --initrd FILE [--image VMLINUZ] [--smp N] [--suites a,b]
#                 [--churn] [--demo] [--bench] [--mem MiB] [--timeout SECONDS]
#                 [--out DIR] [--icount] [--modprobe] [--system IMAGE]
#
# --system IMAGE: IMAGE (raw ext4) is the guest's root disk; the initramfs
# mounts it and hands over to its /sbin/init, and that system runs the
# suites itself (scripts/test-system.sh builds one).
# The image is --image, else /boot/vmlinuz-REL, else the one that
# scripts/fetch-kernel.sh cached for REL.
# CG_APPEND: more kernel command line (e.g. cg.soak_cycles=N for soak.bats).
# CG_QEMU_CPU sets QEMU's -cpu (default max). CG_TCG_THREAD sets TCG's
# threading (default single: the vCPUs are interleaved on one host thread;
# with multi, one 2-vCPU run livelocked a vCPU on a stale int3 at
# commit_creds+0 after the kretprobe there had been removed and the text
# restored, which left rmmod waiting forever in synchronize_srcu).
# An arm64 kernel (REL *-arm64*) boots under qemu-system-aarch64's virt
# machine. Its one UART carries both the kernel's console (loglevel=1: only
# emergencies, the guest dumps its kernel log at the end) and the results.
# Prints the guest's TAP output as it arrives, then one line
#   VM passed=N failed=N
# where the failures include a kernel log with BUG/WARNING/Oops/Call Trace,
# a lockup or stall, a suite that did not finish and a timeout.
set -euo pipefail

kernel= image= initrd= smp=1 suites= churn= demo= bench= mem=1024 timeout=1800 out= icount= modprobe= system=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--image) image=$2; shift ;;
	--smp) smp=$2; shift ;;
	--suites) suites=$2; shift ;;
	--churn) churn=1 ;;
	--demo) demo=1 ;;
	--bench) bench=full ;;
	--bench-quick) bench=quick ;;
	--mem) mem=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--out) out=$2; shift ;;
	--icount) icount=1 ;;
	--modprobe) modprobe=1 ;;
	--system) system=$2; shift ;;
	*) echo "vm.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$kernel" ] && [ -n "$initrd" ] || { echo "vm.sh: --kernel and --initrd are required" >&2; exit 2; }
if [ -z "$image" ]; then
	image=/boot/vmlinuz-$kernel
	[ -r "$image" ] || image=${CG_CACHE:-/var/cache/credguard}/kernels/$kernel/vmlinuz
fi
[ -r "$image" ] || { echo "vm.sh: no kernel image $image" >&2; exit 2; }
[ -n "$out" ] || out=$(mktemp -d)
mkdir -p "$out"
console=$out/console.log results=$out/results.log
: >"$console"
: >"$results"

case $kernel in
*-arm64*)
	results=$console
	qemu=(qemu-system-aarch64 -M virt)
	append="console=ttyAMA0 loglevel=1 panic=-1 cg.suites=$suites"
	serial=(-serial "file:$console")
	;;
*)
	qemu=(qemu-system-x86_64)
	append="console=ttyS0 loglevel=7 panic=-1 cg.suites=$suites"
	serial=(-serial "file:$console" -serial "file:$results")
	;;
esac
[ -n "$churn" ] && append+=" cg.churn=1"
[ -n "$demo" ] && append+=" cg.demo=1"
[ -n "$bench" ] && append+=" cg.bench=$bench"
[ -n "$modprobe" ] && append+=" cg.modprobe=1"
[ -n "${CG_APPEND:-}" ] && append+=" $CG_APPEND"
extra=()
if [ -n "$system" ]; then
	append+=" cg.root=/dev/vda"
	extra+=(-drive "file=$system,format=raw,if=virtio")
fi
[ -n "$icount" ] && extra+=(-icount "shift=0,sleep=off")

"${qemu[@]}" -accel "tcg,thread=${CG_TCG_THREAD:-single}" -cpu "${CG_QEMU_CPU:-max}" -m "$mem" -smp "$smp" \
	-kernel "$image" -initrd "$initrd" -append "$append" \
	-display none -monitor none -no-reboot \
	"${serial[@]}" "${extra[@]}" &
qpid=$!

# Show the guest's new output lines, without its kernel log dump.
show_new() {
	local n
	n=$(wc -l <"$results")
	if [ "$n" -gt "$shown" ]; then
		sed -n "$((shown + 1)),${n}p" "$results" | tr -d '\r' |
			awk '/^GUEST dmesg-begin/ { skip = 1 } !skip { print } /^GUEST dmesg-end/ { skip = 0 }'
		shown=$n
	fi
}

# Show progress while the guest runs; stop it cleanly on timeout.
deadline=$((SECONDS + timeout))
shown=0 timed_out=
while kill -0 "$qpid" 2>/dev/null; do
	if [ $SECONDS -ge $deadline ]; then
		timed_out=1
		kill "$qpid" 2>/dev/null || true
		break
	fi
	sleep 1
	show_new
done
wait "$qpid" 2>/dev/null || true
show_new
# The guest's serial line ends lines with CR LF.
sed -i 's/\r$//' "$results" "$console"
# One UART (arm64): results.log is the console too, for the callers that
# read results.log (matrix, bench, sanitize).
[ "$results" = "$console" ] && cp "$console" "$out/results.log"

passed=$(grep -c '^ok ' "$results" || true)
failed=$(grep -c '^not ok ' "$results" || true)

problem() { echo "VM-FAIL $*"; failed=$((failed + 1)); }
[ -n "$timed_out" ] && problem "timed out after ${timeout}s"
grep -q '^GUEST done' "$results" || problem "guest did not finish"
for s in ${suites//,/ }; do
	end=$(grep "^ENDSUITE $s " "$results" || true)
	if [ -z "$end" ]; then
		problem "suite $s did not finish"
	elif [ "$end" != "ENDSUITE $s rc=0" ] &&
		! awk -v s="$s" '$0 == "SUITE " s { on = 1 } on && /^not ok / { f = 1 } $1 == "ENDSUITE" && $2 == s { on = 0 } END { exit !f }' "$results"; then
		problem "suite $s failed without a test failure ($end)"
	fi
done
bad='BUG:|WARNING:|Oops|Call Trace|soft lockup|hard LOCKUP|blocked for more than|detected stall|rcu: INFO|general protection fault|Kernel panic|kernel BUG'
if grep -aE "$bad" "$console" "$results" >"$out/kernel-problems.log"; then
	problem "kernel log has: $(head -n 3 "$out/kernel-problems.log" | tr '\n' ' ')"
else
	passed=$((passed + 1)) # the clean kernel log counts as a test
fi
echo "VM passed=$passed failed=$failed (logs: $out)"
[ "$failed" -eq 0 ]
