"$TK" collapse --tid "$GOLDEN/tricky.perf-script.txt" > out 2>err && diff -u "$GOLDEN/tricky.tid.folded" out
