"$TK" collapse --pid "$GOLDEN/perf-g-pidtid.perf-script.txt" > out && diff -u "$GOLDEN/perf-g.pid.folded" out
