cd "$SAMPLES/bad" && "$TK" dump bad-version.dat
