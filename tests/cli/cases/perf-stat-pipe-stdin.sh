# stat of a pipe-mode perf.data read from a pipe
"$TK" stat --json - < "$SAMPLES/perf-pipe.data" | grep -E '"(pipe|samples|SAMPLE|HEADER_ATTR|HEADER_FEATURE)"'
