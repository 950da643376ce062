"$TK" collapse no-such-file
