cd "$SAMPLES/bad" && "$TK" stat truncated-data.dat
