"$TK"
