"$TK" report
