# A perf.data file is collapsed in the same process: the same SVG as through
# `tracekit collapse`, and the frames flamegraph.pl draws from
# stackcollapse-perf.pl's folding of it (tests/golden/flame/ag.frames).
P="--kallsyms $SAMPLES/perf-kallsyms.txt --symfs $SAMPLES/symfs"
# shellcheck disable=SC2086
"$TK" flamegraph $P "$SAMPLES/perf-ag.data" >a.svg
# shellcheck disable=SC2086
"$TK" collapse $P "$SAMPLES/perf-ag.data" | "$TK" flamegraph >b.svg
cmp a.svg b.svg && echo same
bash "$GOLDEN/../oracle/flamegraph-frames.sh" --extract a.svg | cmp - "$GOLDEN/flame/ag.frames" && echo frames
# perf script text too
"$TK" flamegraph "$GOLDEN/perf-ag.perf-script.txt" | cmp - a.svg && echo text
