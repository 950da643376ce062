cd "$SAMPLES/bad" && "$TK" collapse wrong-magic.dat
