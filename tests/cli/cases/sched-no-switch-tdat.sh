cd "$SAMPLES" && "$TK" sched latency syscalls-stack.dat
