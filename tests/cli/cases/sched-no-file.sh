"$TK" sched latency
