#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Error paths, driven by the test build's "fault" parameter: a failure at
# any step of loading leaves nothing behind (no leak, no hook, no proc
# entry, a clean kernel log), and a module loaded afterwards works; failed
# allocations at run time are counted and the tasks adopted later.
load helpers

KO=/lib/cg/credguard.ko
FAULT=/sys/module/credguard/parameters/fault

teardown_file() {
	grep -q '^credguard ' /proc/modules || insmod $KO
	echo >$FAULT
	echo kill >/sys/module/credguard/parameters/mode
}

@test "the guest runs a test build with fault injection" {
	[ -w $FAULT ]
}

load_fails_at() {
	kmsg_mark
	rmmod credguard
	run insmod $KO fault="$1"
	echo "$output"
	[ "$status" -ne 0 ]
	refute grep -q '^credguard ' /proc/modules
	[ ! -e /proc/credguard ]
	refute grep -q 'credguard: leak' <(kmsg_since)
	insmod $KO
	[ "$(stat_get tasks_tracked)" -gt 0 ]
	attack restore -u 1000 fsuid_only
	expect_restored
}

@test "load fails cleanly: symbol lookup" { load_fails_at compat; }
@test "load fails cleanly: /proc/credguard" { load_fails_at proc_dir; }
@test "load fails cleanly: /proc/credguard/stats" { load_fails_at proc_stats; }
@test "load fails cleanly: slab cache" { load_fails_at cache; }
@test "load fails cleanly: hash table" { load_fails_at table; }
@test "load fails cleanly: entry pool" { load_fails_at alloc; }
@test "load fails cleanly: event ring" { load_fails_at ring; }
@test "load fails cleanly: generic netlink family" { load_fails_at genl; }
@test "load fails cleanly: missing tracepoint" { load_fails_at find_tracepoint; }
@test "load fails cleanly: fork tracepoint" { load_fails_at sched_process_fork; }
@test "load fails cleanly: exit tracepoint" { load_fails_at sched_process_exit; }
@test "load fails cleanly: commit_creds probe" { load_fails_at commit_creds; }
@test "load fails cleanly: sys_enter tracepoint" { load_fails_at sys_enter; }
@test "load fails cleanly: sys_exit tracepoint" { load_fails_at sys_exit; }
@test "load fails cleanly: snapshot of existing tasks" { load_fails_at snapshot; }
@test "load fails cleanly: usermode helper guard" { load_fails_at umh; }

# loads_without SITE MESSAGE LEGIT...: with the probes at SITE failing the
# module still loads and says MESSAGE; LEGIT passes in kill mode (its
# output kept in $legit_output) and an attack is still restored.
loads_without() {
	local site=$1 msg=$2
	shift 2
	kmsg_mark
	rmmod credguard
	insmod $KO fault="$site"
	echo >$FAULT
	kmsg_since | grep -qF "$msg"
	refute grep -q 'credguard: leak' <(kmsg_since)
	legit "$@"
	legit_output=$output
	attack restore -u 1000 fsuid_only
	expect_restored
	rmmod credguard
	insmod $KO
}

@test "no exec probes: the module loads, says so, and still guards" {
	loads_without exec_probe 'cannot probe get_vfs_caps_from_disk (-22): exec judged by its fields only' \
		/tests/cgrules exec -u 1000 /proc/self/exe
}

# A child traced from birth whose tracer detached at once keeps a set-uid
# gain: with no unlink probe the link is never taken for "traced".
@test "no ptrace link probes: the module loads, says so, and judges traced execs by the word and the lists" {
	mkdir -p /tmp/cgf
	mountpoint -q /tmp/cgf || mount -t tmpfs -o mode=755 cgf /tmp/cgf
	cp /tests/cgrules /tmp/cgf/suid
	chown 0:0 /tmp/cgf/suid
	chmod 4755 /tmp/cgf/suid
	loads_without ptrace_probe "cannot probe the ptrace link (-22): a traced exec is judged by the ptrace word and the tracers' lists" \
		/tests/cgrules exec -u 1000 -s -D /tmp/cgf/suid
	[[ "$legit_output" == *"uid=1000 euid=0 suid=0 fsuid=0 "* ]]
}

# Without do_syscall_64's bounds the ABI is TS_COMPAT's, as before: the
# ia32 rules still hold for a 32-bit program.
@test "no 64-bit entry bounds: the module loads, says so, and judges ia32 calls as ia32" {
	loads_without entry_64 "do_syscall_64 not found: a task's TS_COMPAT is trusted for its ABI" \
		/tests/cgrules32 legit
	[[ "$legit_output" == *legit-done* ]]
}

