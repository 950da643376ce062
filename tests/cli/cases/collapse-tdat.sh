cd "$SAMPLES" && "$TK" collapse tiny-v6.dat
