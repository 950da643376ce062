"$TK" sched latency --perf-compat -s bogus "$SAMPLES/perf-sched.data"
