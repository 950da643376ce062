# Title, subtitle, notes, count and name types reach the SVG, escaped.
"$TK" flamegraph --title 'T <1>' --subtitle 'S&2' --notes 'n1' --countname bytes \
	--nametype 'Frame:' --fonttype Courier --fontsize 10 "$GOLDEN/flame/hand.folded" >a.svg
grep -c '<text id="title" x="600.00" y="20">T &lt;1&gt;</text>' a.svg
grep -c '<text id="subtitle" x="600.00" y="40">S&amp;2</text>' a.svg
grep -c '<!-- NOTES: n1 -->' a.svg
grep -c '<title>all (48 bytes, 100%)</title>' a.svg
grep -c 'nametype: "Frame:"' a.svg
grep -c 'font-family: Courier; font-size: 10px' a.svg
"$TK" flamegraph --inverted "$GOLDEN/flame/hand.folded" | grep -c '>Icicle Graph<'
"$TK" flamegraph --flamechart "$GOLDEN/flame/hand.folded" | grep -c '>Flame Chart<'
