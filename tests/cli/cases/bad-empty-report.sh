cd "$SAMPLES/bad" && "$TK" report empty.dat
