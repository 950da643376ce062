cd "$SAMPLES/bad" && "$TK" report wrong-magic.dat
