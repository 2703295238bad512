# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the guest BATS suites.

CGT=/tests/cgt
STATS=/proc/credguard/stats
MODE=/sys/module/credguard/parameters/mode

# The machine's ABIs as credguard names them, and write's native number.
case $(uname -m) in
aarch64) ABI64=aarch64 ABI32=aarch32 NR_WRITE=64 ;;
*) ABI64=x86_64 ABI32=ia32 NR_WRITE=1 ;;
esac

# refute CMD...: CMD must fail. (Inside a test, "! CMD" never fails the
# test: bash's errexit ignores a negated command.)
refute() {
	if "$@"; then
		echo "expected to fail: $*" >&2
		return 1
	fi
}

# wait_for SECONDS COMMAND: until COMMAND succeeds.
wait_for() {
	local end=$((SECONDS + $1))
	until eval "$2"; do
		[ $SECONDS -lt $end ] || break
		sleep 0.2
	done
	eval "$2" && return 0
	echo "timed out waiting for: $2" >&2
	return 1
}

stat_get() {
	cat "$STATS" | awk -v k="$1" '$1 == k { print $2 }'
}

set_mode() {
	echo "$1" >"$MODE"
	[ "$(cat "$MODE")" = "$1" ]
}

# Put a unique mark in the kernel log; kmsg_since prints what follows it.
kmsg_mark() {
	KMARK="cgtest-mark-$$-$RANDOM-$BATS_TEST_NUMBER"
	echo "$KMARK" >/dev/kmsg
}

kmsg_since() {
	dmesg | sed -n "/$KMARK/,\$p"
}

# Wait until a violation line matching ERE $1 shows up after the mark.
kmsg_expect() {
	local i
	for i in $(seq 1 50); do
		kmsg_since | grep -Eq "$1" && return 0
		sleep 0.1
	done
	echo "kernel log has no line matching: $1" >&2
	kmsg_since >&2
	return 1
}

kmsg_no_violation() {
	if kmsg_since | grep -q 'credguard: violation'; then
		kmsg_since >&2
		return 1
	fi
}

# counts VIOLATIONS RESTORED KILLED: the counter deltas since the last snap.
counts() {
	[ "$(delta violations)" -eq "$1" ]
	[ "$(delta restored)" -eq "$2" ]
	[ "$(delta killed)" -eq "$3" ]
}

# The number of violation lines since the mark.
reports() {
	kmsg_since | grep -c 'credguard: violation' || true
}

# Snapshot of counters before a step; delta NAME prints the change.
# The file is read in one go: its values move between partial reads.
snap() {
	declare -gA SNAP
	local k v
	while read -r k v; do SNAP[$k]=$v; done <<<"$(cat "$STATS")"
}

delta() {
	echo $(($(stat_get "$1") - ${SNAP[$1]:-0}))
}

# --- attacks -------------------------------------------------------------

# attack MODE CGT-ATTACK-ARGS...: run one attack primitive in MODE.
attack() {
	set_mode "$1"
	shift
	rm -f /root/pwned-*
	snap
	kmsg_mark
	run "$CGT" attack "$@"
	echo "$output"
}

pwned() { ls /root/pwned-* >/dev/null 2>&1; }

# The violation line for this test, matching every ERE given.
expect_report() {
	local re
	for re in "$@"; do
		kmsg_expect "credguard: violation .*$re" || return 1
	done
}

expect_killed() {
	[ "$status" -eq 137 ]
	[[ "$output" != *PRIV-OK* ]]
	refute pwned
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta restored)" -eq 1 ]
	[ "$(delta killed)" -eq 1 ]
	expect_report "action=kill result=ok"
}

expect_restored() {
	[ "$status" -eq 0 ]
	[[ "$output" == *PRIV-DENIED* ]]
	refute pwned
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta restored)" -eq 1 ]
	[ "$(delta killed)" -eq 0 ]
	expect_report "action=restore result=ok"
}

expect_logged() {
	[ "$status" -eq 0 ]
	[[ "$output" == *PRIV-OK* ]]
	pwned
	rm -f /root/pwned-*
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta restored)" -eq 0 ]
	[ "$(delta killed)" -eq 0 ]
	expect_report "action=log result=ok"
}

# --- legitimate paths ----------------------------------------------------

# legit CMD...: run a legitimate operation in kill mode; it must succeed
# and raise no violation.
legit() {
	set_mode kill
	snap
	kmsg_mark
	run "$@"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(delta violations)" -eq 0 ]
	[ "$(delta killed)" -eq 0 ]
	kmsg_no_violation
}
