cd "$SAMPLES" && "$TK" stat tiny-v6.dat
