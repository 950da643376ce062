# No FILE: standard input, here a pipe.
cat "$GOLDEN/perf-g.perf-script.txt" | "$TK" collapse --annotate-kernel > out && diff -u "$GOLDEN/perf-g.kernel.folded" out
