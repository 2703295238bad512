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

# attempt MODE COMMAND...: COMMAND in MODE, from fresh counters and log.
attempt() {
	set_mode "$1"
	shift
	rm -f /root/pwned-*
	snap
	kmsg_mark
	run "$@"
	echo "$output"
}

# inside MODE BINARY PRIM CALL: PRIM inside CALL, as uid 1000.
inside() {
	attempt "$1" "$2" inside -u 1000 "$3" "$4"
}

line() { grep "^$1 " <<<"$output" | cut -d' ' -f2-; }

# The forged change was refused by the rule of CALL in MODE, at AT (exit).
expect_refused() {
	local mode=$1 abi=$2 at=${3:-exit} now
	expect_report "abi=$abi at=$at" "action=$mode result=ok"
	now=$(<"$STATS")
	delta_is violations 1 "$now"
	case $mode in
	kill)
		refute pwned
		[ "$status" -eq 137 ]
		delta_is killed 1 "$now"
		;;
	restore)
		[ "$status" -eq 0 ]
		delta_is restored 1 "$now"
		# Every id and capability is back to what it was.
		[ "$(line after)" = "$(line before)" ]
		[[ "$output" == *PRIV-DENIED* ]]
		refute pwned
		;;
	log)
		[ "$status" -eq 0 ]
		delta_is restored 0 "$now"
		[ "$(line after)" != "$(line before)" ]
		rm -f /root/pwned-*
		;;
	esac
}

# refused_everywhere AT ARGS...: cgrules ARGS in every mode, from the 64-bit
# and the ia32 binary, each refused at AT.
refused_everywhere() {
	local at=$1 mode bin abi
	shift
	for mode in kill restore log; do
		for bin in "$CGR" "$CGR32"; do
			abi=x86_64
			[ "$bin" = "$CGR32" ] && abi=ia32
			attempt $mode "$bin" "$@"
			expect_refused $mode $abi "$at"
		done
	done
}

# forged PRIM CALL [AT]: PRIM inside CALL as uid 1000, refused everywhere.
forged() {
	refused_everywhere "${3:-exit}" inside -u 1000 "$1" "$2"
}

# The files an exec test runs, on a tmpfs (file capabilities are xattrs):
# plain, set-uid root, set-gid root, CAP_NET_RAW (13) permitted+effective.
X=/tmp/cgx
exec_files() {
	[ -e $X/fcap ] && return
	mkdir -p $X
	mountpoint -q $X || mount -t tmpfs -o mode=755 cgx $X
	for f in plain suid sgid fcap; do
		cp "$CGR" $X/$f
		chown 0:0 $X/$f
		chmod 755 $X/$f
	done
	chmod 4755 $X/suid
	chmod 2755 $X/sgid
	"$CGR" fcap $X/fcap 13
}

