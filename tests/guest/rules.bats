#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Value rules: a credential syscall may only produce what the kernel would
# compute from the caller's old credentials and its arguments, and a call
# that fails may change nothing. Each forged case has cgtest write into the
# caller's cred inside a credential syscall that changes nothing (or
# fails), in every mode, from both ABIs; the accept side runs every rule
# from root down.
load helpers

CGR=/tests/cgrules
CGR32=/tests/cgrules32

teardown_file() {
	echo kill >/sys/module/credguard/parameters/mode
}

# inside MODE BINARY PRIM CALL: PRIM inside CALL, as uid 1000.
inside() {
	set_mode "$1"
	rm -f /root/pwned-*
	snap
	kmsg_mark
	run "$2" inside -u 1000 "$3" "$4"
	echo "$output"
}

line() { grep "^$1 " <<<"$output" | cut -d' ' -f2-; }

# The forged change was refused by the rule of CALL in MODE.
expect_refused() {
	local mode=$1 abi=$2
	expect_report "abi=$abi at=exit" "action=$mode result=ok"
	[ "$(delta violations)" -eq 1 ]
	case $mode in
	kill)
		refute pwned
		[ "$status" -eq 137 ]
		[ "$(delta killed)" -eq 1 ]
		;;
	restore)
		[ "$status" -eq 0 ]
		[ "$(delta restored)" -eq 1 ]
		# Every id and capability is back to what it was.
		[ "$(line after)" = "$(line before)" ]
		[[ "$output" == *PRIV-DENIED* ]]
		refute pwned
		;;
	log)
		[ "$status" -eq 0 ]
		[ "$(delta restored)" -eq 0 ]
		[ "$(line after)" != "$(line before)" ]
		rm -f /root/pwned-*
		;;
	esac
}

# forged PRIM CALL: in every mode, from the 64-bit and the ia32 binary.
forged() {
	local mode bin abi
	for mode in kill restore log; do
		for bin in "$CGR" "$CGR32"; do
			abi=x86_64
			[ "$bin" = "$CGR32" ] && abi=ia32
			inside $mode "$bin" "$1" "$2"
			expect_refused $mode $abi
		done
	done
}

@test "accept: every rule from root down (64-bit)" {
	legit "$CGR" legit
	[[ "$output" == *legit-done* ]]
}
@test "accept: every rule from root down (ia32)" {
	legit "$CGR32" legit
	[[ "$output" == *legit-done* ]]
}

# setuid family (__sys_setuid, __sys_setreuid, __sys_setresuid).
@test "refuse: uid 0 written inside setuid(0) that fails" {
	forged uid0 setuid0
}
@test "refuse: uid 0 written inside setreuid(-1, -1)" {
	forged uid0 setreuid-noop
}
@test "refuse: uid 0 written inside setresuid(-1, -1, -1)" {
	forged uid0 setresuid-noop
}
@test "refuse: capabilities raised inside setfsuid(own uid)" {
	forged caps setfsuid-self
}
# setgid family.
@test "refuse: gid 0 written inside setgid(0) that fails" {
	forged gid0 setgid0
}
@test "refuse: gid 0 written inside setregid(-1, -1)" {
	forged gid0 setregid-noop
}
@test "refuse: gid 0 written inside setresgid(-1, -1, -1)" {
	forged gid0 setresgid-noop
}
@test "refuse: gid 0 written inside setfsgid(own gid)" {
	forged gid0 setfsgid-self
}
# setgroups without CAP_SETGID (may_setgroups).
@test "refuse: a root group list swapped in inside setgroups() that fails" {
	forged groups setgroups0
}
# capset (cap_capset).
@test "refuse: permitted and effective raised inside capset(no change)" {
	forged caps capset-noop
}
@test "refuse: inheritable raised inside capset(no change)" {
	forged inh capset-noop
}
# prctl (cap_task_prctl).
@test "refuse: ambient set raised inside prctl(PR_SET_KEEPCAPS)" {
	forged amb keepcaps
}
@test "refuse: ambient set raised inside prctl(PR_CAPBSET_DROP) that fails" {
	forged amb bset-drop
}
# ia32's 16-bit calls: -1 is 0xffff.
@test "refuse: uid 0 written inside setresuid16(-1, -1, -1) (ia32)" {
	for mode in kill restore log; do
		inside $mode "$CGR32" uid0 setresuid16-noop
		expect_refused $mode ia32
	done
}
@test "refuse: uid 0 written inside setuid16(0) that fails (ia32)" {
	for mode in kill restore log; do
		inside $mode "$CGR32" uid0 setuid16-0
		expect_refused $mode ia32
	done
}
@test "the inside primitive itself: without credguard's rule it would stand" {
	# log mode keeps what was forged: the primitive really fires inside
	# the call (the refusals above are not an artefact of the harness).
	inside log "$CGR" uid0 setresuid-noop
	[[ "$(line after)" == "uid=0 euid=0 suid=0 fsuid=0 "* ]]
	[[ "$(line before)" == "uid=1000 euid=1000 suid=1000 fsuid=1000 "* ]]
}
@test "bad cgtest commands change nothing" {
	refute sh -c 'echo "inside nosuch setresuid" >/proc/cgtest'
	refute sh -c 'echo "inside uid0 no_such_syscall" >/proc/cgtest'
	echo "inside off" >/proc/cgtest
}
