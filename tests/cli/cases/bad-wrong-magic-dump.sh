cd "$SAMPLES/bad" && "$TK" dump wrong-magic.dat
