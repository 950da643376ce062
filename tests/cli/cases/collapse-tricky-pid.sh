"$TK" collapse --pid "$GOLDEN/tricky.perf-script.txt" > out 2>err && diff -u "$GOLDEN/tricky.pid.folded" out
