#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Events to user space: the generic netlink family, credguardd and
# credguardctl. Bursts of violations (cgt burst, log mode) must reach the
# daemon's output complete and in order, or their loss be counted exactly.
load helpers

# Reloads load in log mode and switch to kill afterwards: these tests are
# about events, not about the hooks' behaviour while they attach.

KO=/lib/cg/credguard.ko
D=/tests/credguardd
CTL=/tests/credguardctl
FUZZ=/tests/cgnlfuzz
W=/tmp/ev

setup() {
	mkdir -p $W
	rm -f $W/*
	DPID=
}

teardown() {
	stop_daemon || true
	grep -q '^credguard ' /proc/modules || insmod $KO mode=log
	if [ "$(cat /sys/module/credguard/parameters/ring_size)" != 4096 ]; then
		rmmod credguard
		insmod $KO mode=log
	fi
	set_mode kill
	echo 1 >/sys/module/credguard/parameters/log
}

# Resume after the latest event: the daemon need not replay the ring.
seed_state() {
	printf '%s %s\n' "$($CTL status | sed -n 's/^instance: //p')" \
		"$(($(last_seq) + 1))" >$W/state
}

start_daemon() {
	$D --output $W/out.jsonl --state $W/state "$@" 2>>$W/daemon.err &
	DPID=$!
	wait_for 60 "grep -q '\"event\":\"connected\"' $W/out.jsonl"
}

stop_daemon() {
	[ -n "$DPID" ] || return 0
	kill -TERM "$DPID"
	wait "$DPID"
	local rc=$?
	DPID=
	return $rc
}

# The sequence numbers of the violations in FILE, one per line.
seqs() {
	grep '"type":"violation"' "$1" | sed 's/.*"seq":\([0-9]*\),.*/\1/'
}

# FILE has every violation FIRST..LAST exactly once, in order, in between
# whatever else came before.
has_range() {
	seqs "$1" | awk -v a="$2" -v b="$3" '
		$1 < a { next }
		$1 > b { next }
		n == 0 && $1 != a { print "first is " $1 ", not " a; exit 1 }
		n > 0 && $1 != p + 1 { print "after " p " comes " $1; exit 1 }
		{ p = $1; n++ }
		END { if (n != b - a + 1) { print n " of " b - a + 1; exit 1 } }'
}

count_in() {
	seqs "$1" | awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b { n++ } END { print n + 0 }'
}

last_seq() { stat_get events; }

@test "credguardctl status and config get show the running module" {
	run $CTL status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"credguard: loaded"* ]]
	[[ "$output" == *"mode: $(cat $MODE)"* ]]
	[[ "$output" == *"ring: 4096 events"* ]]
	run $CTL config get
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"mode=$(cat $MODE)"* ]]
	[[ "$output" == *"ring_size=4096"* ]]
}

