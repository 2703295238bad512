# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the host test scripts (sourced, never run):
#   cg_suite NAME LOGFILE   name the suite: its result lines read
#                           "ok - NAME: ..." / "not ok - NAME: ..."
#   ok TEXT / nok TEXT      print one result line
#   t TEXT CMD...           run CMD (output to LOGFILE); ok or not ok, and
#                           on failure the tail of its output as "#" lines;
#                           returns CMD's status
#   cg_chroot ROOT CMD...   run CMD inside the chroot ROOT with /proc and
#                           /dev mounted in a private mount namespace, so
#                           nothing stays mounted afterwards
#   cg_apt ROOT ARGS...     apt-get, quiet and non-interactive, in ROOT
#   cg_suite_chroot SUITE   the cached chroot of a Debian suite (sets root)
# and by the runners that sum suites (check.sh, sanitize.sh, arm64-run.sh):
#   passed, failed          the counts (0 when sourced)
#   pass TEXT / fail TEXT   count and print one result line
#   cg_summary              print "N passed, N failed"; true if none failed
#   cg_vm_bg NAME OUT VMARGS...
#                           boot one guest in the background (scripts/vm.sh
#                           VMARGS --out OUT/NAME, output in OUT/NAME.out):
#                           TCG runs all of a guest's vCPUs on one host
#                           thread, so each guest takes one core
#   cg_vm_judge NAME OUT    once it has ended: show its result lines, then
#                           cg_vm_count
#   cg_vm_wait OUT NAME...  wait for the background guests, then judge each
#   cg_vm_count NAME OUT    add OUT/NAME.out's verdict to the counts (a
#                           boot with no verdict is one failure)
#   cg_host NAME OUT CMD... run a host suite (output in OUT/NAME.log), show
#                           its result lines and count them (none: one
#                           failure)
#   cg_dkms_system [SUITE [FLAVOUR]]
#                           the Debian system with DKMS that the upgrade,
#                           system and rpm suites share: sets suite and
#                           flavour (of the upgrade kernel, default
#                           bookworm-backports amd64; FLAVOUR arm64: an
#                           arm64 system and Debian's arm64 kernel of
#                           SUITE), base (its Debian release), cache and
#                           root (the cached chroot)

cg_suite() {
	CG_SUITE_NAME=$1
	CG_SUITE_LOG=$2
}

passed=0 failed=0
pass() {
	passed=$((passed + 1))
	echo "ok - $*"
}
fail() {
	failed=$((failed + 1))
	echo "not ok - $*"
}
cg_summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

cg_vm_lines() {
	grep -E '^(ok|not ok|#|SUITE|ENDSUITE|GUEST kernel|VM)' | grep -v '^# bats'
}

cg_vm_bg() {
	local name=$1 out=$2
	shift 2
	"$(dirname "${BASH_SOURCE[0]}")/vm.sh" "$@" --out "$out/$name" >"$out/$name.out" 2>&1 &
}

cg_vm_judge() {
	cg_vm_lines <"$2/$1.out"
	cg_vm_count "$1" "$2"
}

cg_vm_wait() {
	local out=$1 name
	shift
	wait
	for name; do
		echo "== suite: guest $name"
		cg_vm_judge "$name" "$out"
	done
}

