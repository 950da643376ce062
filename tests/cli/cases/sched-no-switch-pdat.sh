cd "$SAMPLES" && "$TK" sched latency perf-g.data
