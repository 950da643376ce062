"$TK" sched latency --cpu x "$SAMPLES/perf-sched.data"
