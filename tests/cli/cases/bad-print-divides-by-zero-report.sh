cd "$SAMPLES/bad" && "$TK" report print-divides-by-zero.dat > /dev/null
