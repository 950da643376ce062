# Lines without a count are skipped, as flamegraph.pl skips them, and counted.
printf 'a;b 3\nno count here\n\nc 1\n' | "$TK" flamegraph | grep -c '^<g>$'
