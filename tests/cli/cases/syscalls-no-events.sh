cd "$SAMPLES" && "$TK" syscalls perf-sched.data
