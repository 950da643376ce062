# Usage errors: exit 2 with one line.
"$TK" timeline; echo "exit $?"
"$TK" timeline --format gif x.dat; echo "exit $?"
"$TK" timeline --from 2 --to 1 x.dat; echo "exit $?"
"$TK" timeline --width 10 x.dat; echo "exit $?"
"$TK" timeline --cpus 1-a x.dat; echo "exit $?"
