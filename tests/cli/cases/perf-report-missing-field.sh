# perf-g.data was recorded per process: its samples have no CPU
"$TK" report --fields comm,cpu "$SAMPLES/perf-g.data"
