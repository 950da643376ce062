# A named pipe as FILE: its first bytes are looked at without being consumed.
mkfifo f
cat "$GOLDEN/perf-g.perf-script.txt" > f &
"$TK" collapse f > out && diff -u "$GOLDEN/perf-g.folded" out
