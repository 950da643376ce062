"$TK" collapse --annotate-kernel "$GOLDEN/perf-g.perf-script.txt" > out && diff -u "$GOLDEN/perf-g.kernel.folded" out
