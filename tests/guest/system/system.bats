#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The "system" suite: a Debian system booted with systemd, with the
# credguard-dkms and credguard packages installed the normal way (DKMS built
# the module; scripts/test-system.sh). What a sysadmin gets after
# "apt install" and a reboot: the module loaded at boot with the options of
# /etc/modprobe.d, credguardd running sandboxed under systemd, an exploit
# killed and its event in the journal and in syslog (authpriv).

load helpers
T=/opt/credguard-test
CGT=$T/cgt

daemon_pid() { systemctl show -p MainPID --value credguardd.service; }
# What credguardd wrote to its standard output (its --syslog copies are
# journal entries of the unit too, with _TRANSPORT=syslog).
daemon_log() { journalctl -b -u credguardd.service _TRANSPORT=stdout -o cat --no-pager; }

setup_file() {
	grep -q '^cgtest ' /proc/modules || insmod $T/cgtest.ko
}

@test "systemd brought the system up and no unit failed" {
	run systemctl is-system-running --wait
	echo "state: $output"
	systemctl --failed --no-legend --no-pager
	[ "$output" = running ]
	[ "$(cat /proc/1/comm)" = systemd ]
}

@test "the whole boot raised no violation in kill mode: systemd's own credential changes are legitimate" {
	cat /proc/credguard/stats
	[ "$(stat_get violations)" -eq 0 ]
	[ "$(stat_get killed)" -eq 0 ]
	[ "$(stat_get legit_changes)" -gt 0 ]
	refute grep -q 'credguard: violation' <(dmesg)
}

# svc PROPERTY... -- CMD...: CMD as a transient service; it must succeed.
svc() {
	run systemd-run --wait --pipe --quiet "$@"
	echo "$*: $output"
	[ "$status" -eq 0 ]
}

@test "services with users, dynamic users, capabilities, namespaces and seccomp start without a violation" {
	snap
	svc -p User=cguser id -un
	[ "$output" = cguser ]
	svc -p DynamicUser=yes -p PrivateTmp=yes -p ProtectSystem=strict -p ProtectHome=yes true
	svc -p User=cguser -p AmbientCapabilities=CAP_NET_BIND_SERVICE \
		-p CapabilityBoundingSet=CAP_NET_BIND_SERVICE -p SecureBits=keep-caps true
	svc -p PrivateUsers=yes -p PrivateNetwork=yes -p PrivateMounts=yes true
	svc -p DynamicUser=yes -p NoNewPrivileges=yes -p SystemCallFilter=@system-service \
		-p RestrictNamespaces=yes -p LockPersonality=yes true
	[ "$(runuser -u cguser -- id -un)" = cguser ]
	[ "$(setpriv --reuid 1000 --regid 1000 --clear-groups id -u)" = 1000 ]
	[ "$(delta violations)" -eq 0 ]
	[ "$(delta killed)" -eq 0 ]
	[ "$(delta legit_changes)" -gt 0 ]
}

@test "file capabilities and set-uid helpers run by a user (ping, su, mount, newuidmap) without a violation" {
	snap
	# A binary with a file capability, run by a user (CAP_NET_RAW for ping).
	cp /usr/bin/ping /tmp/ping-fcap
	setcap cap_net_raw+ep /tmp/ping-fcap
	getcap /tmp/ping-fcap
	run runuser -u cguser -- /tmp/ping-fcap -c 1 -W 5 127.0.0.1
	echo "$output"
	[ "$status" -eq 0 ]
	# Set-uid-root helpers: su (refused without a password, after its
	# exec as euid 0), mount.
	run runuser -u cguser -- su -c true root </dev/null
	echo "$output"
	[ "$status" -ne 0 ]
	runuser -u cguser -- mount --version
	# newuidmap/newgidmap: a user namespace with the user's subordinate ids.
	usermod --add-subuids 200000-265535 --add-subgids 200000-265535 cguser
	ls -l /usr/bin/newuidmap /usr/bin/newgidmap
	run runuser -u cguser -- sh -c 'unshare --user sleep 30 & p=$!; sleep 1
		newuidmap $p 0 1000 1 1 200000 65536 &&
			newgidmap $p 0 1000 1 1 200000 65536 && cat /proc/$p/uid_map
		r=$?; kill $p; exit $r'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *200000*65536* ]]
	[ "$(delta violations)" -eq 0 ]
	[ "$(delta killed)" -eq 0 ]
	refute grep -q 'credguard: violation' <(dmesg)
}

@test "systemd-modules-load loaded the DKMS-built credguard at boot (modules-load.d); module and daemon are this version" {
	cat /usr/lib/modules-load.d/credguard.conf
	grep -qx credguard /usr/lib/modules-load.d/credguard.conf
	[ "$(systemctl show -p Result --value systemd-modules-load.service)" = success ]
	[ "$(cat /sys/module/credguard/version)" = "$(cat $T/version)" ]
	[ "$(credguardd --version)" = "credguardd $(cat $T/version)" ]
	modinfo -F filename credguard
	modinfo -F filename credguard | grep -q '/updates/dkms/credguard\.ko'
}

@test "its options come from /etc/modprobe.d/credguard.conf" {
	cat /etc/modprobe.d/credguard.conf
	[ "$(cat /sys/module/credguard/parameters/ring_size)" = 1024 ]
	[ "$(cat /sys/module/credguard/parameters/mode)" = kill ]
}

