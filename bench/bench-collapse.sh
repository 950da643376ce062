#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/bench-collapse.sh - folded stacks from a big perf.data: tracekit
# against the pipelines people use today, in one run, with ratios.
#
# Not a test. Records (or reuses) a >= 200 MB perf.data with callchains, then
# times, best of N with a warm page cache (/usr/bin/time -v for peak RSS):
#   tracekit collapse FILE
#   perf script -i FILE | perl stackcollapse-perf.pl      (FlameGraph)
#   perf report -i FILE -g folded --stdio                 (perf's own folding)
# and checks that tracekit's folded output equals stackcollapse-perf.pl's.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
SCRATCH=/var/tmp/tk-bench
RUNS=2
MIN_MB=200
DURATION=40
INPUT=
FLAMEGRAPH=${FLAMEGRAPH:-}
BUILD_DIR="$REPO/build-bench"
TRACEKIT=

usage() {
	cat <<EOF
usage: bash bench/bench-collapse.sh --flamegraph DIR [options]     (as root)

  --flamegraph DIR  a FlameGraph checkout, or its bare git directory (not part
                    of tracekit: get github.com/brendangregg/FlameGraph yourself)
  --input FILE      a perf.data with callchains (default: record SCRATCH/perf-big.data)
  --runs N          timed runs per command, best wall time shown [$RUNS]
  --scratch DIR     scratch dir [$SCRATCH]
  --min-mb MB       minimum size of the recording [$MIN_MB]
  --duration SEC    first recording attempt length [$DURATION]
  --tracekit PATH   tracekit binary (skips the Release build in $BUILD_DIR)
  -h, --help        this help

Targets (perf.data issue): tracekit collapse >= 20x faster than
perf script | stackcollapse-perf.pl; tracekit peak RSS < 64 MB + unique stacks.
EOF
}
die() { echo "bench-collapse.sh: error: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--flamegraph) FLAMEGRAPH=${2:?}; shift 2 ;;
	--input) INPUT=${2:?}; shift 2 ;;
	--runs) RUNS=${2:?}; shift 2 ;;
	--scratch) SCRATCH=${2:?}; shift 2 ;;
	--min-mb) MIN_MB=${2:?}; shift 2 ;;
	--duration) DURATION=${2:?}; shift 2 ;;
	--tracekit) TRACEKIT=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[ -n "$FLAMEGRAPH" ] || { usage >&2; die "--flamegraph DIR is required"; }
command -v perf >/dev/null || die "perf is missing: apt-get install -y linux-perf"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install -y time"
mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)

# stackcollapse-perf.pl from a checkout or a bare git dir, kept in SCRATCH
SC="$SCRATCH/stackcollapse-perf.pl"
if [ -f "$FLAMEGRAPH/stackcollapse-perf.pl" ]; then
	cp "$FLAMEGRAPH/stackcollapse-perf.pl" "$SC"
else
	git --git-dir="$FLAMEGRAPH" show HEAD:stackcollapse-perf.pl >"$SC" ||
		die "no stackcollapse-perf.pl in $FLAMEGRAPH"
fi

if [ -z "$TRACEKIT" ]; then
	log "building tracekit (Release) in $BUILD_DIR"
	cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >"$SCRATCH/build.log" 2>&1
	cmake --build "$BUILD_DIR" -j2 >>"$SCRATCH/build.log" 2>&1 || die "build failed ($SCRATCH/build.log)"
	TRACEKIT="$BUILD_DIR/cli/tracekit"
fi

if [ -z "$INPUT" ]; then
	INPUT="$SCRATCH/perf-big.data"
	d=$DURATION
	while [ ! -s "$INPUT" ] || [ "$(stat -c %s "$INPUT")" -lt $((MIN_MB << 20)) ]; do
		[ "$d" -gt 400 ] && die "could not record $MIN_MB MB"
		log "recording $INPUT: perf record -a -g -F 20000 for ${d}s (busy workload + find)"
		gcc -O1 -fno-omit-frame-pointer -o "$SCRATCH/busy" "$REPO/samples/workloads/busy.c" -pthread
		( while :; do find / -xdev >/dev/null 2>&1; done ) &
		fpid=$!
		perf record -N -a -g -F 20000 -o "$INPUT" -- "$SCRATCH/busy" -t 4 -w 2 -d $((d * 1000)) \
			>"$SCRATCH/record.log" 2>&1 || true
		kill "$fpid" 2>/dev/null || true
		wait "$fpid" 2>/dev/null || true
		d=$((d * 2))
	done
fi
size=$(stat -c %s "$INPUT")
log "input: $INPUT ($((size >> 20)) MB)"
cat "$INPUT" >/dev/null

# best NAME CMD...: best wall time and its peak RSS over RUNS runs
best() {
	local name=$1 i t rss bt=999999 brss=0
	shift
	for i in $(seq "$RUNS"); do
		/usr/bin/time -v -o "$SCRATCH/time.txt" bash -c "$*" >/dev/null 2>&1 || die "$name failed"
		t=$(awk -F': ' '/Elapsed/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$SCRATCH/time.txt")
		rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$SCRATCH/time.txt")
		if awk -v a="$t" -v b="$bt" 'BEGIN { exit !(a < b) }'; then bt=$t; brss=$rss; fi
	done
	printf '%s %s %s\n' "$name" "$bt" "$brss"
}

log "checking that the folded outputs agree"
HOME_TMP=$(mktemp -d)
HOME=$HOME_TMP "$TRACEKIT" collapse "$INPUT" >"$SCRATCH/tk.folded"
HOME=$HOME_TMP perf script -i "$INPUT" 2>/dev/null | perl "$SC" >"$SCRATCH/fg.folded"
if cmp -s "$SCRATCH/tk.folded" "$SCRATCH/fg.folded"; then
	same="IDENTICAL ($(wc -l <"$SCRATCH/tk.folded") unique stacks)"
else
	same="DIFFERENT ($(diff "$SCRATCH/tk.folded" "$SCRATCH/fg.folded" | grep -c '^[<>]') lines differ)"
fi

log "timing, best of $RUNS"
{
	best tracekit-collapse "HOME=$HOME_TMP '$TRACEKIT' collapse '$INPUT'"
	best perf-script+stackcollapse "HOME=$HOME_TMP perf script -i '$INPUT' 2>/dev/null | perl '$SC'"
	best perf-report-folded "HOME=$HOME_TMP perf report -i '$INPUT' -g folded --stdio 2>/dev/null"
} >"$SCRATCH/results.txt"
cat "$SCRATCH/results.txt" >&2

awk -v same="$same" -v size="$size" '
	{ t[$1] = $2; r[$1] = $3 }
	END {
		printf "input %.0f MB; tracekit collapse vs stackcollapse-perf.pl output: %s\n\n", size / 1048576, same
		printf "%-28s %10s %12s %8s\n", "command", "seconds", "peak RSS MB", "ratio"
		for (k in t) printf "%-28s %10.2f %12.1f %7.1fx\n", k, t[k], r[k] / 1024, t[k] / t["tracekit-collapse"]
		rp = t["perf-script+stackcollapse"] / t["tracekit-collapse"]
		printf "\ntarget >= 20x faster than perf script | stackcollapse-perf.pl: %.1fx %s\n", rp, (rp >= 20 ? "PASS" : "MISS")
		printf "tracekit peak RSS: %.1f MB\n", r["tracekit-collapse"] / 1024
	}' "$SCRATCH/results.txt"
