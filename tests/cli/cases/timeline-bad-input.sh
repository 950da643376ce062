# Bad input: exit 1 with one line naming the file; no picture written.
printf 'a;b 1\n' >stacks.folded
"$TK" timeline -o x.png stacks.folded; echo "exit $?"
"$TK" timeline -o x.png missing.dat; echo "exit $?"
cp "$SAMPLES/bad/truncated-data.dat" .
"$TK" timeline -o x.png truncated-data.dat; echo "exit $?"
cp "$SAMPLES/tiny-v6.dat" . && "$TK" timeline -o x.png --from 9000 tiny-v6.dat; echo "exit $?"
ls x.png 2>/dev/null || echo no picture
