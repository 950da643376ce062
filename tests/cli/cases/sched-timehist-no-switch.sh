cd "$SAMPLES" && "$TK" sched timehist -s perf-g.data
