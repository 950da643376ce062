"$TK" collapse "$GOLDEN/perf-z.perf-script.txt" > out && diff -u "$GOLDEN/perf-z.folded" out
