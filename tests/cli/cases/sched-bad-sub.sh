"$TK" sched frob x
