#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The usermode helper guard. An exploit overwrites modprobe_path or
# core_pattern in place (cgtest, from inside a write() to /proc/cgtest)
# and makes the kernel run its program: in kill and restore mode the
# helper never runs and the recorded value is back; in log mode it is
# reported once. Helpers configured through /proc/sys, /sys or
# cgroupfs by root run, with the argv they were configured with, and
# raise nothing.
load helpers

MP=/proc/sys/kernel/modprobe
CP=/proc/sys/kernel/core_pattern
UH=/sys/kernel/uevent_helper

setup_file() {
	cat $MP >/tmp/umh-orig-modprobe
	cat $CP >/tmp/umh-orig-core
	printf '#!/bin/sh\necho "$0 $*" >/tmp/pwned\n' >/tmp/evil
	# A helper that logs its argv, one per line.
	printf '#!/bin/sh\nfor a in "$@"; do echo "$a"; done >/tmp/.args-$$\nmv /tmp/.args-$$ "/tmp/args-${0##*/}"\n' >/tmp/legit
	# A helper that logs its environment.
	printf '#!/bin/sh\nenv >/tmp/.env-$$\nmv /tmp/.env-$$ /tmp/env-log\n' >/tmp/envlog
	chmod +x /tmp/evil /tmp/legit /tmp/envlog
}

teardown_file() {
	cat /tmp/umh-orig-modprobe >$MP
	cat /tmp/umh-orig-core >$CP
	echo umh_envp_undo >/proc/cgtest || true
	echo kill >$MODE
}

setup() {
	rm -f /tmp/pwned /tmp/args-* /tmp/env-log
}

# A test that moved init_fs leaves it as it was, whatever failed.
teardown() {
	echo umh_initfs_undo >/proc/cgtest
}

# The kernel asks for a module (fs-cgtestfs: a filesystem type nobody has):
# it runs modprobe_path. (Exec of an unknown binary format no longer asks
# for a binfmt module on newer kernels.)
module_request() {
	mkdir -p /tmp/umh-mnt
	mount -t cgtestfs none /tmp/umh-mnt >/dev/null 2>&1 || true
}

# A child killed by SIGSEGV dumps core: a pipe pattern runs its helper.
# The signal waits for the child's exec: before it, the child is still a
# bash (core_pattern's %e would name bash, not sleep).
crash() {
	(
		ulimit -c unlimited
		sleep 60 &
		CRASHED=$!
		echo $CRASHED >/tmp/crashed-pid
		for _ in $(seq 200); do
			[ "$(cat /proc/$CRASHED/comm 2>/dev/null)" = sleep ] && break
			sleep 0.05
		done
		kill -SEGV $CRASHED
		wait $CRASHED
	) || true
}

overwrite() {
	echo "$1 $2" >/proc/cgtest
}

expect_helper_report() {
	kmsg_expect "credguard: violation helper=$1 path=$2 argv=\[$3\] recorded=$4 .*action=$5 result=$6"
}

expect_refused() {
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta helpers_refused)" -eq 1 ]
	[ "$(delta helpers_checked)" -ge 1 ]
	[ "$(delta killed)" -eq 0 ]
	refute test -e /tmp/pwned
}

# --- modprobe_path -----------------------------------------------------------
modprobe_attack() {
	set_mode "$1"
	snap
	kmsg_mark
	overwrite umh_modprobe /tmp/evil
	module_request
}

@test "kill: modprobe_path overwrite: the helper never runs, the value is back" {
	modprobe_attack kill
	expect_refused
	[ "$(cat $MP)" = "$(cat /tmp/umh-orig-modprobe)" ]
	expect_helper_report modprobe_path /tmp/evil \
		"'/tmp/evil' '-q' '--' 'fs-cgtestfs'" "$(cat /tmp/umh-orig-modprobe)" kill refused
	[ "$(kmsg_since | grep -c 'violation helper=')" -eq 1 ]
}

@test "restore: modprobe_path overwrite: the helper never runs, the value is back" {
	modprobe_attack restore
	expect_refused
	[ "$(cat $MP)" = "$(cat /tmp/umh-orig-modprobe)" ]
	expect_helper_report modprobe_path /tmp/evil \
		"'/tmp/evil' '-q' '--' 'fs-cgtestfs'" "$(cat /tmp/umh-orig-modprobe)" restore refused
}

