# Every broken sample fails --off-cpu and --wakeup cleanly: exit 1 and one
# "tracekit: FILE: ..." line on stderr, never a crash or a usage error.
cd "$SAMPLES/bad" || exit 1
for f in *.dat *.data; do
	for o in --off-cpu --wakeup; do
		"$TK" collapse $o "$f" > "$OLDPWD/out" 2> "$OLDPWD/err"
		rc=$?
		lines=$(wc -l < "$OLDPWD/err")
		if [ $rc -ne 1 ] || [ "$lines" -ne 1 ] || ! grep -q "^tracekit: $f: " "$OLDPWD/err"; then
			echo "$f $o: exit $rc, $lines stderr lines: $(head -c 200 "$OLDPWD/err")"
		fi
	done
done
echo checked
