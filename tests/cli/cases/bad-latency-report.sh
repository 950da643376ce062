cd "$SAMPLES/bad" && "$TK" report latency.dat
