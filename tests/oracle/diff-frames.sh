#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Differential flame graphs against difffolded.pl + flamegraph.pl
# (tests/golden/diff/): diff-frames.sh TRACEKIT ROOT.
#
# For each case "NAME A B DFLAGS / FGFLAGS" of tests/golden/diff/CASES:
#  - `tracekit diff --folded DFLAGS A B` must print NAME.folded byte for byte
#    (difffolded.pl's lines, sorted: made by make-goldens.sh);
#  - `tracekit diff DFLAGS FGFLAGS A B` must draw the frames flamegraph.pl
#    draws for difffolded.pl's output (NAME.frames), compared as
#    flamegraph-frames.sh compares them: titles (with the "; +P%" change) and
#    fills (the red/blue scale) exact, numbers within 0.1;
#  - two runs give the same bytes, and the SVG is well-formed (xmllint, when
#    installed).
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
dir="$ROOT/tests/golden/diff"
frames="$ROOT/tests/oracle/flamegraph-frames.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0 fail=0
xmllint=$(command -v xmllint || true)
[ -n "$xmllint" ] || echo "note: xmllint not installed; SVGs not validated (scripts/deps.sh installs it)"
while read -r name a b rest; do
	case "$name" in ''|'#'*) continue ;; esac
	dflags=${rest%%/*}
	fgflags=${rest#*/}
	why=
	# shellcheck disable=SC2086 # flags are words
	if ! "$TK" diff --folded $dflags "$dir/$a" "$dir/$b" >"$scratch/$name.folded" 2>"$scratch/err"; then
		why="tracekit diff --folded failed: $(head -c 300 "$scratch/err")"
	elif ! cmp -s "$scratch/$name.folded" "$dir/$name.folded"; then
		why="folded lines differ: $(diff "$scratch/$name.folded" "$dir/$name.folded" | head -3 | tr '\n' ' ')"
	elif ! "$TK" diff $dflags $fgflags "$dir/$a" "$dir/$b" >"$scratch/$name.svg" 2>"$scratch/err"; then
		why="tracekit diff failed: $(head -c 300 "$scratch/err")"
	elif ! "$TK" diff $dflags $fgflags "$dir/$a" "$dir/$b" 2>/dev/null | cmp -s - "$scratch/$name.svg"; then
		why="two runs gave different SVGs"
	elif [ -n "$xmllint" ] && ! "$xmllint" --noout "$scratch/$name.svg" 2>"$scratch/err"; then
		why="xmllint: $(head -c 300 "$scratch/err")"
	else
		bash "$frames" --extract "$scratch/$name.svg" >"$scratch/$name.frames"
		why=$(bash "$frames" --compare "$scratch/$name.frames" "$dir/$name.frames")
	fi
	if [ -z "$why" ]; then
		echo "ok   $name ($(wc -l <"$dir/$name.folded") lines, $(wc -l <"$dir/$name.frames") frames)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $why"
		fail=$((fail + 1))
	fi
done <"$dir/CASES"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
