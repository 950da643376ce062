"$TK" report --bogus "$SAMPLES/tiny-v6.dat"
