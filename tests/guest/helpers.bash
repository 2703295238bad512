# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the guest BATS suites.
#
# bats runs a DEBUG trap of some thirty commands before every command of a
# test, which under TCG makes a helper's loop cost seconds. The helpers'
# own commands are left out of that trace: bats excludes by directory, and
# runs each test from a preprocessed copy elsewhere, so this directory holds
# only the helpers as far as the trace is concerned (a failure inside one
# is reported at the test's line that called it). The helpers also avoid
# loops and pipes.
if declare -F bats_add_debug_exclude_path >/dev/null; then
	bats_add_debug_exclude_path "${BASH_SOURCE[0]%/*}"
fi

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

# stat_in TEXT NAME: sets STAT to NAME's value in TEXT (a copy of the
# stats file, read in one go: its values move between partial reads), or
# to nothing when TEXT has no NAME.
stat_in() {
	local s=$'\n'$1
	STAT=
	[[ $s == *$'\n'"$2 "* ]] || return 0
	s=${s#*$'\n'"$2 "}
	STAT=${s%%$'\n'*}
}

stat_get() {
	stat_in "$(<"$STATS")" "$1"
	echo "$STAT"
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

# kmsg_expect ERE...: wait until, after the mark, the kernel log has a line
# matching each ERE (one read of the log per try).
kmsg_expect() {
	local i re log ok
	for i in $(seq 1 50); do
		log=$(kmsg_since)
		ok=1
		for re; do
			grep -Eq "$re" <<<"$log" || {
				ok=
				break
			}
		done
		[ -z "$ok" ] || return 0
		sleep 0.1
	done
	echo "kernel log has no line matching: $re" >&2
	echo "$log" >&2
	return 1
}

kmsg_no_violation() {
	if kmsg_since | grep -q 'credguard: violation'; then
		kmsg_since >&2
		return 1
	fi
}


# The number of violation lines since the mark.
reports() {
	kmsg_since | grep -c 'credguard: violation' || true
}

# Snapshot of counters before a step; delta NAME prints the change.
snap() {
	SNAP=$(<"$STATS")
}

delta() {
	local was
	stat_in "$SNAP" "$1"
	was=${STAT:-0}
	stat_in "$(<"$STATS")" "$1"
	echo $((${STAT:-0} - was))
}

# delta_is NAME N [NOW]: NAME moved by N since the last snap; NOW is a
# later copy of the stats file (default: read it now).
delta_is() {
	local was
	stat_in "$SNAP" "$1"
	was=${STAT:-0}
	stat_in "${3-$(<"$STATS")}" "$1"
	[ $((${STAT:-0} - was)) -ne "$2" ] || return 0
	echo "$1 moved by $((${STAT:-0} - was)), not $2" >&2
	return 1
}

# counts VIOLATIONS RESTORED KILLED: the counter deltas since the last snap,
# from one read of the stats file.
counts() {
	local now
	now=$(<"$STATS")
	delta_is violations "$1" "$now" &&
		delta_is restored "$2" "$now" &&
		delta_is killed "$3" "$now"
}

# --- attacks -------------------------------------------------------------

# guarded MODE FIELDS-ERE: the common verdict of MODE, and one report line
# carrying the fields.
guarded() {
	case $1 in
	kill)
		[ "$status" -eq 137 ]
		counts 1 1 1
		;;
	restore)
		[ "$status" -eq 0 ]
		counts 1 1 0
		;;
	log)
		[ "$status" -eq 0 ]
		counts 1 0 0
		;;
	esac
	expect_report "changed:.*$2.* action=$1 result=ok"
	[ "$(reports)" -eq 1 ]
}

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
	local re res=()
	for re; do
		res+=("credguard: violation .*$re")
	done
	kmsg_expect "${res[@]}"
}

expect_killed() {
	[ "$status" -eq 137 ]
	[[ "$output" != *PRIV-OK* ]]
	refute pwned
	counts 1 1 1
	expect_report "action=kill result=ok"
}

expect_restored() {
	[ "$status" -eq 0 ]
	[[ "$output" == *PRIV-DENIED* ]]
	refute pwned
	counts 1 1 0
	expect_report "action=restore result=ok"
}

expect_logged() {
	[ "$status" -eq 0 ]
	[[ "$output" == *PRIV-OK* ]]
	pwned
	rm -f /root/pwned-*
	counts 1 0 0
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
	local now
	now=$(<"$STATS")
	delta_is violations 0 "$now"
	delta_is killed 0 "$now"
	kmsg_no_violation
}

# seccomp's action cache came in 5.11.
kernel_has_seccomp_cache() {
	local v
	v=$(uname -r)
	[ "${v%%.*}" -gt 5 ] || { [ "${v%%.*}" -eq 5 ] && [ "$(echo "$v" | cut -d. -f2)" -ge 11 ]; }
}

# seccomp programs are JITed (their struct bpf_prog stays writable; an
# interpreted one is made read-only).
bpf_jit_on() {
	[ "$(cat /proc/sys/net/core/bpf_jit_enable 2>/dev/null)" = 1 ]
}
