: | "$TK" flamegraph
