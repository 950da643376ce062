#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tracekit sched against its peers on one big trace.dat and one big
# perf.data of sched events (a benchmark, not a test):
#   tracekit sched latency FILE.dat        vs  trace-cmd report FILE.dat
#   tracekit sched latency --perf-compat   vs  perf sched latency (same table?)
#   tracekit sched timehist [-s]           vs  perf sched timehist [-s]
# Prints seconds and peak RSS of each, and the ratios.
# usage: bench/bench-sched.sh [TRACEKIT] [FILE.dat] [FILE.data]
set -u
TK=${1:-build-rel/cli/tracekit}
DAT=${2:-/var/tmp/tk-bench/sched-big.dat}
PDAT=${3:-/var/tmp/tk-bench/sched-big.data}
for f in "$TK" "$DAT" "$PDAT"; do
	[ -e "$f" ] || { echo "missing: $f"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "$DAT" "$PDAT" >/dev/null	# warm the page cache

# run NAME CMD...: stdout to $work/NAME.out, "seconds rss_kb" to $work/NAME.t
run() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$work/$name.t" "$@" >"$work/$name.out" 2>/dev/null
	read -r s k <"$work/$name.t"
	printf "  %-28s %7.2f s %8d KB\n" "$name" "$s" "$k"
}
secs() { cut -d' ' -f1 "$work/$1.t"; }
ratio() { awk -v a="$(secs "$1")" -v b="$(secs "$2")" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }

echo "trace.dat: $DAT ($(stat -c %s "$DAT") bytes)"
run trace-cmd-report trace-cmd report "$DAT"
run tk-latency-dat "$TK" sched latency "$DAT"
echo "  sched latency vs trace-cmd report: $(ratio trace-cmd-report tk-latency-dat) faster"
echo "perf.data: $PDAT ($(stat -c %s "$PDAT") bytes)"
run perf-latency perf sched latency -i "$PDAT"
run tk-latency-perf-compat "$TK" sched latency --perf-compat "$PDAT"
run tk-latency-pdat "$TK" sched latency "$PDAT"
cmp -s "$work/perf-latency.out" "$work/tk-latency-perf-compat.out" && same=IDENTICAL || same=DIFFERENT
echo "  --perf-compat vs perf sched latency: $(ratio perf-latency tk-latency-perf-compat), table $same"
run perf-timehist-s perf sched timehist -s -i "$PDAT"
run tk-timehist-s "$TK" sched timehist -s "$PDAT"
cmp -s "$work/perf-timehist-s.out" "$work/tk-timehist-s.out" && same=IDENTICAL || same=DIFFERENT
echo "  timehist -s: $(ratio perf-timehist-s tk-timehist-s), summary $same"
