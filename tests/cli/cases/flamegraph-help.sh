# --help names every flamegraph.pl option we take, and ours.
"$TK" flamegraph --help >h.txt
for o in title subtitle width height minwidth fonttype fontsize fontwidth countname nametype \
	colors hash reverse inverted flamechart negate notes format output; do
	grep -q -- "--$o" h.txt || echo "no --$o"
done
for p in hot mem io wakeup chain java js perl red green blue aqua yellow purple orange; do
	grep -q "$p" h.txt || echo "no palette $p"
done
echo checked
