#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Legitimate changes of the state guarded beside the credentials (fs_struct,
# seccomp, no_new_privs, namespaces, group lists) raise no violation. Run in
# kill mode: a false positive kills the process.
load helpers

CGT32=/tests/cgt32

# --- fs_struct ---------------------------------------------------------
@test "chroot into a jail and out through a kept directory fd" {
	legit "$CGT" legit chroot
	[[ "$output" == *"chroot in and out"* ]]
}
@test "chdir and fchdir" {
	legit "$CGT" legit chdir
	[[ "$output" == *"chdir fchdir ok"* ]]
}
@test "pivot_root in a new mount namespace; a child sharing the root moves along" {
	legit "$CGT" legit pivot-root
	[[ "$output" == *"pivot_root ok, child 0"* ]]
}
@test "a thread chroots and chdirs the shared fs_struct while main runs on" {
	legit "$CGT" legit thread-fs
	[[ "$output" == *"thread chroot rounds done err=0"* ]]
}
@test "setns(CLONE_NEWNS) into another process's mount namespace and back" {
	legit "$CGT" legit setns-mnt
	[[ "$output" == *"child's mount seen"* ]]
}
@test "unshare(CLONE_FS) beside a thread, then chdir" {
	legit "$CGT" legit unshare-fs
	[[ "$output" == *"thread cwd kept"* ]]
}
@test "unshare(CLONE_NEWNS), mount and umount" {
	legit "$CGT" legit unshare-mnt
}
@test "fork, then chdir and chroot in the child" {
	legit "$CGT" legit fork-chdir
	[[ "$output" == *"child 0, parent cwd /"* ]]
}

# --- seccomp, no_new_privs ---------------------------------------------
@test "seccomp strict mode: read, write, exit; anything else is SIGKILL" {
	legit "$CGT" legit seccomp-strict
	[[ "$output" == *"strict: exit 0, getppid signal 9"* ]]
}
@test "seccomp filters stacked through prctl and seccomp()" {
	legit "$CGT" legit seccomp-stack
	[[ "$output" == *"filters 3, mkdir: Operation not permitted"* ]]
}
@test "seccomp TSYNC from a sibling thread while the others run" {
	legit "$CGT" legit seccomp-tsync
	[[ "$output" == *"tsync err=0 main: nnp=1 filters=2"* ]]
}
@test "children start in the time namespace for children, one in a user namespace of its own" {
	legit "$CGT" legit timens-children
	[[ "$output" == *"timens children: 2"* ]]
}
@test "seccomp listener closed, forty filters pushed on it, children forked" {
	legit "$CGT" legit seccomp-listener
	[[ "$output" == *"filters 41, mkdir: Success"* ]]
}
@test "a root tracer suspends a child's seccomp (checkpoint/restore), then detaches" {
	legit "$CGT" legit seccomp-suspend
	[[ "$output" == *"suspended mkdir: Success, detached mkdir: Operation not permitted"* ]]
}
@test "PR_SET_NO_NEW_PRIVS, inherited by a child" {
	legit "$CGT" legit nnp
}

# --- groups, namespaces ------------------------------------------------
@test "setgroups to new lists (1, 3, 2, 100 and no groups)" {
	legit "$CGT" legit groups-lists
	[ "$(delta legit_changes)" -ge 5 ]
}
@test "unshare uts/ipc/net/cgroup/time, setns back into the originals" {
	legit "$CGT" legit ns-roundtrip
	[[ "$output" == *"namespaces back, hostname=$(hostname)"* ]]
}

# --- the ia32 ABI ------------------------------------------------------
@test "ia32: chroot in and out" {
	legit $CGT32 legit chroot
}
@test "ia32: a thread chroots while main runs on" {
	legit $CGT32 legit thread-fs
}
@test "ia32: pivot_root" {
	legit $CGT32 legit pivot-root
	[[ "$output" == *"pivot_root ok, child 0"* ]]
}
@test "ia32: seccomp strict mode" {
	legit $CGT32 legit seccomp-strict
	[[ "$output" == *"strict: exit 0, getppid signal 9"* ]]
}
@test "ia32: seccomp filters stacked" {
	legit $CGT32 legit seccomp-stack
	[[ "$output" == *"filters 3, mkdir: Operation not permitted"* ]]
}
@test "ia32: seccomp TSYNC from a sibling thread" {
	legit $CGT32 legit seccomp-tsync
}
@test "ia32: setgroups to new lists" {
	legit $CGT32 legit groups-lists
}
@test "ia32: namespaces unshared and joined back" {
	legit $CGT32 legit ns-roundtrip
}
