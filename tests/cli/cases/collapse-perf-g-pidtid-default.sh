"$TK" collapse "$GOLDEN/perf-g-pidtid.perf-script.txt" > out && diff -u "$GOLDEN/perf-g.folded" out