@test "log: modprobe_path overwrite is reported once, and the helper runs" {
	modprobe_attack log
	wait_for 10 "test -e /tmp/pwned"
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta helpers_refused)" -eq 0 ]
	expect_helper_report modprobe_path /tmp/evil \
		"'/tmp/evil' '-q' '--' 'fs-cgtestfs'" "$(cat /tmp/umh-orig-modprobe)" log ran
	# Once: the live value is the reference from now on.
	module_request
	[ "$(delta violations)" -eq 1 ]
	cat /tmp/umh-orig-modprobe >$MP
}

# --- kernel.modprobe's sysctl table made writable by anyone ------------------
# One 16-bit write (the table's mode to 0666) and a user writes its program
# through /proc/sys itself. Only a writer privileged by its own credentials
# records a value: this one is not, so the helper is refused as an
# overwrite in place is.
modprobe_mode_attack() {
	set_mode "$1"
	snap
	kmsg_mark
	# 6.11 and later keep sysctl tables read-only: no such write there
	if ! echo "umh_mode 0666" 2>/dev/null >/proc/cgtest; then
		local v
		v=$(uname -r)
		[ "${v%%.*}" -gt 6 ] || [ "$(echo "$v" | cut -d. -f2)" -ge 11 ]
		skip "sysctl tables are read-only on $v"
	fi
	"$CGT" runas 1000 /bin/sh -c "echo /tmp/evil >$MP"
	echo "umh_mode 0644" >/proc/cgtest
	[ "$(cat $MP)" = /tmp/evil ]
	module_request
}

@test "kill: kernel.modprobe written by a user through a widened table mode: refused" {
	modprobe_mode_attack kill
	expect_refused
	[ "$(cat $MP)" = "$(cat /tmp/umh-orig-modprobe)" ]
	expect_helper_report modprobe_path /tmp/evil \
		"'/tmp/evil' '-q' '--' 'fs-cgtestfs'" "$(cat /tmp/umh-orig-modprobe)" kill refused
}

@test "restore: kernel.modprobe written by a user through a widened table mode: refused" {
	modprobe_mode_attack restore
	expect_refused
	[ "$(cat $MP)" = "$(cat /tmp/umh-orig-modprobe)" ]
}

@test "log: kernel.modprobe written by a user through a widened table mode is reported" {
	modprobe_mode_attack log
	wait_for 10 "test -e /tmp/pwned"
	[ "$(delta violations)" -eq 1 ]
	expect_helper_report modprobe_path /tmp/evil \
		"'/tmp/evil' '-q' '--' 'fs-cgtestfs'" "$(cat /tmp/umh-orig-modprobe)" log ran
	cat /tmp/umh-orig-modprobe >$MP
}

# --- the modprobe helper's environment ---------------------------------------
# call_modprobe()'s envp is a static array of pointers: one pointer written
# there (to "LD_PRELOAD=..." in writable memory) and the recorded, legitimate
# modprobe runs with the attacker's environment. cgtest finds the array by
# running the helper once (clean), then writes the pointer.
ENTRY=LD_PRELOAD=/tmp/cgt-preload.so

envp_attack() {
	set_mode "$1"
	echo /tmp/envlog >$MP
	overwrite umh_envp $ENTRY
	# The clean run that found the array: the kernel's own constants.
	grep -qx TERM=linux /tmp/env-log
	refute grep -q LD_PRELOAD /tmp/env-log
	rm /tmp/env-log
	snap
	kmsg_mark
	module_request
}

expect_envp_report() {
	expect_helper_report modprobe_path /tmp/envlog \
		"'/tmp/envlog' '-q' '--' 'fs-cgtestfs'" /tmp/envlog "$1" "$2"
	kmsg_expect "violation helper=modprobe_path .* recorded=/tmp/envlog env=$ENTRY pid="
}

# Refused once; the array keeps the kernel's constants only, and the next
# modprobe runs with them and raises nothing.
expect_envp_mended() {
	expect_refused
	refute test -e /tmp/env-log
	module_request
	wait_for 10 "test -s /tmp/env-log"
	refute grep -q LD_PRELOAD /tmp/env-log
	grep -qx HOME=/ /tmp/env-log
	[ "$(delta violations)" -eq 1 ]
	overwrite umh_envp_undo
	cat /tmp/umh-orig-modprobe >$MP
}

