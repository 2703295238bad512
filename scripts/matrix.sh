#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make matrix: build credguard for stock Debian kernels of several suites
# and flavours, boot each under QEMU with the core guest suites, and print
# a table kernel x build x load x suite. Kernels and chroots are fetched
# and cached by scripts/fetch-kernel.sh; nothing is installed system-wide.
#
# Environment:
#   CG_MATRIX   space-separated SUITE:FLAVOUR entries; "host" is this
#               machine's newest installed stock kernel. Default:
#               host bullseye:amd64 bookworm-backports:amd64 sid:amd64
#               bookworm-backports:rt-amd64 bookworm:cloud-amd64
#               (bookworm-backports' 6.12 -cloud kernel does not boot under
#               QEMU TCG: a double fault before any module is loaded),
#               then CG_MATRIX_ARM64's entries
#   CG_MATRIX_ARM64  arm64 entries (SUITE:arm64: Debian's stock arm64
#               kernel, cross-built, booted under qemu-system-aarch64;
#               scripts/arm64.sh). Default: bookworm:arm64
#               bookworm-backports:arm64 sid:arm64 (unstable's kernel is
#               built in unstable's chroot, with its own cross gcc and
#               kbuild tools)
#   CG_SUITES   guest suites (default: attack,legit = the core suite)
#   CG_JOBS     guests booted at once (default 1)
#   CG_TIMEOUT  seconds per guest boot (default 1500)
# The last line is "N passed, N failed" over every cell.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
entries="${CG_MATRIX-host bullseye:amd64 bookworm-backports:amd64 sid:amd64 bookworm-backports:rt-amd64 bookworm:cloud-amd64} ${CG_MATRIX_ARM64-bookworm:arm64 bookworm-backports:arm64 sid:arm64}"
suites=${CG_SUITES:-attack,legit}
jobs=${CG_JOBS:-1}
timeout=${CG_TIMEOUT:-1500}
logs=$top/build/matrix
rm -rf "$logs"
mkdir -p "$logs"
"$top/scripts/deps.sh" matrix || exit 1

rels=() names=()
declare -A build secs
for e in $entries; do
	t0=$SECONDS
	if [ "$e" = host ]; then
		rel=$("$top/scripts/kernel.sh") || { names+=("$e"); rels+=("-"); continue; }
	else
		fetch=("$top/scripts/fetch-kernel.sh" "${e%%:*}" "${e#*:}")
		[ "${e#*:}" = arm64 ] && fetch=("$top/scripts/arm64.sh" fetch "${e%%:*}")
		echo "== fetch $e"
		if ! rel=$("${fetch[@]}" 2>"$logs/fetch-${e/:/-}.log"); then
			tail -n 5 "$logs/fetch-${e/:/-}.log"
			names+=("$e") rels+=("-")
			continue
		fi
	fi
	names+=("$e") rels+=("$rel")
	echo "== build $rel ($e)"
	out=$logs/k/$rel
	# The product build, with W=1: it must build without a warning.
	rm -rf "$out/product" && mkdir -p "$out/product"
	cp -a src "$out/product/" && cp Kbuild VERSION "$out/product/"
	if "$top/scripts/kmake.sh" "$rel" "$out/product" W=1 modules >"$logs/$rel.build.log" 2>&1 &&
		! grep -E 'warning:|error:' "$logs/$rel.build.log" >/dev/null &&
		"$top/scripts/build-tests.sh" "$rel" "$out" >>"$logs/$rel.build.log" 2>&1; then
		build[$rel]=ok
	else
		build[$rel]=FAIL
		grep -E 'warning:|error:' "$logs/$rel.build.log" | head -n 20
	fi
	secs[$rel]=$((SECONDS - t0))
done

run_guest() {
	local rel=$1 t0=$SECONDS
	"$top/scripts/vm.sh" --kernel "$rel" --initrd "$logs/k/$rel/initramfs.cpio.gz" \
		--suites "$suites" --timeout "$timeout" --smp 1 --out "$logs/$rel" \
		>"$logs/$rel.vm.out" 2>&1
	echo $((SECONDS - t0)) >"$logs/$rel.vm.secs"
}
running=0
for rel in "${rels[@]}"; do
	[ "$rel" != - ] && [ "${build[$rel]}" = ok ] || continue
	echo "== boot $rel (suites $suites)"
	run_guest "$rel" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

passed=0 failed=0
printf '\n%-28s %-34s %-6s %-6s %-22s %s\n' ENTRY KERNEL BUILD LOAD SUITE SECONDS
for i in "${!rels[@]}"; do
	rel=${rels[$i]} e=${names[$i]}
	if [ "$rel" = - ]; then
		printf '%-28s %-34s %-6s %-6s %-22s %s\n' "$e" "(fetch failed)" - - - -
		failed=$((failed + 1))
		continue
	fi
	b=${build[$rel]} l=- s=- t=${secs[$rel]}
	if [ "$b" = ok ]; then
		passed=$((passed + 1))
		res=$logs/$rel/results.log
		if [ -s "$res" ] && grep -q '^GUEST kernel' "$res" && ! grep -q '^GUEST error' "$res"; then
			l=ok
			passed=$((passed + 1))
		else
			l=FAIL
			failed=$((failed + 1))
		fi
		line=$(grep '^VM passed=' "$logs/$rel.vm.out" || true)
		if [[ $line =~ passed=([0-9]+)\ failed=([0-9]+) ]]; then
			s="${BASH_REMATCH[1]} ok/${BASH_REMATCH[2]} fail"
			passed=$((passed + BASH_REMATCH[1]))
			failed=$((failed + BASH_REMATCH[2]))
		else
			s="no verdict"
			failed=$((failed + 1))
		fi
		t="$t+$(cat "$logs/$rel.vm.secs" 2>/dev/null || echo ?)"
	else
		failed=$((failed + 1))
	fi
	printf '%-28s %-34s %-6s %-6s %-22s %s\n' "$e" "$rel" "$b" "$l" "$s" "$t"
done
echo
grep -h '^VM-FAIL\|^not ok' "$logs"/*.vm.out 2>/dev/null | head -n 40
echo "logs: $logs"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
