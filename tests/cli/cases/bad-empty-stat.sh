cd "$SAMPLES/bad" && "$TK" stat empty.dat
