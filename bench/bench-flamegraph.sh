#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/bench-flamegraph.sh - folded stacks to an SVG: tracekit flamegraph
# against flamegraph.pl on the same generated input, with their frames
# compared (tests/oracle/flamegraph-frames.sh --extract).
#
# Not a test. The input is made by awk, the same on every machine: STACKS
# distinct stacks of depth 5 (7 processes, 50 x 40 x 30 callers, one leaf
# each), count 1, which is the worst case for --minwidth: almost every leaf
# is too narrow to draw.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
SCRATCH=/var/tmp/tk-bench-flame
STACKS=300000
RUNS=2
FLAMEGRAPH=
TRACEKIT=
BUILD_DIR="$REPO/build-bench"

usage() {
	cat <<EOF
usage: bash bench/bench-flamegraph.sh --flamegraph DIR [options]

  --flamegraph DIR  a FlameGraph checkout, or its bare git directory (not part
                    of tracekit: get github.com/brendangregg/FlameGraph yourself)
  --stacks N        distinct stacks in the input [$STACKS]
  --runs N          timed runs per command, best wall time shown [$RUNS]
  --scratch DIR     scratch dir [$SCRATCH]
  --tracekit PATH   tracekit binary (skips the Release build in $BUILD_DIR)
  -h, --help        this help
EOF
}
die() { echo "bench-flamegraph.sh: error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case "$1" in
	--flamegraph) FLAMEGRAPH=${2:?}; shift 2 ;;
	--stacks) STACKS=${2:?}; shift 2 ;;
	--runs) RUNS=${2:?}; shift 2 ;;
	--scratch) SCRATCH=${2:?}; shift 2 ;;
	--tracekit) TRACEKIT=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[ -n "$FLAMEGRAPH" ] || { usage >&2; die "--flamegraph DIR is required"; }
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install -y time"
mkdir -p "$SCRATCH"

FG="$SCRATCH/flamegraph.pl"
if [ -f "$FLAMEGRAPH/flamegraph.pl" ]; then
	cp "$FLAMEGRAPH/flamegraph.pl" "$FG"
else
	git --git-dir="$FLAMEGRAPH" show HEAD:flamegraph.pl >"$FG" || die "no flamegraph.pl in $FLAMEGRAPH"
fi
if [ -z "$TRACEKIT" ]; then
	echo "== building tracekit (Release) in $BUILD_DIR" >&2
	cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >"$SCRATCH/build.log" 2>&1
	cmake --build "$BUILD_DIR" -j2 --target tracekit >>"$SCRATCH/build.log" 2>&1 ||
		die "build failed ($SCRATCH/build.log)"
	TRACEKIT="$BUILD_DIR/cli/tracekit"
fi

IN="$SCRATCH/in.folded"
awk -v n="$STACKS" 'BEGIN { s = 1; for (i = 0; i < n; i++) { s = (s * 69069 + 1) % 4294967296
	printf "p%d;a%d;b%d;c%d;d%d 1\n", s % 7, int(s / 7) % 50, int(s / 350) % 40, int(s / 14000) % 30, i } }' >"$IN"

best() {	# best NAME OUT CMD...: best wall time and its peak RSS
	local name=$1 out=$2 i t rss bt=999999 brss=0
	shift 2
	for i in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$SCRATCH/time.txt" "$@" >"$out" 2>/dev/null || die "$name failed"
		read -r t rss <"$SCRATCH/time.txt"
		if awk -v a="$t" -v b="$bt" 'BEGIN { exit !(a < b) }'; then bt=$t; brss=$rss; fi
	done
	echo "$name $bt $brss"
}

{
	best tracekit "$SCRATCH/tk.svg" "$TRACEKIT" flamegraph "$IN"
	best flamegraph.pl "$SCRATCH/fg.svg" perl "$FG" "$IN"
} >"$SCRATCH/results.txt"
bash "$REPO/tests/oracle/flamegraph-frames.sh" --extract "$SCRATCH/tk.svg" >"$SCRATCH/tk.frames"
bash "$REPO/tests/oracle/flamegraph-frames.sh" --extract "$SCRATCH/fg.svg" >"$SCRATCH/fg.frames"
if cmp -s "$SCRATCH/tk.frames" "$SCRATCH/fg.frames"; then
	same="identical ($(wc -l <"$SCRATCH/tk.frames") frames)"
else
	same="DIFFERENT ($(diff "$SCRATCH/tk.frames" "$SCRATCH/fg.frames" | grep -c '^[<>]') lines)"
fi
awk -v same="$same" -v n="$STACKS" -v tk="$(stat -c %s "$SCRATCH/tk.svg")" -v fg="$(stat -c %s "$SCRATCH/fg.svg")" '
	{ t[$1] = $2; r[$1] = $3 }
	END {
		printf "%d stacks; frames of the two SVGs: %s; SVG bytes %d (tracekit), %d (flamegraph.pl)\n\n", n, same, tk, fg
		printf "%-14s %8s %12s %7s\n", "command", "seconds", "peak RSS MB", "ratio"
		for (k in t) printf "%-14s %8.2f %12.1f %6.1fx\n", k, t[k], r[k] / 1024, t[k] / t["tracekit"]
	}' "$SCRATCH/results.txt"
