"$TK" report --cpu 1-x "$SAMPLES/tiny-v6.dat"
