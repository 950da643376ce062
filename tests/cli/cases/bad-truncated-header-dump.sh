cd "$SAMPLES/bad" && "$TK" dump truncated-header.dat
