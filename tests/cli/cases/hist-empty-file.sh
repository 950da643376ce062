cd "$SAMPLES/bad" && "$TK" hist -k id empty.dat
