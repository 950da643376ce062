"$TK" collapse --kernel "$GOLDEN/perf-ag.perf-script.txt" > out && diff -u "$GOLDEN/perf-ag.kernel.folded" out
