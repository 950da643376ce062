"$TK" collapse .
