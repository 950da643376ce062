cd "$SAMPLES" && "$TK" report bad
