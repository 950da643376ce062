cd "$SAMPLES/bad" && "$TK" hist -k id truncated-data.dat
