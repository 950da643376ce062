cd "$SAMPLES" && "$TK" hist -e sched:sched_switch -k prev_pid --json perf-tp-g.data
