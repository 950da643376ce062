# --no-comm: the golden without its first frame, merged again and sorted bytewise.
# Stacks that were only a process frame (no ';' in the golden) vanish.
"$TK" collapse --no-comm "$GOLDEN/perf-ag.perf-script.txt" > out || exit 1
grep ";" "$GOLDEN/perf-ag.folded" | sed "s/^[^;]*;//" |
	awk '{ n = $NF; sub(/ [0-9]+$/, ""); s[$0] += n } END { for (k in s) print k, s[k] }' |
	LC_ALL=C sort > want
diff -u want out
