"$TK" convert --to perfetto "$SAMPLES/sched-v6.dat"