@test "a burst of 1000 violations reaches the daemon complete and in order" {
	set_mode log
	seed_state
	start_daemon
	first=$(($(last_seq) + 1))
	run "$CGT" burst 1000
	echo "$output"
	[ "$status" -eq 0 ]
	last=$((first + 999))
	[ "$(last_seq)" -ge $last ]
	wait_for 180 "[ \$(count_in $W/out.jsonl $first $last) -ge 1000 ]"
	has_range $W/out.jsonl $first $last
	refute grep -q '"type":"lost"' $W/out.jsonl
	# The schema: one burst event, field by field.
	line=$(grep "\"seq\":$first," $W/out.jsonl)
	echo "$line"
	[[ "$line" == *'"comm":"cgt"'* ]]
	[[ "$line" == *'"syscall":"write"'*"\"syscall_nr\":$NR_WRITE,\"abi\":\"$ABI64\",\"where\":\"exit\""* ]]
	[[ "$line" == *'"changes":[{"field":"fsuid","old":1000,"new":0}]'* ]]
	[[ "$line" == *'"mode":"log","outcome":"ok","error":0}' ]]
	[[ "$line" =~ \"ppid\":[1-9][0-9]*, ]]
	[[ "$line" =~ \"cgroup_id\":[0-9]+, ]]
	[[ "$line" =~ \"time\":\"20[0-9-]+T[0-9:.]+Z\" ]]
	stop_daemon
	grep -q '"event":"stopped"' $W/out.jsonl
}

@test "any bytes in comm come out as valid, exactly escaped JSON" {
	set_mode log
	seed_state
	start_daemon
	n=$(($(last_seq) + 1))
	CGT_COMM=$'q"b\\s\x01\t\xff\xc3\xa9/' "$CGT" burst 1
	wait_for 60 "grep -q '\"seq\":$n,' $W/out.jsonl"
	line=$(grep "\"seq\":$n," $W/out.jsonl)
	echo "$line"
	[[ "$line" == *'"comm":"q\"b\\s\u0001\t\u00ff\u00c3\u00a9/"'* ]]
	# Plain ASCII, one line.
	refute env LC_ALL=C grep -q '[^ -~]' <(grep "\"seq\":$n," $W/out.jsonl)
}

@test "--syslog: every line also goes to syslog with facility authpriv" {
	rm -f $W/syslog.log
	syslogd -n -O $W/syslog.log &
	SPID=$!
	wait_for 20 "[ -S /dev/log ]"
	set_mode log
	seed_state
	start_daemon --syslog
	first=$(($(last_seq) + 1))
	run "$CGT" burst 3
	[ "$status" -eq 0 ]
	wait_for 60 "grep -q '\"seq\":$((first + 2)),' $W/syslog.log"
	cat $W/syslog.log
	# Violations at warning, daemon notices at info, all under authpriv.
	grep "credguardd\[$DPID\]: " $W/syslog.log | grep "\"seq\":$first," | grep -q 'authpriv\.warn'
	grep "credguardd\[$DPID\]: " $W/syslog.log | grep '"event":"connected"' | grep -q 'authpriv\.info'
	# The same lines as in the output file.
	[ "$(grep -c '"type":"violation"' $W/syslog.log)" -eq "$(grep -c '"type":"violation"' $W/out.jsonl)" ]
	stop_daemon
	kill $SPID
	wait $SPID || true
}

@test "the daemon stopped during a burst refills from the ring when restarted" {
	set_mode log
	seed_state
	start_daemon
	first=$(($(last_seq) + 1))
	last=$((first + 1499))
	# The burst holds after 750 until the daemon is stopped: it is
	# stopped mid-burst however slow the machine (KASAN, TCG) is.
	rm -f $W/go
	CGT_HOLD_AT=750 CGT_HOLD_FILE=$W/go "$CGT" burst 1500 1000 >/dev/null &
	bpid=$!
	wait_for 60 "[ \$(last_seq) -ge $((first + 100)) ]"
	stop_daemon
	at_stop=$(last_seq)
	touch $W/go
	wait $bpid
	got=$(count_in $W/out.jsonl $first $last)
	echo "daemon stopped at $at_stop; it had $got of 1500"
	[ "$at_stop" -lt "$last" ]
	[ "$got" -lt 1500 ]
	start_daemon
	wait_for 180 "[ \$(count_in $W/out.jsonl $first $last) -ge 1500 ]"
	has_range $W/out.jsonl $first $last
	refute grep -q '"type":"lost"' $W/out.jsonl
}

@test "a ring smaller than the burst: the output says exactly how many were lost, the stats agree" {
	rmmod credguard
	insmod $KO ring_size=64 mode=log
	run "$CGT" burst 1000
	[ "$status" -eq 0 ]
	# The burst's 1000, and whatever else happened since the load.
	e=$(stat_get events)
	[ "$e" -ge 1000 ]
	gone=$((e - 64))
	start_daemon
	wait_for 120 "[ \$(count_in $W/out.jsonl $((gone + 1)) $e) -ge 64 ]"
	grep '"type":"lost"' $W/out.jsonl
	[ "$(grep -c '"type":"lost"' $W/out.jsonl)" -eq 1 ]
	grep -q '"type":"lost",.*"first_seq":1,"last_seq":'$gone',"count":'$gone',' $W/out.jsonl
	has_range $W/out.jsonl $((gone + 1)) $e
	[ "$(count_in $W/out.jsonl 1 $e)" -eq 64 ]
	[ "$(stat_get events_overwritten)" -eq $gone ]
	$CTL stats | grep -qx "events_overwritten $gone"
	# Every event was either handed to the multicast group or
	# overwritten before it could be (and counted so).
	wait_for 30 "[ \$((\$(stat_get events_published) + \$(stat_get events_unpublished))) -eq \$(stat_get events) ]"
}

@test "the daemon survives unload and reload of the module" {
	set_mode log
	seed_state
	start_daemon
	rmmod credguard
	wait_for 30 "grep -q '\"event\":\"disconnected\"' $W/out.jsonl"
	kill -0 $DPID
	insmod $KO mode=log
	wait_for 30 "[ \$(grep -c '\"event\":\"connected\"' $W/out.jsonl) -ge 2 ]"
	inst=$($CTL status | sed -n 's/^instance: //p')
	run "$CGT" burst 10
	[ "$status" -eq 0 ]
	wait_for 60 "[ \$(grep -c '\"instance\":\"$inst\",\"seq\"' $W/out.jsonl) -ge 10 ]"
	grep '"instance":"'"$inst"'","seq"' $W/out.jsonl >$W/new
	has_range $W/new 1 10
	stop_daemon
}

@test "SIGHUP reopens the output file (logrotate)" {
	set_mode log
	seed_state
	start_daemon
	mv $W/out.jsonl $W/out.1
	kill -HUP $DPID
	wait_for 30 "grep -q '\"event\":\"reopened\"' $W/out.jsonl"
	first=$(($(last_seq) + 1))
	"$CGT" burst 5
	wait_for 60 "[ \$(count_in $W/out.jsonl $first $((first + 4))) -ge 5 ]"
	has_range $W/out.jsonl $first $((first + 4))
	[ "$(count_in $W/out.1 $first $((first + 4)))" -eq 0 ]
}

@test "a socket overrun (ENOBUFS) is refilled from the ring" {
	set_mode log
	seed_state
	start_daemon --rcvbuf 2048
	first=$(($(last_seq) + 1))
	# A stopped daemon reads nothing: a 1000-event burst overflows its
	# 2 KiB socket buffer for certain.
	kill -STOP "$DPID"
	"$CGT" burst 1000
	kill -CONT "$DPID"
	last=$((first + 999))
	wait_for 180 "[ \$(count_in $W/out.jsonl $first $last) -ge 1000 ]"
	has_range $W/out.jsonl $first $last
	refute grep -q '"type":"lost"' $W/out.jsonl
	grep '"event":"overrun"' $W/out.jsonl
}

@test "an unprivileged user cannot change the config or read events" {
	set_mode restore
	run "$CGT" runas 1000 $CTL config set mode=log
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *"permission denied"* ]]
	[ "$(cat $MODE)" = restore ]
	run "$CGT" runas 1000 $CTL events
	[ "$status" -eq 4 ]
	run "$CGT" runas 1000 $CTL watch
	[ "$status" -eq 4 ]
	# Reading the counters is allowed, like /proc/credguard/stats.
	run "$CGT" runas 1000 $CTL stats
	[ "$status" -eq 0 ]
	[[ "$output" == *"violations "* ]]
}

@test "credguardctl config set: bad keys and values get clear errors, nothing changes" {
	set_mode restore
	for bad in foo=1 mode=bogus mode= log=maybe mode; do
		run $CTL config set mode=log "$bad"
		echo "$bad: $output"
		[ "$status" -eq 2 ]
		[ -n "$output" ]
		[ "$(cat $MODE)" = restore ]
	done
	run $CTL config set mode=log log=off
	[ "$status" -eq 0 ]
	[ "$(cat $MODE)" = log ]
	[ "$(cat /sys/module/credguard/parameters/log)" = N ]
	run $CTL config get
	[[ "$output" == *"log=off"* ]]
}

@test "credguardctl: module not loaded is a clear error" {
	rmmod credguard
	for c in status stats "config get" events; do
		run $CTL $c
		echo "$c: $output"
		[ "$status" -eq 3 ]
		[[ "$output" == *"not loaded"* ]]
	done
	insmod $KO mode=log
}

@test "stats --json and --prometheus agree with /proc/credguard/stats" {
	set_mode log
	"$CGT" burst 3
	run $CTL stats --json
	echo "$output"
	[ "$status" -eq 0 ]
	v=$(stat_get violations)
	[[ "$output" == *"\"violations\":$v,"* ]]
	run $CTL stats --prometheus
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "credguard_violations_total $v"
	echo "$output" | grep -qx "# TYPE credguard_violations_total counter"
	echo "$output" | grep -qx "# TYPE credguard_tasks_tracked gauge"
	echo "$output" | grep -qx "# TYPE credguard_helpers_refused_total counter"
	refute grep -q "_total_total\|tasks_tracked_total" <<<"$output"
	run $CTL stats --bogus
	[ "$status" -eq 2 ]
}

@test "credguardctl events dumps the ring from a sequence number" {
	set_mode log
	first=$(($(last_seq) + 1))
	"$CGT" burst 20
	run $CTL events --from $first
	[ "$status" -eq 0 ]
	echo "$output" >$W/dump
	has_range $W/dump $first $((first + 19))
	run $CTL events --from 0
	[ "$status" -eq 2 ]
	run $CTL events --from x
	[ "$status" -eq 2 ]
}

@test "malformed messages get errors and change nothing" {
	set_mode restore
	run $FUZZ malformed
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^ok ')" -ge 20 ]
	[ "$(cat $MODE)" = restore ]
}

@test "100,000 random messages leave the kernel log clean and the module working" {
	# A small ring: dumps stay short.
	rmmod credguard
	insmod $KO ring_size=16 mode=log
	kmsg_mark
	run $FUZZ fuzz 100000 $RANDOM
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "sent 100000:"* ]]
	run "$CGT" runas 1000 $FUZZ fuzz 10000 $RANDOM
	echo "$output"
	[ "$status" -eq 0 ]
	refute grep -E 'BUG|WARNING|Oops|Call Trace|credguard: .*(error|fail|leak)' <(kmsg_since)
	# Still working: an attack is caught and its event can be dumped.
	echo 1 >/sys/module/credguard/parameters/log
	attack restore -u 1000 fsuid_only
	expect_restored
	n=$(stat_get events)
	$CTL events --from "$n" | grep -q "\"seq\":$n,.*\"mode\":\"restore\""
}

@test "unprivileged fuzzing changes nothing" {
	set_mode restore
	run "$CGT" runas 1000 $FUZZ fuzz 5000 $RANDOM
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" eperm "[1-9]* ]]
	[ "$(cat $MODE)" = restore ]
	[ "$(cat /sys/module/credguard/parameters/log)" = Y ]
}
