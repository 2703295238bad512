#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The ia32 compat ABI: 32-bit processes take the legitimate paths through
# the ia32 syscall numbers (setuid32, setresuid32, capset, prctl, execve
# between the two ABIs...) without a violation, and attacks from them are
# caught and reported with the ia32 syscall name. On arm64 the same for
# AArch32 (whose write is number 4 as well).
load helpers

CGT32=/tests/cgt32

@test "ia32: setresuid/setresgid/setgroups and exec 64 -> 32" {
	legit "$CGT" runas 1000 $CGT32 ids
	[[ "$output" == *"ids uid=1000 euid=1000"* ]]
}
@test "ia32: exec 32 -> 64 after dropping privileges" {
	legit $CGT32 runas 1000 "$CGT" ids
	[[ "$output" == *"ids uid=1000 euid=1000"* ]]
}
@test "ia32: setuid in a multi-threaded process" {
	legit $CGT32 legit threads
}
@test "ia32: capset, prctl, keepcaps" {
	legit $CGT32 legit prctl
}
@test "ia32: setgroups family" {
	legit $CGT32 legit setgroups
}
@test "ia32: user namespace" {
	legit $CGT32 legit userns
}
@test "ia32: execve of a setuid-root binary" {
	cp $CGT32 /tmp/suid-cgt32
	chmod 4755 /tmp/suid-cgt32
	legit "$CGT" runas 1000 /tmp/suid-cgt32 ids
	[[ "$output" == *"ids uid=1000 euid=0"* ]]
}
@test "ia32: an attack is caught and named in the ia32 table" {
	CGT=$CGT32 attack restore -u 1000 overwrite_ids
	expect_restored
	expect_report "syscall=write nr=4 abi=$ABI32 at=exit"
}
@test "ia32: commit_creds attack is killed" {
	CGT=$CGT32 attack kill -u 1000 commit_root
	expect_killed
	expect_report "abi=$ABI32 at=commit_creds"
}
