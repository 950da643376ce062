#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CLI test runner (zstd's cli-tests idea). Each case tests/cli/cases/NAME.sh is
# run with bash in a scratch directory, with TK (the tracekit binary),
# SAMPLES and GOLDEN set. Expectations beside it:
#   NAME.exit          expected exit status (default 0)
#   NAME.stdout        exact stdout
#   NAME.stdout.grep   extended regexps, one per line, each must match stdout
#   NAME.stderr        exact stderr (default: must be empty)
#   NAME.stderr.grep   regexps for stderr
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
export TK SAMPLES="$ROOT/samples" GOLDEN="$ROOT/tests/golden"
dir="$ROOT/tests/cli/cases"
pass=0 fail=0
for case in "$dir"/*.sh; do
	name=$(basename "$case" .sh)
	scratch=$(mktemp -d)
	# An empty HOME: perf.data symbols are also looked up in $HOME/.debug
	# (perf's build-id cache), which would make results depend on the machine.
	(cd "$scratch" && HOME="$scratch" timeout 120 bash "$case" >"$scratch/.out" 2>"$scratch/.err")
	status=$?
	want=0
	[ -f "$dir/$name.exit" ] && want=$(cat "$dir/$name.exit")
	why=""
	[ "$status" = "$want" ] || why="exit $status, expected $want"
	if [ -z "$why" ] && [ -f "$dir/$name.stdout" ] && ! cmp -s "$dir/$name.stdout" "$scratch/.out"; then
		why="stdout differs: $(diff "$dir/$name.stdout" "$scratch/.out" | head -5 | tr '\n' '|')"
	fi
	if [ -z "$why" ] && [ -f "$dir/$name.stdout.grep" ]; then
		while IFS= read -r re; do
			[ -z "$re" ] && continue
			grep -Eq -- "$re" "$scratch/.out" || { why="stdout lacks /$re/"; break; }
		done <"$dir/$name.stdout.grep"
	fi
	if [ -z "$why" ]; then
		if [ -f "$dir/$name.stderr" ]; then
			cmp -s "$dir/$name.stderr" "$scratch/.err" ||
				why="stderr differs: got '$(head -c 300 "$scratch/.err")'"
		elif [ -f "$dir/$name.stderr.grep" ]; then
			while IFS= read -r re; do
				[ -z "$re" ] && continue
				grep -Eq -- "$re" "$scratch/.err" || { why="stderr lacks /$re/"; break; }
			done <"$dir/$name.stderr.grep"
		elif [ -s "$scratch/.err" ]; then
			why="unexpected stderr: $(head -c 300 "$scratch/.err")"
		fi
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name: $why"
	fi
	rm -rf "$scratch"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
