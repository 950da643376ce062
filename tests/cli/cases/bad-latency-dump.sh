cd "$SAMPLES/bad" && "$TK" dump latency.dat
