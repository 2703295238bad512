#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Legitimate credential changes raise no violation (run in kill mode: a
# false positive kills the process).
load helpers

@test "setuid family: drop to a user" {
	legit "$CGT" runas 1000 "$CGT" ids
	[[ "$output" == *"ids uid=1000 euid=1000 suid=1000 gid=1000"* ]]
	[ "$(delta legit_changes)" -ge 3 ]
}
@test "setgroups, setgid, setregid, setresgid" {
	legit "$CGT" legit setgroups
	[ "$(delta legit_changes)" -ge 5 ]
}
@test "setfsuid, setfsgid, setreuid" {
	legit "$CGT" legit setfsuid
}
@test "capset" {
	legit "$CGT" legit capset
}
@test "prctl: bounding set, ambient, keepcaps, securebits" {
	legit "$CGT" legit prctl
	[[ "$output" == *"kept uid=1000 euid=1000"* ]]
}
@test "execve of a setuid-root binary" {
	cp "$CGT" /tmp/suid-cgt
	chmod 4755 /tmp/suid-cgt
	legit "$CGT" runas 1000 /tmp/suid-cgt ids
	[[ "$output" == *"ids uid=1000 euid=0 suid=0"* ]]
}
@test "execve of a setgid-root binary" {
	cp "$CGT" /tmp/sgid-cgt
	chmod 2755 /tmp/sgid-cgt
	legit "$CGT" runas 1000 /tmp/sgid-cgt ids
	[[ "$output" == *"gid=1000 egid=0"* ]]
}
@test "execve of a binary with file capabilities" {
	cp "$CGT" /tmp/cap-cgt
	"$CGT" setfcap /tmp/cap-cgt 13
	legit "$CGT" runas 1000 /tmp/cap-cgt ids
	[[ "$output" == *"capeff=0x2000"* ]]
}
@test "unprivileged user namespace: unshare, uid_map, setuid(0) inside" {
	legit "$CGT" legit userns
	[[ "$output" == *"inside uid=0 euid=0"* ]]
}
@test "clone(CLONE_NEWUSER) with setuid(0) in the child" {
	legit "$CGT" legit clone-newuser
	[[ "$output" == *"child uid=0"* ]]
}
@test "setns into a user and a uts namespace" {
	legit "$CGT" legit setns
	[[ "$output" == *joined* ]]
}
@test "unshare mount, uts, ipc and net namespaces" {
	legit "$CGT" legit unshare
}
@test "faccessat (override_creds inside the syscall)" {
	legit "$CGT" legit faccessat
	[[ "$output" == *"access denied 200/200"* ]]
}
@test "setuid in a multi-threaded process (glibc broadcast)" {
	legit "$CGT" legit threads
}
@test "keyctl session keyrings, SESSION_TO_PARENT" {
	legit "$CGT" legit keyctl
}
@test "seccomp filter with TSYNC" {
	legit "$CGT" legit seccomp
}
@test "fork/exec/setuid churn" {
	legit "$CGT" churn 300
	[ "$(delta legit_changes)" -ge 200 ]
}

# Every user thread, and nothing else, has a shadow entry. One awk over
# every thread's stat (a pipeline per thread takes minutes under TCG on
# arm64): its flags, the 7th field after the comm, lack PF_KTHREAD.
user_threads() {
	cat /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null |
		awk '{ sub(/.*\) /, ""); if (int($7 / 2097152) % 2 == 0) n++ } END { print n + 0 }'
}
@test "tasks_tracked equals the number of user threads" {
	local i t u
	for i in $(seq 1 30); do
		t=$(stat_get tasks_tracked)
		u=$(user_threads)
		[ "$t" -eq "$u" ] && break
		sleep 0.2
	done
	echo "tracked $t, user threads $u"
	# cat, awk and the subshells of user_threads() come and go: allow them.
	[ $((t - u)) -le 3 ]
	[ $((u - t)) -le 3 ]
	[ "$(stat_get track_failures)" -eq 0 ]
}
