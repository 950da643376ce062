"$TK" collapse a b
