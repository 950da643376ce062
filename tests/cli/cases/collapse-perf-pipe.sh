"$TK" collapse "$GOLDEN/perf-pipe.perf-script.txt" > out && diff -u "$GOLDEN/perf-pipe.folded" out
