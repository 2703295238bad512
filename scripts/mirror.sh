#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the Debian mirror this machine's apt uses (its own sources, read at
# run time: no mirror is written into the tree). CG_MIRROR overrides it.
#   scripts/mirror.sh
set -euo pipefail
if [ -n "${CG_MIRROR:-}" ]; then
	echo "$CG_MIRROR"
	exit 0
fi
uris=$(
	{
		# deb822 .sources: "URIs:" lines of enabled stanzas with Types: deb
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -r "$f" ] || continue
			awk 'BEGIN { RS = ""; FS = "\n" }
			{
				deb = 0; en = 1; u = ""
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
					if ($i ~ /^Enabled:[ \t]*no/) en = 0
					if ($i ~ /^URIs:/) { u = $i; sub(/^URIs:[ \t]*/, "", u) }
				}
				if (deb && en && u != "") { n = split(u, a, /[ \t]+/); for (j = 1; j <= n; j++) print a[j] }
			}' "$f"
		done
		# one-line sources.list
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -n 's/^deb[ \t]\+\(\[[^]]*\][ \t]\+\)\?\([^ \t]\+\).*/\2/p' || true
	} | sed 's,/*$,,'
)
# The main archive: a URI ending in /debian (not the security archive).
mirror=$(echo "$uris" | grep -E '/debian$' | head -n 1 || true)
if [ -z "$mirror" ]; then
	echo "mirror.sh: no Debian archive in this machine's apt sources; set CG_MIRROR" >&2
	exit 1
fi
echo "$mirror"
