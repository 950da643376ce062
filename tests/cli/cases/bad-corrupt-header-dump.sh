cd "$SAMPLES/bad" && "$TK" dump corrupt-header.dat
