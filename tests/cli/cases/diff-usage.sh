# One input, two stdins, --folded with --format: usage errors (exit 2).
"$TK" diff a.folded; echo "exit $?"
"$TK" diff - -; echo "exit $?"
"$TK" diff --folded --format png a b; echo "exit $?"
"$TK" diff --bogus a b; echo "exit $?"
