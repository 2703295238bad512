#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Attacks on the state credguard guards beside the credentials: the
# fs_struct, seccomp, no_new_privs, the members of the nsproxy, the contents
# of the supplementary groups, the syscall work bits and the task flags.
# Each primitive of cgtest_guard.c in every mode. kill: dead, the privilege
# never used; restore: alive, the state put back, the privilege unusable;
# log: reported once, the privilege used.
load helpers

# The syscall that found seccomp forged at its entry does not run: the
# kernel re-reads the syscall number after the sys_enter tracepoint (6.1
# stable and later; not 5.10, where that one call still runs and only the
# next ones are filtered again — README, known limits).
kernel_rereads_nr() {
	local v
	v=$(uname -r)
	[ "${v%%.*}" -gt 6 ] || { [ "${v%%.*}" -eq 6 ] && [ "$(echo "$v" | cut -d. -f2)" -ge 1 ]; }
}

expect_unfiltered_call_stopped() {
	if kernel_rereads_nr; then
		[[ "$output" == *"SECCOMP-KEPT mkdir: Operation not permitted"* ]]
	else
		[[ "$output" == *"SECCOMP-"* ]]
	fi
}

CGT32=/tests/cgt32

setup_file() {
	local ms
	# About 0.3 s of user-space spinning for the at=sched attacks.
	ms=$("$CGT" spin 20000000 | awk '{ print $2 }')
	[ "${ms:-0}" -gt 0 ] || ms=1
	export CGT_SPIN=$((20000000 * 300 / ms))
}

teardown_file() {
	echo kill >/sys/module/credguard/parameters/mode
}

# No violation line since the mark matches ERE $1.
refute_report() {
	if kmsg_since | grep -E "credguard: violation .*$1"; then
		echo "unexpected report matching: $1" >&2
		return 1
	fi
}

# The inode number of namespace $1 of PID 1.
ns_ino() {
	readlink "/proc/1/ns/$1" | tr -dc 0-9
}

# --- fs_struct pointer swapped to init's: chroot escape -------------------
jail_ino() {
	mkdir -p /tmp/cgt-jail
	stat -c %i /tmp/cgt-jail
}

@test "kill: fs_struct pointer swap" {
	j=$(jail_ino)
	attack kill -u 1000 fs_ptr
	guarded kill " fs( |=).*fs_root=$j->$(stat -c %i /)"
	[[ "$output" != *JAIL-ESCAPED* ]]
}
@test "restore: fs_struct pointer swap" {
	j=$(jail_ino)
	attack restore -u 1000 fs_ptr
	guarded restore " fs( |=).*fs_root=$j->$(stat -c %i /)"
	[[ "$output" == *"JAIL-KEPT No such file"* ]]
}
@test "log: fs_struct pointer swap" {
	j=$(jail_ino)
	attack log -u 1000 fs_ptr
	guarded log " fs( |=).*fs_root=$j->$(stat -c %i /)"
	[[ "$output" == *JAIL-ESCAPED* ]]
}

# --- root and cwd rewritten in place (no set_fs_root) ---------------------
@test "kill: fs root and cwd in place" {
	j=$(jail_ino)
	attack kill -u 1000 fs_root
	guarded kill "fs_root=$j->$(stat -c %i /).*fs_pwd=$j->$(stat -c %i /)"
	refute_report "changed:.* fs( |=)"
	[[ "$output" != *JAIL-ESCAPED* ]]
}
@test "restore: fs root and cwd in place" {
	j=$(jail_ino)
	attack restore -u 1000 fs_root
	guarded restore "fs_root=$j->$(stat -c %i /).*fs_pwd=$j->"
	[[ "$output" == *"JAIL-KEPT No such file"* ]]
}
@test "log: fs root and cwd in place" {
	j=$(jail_ino)
	attack log -u 1000 fs_root
	guarded log "fs_root=$j->$(stat -c %i /)"
	[[ "$output" == *JAIL-ESCAPED* ]]
}

