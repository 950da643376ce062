# Folded text from standard input or a file: the same bytes, one group per frame.
"$TK" flamegraph <"$GOLDEN/flame/hand.folded" >a.svg
"$TK" flamegraph "$GOLDEN/flame/hand.folded" >b.svg
"$TK" flamegraph -o c.svg - <"$GOLDEN/flame/hand.folded"
cmp a.svg b.svg && cmp a.svg c.svg && echo same
grep -c '^<g>$' a.svg
grep -c '^<title>all (48 samples, 100%)</title><rect x="10.0" y="101" width="1180.0" height="15.0"' a.svg
