mkfifo f && "$TK" stat f
