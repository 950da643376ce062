# --format png: a PNG of the picture, to a file or a pipe.
export LSAN_OPTIONS=suppressions=$GOLDEN/../lsan-fontconfig.supp:print_suppressions=0
"$TK" flamegraph --format png -o a.png "$GOLDEN/flame/hand.folded"
"$TK" flamegraph --format png "$GOLDEN/flame/hand.folded" | cat >b.png
cmp a.png b.png && echo same
head -c 8 a.png | od -An -c | tr -s ' '
# width 1200, height 150 (IHDR)
od -An -tx1 -j16 -N8 a.png | tr -s ' '
