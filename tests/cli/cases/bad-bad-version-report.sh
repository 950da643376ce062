cd "$SAMPLES/bad" && "$TK" report bad-version.dat
