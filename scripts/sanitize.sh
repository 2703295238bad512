#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make sanitize: every guest suite on a debug kernel built from Debian's own
# linux-source-6.1 (scripts/sanitize-kernel.sh: KASAN, KFENCE, UBSAN,
# lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, kmemleak,
# DEBUG_LIST, DEBUG_CREDENTIALS), at 1 vCPU and at 2 vCPUs with the churn,
# then the soak (tests/guest/soak.bats) at 2 vCPUs with the churn. Any
# sanitizer, lockdep, RCU, DEBUG_OBJECTS or kmemleak report, BUG: or
# WARNING: fails the run (panic_on_warn stays off: one report does not hide
# the next). The last line is "N passed, N failed".
#
# Environment: CG_SUITES (as make check), CG_JOBS (guests booted at once,
# one host core each, and the parts the 1-vCPU suites are shared among;
# default 2), CG_CHURN_PARTS (the boots the 2-vCPU suites are shared
# among; default 2), CG_CHURN_PAUSE_US (the suites' churn's sleep after
# each round; default 50000), CG_SOAK (0: no soak run),
# CG_SOAK_CYCLES (default 100), CG_SOAK_SECS (per mode, default 200),
# CG_TIMEOUT (seconds per guest boot, default 7200: TCG under KASAN is 3-5
# times slower than the stock kernel), CG_CACHE.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
suites=${CG_SUITES:-attack,legit,compat32,params,faults,events,umh,guard,legit2,idmap,rules}
timeout=${CG_TIMEOUT:-7200}
jobs=${CG_JOBS:-2}
churn_boots=${CG_CHURN_PARTS:-2}
churn_pause=${CG_CHURN_PAUSE_US:-50000}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "sanitize: CG_JOBS must be a number of guests, not '$jobs'" >&2; exit 2; }
[[ $churn_boots =~ ^[1-9][0-9]*$ ]] || { echo "sanitize: CG_CHURN_PARTS must be a number of boots, not '$churn_boots'" >&2; exit 2; }
[[ $churn_pause =~ ^[0-9]+$ ]] || { echo "sanitize: CG_CHURN_PAUSE_US must be microseconds, not '$churn_pause'" >&2; exit 2; }
logs=$top/build/sanitize
rm -rf "$logs"
mkdir -p "$logs"
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
t0=$SECONDS

"$top/scripts/deps.sh" test || exit 1
echo "== sanitize: kernel"
if kdir=$("$top/scripts/sanitize-kernel.sh" 2>"$logs/kernel.log"); then
	kver=$(cat "$kdir/include/config/kernel.release")
	pass "sanitize: kernel $kver built or cached ($((SECONDS - t0))s)"
else
	cat "$logs/kernel.log"
	fail "sanitize: kernel built"
	cg_summary
	exit 1
fi
# The product module, W=1, on the debug kernel: KASAN's redzones make
# frames bigger (src/Kbuild keeps them under 1 KiB).
rm -rf "$logs/w1" && mkdir -p "$logs/w1" && cp -a src Kbuild VERSION "$logs/w1/"
if make -s -C "$kdir" M="$logs/w1" W=1 modules >"$logs/build-w1.log" 2>&1 &&
	! grep -E 'warning:|error:' "$logs/build-w1.log"; then
	pass "sanitize: credguard.ko builds with W=1 and no warning on $kver"
else
	tail -n 30 "$logs/build-w1.log"
	fail "sanitize: credguard.ko builds with W=1 and no warning on $kver"
fi
t1=$SECONDS
if initrd=$(CG_KDIR=$kdir "$top/scripts/build-tests.sh" "$kver" "$top/build/$kver" 2>"$logs/build-tests.log"); then
	pass "sanitize: credguard.ko, cgtest.ko and the initramfs built against it ($((SECONDS - t1))s)"
else
	cat "$logs/build-tests.log"
	fail "sanitize: credguard.ko, cgtest.ko and the initramfs built against it"
	cg_summary
	exit 1
fi

# What the debug kernel reports, beyond vm.sh's BUG/WARNING/Oops list
# (KASAN and KFENCE reports begin "BUG: KASAN:"/"BUG: KFENCE:", lockdep's
# and ODEBUG's come with "WARNING:"; the sanitizers' boot banners match
# nothing here).
reports='BUG: |WARNING: |UBSAN: |ODEBUG: [a-z]+ |kmemleak: [0-9]+ new suspected|unreferenced object|possible circular locking|inconsistent lock state|suspicious RCU usage|possible recursive locking|sleeping function called from invalid context|list_add corruption|list_del corruption|Oops|general protection fault|Kernel panic|CRED:'

