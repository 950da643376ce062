#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerate the differential goldens (run by hand, not by the tests):
#   make-goldens.sh DIFFFOLDED_PL FLAMEGRAPH_PL
# For each line "NAME A B DFLAGS / FGFLAGS" of CASES:
#   perl DIFFFOLDED_PL DFLAGS A B | LC_ALL=C sort          > NAME.folded
#   perl DIFFFOLDED_PL DFLAGS A B | perl FLAMEGRAPH_PL FGFLAGS > (temporary SVG)
#   flamegraph-frames.sh --extract (that SVG)               > NAME.frames
# difffolded.pl prints its lines in Perl's hash order, which changes from run
# to run; sorted, they are in tracekit's order. FlameGraph is CDDL: its SVGs
# are not kept, only the parsed frames. Record the commit in tests/golden/MANIFEST.
set -eu
df=$(realpath "$1")
fg=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while read -r name a b rest; do
	case "$name" in ''|'#'*) continue ;; esac
	dflags=${rest%%/*}
	fgflags=${rest#*/}
	# shellcheck disable=SC2086 # flags are words
	(cd "$tmp" && perl "$df" $dflags "$here/$a" "$here/$b" 2>/dev/null) >"$tmp/$name.txt"
	LC_ALL=C sort "$tmp/$name.txt" >"$here/$name.folded"
	# shellcheck disable=SC2086
	(cd "$tmp" && perl "$fg" $fgflags "$tmp/$name.txt" >"$tmp/$name.svg" 2>/dev/null)
	bash "$here/../../oracle/flamegraph-frames.sh" --extract "$tmp/$name.svg" >"$here/$name.frames"
	echo "$name: $(wc -l <"$here/$name.folded") lines, $(wc -l <"$here/$name.frames") frames"
done <"$here/CASES"
