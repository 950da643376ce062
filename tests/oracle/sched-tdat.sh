#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tracekit sched latency on a trace.dat against numbers computed here,
# independently, by awk over `trace-cmd report -t` text of the same file:
# per task run time, times scheduled in, delays (first wakeup since the
# task slept, or its switch-out while runnable, to its next switch-in),
# their sum, max and nearest-rank p50/p90/p99/p99.9, migrations and
# preemptions (docs/sched.md gives the rules). Every task of the file is
# compared. Exit 77 (skipped) when trace-cmd is not installed.
set -u
TK=$(realpath "$1")
ROOT=$(realpath "$2")
F="$ROOT/samples/sched-v6.dat"
if ! command -v trace-cmd >/dev/null 2>&1; then
	echo "SKIP: trace-cmd is not installed (apt-get install trace-cmd); oracle not run"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trace-cmd report -t "$F" 2>/dev/null >"$work/report.txt" || { echo "FAIL: trace-cmd report"; exit 1; }

# pid of "comm:pid [prio]" (comm may hold ':' or spaces)
awk -v out="$work/delays.txt" '
function pidof(s,   i) { sub(/ \[[0-9]+\].*$/, "", s); i = match(s, /:[0-9]+$/); return substr(s, i + 1) + 0 }
function tsns(s) { sub(/:$/, "", s); split(s, p, "."); return p[1] * 1000000000 + p[2] }
NR == 1 { next }
{
	ts = tsns($3); cpu = substr($2, 2, length($2) - 2) + 0
	if (!started) { first = ts; started = 1 }
	ev = $4
	rest = $0; sub(/^.*: +sched_[a-z_]+: +/, "", rest)
}
ev == "sched_wakeup:" || ev == "sched_wakeup_new:" {
	t = pidof(rest)
	if (t != 0 && !running[t] && !runnable[t]) runnable[t] = ts
	next
}
ev == "sched_switch:" {
	split(rest, lr, " ==> ")
	left = lr[1]; right = lr[2]
	state = left; sub(/^.* \[[0-9]+\] /, "", state)
	prev = pidof(left); next_ = pidof(right)
	if (prev != 0) {
		since = (cpu in cpulast) ? cpulast[cpu] : first
		runtime[prev] += ts - since; seen[prev] = 1
		running[prev] = 0; runnable[prev] = 0
		if (state == "R" || state == "R+") { runnable[prev] = ts; preempt[prev]++ }
		if (!(prev in lastcpu)) lastcpu[prev] = cpu
	}
	if (next_ != 0) {
		seen[next_] = 1; sw[next_]++
		if ((next_ in lastcpu) && lastcpu[next_] != cpu) mig[next_]++
		if (runnable[next_]) {
			d = ts - runnable[next_]; nd[next_]++; sum[next_] += d
			if (nd[next_] == 1 || d > max[next_]) { max[next_] = d; maxs[next_] = runnable[next_] }
			print next_, d > out
		}
		runnable[next_] = 0; running[next_] = 1; lastcpu[next_] = cpu
	}
	cpulast[cpu] = ts
}
END {
	for (t in seen)
		printf "%.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\n", t, runtime[t], sw[t], nd[t], sum[t], max[t], maxs[t], mig[t], preempt[t]
}' "$work/report.txt" | sort -n >"$work/expect-base.txt"

# nearest-rank percentiles per task from the sorted delays
: >"$work/expect.txt"
while read -r tid rt swi nd sum max maxs mig pre; do
	p="0 0 0 0"
	if [ "$nd" -gt 0 ]; then
		p=$(awk -v t="$tid" '$1 == t { print $2 }' "$work/delays.txt" | sort -n |
			awk '{ v[NR] = $1 } END {
				n = NR
				split("500 900 990 999", q, " ")
				for (i = 1; i <= 4; i++) { r = int((q[i] * n + 999) / 1000); if (r < 1) r = 1; printf "%s%.0f", (i > 1 ? " " : ""), v[r] }
			}')
	fi
	[ "$nd" -gt 0 ] || maxs=0
	echo "$tid $rt $swi $nd $sum $p $max $maxs $mig $pre" >>"$work/expect.txt"
done <"$work/expect-base.txt"

# tracekit's CSV: name,id,pid,tasks,runtime,switches,delays,avg,p50,p90,p99,p99_9,max,max_start,max_end,migr,preempt
"$TK" sched latency --csv --sort key "$F" >"$work/tk.csv" || { echo "FAIL: tracekit exit $?"; exit 1; }
# the CSV has avg = floor(sum / n); compare that for the sum
awk -F, 'NR > 1 { printf "%.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\n", $2, $5, $6, $7, $8, $9, $10, $11, $12, $13, ($7 > 0 ? $14 : 0), $16, $17 }' "$work/tk.csv" | sort -n >"$work/got.txt"
awk '{ $5 = ($4 > 0 ? int($5 / $4) : 0); print }' "$work/expect.txt" | sort -n >"$work/want.txt"
n=$(wc -l <"$work/want.txt")
if cmp -s "$work/want.txt" "$work/got.txt"; then
	echo "ok   sched-v6.dat: $n tasks, run time, switches, delays, p50/p90/p99/p99.9/max, max start, migrations, preemptions"
	exit 0
fi
echo "FAIL sched-v6.dat (tid runtime switches delays avg p50 p90 p99 p99.9 max max_start migr preempt):"
diff "$work/want.txt" "$work/got.txt" | head -20
exit 1
