# --format png: a PNG of the same picture, the same bytes twice.
export LSAN_OPTIONS=suppressions=$GOLDEN/../lsan-fontconfig.supp:print_suppressions=0
printf 'm;a 3\nm;b 1\n' >a.folded
printf 'm;a 1\nm;b 5\n' >b.folded
"$TK" diff --format png -o 1.png a.folded b.folded
"$TK" diff --format png a.folded b.folded >2.png
cmp 1.png 2.png && head -c 8 1.png | od -An -c | tr -s ' '
