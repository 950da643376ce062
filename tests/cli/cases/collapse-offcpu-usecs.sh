# The default unit is microseconds: each line is its stack's nanoseconds
# (--ns) rounded to nearest, halves up, and stacks under 0.5 us are left
# out; the rest of the line is the same.
cd "$SAMPLES" || exit 1
for o in --off-cpu --wakeup; do
	"$TK" collapse $o --ns offcpu-stack.dat > "$OLDPWD/ns" || exit 1
	"$TK" collapse $o offcpu-stack.dat > "$OLDPWD/us" || exit 1
	awk '{ w = $NF; r = int(w / 1000) + (w % 1000 >= 500); sub(/ [0-9]+$/, ""); if (r) print $0, r }' \
		"$OLDPWD/ns" > "$OLDPWD/want"
	cmp -s "$OLDPWD/want" "$OLDPWD/us" || { echo "differ: $o"; exit 1; }
	# the rounding must matter somewhere, or this proves little
	cmp -s "$OLDPWD/ns" "$OLDPWD/us" && { echo "same as ns: $o"; exit 1; }
done
echo same
