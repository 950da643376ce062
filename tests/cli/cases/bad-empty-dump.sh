cd "$SAMPLES/bad" && "$TK" dump empty.dat
