# 60000 distinct stacks of one count: frames under --minwidth (0.1 px) are
# left out as they close, so the SVG does not grow with the input.
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "p%d;m%d;leaf%d 1\n", i % 3, i % 300, i }' >in.folded
"$TK" flamegraph in.folded >a.svg
n=$(grep -c '^<g>$' a.svg)
[ "$n" -eq 304 ] || echo "$n frames"
[ "$(wc -c <a.svg)" -lt 200000 ] || echo "SVG too big: $(wc -c <a.svg)"
echo ok
