# --off-cpu needs sched_switch: a clear message, for trace.dat and perf.data.
cd "$SAMPLES" && "$TK" collapse --off-cpu syscalls-stack.dat
echo "exit $?"
"$TK" collapse --off-cpu perf-g.data