@test "kill: an LD_PRELOAD pointer in modprobe's static envp: refused, the array mended" {
	envp_attack kill
	expect_envp_report kill refused
	expect_envp_mended
}

@test "restore: an LD_PRELOAD pointer in modprobe's static envp: refused, the array mended" {
	envp_attack restore
	expect_envp_report restore refused
	expect_envp_mended
}

@test "log: an LD_PRELOAD pointer in modprobe's static envp is reported once" {
	envp_attack log
	wait_for 10 "test -s /tmp/env-log"
	grep -qx $ENTRY /tmp/env-log
	expect_envp_report log ran
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta helpers_refused)" -eq 0 ]
	rm /tmp/env-log
	module_request
	wait_for 10 "test -s /tmp/env-log"
	[ "$(delta violations)" -eq 1 ]
	overwrite umh_envp_undo
	cat /tmp/umh-orig-modprobe >$MP
}

# --- core_pattern ------------------------------------------------------------
core_attack() {
	set_mode "$1"
	echo core >$CP
	snap
	kmsg_mark
	overwrite umh_core "|/tmp/evil %p"
	crash
}

@test "kill: core_pattern pipe overwrite: the helper never runs, the value is back" {
	core_attack kill
	sleep 1
	expect_refused
	[ "$(cat $CP)" = core ]
	expect_helper_report core_pattern /tmp/evil "'/tmp/evil' '[0-9]+'" core kill refused
}

@test "restore: core_pattern pipe overwrite: the helper never runs, the value is back" {
	core_attack restore
	sleep 1
	expect_refused
	[ "$(cat $CP)" = core ]
	expect_helper_report core_pattern /tmp/evil "'/tmp/evil' '[0-9]+'" core restore refused
}

@test "log: core_pattern pipe overwrite is reported once, and the helper runs" {
	core_attack log
	wait_for 10 "test -e /tmp/pwned"
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta helpers_refused)" -eq 0 ]
	expect_helper_report core_pattern /tmp/evil "'/tmp/evil' '[0-9]+'" core log ran
	crash
	sleep 1
	[ "$(delta violations)" -eq 1 ]
	echo core >$CP
}


# --- the root helpers start from ----------------------------------------------
# A helper is forked from a kworker and looks its path up from init_fs,
# which every kernel thread and PID 1 share: two words (init_fs's root,
# at a tree the exploit owns) and the kernel runs the exploit's own
# "/sbin/modprobe" as root. PID 1 stays blocked in wait() meanwhile: its
# own next syscall would find the shared root moved too.
FAKE=/tmp/cgfake
initfs_attack() {
	local mp
	mp=$(cat $MP)
	mkdir -p $FAKE/bin $FAKE/tmp "$FAKE$(dirname "$mp")"
	cp /bin/busybox $FAKE/bin/sh
	printf '#!/bin/sh\necho pwned >/tmp/pwned\n' >"$FAKE$mp"
	chmod +x "$FAKE$mp"
	rm -f $FAKE/tmp/pwned
	# PID 1 shares init_fs: its root and cwd are init_fs's.
	INIT_ROOT=$(stat -L -c %d:%i /proc/1/root/)
	INIT_CWD=$(stat -L -c %d:%i /proc/1/cwd/)
	set_mode "$1"
	snap
	kmsg_mark
	overwrite umh_initfs $FAKE
	module_request
}
initfs_is_back() {
	[ "$(stat -L -c %d:%i /proc/1/root/)" = "$INIT_ROOT" ]
	[ "$(stat -L -c %d:%i /proc/1/cwd/)" = "$INIT_CWD" ]
}
expect_initfs_report() {
	kmsg_expect "credguard: violation helper=init_fs path=$(cat $MP) .*recorded=root=${INIT_ROOT#*:} cwd=${INIT_CWD#*:}, found root=$(stat -c %i $FAKE) cwd=$(stat -c %i $FAKE) .*action=$1 result=$2"
}
@test "kill: init_fs's root moved to a fake tree: the helper never runs, the root is back" {
	initfs_attack kill
	initfs_is_back
	expect_refused
	refute test -e $FAKE/tmp/pwned
	expect_initfs_report kill refused
}