# judge NAME: what guest NAME printed, its kmemleak scan, its reports.
judge() {
	local name=$1
	cg_vm_judge "$name" "$logs"
	if grep -q '^GUEST kmemleak-end' "$logs/$name/results.log" 2>/dev/null; then
		pass "guest $name: the kmemleak scan ran"
	else
		fail "guest $name: the kmemleak scan ran"
	fi
	if grep -aE "$reports" "$logs/$name/console.log" "$logs/$name/results.log" >"$logs/$name/reports.log" 2>/dev/null; then
		head -n 20 "$logs/$name/reports.log" | sed 's/^/#   /'
		fail "guest $name: no sanitizer, lockdep, RCU, DEBUG_OBJECTS or kmemleak report"
	else
		pass "guest $name: no sanitizer, lockdep, RCU, DEBUG_OBJECTS or kmemleak report"
	fi
	echo "# guest $name: $(cat "$logs/$name.secs")s"
}
# boot NAME VMARGS...: boot guest NAME on the debug kernel (output in
# $logs/NAME.out; its seconds in $logs/NAME.secs).
# 4-level paging (no5lvl; QEMU's -cpu max offers LA57): identify_cpu()
# zeroes the boot CPU's feature words with interrupts on, and KASAN's
# address check in an interrupt in that window sees no LA57, takes the
# 5-level direct map for wild memory and reports (a soak boot did, at
# 3.9 s, long before credguard loads). Most x86 servers run 4-level.
boot() {
	local name=$1 start=$SECONDS
	shift
	CG_APPEND="no5lvl${CG_APPEND:+ $CG_APPEND}" "$top/scripts/vm.sh" --kernel "$kver" --image "$kdir/arch/x86/boot/bzImage" --initrd "$initrd" \
		--timeout "$timeout" --out "$logs/$name" "$@" >"$logs/$name.out" 2>&1
	echo $((SECONDS - start)) >"$logs/$name.secs"
}
# The guests: every suite at 2 vCPUs with the churn in CG_CHURN_PARTS
# boots, every suite at 1 vCPU in CG_JOBS boots (the suites dealt out in
# turn), then the soak. TCG runs all of a guest's vCPUs on one host thread
# (vm.sh), so each guest takes one host core: CG_JOBS of them run at once
# (default 2, the cores CI has), the longest first, the next one starting
# as soon as one ends. The suites' churn sleeps CG_CHURN_PAUSE_US after
# each round (default 50 ms): a churn that never sleeps takes half of its
# guest's one host thread, and the 2-vCPU suites ran into the boot's
# timeout with it (the soak keeps the churn at full speed).
# 2 vCPUs are two sockets of one core: this kernel has no ACPI and finds
# its CPUs in the MP table (an earlier attempt saw 2-vCPU boots of it
# hang under TCG with QEMU's default topology). vm.sh passes --smp on to
# QEMU's -smp as it is.
smp2=(--smp "2,sockets=2" --churn)
guest_soak() {
	CG_APPEND="cg.soak_cycles=${CG_SOAK_CYCLES:-100} cg.soak_secs=${CG_SOAK_SECS:-200}" \
		boot soak "${smp2[@]}" --suites soak
}
IFS=, read -ra all <<<"$suites"
# deal N: the suites dealt out in turn into N parts, one per line.
deal() {
	local i out=()
	for i in "${!all[@]}"; do
		out[i % $1]+=${out[i % $1]:+,}${all[i]}
	done
	printf '%s\n' "${out[@]}"
}
mapfile -t churn_parts < <(deal "$churn_boots")
mapfile -t parts < <(deal "$jobs")
queue=()
for i in "${!churn_parts[@]}"; do
	queue+=("smp2-churn-$((i + 1))")
done
for i in "${!parts[@]}"; do
	queue+=("smp1-$((i + 1))")
done
[ "${CG_SOAK:-1}" != 0 ] && queue+=(soak)
running=0
for name in "${queue[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	case $name in
	smp2-churn-*)
		i=${name#smp2-churn-}
		echo "== sanitize: guest $name (${churn_parts[i - 1]}), in the background"
		CG_APPEND="cg.churn_pause=$churn_pause" boot "$name" "${smp2[@]}" --suites "${churn_parts[i - 1]}" &
		;;
	soak) echo "== sanitize: guest soak, in the background"; guest_soak & ;;
	*)
		i=${name#smp1-}
		echo "== sanitize: guest $name (${parts[i - 1]}), in the background"
		boot "$name" --smp 1 --suites "${parts[i - 1]}" &
		;;
	esac
	running=$((running + 1))
done
wait
for name in "${queue[@]}"; do
	echo "== sanitize: guest $name"
	judge "$name"
done

echo "logs: $logs ($((SECONDS - t0))s in all)"
cg_summary
