cd "$SAMPLES/bad" && "$TK" report corrupt-header.dat