@test "restore: init_fs's root moved to a fake tree: the helper never runs, the root is back" {
	initfs_attack restore
	initfs_is_back
	expect_refused
	refute test -e $FAKE/tmp/pwned
	expect_initfs_report restore refused
}

@test "log: init_fs's root moved to a fake tree is reported once, and the helper runs in it" {
	initfs_attack log
	wait_for 10 "test -e $FAKE/tmp/pwned"
	[ "$(delta violations)" -eq 1 ]
	[ "$(delta helpers_refused)" -eq 0 ]
	expect_initfs_report log ran
	module_request
	[ "$(delta violations)" -eq 1 ]
	# Back as it was, before PID 1 looks (the record follows PID 1's).
	echo umh_initfs_undo >/proc/cgtest
	initfs_is_back
	set_mode kill
	snap
	module_request
	[ "$(delta violations)" -eq 0 ]
}
# --- legitimate configurations (kill mode, nothing raised) -------------------
legit_begin() {
	set_mode kill
	snap
	kmsg_mark
}

legit_end() {
	[ "$(delta violations)" -eq 0 ]
	[ "$(delta helpers_refused)" -eq 0 ]
	kmsg_no_violation
}

@test "legit: sysctl -w kernel.core_pattern, systemd-coredump style: runs with the expanded argv" {
	mkdir -p /usr/lib/cgtest
	cp /tmp/legit /usr/lib/cgtest/coredump
	legit_begin
	sysctl -w kernel.core_pattern='|/usr/lib/cgtest/coredump %P %u %g %s %t %c %h %e'
	crash
	wait_for 10 "test -s /tmp/args-coredump"
	legit_end
	cat /tmp/args-coredump
	mapfile -t a </tmp/args-coredump
	[ "${#a[@]}" -eq 8 ]
	[ "${a[0]}" = "$(cat /tmp/crashed-pid)" ]
	[ "${a[1]}" = 0 ] && [ "${a[2]}" = 0 ] && [ "${a[3]}" = 11 ]
	[[ "${a[4]}" =~ ^[0-9]+$ ]] && [[ "${a[5]}" =~ ^[0-9]+$ ]]
	[ "${a[6]}" = "$(hostname)" ]
	[ "${a[7]}" = sleep ]
}

@test "legit: a custom core helper written to /proc/sys/kernel/core_pattern by root" {
	legit_begin
	echo '|/tmp/legit --pid=%p --sig=%s %%literal' >$CP
	crash
	wait_for 10 "test -s /tmp/args-legit"
	legit_end
	[ "$(cat /tmp/args-legit)" = "$(printf -- '--pid=%s\n--sig=11\n%%literal' "$(cat /tmp/crashed-pid)")" ]
	echo core >$CP
}

@test "legit: kernel.modprobe changed by root; the kernel runs it for a missing module" {
	legit_begin
	echo /tmp/legit >$MP
	module_request
	wait_for 10 "test -s /tmp/args-legit"
	legit_end
	[ "$(cat /tmp/args-legit)" = "$(printf -- '-q\n--\nfs-cgtestfs')" ]
	cat /tmp/umh-orig-modprobe >$MP
	# The original one is back in force: nothing raised by it either.
	module_request
	legit_end
}

@test "legit: uevent_helper set through /sys/kernel/uevent_helper" {
	[ -e $UH ] || skip "this kernel has no CONFIG_UEVENT_HELPER"
	legit_begin
	echo /tmp/legit >$UH
	echo add >/sys/class/mem/null/uevent
	wait_for 10 "test -s /tmp/args-legit"
	echo >$UH
	legit_end
	[ "$(cat /tmp/args-legit)" = mem ]
}

@test "kill: uevent_helper overwrite is refused" {
	[ -e $UH ] || skip "this kernel has no CONFIG_UEVENT_HELPER"
	set_mode kill
	snap
	kmsg_mark
	overwrite umh_uevent /tmp/evil
	echo add >/sys/class/mem/null/uevent
	sleep 1
	expect_refused
	[ "$(cat $UH)" = "" ]
}

