"$TK" sched latency "$SAMPLES/sched-v6.dat" --off-cpu /nonexistent/dir/x.folded > /dev/null
