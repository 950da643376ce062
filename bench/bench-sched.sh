#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/bench-sched.sh - scheduler analysis: tracekit vs trace-cmd report and perf sched.
#
# Not a test. Records (or reuses) one switch-heavy workload with trace-cmd record and
# perf sched record AT THE SAME TIME, so the trace.dat (>= 200 MB) and the perf.data
# hold the same scheduling, then times, best of N warm runs:
#   tracekit sched latency + collapse --off-cpu in one pass over the trace.dat
#   trace-cmd report on the trace.dat              (target: tracekit >= 3x faster)
#   perf sched latency on the perf.data            (target: tracekit >= 5x faster)
#   tracekit sched latency --perf-compat on the perf.data (for reference)
# and prints seconds, peak RSS and the ratios. Run as root: bash bench/bench-sched.sh
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
. "$SCRIPT_DIR/lib.sh"

SCRATCH=/var/tmp/tk-bench
RUNS=3
MIN_MB=200
DURATION=8
BUILD_DIR="$REPO/build-bench"
TRACEKIT=
DO_BUILD=1

usage() {
	cat <<EOF
usage: bash bench/bench-sched.sh [options]          (as root)

  --runs N          timed runs per command, best wall time shown [$RUNS]
  --scratch DIR     recordings and logs [$SCRATCH]; sched-big.dat/.data are reused
  --min-mb MB       minimum trace.dat size [$MIN_MB]
  --duration SEC    length of the first recording attempt [$DURATION]
  --tracekit PATH   tracekit binary (skips the build)
  --no-build        use BUILD_DIR/cli/tracekit as is
  -h, --help        this help

Needs root, trace-cmd, perf (linux-perf), /usr/bin/time (time), cmake, gcc.
About 600 MB of disk in the scratch dir.
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--runs) RUNS=${2:?}; shift 2 ;;
	--scratch) SCRATCH=${2:?}; shift 2 ;;
	--min-mb) MIN_MB=${2:?}; shift 2 ;;
	--duration) DURATION=${2:?}; shift 2 ;;
	--tracekit) TRACEKIT=${2:?}; DO_BUILD=0; shift 2 ;;
	--no-build) DO_BUILD=0; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "bench-sched.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
done

for t in trace-cmd perf; do
	command -v "$t" >/dev/null 2>&1 || die "$t is missing (apt-get install -y trace-cmd linux-perf)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install -y time)"
[ -z "$TRACEKIT" ] && TRACEKIT="$BUILD_DIR/cli/tracekit"
mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
case "$SCRATCH/" in "$REPO"/*) die "scratch dir must be outside the repo" ;; esac
WORK="$SCRATCH/work"
mkdir -p "$WORK"
bench_trap

if [ "$DO_BUILD" = 1 ]; then
	log "building tracekit (Release) in $BUILD_DIR"
	{ cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release &&
	  cmake --build "$BUILD_DIR" -j2; } >"$SCRATCH/build.log" 2>&1 ||
		{ tail -30 "$SCRATCH/build.log" >&2; die "build failed (log: $SCRATCH/build.log)"; }
fi
[ -x "$TRACEKIT" ] || die "tracekit binary not found: $TRACEKIT"

DAT="$SCRATCH/sched-big.dat"
PDATA="$SCRATCH/sched-big.data"
# The events perf sched record enables (perf 6.1), so both files hold the same kinds.
EVENTS=(sched:sched_switch sched:sched_stat_runtime sched:sched_process_fork
	sched:sched_wakeup_new sched:sched_migrate_task sched:sched_waking sched:sched_wakeup
	sched:sched_process_exit)

# Workload: perf bench sched pipe (two tasks ping-ponging through pipes: ~200k sched
# events/s here) beside the busy sample workload (threads, futexes, forks).
record_both() {
	local dur=$1 e tc_args=() busy="$WORK/busy"
	for e in "${EVENTS[@]}"; do tc_args+=(-e "$e"); done
	cp "$REPO/samples/workloads/busy.c" "$REPO/samples/workloads/Makefile" "$WORK/"
	make -s -C "$WORK" busy >/dev/null
	rm -f "$DAT.tmp" "$PDATA.tmp"
	trace-cmd record --file-version 6 -b 40000 -T "${tc_args[@]}" -o "$DAT.tmp" \
		>"$SCRATCH/record-tc.log" 2>&1 &
	BENCH_BG_PIDS+=($!)
	perf sched record -g -m 16M -o "$PDATA.tmp" >"$SCRATCH/record-perf.log" 2>&1 &
	BENCH_BG_PIDS+=($!)
	sleep 3		# both recorders armed
	log "workload for ${dur}s"
	( "$busy" -t 4 -d $((dur * 1000)) >/dev/null & perf bench sched pipe -T -l 100000000 >/dev/null 2>&1 &
	  sleep "$dur"; kill %2 2>/dev/null; wait ) || true
	local p
	for p in "${BENCH_BG_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	for p in "${BENCH_BG_PIDS[@]}"; do wait "$p" || true; done
	BENCH_BG_PIDS=()
	[ -s "$DAT.tmp" ] || { tail "$SCRATCH/record-tc.log" >&2; die "trace-cmd record wrote nothing"; }
	[ -s "$PDATA.tmp" ] || { tail "$SCRATCH/record-perf.log" >&2; die "perf sched record wrote nothing"; }
}

if [ -s "$DAT" ] && [ -s "$PDATA" ]; then
	log "reusing $DAT ($(mb "$(file_size "$DAT")") MB) and $PDATA ($(mb "$(file_size "$PDATA")") MB)"
else
	bench_trace_setup
	dur=$DURATION
	for attempt in 1 2 3; do
		log "recording (attempt $attempt, ${dur}s, need >= $MIN_MB MB)"
		record_both "$dur"
		size=$(file_size "$DAT.tmp")
		log "trace.dat $(mb "$size") MB, perf.data $(mb "$(file_size "$PDATA.tmp")") MB"
		if [ "$size" -ge $((MIN_MB * 1048576)) ]; then break; fi
		dur=$(awk -v d="$dur" -v s="$size" -v m="$MIN_MB" 'BEGIN { n = d * m * 1048576 / (s > 0 ? s : 1) * 1.2; if (n < d + 2) n = d + 2; printf "%d", n + 0.999 }')
	done
	[ "$(file_size "$DAT.tmp")" -ge $((MIN_MB * 1048576)) ] || die "could not record $MIN_MB MB"
	mv "$DAT.tmp" "$DAT"
	mv "$PDATA.tmp" "$PDATA"
	bench_untrace
fi
cat "$DAT" "$PDATA" >/dev/null	# warm the page cache

echo
echo "tracekit:  $TRACEKIT (git $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "machine:   $(uname -srm), $(nproc) CPUs; runs per command: $RUNS (best wall time shown)"
echo "trace.dat: $DAT ($(mb "$(file_size "$DAT")") MB, $("$TRACEKIT" stat "$DAT" | sed -n 's/^events: *//p') events)"
echo "perf.data: $PDATA ($(mb "$(file_size "$PDATA")") MB)"
bench_idle_check
echo

