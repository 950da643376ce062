cd "$SAMPLES" && "$TK" sched latency bad/truncated-data.dat
