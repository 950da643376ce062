"$TK" collapse --tid --annotate-kernel "$GOLDEN/perf-ag-pidtid.perf-script.txt" > out && diff -u "$GOLDEN/perf-ag.tid-kernel.folded" out
