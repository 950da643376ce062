printf 'a;b 1.5\n' | "$TK" flamegraph
