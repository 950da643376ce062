"$TK" sched timehist -s -w "$SAMPLES/perf-sched.data"
