"$TK" flamegraph no-such.folded
