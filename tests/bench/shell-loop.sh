#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The "shell" workload of make bench: N rounds of pipes, small execs,
# /proc reads and file writes, as shell-heavy work does.
n=${1:-40}
i=0
while [ $i -lt "$n" ]; do
	echo "line $i" | cat >/tmp/shell-loop.out
	cat /proc/self/stat >/dev/null
	/bin/true
	echo $i >>/tmp/shell-loop.log
	i=$((i + 1))
done
