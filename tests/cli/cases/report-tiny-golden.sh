"$TK" report "$SAMPLES/tiny-v6.dat"
