# Bad input: exit 1 with one line naming the file (and the offset).
printf 'a;b 1\n' >a.folded
printf 'a;b 1\na;c 2.5\n' >frac.folded
cp "$SAMPLES/tiny-v6.dat" . && "$TK" diff a.folded tiny-v6.dat; echo "exit $?"
"$TK" diff a.folded frac.folded; echo "exit $?"
"$TK" diff a.folded missing.folded; echo "exit $?"
: >empty.folded
"$TK" diff -n empty.folded a.folded; echo "exit $?"
"$TK" diff a.folded empty.folded; echo "exit $?"
printf 'x\ny\n' >bad.folded
"$TK" diff --folded bad.folded a.folded; echo "exit $?"
