"$TK" stat --json "$SAMPLES/sched-v7-zstd.dat"