# exec_ok [ARGS] FILE: cgrules exec ARGS FILE from both ABIs, no violation;
# leaves the output of the ia32 run, checked against the 64-bit one.
exec_ok() {
	local out64
	exec_files
	legit "$CGR" exec "$@"
	out64=$(line after)
	legit "$CGR32" exec "$@"
	[ "$(line after)" = "$out64" ]
}
# forged_exec FILE PRIM CALL [AT]: forged PRIM CALL, CALL's exec running $X/FILE.
forged_exec() {
	exec_files
	local -x CGR_EXEC=$X/$1
	shift
	forged "$@"
}
field() { line after | grep -o "$1[^A-Z]*" | sed "s/[[:space:]]*$//"; }

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
# A new user namespace (set_cred_user_ns): the ids stay what they were.
@test "refuse: uid 0 written inside unshare(CLONE_NEWUSER)" {
	forged uid0 unshare-user
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
# execve/execveat (bprm_fill_uid, cap_bprm_creds_from_file): the set-id
# and file-capability facts come from the kernel's credential step.
@test "accept: exec of a plain file as 1000: ids kept, no capabilities" {
	exec_ok -u 1000 $X/plain
	[[ "$(line after)" == "uid=1000 euid=1000 suid=1000 fsuid=1000 "* ]]
	[ "$(field CapPrm:)" = "CapPrm:	0000000000000000" ]
}
@test "accept: exec of a plain file as root: the bounding set" {
	exec_ok $X/plain
	[ "$(field CapPrm:)" = "$(field CapBnd: | sed 's/Bnd/Prm/')" ]
	[ "$(field CapEff:)" = "$(field CapBnd: | sed 's/Bnd/Eff/')" ]
}
@test "accept: exec of a set-uid-root file as 1000" {
	exec_ok -u 1000 $X/suid
	[[ "$(line after)" == "uid=1000 euid=0 suid=0 fsuid=0 "* ]]
	[ "$(field CapEff:)" = "$(field CapBnd: | sed 's/Bnd/Eff/')" ]
}
@test "accept: exec of a set-gid-root file as 1000" {
	exec_ok -u 1000 $X/sgid
	[ "$(field Gid:)" = "Gid:	1000	0	0	0" ]
}
@test "accept: exec of a file with a capability as 1000" {
	exec_ok -u 1000 $X/fcap
	[ "$(field CapPrm:)" = "CapPrm:	0000000000002000" ]
	[ "$(field CapEff:)" = "CapEff:	0000000000002000" ]
}
@test "accept: the ambient set across exec, cancelled by a set-uid file" {
	exec_ok -u 1000 -a 10 $X/plain
	[ "$(field CapAmb:)" = "CapAmb:	0000000000000400" ]
	[ "$(field CapEff:)" = "CapEff:	0000000000000400" ]
	exec_ok -u 1000 -a 10 $X/suid
	[ "$(field CapAmb:)" = "CapAmb:	0000000000000000" ]
}
@test "accept: no_new_privs: set-uid and file capabilities give nothing" {
	exec_ok -u 1000 -n $X/suid
	[[ "$(line after)" == "uid=1000 euid=1000 suid=1000 fsuid=1000 "* ]]
	exec_ok -u 1000 -n $X/fcap
	[ "$(field CapPrm:)" = "CapPrm:	0000000000000000" ]
}
# Under ptrace the kernel downgrades a set-uid exec unless the tracer may
# ptrace the result; it asks the cred saved at attach (ptracer_cred) of the
# task the tracee's parent pointer names, the rule asks the tracer recorded
# when the link was made (its legitimate credentials then): at
# PTRACE_TRACEME (-t, -T), at PTRACE_SEIZE and, for a child traced from
# birth (PTRACE_O_TRACEFORK), its parent's (-s, -S).
@test "accept: a set-uid exec traced by an unprivileged tracer is downgraded" {
	exec_ok -u 1000 -t $X/suid
	[[ "$(line after)" == "uid=1000 euid=1000 suid=1000 fsuid=1000 "* ]]
}
@test "accept: a set-uid exec traced by a root tracer keeps its gain" {
	exec_ok -u 1000 -T $X/suid
	[[ "$(line after)" == "uid=1000 euid=0 suid=0 fsuid=0 "* ]]
}
@test "accept: a set-uid exec traced from birth under an unprivileged seize is downgraded" {
	exec_ok -u 1000 -s $X/suid
	[[ "$(line after)" == "uid=1000 euid=1000 suid=1000 fsuid=1000 "* ]]
}
@test "accept: a set-uid exec traced from birth under a root seize keeps its gain" {
	exec_ok -u 1000 -S $X/suid
	[[ "$(line after)" == "uid=1000 euid=0 suid=0 fsuid=0 "* ]]
}
@test "refuse: a traced set-uid exec whose ptracer_cred was pointed at root's" {
	exec_files
	refused_everywhere commit exec -u 1000 -t -f $X/suid
}
# The tracer is the one recorded at the link (here PTRACE_TRACEME), not
# whichever task the tracee's parent pointer names during the exec.
@test "refuse: a traced set-uid exec whose tracer was pointed at init's" {
	exec_files
	refused_everywhere commit exec -u 1000 -t -F $X/suid
}
@test "refuse: the same under a seize, in a child traced from birth" {
	exec_files
	refused_everywhere commit exec -u 1000 -s -F $X/suid
}
# The task is traced while the kernel's link stands, whatever its ptrace
# word says: cleared across the exec (with ptracer_cred pointed at root's,
# which the kernel asks), the exec looks untraced to the kernel only.
@test "refuse: a traced set-uid exec whose ptrace word was cleared across it" {
	exec_files
	refused_everywhere commit exec -u 1000 -t -H $X/suid
}
@test "refuse: the same in a child traced from birth" {
	exec_files
	refused_everywhere commit exec -u 1000 -s -H $X/suid
}
# ...and no longer once the link is gone: the tracer's PTRACE_DETACH.
@test "accept: a set-uid exec after its unprivileged tracer detached keeps its gain" {
	exec_ok -u 1000 -t -D $X/suid
	[[ "$(line after)" == "uid=1000 euid=0 suid=0 fsuid=0 "* ]]
	exec_ok -u 1000 -s -D $X/suid
	[[ "$(line after)" == "uid=1000 euid=0 suid=0 fsuid=0 "* ]]
}
# A link forged *after* an untraced set-uid exec: the set-uid child's
# ptrace word set by its (real) parent, nothing else, then the child
# stopped by a signal. ptrace_check_attach() asks no more; the request is
# judged at its entry. kill: the forger dies before the request runs;
# restore: refused, the link undone first (the next request finds no
# tracee);
# log: reported once, both requests run.
link_forged() {
	local mode=$1 bin=$2 abi=$3 child
	attempt "$mode" "$bin" link $X/suid
	[[ "$output" == *"euid=0"* ]]
	expect_report "abi=$abi at=entry" "changed: ptrace_link=0->[0-9]+ .*action=$mode result=ok"
	child=$(sed -n 's/^child=\([0-9]*\) .*/\1/p' <<<"$output")
	case $mode in
	kill)
		[ "$status" -eq 137 ]
		[[ "$output" != *LINK-USED* ]]
		counts 1 1 1
		[ -n "$child" ] && kill -9 "$child"
		;;
	restore)
		[ "$status" -eq 0 ]
		# 6.1 and later do not run the request (EPERM); 5.10 runs it,
		# and the link is gone by then (ESRCH)
		[[ "$output" == *"LINK-REFUSED "*"LINK-REFUSED No such process"* ]]
		[[ "$output" != *LINK-USED* ]]
		counts 1 1 0
		;;
	log)
		[ "$status" -eq 0 ]
		[[ "$output" == *LINK-USED*LINK-USED* ]]
		counts 1 0 0
		;;
	esac
}
@test "refuse: a ptrace link forged to a set-uid child after its exec" {
	exec_files
	for mode in kill restore log; do
		link_forged $mode "$CGR" x86_64
		link_forged $mode "$CGR32" ia32
	done
}
@test "accept: requests over a link PTRACE_ATTACH made" {
	exec_files
	legit "$CGR" link -r $X/plain
	[[ "$output" == *"euid=1000"*LINK-USED*LINK-USED* ]]
	legit "$CGR32" link -r $X/plain
	[[ "$output" == *LINK-USED*LINK-USED* ]]
}
@test "refuse: uid 0 written inside execve after its commit" {
	forged_exec plain uid0 exec
}
@test "refuse: capabilities raised in a plain exec's credential step" {
	forged_exec plain caps exec-step commit
}
@test "refuse: real uid 0 in a set-uid-root exec's credential step" {
	forged_exec suid uid0 exec-step commit
}
@test "refuse: every capability in a file-capability exec's credential step" {
	forged_exec fcap caps exec-step commit
}
@test "refuse: gid 0 in a plain exec's credential step" {
	forged_exec plain gid0 exec-step commit
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

# --- state beside the cred, written inside the call that may set it ------
# chdir(), chroot() and setns() set the cwd and root through set_fs_pwd()
# and set_fs_root(), whose probes vouch for exactly the value they set,
# and only when the root and cwd it was looked up from were intact: a
# value written before the call's exit, or a cwd forged before the lookup,
# is refused (src/fs.c).
@test "refuse: the cwd moved to the real root inside chdir(\"/tmp\")" {
	forged cwd chdir-tmp
	expect_report "syscall=chdir .*changed:.*fs_pwd="
}
@test "refuse: a cwd forged before chdir(\".\") looks it up" {
	forged cwd chdir-dot-entry
	expect_report "syscall=chdir .*changed:.*fs_pwd="
}
# prctl() explains a seccomp change as PR_SET_SECCOMP only, at its exit.
@test "refuse: a seccomp filter count raised inside prctl(PR_SET_KEEPCAPS)" {
	forged seccomp_count keepcaps-filtered
	expect_report "syscall=prctl .*changed:.*seccomp_filters=1->2"
}

# refused_root MODE ABI FIELD: the last attempt (as root, in a jail or a
# namespace of its own) refused at the call's exit with FIELD changed:
# killed, put back where it was, or reported where it went.
refused_root() {
	local now
	expect_report "abi=$2 at=exit changed:.*$3" "action=$1 result=ok"
	now=$(<"$STATS")
	delta_is violations 1 "$now"
	case $1 in
	kill)
		[ "$status" -eq 137 ]
		delta_is killed 1 "$now"
		;;
	restore)
		[ "$status" -eq 0 ]
		[ "$(line after)" = "$(line before)" ]
		;;
	log)
		[ "$status" -eq 0 ]
		[ "$(line after)" != "$(line before)" ]
		;;
	esac
}
# forged_root PRIM CALL FIELD: PRIM inside CALL as root, refused everywhere.
forged_root() {
	local mode bin abi
	for mode in kill restore log; do
		for bin in "$CGR" "$CGR32"; do
			abi=x86_64
			[ "$bin" = "$CGR32" ] && abi=ia32
			attempt $mode "$bin" inside "$1" "$2"
			refused_root $mode $abi "$3"
		done
	done
}
@test "refuse: root out of a chroot jail inside chroot(\".\") in it" {
	local -x CGR_JAIL=/tmp/cgjail
	mkdir -p $CGR_JAIL/proc
	grep -q " $CGR_JAIL/proc " /proc/mounts ||
		mount -t proc proc $CGR_JAIL/proc
	forged_root root chroot-jail fs_root=
	umount $CGR_JAIL/proc
}
# An exec replaces the nsproxy only to enter the time namespace for
# children: any other member that moves with it is refused.
@test "refuse: init's namespaces taken inside an execve" {
	forged_root nsproxy exec-uts uts_ns=
}
# unshare() makes each namespace it changes, owned by the user namespace
# the task then has: init's network namespace put in place of the new one
# (owned by the initial user namespace) is refused, for a task that was
# in a network namespace of its own, as in a container.
net_of() { line "$1" | grep -o 'net=[0-9]*'; }
@test "refuse: init's network namespace taken inside unshare(CLONE_NEWUSER|CLONE_NEWNET)" {
	local mode bin abi init now
	init="net=$(readlink /proc/1/ns/net | tr -dc 0-9)"
	for mode in kill restore log; do
		for bin in "$CGR" "$CGR32"; do
			abi=x86_64
			[ "$bin" = "$CGR32" ] && abi=ia32
			attempt $mode "$bin" inside net unshare-user-net
			expect_report "abi=$abi at=exit changed:.* net_ns=[0-9]+->${init#net=}" "action=$mode result=ok"
			now=$(<"$STATS")
			delta_is violations 1 "$now"
			[ -n "$(net_of before)" ]
			[ "$(net_of before)" != "$init" ]
			case $mode in
			kill)
				[ "$status" -eq 137 ]
				;;
			restore)
				[ "$status" -eq 0 ]
				[ "$(net_of after)" = "$(net_of before)" ]
				;;
			log)
				[ "$status" -eq 0 ]
				[ "$(net_of after)" = "$init" ]
				;;
			esac
		done
	done
}
# PF_EXITING is set by do_exit() after a task's last syscall boundary: at
# one, it is forged (it would also hide a child made meanwhile). Not in
# log mode: a task that keeps the flag in user space crashes the kernel at
# its next task work (task_work_run() then installs the exited marker).
@test "refuse: PF_EXITING set inside setresuid(), found at the next entry" {
	local mode bin abi
	for mode in kill restore; do
		for bin in "$CGR" "$CGR32"; do
			abi=x86_64
			[ "$bin" = "$CGR32" ] && abi=ia32
			inside $mode "$bin" exiting setresuid-noop
			expect_report "abi=$abi at=entry changed:.*task_flags=" \
				"action=$mode result=ok"
			guarded $mode
		done
	done
}
# TS_COMPAT is cleared only on the way back to user space: written while a
# task runs there, a 64-bit syscall looks like ia32's of the same number
# (process_vm_readv, 310, is ia32's unshare(), which may change the
# namespaces). The ABI is the entry's the CPU took: a namespace taken
# inside that call is refused as process_vm_readv's.
@test "refuse: TS_COMPAT forged before a 64-bit call, namespaces taken inside it" {
	local mode
	for mode in kill restore log; do
		attempt $mode "$CGR" inside nsproxy vm-readv-compat
		refused_root $mode x86_64 uts_ns=
		expect_report "syscall=process_vm_readv .*abi=x86_64 at=exit"
	done
}
@test "the TS_COMPAT primitive itself: judged by the bit, the call passes as ia32's unshare()" {
	rmmod credguard
	insmod /lib/cg/credguard.ko fault=entry_64
	echo >/sys/module/credguard/parameters/fault
	attempt log "$CGR" inside nsproxy vm-readv-compat
	[ "$status" -eq 0 ]
	counts 0 0 0
	[ "$(line after)" != "$(line before)" ]
	rmmod credguard
	insmod /lib/cg/credguard.ko
}
