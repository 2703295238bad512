#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The sanitize tier's soak (scripts/sanitize.sh; not in make check's list):
# credguard unloaded and loaded again many times, and violations in every
# mode for minutes, meant to run beside the churn (cg.churn=1) on 2 vCPUs.
# cg.soak_cycles=N (default 100) and cg.soak_secs=S (seconds per mode,
# default 200) on the kernel command line change the amounts.
load helpers

KO=${CG_MODDIR:-/lib/cg}/credguard.ko
PRIMS="commit_root overwrite_ids caps_only fsuid_only swap_ptr userns nsproxy"

cmdline_num() {
	local v
	v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^cg\.$1=\([0-9][0-9]*\)$/\1/p")
	echo "${v:-$2}"
}

teardown_file() {
	grep -q '^credguard ' /proc/modules || insmod "$KO"
	echo kill >"$MODE"
}

@test "soak: credguard unloaded and loaded again, again and again" {
	local n i
	n=$(cmdline_num soak_cycles 100)
	for i in $(seq 1 "$n"); do
		rmmod credguard || { echo "cycle $i: rmmod failed" >&2; return 1; }
		insmod "$KO" || { echo "cycle $i: insmod failed" >&2; return 1; }
		# Now and then one violation on the fresh module.
		if [ $((i % 10)) -eq 0 ]; then
			attack kill -u 1000 commit_root
			expect_killed
		fi
	done
	echo "# $n cycles" >&3
}

soak_mode() {
	local mode=$1 secs end runs=0 p
	secs=$(cmdline_num soak_secs 200)
	end=$((SECONDS + secs))
	set_mode "$mode"
	snap
	while [ $SECONDS -lt $end ]; do
		for p in $PRIMS; do
			rm -f /root/pwned-*
			if [ "$p" = nsproxy ]; then
				"$CGT" attack "$p" >/dev/null 2>&1 || true
			else
				"$CGT" attack -u 1000 "$p" >/dev/null 2>&1 || true
			fi
			runs=$((runs + 1))
		done
	done
	rm -f /root/pwned-*
	echo "# $mode: $runs attacks in ${secs}s, $(delta violations) violations" >&3
	[ "$(delta violations)" -ge "$runs" ]
	if [ "$mode" = log ]; then
		[ "$(delta killed)" -eq 0 ]
	fi
}

@test "soak: violations in kill mode for minutes" {
	soak_mode kill
}

@test "soak: violations in restore mode for minutes" {
	soak_mode restore
}

@test "soak: violations in log mode for minutes" {
	soak_mode log
}
