# Without the payload the event ends the header line: only the first event type is kept.
gunzip -c "$GOLDEN/perf-tp-g-notrace.perf-script.txt.gz" | "$TK" collapse - > out && diff -u "$GOLDEN/perf-tp-g-notrace.folded" out
