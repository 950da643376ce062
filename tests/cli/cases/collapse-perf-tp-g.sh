# Tracepoint lines end in their payload: the script (and we, by default) keep every event.
gunzip -c "$GOLDEN/perf-tp-g.perf-script.txt.gz" | "$TK" collapse > out && diff -u "$GOLDEN/perf-tp-g.folded" out
