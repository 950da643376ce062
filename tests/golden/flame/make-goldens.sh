#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerate the flame graph goldens from flamegraph.pl (run by hand, not by
# the tests): make-goldens.sh FLAMEGRAPH_PL. For each line of CASES it runs
#   perl FLAMEGRAPH_PL OPTIONS INPUT > (temporary SVG)
# and keeps only the parsed frames (tests/oracle/flamegraph-frames.sh
# --extract) as NAME.frames. FlameGraph is CDDL; its SVGs and script are
# not kept in this tree. Record the FlameGraph commit in tests/golden/MANIFEST.
set -eu
fg=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while read -r name input opts; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	# Run where a stray palette.map cannot be picked up; its "low count" warnings are noise.
	(cd "$tmp" && perl "$fg" $opts "$here/$input" >"$tmp/$name.svg" 2>/dev/null)
	bash "$here/../../oracle/flamegraph-frames.sh" --extract "$tmp/$name.svg" >"$here/$name.frames"
	echo "$name: $(wc -l <"$here/$name.frames") frames"
done <"$here/CASES"
