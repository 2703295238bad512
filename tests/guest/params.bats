#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Parameters: bad values are refused and change nothing; load and unload
# are safe at any moment, also under load.
load helpers

KO=/lib/cg/credguard.ko

teardown_file() {
	grep -q '^credguard ' /proc/modules || insmod $KO
	echo kill >/sys/module/credguard/parameters/mode
}

@test "mode accepts log, restore and kill" {
	for m in log restore kill; do
		set_mode $m
		[ "$(stat_get mode)" = $m ]
	done
}
@test "an invalid mode is refused and the old one stays" {
	set_mode restore
	run sh -c 'echo bogus >/sys/module/credguard/parameters/mode'
	[ "$status" -ne 0 ]
	run sh -c 'echo >/sys/module/credguard/parameters/mode'
	[ "$status" -ne 0 ]
	run sh -c 'echo killl >/sys/module/credguard/parameters/mode'
	[ "$status" -ne 0 ]
	[ "$(cat $MODE)" = restore ]
	[ "$(stat_get mode)" = restore ]
	set_mode kill
}
@test "the stats file is read-only" {
	run sh -c 'echo 1 >/proc/credguard/stats'
	[ "$status" -ne 0 ]
}
@test "invalid load parameters are refused" {
	rmmod credguard
	run insmod $KO mode=bogus
	[ "$status" -ne 0 ]
	run insmod $KO hash_bits=3
	[ "$status" -ne 0 ]
	run insmod $KO hash_bits=21
	[ "$status" -ne 0 ]
	run insmod $KO hash_bits=x
	[ "$status" -ne 0 ]
	refute grep -q '^credguard ' /proc/modules
	insmod $KO mode=log hash_bits=8
	[ "$(stat_get mode)" = log ]
	[ "$(cat /sys/module/credguard/parameters/hash_bits)" = 8 ]
	rmmod credguard
	insmod $KO
	[ "$(stat_get mode)" = kill ]
}
@test "load/unload loop under fork/exec/setuid load" {
	kmsg_mark
	"$CGT" churn >/dev/null 2>&1 &
	c1=$!
	"$CGT" legit threads >/dev/null 2>&1 &
	for i in $(seq 1 15); do
		rmmod credguard
		insmod $KO
		[ "$(stat_get tasks_tracked)" -gt 0 ]
	done
	kill $c1
	wait $c1 || true
	wait || true
	refute grep -q 'credguard: leak' <(kmsg_since)
	kmsg_no_violation
}
@test "unload frees every shadow entry" {
	kmsg_mark
	rmmod credguard
	kmsg_expect 'credguard: unloaded'
	refute grep -q 'credguard: leak' <(kmsg_since)
	insmod $KO
}
@test "after reloading, attacks are still caught" {
	attack restore -u 1000 caps_only
	expect_restored
}
@test "ring_size: out of range refused at load, the ring has the size asked for" {
	rmmod credguard
	for bad in 15 65537 x -1; do
		run insmod $KO ring_size=$bad
		[ "$status" -ne 0 ]
		refute grep -q '^credguard ' /proc/modules
	done
	insmod $KO ring_size=16
	[ "$(cat /sys/module/credguard/parameters/ring_size)" = 16 ]
	/tests/credguardctl config get | grep -qx 'ring_size=16'
	# Read-only at run time.
	run sh -c 'echo 32 >/sys/module/credguard/parameters/ring_size'
	[ "$status" -ne 0 ]
	rmmod credguard
	insmod $KO
	[ "$(cat /sys/module/credguard/parameters/ring_size)" = 4096 ]
}
@test "log=0: no kernel log line, the event is still produced" {
	echo 0 >/sys/module/credguard/parameters/log
	n=$(stat_get events)
	attack restore -u 1000 fsuid_only
	echo 1 >/sys/module/credguard/parameters/log
	expect_restored_nolog() {
		[ "$status" -eq 0 ]
		[ "$(delta violations)" -eq 1 ]
		[ "$(stat_get events)" -eq $((n + 1)) ]
		sleep 0.5
		kmsg_no_violation
	}
	expect_restored_nolog
	/tests/credguardctl events --from $((n + 1)) | grep -q '"seq":'$((n + 1))',.*"fsuid"'
}
