# --event compares event names wherever they are: with the payload, the result is the one the
# script gives only on text without it.
gunzip -c "$GOLDEN/perf-tp-g.perf-script.txt.gz" > in.txt
"$TK" collapse --event sched:sched_switch in.txt > out && diff -u "$GOLDEN/perf-tp-g-notrace.switch.folded" out
