"$TK" collapse --tid "$GOLDEN/perf-g-pidtid.perf-script.txt" > out && diff -u "$GOLDEN/perf-g.tid.folded" out
