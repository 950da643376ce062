cd "$SAMPLES/bad" && "$TK" dump truncated-data.dat
