#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Oracle: `tracekit sched latency --perf-compat` must print exactly what
# Debian's `perf sched latency` prints, and `tracekit sched timehist` what
# `perf sched timehist` prints, on the same perf.data, with the same
# options. Plain diffs, no normalisation.
# Exit 77 (ctest: skipped) when perf is not installed, saying so.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
S="$ROOT/samples"
if ! command -v perf >/dev/null 2>&1 || ! perf version >/dev/null 2>&1; then
	echo "SKIP: perf is not installed (apt-get install linux-perf); oracle not run"
	exit 77
fi
echo "oracle: $(perf version 2>&1)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME"
pass=0 fail=0

# compare NAME "PERF ARGS" "TRACEKIT ARGS" FILE
compare() {
	local name=$1 pargs=$2 targs=$3 f=$4
	# perf's stderr (e.g. "Samples do not have callchains.") is not compared
	perf sched $pargs -i "$f" >"$work/perf.out" 2>/dev/null
	local prc=$?
	$TK sched $targs "$f" >"$work/tk.out" 2>"$work/tk.err"
	local trc=$?
	if [ $prc -ne 0 ] || [ $trc -ne 0 ]; then
		echo "FAIL $name: exit codes perf=$prc tracekit=$trc"
		head -3 "$work/tk.err"
		fail=$((fail + 1))
	elif cmp -s "$work/perf.out" "$work/tk.out"; then
		echo "ok   $name ($(wc -l <"$work/perf.out") lines)"
		pass=$((pass + 1))
	else
		echo "FAIL $name:"
		diff "$work/perf.out" "$work/tk.out" | head -20
		fail=$((fail + 1))
	fi
}

# file, two busy threads, the workload's pid, a time window inside the file
for spec in "perf-sched.data 3174 3175 3172 170.25 170.35" \
	    "perf-sched-mig.data 15837 15838 15835 8600.9 8601.1"; do
	set -- $spec
	f=$1 TID1=$2 TID2=$3 PID1=$4 T1=$5 T2=$6
	[ -e "$S/$f" ] || { echo "FAIL $f: sample missing"; fail=$((fail + 1)); continue; }
	P="$S/$f"
	compare "$f latency" "latency" "latency --perf-compat" "$P"
	compare "$f latency -p" "latency -p" "latency --perf-compat -p" "$P"
	for k in max runtime switch pid avg,runtime "switch,pid" "runtime,max,avg"; do
		compare "$f latency -s $k" "latency -s $k" "latency --perf-compat -s $k" "$P"
	done
	compare "$f latency -p -s pid" "latency -p -s pid" "latency --perf-compat -p -s pid" "$P"
	for o in "" "-s" "-S" "-w" "-M" "-S -M" "-w -M" "-s -M" "-C 0" "-C 1 -S" "-t $TID1,$TID2 -S" "-p $PID1 -s"; do
		compare "$f timehist $o" "timehist $o" "timehist $o" "$P"
	done
	compare "$f timehist --time" "timehist --time $T1,$T2" "timehist --from $T1 --to $T2" "$P"
	compare "$f timehist -S --time" "timehist -S --time $T1,$T2" "timehist -S --from $T1 --to $T2" "$P"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
