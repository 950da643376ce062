cd "$SAMPLES" && "$TK" latency --start sched_wakeup --end sched_switch --match pid=next_pid --by syscall perf-tp-g.data
