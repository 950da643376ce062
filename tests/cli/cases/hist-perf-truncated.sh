cd "$SAMPLES/bad" && "$TK" hist -k prev_pid perf-truncated.data