OFF="$SCRATCH/offcpu.folded"
declare -A SEC RSS CPU ALL
for ((r = 1; r <= RUNS; r++)); do
	log "timing round $r of $RUNS"
	bench_measure onepass "$TRACEKIT" sched latency "$DAT" --off-cpu "$OFF"
	bench_measure tklat "$TRACEKIT" sched latency "$DAT"
	bench_measure tcr trace-cmd report "$DAT"
	bench_measure psl perf sched latency -i "$PDATA"
	bench_measure tkpc "$TRACEKIT" sched latency --perf-compat "$PDATA"
	bench_measure pth perf sched timehist -s -i "$PDATA"
	bench_measure tkth "$TRACEKIT" sched timehist -s "$PDATA"
done

# the perf-compat table and timehist summary must equal perf's
"$TRACEKIT" sched latency --perf-compat "$PDATA" >"$SCRATCH/tk-psl.txt"
perf sched latency -i "$PDATA" >"$SCRATCH/perf-psl.txt" 2>/dev/null
cmp -s "$SCRATCH/tk-psl.txt" "$SCRATCH/perf-psl.txt" && same_l=IDENTICAL || same_l=DIFFERENT
"$TRACEKIT" sched timehist -s "$PDATA" >"$SCRATCH/tk-th.txt"
perf sched timehist -s -i "$PDATA" >"$SCRATCH/perf-th.txt" 2>/dev/null
cmp -s "$SCRATCH/tk-th.txt" "$SCRATCH/perf-th.txt" && same_t=IDENTICAL || same_t=DIFFERENT

row() { printf '| %-58s | %8s | %11s |\n' "$1" "${SEC[$2]}" "$(rssmb "${RSS[$2]}")"; }
printf '| %-58s | %8s | %11s |\n' command seconds "peak RSS MB"
printf '|%s|%s|%s|\n' ------------------------------------------------------------ ---------- -------------
row "tracekit sched latency DAT --off-cpu OUT (one pass)" onepass
row "tracekit sched latency DAT" tklat
row "trace-cmd report DAT" tcr
row "perf sched latency -i DATA" psl
row "tracekit sched latency --perf-compat DATA" tkpc
row "perf sched timehist -s -i DATA" pth
row "tracekit sched timehist -s DATA" tkth
echo
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
mark() { if "$@"; then echo PASS; else echo MISS; fi; }
r1=$(ratio "${SEC[tcr]}" "${SEC[onepass]}")
r2=$(ratio "${SEC[psl]}" "${SEC[onepass]}")
r3=$(ratio "${SEC[psl]}" "${SEC[tkpc]}")
r4=$(ratio "${SEC[pth]}" "${SEC[tkth]}")
printf '| %-62s | %8s | %-9s | %-6s |\n' measure value target result
printf '|%s|%s|%s|%s|\n' ---------------------------------------------------------------- ---------- ----------- --------
printf '| %-62s | %7sx | %-9s | %-6s |\n' "trace-cmd report DAT / one pass on DAT" "$r1" ">= 3x" "$(mark ge "$r1" 3)"
printf '| %-62s | %7sx | %-9s | %-6s |\n' "perf sched latency DATA / one pass on DAT" "$r2" ">= 5x" "$(mark ge "$r2" 5)"
printf '| %-62s | %8s | %-9s | %-6s |\n' "one pass peak RSS MB" "$(rssmb "${RSS[onepass]}")" "< 64 MB" "$(mark awk -v k="${RSS[onepass]}" 'BEGIN { exit !(k < 64 * 1024) }')"
printf '| %-62s | %7sx | %-9s | %-6s |\n' "(info) perf sched latency / tracekit --perf-compat, DATA" "$r3" "-" "-"
printf '| %-62s | %7sx | %-9s | %-6s |\n' "(info) perf sched timehist -s / tracekit timehist -s, DATA" "$r4" "-" "-"
echo
echo "--perf-compat table vs perf sched latency: $same_l; timehist -s vs perf: $same_t"
echo "off-CPU folded stacks of the one pass: $OFF ($(wc -l <"$OFF") stacks)"
