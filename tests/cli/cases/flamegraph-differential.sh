printf 'a;b 3\na;c 1 2\n' >in.folded
"$TK" flamegraph in.folded
