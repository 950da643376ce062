# timehist -s on a trace.dat: the summary runs (perf's rules on its events)
"$TK" sched timehist -s "$SAMPLES/sched-v6.dat"
