cd "$SAMPLES/bad" && "$TK" stat latency.dat
