cd "$SAMPLES/bad" && "$TK" report truncated-data.dat
