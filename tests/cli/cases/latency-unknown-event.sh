cd "$SAMPLES" && "$TK" latency --start sched_wakeup --end sched_nope perf-tp-g.data