cg_vm_count() {
	local line
	line=$(grep '^VM passed=' "$2/$1.out")
	if [[ $line =~ passed=([0-9]+)\ failed=([0-9]+) ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
	else
		fail "guest $1: no verdict"
	fi
}

cg_host() {
	local name=$1 out=$2 n
	shift 2
	echo "== suite: $name"
	"$@" >"$out/$name.log" 2>&1
	grep -E '^(ok|not ok|#)' "$out/$name.log" | grep -v '^# ok'
	n=$(grep -c '^ok ' "$out/$name.log")
	passed=$((passed + n))
	n=$(grep -c '^not ok ' "$out/$name.log")
	failed=$((failed + n))
	grep -qE '^(ok|not ok) ' "$out/$name.log" || fail "$name: no result (see $out/$name.log)"
}

ok() { echo "ok - $CG_SUITE_NAME: $*"; }
nok() { echo "not ok - $CG_SUITE_NAME: $*"; }

t() {
	local name=$1
	shift
	if "$@" >"$CG_SUITE_LOG" 2>&1; then
		ok "$name"
	else
		nok "$name"
		sed 's/^/#   /' "$CG_SUITE_LOG" | tail -n "${CG_SUITE_TAIL:-25}"
		return 1
	fi
}

cg_chroot() {
	unshare -m --propagation private sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount --rbind /dev "$r/dev"
		exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"' sh "$@"
}

cg_apt() {
	local r=$1
	shift
	cg_chroot "$r" apt-get -y -q -o Dpkg::Use-Pty=0 --no-install-recommends "$@"
}

# cg_suite_chroot SUITE: the cached debootstrap chroot of SUITE's Debian
# release (its own gcc and kbuild), its sources set to SUITE (and its
# backports), package lists at most a day old. Sets root (the chroot) and
# keeps fd 9 locked on it until the caller exits: parallel jobs never
# debootstrap or apt-get in the same chroot at once.
cg_suite_chroot() {
	local suite=$1 base=${1%-backports} cache=${CG_CACHE:-/var/cache/credguard} mirror stale= top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	mirror=$("$top/scripts/mirror.sh")
	root=$cache/chroot/$base
	mkdir -p "$cache/chroot"
	exec 9>"$cache/chroot/.$base.lock"
	flock 9
	if [ ! -x "$root/usr/bin/gcc" ]; then
		"$top/scripts/deps.sh" matrix >&2
		echo "chroot: debootstrap $base (once; cached in $root)" >&2
		rm -rf "$root.tmp"
		debootstrap --variant=minbase --include=gcc,make,libc6-dev,perl,ca-certificates,xz-utils \
			"$base" "$root.tmp" "$mirror" >"$cache/chroot/$base.debootstrap.log" 2>&1 ||
			{ tail -n 30 "$cache/chroot/$base.debootstrap.log" >&2; return 1; }
		# Headers may pull their image in: no initramfs for it, it is
		# not booted from here.
		chroot "$root.tmp" dpkg-divert --local --rename --add /usr/sbin/update-initramfs >&2
		ln -sf /bin/true "$root.tmp/usr/sbin/update-initramfs"
		mv "$root.tmp" "$root"
	fi
	{
		echo "deb $mirror $base main"
		[ "$suite" != "$base" ] && echo "deb $mirror $suite main"
	} >"$root/etc/apt/sources.list.new"
	cmp -s "$root/etc/apt/sources.list.new" "$root/etc/apt/sources.list" || stale=1
	mv "$root/etc/apt/sources.list.new" "$root/etc/apt/sources.list"
	if [ -n "$stale" ] || [ -n "${CG_REFRESH:-}" ] ||
		[ -z "$(find "$root/var/lib/apt/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
		echo "chroot: apt-get update in the $base chroot" >&2
		cg_chroot "$root" apt-get update -qq >&2 || return 1
	fi
	# W=1 builds run kernel-doc, which needs the full perl.
	if ! cg_chroot "$root" dpkg-query -W -f='${Status}' perl 2>/dev/null | grep -q 'install ok installed'; then
		cg_apt "$root" install perl >&2 || return 1
	fi
}

# shellcheck disable=SC2034 # its variables are its result
cg_dkms_system() {
	suite=${1:-bookworm-backports}
	flavour=${2:-amd64}
	base=${suite%-backports}
	cache=${CG_CACHE:-/var/cache/credguard}
	root=$cache/chroot/$base-dkms
	# An arm64 system: its own chroot, arm64 programs run through
	# qemu-user (scripts/deps.sh arm64-system).
	[ "$flavour" = arm64 ] && root=$cache/chroot/$base-arm64-dkms
}
