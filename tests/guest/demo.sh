#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the throwaway guest: an unprivileged process runs a
# simulated kernel exploit (commit_creds(prepare_kernel_cred(0)) inside a
# write()), credguard stops it; then the same in restore mode and a
# capability-only escalation; then the stats.
CGT=/tests/cgt
MODE=/sys/module/credguard/parameters/mode
line() { echo "------------------------------------------------------------------"; }
violations() { dmesg | grep 'credguard: violation' | tail -n 1 | sed 's/^\[[ 0-9.]*\] //'; }

line
echo "credguard $(awk '$1 == "version" { print $2 }' /proc/credguard/stats) on $(uname -r), mode $(cat $MODE)"
echo "An exploit running as uid 1000 makes itself root inside write(2),"
echo "then tries to read /root/secret (mode 0600, owner root)."
line
echo "# mode kill (the default)"
$CGT attack -u 1000 commit_root
echo "exit status: $? (137 = killed by SIGKILL before returning to user space)"
echo "kernel log:  $(violations)"
line
echo "# mode restore: the same exploit, and a capability-only escalation"
echo restore >$MODE
$CGT attack -u 1000 commit_root
echo "exit status: $?"
echo "kernel log:  $(violations)"
$CGT attack -u 1000 caps_only
echo "exit status: $?"
echo "kernel log:  $(violations)"
echo kill >$MODE
rm -f /root/pwned-*
line
echo "# /proc/credguard/stats"
cat /proc/credguard/stats
line
