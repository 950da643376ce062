#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is needed, build, and run the main job on the bundled samples:
# reports and statistics of every sample trace into out/.
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
"$tk" stat samples/sched-v7-zstd.dat
echo
echo "first events of samples/sched-v7-zstd.dat:"
head -5 out/sched-v7-zstd.report.txt
echo
echo "tracekit: wrote $(ls out | wc -l) files for $(ls samples/*.dat | wc -l) samples into out/"
