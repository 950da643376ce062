"$TK" report --cpu 1 "$SAMPLES/tiny-v6.dat"
