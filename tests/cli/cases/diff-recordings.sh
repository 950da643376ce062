# Recordings are collapsed first: perf.data and perf script text give the
# lines difffolded.pl gives for their stackcollapse-perf.pl goldens
# (tests/golden/diff/g-z-n.folded), and the same SVG as the folded files.
P="--kallsyms $SAMPLES/perf-kallsyms.txt --symfs $SAMPLES/symfs"
# shellcheck disable=SC2086
"$TK" diff --folded -n $P "$SAMPLES/perf-g.data" "$SAMPLES/perf-z.data" | cmp - "$GOLDEN/diff/g-z-n.folded" && echo pdat
"$TK" diff --folded -n "$GOLDEN/perf-g.perf-script.txt" "$GOLDEN/perf-z.folded" | cmp - "$GOLDEN/diff/g-z-n.folded" && echo text
# shellcheck disable=SC2086
"$TK" diff -n $P "$SAMPLES/perf-g.data" "$SAMPLES/perf-z.data" >a.svg
"$TK" diff -n "$GOLDEN/perf-g.folded" - <"$GOLDEN/perf-z.folded" | cmp - a.svg && echo svg
