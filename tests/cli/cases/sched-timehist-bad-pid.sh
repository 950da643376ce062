"$TK" sched timehist --pid 12,x "$SAMPLES/perf-sched.data"
