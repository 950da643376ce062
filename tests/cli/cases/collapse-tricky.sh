"$TK" collapse "$GOLDEN/tricky.perf-script.txt" > out 2>err && diff -u "$GOLDEN/tricky.folded" out