# Without the capability probe a forged owner is still found where it was
# before: at the exit of the setns() that entered the namespace.
@test "no capability probe: the module loads, says so, and judges a forged owner at setns()'s exit" {
	kmsg_mark
	rmmod credguard
	insmod $KO fault=capable_probe
	echo >$FAULT
	kmsg_since | grep -qF "cannot probe security_capable (-22): a forged user namespace owner is found at its own tasks' syscalls only"
	attack restore -u 1000 userns_own
	[ "$status" -eq 0 ]
	counts 1 1 0
	expect_report "syscall=setns .*at=exit changed:.*userns_owner=0->1000"
	[[ "$output" == *"USERNS-OUTSIDE setns=0 again=Operation not permitted"* ]]
	rmmod credguard
	insmod $KO
}

@test "mount namespace owner not found: the module says so, guards the other owners" {
	kmsg_mark
	rmmod credguard
	insmod $KO fault=mnt_owner
	echo >$FAULT
	kmsg_since | grep -q 'credguard: mount namespace owner not found: not guarded'
	attack restore -u 1000 uts_owner
	[ "$status" -eq 0 ]
	counts 1 1 0
	[[ "$output" == *"NS-KEPT sethostname: Operation not permitted"* ]]
	attack kill -u 1000 mnt_owner
	[ "$status" -eq 0 ]
	counts 0 0 0
	[[ "$output" == *"NS-ESCAPED mount: done"* ]]
	rmmod credguard
	insmod $KO
}

# A filter whose program does not point back at it (the layout of struct
# seccomp_filter is not the one credguard knows) is never relied upon:
# said once, its chain unguarded, no legitimate filter refused.
@test "seccomp filters that do not read as such: said once, unguarded, no false alarm" {
	local msg='a seccomp filter does not read as one: its chain is not guarded'
	kernel_has_seccomp_cache || skip "5.10: no action cache to forge"
	kmsg_mark
	rmmod credguard
	insmod $KO fault=seccomp_layout
	legit "$CGT" legit seccomp-stack
	[ "$(kmsg_since | grep -cF "$msg")" -eq 1 ]
	attack kill -u 1000 seccomp_cache
	[ "$status" -eq 0 ]
	counts 0 0 0
	[[ "$output" == *SECCOMP-ESCAPED* ]]
	[ "$(kmsg_since | grep -cF "$msg")" -eq 0 ]
	echo >$FAULT
	rmmod credguard
	insmod $KO
}

@test "no entry at fork: counted, then adopted at the next syscall" {
	set_mode kill
	snap
	echo pool_empty >$FAULT
	"$CGT" churn 20
	sleep 1 &
	spid=$!
	echo >$FAULT
	[ "$(delta track_failures)" -ge 20 ]
	# A task that was forked without an entry is adopted at a boundary.
	wait $spid
	[ "$(delta adopted)" -ge 1 ]
	[ "$(delta violations)" -eq 0 ]
	# And it is protected from then on.
	attack restore -u 1000 caps_only
	expect_restored
}

@test "a failed netlink reply is an error, and the next one works" {
	echo reply >$FAULT
	run /tests/credguardctl stats
	echo "$output"
	echo >$FAULT
	[ "$status" -eq 1 ]
	[[ "$output" == *"Cannot allocate memory"* ]]
	run /tests/credguardctl stats
	[ "$status" -eq 0 ]
}

@test "events that could not be multicast are counted and refilled from the ring" {
	set_mode log
	rm -f /tmp/fault-ev.jsonl /tmp/fault-ev.state
	/tests/credguardd --output /tmp/fault-ev.jsonl --state /tmp/fault-ev.state &
	dpid=$!
	for i in $(seq 1 300); do
		grep -q '"event":"connected"' /tmp/fault-ev.jsonl 2>/dev/null && break
		sleep 0.1
	done
	first=$(($(stat_get events) + 1))
	snap
	echo publish >$FAULT
	"$CGT" burst 20
	for i in $(seq 1 100); do
		[ "$(delta publish_failed)" -ge 20 ] && break
		sleep 0.1
	done
	echo >$FAULT
	[ "$(delta publish_failed)" -eq 20 ]
	# The next event shows the daemon the gap; it takes the 20 from the ring.
	"$CGT" burst 1
	for i in $(seq 1 300); do
		grep -q "\"seq\":$((first + 20))," /tmp/fault-ev.jsonl && break
		sleep 0.1
	done
	kill -TERM $dpid
	wait $dpid
	got=$(grep '"type":"violation"' /tmp/fault-ev.jsonl |
		sed 's/.*"seq":\([0-9]*\),.*/\1/' |
		awk -v a=$first '$1 >= a' | tr '\n' ' ')
	echo "got: $got"
	[ "$got" = "$(seq -s ' ' $first $((first + 20))) " ]
	refute grep -q '"type":"lost"' /tmp/fault-ev.jsonl
}
