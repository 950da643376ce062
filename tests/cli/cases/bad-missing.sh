"$TK" report no-such-file.dat
