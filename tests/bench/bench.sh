#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the guest (booted with -icount shift=0,sleep=off):
# every workload under every variant, three runs each; one line per run:
#   BENCH <variant> <workload> <instructions per op>
# With "quick" (make bench QUICK=1): the syscall loops only, with no
# module, the bare hooks and checks=full, two runs each: a quick figure
# for work on the fast path, not the published table.
B=/tests/cgbench
KO=/lib/cg/credguard.ko
MODE=${1:-full}
ROUNDS=3
VARIANTS="hooks entry full"
if [ "$MODE" = quick ]; then
	ROUNDS=2
	VARIANTS="hooks full"
fi

run() { # variant workload args...
	v=$1 w=$2
	shift 2
	"$@" >/dev/null # warm-up, not counted
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		x=$("$@" | awk '{ print $3 }')
		echo "BENCH $v $w $x"
		r=$((r + 1))
	done
}

workloads() {
	v=$1
	run "$v" null $B null 200000
	run "$v" openclose $B openclose 20000
	run "$v" openclose_filtered $B openclose-filtered 20000
	[ "$MODE" = quick ] && return
	run "$v" forkexit $B forkexit 400
	run "$v" forkexec $B forkexec 200
	run "$v" shell $B cmd 40 /bin/sh /tests/shell-loop.sh 40
	run "$v" threads2 $B threads 2 100000
}

grep -q '^credguard ' /proc/modules && rmmod credguard
echo "BENCHINFO kernel $(uname -r) cpus $(grep -c ^processor /proc/cpuinfo)"
workloads none
for v in $VARIANTS; do
	case $v in
	hooks) insmod $KO checks=none ;;
	entry) insmod $KO checks=entry ;;
	full) insmod $KO ;;
	esac
	workloads $v
	if [ $v = full ] && [ "$MODE" != quick ]; then
		echo "BENCHINFO entry_bytes $(awk '$1 == "entry_bytes" { print $2 }' /proc/credguard/stats)"
		for k in 10 10000; do
			run full "null_threads_$k" $B idle $k null 200000
		done
		echo "BENCHINFO tasks_tracked_after $(awk '$1 == "tasks_tracked" { print $2 }' /proc/credguard/stats)"
	fi
	rmmod credguard
done
echo "BENCHDONE"
