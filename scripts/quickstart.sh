#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is needed, build, and run the main job on the bundled samples:
# reports and statistics of every sample trace into out/; for the perf
# samples with callchains their folded stacks and flame graphs; scheduler
# latency, timehist, off-CPU flame graph, syscall summary, a hist and CPU
# timelines of the sched samples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
tk=build/cli/tracekit
mkdir -p out
for f in samples/*.dat; do
	b=$(basename "$f" .dat)
	"$tk" report "$f" >"out/$b.report.txt"
	"$tk" stat "$f" >"out/$b.stat.txt"
	"$tk" stat --json "$f" >"out/$b.stat.json"
done
# perf.data: symbols from the committed kallsyms and workload binary, as on
# the recording machine (samples/README.md)
P="--kallsyms samples/perf-kallsyms.txt --symfs samples/symfs"
for f in samples/perf-*.data; do
	b=$(basename "$f" .data)
	# shellcheck disable=SC2086
	"$tk" report $P "$f" >"out/$b.report.txt"
	"$tk" stat "$f" >"out/$b.stat.txt"
	"$tk" stat --json "$f" >"out/$b.stat.json"
done
for b in perf-g perf-ag perf-tp-g; do
	# shellcheck disable=SC2086
	"$tk" collapse $P "samples/$b.data" >"out/$b.folded"
	"$tk" flamegraph --title "$b.data" "out/$b.folded" >"out/$b.svg"
done
# scheduler and syscall analyses, off-CPU stacks and CPU timelines
for f in samples/sched-v6.dat samples/perf-sched.data; do
	b=$(basename "${f%.*}")
	"$tk" sched latency "$f" >"out/$b.sched-latency.txt"
	"$tk" sched timehist -s "$f" >"out/$b.sched-timehist.txt"
	"$tk" timeline -o "out/$b.timeline.png" "$f"
done
"$tk" sched latency samples/offcpu-stack.dat --off-cpu out/offcpu-stack.offcpu.folded \
	>out/offcpu-stack.sched-latency.txt
"$tk" flamegraph --title "off-CPU time, offcpu-stack.dat" --countname us --colors io \
	out/offcpu-stack.offcpu.folded >out/offcpu-stack.offcpu.svg
"$tk" collapse samples/syscalls-stack.dat >out/syscalls-stack.folded
"$tk" flamegraph --title "syscall kernel stacks" out/syscalls-stack.folded >out/syscalls-stack.svg
"$tk" syscalls samples/syscalls-stack.dat >out/syscalls-stack.syscalls.txt
"$tk" hist -e raw_syscalls:sys_enter -k id.syscall samples/syscalls-stack.dat \
	>out/syscalls-stack.hist.txt
"$tk" stat samples/sched-v7-zstd.dat
echo
echo "first events of samples/sched-v7-zstd.dat:"
head -5 out/sched-v7-zstd.report.txt
echo
echo "first samples of samples/perf-g.data:"
head -8 out/perf-g.report.txt
echo
echo "tracekit: wrote $(ls out | wc -l) files for $(ls samples/*.dat samples/*.data | wc -l) samples into out/"
echo
echo "sched latency of samples/sched-v6.dat (top rows):"
head -8 out/sched-v6.sched-latency.txt
echo
echo "flame graphs: out/perf-g.svg out/perf-ag.svg out/perf-tp-g.svg out/offcpu-stack.offcpu.svg"
echo "              out/syscalls-stack.svg (open in a browser)"
echo "timelines:    out/sched-v6.timeline.png out/perf-sched.timeline.png"
