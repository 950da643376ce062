"$TK" sched latency --perf-compat --json "$SAMPLES/perf-sched.data"
