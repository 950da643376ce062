"$TK" sched latency no-such.dat
