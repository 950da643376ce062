# PNG, SVG and PDF of a trace.dat (by --format or the output's extension):
# the same bytes twice, well-formed SVG, the PNG's size in its header, and
# a perf.data with sched tracepoints draws too.
export LSAN_OPTIONS=suppressions=$GOLDEN/../lsan-fontconfig.supp:print_suppressions=0
F="$SAMPLES/sched-v7-zstd.dat"
"$TK" timeline -o a.png "$F"
"$TK" timeline --format png "$F" >b.png
cmp a.png b.png && echo png same
head -c 8 a.png | od -An -c | tr -s ' '
# width 1200, height 202 (IHDR): 44 top + 2 CPU lanes of 27 + 34 axis + 4 legend rows of 16 + 6
od -An -tx1 -j16 -N8 a.png | tr -s ' '
"$TK" timeline --tasks=3 --width 800 --height 300 -o a.svg "$F"
"$TK" timeline --tasks=3 --width 800 --height 300 --format svg "$F" | cmp - a.svg && echo svg same
xmllint --noout a.svg && echo svg parses
grep -c '<svg' a.svg
"$TK" timeline --cpus 1 -o a.pdf "$F"
"$TK" timeline --cpus 1 --format pdf "$F" | cmp - a.pdf && echo pdf same
head -c 5 a.pdf; echo
"$TK" timeline --format raster "$F" >r1.txt
"$TK" timeline --format raster "$F" | cmp - r1.txt && echo raster same
sed -n 2p r1.txt
"$TK" timeline -o p.png "$SAMPLES/perf-sched.data" && head -c 4 p.png | od -An -c | tr -s ' '
