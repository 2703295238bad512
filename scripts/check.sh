#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test suite, on the host and in QEMU guests. The last
# line is the summary over all suites: "N passed, N failed".
#
# Environment: KVER (kernel release to test; default: newest stock kernel
# installed), CG_SUITES (guest suites, default: attack,legit,compat32,params,faults,events,umh,guard,legit2,idmap,rules),
# CG_CHURN_SUITES (those of the 2-vCPU churn guest, default: the same
# but rules), CG_TIMEOUT (seconds per guest boot, default 2400), CG_UPGRADE (the second
# kernel, SUITE:FLAVOUR, default bookworm-backports:amd64).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

"$top/scripts/deps.sh" all || exit 1
kver=${KVER:-$("$top/scripts/kernel.sh")} || exit 1
suites=${CG_SUITES:-attack,legit,compat32,params,faults,events,umh,guard,legit2,idmap,rules}
timeout=${CG_TIMEOUT:-2400}
logs=$top/build/check
rm -rf "$logs"
mkdir -p "$logs"

# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

echo "== credguard check on kernel $kver"

# --- host suite: builds --------------------------------------------------
echo "== suite: build"
rm -f "$top"/src/*.su
if make -s -C "/lib/modules/$kver/build" M="$top" W=1 KCFLAGS=-fstack-usage modules >"$logs/build-w1.log" 2>&1 &&
	! grep -E 'warning:|error:' "$logs/build-w1.log"; then
	pass "build: credguard.ko builds with W=1 and no warning"
else
	cat "$logs/build-w1.log"
	fail "build: credguard.ko builds with W=1 and no warning"
fi
# Hooks run on the stack of whatever syscall they interrupt: no function
# of the module may take more than CG_MAX_FRAME bytes (default 800) here,
# so that KASAN's redzones (about 1.4x) stay under the 1024 the sanitize
# build allows (cg_check_slow() once reached 904 and broke that build).
maxf=${CG_MAX_FRAME:-800}
big=$(cat "$top"/src/*.su 2>/dev/null | awk -F'\t' -v m="$maxf" '$2 > m')
if compgen -G "$top/src/*.su" >/dev/null && [ -z "$big" ]; then
	pass "build: no stack frame over $maxf bytes (-fstack-usage)"
else
	echo "${big:-no .su files}"
	fail "build: no stack frame over $maxf bytes (-fstack-usage)"
fi
if modinfo -p "$top/src/credguard.ko" | grep -q '^mode:' &&
	! modinfo -p "$top/src/credguard.ko" | grep -q '^fault:'; then
	pass "build: the product build has no fault injection"
else
	fail "build: the product build has no fault injection"
fi
make -s -C "/lib/modules/$kver/build" M="$top" clean >/dev/null 2>&1
if initrd=$("$top/scripts/build-tests.sh" "$kver" "$top/build/$kver" 2>"$logs/build-tests.log"); then
	pass "build: test module, guest helper and initramfs"
else
	cat "$logs/build-tests.log"
	fail "build: test module, guest helper and initramfs"
	cg_summary
	exit 1
fi
if modinfo "$top/build/$kver/src/credguard.ko" | grep -q '^license: *GPL v2'; then
	pass "build: credguard.ko is GPL-2.0 and carries its version"
else
	fail "build: credguard.ko is GPL-2.0 and carries its version"
fi

# --- host suite: user space (credguardd, credguardctl) --------------------
echo "== suite: userspace"
if make -s -C "$top/userspace" O="$logs/userspace" all >"$logs/userspace-build.log" 2>&1; then
	pass "userspace: credguardd and credguardctl build with -Wall -Wextra -Werror and hardening"
else
	cat "$logs/userspace-build.log"
	fail "userspace: credguardd and credguardctl build with -Wall -Wextra -Werror and hardening"
fi
ver=$(cat "$top/VERSION")
if [ "$("$logs/userspace/credguardd" --version)" = "credguardd $ver" ] &&
	[ "$("$logs/userspace/credguardctl" --version)" = "credguardctl $ver" ]; then
	pass "userspace: credguardd --version and credguardctl --version print $ver (VERSION)"
else
	fail "userspace: credguardd --version and credguardctl --version print $ver (VERSION)"
fi
# The unit tests, plain and under ASan/UBSan: each line counts.
for t in unit unit-san; do
	if make -s -C "$top/userspace" O="$logs/userspace" "$logs/userspace/$t" >>"$logs/userspace-build.log" 2>&1; then
		"$logs/userspace/$t" >"$logs/userspace-$t.log" 2>&1
		rc=$?
		while read -r line; do
			case $line in
			"ok - "*) pass "userspace $t: ${line#ok - }" ;;
			"not ok - "*) fail "userspace $t: ${line#not ok - }" ;;
			esac
		done <"$logs/userspace-$t.log"
		[ $rc -eq 0 ] || { grep -v '^ok' "$logs/userspace-$t.log"; fail "userspace $t: exits 0 (no sanitizer report)"; }
	else
		cat "$logs/userspace-build.log"
		fail "userspace $t: builds"
	fi
done

# --- host suite: style ---------------------------------------------------
echo "== suite: style"
cfiles=$(git -C "$top" ls-files 'src/*.[ch]' 'src/uapi/*.h' 'tests/module/*.c' 'tests/guest/*.c' 'userspace/*.[ch]' 2>/dev/null ||
	ls src/*.[ch] src/uapi/*.h tests/module/*.c tests/guest/*.c userspace/*/*.[ch])
