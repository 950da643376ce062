cd "$SAMPLES/bad" && "$TK" stat wrong-magic.dat
