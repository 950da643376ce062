# --from/--to keep events with from <= ts <= to (ts as printed, seconds)
"$TK" report --from 2315.131579 --to 2316.136108 "$SAMPLES/tiny-v6.dat"
