#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build (once; cached) the sanitize tier's kernel: Debian's own
# linux-source-6.1 (the source of the stock 6.1 kernel) with
# x86_64_defconfig and tests/sanitize/kernel.config merged over it (QEMU
# only; KASAN, lockdep, kmemleak, UBSAN, KFENCE, DEBUG_OBJECTS, ...).
#   scripts/sanitize-kernel.sh
# Prints the kernel build tree (external modules build with make -C TREE;
# its arch/x86/boot/bzImage is the image, its include/config/kernel.release
# the release). Cached in $CG_CACHE/sanitize/SRCVERSION-CONFIGHASH
# (CG_CACHE default /var/cache/credguard); a new source package or a changed
# fragment builds anew. CG_JOBS (default 2) and nice 10: the machine is
# shared.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${CG_CACHE:-/var/cache/credguard}
frag=$top/tests/sanitize/kernel.config
jobs=${CG_JOBS:-2}

log() { echo "sanitize-kernel: $*" >&2; }

need=()
for p in linux-source-6.1 flex bison bc libelf-dev libssl-dev gcc make xz-utils; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || { log "missing packages: ${need[*]} (run as root, or install them)"; exit 1; }
	log "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
		{ apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends "${need[@]}" >&2; }
fi
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
hash=$(sha256sum "$frag" | cut -c1-12)
dir=$cache/sanitize/$srcver-$hash
mkdir -p "$cache/sanitize"
exec 9>"$cache/sanitize/.lock"
flock 9

if [ -s "$dir/arch/x86/boot/bzImage" ] && [ -e "$dir/.cg-done" ]; then
	echo "$dir"
	exit 0
fi
start=$SECONDS
if [ ! -e "$dir/.cg-unpacked" ]; then
	log "unpacking linux-source-$srcver into $dir"
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xaf /usr/src/linux-source-6.1.tar.xz -C "$dir" --strip-components=1
	touch "$dir/.cg-unpacked"
fi
cd "$dir"
kmake() { nice -n 10 make -s -j"$jobs" "$@"; }
kmake x86_64_defconfig >&2
scripts/kconfig/merge_config.sh -m .config "$frag" >merge.log 2>&1 ||
	{ cat merge.log >&2; exit 1; }
kmake olddefconfig >&2
# Every line of the fragment must have survived olddefconfig.
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF "$line" .config || { log "not in .config: $line"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" .config || { log "still set: $opt"; bad=1; }
		;;
	esac
done <"$frag"
[ $bad -eq 0 ] || exit 1
log "building with -j$jobs (nice 10; KASAN: this takes a while)"
kmake bzImage modules >build.log 2>&1 || { tail -n 40 build.log >&2; exit 1; }
kmake modules_prepare >>build.log 2>&1
touch .cg-done
log "built in $((SECONDS - start))s"
echo "$dir"