if clang-format --dry-run --Werror $cfiles >"$logs/clang-format.log" 2>&1; then
	pass "style: clang-format (kernel rules, .clang-format) is clean"
else
	head -n 40 "$logs/clang-format.log"
	fail "style: clang-format (kernel rules, .clang-format) is clean"
fi
# checkpatch.pl is not part of the tree: CHECKPATCH=/path/to/checkpatch.pl
if [ -n "${CHECKPATCH:-}" ]; then
	# shellcheck disable=SC2046 # one word per file
	if perl "$CHECKPATCH" --no-tree --terse --file --ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
		$(echo "$cfiles" | grep -v -e '^tests/guest/' -e '^userspace/') >"$logs/checkpatch.log" 2>&1; then
		pass "style: checkpatch.pl is clean"
	else
		grep -v '^total: 0 errors, 0 warnings' "$logs/checkpatch.log"
		fail "style: checkpatch.pl is clean"
	fi
fi
# The shell scripts: shellcheck at warning level (settings: .shellcheckrc).
# shellcheck disable=SC2046 # one word per file
if shellcheck -S warning $(git -C "$top" ls-files 'scripts/*' '.ci/*' 2>/dev/null ||
	ls scripts/* .ci/*) >"$logs/shellcheck.log" 2>&1; then
	pass "style: shellcheck -S warning is clean over scripts/ and .ci/"
else
	head -n 60 "$logs/shellcheck.log"
	fail "style: shellcheck -S warning is clean over scripts/ and .ci/"
fi

# --- host suites: DKMS, packages, a kernel upgrade (a second kernel) ------
# Each script prints "ok - ..." / "not ok - ..." lines.
cg_host dkms "$logs" "$top/scripts/test-dkms.sh" "$kver"
cg_host install "$logs" "$top/scripts/test-install.sh" "$kver"
cg_host deb "$logs" "$top/scripts/test-deb.sh" "$kver"
# The second kernel: CG_UPGRADE=SUITE:FLAVOUR (default bookworm-backports:amd64,
# i.e. 6.12) gets credguard from DKMS's kernel hook and runs the core suites.
upgrade=${CG_UPGRADE:-bookworm-backports:amd64}
cg_host upgrade "$logs" "$top/scripts/test-upgrade.sh" "${upgrade%%:*}" "${upgrade#*:}"
# On the upgrade suite's system: a real systemd boot of the installed
# packages (suite "system"), then the RPMs installed, upgraded and erased.
cg_host system "$logs" "$top/scripts/test-system.sh" "${upgrade%%:*}" "${upgrade#*:}"
cg_host rpm "$logs" "$top/scripts/test-rpm.sh" "${upgrade%%:*}" "${upgrade#*:}"

# --- guest suites --------------------------------------------------------
# The two guests at once, one host core each (cg_vm_bg).
# The churn guest skips the value rules (CG_CHURN_SUITES): they judge a
# task's own syscall from its own saved state, the churn beside them adds
# nothing to that, and at half a core they took a quarter of its time
# (make sanitize runs them with the churn).
run_vm() {
	local name=$1 set=$2
	shift 2
	echo "== suite: guest $name (kernel $kver, suites $set), in the background"
	cg_vm_bg "$name" "$logs" --kernel "$kver" --initrd "$initrd" --suites "$set" \
		--timeout "$timeout" "$@"
}
churn_suites=${CG_CHURN_SUITES:-$(echo ",$suites," | sed 's/,rules,/,/; s/^,//; s/,$//')}
run_vm smp1 "$suites" --smp 1
run_vm smp2-churn "$churn_suites" --smp 2 --churn
cg_vm_wait "$logs" smp1 smp2-churn

echo "logs: $logs"
cg_summary
