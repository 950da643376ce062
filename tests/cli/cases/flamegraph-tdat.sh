"$TK" flamegraph "$SAMPLES/tiny-v6.dat"
