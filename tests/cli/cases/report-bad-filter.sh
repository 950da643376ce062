"$TK" report -F 'sched_switch:(((' "$SAMPLES/tiny-v6.dat"
