cd "$SAMPLES" && "$TK" latency --start sched_wakeup --end sched_switch --match comm=next_pid perf-tp-g.data
