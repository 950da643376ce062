cd "$SAMPLES/bad" && "$TK" stat corrupt-header.dat