@test "legit: a cgroup v1 release agent written through cgroupfs" {
	mkdir -p /tmp/cg1
	mount -t cgroup -o none,name=cgtumh cgroup /tmp/cg1 || skip "no cgroup v1"
	legit_begin
	echo /tmp/legit >/tmp/cg1/release_agent
	mkdir /tmp/cg1/child
	echo 1 >/tmp/cg1/child/notify_on_release
	sh -c 'echo $$ >/tmp/cg1/child/cgroup.procs; exit 0'
	wait_for 10 "test -s /tmp/args-legit"
	legit_end
	[ "$(cat /tmp/args-legit)" = /child ]
	rmdir /tmp/cg1/child 2>/dev/null || true
	umount /tmp/cg1
}

@test "legit: request-key runs /sbin/request-key (a constant path)" {
	[ -x /tests/keyctl ] || skip "keyctl is not in the image"
	cp /tmp/legit /sbin/request-key
	legit_begin
	# The helper does not instantiate the key: the request fails after it ran.
	run /tests/keyctl request2 user cgt:umh hello @s
	echo "$output"
	wait_for 10 "test -s /tmp/args-request-key"
	legit_end
	[ "$(head -1 /tmp/args-request-key)" = create ]
	[ "$(delta helpers_checked)" -ge 1 ]
}

@test "the counters are in /proc/credguard/stats and credguardctl stats --prometheus" {
	grep -qx 'helpers_checked [0-9]*' $STATS
	grep -qx 'helpers_refused [0-9]*' $STATS
	run /tests/credguardctl stats --prometheus
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "# TYPE credguard_helpers_refused_total counter"
	echo "$output" | grep -qx "credguard_helpers_refused_total $(stat_get helpers_refused)"
}

@test "a refused helper is a netlink event with the variable, path, argv and record" {
	rm -f /tmp/umh-ev.jsonl
	/tests/credguardd --output /tmp/umh-ev.jsonl &
	dpid=$!
	wait_for 30 "grep -q '\"event\":\"connected\"' /tmp/umh-ev.jsonl 2>/dev/null"
	modprobe_attack restore
	wait_for 10 "grep -q '\"kind\":\"helper\"' /tmp/umh-ev.jsonl"
	kill -TERM $dpid
	wait $dpid || true
	line=$(grep '"kind":"helper"' /tmp/umh-ev.jsonl | tail -1)
	echo "$line"
	[[ "$line" == *'"variable":"modprobe_path"'* ]]
	[[ "$line" == *'"path":"/tmp/evil"'* ]]
	[[ "$line" == *'"argv":["/tmp/evil","-q","--","fs-cgtestfs"]'* ]]
	[[ "$line" == *"\"recorded\":\"$(cat /tmp/umh-orig-modprobe)\""* ]]
	[[ "$line" == *'"refused":true'* ]]
	[[ "$line" == *'"where":"helper"'* ]]
}

# Debian's arm64 kernels have no CONFIG_KALLSYMS_ALL: no data symbol has a
# name. The fault "umh_kallsyms" makes this kernel look the same.
@test "without data symbols: the variables are found through /proc/sys and guarded" {
	kmsg_mark
	rmmod credguard
	insmod /lib/cg/credguard.ko fault=umh_kallsyms
	echo >/sys/module/credguard/parameters/fault
	kmsg_since | grep 'credguard: umh:'
	kmsg_since | grep -q 'umh: modprobe_path located through /proc/sys/kernel/modprobe$'
	kmsg_since | grep -q 'umh: core_pattern located through /proc/sys/kernel/core_pattern$'
	refute grep -qE 'umh: (modprobe_path|core_pattern) not found' <(kmsg_since)
	modprobe_attack restore
	expect_refused
	[ "$(cat $MP)" = "$(cat /tmp/umh-orig-modprobe)" ]
	core_attack kill
	sleep 1
	expect_refused
	[ "$(cat $CP)" = core ]
	# A value set through the file is still recorded, and its helper runs.
	legit_begin
	echo "|/tmp/legit %p" >$CP
	crash
	wait_for 10 "test -e /tmp/args-legit"
	legit_end
	echo core >$CP
}
