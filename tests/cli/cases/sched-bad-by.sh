"$TK" sched latency --by foo "$SAMPLES/perf-sched.data"
