"$TK" collapse "$GOLDEN/perf-g.perf-script.txt" > out && diff -u "$GOLDEN/perf-g.folded" out