@test "credguardd.service runs sandboxed: dynamic user, CAP_NET_ADMIN only, no new privileges, seccomp" {
	systemctl is-enabled credguardd.service
	wait_for 60 "systemctl is-active credguardd.service"
	wait_for 60 "daemon_log | grep -q '\"event\":\"connected\"'"
	pid=$(daemon_pid)
	[ "$pid" -gt 1 ]
	cat /proc/$pid/status
	uid=$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)
	[ "$uid" -ne 0 ]
	grep -Eq '^NoNewPrivs:[[:space:]]+1$' /proc/$pid/status
	grep -Eq '^Seccomp:[[:space:]]+2$' /proc/$pid/status
	# CAP_NET_ADMIN is bit 12; nothing else, not even in the bounding set.
	for set in CapEff CapPrm CapBnd CapAmb; do
		grep -Eq "^$set:[[:space:]]+0000000000001000\$" /proc/$pid/status
	done
}

@test "the sandbox: the system is read-only for it, /home and /root are hidden, its state directory is writable" {
	pid=$(daemon_pid)
	[ "$pid" -gt 1 ]
	run nsenter -t "$pid" -m touch /usr/cg-probe
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	run nsenter -t "$pid" -m touch /etc/cg-probe
	[ "$status" -ne 0 ]
	[ ! -e /usr/cg-probe ]
	[ ! -e /etc/cg-probe ]
	touch /root/cg-probe
	run nsenter -t "$pid" -m test -e /root/cg-probe
	rm /root/cg-probe
	[ "$status" -ne 0 ]
	nsenter -t "$pid" -m touch /var/lib/credguard/cg-probe
	nsenter -t "$pid" -m rm /var/lib/credguard/cg-probe
}

@test "an exploit is killed; its event reaches the journal as JSON and syslog under authpriv" {
	before=$(stat_get killed)
	seq=$(($(stat_get events) + 1))
	run "$CGT" attack -u 1000 commit_root
	echo "$output"
	[ "$status" -eq 137 ]
	[[ "$output" != *PRIV-OK* ]]
	[ "$(stat_get killed)" -eq $((before + 1)) ]
	wait_for 60 "daemon_log | grep -q '\"type\":\"violation\".*\"seq\":$seq,'"
	[ "$(daemon_log | grep -c "\"type\":\"violation\".*\"seq\":$seq,")" -eq 1 ]
	line=$(daemon_log | grep "\"type\":\"violation\".*\"seq\":$seq,")
	echo "$line"
	[[ "$line" == *'"comm":"cgt"'* ]]
	[[ "$line" == *'"where":"commit_creds"'* ]]
	[[ "$line" == *'{"field":"uid","old":1000,"new":0}'* ]]
	[[ "$line" == *'"mode":"kill","outcome":"ok"'* ]]
	# --syslog (the unit's ExecStart): the same line at authpriv.warning.
	wait_for 30 "journalctl -b SYSLOG_FACILITY=10 PRIORITY=4 -t credguardd -o cat --no-pager | grep -q '\"seq\":$seq,'"
	dmesg | grep -q 'credguard: violation.*action=kill result=ok'
}

@test "credguardctl: root sees the stats; a user gets permission denied and nothing changes" {
	run credguardctl stats --json
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ \"killed\":[1-9] ]]
	run setpriv --reuid 1000 --regid 1000 --clear-groups credguardctl config set mode=log
	echo "$output"
	[ "$status" -eq 4 ]
	[ "$(cat /sys/module/credguard/parameters/mode)" = kill ]
}

@test "reload (SIGHUP), stop and start: violations while it was stopped are refilled from its state" {
	pid=$(daemon_pid)
	systemctl reload credguardd.service
	systemctl is-active credguardd.service
	[ "$(daemon_pid)" = "$pid" ]
	systemctl stop credguardd.service
	[ "$(systemctl show -p Result --value credguardd.service)" = success ]
	[ "$(systemctl show -p ExecMainStatus --value credguardd.service)" = 0 ]
	ls -l /var/lib/private/credguard/
	[ -s /var/lib/private/credguard/state ]
	seq=$(($(stat_get events) + 1))
	run "$CGT" attack -u 1000 commit_root
	[ "$status" -eq 137 ]
	refute grep -q "\"seq\":$seq," <(daemon_log)
	systemctl start credguardd.service
	wait_for 60 "daemon_log | grep -q '\"type\":\"violation\".*\"seq\":$seq,'"
	[ "$(daemon_log | grep -c "\"type\":\"violation\".*\"seq\":$seq,")" -eq 1 ]
	refute grep -q '"type":"lost"' <(daemon_log)
}

@test "unloaded, then loaded by systemd-modules-load again: the daemon waits and reconnects" {
	n=$(daemon_log | grep -c '"event":"connected"')
	pid=$(daemon_pid)
	modprobe -r credguard
	refute grep -q '^credguard ' /proc/modules
	sleep 2
	systemctl restart systemd-modules-load.service
	grep -q '^credguard ' /proc/modules
	[ "$(cat /sys/module/credguard/parameters/ring_size)" = 1024 ]
	wait_for 60 "[ \$(daemon_log | grep -c '\"event\":\"connected\"') -gt $n ]"
	[ "$(daemon_pid)" = "$pid" ]
	systemctl is-active credguardd.service
}
