"$TK" dump "$SAMPLES/sched-v7-zstd.dat"