# --- cwd rewritten in place right after a legitimate chdir(".") ----------
# Only light syscalls run between the chdir and the write that forges the
# cwd: the chdir's exit compared the cwd, so the forged one is judged at
# the entry of the open that uses it (a relative path), not taken for the
# chdir's doing.
@test "kill: fs cwd in place after chdir" {
	j=$(jail_ino)
	attack kill -u 1000 fs_pwd
	guarded kill "fs_pwd=$j->$(stat -c %i /)"
	expect_report "syscall=(open|openat) .*at=entry"
	refute_report "changed:.*fs_root"
	[[ "$output" != *JAIL-ESCAPED* ]]
}
@test "restore: fs cwd in place after chdir" {
	j=$(jail_ino)
	attack restore -u 1000 fs_pwd
	guarded restore "fs_pwd=$j->$(stat -c %i /)"
	[[ "$output" == *"JAIL-KEPT No such file"* ]]
}
@test "log: fs cwd in place after chdir" {
	j=$(jail_ino)
	attack log -u 1000 fs_pwd
	guarded log "fs_pwd=$j->$(stat -c %i /)"
	[[ "$output" == *JAIL-ESCAPED* ]]
}

# --- seccomp switched off: mode, filter, count and the work bit -----------
# The filter makes mkdir fail with EPERM; a tampered seccomp state caught at
# entry in restore/kill mode does not run the syscall.
@test "kill: seccomp off" {
	attack kill -u 1000 seccomp_off
	guarded kill "seccomp_mode=2->0.*seccomp_filters=1->0.* seccomp_filter( |$).*seccomp_work=1->0"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "restore: seccomp off" {
	attack restore -u 1000 seccomp_off
	guarded restore "seccomp_mode=2->0.*seccomp_filters=1->0.*seccomp_work=1->0"
	expect_report "syscall=(mkdir|mkdirat) .*at=entry"
	expect_unfiltered_call_stopped
}
@test "log: seccomp off" {
	attack log -u 1000 seccomp_off
	guarded log "seccomp_mode=2->0.*seccomp_work=1->0"
	[[ "$output" == *SECCOMP-ESCAPED* ]]
}

# --- only the SECCOMP syscall-work bit cleared ----------------------------
@test "kill: seccomp work bit" {
	attack kill -u 1000 seccomp_work
	guarded kill "seccomp_work=1->0"
	refute_report "seccomp_mode"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "restore: seccomp work bit" {
	attack restore -u 1000 seccomp_work
	guarded restore "seccomp_work=1->0"
	expect_unfiltered_call_stopped
}
@test "log: seccomp work bit" {
	attack log -u 1000 seccomp_work
	guarded log "seccomp_work=1->0"
	[[ "$output" == *SECCOMP-ESCAPED* ]]
}

# --- PT_SUSPEND_SECCOMP set in the task's own ptrace word ----------------
# seccomp skips every filter of a task whose tracer suspended them
# (PTRACE_O_SUSPEND_SECCOMP, for checkpoint/restore); with no tracer that
# holds CAP_SYS_ADMIN, the bit is forged. It is found at the next syscall
# that is not a light one (mkdir), which then does not run.
@test "kill: seccomp suspended with no tracer" {
	attack kill -u 1000 seccomp_suspend
	guarded kill "seccomp_suspended=0->1"
	refute_report "seccomp_mode"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "restore: seccomp suspended with no tracer" {
	attack restore -u 1000 seccomp_suspend
	guarded restore "seccomp_suspended=0->1"
	# (or at a switch on the way out of the write, rarely: below)
	expect_report "(syscall=(mkdir|mkdirat) .*at=entry|at=sched)"
	expect_unfiltered_call_stopped
	# the second call meets the filter again
	[[ "$output" == *"SECCOMP-"*"SECCOMP-KEPT mkdir: Operation not permitted"* ]]
}
@test "log: seccomp suspended with no tracer" {
	attack log -u 1000 seccomp_suspend
	guarded log "seccomp_suspended=0->1"
	[[ "$output" == *SECCOMP-ESCAPED* ]]
	[[ "$output" != *undo-error* ]]
}

# The same, then only user-space spinning: found at a timer tick (at=sched),
# before any syscall could run unfiltered, light ones included.
@test "kill: seccomp suspended, found at a tick" {
	attack kill -u 1000 seccomp_suspend_tick
	guarded kill "seccomp_suspended=0->1"
	expect_report "at=sched changed:"
	[[ "$output" != *SECCOMP-* ]]
}
@test "restore: seccomp suspended, found at a tick" {
	attack restore -u 1000 seccomp_suspend_tick
	guarded restore "seccomp_suspended=0->1"
	expect_report "at=sched changed:"
	[[ "$output" == *"SECCOMP-KEPT mkdir: Operation not permitted"* ]]
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "log: seccomp suspended, found at a tick" {
	attack log -u 1000 seccomp_suspend_tick
	guarded log "seccomp_suspended=0->1"
	expect_report "at=sched changed:"
	[[ "$output" == *SECCOMP-ESCAPED* ]]
}

# --- a filter of the chain written after it was installed ----------------
# The filter denies mkdir (EPERM). One word makes it let mkdir through: a
# bit of the newest filter's action cache (then no filter runs for it),
# its program pointed at the allow-all filter's below it, or its program's
# entry point at that one's JIT image. Found at the entry of the mkdir it
# let through (not a light syscall), which then does not run. Log mode is
# tested with the cache only: a filter left pointing at another's program
# would have the kernel free that program twice when the task is reaped.
expect_chain_kept() {
	if kernel_rereads_nr; then
		[[ "$output" == *"SECCOMP-KEPT mkdir: Operation not permitted"*"SECCOMP-KEPT mkdir: Operation not permitted"* ]]
	else
		[[ "$output" == *"SECCOMP-"*"SECCOMP-KEPT mkdir: Operation not permitted"* ]]
	fi
}

@test "kill: seccomp action cache bit set" {
	kernel_has_seccomp_cache || skip "5.10: no action cache"
	attack kill -u 1000 seccomp_cache
	guarded kill "seccomp_chain=0->1"
	expect_report "syscall=mkdir(at)? .*at=entry"
	refute_report "seccomp_mode|seccomp_filter"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "restore: seccomp action cache bit set" {
	kernel_has_seccomp_cache || skip "5.10: no action cache"
	attack restore -u 1000 seccomp_cache
	guarded restore "seccomp_chain=0->1"
	expect_chain_kept
}
@test "log: seccomp action cache bit set" {
	kernel_has_seccomp_cache || skip "5.10: no action cache"
	attack log -u 1000 seccomp_cache
	guarded log "seccomp_chain=0->1"
	[[ "$output" == *SECCOMP-ESCAPED*SECCOMP-ESCAPED* ]]
}
@test "kill: seccomp filter's program swapped" {
	attack kill -u 1000 seccomp_prog
	guarded kill "seccomp_chain=0->1"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "restore: seccomp filter's program swapped" {
	attack restore -u 1000 seccomp_prog
	guarded restore "seccomp_chain=0->1"
	expect_chain_kept
}
@test "kill: seccomp program's entry point swapped" {
	bpf_jit_on || skip "programs interpreted: the program is read-only, its entry point no one-word write"
	attack kill -u 1000 seccomp_func
	guarded kill "seccomp_chain=0->1"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "restore: seccomp program's entry point swapped" {
	bpf_jit_on || skip "programs interpreted: the program is read-only, its entry point no one-word write"
	attack restore -u 1000 seccomp_func
	guarded restore "seccomp_chain=0->1"
	expect_chain_kept
}

# --- no_new_privs cleared ------------------------------------------------
@test "kill: no_new_privs cleared" {
	attack kill -u 1000 nnp_off
	guarded kill "no_new_privs=1->0"
	[[ "$output" != *NNP-* ]]
}
@test "restore: no_new_privs cleared" {
	attack restore -u 1000 nnp_off
	guarded restore "no_new_privs=1->0"
	expect_report "syscall=prctl .*at=entry"
	[[ "$output" == *"NNP-KEPT no_new_privs=1"* ]]
}
@test "log: no_new_privs cleared" {
	attack log -u 1000 nnp_off
	guarded log "no_new_privs=1->0"
	[[ "$output" == *"NNP-ESCAPED no_new_privs=0"* ]]
}

# --- uts_ns member of our own nsproxy pointed at init's -------------------
@test "kill: uts_ns member in place" {
	attack kill -u 1000 uts_member
	guarded kill "uts_ns=[0-9]+->$(ns_ino uts)"
	refute_report "changed:.* nsproxy"
	[[ "$output" != *NS-ESCAPED* ]]
}
@test "restore: uts_ns member in place" {
	attack restore -u 1000 uts_member
	guarded restore "uts_ns=[0-9]+->$(ns_ino uts)"
	[[ "$output" == *"NS-KEPT hostname=jail"* ]]
}
@test "log: uts_ns member in place" {
	attack log -u 1000 uts_member
	guarded log "uts_ns=[0-9]+->$(ns_ino uts)"
	[[ "$output" == *"NS-ESCAPED hostname=$(hostname)"* ]]
}

# --- net_ns member pointed at init_net -----------------------------------
@test "kill: net_ns member in place" {
	attack kill -u 1000 net_member
	guarded kill "net_ns=[0-9]+->$(ns_ino net)"
	refute_report "changed:.* nsproxy"
	[[ "$output" != *NS-ESCAPED* ]]
}
@test "restore: net_ns member in place" {
	attack restore -u 1000 net_member
	guarded restore "net_ns=[0-9]+->$(ns_ino net)"
	[[ "$output" == *"NS-KEPT netns=own"* ]]
}
@test "log: net_ns member in place" {
	attack log -u 1000 net_member
	guarded log "net_ns=[0-9]+->$(ns_ino net)"
	[[ "$output" == *"NS-ESCAPED netns=init"* ]]
}

# --- a namespace's owner pointed at the caller's own user namespace ------
# The caller (uid 1000) is root in a user namespace of its own, in a UTS
# and a mount namespace made by root: the forged owner gives it
# sethostname() and mount() there. The report names the owners' user
# namespaces (the initial one's inode, then the caller's).
owned() {
	guarded "$1" "ns_owners=$(ns_ino user)->[0-9]+"
	refute_report "changed:.* (nsproxy|uts_ns|mnt_ns)="
}

@test "kill: UTS namespace owner in place" {
	attack kill -u 1000 uts_owner
	owned kill
	[[ "$output" != *NS-ESCAPED* ]]
}
@test "restore: UTS namespace owner in place" {
	attack restore -u 1000 uts_owner
	owned restore
	[[ "$output" == *"NS-KEPT sethostname: Operation not permitted"* ]]
	[[ "$output" == *"NS-KEPT hostname=jail"* ]]
}
@test "log: UTS namespace owner in place" {
	attack log -u 1000 uts_owner
	owned log
	[[ "$output" == *"NS-ESCAPED hostname=owned"* ]]
}
@test "kill: mount namespace owner in place" {
	attack kill -u 1000 mnt_owner
	owned kill
	[[ "$output" != *NS-ESCAPED* ]]
}
@test "restore: mount namespace owner in place" {
	attack restore -u 1000 mnt_owner
	owned restore
	[[ "$output" == *"NS-KEPT mount: Operation not permitted"* ]]
}
@test "log: mount namespace owner in place" {
	attack log -u 1000 mnt_owner
	owned log
	[[ "$output" == *"NS-ESCAPED mount: done"* ]]
}

# --- a supplementary gid rewritten in place ------------------------------
@test "kill: supplementary group rewritten to 0" {
	attack kill -u 1000 group0
	guarded kill "group_ids=1000->0"
	refute_report "changed:.* groups="
	[[ "$output" != *PRIV-OK* ]]
}
@test "restore: supplementary group rewritten to 0" {
	attack restore -u 1000 group0
	guarded restore "group_ids=1000->0"
	[[ "$output" == *"PRIV-DENIED Permission denied"* ]]
}
@test "log: supplementary group rewritten to 0" {
	attack log -u 1000 group0
	guarded log "group_ids=1000->0"
	[[ "$output" == *"PRIV-OK read /tmp/cgt-group0"* ]]
}

# --- syscall-tracepoint bit cleared, then ids: caught at a tick -----------
@test "kill: tracepoint bit cleared, then ids" {
	attack kill -u 1000 tp_clear_ids
	[ "$status" -eq 137 ]
	[[ "$output" != *PRIV-OK* ]]
	refute pwned
	[ "$(delta killed)" -eq 1 ]
	expect_report "at=sched .*changed:.*syscall_trace=1->0"
	expect_report " uid=1000->0.*action=kill result=ok"
}
@test "restore: tracepoint bit cleared, then ids" {
	attack restore -u 1000 tp_clear_ids
	[ "$status" -eq 0 ]
	[[ "$output" == *PRIV-DENIED* ]]
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000"* ]]
	refute pwned
	[ "$(delta killed)" -eq 0 ]
	[ "$(delta restored)" -ge 1 ]
	expect_report "at=sched .*changed:.*syscall_trace=1->0"
	expect_report " uid=1000->0.*action=restore result=ok"
}
@test "log: tracepoint bit cleared, then ids" {
	attack log -u 1000 tp_clear_ids
	[ "$status" -eq 0 ]
	[[ "$output" == *PRIV-OK* ]]
	rm -f /root/pwned-*
	[ "$(delta killed)" -eq 0 ]
	[ "$(delta restored)" -eq 0 ]
	expect_report "at=sched .*changed:.*syscall_trace=1->0.*action=log"
	expect_report " uid=1000->0.*action=log"
}

# --- the same, and the tampered task forks before any boundary -------------
# The child starts from the parent's legitimate state with its own
# fs_struct; it is caught at its first return to user space.
@test "kill: tracepoint bit cleared, ids written, then fork" {
	attack kill -u 1000 tp_clear_fork
	[ "$status" -eq 137 ]
	[[ "$output" != *PRIV-OK* ]]
	refute pwned
	[ "$(delta killed)" -ge 1 ]
	expect_report " uid=1000->0.*action=kill result=ok"
}
@test "restore: tracepoint bit cleared, ids written, then fork" {
	attack restore -u 1000 tp_clear_fork
	[ "$status" -eq 0 ]
	[[ "$output" == *"CHILD-EXITED 0"* ]]
	[[ "$output" != *PRIV-OK* ]]
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000"* ]]
	refute pwned
	[ "$(delta killed)" -eq 0 ]
	# Parent and child are both restored, unless a context switch before
	# the fork (a loaded machine) restored the parent first: then the
	# child was never tampered and there is one violation only.
	[ "$(delta restored)" -ge 2 ] ||
		{ [ "$(delta restored)" -eq 1 ] && [ "$(delta violations)" -eq 1 ]; }
	[ "$(delta restore_failed)" -eq 0 ]
}

# --- another task's tracepoint bit cleared; it sleeps in read() -----------
# tp_victim MODE: clear the bit of a victim, then wake it.
tp_victim() {
	local fifo=/tmp/tpv.fifo out=/tmp/tpv.out i
	set_mode "$1"
	rm -f $fifo $out
	mkfifo $fifo
	"$CGT" victim 1000 <$fifo >$out 2>&1 3>&- &
	VPID=$!
	exec 8>$fifo
	for i in $(seq 1 100); do grep -q '^victim' $out && break; sleep 0.1; done
	snap
	kmsg_mark
	run "$CGT" attack -u 1000 tp_clear_other "$VPID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *write-error* ]]
	echo x >&8
	exec 8>&-
	vstatus=0
	wait $VPID || vstatus=$?
	echo "victim: $vstatus $(cat $out)"
	expect_report "pid=$VPID .*at=sched .*changed:.*syscall_trace=1->0.* action=$1 result=ok"
	[ "$(reports)" -eq 1 ]
}
@test "kill: another task's tracepoint bit" {
	tp_victim kill
	[ "$vstatus" -eq 137 ]
	counts 1 1 1
}
@test "restore: another task's tracepoint bit" {
	tp_victim restore
	[ "$vstatus" -eq 0 ]
	counts 1 1 0
}
@test "log: another task's tracepoint bit" {
	tp_victim log
	[ "$vstatus" -eq 0 ]
	counts 1 0 0
}

# --- PID 1 is never killed ---------------------------------------------
@test "kill: PID 1's tracepoint bit: restored, init spared" {
	set_mode kill
	snap
	kmsg_mark
	run "$CGT" attack tp_clear_other 1
	echo "$output"
	[ "$status" -eq 0 ]
	# Wake PID 1: an orphan it reaps exits.
	(sleep 0.2 &)
	expect_report "pid=1 .*changed:.*syscall_trace=1->0.* action=kill result=ok init_spared"
	kill -0 1
	counts 1 1 0
	# The guest still works: PID 1 keeps running the suite.
	run "$CGT" ids
	[ "$status" -eq 0 ]
}

# --- orig_ax rewritten to execve's number: judged as the write ------------
@test "kill: orig_ax rewritten to execve" {
	attack kill -u 1000 orig_ax_exec
	expect_killed
	expect_report "syscall=write nr=1 abi=x86_64 at=exit .*changed:.* uid=1000->0"
	[ "$(reports)" -eq 1 ]
}
@test "restore: orig_ax rewritten to execve" {
	attack restore -u 1000 orig_ax_exec
	expect_restored
	expect_report "syscall=write nr=1 abi=x86_64 at=exit .*cap_effective=0x0->"
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000 egid=1000 capeff=0"* ]]
}
@test "log: orig_ax rewritten to execve" {
	attack log -u 1000 orig_ax_exec
	expect_logged
	expect_report "syscall=write nr=1 abi=x86_64 at=exit"
	[ "$(reports)" -eq 1 ]
}

# --- PF_KTHREAD set on a user task, then ids -----------------------------
@test "kill: PF_KTHREAD set, then ids" {
	attack kill -u 1000 kthread_ids
	expect_killed
	expect_report "changed:.*task_flags=(0x)?0->(0x)?200000"
	expect_report " uid=1000->0"
}
@test "restore: PF_KTHREAD set, then ids" {
	attack restore -u 1000 kthread_ids
	expect_restored
	expect_report "changed:.*task_flags=(0x)?0->(0x)?200000"
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000"* ]]
}
# Not in log mode: the flag would be accepted, and a user task returning to
# user space with PF_KTHREAD trips the kernel's own WARN_ON_FPU in
# switch_fpu_return() (seen: log mode reported task_flags=0x0->0x200000 at
# the write's exit, then that warning), which fails the whole guest run.
@test "log: PF_KTHREAD set, then ids" {
	skip "log mode keeps PF_KTHREAD on a user task: the kernel warns (switch_fpu_return)"
}

# --- the ia32 ABI ------------------------------------------------------
@test "ia32 kill: seccomp off" {
	CGT=$CGT32 attack kill -u 1000 seccomp_off
	guarded kill "seccomp_mode=2->0.*seccomp_work=1->0"
	expect_report "abi=ia32"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "ia32 restore: seccomp off" {
	CGT=$CGT32 attack restore -u 1000 seccomp_off
	guarded restore "seccomp_mode=2->0.*seccomp_work=1->0"
	expect_report "abi=ia32 at=entry"
	expect_unfiltered_call_stopped
}
@test "ia32 log: seccomp off" {
	CGT=$CGT32 attack log -u 1000 seccomp_off
	guarded log "seccomp_mode=2->0"
	expect_report "abi=ia32"
	[[ "$output" == *SECCOMP-ESCAPED* ]]
}
@test "ia32 kill: seccomp action cache bit set" {
	kernel_has_seccomp_cache || skip "5.10: no action cache"
	CGT=$CGT32 attack kill -u 1000 seccomp_cache
	guarded kill "seccomp_chain=0->1"
	expect_report "abi=ia32 at=entry"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "ia32 restore: seccomp action cache bit set" {
	kernel_has_seccomp_cache || skip "5.10: no action cache"
	CGT=$CGT32 attack restore -u 1000 seccomp_cache
	guarded restore "seccomp_chain=0->1"
	expect_report "abi=ia32"
	expect_chain_kept
}
@test "ia32 log: seccomp action cache bit set" {
	kernel_has_seccomp_cache || skip "5.10: no action cache"
	CGT=$CGT32 attack log -u 1000 seccomp_cache
	guarded log "seccomp_chain=0->1"
	[[ "$output" == *SECCOMP-ESCAPED*SECCOMP-ESCAPED* ]]
}
@test "ia32 restore: seccomp filter's program swapped" {
	CGT=$CGT32 attack restore -u 1000 seccomp_prog
	guarded restore "seccomp_chain=0->1"
	expect_report "abi=ia32"
	expect_chain_kept
}
@test "ia32 restore: seccomp work bit" {
	CGT=$CGT32 attack restore -u 1000 seccomp_work
	guarded restore "seccomp_work=1->0"
	expect_report "abi=ia32"
	expect_unfiltered_call_stopped
}
@test "ia32 restore: seccomp suspended with no tracer" {
	CGT=$CGT32 attack restore -u 1000 seccomp_suspend
	guarded restore "seccomp_suspended=0->1"
	expect_report "abi=ia32 at=(entry|sched)"
	expect_unfiltered_call_stopped
	[[ "$output" == *"SECCOMP-"*"SECCOMP-KEPT mkdir: Operation not permitted"* ]]
}
@test "ia32 kill: seccomp suspended with no tracer" {
	CGT=$CGT32 attack kill -u 1000 seccomp_suspend
	guarded kill "seccomp_suspended=0->1"
	expect_report "abi=ia32"
	[[ "$output" != *SECCOMP-ESCAPED* ]]
}
@test "ia32 kill: supplementary group rewritten to 0" {
	CGT=$CGT32 attack kill -u 1000 group0
	guarded kill "group_ids=1000->0"
	expect_report "abi=ia32"
	[[ "$output" != *PRIV-OK* ]]
}
@test "ia32 restore: supplementary group rewritten to 0" {
	CGT=$CGT32 attack restore -u 1000 group0
	guarded restore "group_ids=1000->0"
	expect_report "abi=ia32"
	[[ "$output" == *"PRIV-DENIED Permission denied"* ]]
}
@test "ia32 log: supplementary group rewritten to 0" {
	CGT=$CGT32 attack log -u 1000 group0
	guarded log "group_ids=1000->0"
	expect_report "abi=ia32"
	[[ "$output" == *"PRIV-OK read /tmp/cgt-group0"* ]]
}
@test "ia32 restore: no_new_privs cleared" {
	CGT=$CGT32 attack restore -u 1000 nnp_off
	guarded restore "no_new_privs=1->0"
	expect_report "syscall=prctl nr=172 abi=ia32 at=entry"
	[[ "$output" == *"NNP-KEPT no_new_privs=1"* ]]
}
