"$TK" collapse --addrs "$GOLDEN/perf-g.perf-script.txt" > out && diff -u "$GOLDEN/perf-g.addrs.folded" out
