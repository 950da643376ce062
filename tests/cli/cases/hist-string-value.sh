cd "$SAMPLES" && "$TK" hist -e sched_switch -k prev_pid -v prev_comm perf-tp-g.data
