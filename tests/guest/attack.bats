#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Every exploit primitive of the test-only cgtest module, in every mode.
# kill: the attacker is dead and never used the privilege; restore: it lives
# on with its own credentials; log: it is reported and counted.
load helpers

teardown_file() {
	echo kill >/sys/module/credguard/parameters/mode
}

# --- commit_creds(prepare_kernel_cred(0)) inside write() ---------------------
@test "kill: commit_creds root" {
	attack kill -u 1000 commit_root
	expect_killed
	expect_report "at=commit_creds" "euid=1000->0" "caller=cgt_"
}
@test "restore: commit_creds root" {
	attack restore -u 1000 commit_root
	expect_restored
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000"* ]]
	expect_report "at=commit_creds" "syscall=write" "euid=1000->0"
}
@test "log: commit_creds root" {
	attack log -u 1000 commit_root
	expect_logged
	expect_report "at=commit_creds" "euid=1000->0"
}

# --- ids overwritten in place ------------------------------------------------
@test "kill: in-place id overwrite" {
	attack kill -u 1000 overwrite_ids
	expect_killed
	expect_report "at=exit" "syscall=write" " uid=1000->0" "fsgid=1000->0"
}
@test "restore: in-place id overwrite" {
	attack restore -u 1000 overwrite_ids
	expect_restored
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000"* ]]
}
@test "log: in-place id overwrite" {
	attack log -u 1000 overwrite_ids
	expect_logged
}

# --- capability-only escalation ---------------------------------------------
@test "kill: capabilities only" {
	attack kill -u 1000 caps_only
	expect_killed
	expect_report "at=exit" "changed: cap_permitted=0x0->0x1ffffffffff cap_effective=0x0->0x1ffffffffff action"
}
@test "restore: capabilities only" {
	attack restore -u 1000 caps_only
	expect_restored
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000 egid=1000 capeff=0"* ]]
}
@test "log: capabilities only" {
	attack log -u 1000 caps_only
	expect_logged
}

# --- fsuid only --------------------------------------------------------------
@test "kill: fsuid only" {
	attack kill -u 1000 fsuid_only
	expect_killed
	expect_report "changed: fsuid=1000->0 action"
}
@test "restore: fsuid only" {
	attack restore -u 1000 fsuid_only
	expect_restored
}
@test "log: fsuid only" {
	attack log -u 1000 fsuid_only
	expect_logged
}

# --- cred pointer swap without commit_creds ---------------------------------
@test "kill: cred pointer swap" {
	attack kill -u 1000 swap_ptr
	expect_killed
	expect_report "at=exit" "euid=1000->0"
}
@test "restore: cred pointer swap" {
	attack restore -u 1000 swap_ptr
	expect_restored
	[[ "$output" == *"after uid=1000 euid=1000 suid=1000 gid=1000"* ]]
}
@test "log: cred pointer swap" {
	attack log -u 1000 swap_ptr
	expect_logged
}

# --- override_creds never reverted (cred != real_cred) -------------------------
@test "kill: leaked override_creds" {
	attack kill -u 1000 override
	expect_killed
	expect_report "cred_split"
}
@test "restore: leaked override_creds" {
	attack restore -u 1000 override
	expect_restored
}
@test "log: leaked override_creds is reported once" {
	attack log -u 1000 override
	expect_logged
}

# --- user namespace swapped to init_user_ns ----------------------------------
@test "kill: user_ns swap" {
	attack kill -u 1000 userns
	expect_killed
	expect_report "changed: user_ns=[0-9]+->4026531837 action"
}
@test "restore: user_ns swap" {
	attack restore -u 1000 userns
	expect_restored
}
@test "log: user_ns swap" {
	attack log -u 1000 userns
	expect_logged
}

# --- nsproxy swapped to init's (namespace escape) ----------------------------
@test "kill: nsproxy swap" {
	attack kill nsproxy
	[ "$status" -eq 137 ]
	[[ "$output" != *NS-ESCAPED* ]]
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta killed)" -eq 1 ]
	expect_report "changed: nsproxy uts_ns=[0-9]+->4026531838 action=kill result=ok"
}
@test "restore: nsproxy swap" {
	attack restore nsproxy
	[ "$status" -eq 0 ]
	[[ "$output" == *"NS-KEPT hostname=jail"* ]]
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta restored)" -eq 1 ]
	expect_report "changed: nsproxy uts_ns=[0-9]+->4026531838 action=restore result=ok"
}
@test "log: nsproxy swap" {
	attack log nsproxy
	[ "$status" -eq 0 ]
	[[ "$output" == *"NS-ESCAPED hostname=credguard-vm"* ]]
	[ "$(delta violations)" -eq 1 ]
	expect_report "changed: nsproxy uts_ns=[0-9]+->4026531838 action=log result=ok"
}

# --- another task's creds overwritten; the victim is blocked in read() --------
victim_attack() {
	local fifo=/tmp/victim.fifo out=/tmp/victim.out vpid i
	set_mode "$1"
	rm -f $fifo $out /root/pwned-*
	mkfifo $fifo
	"$CGT" victim 1000 <$fifo >$out 2>&1 3>&- &
	vpid=$!
	exec 8>$fifo
	for i in $(seq 1 100); do grep -q '^victim' $out && break; sleep 0.1; done
	snap
	kmsg_mark
	run "$CGT" attack -u 1000 other "$vpid"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *PRIV-OK* ]] # the attacker itself gained nothing
	echo x >&8
	exec 8>&-
	vstatus=0
	wait $vpid || vstatus=$?
	voutput=$(cat $out)
	echo "victim: $vstatus $voutput"
	VPID=$vpid
}
@test "kill: another task's creds" {
	victim_attack kill
	[ "$vstatus" -eq 137 ]
	[[ "$voutput" != *PRIV-OK* ]]
	refute pwned
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta killed)" -eq 1 ]
	expect_report "pid=$VPID .*at=exit" "syscall=read" "euid=1000->0"
}
@test "restore: another task's creds" {
	victim_attack restore
	[ "$vstatus" -eq 0 ]
	[[ "$voutput" == *PRIV-DENIED* ]]
	refute pwned
	[ "$(delta violations)" -eq 1 ]
	expect_report "pid=$VPID .*action=restore result=ok"
}
@test "log: another task's creds" {
	victim_attack log
	[ "$vstatus" -eq 0 ]
	[[ "$voutput" == *PRIV-OK* ]]
	rm -f /root/pwned-*
	[ "$(delta violations)" -eq 1 ]
	expect_report "pid=$VPID .*action=log"
}

# --- change from a hard interrupt while the task spins in user space ----------
# It must be caught at the next syscall's entry, before that syscall acts.
irq_fired() { awk '{ print $2 }' /proc/cgtest; }

@test "kill: change from interrupt context" {
	f0=$(irq_fired)
	attack kill -u 1000 irq 20
	[ "$(irq_fired)" -eq $((f0 + 1)) ]
	expect_killed
	expect_report "at=entry" "syscall=open" "euid=1000->0"
}
@test "restore: change from interrupt context" {
	f0=$(irq_fired)
	attack restore -u 1000 irq 20
	[ "$(irq_fired)" -eq $((f0 + 1)) ]
	expect_restored
	expect_report "at=entry" "syscall=open"
}
@test "log: change from interrupt context" {
	f0=$(irq_fired)
	attack log -u 1000 irq 20
	[ "$(irq_fired)" -eq $((f0 + 1)) ]
	expect_logged
	expect_report "at=entry"
}
