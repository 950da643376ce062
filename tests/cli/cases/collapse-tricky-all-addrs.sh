"$TK" collapse --all --addrs "$GOLDEN/tricky.perf-script.txt" > out 2>err && diff -u "$GOLDEN/tricky.all-addrs.folded" out
