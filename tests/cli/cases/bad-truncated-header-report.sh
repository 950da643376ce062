cd "$SAMPLES/bad" && "$TK" report truncated-header.dat
